"""Two charts of context for the lessons: a timeline of Syria and Homs from 2011 to 2025 (from
outside the texts) and a locator map of the places the texts name. Both are
:class:`homs.charts.Chart` figures drawn with matplotlib from data the package holds
(``data/context_timeline.yaml`` and ``data/places.yaml``, JSON Schemas in ``data/schema/``);
nothing is downloaded. Imports the knowledge base, the sources, :mod:`homs.charts` (the
:class:`~homs.charts.Chart` class, the palette and the sources' styles) and the helpers below
them; the HTML list of context notes comes from the autoescaping template
``reader/context_notes.html``.

Everything in the timeline is context and is labelled so; where the texts report the same
event, the chart and the notes give their sentence ids and, when the texts date it differently,
both dates. When each text was written comes from the sources' catalog.

>>> from homs import maps
>>> fig = maps.context_timeline()
>>> fig.axes[0].get_ylabel()
'Date'
>>> "Homs" in maps.locator_map().get_alt_text()
True
"""

from __future__ import annotations

import math
import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import matplotlib.dates as mdates
from matplotlib.colors import to_rgb
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Polygon, Rectangle

from homs import _schema, knowledge
from homs import sources as _sources
from homs._dates import FuzzyDate, parse_date
from homs._templates import render
from homs._text import join_and
from homs.charts import PALETTE, SOURCE_STYLES, Chart
from homs.errors import DataError, Problem
from homs.sources import SOURCE_IDS

__all__ = [
    "Atlas",
    "Border",
    "ContextEntry",
    "Place",
    "Written",
    "check",
    "context_notes",
    "context_notes_html",
    "context_timeline",
    "load_context_timeline",
    "load_places",
    "locator_map",
    "when_written",
]

CONTEXT_FILE = "context_timeline.yaml"
PLACES_FILE = "places.yaml"
_INK = "#222222"
_GREY = "#666666"
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _tint(color: str, amount: float) -> tuple[float, float, float]:
    """``color`` mixed with white; ``amount`` is the share of white."""
    return tuple(c + (1 - c) * amount for c in to_rgb(color))  # type: ignore[return-value]


def _words(text: object) -> str:
    return " ".join(str(text).split())


# --------------------------------------------------------------------------- data


@dataclass(frozen=True)
class ContextEntry:
    """One event of the context timeline: from outside the three texts.

    Attributes:
        date: When it happened, from context.
        event: The same event in ``events.yaml``, if the texts report it.
        sources_say: The sentences where the texts date it.
        sources_date: The date the texts give it (the event's date in ``events.yaml``).
    """

    id: str
    date: FuzzyDate
    label: str
    note: str
    basis: str
    event: str | None
    sources_say: tuple[str, ...]
    sources_date: FuzzyDate | None

    @property
    def differs(self) -> bool:
        """True when the texts date the event to days that do not overlap the context's."""
        d = self.sources_date
        return d is not None and (d.end < self.date.start or d.start > self.date.end)


@dataclass(frozen=True)
class Place:
    """A place the texts name, with approximate coordinates and the sentences naming it."""

    id: str
    name: str
    kind: str
    latitude: float
    longitude: float
    label: str
    sentences: tuple[str, ...]
    variants: tuple[str, ...]


@dataclass(frozen=True)
class Border:
    """One stretch of Syria's simplified outline and what lies on the other side."""

    neighbour: str
    sentences: tuple[str, ...]
    points: tuple[tuple[float, float], ...]


@dataclass(frozen=True)
class Atlas:
    """Everything the locator map draws (see ``data/places.yaml``)."""

    note: str
    places: tuple[Place, ...]
    borders: tuple[Border, ...]
    sea: tuple[tuple[float, float], ...]
    neighbours: tuple[tuple[str, float, float], ...]
    route_label: str
    route: tuple[str, ...]
    route_sentences: tuple[str, ...]

    def place(self, place_id: str) -> Place:
        """The place with this id."""
        for p in self.places:
            if p.id == place_id:
                return p
        raise KeyError(f"no place {place_id!r} in {PLACES_FILE}")

    @property
    def outline(self) -> list[tuple[float, float]]:
        """Syria's outline as one closed ring of (longitude, latitude) points."""
        ring: list[tuple[float, float]] = []
        for border in self.borders:
            ring += list(border.points[1:] if ring else border.points)
        return ring


@dataclass(frozen=True)
class Written:
    """When one or more sources were written, from the catalog."""

    sources: tuple[str, ...]
    when: FuzzyDate
    most_likely: FuzzyDate
    basis: str


def _data_dir() -> Path:
    return knowledge.data_dir()


def _check_sentences(problems: list[Problem], path: Path, item: str, ids: Sequence[str]) -> None:
    for sid in ids:
        try:
            _sources.sentence(sid)
        except KeyError as err:
            problems.append(
                Problem.at(
                    path,
                    item,
                    f"sentence {sid} does not exist ({err.args[0]})",
                    "Use an id that `homs sources --sentences` lists.",
                )
            )


