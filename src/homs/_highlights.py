"""Turning the knowledge base into highlighted spans of one source's sentences, and the
categories of highlight. Imports only the knowledge base, the sources and ``_text``; the
excerpts, the cards and the self-check builders use it."""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

from homs._text import join_and
from homs.knowledge import DISCREPANCY_TYPES, KnowledgeBase, Version
from homs.sources import Source

__all__ = [
    "CATEGORIES",
    "CATEGORY_ORDER",
    "Category",
    "Highlight",
    "collect",
    "context_text",
    "corrections",
]


@dataclass(frozen=True)
class Category:
    """A layer of annotations, with the cues that tell it apart without colour."""

    key: str
    label: str
    symbol: str
    name: str
    description: str


CATEGORIES: dict[str, Category] = {
    c.key: c
    for c in (
        Category(
            "sourcing-clue",
            "SOURCING",
            "\u00a7",
            "Sourcing clue",
            "who wrote it, or where the information comes from",
        ),
        Category("claim", "CLAIM", "\u00b6", "Claim", "a statement a reader could check"),
        Category(
            "date", "DATE", "\u25c6", "Date", "when an event happened, as the source dates it"
        ),
        Category("voice", "VOICE", "\u201c", "Voice", "a person or organisation quoted or cited"),
        Category("loaded-word", "LOADED", "!", "Loaded word", "a word that carries a judgement"),
        Category("hedge", "HEDGE", "~", "Hedge", "a word that signals doubt or distance"),
        Category(
            "discrepancy",
            "DIFFERS",
            "\u2260",
            "Discrepancy",
            "another source says something different",
        ),
        Category("term", "TERM", "*", "Glossary term", "a name or word the glossary explains"),
    )
}

# Outer spans first when two start at the same place and have the same length.
CATEGORY_ORDER = (
    "discrepancy",
    "claim",
    "date",
    "voice",
    "sourcing-clue",
    "hedge",
    "loaded-word",
    "term",
)
_MODES = {
    "quoted": "quoted: their own words, in quotation marks",
    "paraphrased": "paraphrased: their words reported without quotation marks",
    "cited": "cited: named as the source of the information",
}
_OUTSIDE = re.compile(r"^\s*outside the texts\s*[:,]\s*", re.IGNORECASE)


@dataclass(frozen=True)
class Highlight:
    """One highlighted span in a sentence, with the note the knowledge base gives it.

    ``start`` and ``end`` are offsets in the source's reading text; ``quote`` is the text
    between them, verbatim. ``compare`` holds the other sources' versions of a discrepancy.
    ``inference`` is what is worked out from the text (shown as "Inferred from the text"),
    ``context`` what comes from outside the texts (shown as "Context (not from the sources)").
    """

    category: str
    sentence: str
    quote: str
    start: int
    end: int
    title: str
    note: str
    ref: str
    compare: tuple[Version, ...] = ()
    context: str | None = None
    inference: str | None = None

    @property
    def source(self) -> str:
        """The source letter."""
        return self.sentence.split("-", 1)[0]


def context_text(text: str) -> str:
    """Context text without a leading "Outside the texts:", which the label already says."""
    stripped = _OUTSIDE.sub("", text.strip())
    return stripped[:1].upper() + stripped[1:]


def corrections(
    kb: KnowledgeBase, highlights: Collection[Highlight], sentence_ids: Collection[str]
) -> list[str]:
    """The correction of every date known to be wrong that these sentences, or the other
    sources' versions the highlights compare them with, print: wherever such a date is shown,
    its correction is shown too (marked as context)."""
    shown = set(sentence_ids)
    shown |= {v.citation.sentence for h in highlights for v in h.compare if v.citation}
    return [note for e in kb.correction_for(shown) if (note := e.correction_note())]


def collect(kb: KnowledgeBase, source: Source, sentence_ids: Collection[str]) -> list[Highlight]:
    """Every highlight the knowledge base gives for these sentences of ``source``.

    Args:
        kb: The knowledge base.
        source: The source the sentences belong to.
        sentence_ids: The sentences to annotate.

    Returns:
        The highlights in reading order (longer spans first where two start together).
    """
    wanted = set(sentence_ids)
    found: list[Highlight] = []
    found += _annotations(kb, wanted)
    found += _dates(kb, source, wanted)
    found += _voices(kb, wanted)
    found += _discrepancies(kb, wanted)
    found += _terms(kb, source, wanted)
    order = {c: i for i, c in enumerate(CATEGORY_ORDER)}
    return sorted(found, key=lambda h: (h.start, -h.end, order[h.category], h.ref))


