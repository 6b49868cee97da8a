"""The context timeline and the locator map: their data checked against the texts, and the
charts drawn offline, labelled, described, in the palette, and legible (no two labels overlap)."""

from __future__ import annotations

import re
import shutil
import socket
from datetime import date
from itertools import combinations
from pathlib import Path

import matplotlib
import matplotlib.dates as mdates
import pytest
from matplotlib.colors import to_hex
from matplotlib.path import Path as MplPath
from matplotlib.text import Text

from homs import DataError, knowledge, maps, sources
from homs._dates import parse_date
from homs.charts import PALETTE, SOURCE_STYLES, Chart

matplotlib.use("Agg")

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def timeline() -> Chart:
    """The context timeline."""
    return maps.context_timeline()


@pytest.fixture(scope="module")
def atlas_map() -> Chart:
    """The locator map."""
    return maps.locator_map()


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A copy of the packaged data folder, to break."""
    folder = tmp_path / "data"
    shutil.copytree(knowledge.data_dir(), folder)
    return folder


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, f"{old!r} is not in {path.name}"
    path.write_text(text.replace(old, new, 1), "utf-8")


# --------------------------------------------------------------------------- context data


def test_the_packaged_data_have_no_problems() -> None:
    """Both files pass their schemas and every check against the texts."""
    assert maps.check() == []


def test_every_context_entry_is_context_and_runs_2011_to_2025() -> None:
    """Each entry is marked context, has a note, and the timeline spans 2011 to 2025 in order."""
    entries = maps.load_context_timeline()
    assert all(e.basis == "context" and e.note and e.label for e in entries)
    assert entries[0].date.start.year == 2011
    assert entries[-1].date.end.year == 2025
    assert [e.date.start for e in entries] == sorted(e.date.start for e in entries)


def test_sources_say_are_reports_of_the_same_event_and_give_its_date() -> None:
    """``sources_say`` names sentences that report the linked event; their date is the event's."""
    kb = knowledge.load()
    for entry in maps.load_context_timeline():
        if not entry.sources_say:
            continue
        event = kb.event(entry.event)
        assert set(entry.sources_say) <= {r.citation.sentence for r in event.reports}
        assert entry.sources_date == event.date


def test_only_the_waer_deal_is_dated_differently_by_the_texts() -> None:
    """The texts print May 2016 for Waer (B-17, C-31); context dates the deal to 2017. Every
    other event the texts date overlaps the context's dates."""
    differs = {e.id: e for e in maps.load_context_timeline() if e.differs}
    assert set(differs) == {"waer-deal"}
    waer = differs["waer-deal"]
    assert waer.sources_date == parse_date("2016-05")
    assert waer.date.start.year == 2017
    for sid in waer.sources_say:
        assert "May 2016" in sources.sentence(sid).text
    notes = maps.context_notes_html()
    assert "Sources B and C date it May 2016 (B-17, C-31)." in notes
    assert "The dates differ." in notes


def test_the_notes_cite_only_real_sentences() -> None:
    """Every sentence id written in a note exists."""
    for entry in maps.load_context_timeline():
        for sid in re.findall(r"\b[ABC]-\d+\b", entry.note):
            sources.sentence(sid)


def test_a_sources_say_sentence_that_does_not_report_the_event_is_named(
    data_copy: Path,
) -> None:
    """A wrong id in ``sources_say`` is reported with the file, the entry and the event."""
    _edit(data_copy / "context_timeline.yaml", "sources_say: [A-2]", "sources_say: [A-3]")
    with pytest.raises(DataError) as err:
        maps.load_context_timeline(data_copy / "context_timeline.yaml", kb=knowledge.load())
    message = str(err.value)
    assert "context_timeline.yaml" in message
    assert "clock-tower-square" in message
    assert "A-3" in message


