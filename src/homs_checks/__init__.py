"""The form checks of the homs quizzes' test cells: one plain sentence per problem.

A quiz notebook's visible test cell is two readable lines::

    from homs_checks import check
    _a = check("Q1", "answer_q1_order", kind="order", noun="event id", options=[...], example=...)

:func:`check` finds the answer variable in the notebook, puts right differences that are only of
form (capitals and spaces in an id, a tuple for a list, ``7.0`` for ``7``, a month by name),
raises :class:`Problem` with one sentence when the form is wrong (IPython and nbgrader's
Validate show its message alone, no traceback), prints that the answer is recorded when the form
is right, and returns the answer as the hidden tests compare it.

``homs`` (:mod:`homs.grading.authoring.checks`) uses the same functions on the answer read as
data, out of the student's process, so the test cell and the marks cannot drift apart.

This package is pure standard library, holds no answer key and imports nothing of ``homs``:
the grading sandbox hides ``homs`` (it ships the quiz specs with their keys) and leaves this
package readable, and a stock ``nbgrader validate`` or ``autograde`` imports it like any other.
Nothing here decides a mark: a student who replaces :func:`check` in their notebook changes
what their own test cells print, not what ``homs autograde`` scores.
"""

from __future__ import annotations

import datetime
import json
import sys
from collections.abc import Sequence
from typing import Any

__all__ = [
    "KINDS",
    "Problem",
    "canonical_id",
    "check",
    "form_problem",
    "missing_message",
    "normalise",
    "recorded",
]

#: The kinds of autograded answer (see ``homs.grading.authoring.kinds``).
KINDS = ("order", "match", "subset", "choice", "sentence", "int", "date")
_LISTS = ("order", "match", "subset")
#: Month names as messages write them.
_MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
#: Month names as dates are read (their first three letters).
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


class Problem(AssertionError):
    """A wrong form: IPython shows its message only, not Python's traceback; nbgrader still
    counts the cell as failed (it is an ``AssertionError``)."""

    def _render_traceback_(self) -> list[str]:
        return [str(self)]


def canonical_id(text: str) -> str:
    """An id or letter as compared: case folded, only its letters and digits (``"Amos-Visit"``,
    ``" amos visit"`` and ``"amos-visit"`` are one id; ``"b14"`` and ``"B-14"`` one sentence)."""
    return "".join(c for c in text.casefold() if c.isalnum())


def _quoted(text: str) -> str:
    """A string as the student is shown it: in double quotes."""
    return json.dumps(text, ensure_ascii=False)


def recorded(label: str) -> str:
    """What a test cell prints when the answer's form is right."""
    return f"{label + ': ' if label else ''}answer recorded, checked when marked."


def normalise(
    kind: str, answer: Any, *, options: Sequence[str] = (), date_format: str | None = None
) -> Any:
    """The answer with the differences that are only of form put right, for one kind.

    This is the one place they are decided. What is only form:

    * ids, letters, options and sentence ids (every kind but ``int`` and ``date``): capitals,
      spaces, hyphens and other punctuation (``"Amos-Visit"``, ``" a"``, ``"b14"``);
    * lists (``order``, ``match``, ``subset``): a tuple for a list; for ``subset`` also a set;
    * ``int``: ``7.0`` for ``7``, ``"7"`` for ``7``;
    * ``date``: spaces around it, one-digit months and days, ``/`` or ``.`` between year, month
      and day (year first), and the month by name: ``"22 February 2012"``,
      ``"Feb 22, 2012"``, ``"February 2012"``.

    Not form (the check says what to change): a date with the day and month in digits and the
    year last (``"22/02/2012"`` could be read two ways), a string of several ids (``"B, C"``),
    an id that is not among the options, an int given as words. Types are tested with
    ``type(x) is T``: a subclass of str, int or list, or a numpy scalar, is left as it is (and
    fails the checks).

    Args:
        kind: One of :data:`KINDS`.
        answer: The answer (``NotImplemented`` when there is none).
        options: The allowed ids, letters or sentence ids.
        date_format: For ``date``: ``"day"`` (YYYY-MM-DD) or ``"month"`` (YYYY-MM).
    """
    if kind in ("choice", "sentence", *_LISTS):
        known = {canonical_id(o): o for o in options}
        if kind in ("choice", "sentence"):
            return known.get(canonical_id(answer), answer) if type(answer) is str else answer
        if type(answer) is tuple:
            answer = list(answer)
        if kind == "subset" and type(answer) in (set, frozenset):
            answer = sorted(answer, key=repr)
        if type(answer) is list:
            answer = [known.get(canonical_id(x), x) if type(x) is str else x for x in answer]
        return answer
    if kind == "int":
        if type(answer) is float and answer.is_integer():
            return int(answer)
        if type(answer) is str and answer.strip().isascii() and answer.strip().isdigit():
            return int(answer.strip())
        return answer
    if kind == "date":
        return _normalise_date(answer, day=date_format == "day")
    raise ValueError(f"unknown answer kind {kind!r}")


