"""Lessons: committed clean, built to the lesson contract, and run in a fresh kernel."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import nbformat
import pytest

from homs import knowledge, selfcheck, sources

ROOT = Path(__file__).resolve().parents[1]
LESSON_DIR = ROOT / "lessons"
LESSONS = sorted(LESSON_DIR.glob("[0-9][0-9]-*.ipynb"))
SIX = (
    "01-meet-the-sources",
    "02-timeline",
    "03-corroboration",
    "04-discrepancies",
    "05-words-and-voices",
    "06-putting-it-together",
)
WIDGET = "application/vnd.jupyter.widget-view+json"
CELL_TIMEOUT = 180  # seconds; the slowest cell draws a few charts on a 2-core machine


def _read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def _code(nb: nbformat.NotebookNode) -> list[nbformat.NotebookNode]:
    return [c for c in nb.cells if c.cell_type == "code"]


def _markdown(nb: nbformat.NotebookNode) -> str:
    return "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")


lesson = pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)


# --------------------------------------------------------------------------- the index


def test_six_lessons_exist() -> None:
    """lessons/ holds the six numbered lessons, and only those."""
    assert [p.stem for p in LESSONS] == list(SIX)


def test_index_lists_every_lesson_with_minutes_and_objectives() -> None:
    """lessons/README.md links each lesson in order, with its minutes and objectives."""
    index = (LESSON_DIR / "README.md").read_text("utf-8")
    positions = []
    for stem in SIX:
        assert f"({stem}.ipynb)" in index, f"lessons/README.md does not link {stem}.ipynb"
        positions.append(index.index(f"({stem}.ipynb)"))
        row = next(line for line in index.splitlines() if f"({stem}.ipynb)" in line)
        minutes = re.search(r"\b(\d+) minutes\b", row)
        assert minutes, f"lessons/README.md gives no minutes for {stem}"
        opening = _read(LESSON_DIR / f"{stem}.ipynb").cells[0].source
        assert re.search(rf"\b{minutes.group(1)} minutes\b", opening), (
            f"lessons/README.md and {stem}.ipynb give different times"
        )
        assert len(row) > 200, f"lessons/README.md gives no objectives for {stem}"
    assert positions == sorted(positions)
    assert "make lab" in index


# --------------------------------------------------------------------------- clean in git


@lesson
def test_lesson_is_committed_without_outputs(path: Path) -> None:
    """A lesson carries no outputs, no execution counts and only minimal metadata."""
    nb = _read(path)
    nbformat.validate(nb)
    for cell in _code(nb):
        assert cell.outputs == [], f"{path.name}: a code cell has outputs; clear them"
        assert cell.execution_count is None, f"{path.name}: a code cell has an execution count"
    for cell in nb.cells:
        extra = set(cell.metadata) - {"tags", "jupyter"}
        assert not extra, f"{path.name}: cell metadata {sorted(extra)} should not be committed"
    assert set(nb.metadata) <= {"kernelspec", "language_info"}
    assert nb.metadata.kernelspec.name == "python3"


# --------------------------------------------------------------------------- the lesson contract


@lesson
def test_lesson_opens_with_question_objectives_minutes_assumptions_and_content_note(
    path: Path,
) -> None:
    """The first cell gives the question, objectives, minutes, assumptions and a content note."""
    first = _read(path).cells[0]
    assert first.cell_type == "markdown"
    text = first.source.lower()
    for needed in ("question", "objectives", "minutes", "content note"):
        assert needed in text, f"{path.name}: the opening cell does not give its {needed}"
    assert re.search(r"assum|before you start|you need", text), (
        f"{path.name}: the opening cell does not say what the lesson assumes"
    )


@lesson
def test_lesson_ends_with_key_points_and_a_reflection(path: Path) -> None:
    """The last cells give the key points and a short written reflection prompt."""
    tail = "\n".join(c.source for c in _read(path).cells[-3:]).lower()
    assert "key points" in tail
    assert "reflect" in tail


@lesson
def test_first_code_cell_sets_up_from_homs_and_is_hidden(path: Path) -> None:
    """The first code cell imports what the lesson needs from homs and is tagged hide-input."""
    first = _code(_read(path))[0]
    assert "hide-input" in first.metadata.get("tags", [])
    assert re.search(r"^from homs import|^import homs", first.source, re.MULTILINE)


@lesson
def test_lesson_takes_charts_and_data_from_homs(path: Path) -> None:
    """No cell draws with matplotlib, reads files or uses relative paths: lessons call homs."""
    for cell in _code(_read(path)):
        src = cell.source
        assert "matplotlib" not in src, f"{path.name}: chart code belongs in homs.charts"
        assert "plt." not in src
        assert not re.search(r"\bopen\(|read_text\(|\.\./", src), (
            f"{path.name}: find data through homs, not files or relative paths"
        )


@lesson
def test_lesson_uses_charts_excerpts_and_self_checks(path: Path) -> None:
    """Every lesson shows a chart, an annotated excerpt and self-check questions."""
    code = "\n".join(c.source for c in _code(_read(path)))
    assert "charts." in code, f"{path.name}: no chart"
    assert "excerpts." in code, f"{path.name}: no annotated excerpt"
    assert "selfcheck." in code, f"{path.name}: no self-check question"


def _check_sentence_ids(text: str) -> None:
    for found in sorted(set(re.findall(r"(?<![\w-])[ABC]-\d+(?![\w-])", text))):
        sources.sentence(found)


def _check_quotes(text: str, where: str, pattern: str = r'"([^"]+)"|“([^”]+)”') -> None:
    """Every phrase of two or more words quoted in ``text`` is in a source, word for word."""
    readings = [s.reading.lower() for s in sources.load().values()]
    for pair in re.findall(pattern, re.sub(r"`[^`]*`", "", text)):
        words = " ".join("".join(pair).split()).strip(" .,;:…")
        if len(words.split()) < 2 or words.startswith("Source ") or words.endswith("..."):
            continue
        assert any(words.lower() in r for r in readings), (
            f"{where} quotes {words!r}, which no source contains word for word"
        )


@lesson
def test_lesson_text_cites_only_real_sentences(path: Path) -> None:
    """Every sentence id the lesson's text mentions (A-13, B-8, ...) exists."""
    _check_sentence_ids(_markdown(_read(path)))


