"""The class as a teacher sees it: a roster, hand-ins that are missing, late or misplaced, and
written answers still to mark, in the autograde summary, the report, the export and feedback."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from helpers import answered, copy_course, hand_in, key_answers, release_with_nbgrader, write_answer
from homs import cli, grading
from homs.grading.course.roster import read_roster, roster

QUIZ = "discrepancies"

ROSTER = (
    "Student ID,First Name,Last Name,Email,Section\n"
    "ada,Ada,Lovelace,ada@example.org,1\n"
    "ben,Ben,Okafor,ben@example.org,1\n"
    "hana,Hana,Haddad,hana@example.org,2\n"
    "ivy,Ivy,Chen,,2\n"
    "zoe,Zoe,Martin,zoe@example.org,2\n"
)


# -- the roster file ------------------------------------------------------------------------


def test_a_roster_reads_common_header_names(tmp_path: Path) -> None:
    """An LMS export's headers (Student ID, First Name, ...) and one name column both work."""
    path = tmp_path / "class.csv"
    path.write_text(ROSTER, "utf-8-sig")
    first = read_roster(path)
    assert [e.id for e in first] == ["ada", "ben", "hana", "ivy", "zoe"]
    assert (first[2].first_name, first[2].last_name, first[2].email) == (
        "Hana",
        "Haddad",
        "hana@example.org",
    )
    path.write_text("username;name\nhana;Haddad, Hana\nben;Ben Okafor\n", "utf-8")
    names = {e.id: (e.first_name, e.last_name) for e in read_roster(path)}
    assert names == {"hana": ("Hana", "Haddad"), "ben": ("Ben", "Okafor")}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("id,name\nada,Ada\n,Ben\n", r"class.csv, row 3: no student id"),
        ("id,name\nada,Ada\nada,Ada L\n", r"class.csv, row 3: the student id 'ada' again"),
        ("id,name\nhana haddad,Hana\n", r"class.csv, row 2: 'hana haddad' cannot be a student id"),
        ("name,email\nAda,a@x\n", r"class.csv, row 1: no student id column"),
    ],
)
def test_a_bad_roster_row_is_named(tmp_path: Path, text: str, message: str) -> None:
    """A bad row stops the import with the file, the row and what to do."""
    path = tmp_path / "class.csv"
    path.write_text(text, "utf-8")
    with pytest.raises(grading.GradingError, match=message):
        read_roster(path)


# -- a class with a roster, a due date, late, missing and misplaced hand-ins ---------------


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """discrepancies released with a due date; ada on time (written answer unmarked), ben five
    days late, hana's notebook saved as "discrepancies (1).ipynb", ivy's straight in her folder,
    zoe nothing; the roster imported; one homs autograde run."""
    course = copy_course(tmp_path_factory.mktemp("classlist") / "course", QUIZ)
    release = release_with_nbgrader(course, QUIZ)[QUIZ]
    quiz = grading.load_quiz(QUIZ)
    written = next(i for i in quiz.items if i.written)
    ada = answered(release, key_answers(quiz))
    write_answer(ada, written.id, written.rubric[0].sample)
    hand_in(course, QUIZ, "ada", ada)
    (course / "submitted" / "ada" / QUIZ / "timestamp.txt").write_text("2025-03-07 09:00:00 UTC")
    hand_in(course, QUIZ, "ben", release)
    (course / "submitted" / "ben" / QUIZ / "timestamp.txt").write_text("2025-03-12 19:30:00 UTC")
    wrong = hand_in(course, QUIZ, "hana", ada)
    wrong.rename(wrong.with_name(f"{QUIZ} (1).ipynb"))
    ivy = hand_in(course, QUIZ, "ivy", ada)
    ivy.rename(course / "submitted" / "ivy" / f"{QUIZ}.ipynb")
    ivy.parent.rmdir()
    (course / "roster.csv").write_text(ROSTER, "utf-8")
    assert cli.main(["roster", str(course / "roster.csv"), "--course", str(course)]) == 0
    grading.release(QUIZ, course=course, due="2025-03-07 17:00 UTC")
    return course


@pytest.fixture(scope="module")
def summary(course: Path) -> grading.AutogradeSummary:
    return grading.autograde(QUIZ, course=course)


@pytest.mark.slow
def test_the_roster_puts_names_in_the_gradebook(course: Path) -> None:
    """Imported students carry their names, so the formgrader shows no "None, None"."""
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        hana = gb.find_student("hana")
        assert (hana.first_name, hana.last_name, hana.email) == (
            "Hana",
            "Haddad",
            "hana@example.org",
        )
        assert {s.id for s in gb.students} == {"ada", "ben", "hana", "ivy", "zoe"}
    again = roster(course / "roster.csv", course=course)
    assert again.added == ()
    assert again.updated == ()


