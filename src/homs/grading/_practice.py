"""Self-study marking: grade a finished quiz notebook against the key, without a teacher.

Answers are read as data (:mod:`homs.grading._answers`); nothing in the notebook is executed.
Each autograded item is scored by the same checks its test cell runs
(:class:`homs.grading._checks.Checks`), so the marks agree with ``nbgrader autograde``.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from homs.grading._answers import Answer, GradingError, read_answers, read_notebook
from homs.grading._checks import literal
from homs.grading._spec import Item, Quiz, load_quiz, quiz_names

__all__ = ["PracticeReport", "Verdict", "grade_answer", "grade_notebook", "practice",
           "quiz_for"]


@dataclass(frozen=True)
class Verdict:
    """How one item went.

    Attributes:
        item: The quiz item.
        answer: The answer as read from the notebook.
        points: The points earned; ``None`` for written items (marked by a person).
        problem: What is wrong with the answer's form or how it was written, if anything.
    """

    item: Item
    answer: Answer
    points: float | None
    problem: str | None

    @property
    def status(self) -> str:
        """``right``, ``partly right``, ``wrong``, ``not answered``, ``unreadable``, ``written``."""
        if self.item.written:
            return "written"
        if self.answer.status in ("missing", "unanswered"):
            return "not answered"
        if self.answer.status == "unreadable":
            return "unreadable"
        if self.points == self.item.points:
            return "right"
        if self.points:
            return "partly right"
        return "wrong"


def grade_answer(item: Item, value: Any) -> tuple[float, str | None]:
    """Scores one answer value exactly as the item's test cell would.

    Args:
        item: An autograded item.
        value: The answer, a Python literal already parsed as data.

    Returns:
        The points earned and, if the answer's form is wrong, the test cell's message.
    """
    checks = item.checks
    return checks.points(value, item.points), checks.form_problem(value)


def grade_notebook(nb: Mapping[str, Any], quiz: Quiz) -> tuple[Verdict, ...]:
    """Grades every item of a quiz from a notebook read as data."""
    answers = read_answers(nb, [i.variable for i in quiz.items if not i.written])
    verdicts = []
    for item in quiz.items:
        if item.written:
            verdicts.append(Verdict(item, Answer(item.variable, "missing"), None, None))
            continue
        answer = answers[item.variable]
        if answer.status != "ok":
            verdicts.append(Verdict(item, answer, 0.0, answer.message))
            continue
        points, problem = grade_answer(item, answer.value)
        verdicts.append(Verdict(item, answer, points, problem))
    return tuple(verdicts)


def quiz_for(nb: Mapping[str, Any], path: Path) -> str:
    """Which quiz a notebook is: its ``homs`` metadata, else its file name."""
    names = quiz_names()
    meta = nb.get("metadata", {})
    named = meta.get("homs", {}).get("quiz") if isinstance(meta, Mapping) else None
    if isinstance(named, str) and named in names:
        return named
    if path.stem in names:
        return path.stem
    raise GradingError(f"{path}: cannot tell which quiz this is (known quizzes: "
                       f"{', '.join(names)}). Name the file after its quiz, e.g. timeline.ipynb.")


@dataclass(frozen=True)
class PracticeReport:
    """The result of :func:`practice`: one verdict per item, and a text report."""

    path: Path
    quiz: Quiz
    verdicts: tuple[Verdict, ...]

    @property
    def points(self) -> float:
        """The points earned on the autograded items."""
        return sum(v.points or 0.0 for v in self.verdicts)

    @property
    def max_points(self) -> int:
        """The points the autograded items are worth."""
        return self.quiz.auto_points

    def format(self, width: int = 88) -> str:
        """The report as text: item by item, then the total."""
        from homs import sources

        def wrap(text: str, indent: str = "    ") -> list[str]:
            return textwrap.wrap(text, width, initial_indent=indent, subsequent_indent=indent,
                                 break_on_hyphens=False) or [indent]

        def sentences(ids: tuple[str, ...]) -> list[str]:
            out = wrap("Read: " + ", ".join(ids))
            for sid in ids:
                out += textwrap.wrap(sources.sentence(sid).text, width,
                                     initial_indent=f"      {sid:<6} ",
                                     subsequent_indent=" " * 13, break_on_hyphens=False)
            return out

        lines = [f"homs practice: {self.path} (quiz {self.quiz.id!r}: {self.quiz.title})", ""]
        for v in self.verdicts:
            item = v.item
            if item.written:
                lines.append(f"{item.label}. {item.title}: written answer, "
                             f"{item.points} points, marked by a person. Compare yours with the "
                             "rubric and the samples:")
                for level in item.rubric:
                    lines += wrap(f"{level.name} ({level.points} points): {level.descriptor}")
                    lines += wrap(f"Sample: {level.sample}", "      ")
                    lines += wrap(f"Why: {level.annotation}", "      ")
                if item.cites:
                    lines += sentences(item.cites)
                lines.append("")
                continue
            shown = f"{v.points:g} of {item.points} point{'s' if item.points != 1 else ''}"
            lines.append(f"{item.label}. {item.title}: {shown}, {v.status.upper()}")
            if v.answer.status == "ok":
                lines += wrap(f"Your answer: {_show(v.answer.value)}")
            if v.problem:
                lines += wrap(f"Problem: {v.problem}")
            if v.status != "right":
                lines += wrap(f"The answer: {literal(item.key)}")
            lines += wrap(f"Why: {item.explanation}")
            lines += sentences(item.cites)
            lines.append("")
        written = sum(1 for v in self.verdicts if v.item.written)
        total = f"Total: {self.points:g} of {self.max_points} points on the automatic items"
        if self.max_points:
            total += f" ({100 * self.points / self.max_points:.0f}%)"
        if written:
            total += (f"; {written} written answer{'s' if written > 1 else ''} to compare with "
                      "the samples above")
        lines.append(total + ".")
        return "\n".join(lines)


def _show(value: Any) -> str:
    try:
        return literal(value)
    except TypeError:
        return repr(value)


def practice(path: str | Path, quiz: str | None = None) -> PracticeReport:
    """Grades a finished quiz notebook against the key, reading the answers as data.

    Args:
        path: The notebook.
        quiz: The quiz id; by default taken from the notebook's metadata or file name.

    Raises:
        GradingError: The notebook is missing, unreadable, or not one of the quizzes.
    """
    path = Path(path)
    nb = read_notebook(path)
    name = quiz or quiz_for(nb, path)
    return PracticeReport(path, load_quiz(name), grade_notebook(nb, load_quiz(name)))
