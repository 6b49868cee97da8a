"""Annotated excerpts: highlights from the knowledge base, their HTML and the layer widget."""

from __future__ import annotations

import re
import shutil
import textwrap
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import escape

from homs import _markup, excerpts, knowledge, sources
from homs._highlights import Highlight
from homs.excerpts import CATEGORIES
from homs.knowledge import KnowledgeBase

# A small knowledge base whose spans in nest and cross on purpose.
_FIXTURE = {
    "discrepancies.yaml": """
        discrepancies:
          - id: baba-amr-march
            topic: How Baba Amr changed hands
            type: different-framing
            versions:
              - sentence: A-32
                quote: on 1 March the FSA announced a "tactical withdrawal" from Baba Amr
                says: the FSA withdrew
              - sentence: B-13
                quote: The army recaptured Baba Amr in March 2012
                says: the army recaptured it
              - source: C
                silent: true
                says: C gives no day
            explanation: One tells it from the rebels' side & one from the army's <side>.
    """,
    "voices.yaml": """
        voices:
          - id: marie-colvin
            name: Marie Colvin
            kind: person
            appearances:
              - sentence: A-30
                quote: Marie Colvin spoke to the BBC
                mode: quoted
                described_as: Sunday Times journalist
    """,
    "glossary.yaml": """
        terms:
          - id: baba-amr
            term: Baba Amr
            definition: A district of Homs.
            basis: context
            sentences: [A-32, B-12]
    """,
    "annotations.yaml": """
        annotations:
          - id: bbc-clue
            kind: sourcing-clue
            sentence: A-30
            quote: the BBC of "shelling
            note: The BBC reports its own interview <b>not bold</b> & "quoted".
          - id: merciless
            kind: loaded-word
            sentence: A-30
            quote: merciless
            note: A strong word, in Colvin's own words.
          - id: killed-claim
            kind: claim
            sentence: A-31
            quote: she and French photographer Remi Ochlik were killed
            note: A claim Source B also makes.
    """,
}


@pytest.fixture
def small_kb(tmp_path: Path) -> KnowledgeBase:
    """A knowledge base with the real events and a few overlapping annotations."""
    shutil.copy(knowledge.data_dir() / "events.yaml", tmp_path / "events.yaml")
    for name, text in _FIXTURE.items():
        (tmp_path / name).write_text(textwrap.dedent(text), "utf-8")
    return knowledge.load(tmp_path)


