"""The checks behind every autograded item, written once as small pieces of Python.

Each check is a condition and a message, both Python expressions over the answer ``_a`` and a
few constants. The same text is used twice:

* in the quiz notebook, rendered as ``if not (<condition>): raise _Problem(<message>)`` lines in
  the test cell (visible form checks, then the hidden correctness checks or partial-credit
  score), and
* out of the student's process, by :func:`homs.grading.grade_answer`, which evaluates the same
  expressions on the answer parsed as data with :func:`ast.literal_eval`.

Before the checks, a few visible lines (the ``prelude``, written per kind in :mod:`.kinds`) put
right differences that are only of form (capitals and spaces in an id, a tuple for a list, ``7.0``
for ``7``): the checks, the hidden key comparison and the out-of-process scorer all see the
answer after them. ``_Problem`` is an ``AssertionError`` that IPython shows as its message alone,
one sentence, without Python's traceback (its ``_render_traceback_``); nbgrader still counts the
cell as failed. A cell whose form checks pass prints :meth:`Checks.recorded`.

So the in-notebook verdict and the out-of-process verdict cannot drift apart. The expressions use
only builtins, never import anything, and test types with ``type(x) is T``: a subclass of str, int
or list, an object with its own ``__eq__`` or a numpy scalar never passes.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["PROBLEM", "PROBLEM_CLASS", "Check", "Checks", "literal"]


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
    """One assertion: ``condition`` must hold, else ``message`` (an expression) says why not."""

    condition: str
    message: str

    def render(self) -> str:
        """The check as one line raising :data:`PROBLEM` with its message."""
        return f"if not ({self.condition}): raise {PROBLEM}({self.message})"


#: The exception a failed check raises in the test cell (defined by :data:`PROBLEM_CLASS`).
PROBLEM = "_Problem"
#: Its definition, at the top of every test cell: IPython shows only its message.
PROBLEM_CLASS = (
    f"class {PROBLEM}(AssertionError):  # shows its message only, not Python's traceback",
    "    def _render_traceback_(self):",
    "        return [str(self)]",
)


@dataclass(frozen=True)
class Checks:
    """Everything a test cell runs for one item.

    Attributes:
        variable: The answer variable, ``answer_<item id>``.
        docstring: The one-line docstring at the top of the test cell.
        constants: Visible constants the form checks use, as ``(name, value)``.
        form: Visible checks of the answer's form (type, allowed values, length).
        key: The answer key (hidden).
        correct: Hidden all-or-nothing checks; empty for partial-credit items.
        score_code: Hidden statements computing a partial score (partial-credit items only).
        score: The hidden expression whose value is the partial score (partial-credit items).
        prelude: Visible statements run before the form checks: they set ``_missing`` (what to
            say when there is no answer) and put right differences that are only of form.
        label: The item's label, ``"Q3"``, for the confirmation line.
    """

    variable: str
    docstring: str
    constants: tuple[tuple[str, Any], ...] = ()
    form: tuple[Check, ...] = ()
    key: Any = None
    correct: tuple[Check, ...] = ()
    score_code: tuple[str, ...] = ()
    score: str | None = None
    prelude: tuple[str, ...] = ()
    label: str = ""

    @property
    def recorded(self) -> str:
        """What the test cell prints when the answer's form is right."""
        return f"{self.label + ': ' if self.label else ''}answer recorded, checked when marked."

    @property
    def partial(self) -> bool:
        """True when the item gives partial credit (its test cell outputs a score)."""
        return self.score is not None

    def visible_source(self) -> str:
        """The test cell as students see it: docstring, constants and form checks."""
        lines = [f'"""{self.docstring}"""', *PROBLEM_CLASS]
        lines.append(f'_a = globals().get("{self.variable}", NotImplemented)')
        lines += [f"{name} = {literal(value)}" for name, value in self.constants]
        lines += self.prelude
        lines += [check.render() for check in self.form]
        # One write (a print's text and its newline can reach the notebook as two outputs).
        lines.append(f'print({json.dumps(self.recorded + chr(10), ensure_ascii=False)}, end="")')
        return "\n".join(lines)

    def hidden_source(self) -> str:
        """The hidden part: the key, then the correctness checks or the partial score."""
        lines = [f"_key = {literal(self.key)}"]
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

    def _namespace(self, value: Any, cells: Sequence[str] = ()) -> dict[str, Any]:
        """The names the checks see: the answer after the prelude, and the constants.

        Args:
            value: The answer as data (``NotImplemented`` when there is none).
            cells: The cells run so far, as the kernel's ``In`` holds them.
        """
        namespace: dict[str, Any] = {"_a": value, "In": list(cells)}
        namespace.update(dict(self.constants))
        exec("\n".join(self.prelude), namespace)  # our own code, run on literal data
        return namespace

    def normalised(self, value: Any) -> Any:
        """The answer as the checks see it, differences of form put right."""
        return self._namespace(value)["_a"]

    def missing_message(self, cell: str) -> str:
        """What the test cell says when the answer cell ``cell`` ran but set no answer (Python
        could not read it, or it stopped with an error)."""
        namespace = self._namespace(NotImplemented, [cell])
        return str(namespace.get("_missing", ""))

    def form_problem(self, value: Any) -> str | None:
        """The message of the first form check ``value`` fails, or ``None`` if its form is fine."""
        return _first_failure(self.form, self._namespace(value))

    def points(self, value: Any, max_points: float) -> float:
        """The points ``value`` earns, exactly as the test cell would award them.

        Args:
            value: The answer, a Python literal already parsed as data.
            max_points: The item's points.
        """
        namespace = self._namespace(value)
        if _first_failure(self.form, namespace) is not None:
            return 0.0
        namespace["_key"] = self.key
        if _first_failure(self.correct, namespace) is not None:
            return 0.0
        if self.score is None:
            return float(max_points)
        exec("\n".join(self.score_code), namespace)  # our own code, run on literal data
        return float(eval(self.score, namespace))

    def outcome(self, value: Any, max_points: float) -> tuple[str, Any]:
        """What the test cell shows when it runs on ``value``, worked out without running it.

        Returns:
            ``("problem", message)`` when a visible form check fails (the cell shows that
            message as an error), ``("wrong", message)`` when the form is right (the cell prints
            :attr:`recorded`) and a hidden check fails, ``("score", points)`` when the hidden
            part outputs a partial score, ``("pass", None)`` when the cell passes with only
            :attr:`recorded` printed (full marks).
        """
        namespace = self._namespace(value)
        problem = _first_failure(self.form, namespace)
        if problem is not None:
            return "problem", problem
        namespace["_key"] = self.key
        problem = _first_failure(self.correct, namespace)
        if problem is not None:
            return "wrong", problem
        if self.score is None:
            return "pass", None
        exec("\n".join(self.score_code), namespace)  # our own code, run on literal data
        return "score", eval(self.score, namespace)


def _first_failure(checks: Sequence[Check], namespace: dict[str, Any]) -> str | None:
    for check in checks:
        try:
            ok = eval(check.condition, namespace)  # our own expressions on literal data
        except Exception as err:  # a check that cannot even run counts as failed
            return f"the answer could not be checked ({type(err).__name__}: {err})"
        if not ok:
            return str(eval(check.message, namespace))
    return None
