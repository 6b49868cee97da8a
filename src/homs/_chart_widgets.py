"""The interactive timeline: tick boxes for the sources and a zoom selector around the chart.

Kept apart from :mod:`homs.charts` so that drawing a chart never imports ipywidgets.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets

from homs import charts
from homs.sources import SOURCE_IDS

if TYPE_CHECKING:
    from homs.knowledge import Event

__all__ = ["TimelineExplorer"]


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
                description=charts._source_label(s, wrap=False),
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
            self.image.value = "<p><strong>Tick at least one source to see its events.</strong></p>"
            return
        first, last = charts.ZOOMS[self.zoom.value]
        self.figure = charts.timeline(self._events, sources=self.sources, start=first, end=last)
        alt = html.escape(self.figure.get_alt_text())
        self.image.value = (
            f"{self.figure.to_html()}"
            f"<details><summary>The chart in words</summary><p>{alt}</p></details>"
        )
