"""Charts: each draws its knowledge-base data on labelled, described Axes (Agg, not pixels)."""

from __future__ import annotations

import base64
import subprocess
import sys
from collections import Counter
from collections.abc import Callable
from datetime import date, timedelta

import matplotlib
import matplotlib.dates as mdates
import pytest
from markupsafe import escape
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle

from homs import charts, knowledge, sources, widgets
from homs.charts import Chart

matplotlib.use("Agg")

PNG = b"\x89PNG\r\n\x1a\n"

CHARTS: dict[str, Callable[[], Chart]] = {
    "timeline": charts.timeline,
    "timeline_2011_2012": lambda: charts.timeline(start="2011", end="2012"),
    "source_coverage": charts.source_coverage,
    "dating_methods": charts.dating_methods,
    "dating_evidence": charts.dating_evidence,
    "discrepancy_matrix": charts.discrepancy_matrix,
    "numbers_compared": charts.numbers_compared,
    "discrepancy_types": charts.discrepancy_types,
    "word_choice": charts.word_choice,
    "voices": charts.voices,
    "voice_kinds": charts.voice_kinds,
}


@pytest.fixture(scope="module")
def kb() -> knowledge.KnowledgeBase:
    """The packaged knowledge base."""
    return knowledge.load()


@pytest.fixture(scope="module")
def full_timeline() -> Chart:
    """The timeline of every event in all three sources."""
    return charts.timeline()


def _items(ax: object) -> dict[str, object]:
    """The drawn events of a timeline, by ``source:event-id`` (corrected dates apart)."""
    found = {p.get_gid(): p for p in ax.patches if p.get_gid()}
    found.update({ln.get_gid(): ln for ln in ax.lines if ln.get_gid()})
    return {gid: item for gid, item in found.items() if not gid.endswith(":correction")}


def _lanes(ax: object) -> list[str]:
    return [t.get_text().split("\n")[0] for t in ax.get_yticklabels()]


# --------------------------------------------------------------------------- every chart


@pytest.mark.parametrize("name", list(CHARTS))
def test_every_chart_is_titled_labelled_and_described(name: str) -> None:
    """Every chart is a Figure with a title, labelled axes and alt text."""
    fig = CHARTS[name]()
    assert isinstance(fig, Figure)
    main = fig.axes[0]
    assert main.get_title(loc="left") or fig.get_suptitle()
    assert main.get_ylabel()
    assert any(ax.get_xlabel() for ax in fig.axes)
    assert len(fig.get_alt_text()) > 60


@pytest.mark.parametrize("name", list(CHARTS))
def test_every_chart_renders_to_png_with_its_alt_text(name: str) -> None:
    """Every chart renders to PNG; Jupyter gets the PNG and an <img> whose alt is the alt text."""
    fig = CHARTS[name]()
    bundle = fig._repr_mimebundle_()
    png = base64.b64decode(bundle["image/png"])
    assert png.startswith(PNG)
    assert b"Description" in png
    assert 'alt="' in bundle["text/html"]
    assert escape(fig.get_alt_text()[:40]) in bundle["text/html"]


