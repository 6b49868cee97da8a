"""Every page homs writes passes axe-core's WCAG 2.1 A and AA rules in Chromium with no
serious or critical violation, and shows where the keyboard is: a student's feedback on each
quiz, the class report, the answer-key review sheet, and the course book's pages.

Each audited page is screenshotted to ``artifacts/screenshots/a11y-<page>.png``.
"""

from __future__ import annotations

import pytest

from homs import grading

from ._axe import audit, blocking, counts, describe, focus_shown, open_offline, screenshot
from .conftest import BookPages, Site

pytestmark = pytest.mark.slow

PAGES = [f"feedback-{quiz}" for quiz in grading.quiz_names()] + ["report", "review"]
#: How many Tab presses the focus check walks on each page.
TABS = 6


@pytest.mark.parametrize("name", PAGES)
def test_page_passes_axe_wcag21_aa(name: str, site: Site, page: object) -> None:
    """No serious or critical violation of axe-core's WCAG 2.1 A and AA rules."""
    path = site.pages[name]
    open_offline(page, path)
    found = audit(page)
    screenshot(page, name)
    bad = blocking(found)
    assert not bad, f"{path}: {counts(bad)}\n{describe(bad)}"
    if name.startswith("feedback-"):  # the page audited is the one a student gets
        assert page.locator(".homs-explanation").count() > 0  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", PAGES)
def test_page_shows_where_the_keyboard_is(name: str, site: Site, page: object) -> None:
    """Tab moves through the page's links and controls, and each one shows a focus ring."""
    open_offline(page, site.pages[name])
    seen = []
    for _ in range(TABS):
        page.keyboard.press("Tab")  # type: ignore[attr-defined]
        focused = page.evaluate(  # type: ignore[attr-defined]
            "() => document.activeElement && document.activeElement !== document.body"
            " ? document.activeElement.outerHTML.slice(0, 120) : null"
        )
        if focused is None:
            break
        seen.append(focused)
        assert focus_shown(page), f"no visible focus on {focused}"
    assert seen, "Tab reaches nothing on the page"


def test_book_pages_pass_axe_wcag21_aa(book_pages: BookPages, browser: object) -> None:
    """Every page of the course book (issue 15): no serious or critical violation.

    Until this checkout builds a book (``homs.book.build``, ``homs book``), this test skips
    and says so; from then on it audits every page the build writes.
    """
    book = book_pages
    if book.problem and book.root is None and "no course book yet" in book.problem:
        pytest.skip(f"course book not audited: {book.problem}")
    assert book.problem is None, book.problem
    assert book.pages, f"the book in {book.root} has no pages"
    from browser._lab import laptop_page

    failures = {}
    # _static/ holds the theme's assets (among them Jinja macro files named .html), not pages.
    for path in (p for p in book.pages if "_static" not in p.relative_to(book.root).parts):
        name = "book-" + "-".join(path.relative_to(book.root).with_suffix("").parts)
        with laptop_page(browser) as page:
            open_offline(page, path)
            page.wait_for_function("() => document.readyState === 'complete'")  # type: ignore[attr-defined]
            page.wait_for_timeout(300)  # type: ignore[attr-defined]  # homs-book.js draws widgets
            bad = blocking(audit(page))
            screenshot(page, name)
        if bad:
            failures[str(path.relative_to(book.root))] = f"{counts(bad)}\n{describe(bad)}"
    assert not failures, "\n\n".join(f"{page}: {text}" for page, text in failures.items())