def _read(path: Path, schema: str, problems: list[Problem]) -> dict[str, Any] | None:
    try:
        data = _schema.load_yaml(path)
    except DataError as err:
        problems += err.problems
        return None
    found = _schema.problems(data, schema, path)
    problems += found
    return None if found else data


def _unique(problems: list[Problem], path: Path, entries: Sequence[dict[str, Any]]) -> None:
    seen: set[str] = set()
    for entry in entries:
        if entry["id"] in seen:
            problems.append(
                Problem.at(
                    path,
                    f"entry {entry['id']!r}",
                    "this id is used twice",
                    "Give each entry its own id.",
                )
            )
        seen.add(entry["id"])


def _context(path: Path, kb: knowledge.KnowledgeBase, problems: list[Problem]) -> list[Any]:
    data = _read(path, "context_timeline", problems)
    if data is None:
        return []
    _unique(problems, path, data["entries"])
    result = []
    for e in data["entries"]:
        item = f"entry {e['id']!r}"
        try:
            when = parse_date(e["date"])
        except ValueError as err:
            problems.append(
                Problem.at(
                    path,
                    item,
                    f"malformed date: {err}",
                    "Write YYYY, YYYY-MM, YYYY-MM-DD or FIRST/LAST.",
                )
            )
            continue
        says = tuple(e.get("sources_say", ()))
        _check_sentences(problems, path, item, says)
        sources_date = None
        if e.get("event"):
            try:
                event = kb.event(e["event"])
            except KeyError as err:
                problems.append(
                    Problem.at(path, item, str(err.args[0]), "Use an event id from events.yaml.")
                )
                continue
            sources_date = event.date
            reported = {r.citation.sentence for r in event.reports}
            stray = [sid for sid in says if sid not in reported]
            if stray:
                problems.append(
                    Problem.at(
                        path,
                        item,
                        f"{', '.join(stray)} do(es) not report event {event.id!r} "
                        f"(its reports: {', '.join(sorted(reported))})",
                        "List in `sources_say` only sentences that report the event.",
                    )
                )
        result.append(
            ContextEntry(
                e["id"],
                when,
                e["label"],
                _words(e["note"]),
                e["basis"],
                e.get("event"),
                says,
                sources_date,
            )
        )
    return result


def load_context_timeline(
    path: Path | None = None, *, kb: knowledge.KnowledgeBase | None = None
) -> tuple[ContextEntry, ...]:
    """The context timeline, checked, in date order.

    Args:
        path: A ``context_timeline.yaml``; the packaged one by default.
        kb: The knowledge base the entries' ``event`` ids refer to; the packaged one by default.

    Raises:
        DataError: Listing every problem: schema errors, malformed dates, unknown sentence or
            event ids, ``sources_say`` sentences that do not report the event, duplicate ids.
    """
    if path is None and kb is None:
        return _default_context()
    problems: list[Problem] = []
    entries = _context(
        Path(path) if path else _data_dir() / CONTEXT_FILE, kb or knowledge.load(), problems
    )
    if problems:
        raise DataError(problems)
    return tuple(sorted(entries, key=lambda e: (e.date.start, e.date.end, e.id)))


@cache
def _default_context() -> tuple[ContextEntry, ...]:
    return load_context_timeline(_data_dir() / CONTEXT_FILE, kb=knowledge.load())


def _names(place: Place) -> re.Pattern[str]:
    spellings = sorted({place.name, *place.variants}, key=len, reverse=True)
    return re.compile(
        r"(?<!\w)(?:" + "|".join(re.escape(s) for s in spellings) + r")(?!\w)", re.IGNORECASE
    )