class _Marks(HTMLParser):
    """Collects the text inside each highlight's marks, and the ids and references."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str | None] = []
        self.text: dict[str, str] = {}
        self.ids: set[str] = set()
        self.described: list[str] = []
        self.in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(str(a["id"]))
        if tag == "style":
            self.in_style = True
        if tag == "mark":
            self.stack.append(a.get("data-h"))
            self.described.append(str(a.get("aria-describedby")))

    def handle_endtag(self, tag: str) -> None:
        if tag == "mark":
            self.stack.pop()
        if tag == "style":
            self.in_style = False

    def handle_data(self, data: str) -> None:
        for hid in set(self.stack):
            if hid:
                self.text[hid] = self.text.get(hid, "") + data


def _parse(html: str) -> _Marks:
    parser = _Marks()
    parser.feed(html)
    return parser


def _mark_texts(html: str) -> list[str]:
    texts = _parse(html).text
    return [texts[k] for k in sorted(texts, key=lambda k: int(k.rsplit("h", 1)[1]))]


def _well_formed(html: str) -> ET.Element:
    return ET.fromstring(f"<root>{html}</root>")


def test_every_highlight_is_verbatim() -> None:
    """Every highlight of the packaged knowledge base quotes its sentence verbatim."""
    for source in sources.load().values():
        for h in excerpts.highlights(source.id):
            sentence = sources.sentence(h.sentence)
            assert source.reading[h.start : h.end] == h.quote
            assert h.quote in sentence.text
            assert sentence.start <= h.start < h.end <= sentence.end


@pytest.mark.parametrize("source_id", sources.SOURCE_IDS)
def test_whole_sources_render_well_formed(source_id: str) -> None:
    """Each whole source renders as well-formed markup whose marks spell the quotes."""
    html = excerpts.excerpt_html(source_id)
    _well_formed(html)
    assert _mark_texts(html) == [h.quote for h in excerpts.highlights(source_id)]


def test_overlapping_spans_nest(small_kb: KnowledgeBase) -> None:
    """Crossing and nested highlights give well-formed HTML and each mark spells its quote."""
    found = excerpts.highlights("A", "A-30", "A-32", kb=small_kb)
    voice = next(h for h in found if h.category == "voice")
    clue = next(h for h in found if h.category == "sourcing-clue")
    assert voice.start < clue.start < voice.end < clue.end  # they cross
    html = excerpts.excerpt_html("A", "A-30", "A-32", kb=small_kb)
    _well_formed(html)
    assert _mark_texts(html) == [h.quote for h in found]


def test_labels_and_symbols_mark_each_category(small_kb: KnowledgeBase) -> None:
    """Every category shown has its text label and symbol, not only a colour."""
    found = excerpts.highlights("A", "A-30", "A-32", kb=small_kb)
    html = excerpts.excerpt_html("A", "A-30", "A-32", kb=small_kb)
    categories = {h.category for h in found}
    assert categories == {
        "date",
        "voice",
        "sourcing-clue",
        "loaded-word",
        "claim",
        "discrepancy",
        "term",
    }
    for key in categories:
        c = CATEGORIES[key]
        assert html.count(f"[{c.label}]") >= 2  # in the text, in the legend and notes
        assert f'<span aria-hidden="true">{escape(c.symbol)} </span>' in html
        assert f"(end of {c.label})" in html


def test_categories_differ_without_colour() -> None:
    """Each category has its own label, symbol and underline (style, thickness, offset)."""
    css = (Path(_markup.__file__).parent / "assets" / "excerpt.css").read_text("utf-8")
    labels = {c.label for c in CATEGORIES.values()}
    symbols = {c.symbol for c in CATEGORIES.values()}
    assert len(labels) == len(symbols) == len(CATEGORIES)
    underlines = set()
    for key in CATEGORIES:
        rule = re.search(r"mark\.homs-c-" + re.escape(key) + r" \{([^}]*)\}", css)
        assert rule, f"no mark rule for {key}"
        body = rule.group(1)
        style = re.search(r"text-decoration-style: (\w+)", body)
        assert style, f"no underline style for {key}"
        thickness = re.search(r"text-decoration-thickness: (\w+)", body)
        offset = re.search(r"text-underline-offset: (\w+)", body)
        underlines.add(
            (style.group(1), thickness and thickness.group(1), offset and offset.group(1))
        )
        assert f"--homs-{key}:" in css
    assert len(underlines) == len(CATEGORIES)


def test_screen_reader_cues(small_kb: KnowledgeBase) -> None:
    """Sentence ids are visible and every mark is described by a note that exists."""
    html = excerpts.excerpt_html("A", "A-30", "A-32", kb=small_kb)
    parsed = _parse(html)
    for sid in ("A-30", "A-31", "A-32"):
        assert f'<span class="homs-sid">{sid}</span>' in html
    assert parsed.described
    assert set(parsed.described) <= parsed.ids
    assert 'aria-label="Annotated excerpt: Source A, A-30 to A-32"' in html


def test_text_is_escaped(small_kb: KnowledgeBase) -> None:
    """Source text and notes are escaped: no markup from the data reaches the page."""
    html = excerpts.excerpt_html("A", "A-30", "A-32", kb=small_kb)
    assert "<b>not bold</b>" not in html
    assert "&lt;b&gt;not bold&lt;/b&gt; &amp; &#34;quoted&#34;" in html
    assert "&amp; one from the army&#39;s &lt;side&gt;" in html
    assert "&#34;tactical withdrawal&#34;" in html
    assert "&amp;lt;" not in html  # escaped once, not twice
    _well_formed(html)


def test_discrepancy_shows_the_other_versions(small_kb: KnowledgeBase) -> None:
    """A discrepancy note holds each other source's version, quote and id in a details box."""
    html = excerpts.excerpt_html("A", "A-32", kb=small_kb, layers=["discrepancy"])
    details = re.findall(r"<details>.*?</details>", html, re.DOTALL)
    assert len(details) == 2
    assert "Compare: what Source B says (B-13)" in details[0]
    assert "Source B says: the army recaptured it." in details[0]
    assert "\u201cThe army recaptured Baba Amr in March 2012\u201d" in details[0]
    assert "Source C does not report this. C gives no day" in details[1]


def test_context_is_marked(small_kb: KnowledgeBase) -> None:
    """A definition from outside the texts is labelled as context."""
    html = excerpts.excerpt_html("A", "A-32", kb=small_kb, layers=["term"])
    assert "Context (not from the sources): A district of Homs." in html


def test_layers_choose_what_is_drawn(small_kb: KnowledgeBase) -> None:
    """Only the chosen layers are highlighted; the others are listed as hidden."""
    html = excerpts.excerpt_html("A", "A-30", "A-32", kb=small_kb, layers=["date"])
    assert set(re.findall(r'<mark class="homs-c-([a-z-]+)"', html)) == {"date"}
    assert "(hidden)" in html
    assert "[VOICE]" in html  # in the legend only
    assert "(end of VOICE)" not in html


