"""The browser checks a question exactly as Python does: for every self-check of the lessons,
every practice item, every knowledge-base builder and a few made-up questions (accepted
answers of each kind, markup in the text), and many answers each (right, accepted, wrong,
partly right, blank, not a number, other scripts' digits), homs-widgets.js shows the same
feedback, to the element, as :meth:`Question.check` renders (the written answer: the same
text). And what a question shows as text can never become markup in the page."""

from __future__ import annotations

import ast
import contextlib
import itertools
import json
import random
import re
from collections.abc import Iterator
from typing import Any

import pytest

from helpers import ROOT
from homs import grading, knowledge, selfcheck
from homs.book import pages, site
from homs.widgets import Question

pytestmark = pytest.mark.slow

_XSS = "<img src=x onerror=window.__xss=1>"


def _lesson_questions() -> Iterator[Question]:
    for path in sorted((ROOT / "lessons").glob("[0-9][0-9]-*.ipynb")):
        for cell in json.loads(path.read_text("utf-8"))["cells"]:
            if cell["cell_type"] != "code":
                continue
            for node in ast.walk(ast.parse("".join(cell["source"]))):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and isinstance(node.func.value, ast.Name)
                    and node.func.value.id == "selfcheck"
                    and node.func.attr != "show"
                ):
                    args = [ast.literal_eval(a) for a in node.args]
                    kwargs = {k.arg: ast.literal_eval(k.value) for k in node.keywords}
                    yield getattr(selfcheck, node.func.attr)(*args, **kwargs)


def _questions() -> list[Question]:
    kb = knowledge.load()
    found = list(_lesson_questions())
    found += [
        pages.practice_question(i) for q in grading.quiz_names() for i in grading.load_quiz(q).items
    ]
    for event in kb.events:
        found += [selfcheck.which_sources(event.id), selfcheck.independent_accounts(event.id)]
    for d in kb.discrepancies:
        found.append(selfcheck.discrepancy_type(d.id))
        with contextlib.suppress(ValueError):
            found.append(selfcheck.match_claims(d.id))
    found += [
        selfcheck.multiple_choice(
            f"Which? {_XSS}", [("a", f"A {_XSS}"), ("b", "B & C")], "a", why=[_XSS], context=_XSS
        ),
        selfcheck.multiple_choice(
            "Tick",
            [("a", "A"), ("b", "B"), ("c", "C")],
            ["a", "b"],
            multiple=True,
            accepted={("a",): "A alone will do."},
            preferred_because="both apply.",
        ),
        selfcheck.numeric("How many?", 10, tolerance=1.5, unit="years", accepted={20: "why not."}),
        selfcheck.numeric("How many people?", 1_500_000),
        selfcheck.Ordering(
            f"Order {_XSS}",
            [("x", _XSS), ("y", "Y"), ("z", "Z")],
            ["x", "y", "z"],
            accepted={("y", "x", "z"): "they overlap."},
        ),
        selfcheck.Matching(
            "Match",
            [("i", "I"), ("j", "J"), ("k", "K")],
            [("A", "Source A"), ("B", "Source B")],
            {"i": "A", "j": "B", "k": "A"},
            accepted={("j", "A"): "A says it too.", ("k", "B"): "B also."},
        ),
        selfcheck.evidence_answer(f"Why? {_XSS}"),
    ]
    return found


def _values(q: Question) -> list[Any]:
    data = q.data
    rng = random.Random(q.prompt)
    kind = data["kind"]
    if kind == "choice":
        return [None, *(k for k, _ in data["options"])]
    if kind == "multi":
        keys = [k for k, _ in data["options"]]
        subsets = [list(c) for n in range(len(keys) + 1) for c in itertools.combinations(keys, n)]
        return subsets if len(subsets) <= 64 else rng.sample(subsets, 64)
    if kind == "ordering":
        orders = [list(p) for p in itertools.permutations(data["answer"])]
        return orders if len(orders) <= 40 else [data["answer"], *rng.sample(orders, 39)]
    if kind == "matching":
        keys = [k for k, _ in data["items"]]
        choices = [None, *(c for c, _ in data["choices"])]
        combos = [
            dict(zip(keys, c, strict=True)) for c in itertools.product(choices, repeat=len(keys))
        ]
        return combos if len(combos) <= 60 else rng.sample(combos, 60)
    if kind == "numeric":
        a = data["answer"]
        whole = str(int(a)) if float(a).is_integer() else str(a)
        near = [str(int(a) + d) for d in (-2, -1, 1, 2)]
        accepted = [str(int(k)) for k, _ in data["accepted"]]
        return [
            whole,
            *near,
            *accepted,
            "",
            "  ",
            "abc",
            f" {whole} ",
            "1,500,000",
            "1.5 million",
            "٢٠١٢",
            "۷",
            "-3",
            "+4",
            ".5",
            "1e3",
            "12 years",
            "$7",
        ]
    if kind == "short":
        a = data["answer"]
        return [
            a,
            a.lower(),
            f"  {a} ",
            "",
            "C-99",
            "c-31",
            "2012-2-22",
            "2012-02-22",
            "1999-01-01",
            "A - 3",
            "hello",
        ]
    if kind == "evidence":
        return [
            "",
            "Two years.",
            "The siege lasted two years (B-14, C-29, A-99).",
            "Source B says the siege lasted two years (B-14); Source A says the army attacked "
            "(A-32).",
            f"According to them {_XSS} it was so (B-14, C-29) and more.",
            "Sources A and B say so: a-2 B-2x (A-2) (C-31) [B-17] and more words here.",
        ]
    raise AssertionError(kind)


