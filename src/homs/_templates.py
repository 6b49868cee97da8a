"""HTML from Jinja2 templates in ``homs/templates``, always autoescaped.

Every page or fragment the package writes goes through :func:`render`, so text from the
sources, the knowledge base or a student is escaped unless a template marks it safe on purpose
(HTML the package itself built, such as an already rendered fragment). Imports nothing from
``homs``.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

__all__ = ["environment", "inline_markdown", "render"]


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
    env.filters["inline_markdown"] = inline_markdown
    return env


_CODE = re.compile(r"`([^`]+)`")
_STRONG = re.compile(r"\*\*([^*]+)\*\*")
_EMPHASIS = re.compile(r"(?<![\w*])\*([^*\s][^*]*)\*(?![\w*])")


def inline_markdown(text: object) -> Any:
    """The inline Markdown of a quiz's question or table (``code``, **strong**, *emphasis*) as
    HTML: the text is escaped first, so nothing else in it can become markup."""
    from markupsafe import Markup, escape

    html = str(escape(str(text)))
    html = _CODE.sub(r"<code>\1</code>", html)
    html = _STRONG.sub(r"<strong>\1</strong>", html)
    html = _EMPHASIS.sub(r"<em>\1</em>", html)
    return Markup(html)


def render(name: str, /, **context: Any) -> str:
    """Renders ``homs/templates/<name>`` with ``context``; text in it is escaped.

    Raises:
        jinja2.TemplateNotFound: The template is not in the installed package.
        jinja2.UndefinedError: The template uses a name the caller did not pass.
    """
    return environment().get_template(name).render(**context)
