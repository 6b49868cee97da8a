"""The interactive timeline: tick boxes for the sources and a period selector around the
timeline chart. It imports anywidget (through :mod:`homs.widgets._front`) and
:mod:`homs.charts` (and what lies below it); the charts never import this module, so drawing a
chart never loads the widgets.

In JupyterLab the kernel redraws the chart on every change. For a page with no kernel (the
course book), :meth:`TimelineExplorer.fill_gallery` draws every choice of sources and period
beforehand, and the browser shows the one chosen.

>>> from homs import widgets
>>> explorer = widgets.interactive_timeline()
>>> explorer.sources
('A', 'B', 'C')
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

import traitlets

from homs import charts
from homs._templates import render
from homs.sources import SOURCE_IDS
from homs.widgets._front import HomsWidget

if TYPE_CHECKING:
    from homs.knowledge import Event

__all__ = ["TimelineExplorer", "interactive_timeline"]


class _Choice:
    """One control of the explorer, read and set as ``.value`` (a source's tick box, the
    period)."""

    def __init__(self, get: Any, put: Any, options: Sequence[str] = ()) -> None:
        self._get, self._put = get, put
        self.options = tuple(options)

    @property
    def value(self) -> Any:
        return self._get()

    @value.setter
    def value(self, new: Any) -> None:
        self._put(new)


class TimelineExplorer(HomsWidget):
    """The timeline chart with a tick box per source and a period selector; redraws on change.

    Attributes:
        source_boxes: One tick box per source, by source letter (``.value`` True or False).
        zoom: The period selector (``.value``; ``.options``, the keys of
            :data:`homs.charts.ZOOMS`).
        image: The chart as an HTML ``<img>`` with its alt text, and the text description
            (``.value``).
        figure: The chart last drawn, or ``None`` when no source is ticked.

    Synced with the front end: ``sources_ticked`` (the letters), ``zoom_name``, ``image_html``,
    and ``gallery``, the chart for every choice when :meth:`fill_gallery` has drawn them.
    """

    notice_label: ClassVar[str] = "The interactive timeline"
    sources_ticked = traitlets.List(traitlets.Unicode()).tag(sync=True)
    labels = traitlets.Dict().tag(sync=True)
    zooms = traitlets.List(traitlets.Unicode()).tag(sync=True)
    zoom_name = traitlets.Unicode("").tag(sync=True)
    image_html = traitlets.Unicode("").tag(sync=True)
    gallery = traitlets.Dict().tag(sync=True)
    static_traits = ("sources_ticked", "labels", "zooms", "zoom_name", "image_html", "gallery")

    def __init__(self, events: Sequence[Event] | None = None, **kwargs: Any) -> None:
        super().__init__(homs_view="timeline", **kwargs)
        self._events = events
        self.figure: charts.Chart | None = None
        self.labels = {s: charts.source_label(s, wrap=False) for s in SOURCE_IDS}
        self.zooms = list(charts.ZOOMS)
        self.sources_ticked = list(SOURCE_IDS)
        self.zoom_name = self.zooms[0]
        self.source_boxes = {
            s: _Choice(
                lambda s=s: s in self.sources_ticked,
                lambda on, s=s: self._tick(s, bool(on)),
            )
            for s in SOURCE_IDS
        }
        self.zoom = _Choice(lambda: self.zoom_name, self._set_zoom, self.zooms)
        self.image = _Choice(lambda: self.image_html, self._read_only)
        self.redraw()
        self.observe(self._changed, names=["sources_ticked", "zoom_name"])

    @staticmethod
    def _read_only(_new: object) -> None:
        raise AttributeError("the image is drawn from the sources and the period; set those")

    def _tick(self, source: str, on: bool) -> None:
        chosen = set(self.sources_ticked) - {source} | ({source} if on else set())
        self.sources_ticked = [s for s in SOURCE_IDS if s in chosen]

    def _set_zoom(self, name: str) -> None:
        if name not in charts.ZOOMS:
            raise ValueError(f"{name!r} is not a period; choose one of {list(charts.ZOOMS)}")
        self.zoom_name = name

    @property
    def sources(self) -> tuple[str, ...]:
        """The letters of the ticked sources."""
        return tuple(s for s in SOURCE_IDS if s in self.sources_ticked)

    def _changed(self, _change: dict[str, Any]) -> None:
        self.redraw()

    def _draw(self, sources: Sequence[str], zoom: str) -> tuple[charts.Chart | None, str]:
        if not sources:
            return None, render("timeline_image.html", image=None, alt="")
        first, last = charts.ZOOMS[zoom]
        figure = charts.timeline(self._events, sources=sources, start=first, end=last)
        html = render(
            "timeline_image.html",
            image=figure.to_html(),
            alt=figure.get_alt_text(),
            table=figure.data_table_html(),
        )
        return figure, html

    def redraw(self) -> None:
        """Draws the chart for the ticked sources and the chosen period."""
        self.figure, self.image_html = self._draw(self.sources, self.zoom_name)

    def fill_gallery(self) -> None:
        """Draws the chart for every choice of sources and period, so that a page with no
        kernel can show each (``gallery``, keyed ``"A,C|period"``)."""
        gallery = {}
        for n in range(len(SOURCE_IDS) + 1):
            for chosen in itertools.combinations(SOURCE_IDS, n):
                for zoom in self.zooms:
                    gallery[f"{','.join(chosen)}|{zoom}"] = self._draw(chosen, zoom)[1]
        self.gallery = gallery

    def static_state(self) -> dict[str, Any]:
        if not self.gallery:
            self.fill_gallery()
        return super().static_state()


def interactive_timeline(events: Iterable[Event] | None = None) -> TimelineExplorer:
    """The timeline with a tick box per source and a zoom selector; it redraws on every change.

    Args:
        events: The events to show; the whole knowledge base by default.

    Returns:
        A widget; ``.sources``, ``.zoom``, ``.figure`` and ``.image`` are its parts.
    """
    return TimelineExplorer(None if events is None else tuple(events))
