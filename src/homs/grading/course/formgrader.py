"""What the formgrader's Autograde button and the stock ``nbgrader autograde`` run: homs's scoring.

The formgrader's button calls :meth:`nbgrader.apps.api.NbGraderAPI.autograde`, which runs
nbgrader's ``Autograde`` converter with the course's ``nbgrader_config.py``. Stock nbgrader
would then *run the student's notebook* (its ``Execute`` step) outside any sandbox and score
each test cell by whether it raised. ``quizzes/nbgrader_config.py`` (and every course
``homs course`` makes) puts :class:`GradeAnswers` in ``Autograde.autograde_preprocessors`` in
place of ``Execute``: the answers are read as data and scored by the quiz's key
(:func:`homs.grading.engine.scoring.grade_notebook`), and each test cell gets the output it would
show (:func:`homs.grading.engine.simulate.simulate`), so nbgrader's ``SaveAutoGrades`` records
exactly the score ``homs autograde`` gives. No code of the student's runs. A quiz in parallel
forms (``c.Homs.variants``) is scored against the student's own version, recomputed from the
course secret as ``homs autograde`` does.

A notebook homs cannot score this way (a quiz with no spec, or a test cell of the teacher's own
that only a kernel can decide) is refused with a message naming the command to run,
``homs autograde QUIZ --student ID``, which grades it in the sandbox; nothing is recorded.
nbgrader's dialog shows the refusal only inside its log, unwrapped, so the message is written in
short lines with the command on a line of its own.

This module imports nbgrader; ``import homs.grading`` does not load it.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import List

from homs.errors import DataError, GradingError
from homs.grading.authoring.banks import apply
from homs.grading.authoring.spec import load_quiz
from homs.grading.course.config import Homs
from homs.grading.course.variants import enabled, variants_for
from homs.grading.engine.scoring import grade_notebook
from homs.grading.engine.simulate import simulate

__all__ = ["AUTOGRADE_PREPROCESSORS", "GradeAnswers"]

#: nbgrader's ``Autograde.autograde_preprocessors`` with ``Execute`` replaced by
#: :class:`GradeAnswers` (what ``quizzes/nbgrader_config.py`` sets).
AUTOGRADE_PREPROCESSORS = [
    "homs.grading.course.formgrader.GradeAnswers",
    "nbgrader.preprocessors.IgnorePattern",
    "nbconvert.preprocessors.ClearMetadataPreprocessor",
    "nbgrader.preprocessors.LimitOutput",
    "nbgrader.preprocessors.SaveAutoGrades",
    "nbgrader.preprocessors.AssignLatePenalties",
    "nbgrader.preprocessors.CheckCellMetadata",
]


#: The width of a line in the formgrader's error dialog, which shows the log unwrapped: the
#: refusal is written in lines that fit it.
_WIDTH = 68


def _refusal(quiz: str, student: str, why: str, then: str) -> str:
    """The refusal as the formgrader's dialog shows it: short lines, the command on its own."""
    paragraphs = [
        f"homs did not grade {student}'s {quiz!r}:",
        why,
        f"The formgrader's Autograde would run {student}'s code with no sandbox, so it does not.",
        then,
    ]
    lines = [
        line
        for text in paragraphs
        for line in textwrap.wrap(text, _WIDTH, break_long_words=False, break_on_hyphens=False)
    ]
    command = f"    homs autograde {quiz} --student {student}"
    return "\n".join([*lines, command, "(.venv/bin/homs in a checkout of homs)", ""])


class GradeAnswers(NbGraderPreprocessor):
    """Scores a hand-in from its answers read as data, as ``homs autograde`` does; runs nothing."""

    # As in nbgrader's own preprocessors: nbconvert configures this for every preprocessor.
    display_data_priority = List(
        ["text/html", "application/pdf", "text/latex", "image/svg+xml", "image/png", "text/plain"],
        help="Unused here; declared so nbconvert's exporter config applies cleanly.",
    ).tag(config=True)

    def preprocess(self, nb: Any, resources: Any) -> tuple[Any, Any]:
        """Writes each test cell's output as homs's key decides it.

        Raises:
            GradingError: The quiz has no spec here, or a test cell needs a kernel; the message
                says which command grades it instead.
        """
        info = resources.get("nbgrader", {})
        quiz_id = info.get("assignment", "?")
        student = info.get("student", "?")
        try:
            quiz = load_quiz(quiz_id, self._specs())
        except DataError as err:
            raise GradingError(
                _refusal(
                    quiz_id,
                    student,
                    f"homs has no quiz spec {quiz_id!r}, so no key to score it with ({err}).",
                    "Add the quiz's spec (c.Homs.specs in nbgrader_config.py names your "
                    "folder of specs), then grade it in a terminal, in the course folder:",
                )
            ) from None
        root = self._root()
        if enabled(root, quiz_id):
            # Parallel forms: the student's own version of each banked item, recomputed from
            # the course secret as homs autograde does (never read from the notebook).
            try:
                chosen, note = variants_for(root, quiz, student)
            except GradingError as err:
                raise GradingError(
                    _refusal(
                        quiz_id,
                        student,
                        f"the students' versions of {quiz_id!r} cannot be worked out ({err}).",
                        "Grade it in a terminal, in the course folder:",
                    )
                ) from None
            quiz = apply(quiz, chosen)
            if note:
                self.log.warning("homs: %s", note)
        decided = {item.id for item in quiz.items if not item.written}
        undecided = [
            cell.metadata["nbgrader"].get("grade_id")
            for cell in nb.cells
            if cell.get("cell_type") == "code"
            and cell.metadata.get("nbgrader", {}).get("grade")
            and not cell.metadata["nbgrader"].get("solution")
            and cell.metadata["nbgrader"].get("grade_id") not in decided
        ]
        if undecided:
            raise GradingError(
                _refusal(
                    quiz_id,
                    student,
                    f"its test cells {', '.join(undecided)} are not in the quiz's spec: "
                    "only running the notebook can decide them.",
                    "Grade it in a terminal, in the course folder (homs runs it in the sandbox):",
                )
            )
        verdicts = {v.item.id: v for v in grade_notebook(nb, quiz)}
        self.log.info("homs: %s's %s scored from the answers; no code run", student, quiz_id)
        return simulate(nb, quiz, verdicts), resources

    def _root(self) -> Path:
        """The course's root folder, as nbgrader's configuration names it."""
        from nbgrader.coursedir import CourseDirectory

        return Path(CourseDirectory(config=self.config).root)

    def _specs(self) -> Path | None:
        """The course's spec folder (``c.Homs.specs``), or ``None`` for the packaged quizzes."""
        return Homs(config=self.config).specs_folder(self._root())
