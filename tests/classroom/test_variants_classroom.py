"""Parallel forms in the real classroom: the timeline quiz given in a version for each student,
through JupyterHub and nbgrader's exchange, each student as their own Unix user.

The instructor turns variants on (``c.Homs.variants = ["timeline"]``), puts the class in the
gradebook, runs ``homs build`` and ``homs release timeline --force`` and releases through the
formgrader; each student fetches, answers THEIR OWN version's key (worked out here from the
course secret, as the grader does) and submits, except one, who submits a classmate's answers;
the instructor collects and runs ``homs autograde``, ``homs feedback`` and ``homs report``.

Runs after ``test_classroom.py`` in the same classroom (the package's ``classroom`` fixture):
the timeline quiz released there without variants is taken back (the formgrader's unrelease)
and each student's earlier copy is moved aside (as the student), so nbgrader's fetch works.
The classroom is left with variants on for the timeline quiz (it is made fresh for each run).
"""

from __future__ import annotations

import hashlib
import hmac
import pwd
import re
import tempfile
from html import escape
from pathlib import Path
from typing import Any

import pytest

from helpers import answered, key_answers
from homs import knowledge
from homs.grading.authoring import banks
from homs.grading.authoring.spec import load_quiz
from homs.grading.course import variants

from ._hub import Classroom
from .test_classroom import _feedback_score, grades

pytestmark = [pytest.mark.slow, pytest.mark.classroom]

QUIZ = "timeline"


def own_versions(room: Classroom) -> dict[str, Any]:
    """Each student's version of the quiz, from the course secret (as the grader works it
    out: the forms seeded from the secret, each student's form by HMAC of the secret)."""
    key = (room.course_root / variants.SECRET).read_text("utf-8").strip().encode()
    seed = hmac.new(key, f"forms:{QUIZ}".encode(), hashlib.sha256).digest()
    quiz = load_quiz(QUIZ)
    forms = {item: banks.forms(quiz, item, seed) for item in quiz.pools}
    return {
        s: banks.apply(
            quiz,
            {i: found[variants.form_of(key, QUIZ, i, s, len(found))] for i, found in forms.items()},
        )
        for s in room.students
    }


@pytest.fixture(scope="module")
def variant_class(classroom: Classroom) -> dict[str, Any]:
    """Released with variants through the exchange, fetched, answered, submitted, collected,
    autograded; feedback and the report written."""
    room = classroom
    config = room.course_root / "nbgrader_config.py"
    with config.open("a", encoding="utf-8") as out:
        out.write(f'\nc.Homs.variants = ["{QUIZ}"]\n')
    # The class list as a teacher gives it: a roster file (``nbgrader db student add`` would ask
    # the hub's groups for JUPYTERHUB_USER, which a grader's terminal does not have).
    roster = Path(tempfile.mkdtemp(prefix="homs-roster-")) / "class.csv"
    roster.write_text("id\n" + "".join(f"{s}\n" for s in room.students), "utf-8")
    roster.parent.chmod(0o755)
    roster.chmod(0o644)
    room.homs("roster", str(roster))
    room.homs("build")
    released = room.homs("release", QUIZ, "--force")
    assert f"{len(room.students)} students" in released.stdout + released.stderr, released
    statuses = {a["name"]: a["status"] for a in room.formgrader("GET", "assignments")}
    if statuses.get(QUIZ) == "released":  # released without variants by test_classroom.py
        done = room.formgrader("POST", f"assignment/{QUIZ}/unrelease")
        assert done["success"], done
    done = room.formgrader("POST", f"assignment/{QUIZ}/release")
    assert done["success"], done

    own = own_versions(room)
    ada = room.students[0]
    # The copier hands in ada's answers: a classmate whose version differs from ada's.
    copier = next(
        s
        for s in room.students[1:]
        if any(own[s].item(i).key != own[ada].item(i).key for i in own[s].pools)
    )
    for student in room.students:
        room.start_server(student)
        home = Path(pwd.getpwnam(student).pw_dir)
        earlier = home / room.course / QUIZ
        if earlier.exists():
            room.run_as(student, ["mv", str(earlier), str(earlier) + "-before-variants"])
        after = room.assignments(student, "fetch", QUIZ)
        assert any(a["assignment_id"] == QUIZ and a["status"] == "fetched" for a in after), after
        path = f"{room.course}/{QUIZ}/{QUIZ}.ipynb"
        nb = room.contents(student, path)["content"]
        assert any(c.get("id") == "your_questions" for c in nb["cells"]), "no Your questions cell"
        source = ada if student == copier else student
        room.save_notebook(student, path, answered(nb, key_answers(own[source])))
        after = room.assignments(student, "submit", QUIZ)
        assert any(a["assignment_id"] == QUIZ and a["status"] == "submitted" for a in after)
    done = room.formgrader("POST", f"assignment/{QUIZ}/collect")
    assert done["success"], done

    graded = room.homs("autograde", QUIZ, "--force")
    room.homs("feedback", QUIZ)
    report = room.homs("report", QUIZ)
    return {
        "own": own,
        "ada": ada,
        "copier": copier,
        "autograde": graded.stdout + graded.stderr,
        "report": report.stdout,
    }


