"""Small text helpers shared by every layer: lists in words, student text made safe to print.

Imports nothing from ``homs``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

__all__ = ["join_and", "natural_key", "plural", "printable"]

# Control characters other than tab and newline: ANSI escapes (ESC), OSC sequences, BEL, DEL,
# and the C1 controls a terminal may also obey.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def join_and(items: Iterable[str]) -> str:
    """``["A", "B", "C"]`` as ``"A, B and C"``; one item as itself; none as ``""``."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def plural(count: float, noun: str, plural_form: str | None = None) -> str:
    """``plural(1, "point")`` is ``"1 point"``; ``plural(2, "point")`` is ``"2 points"``."""
    word = noun if count == 1 else (plural_form or f"{noun}s")
    return f"{count:g} {word}" if isinstance(count, float) else f"{count} {word}"


def printable(text: object) -> str:
    """Text someone else chose (a student id, a cell id, a file name), safe to print to a
    terminal: every control character but tab and newline is shown as ``?``."""
    return _CONTROL.sub("?", str(text))


def natural_key(name: str) -> tuple[Any, ...]:
    """Sorts ``q2_x`` before ``q10_y`` and ``s2`` before ``s10``: digit runs compare as numbers."""
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", name))
