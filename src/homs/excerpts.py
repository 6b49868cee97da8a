"""Annotated excerpts: passages of a source with highlighted, labelled spans, the
:class:`Excerpt` widget that toggles them, and the catalog and dating cards. Imports ipywidgets,
the knowledge base, the sources and the helpers that lay out the HTML (``_markup``, ``_cards``,
``_highlights``, with ``_templates`` below them); charts, widgets and selfcheck are not needed.

A date the sources print that is known to be wrong (Waer's "May 2016", B-17 and C-31) is
corrected under the passage, marked as context, whichever layers are ticked.

The highlights come from the knowledge base: sourcing clues, claims, loaded words and hedges
(``annotations.yaml``), dates (``events.yaml``), voices (``voices.yaml``), discrepancies with
another source (``discrepancies.yaml``, the other source's version one click away in a
``<details>`` element) and glossary terms (``glossary.yaml``).

Each category has a text label (``[DATE]``), a marker symbol and its own underline style, so
colour is never the only cue, and the markup is plain HTML a screen reader can follow: sentence
ids are visible, each ``<mark>`` is announced by its label and closed by a hidden "end" text.

>>> from homs import excerpts
>>> html = excerpts.excerpt_html("A", "A-30", "A-32", layers=["date"])
>>> "[DATE]" in html and "A-31" in html
True

In a notebook, ``excerpts.show("A", "A-30", "A-32")`` shows the passage with a checkbox per
layer and, for Source A, one to show the stored tokens.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence

import ipywidgets as widgets

from homs import _cards, _markup, knowledge
from homs import sources as _sources
from homs._display import display
from homs._highlights import CATEGORIES, CATEGORY_ORDER, Category, Highlight, collect, corrections
from homs._passages import sentence_range
from homs.knowledge import KnowledgeBase
from homs.sources import Sentence, Source

__all__ = [
    "CATEGORIES",
    "Category",
    "Excerpt",
    "Highlight",
    "catalog_html",
    "dating_html",
    "excerpt",
    "excerpt_html",
    "highlights",
    "sentence_range",
    "show",
    "show_catalog",
    "show_dating",
]

_counter = itertools.count(1)


def highlights(
    source_id: str,
    first: str | None = None,
    last: str | None = None,
    *,
    kb: KnowledgeBase | None = None,
) -> list[Highlight]:
    """Every highlight the knowledge base gives for a passage, in reading order.

    Args:
        source_id: ``"A"``, ``"B"`` or ``"C"``.
        first: The first sentence id; the whole source when omitted.
        last: The last sentence id; ``first`` alone when omitted.
        kb: The knowledge base; the packaged one by default.
    """
    sentences = sentence_range(source_id, first, last)
    return collect(kb or knowledge.load(), _sources.get(source_id), [s.id for s in sentences])


def _layers(layers: Iterable[str] | None) -> tuple[str, ...]:
    if layers is None:
        return CATEGORY_ORDER
    if isinstance(layers, str):
        layers = [layers]
    chosen = tuple(layers)
    unknown = [x for x in chosen if x not in CATEGORIES]
    if unknown:
        raise ValueError(
            f"unknown annotation layer(s) {', '.join(map(repr, unknown))}; "
            f"choose from {', '.join(CATEGORIES)}"
        )
    return chosen


def excerpt_html(
    source_id: str,
    first: str | None = None,
    last: str | None = None,
    *,
    layers: Iterable[str] | None = None,
    show_raw: bool = False,
    kb: KnowledgeBase | None = None,
    uid: str | None = None,
) -> str:
    """The HTML of an annotated excerpt (pure: no widgets, no display).

    Args:
        source_id: ``"A"``, ``"B"`` or ``"C"``.
        first: The first sentence id, e.g. ``"A-30"``; the whole source when omitted.
        last: The last sentence id; ``first`` alone when omitted.
        layers: The categories to highlight (keys of :data:`CATEGORIES`); all by default.
        show_raw: Also show the stored tokens (for Source A, the Penn-Treebank form).
        kb: The knowledge base; the packaged one by default.
        uid: Prefix for element ids, unique on the page; built from the passage by default.

    Returns:
        A self-contained HTML fragment, its ``<style>`` included.

    Raises:
        KeyError: A source or sentence id does not exist.
        ValueError: The range is not one source's sentences in order, or a layer is unknown.
    """
    chosen = _layers(layers)
    sentences = sentence_range(source_id, first, last)
    source = _sources.get(source_id)
    base = kb or knowledge.load()
    ids = [s.id for s in sentences]
    found = collect(base, source, ids)
    uid = uid or f"homs-{source_id}-{sentences[0].number}-{sentences[-1].number}"
    return _markup.render(
        source,
        sentences,
        found,
        uid=uid,
        layers=chosen,
        show_raw=show_raw,
        corrections=corrections(base, found, ids),
    )


class Excerpt(widgets.VBox):
    """An annotated excerpt with one checkbox per annotation layer.

    Attributes:
        source: The source shown.
        sentences: The sentences shown.
        highlights: Every highlight in the passage (hidden layers included).
        layer_boxes: The checkbox of each layer present in the passage, by category key.
        raw_box: The "Show stored tokens" checkbox (``None`` for sources stored as prose).
        html: The HTML widget showing the passage.
    """

    def __init__(
        self,
        source_id: str,
        first: str | None = None,
        last: str | None = None,
        *,
        layers: Iterable[str] | None = None,
        kb: KnowledgeBase | None = None,
    ) -> None:
        chosen = _layers(layers)
        self.source: Source = _sources.get(source_id)
        self.sentences: Sequence[Sentence] = sentence_range(source_id, first, last)
        self._kb = kb or knowledge.load()
        self.highlights: list[Highlight] = collect(
            self._kb, self.source, [s.id for s in self.sentences]
        )
        self._uid = (
            f"homs-{source_id}-{self.sentences[0].number}-"
            f"{self.sentences[-1].number}-w{next(_counter)}"
        )
        counts = {key: sum(h.category == key for h in self.highlights) for key in CATEGORY_ORDER}
        self.layer_boxes: dict[str, widgets.Checkbox] = {}
        for key in CATEGORY_ORDER:
            if not counts[key]:
                continue
            c = CATEGORIES[key]
            self.layer_boxes[key] = widgets.Checkbox(
                value=key in chosen,
                indent=False,
                description=f"{c.symbol} {c.label} ({counts[key]})",
                tooltip=f"{c.name}: {c.description}",
                layout=widgets.Layout(width="auto", margin="0 1em 0 0"),
            )
        self.raw_box: widgets.Checkbox | None = None
        if self.source.catalog["tokenization"]["value"] != "none":
            self.raw_box = widgets.Checkbox(
                value=False,
                indent=False,
                description="Show stored tokens",
                tooltip="Show the sentences as stored in the seed file",
                layout=widgets.Layout(width="auto"),
            )
        self.html = widgets.HTML()
        for box in self._boxes():
            box.observe(self._changed, names="value")
        heading = widgets.HTML("<b>Annotation layers</b> (tick to show):")
        controls = widgets.HBox(
            list(self.layer_boxes.values()), layout=widgets.Layout(flex_flow="row wrap")
        )
        children: list[widgets.Widget] = [heading, controls]
        if self.raw_box is not None:
            children.append(self.raw_box)
        children.append(self.html)
        super().__init__(children)
        self.render()

    def _boxes(self) -> list[widgets.Checkbox]:
        boxes = list(self.layer_boxes.values())
        return [*boxes, self.raw_box] if self.raw_box is not None else boxes

    @property
    def layers(self) -> tuple[str, ...]:
        """The layers ticked now."""
        return tuple(key for key, box in self.layer_boxes.items() if box.value)

    @property
    def show_raw(self) -> bool:
        """Whether the stored tokens are shown."""
        return bool(self.raw_box is not None and self.raw_box.value)

    def _changed(self, _change: object) -> None:
        self.render()

    def render(self) -> str:
        """Redraws the passage from the ticked layers; returns the new HTML."""
        self.html.value = _markup.render(
            self.source,
            self.sentences,
            self.highlights,
            uid=self._uid,
            layers=self.layers,
            show_raw=self.show_raw,
            corrections=corrections(self._kb, self.highlights, [s.id for s in self.sentences]),
        )
        return self.html.value


def excerpt(
    source_id: str,
    first: str | None = None,
    last: str | None = None,
    *,
    layers: Iterable[str] | None = None,
    kb: KnowledgeBase | None = None,
) -> Excerpt:
    """Builds an annotated excerpt widget, e.g. ``excerpt("A", "A-30", "A-32")``.

    Args:
        source_id: ``"A"``, ``"B"`` or ``"C"``.
        first: The first sentence id; the whole source when omitted.
        last: The last sentence id; ``first`` alone when omitted.
        layers: The layers ticked at first; all by default.
        kb: The knowledge base; the packaged one by default.
    """
    return Excerpt(source_id, first, last, layers=layers, kb=kb)


def show(
    source_id: str,
    first: str | None = None,
    last: str | None = None,
    *,
    layers: Iterable[str] | None = None,
) -> None:
    """Shows an annotated excerpt in the notebook (see :func:`excerpt`)."""
    display(excerpt(source_id, first, last, layers=layers))


def catalog_html(
    source_ids: Sequence[str] = _sources.SOURCE_IDS,
    fields: Sequence[str] = ("title", "outlet", "genre", "audience", "published"),
) -> str:
    """A table of who wrote each source, when, for whom and what kind of text it is.

    Each fact comes from ``seeds/catalog.yaml`` with its basis (stated, inferred or context)
    and the ids of the sentences that are its evidence.

    Args:
        source_ids: The sources, one column each.
        fields: The rows: any of ``title``, ``outlet``, ``genre``, ``audience``, ``published``.

    Raises:
        KeyError: A source does not exist.
        ValueError: A field is unknown.
    """
    return _cards.catalog(list(source_ids), list(fields))


def dating_html(source_id: str) -> str:
    """How a source is dated from internal evidence: each clue quoted with its sentence id,
    the reasoning, and any context from outside the text, marked as such."""
    return _cards.dating(source_id)


def show_catalog(
    source_ids: Sequence[str] = _sources.SOURCE_IDS,
    fields: Sequence[str] = ("title", "outlet", "genre", "audience", "published"),
) -> None:
    """Shows :func:`catalog_html` in the notebook."""
    display(widgets.HTML(catalog_html(source_ids, fields)))


def show_dating(source_id: str) -> None:
    """Shows :func:`dating_html` in the notebook."""
    display(widgets.HTML(dating_html(source_id)))
