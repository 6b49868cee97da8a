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

from homs.grading.authoring.checks import Check, Checks, literal

__all__ = ["KINDS", "AnswerForm", "Kind", "canonical_id", "make_checks", "normalising_code"]

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


class _Expr(str):
    """A piece of a message that is Python code, not text."""


_TYPE = _Expr("type(_a).__name__")
_REPR = _Expr("repr(_a)")


def _msg(label: str, *parts: str) -> str:
    """A message expression: text parts become string literals, :class:`_Expr` parts code."""
    merged: list[str | _Expr] = [label + ": "]
    for part in parts:
        if not isinstance(part, _Expr) and not isinstance(merged[-1], _Expr):
            merged[-1] += part
        else:
            merged.append(part)
    return " + ".join(
        str(p) if isinstance(p, _Expr) else json.dumps(p, ensure_ascii=False) for p in merged if p
    )


#: Month names as the date prelude reads them (their first three letters).
_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
#: An id or letter as compared: case folded, only its letters and digits ("Amos-Visit",
#: " amos visit" and "amos-visit" are the same id; "b14" and "B-14" the same sentence).
_CANON = '"".join(_c for _c in {} .casefold() if _c.isalnum())'


def _canon(name: str) -> str:
    return _CANON.format(name).replace(" .", ".")


def canonical_id(text: str) -> str:
    """An id as the prelude compares it (for authoring checks: no two options may share one)."""
    return "".join(c for c in text.casefold() if c.isalnum())


def normalising_code(form: AnswerForm) -> tuple[str, ...]:
    """The statements that put right the differences that are only of form, for one kind.

    This is the one place they are decided. The lines run in the test cell (kernel) and, on the
    answer read as data, in ``homs practice`` and ``homs autograde``. What is only form:

    * ids, letters, options and sentence ids (every kind but ``int`` and ``date``): capitals,
      spaces, hyphens and other punctuation (``"Amos-Visit"``, ``" a"``, ``"b14"``);
    * lists (``order``, ``match``, ``subset``): a tuple for a list; for ``subset`` also a set;
    * ``int``: ``7.0`` for ``7``, ``"7"`` for ``7``;
    * ``date``: spaces around it, one-digit months and days, ``/`` or ``.`` between year, month
      and day (year first), and the month by name: ``"22 February 2012"``,
      ``"Feb 22, 2012"``, ``"February 2012"``.

    Not form (the student's own check says what to change): a date with the day and month in
    digits and the year last (``"22/02/2012"`` could be read two ways), a string of several ids
    (``"B, C"``), an id that is not among the options, an int given as words.
    """
    kind = form.kind
    if kind in ("order", "match", "subset", "choice", "sentence"):
        lines = [f"_known = {{{_canon('_o')}: _o for _o in _options}}"]
        if kind in ("choice", "sentence"):
            lines.append(f"if type(_a) is str: _a = _known.get({_canon('_a')}, _a)")
            return tuple(lines)
        lines.append("if type(_a) is tuple: _a = list(_a)")
        if kind == "subset":
            lines.append("if type(_a) in (set, frozenset): _a = sorted(_a, key=repr)")
        lines.append(
            "if type(_a) is list: "
            f"_a = [_known.get({_canon('_x')}, _x) if type(_x) is str else _x for _x in _a]"
        )
        return tuple(lines)
    if kind == "int":
        return (
            "if type(_a) is float and _a.is_integer(): _a = int(_a)",
            "if type(_a) is str and _a.strip().isascii() and _a.strip().isdigit(): "
            "_a = int(_a.strip())",
        )
    if kind == "date":
        day = form.date_format == "day"
        return (
            f"_months = {literal(_MONTHS)}",
            "if type(_a) is str:",
            '    _w = _a.casefold().replace(",", " ").replace("/", " ").replace("-", " ")'
            '.replace(".", " ").split()',
            "    _n = [_x for _x in _w if _x.isascii() and _x.isdigit()]",
            "    _m = [_months.index(_x[:3]) + 1 for _x in _w if len(_x) >= 3 and _x.isalpha() "
            "and _x[:3] in _months]",
            "    _y = [_x for _x in _n if len(_x) == 4]",
            f"    _d = [_x.zfill(2) for _x in _n if len(_x) <= 2][:{1 if day else 0}]",
            f"    if len(_w) == len(_n) + 1 and len(_m) == 1 and len(_y) == 1 and len(_n) == "
            f"{2 if day else 1}:",
            '        _a = "-".join([_y[0], str(_m[0]).zfill(2), *_d])',
            f"    elif len(_w) == len(_n) == {3 if day else 2} and len(_w[0]) == 4 and "
            "all(len(_x) <= 2 for _x in _w[1:]):",
            '        _a = "-".join([_w[0]] + [_x.zfill(2) for _x in _w[1:]])',
        )
    raise ValueError(f"unknown answer kind {kind!r}")  # pragma: no cover


