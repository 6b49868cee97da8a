"""Fixtures for the accessibility audit of the pages homs writes: a course with a graded
student (``homs release``, a hand-in, ``homs autograde``, ``homs feedback``), the class report,
the answer-key review sheet, the course book when this checkout can build it, and Debian's
Chromium driven by Playwright.

Every page is written before Chromium starts: Playwright's sync API leaves an asyncio loop
marked as running in the main thread while it is open, and grading and the book's lesson runs
use asyncio.
"""

from __future__ import annotations

import json
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from browser._lab import laptop_page, require_chromium
from helpers import (
    CHROMIUM,
    CHROMIUM_ARGS,
    ROOT,
    answered,
    copy_course,
    hand_in,
    key_answers,
    write_answer,
)
from homs import grading
from homs.cli import main as homs

#: The student whose feedback is audited: half of each quiz right, a written answer given.
STUDENT = "lee"
#: A written answer with characters that must be escaped in a page.
WRITTEN = (
    "Sources B and C give 800,000 (B-8, C-23) and share wording <so> they count as one "
    "account & Source A says 1.5 million (A-13)."
)


@dataclass
class Site:
    """The pages to audit, by name."""

    pages: dict[str, Path] = field(default_factory=dict)


@dataclass
class BookPages:
    """The course book's pages and folder, or what kept them from being built."""

    root: Path | None = None
    pages: tuple[Path, ...] = ()
    problem: str | None = None


def _graded_course(root: Path) -> Path:
    """Every quiz released with homs, one student's hand-in (every other automatic item right,
    each written item answered), autograded and fed back with homs."""
    course = copy_course(root / "course")
    for quiz in grading.quiz_names():
        assert homs(["release", quiz, "--course", str(course)]) == 0
        release = json.loads((course / "release" / quiz / f"{quiz}.ipynb").read_text("utf-8"))
        spec = grading.load_quiz(quiz)
        keys = list(key_answers(spec).items())
        notebook = answered(release, dict(keys[::2]))
        for item in spec.items:
            if item.written:
                write_answer(notebook, item.id, WRITTEN)
        hand_in(course, quiz, STUDENT, notebook)
    assert homs(["autograde", "*", "--course", str(course), "--quiet"]) == 0
    for quiz in grading.quiz_names():
        assert homs(["feedback", quiz, "--course", str(course)]) == 0
    return course


@pytest.fixture(scope="package")
def book_pages(request: pytest.FixtureRequest) -> BookPages:
    """The course book's pages (issue 15): the session's ``book`` (``tests/conftest.py``, built
    once for the book's own tests and this audit), or what kept it from being built."""
    try:
        from homs.book import build  # noqa: F401 (a checkout without the book has no build)
    except ImportError:
        return BookPages(problem="this checkout has no course book yet (no homs.book.build)")
    try:
        built = request.getfixturevalue("book")
    except Exception:  # the book's own tests say why; the audit says it could not run
        return BookPages(problem="the course book did not build:\n" + traceback.format_exc())
    return BookPages(Path(built.out), tuple(Path(p) for p in built.pages))


@pytest.fixture(scope="package")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    """Every page homs writes, written once for the package's tests."""
    require_chromium()
    root = tmp_path_factory.mktemp("a11y")
    site = Site()
    course = _graded_course(root)
    for quiz in grading.quiz_names():
        site.pages[f"feedback-{quiz}"] = course / "feedback" / STUDENT / quiz / f"{quiz}.html"
    assert homs(["report", "timeline", "--course", str(course), "--out", str(root / "r")]) == 0
    site.pages["report"] = root / "r" / "report.html"
    review = root / "answer-key-review.html"
    lessons = ["--lessons", str(ROOT / "lessons")]
    assert homs(["review", "--course", str(course), *lessons, "--out", str(review)]) == 0
    site.pages["review"] = review
    return site


@pytest.fixture(scope="package")
def browser(site: Site, book_pages: BookPages) -> Iterator[object]:
    """Debian's Chromium, headless, driven by Playwright, once every page is written."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    """A fresh browser page at a laptop's size."""
    with laptop_page(browser) as page:
        yield page
