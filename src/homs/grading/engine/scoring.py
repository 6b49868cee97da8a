"""Scoring answers read as data: the verdict on each item of a quiz.

This is where a score is decided. Answers are read as data (:mod:`.answers`); each autograded
item is scored by the same checks its test cell runs (:class:`..authoring.checks.Checks`), so
the marks of ``homs autograde``, ``homs practice`` and the student's own test cells agree.
Nothing in the notebook is executed. May import :mod:`homs.grading.authoring` and
:mod:`.answers`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from homs.grading.authoring.spec import Item, Quiz
from homs.grading.engine.answers import Answer, read_answers

__all__ = ["Verdict", "grade_answer", "grade_notebook"]


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


def _problem(nb: Mapping[str, Any], item: Item, answer: Answer) -> str:
    """What is wrong with an answer that could not be read: when Python could not read or run
    its cell (a date or an id without quotes), what the test cell says, with how to write it."""
    if answer.status == "unreadable" and answer.cell is not None and answer.broken:
        cell = nb["cells"][answer.cell]
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else str(source)
        message = item.checks.missing_message(source)
        if message:
            return message
    return answer.message


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
            verdicts.append(Verdict(item, answer, 0.0, _problem(nb, item, answer)))
            continue
        points, problem = grade_answer(item, answer.value)
        verdicts.append(Verdict(item, answer, points, problem))
    return tuple(verdicts)
