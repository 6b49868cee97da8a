"""Parallel forms in JupyterLab: a student runs the "Your questions" cell of a quiz released
with variants (the timeline's order and year; the sourcing quiz's voices and dating clue; the
discrepancies quiz's claims and types) and sees their own version of each banked question; a
student the cell cannot find sees the plain notice.

Each case starts its own JupyterLab (``_lab.running_lab``) with ``JUPYTERHUB_USER`` set in the
server's environment, as JupyterHub sets it for a student's server.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from helpers import variant_course
from homs.grading.authoring import banks
from homs.grading.authoring.spec import load_quiz
from homs.grading.course import variants
from homs.grading.course.release import release

from ._lab import SCREENSHOTS, laptop_page, running_lab

pytestmark = pytest.mark.slow

CLASS = ("ada", "ben", "cy")


@pytest.fixture(scope="module", params=["timeline", "sourcing", "discrepancies"])
def variant_release(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Any]:
    """A scratch course giving a quiz in parallel forms to ada, ben and cy, released as
    `homs build` and `homs release QUIZ --force` do."""
    name = request.param
    course = variant_course(tmp_path_factory.mktemp("variants-lab") / "course", name, CLASS)
    release(name, course=course, force=True)
    quiz = load_quiz(name)
    own = {s: banks.apply(quiz, variants.variants_for(course, quiz, s)[0]) for s in CLASS}
    return {
        "notebook": course / "release" / name / f"{name}.ipynb",
        "quiz": quiz,
        "own": own,
    }


@pytest.fixture
def student_page(
    request: pytest.FixtureRequest,
    browser: object,
    variant_release: dict[str, Any],
    tmp_path: Path,
) -> Iterator[object]:
    """The released quiz opened in a JupyterLab whose user is ``request.param``, every cell
    run."""
    user = request.param
    root = tmp_path / "root"
    root.mkdir()
    name = variant_release["quiz"].id
    shutil.copy(variant_release["notebook"], root / f"{name}.ipynb")
    with (
        running_lab(root, tmp_path / "home", {"JUPYTERHUB_USER": user}) as lab,
        laptop_page(browser) as page,
    ):
        page.goto(lab.url(f"{name}.ipynb"))  # type: ignore[attr-defined]
        # The cells a student runs: "Your questions", then the one under each banked question
        # (Run All would stop at the first test cell, which fails on a blank answer).
        page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=90_000)  # type: ignore[attr-defined]
        page.wait_for_function(  # type: ignore[attr-defined]
            "() => /\\|\\s*Idle/.test("
            "document.querySelector('#jp-main-statusbar')?.innerText || '')",
            timeout=90_000,
        )
        shows = [f'_homs_show("{i}")' for i in variant_release["quiz"].pools]
        for text in ["HOMS_STUDENT_ID =", *shows]:
            cell = _cell(page, text).first
            cell.locator(".jp-InputArea-editor").click()
            page.keyboard.press("Control+Enter")  # type: ignore[attr-defined]
            cell.locator(".jp-OutputArea-output").first.wait_for(timeout=90_000)
        yield page


def _cell(page: Any, text: str) -> Any:
    """The code cell whose input holds ``text``."""
    return page.locator(".jp-CodeCell").filter(has=page.locator(".jp-InputArea", has_text=text))


def _output(page: Any, text: str) -> str:
    """The text of that cell's output, once JupyterLab has rendered it."""
    output = _cell(page, text).first.locator(".jp-OutputArea-output").first
    output.wait_for(timeout=60_000)
    for _ in range(100):
        shown = output.inner_text()
        if shown.strip():
            return shown
        page.wait_for_timeout(200)
    return shown


def _shot(page: Any, text: str, name: str) -> None:
    # The cell's output on screen, with the lines of the cell above it.
    _cell(page, text).first.locator(".jp-OutputArea").scroll_into_view_if_needed()
    page.evaluate(
        "s => { const box = document.querySelector(s); box.scrollTop += 250; }",
        ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-WindowedPanel-outer",
    )
    page.wait_for_timeout(300)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / name))


def _plain(options: list[Any]) -> list[str]:
    return [o if isinstance(o, str) else json.dumps(o) for o in options]


@pytest.mark.parametrize("student_page", ["ben"], indirect=True)
def test_a_student_sees_their_own_version(
    student_page: Any, variant_release: dict[str, Any]
) -> None:
    """ben's "Your questions" cell greets ben; under each banked question he sees his own
    version's question and options, never another form's."""
    page = student_page
    greeting = _output(page, "HOMS_STUDENT_ID =")
    assert "Hello ben" in greeting, greeting
    quiz = variant_release["quiz"]
    _shot(page, "HOMS_STUDENT_ID =", f"variants-{quiz.id}-your-questions.png")
    mine = variant_release["own"]["ben"]
    for item_id in quiz.pools:
        shown = _output(page, f'_homs_show("{item_id}")')
        item = mine.item(item_id)
        assert f"Your version of {item.label}, for ben" in shown, shown
        assert item.question.split("\n")[0][:60] in shown or item.question[:40] in shown, shown
        for option in _plain(list(item.form.options)):
            assert option in shown, (item_id, option, shown)
        others = {
            o
            for s, q in variant_release["own"].items()
            if s != "ben"
            for o in _plain(list(q.item(item_id).form.options))
        } - set(_plain(list(item.form.options)))
        # As whole ids: "A-2" is in "A-23".
        assert not [o for o in others if re.search(rf"(?<![\w-]){re.escape(o)}(?![\w-])", shown)], (
            item_id,
            others,
            shown,
        )
    for item_id in quiz.pools:
        _shot(page, f'_homs_show("{item_id}")', f"variants-{quiz.id}-{item_id}.png")


@pytest.mark.parametrize("student_page", ["zed"], indirect=True)
def test_a_student_not_found_sees_the_plain_notice(
    student_page: Any, variant_release: dict[str, Any]
) -> None:
    """zed is not on the roster: the cell says so plainly and says what to do."""
    page = student_page
    greeting = _output(page, "HOMS_STUDENT_ID =")
    assert "No version of this quiz was made for the user name zed" in greeting, greeting
    assert "HOMS_STUDENT_ID" in greeting, greeting
    quiz = variant_release["quiz"]
    _shot(page, "HOMS_STUDENT_ID =", f"variants-{quiz.id}-not-found.png")
    shown = _output(page, f'_homs_show("{next(iter(quiz.pools))}")')
    assert "as printed" in shown, shown
    assert "Your version" not in shown, shown
