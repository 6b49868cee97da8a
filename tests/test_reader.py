"""The reader: each source whole (HTML and Markdown) or a passage, one sentence per line with its
id, headings marked, Source A as prose, glossary words explained, everything escaped."""

from __future__ import annotations

import dataclasses
import html
import re
from html.parser import HTMLParser

import pytest
from markdown_it import MarkdownIt

from homs import knowledge, reader, sources
from homs.sources import SOURCE_IDS


class _Lines(HTMLParser):
    """Collects the text of each ``.homs-line`` paragraph and of each glossary note."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: dict[str, str] = {}
        self.classes: dict[str, str] = {}
        self.notes: list[str] = []
        self._line: str | None = None
        self._note: list[str] | None = None
        self._sid = False
        self._sup = 0
        self._buffer: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        cls = a.get("class") or ""
        if tag == "p" and "homs-line" in cls:
            self._line = (a.get("id") or "").rsplit("-", 2)[-2] + "-" + (a.get("id") or "")[-1:]
            self._buffer = []
            self._cls = cls
        elif tag == "span" and ("homs-sid" in cls or "homs-hlabel" in cls):
            self._sid = True
        elif tag == "sup":
            self._sup += 1
        elif tag == "li" and self._line is None:
            self._note = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "p" and self._line is not None:
            text = "".join(self._buffer).strip()
            self.lines[text.split(" ", 1)[0]] = text.split(" ", 1)[1] if " " in text else ""
            self.classes[text.split(" ", 1)[0]] = self._cls
            self._line = None
        elif tag == "span" and self._sid:
            self._sid = False
        elif tag == "sup":
            self._sup -= 1
        elif tag == "li" and self._note is not None:
            self.notes.append("".join(self._note).strip())
            self._note = None

    def handle_data(self, data: str) -> None:
        if self._line is not None:
            if self._sid:
                # the id and the heading label: keep the id as the line's first word
                if re.fullmatch(r"[ABC]-\d+", data.strip()):
                    self._buffer.insert(0, data.strip() + " ")
                return
            if not self._sup:
                self._buffer.append(data)
        elif self._note is not None:
            self._note.append(data)


def _parse(text: str) -> _Lines:
    parser = _Lines()
    parser.feed(text)
    return parser


@pytest.mark.parametrize("source_id", SOURCE_IDS)
def test_full_text_shows_every_sentence_once_in_order_with_its_id(source_id: str) -> None:
    """One line per sentence, its id first, its text exactly the reading text."""
    parsed = _parse(reader.full_text_html(source_id))
    source = sources.get(source_id)
    assert list(parsed.lines) == [s.id for s in source.sentences]
    for s in source.sentences:
        assert " ".join(parsed.lines[s.id].split()) == " ".join(s.text.split()), s.id


@pytest.mark.parametrize("source_id", SOURCE_IDS)
def test_headings_are_marked(source_id: str) -> None:
    """Heading lines carry the heading class and a visible [HEADING] label; no other line does."""
    page = reader.full_text_html(source_id)
    parsed = _parse(page)
    for s in sources.get(source_id).sentences:
        assert ("homs-heading" in parsed.classes[s.id]) == s.heading, s.id
    assert page.count('class="homs-hlabel">[HEADING]') == sum(
        s.heading for s in sources.get(source_id).sentences
    )


def test_source_a_is_shown_as_prose() -> None:
    """No Penn-Treebank tokens reach the reader; the note says why the file differs."""
    page = html.unescape(reader.full_text_html("A"))
    for token in ("-LRB-", "-RRB-", "``", "''", " n't", " 's "):
        assert token not in page
    assert "(Homs) is one place where the people just don't give up" in page
    assert "ordinary prose" in page
    for sid in reader.CAPTIONS:
        assert sid in page


def test_the_caption_notes_are_those_of_the_catalog() -> None:
    """The sentences said to hold a caption are those the catalog's notes on Source A name."""
    notes = " ".join(sources.get("A").catalog["notes"])
    for sid in reader.CAPTIONS:
        assert re.search(rf"\b{sid}\b", notes), sid


@pytest.mark.parametrize("source_id", SOURCE_IDS)
def test_every_glossary_term_in_the_text_is_explained_once(source_id: str) -> None:
    """Each term the glossary lists for a sentence of the source is in the notes, with the
    sentences where it occurs and its basis; context definitions are marked as context."""
    kb = knowledge.load()
    page = reader.full_text_html(source_id)
    parsed = _parse(page)
    glosses = reader.glossary(source_id)
    expected = {t.id for t in kb.terms if any(s.startswith(f"{source_id}-") for s in t.sentences)}
    assert {g.term.id for g in glosses} == expected
    assert len(parsed.notes) == len(glosses)
    for g, note in zip(glosses, parsed.notes, strict=True):
        assert note.startswith(g.term.term)
        assert g.definition in " ".join(note.split())
        assert ("Context (not from the sources)." in note) == (g.term.basis == "context")
        for sid in g.sentences:
            assert sid in g.term.sentences
    numbers = re.findall(r'aria-label="glossary note (\d+)"', page)
    assert numbers == [str(g.number) for g in glosses]  # one reference each, in order


