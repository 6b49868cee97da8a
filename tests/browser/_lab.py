"""What the browser tests drive: a JupyterLab server's address, Chromium, and a notebook page.

Plain helpers for this package's tests and its ``conftest.py`` (which holds the fixtures).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import pytest

from helpers import CHROMIUM, CHROMIUM_ARGS, ROOT, venv_path  # noqa: F401 (conftest.py imports them here)

SCREENSHOTS = ROOT / "artifacts" / "screenshots"
TOKEN = "homs-browser-test"


def require_chromium() -> None:
    """Skips the test where Chromium is missing, saying how to install it; under CI
    (``CI=true``) fails instead, because `make test` installs it there."""
    if Path(CHROMIUM).exists():
        return
    message = (
        "Chromium is not installed (/usr/bin/chromium): browser tests skipped. "
        "Install it with `sudo apt-get install chromium`, or run `make test` as root with CI=true."
    )
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


class Lab:
    """A running JupyterLab: its root folder, URL and token."""

    def __init__(self, root: Path, port: int) -> None:
        self.root = root
        self.port = port

    def url(self, path: str) -> str:
        """The URL that opens ``path`` (relative to the server root) in JupyterLab."""
        # ?reset: a fresh workspace, so tabs opened by earlier tests are not restored.
        return f"http://127.0.0.1:{self.port}/lab/tree/{path}?reset&token={TOKEN}"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def running_lab(root: Path, home: Path, env: Mapping[str, str] | None = None) -> Iterator[Lab]:
    """JupyterLab on 127.0.0.1 with a token, serving ``root``, its settings and runtime in
    ``home``; ``env`` is added to the server's environment (and so its kernels', e.g.
    ``JUPYTERHUB_USER``). Stopped afterwards."""
    settings = home / "settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True)
    (settings / "notification.jupyterlab-settings").write_text(
        '{"fetchNews": "false", "checkForUpdates": false}', "utf-8"
    )
    # Keep every cell in the page, so the checks see the whole notebook.
    notebook = home / "settings" / "@jupyterlab" / "notebook-extension"
    notebook.mkdir(parents=True)
    (notebook / "tracker.jupyterlab-settings").write_text('{"windowingMode": "none"}', "utf-8")
    server_env = {
        **os.environ,
        "PATH": venv_path(),
        "JUPYTER_CONFIG_DIR": str(home / "config"),
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
        "JUPYTERLAB_SETTINGS_DIR": str(home / "settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(home / "workspaces"),
        **(env or {}),
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
        env=server_env,
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


#: The open notebook's scrolling box.
SCROLLER = ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-WindowedPanel-outer"


@contextmanager
def whole_notebook_on_screen(page: object) -> Iterator[None]:
    """Makes the window as tall as the open notebook and scrolls it to the top, so that every
    output is on screen, then puts the window back at a laptop's size.

    axe-core checks colours only of what is on screen, and an output scrolled out of the
    notebook's box is not. JupyterLab 4.4+ also wraps its shell in a ``.jp-ThemedContainer``
    of height 0 with ``overflow: hidden``: it clips nothing in the page (the shell is
    positioned outside it), but axe-core takes it for a clip around everything and checks no
    colour in JupyterLab at all. Its overflow is made visible while the window is tall (no
    change on screen).
    """
    measure = f"""() => {{
        const box = document.querySelector('{SCROLLER}');
        const cells = box.querySelectorAll('.jp-Cell');
        const last = cells[cells.length - 1].getBoundingClientRect().bottom;
        return [Math.ceil(last - box.getBoundingClientRect().top + box.scrollTop),
                box.clientHeight];
    }}"""
    style = page.add_style_tag(  # type: ignore[attr-defined]
        content=".jp-ThemedContainer { overflow: visible !important; }"
    )
    try:
        for _ in range(3):  # the notebook's box grows with the window; its content may too
            content, shown = page.evaluate(measure)  # type: ignore[attr-defined]
            if content <= shown:
                break
            page.set_viewport_size({"width": 1280, "height": content + 200})  # type: ignore[attr-defined]
            page.wait_for_timeout(500)  # type: ignore[attr-defined]
        page.evaluate(f"document.querySelector('{SCROLLER}').scrollTop = 0")  # type: ignore[attr-defined]
        page.wait_for_timeout(200)  # type: ignore[attr-defined]
        yield
    finally:
        style.evaluate("node => node.remove()")
        page.set_viewport_size({"width": 1280, "height": 900})  # type: ignore[attr-defined]