def _normalise_date(answer: Any, *, day: bool) -> Any:
    if type(answer) is not str:
        return answer
    words = answer.casefold()
    for mark in ",/-.":
        words = words.replace(mark, " ")
    w = words.split()
    numbers = [x for x in w if x.isascii() and x.isdigit()]
    months = [
        _MONTHS.index(x[:3]) + 1 for x in w if len(x) >= 3 and x.isalpha() and x[:3] in _MONTHS
    ]
    years = [x for x in numbers if len(x) == 4]
    days = [x.zfill(2) for x in numbers if len(x) <= 2][: 1 if day else 0]
    if len(w) == len(numbers) + 1 and len(months) == 1 and len(years) == 1:
        if len(numbers) == (2 if day else 1):
            return "-".join([years[0], str(months[0]).zfill(2), *days])
    elif (
        len(w) == len(numbers) == (3 if day else 2)
        and len(w[0]) == 4
        and all(len(x) <= 2 for x in w[1:])
    ):
        return "-".join([w[0]] + [x.zfill(2) for x in w[1:]])
    return answer


def _article(noun: str) -> str:
    return "an" if noun[0] in "aeiou" else "a"


def form_problem(
    label: str,
    kind: str,
    answer: Any,
    *,
    options: Sequence[str] = (),
    length: int | None = None,
    date_format: str | None = None,
    noun: str = "value",
    example: str = "",
    missing: str | None = None,
) -> str | None:
    """What is wrong with the form of an answer already normalised, in one sentence, or
    ``None`` when its form is right. No message depends on the key.

    Args:
        label: The item's label, ``"Q3"``: every message starts with it.
        kind: One of :data:`KINDS`.
        answer: The answer after :func:`normalise` (``NotImplemented`` when there is none).
        options: The allowed values (list and choice kinds).
        length: For ``match``: how many rows, so how many entries.
        date_format: For ``date``: ``"day"`` or ``"month"``.
        noun: What one entry is: "event id", "source letter", ...
        example: A literal showing the form (never the key), as the student is shown it.
        missing: What to say when there is no answer (see :func:`missing_message`).
    """
    try:
        return _form_problem(
            label, kind, answer, options, length, date_format, noun, example, missing
        )
    except Exception as err:  # a check that cannot even run counts as failed
        return f"the answer could not be checked ({type(err).__name__}: {err})"


def _form_problem(
    label: str,
    kind: str,
    a: Any,
    options: Sequence[str],
    length: int | None,
    date_format: str | None,
    noun: str,
    example: str,
    missing: str | None,
) -> str | None:
    say = f"{label}: "
    if a is NotImplemented:
        return missing if missing is not None else _no_answer(label)
    if a is ...:
        return say + (
            "not answered yet: replace the three dots (...) with your answer, then run the "
            "answer cell and this cell."
        )
    if kind in _LISTS:
        if type(a) is not list:
            return say + f"put the {noun}s in a list, like {example}."
        if not all(type(x) is str for x in a):
            return say + f"put each {noun} in quotes, like {_quoted(options[0])}."
        if not all(x in options for x in a):
            unknown = ", ".join(repr(x) for x in a if x not in options)[:60]
            return say + unknown + f" is not {_article(noun)} {noun} listed in the question."
        if kind == "order" and sorted(a) != sorted(options):
            return say + (
                f"list each of the {len(options)} {noun}s exactly once (your list has "
                f"{len(a)} entries, {len(set(a))} of them different)."
            )
        if kind == "match" and len(a) != length:
            return say + (
                f"give exactly {length} {noun}s, one per row of the table (your list has {len(a)})."
            )
        if kind == "subset":
            if not len(a) > 0:
                return say + f"name at least one {noun}."
            if len(set(a)) != len(a):
                return say + f"list each {noun} only once."
        return None
    if kind in ("choice", "sentence"):
        what = "sentence id" if kind == "sentence" else noun
        if type(a) is not str:
            return say + f"put the {what} in quotes, like {example}."
        if a not in options:
            listed = (
                " is not a sentence id the question allows."
                if kind == "sentence"
                else f" is not one of the {noun}s listed in the question."
            )
            return say + repr(a)[:40] + listed
        return None
    if kind == "int":
        if type(a) is not int:
            return say + f"write a whole number with digits, without quotes, like {example}."
        if not a >= 0:
            return say + "the answer cannot be negative."
        return None
    if kind == "date":
        if type(a) is not str:
            return say + f"your answer should be a date in quotes, like {example}."
        if date_format == "day":
            shape = (
                a.isascii()
                and len(a) == 10
                and a[4] == a[7] == "-"
                and (a[:4] + a[5:7] + a[8:]).isdigit()
            )
            words = '"31 December 1999"'
        else:
            shape = a.isascii() and len(a) == 7 and a[4] == "-" and (a[:4] + a[5:]).isdigit()
            words = '"December 1999"'
        if not shape:
            return say + (
                f"write the date like {example} or {words}, with the year in four digits "
                f"(your answer is {repr(a)[:40]})."
            )
        if not 1 <= int(a[5:7]) <= 12:
            return say + "the month must be 01 to 12."
        if date_format == "day":
            year, month, day = int(a[:4]), int(a[5:7]), int(a[8:])
            try:
                datetime.date(year, month, day)
            except ValueError:
                return say + f"{_MONTH_NAMES[month - 1]} {year} has no day {day}: check the day."
        return None
    raise ValueError(f"unknown answer kind {kind!r}")