def _atlas(path: Path, problems: list[Problem]) -> Atlas | None:
    data = _read(path, "places", problems)
    if data is None:
        return None
    _unique(problems, path, data["places"])
    places = []
    for p in data["places"]:
        place = Place(
            p["id"],
            p["name"],
            p["kind"],
            float(p["latitude"]),
            float(p["longitude"]),
            p.get("label", "right"),
            tuple(p["sentences"]),
            tuple(p.get("variants", ())),
        )
        item = f"place {place.id!r}"
        _check_sentences(problems, path, item, place.sentences)
        pattern = _names(place)
        for sid in place.sentences:
            try:
                text = _sources.sentence(sid).text
            except KeyError:
                continue
            if not pattern.search(text):
                problems.append(
                    Problem.at(
                        path,
                        item,
                        f"{sid} does not name {place.name!r}",
                        "List only sentences that name the place, or add the spelling used "
                        "there to `variants`.",
                    )
                )
        places.append(place)
    borders = []
    for b in data["borders"]:
        border = Border(
            b["with"], tuple(b.get("sentences", ())), tuple((x, y) for x, y in b["points"])
        )
        _check_sentences(problems, path, f"border with {border.neighbour}", border.sentences)
        borders.append(border)
    for before, after in zip(borders, [*borders[1:], borders[0]], strict=True):
        if before.points[-1] != after.points[0]:
            problems.append(
                Problem.at(
                    path,
                    f"border with {before.neighbour}",
                    f"it ends at {list(before.points[-1])} but the next segment (with "
                    f"{after.neighbour}) starts at {list(after.points[0])}",
                    "Make each segment start where the one before it ends, and the last end "
                    "where the first starts.",
                )
            )
    ids = {p.id for p in places}
    route = data.get("route") or {"label": "", "through": [], "sentences": []}
    unknown = [r for r in route["through"] if r not in ids]
    if unknown:
        problems.append(
            Problem.at(
                path,
                "route",
                f"unknown place(s) {', '.join(unknown)}",
                "Name places by their ids in `places`.",
            )
        )
    _check_sentences(problems, path, "route", route["sentences"])
    return Atlas(
        _words(data["note"]),
        tuple(places),
        tuple(borders),
        tuple((x, y) for x, y in data["sea"]),
        tuple((n["name"], n["longitude"], n["latitude"]) for n in data.get("neighbours", ())),
        route["label"],
        tuple(route["through"]),
        tuple(route["sentences"]),
    )


def load_places(path: Path | None = None) -> Atlas:
    """The places the texts name and Syria's simplified outline, checked.

    Args:
        path: A ``places.yaml``; the packaged one by default.

    Raises:
        DataError: Listing every problem: schema errors, unknown sentence ids, a sentence listed
            for a place that does not name it, an outline whose segments do not join, a road
            through an unknown place, duplicate ids.
    """
    if path is None:
        return _default_places()
    problems: list[Problem] = []
    atlas = _atlas(Path(path), problems)
    if problems or atlas is None:
        raise DataError(problems)
    return atlas


@cache
def _default_places() -> Atlas:
    return load_places(_data_dir() / PLACES_FILE)


def check(folder: Path | None = None) -> list[Problem]:
    """Every problem in ``context_timeline.yaml`` and ``places.yaml``; empty when all is well.

    Args:
        folder: A folder holding both files; the packaged data by default.
    """
    folder = Path(folder) if folder else _data_dir()
    problems: list[Problem] = []
    try:
        kb = knowledge.load()
    except DataError as err:
        return err.problems
    _context(folder / CONTEXT_FILE, kb, problems)
    _atlas(folder / PLACES_FILE, problems)
    return problems


def when_written() -> list[Written]:
    """When the texts were written, as the catalog dates them; sources with the same most likely
    date share one entry (Sources B and C)."""
    found: dict[str, Written] = {}
    for sid in SOURCE_IDS:
        published = _sources.get(sid).catalog["published"]
        likely = parse_date(str(published.get("most_likely") or published["date"]))
        key = likely.text
        if key in found:
            w = found[key]
            basis = w.basis if w.basis == published["basis"] else "context"
            found[key] = Written((*w.sources, sid), w.when, likely, basis)
        else:
            found[key] = Written(
                (sid,), parse_date(str(published["date"])), likely, published["basis"]
            )
    return sorted(found.values(), key=lambda w: w.most_likely.start)


# --------------------------------------------------------------------------- context timeline


def _short(fd: FuzzyDate) -> str:
    """``Mar 2011``, ``27 Nov 2024``, ``18–19 Apr 2011``, ``Jun 2012–May 2014``."""
    if fd.precision == "year":
        return str(fd.start.year)
    if fd.precision == "month":
        return f"{_MONTHS[fd.start.month - 1]} {fd.start.year}"
    if fd.precision == "day":
        return f"{fd.start.day} {_MONTHS[fd.start.month - 1]} {fd.start.year}"
    first, last = (parse_date(p) for p in fd.text.split("/"))
    a, b = first.start, last.end
    if first.precision == last.precision == "day" and a.year == b.year:
        if a.month == b.month:
            return f"{a.day}–{b.day} {_MONTHS[a.month - 1]} {a.year}"
        return f"{a.day} {_MONTHS[a.month - 1]}–{b.day} {_MONTHS[b.month - 1]} {a.year}"
    if first.precision == last.precision == "month" and a.year == b.year:
        return f"{_MONTHS[a.month - 1]}–{_MONTHS[b.month - 1]} {a.year}"
    return f"{_short(first)}–{_short(last)}"


def _sources_phrase(ids: Sequence[str]) -> str:
    letters = list(dict.fromkeys(sid.split("-", 1)[0] for sid in ids))
    return ("Source " if len(letters) == 1 else "Sources ") + join_and(letters)


