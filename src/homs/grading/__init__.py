"""Quizzes on the three texts as an nbgrader course: authoring, grading, the course, reports.

Four rooms, each a package whose docstring says what lives there; each may import only the
rooms before it (and :mod:`homs.sources`, :mod:`homs.knowledge`, :mod:`homs.errors` and the
small helpers below them):

1. :mod:`~homs.grading.authoring`: quiz specs, answer kinds and their checks, the keys worked
   out from the knowledge base, building the source notebooks, explaining a key.
2. :mod:`~homs.grading.engine`: grading submissions outside the student's process: reading
   answers as data, scoring, forensics, the sandboxed kernel, the worker pool, the ledger.
3. :mod:`~homs.grading.course`: the nbgrader course: its configuration (with the ``Homs``
   settings), gradebook, release, autograde into the gradebook, feedback, nbgrader
   preprocessors.
4. :mod:`~homs.grading.reports`: the class report and its charts, the CSV export, and the
   self-study report of ``homs practice``.

This module only re-exports the public API:

>>> from homs import grading
>>> quiz = grading.load_quiz("timeline")
>>> quiz.item("q4_siege_length").key
2
>>> grading.grade_answer(quiz.item("q4_siege_length"), 2)
(1.0, None)

The ``homs`` command (:mod:`homs.cli`) is a thin layer over these functions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from homs._lazy import lazy
from homs.errors import GradingError
from homs.grading.authoring.build import notebook, notebook_text, source_path
from homs.grading.authoring.checks import Check, Checks, literal
from homs.grading.authoring.kinds import KINDS, AnswerForm
from homs.grading.authoring.spec import LEVELS, Item, Level, Quiz, load_quiz, quiz_names, spec_dir
from homs.grading.course.config import DEFAULT_COURSE, Homs
from homs.grading.course.feedback import Feedback, feedback
from homs.grading.course.release import Release, build, release, stale
from homs.grading.engine.answers import Answer, read_answers, read_notebook
from homs.grading.engine.results import AutogradeSummary, ItemResult, SubmissionResult
from homs.grading.engine.sandbox import Limits, SandboxStatus, sandbox_status
from homs.grading.engine.scoring import Verdict, grade_answer, grade_notebook
from homs.grading.reports.export import Export, export
from homs.grading.reports.practice import PracticeReport, practice, quiz_for

if TYPE_CHECKING:
    from homs.grading.course.autograde import autograde
    from homs.grading.reports.report import ClassReport, ItemStats, WrongAnswer, report

#: Loaded on first use: autograding needs jupyter_client, the report matplotlib, and
#: ``import homs.grading`` (``homs practice``, the quiz specs) needs neither.
__getattr__ = lazy(
    globals(),
    {
        "autograde": "homs.grading.course.autograde",
        "ClassReport": "homs.grading.reports.report",
        "ItemStats": "homs.grading.reports.report",
        "WrongAnswer": "homs.grading.reports.report",
        "report": "homs.grading.reports.report",
    },
)


__all__ = [
    "DEFAULT_COURSE",
    "KINDS",
    "LEVELS",
    "Answer",
    "AnswerForm",
    "AutogradeSummary",
    "Check",
    "Checks",
    "ClassReport",
    "Export",
    "Feedback",
    "GradingError",
    "Homs",
    "Item",
    "ItemResult",
    "ItemStats",
    "Level",
    "Limits",
    "PracticeReport",
    "Quiz",
    "Release",
    "SandboxStatus",
    "SubmissionResult",
    "Verdict",
    "WrongAnswer",
    "autograde",
    "build",
    "export",
    "feedback",
    "grade_answer",
    "grade_notebook",
    "literal",
    "load_quiz",
    "notebook",
    "notebook_text",
    "practice",
    "quiz_for",
    "quiz_names",
    "read_answers",
    "read_notebook",
    "release",
    "report",
    "sandbox_status",
    "source_path",
    "spec_dir",
    "stale",
]
