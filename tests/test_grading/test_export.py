"""The CSV export: one row per student, one column per item and a total per quiz."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from homs import grading
from homs.grading.course.gradebook import Cell, QuizGrades, StudentGrades
from homs.grading.reports.export import ID_COLUMNS, MAX_ROW, grade_table

from .classroom import HAND_ABSENT, HAND_SCORES


def student(
    sid: str, scores: dict[str, float | None] | None, total: float | None = None, last: str = ""
) -> StudentGrades:
    """One student's grades; ``scores=None`` means nothing handed in."""
    if scores is None:
        return StudentGrades(sid, "", last, "", False, {}, None)
    return StudentGrades(sid, "", last, "", True, scores, total)


def test_columns_are_ids_then_items_in_quiz_order_then_the_total() -> None:
    """student_id, names, email; then quiz.item for each item, quiz.total, quiz.to_mark and
    quiz.handed_in, per quiz; the first row holds the maximum points."""
    one = QuizGrades(
        "timeline",
        (Cell("q1_order", "timeline", 5, True), Cell("q2_date", "timeline", 1, True)),
        (),
    )
    two = QuizGrades(
        "sourcing", (Cell("q1_x", "sourcing", 1, True), Cell("q7_essay", "sourcing", 3, False)), ()
    )
    header, rows = grade_table([one, two])
    assert header == (
        *ID_COLUMNS,
        "timeline.q1_order",
        "timeline.q2_date",
        "timeline.total",
        "timeline.to_mark",
        "timeline.handed_in",
        "sourcing.q1_x",
        "sourcing.q7_essay",
        "sourcing.total",
        "sourcing.to_mark",
        "sourcing.handed_in",
    )
    assert rows == ((MAX_ROW, "", "", "", "5", "1", "6", "", "", "1", "3", "4", "", ""),)


def test_a_student_who_did_not_submit_gets_empty_cells_not_zeros() -> None:
    """No submission: every score cell of that quiz is empty and it says "not handed in"; a
    blank submission scores 0; a total with an unmarked written answer shows its points to
    mark; lateness is said when the quiz has a due date."""
    cells = (Cell("q1", "t", 1, True), Cell("q2", "t", 3, False))
    grades = QuizGrades(
        "t",
        cells,
        (
            student("absent", None),
            student("blank", {"q1": 0.0, "q2": 0.0}, 0.0),
            student("pending", {"q1": 1.0, "q2": None}, 1.0),
        ),
    )
    _, rows = grade_table([grades])
    assert rows[1:] == (
        ("absent", "", "", "", "", "", "", "", "not handed in"),
        ("blank", "", "", "", "0", "0", "0", "", "handed in"),
        ("pending", "", "", "", "1", "", "1", "3", "handed in"),
    )
    from datetime import datetime

    late = StudentGrades("late", "", "", "", True, {"q1": 1, "q2": 2}, 3, seconds_late=5 * 86400)
    due = QuizGrades("t", cells, (late,), duedate=datetime(2025, 3, 7))
    assert grade_table([due])[1][1][-3:] == ("3", "", "5 days late")


def test_students_are_in_natural_order_and_scores_print_plainly() -> None:
    """s2 comes before s10; 4.0 is written 4 and 0.5 stays 0.5."""
    cells = (Cell("q1", "t", 5, True),)
    grades = QuizGrades(
        "t",
        cells,
        (
            student("s10", {"q1": 0.5}, 0.5, last="Ten"),
            student("s2", {"q1": 4.0}, 4.0, last="Two"),
        ),
    )
    _, rows = grade_table([grades])
    rows = rows[1:]
    assert [r[0] for r in rows] == ["s2", "s10"]
    assert rows[0][1] == "Two"
    assert rows[0][-4:-2] == ("4", "4")
    assert rows[1][-4:-2] == ("0.5", "0.5")


def test_a_student_missing_from_one_quiz_gets_empty_cells_there() -> None:
    """Students of every quiz get a row; empty cells where a quiz does not list them."""
    a = QuizGrades("a", (Cell("q1", "a", 1, True),), (student("x", {"q1": 1.0}, 1.0),))
    b = QuizGrades("b", (Cell("q1", "b", 1, True),), (student("y", {"q1": 0.0}, 0.0),))
    _, rows = grade_table([a, b])
    assert rows[1:] == (
        ("x", "", "", "", "1", "1", "", "handed in", "", "", "", ""),
        ("y", "", "", "", "", "", "", "", "0", "0", "", "handed in"),
    )


