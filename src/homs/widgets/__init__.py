"""The notebook widgets of homs: the self-check questions and the interactive timeline. This is
the package that imports ipywidgets (through anywidget) for them; it imports :mod:`homs.charts`,
the knowledge base and the sources, and is imported by :mod:`homs.selfcheck` (which builds the
questions) and by the lessons, never by the layers below.

- :mod:`homs.widgets.questions`: :class:`Question` and its kinds, :class:`MultipleChoice`,
  :class:`Ordering`, :class:`Matching`, :class:`Numeric`, :class:`EvidenceAnswer` and
  :class:`ShortAnswer`;
- :mod:`homs.widgets.timeline`: :class:`TimelineExplorer` and :func:`interactive_timeline`.

The annotated-excerpt widget stays with the excerpts, as :class:`homs.excerpts.Excerpt`.

Each widget here is an anywidget drawn by ``homs/static/homs-widgets.js`` (see
:mod:`homs.widgets._front`): in JupyterLab through anywidget, in the static course book through
``homs-book.js`` with no kernel. That module also draws an excerpt's layer toggles in the book.
"""

from __future__ import annotations

from homs.widgets.questions import (
    EvidenceAnswer,
    Matching,
    MultipleChoice,
    Numeric,
    Ordering,
    Question,
    ShortAnswer,
)
from homs.widgets.timeline import TimelineExplorer, interactive_timeline

__all__ = [
    "EvidenceAnswer",
    "Matching",
    "MultipleChoice",
    "Numeric",
    "Ordering",
    "Question",
    "ShortAnswer",
    "TimelineExplorer",
    "interactive_timeline",
]
