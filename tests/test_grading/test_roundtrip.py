"""End to end: a class takes the quizzes through the real nbgrader commands.

One module-scoped run (in a temporary copy of the course) does what a teacher does:
``nbgrader generate_assignment``, students hand in, one ``nbgrader autograde`` for the whole class,
the teacher marks a written answer, ``nbgrader generate_feedback``. The tests then check the
release, the gradebook and the feedback.
"""

from __future__ import annotations

import copy
import json
import subprocess
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from helpers import (
    TIMELINE_PARTLY_RIGHT,
    answered,
    copy_course,
    hand_in,
    index_of,
    key_answers,
    nbgrader,
    write_answer,
)
from homs import grading

from .classroom import DISCREPANCIES_PARTLY_RIGHT

pytestmark = pytest.mark.slow

# Expected scores, item by item, written out by hand (not computed by homs.grading).
TIMELINE_ITEMS = (
    "q1_order",
    "q2_colvin_date",
    "q3_amos_year",
    "q4_siege_length",
    "q5_years_to_judgement",
    "q6_days_to_amos",
    "q7_siege_sources",
    "q8_killing_sources",
)


def timeline_scores(*scores: float) -> dict[str, float]:
    """Per-item scores in TIMELINE_ITEMS order."""
    return dict(zip(TIMELINE_ITEMS, scores, strict=True))


EXPECTED = {
    ("timeline", "ada"): timeline_scores(5, 1, 1, 1, 1, 1, 1, 1),
    ("timeline", "blank"): timeline_scores(0, 0, 0, 0, 0, 0, 0, 0),
    # one pair of events swapped (4 of 5); the BBC interview's day; 6 years and 14 days (off by
    # one);
    # sources listed in another order (still right); one source missing.
    ("timeline", "partial"): timeline_scores(3, 0, 1, 1, 0, 0, 1, 0),
    # a tuple, a date in words, "2012" in quotes, 2.0, True, [15], "B, C": only q8 is a list of str.
    # a tuple, a date by month name, "2012" and 2.0 are only form; True, [15] and "B, C" are not
    ("timeline", "types"): timeline_scores(5, 1, 1, 1, 0, 0, 0, 1),
    # a str subclass, an int that equals everything, numpy.int64 and a list subclass score zero.
    ("timeline", "trickster"): timeline_scores(5, 0, 1, 0, 0, 1, 0, 1),
    # deleted: q2's answer cell (0), q3's test cell (restored: 1), q4's answer and test cells (0).
    ("timeline", "deleter"): timeline_scores(5, 0, 1, 0, 1, 1, 1, 1),
    # copied q5's answer cell and changed the copy below it (0); copied q7's test cell (1).
    ("timeline", "copier"): timeline_scores(5, 1, 1, 1, 0, 1, 1, 1),
    ("discrepancies", "ada"): {
        "q1_claims": 4,
        "q2_population_odd_one_out": 1,
        "q3_bombardment_type": 1,
        "q4_death_toll_type": 1,
        "q5_dependent_sources": 1,
        "q6_waer_reuse": 1,
        "q7_population_numbers": 3,
    },  # marked Proficient by the teacher
    ("discrepancies", "blank"): {
        "q1_claims": 0,
        "q2_population_odd_one_out": 0,
        "q3_bombardment_type": 0,
        "q4_death_toll_type": 0,
        "q5_dependent_sources": 0,
        "q6_waer_reuse": 0,
        "q7_population_numbers": 0,
    },
    # two of four claims; the odd one out; "different-framing" for a contradiction; the omission;
    # the pair of sources; the wrong sentence.
    ("discrepancies", "partial"): {
        "q1_claims": 2,
        "q2_population_odd_one_out": 1,
        "q3_bombardment_type": 0,
        "q4_death_toll_type": 1,
        "q5_dependent_sources": 1,
        "q6_waer_reuse": 0,
        "q7_population_numbers": 0,
    },  # written answer not marked yet
    ("sourcing", "ada"): {
        "q1_a_earliest_date": 1,
        "q2_a_latest_sentence": 1,
        "q3_b_latest_year": 1,
        "q4_quoted_in_a": 1,
        "q5_siege_toll_voice": 1,
        "q6_genres": 3,
        "q7_dating_b": 0,
        "q8_dating_clue": 1,
    },  # written answer not marked yet
    ("sourcing", "blank"): {
        "q1_a_earliest_date": 0,
        "q2_a_latest_sentence": 0,
        "q3_b_latest_year": 0,
        "q4_quoted_in_a": 0,
        "q5_siege_toll_voice": 0,
        "q6_genres": 0,
        "q7_dating_b": 0,
        "q8_dating_clue": 0,
    },
}


