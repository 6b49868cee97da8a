"""The pipeline around nbgrader: quiz specs and answer keys, quiz building, practice grading.

The quizzes live in an nbgrader course (``quizzes/`` in the repository): ``nbgrader_config.py``
and ``source/<quiz>/<quiz>.ipynb``. Those notebooks are *built* by this module from the quiz
specs in ``homs/grading/quizzes/*.yaml``, which name knowledge-base ids; every answer key is
computed from the knowledge base, so quiz and knowledge base cannot disagree.

>>> from homs import grading
>>> quiz = grading.load_quiz("timeline")
>>> quiz.item("q4_siege_length").key
2
>>> grading.grade_answer(quiz.item("q4_siege_length"), 2)
(1.0, None)

Rebuild the source notebooks after changing a spec or the knowledge base with
``python -m homs.grading build`` (``--check`` only reports what is out of date).
"""

from __future__ import annotations

from pathlib import Path

# First: puts the tools nbgrader shells out to (alembic) on PATH.
from homs.grading import _tools  # noqa: F401  (isort: skip)

from homs.grading._answers import Answer, GradingError, read_answers, read_notebook
from homs.grading._autograde import AutogradeSummary, ItemResult, SubmissionResult, autograde
from homs.grading._build import notebook, notebook_text, source_path
from homs.grading._checks import Check, Checks, literal
from homs.grading._export import Export, export
from homs.grading._feedback import Feedback, feedback
from homs.grading._kinds import KINDS, AnswerForm
from homs.grading._practice import (
    PracticeReport,
    Verdict,
    grade_answer,
    grade_notebook,
    practice,
    quiz_for,
)
from homs.grading._release import Release, release
from homs.grading._report import ClassReport, ItemStats, WrongAnswer, report
from homs.grading._sandbox import Limits, SandboxStatus, sandbox_status
from homs.grading._spec import LEVELS, Item, Level, Quiz, load_quiz, quiz_names, spec_dir

__all__ = [
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


def stale(
    course: str | Path, *, names: tuple[str, ...] | None = None, specs: str | Path | None = None
) -> list[Path]:
    """The source notebooks that differ from what :func:`build` would write (or are missing).

    Args:
        course: The nbgrader course root (the folder with ``nbgrader_config.py``).
        names: The quizzes to look at; all by default.
        specs: A folder of quiz specs (a teacher's own, kept private); the packaged ones by
            default.
    """
    folder = Path(specs) if specs is not None else None
    out = []
    for name in names or quiz_names(folder):
        path = source_path(Path(course), name)
        text = notebook_text(load_quiz(name, folder=folder))
        if not path.is_file() or path.read_text("utf-8") != text:
            out.append(path)
    return out


def build(
    course: str | Path, *, names: tuple[str, ...] | None = None, specs: str | Path | None = None
) -> list[Path]:
    """Writes the source notebook of each quiz into a course, from its spec and the KB.

    Args:
        course: The nbgrader course root.
        names: The quizzes to build; all by default.
        specs: A folder of quiz specs; the packaged ones by default.

    Returns:
        The notebooks written (only those whose text changed).
    """
    folder = Path(specs) if specs is not None else None
    written = []
    for path in stale(course, names=names, specs=folder):
        name = path.stem
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(notebook_text(load_quiz(name, folder=folder)), "utf-8")
        written.append(path)
    return written
