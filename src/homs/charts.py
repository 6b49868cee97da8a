"""Charts for the lessons: one function per chart, each returning a :class:`Chart`, and the
package's colour-blind-safe :data:`PALETTE`. This module draws with matplotlib only: it imports
the knowledge base, the sources and the helpers below them (``_words``, ``_dates``, ``_text``,
``_templates``), never ipywidgets; the interactive timeline lives in :mod:`homs.widgets`.

Every chart takes its data from the knowledge base (:mod:`homs.knowledge`) and the sources
(:mod:`homs.sources`); nothing is typed in twice. Each has a title, labelled axes, the
Okabe-Ito colour-blind-safe palette with a marker or hatch as well as a colour for each source,
and alt text describing what it shows.

A :class:`Chart` is a matplotlib :class:`~matplotlib.figure.Figure` made without pyplot, so no
global figure state builds up; in Jupyter it shows itself as a PNG image with its alt text.
Every chart of this module also carries its data as a table (:class:`DataTable`), shown on
request: under the image behind a "The chart's data as a table" disclosure, or on its own with
``chart.table()``.

>>> from homs import charts
>>> fig = charts.discrepancy_types()
>>> fig.axes[0].get_title(loc="left")
'Kinds of discrepancy between the sources'
>>> fig.get_alt_text().startswith("Bar chart of the")
True
>>> fig.table().columns
('Kind of discrepancy', 'Between sources', 'Within one source', 'Total')
"""

from __future__ import annotations

import base64
import calendar
import io
import re
import textwrap
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import matplotlib.dates as mdates
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle

from homs import _words, knowledge
from homs import sources as _sources
from homs._dates import FuzzyDate, parse_date
from homs._templates import render
from homs._text import join_and, plural
from homs.sources import SOURCE_IDS

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from homs.knowledge import Discrepancy, Event

__all__ = [
    "DATING_STYLES",
    "MODE_STYLES",
    "PALETTE",
    "SOURCE_STYLES",
    "WORDS",
    "ZOOMS",
    "Chart",
    "DataTable",
    "SourceStyle",
    "dating_evidence",
    "dating_methods",
    "discrepancy_matrix",
    "discrepancy_states",
    "discrepancy_types",
    "numbers_compared",
    "source_coverage",
    "source_label",
    "timeline",
    "voice_kinds",
    "voices",
    "word_choice",
    "word_rates",
]

#: The Okabe-Ito palette (Okabe & Ito 2008, "Color Universal Design"): colours told apart with
#: every common colour-vision deficiency, and in greyscale thanks to the markers and hatches
#: that go with them. Every chart in homs (the class report's too) takes its colours from here.
PALETTE: Mapping[str, str] = MappingProxyType(
    {
        "black": "#000000",
        "orange": "#E69F00",
        "sky blue": "#56B4E9",
        "bluish green": "#009E73",
        "yellow": "#F0E442",
        "blue": "#0072B2",
        "vermillion": "#D55E00",
        "reddish purple": "#CC79A7",
    }
)
_GREY = "#666666"
_INK = "#222222"


@dataclass(frozen=True)
class SourceStyle:
    """How one source is drawn: a colour and, so that colour is never the only cue, a marker and
    a hatch."""

    color: str
    marker: str
    hatch: str


SOURCE_STYLES: Mapping[str, SourceStyle] = {
    "A": SourceStyle(PALETTE["orange"], "o", "//"),
    "B": SourceStyle(PALETTE["blue"], "s", ".."),
    "C": SourceStyle(PALETTE["bluish green"], "^", "xx"),
}
#: How a source dates an event, from most to least direct, with the words the legends use.
DATING_STYLES: Mapping[str, str] = {
    "explicit": "date printed in the source",
    "worked out": "date worked out from its words",
    "undated": "no date given (placed by other evidence)",
}
#: How a voice appears, with its colour and marker.
MODE_STYLES: Mapping[str, tuple[str, str]] = {
    "quoted": (PALETTE["vermillion"], "o"),
    "paraphrased": (PALETTE["sky blue"], "s"),
    "cited": (PALETTE["reddish purple"], "D"),
}
#: Words whose use the word-choice chart compares by default (a final ``*`` allows any ending).
WORDS: tuple[str, ...] = (
    "regime",
    "government",
    "rebel*",
    "Islamist",
    "protest*",
    "activists",
    "opposition",
    "army",
    "forces",
    "terrorist*",
    "revolution",
)
#: Periods the interactive timeline can zoom to: a label and (first, last) dates or ``None``.
ZOOMS: Mapping[str, tuple[str | None, str | None]] = {
    "1963 to 2024 (everything)": (None, None),
    "2011 to 2012": ("2011-01", "2012-12"),
    "2012 to 2019": ("2012-01", "2019-12"),
    "November to December 2024": ("2024-11", "2024-12"),
}

# How a report dates its event (knowledge.DATINGS), as the keys of DATING_STYLES.
_DATING_KEY = {
    "explicit": "explicit",
    "relative": "worked out",
    "inferred": "worked out",
    "undated": "undated",
}
_WIDTH = 10.0  # inches: 1,000 pixels at the default 100 dpi


@dataclass(frozen=True)
class DataTable:
    """A chart's data as a table, for anyone who cannot or would rather not read it off the
    picture: a caption, the column headings, and the rows, each headed by its first cell.

    In Jupyter it shows itself as an HTML table (``<caption>``, ``<th scope>``); ``str()``
    gives it as plain text, one row a line.

    Attributes:
        caption: What the table holds.
        columns: The column headings; the first heads the column of row headings.
        rows: The rows, as text, each as long as ``columns``.
        notes: Sentences shown under the table (context from outside the texts, a key).
    """

    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    notes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for row in self.rows:
            if len(row) != len(self.columns):
                raise ValueError(
                    f"a row of {len(row)} cells in a table of {len(self.columns)} columns: {row!r}"
                )

    def to_html(self) -> str:
        """The table as HTML; every text in it escaped."""
        return render("chart_table.html", table=self)

    def _repr_html_(self) -> str:
        return self.to_html()

    def __str__(self) -> str:
        lines = [self.caption, " | ".join(self.columns)]
        lines += [" | ".join(row) for row in self.rows]
        return "\n".join([*lines, *self.notes])


class Chart(Figure):
    """A matplotlib Figure with alt text that shows itself in Jupyter as a PNG image.

    matplotlib's own figures have no alt text; this one keeps it, writes it into the PNG's
    ``Description`` and gives it to screen readers as the ``alt`` of the image in Jupyter.
    A chart that carries data a student needs also holds it as a :class:`DataTable`
    (:meth:`set_data_table`), shown in Jupyter under the image, one click away, and on its
    own with :meth:`table`.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("layout", "constrained")
        super().__init__(*args, **kwargs)
        self._alt_text = ""
        self._table: DataTable | None = None

    def set_data_table(
        self,
        caption: str,
        columns: Sequence[str],
        rows: Iterable[Sequence[object]],
        notes: Sequence[str] = (),
    ) -> None:
        """Sets the chart's data as a table: a caption, the column headings and the rows (the
        first cell of each row heads it). Cells are turned into text.

        Raises:
            ValueError: A row's length differs from the number of columns.
        """
        self._table = DataTable(
            " ".join(str(caption).split()),
            tuple(str(c) for c in columns),
            tuple(tuple(str(cell) for cell in row) for row in rows),
            tuple(str(n) for n in notes),
        )

    def table(self) -> DataTable:
        """The chart's data as a table; in a notebook, ``chart.table()`` shows it.

        Raises:
            ValueError: The chart has no data table.
        """
        if self._table is None:
            raise ValueError(
                "this chart has no data table; its alt text (get_alt_text()) describes it"
            )
        return self._table

    def data_table_html(self) -> str:
        """The chart's data as an HTML table, or ``""`` when it has none."""
        return self._table.to_html() if self._table is not None else ""

    def set_alt_text(self, text: str) -> None:
        """Sets the text a screen reader reads in place of the chart."""
        self._alt_text = " ".join(str(text).split())

    def get_alt_text(self) -> str:
        """The text a screen reader reads in place of the chart."""
        return self._alt_text

    def to_png(self, dpi: int = 100) -> bytes:
        """The chart as PNG bytes, its alt text in the PNG's ``Description``."""
        buffer = io.BytesIO()
        self.savefig(buffer, format="png", dpi=dpi, metadata={"Description": self._alt_text})
        return buffer.getvalue()

    def to_html(self, dpi: int = 100) -> str:
        """An ``<img>`` element holding the PNG, with the alt text."""
        data = base64.b64encode(self.to_png(dpi)).decode("ascii")
        return _img(data, self._alt_text)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        data = base64.b64encode(self.to_png()).decode("ascii")
        return {
            "image/png": data,
            "text/html": _img(data, self._alt_text, self.data_table_html()),
            "text/plain": f"Chart: {self._alt_text}",
        }