def test_the_reader_never_names_outlet_kind_or_date() -> None:
    """The captions give only the source's letter and its sentence ids: Lesson 1 asks students
    to work out who wrote each text, what kind of text it is and when."""
    for sid in SOURCE_IDS:
        catalog = sources.get(sid).catalog
        for page in (reader.full_text_html(sid), reader.full_text_markdown(sid)):
            head = page[: page.index(f"{sid}-1 ")] if f"{sid}-1 " in page else page[:400]
            assert catalog["short"] not in page
            assert str(catalog["outlet"]["value"]) not in head
            assert "2012" not in head
            assert "2024" not in head


def test_a_passage_shows_only_its_sentences_open() -> None:
    """A passage is open (no details box), headed by the source letter and ids only."""
    page = reader.passage_html("A", "A-25", "A-30")
    parsed = _parse(page)
    assert list(parsed.lines) == [f"A-{n}" for n in range(25, 31)]
    assert "<details>" not in page
    assert "Source A, sentences A-25 to A-30" in page
    assert "BBC-style" not in page
    single = reader.passage_html("B", "B-10")
    assert "Source B, sentence B-10" in single


def test_passage_errors_say_what_to_do() -> None:
    """Another source's id, or a range that runs backwards, is refused with a clear message."""
    with pytest.raises(ValueError, match="not a sentence of Source A"):
        reader.passage_html("A", "B-2")
    with pytest.raises(ValueError, match="backwards"):
        reader.passage_html("A", "A-5", "A-2")
    with pytest.raises(KeyError):
        reader.full_text_html("D")


def test_full_text_is_collapsed_by_default_and_can_be_open() -> None:
    """In a notebook the whole text waits in a closed box until the student opens it."""
    assert "<details>" in reader.full_text_html("B")
    assert "click to open" in reader.full_text_html("B")
    assert "<details>" not in reader.full_text_html("B", collapsed=False)


def test_text_from_the_glossary_is_escaped() -> None:
    """A definition or term holding markup reaches the page escaped, in text and in titles."""
    kb = knowledge.load()
    evil = [
        dataclasses.replace(t, definition='<script>alert(1)</script> "x" & y', term=t.term)
        if t.id == "waer"
        else t
        for t in kb.terms
    ]
    bad = dataclasses.replace(kb, terms=tuple(evil))
    page = reader.full_text_html("B", kb=bad)
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert 'title="&lt;script&gt;' in page
    markdown = reader.full_text_markdown("B", kb=bad)
    assert "<script>" not in markdown
    assert "&lt;script&gt;" in markdown


def test_notebook_objects_are_html() -> None:
    """full_text, full_texts and passage return IPython HTML objects with unique ids."""
    from IPython.display import HTML

    one, two = reader.full_text("A"), reader.full_text("A")
    assert isinstance(one, HTML)
    assert isinstance(two, HTML)
    ids_one = set(re.findall(r'id="([^"]+)"', one.data))
    ids_two = set(re.findall(r'id="([^"]+)"', two.data))
    assert ids_one
    assert not ids_one & ids_two
    three = reader.full_texts()
    assert all(f"Source {s}: the whole text" in three.data for s in SOURCE_IDS)
    assert isinstance(reader.passage("C", "C-1", "C-5"), HTML)


# --------------------------------------------------------------------------- Markdown


def _rendered_paragraphs(markdown: str) -> list[str]:
    """The text of each paragraph as a Markdown renderer shows it (tags dropped)."""
    page = MarkdownIt("commonmark").render(markdown)
    return [
        html.unescape(re.sub(r"<[^>]+>", "", p)).strip()
        for p in re.findall(r"<p>(.*?)</p>", page, re.DOTALL)
    ]


@pytest.mark.parametrize("source_id", SOURCE_IDS)
def test_markdown_renders_every_sentence_verbatim(source_id: str) -> None:
    """Rendered as Markdown, each sentence is a paragraph: its id, then its exact text."""
    text = reader.full_text_markdown(source_id)
    assert text.startswith(f"**Source {source_id}: the whole text**")
    paragraphs = _rendered_paragraphs(text)
    for s in sources.get(source_id).sentences:
        label = f"{s.id} (heading) " if s.heading else f"{s.id} "
        assert label + " ".join(s.text.split()) in paragraphs, s.id
    assert f"**{source_id}-1**" in text


@pytest.mark.parametrize("source_id", SOURCE_IDS)
def test_markdown_is_safe_for_a_notebook_cell(source_id: str) -> None:
    """No raw HTML, no unescaped dollar sign (MathJax), no stray emphasis or links."""
    text = reader.full_text_markdown(source_id)
    assert not re.search(r"<[a-zA-Z/]", text)
    assert not re.search(r"(?<!\\)\$", text)
    page = MarkdownIt("commonmark").render(text)
    assert "<a " not in page
    assert "<code>" not in page
    assert "<h" not in page.replace("<hr", "")


def test_markdown_ends_with_the_glossary_as_a_list() -> None:
    """The glossary terms follow the text as a list, each with its sentences and basis."""
    text = reader.full_text_markdown("B")
    head, _, tail = text.partition("**Words explained**")
    assert tail, "no glossary"
    items = [line for line in tail.splitlines() if line.startswith("- ")]
    glosses = reader.glossary("B")
    assert len(items) == len(glosses)
    for item, g in zip(items, glosses, strict=True):
        assert item.startswith(f"- **{g.term.term}** ({', '.join(g.sentences)})")
        assert item.endswith(
            "*Context (not from the sources).*" if g.context else "*From the texts.*"
        )
    assert "\\$302.5 million" in head
