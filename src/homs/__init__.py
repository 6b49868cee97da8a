"""homs: lessons and quizzes on three news texts about Homs, Syria.

``import homs`` is light: the submodules that need matplotlib, ipywidgets or nbgrader
(``charts``, ``selfcheck``, ``excerpts``, ``grading``) load on first use.

>>> import homs
>>> homs.sources.get("B").sentence("B-8").text
"Prior to the conflict the city's population was estimated at 800,000."
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from homs.errors import DataError, Problem

if TYPE_CHECKING:
    from homs import charts, excerpts, grading, knowledge, selfcheck, sources

__all__ = [
    "DataError",
    "Problem",
    "charts",
    "excerpts",
    "grading",
    "knowledge",
    "selfcheck",
    "sources",
]
__version__ = "0.1.0"

_LAZY = {"charts", "excerpts", "grading", "knowledge", "selfcheck", "sources"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return importlib.import_module(f"homs.{name}")
    raise AttributeError(f"module 'homs' has no attribute {name!r}")
