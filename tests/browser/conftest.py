"""Fixtures for the browser tests: a JupyterLab server on loopback and Debian's Chromium.

Playwright drives ``/usr/bin/chromium`` (its own browser download is not reachable). Where
Chromium is missing the tests skip and say so; under CI (``CI=true``) a missing Chromium is a
failure, because `make test` installs it there.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from helpers import ROOT, answered, copy_course, key_answers, release_with_nbgrader
from homs import grading

from ._lab import (
    CHROMIUM,
    CHROMIUM_ARGS,
    Lab,
    laptop_page,
    require_chromium,
    run_all_cells,
    running_lab,
    screenshot_notebook,
)

#: The lessons, as the browser tests open them.
LESSONS = sorted(p.name for p in (ROOT / "lessons").glob("[0-9][0-9]-*.ipynb"))


def _release_quiz(dest: Path, scratch: Path) -> None:
    """The timeline quiz as students get it (nbgrader generate_assignment), blank and answered."""
    course = copy_course(scratch / "course")
    release = release_with_nbgrader(course, "timeline")["timeline"]
    dest.mkdir()
    shutil.copy(course / "release" / "timeline" / "timeline.ipynb", dest / "timeline.ipynb")
    key = answered(release, key_answers(grading.load_quiz("timeline")))
    (dest / "timeline-answered.ipynb").write_text(json.dumps(key), "utf-8")


# Package scope: the server and the browser stop once the browser tests are done, instead of
# running beside the rest of the suite (Playwright's sync API leaves an asyncio loop marked as
# running in the main thread while it is open).
@pytest.fixture(scope="package")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    """JupyterLab on 127.0.0.1 with a token, serving a private copy of lessons/ and quizzes/."""
    require_chromium()
    root = tmp_path_factory.mktemp("lab")
    shutil.copytree(ROOT / "lessons", root / "lessons")
    _release_quiz(root / "quiz", tmp_path_factory.mktemp("course"))
    home = tmp_path_factory.mktemp("jupyter-home")
    with running_lab(root, home) as lab:
        yield lab


@pytest.fixture(scope="package")
def browser() -> Iterator[object]:
    """Debian's Chromium, headless, driven by Playwright."""
    require_chromium()
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


# Package scope: each lesson runs once for every module that looks at it (the rendering tests
# and the accessibility audit); pytest runs the tests of one lesson together.
@pytest.fixture(scope="package", params=LESSONS)
def lesson_page(request: pytest.FixtureRequest, browser: object, lab: Lab) -> Iterator[object]:
    """A lesson opened in JupyterLab with all its cells run (once per lesson)."""
    with laptop_page(browser) as page:
        page.goto(lab.url(f"lessons/{request.param}"))  # type: ignore[attr-defined]
        run_all_cells(page)
        page.wait_for_function(  # type: ignore[attr-defined]
            "() => !document.body.innerText.includes('Loading widget...')", timeout=60_000
        )
        screenshot_notebook(page, Path(request.param).stem)
        yield page
