"""The browser side of homs's widgets: the front-end module and style sheet shipped in
``homs/static`` (``homs-widgets.js``, ``homs-widgets.css``), and :class:`HomsWidget`, the
anywidget base class that loads them.

A widget's model is JSON. In JupyterLab, anywidget syncs it with the kernel; in a static page
(the course book) :meth:`HomsWidget.static_html` writes it into the page, where
``homs-book.js`` hands it to the same front-end module, so the widget works with no kernel.

A widget's output also carries a plain notice (:data:`RERUN_NOTICE`, as ``text/plain`` and
``text/html``) for a front end that cannot draw it: one without widgets, or a saved notebook
whose widget state was not kept. (``homs lab`` and ``make lab`` have JupyterLab keep it:
:data:`homs.book.lab.LAB_OVERRIDES`.)
Imports only the helpers below it (``_assets``, ``_templates``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, ClassVar

import anywidget
import traitlets

from homs import _assets
from homs._templates import render

__all__ = ["ESM", "STYLE", "HomsWidget", "mount_html"]

#: The front-end module (an anywidget ESM: ``export default { render }``).
ESM = "homs-widgets.js"
#: The widgets' own style sheet (controls, focus, layout at a phone's width, print).
STYLE = "homs-widgets.css"
#: What a front end that cannot draw the widget shows instead.
RERUN_NOTICE = "Run the lesson's cells again (Run > Run All Cells) to use this exercise."


def mount_html(view: str, state: Mapping[str, Any], fallback: str = "") -> str:
    """A widget for a static page: ``<div class="homs-widget">`` holding its model as JSON in
    an attribute (escaped by the template), for ``homs-book.js`` to draw.

    Args:
        view: The front-end view: ``question``, ``timeline`` or ``excerpt``.
        state: The model, JSON-able.
        fallback: HTML homs rendered itself (through a template), shown until the script runs.
    """
    return render(
        "widget_mount.html",
        view=view,
        state=json.dumps(dict(state), ensure_ascii=False, separators=(",", ":")),
        fallback=fallback,
    )


class HomsWidget(anywidget.AnyWidget):  # type: ignore[misc]
    """An anywidget drawn by ``homs-widgets.js``; ``homs_view`` says which of its views.

    Subclasses list in :attr:`static_traits` the synced traits a static page needs.
    """

    _esm = _assets.read(ESM, folder="static")
    _css = _assets.read(STYLE, folder="static")
    homs_view = traitlets.Unicode("").tag(sync=True)
    #: The traits that make up the model in a static page.
    static_traits: ClassVar[tuple[str, ...]] = ()

    #: What the widget is, in the notice shown where it cannot be drawn.
    notice_label: ClassVar[str] = "An exercise"

    def __repr__(self) -> str:
        return f"<{type(self).__name__}>"

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        """The widget's output: the live view, and the notice (:data:`RERUN_NOTICE`) as text
        for a front end that cannot draw it (anywidget's metadata kept as it is)."""
        shown = super()._repr_mimebundle_(**kwargs)
        if shown is None:
            return None
        data, metadata = shown if isinstance(shown, tuple) else (shown, {})
        data = {
            **data,
            "text/plain": f"{self.notice_label}: {RERUN_NOTICE}",
            "text/html": render("widget_notice.html", what=self.notice_label, notice=RERUN_NOTICE),
        }
        return (data, metadata) if isinstance(shown, tuple) else data

    def static_state(self) -> dict[str, Any]:
        """The model as the front end sees it, for a page with no kernel."""
        return {"homs_view": self.homs_view, **{k: getattr(self, k) for k in self.static_traits}}

    def static_fallback(self) -> str:
        """HTML shown in a static page before the script draws the widget."""
        return ""

    def static_html(self) -> str:
        """The widget for a static page (see :func:`mount_html`)."""
        return mount_html(self.homs_view, self.static_state(), self.static_fallback())
