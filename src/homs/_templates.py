"""HTML from Jinja2 templates in ``homs/templates``, always autoescaped.

Every page or fragment the package writes goes through :func:`render`, so text from the
sources, the knowledge base or a student is escaped unless a template marks it safe on purpose
(HTML the package itself built, such as an already rendered fragment). Imports nothing from
``homs``.
"""

from __future__ import annotations

from functools import cache
from typing import Any

__all__ = ["environment", "render"]


@cache
def environment() -> Any:
    """The package's Jinja2 environment (autoescaping on for every template)."""
    from jinja2 import Environment, PackageLoader, StrictUndefined

    env = Environment(
        loader=PackageLoader("homs", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    return env


def render(name: str, /, **context: Any) -> str:
    """Renders ``homs/templates/<name>`` with ``context``; text in it is escaped.

    Raises:
        jinja2.TemplateNotFound: The template is not in the installed package.
        jinja2.UndefinedError: The template uses a name the caller did not pass.
    """
    return environment().get_template(name).render(**context)