def test_a_malformed_context_entry_is_named(data_copy: Path) -> None:
    """A schema error names the file, the entry and the field."""
    _edit(data_copy / "context_timeline.yaml", "basis: context", "basis: sources")
    text = "\n".join(map(str, maps.check(data_copy)))
    assert "context_timeline.yaml" in text
    assert "protests-begin" in text
    assert "basis" in text


def test_an_unknown_event_id_is_named(data_copy: Path) -> None:
    """An ``event`` that is not in events.yaml is reported with the entry."""
    _edit(data_copy / "context_timeline.yaml", "event: waer-retaken", "event: waer-taken")
    text = "\n".join(map(str, maps.check(data_copy)))
    assert "waer-deal" in text
    assert "waer-taken" in text
    assert "events.yaml" in text


# --------------------------------------------------------------------------- places data


def test_each_place_lists_every_sentence_that_names_it() -> None:
    """``sentences`` is complete: every sentence naming a place (or a variant) is listed."""
    for place in maps.load_places().places:
        names = sorted({place.name, *place.variants}, key=len, reverse=True)
        pattern = re.compile(
            r"(?<!\w)(?:" + "|".join(map(re.escape, names)) + r")(?!\w)", re.IGNORECASE
        )
        naming = [
            s.id for src in sources.load().values() for s in src.sentences if pattern.search(s.text)
        ]
        assert list(place.sentences) == naming, place.id


def test_a_sentence_that_does_not_name_the_place_is_named(data_copy: Path) -> None:
    """A place listed in a sentence that does not name it is reported."""
    _edit(data_copy / "places.yaml", "sentences: [A-20]", "sentences: [A-21]")
    with pytest.raises(DataError, match=r"place 'deraa'.*A-21 does not name 'Deraa'"):
        maps.load_places(data_copy / "places.yaml")


def test_an_outline_that_does_not_close_is_named(data_copy: Path) -> None:
    """The border segments must join end to end."""
    _edit(
        data_copy / "places.yaml", "[38.79, 33.37], [36.84, 32.31]", "[38.7, 33.3], [36.84, 32.31]"
    )
    with pytest.raises(DataError, match="border with Iraq"):
        maps.load_places(data_copy / "places.yaml")


def _inside(point: tuple[float, float], ring: list[tuple[float, float]]) -> bool:
    return bool(MplPath(ring).contains_point(point))


def test_cities_and_towns_lie_inside_the_outline_and_districts_near_homs() -> None:
    """A sanity check of the coordinates: every Syrian city or town named is inside the
    simplified outline, Baghdad is not, and the districts of Homs are within 6 km of it."""
    atlas = maps.load_places()
    ring = atlas.outline
    homs = atlas.place("homs")
    for place in atlas.places:
        where = (place.longitude, place.latitude)
        if place.id == "baghdad":
            assert not _inside(where, ring)
        elif place.kind == "district":
            km = (
                111
                * (
                    (place.latitude - homs.latitude) ** 2
                    + ((place.longitude - homs.longitude) * 0.82) ** 2
                )
                ** 0.5
            )
            assert km < 6, place.id
        else:
            assert _inside(where, ring), place.id


def test_the_borders_the_texts_mention_are_lebanon_iraq_and_israel() -> None:
    """B-10 names the borders with Lebanon and Iraq; C-5 those with Lebanon and Israel."""
    mentioned = {b.neighbour: b.sentences for b in maps.load_places().borders if b.sentences}
    assert mentioned["Lebanon"] == ("B-10", "C-5")
    assert mentioned["Iraq"] == ("B-10",)
    assert mentioned["Israel"] == ("C-5",)
    for neighbour, ids in mentioned.items():
        if "Sea" in neighbour:
            continue
        for sid in ids:
            assert neighbour in sources.sentence(sid).text