def _hint(form: AnswerForm) -> str:
    """An expression over ``_typed`` (what the student typed after ``=``): how to write it so
    that Python reads it."""
    kind = form.kind
    strip = json.dumps(" '\"")  # spaces and quotes around what was typed
    quote = json.dumps('"')
    if kind in ("order", "match", "subset"):
        return (
            json.dumps(f"put each {form.noun} in quotes, inside square brackets, like [")
            + f' + ", ".join({quote} + _x.strip({strip}) + {quote} for _x in '
            '_typed.strip("[]() ").split(",")) + "]."'
        )
    if kind == "int":
        return json.dumps(f"write the number with digits only, like {form.example(None)}.")
    what = {"date": "date", "sentence": "sentence id"}.get(kind, form.noun)
    return (
        json.dumps(f'put the {what} in quotes, like "')
        + f" + _typed.strip({strip}) + "
        + json.dumps('".')
    )


def _missing_code(label: str, variable: str, form: AnswerForm) -> tuple[str, ...]:
    """Sets ``_missing``: what to say when the answer variable is not defined. If the answer
    cell ran (the kernel's ``In`` has it) Python could not read what was typed: say how to write
    it."""
    marker = json.dumps(f"{variable} =")
    run = f"{label}: there is no answer yet: run the answer cell above, then this cell."
    return (
        f"_missing = {json.dumps(run)}",
        '_typed = [_c for _c in globals().get("In", [])'
        f' if {marker} in _c and "_missing" not in _c]',
        "if _a is NotImplemented and _typed:",
        f'    _typed = " ".join(_l.split("#")[0] for _l in _typed[-1].split({marker})[-1]'
        '.splitlines()).strip().removeprefix("(").removesuffix(")").strip()',
        f"    _missing = {json.dumps(label + ': Python could not read your answer: ')} + "
        + _hint(form),
    )


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
    example = form.example(key)
    shown = _Expr("repr(_a)[:40]")
    if len({canonical_id(o) for o in form.options}) != len(form.options):
        raise ValueError(f"{label}: two options differ only in capitals or punctuation")
    form_checks = [
        Check("_a is not NotImplemented", "_missing"),
        Check(
            "_a is not ...",
            _msg(
                label,
                "not answered yet: replace the three dots (...) with your answer, then run the "
                "answer cell and this cell.",
            ),
        ),
    ]
    constants: list[tuple[str, Any]] = []
    correct: list[Check] = []
    score_code: tuple[str, ...] = ()
    score: str | None = None
    if kind in ("order", "match", "subset"):
        constants.append(("_options", list(form.options)))
        unknown = _Expr('", ".join(repr(_x) for _x in _a if _x not in _options)[:60]')
        form_checks += [
            Check(
                "type(_a) is list",
                _msg(label, f"put the {form.noun}s in a list, like {example}."),
            ),
            Check(
                "all(type(_x) is str for _x in _a)",
                _msg(
                    label,
                    f"put each {form.noun} in quotes, like {literal(form.options[0])}.",
                ),
            ),
            Check(
                "all(_x in _options for _x in _a)",
                _msg(
                    label,
                    "",
                    unknown,
                    f" is not {_article(form.noun)} {form.noun} listed in the question.",
                ),
            ),
        ]
        if kind == "order":
            form_checks.append(
                Check(
                    "sorted(_a) == sorted(_options)",
                    _msg(
                        label,
                        f"list each of the {len(form.options)} {form.noun}s exactly once (your "
                        "list has ",
                        _Expr("str(len(_a))"),
                        " entries, ",
                        _Expr("str(len(set(_a)))"),
                        " of them different).",
                    ),
                )
            )
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
            form_checks.append(
                Check(
                    f"len(_a) == {form.length}",
                    _msg(
                        label,
                        f"give exactly {form.length} {form.noun}s, one per row of the table "
                        "(your list has ",
                        _Expr("str(len(_a))"),
                        ").",
                    ),
                )
            )
            score = "sum(1 for _x, _y in zip(_a, _key) if _x == _y)"
        else:
            form_checks += [
                Check("len(_a) > 0", _msg(label, f"name at least one {form.noun}.")),
                Check("len(set(_a)) == len(_a)", _msg(label, f"list each {form.noun} only once.")),
            ]
            correct.append(
                Check(
                    "type(_a) is list and all(type(_x) is str for _x in _a) and sorted(_a) == _key",
                    _msg(label, wrong),
                )
            )
    elif kind in ("choice", "sentence"):
        constants.append(("_options", list(form.options)))
        what = "sentence id" if kind == "sentence" else form.noun
        listed = (
            " is not a sentence id the question allows."
            if kind == "sentence"
            else f" is not one of the {form.noun}s listed in the question."
        )
        form_checks += [
            Check(
                "type(_a) is str",
                _msg(label, f"put the {what} in quotes, like {example}."),
            ),
            Check("_a in _options", _msg(label, "", shown, listed)),
        ]
        correct.append(Check("type(_a) is str and _a == _key", _msg(label, wrong)))
    elif kind == "int":
        form_checks += [
            Check(
                "type(_a) is int",
                _msg(label, f"write a whole number with digits, without quotes, like {example}."),
            ),
            Check("_a >= 0", _msg(label, "the answer cannot be negative.")),
        ]
        correct.append(Check("type(_a) is int and _a == _key", _msg(label, wrong)))
    elif kind == "date":
        if form.date_format == "day":
            shape = (
                '_a.isascii() and len(_a) == 10 and _a[4] == _a[7] == "-" and '
                "(_a[:4] + _a[5:7] + _a[8:]).isdigit()"
            )
            words = '"31 December 1999"'
        else:
            shape = '_a.isascii() and len(_a) == 7 and _a[4] == "-" and (_a[:4] + _a[5:]).isdigit()'
            words = '"December 1999"'
        form_checks += [
            Check(
                "type(_a) is str",
                _msg(label, f"your answer should be a date in quotes, like {example}."),
            ),
            Check(
                shape,
                _msg(
                    label,
                    f"write the date like {example} or {words}, with the year in four digits "
                    "(your answer is ",
                    shown,
                    ").",
                ),
            ),
            Check("1 <= int(_a[5:7]) <= 12", _msg(label, "the month must be 01 to 12.")),
        ]
        correct.append(Check("type(_a) is str and _a == _key", _msg(label, wrong)))
    else:  # pragma: no cover - the spec loader only passes known kinds
        raise ValueError(f"unknown answer kind {kind!r}")
    if accepted:
        if form.partial:
            raise ValueError(f"{label}: a {kind} item scores itself; it takes no other answers")
        correct = []
        score_code, score = _accepting(kind, key, accepted, points)
    return Checks(
        variable,
        docstring,
        tuple(constants),
        tuple(form_checks),
        key,
        tuple(correct),
        score_code,
        score,
        prelude=_missing_code(label, variable, form) + normalising_code(form),
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


def _article(noun: str) -> str:
    return "an" if noun[0] in "aeiou" else "a"
