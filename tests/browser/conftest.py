"""Fixtures for the browser tests: a JupyterLab server on loopback and Debian's Chromium.

Playwright drives ``/usr/bin/chromium`` (its own browser download is not reachable). Where
Chromium is missing the tests skip and say so; under CI (``CI=true``) a missing Chromium is a
failure, because `make test` installs it there.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
TOKEN = "homs-browser-test"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-sync",
    "--disable-background-networking",
    "--disable-component-update",
]


def _require_chromium() -> None:
    if Path(CHROMIUM).exists():
        return
    message = (
        "Chromium is not installed (/usr/bin/chromium): browser tests skipped. "
        "Install it with `sudo apt-get install chromium`, or run `make test` as root with CI=true."
    )
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def _release_quiz(dest: Path, scratch: Path) -> None:
    """The timeline quiz as students get it (nbgrader generate_assignment), blank and answered."""
    import json

    from homs import grading

    course = scratch / "course"
    shutil.copytree(ROOT / "quizzes" / "source", course / "source")
    shutil.copy(ROOT / "quizzes" / "nbgrader_config.py", course)
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    subprocess.run(
        [sys.executable, "-m", "nbgrader", "generate_assignment", "timeline"],
        cwd=course,
        env=env,
        check=True,
        capture_output=True,
    )
    dest.mkdir()
    release = course / "release" / "timeline" / "timeline.ipynb"
    shutil.copy(release, dest / "timeline.ipynb")
    nb = json.loads(release.read_text("utf-8"))
    for item in grading.load_quiz("timeline").items:
        if item.written:
            continue
        for cell in nb["cells"]:
            if cell["metadata"].get("nbgrader", {}).get("grade_id") == f"{item.id}_answer":
                cell["source"] = f"{item.variable} = {grading.literal(item.key)}\n"
    (dest / "timeline-answered.ipynb").write_text(json.dumps(nb), "utf-8")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Lab:
    """A running JupyterLab: its root folder, URL and token."""

    def __init__(self, root: Path, port: int) -> None:
        self.root = root
        self.port = port

    def url(self, path: str) -> str:
        """The URL that opens ``path`` (relative to the server root) in JupyterLab."""
        # ?reset: a fresh workspace, so tabs opened by earlier tests are not restored.
        return f"http://127.0.0.1:{self.port}/lab/tree/{path}?reset&token={TOKEN}"


# Package scope: the server and the browser stop once the browser tests are done, instead of
# running beside the rest of the suite (Playwright's sync API leaves an asyncio loop marked as
# running in the main thread while it is open).
@pytest.fixture(scope="package")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    """JupyterLab on 127.0.0.1 with a token, serving a private copy of lessons/ and quizzes/."""
    _require_chromium()
    root = tmp_path_factory.mktemp("lab")
    shutil.copytree(ROOT / "lessons", root / "lessons")
    _release_quiz(root / "quiz", tmp_path_factory.mktemp("course"))
    home = tmp_path_factory.mktemp("jupyter-home")
    settings = home / "settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True)
    (settings / "notification.jupyterlab-settings").write_text(
        '{"fetchNews": "false", "checkForUpdates": false}', "utf-8"
    )
    # Keep every cell in the page, so the checks see the whole notebook.
    notebook = home / "settings" / "@jupyterlab" / "notebook-extension"
    notebook.mkdir(parents=True)
    (notebook / "tracker.jupyterlab-settings").write_text('{"windowingMode": "none"}', "utf-8")
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "JUPYTER_CONFIG_DIR": str(home / "config"),
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
        "JUPYTERLAB_SETTINGS_DIR": str(home / "settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(home / "workspaces"),
    }
    port = _free_port()
    log = (home / "lab.log").open("w")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jupyter",
            "lab",
            "--no-browser",
            "--allow-root",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={port}",
            f"--IdentityProvider.token={TOKEN}",
            f"--ServerApp.root_dir={root}",
            "--LabApp.news_url=",
            "--ServerApp.open_browser=False",
        ],
        cwd=root,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        f"JupyterLab did not start; see {home / 'lab.log'}"
                    ) from None
                time.sleep(0.3)
        yield Lab(root, port)
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


@pytest.fixture(scope="package")
def browser(lab: Lab) -> Iterator[object]:
    """Debian's Chromium, headless, driven by Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    """A fresh browser page at a laptop's size."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    page = context.new_page()
    yield page
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
