"""Script a student wrote never runs in a teacher's page: the REAL formgrader and the feedback.

A hand-in of the discrepancies quiz (it has written answers) carries script in four forms
(``<img onerror>``, ``<script>``, a ``javascript:`` link, ``<svg onload>``) in three places: a
Markdown cell of its own, its written answer, and an HTML output its own code cell displays.
``homs autograde`` grades it with execution on (so the student's code really displays the HTML),
``homs feedback`` writes the feedback page. Then a jupyter server with nbgrader's formgrader
extension runs on 127.0.0.1 with a token, in the course folder, as a teacher opens it; headless
Chromium opens the formgrader's manual-grading page for that notebook and the feedback HTML,
clicks every link, and a probe checks that no payload ran: each payload would push its name onto
``window.__pwned`` (in any frame), and a dialog or a ``PWNED`` console message counts too.

A control page holding the same payloads unsanitized proves the probe sees them run.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from helpers import (
    CHROMIUM,
    CHROMIUM_ARGS,
    ROOT,
    answered,
    copy_course,
    hand_in,
    key_answers,
    release_with_nbgrader,
    venv_path,
)
from homs import grading

pytestmark = pytest.mark.slow

#: Markup that would run: a script element or an element with an event handler (the same text
#: escaped, shown as text, is harmless and not matched).
LIVE = re.compile(r"<script[\s>]|<[a-z]+[^<>]*\son[a-z]+\s*=|href=.javascript:", re.IGNORECASE)
QUIZ = "discrepancies"
STUDENT = "mallory"
TOKEN = "homs-formgrader-xss"
SHOTS = ROOT / "artifacts" / "screenshots"


def _push(name: str) -> str:
    return f"(window.top.__pwned=window.top.__pwned||[]).push('{name}');console.log('PWNED {name}')"


def payloads(where: str) -> str:
    """Markup that runs script in four ways, each naming itself and where it was put."""
    return (
        f'<img src="x-{where}" onerror="{_push(f"img-{where}")}">'
        f"<script>{_push(f'script-{where}')}</script>"
        f'<a class="pwn" href="javascript:{_push(f"link-{where}")}">read more</a>'
        f'<svg onload="{_push(f"svg-{where}")}"><circle r="3"></circle></svg>'
    )


@dataclass
class Course:
    """The graded course, the formgrader's address, and the notebook's submission id."""

    root: Path
    port: int
    submission_id: str
    written_id: str

    def formgrader(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}/formgrader/{path}?token={TOKEN}"


def _require_chromium() -> None:
    if Path(CHROMIUM).exists():
        return
    message = "Chromium is not installed (/usr/bin/chromium): the formgrader check is skipped"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Course]:
    """The hand-in graded (executed) with feedback, and the formgrader serving the course."""
    _require_chromium()
    root = copy_course(tmp_path_factory.mktemp("formgrader") / "course", QUIZ)
    release = release_with_nbgrader(root, QUIZ)[QUIZ]
    quiz = grading.load_quiz(QUIZ)
    nb = answered(release, key_answers(quiz))
    written = next(i for i in quiz.items if i.written)
    for index, cell in enumerate(nb["cells"]):
        if cell["metadata"].get("nbgrader", {}).get("grade_id") == written.id:
            nb["cells"][index + 1]["source"] = f"Source B gives a later date. {payloads('answer')}"
    nb["cells"].insert(
        1, {"cell_type": "markdown", "metadata": {}, "id": "own-md", "source": payloads("md")}
    )
    code = f"from IPython.display import HTML, display\ndisplay(HTML({payloads('output')!r}))"
    nb["cells"].insert(
        2,
        {
            "cell_type": "code",
            "metadata": {},
            "id": "own-code",
            "execution_count": None,
            "outputs": [],
            "source": code,
        },
    )
    hand_in(root, QUIZ, STUDENT, nb)
    summary = grading.autograde(QUIZ, course=root, execute=True)
    assert summary.result(STUDENT).status == "graded", summary.table()
    grading.feedback(QUIZ, course=root)
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        submission_id = gb.find_submission_notebook(QUIZ, QUIZ, STUDENT).id

    with serve_formgrader(root, tmp_path_factory.mktemp("jupyter-home")) as port:
        yield Course(root, port, submission_id, written.id)


@contextmanager
def serve_formgrader(root: Path, home: Path) -> Iterator[int]:
    """A jupyter server (with nbgrader's formgrader) in the course folder, as a teacher starts
    it: on 127.0.0.1, with a token; yields its port and stops it afterwards."""
    env = {
        **os.environ,
        "PATH": venv_path(),
        "JUPYTER_CONFIG_DIR": str(home / "config"),
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
    }
    port = _free_port()
    log = (home / "server.log").open("w")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jupyter",
            "server",
            "--no-browser",
            "--allow-root",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={port}",
            f"--IdentityProvider.token={TOKEN}",
            f"--ServerApp.root_dir={root}",
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
                    raise RuntimeError(f"jupyter server did not start; see {log.name}") from None
                time.sleep(0.3)
        yield port
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


def log_in(context: Any, port: int) -> None:
    """Logs a browser context in with the token at the server's root, as the address jupyter
    prints does, so the login cookie holds for the whole server.

    Opening a formgrader page with ``?token=`` first is not enough: nbgrader's formgrader
    handlers strip the trailing slash of the base URL (``"/"`` becomes ``""``), so the cookie
    jupyter sets there has no ``Path`` and holds only for that page's folder; the page's own
    calls to ``/formgrader/api/...`` then go to the login page, and a list such as Manage
    Submissions stays on "Loading, please wait..." for ever.
    """
    answer = context.request.get(f"http://127.0.0.1:{port}/api/status?token={TOKEN}")
    assert answer.ok, f"jupyter server refused the token: {answer.status}"


@pytest.fixture(scope="module")
def browser(course: Course) -> Iterator[Any]:
    """Debian's Chromium, headless, driven by Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@dataclass
class Probe:
    """What ran in a page: payload names, dialogs, console messages, the page's text."""

    pwned: list[str]
    dialogs: list[str]
    console: list[str]
    text: str
    links: int


def visit(
    browser: Any,
    url: str,
    shot: str | None = None,
    content: str | None = None,
    ready: str | None = None,
    port: int | None = None,
) -> Probe:
    """Opens a page (or sets its content), logged in to the server on ``port`` if given, waits
    for it to settle, clicks every link whose target is script, and returns what ran, in every
    frame."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    if port is not None:
        log_in(context, port)
    dialogs: list[str] = []
    console: list[str] = []
    try:
        page = context.new_page()
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.on("console", lambda m: console.append(m.text))
        if content is None:
            page.goto(url, wait_until="load")
        else:
            page.set_content(content, wait_until="load")
        if ready:
            try:
                page.wait_for_function(ready, timeout=30_000)
            except Exception as err:
                raise AssertionError(f"{url} never got ready; console: {console}") from err
        page.wait_for_timeout(1500)
        links = 0
        for frame in page.frames:
            for link in frame.query_selector_all('a[href^="javascript:" i], a.pwn'):
                links += 1
                link.click(force=True, no_wait_after=True)
        page.wait_for_timeout(500)
        pwned: list[str] = []
        text = ""
        for frame in page.frames:
            pwned += frame.evaluate("() => window.__pwned || []")
            text += frame.evaluate("() => document.body ? document.body.innerText : ''")
        if shot:
            SHOTS.mkdir(parents=True, exist_ok=True)
            # The student's own Markdown cell, where the payloads were put first.
            shown = page.get_by_text("read more").first
            if shown.count():
                shown.scroll_into_view_if_needed()
            page.screenshot(path=str(SHOTS / shot))
        return Probe(pwned, dialogs, [m for m in console if "PWNED" in m], text, links)
    finally:
        context.close()


def test_the_probe_sees_a_payload_run(browser: Any) -> None:
    """Control: the payloads, unsanitized in a page, do run and the probe sees each kind."""
    probe = visit(browser, "", content=f"<html><body>{payloads('control')}</body></html>")
    assert {"img-control", "script-control", "svg-control", "link-control"} <= set(probe.pwned)


def test_the_formgrader_runs_nothing_of_the_student(browser: Any, course: Course) -> None:
    """The formgrader's manual-grading page for the hand-in (as the teacher opens it) shows
    the student's answer, and none of the payloads ran (no probe entry, dialog or console
    message), links clicked."""
    probe = visit(
        browser,
        course.formgrader(f"submissions/{course.submission_id}/"),
        shot="formgrader-xss-submission.png",
        port=course.port,
    )
    assert "Source B gives a later date" in probe.text, probe.text[:2000]
    assert not probe.pwned, probe.pwned
    assert not probe.dialogs, probe.dialogs
    assert not probe.console, probe.console


def test_the_feedback_page_runs_nothing_of_the_student(browser: Any, course: Course) -> None:
    """The feedback HTML the student (and the teacher) opens shows the answer and runs none of
    the payloads."""
    page = course.root / "feedback" / STUDENT / QUIZ / f"{QUIZ}.html"
    probe = visit(browser, page.as_uri(), shot="feedback-xss.png")
    assert "Source B gives a later date" in probe.text
    assert not probe.pwned, probe.pwned
    assert not probe.dialogs, probe.dialogs
    assert not probe.console, probe.console


def test_the_student_output_was_really_displayed(course: Course) -> None:
    """The student's code did run and display its HTML (what the pages were tested on), and the
    graded notebook keeps its text but not its script."""
    nb = json.loads(
        (course.root / "autograded" / STUDENT / QUIZ / f"{QUIZ}.ipynb").read_text("utf-8")
    )
    cell = next(c for c in nb["cells"] if c.get("id") == "own-code")
    html = "".join(
        "".join(o["data"]["text/html"]) for o in cell["outputs"] if "text/html" in o.get("data", {})
    )
    assert "read more" in html, cell["outputs"]
    assert not LIVE.search(html), html