def test_charts_never_use_pyplot() -> None:
    """Drawing every chart leaves pyplot unimported, so no figure piles up in global state."""
    code = (
        "import sys, matplotlib; matplotlib.use('Agg'); from homs import charts\n"
        "for f in (charts.timeline, charts.source_coverage, charts.discrepancy_matrix, "
        "charts.word_choice, charts.voices, charts.dating_evidence):\n"
        "    f().to_png()\n"
        "print('matplotlib.pyplot' in sys.modules, 'ipywidgets' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_import_homs_does_not_import_matplotlib() -> None:
    """`import homs` does not import matplotlib; `homs.charts` does, on first use."""
    code = (
        "import sys, homs\n"
        "print('matplotlib' in sys.modules)\n"
        "homs.charts\n"
        "print('matplotlib' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "True"]


def test_palette_is_okabe_ito_and_every_style_uses_it() -> None:
    """The palette is the eight Okabe-Ito colours; sources and voices are drawn in them."""
    assert dict(charts.PALETTE) == {
        "black": "#000000",
        "orange": "#E69F00",
        "sky blue": "#56B4E9",
        "bluish green": "#009E73",
        "yellow": "#F0E442",
        "blue": "#0072B2",
        "vermillion": "#D55E00",
        "reddish purple": "#CC79A7",
    }
    colours = set(charts.PALETTE.values())
    assert {s.color for s in charts.SOURCE_STYLES.values()} <= colours
    assert {c for c, _ in charts.MODE_STYLES.values()} <= colours
    with pytest.raises(TypeError):
        charts.PALETTE["blue"] = "#000000"  # type: ignore[index]


def test_source_label_names_the_source() -> None:
    """A source's label is its letter and short description, wrapped or on one line."""
    short = sources.get("B").catalog["short"]
    assert charts.source_label("B", wrap=False) == f"Source B ({short})"
    assert charts.source_label("B").startswith("Source B\n")


def test_alt_text_is_escaped_once_in_the_html() -> None:
    """Markup in a chart's alt text reaches the <img> escaped, and only once."""
    fig = charts.Chart()
    fig.set_alt_text('A "chart" <img src=x onerror=alert(1)> & more')
    html = fig.to_html()
    assert html.count("<img") == 1
    assert 'alt="A &#34;chart&#34; &lt;img src=x onerror=alert(1)&gt; &amp; more"' in html


def test_source_styles_use_distinct_colours_markers_and_hatches() -> None:
    """Each source has its own colour, marker and hatch, so colour is never the only cue."""
    styles = list(charts.SOURCE_STYLES.values())
    for attribute in ("color", "marker", "hatch"):
        assert len({getattr(s, attribute) for s in styles}) == len(styles)


# --------------------------------------------------------------------------- timeline


def test_timeline_draws_one_lane_per_source(full_timeline: Chart) -> None:
    """The timeline has a lane for A, B and C, and a key axes listing every event."""
    lanes, key = full_timeline.axes
    assert _lanes(lanes) == ["Source A", "Source B", "Source C"]
    assert not key.axison


def test_timeline_draws_each_report_in_its_sources_lane(
    full_timeline: Chart, kb: knowledge.KnowledgeBase
) -> None:
    """Each event appears once in the lane of every source that reports it."""
    expected = {f"{s}:{e.id}" for e in kb.events for s in e.sources}
    assert set(_items(full_timeline.axes[0])) == expected


def test_timeline_draws_exact_days_as_points_and_uncertain_dates_as_bars(
    full_timeline: Chart, kb: knowledge.KnowledgeBase
) -> None:
    """Dates a source prints to the day are markers; month, year and range dates are bars
    spanning them, as precisely as each source prints them (B and C print only the month or
    the year of the day Source A gives)."""
    items = _items(full_timeline.axes[0])
    for event in kb.events:
        for source in event.sources:
            item = items[f"{source}:{event.id}"]
            when = charts._as_printed(event, source)
            if when.precision == "day":
                assert isinstance(item, Line2D)
                (x,) = item.get_xdata()
                assert mdates.num2date(mdates.date2num(x)).date() == event.date.start
            else:
                assert isinstance(item, Rectangle)
                start = mdates.num2date(item.get_x()).date()
                end = mdates.num2date(item.get_x() + item.get_width()).date()
                days = (when.end - when.start).days + 1
                if days > 200:  # long enough not to be widened for visibility
                    assert (start, end) == (when.start, date.fromordinal(when.end.toordinal() + 1))
                else:
                    assert start <= when.end
                    assert end >= when.start


def test_timeline_fill_says_how_the_source_dates_the_event(full_timeline: Chart) -> None:
    """A printed date is filled in the source's colour; a date worked out is hollow."""
    items = _items(full_timeline.axes[0])
    printed = items["B:colvin-ochlik-killed"]  # B-19 prints February 22, 2012
    worked_out = items["A:colvin-ochlik-killed"]  # A-31 says "a day later"
    blue = matplotlib.colors.to_rgba(charts.SOURCE_STYLES["B"].color)
    assert matplotlib.colors.to_rgba(printed.get_markerfacecolor()) == blue
    assert matplotlib.colors.to_rgba(worked_out.get_markerfacecolor()) == (1, 1, 1, 1)


def test_timeline_filters_by_source(kb: knowledge.KnowledgeBase) -> None:
    """Asking for one source draws only its lane and only the events it reports."""
    fig = charts.timeline(sources=["b"])
    ax = fig.axes[0]
    assert _lanes(ax) == ["Source B"]
    assert set(_items(ax)) == {f"B:{e.id}" for e in kb.events if "B" in e.sources}


def test_timeline_zooms_on_a_period(kb: knowledge.KnowledgeBase) -> None:
    """start and end limit the axis and the events to the period, with a little margin."""
    fig = charts.timeline(start="2011", end="2012")
    ax = fig.axes[0]
    lo, hi = (mdates.num2date(x).date() for x in ax.get_xlim())
    assert date(2010, 11, 1) < lo <= date(2011, 1, 1)
    assert date(2012, 12, 31) <= hi < date(2013, 3, 1)
    shown = {gid.split(":")[1] for gid in _items(ax)}
    expected = {
        e.id
        for e in kb.events
        if e.date.end >= date(2011, 1, 1) and e.date.start <= date(2012, 12, 31)
    }
    assert shown == expected
    assert "2011 to 2012" in ax.get_title(loc="left")


def test_timeline_keeps_event_numbers_when_zoomed(full_timeline: Chart) -> None:
    """An event has the same number in the key whether or not the timeline is zoomed."""

    def key(fig: Chart) -> dict[str, str]:
        texts = [t.get_text() for t in fig.axes[1].texts[1:] if t.get_gid() != "correction"]
        return {title: number for number, _date, title in zip(*[iter(texts)] * 3, strict=True)}

    whole, zoomed = key(full_timeline), key(charts.timeline(start="2024-11", end="2024-12"))
    assert zoomed
    assert all(whole[title] == number for title, number in zoomed.items())


def test_timeline_alt_text_lists_the_events_of_each_lane(kb: knowledge.KnowledgeBase) -> None:
    """The alt text names every lane and every event shown."""
    alt = charts.timeline(sources=("A", "C")).get_alt_text()
    assert "Source A reports" in alt
    assert "Source C reports" in alt
    assert "Source B reports" not in alt
    for event in kb.events:
        if {"A", "C"} & set(event.sources):
            assert event.title in alt


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"sources": ("D",)}, "unknown source"),
        ({"sources": ()}, "no sources chosen"),
        ({"start": "2013", "end": "2012"}, "after it ends"),
        ({"start": "March 2011"}, "is not a date"),
    ],
)
def test_timeline_rejects_bad_arguments_clearly(kwargs: dict[str, object], message: str) -> None:
    """Unknown sources, an empty choice, reversed or malformed dates raise a clear ValueError."""
    with pytest.raises(ValueError, match=message):
        charts.timeline(**kwargs)


