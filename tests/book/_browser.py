"""What the book's browser tests drive: Chromium's settings, a site opened offline, and helpers
that answer a self-check question through its controls as a reader would.

Plain helpers for this package's tests and its ``conftest.py`` (which holds the fixtures).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from helpers import ROOT

SCREENSHOTS = ROOT / "artifacts" / "book"
PHONE = {"width": 375, "height": 812}
LAPTOP = {"width": 1280, "height": 900}


def pages(root: Path) -> list[str]:
    """The book's pages, as paths relative to its folder (from homs-book.json)."""
    return json.loads((root / "homs-book.json").read_text("utf-8"))["pages"]


class Site:
    """The book in one browser context: every request that leaves the site is aborted and
    recorded, and so is every console error and uncaught exception of its pages."""

    def __init__(self, context: Any, base: str, root: Path) -> None:
        self.context = context
        self.base = base.rstrip("/")
        self.root = root
        self.blocked: list[str] = []
        self.errors: list[str] = []
        context.route("**/*", self._route)
        self.page = self.new_page()

    def _route(self, route: Any) -> None:
        url = route.request.url
        if url.startswith(self.base + "/") or url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()

    def new_page(self) -> Any:
        """A page whose console errors and uncaught exceptions are recorded."""
        page = self.context.new_page()
        page.on(
            "console",
            lambda m: (
                self.errors.append(f"{page.url}: console {m.type}: {m.text}")
                if m.type == "error"
                else None
            ),
        )
        page.on("pageerror", lambda e: self.errors.append(f"{page.url}: uncaught: {e}"))
        page.on(
            "requestfailed",
            lambda r: (
                self.errors.append(f"{page.url}: failed to load {r.url}")
                if r.url not in self.blocked
                else None
            ),
        )
        return page

    def url(self, path: str) -> str:
        """The address of a page of the book."""
        return f"{self.base}/{path}"

    def goto(self, path: str) -> Any:
        """Opens a page of the book and waits until its widgets are drawn."""
        self.page.goto(self.url(path), wait_until="load")
        self.page.wait_for_function(
            "() => [...document.querySelectorAll('.homs-widget')]"
            ".every(w => w.dataset.homsReady === 'true')",
            timeout=30_000,
        )
        return self.page

    @classmethod
    @contextmanager
    def open(
        cls, browser: Any, base: str, root: Path, viewport: dict[str, int] | None = None
    ) -> Iterator[Site]:
        """A fresh browser context on the book; it closes afterwards."""
        context = browser.new_context(viewport=viewport or LAPTOP)
        try:
            yield cls(context, base, root)
        finally:
            context.close()


def state_of(question: Any) -> dict[str, Any]:
    """The model of a drawn widget (its mount keeps the JSON it was drawn from)."""
    return json.loads(question.evaluate("el => el.closest('.homs-widget').dataset.homsState"))


def _order(question: Any, wanted: list[str]) -> None:
    """Puts an ordering question's items in ``wanted`` order with its Up buttons."""
    for target, key in enumerate(wanted):
        current = question.locator("ol.homs-order > li").evaluate_all(
            "items => items.map(li => li.dataset.key)"
        )
        for _ in range(current.index(key) - target):
            question.locator(f'button[data-move="up"][data-key="{key}"]').click()


def answer(question: Any, data: dict[str, Any], value: Any) -> None:
    """Gives ``value`` (in the form of the question's answer_state) through the controls."""
    kind = data["kind"]
    if kind == "choice":
        question.locator(f'input[type="radio"][value="{value}"]').check()
    elif kind == "multi":
        for key, _label in data["options"]:
            box = question.locator(f'input[type="checkbox"][value="{key}"]')
            if key in value:
                box.check()
            else:
                box.uncheck()
    elif kind == "ordering":
        _order(question, list(value))
    elif kind == "matching":
        for key, choice in value.items():
            question.locator(f'select[data-key="{key}"]').select_option(choice or "")
    else:  # numeric, short, evidence: a text box
        question.locator("input[type=text], textarea").fill(str(value))


def right_and_wrong(data: dict[str, Any]) -> tuple[Any, Any]:
    """A right answer (the preferred one) and a wrong one for a question's model."""
    kind = data["kind"]
    accepted = [key for key, _reason in data.get("accepted", [])]
    if kind == "choice":
        wrong = next(k for k, _ in data["options"] if k != data["answer"] and k not in accepted)
        return data["answer"], wrong
    if kind == "multi":
        options = [k for k, _ in data["options"]]
        wrong = [k for k in options if (k in data["answer"]) != (k == options[0])]
        if sorted(wrong) in [sorted(a) for a in accepted] or not wrong:
            wrong = [k for k in options if k not in data["answer"]] or options[:1]
        return data["answer"], wrong
    if kind == "ordering":
        right = list(data["answer"])
        return right, [right[1], right[0], *right[2:]]
    if kind == "matching":
        right = dict(data["answer"])
        first, choice = data["answer"][0]
        other = next(
            c
            for c, _ in data["choices"]
            if c != choice
            and [[first, c]] not in data["combos"]
            and [first, c] not in [k for k in accepted]
        )
        return right, {**right, first: other}
    if kind == "numeric":
        number = data["answer"]
        text = str(int(number)) if float(number).is_integer() else str(number)
        return text, str(int(number + data["tolerance"] + 1000))
    if kind == "short":
        return data["answer"], "C-99" if data.get("upper") else "1900-01-01"
    if kind == "evidence":
        return (
            "Source B says the siege lasted two years (B-14); Source A says the army attacked "
            "Baba Amr (A-32).",
            "Source A says that protesters were fired on (A-2).",
        )
    raise AssertionError(f"no answers for a question of kind {kind}")