def test_widget_toggles_layers(small_kb: KnowledgeBase) -> None:
    """Unticking a layer's checkbox removes its highlights; ticking brings them back."""
    w = excerpts.excerpt("A", "A-30", "A-32", kb=small_kb)
    assert set(w.layer_boxes) == {h.category for h in w.highlights}
    before = w.html.value
    assert "(end of DATE)" in before
    w.layer_boxes["date"].value = False
    assert "(end of DATE)" not in w.html.value
    assert "date" not in w.layers
    w.layer_boxes["date"].value = True
    assert w.html.value.replace(w._uid, "") == before.replace(w._uid, "")


def test_widget_shows_stored_tokens_for_source_a(small_kb: KnowledgeBase) -> None:
    """Source A's excerpt can show its stored tokens; B and C, stored as prose, need not."""
    w = excerpts.excerpt("A", "A-30", kb=small_kb)
    raw = sources.sentence("A-30").raw_text
    assert "``" in raw
    assert escape(raw) not in w.html.value
    assert w.raw_box is not None
    w.raw_box.value = True
    assert escape(raw) in w.html.value
    assert "stored tokens: <code>the BBC of `` shelling</code>" in w.html.value
    assert excerpts.excerpt("B", "B-13", kb=small_kb).raw_box is None


def test_widget_ids_are_unique(small_kb: KnowledgeBase) -> None:
    """Two widgets of the same passage do not share element ids."""
    a = _parse(excerpts.excerpt("A", "A-31", kb=small_kb).html.value).ids
    b = _parse(excerpts.excerpt("A", "A-31", kb=small_kb).html.value).ids
    assert a
    assert not a & b


def test_headings_and_paragraphs() -> None:
    """Heading sentences get their own paragraph with a heading class."""
    html = excerpts.excerpt_html("C", "C-26", "C-29", layers=[])
    assert html.count('<p class="homs-heading">') == 2
    assert "C-27" in html
    assert "C-29" in html


@pytest.mark.parametrize(
    ("args", "error", "words"),
    [
        (("A", "A-32", "A-30"), ValueError, "backwards"),
        (("A", "B-1"), ValueError, "not a sentence of Source A"),
        (("A", "A-99"), KeyError, "A-1 to A-37"),
        (("D", "D-1"), KeyError, "not a source"),
        (("A", None, "A-3"), ValueError, "without first"),
    ],
)
def test_bad_ranges_are_refused(args: tuple[str, ...], error: type[Exception], words: str) -> None:
    """A passage that is not one source's sentences in order is refused with a clear message."""
    with pytest.raises(error, match=words):
        excerpts.excerpt_html(*args)


def test_unknown_layer_is_refused() -> None:
    """An unknown layer name is refused, listing the layers there are."""
    with pytest.raises(ValueError, match="choose from sourcing-clue, claim"):
        excerpts.excerpt_html("A", "A-30", layers=["dates"])


def test_show_displays_one_widget(monkeypatch: pytest.MonkeyPatch) -> None:
    """show() hands one Excerpt widget to the display function."""
    shown = []
    monkeypatch.setattr(excerpts, "display", shown.append)
    assert excerpts.show("B", "B-19", "B-21") is None
    assert len(shown) == 1
    assert isinstance(shown[0], excerpts.Excerpt)


_A30 = sources.sentence("A-30")
_SPANS = st.lists(
    st.tuples(
        st.integers(0, len(_A30.text) - 1), st.integers(1, 30), st.sampled_from(sorted(CATEGORIES))
    ),
    min_size=1,
    max_size=8,
)


@settings(max_examples=60, deadline=None)
@given(_SPANS)
def test_any_overlap_gives_well_formed_html(spans: list[tuple[int, int, str]]) -> None:
    """Any set of overlapping spans renders well formed, each mark spelling its span."""
    source = sources.get("A")
    found = []
    for i, (start, length, category) in enumerate(spans):
        end = min(start + length, len(_A30.text))
        quote = _A30.text[start:end]
        found.append(
            Highlight(
                category,
                "A-30",
                quote,
                _A30.start + start,
                _A30.start + end,
                f"t{i}",
                f"n{i}",
                f"x/{i}",
            )
        )
    found.sort(key=lambda h: (h.start, -h.end))
    html = _markup.render(source, [_A30], found, uid="u", layers=tuple(CATEGORIES), show_raw=True)
    _well_formed(html)
    assert _mark_texts(html) == [h.quote for h in found]


