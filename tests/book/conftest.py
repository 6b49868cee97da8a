"""Fixtures for the course book's tests: a local web server on the book (built once for the
session by ``book`` in ``tests/conftest.py``, which the accessibility audit shares), and Debian's
Chromium driven by Playwright with every request that leaves the site aborted.

Where Chromium is missing the browser tests skip and say so; under CI (``CI=true``) that is a
failure, because `make test` installs it there.
"""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from helpers import CHROMIUM, CHROMIUM_ARGS

from ._browser import Site


def _require_chromium() -> None:
    if Path(CHROMIUM).exists():
        return
    message = (
        "Chromium is not installed (/usr/bin/chromium): book browser tests skipped. "
        "Install it with `sudo apt-get install chromium`, or run `make test` as root with CI=true."
    )
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="package")
def server(book: object) -> Iterator[str]:
    """The book on a local web server (127.0.0.1); yields its address."""
    handler = functools.partial(_QuietHandler, directory=str(book.out))  # type: ignore[attr-defined]
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


# Package scope: the browser closes once the book's tests are done (Playwright's sync API keeps
# an asyncio loop marked as running in the main thread while it is open).
@pytest.fixture(scope="package")
def browser(book: object) -> Iterator[object]:
    """Debian's Chromium, headless, driven by Playwright (after the book is built)."""
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(params=["file", "http"])
def site(request: pytest.FixtureRequest, book: object, browser: object) -> Iterator[Site]:
    """The book opened from its folder (file://) or from the local server, in a fresh browser
    context that aborts every request leaving the site."""
    base = (
        book.out.as_uri()  # type: ignore[attr-defined]
        if request.param == "file"
        else request.getfixturevalue("server")
    )
    with Site.open(browser, base, book.out) as opened:  # type: ignore[attr-defined]
        yield opened
