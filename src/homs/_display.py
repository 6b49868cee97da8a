"""The one place in homs that calls :func:`IPython.display.display`."""

from __future__ import annotations

from typing import Any

__all__ = ["display"]


def display(obj: Any) -> None:
    """Shows ``obj`` in the notebook (or prints its text form outside one)."""
    from IPython.display import display as ipython_display

    ipython_display(obj)