def test_empty_period_says_so() -> None:
    """A period with no events draws empty lanes and says there is nothing to show."""
    fig = charts.timeline(start="1990", end="2000")
    assert not _items(fig.axes[0])
    assert any("No event" in t.get_text() for t in fig.axes[0].texts)


# --------------------------------------------------------------------------- interactive timeline


@pytest.fixture
def explorer() -> object:
    """A fresh interactive timeline."""
    return widgets.interactive_timeline()


def test_interactive_timeline_starts_with_all_sources(explorer: object) -> None:
    """The widget starts with every source ticked, the whole period and the chart drawn."""
    assert explorer.sources == ("A", "B", "C")
    assert explorer.zoom.value == next(iter(charts.ZOOMS))
    assert _lanes(explorer.figure.axes[0]) == ["Source A", "Source B", "Source C"]
    assert "data:image/png;base64," in explorer.image.value
    assert 'alt="Timeline of events in Homs' in explorer.image.value


def test_interactive_timeline_gives_its_chart_s_data_table(explorer: object) -> None:
    """The timeline explorer shows the drawn chart's data as a table under it, like every other
    chart, and so does each picture a page with no kernel keeps."""
    table = explorer.figure.data_table_html()
    assert "<table" in table
    assert table in explorer.image.value
    assert "The chart's data as a table" in explorer.image.value
    explorer.fill_gallery()
    assert all("<table" in html for key, html in explorer.gallery.items() if key[0] != "|")


