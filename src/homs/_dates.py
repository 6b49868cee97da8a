"""Dates with a precision: a day, a month, a year, or a range between two of these."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

__all__ = ["FuzzyDate", "parse_date"]

Precision = Literal["day", "month", "year", "range"]
_PART = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


@dataclass(frozen=True, order=True)
class FuzzyDate:
    """A date known to a day, a month or a year, or only as a range.

    ``start`` and ``end`` are the first and last days it can be; they order events on a timeline.
    """

    start: date
    end: date
    text: str
    precision: Precision

    @property
    def year(self) -> int:
        """The year it starts in."""
        return self.start.year

    def label(self) -> str:
        """A reader's form: ``22 February 2012``, ``February 2012``, ``2012``, or a range."""
        if self.precision == "range":
            first, last = self.text.split("/")
            return f"{parse_date(first).label()} to {parse_date(last).label()}"
        if self.precision == "year":
            return str(self.start.year)
        month = calendar.month_name[self.start.month]
        if self.precision == "month":
            return f"{month} {self.start.year}"
        return f"{self.start.day} {month} {self.start.year}"


def _part(text: str) -> tuple[date, date, Precision]:
    match = _PART.match(text)
    if not match:
        raise ValueError(f"{text!r} is not a date; write YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = (int(g) if g else None for g in match.groups())
    assert year is not None
    if month is None:
        return date(year, 1, 1), date(year, 12, 31), "year"
    if not 1 <= month <= 12:
        raise ValueError(f"{text!r}: month {month} is not 1 to 12")
    last = calendar.monthrange(year, month)[1]
    if day is None:
        return date(year, month, 1), date(year, month, last), "month"
    if not 1 <= day <= last:
        raise ValueError(f"{text!r}: {calendar.month_name[month]} {year} has no day {day}")
    return date(year, month, day), date(year, month, day), "day"


def parse_date(text: str) -> FuzzyDate:
    """Parses ``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD`` or a range ``FIRST/LAST`` of those.

    Raises:
        ValueError: The text is not one of these forms, names a day that does not exist, or is a
            range that ends before it starts.
    """
    text = str(text).strip()
    if "/" in text:
        first, _, last = text.partition("/")
        start, _, _ = _part(first)
        _, end, _ = _part(last)
        if end < start:
            raise ValueError(f"{text!r}: the range ends before it starts")
        return FuzzyDate(start, end, text, "range")
    start, end, precision = _part(text)
    return FuzzyDate(start, end, text, precision)