def class_submissions(
    releases: Mapping[str, dict[str, Any]], quizzes: Mapping[str, grading.Quiz]
) -> dict[tuple[str, str], dict[str, Any]]:
    """The simulated class: (quiz, student) -> the notebook handed in."""
    timeline = releases["timeline"]
    right = key_answers(quizzes["timeline"])
    subs: dict[tuple[str, str], dict[str, Any]] = {}
    subs["timeline", "ada"] = answered(timeline, right)
    subs["timeline", "blank"] = copy.deepcopy(timeline)
    subs["timeline", "partial"] = answered(timeline, TIMELINE_PARTLY_RIGHT)
    subs["timeline", "types"] = answered(
        timeline,
        {
            "q1_order": 'answer_q1_order = ("clock-tower-square", "armored-vehicles-arrive", '
            '"colvin-ochlik-killed", "amos-visit", "old-city-evacuation", '
            '"waer-retaken")',
            "q2_colvin_date": 'answer_q2_colvin_date = "22 February 2012"',
            "q3_amos_year": 'answer_q3_amos_year = "2012"',
            "q4_siege_length": "answer_q4_siege_length = 2.0",
            "q5_years_to_judgement": "answer_q5_years_to_judgement = True",
            "q6_days_to_amos": "answer_q6_days_to_amos = [15]",
            "q7_siege_sources": 'answer_q7_siege_sources = "B, C"',
            "q8_killing_sources": 'answer_q8_killing_sources = ["A", "B"]',
        },
    )
    subs["timeline", "trickster"] = answered(
        timeline,
        {
            **right,
            "q2_colvin_date": "class Date(str):\n    pass\n\n"
            'answer_q2_colvin_date = Date("2012-02-22")',
            "q4_siege_length": "class Always(int):\n"
            "    def __eq__(self, other):\n        return True\n"
            "    __hash__ = int.__hash__\n\nanswer_q4_siege_length = Always(0)",
            "q5_years_to_judgement": "import numpy\nanswer_q5_years_to_judgement = numpy.int64(7)",
            "q7_siege_sources": "class Letters(list):\n    pass\n\n"
            'answer_q7_siege_sources = Letters(["B", "C"])',
        },
    )
    deleter = answered(timeline, right)
    for name in (
        "q2_colvin_date_answer",
        "q3_amos_year",
        "q4_siege_length_answer",
        "q4_siege_length",
    ):
        del deleter["cells"][index_of(deleter, name)]
    subs["timeline", "deleter"] = deleter
    copier = answered(timeline, right)
    for name, changed in (
        ("q5_years_to_judgement_answer", "answer_q5_years_to_judgement = 5"),
        ("q7_siege_sources", None),
    ):
        at = index_of(copier, name)
        pasted = copy.deepcopy(copier["cells"][at])
        pasted["id"] = uuid.uuid4().hex[:8]
        if changed is not None:
            pasted["source"] = changed
        copier["cells"].insert(at + 1, pasted)
    subs["timeline", "copier"] = copier

    discrepancies = releases["discrepancies"]
    ada = answered(discrepancies, key_answers(quizzes["discrepancies"]))
    written = quizzes["discrepancies"].item("q7_population_numbers")
    write_answer(ada, written.id, written.rubric[0].sample)
    subs["discrepancies", "ada"] = ada
    subs["discrepancies", "blank"] = copy.deepcopy(discrepancies)
    partial = answered(discrepancies, DISCREPANCIES_PARTLY_RIGHT)
    write_answer(partial, written.id, written.rubric[1].sample)
    subs["discrepancies", "partial"] = partial
    subs["sourcing", "ada"] = answered(releases["sourcing"], key_answers(quizzes["sourcing"]))
    subs["sourcing", "blank"] = copy.deepcopy(releases["sourcing"])
    return subs


@dataclass
class Run:
    """What the teacher's run produced."""

    course: Path
    generate: subprocess.CompletedProcess[str]
    autograde: subprocess.CompletedProcess[str]
    feedback: subprocess.CompletedProcess[str]
    seconds: dict[str, float]

    @property
    def db_url(self) -> str:
        return f"sqlite:///{self.course / 'gradebook.db'}"


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory, quizzes: dict[str, grading.Quiz]) -> Run:
    """A course copied to a temporary folder, taken through the nbgrader workflow once."""
    course = copy_course(tmp_path_factory.mktemp("course"))
    seconds: dict[str, float] = {}
    start = time.perf_counter()
    generate = nbgrader("generate_assignment", "*", cwd=course)
    seconds["generate_assignment"] = time.perf_counter() - start
    assert generate.returncode == 0, generate.stderr
    releases = {
        name: json.loads((course / "release" / name / f"{name}.ipynb").read_text("utf-8"))
        for name in quizzes
    }
    for (quiz, student), nb in class_submissions(releases, quizzes).items():
        hand_in(course, quiz, student, nb)
    start = time.perf_counter()
    autograde = nbgrader("autograde", "*", cwd=course)
    seconds["autograde"] = time.perf_counter() - start
    # The teacher marks ada's written discrepancies answer as Proficient.
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        grade = gb.find_grade("q7_population_numbers", "discrepancies", "discrepancies", "ada")
        grade.manual_score = 3
        grade.needs_manual_grade = False
        gb.db.commit()
    start = time.perf_counter()
    feedback = nbgrader("generate_feedback", "*", cwd=course)
    seconds["generate_feedback"] = time.perf_counter() - start
    return Run(course, generate, autograde, feedback, seconds)