@pytest.fixture(scope="module")
def harness(tmp_path_factory: pytest.TempPathFactory, browser: Any) -> Iterator[Any]:
    """A bare page with the book's scripts, in the package's Chromium (one Playwright at a
    time: its sync API holds the main thread's event loop while it runs), offline."""
    folder = tmp_path_factory.mktemp("harness")
    (folder / "homs-widgets.classic.js").write_text(
        site.classic_script(site._static("homs-widgets.js")), "utf-8"
    )
    for name in ("homs-book.js", "homs-widgets.css"):
        (folder / name).write_text(site._static(name), "utf-8")
    (folder / "index.html").write_text(
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>harness</title>'
        '<link rel="stylesheet" href="homs-widgets.css">'
        '<script src="homs-widgets.classic.js"></script><script src="homs-book.js"></script>'
        "</head><body><main></main></body></html>",
        "utf-8",
    )
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
    page.goto((folder / "index.html").as_uri())
    yield page, errors
    page.close()


_CHECK = """([state, values]) => {
    const el = document.createElement('div');
    document.querySelector('main').append(el);
    const model = window.HomsBook.pageModel(state);
    window.HomsWidgets.render({ model, el });
    const out = [];
    for (const value of values) {
        model.set('answer_state', value);
        el.querySelector('button.homs-check').click();
        const region = el.querySelector('.homs-feedback-region');
        out.push([region.innerHTML, region.textContent.replace(/\\s+/g, ' ').trim(),
                  el.querySelector('section').dataset.verdict]);
    }
    const images = el.querySelectorAll('img').length;
    el.remove();
    return [out, images];
}"""

_NORMALIZE = """(htmls) => htmls.map(html => {
    const t = document.createElement('template'); t.innerHTML = html;
    const box = document.createElement('div'); box.append(t.content);
    return [box.innerHTML, box.textContent.replace(/\\s+/g, ' ').trim()];
})"""


def test_the_browser_checks_every_question_as_python_does(harness: Any) -> None:
    page, errors = harness
    problems, compared = [], 0
    for q in _questions():
        values = _values(q)
        state = json.loads(json.dumps(q.static_state()))
        (shown, images) = page.evaluate(_CHECK, [state, values])
        expected, verdicts = [], []
        for value in values:
            q.answer_state = value
            q.check()
            expected.append(q.feedback.value)
            verdicts.append("none" if q.correct is None else "right" if q.correct else "wrong")
        normal = page.evaluate(_NORMALIZE, expected)
        for value, (html, text, verdict), (want_html, want_text), want in zip(
            values, shown, normal, verdicts, strict=True
        ):
            if q.data["kind"] == "evidence":  # built in the page: the same text, spaced apart
                same = re.sub(r"\s", "", text) == re.sub(r"\s", "", want_text)
            else:
                same = html == want_html
            if not same or verdict != want:
                problems.append(
                    f"{q.spec} {q.data['kind']} value {value!r}: browser {verdict} "
                    f"{text!r}\n   python {want} {want_text!r}"
                )
            compared += 1
        if images:
            problems.append(f"{q.spec}: markup in a question became an image")
    assert not page.evaluate("window.__xss === 1"), "text from a question ran as markup"
    assert not errors, errors[:10]
    assert not problems, f"{len(problems)} of {compared} differ:\n" + "\n".join(problems[:15])
    assert compared > 2000