def read_csv(path: Path) -> list[list[str]]:
    """The rows of a CSV file, header first."""
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.reader(fh))


def test_export_writes_the_gradebook_as_csv(
    hand_graded_course: Path, tmp_path: Path, timeline: grading.Quiz
) -> None:
    """The hand-filled gradebook: a row per student, the absent one empty, totals summed."""
    done = grading.export(course=hand_graded_course, out=tmp_path / "grades.csv")
    table = read_csv(done.path)
    items = [i.id for i in timeline.items]
    assert table[0] == [
        *ID_COLUMNS,
        *(f"timeline.{i}" for i in items),
        "timeline.total",
        "timeline.to_mark",
        "timeline.handed_in",
    ]
    assert table[1] == [
        MAX_ROW,
        "",
        "",
        "",
        *(f"{i.points:g}" for i in timeline.items),
        "12",
        "",
        "",
    ]
    body = {row[0]: row[len(ID_COLUMNS) :] for row in table[2:]}
    assert list(body) == sorted([*HAND_SCORES, HAND_ABSENT])
    for sid, scores in HAND_SCORES.items():
        assert body[sid] == [str(s) for s in scores] + [str(sum(scores)), "", "handed in"]
    assert body[HAND_ABSENT] == [""] * (len(items) + 2) + ["not handed in"]
    assert done.quizzes == ("timeline",)
    assert "5 students, 1 quiz (timeline), 11 columns, the maximum points first" in done.format()


def test_export_defaults_to_exports_in_the_course(hand_graded_course: Path) -> None:
    """exports/grades.csv for every quiz, exports/<quiz>.csv for one."""
    assert (
        grading.export(course=hand_graded_course).path
        == hand_graded_course / "exports" / "grades.csv"
    )
    one = grading.export(quizzes=["timeline"], course=hand_graded_course)
    assert one.path == hand_graded_course / "exports" / "timeline.csv"
    assert one.path.is_file()


def test_export_of_an_unknown_quiz_says_which_there_are(
    hand_graded_course: Path, tmp_path: Path
) -> None:
    """A quiz the gradebook does not know: a clear error, no file."""
    with pytest.raises(grading.GradingError, match="it has: timeline"):
        grading.export(quizzes=["nosuch"], course=hand_graded_course, out=tmp_path / "x.csv")
    assert not (tmp_path / "x.csv").exists()


@pytest.mark.slow
def test_export_of_a_stock_autograded_class(graded_course: Path, tmp_path: Path) -> None:
    """Both quizzes side by side: absent students empty, an unmarked written answer empty."""
    done = grading.export(course=graded_course, out=tmp_path / "grades.csv")
    table = read_csv(done.path)
    header = table[0]
    rows = {row[0]: dict(zip(header, row, strict=True)) for row in table[1:]}
    assert rows[MAX_ROW]["discrepancies.q7_population_numbers"] == "3"
    assert rows["fay"]["discrepancies.to_mark"] == "3"  # her total is not final
    assert rows["ada"]["discrepancies.to_mark"] == ""
    assert rows["cy"]["discrepancies.handed_in"] == "not handed in"
    assert list(rows) == [MAX_ROW, "ada", "ben", "cy", "dee", "eve", "fay"]
    assert header.index("timeline.total") < header.index("discrepancies.q1_claims")
    assert rows["ada"]["timeline.total"] == "12"
    assert rows["ada"]["discrepancies.q7_population_numbers"] == "3"  # marked by the teacher
    assert rows["ada"]["discrepancies.total"] == "12"
    assert rows["cy"]["timeline.total"] == "0"  # handed in blank
    assert rows["cy"]["discrepancies.total"] == ""  # did not hand it in
    assert rows["fay"]["timeline.q1_order"] == ""
    assert rows["fay"]["discrepancies.q1_claims"] == "2"
    assert rows["fay"]["discrepancies.q7_population_numbers"] == ""  # not marked yet
    assert rows["fay"]["discrepancies.total"] == "5"
    # As homs's key scores each hand-in (the formgrader's and stock autograde's GradeAnswers).
    timeline = grading.load_quiz("timeline")
    expected = []
    for s in ("ben", "dee", "eve"):
        nb = json.loads(
            (graded_course / "submitted" / s / "timeline" / "timeline.ipynb").read_text()
        )
        expected.append(f"{sum(v.points or 0 for v in grading.grade_notebook(nb, timeline)):g}")
    assert [rows[s]["timeline.total"] for s in ("ben", "dee", "eve")] == expected