@pytest.mark.slow
def test_the_summary_shows_missing_late_misplaced_and_unmarked(
    summary: grading.AutogradeSummary,
) -> None:
    """The table: the full maximum with the points to mark by hand, how late, who is missing,
    and each misplaced notebook with where it belongs; none of it says "verdict" or "diff"."""
    text = summary.table()
    max_points = grading.load_quiz(QUIZ)
    full = sum(i.points for i in max_points.items)
    written = sum(i.points for i in max_points.items if i.written)
    auto = full - written
    assert f"{auto:g}/{full:g} (+{written:g} to mark by hand)" in text
    assert "5 days 2 h late" in text
    assert "on time" in text
    assert f"Not handed in ({QUIZ}): hana, ivy, zoe." in text
    assert f"submitted/hana/{QUIZ}/: no {QUIZ}.ipynb (found {QUIZ} (1).ipynb)" in text
    assert f"submitted/ivy/{QUIZ}.ipynb: not in a quiz folder; it belongs in " in text
    assert f"submitted/ivy/{QUIZ}/{QUIZ}.ipynb" in text
    assert "Written answers to mark" in text
    assert [r.student for r in summary.results] == ["ada", "ben"]
    for word in ("verdict", "kernel output", " diff ", " r "):
        assert word not in text


@pytest.mark.slow
def test_feedback_warns_of_unmarked_answers_and_says_not_yet_marked(
    course: Path, summary: grading.AutogradeSummary
) -> None:
    """homs feedback names who still has written answers to mark, and the page says "not yet
    marked" for them, not "0.0 / 3.0"."""
    written = next(i for i in grading.load_quiz(QUIZ).items if i.written)
    done = grading.feedback(QUIZ, course=course)
    text = done.format()
    assert "WARNING: 2 students still have written answers not marked" in text
    assert f"ben: {written.id}" in text
    assert "Mark them in the formgrader" in text
    page = (course / "feedback" / "ben" / QUIZ / f"{QUIZ}.html").read_text("utf-8")
    assert f"not yet marked (out of {written.points:.1f})" in page
    assert f"0.0 / {written.points:.1f}" not in page
    assert "Not final:" in page


@pytest.mark.slow
def test_the_summary_reads_a_mark_changed_in_the_formgrader(
    course: Path, summary: grading.AutogradeSummary
) -> None:
    """A mark the teacher gives after grading shows in the next summary (read from the
    gradebook), though the hand-in is not graded again."""
    from nbgrader.api import Gradebook

    quiz = grading.load_quiz(QUIZ)
    written = next(i for i in quiz.items if i.written)
    full = sum(i.points for i in quiz.items)
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        grade = gb.find_grade(written.id, QUIZ, QUIZ, "ada")
        grade.manual_score = 2
        grade.needs_manual_grade = False
        gb.db.commit()
    again = grading.autograde(QUIZ, course=course)
    ada = next(line for line in again.table().splitlines() if line.startswith("ada "))
    assert f"{full - written.points + 2:g}/{full:g}" in ada
    assert "to mark" not in ada
    assert "unchanged (skipped)" in ada


@pytest.mark.slow
def test_a_student_graded_without_a_roster_is_named_by_the_id(tmp_path: Path) -> None:
    """With no roster, autograde names a new student by their id: the formgrader shows
    "hana, " rather than "None, None"; a roster imported later gives the real names."""
    from nbgrader.api import Gradebook

    course = copy_course(tmp_path / "course", QUIZ)
    release = release_with_nbgrader(course, QUIZ)[QUIZ]
    hand_in(course, QUIZ, "hana", answered(release, key_answers(grading.load_quiz(QUIZ))))
    grading.autograde(QUIZ, course=course, workers=1)
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        hana = gb.find_student("hana")
        assert (hana.last_name, hana.first_name) == ("hana", "")
    export = grading.export(course=course)  # the export and the report show no made-up name
    with export.path.open(encoding="utf-8") as fh:
        row = next(r for r in csv.DictReader(fh) if r["student_id"] == "hana")
    assert (row["last_name"], row["first_name"]) == ("", "")
    (tmp_path / "class.csv").write_text(ROSTER, encoding="utf-8")
    roster(tmp_path / "class.csv", course=course)
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        hana = gb.find_student("hana")
        assert (hana.last_name, hana.first_name) == ("Haddad", "Hana")


def test_a_roster_that_is_a_folder_is_named(tmp_path: Path) -> None:
    """A folder given as the roster gets a plain message, not a traceback."""
    with pytest.raises(grading.GradingError, match="a folder, not a roster file"):
        read_roster(tmp_path)