def _img(data: str, alt: str, table: str = "") -> str:
    return render("chart.html", data=data, alt=alt, table=table)


def _sources_head(chosen: Iterable[str]) -> list[str]:
    return [f"Source {s}" for s in chosen]


# --------------------------------------------------------------------------- helpers


def _check_sources(sources: Iterable[str]) -> tuple[str, ...]:
    chosen = tuple(dict.fromkeys(str(s).upper() for s in sources))
    unknown = [s for s in chosen if s not in SOURCE_IDS]
    if unknown:
        raise ValueError(
            f"unknown source(s) {', '.join(map(repr, unknown))}: the sources are A, B and C"
        )
    if not chosen:
        raise ValueError("no sources chosen: give at least one of 'A', 'B' and 'C'")
    return tuple(s for s in SOURCE_IDS if s in chosen)


def _tint(color: str, amount: float = 0.65) -> tuple[float, float, float]:
    """``color`` mixed with white; ``amount`` is the share of white."""
    return tuple(c + (1 - c) * amount for c in to_rgb(color))  # type: ignore[return-value]


def source_label(source_id: str, *, wrap: bool = True, width: int = 40) -> str:
    """How charts and their controls name a source, from its catalog entry.

    Args:
        source_id: ``"A"``, ``"B"`` or ``"C"``.
        wrap: ``"Source A"`` on one line, then its short description wrapped to ``width``
            characters; else all on one line, ``"Source A (<short description>)"``.
        width: The width of the wrapped lines.

    Raises:
        KeyError: There is no such source.
    """
    short = _sources.get(source_id).catalog["short"]
    if not wrap:
        return f"Source {source_id} ({short})"
    return f"Source {source_id}\n" + textwrap.fill(short, width)


def _day(value: str | int | date | None, *, last: bool) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        parsed = parse_date(str(value))
    except ValueError as err:
        raise ValueError(f"{value!r} is not a date for the timeline: {err}") from None
    return parsed.end if last else parsed.start


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _short(fd: FuzzyDate) -> str:
    """A compact label: ``22 Feb 2012``, ``Mar 2011``, ``1–10 Dec 2011``, ``Mar 2012–May 2014``."""
    if fd.precision == "year":
        return str(fd.start.year)
    if fd.precision == "month":
        return f"{_MONTHS[fd.start.month - 1]} {fd.start.year}"
    if fd.precision == "day":
        return f"{fd.start.day} {_MONTHS[fd.start.month - 1]} {fd.start.year}"
    first, last = (parse_date(p) for p in fd.text.split("/"))
    if first.precision == last.precision == "day":
        a, b = first.start, last.start
        if (a.year, a.month) == (b.year, b.month):
            return f"{a.day}–{b.day} {_MONTHS[a.month - 1]} {a.year}"
        if a.year == b.year:
            return f"{a.day} {_MONTHS[a.month - 1]}–{b.day} {_MONTHS[b.month - 1]} {a.year}"
    if first.precision == last.precision == "month" and first.start.year == last.start.year:
        months = f"{_MONTHS[first.start.month - 1]}–{_MONTHS[last.start.month - 1]}"
        return f"{months} {first.start.year}"
    return f"{_short(first)}–{_short(last)}"


def _as_printed(event: Event, source: str) -> FuzzyDate:
    """The event's date as precisely as this source prints it: a source that prints only the
    month ("in March 2012", B-13) is drawn across the month, not on the day another source
    gives (1 March, A-32). Dates worked out from relative words keep the event's precision."""
    when = event.date
    if when.precision != "day" or event.best_report(source).dating != "explicit":
        return when
    found = "year"
    for report in event.reports:
        if report.source != source or report.dating != "explicit":
            continue
        words = report.date_words or ""
        if not words or re.search(rf"(?<!\d){when.start.day}(?!\d)", words):
            return when
        if calendar.month_name[when.start.month] in words:
            found = "month"
    if found == "month":
        return parse_date(f"{when.start.year}-{when.start.month:02d}")
    return parse_date(str(when.start.year))


def _best_dating(event: Event, source: str) -> str:
    """How directly a source dates an event: ``explicit``, ``worked out`` or ``undated``."""
    return _DATING_KEY[event.best_report(source).dating]


def _no_data(ax: Axes, text: str) -> None:
    ax.text(
        0.5, 0.5, text, ha="center", va="center", transform=ax.transAxes, color=_GREY, wrap=True
    )


# --------------------------------------------------------------------------- timeline