def _no_answer(label: str) -> str:
    return f"{label}: there is no answer yet: run the answer cell above, then this cell."


def missing_message(
    label: str, variable: str, kind: str, cells: Sequence[str] = (), *, noun: str = "value"
) -> str:
    """What to say when the answer variable is not defined.

    If the answer cell ran (``cells``, the kernel's ``In``, has a cell assigning the variable),
    Python could not read what was typed (a date or an id without quotes): say how to write it,
    with what was typed. Otherwise: run the answer cell.
    """
    marker = f"{variable} ="
    typed_cells = [c for c in cells if marker in c and "_missing" not in c]
    if not typed_cells:
        return _no_answer(label)
    typed = " ".join(line.split("#")[0] for line in typed_cells[-1].split(marker)[-1].splitlines())
    typed = typed.strip().removeprefix("(").removesuffix(")").strip()
    if kind in _LISTS:
        items = ", ".join('"' + x.strip(" '\"") + '"' for x in typed.strip("[]() ").split(","))
        hint = f"put each {noun} in quotes, inside square brackets, like [{items}]."
    elif kind == "int":
        hint = "write the number with digits only, like 10."
    else:
        what = {"date": "date", "sentence": "sentence id"}.get(kind, noun)
        hint = f'put the {what} in quotes, like "{typed.strip(" " + chr(39) + chr(34))}".'
    return f"{label}: Python could not read your answer: {hint}"


def check(
    label: str,
    variable: str,
    kind: str,
    *,
    options: Sequence[str] = (),
    length: int | None = None,
    date_format: str | None = None,
    noun: str = "value",
    example: str = "",
    variant: str | None = None,
) -> Any:
    """Checks the form of the answer in the notebook variable ``variable``, as a test cell does.

    The answer is looked up in the calling cell's globals (in a notebook, the kernel's user
    namespace), so a missing variable gets a plain message too.

    Args:
        label: The item's label, ``"Q1"``.
        variable: The name of the answer variable, ``"answer_q1_order"``.
        kind: One of :data:`KINDS`.
        options: The allowed values (list and choice kinds).
        length: For ``match``: how many rows.
        date_format: For ``date``: ``"day"`` or ``"month"``.
        noun: What one entry is, for messages.
        example: A literal showing the form, for messages.
        variant: For a question with a version for each student: the item id under which the
            "Your questions" cell put this student's own options (``_homs_options``).

    Returns:
        The answer with differences of form put right (what the hidden tests compare).

    Raises:
        Problem: The answer's form is wrong; its message is one sentence saying what to write.
    """
    namespace = sys._getframe(1).f_globals
    if variant is not None:
        options = namespace.get("_homs_options", {}).get(variant, options)
    answer = namespace.get(variable, NotImplemented)
    cells = namespace.get("In", []) if answer is NotImplemented else ()
    missing = missing_message(label, variable, kind, cells, noun=noun)
    answer = normalise(kind, answer, options=options, date_format=date_format)
    problem = form_problem(
        label,
        kind,
        answer,
        options=options,
        length=length,
        date_format=date_format,
        noun=noun,
        example=example,
        missing=missing,
    )
    if problem is not None:
        raise Problem(problem)
    # One write (a print's text and its newline can reach the notebook as two outputs).
    print(recorded(label) + "\n", end="")
    return answer
