"""What the browser tests drive: a JupyterLab server's address, Chromium, and a notebook page.

Plain helpers for this package's tests and its ``conftest.py`` (which holds the fixtures).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from helpers import ROOT

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-sync",
    "--disable-background-networking",
    "--disable-component-update",
]
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
TOKEN = "homs-browser-test"


class Lab:
    """A running JupyterLab: its root folder, URL and token."""

    def __init__(self, root: Path, port: int) -> None:
        self.root = root
        self.port = port

    def url(self, path: str) -> str:
        """The URL that opens ``path`` (relative to the server root) in JupyterLab."""
        # ?reset: a fresh workspace, so tabs opened by earlier tests are not restored.
        return f"http://127.0.0.1:{self.port}/lab/tree/{path}?reset&token={TOKEN}"


@contextmanager
def laptop_page(browser: object) -> Iterator[object]:
    """A page in a fresh browser context at a laptop's size; the context closes afterwards."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    try:
        yield context.new_page()
    finally:
        context.close()


def run_all_cells(page: object, timeout_ms: int = 180_000) -> None:
    """Runs every cell of the open notebook from the Run menu and waits until all have run.

    Waits for the kernel to report Idle first; if Run All was clicked before the kernel could
    take it (cells still show ``[ ]``, none ``[*]``), clicks it again.
    """
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=90_000)  # type: ignore[attr-defined]
    page.wait_for_function(  # type: ignore[attr-defined]
        "() => /\\|\\s*Idle/.test(document.querySelector('#jp-main-statusbar')?.innerText || '')",
        timeout=90_000,
    )
    done = """() => {
        const prompts = [...document.querySelectorAll(
            '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell .jp-InputPrompt')];
        return prompts.length > 0 && prompts.every(p => /\\[\\d+\\]/.test(p.textContent));
    }"""
    for attempt in range(3):
        page.get_by_role("menuitem", name="Run", exact=True).click()  # type: ignore[attr-defined]
        page.get_by_role("menuitem", name="Run All Cells", exact=True).click()  # type: ignore[attr-defined]
        try:
            page.wait_for_function(done, timeout=timeout_ms if attempt == 2 else 30_000)  # type: ignore[attr-defined]
            return
        except Exception:
            queued = page.evaluate(  # type: ignore[attr-defined]
                "() => [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')]"
                ".some(p => p.textContent.includes('*'))"
            )
            if queued:  # still running: wait the full time rather than run again
                page.wait_for_function(done, timeout=timeout_ms)  # type: ignore[attr-defined]
                return


def screenshot_notebook(page: object, stem: str) -> list[Path]:
    """Screenshots the open notebook page by page, top to bottom, into artifacts/screenshots/."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for old in SCREENSHOTS.glob(f"{stem}-*.png"):
        old.unlink()
    scroller = ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-WindowedPanel-outer"
    height = page.evaluate(f"document.querySelector('{scroller}').scrollHeight")  # type: ignore[attr-defined]
    view = page.evaluate(f"document.querySelector('{scroller}').clientHeight")  # type: ignore[attr-defined]
    shots = []
    for number, top in enumerate(range(0, max(height, 1), max(view - 80, 200)), start=1):
        page.evaluate(f"document.querySelector('{scroller}').scrollTop = {top}")  # type: ignore[attr-defined]
        page.wait_for_timeout(150)  # type: ignore[attr-defined]
        path = SCREENSHOTS / f"{stem}-{number:02d}.png"
        page.screenshot(path=str(path))  # type: ignore[attr-defined]
        shots.append(path)
    return shots
