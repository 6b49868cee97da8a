"""The kinds of autograded answer, and the checks, instructions and examples for each.

=========  ===========================================  ==========================================
kind       the answer                                   scoring
=========  ===========================================  ==========================================
order      a list of all the given ids, in date order   partial: from the longest ordered run
match      a list with one option per statement         partial: one point per right option
subset     a list of some of the options, each once     all or nothing; order does not matter
choice     one of the options, a string                 all or nothing
sentence   a sentence id such as "B-14", a string       all or nothing
int        a whole number                               all or nothing
date       "YYYY-MM-DD" or "YYYY-MM", a string          all or nothing
=========  ===========================================  ==========================================

An ``order`` item of n events scores ``round((n - 1) * (L - h) / (n - h))``, at least 0, where L
is the longest run of the student's list in the right order (not necessarily next to each other)
and h is half the list, rounded up: nothing until the run is longer than half the list, so a
random order or the order the question lists the events in earns (almost) nothing, and all the
points only for the exact order. For six events: a run of 4 earns 2 of 5, of 5 earns 3, of 6
earns 5.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import homs_checks
from homs.grading.authoring.checks import Check, Checks, literal

__all__ = ["KINDS", "AnswerForm", "Kind", "canonical_id", "check_arguments", "make_checks"]

Kind = Literal["order", "match", "subset", "choice", "sentence", "int", "date"]
KINDS: tuple[Kind, ...] = ("order", "match", "subset", "choice", "sentence", "int", "date")
PARTIAL: frozenset[str] = frozenset({"order", "match"})


@dataclass(frozen=True)
class AnswerForm:
    """What an answer must look like.

    Attributes:
        kind: One of :data:`KINDS`.
        options: The allowed values (ids, letters, type names, sentence ids).
        length: For ``match``: how many statements, so how many entries.
        date_format: For ``date``: ``"day"`` (YYYY-MM-DD) or ``"month"`` (YYYY-MM).
        noun: What one entry is, for messages: "event id", "source letter", ...
    """

    kind: Kind
    options: tuple[str, ...] = ()
    length: int | None = None
    date_format: Literal["day", "month"] | None = None
    noun: str = "value"

    @property
    def partial(self) -> bool:
        """True for kinds that give partial credit."""
        return self.kind in PARTIAL

    def max_points(self) -> int | None:
        """The points a partial-credit kind is worth (its best score); ``None`` for the others."""
        if self.kind == "order":
            return len(self.options) - 1
        if self.kind == "match":
            return self.length
        return None

    def describe(self) -> str:
        """The expected form in plain words, for the question cell (Markdown)."""
        n = len(self.options)
        return {
            "order": f"a list of the {n} {self.noun}s above, each once, earliest first",
            "match": f"a list of {self.length} {self.noun}s, one for each numbered row of the "
            "table, in order",
            "subset": f"a list of {self.noun}s, each once, in any order",
            "choice": f"one {self.noun}, as a string in quotes",
            "sentence": "one sentence id, as a string in quotes",
            "int": "a whole number, without quotes",
            "date": 'a date as a string, "YYYY-MM-DD"'
            if self.date_format == "day"
            else 'a month as a string, "YYYY-MM"',
        }[self.kind]

    def example(self, key: Any) -> str:
        """A literal showing the form, chosen so that it is never the right answer."""
        kind = self.kind
        if kind == "order":
            return literal([f"{self.noun.split()[0]}-id-{i}" for i in (1, 2)])[:-1] + ", ...]"
        if kind == "match":
            wrong = next(o for o in self.options if o != key[0])
            return literal([wrong, *self.options[:1]])[:-1] + ", ...]"
        if kind == "subset":
            for candidate in ([self.options[0]], list(self.options[:2]), [self.options[-1]]):
                if sorted(candidate) != sorted(key):
                    return literal(candidate)
        if kind in ("choice", "sentence"):
            return literal(next(o for o in self.options if o != key))
        if kind == "int":
            return literal(10 if key != 10 else 12)
        if kind == "date":
            return literal("1999-12-31" if self.date_format == "day" else "1999-12")
        raise ValueError(f"no example for kind {kind!r}")  # pragma: no cover


def canonical_id(text: str) -> str:
    """An id as the checks compare it (for authoring checks: no two options may share one)."""
    return homs_checks.canonical_id(text)


def check_arguments(form: AnswerForm, key: Any) -> tuple[tuple[str, Any], ...]:
    """The keyword arguments of :func:`homs_checks.check` for one form, in the order the test
    cell shows them: only what the kind's messages and normalisation use, never the key (the
    example is chosen to differ from it)."""
    kind = form.kind
    arguments: list[tuple[str, Any]] = []
    if kind in ("order", "match", "subset", "choice"):
        arguments.append(("noun", form.noun))
    if kind == "match":
        arguments.append(("length", form.length))
    if kind == "date":
        arguments.append(("date_format", form.date_format or "month"))
    if kind in ("order", "match", "subset", "choice", "sentence"):
        arguments.append(("options", list(form.options)))
    arguments.append(("example", form.example(key)))
    return tuple(arguments)


def _msg(label: str, text: str) -> str:
    """A hidden check's message, as a string literal."""
    return json.dumps(f"{label}: {text}", ensure_ascii=False)


