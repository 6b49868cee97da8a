"""The interactive timeline: tick boxes for the sources and a period selector around the
timeline chart. It imports ipywidgets and :mod:`homs.charts` (and what lies below it); the
charts never import this module, so drawing a chart never loads ipywidgets.

>>> from homs import widgets
>>> explorer = widgets.interactive_timeline()
>>> explorer.sources
('A', 'B', 'C')
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets

from homs import charts
from homs._templates import render
from homs.sources import SOURCE_IDS

if TYPE_CHECKING:
    from homs.knowledge import Event

__all__ = ["TimelineExplorer", "interactive_timeline"]


class TimelineExplorer(widgets.VBox):
    """The timeline chart with a tick box per source and a period selector; redraws on change.

    Attributes:
        source_boxes: One tick box per source, by source letter.
        zoom: The period selector; its options are the keys of :data:`homs.charts.ZOOMS`.
        image: The chart as an HTML ``<img>`` with its alt text, and the text description.
        figure: The chart last drawn, or ``None`` when no source is ticked.
    """

    def __init__(self, events: Sequence[Event] | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._events = events
        self.figure: charts.Chart | None = None
        self.source_boxes = {
            s: widgets.Checkbox(
                value=True,
                description=charts.source_label(s, wrap=False),
                indent=False,
                layout=widgets.Layout(width="auto", margin="0 1em 0 0"),
            )
            for s in SOURCE_IDS
        }
        self.zoom = widgets.ToggleButtons(
            options=list(charts.ZOOMS),
            value=next(iter(charts.ZOOMS)),
            description="Period:",
            style={"button_width": "auto"},
        )
        self.image = widgets.HTML()
        for box in self.source_boxes.values():
            box.observe(self._changed, names="value")
        self.zoom.observe(self._changed, names="value")
        self.children = [
            widgets.HBox(
                [
                    widgets.HTML("<b>Show sources:</b>", layout=widgets.Layout(flex="0 0 auto")),
                    *self.source_boxes.values(),
                ],
                layout=widgets.Layout(flex_flow="row wrap", align_items="center"),
            ),
            self.zoom,
            self.image,
        ]
        self.redraw()

    @property
    def sources(self) -> tuple[str, ...]:
        """The letters of the ticked sources."""
        return tuple(s for s, box in self.source_boxes.items() if box.value)

    def _changed(self, _change: dict[str, Any]) -> None:
        self.redraw()

    def redraw(self) -> None:
        """Draws the chart for the ticked sources and the chosen period."""
        if not self.sources:
            self.figure = None
            self.image.value = render("timeline_image.html", image=None, alt="")
            return
        first, last = charts.ZOOMS[self.zoom.value]
        self.figure = charts.timeline(self._events, sources=self.sources, start=first, end=last)
        self.image.value = render(
            "timeline_image.html",
            image=self.figure.to_html(),
            alt=self.figure.get_alt_text(),
        )


def interactive_timeline(events: Iterable[Event] | None = None) -> TimelineExplorer:
    """The timeline with a tick box per source and a zoom selector; it redraws on every change.

    Args:
        events: The events to show; the whole knowledge base by default.

    Returns:
        An ipywidgets box; ``.sources``, ``.zoom``, ``.figure`` and ``.image`` are its parts.
    """
    return TimelineExplorer(None if events is None else tuple(events))
