"""A lesson reopened in the JupyterLab that ``homs lab`` starts (as ``make lab`` does): after
running it, saving and closing it, the lesson opens again with its self-checks and excerpts
drawn from the state saved in the notebook, not "Error displaying widget: model not found"."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from helpers import venv_path

from ._lab import SCREENSHOTS, laptop_page, run_all_cells

pytestmark = pytest.mark.slow

TOKEN = "homs-reopen-test"
LESSON = "01-meet-the-sources.ipynb"
MISSING = "model not found"


class Learner:
    """``homs lab`` running on a learner's folder: its address, folder and what it printed."""

    def __init__(self, folder: Path, port: int, printed: Path) -> None:
        self.folder = folder
        self.port = port
        self.printed = printed

    def url(self, path: str) -> str:
        """The URL that opens ``path`` in JupyterLab."""
        return f"http://127.0.0.1:{self.port}/lab/tree/{path}?reset&token={TOKEN}"

    def api(self, path: str, method: str = "GET") -> object:
        """A call to the server's REST API."""
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}/api/{path}?token={TOKEN}", method=method
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            body = response.read()
        return json.loads(body) if body else None


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def learner(tmp_path_factory: pytest.TempPathFactory, browser: object) -> Iterator[Learner]:
    """``homs lab learner --no-browser`` in a scratch folder, with JupyterLab's user settings
    and runtime files kept there too; waits until it prints the index's address."""
    home = tmp_path_factory.mktemp("learner-home")
    notebook = home / "settings" / "@jupyterlab" / "notebook-extension"
    notebook.mkdir(parents=True)
    # Keep every cell in the page, so the checks see the whole notebook.
    (notebook / "tracker.jupyterlab-settings").write_text('{"windowingMode": "none"}', "utf-8")
    env = {
        **os.environ,
        "PATH": venv_path(),
        "JUPYTER_CONFIG_DIR": str(home / "config"),
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
        "JUPYTERLAB_SETTINGS_DIR": str(home / "settings"),
    }
    port = _free_port()
    printed = home / "lab.out"
    out, log = printed.open("w"), (home / "lab.log").open("w")
    command = [str(Path(sys.executable).parent / "homs"), "lab", "learner", "--no-browser"]
    command += ["--port", str(port), "--token", TOKEN]
    server = subprocess.Popen(command, cwd=home, env=env, stdout=out, stderr=log)
    try:
        deadline = time.monotonic() + 120
        while "/lab/tree/README.md" not in printed.read_text("utf-8"):
            assert server.poll() is None, (home / "lab.log").read_text("utf-8")
            assert time.monotonic() < deadline, "homs lab printed no address"
            time.sleep(0.5)
        yield Learner(home / "learner", port, printed)
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        out.close()
        log.close()


def test_homs_lab_prints_the_index_address_and_starts_clean(learner: Learner) -> None:
    """`homs lab` prints the address of the lessons' index with its token, and nbgrader's
    server extensions find their configuration (no "No nbgrader_config.py" warning)."""
    printed = learner.printed.read_text("utf-8")
    assert f"http://127.0.0.1:{learner.port}/lab/tree/README.md?token={TOKEN}" in printed
    log = (learner.printed.parent / "lab.log").read_text("utf-8")
    assert "No nbgrader_config.py" not in log
    assert (learner.folder / LESSON).is_file()


def _widgets_or_notice_drawn(page: object) -> None:
    page.wait_for_function(  # type: ignore[attr-defined]
        """() => document.querySelectorAll('.homs-selfcheck').length > 0
                 && !document.body.innerText.includes('Loading widget...')""",
        timeout=90_000,
    )


def test_a_reopened_lesson_shows_its_widgets(learner: Learner, browser: object) -> None:
    """Run, save and close Lesson 1, then open it again with a new kernel: the self-checks
    and excerpts are drawn from the saved state, no widget says "model not found", and a
    self-check still checks an answer in the page."""
    with laptop_page(browser) as page:
        page.goto(learner.url(LESSON))  # type: ignore[attr-defined]
        run_all_cells(page)
        _widgets_or_notice_drawn(page)
        first_run = page.locator(".homs-selfcheck").count()  # type: ignore[attr-defined]
        page.keyboard.press("Control+s")  # type: ignore[attr-defined]
        deadline = time.monotonic() + 60
        while True:
            saved = json.loads((learner.folder / LESSON).read_text("utf-8"))
            state = saved["metadata"].get("widgets", {})
            if state.get("application/vnd.jupyter.widget-state+json", {}).get("state"):
                break
            assert time.monotonic() < deadline, "the widgets' state was not saved"
            page.wait_for_timeout(500)  # type: ignore[attr-defined]
    # Close: the page is gone; the kernel is shut down, as when JupyterLab is stopped.
    for session in learner.api("sessions"):  # type: ignore[union-attr]
        learner.api(f"sessions/{session['id']}", method="DELETE")

    with laptop_page(browser) as page:
        page.goto(learner.url(LESSON))  # type: ignore[attr-defined]
        page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=90_000)  # type: ignore[attr-defined]
        _widgets_or_notice_drawn(page)
        page.wait_for_timeout(2000)  # type: ignore[attr-defined]
        text = page.locator("body").inner_text()  # type: ignore[attr-defined]
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "reopened-lesson-01.png"))  # type: ignore[attr-defined]
        question = page.locator(".homs-selfcheck").first  # type: ignore[attr-defined]
        question.scroll_into_view_if_needed()
        page.screenshot(path=str(SCREENSHOTS / "reopened-lesson-01-selfcheck.png"))  # type: ignore[attr-defined]
        assert MISSING not in text
        assert page.locator(".homs-selfcheck").count() == first_run  # type: ignore[attr-defined]
        assert page.locator(".jp-OutputArea-output .widget-checkbox input").count() > 0  # type: ignore[attr-defined]
        question.locator("button.homs-check").click()
        feedback = question.locator(".homs-feedback-region")
        page.wait_for_function(  # type: ignore[attr-defined]
            "el => el.innerText.trim().length > 0", arg=feedback.element_handle(), timeout=10_000
        )
