"""HTML for annotated excerpts: overlapping highlights, notes, legend and stored tokens.

Highlights may overlap or nest in any way. The text of each sentence is cut at every place a
highlight starts or ends; each piece is wrapped in one ``<mark>`` per highlight covering it,
outermost first, so the markup is always well nested. A highlight's visible tag (``[DATE]``) is
written where it starts, and a hidden "end" text with its note number where it ends.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Collection, Sequence
from html import escape

from homs import _assets
from homs._highlights import CATEGORIES, CATEGORY_ORDER, Highlight
from homs.knowledge import Version
from homs.sources import Sentence, Source

__all__ = ["render"]

_ORDER = {c: i for i, c in enumerate(CATEGORY_ORDER)}


def _e(text: str) -> str:
    return escape(text, quote=True)


def tag(category: str, count: int = 1) -> str:
    """The visible label of a category, e.g. ``◆ [DATE]``, with the symbol hidden from readers.

    ``count`` highlights of one category starting at the same place share one tag,
    ``≠ [DIFFERS ×3]``.
    """
    c = CATEGORIES[category]
    times = f" \u00d7{count}" if count > 1 else ""
    return (
        f'<span class="homs-tag homs-c-{c.key}"><span aria-hidden="true">{_e(c.symbol)} '
        f"</span>[{_e(c.label)}{times}]</span>"
    )


def render(
    source: Source,
    sentences: Sequence[Sentence],
    highlights: Sequence[Highlight],
    *,
    uid: str,
    layers: Collection[str],
    show_raw: bool,
) -> str:
    """The HTML of one excerpt.

    Args:
        source: The source the sentences come from.
        sentences: The sentences shown, in order.
        highlights: All highlights for those sentences; only ``layers`` are drawn.
        uid: A prefix that makes the element ids unique on a page.
        layers: The categories to draw.
        show_raw: Also show the stored tokens of the sentences and of each highlight.

    Returns:
        A self-contained HTML fragment (with its ``<style>``).
    """
    shown = [h for h in highlights if h.category in layers and h.end > h.start]
    notes: dict[tuple[str, str, str, str], int] = {}
    numbered: list[tuple[Highlight, int, str]] = []
    for i, h in enumerate(shown, start=1):
        key = (h.category, h.ref, h.title, h.note)
        number = notes.setdefault(key, len(notes) + 1)
        numbered.append((h, number, f"{uid}-h{i}"))
    paragraphs: list[str] = []
    current: list[str] = []
    last_paragraph = None
    heading = False
    for s in sentences:
        if s.paragraph != last_paragraph and current:
            paragraphs.append(_paragraph(current, heading))
            current = []
        last_paragraph = s.paragraph
        heading = s.heading
        mine = [x for x in numbered if x[0].sentence == s.id]
        current.append(
            f'<span class="homs-sentence" id="{_e(uid)}-{_e(s.id)}">'
            f'<span class="homs-sid">{_e(s.id)}</span> '
            f"{_sentence(s, mine, uid)}</span>"
        )
    if current:
        paragraphs.append(_paragraph(current, heading))
    first, last = sentences[0].id, sentences[-1].id
    where = first if first == last else f"{first} to {last}"
    present = sorted({h.category for h in highlights}, key=_ORDER.__getitem__)
    return _assets.template("excerpt.html").substitute(
        css=_assets.read("excerpt.css"),
        label=_e(f"Annotated excerpt: Source {source.id}, {where}"),
        caption=_e(f"{source.label}, {where}"),
        legend=_legend(present, layers),
        paragraphs="\n".join(paragraphs),
        raw=_raw(source, sentences) if show_raw else "",
        notes=_notes(source, numbered, uid, show_raw),
    )


def _paragraph(parts: list[str], heading: bool) -> str:
    cls = ' class="homs-heading"' if heading else ""
    return f"<p{cls}>" + " ".join(parts) + "</p>"


def _sentence(s: Sentence, mine: list[tuple[Highlight, int, str]], uid: str) -> str:
    text = s.text
    spans = [(h.start - s.start, h.end - s.start, h, n, hid) for h, n, hid in mine]
    cuts = sorted({0, len(text)} | {a for a, *_ in spans} | {b for _, b, *_ in spans})
    out: list[str] = []
    for left, right in itertools.pairwise(cuts):
        # Highlights ending here: innermost first.
        ending = [x for x in spans if x[1] == left]
        ending.sort(key=lambda x: (-x[0], -_ORDER[x[2].category]))
        out.append(_ends([(h, n) for _, _, h, n, _ in ending], uid))
        starting = [x for x in spans if x[0] == left]
        starting.sort(key=lambda x: (-x[1], _ORDER[x[2].category]))
        counts = Counter(h.category for _, _, h, _, _ in starting)
        out += [tag(category, n) for category, n in counts.items()]
        active = [x for x in spans if x[0] <= left and x[1] >= right]
        active.sort(key=lambda x: (x[0], -x[1], _ORDER[x[2].category]))
        piece = _e(text[left:right])
        for _, _, h, n, hid in reversed(active):
            piece = (
                f'<mark class="homs-c-{h.category}" data-h="{hid}" '
                f'aria-describedby="{uid}-n{n}">{piece}</mark>'
            )
        out.append(piece)
    ending = [x for x in spans if x[1] == len(text)]
    ending.sort(key=lambda x: (-x[0], -_ORDER[x[2].category]))
    out.append(_ends([(h, n) for _, _, h, n, _ in ending], uid))
    return "".join(out)


def _ends(ending: list[tuple[Highlight, int]], uid: str) -> str:
    """Hidden "end of" texts, then one superscript with the note numbers, comma separated."""
    if not ending:
        return ""
    ends = "".join(
        f'<span class="homs-sr">(end of {_e(CATEGORIES[h.category].label)})</span>'
        for h, _ in ending
    )
    numbers = list(dict.fromkeys(n for _, n in ending))
    links = ",".join(f'<a href="#{uid}-n{n}" aria-label="note {n}">{n}</a>' for n in numbers)
    return f'{ends}<sup class="homs-ref">{links}</sup>'


def _legend(present: list[str], layers: Collection[str]) -> str:
    if not present:
        return '<p class="homs-legend">No annotations for these sentences.</p>'
    items = []
    for key in present:
        c = CATEGORIES[key]
        state = "" if key in layers else " (hidden)"
        items.append(f"<li>{tag(key)} {_e(c.name.lower())}: {_e(c.description)}{state}</li>")
    return '<ul class="homs-legend" aria-label="Annotation layers">' + "".join(items) + "</ul>"


def _notes(
    source: Source, numbered: list[tuple[Highlight, int, str]], uid: str, show_raw: bool
) -> str:
    if not numbered:
        return ""
    groups: dict[int, list[Highlight]] = {}
    for h, n, _ in numbered:
        groups.setdefault(n, []).append(h)
    items = []
    for n, group in sorted(groups.items()):
        h = group[0]
        ids = ", ".join(dict.fromkeys(g.sentence for g in group))
        parts = [
            tag(h.category),
            f' <span class="homs-where">{_e(ids)}</span>',
            f' <span class="homs-quote">\u201c{_e(h.quote)}\u201d</span>',
        ]
        if show_raw and source.raw[slice(*source.offsets.to_raw(h.start, h.end))] != h.quote:
            raw = source.raw[slice(*source.offsets.to_raw(h.start, h.end))]
            parts.append(f" (stored tokens: <code>{_e(raw)}</code>)")
        parts.append(f": <strong>{_e(h.title)}</strong>.")
        if h.note:
            parts.append(f" {_e(h.note)}")
        if h.context:
            parts.append(
                f' <span class="homs-context">Context (not from the sources): '
                f"{_e(h.context)}</span>"
            )
        parts += [_compare(v) for v in h.compare]
        items.append(f'<li id="{uid}-n{n}" value="{n}">' + "".join(parts) + "</li>")
    return (
        '<h4 class="homs-notes-title">Notes</h4>\n<ol class="homs-notes">\n'
        + "\n".join(items)
        + "\n</ol>"
    )


def _compare(v: Version) -> str:
    if v.citation is None:
        summary = f"Compare: Source {v.source} (silent on this)"
        body = _e(f"Source {v.source} does not report this. {v.says}")
    else:
        summary = f"Compare: what Source {v.source} says ({v.citation.sentence})"
        body = (
            f"{_e(f'Source {v.source} says: {v.says}.')} "
            f'<span class="homs-quote">\u201c{_e(v.citation.quote)}\u201d</span> '
            f"({_e(v.citation.sentence)})"
        )
    return f"<details><summary>{_e(summary)}</summary><p>{body}</p></details>"


def _raw(source: Source, sentences: Sequence[Sentence]) -> str:
    tokenized = source.catalog["tokenization"]["value"] != "none"
    intro = (
        "As stored in the seed file, one token per word or punctuation mark:"
        if tokenized
        else "As stored in the seed file (the same as the text above):"
    )
    lines = "\n".join(
        f'<span class="homs-sid">{_e(s.id)}</span> {_e(s.raw_text)}' for s in sentences
    )
    return (
        f'<h4 class="homs-raw-title">Stored tokens</h4>\n'
        f'<p class="homs-raw-intro">{_e(intro)}</p>\n'
        f'<div class="homs-raw">{lines}</div>'
    )