def test_unticking_a_source_redraws_without_its_lane(explorer: object) -> None:
    """Unticking Source A redraws the chart with lanes B and C only."""
    explorer.source_boxes["A"].value = False
    assert _lanes(explorer.figure.axes[0]) == ["Source B", "Source C"]
    assert "Source A reports" not in explorer.image.value


def test_zoom_selector_redraws_the_period(explorer: object) -> None:
    """Choosing 2011 to 2012 redraws the chart on that period."""
    explorer.zoom.value = "2011 to 2012"
    lo, hi = (mdates.num2date(x).year for x in explorer.figure.axes[0].get_xlim())
    assert (lo, hi) in {(2010, 2013), (2011, 2013), (2010, 2012), (2011, 2012)}
    assert "2011 to 2012" in explorer.figure.axes[0].get_title(loc="left")


def test_no_source_ticked_asks_for_one(explorer: object) -> None:
    """With every box unticked the widget asks for a source instead of failing."""
    for box in explorer.source_boxes.values():
        box.value = False
    assert explorer.figure is None
    assert "Tick at least one source" in explorer.image.value


# --------------------------------------------------------------------------- coverage and dating


def test_source_coverage_counts_events_per_year(kb: knowledge.KnowledgeBase) -> None:
    """Bar heights are each source's events per year, a multi-year event counting in each year."""
    fig = charts.source_coverage()
    ax = fig.axes[0]
    years = [int(t.get_text().rstrip(" \u2020")) for t in ax.get_xticklabels()]
    bars = [p for p in ax.patches if isinstance(p, Rectangle)]
    assert len(bars) == 3 * len(years)
    heights = [b.get_height() for b in bars]
    for i, source in enumerate("ABC"):
        expected = [
            sum(
                1
                for e in kb.events
                if source in e.sources and e.date.start.year <= y <= e.date.end.year
            )
            for y in years
        ]
        assert heights[i * len(years) : (i + 1) * len(years)] == expected
    legends = fig.legends or [lg for sub in fig.subfigs for lg in sub.legends]
    assert len(legends[0].get_texts()) == 3
    assert "2016 \u2020" in [t.get_text() for t in ax.get_xticklabels()]


def test_dating_methods_counts_each_source_s_events(kb: knowledge.KnowledgeBase) -> None:
    """The stacked bars of each source add up to the number of events it reports."""
    ax = charts.dating_methods().axes[0]
    totals = Counter()
    for bar in ax.patches:
        totals[round(bar.get_y() + bar.get_height() / 2)] += bar.get_width()
    assert [totals[i] for i in range(3)] == [
        sum(1 for e in kb.events if s in e.sources) for s in "ABC"
    ]


def test_dating_evidence_draws_each_catalog_range_and_most_likely_date() -> None:
    """Each source's possible dates are a bar; B and C's most likely day is a star."""
    from homs._dates import parse_date

    fig = charts.dating_evidence()
    early, late = fig.axes[:2]
    stars = [ln for ln in late.lines if ln.get_marker() == "*"]
    assert len(stars) == 2
    likely = mdates.num2date(stars[0].get_xdata()[0]).date()
    assert likely == parse_date(str(sources.get("B").catalog["published"]["most_likely"])).start
    a_start = min(p.get_x() for p in early.patches)
    assert mdates.num2date(a_start).date() == date(2012, 3, 1)  # the most likely month's band
    labels = [t.get_text() for t in early.get_yticklabels()]
    assert any("later update" in label for label in labels)


# --------------------------------------------------------------------------- discrepancies


def test_population_states(kb: knowledge.KnowledgeBase) -> None:
    """On the population, A gives its own number and B and C agree with each other."""
    states = charts.discrepancy_states(kb.discrepancy("population"))
    assert states == {"A": "differs", "B": "reports", "C": "reports"}


def test_omission_states(kb: knowledge.KnowledgeBase) -> None:
    """In an omission the silent sources are marked silent and the others report."""
    for disc in kb.discrepancies:
        if disc.type != "omission":
            continue
        states = charts.discrepancy_states(disc)
        for version in disc.versions:
            assert states[version.source] in (
                {"silent"} if version.silent else {"reports", "differs"}
            )


