"""The files shipped beside the code, read with :mod:`importlib.resources`: the style sheets in
``homs/assets`` (``excerpt.css``, ``selfcheck.css``), which the templates that embed them render
with :mod:`homs._templates`, and the widgets' front end in ``homs/static``. Imports nothing from
``homs``.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

__all__ = ["read"]


@cache
def read(name: str, *, folder: str = "assets") -> str:
    """The text of ``homs/<folder>/<name>``.

    Args:
        name: The file's name.
        folder: The package's folder that holds it: ``assets`` or ``static``.

    Raises:
        FileNotFoundError: The file is not in the installed package.
    """
    path = resources.files("homs") / folder / name
    if not path.is_file():
        raise FileNotFoundError(
            f"homs/{folder}/{name} is missing from the installed package; reinstall homs "
            "(pip install --force-reinstall homs) or run from a source checkout"
        )
    return path.read_text("utf-8")