# --------------------------------------------------------------------------- the charts


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch) -> None:
    """No network: any attempt to open a socket fails the test."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a chart tried to use the network")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    return


def test_both_charts_draw_offline_as_png_with_alt_text(offline: None) -> None:
    """Drawn with no network, each is a PNG whose Description is the alt text."""
    for fig in (maps.context_timeline(), maps.locator_map()):
        png = fig.to_png()
        assert png.startswith(PNG)
        assert b"Description" in png
        assert len(fig.get_alt_text()) > 300
        assert fig.get_alt_text() in fig._repr_mimebundle_()["text/plain"]


def _texts(fig: Chart) -> list[Text]:
    found = []
    for artist in fig.findobj(Text):
        if artist.get_visible() and artist.get_text().strip() and artist.figure is fig:
            found.append(artist)
    return found


def _overlaps(fig: Chart) -> list[str]:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in _texts(fig)]
    fig_box = fig.bbox
    clash = []
    for (a, box_a), (b, box_b) in combinations(boxes, 2):
        if box_a.overlaps(box_b) and box_a.intersection(box_a, box_b).width > 1.5:
            inter = box_a.intersection(box_a, box_b)
            if inter.height > 1.5:
                clash.append(f"{a!r} overlaps {b!r}")
    for text, box in boxes:
        if box.x0 < fig_box.x0 - 1 or box.x1 > fig_box.x1 + 1 or box.y0 < fig_box.y0 - 1:
            clash.append(f"{text!r} runs off the figure")
    return clash


def test_context_timeline_is_titled_labelled_and_legible(timeline: Chart) -> None:
    """A title, a labelled time axis, headings for both lanes, and no overlapping labels."""
    ax = timeline.axes[0]
    assert "context" in timeline._suptitle.get_text().lower()
    assert ax.get_ylabel() == "Date"
    assert ax.get_xlabel()
    assert _overlaps(timeline) == []


def test_context_timeline_draws_every_entry_in_its_place(timeline: Chart) -> None:
    """Each entry is drawn at its date, in the palette's colour, numbered and labelled."""
    ax = timeline.axes[0]
    drawn = {a.get_gid(): a for a in [*ax.lines, *ax.patches] if a.get_gid()}
    texts = " ".join(t.get_text() for t in ax.texts)
    colour = to_hex(PALETTE["reddish purple"])
    for n, entry in enumerate(maps.load_context_timeline(), 1):
        artist = drawn[f"context:{entry.id}"]
        if hasattr(artist, "get_ydata"):
            y = mdates.num2date(artist.get_ydata()[0]).date()
            assert entry.date.start <= y <= entry.date.end
            assert to_hex(artist.get_color()) == colour
        else:
            start = mdates.num2date(artist.get_y()).date()
            assert start == entry.date.start
            assert to_hex(artist.get_facecolor()) == colour
        assert f"{n}. " in texts
        assert entry.label in texts


def test_context_timeline_marks_when_each_text_was_written(timeline: Chart) -> None:
    """A at March 2012, B and C on 6 December 2024, as the catalog dates them; their markers
    are the sources' own marker and colour; the alt text says so."""
    ax = timeline.axes[0]
    marks = {ln.get_gid(): ln for ln in ax.lines if (ln.get_gid() or "").startswith("written:")}
    assert set(marks) == {"written:A", "written:B", "written:C"}
    for sid, line in marks.items():
        source = sid.split(":")[1]
        likely = parse_date(str(sources.get(source).catalog["published"]["most_likely"]))
        y = mdates.num2date(line.get_ydata()[0]).date()
        assert likely.start <= y <= likely.end
        assert line.get_marker() == SOURCE_STYLES[source].marker
        assert to_hex(line.get_color()) == to_hex(SOURCE_STYLES[source].color)
    assert date(2012, 3, 1) <= mdates.num2date(marks["written:A"].get_ydata()[0]).date()
    alt = timeline.get_alt_text()
    assert "Source A most likely March 2012" in alt
    assert "Sources B and C most likely 6 December 2024" in alt


