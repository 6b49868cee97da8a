"""The checks behind every autograded item, and the test cell that runs them.

A test cell has two parts:

* visible, two readable lines: ``from homs_checks import check`` and
  ``_a = check("Q3", "answer_q3_siege_length", kind="int", example="10")``. :mod:`homs_checks`
  (a package of its own, pure standard library, no key, no import of homs: the grading sandbox
  hides homs) finds the answer, puts right differences that are only of form (capitals and
  spaces in an id, a tuple for a list, ``7.0`` for ``7``), raises ``homs_checks.Problem`` with
  one sentence when the form is wrong (an ``AssertionError`` that IPython and nbgrader's
  Validate show as its message alone, without Python's traceback) and prints
  :attr:`Checks.recorded` when it is right;
* hidden: the key and the correctness checks or the partial score, written as Python
  expressions over the normalised answer ``_a`` (``if not (<condition>): raise Problem(...)``).

Out of the student's process, :func:`homs.grading.grade_answer` calls the same
:mod:`homs_checks` functions on the answer parsed as data with :func:`ast.literal_eval` and
evaluates the same hidden expressions, so the in-notebook verdict and the out-of-process verdict
cannot drift apart. The hidden expressions use only builtins, never import anything, and test
types with ``type(x) is T``: a subclass of str, int or list, an object with its own ``__eq__``
or a numpy scalar never passes.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import homs_checks

__all__ = ["HIDDEN_IMPORT", "IMPORT", "PROBLEM", "Check", "Checks", "literal"]


def literal(value: Any) -> str:
    """A value as a Python literal with double-quoted strings (the form students are shown)."""
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(literal(v) for v in value) + "]"
    if isinstance(value, bool) or value is None:
        raise TypeError(f"not an answer literal: {value!r}")
    if isinstance(value, (str, int)):
        return json.dumps(value, ensure_ascii=False)
    raise TypeError(f"not an answer literal: {value!r}")


@dataclass(frozen=True)
class Check:
    """One hidden assertion: ``condition`` must hold, else ``message`` (an expression) says why
    not."""

    condition: str
    message: str

    def render(self) -> str:
        """The check as one line raising :data:`PROBLEM` with its message."""
        return f"if not ({self.condition}): raise {PROBLEM}({self.message})"


#: The exception a failed check raises in the test cell (``homs_checks.Problem``); the kernel
#: names an error output after it.
PROBLEM = homs_checks.Problem.__name__
#: The test cell's visible import.
IMPORT = "from homs_checks import check"
#: The hidden part's import (what a hidden check raises).
HIDDEN_IMPORT = f"from homs_checks import {PROBLEM}"


@dataclass(frozen=True)
class Checks:
    """Everything a test cell runs for one item.

    Attributes:
        variable: The answer variable, ``answer_<item id>``.
        docstring: The one-line docstring at the top of the test cell.
        kind: The answer's kind (:data:`homs_checks.KINDS`).
        arguments: The keyword arguments of :func:`homs_checks.check` after ``kind`` (options,
            length, date format, noun, example), as ``(name, value)``: no key among them.
        key: The answer key (hidden).
        correct: Hidden all-or-nothing checks; empty for partial-credit items.
        score_code: Hidden statements computing a partial score (partial-credit items only).
        score: The hidden expression whose value is the partial score (partial-credit items).
        label: The item's label, ``"Q3"``, for messages and the confirmation line.
    """

    variable: str
    docstring: str
    kind: str
    arguments: tuple[tuple[str, Any], ...] = ()
    key: Any = None
    correct: tuple[Check, ...] = ()
    score_code: tuple[str, ...] = ()
    score: str | None = None
    label: str = ""

    @property
    def recorded(self) -> str:
        """What the test cell prints when the answer's form is right."""
        return homs_checks.recorded(self.label)

    @property
    def partial(self) -> bool:
        """True when the item gives partial credit (its test cell outputs a score)."""
        return self.score is not None

    def _argument(self, name: str, default: Any = None) -> Any:
        return dict(self.arguments).get(name, default)

    def call(self, variant: str | None = None) -> str:
        """The visible call of :func:`homs_checks.check`, one argument group per line when it
        does not fit on one.

        Args:
            variant: For an item with a version for each student: its id, under which the
                "Your questions" cell puts the student's own options.
        """
        parts = [f"{literal(self.label)}, {literal(self.variable)}, kind={literal(self.kind)}"]
        for name, value in self.arguments:
            parts.append(f"{name}={repr(value) if name == 'example' else literal(value)}")
        parts = [_wrap(part) for part in parts]
        if variant is not None:
            parts.append(f"variant={literal(variant)}")
        one_line = f"_a = check({', '.join(parts)})"
        if len(one_line) <= 100:
            return one_line
        lines: list[str] = []
        for part in parts:
            joinable = lines and "\n" not in part + lines[-1]
            if joinable and len(lines[-1]) + len(part) + 7 <= 96:
                lines[-1] += f", {part}"
                continue
            lines.append(part)
        return "_a = check(\n" + "".join(f"    {line},\n" for line in lines) + ")"

    def visible_source(self, variant: str | None = None) -> str:
        """The test cell as students see it: its docstring, the import and the check (for an
        item with a version for each student, a line saying whose options it checks)."""
        lines = [f'"""{self.docstring}"""', IMPORT]
        if variant is not None and any(name == "options" for name, _v in self.arguments):
            lines.append(
                "# The options below are those of the question as printed; once the 'Your "
                "questions'\n# cell has found you, your own version's options are checked instead."
            )
        return "\n".join([*lines, self.call(variant)])

    def hidden_source(self) -> str:
        """The hidden part: the key, then the correctness checks or the partial score."""
        lines = [f"_key = {literal(self.key)}"]
        if self.correct:
            lines.append(HIDDEN_IMPORT)
        lines += [check.render() for check in self.correct]
        lines += list(self.score_code)
        if self.score is not None:
            lines.append(self.score)
        return "\n".join(lines)

    def cell_source(
        self, begin: str = "### BEGIN HIDDEN TESTS", end: str = "### END HIDDEN TESTS"
    ) -> str:
        """The whole test cell as the source notebook holds it."""
        return "\n".join([self.visible_source(), begin, self.hidden_source(), end])

    # -- evaluation outside the student's process ---------------------------------------------

    def normalised(self, value: Any) -> Any:
        """The answer as the checks see it, differences of form put right."""
        return homs_checks.normalise(
            self.kind,
            value,
            options=self._argument("options", ()),
            date_format=self._argument("date_format"),
        )

    def missing_message(self, cell: str) -> str:
        """What the test cell says when the answer cell ``cell`` ran but set no answer (Python
        could not read it, or it stopped with an error)."""
        return homs_checks.missing_message(
            self.label, self.variable, self.kind, [cell], noun=self._argument("noun", "value")
        )

    def form_problem(self, value: Any, *, normalise: bool = True) -> str | None:
        """The message of the form check ``value`` fails, or ``None`` if its form is fine.

        Args:
            value: The answer as data (``NotImplemented`` when there is none).
            normalise: Put right differences of form first, as the test cell does.
        """
        if normalise:
            value = self.normalised(value)
        return homs_checks.form_problem(self.label, self.kind, value, **dict(self.arguments))

    def _namespace(self, value: Any) -> dict[str, Any]:
        """The names the hidden checks see: the normalised answer and the key."""
        return {"_a": value, "_key": self.key}

    def points(self, value: Any, max_points: float) -> float:
        """The points ``value`` earns, exactly as the test cell would award them.

        Args:
            value: The answer, a Python literal already parsed as data.
            max_points: The item's points.
        """
        kind, detail = self.outcome(value, max_points)
        if kind == "pass":
            return float(max_points)
        if kind == "score":
            return float(detail)
        return 0.0

    def outcome(self, value: Any, max_points: float) -> tuple[str, Any]:
        """What the test cell shows when it runs on ``value``, worked out without running it.

        Returns:
            ``("problem", message)`` when a visible form check fails (the cell shows that
            message as an error), ``("wrong", message)`` when the form is right (the cell prints
            :attr:`recorded`) and a hidden check fails, ``("score", points)`` when the hidden
            part outputs a partial score, ``("pass", None)`` when the cell passes with only
            :attr:`recorded` printed (full marks).
        """
        value = self.normalised(value)
        problem = self.form_problem(value, normalise=False)
        if problem is not None:
            return "problem", problem
        namespace = self._namespace(value)
        problem = _first_failure(self.correct, namespace)
        if problem is not None:
            return "wrong", problem
        if self.score is None:
            return "pass", None
        exec("\n".join(self.score_code), namespace)  # our own code, run on literal data
        return "score", eval(self.score, namespace)


def _wrap(argument: str, width: int = 96) -> str:
    """A ``name=[...]`` argument broken after its commas so that no line is wider than
    ``width`` (the Validate dialog does not wrap code)."""
    if len(argument) + 4 <= width or "=[" not in argument:
        return argument
    indent = " " * (argument.index("[") + 5)
    lines = [""]
    for piece in argument.split(", "):
        if lines[-1] and len(lines[-1]) + len(piece) + 6 > width:
            lines[-1] += ","
            lines.append(indent + piece)
        else:
            lines[-1] += (", " if lines[-1] else "") + piece
    return "\n".join(lines)


def _first_failure(checks: Sequence[Check], namespace: dict[str, Any]) -> str | None:
    for check in checks:
        try:
            ok = eval(check.condition, namespace)  # our own expressions on literal data
        except Exception as err:  # a check that cannot even run counts as failed
            return f"the answer could not be checked ({type(err).__name__}: {err})"
        if not ok:
            return str(eval(check.message, namespace))
    return None
