"""homs release: the students' copy of a quiz, through nbgrader's generate_assignment."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers import copy_course
from homs import grading

pytestmark = pytest.mark.slow


@pytest.fixture
def course(tmp_path: Path) -> Path:
    """A fresh course: the repository's config and source notebooks."""
    return copy_course(tmp_path / "course")


def test_release_writes_the_students_copy_without_the_key(
    course: Path, timeline: grading.Quiz
) -> None:
    """release/timeline/timeline.ipynb: every answer still ..., no hidden tests or solutions."""
    done = grading.release("timeline", course=course)
    assert done.notebooks == (course / "release" / "timeline" / "timeline.ipynb",)
    assert not done.skipped
    assert done.warnings == ()
    text = done.notebooks[0].read_text("utf-8")
    for secret in ("BEGIN SOLUTION", "HIDDEN TESTS", "_key"):
        assert secret not in text
    variables = [i.variable for i in timeline.items if not i.written]
    answers = grading.read_answers(json.loads(text), variables)
    assert {a.status for a in answers.values()} == {"unanswered"}
    assert f"timeline: {done.notebooks[0]}" in done.format()


def test_release_records_the_quiz_in_the_gradebook(course: Path, timeline: grading.Quiz) -> None:
    """The gradebook knows the quiz and each graded cell, with its points."""
    from nbgrader.api import Gradebook

    grading.release("timeline", course=course)
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        notebook = gb.find_notebook("timeline", "timeline")
        points = {c.name: c.max_score for c in notebook.grade_cells}
    assert points == {i.id: i.points for i in timeline.items}


def test_release_again_skips_unless_forced(course: Path) -> None:
    """An up-to-date release is left alone and says so; force makes it again."""
    grading.release("timeline", course=course)
    again = grading.release("timeline", course=course)
    assert again.skipped
    assert "--force" in again.format()
    forced = grading.release("timeline", course=course, force=True)
    assert not forced.skipped


def test_release_warns_when_the_source_differs_from_its_spec(course: Path) -> None:
    """A hand-edited source notebook is released as it is, with a warning on how to rebuild."""
    path = course / "source" / "timeline" / "timeline.ipynb"
    nb = json.loads(path.read_text("utf-8"))
    nb["cells"][0]["source"] += "\n\nEdited by hand."
    path.write_text(json.dumps(nb, indent=1), "utf-8")
    done = grading.release("timeline", course=course)
    (warning,) = done.warnings
    assert "homs build" in warning
    assert "Edited by hand." in done.notebooks[0].read_text("utf-8")


def test_release_of_an_unknown_quiz_lists_the_quizzes(course: Path) -> None:
    """No source notebook: a clear error naming the course's quizzes."""
    with pytest.raises(
        grading.GradingError,
        match=r"no source notebook for quiz 'nosuch' \(quizzes in this course: "
        r"discrepancies, sourcing, timeline\)",
    ):
        grading.release("nosuch", course=course)