def _spread(wanted: Sequence[float], size: float, low: float, high: float) -> list[float]:
    """Centres for labels of height ``size`` as near ``wanted`` (ascending) as they can be
    without overlapping, all between ``low`` and ``high``: overlapping labels form a block
    centred on the mean of what they want, and blocks merge until none overlap."""
    blocks: list[list[int]] = []
    tops: list[float] = []
    for i, y in enumerate(wanted):
        blocks.append([i])
        tops.append(y - size / 2)
        while len(blocks) > 1:
            block = blocks[-1]
            top = sum(wanted[j] for j in block) / len(block) - len(block) * size / 2
            top = min(max(top, low), high - len(block) * size)
            tops[-1] = top
            before = blocks[-2]
            if tops[-2] + len(before) * size <= top:
                break
            blocks[-2] = before + block
            blocks.pop()
            tops.pop()
        block = blocks[-1]
        top = sum(wanted[j] for j in block) / len(block) - len(block) * size / 2
        tops[-1] = min(max(top, low), high - len(block) * size)
    centres = [0.0] * len(wanted)
    for block, top in zip(blocks, tops, strict=True):
        for k, j in enumerate(block):
            centres[j] = top + (k + 0.5) * size
    return centres


def context_timeline() -> Chart:
    """Context from outside the texts, 2011 to 2025, with when the texts were written.

    A vertical time line, earliest at the top. Left lane: the context entries, numbered as in
    :func:`context_notes`, a point for a day and a bar for a longer span, each labelled with
    its date and the sentence ids where the texts report it. Right lane: when the texts were
    written (from the catalog), and where the texts date an event differently from the
    context (Waer).

    Returns:
        The chart: ``axes[0]`` the time line.
    """
    entries = load_context_timeline()
    written = when_written()
    lo, hi = date(2010, 9, 1), date(2026, 4, 1)
    width, height = 10.0, 8.6
    fig = Chart(figsize=(width, height), layout=None)
    box = (0.085, 0.135, 0.895, 0.79)  # left, bottom, width, height as figure fractions
    ax = fig.add_axes(box)
    ax_h = box[3] * height  # inches
    span = mdates.date2num(hi) - mdates.date2num(lo)

    def inch(d: date) -> float:
        return (mdates.date2num(d) - mdates.date2num(lo)) / span * ax_h

    def num(y: float) -> float:
        return mdates.date2num(lo) + y / ax_h * span

    ax.set_xlim(0, 1)
    ax.set_ylim(mdates.date2num(hi), mdates.date2num(lo))
    for side in ("top", "right", "bottom"):
        ax.spines[side].set_visible(False)
    ax.spines["left"].set_linewidth(1.4)
    ax.yaxis.set_major_locator(mdates.YearLocator(1))
    ax.yaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    ax.tick_params(axis="y", labelsize=9, colors=_INK)
    ax.set_xticks([])
    ax.set_ylabel("Date", fontsize=10)
    ax.set_xlabel(
        "Left: events from outside the texts (context). Right: the texts.",
        fontsize=9,
        color=_GREY,
        labelpad=4,
    )
    for year in range(2011, 2027):
        ax.axhline(mdates.date2num(date(year, 1, 1)), color="#eeeeee", lw=0.6, zorder=0)

    context_color = PALETTE["reddish purple"]
    lane_texts = 0.62
    # The texts' writing dates as faint lines across both lanes.
    for w in written:
        color = SOURCE_STYLES[w.sources[0]].color
        y = mdates.date2num(w.most_likely.start + (w.most_likely.end - w.most_likely.start) / 2)
        ax.plot([0, lane_texts], [y, y], color=color, lw=1, ls=(0, (4, 3)), zorder=1)

    # Lane 1: context entries.
    line = 8.8 / 72  # inches per line of 8.8-point text, with leading
    size = 2 * line + 0.07
    wanted = [inch(e.date.start + (e.date.end - e.date.start) / 2) for e in entries]
    placed = _spread(wanted, size, 0.05, ax_h - 0.05)
    for n, (entry, y_want, y_label) in enumerate(zip(entries, wanted, placed, strict=True), 1):
        if entry.date.precision == "day" or (entry.date.end - entry.date.start).days < 40:
            ax.plot(
                [0],
                [num(y_want)],
                marker="D",
                markersize=6,
                color=context_color,
                markeredgecolor=_INK,
                markeredgewidth=0.6,
                clip_on=False,
                zorder=4,
                gid=f"context:{entry.id}",
            )
        else:
            ax.add_patch(
                Rectangle(
                    (-0.007, mdates.date2num(entry.date.start)),
                    0.014,
                    (entry.date.end - entry.date.start).days + 1,
                    facecolor=context_color,
                    edgecolor=_INK,
                    lw=0.6,
                    clip_on=False,
                    zorder=4,
                    gid=f"context:{entry.id}",
                )
            )
        x_text = 0.075
        ax.plot(
            [0.006, 0.03, x_text - 0.008],
            [num(y_want), num(y_label), num(y_label)],
            color=_GREY,
            lw=0.7,
            zorder=2,
        )
        said = (
            f"in the texts: {', '.join(entry.sources_say)}"
            if entry.sources_say
            else "not reported in the texts"
        )
        if entry.differs and entry.sources_date is not None:
            said += f" (dated {_short(entry.sources_date)} there)"
        ax.text(
            x_text,
            num(y_label - line / 2),
            f"{n}. {_short(entry.date)}: {entry.label}",
            fontsize=8.8,
            va="center",
            ha="left",
            color=_INK,
            fontweight="bold",
            zorder=5,
            bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.6},
        )
        ax.text(
            x_text + 0.018,
            num(y_label + line / 2),
            said,
            fontsize=8,
            va="center",
            ha="left",
            color=_GREY,
            zorder=5,
            bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.6},
        )

    # Lane 2: the texts.
    ax.plot(
        [lane_texts, lane_texts],
        [mdates.date2num(lo), mdates.date2num(hi)],
        color="#bbbbbb",
        lw=1,
        zorder=1,
    )
    marks: list[tuple[float, str, str, Any]] = []  # (inches, line 1, line 2, draw)
    for w in written:
        who = _sources_phrase([f"{s}-1" for s in w.sources])
        how = {
            "stated": "the text says so",
            "inferred": "worked out from the text",
            "context": "date from context",
        }[w.basis]
        marks.append(
            (
                inch(w.most_likely.start + (w.most_likely.end - w.most_likely.start) / 2),
                f"{who} written",
                f"most likely {_short(w.most_likely)} ({how})",
                w,
            )
        )
    for n, entry in enumerate(entries, 1):
        if entry.differs and entry.sources_date is not None:
            d = entry.sources_date
            marks.append(
                (
                    inch(d.start + (d.end - d.start) / 2),
                    f"{_sources_phrase(entry.sources_say)} print {_short(d)}",
                    f"for entry {n}, {entry.label} ({', '.join(entry.sources_say)})",
                    entry,
                )
            )
    marks.sort(key=lambda m: m[0])
    spots = _spread([m[0] for m in marks], size + 0.05, 0.05, ax_h - 0.05)
    for (y_want, first, second, what), y_label in zip(marks, spots, strict=True):
        if isinstance(what, Written):
            if what.when.precision != "day":
                ax.add_patch(
                    Rectangle(
                        (lane_texts - 0.005, mdates.date2num(what.when.start)),
                        0.01,
                        (what.when.end - what.when.start).days + 1,
                        facecolor=_tint(SOURCE_STYLES[what.sources[0]].color, 0.6),
                        edgecolor="none",
                        zorder=2,
                    )
                )
            for k, sid in enumerate(what.sources):
                style = SOURCE_STYLES[sid]
                ax.plot(
                    [lane_texts + 0.018 * k],
                    [num(y_want)],
                    marker=style.marker,
                    markersize=8,
                    color=style.color,
                    markeredgecolor=_INK,
                    markeredgewidth=0.7,
                    zorder=4,
                    gid=f"written:{sid}",
                )
        else:
            for k, sid in enumerate(dict.fromkeys(s.split("-")[0] for s in what.sources_say)):
                style = SOURCE_STYLES[sid]
                ax.plot(
                    [lane_texts + 0.018 * k],
                    [num(y_want)],
                    marker=style.marker,
                    markersize=8,
                    markerfacecolor="white",
                    markeredgecolor=style.color,
                    markeredgewidth=1.6,
                    zorder=4,
                    gid=f"sources-date:{what.id}",
                )
        x_text = lane_texts + 0.06
        ax.plot(
            [lane_texts + 0.04, x_text - 0.008],
            [num(y_want), num(y_label)],
            color=_GREY,
            lw=0.7,
            zorder=2,
        )
        ax.text(
            x_text,
            num(y_label - line / 2),
            first,
            fontsize=8.8,
            va="center",
            ha="left",
            color=_INK,
            fontweight="bold",
            zorder=5,
        )
        ax.text(
            x_text,
            num(y_label + line / 2),
            second,
            fontsize=8,
            va="center",
            ha="left",
            color=_GREY,
            zorder=5,
        )

    ax.text(
        0.0,
        1.012,
        "Context (from outside the texts)",
        transform=ax.transAxes,
        fontsize=9.5,
        fontweight="bold",
        color=context_color,
        va="bottom",
    )
    ax.text(
        lane_texts,
        1.012,
        "The three texts",
        transform=ax.transAxes,
        fontsize=9.5,
        fontweight="bold",
        color=_INK,
        va="bottom",
    )
    fig.suptitle(
        "Syria and Homs, 2011 to 2025: a context timeline (from outside the texts)",
        x=0.02,
        y=0.985,
        ha="left",
        fontsize=12.5,
        fontweight="bold",
    )
    handles = [
        Line2D(
            [],
            [],
            marker="D",
            ls="none",
            markersize=6,
            color=context_color,
            markeredgecolor=_INK,
            label="context: an event of a day or a few days",
        ),
        Patch(facecolor=context_color, edgecolor=_INK, label="context: a longer period"),
        *[
            Line2D(
                [],
                [],
                marker=SOURCE_STYLES[s].marker,
                ls="none",
                markersize=8,
                color=SOURCE_STYLES[s].color,
                markeredgecolor=_INK,
                label=f"Source {s} written",
            )
            for s in SOURCE_IDS
        ],
        Line2D(
            [],
            [],
            marker="o",
            ls="none",
            markersize=8,
            markerfacecolor="white",
            markeredgecolor=_GREY,
            markeredgewidth=1.6,
            label="a date the texts print that differs from the context",
        ),
    ]
    fig.legend(
        handles=handles,
        loc="lower left",
        bbox_to_anchor=(0.08, 0.005),
        ncols=3,
        fontsize=8,
        frameon=False,
    )

    parts = []
    for n, e in enumerate(entries, 1):
        said = (
            f" The texts report it in {join_and(list(e.sources_say))}"
            + (f", dated {e.sources_date.label()}" if e.differs and e.sources_date else "")
            + "."
            if e.sources_say
            else " Not reported in the texts."
        )
        parts.append(f"{n}. {e.date.label()}: {e.label}. {e.note}{said}")
    writing = "; ".join(
        f"{_sources_phrase([f'{s}-1' for s in w.sources])} most likely {w.most_likely.label()}"
        for w in written
    )
    fig.set_alt_text(
        "Vertical timeline of context from outside the three texts, 2011 to 2025, earliest at "
        f"the top, with when the texts were written ({writing}). " + " ".join(parts)
    )
    return fig


