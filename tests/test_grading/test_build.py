"""Tests for homs.grading.authoring.build: the committed source notebooks are what the builder
makes."""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from helpers import COURSE, grade_id
from homs import grading, sources
from homs.cli import main as homs_main
from homs.grading.authoring.build import BEGIN_MARK_SCHEME


def test_committed_notebooks_match_the_builder() -> None:
    """quizzes/source holds exactly what the specs and the knowledge base build (no drift)."""
    stale = grading.stale(COURSE)
    assert stale == [], f"out of date: {', '.join(map(str, stale))}. Rebuild with: homs build"


def test_course_holds_only_config_and_sources() -> None:
    """The committed course is nbgrader_config.py, README.md and one notebook per quiz."""
    notebooks = sorted(
        p.relative_to(COURSE)
        for p in (COURSE / "source").rglob("*.ipynb")
        if ".ipynb_checkpoints" not in p.parts
    )
    assert notebooks == sorted(Path("source", n, f"{n}.ipynb") for n in grading.quiz_names())
    assert (COURSE / "nbgrader_config.py").is_file()


def test_build_writes_only_what_changed(tmp_path: Path) -> None:
    """build writes missing notebooks, then nothing; check mode reports and exits 1 on drift."""
    (tmp_path / "nbgrader_config.py").write_text("c = get_config()\n", "utf-8")
    written = grading.build(tmp_path, names=("timeline",))
    assert written == [grading.source_path(tmp_path, "timeline")]
    assert grading.build(tmp_path, names=("timeline",)) == []
    assert homs_main(["build", "--check", "--course", str(tmp_path), "timeline"]) == 0
    written[0].write_text("{}", "utf-8")
    assert homs_main(["build", "--check", "--course", str(tmp_path), "timeline"]) == 1
    assert homs_main(["build", "--course", str(tmp_path / "nowhere")]) == 1


def test_build_from_a_private_spec_folder(tmp_path: Path) -> None:
    """A teacher's own specs, kept outside the package, build into their own course."""
    specs = tmp_path / "private"
    specs.mkdir()
    spec = (grading.spec_dir() / "timeline.yaml").read_text("utf-8")
    (specs / "exam.yaml").write_text(spec.replace("quiz: timeline", "quiz: exam"), "utf-8")
    course = tmp_path / "course"
    course.mkdir()
    (course / "nbgrader_config.py").write_text("c = get_config()\n", "utf-8")
    assert homs_main(["build", "--course", str(course), "--specs", str(specs)]) == 0
    assert grading.source_path(course, "exam").is_file()
    assert grading.stale(course, specs=specs) == []


@pytest.fixture(scope="module")
def notebooks() -> dict[str, dict[str, Any]]:
    """The committed source notebooks, by quiz name."""
    import nbformat

    return {
        n: nbformat.read(grading.source_path(COURSE, n), as_version=4) for n in grading.quiz_names()
    }


def test_no_outputs_or_execution_counts(notebooks: dict[str, dict[str, Any]]) -> None:
    """Source notebooks are committed without outputs or execution counts."""
    for nb in notebooks.values():
        for cell in nb["cells"]:
            if cell["cell_type"] == "code":
                assert cell["outputs"] == []
                assert cell["execution_count"] is None


def test_nbgrader_accepts_the_metadata(notebooks: dict[str, dict[str, Any]]) -> None:
    """Every notebook passes nbformat validation and nbgrader's schema-3 metadata validator."""
    import nbformat
    from nbgrader.nbgraderformat import MetadataValidator

    for nb in notebooks.values():
        node = nbformat.from_dict(nb)
        nbformat.validate(node)
        MetadataValidator().validate_nb(node)


def test_grade_ids_are_meaningful(
    notebooks: dict[str, dict[str, Any]], quizzes: dict[str, grading.Quiz]
) -> None:
    """Each item has a question, an answer and a test cell (or a task cell) named for it."""
    for name, nb in notebooks.items():
        ids = [
            c["metadata"]["nbgrader"]["grade_id"]
            for c in nb["cells"]
            if "nbgrader" in c["metadata"]
        ]
        expected = ["intro"]
        for item in quizzes[name].items:
            expected += (
                [item.id] if item.written else [f"{item.id}_question", f"{item.id}_answer", item.id]
            )
        assert ids == expected
        for cell_id in ids:
            assert re.fullmatch(r"intro|q\d+_[a-z0-9_]+", cell_id)


def test_test_cells_open_with_a_one_line_docstring(notebooks: dict[str, dict[str, Any]]) -> None:
    """Every autograder test cell starts with a one-line docstring saying, in a student's words
    and short enough for nbgrader's Validate dialog, what it checks."""
    for nb in notebooks.values():
        for cell in nb["cells"]:
            meta = cell["metadata"].get("nbgrader", {})
            if meta.get("grade") and cell["cell_type"] == "code":
                first = cell["source"].splitlines()[0]
                assert re.fullmatch(r'"""Q\d+: checks .+\."""', first), first
                assert len(first) <= 80, first
                docstring = ast.get_docstring(ast.parse(cell["source"]))
                assert docstring
                assert "\n" not in docstring


def test_answer_cells_hold_one_assignment_of_the_key(
    notebooks: dict[str, dict[str, Any]], quizzes: dict[str, grading.Quiz]
) -> None:
    """Each answer cell is one assignment whose value, read with literal_eval, is the key."""
    for name, nb in notebooks.items():
        answers = grading.read_answers(nb, [i.variable for i in quizzes[name].items])
        for item in quizzes[name].items:
            if item.written:
                continue
            cell = nb["cells"][answers[item.variable].cell]
            tree = ast.parse(cell["source"])
            assert len(tree.body) == 1
            assert isinstance(tree.body[0], ast.Assign)
            assert answers[item.variable].value == item.key


