"""``homs feedback``: nbgrader's per-student HTML feedback, with the right answer explained.

:func:`feedback` runs nbgrader's ``GenerateFeedback`` converter with one more preprocessor,
:class:`homs.grading.course.preprocessors.ExplainAnswers`, right after nbgrader's
``GetGrades``. For every
item a student did not get fully right, it puts a Markdown cell after the item's graded cell:
the right answer, why (from the knowledge base, through the quiz item), and the sentences it comes
from, quoted with their ids. Everything else is stock nbgrader feedback.

:func:`homs.grading.authoring.explain.explanation` builds that cell; it needs neither nbgrader
nor a gradebook.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from homs.errors import GradingError
from homs.grading.authoring.spec import load_quiz
from homs.grading.course.config import DEFAULT_COURSE, config, course_root, run_converter, specs_for

__all__ = ["Feedback", "feedback"]


@dataclass(frozen=True)
class Feedback:
    """What :func:`feedback` wrote.

    Attributes:
        quiz: The quiz.
        files: One HTML file per student, ``feedback/<student>/<quiz>/<quiz>.html``.
        log: nbgrader's log.
    """

    quiz: str
    files: tuple[Path, ...]
    log: str

    def format(self) -> str:
        """A short text for the terminal."""
        if not self.files:
            return f"homs feedback: {self.quiz}: no feedback written."
        folder = self.files[0].parents[2]
        return (
            f"homs feedback: {self.quiz}: {len(self.files)} feedback file"
            f"{'s' if len(self.files) != 1 else ''} in {folder}/<student>/{self.quiz}/"
        )


def feedback(
    quiz: str,
    *,
    course: str | Path = DEFAULT_COURSE,
    students: Sequence[str] | None = None,
    specs: str | Path | None = None,
) -> Feedback:
    """Writes each student's HTML feedback on an autograded quiz, explaining what they missed.

    This is nbgrader's ``generate_feedback`` (the grades, comments and, for written items, the
    mark scheme), plus, after each item not fully right, the right answer, why, and the cited
    sentences. Feedback is always written again, so marks changed in the formgrader show up.

    Args:
        quiz: The quiz id.
        course: The nbgrader course root.
        students: Only these students; everyone autograded by default.
        specs: The folder of quiz specs (``c.Homs.specs``; the packaged specs by default).

    Raises:
        GradingError: No such course, nothing autograded for this quiz, or nbgrader failed.
        DataError: There is no spec for the quiz.
    """
    from nbgrader.converters import GenerateFeedback

    from homs.grading.course.preprocessors import ExplainAnswers

    root = course_root(course)
    folder = specs_for(root, specs)
    load_quiz(quiz, folder)  # fail early on an unknown quiz
    graded = sorted(p.parent.name for p in (root / "autograded").glob(f"*/{quiz}"))
    if not graded:
        raise GradingError(
            f"{root}: nothing autograded for quiz {quiz!r} yet. Run homs autograde {quiz} first."
        )
    wanted = list(students) if students is not None else graded
    missing = [s for s in wanted if s not in graded]
    if missing:
        raise GradingError(
            f"no autograded {quiz!r} for {', '.join(missing)} in "
            f"{root / 'autograded'}. Autograde them first, or leave them out."
        )
    cfg = config(root)
    steps = list(
        cfg.GenerateFeedback.get(
            "preprocessors", GenerateFeedback.class_traits()["preprocessors"].default()
        )
    )
    if not any(_name(s) == "ExplainAnswers" for s in steps):
        after = next((i + 1 for i, s in enumerate(steps) if _name(s) == "GetGrades"), 0)
        steps.insert(after, ExplainAnswers)
    cfg.GenerateFeedback.preprocessors = steps
    if folder is not None:
        cfg.ExplainAnswers.specs = str(folder)
    logs = []
    if students is None:
        logs.append(run_converter(GenerateFeedback, root, quiz, cfg=cfg, force=True))
    else:
        for student in wanted:
            logs.append(
                run_converter(GenerateFeedback, root, quiz, cfg=cfg, force=True, student=student)
            )
    files = tuple(sorted(p for s in wanted for p in (root / "feedback" / s / quiz).glob("*.html")))
    return Feedback(quiz, files, "".join(logs))


def _name(step: object) -> str:
    """The class name of a preprocessor given as a class or an import string."""
    return step.rsplit(".", 1)[-1] if isinstance(step, str) else getattr(step, "__name__", "")