def test_within_one_source_states(kb: knowledge.KnowledgeBase) -> None:
    """A discrepancy inside one source marks that source only."""
    for disc in kb.discrepancies:
        if disc.within_one_source:
            states = charts.discrepancy_states(disc)
            (source,) = disc.sources
            assert states.pop(source) == "differs within itself"
            assert set(states.values()) == {"not compared"}


def test_discrepancy_matrix_has_a_cell_per_point_and_source(kb: knowledge.KnowledgeBase) -> None:
    """The matrix has one row per discrepancy, three labelled cells each, and its kind beside it."""
    fig = charts.discrepancy_matrix()
    ax = fig.axes[0]
    cells = [p for p in ax.patches if p.get_gid()]
    assert len(cells) == 3 * len(kb.discrepancies)
    assert len(ax.get_yticklabels()) == len(kb.discrepancies)
    kinds = fig.axes[0].child_axes[0]
    assert [t.get_text() for t in kinds.get_yticklabels()] == [
        d.type.replace("-", " ") for d in kb.discrepancies
    ]
    assert len(ax.get_legend().get_texts()) == 5
    cell_texts = {t.get_text() for t in ax.texts}
    assert {"reports", "differs", "silent"} <= cell_texts


def test_discrepancy_matrix_filters_by_kind(kb: knowledge.KnowledgeBase) -> None:
    """kinds= keeps only the discrepancies of those kinds."""
    ax = charts.discrepancy_matrix(kinds=["omission"]).axes[0]
    assert len(ax.get_yticks()) == sum(d.type == "omission" for d in kb.discrepancies)
    with pytest.raises(ValueError, match="unknown kind"):
        charts.discrepancy_matrix(kinds=["gossip"])
    with pytest.raises(KeyError, match="no discrepancy"):
        charts.discrepancy_matrix(topics=["no-such-point"])


def test_numbers_compared_draws_each_value(kb: knowledge.KnowledgeBase) -> None:
    """Each version's number is a bar as long as the number; the population is shown by default."""
    fig = charts.numbers_compared()
    titles = [ax.get_title(loc="left") for ax in fig.axes]
    assert any(t.startswith("Population of Homs") for t in titles)
    ax = fig.axes[titles.index(next(t for t in titles if t.startswith("Population")))]
    widths = sorted(p.get_width() for p in ax.patches)
    values = sorted(v.value for v in kb.discrepancy("population").versions if v.value)
    assert widths == values


def test_numbers_compared_refuses_a_point_without_numbers(kb: knowledge.KnowledgeBase) -> None:
    """Asking for a discrepancy without numbers says which one and what to do."""
    wordy = next(d for d in kb.discrepancies if all(v.value is None for v in d.versions))
    with pytest.raises(ValueError, match=wordy.id):
        charts.numbers_compared([wordy.id])


def test_discrepancy_types_counts_every_discrepancy(kb: knowledge.KnowledgeBase) -> None:
    """The bars of each kind add up to the number of discrepancies of that kind."""
    ax = charts.discrepancy_types().axes[0]
    per_kind = Counter()
    for bar in ax.patches:
        per_kind[round(bar.get_y() + bar.get_height() / 2)] += bar.get_width()
    kinds = list(knowledge.DISCREPANCY_TYPES)
    counts = Counter(d.type for d in kb.discrepancies)
    assert [per_kind[i] for i in range(len(kinds))] == [counts[k] for k in kinds]
    assert sum(per_kind.values()) == len(kb.discrepancies)


# --------------------------------------------------------------------------- words and voices


def test_word_rates_count_whole_words_per_thousand() -> None:
    """Counts are whole words, case-insensitive, with their rate per 1,000 words and sentences."""
    rates = {(r.term, r.source): r for r in charts.word_rates(["regime", "Assad", "Islamist"])}
    assert rates["regime", "B"].count == 0
    assert rates["regime", "C"].sentences == ("C-9", "C-14")
    c = rates["regime", "C"]
    assert c.per_thousand == pytest.approx(1000 * c.count / c.words)
    assert "B-2" in rates["Assad", "B"].sentences  # "al-Assad's" counts as Assad
    assert rates["Islamist", "B"].sentences == ("B-2",)  # "Islamist-led"


