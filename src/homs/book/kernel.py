"""The IPython extension the book's lessons run with (``--InteractiveShellApp.extensions=
homs.book.kernel``): every widget a lesson shows is written into the notebook as HTML that
works in a page with no kernel, instead of a reference to a live widget.

- homs's own widgets (self-checks, the timeline) as :meth:`HomsWidget.static_html`;
- an annotated excerpt (:class:`homs.excerpts.Excerpt`) as the excerpt view of
  ``homs-widgets.js``, which hides and shows its layers in the page (:func:`excerpt_state`);
- an ``ipywidgets.HTML`` (the catalog and dating cards) as its HTML.

Any other widget fails the build: its output would need a kernel.
"""

from __future__ import annotations

import itertools
from typing import Any

from homs import excerpts
from homs.excerpts import CATEGORIES
from homs.widgets._front import HomsWidget, mount_html

__all__ = ["excerpt_state", "load_ipython_extension"]

_counter = itertools.count(1)


def excerpt_state(excerpt: excerpts.Excerpt) -> dict[str, Any]:
    """An excerpt as the front end's excerpt view takes it: the passage drawn with every layer
    (and, for Source A, again with the stored tokens), the layers with their counts, and those
    ticked at first."""
    source = excerpt.source.id
    first, last = excerpt.sentences[0].id, excerpt.sentences[-1].id
    numbers = f"{excerpt.sentences[0].number}-{excerpt.sentences[-1].number}"
    uid = f"homs-{source}-{numbers}-b{next(_counter)}"
    present = list(excerpt.layer_boxes)
    counts = {key: sum(h.category == key for h in excerpt.highlights) for key in present}
    raw = excerpt.raw_box is not None
    return {
        "homs_view": "excerpt",
        "source": source,
        "first": first,
        "last": last,
        "uid": uid,
        "html": excerpts.excerpt_html(source, first, last, layers=present, uid=uid),
        "html_raw": (
            excerpts.excerpt_html(source, first, last, layers=present, uid=uid, show_raw=True)
            if raw
            else ""
        ),
        "layers": [
            {
                "key": key,
                "label": CATEGORIES[key].label,
                "name": CATEGORIES[key].name,
                "description": CATEGORIES[key].description,
                "symbol": CATEGORIES[key].symbol,
                "count": counts[key],
            }
            for key in present
        ],
        "shown": list(excerpt.layers),
        "raw": excerpt.show_raw,
    }


def _homs_widget(widget: HomsWidget) -> dict[str, str]:
    return {"text/html": widget.static_html(), "text/plain": repr(widget)}


def _excerpt(widget: excerpts.Excerpt) -> dict[str, str]:
    return {
        "text/html": mount_html("excerpt", excerpt_state(widget)),
        "text/plain": f"Annotated excerpt: {widget.sentences[0].id} to {widget.sentences[-1].id}",
    }


def _html(widget: Any) -> dict[str, str]:
    return {"text/html": widget.value, "text/plain": "HTML"}


def _unsupported(widget: Any) -> dict[str, str]:
    raise TypeError(
        f"homs book: a {type(widget).__name__} widget cannot work in a page with no kernel; "
        "show it through homs's widgets or as HTML"
    )


def load_ipython_extension(ipython: Any) -> None:
    """Registers the static forms of the widgets with the kernel's display formatter."""
    import ipywidgets

    formatter = ipython.display_formatter.mimebundle_formatter
    formatter.for_type(HomsWidget, _homs_widget)
    formatter.for_type(excerpts.Excerpt, _excerpt)
    formatter.for_type(ipywidgets.HTML, _html)
    formatter.for_type(ipywidgets.Widget, _unsupported)