def make_checks(
    label: str,
    variable: str,
    form: AnswerForm,
    key: Any,
    wrong: str,
    docstring: str,
    *,
    accepted: Sequence[tuple[Any, float]] = (),
    points: float = 1,
) -> Checks:
    """Builds the visible form checks and the hidden correctness checks for one item.

    Every form message is one sentence in plain words that names the item and says what to
    write; none depends on the key.

    Args:
        label: The item's label in messages, ``"Q3"``.
        variable: The answer variable, ``answer_q3_siege_length``.
        form: The expected form.
        key: The right answer (the preferred one).
        wrong: The message (plain text) of a hidden test that fails.
        docstring: The test cell's one-line docstring.
        accepted: Other answers that earn points, with the points each earns. An all-or-nothing
            item with other accepted answers scores in its hidden part instead of asserting: it
            outputs the points of the answer given (nbgrader's partial credit), 0 for any other.
        points: What the item is worth (what the key earns), for ``accepted``.

    Raises:
        ValueError: ``accepted`` for a partial-credit kind (order, match), which scores itself;
            two options that differ only in form (the same :func:`canonical_id`).
    """
    kind = form.kind
    if kind not in KINDS:  # pragma: no cover - the spec loader only passes known kinds
        raise ValueError(f"unknown answer kind {kind!r}")
    if len({canonical_id(o) for o in form.options}) != len(form.options):
        raise ValueError(f"{label}: two options differ only in capitals or punctuation")
    correct: list[Check] = []
    score_code: tuple[str, ...] = ()
    score: str | None = None
    if kind == "order":
        score_code = (
            "_pos = [_key.index(_x) for _x in _a]",
            "_run = [1] * len(_pos)",
            "for _i in range(len(_pos)):",
            "    for _j in range(_i):",
            "        if _pos[_j] < _pos[_i] and _run[_j] + 1 > _run[_i]:",
            "            _run[_i] = _run[_j] + 1",
        )
        # Points start above what chance earns: the longest run in the right order must be
        # longer than half the list (a random order of six events averages 0.6 of 5 points,
        # against 2.1 for "one point per event in the run after its first").
        score = (
            "max(0, round((len(_key) - 1) * (max(_run) - (len(_key) + 1) // 2)"
            " / (len(_key) - (len(_key) + 1) // 2)))"
        )
    elif kind == "match":
        score = "sum(1 for _x, _y in zip(_a, _key) if _x == _y)"
    elif kind == "subset":
        correct.append(
            Check(
                "type(_a) is list and all(type(_x) is str for _x in _a) and sorted(_a) == _key",
                _msg(label, wrong),
            )
        )
    elif kind in ("choice", "sentence", "date"):
        correct.append(Check("type(_a) is str and _a == _key", _msg(label, wrong)))
    else:  # int
        correct.append(Check("type(_a) is int and _a == _key", _msg(label, wrong)))
    if accepted:
        if form.partial:
            raise ValueError(f"{label}: a {kind} item scores itself; it takes no other answers")
        correct = []
        score_code, score = _accepting(kind, key, accepted, points)
    return Checks(
        variable,
        docstring,
        kind,
        check_arguments(form, key),
        key,
        tuple(correct),
        score_code,
        score,
        label=label,
    )


def _accepting(
    kind: Kind, key: Any, accepted: Sequence[tuple[Any, float]], points: float
) -> tuple[tuple[str, ...], str]:
    """The hidden score of an all-or-nothing item with several accepted answers."""
    pairs = [[key, points], *([value, p] for value, p in accepted)]
    if kind == "subset":
        pairs = [[sorted(value), p] for value, p in pairs]
        given = "sorted(_a)"
    else:
        given = "_a"
    table = ", ".join(f"[{literal(value)}, {float(p):g}]" for value, p in pairs)
    code = (f"_accepted = [{table}]",)
    return code, f"max([_p for _v, _p in _accepted if {given} == _v] + [0])"
