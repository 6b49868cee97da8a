"""homs: lessons and quizzes on three news texts about Homs, Syria. This package file imports
only :mod:`homs.errors`; every other submodule loads on first use.

The layers, each importing only those below it: ``errors``, ``_text`` and ``_templates`` at the
bottom; ``sources``; ``knowledge``; then ``excerpts``, ``charts`` (matplotlib) and ``widgets``
(ipywidgets; it draws with ``charts``); then ``selfcheck``, which builds questions from the
knowledge base; the lessons on top. ``grading`` stands beside ``selfcheck``.

``import homs`` is light: the submodules that need matplotlib, ipywidgets or nbgrader
(``charts``, ``widgets``, ``selfcheck``, ``excerpts``, ``grading``) load on first use.

>>> import homs
>>> homs.sources.get("B").sentence("B-8").text
"Prior to the conflict the city's population was estimated at 800,000."
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from homs._lazy import lazy
from homs.errors import DataError, Problem

if TYPE_CHECKING:
    from homs import (
        charts,
        excerpts,
        grading,
        knowledge,
        maps,
        reader,
        selfcheck,
        sources,
        widgets,
    )

__all__ = [
    "DataError",
    "Problem",
    "charts",
    "excerpts",
    "grading",
    "knowledge",
    "maps",
    "reader",
    "selfcheck",
    "sources",
    "widgets",
]
__version__ = "0.1.0"

#: Every lower-case name in ``__all__`` is a submodule, imported on first use.
__getattr__ = lazy(globals(), {name: f"homs.{name}" for name in __all__ if name.islower()})
