"""Fixtures for the grading tests: the quizzes' notebooks and small graded classes."""

from __future__ import annotations

import shutil
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from helpers import (
    COURSE,
    TIMELINE_PARTLY_RIGHT,
    answered,
    copy_course,
    hand_in,
    key_answers,
    nbgrader,
    release_with_nbgrader,
    venv_path,
    write_answer,
)
from homs import grading

from .classroom import (
    DISCREPANCIES_PARTLY_RIGHT,
    HAND_ABSENT,
    HAND_SCORES,
    TIMELINE_WRONG_TYPES,
)


@pytest.fixture(scope="session")
def source_notebook() -> Callable[[str], dict[str, Any]]:
    """Reads a committed source notebook (the key) by quiz name."""

    import nbformat

    def read(name: str) -> dict[str, Any]:
        return dict(nbformat.read(grading.source_path(COURSE, name), as_version=4))

    return read


# -- a small class graded by the stock nbgrader commands (teacher's commands' tests) ----------

#: Who handed in what in the ``graded_course`` class. fay did not hand in the timeline quiz.
TIMELINE_CLASS = ("ada", "ben", "cy", "dee", "eve")
DISCREPANCIES_CLASS = ("ada", "fay")


@pytest.fixture(scope="session")
def graded_course(
    tmp_path_factory: pytest.TempPathFactory, quizzes: dict[str, grading.Quiz]
) -> Path:
    """A course with a small class autograded by ONE stock ``nbgrader autograde`` run.

    timeline: ada all right (12), ben partly right (6), cy blank (0), dee answers differing in
    type (4), eve partly right (9). discrepancies: ada all right with her written answer marked
    Proficient (3) by the teacher; fay partly right (5), written answer not marked yet. Nothing
    else is generated (no feedback, reports or exports).
    """
    from nbgrader.api import Gradebook

    course = copy_course(tmp_path_factory.mktemp("graded") / "course")
    release = release_with_nbgrader(course, "timeline", "discrepancies")
    timeline = release["timeline"]
    hand_in(course, "timeline", "ada", answered(timeline, key_answers(quizzes["timeline"])))
    hand_in(course, "timeline", "ben", answered(timeline, TIMELINE_PARTLY_RIGHT))
    hand_in(course, "timeline", "cy", timeline)
    hand_in(course, "timeline", "dee", answered(timeline, TIMELINE_WRONG_TYPES))
    hand_in(
        course,
        "timeline",
        "eve",
        answered(
            timeline,
            {
                **key_answers(quizzes["timeline"]),
                "q2_colvin_date": 'answer_q2_colvin_date = "2012-02-21"',
                "q6_days_to_amos": "answer_q6_days_to_amos = 14",
                "q8_killing_sources": 'answer_q8_killing_sources = ["B"]',
            },
        ),
    )
    discrepancies = release["discrepancies"]
    written = quizzes["discrepancies"].item("q7_population_numbers")
    ada = answered(discrepancies, key_answers(quizzes["discrepancies"]))
    write_answer(ada, written.id, written.rubric[0].sample)
    hand_in(course, "discrepancies", "ada", ada)
    fay = answered(discrepancies, DISCREPANCIES_PARTLY_RIGHT)
    write_answer(fay, written.id, written.rubric[1].sample)
    hand_in(course, "discrepancies", "fay", fay)
    done = nbgrader("autograde", "*", cwd=course)
    assert done.returncode == 0, done.stderr[-3000:]
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        grade = gb.find_grade(written.id, "discrepancies", "discrepancies", "ada")
        grade.manual_score = 3
        grade.needs_manual_grade = False
        gb.db.commit()
    return course


# -- a gradebook filled in by hand (no kernel, no nbgrader command): fast report/export tests --


def blank_answer(variable: str) -> str:
    """An answer cell as released: still the three dots."""
    return f"{variable} = (\n    ...  # YOUR ANSWER HERE\n)"


@pytest.fixture(scope="session")
def hand_graded_course(
    tmp_path_factory: pytest.TempPathFactory,
    timeline: grading.Quiz,
    source_notebook: Callable[[str], dict[str, Any]],
) -> Path:
    """A course whose gradebook is filled in with nbgrader's Gradebook API, no kernel run.

    The timeline quiz; HAND_SCORES give each student's scores, and their submitted notebooks
    hold answers that earn exactly those scores; e5 has no submission.
    """
    from nbgrader.api import Gradebook

    course = tmp_path_factory.mktemp("hand") / "course"
    course.mkdir()
    shutil.copy(COURSE / "nbgrader_config.py", course)
    key = source_notebook("timeline")
    items = [i for i in timeline.items if not i.written]
    blank = {i.id: blank_answer(i.variable) for i in items}
    answers = {
        "a1": {},
        "b2": {
            "q1_order": 'answer_q1_order = ["clock-tower-square", "colvin-ochlik-killed", '
            '"armored-vehicles-arrive", "amos-visit", "old-city-evacuation", '
            '"waer-retaken"]',
            "q2_colvin_date": 'answer_q2_colvin_date = "2012-02-21"',
        },
        "c10": blank,
        "d3": {
            "q2_colvin_date": 'answer_q2_colvin_date = "2012-02-21"',
            "q6_days_to_amos": "answer_q6_days_to_amos = 14",
            "q7_siege_sources": 'answer_q7_siege_sources = ["C", "A"]',
            "q8_killing_sources": 'answer_q8_killing_sources = ["B", "A"]',
        },
    }
    with pytest.MonkeyPatch.context() as mp:  # nbgrader runs `alembic` for a new gradebook
        mp.setenv("PATH", venv_path())
        with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
            gb.add_assignment("timeline")
            gb.add_notebook("timeline", "timeline")
            for item in items:
                gb.add_grade_cell(
                    item.id, "timeline", "timeline", max_score=item.points, cell_type="code"
                )
            for student in [*HAND_SCORES, HAND_ABSENT]:
                gb.add_student(student)
            for student, scores in HAND_SCORES.items():
                nb = answered(key, answers[student])
                verdicts = grading.grade_notebook(nb, timeline)
                assert tuple(v.points for v in verdicts) == scores, student  # fixture is sound
                hand_in(course, "timeline", student, nb)
                with warnings.catch_warnings():  # nbgrader's own SQLAlchemy autoflush notes
                    warnings.simplefilter("ignore")
                    gb.add_submission("timeline", student)
                for item, score in zip(items, scores, strict=True):
                    grade = gb.find_grade(item.id, "timeline", "timeline", student)
                    grade.auto_score = score
                    grade.needs_manual_grade = False
            gb.db.commit()
    return course