def test_release_holds_no_solutions_hidden_tests_or_mark_schemes(
    run: Run, quizzes: dict[str, grading.Quiz]
) -> None:
    """The released notebooks have stubs for answers and no keys, hidden tests or samples."""
    for name, quiz in quizzes.items():
        text = (run.course / "release" / name / f"{name}.ipynb").read_text("utf-8")
        for secret in (
            "BEGIN SOLUTION",
            "END SOLUTION",
            "HIDDEN TESTS",
            "_key",
            "MARK SCHEME",
            "Mark scheme",
            "Sample answer",
        ):
            assert secret not in text, (name, secret)
        nb = json.loads(text)
        answers = grading.read_answers(nb, [i.variable for i in quiz.items])
        for item in quiz.items:
            if item.written:
                for level in item.rubric:
                    assert level.sample.splitlines()[0] not in text
                    assert level.annotation[:60] not in text
            else:
                assert answers[item.variable].status == "unanswered", item.id


def test_autograde_grades_the_whole_class_in_one_run(run: Run) -> None:
    """One autograde call grades every submission without a failure."""
    assert run.autograde.returncode == 0, run.autograde.stderr[-3000:]
    log = run.autograde.stderr
    assert "error processing" not in log
    assert "Cell with id 'q5_years_to_judgement_answer' exists multiple times" in log
    assert "Missing grade cell q4_siege_length encountered" in log
    for quiz, student in EXPECTED:
        assert (run.course / "autograded" / student / quiz / f"{quiz}.ipynb").is_file()


def test_gradebook_holds_exactly_the_expected_scores(run: Run) -> None:
    """Every student's score on every item is exactly the one expected."""
    from nbgrader.api import Gradebook

    found = {}
    with Gradebook(run.db_url) as gb:
        for quiz, student in EXPECTED:
            notebook = gb.find_submission_notebook(quiz, quiz, student)
            found[quiz, student] = {g.name: g.score for g in notebook.grades}
    assert found == EXPECTED


def test_reading_answers_as_data_agrees_with_nbgrader(
    run: Run, quizzes: dict[str, grading.Quiz]
) -> None:
    """Grading each submission as data (homs practice) gives nbgrader's autograded scores."""
    for (quiz, student), expected in EXPECTED.items():
        nb = grading.read_notebook(run.course / "submitted" / student / quiz / f"{quiz}.ipynb")
        verdicts = grading.grade_notebook(nb, quizzes[quiz])
        assert {v.item.id: v.points for v in verdicts if not v.item.written} == {
            item: score for item, score in expected.items() if not quizzes[quiz].item(item).written
        }, (quiz, student)


def test_written_answers_wait_for_the_teacher(run: Run) -> None:
    """Written items are left for manual grading; the teacher's mark counts in the total."""
    from nbgrader.api import Gradebook

    with Gradebook(run.db_url) as gb:
        waiting = gb.find_grade(
            "q7_population_numbers", "discrepancies", "discrepancies", "partial"
        )
        assert waiting.auto_score is None
        assert waiting.needs_manual_grade
        assert gb.find_submission("discrepancies", "ada").score == 12
        assert gb.find_submission("timeline", "partial").score == 6


def test_feedback_is_one_html_file_per_student_and_quiz(run: Run) -> None:
    """generate_feedback writes one HTML file for each graded submission, and nothing else."""
    assert run.feedback.returncode == 0, run.feedback.stderr[-3000:]
    files = sorted(
        p.relative_to(run.course / "feedback") for p in (run.course / "feedback").rglob("*.html")
    )
    assert files == sorted(Path(student, quiz, f"{quiz}.html") for quiz, student in EXPECTED)


def test_feedback_shows_the_mark_scheme_and_the_reason(run: Run) -> None:
    """After grading, feedback shows the written item's mark scheme and each failed check."""
    html = (run.course / "feedback" / "partial" / "timeline" / "timeline.html").read_text("utf-8")
    assert "Q2: not correct. The expected answer is" in html
    scheme = run.course / "feedback" / "ada" / "discrepancies" / "discrepancies.html"
    assert "Sample answer at the Proficient level" in scheme.read_text("utf-8")