def test_hidden_tests_hold_the_key(
    notebooks: dict[str, dict[str, Any]], quizzes: dict[str, grading.Quiz]
) -> None:
    """The key literal in each test cell's hidden part is the knowledge base's key."""
    for name, nb in notebooks.items():
        for item in quizzes[name].items:
            if item.written:
                continue
            cell = next(c for c in nb["cells"] if grade_id(c) == item.id)
            hidden = cell["source"].split("### BEGIN HIDDEN TESTS\n")[1]
            assert hidden.endswith("### END HIDDEN TESTS")
            assign = ast.parse(hidden.split("\n", 1)[0]).body[0]
            assert isinstance(assign, ast.Assign)
            assert assign.targets[0].id == "_key"
            assert ast.literal_eval(assign.value) == item.key


def test_quiz_notebooks_import_only_homs_checks(notebooks: dict[str, dict[str, Any]]) -> None:
    """No code cell imports anything but homs_checks (pure standard library, no key), so
    running a quiz costs little more than a kernel start and never reads homs."""
    for nb in notebooks.values():
        for cell in nb["cells"]:
            if cell["cell_type"] == "code":
                tree = ast.parse(cell["source"])
                for node in ast.walk(tree):
                    assert not isinstance(node, ast.Import), cell["id"]
                    if isinstance(node, ast.ImportFrom):
                        assert node.module == "homs_checks", cell["id"]
                assert "__import__" not in cell["source"]


def test_visible_test_cells_are_a_few_readable_lines(
    notebooks: dict[str, dict[str, Any]], quizzes: dict[str, grading.Quiz]
) -> None:
    """What a student (and nbgrader's Validate dialog) sees of a test cell is its docstring, the
    import and one call of homs_checks.check: no class, no globals(), no In, no line over 100
    characters but the docstring."""
    for name, nb in notebooks.items():
        for item in (i for i in quizzes[name].items if not i.written):
            cell = next(c for c in nb["cells"] if grade_id(c) == item.id)
            visible = cell["source"].split("### BEGIN HIDDEN TESTS")[0].rstrip("\n")
            lines = visible.splitlines()
            assert lines[1] == "from homs_checks import check", item.id
            assert lines[2].startswith("_a = check("), item.id
            assert len(lines) <= 10, visible
            assert all(len(line) <= 100 for line in lines[1:]), visible
            code = "\n".join(lines[1:])
            for cryptic in (r"\bclass ", r"globals\(\)", r"\bIn\b", "_render_traceback_", "lambda"):
                assert not re.search(cryptic, code), (item.id, cryptic)


def _markdown(nb: dict[str, Any]) -> str:
    return "\n".join(c["source"] for c in nb["cells"] if c["cell_type"] == "markdown")


def test_quotes_shown_to_students_are_verbatim(notebooks: dict[str, dict[str, Any]]) -> None:
    """Every “curly-quoted” passage in the notebooks is found word for word in a source."""
    text = {sid: s.reading for sid, s in sources.load().items()}
    found = 0
    for nb in notebooks.values():
        for quote in re.findall(r"“([^”]+)”", _markdown(nb)):
            found += 1
            assert any(quote in reading for reading in text.values()), quote
    assert found > 10


def test_cited_sentence_ids_exist(
    quizzes: dict[str, grading.Quiz], notebooks: dict[str, dict[str, Any]]
) -> None:
    """Every sentence id an item cites, or a notebook mentions, is a real sentence."""
    for quiz in quizzes.values():
        for item in quiz.items:
            for sid in item.cites:
                sources.sentence(sid)
    for nb in notebooks.values():
        for sid in set(re.findall(r"\b[ABC]-\d+\b", _markdown(nb))):
            sources.sentence(sid)


def test_written_items_carry_a_rubric_and_a_mark_scheme(
    notebooks: dict[str, dict[str, Any]], quizzes: dict[str, grading.Quiz]
) -> None:
    """A written item is a task cell: three levels for students, samples in the mark scheme."""
    for name, nb in notebooks.items():
        for item in (i for i in quizzes[name].items if i.written):
            cell = next(c for c in nb["cells"] if grade_id(c) == item.id)
            meta = cell["metadata"]["nbgrader"]
            assert (meta["task"], meta["points"], meta["grade"]) == (True, 3, False)
            visible, scheme = cell["source"].split(BEGIN_MARK_SCHEME)
            for level in item.rubric:
                assert f"**{level.name} ({level.points} point" in visible
                assert level.sample.splitlines()[0] in scheme
                assert level.annotation in scheme
                assert level.sample.splitlines()[0] not in visible
            assert [lv.name for lv in item.rubric] == ["Proficient", "Emergent", "Basic"]


def test_notebook_is_deterministic(quizzes: dict[str, grading.Quiz]) -> None:
    """Building twice gives the same text, with stable cell ids."""
    quiz = quizzes["timeline"]
    assert grading.notebook_text(quiz) == grading.notebook_text(quiz)
    ids = [c["id"] for c in grading.notebook(quiz)["cells"]]
    assert len(ids) == len(set(ids))


def test_source_notebook_reader(source_notebook: Callable[[str], dict[str, Any]]) -> None:
    """The committed notebooks name their quiz in their metadata."""
    for name in grading.quiz_names():
        assert source_notebook(name)["metadata"]["homs"] == {"quiz": name}