def timeline(
    events: Iterable[Event] | None = None,
    sources: Iterable[str] = SOURCE_IDS,
    start: str | int | date | None = None,
    end: str | int | date | None = None,
) -> Chart:
    """The events on a date axis, one lane for each source that reports them.

    Exact days are points; dates known only to a month or a year, or only as a range, are bars
    spanning every day they could be. The fill says how the source dates the event: printed,
    worked out from its words ("a day later", "on Friday"), or not dated at all. Each event has
    a number (its place in the whole timeline), explained in the key under the chart.

    Args:
        events: The events to show; the whole knowledge base by default.
        sources: The sources whose lanes to draw, e.g. ``("A",)``.
        start: The first day shown, as a date or ``"2011"``, ``"2011-03"``, ``"2011-03-15"``;
            the earliest event by default.
        end: The last day shown, in the same forms (``"2012"`` means to 31 December 2012);
            the latest event by default.

    Returns:
        The chart: ``axes[0]`` the lanes, ``axes[1]`` the key.

    Raises:
        ValueError: An unknown or no source, a malformed date, or ``start`` after ``end``.
    """
    chosen = _check_sources(sources)
    ordered = sorted(
        knowledge.load().timeline() if events is None else events,
        key=lambda e: (e.date.start, e.date.end, e.id),
    )
    numbers = {e.id: n for n, e in enumerate(ordered, start=1)}
    first, last = _day(start, last=False), _day(end, last=True)
    if first and last and first > last:
        raise ValueError(f"the timeline would start ({first}) after it ends ({last})")
    if first is None:
        first = min((e.date.start for e in ordered), default=date(1963, 1, 1))
    if last is None:
        last = max((e.date.end for e in ordered), default=date(2024, 12, 31))
    visible = [
        e
        for e in ordered
        if e.date.end >= first and e.date.start <= last and set(e.sources) & set(chosen)
    ]
    pad = timedelta(days=max(2, round((last - first).days * 0.015)))
    lo, hi = first - pad, last + pad + timedelta(days=1)
    span = (hi - lo).days

    # Place every item (event in a lane) on a row of its lane so that no two numbers collide.
    axes_width = _WIDTH - 2.2
    char = 0.62 * 8 / 72 / axes_width  # one digit at 8 points, as a share of the axes' width
    half = 4.5 / 72 / axes_width + 0.001  # half a marker (9 points)
    lanes: dict[str, list[tuple[Event, int, float, float, str, FuzzyDate]]] = {}
    for source in chosen:
        rows: list[float] = []
        placed = []
        for event in (e for e in visible if source in e.sources):
            when = _as_printed(event, source)
            if when.precision == "day":
                x0 = x1 = ((when.start - lo).days + 0.5) / span
                left, right = x0 - half, x1 + half
            else:
                x0 = (max(when.start, lo) - lo).days / span
                x1 = ((min(when.end, hi) - lo).days + 1) / span
                x0, x1 = min(x0, 1.0), min(x1, 1.0)
                if x1 - x0 < 0.006:
                    middle = (x0 + x1) / 2
                    x0, x1 = middle - 0.003, middle + 0.003
                left, right = x0, x1
            label = len(str(numbers[event.id])) * char + 0.005
            fixed = _corrected_span(event, lo, hi, span)
            # A corrected date lies to one side of the given one, with its arrow and dagger:
            # the number goes on the other side.
            if fixed is not None and fixed[0] >= x1 and left - label > 0.005:
                side = "left"
            else:
                side = "right" if right + label < 0.995 else "left"
            if side == "right":
                right += label
            else:
                left -= label
            if fixed is not None:  # the corrected date and its dagger share the row
                left = min(left, fixed[0])
                right = max(right, fixed[1] + 2 * char)
            row = next((i for i, edge in enumerate(rows) if left > edge + 0.004), len(rows))
            if row == len(rows):
                rows.append(right)
            rows[row] = right
            placed.append((event, row, x0, x1, side, when))
        lanes[source] = placed

    heights = {s: max(2, 1 + max((p[1] for p in lanes[s]), default=0)) for s in chosen}
    rows_total = sum(heights.values()) + 0.8 * (len(chosen) - 1)
    key_rows = -(-len(visible) // 2)
    corrected = [e for e in visible if e.correction is not None]
    note_rows = 2
    notes = [
        textwrap.fill(
            f"\u2020 Event {numbers[e.id]}, context (not from the sources): "
            f"{e.correction_note()}"
            + (
                " The dotted outline marks the corrected date."
                if _corrected_span(e, lo, hi, span) is not None
                else ""
            ),
            150,
        )
        for e in corrected
    ]
    chart_height = 1.4 + 0.26 * rows_total
    key_height = 0.35 + 0.2 * (key_rows + note_rows * len(notes))
    fig = Chart(figsize=(_WIDTH, chart_height + key_height + 0.9))
    top, bottom = fig.subfigures(2, 1, height_ratios=[chart_height + 0.9, key_height])
    ax = top.add_subplot()
    key = bottom.add_subplot()

    base = 0.0
    centres = []
    for source in chosen:
        style = SOURCE_STYLES[source]
        height = heights[source]
        ax.axhspan(base - 0.5, base + height - 0.5, color=_tint(style.color, 0.9), zorder=0, lw=0)
        centres.append(base + (height - 1) / 2)
        if not lanes[source]:
            ax.text(
                0.01,
                base + (height - 1) / 2,
                f"Source {source} reports no event in this period",
                transform=ax.get_yaxis_transform(),
                va="center",
                fontsize=8,
                color=_GREY,
            )
        for event, row, x0, x1, side, when in lanes[source]:
            y = base + row
            dating = _best_dating(event, source)
            face, edge, hatch, lstyle = {
                "explicit": (style.color, _INK, None, "-"),
                "worked out": ("white", style.color, "////", "-"),
                "undated": (_tint(style.color), style.color, None, "--"),
            }[dating]
            if when.precision == "day":
                ax.plot(
                    [lo + timedelta(days=x0 * span)],
                    [y],
                    marker=style.marker,
                    ls="none",
                    markersize=9,
                    markerfacecolor=face,
                    markeredgecolor=edge,
                    markeredgewidth=2 if dating == "worked out" else 1,
                    zorder=3,
                    gid=f"{source}:{event.id}",
                )
            else:
                rect = Rectangle(
                    (mdates.date2num(lo) + x0 * span, y - 0.28),
                    (x1 - x0) * span,
                    0.56,
                    facecolor=face,
                    edgecolor=edge,
                    hatch=hatch,
                    linestyle=lstyle,
                    linewidth=1.5 if dating != "explicit" else 0.8,
                    zorder=2,
                    gid=f"{source}:{event.id}",
                )
                if hatch:
                    rect.set_hatchcolor(style.color)
                ax.add_patch(rect)
            gap = half + 0.002 if when.precision == "day" else 0.003
            x_text = x1 + gap if side == "right" else x0 - gap
            ax.text(
                mdates.date2num(lo) + x_text * span,
                y,
                str(numbers[event.id]),
                fontsize=8,
                ha="left" if side == "right" else "right",
                va="center",
                zorder=4,
            )
            fixed = _corrected_span(event, lo, hi, span)
            if fixed is not None:
                _draw_correction(ax, lo, span, y, (x0, x1), fixed, source, event.id)
        base += height + 0.8

    ax.set_xlim(mdates.date2num(lo), mdates.date2num(hi))
    ax.set_ylim(base - 0.8 - 0.5, -0.5)
    ax.set_yticks(centres, [source_label(s, width=18) for s in chosen], fontsize=9)
    for tick in ax.get_yticklabels():
        tick.set_color(_INK)
        tick.set_fontweight("bold")
    locator = mdates.AutoDateLocator(minticks=5, maxticks=12)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator, show_offset=False))
    ax.xaxis_date()
    ax.grid(axis="x", color="#dddddd", lw=0.6, zorder=1)
    ax.set_axisbelow(True)
    period = _period(first, last) if start or end else f"{first.year} to {last.year}"
    ax.set_title(
        f"Events in Homs as the sources report them, {period}", loc="left", fontweight="bold"
    )
    ax.set_xlabel("Date (worked out from each source's wording where it gives no date)")
    ax.set_ylabel("Source reporting the event")
    handles = _timeline_legend()
    if any(_corrected_span(e, lo, hi, span) is not None for e in corrected):
        handles.append(
            Patch(
                facecolor="none",
                edgecolor=_INK,
                linestyle=":",
                lw=1.4,
                label="\u2020 corrected date (context, not from the sources)",
            )
        )
    top.legend(handles=handles, loc="outside lower center", ncols=3, fontsize=8, frameon=False)

    key.set_axis_off()
    key.set_xlim(0, 1)
    key.set_ylim(key_rows + 0.3 + len(notes) * note_rows, -0.7)
    key.text(0, -0.7, "Key: number, date, event", fontsize=8, fontweight="bold", va="top")
    for i, event in enumerate(visible):
        col, row = divmod(i, key_rows) if key_rows else (0, 0)
        x = 0.5 * col
        key.text(x + 0.02, row + 0.5, str(numbers[event.id]), fontsize=8, ha="right", va="center")
        when = _short(event.date) + (" \u2020" if event.correction else "")
        key.text(x + 0.03, row + 0.5, when, fontsize=8, va="center", color=_GREY)
        key.text(
            x + 0.16,
            row + 0.5,
            textwrap.shorten(event.title, 52, placeholder="…"),
            fontsize=8,
            va="center",
        )
    for i, note in enumerate(notes):
        key.text(
            0,
            key_rows + 0.5 + i * note_rows,
            note,
            fontsize=8,
            va="top",
            color=_INK,
            gid="correction",
        )
    if not visible:
        _no_data(ax, "No event in this period is reported by the chosen sources.")

    lines = []
    for source in chosen:
        told = [f"{numbers[e.id]}. {e.title}: {e.date_text()}." for e, *_ in lanes[source]]
        lines.append(
            f"Source {source} reports {plural(len(told), 'event')}"
            + (f". {' '.join(told)}" if told else ".")
        )
    fixes = [
        f"Event {numbers[e.id]}: {e.correction_note()}"
        + (
            f" The corrected date, {e.correction.date.label()}, is marked on the chart by a "
            "dotted black outline and a dagger."
            if _corrected_span(e, lo, hi, span) is not None
            else ""
        )
        for e in corrected
        if e.correction is not None
    ]
    fig.set_alt_text(
        f"Timeline of events in Homs, {period}, one lane per source "
        f"({join_and([f'Source {s}' for s in chosen])}). Exact days are points; dates known only "
        f"to a month, a year or a range are bars. {plural(len(visible), 'event')}. "
        + " ".join(lines)
        + (" Context (not from the sources): " + " ".join(fixes) if fixes else "")
    )
    fig.set_data_table(
        f"Events in Homs as the sources report them, {period}: each event's number on the "
        "chart, its date, and how each source dates it",
        ["Event", "Number on the chart", "Date", *_sources_head(chosen)],
        [
            [
                event.title,
                numbers[event.id],
                event.date_text(),
                *(
                    DATING_STYLES[_best_dating(event, s)] if s in event.sources else "not reported"
                    for s in chosen
                ),
            ]
            for event in visible
        ],
    )
    return fig


