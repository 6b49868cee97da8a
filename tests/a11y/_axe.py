"""axe-core in Chromium: the audit every page homs writes must pass.

axe-core comes with ``axe-playwright-python`` (PyPI), which injects it into a Playwright page.
The rules are axe's WCAG 2.1 level A and AA rules (tags ``wcag2a``, ``wcag2aa``, ``wcag21a``,
``wcag21aa``); a violation of impact *serious* or *critical* fails a test. Plain helpers, no
fixtures; ``tests/browser`` imports them too (as ``a11y._axe``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from helpers import ROOT

#: axe-core's tags for the WCAG 2.1 A and AA success criteria (2.0's and those 2.1 added).
WCAG_21_AA = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")
#: The impacts that fail a test.
BLOCKING = ("serious", "critical")
#: Where the screenshots of audited pages go (ignored by git).
SCREENSHOTS = ROOT / "artifacts" / "screenshots"


def audit(page: Any, context: str | Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
    """axe-core's WCAG 2.1 A and AA violations on the page (within ``context``, a CSS selector
    or an axe context object, if given), each with its rule id, impact and nodes."""
    from axe_playwright_python.sync_playwright import Axe

    options = {
        "runOnly": {"type": "tag", "values": list(WCAG_21_AA)},
        "resultTypes": ["violations"],
    }
    return list(Axe().run(page, context=context, options=options).response["violations"])


def blocking(violations: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The violations of impact serious or critical."""
    return [v for v in violations if v.get("impact") in BLOCKING]


def counts(violations: Iterable[Mapping[str, Any]]) -> dict[str, int]:
    """``rule (impact)`` -> the number of elements that violate it."""
    return {f"{v['id']} ({v['impact']})": len(v["nodes"]) for v in violations}


def describe(violations: Sequence[Mapping[str, Any]], nodes: int = 4) -> str:
    """The violations as text a developer can act on: rule, impact, count, what axe says, and
    the first few elements with axe's message for each."""
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}) on {len(v['nodes'])} element(s): {v['help']}")
        for node in v["nodes"][:nodes]:
            checks = [*node.get("any", []), *node.get("all", []), *node.get("none", [])]
            message = checks[0]["message"] if checks else ""
            lines.append(f"    {' '.join(node['target'])}: {node['html'][:160]}")
            if message:
                lines.append(f"        {message[:240]}")
    return "\n".join(lines)


def focus_shown(page: Any) -> bool:
    """Whether the focused element draws a focus indicator: an outline (Chromium's own focus
    ring counts) or a box shadow."""
    return bool(
        page.evaluate(
            """() => {
            const el = document.activeElement;
            if (!el || el === document.body) return false;
            const s = getComputedStyle(el);
            const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
            return outline || (s.boxShadow && s.boxShadow !== 'none');
        }"""
        )
    )


def open_offline(page: Any, path: Path) -> None:
    """Opens a file in the page with every request outside ``file:`` and ``data:`` refused (the
    pages must work offline; a CDN script such as MathJax's just fails, as it would offline)."""
    page.route(
        "**/*",
        lambda route: (
            route.continue_()
            if route.request.url.startswith(("file:", "data:", "blob:"))
            else route.abort()
        ),
    )
    page.goto(path.resolve().as_uri(), wait_until="load")


def screenshot(page: Any, name: str, most: int = 6000) -> Path:
    """A screenshot of the page from its top, ``most`` pixels high at most,
    ``artifacts/screenshots/a11y-<name>.png``."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"a11y-{name}.png"
    width, height = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.scrollHeight]"
    )
    clip = {"x": 0, "y": 0, "width": width, "height": min(height, most)}
    page.screenshot(path=str(path), full_page=True, clip=clip)
    return path