def context_notes_html() -> str:
    """The context timeline as a list: each entry's date, label, note, and what the texts say,
    all marked as context (from outside the texts)."""
    entries = load_context_timeline()
    rows = []
    for n, e in enumerate(entries, 1):
        if e.sources_say and e.differs and e.sources_date:
            said = (
                f"{_sources_phrase(e.sources_say)} date it {e.sources_date.label()} "
                f"({', '.join(e.sources_say)})."
            )
        elif e.sources_say:
            said = f"In the texts: {', '.join(e.sources_say)}."
        else:
            said = "Not reported in the texts."
        rows.append(
            {
                "number": n,
                "date": e.date.label(),
                "label": e.label,
                "note": e.note,
                "said": said,
                "differs": e.differs,
            }
        )
    return render(
        "reader/context_notes.html",
        rows=rows,
        written=[
            {
                "who": _sources_phrase([f"{s}-1" for s in w.sources]),
                "when": w.most_likely.label(),
                "basis": w.basis,
            }
            for w in when_written()
        ],
    )


def context_notes() -> Any:
    """:func:`context_notes_html` as an IPython HTML object, shown when a cell ends with it."""
    from IPython.display import HTML

    return HTML(context_notes_html())


# --------------------------------------------------------------------------- locator map

_EXTENT = (34.75, 42.6, 32.1, 37.55)  # west, east, south, north
_INSET = (36.625, 36.775, 34.695, 34.765)
_LABEL_AT = {
    # where a name goes: (dx, dy) in units of ``pad`` and the text's alignment
    "right": (1, 0, "left", "center"),
    "left": (-1, 0, "right", "center"),
    "above": (0, 0.8, "center", "bottom"),
    "below": (0, -0.8, "center", "top"),
    "upper left": (-0.7, 0.45, "right", "center"),
    "lower left": (-0.7, -0.45, "right", "center"),
    "upper right": (0.7, 0.45, "left", "center"),
    "lower right": (0.7, -0.45, "left", "center"),
}