def test_word_rates_skip_compounds_led_by_another_word() -> None:
    """'government' is not counted inside 'anti-government'."""
    (b,) = [r for r in charts.word_rates(["government"]) if r.source == "B"]
    assert "B-6" not in b.sentences  # "armed anti-government factions"


def test_word_rates_accept_a_wildcard_ending() -> None:
    """'rebel*' counts rebel and rebels."""
    (c,) = [r for r in charts.word_rates(["rebel*"]) if r.source == "C"]
    assert "C-3" in c.sentences  # "Islamist rebels"
    assert "C-25" in c.sentences  # "the rebel Free Syrian Army"


@pytest.mark.parametrize(
    ("words", "error"),
    [("regime", TypeError), ([], ValueError), (["re*gime"], ValueError), (["*"], ValueError)],
)
def test_word_choice_rejects_bad_words(words: object, error: type[Exception]) -> None:
    """A single string, no words, or a misplaced '*' raise a clear error."""
    with pytest.raises(error):
        charts.word_choice(words)


def test_word_choice_draws_a_bar_per_word_and_source() -> None:
    """The chart has one bar per word and source, as long as the rate per 1,000 words."""
    words = ["regime", "government", "rebel*"]
    fig = charts.word_choice(words)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == [f"“{w}”" for w in words]
    widths = [p.get_width() for p in ax.patches]
    rates = {(r.term, r.source): r.per_thousand for r in charts.word_rates(words)}
    assert widths == [rates[w, s] for s in "ABC" for w in words]
    assert len(fig.legends[0].get_texts()) == 3


def test_voices_draws_every_voice_and_mode(kb: knowledge.KnowledgeBase) -> None:
    """Each voice has a row, with a marker for each mode in each source it appears in."""
    ax = charts.voices().axes[0]
    assert len(ax.get_yticklabels()) == len(kb.voices)
    drawn = {ln.get_gid() for ln in ax.lines if ln.get_gid()}
    expected = {f"{v.id}:{a.citation.source}:{a.mode}" for v in kb.voices for a in v.appearances}
    assert drawn == expected


def test_voices_for_one_source(kb: knowledge.KnowledgeBase) -> None:
    """voices(['B']) shows only the voices Source B uses."""
    ax = charts.voices(["B"]).axes[0]
    assert len(ax.get_yticks()) == sum("B" in v.sources for v in kb.voices)


def test_voice_kinds_counts_distinct_voices(kb: knowledge.KnowledgeBase) -> None:
    """Bar lengths are the number of different voices of each kind in each source."""
    ax = charts.voice_kinds().axes[0]
    kinds = [t.get_text().replace(" ", "-") for t in ax.get_yticklabels()]
    widths = [p.get_width() for p in ax.patches]
    expected = [
        sum(1 for v in kb.voices if v.kind == k and s in v.sources) for s in "ABC" for k in kinds
    ]
    assert widths == expected


def test_timeline_marks_a_corrected_date_on_the_chart(full_timeline: Chart) -> None:
    """Waer's date as the sources print it (May 2016) is drawn in its lanes, and the corrected
    date (March to May 2017, context) as a dotted outline beside it, explained in the key."""
    ax = full_timeline.axes[0]
    outlines = {p.get_gid(): p for p in ax.patches if (p.get_gid() or "").endswith(":correction")}
    assert set(outlines) == {"B:waer-retaken:correction", "C:waer-retaken:correction"}
    for gid, patch in outlines.items():
        start = mdates.num2date(patch.get_x()).date()
        end = mdates.num2date(patch.get_x() + patch.get_width()).date()
        assert start <= date(2017, 3, 1)
        assert end >= date(2017, 5, 31)
        assert end - start < timedelta(days=200)  # a short span, widened only to be seen
        assert gid.split(":")[0] + ":waer-retaken" in _items(ax)
    notes = [t.get_text() for t in full_timeline.axes[1].texts if t.get_gid() == "correction"]
    assert len(notes) == 1
    assert "context (not from the sources)" in notes[0]
    assert "March 2017" in " ".join(notes[0].split())
    assert "May 2016 \u2020" in [t.get_text() for t in full_timeline.axes[1].texts]
    early = charts.timeline(start="2011", end="2012")
    assert not [p for p in early.axes[0].patches if (p.get_gid() or "").endswith("correction")]
