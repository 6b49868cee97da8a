"""Tests for homs._dates: dates known to a day, month, year or range."""

from __future__ import annotations

from datetime import date

import pytest

from homs._dates import parse_date


@pytest.mark.parametrize(
    ("text", "start", "end", "precision", "label"),
    [
        ("2012-02-22", date(2012, 2, 22), date(2012, 2, 22), "day", "22 February 2012"),
        ("2012-02", date(2012, 2, 1), date(2012, 2, 29), "month", "February 2012"),
        ("1963", date(1963, 1, 1), date(1963, 12, 31), "year", "1963"),
        ("2012-03/2014-05", date(2012, 3, 1), date(2014, 5, 31), "range", "March 2012 to May 2014"),
    ],
)
def test_forms(text: str, start: date, end: date, precision: str, label: str) -> None:
    """Each form gives its first and last possible day, precision and label."""
    parsed = parse_date(text)
    assert (parsed.start, parsed.end, parsed.precision, parsed.label()) == (
        start,
        end,
        precision,
        label,
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("22 February 2012", "not a date"),
        ("2012-13", "month 13"),
        ("2011-02-29", "no day 29"),
        ("2014/2012", "ends before it starts"),
    ],
)
def test_bad_dates_say_what_is_wrong(text: str, message: str) -> None:
    """Malformed dates raise ValueError saying why."""
    with pytest.raises(ValueError, match=message):
        parse_date(text)