def _annotations(kb: KnowledgeBase, wanted: set[str]) -> list[Highlight]:
    return [
        Highlight(
            a.kind,
            a.citation.sentence,
            a.citation.quote,
            a.citation.start,
            a.citation.end,
            a.kind.replace("-", " ").capitalize(),
            a.note,
            f"annotations/{a.id}",
        )
        for a in kb.annotations
        if a.citation.sentence in wanted
    ]


def _dates(kb: KnowledgeBase, source: Source, wanted: set[str]) -> list[Highlight]:
    result = []
    for event in kb.events:
        for report in event.reports:
            c = report.citation
            if c.sentence not in wanted or report.dating == "undated":
                continue
            start, end, quote = c.start, c.end, c.quote
            sentence = source.sentence(c.sentence)
            if report.date_words:
                where = sentence.text.find(report.date_words)
                if where >= 0:
                    start = sentence.start + where
                    end = start + len(report.date_words)
                    quote = report.date_words
            who = f"Source {report.source}"
            label = event.date_text()
            if report.dating == "explicit":
                words = f" \u201c{report.date_words}\u201d" if report.date_words else " the date"
                note = f"Dated {label}. {who} prints{words} here."
                if event.reasoning:
                    note += f" How the date is worked out: {event.reasoning}"
            elif report.dating == "relative":
                words = f" (\u201c{report.date_words}\u201d)" if report.date_words else ""
                note = (
                    f"Dated {label}. {who} dates it relative to other events{words}. "
                    f"How the date is worked out: {event.reasoning}"
                )
            else:
                note = (
                    f"Dated {label}. This sentence prints no date; the date is inferred. "
                    f"{event.reasoning}"
                )
            result.append(
                Highlight(
                    "date",
                    c.sentence,
                    quote,
                    start,
                    end,
                    event.title,
                    " ".join(note.split()),
                    f"events/{event.id}",
                    context=_context(event.context),
                )
            )
    return result


def _voices(kb: KnowledgeBase, wanted: set[str]) -> list[Highlight]:
    result = []
    for voice in kb.voices:
        for a in voice.appearances:
            c = a.citation
            if c.sentence not in wanted:
                continue
            who = f"{a.described_as[:1].upper()}{a.described_as[1:]}. " if a.described_as else ""
            note = f"{who}Here {_MODES[a.mode]}."
            inferred = " ".join(x for x in (a.inference, voice.inference) if x)
            result.append(
                Highlight(
                    "voice",
                    c.sentence,
                    c.quote,
                    c.start,
                    c.end,
                    voice.name,
                    note,
                    f"voices/{voice.id}",
                    context=_context(voice.context),
                    inference=" ".join(inferred.split()) or None,
                )
            )
    return result


def _discrepancies(kb: KnowledgeBase, wanted: set[str]) -> list[Highlight]:
    result = []
    for d in kb.discrepancies:
        for version in d.versions:
            c = version.citation
            if c is None or c.sentence not in wanted:
                continue
            others = tuple(v for v in d.versions if v is not version)
            note = (
                f"Source {version.source} says: {version.says}. "
                f"Type: {d.type} ({DISCREPANCY_TYPES[d.type]})"
                + (
                    "; also defensible: " + join_and([a.type for a in d.also_types])
                    if d.also_types
                    else ""
                )
                + ". "
                f"Why they may differ: {d.explanation}"
            )
            result.append(
                Highlight(
                    "discrepancy",
                    c.sentence,
                    c.quote,
                    c.start,
                    c.end,
                    d.topic,
                    " ".join(note.split()),
                    f"discrepancies/{d.id}",
                    others,
                    _context(d.context),
                )
            )
    return result


def _terms(kb: KnowledgeBase, source: Source, wanted: set[str]) -> list[Highlight]:
    result = []
    for term in kb.terms:
        spellings = sorted({term.term, *term.variants}, key=len, reverse=True)
        pattern = re.compile(
            r"(?<!\w)(?:" + "|".join(re.escape(s) for s in spellings) + r")(?!\w)", re.IGNORECASE
        )
        for sid in term.sentences:
            if sid not in wanted:
                continue
            sentence = source.sentence(sid)
            for match in pattern.finditer(sentence.text):
                start = sentence.start + match.start()
                if term.basis == "context":
                    note, context = "", term.definition
                else:
                    note, context = term.definition, None
                result.append(
                    Highlight(
                        "term",
                        sid,
                        match.group(0),
                        start,
                        start + len(match.group(0)),
                        term.term,
                        " ".join(note.split()),
                        f"glossary/{term.id}",
                        context=_context(context),
                    )
                )
    return result


def _context(text: str | None) -> str | None:
    return " ".join(context_text(text).split()) if text else None