@lesson
def test_phrases_quoted_in_the_lesson_text_are_in_the_sources(path: Path) -> None:
    """A phrase of two or more words the lesson's text puts in quotation marks is verbatim."""
    for cell in _read(path).cells:
        if cell.cell_type == "markdown":
            _check_quotes(cell.source, path.name)


def test_teacher_guide_quotes_and_cites_the_sources_exactly() -> None:
    """The teacher guide's sentence ids exist and its “curly-quoted” source phrases are verbatim.

    (Its straight quotes are words for teachers to use, not quotations.)
    """
    guide = (LESSON_DIR / "teacher-guide.md").read_text("utf-8")
    _check_sentence_ids(guide)
    _check_quotes(guide, "teacher-guide.md", r"“([^”]+)”()")


# --------------------------------------------------------------------------- self-check answers


def _calls(path: Path) -> Iterator[tuple[str, list[Any], dict[str, Any], ast.Call]]:
    """Every ``selfcheck.<builder>(...)`` call in a lesson, with literal arguments."""
    for cell in _code(_read(path)):
        tree = ast.parse(cell.source)
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "selfcheck"
            ):
                try:
                    args = [ast.literal_eval(a) for a in node.args]
                    kwargs = {k.arg: ast.literal_eval(k.value) for k in node.keywords if k.arg}
                except ValueError:
                    args, kwargs = [], {}
                yield node.func.attr, args, kwargs, node


def _groups(kb: knowledge.KnowledgeBase, event_id: str) -> int:
    """Independent witnesses of an event: its sources, joined where a dependence links them."""
    event = kb.event(event_id)
    said = {r.citation.sentence for r in event.reports}
    parent = {s: s for s in event.sources}

    def root(s: str) -> str:
        while parent[s] != s:
            s = parent[s]
        return s

    for d in kb.discrepancies:
        if d.type == "dependence":
            hit = sorted(
                {v.source for v in d.versions if v.citation and v.citation.sentence in said}
            )
            for other in hit[1:]:
                parent[root(other)] = root(hit[0])
    return len({root(s) for s in event.sources})


