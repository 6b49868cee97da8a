"""Reading a source whole, or a passage of it, with help for hard words. Imports the sources,
the knowledge base (its glossary), ``_highlights`` (which finds glossary words in a sentence, as
the excerpts do) and the helpers below them; the HTML comes from the autoescaping template
``reader/text.html`` and is shown with :mod:`homs._display`.

Every sentence is on a line of its own, its id first; headings are marked; Source A is shown as
prose. Glossary words (``glossary.yaml``) are underlined, with their definition on hover and in a
numbered list under the text, where a definition that draws on knowledge from outside the texts
is marked as context. Nothing here names a text's outlet, kind or date: students work those out
in Lesson 1.

>>> from homs import reader
>>> html = reader.full_text_html("B")
>>> "B-21" in html and "Words explained" in html
True
>>> reader.full_text_markdown("C").splitlines()[0]
'**Source C: the whole text** (C-1 to C-31)'

In a notebook, end a cell with ``reader.full_text("A")`` (a closed box the reader opens) or
``reader.passage("A", "A-25", "A-30")`` (open, no label naming who wrote it).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from homs import knowledge
from homs import sources as _sources
from homs._display import display
from homs._highlights import collect
from homs._passages import sentence_range
from homs._templates import render
from homs.knowledge import KnowledgeBase, Term
from homs.sources import SOURCE_IDS, Sentence

__all__ = [
    "CAPTIONS",
    "Gloss",
    "full_text",
    "full_text_html",
    "full_text_markdown",
    "full_texts",
    "glossary",
    "passage",
    "passage_html",
    "show",
]

#: Sentences of Source A that begin with a photo caption or the end of a pull-quote from the
#: original web page, run into the sentence (see the notes on Source A in the catalog).
CAPTIONS = _sources.CAPTIONS
_BASIS = {
    "context": "Context (not from the sources).",
    "sources": "From the texts.",
}
_counter = itertools.count(1)


@dataclass(frozen=True)
class Gloss:
    """A glossary term as it occurs in a text: its note number and where it occurs there."""

    number: int
    term: Term
    sentences: tuple[str, ...]

    @property
    def context(self) -> bool:
        """True when the definition draws on knowledge from outside the texts."""
        return self.term.basis == "context"

    @property
    def definition(self) -> str:
        """The definition on one line."""
        return " ".join(self.term.definition.split())


@dataclass(frozen=True)
class _Piece:
    text: str
    gloss: Gloss | None = None
    first: bool = False


def _spans(
    source_id: str, sentences: Sequence[Sentence], kb: KnowledgeBase
) -> tuple[dict[str, list[tuple[int, int, str]]], list[Gloss]]:
    """The glossary words of each sentence as (start, end, term id) in the sentence's text,
    without overlaps (the longer or earlier word wins), and the glosses in order of first use."""
    source = _sources.get(source_id)
    found = [h for h in collect(kb, source, [s.id for s in sentences]) if h.category == "term"]
    by_sentence: dict[str, list[tuple[int, int, str]]] = {s.id: [] for s in sentences}
    order: dict[str, list[str]] = {}
    for s in sentences:
        taken: list[tuple[int, int, str]] = []
        mine = sorted(
            (h for h in found if h.sentence == s.id), key=lambda h: (h.start, -(h.end - h.start))
        )
        for h in mine:
            start, end = h.start - s.start, h.end - s.start
            if any(start < b and a < end for a, b, _ in taken):
                continue
            term_id = h.ref.split("/", 1)[1]
            taken.append((start, end, term_id))
            order.setdefault(term_id, [])
            if s.id not in order[term_id]:
                order[term_id].append(s.id)
        by_sentence[s.id] = sorted(taken)
    glosses = [
        Gloss(n, kb.term(term_id), tuple(ids))
        for n, (term_id, ids) in enumerate(order.items(), start=1)
    ]
    return by_sentence, glosses


def glossary(
    source_id: str,
    first: str | None = None,
    last: str | None = None,
    *,
    kb: KnowledgeBase | None = None,
) -> list[Gloss]:
    """The glossary terms that occur in a source (or a passage), in order of first use.

    Args:
        source_id: ``"A"``, ``"B"`` or ``"C"``.
        first: The first sentence id of a passage; the whole source when omitted.
        last: The last sentence id; ``first`` alone when omitted.
        kb: The knowledge base; the packaged one by default.
    """
    sentences = sentence_range(source_id, first, last)
    return _spans(source_id, sentences, kb or knowledge.load())[1]


def _layout(
    source_id: str, first: str | None, last: str | None, kb: KnowledgeBase | None
) -> tuple[list[Sentence], list[dict[str, Any]], list[Gloss]]:
    sentences = sentence_range(source_id, first, last)
    spans, glosses = _spans(source_id, sentences, kb or knowledge.load())
    by_id = {g.term.id: g for g in glosses}
    seen: set[str] = set()
    rows = []
    for s in sentences:
        pieces: list[_Piece] = []
        at = 0
        for start, end, term_id in spans[s.id]:
            if start > at:
                pieces.append(_Piece(s.text[at:start]))
            pieces.append(_Piece(s.text[start:end], by_id[term_id], term_id not in seen))
            seen.add(term_id)
            at = end
        if at < len(s.text):
            pieces.append(_Piece(s.text[at:]))
        rows.append(
            {
                "id": s.id,
                "heading": s.heading,
                "pieces": [
                    {
                        "text": p.text,
                        "first": p.first,
                        "gloss": p.gloss
                        and {"number": p.gloss.number, "plain": p.gloss.definition},
                    }
                    for p in pieces
                ],
            }
        )
    return sentences, rows, glosses


def _intro(
    source_id: str,
    sentences: Sequence[Sentence],
    whole: bool,
    *,
    glossed: bool,
    markdown: bool = False,
) -> list[str]:
    notes = []
    if source_id == "A":
        notes.append(
            "Source A is shown as ordinary prose. (Its file separates every word and punctuation "
            "mark with spaces; the words are the same.)"
        )
        captions = [sid for sid in CAPTIONS if sid in {s.id for s in sentences}]
        if captions:
            where = ", ".join(captions[:-1]) + (" and " if len(captions) > 1 else "") + captions[-1]
            notes.append(
                f"{'Sentences' if len(captions) > 1 else 'Sentence'} {where} "
                f"{'begin' if len(captions) > 1 else 'begins'} with a photo caption or the end of "
                "a highlighted quotation from the original web page, run into the sentence."
            )
    if any(s.heading for s in sentences):
        mark = "(heading)" if markdown else "[HEADING]"
        notes.append(f"Lines marked {mark} are headings and subheadings, not sentences.")
    if whole and source_id == "A":
        notes.append("The text has no headline.")
    if not glossed:
        pass
    elif markdown:
        notes.append("Words explained in the glossary are listed under the text.")
    else:
        notes.append(
            "Underlined words are explained under the text (open Words explained); hover over "
            "one to read its note."
        )
    return notes


def _gloss_rows(glosses: Sequence[Gloss]) -> list[dict[str, Any]]:
    return [
        {
            "number": g.number,
            "term": g.term.term,
            "where": ", ".join(g.sentences),
            "definition": g.definition,
            "basis_text": _BASIS[g.term.basis],
        }
        for g in glosses
    ]


def _html(
    source_id: str,
    first: str | None,
    last: str | None,
    *,
    collapsed: bool,
    kb: KnowledgeBase | None,
    uid: str | None,
) -> str:
    sentences, rows, glosses = _layout(source_id, first, last, kb)
    whole = first is None
    span = f"{sentences[0].id} to {sentences[-1].id}"
    if whole:
        caption = f"Source {source_id}: the whole text ({span})"
        if collapsed:
            caption += ", click to open"
    elif len(sentences) == 1:
        caption = f"Source {source_id}, sentence {sentences[0].id}"
    else:
        caption = f"Source {source_id}, sentences {span}"
    return render(
        "reader/text.html",
        label=caption,
        caption=caption,
        collapsed=collapsed,
        intro=_intro(source_id, sentences, whole, glossed=bool(glosses)),
        sentences=rows,
        glosses=_gloss_rows(glosses),
        uid=uid or f"homs-read-{source_id}-{sentences[0].number}-{sentences[-1].number}",
    )


def full_text_html(
    source_id: str,
    *,
    collapsed: bool = True,
    kb: KnowledgeBase | None = None,
    uid: str | None = None,
) -> str:
    """A whole source as HTML: one sentence per line with its id, headings marked, Source A as
    prose, glossary words underlined and explained in a numbered list under the text.

    Args:
        source_id: ``"A"``, ``"B"`` or ``"C"``.
        collapsed: In a closed ``<details>`` box the reader opens (the default), or open.
        kb: The knowledge base (its glossary); the packaged one by default.
        uid: A prefix that makes element ids unique on a page.

    Raises:
        KeyError: There is no such source.
    """
    return _html(source_id, None, None, collapsed=collapsed, kb=kb, uid=uid)


def passage_html(
    source_id: str,
    first: str,
    last: str | None = None,
    *,
    kb: KnowledgeBase | None = None,
    uid: str | None = None,
) -> str:
    """A passage of one source as HTML, laid out as :func:`full_text_html`, open, headed only
    by the source's letter and the sentence ids (not by who wrote it or when).

    Raises:
        KeyError: A source or sentence id does not exist.
        ValueError: A sentence belongs to another source, or ``last`` comes before ``first``.
    """
    return _html(source_id, first, last, collapsed=False, kb=kb, uid=uid)


def _html_object(html: str) -> Any:
    from IPython.display import HTML

    return HTML(html)


def full_text(source_id: str, *, collapsed: bool = True) -> Any:
    """A whole source for a notebook: an IPython ``HTML`` object, shown when a cell ends with it
    (see :func:`full_text_html`)."""
    return _html_object(
        full_text_html(source_id, collapsed=collapsed, uid=f"homs-read-{next(_counter)}")
    )


def full_texts(source_ids: Iterable[str] = SOURCE_IDS) -> Any:
    """Several whole sources, each in a closed box, as one IPython ``HTML`` object."""
    return _html_object(
        "\n".join(full_text_html(s, uid=f"homs-read-{next(_counter)}") for s in source_ids)
    )


def passage(source_id: str, first: str, last: str | None = None) -> Any:
    """A passage for a notebook: an IPython ``HTML`` object (see :func:`passage_html`)."""
    return _html_object(passage_html(source_id, first, last, uid=f"homs-read-{next(_counter)}"))


def show(*source_ids: str) -> None:
    """Shows whole sources (all three by default), each in a closed box, in the notebook."""
    display(full_texts(source_ids or SOURCE_IDS))


# --------------------------------------------------------------------------- Markdown

# Characters Markdown (and Jupyter's MathJax, for $) would read as markup.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#+!|~$])")


def _md(text: str) -> str:
    """``text`` safe inside a Markdown paragraph: markup characters escaped, ``&`` and ``<``
    written as entities, white space collapsed."""
    text = " ".join(text.split()).replace("&", "&amp;")
    return _MD_SPECIAL.sub(r"\\\1", text).replace("\\<", "&lt;").replace("\\>", "&gt;")


def full_text_markdown(source_id: str, *, kb: KnowledgeBase | None = None) -> str:
    """A whole source as Markdown, safe for a notebook's Markdown cell.

    One paragraph per sentence, opening with its id in bold (``**A-1**``); headings are marked
    *(heading)* and set in bold; Source A as prose. The glossary terms that occur follow as a
    list, each with the sentences where it occurs and, where the definition draws on knowledge
    from outside the texts, "Context (not from the sources)". Every character Markdown or
    MathJax could read as markup is escaped.

    Raises:
        KeyError: There is no such source.
    """
    sentences, _rows, glosses = _layout(source_id, None, None, kb)
    lines = [f"**Source {source_id}: the whole text** ({sentences[0].id} to {sentences[-1].id})"]
    for note in _intro(source_id, sentences, True, glossed=bool(glosses), markdown=True):
        lines += ["", f"*{_md(note)}*"]
    for s in sentences:
        text = f"**{_md(s.text)}**" if s.heading else _md(s.text)
        lines += ["", f"**{s.id}** *(heading)* {text}" if s.heading else f"**{s.id}** {text}"]
    if glosses:
        lines += ["", "---", "", "**Words explained**", ""]
        for g in glosses:
            lines.append(
                f"- **{_md(g.term.term)}** ({', '.join(g.sentences)}): {_md(g.definition)} "
                f"*{_BASIS[g.term.basis]}*"
            )
    return "\n".join(lines) + "\n"