def test_catalog_table_gives_each_fact_its_basis() -> None:
    """The catalog table shows every source's facts with their basis and evidence ids."""
    html = excerpts.catalog_html()
    _well_formed(html)
    for source in sources.load().values():
        assert escape(source.label) in html
        for key in ("outlet", "genre", "audience"):
            entry = source.catalog[key]
            assert escape(" ".join(str(entry["value"]).split())) in html
            assert f"[{entry['basis'].upper()}:" in html
    assert "[CONTEXT: from outside the texts]" in html
    with pytest.raises(ValueError, match="unknown catalog field"):
        excerpts.catalog_html(fields=["sha256"])


@pytest.mark.parametrize("source_id", sources.SOURCE_IDS)
def test_dating_card_quotes_its_clues(source_id: str) -> None:
    """The dating card quotes every clue verbatim with its id and marks context as context."""
    html = excerpts.dating_html(source_id)
    _well_formed(html)
    published = sources.get(source_id).catalog["published"]
    for clue in published["evidence"]:
        assert sources.cite(clue["sentence"], clue["quote"])
        assert f"\u201c{escape(clue['quote'])}\u201d" in html
        assert f'<span class="homs-sid">{clue["sentence"]}</span>' in html
    if published.get("context"):
        assert "Context (not from the sources):" in html


def test_show_catalog_and_dating(monkeypatch: pytest.MonkeyPatch) -> None:
    """show_catalog() and show_dating() display one HTML widget each."""
    shown = []
    monkeypatch.setattr(excerpts, "display", shown.append)
    excerpts.show_catalog()
    excerpts.show_dating("A")
    assert [type(w).__name__ for w in shown] == ["HTML", "HTML"]
    assert "Dating Source A" in shown[1].value


def test_highlights_starting_together_share_one_tag() -> None:
    """Several highlights of one kind starting at one place get one tag with a count."""
    source = sources.get("A")
    a30 = sources.sentence("A-30")
    found = [
        Highlight(
            "claim",
            "A-30",
            a30.text[: 2 + i],
            a30.start,
            a30.start + 2 + i,
            f"t{i}",
            f"n{i}",
            f"x/{i}",
        )
        for i in range(3)
    ]
    found.sort(key=lambda h: -h.end)
    html = _markup.render(source, [a30], found, uid="u", layers=["claim"], show_raw=False)
    assert html.count("[CLAIM \u00d73]") == 1
    assert html.count("(end of CLAIM)") == 3


_XSS = "<img src=x onerror=alert(1)>"


def test_markup_in_a_note_reaches_the_page_escaped() -> None:
    """A highlight's title, note, context and compared version holding a tag are shown as text."""
    a30 = sources.sentence("A-30")
    version = knowledge.Version("B", f"says {_XSS}", sources.cite("B-13", "The army"))
    found = [
        Highlight(
            "discrepancy",
            "A-30",
            a30.text[:5],
            a30.start,
            a30.start + 5,
            f"T {_XSS}",
            f"N {_XSS}",
            "x/1",
            (version,),
            f"C {_XSS}",
        ),
    ]
    html = _markup.render(
        sources.get("A"), [a30], found, uid="u", layers=["discrepancy"], show_raw=False
    )
    _well_formed(html)
    assert "<img" not in html
    assert html.count("&lt;img src=x onerror=alert(1)&gt;") == 4
    assert "&amp;lt;" not in html


def test_markup_in_a_catalog_fact_reaches_the_card_escaped(monkeypatch: pytest.MonkeyPatch) -> None:
    """A catalog value or its evidence holding a tag is shown as text in the catalog card."""
    outlet = sources.get("A").catalog["outlet"]
    monkeypatch.setitem(outlet, "value", f"Outlet {_XSS}")
    monkeypatch.setitem(outlet, "evidence", f"Because {_XSS}")
    html = excerpts.catalog_html(["A"], ["outlet"])
    _well_formed(html)
    assert "<img" not in html
    assert "Outlet &lt;img src=x onerror=alert(1)&gt;" in html
    assert "<p>Because &lt;img src=x onerror=alert(1)&gt;</p>" in html


def test_an_inferred_speaker_is_shown_as_inferred_not_as_context() -> None:
    """A-19's quotation names no speaker: the note says it is inferred from the text."""
    from homs import excerpts as ex

    html = ex.excerpt_html("A", "A-19", layers=["voice"])
    assert "Inferred from the text: A-19 names no speaker" in html
    note = html[html.index("Inferred from the text: A-19") :]
    assert "Context (not from the sources)" not in note[: note.index("</li>")]