def test_each_student_gets_full_marks_on_their_own_version(
    classroom: Classroom, variant_class: dict[str, Any]
) -> None:
    """Every student who answered their own version's key gets every automatic point, each
    banked item included, in the gradebook (PostgreSQL) and in their feedback."""
    room = classroom
    quiz = load_quiz(QUIZ)
    for student in room.students:
        if student == variant_class["copier"]:
            continue
        found = grades(room, QUIZ, student)
        for item in quiz.pools:
            grade = found[item]
            assert grade["auto_score"] == pytest.approx(grade["max_score"]), (student, grade)
        total = sum(g["auto_score"] or 0.0 for g in found.values())
        assert total == pytest.approx(quiz.auto_points), (student, variant_class["autograde"])
        html = (room.course_root / "feedback" / student / QUIZ / f"{QUIZ}.html").read_text()
        # The feedback shows the gradebook's score: a manual grade the instructor saved over an
        # automatic one (test_classroom.py does, for one student) is kept and counts.
        shown = sum(
            (g["manual_score"] if g["manual_score"] is not None else g["auto_score"]) or 0.0
            for g in found.values()
        )
        assert _feedback_score(html) == pytest.approx(shown), (student, found)


def test_a_student_who_hands_in_a_classmates_answers_is_flagged(
    classroom: Classroom, variant_class: dict[str, Any]
) -> None:
    """The copier is flagged in autograde's summary and loses the banked points on which their
    version differs from the classmate's."""
    room = classroom
    copier, ada = variant_class["copier"], variant_class["ada"]
    out = variant_class["autograde"]
    assert re.search(rf"{re.escape(copier)}'s answers to .* fit {re.escape(ada)}'s version", out), (
        out
    )
    assert "FLAGGED" in out, out
    own = variant_class["own"]
    differ = [i for i in own[copier].pools if own[copier].item(i).key != own[ada].item(i).key]
    found = grades(room, QUIZ, copier)
    lost = sum(found[i]["max_score"] - (found[i]["auto_score"] or 0.0) for i in differ)
    assert lost > 0, (differ, found)
    # The feedback explains the items the copier lost points on (a full mark gets none), each
    # in the copier's own version: Q1's its events in date order.
    if (found["q1_order"]["auto_score"] or 0.0) < found["q1_order"]["max_score"]:
        html = (room.course_root / "feedback" / copier / QUIZ / f"{QUIZ}.html").read_text()
        first = knowledge.load().event(own[copier].item("q1_order").key[0])
        assert f"In date order: 1. {escape(first.title)}" in html, (copier, first.title)


def test_the_report_gives_each_form(classroom: Classroom, variant_class: dict[str, Any]) -> None:
    """homs report on the PostgreSQL gradebook lists each form of each banked item."""
    text = variant_class["report"]
    assert "Per form (parallel forms" in text, text
    for item in load_quiz(QUIZ).pools:
        assert item in text, (item, text)