def test_context_timeline_shows_the_date_the_texts_print_for_waer(timeline: Chart) -> None:
    """The hollow marks for May 2016 sit at May 2016, and the labels say both dates."""
    ax = timeline.axes[0]
    hollow = [ln for ln in ax.lines if ln.get_gid() == "sources-date:waer-deal"]
    assert len(hollow) == 2  # one per source, B and C
    for line in hollow:
        y = mdates.num2date(line.get_ydata()[0]).date()
        assert (y.year, y.month) == (2016, 5)
        assert line.get_markerfacecolor() == "white"
    texts = " ".join(t.get_text() for t in ax.texts)
    assert "Sources B and C print May 2016" in texts
    assert "dated May 2016 there" in texts


def test_context_timeline_alt_text_gives_every_entry_and_its_note(timeline: Chart) -> None:
    """A screen reader hears every entry, with its date, note and sentence ids."""
    alt = timeline.get_alt_text()
    for entry in maps.load_context_timeline():
        assert entry.label in alt
        assert entry.note in alt
        assert entry.date.label() in alt
        for sid in entry.sources_say:
            assert sid in alt


def test_context_notes_list_every_entry_as_context() -> None:
    """The notes under the chart: numbered as on the chart, each note escaped, marked context."""
    html = maps.context_notes_html()
    assert "Context (not from the sources)" in html
    entries = maps.load_context_timeline()
    for n, entry in enumerate(entries, 1):
        assert f'value="{n}"' in html
        assert entry.label in html
    assert "Sources B and C date it May 2016 (B-17, C-31)." in html
    assert "<script" not in html


def test_locator_map_is_titled_labelled_and_legible(atlas_map: Chart) -> None:
    """A title, labelled axes, an inset of Homs, a key, and no two labels overlapping."""
    ax, inset = atlas_map.axes[:2]
    assert atlas_map._suptitle.get_text()
    assert "Longitude" in ax.get_xlabel()
    assert "Latitude" in ax.get_ylabel()
    assert "Homs" in inset.get_title(loc="left")
    assert atlas_map.legends
    assert _overlaps(atlas_map) == []


def test_locator_map_marks_every_place_and_the_borders_the_texts_mention(
    atlas_map: Chart,
) -> None:
    """Every place on the map (districts in the inset, Baghdad as an arrow off the map), with
    its sentence ids; the borders with Lebanon, Iraq and Israel drawn in the palette."""
    ax, inset = atlas_map.axes[:2]
    atlas = maps.load_places()
    on_map = {ln.get_gid() for ln in ax.lines if ln.get_gid()}
    in_inset = {ln.get_gid() for ln in inset.lines if ln.get_gid()}
    texts = " ".join(t.get_text() for t in atlas_map.findobj(Text))
    for place in atlas.places:
        if place.id == "baghdad":
            assert "Baghdad (C-15)" in texts
        elif place.kind == "district":
            assert f"place:{place.id}" in in_inset
            assert place.name in texts
        else:
            assert f"place:{place.id}" in on_map
    for neighbour in ("Lebanon", "Iraq", "Israel"):
        line = next(ln for ln in ax.lines if ln.get_gid() == f"border:{neighbour}")
        assert to_hex(line.get_color()) == to_hex(PALETTE["vermillion"])
    assert "border: B-10, C-5" in texts


def test_locator_map_alt_text_lists_the_places(atlas_map: Chart) -> None:
    """The alt text names every place with its sentence ids, the borders, and says it is
    approximate."""
    alt = atlas_map.get_alt_text()
    for place in maps.load_places().places:
        if place.id != "homs":
            assert f"{place.name} ({', '.join(place.sentences)})" in alt
    assert "Homs" in alt
    assert "approximate" in alt
    assert "Lebanon (B-10, C-5)" in alt
    assert "Iraq (B-10)" in alt


def test_the_note_under_the_map_says_it_is_approximate(atlas_map: Chart) -> None:
    """The figure says, on its face, that positions are approximate and borders not to scale."""
    texts = " ".join(t.get_text() for t in atlas_map.texts)
    assert "approximate" in texts
    assert "not to scale" in texts.replace("\n", " ")
