"""HTML templates and CSS shipped in ``homs/assets``, read with :mod:`importlib.resources`."""

from __future__ import annotations

from functools import cache
from importlib import resources
from string import Template

__all__ = ["read", "template"]


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


def template(name: str) -> Template:
    """The asset ``name`` as a :class:`string.Template` (placeholders written ``$name``)."""
    return Template(read(name))