def _corrected_span(event: Event, lo: date, hi: date, span: int) -> tuple[float, float] | None:
    """Where an event's corrected date lies across the axes (shares of their width), or
    ``None`` when it has no correction or the correction falls outside the period shown."""
    if event.correction is None:
        return None
    fixed = event.correction.date
    if fixed.end < lo or fixed.start > hi:
        return None
    x0 = (max(fixed.start, lo) - lo).days / span
    x1 = ((min(fixed.end, hi) - lo).days + 1) / span
    if x1 - x0 < 0.006:
        middle = (x0 + x1) / 2
        x0, x1 = middle - 0.003, middle + 0.003
    return x0, x1


def _draw_correction(
    ax: Axes,
    lo: date,
    span: int,
    y: float,
    given: tuple[float, float],
    fixed: tuple[float, float],
    source: str,
    event_id: str,
) -> None:
    """The corrected date of an event, from outside the texts: a dotted black outline on the
    event's row, an arrow from the date the source gives, and a dagger that the key explains."""
    origin = mdates.date2num(lo)
    ax.add_patch(
        Rectangle(
            (origin + fixed[0] * span, y - 0.3),
            (fixed[1] - fixed[0]) * span,
            0.6,
            facecolor="none",
            edgecolor=_INK,
            linestyle=":",
            linewidth=1.4,
            zorder=3,
            gid=f"{source}:{event_id}:correction",
        )
    )
    if fixed[0] > given[1]:
        ax.annotate(
            "",
            xy=(origin + fixed[0] * span, y),
            xytext=(origin + given[1] * span, y),
            arrowprops={"arrowstyle": "->", "color": _INK, "lw": 0.8, "linestyle": ":"},
            zorder=3,
        )
    ax.text(
        origin + fixed[1] * span + span * 0.002,
        y,
        "\u2020",
        fontsize=9,
        fontweight="bold",
        ha="left",
        va="center",
        zorder=4,
    )


def _period(first: date, last: date) -> str:
    if first.year == last.year:
        if first.month == last.month:
            return f"{_MONTHS[first.month - 1]} {first.year}"
        return f"{_MONTHS[first.month - 1]} to {_MONTHS[last.month - 1]} {first.year}"
    if (first.month, first.day, last.month, last.day) == (1, 1, 12, 31):
        return f"{first.year} to {last.year}"
    return f"{_MONTHS[first.month - 1]} {first.year} to {_MONTHS[last.month - 1]} {last.year}"


def _timeline_legend() -> list[Any]:
    grey = _GREY
    return [
        Line2D(
            [],
            [],
            marker="o",
            ls="none",
            markersize=8,
            markerfacecolor=grey,
            markeredgecolor=_INK,
            label="exact day (point; marker by source)",
        ),
        Patch(facecolor=grey, edgecolor=_INK, label="month, year or range (bar)"),
        Patch(facecolor=grey, edgecolor=_INK, label=DATING_STYLES["explicit"]),
        Patch(
            facecolor="white",
            edgecolor=grey,
            hatch="////",
            lw=1.5,
            label=DATING_STYLES["worked out"],
        ),
        Patch(
            facecolor=_tint(grey),
            edgecolor=grey,
            linestyle="--",
            lw=1.5,
            label=DATING_STYLES["undated"],
        ),
    ]


# --------------------------------------------------------------------------- coverage


def _source_bars(
    ax: Any,
    values: Mapping[str, Sequence[float]],
    *,
    horizontal: bool = False,
    labels: Mapping[str, str] | None = None,
    bar_labels: Mapping[str, Sequence[str]] | None = None,
    fontsize: int = 8,
) -> None:
    """Grouped bars: in each group, one bar per source, side by side, in the source's colour and
    hatch, each labelled with its value (or with ``bar_labels``)."""
    thickness = 0.26
    draw = ax.barh if horizontal else ax.bar
    for i, source in enumerate(SOURCE_IDS):
        style = SOURCE_STYLES[source]
        heights = values[source]
        where = [j + (i - 1) * thickness for j in range(len(heights))]
        label = (labels or {}).get(source) or source_label(source, wrap=False)
        bars = draw(
            where,
            heights,
            thickness,
            color=style.color,
            hatch=style.hatch,
            edgecolor=_INK,
            linewidth=0.5,
            label=label,
        )
        for bar in bars:
            bar.set_hatchcolor("white")
        ax.bar_label(bars, labels=(bar_labels or {}).get(source), fontsize=fontsize, padding=2)


