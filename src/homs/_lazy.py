"""Names a package file re-exports without importing them until first use (PEP 562's module
``__getattr__``), so that ``import homs`` stays light. Imports nothing from ``homs``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["lazy"]


def lazy(namespace: dict[str, Any], where: Mapping[str, str]) -> Callable[[str], Any]:
    """A module ``__getattr__`` that imports each name from its module on first use.

    Args:
        namespace: The package's ``globals()``; each name is kept there once imported.
        where: The module that holds each name; a name of the package's own submodule maps to
            that submodule (``{"charts": "homs.charts"}``) and stands for the module itself.

    Returns:
        The function to assign to the package's ``__getattr__``.
    """
    package = namespace["__name__"]

    def __getattr__(name: str) -> Any:
        if name not in where:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        module = importlib.import_module(where[name])
        value = module if where[name] == f"{package}.{name}" else getattr(module, name)
        namespace[name] = value
        return value

    return __getattr__