def _expected(name: str, args: list[Any], kb: knowledge.KnowledgeBase) -> Any:
    """The right answer, worked out from the knowledge base independently of homs.selfcheck."""
    if name == "which_sources":
        return tuple(sorted({r.citation.source for r in kb.event(args[0]).reports}))
    if name == "order_events":
        return tuple(sorted(args[0], key=lambda e: kb.event(e).date.start))
    if name == "discrepancy_type":
        return kb.discrepancy(args[0]).type
    if name == "match_claims":
        return {v.says: v.source for v in kb.discrepancy(args[0]).versions}
    if name == "version_value":
        (value,) = [
            v.value
            for v in kb.discrepancy(args[0]).versions
            if v.source == args[1] and v.value is not None
        ]
        return value
    if name == "years_between":
        return kb.event(args[1]).date.start.year - kb.event(args[0]).date.start.year
    if name == "publication_year":
        return int(str(sources.get(args[0]).catalog["published"]["most_likely"])[:4])
    if name == "catalog_choice":
        return args[0]
    if name == "independent_witnesses":
        return _groups(kb, args[0])
    raise AssertionError(f"no independent check for selfcheck.{name}; add one to this test")


_NO_KEY = {"evidence_answer", "show"}


@lesson
def test_every_self_check_answer_agrees_with_the_knowledge_base(path: Path) -> None:
    """Each self-check question, rebuilt from the lesson's call, has the knowledge base's answer."""
    kb = knowledge.load()
    for name, args, kwargs, node in _calls(path):
        if name in _NO_KEY:
            continue
        if name in ("multiple_choice", "numeric"):
            answer = next(
                (k.value for k in node.keywords if k.arg == "answer"),
                node.args[2 if name == "multiple_choice" else 1]
                if len(node.args) > (2 if name == "multiple_choice" else 1)
                else None,
            )
            assert not isinstance(answer, ast.Constant), (
                f"{path.name}: selfcheck.{name} has a typed-in answer; take it from homs"
            )
            continue
        assert args or kwargs, f"{path.name}: selfcheck.{name} needs literal arguments"
        question = getattr(selfcheck, name)(*args, **kwargs)
        expected = _expected(name, args, kb)
        if name == "match_claims":
            got = {dict(question.items)[key]: source for key, source in question.answer.items()}
            assert got == expected
        elif name == "which_sources":
            assert tuple(sorted(question.answer)) == expected
        else:
            assert question.answer == expected, f"{path.name}: selfcheck.{name}{tuple(args)}"


# --------------------------------------------------------------------------- execution


@pytest.mark.slow
@lesson
def test_lesson_runs_in_a_fresh_kernel(
    path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The lesson runs top to bottom offline with no errors and shows charts and widgets."""
    from nbclient import NotebookClient

    monkeypatch.chdir(tmp_path)
    nb = _read(path)
    NotebookClient(
        nb,
        timeout=CELL_TIMEOUT,
        kernel_name="python3",
        resources={"metadata": {"path": str(tmp_path)}},
    ).execute()
    outputs = [o for c in _code(nb) for o in c.outputs]
    errors = [o for o in outputs if o.output_type == "error"]
    assert not errors, f"{path.name}: {errors[0].ename}: {errors[0].evalue}"
    stderr = [o.text for o in outputs if o.output_type == "stream" and o.name == "stderr"]
    assert not stderr, f"{path.name} wrote to stderr: {stderr[0][:500]}"
    kinds = {m for o in outputs for m in o.get("data", {})}
    assert "image/png" in kinds, f"{path.name}: no chart was shown"
    assert WIDGET in kinds, f"{path.name}: no widget was shown"
    assert not list(tmp_path.iterdir()), f"{path.name} wrote files into its working directory"