def source_coverage() -> Chart:
    """How many events each source reports in each year, for the years any source covers.

    An event spanning several years (the siege, 2012 to 2014) counts in each of them. An event
    counts in the year the sources give; where that date is known to be wrong, the year's label
    has a dagger and a note under the chart gives the correction (context).
    """
    kb = knowledge.load()
    counts: dict[str, Counter[int]] = {s: Counter() for s in SOURCE_IDS}
    for event in kb.events:
        for year in range(event.date.start.year, event.date.end.year + 1):
            for source in event.sources:
                counts[source][year] += 1
    years = sorted({y for c in counts.values() for y in c})
    corrected = kb.corrected_events()
    fixes = [
        f"The event \u201c{e.title}\u201d is counted in {e.date.year}, the year the sources "
        f"give. {e.correction_note()}"
        for e in corrected
    ]
    daggered = {y for e in corrected for y in range(e.date.start.year, e.date.end.year + 1)}
    fig = Chart(figsize=(_WIDTH, 4.8 + (0.5 if fixes else 0)))
    if fixes:
        top, bottom = fig.subfigures(2, 1, height_ratios=[4.8, 0.5])
        bottom.text(
            0.01,
            0.5,
            textwrap.fill("\u2020 Context (not from the sources): " + " ".join(fixes), 150),
            fontsize=8,
            va="center",
            color=_INK,
            gid="correction",
        )
    else:
        top = fig
    ax = top.add_subplot()
    _source_bars(ax, {s: [counts[s][y] for y in years] for s in SOURCE_IDS})
    ax.set_xticks(range(len(years)), [f"{y} \u2020" if y in daggered else str(y) for y in years])
    ax.set_xlabel("Year (only years in which at least one source reports an event)")
    ax.set_ylabel("Events reported")
    ax.set_title("Which years each source covers", loc="left", fontweight="bold")
    ax.set_ylim(0, max((max(c.values(), default=0) for c in counts.values()), default=1) * 1.18)
    ax.yaxis.get_major_locator().set_params(integer=True)
    top.legend(loc="outside lower center", ncols=3, fontsize=8, frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    parts = []
    for source in SOURCE_IDS:
        told = [f"{y}: {counts[source][y]}" for y in years if counts[source][y]]
        parts.append(
            f"Source {source} reports events in {len(told)} of these years ({', '.join(told)})."
        )
    fig.set_alt_text(
        f"Grouped bar chart of the number of events each source reports per year, for the years "
        f"{join_and([str(y) for y in years])}. "
        + " ".join(parts)
        + (" Context (not from the sources): " + " ".join(fixes) if fixes else "")
    )
    fig.set_data_table(
        "Events each source reports in each year (an event spanning several years counts in "
        "each of them)",
        ["Year", *_sources_head(SOURCE_IDS)],
        [
            [f"{y} \u2020" if y in daggered else y, *(counts[s][y] for s in SOURCE_IDS)]
            for y in years
        ],
        ["\u2020 Context (not from the sources): " + " ".join(fixes)] if fixes else (),
    )
    return fig


def dating_methods() -> Chart:
    """How each source dates the events it reports: printed, worked out, or not dated."""
    kb = knowledge.load()
    counts = {
        s: Counter(_best_dating(e, s) for e in kb.events if s in e.sources) for s in SOURCE_IDS
    }
    fig = Chart(figsize=(_WIDTH, 3.6))
    ax = fig.add_subplot()
    styles = {
        "explicit": (_INK, None, _INK),
        "worked out": ("white", "////", _INK),
        "undated": ("#bbbbbb", None, _INK),
    }
    ys = list(range(len(SOURCE_IDS)))
    lefts = [0] * len(SOURCE_IDS)
    for kind, label in DATING_STYLES.items():
        face, hatch, edge = styles[kind]
        widths = [counts[s][kind] for s in SOURCE_IDS]
        bars = ax.barh(
            ys,
            widths,
            left=lefts,
            color=face,
            hatch=hatch,
            edgecolor=edge,
            height=0.6,
            label=label,
            linewidth=0.8,
        )
        ax.bar_label(
            bars,
            labels=[str(w) if w else "" for w in widths],
            label_type="center",
            fontsize=10,
            fontweight="bold",
            color="white" if kind == "explicit" else _INK,
            bbox={"facecolor": "white", "edgecolor": "none", "pad": 2.5}
            if kind == "worked out"
            else None,
        )
        lefts = [a + b for a, b in zip(lefts, widths, strict=True)]
    ax.set_yticks(ys, [source_label(s, width=24) for s in SOURCE_IDS], fontsize=9)
    ax.invert_yaxis()
    ax.set_xlabel("Events reported")
    ax.set_ylabel("Source")
    ax.set_title("How each source dates the events it reports", loc="left", fontweight="bold")
    ax.xaxis.get_major_locator().set_params(integer=True)
    fig.legend(loc="outside lower center", ncols=3, fontsize=8, frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    fig.set_alt_text(
        "Stacked bar chart: for each source, how many of the events it reports it dates by "
        "printing the date, by words that need working out, or not at all. "
        + " ".join(
            f"Source {s}: {counts[s]['explicit']} printed, {counts[s]['worked out']} worked out, "
            f"{counts[s]['undated']} undated."
            for s in SOURCE_IDS
        )
    )
    fig.set_data_table(
        "How each source dates the events it reports: the number of events dated each way",
        ["Source", *DATING_STYLES.values(), "All events it reports"],
        [
            [
                source_label(s, wrap=False),
                *(counts[s][kind] for kind in DATING_STYLES),
                sum(counts[s].values()),
            ]
            for s in SOURCE_IDS
        ],
    )
    return fig


def dating_evidence() -> Chart:
    """When each source was published, as its catalog entry dates it from internal evidence.

    Bars span every day the text could have been written; a star (a day) or a dark band (a
    month) marks the most likely date; Source A's later update is drawn as its own bar. The
    2012 and 2024 dates are twelve years apart, so the chart has two panels.
    """
    loaded = _sources.load()
    rows = []  # (label, FuzzyDate, most likely or None, basis, panel)
    for sid in SOURCE_IDS:
        published = loaded[sid].catalog["published"]
        when = parse_date(str(published["date"]))
        likely = parse_date(str(published["most_likely"])) if published.get("most_likely") else None
        rows.append((source_label(sid, width=24), sid, when, likely, published["basis"]))
        update = published.get("update")
        if update:
            ids = ", ".join(update.get("sentences", []))
            rows.append(
                (
                    f"Source {sid}: later update\n(sentence {ids})",
                    sid,
                    parse_date(str(update["date"])),
                    None,
                    "context" if update.get("context") else published["basis"],
                )
            )
    early = [r for r in rows if r[2].end.year < 2020]
    late = [r for r in rows if r[2].end.year >= 2020]
    panels = [p for p in (early, late) if p]
    fig = Chart(figsize=(_WIDTH, 1.9 + 0.55 * len(rows)))
    axes = fig.subplots(1, len(panels), sharey=True, width_ratios=[1.4, 1][: len(panels)])
    axes = list(axes) if len(panels) > 1 else [axes]
    labels = [r[0] for r in rows]  # unique: one row per source, plus its update
    for ax, panel in zip(axes, panels, strict=True):
        first = min(r[2].start for r in panel)
        last = max(r[2].end for r in panel)
        pad = timedelta(days=max(2, (last - first).days // 12))
        for label, sid, when, likely, basis in panel:
            y = labels.index(label)
            style = SOURCE_STYLES[sid]
            hatch = "////" if basis == "context" else None
            ax.barh(
                y,
                (when.end - when.start).days + 1,
                left=mdates.date2num(when.start),
                height=0.5,
                color=_tint(style.color, 0.45),
                edgecolor=style.color,
                hatch=hatch,
                linewidth=1.2,
                zorder=2,
            )
            if likely is not None and likely.precision == "day":
                ax.plot(
                    mdates.date2num(likely.start) + 0.5,
                    y,
                    marker="*",
                    markersize=16,
                    color=_INK,
                    markeredgecolor="white",
                    zorder=4,
                    ls="none",
                )
            elif likely is not None:
                ax.barh(
                    y,
                    (likely.end - likely.start).days + 1,
                    left=mdates.date2num(likely.start),
                    height=0.5,
                    color=_INK,
                    zorder=3,
                )
            ax.annotate(
                _short(when) + (f"\nmost likely {_short(likely)}" if likely else ""),
                (mdates.date2num(when.end) + 1, y),
                xytext=(6, 0),
                textcoords="offset points",
                va="center",
                fontsize=8,
                annotation_clip=False,
            )
        ax.set_xlim(mdates.date2num(first - pad), mdates.date2num(last + pad * 5))
        if (last - first).days < 90:
            locator = mdates.DayLocator(bymonthday=(1, 8, 15, 22))
        elif (last - first).days < 4 * 365:
            locator = mdates.MonthLocator(bymonth=(1, 7))
        else:
            locator = mdates.AutoDateLocator(minticks=3, maxticks=6)
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator, show_offset=False))
        ax.grid(axis="x", color="#dddddd", lw=0.6)
        ax.set_axisbelow(True)
        ax.set_xlabel(
            f"Date ({first.year})"
            if first.year == last.year
            else f"Date ({first.year} to {last.year})"
        )
        ax.spines[["top", "right"]].set_visible(False)
    axes[0].set_yticks(range(len(labels)), labels)
    axes[0].set_ylim(len(labels) - 0.5, -0.5)
    axes[0].set_ylabel("Source")
    fig.suptitle(
        "When were the texts written? Dates from internal evidence",
        x=0.01,
        ha="left",
        fontweight="bold",
    )
    fig.legend(
        handles=[
            Patch(facecolor="#cccccc", edgecolor=_GREY, label="could have been written"),
            Patch(
                facecolor="#cccccc",
                edgecolor=_GREY,
                hatch="////",
                label="needs context from outside the text",
            ),
            Patch(facecolor=_INK, label="most likely month"),
            Line2D(
                [], [], marker="*", markersize=14, color=_INK, ls="none", label="most likely day"
            ),
        ],
        loc="outside lower center",
        ncols=4,
        fontsize=8,
        frameon=False,
    )
    parts = []
    table = []
    for label, sid, when, likely, basis in rows:
        name = (
            source_label(sid, wrap=False)
            if label.startswith(f"Source {sid}\n")
            else label.replace("\n", " ")
        )
        text = f"{name}: {when.label()}"
        if likely:
            text += f", most likely {likely.label()}"
        parts.append(text + f" ({'from context' if basis == 'context' else 'from the text'}).")
        table.append(
            [
                name,
                when.label(),
                likely.label() if likely else "not narrowed down",
                "context from outside the text" if basis == "context" else "the text itself",
            ]
        )
    fig.set_alt_text(
        "Bar chart of the dates each text could have been written, with the most likely date "
        "marked. " + " ".join(parts)
    )
    fig.set_data_table(
        "When each text could have been written, worked out from internal evidence",
        ["Text", "Could have been written", "Most likely", "Worked out from"],
        table,
    )
    return fig


# --------------------------------------------------------------------------- discrepancies

#: The states a source can be in on one disputed point, with their fill, hatch and cell text.
_STATES: Mapping[str, tuple[str, str | None, str]] = {
    "reports": (PALETTE["sky blue"], None, "reports"),
    "differs": (PALETTE["orange"], "//", "differs"),
    "differs within itself": (PALETTE["reddish purple"], "xx", "differs\nwithin itself"),
    "silent": ("white", "..", "silent"),
    "not compared": ("#eeeeee", None, "–"),
}


def discrepancy_states(discrepancy: Discrepancy) -> dict[str, str]:
    """Each source's state on one point.

    The states are ``reports``, ``differs``, ``differs within itself``, ``silent`` and
    ``not compared`` (the source has no version of this point).

    A source *reports* the point when it gives it in agreement with another source (same
    ``value``, or wording shared in a ``dependence``) or, in an ``omission``, when it is the
    one that speaks. It *differs* when its version is its own. Where every version comes from
    one source, that source *differs within itself*.
    """
    states = dict.fromkeys(SOURCE_IDS, "not compared")
    spoken = [v for v in discrepancy.versions if not v.silent]
    for version in discrepancy.versions:
        if version.silent:
            states[version.source] = "silent"
    if discrepancy.within_one_source:
        for version in spoken:
            states[version.source] = "differs within itself"
        return states
    values = Counter(v.value for v in spoken if v.value is not None)
    for version in spoken:
        if discrepancy.type in ("dependence", "omission"):
            state = "reports"
        elif version.value is not None:
            shared = values[version.value] > 1 and values[version.value] == max(values.values())
            state = "reports" if shared else "differs"
        else:
            state = "differs"
        if states[version.source] in ("not compared", "silent", "reports"):
            states[version.source] = state if states[version.source] != "differs" else "differs"
        if state == "differs":
            states[version.source] = "differs"
    return states


def discrepancy_matrix(
    topics: Iterable[str] | None = None, kinds: Iterable[str] | None = None
) -> Chart:
    """The discrepancies claim by claim: one row per point, one column per source.

    Each cell says whether that source reports the point, gives a version that differs, is
    silent, or is not part of the comparison; a text label and a hatch repeat what the colour
    says. The kind of discrepancy is written beside each row.

    Args:
        topics: Discrepancy ids to show, in this order; all of them by default.
        kinds: Only discrepancies of these kinds (keys of
            :data:`homs.knowledge.DISCREPANCY_TYPES`), e.g. ``("contradiction", "omission")``.

    Raises:
        KeyError: An id is not in the knowledge base.
        ValueError: An unknown kind.
    """
    kb = knowledge.load()
    chosen = list(kb.discrepancies) if topics is None else [kb.discrepancy(t) for t in topics]
    if kinds is not None:
        wanted = _check_kinds(kinds)
        chosen = [d for d in chosen if d.type in wanted]
    n = len(chosen)
    fig = Chart(figsize=(_WIDTH, 1.9 + 0.46 * max(n, 1)))
    ax = fig.add_subplot()
    for row, disc in enumerate(chosen):
        for col, state in enumerate(discrepancy_states(disc).values()):
            face, hatch, text = _STATES[state]
            rect = Rectangle(
                (col - 0.47, row - 0.42),
                0.94,
                0.84,
                facecolor=face,
                hatch=hatch,
                edgecolor=_GREY if state == "silent" else "white",
                linewidth=1,
                gid=f"{disc.id}:{SOURCE_IDS[col]}",
            )
            if hatch:
                rect.set_hatchcolor("white" if state != "silent" else "#999999")
            ax.add_patch(rect)
            ax.text(
                col,
                row,
                text,
                ha="center",
                va="center",
                fontsize=8,
                color=_INK if state != "not compared" else _GREY,
                bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.8, "alpha": 0.85}
                if hatch
                else None,
            )
    ax.set_xlim(-0.5, len(SOURCE_IDS) - 0.5)
    ax.set_ylim(max(n, 1) - 0.5, -0.5)
    ax.set_xticks(
        range(len(SOURCE_IDS)), [source_label(s, width=24) for s in SOURCE_IDS], fontsize=9
    )
    ax.xaxis.tick_top()
    ax.set_yticks(range(n), [_wrap(d.topic, 44, lines=2) for d in chosen], fontsize=8)
    ax.tick_params(length=0)
    kinds = ax.secondary_yaxis("right")
    kinds.set_yticks(range(n), [d.type.replace("-", " ") for d in chosen], fontsize=8, color=_GREY)
    kinds.tick_params(length=0)
    kinds.set_ylabel("Kind of discrepancy", color=_GREY)
    for spine in (*ax.spines.values(), *kinds.spines.values()):
        spine.set_visible(False)
    ax.set_xlabel("Source")
    ax.set_ylabel("Point on which the sources differ")
    ax.set_title(
        "Claim by claim: what each source says on the disputed points",
        loc="left",
        fontweight="bold",
    )
    ax.legend(
        handles=[
            Patch(facecolor=f, hatch=h, edgecolor=_GREY, label=s)
            for s, (f, h, _) in _STATES.items()
        ],
        loc="upper center",
        bbox_to_anchor=(0.5, -0.02),
        ncols=5,
        fontsize=8,
        frameon=False,
    )
    if not chosen:
        _no_data(ax, "No discrepancies to show.")
    rows = []
    table = []
    for disc in chosen:
        states = discrepancy_states(disc)
        told = "; ".join(f"{s} {st}" for s, st in states.items() if st != "not compared")
        rows.append(f"{disc.topic} ({disc.type.replace('-', ' ')}): {told}.")
        table.append([disc.topic, disc.type.replace("-", " "), *states.values()])
    fig.set_alt_text(
        f"Grid of {n} points on which the sources differ (rows) against Sources A, B and C "
        "(columns); each cell says whether the source reports the point, differs, is silent, "
        "or is not compared. " + " ".join(rows)
    )
    fig.set_data_table(
        "Claim by claim: what each source says on the points on which the sources differ",
        ["Point on which the sources differ", "Kind of discrepancy", *_sources_head(SOURCE_IDS)],
        table,
    )
    return fig


def _check_kinds(kinds: Iterable[str]) -> set[str]:
    if isinstance(kinds, str):
        kinds = [kinds]
    wanted = set(kinds)
    unknown = sorted(wanted - set(knowledge.DISCREPANCY_TYPES))
    if unknown:
        raise ValueError(
            f"unknown kind(s) of discrepancy {', '.join(map(repr, unknown))}: the kinds are "
            + ", ".join(knowledge.DISCREPANCY_TYPES)
        )
    return wanted


def _wrap(text: str, width: int, lines: int) -> str:
    return "\n".join(textwrap.wrap(text, width, max_lines=lines, placeholder=" …"))


def _number(value: float) -> str:
    if value >= 1_000_000 and value % 100_000 == 0:
        return f"{value / 1_000_000:g} million"
    return f"{value:,.0f}" if value == int(value) else f"{value:,}"


def numbers_compared(topics: Iterable[str] | None = None) -> Chart:
    """The numbers the sources give for the same thing, one panel per disputed point.

    Args:
        topics: Discrepancy ids to show; by default every one in which the sources give
            different numbers.

    Raises:
        KeyError: An id is not in the knowledge base.
        ValueError: A chosen discrepancy has no numbers to compare.
    """
    kb = knowledge.load()
    if topics is None:
        chosen = [
            d
            for d in kb.discrepancies
            if len({v.value for v in d.versions if v.value is not None}) >= 2
        ]
    else:
        chosen = [kb.discrepancy(t) for t in topics]
        for disc in chosen:
            if not any(v.value is not None for v in disc.versions):
                raise ValueError(
                    f"discrepancy {disc.id!r} gives no numbers (no `value:` in "
                    "discrepancies.yaml); choose one whose versions have values"
                )
    n = max(len(chosen), 1)
    fig = Chart(figsize=(_WIDTH, 0.9 + 1.55 * n))
    axes = fig.subplots(n, 1, squeeze=False)[:, 0]
    parts = []
    table = []
    for ax, disc in zip(axes, chosen, strict=False):
        versions = list(disc.versions)
        biggest = max(v.value for v in versions if v.value is not None)
        for y, version in enumerate(versions):
            style = SOURCE_STYLES[version.source]
            where = version.citation.sentence if version.citation else "silent"
            table.append(
                [
                    disc.topic,
                    f"Source {version.source}",
                    _number(version.value)
                    if version.value is not None
                    else ("silent" if version.silent else "no number"),
                    version.citation.sentence if version.citation else "none",
                    version.says,
                ]
            )
            if version.value is None:
                says = textwrap.shorten(version.says, 100, placeholder=" …")
                ax.text(
                    0,
                    y,
                    f"  {'silent' if version.silent else 'no number'}: {says}",
                    va="center",
                    fontsize=8,
                    color=_GREY,
                )
                continue
            bar = ax.barh(
                y,
                version.value,
                height=0.62,
                color=style.color,
                hatch=style.hatch,
                edgecolor=_INK,
                linewidth=0.6,
            )
            bar[0].set_hatchcolor("white")
            ax.text(
                version.value + biggest * 0.01,
                y,
                f" {_number(version.value)}  ({where}: {textwrap.shorten(version.says, 60)})",
                va="center",
                fontsize=8,
            )
        ax.set_yticks(range(len(versions)), [f"Source {v.source}" for v in versions])
        ax.set_ylim(len(versions) - 0.5, -0.5)
        ax.set_xlim(0, biggest * 1.9)
        ax.set_title(f"{disc.topic} ({disc.type.replace('-', ' ')})", loc="left", fontsize=10)
        ax.xaxis.set_major_formatter(lambda x, _pos: _number(x) if x else "0")
        ax.spines[["top", "right"]].set_visible(False)
        ax.set_ylabel("Source", fontsize=8)
        parts.append(
            f"{disc.topic}: "
            + "; ".join(
                f"Source {v.source} "
                + (_number(v.value) if v.value is not None else "gives no number")
                for v in versions
            )
            + "."
        )
    if not chosen:
        _no_data(axes[0], "None of the points on which the sources differ gives numbers.")
    axes[-1].set_xlabel("The number each source gives")
    fig.suptitle("The numbers each source gives", x=0.01, ha="left", fontweight="bold")
    fig.set_alt_text(
        "Horizontal bar charts, one per point, of the numbers each source gives. " + " ".join(parts)
    )
    fig.set_data_table(
        "The numbers each source gives, point by point",
        ["Point", "Source", "Number", "Sentence", "What the source says"],
        table,
    )
    return fig


def discrepancy_types() -> Chart:
    """How many discrepancies there are of each kind, between sources and within one source."""
    kb = knowledge.load()
    between = Counter(d.type for d in kb.discrepancies if not d.within_one_source)
    within = Counter(d.type for d in kb.discrepancies if d.within_one_source)
    kinds = list(knowledge.DISCREPANCY_TYPES)
    fig = Chart(figsize=(_WIDTH, 4.4))
    ax = fig.add_subplot()
    ys = range(len(kinds))
    a = [between[k] for k in kinds]
    b = [within[k] for k in kinds]
    bars1 = ax.barh(
        ys,
        a,
        color=PALETTE["blue"],
        height=0.6,
        label="between sources",
        edgecolor=_INK,
        linewidth=0.6,
    )
    bars2 = ax.barh(
        ys,
        b,
        left=a,
        color=PALETTE["yellow"],
        hatch="xx",
        height=0.6,
        label="within one source",
        edgecolor=_INK,
        linewidth=0.6,
    )
    for bar in bars2:
        bar.set_hatchcolor(_GREY)
    ax.bar_label(
        bars1,
        labels=[str(v) if v else "" for v in a],
        label_type="center",
        color="white",
        fontsize=9,
    )
    totals = [x + y for x, y in zip(a, b, strict=True)]
    ax.bar_label(bars2, labels=[f"total {t}" for t in totals], fontsize=8, padding=3)
    ax.set_yticks(
        list(ys),
        [
            f"{k.replace('-', ' ')}\n{textwrap.shorten(m, 56)}"
            for k, m in knowledge.DISCREPANCY_TYPES.items()
        ],
        fontsize=8,
    )
    ax.invert_yaxis()
    ax.set_xlabel("Number of discrepancies")
    ax.set_ylabel("Kind of discrepancy")
    ax.set_title("Kinds of discrepancy between the sources", loc="left", fontweight="bold")
    ax.set_xlim(0, max([*totals, 1]) * 1.25)
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.legend(loc="lower right", fontsize=8, frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    fig.set_alt_text(
        f"Bar chart of the {len(kb.discrepancies)} discrepancies by kind. "
        + " ".join(
            f"{k.replace('-', ' ')}: {between[k] + within[k]}"
            + (f" ({within[k]} within one source)" if within[k] else "")
            + "."
            for k in kinds
        )
    )
    fig.set_data_table(
        f"The {len(kb.discrepancies)} discrepancies by kind",
        ["Kind of discrepancy", "Between sources", "Within one source", "Total"],
        [[k.replace("-", " "), between[k], within[k], between[k] + within[k]] for k in kinds],
        [f"{k.replace('-', ' ')}: {m}" for k, m in knowledge.DISCREPANCY_TYPES.items()],
    )
    return fig


# --------------------------------------------------------------------------- words and voices


def word_rates(words: Iterable[str] = WORDS) -> list[_words.TermCount]:
    """How often each source uses each word, per 1,000 words of its reading text.

    Words match whole words, ignoring case; a final ``*`` allows any ending (``"rebel*"``
    counts rebel and rebels); ``"government"`` is not counted inside ``"anti-government"``.

    Returns:
        One :class:`~homs._words.TermCount` per word and source (``count``, ``words``,
        ``per_thousand``, and the ``sentences`` it occurs in).
    """
    return _words.count_terms(_check_words(words), _sources.load())


def _check_words(words: Iterable[str]) -> list[str]:
    if isinstance(words, str):
        raise TypeError(f"give a list of words, e.g. [{words!r}], not a single string")
    chosen = list(words)
    if not chosen:
        raise ValueError("no words given: pass a list such as ['regime', 'government']")
    for word in chosen:
        _words.term_pattern(word)
    return chosen


def word_choice(words: Iterable[str] = WORDS) -> Chart:
    """How often each source uses each word per 1,000 words, as grouped horizontal bars.

    Args:
        words: Words or phrases to count; a final ``*`` allows any ending.

    Raises:
        ValueError: No words, or a malformed one.
    """
    chosen = _check_words(words)
    rates = word_rates(chosen)
    table = {(r.term, r.source): r for r in rates}
    fig = Chart(figsize=(_WIDTH, 1.6 + 0.62 * len(chosen)))
    ax = fig.add_subplot()
    biggest = max((r.per_thousand for r in rates), default=1) or 1
    _source_bars(
        ax,
        {s: [table[w, s].per_thousand for w in chosen] for s in SOURCE_IDS},
        horizontal=True,
        labels={
            s: f"{source_label(s, width=28)}\n({table[chosen[0], s].words:,} words)"
            for s in SOURCE_IDS
        },
        bar_labels={
            s: [f"{table[w, s].per_thousand:.1f} ({table[w, s].count}×)" for w in chosen]
            for s in SOURCE_IDS
        },
        fontsize=7,
    )
    ax.set_yticks(range(len(chosen)), [f"“{w}”" for w in chosen])
    ax.invert_yaxis()
    ax.set_xlim(0, biggest * 1.22)
    ax.set_xlabel("Uses per 1,000 words of the text (number of uses in brackets)")
    ax.set_ylabel("Word (* = any ending)")
    ax.set_title("Word choice: how often each source uses each word", loc="left", fontweight="bold")
    fig.legend(loc="outside lower center", ncols=3, fontsize=8, frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="x", color="#eeeeee")
    ax.set_axisbelow(True)
    fig.set_alt_text(
        "Grouped bar chart of how often Sources A, B and C use each word, per 1,000 words. "
        + " ".join(
            f"“{w}”: "
            + ", ".join(
                f"{s} {table[w, s].per_thousand:.1f} ({table[w, s].count})" for s in SOURCE_IDS
            )
            + "."
            for w in chosen
        )
    )
    fig.set_data_table(
        "How often each source uses each word: uses per 1,000 words of the text, and the number "
        "of uses",
        [
            "Word (* = any ending)",
            *(f"Source {s} ({table[chosen[0], s].words:,} words)" for s in SOURCE_IDS),
        ],
        [
            [
                f"“{w}”",
                *(
                    f"{table[w, s].per_thousand:.1f} per 1,000 ({plural(table[w, s].count, 'use')})"
                    for s in SOURCE_IDS
                ),
            ]
            for w in chosen
        ],
    )
    return fig


_KIND_ORDER = ("person", "government", "organisation", "outlet", "armed-group", "group")
_KIND_NAMES = {"armed-group": "armed group"}
_KIND_PLURALS = {"person": "people", "armed-group": "armed groups"}


def voices(sources: Iterable[str] = SOURCE_IDS) -> Chart:
    """Who is quoted, paraphrased or cited in each source: one row per voice, grouped by kind.

    Args:
        sources: The source columns to draw.
    """
    chosen = _check_sources(sources)
    kb = knowledge.load()
    shown = sorted(
        (v for v in kb.voices if set(v.sources) & set(chosen)),
        key=lambda v: (_KIND_ORDER.index(v.kind) if v.kind in _KIND_ORDER else 99, v.name),
    )
    n = len(shown)
    fig = Chart(figsize=(_WIDTH * 0.85, 1.9 + 0.3 * max(n, 1)))
    ax = fig.add_subplot()
    modes = list(MODE_STYLES)
    for row, voice in enumerate(shown):
        for col, source in enumerate(chosen):
            found = Counter(a.mode for a in voice.appearances if a.citation.source == source)
            present = [m for m in modes if found[m]]
            for k, mode in enumerate(present):
                x = col + (k - (len(present) - 1) / 2) * 0.22
                color, marker = MODE_STYLES[mode]
                ax.plot(
                    x,
                    row,
                    marker=marker,
                    markersize=9,
                    color=color,
                    markeredgecolor=_INK,
                    ls="none",
                    gid=f"{voice.id}:{source}:{mode}",
                )
                if found[mode] > 1:
                    ax.text(x + 0.07, row - 0.12, f"×{found[mode]}", fontsize=7, va="center")
    groups: dict[str, list[int]] = {}
    for row, voice in enumerate(shown):
        groups.setdefault(voice.kind, []).append(row)
        if row and voice.kind != shown[row - 1].kind:
            ax.axhline(row - 0.5, color="#bbbbbb", lw=0.8)
    ax.set_xlim(-0.5, len(chosen) - 0.5)
    ax.set_ylim(max(n, 1) - 0.5, -0.5)
    ax.set_xticks(range(len(chosen)), [source_label(s, width=20) for s in chosen], fontsize=9)
    ax.xaxis.tick_top()
    ax.set_yticks(
        range(n), [textwrap.shorten(v.name, 60, placeholder="…") for v in shown], fontsize=8
    )
    ax.tick_params(length=0)
    kinds = ax.secondary_yaxis("right")
    kinds.set_yticks(
        [sum(r) / len(r) for r in groups.values()],
        [k.replace("-", " ") for k in groups],
        fontsize=8,
        color=_GREY,
    )
    kinds.tick_params(length=0)
    kinds.set_ylabel("Kind of voice", color=_GREY)
    for spine in kinds.spines.values():
        spine.set_visible(False)
    for col in range(len(chosen) - 1):
        ax.axvline(col + 0.5, color="#bbbbbb", lw=0.8)
    ax.set_xlabel("Source")
    ax.set_ylabel("Voice")
    ax.set_title("Who speaks in each source", loc="left", fontweight="bold")
    fig.legend(
        handles=[
            Line2D(
                [],
                [],
                marker=MODE_STYLES[m][1],
                color=MODE_STYLES[m][0],
                markeredgecolor=_INK,
                ls="none",
                markersize=9,
                label=m,
            )
            for m in modes
        ]
        + [Line2D([], [], ls="none", label="×n: appears n times")],
        loc="outside lower center",
        ncols=4,
        fontsize=8,
        frameon=False,
    )
    for spine in ax.spines.values():
        spine.set_visible(False)
    if not shown:
        _no_data(ax, "No voices in the chosen sources.")
    table = []
    for voice in shown:
        cells = []
        for source in chosen:
            used = Counter(a.mode for a in voice.appearances if a.citation.source == source)
            cells.append(
                ", ".join(f"{m} {'once' if c == 1 else f'{c} times'}" for m, c in used.items())
                or "does not appear"
            )
        table.append([voice.name, _KIND_NAMES.get(voice.kind, voice.kind), *cells])
    parts = []
    for source in chosen:
        here = [v for v in shown if source in v.sources]
        described = []
        for v in here:
            used = Counter(a.mode for a in v.appearances if a.citation.source == source)
            times = [f"{m} {'once' if c == 1 else f'{c} times'}" for m, c in used.items()]
            described.append(f"{v.name} ({', '.join(times)})")
        parts.append(
            f"Source {source}: {plural(len(here), 'voice')}"
            + (f": {'; '.join(described)}." if here else ".")
        )
    fig.set_alt_text(
        f"Grid of {n} voices (rows, grouped by kind) against the sources (columns); markers show "
        "whether each voice is quoted, paraphrased or cited there. " + " ".join(parts)
    )
    fig.set_data_table(
        "Who speaks in each source: how each voice appears there (quoted, paraphrased or cited)",
        ["Voice", "Kind of voice", *_sources_head(chosen)],
        table,
    )
    return fig


def voice_kinds() -> Chart:
    """How many voices of each kind (person, government, organisation, ...) each source uses."""
    kb = knowledge.load()
    kinds = [k for k in _KIND_ORDER if any(v.kind == k for v in kb.voices)]
    kinds += sorted({v.kind for v in kb.voices} - set(kinds))
    counts = {s: Counter(v.kind for v in kb.voices if s in v.sources) for s in SOURCE_IDS}
    fig = Chart(figsize=(_WIDTH, 1.6 + 0.55 * max(len(kinds), 1)))
    ax = fig.add_subplot()
    _source_bars(ax, {s: [counts[s][k] for k in kinds] for s in SOURCE_IDS}, horizontal=True)
    ax.set_yticks(range(len(kinds)), [k.replace("-", " ") for k in kinds])
    ax.invert_yaxis()
    ax.set_xlabel("Number of different voices")
    ax.set_ylabel("Kind of voice")
    ax.set_title("What kinds of voice each source lets speak", loc="left", fontweight="bold")
    ax.xaxis.get_major_locator().set_params(integer=True)
    biggest = max((max(c.values(), default=0) for c in counts.values()), default=1)
    ax.set_xlim(0, max(biggest, 1) * 1.2)
    fig.legend(loc="outside lower center", ncols=3, fontsize=8, frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    fig.set_alt_text(
        "Grouped bar chart of the number of different voices of each kind in each source. "
        + " ".join(
            f"Source {s}: "
            + ", ".join(
                plural(counts[s][k], _KIND_NAMES.get(k, k), _KIND_PLURALS.get(k)) for k in kinds
            )
            + "."
            for s in SOURCE_IDS
        )
    )
    fig.set_data_table(
        "The number of different voices of each kind in each source",
        ["Kind of voice", *_sources_head(SOURCE_IDS)],
        [[_KIND_NAMES.get(k, k), *(counts[s][k] for s in SOURCE_IDS)] for k in kinds],
    )
    return fig