def _label(
    ax: Any, place: Place, text: str, *, size: float, pad: float, weight: str = "normal"
) -> None:
    dx, dy, ha, va = _LABEL_AT[place.label]
    ax.text(
        place.longitude + dx * pad,
        place.latitude + dy * pad,
        text,
        fontsize=size,
        ha=ha,
        va=va,
        fontweight=weight,
        color=_INK,
        zorder=6,
        linespacing=1.1,
        bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.85, "pad": 0.6},
    )


def locator_map() -> Chart:
    """Where the places the texts name lie: a simplified map of Syria, with an inset of Homs.

    Cities and towns are labelled with the sentence ids that name them (Homs, named in most
    sentences of all three texts, is marked with a star); the borders the texts mention are
    drawn thicker and dashed, with their sentence ids under the neighbour's name; the main
    north-south road (context) is a dotted line through the places on it. The inset places the
    districts of Homs the texts name. Positions are approximate and the borders simplified, as
    the note under the map says.

    Returns:
        The chart: ``axes[0]`` the map, ``axes[1]`` the inset of Homs.
    """
    atlas = load_places()
    west, east, south, north = _EXTENT
    mid = math.cos(math.radians((south + north) / 2))
    width, height = 10.0, 7.0
    fig = Chart(figsize=(width, height), layout=None)
    map_left, map_bottom, map_w = 0.62, 0.95, 6.15  # inches
    map_h = map_w * (north - south) / ((east - west) * mid)
    ax = fig.add_axes((map_left / width, map_bottom / height, map_w / width, map_h / height))
    ax.set_xlim(west, east)
    ax.set_ylim(south, north)
    ax.set_aspect(1 / mid)
    ax.set_facecolor(_tint(PALETTE["black"], 0.93))
    sea_color = _tint(PALETTE["sky blue"], 0.7)
    ax.add_patch(Polygon(atlas.sea, closed=True, facecolor=sea_color, edgecolor="none", zorder=1))
    ax.add_patch(
        Polygon(
            atlas.outline, closed=True, facecolor="white", edgecolor="none", zorder=1, gid="syria"
        )
    )
    mentioned = PALETTE["vermillion"]
    ids_of = {}
    for border in atlas.borders:
        xs, ys = zip(*border.points, strict=True)
        if "sea" in border.neighbour.lower():
            ax.plot(xs, ys, color=_tint(PALETTE["blue"], 0.3), lw=1.0, zorder=2)
        elif border.sentences:
            ids_of[border.neighbour] = ", ".join(border.sentences)
            ax.plot(
                xs,
                ys,
                color=mentioned,
                lw=2.6,
                ls=(0, (5, 2)),
                zorder=3,
                gid=f"border:{border.neighbour}",
            )
        else:
            ax.plot(xs, ys, color=_INK, lw=1.1, zorder=3, gid=f"border:{border.neighbour}")
    for name, lon, lat in atlas.neighbours:
        if "sea" in name.lower():
            ax.text(
                lon,
                lat,
                name,
                fontsize=8,
                color=PALETTE["blue"],
                style="italic",
                ha="center",
                va="center",
                rotation=90,
                zorder=2,
            )
            continue
        ha = "left" if lon <= west + 0.1 else "center"
        ax.text(
            lon,
            lat,
            name.upper(),
            fontsize=9,
            color=_GREY,
            style="italic",
            ha=ha,
            va="center",
            zorder=2,
        )
        if name in ids_of:
            ax.text(
                lon,
                lat - 0.17,
                f"border: {ids_of[name]}",
                fontsize=7.5,
                color=mentioned,
                ha=ha,
                va="center",
                zorder=2,
            )
    ax.text(
        39.2,
        35.0,
        "SYRIA",
        fontsize=15,
        color="#c8c8c8",
        fontweight="bold",
        ha="center",
        va="center",
        zorder=2,
    )

    # The road, then the places.
    if atlas.route:
        pts = [atlas.place(p) for p in atlas.route]
        ax.plot(
            [p.longitude for p in pts],
            [p.latitude for p in pts],
            color=_GREY,
            lw=1.4,
            ls=(0, (1.5, 1.5)),
            zorder=4,
            gid="route",
        )
    shown: list[Place] = []
    off: list[Place] = []
    for place in atlas.places:
        if place.kind == "district":
            continue
        if not (west <= place.longitude <= east and south <= place.latitude <= north):
            off.append(place)
            ax.annotate(
                f"{place.name} ({', '.join(place.sentences)})",
                xy=(east - 0.02, min(max(place.latitude, south + 0.2), north - 0.2)),
                xytext=(east - 0.55, min(max(place.latitude, south + 0.2), north - 0.2)),
                fontsize=8,
                ha="right",
                va="center",
                color=_INK,
                zorder=7,
                arrowprops={"arrowstyle": "->", "color": _INK, "lw": 0.9},
            )
            continue
        shown.append(place)
        if place.id == "homs":
            ax.plot(
                place.longitude,
                place.latitude,
                marker="*",
                markersize=17,
                color=mentioned,
                markeredgecolor=_INK,
                markeredgewidth=0.8,
                zorder=6,
                gid=f"place:{place.id}",
            )
            _label(ax, place, "HOMS", size=11, weight="bold", pad=0.2)
            continue
        big = place.kind == "city"
        ax.plot(
            place.longitude,
            place.latitude,
            marker="o",
            markersize=6.5 if big else 4.5,
            color=_INK if big else "white",
            markeredgecolor=_INK,
            markeredgewidth=1.1,
            zorder=6,
            gid=f"place:{place.id}",
        )
        _label(ax, place, f"{place.name} ({', '.join(place.sentences)})", size=8, pad=0.17)

    # The inset of Homs.
    x0, x1, y0, y1 = _INSET
    ax.add_patch(
        Rectangle(
            (x0, y0),
            x1 - x0,
            y1 - y0,
            fill=False,
            edgecolor=_INK,
            lw=0.9,
            zorder=7,
            gid="inset-area",
        )
    )
    in_left = map_left + map_w + 0.3
    in_w = width - in_left - 0.15
    in_h = in_w * (y1 - y0) / ((x1 - x0) * mid)
    in_top = height - 0.6
    inset = fig.add_axes((in_left / width, (in_top - in_h) / height, in_w / width, in_h / height))
    inset.set_xlim(x0, x1)
    inset.set_ylim(y0, y1)
    inset.set_aspect(1 / mid)
    inset.set_facecolor("white")
    inset.set_xticks([])
    inset.set_yticks([])
    inset.set_title(
        "Inset: places in Homs\n(positions approximate)", fontsize=9, loc="left", fontweight="bold"
    )
    for place in atlas.places:
        if place.kind != "district":
            continue
        inset.plot(
            place.longitude,
            place.latitude,
            marker="D",
            markersize=7,
            color=PALETTE["orange"],
            markeredgecolor=_INK,
            markeredgewidth=0.8,
            zorder=5,
            gid=f"place:{place.id}",
        )
        ids = ", ".join(place.sentences[:3]) + (", …" if len(place.sentences) > 3 else "")
        _label(inset, place, f"{place.name}\n({ids})", size=7.5, pad=0.005)
    km = 1 / (111.32 * mid)  # degrees of longitude in one kilometre here
    bx, by = x1 - 0.006 - 2 * km, y0 + 0.005
    inset.plot([bx, bx + 2 * km], [by, by], color=_INK, lw=2)
    inset.text(bx + km, by + 0.0015, "about 2 km", fontsize=7, ha="center", va="bottom")

    handles = [
        Line2D(
            [],
            [],
            marker="*",
            ls="none",
            markersize=13,
            color=mentioned,
            markeredgecolor=_INK,
            label="Homs",
        ),
        Line2D([], [], marker="o", ls="none", markersize=6.5, color=_INK, label="city"),
        Line2D(
            [],
            [],
            marker="o",
            ls="none",
            markersize=4.5,
            markerfacecolor="white",
            markeredgecolor=_INK,
            label="town",
        ),
        Line2D(
            [],
            [],
            marker="D",
            ls="none",
            markersize=7,
            color=PALETTE["orange"],
            markeredgecolor=_INK,
            label="place in Homs (inset)",
        ),
        Patch(facecolor="white", edgecolor=_INK, label="area of the inset"),
        Line2D([], [], color=mentioned, lw=2.6, ls=(0, (5, 2)), label="a border the texts mention"),
        Line2D([], [], color=_INK, lw=1.1, label="another border (simplified)"),
        Line2D(
            [],
            [],
            color=_GREY,
            lw=1.4,
            ls=(0, (1.5, 1.5)),
            label="main north–south road\n(schematic; context)",
        ),
        Patch(facecolor=sea_color, label="Mediterranean Sea"),
    ]
    fig.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(in_left / width, (in_top - in_h - 0.35) / height),
        fontsize=8,
        frameon=False,
        title="Key (A-2, B-10 ... are sentence ids)",
        title_fontsize=8.5,
        alignment="left",
    )
    fig.suptitle(
        "Where the places in the texts are",
        x=map_left / width,
        y=0.975,
        ha="left",
        fontsize=12.5,
        fontweight="bold",
    )
    ax.set_xlabel("Longitude (degrees east)", fontsize=8.5)
    ax.set_ylabel("Latitude (degrees north)", fontsize=8.5)
    ax.set_xticks(range(math.ceil(west), math.floor(east) + 1))
    ax.set_yticks(range(math.ceil(south), math.floor(north) + 1))
    ax.tick_params(labelsize=7.5)
    fig.text(
        map_left / width,
        0.012,
        textwrap.fill(
            f"{atlas.note} Country names, the coast and the road are context (from outside the "
            "texts); the sentence ids say where each text names a place.",
            140,
        ),
        fontsize=7.5,
        color=_GREY,
        va="bottom",
    )

    named = [f"{p.name} ({', '.join(p.sentences)})" for p in shown if p.id != "homs"]
    homs = atlas.place("homs")
    districts = [
        f"{p.name} ({', '.join(p.sentences)})" for p in atlas.places if p.kind == "district"
    ]
    far = [f"{p.name} ({', '.join(p.sentences)})" for p in off]
    borders = [
        f"{b.neighbour} ({', '.join(b.sentences)})"
        for b in atlas.borders
        if b.sentences and "sea" not in b.neighbour.lower()
    ]
    fig.set_alt_text(
        "Simplified map of Syria (positions approximate, borders not to scale) locating the "
        "places the three texts name. Homs, in western Syria, is marked with a star; it is "
        f"named in {len(homs.sentences)} sentences across Sources A, B and C. Other places: "
        f"{join_and(named)}. Borders the texts mention: {join_and(borders)}. "
        f"A dotted line shows the main north-south road (context) through "
        f"{join_and([atlas.place(p).name for p in atlas.route])}; the texts speak of this "
        f"route in {join_and(list(atlas.route_sentences))}. "
        + (f"Off the map to the east: {join_and(far)}. " if off else "")
        + f"An inset of Homs places {join_and(districts)}."
    )
    return fig
