"""The annotated-excerpt HTML: overlapping highlights, notes, legend and stored tokens, laid out
here and rendered by the autoescaping template ``excerpt.html``. Imports the sources, the
knowledge base's types, ``_highlights``, ``_assets`` (the style sheet) and ``_templates``.

Highlights may overlap or nest in any way. The text of each sentence is cut at every place a
highlight starts or ends; each piece is wrapped in one ``<mark>`` per highlight covering it,
outermost first, so the markup is always well nested. A highlight's visible tag (``[DATE]``) is
written where it starts, and a hidden "end" text with its note number where it ends.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import Any

from homs import _assets
from homs._highlights import CATEGORIES, CATEGORY_ORDER, Category, Highlight
from homs._templates import render as _render
from homs.sources import Sentence, Source

__all__ = ["render"]

_ORDER = {c: i for i, c in enumerate(CATEGORY_ORDER)}


@dataclass(frozen=True)
class _Mark:
    """One ``<mark>`` around a piece: the highlight's category, element id and note number."""

    category: str
    id: str
    number: int


@dataclass
class _Piece:
    """A stretch of a sentence covered by the same highlights, with what comes before it: the
    "end of" labels and note numbers of the highlights ending there, and the tags of those
    starting there."""

    text: str = ""
    ends: list[str] = field(default_factory=list)
    numbers: list[int] = field(default_factory=list)
    tags: list[tuple[Category, int]] = field(default_factory=list)
    marks: list[_Mark] = field(default_factory=list)


def render(
    source: Source,
    sentences: Sequence[Sentence],
    highlights: Sequence[Highlight],
    *,
    uid: str,
    layers: Collection[str],
    show_raw: bool,
    corrections: Sequence[str] = (),
) -> str:
    """The HTML of one excerpt.

    Args:
        source: The source the sentences come from.
        sentences: The sentences shown, in order.
        highlights: All highlights for those sentences; only ``layers`` are drawn.
        uid: A prefix that makes the element ids unique on a page.
        layers: The categories to draw.
        show_raw: Also show the stored tokens of the sentences and of each highlight.
        corrections: Notes correcting dates the passage (or a version it is compared with)
            prints, shown under the text whatever layers are ticked, marked as context.

    Returns:
        A self-contained HTML fragment (with its ``<style>``).
    """
    shown = [h for h in highlights if h.category in layers and h.end > h.start]
    notes: dict[tuple[str, str, str, str], int] = {}
    numbered: list[tuple[Highlight, int, str]] = []
    for i, h in enumerate(shown, start=1):
        key = (h.category, h.ref, h.title, h.note + (h.inference or ""))
        number = notes.setdefault(key, len(notes) + 1)
        numbered.append((h, number, f"{uid}-h{i}"))
    paragraphs: list[dict[str, Any]] = []
    last_paragraph = None
    for s in sentences:
        if not paragraphs or s.paragraph != last_paragraph:
            paragraphs.append({"heading": s.heading, "sentences": []})
        last_paragraph = s.paragraph
        paragraphs[-1]["heading"] = s.heading  # a paragraph takes its last sentence's kind
        mine = [x for x in numbered if x[0].sentence == s.id]
        paragraphs[-1]["sentences"].append({"id": s.id, "pieces": _pieces(s, mine)})
    first, last = sentences[0].id, sentences[-1].id
    where = first if first == last else f"{first} to {last}"
    present = sorted({h.category for h in highlights}, key=_ORDER.__getitem__)
    return _render(
        "excerpt.html",
        css=_assets.read("excerpt.css"),
        uid=uid,
        label=f"Annotated excerpt: Source {source.id}, {where}",
        caption=f"{source.label}, {where}",
        legend=[(CATEGORIES[key], key not in layers) for key in present],
        paragraphs=paragraphs,
        raw=_raw(source, sentences) if show_raw else None,
        notes=_notes(source, numbered, show_raw),
        corrections=list(corrections),
    )


def _pieces(s: Sentence, mine: list[tuple[Highlight, int, str]]) -> list[_Piece]:
    """The sentence cut at every place a highlight starts or ends, then a last, empty piece
    that carries the ends at the end of the sentence."""
    text = s.text
    spans = [(h.start - s.start, h.end - s.start, h, n, hid) for h, n, hid in mine]
    cuts = sorted({0, len(text)} | {a for a, *_ in spans} | {b for _, b, *_ in spans})
    out: list[_Piece] = []
    for left, right in itertools.pairwise(cuts):
        piece = _ending(spans, left)
        starting = [x for x in spans if x[0] == left]
        starting.sort(key=lambda x: (-x[1], _ORDER[x[2].category]))
        counts = Counter(h.category for _, _, h, _, _ in starting)
        piece.tags = [(CATEGORIES[category], n) for category, n in counts.items()]
        active = [x for x in spans if x[0] <= left and x[1] >= right]
        active.sort(key=lambda x: (x[0], -x[1], _ORDER[x[2].category]))
        piece.marks = [_Mark(h.category, hid, n) for _, _, h, n, hid in active]
        piece.text = text[left:right]
        out.append(piece)
    out.append(_ending(spans, len(text)))
    return out


def _ending(spans: list[tuple[int, int, Highlight, int, str]], at: int) -> _Piece:
    """A piece opening with the hidden "end of" texts of the highlights ending at ``at``
    (innermost first), then one superscript with their note numbers."""
    ending = [x for x in spans if x[1] == at]
    ending.sort(key=lambda x: (-x[0], -_ORDER[x[2].category]))
    return _Piece(
        ends=[CATEGORIES[h.category].label for _, _, h, _, _ in ending],
        numbers=list(dict.fromkeys(n for _, _, _, n, _ in ending)),
    )


def _notes(
    source: Source, numbered: list[tuple[Highlight, int, str]], show_raw: bool
) -> list[dict[str, Any]]:
    groups: dict[int, list[Highlight]] = {}
    for h, n, _ in numbered:
        groups.setdefault(n, []).append(h)
    notes = []
    for n, group in sorted(groups.items()):
        h = group[0]
        raw = None
        if show_raw:
            stored = source.raw[slice(*source.offsets.to_raw(h.start, h.end))]
            raw = stored if stored != h.quote else None
        notes.append(
            {
                "number": n,
                "category": CATEGORIES[h.category],
                "sentences": ", ".join(dict.fromkeys(g.sentence for g in group)),
                "quote": h.quote,
                "raw": raw,
                "title": h.title,
                "note": h.note,
                "context": h.context,
                "inference": h.inference,
                "compare": h.compare,
            }
        )
    return notes


def _raw(source: Source, sentences: Sequence[Sentence]) -> dict[str, Any]:
    tokenized = source.catalog["tokenization"]["value"] != "none"
    intro = (
        "As stored in the seed file, one token per word or punctuation mark:"
        if tokenized
        else "As stored in the seed file (the same as the text above):"
    )
    return {"intro": intro, "lines": [(s.id, s.raw_text) for s in sentences]}
