"""The style sheets shipped in ``homs/assets`` (``excerpt.css``, ``selfcheck.css``), read with
:mod:`importlib.resources`; the templates that embed them render them with
:mod:`homs._templates`. Imports nothing from ``homs``.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

__all__ = ["read"]


@cache
def read(name: str) -> str:
    """The text of ``homs/assets/<name>``.

    Raises:
        FileNotFoundError: The asset is not in the installed package.
    """
    path = resources.files("homs") / "assets" / name
    if not path.is_file():
        raise FileNotFoundError(
            f"homs/assets/{name} is missing from the installed package; reinstall homs "
            "(pip install --force-reinstall homs) or run from a source checkout"
        )
    return path.read_text("utf-8")
