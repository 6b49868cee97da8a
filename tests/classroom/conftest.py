"""Fixtures for the classroom tests: a classroom of their own (course ``homstest``), started
fresh by ``classroom/classroom.py`` and stopped afterwards, and Debian's Chromium.

The classroom needs Linux, root (it creates Unix accounts; the hub's local-process spawner
switches to them), Debian's PostgreSQL and configurable-http-proxy in ``classroom/node_modules``
(``make test`` installs both where it can). Where one is missing the tests skip and say why;
under CI (``CI=true``) that is a failure instead, because ``make test`` installs them there.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from helpers import CHROMIUM, CHROMIUM_ARGS, ROOT

from ._hub import COURSE, Classroom, classroom_command, free_base_port

SCREENSHOTS = ROOT / "artifacts" / "screenshots" / "classroom"


def _missing(reason: str) -> None:
    message = f"classroom tests skipped: {reason}"
    if os.environ.get("CI") == "true":
        pytest.fail(message + " (under CI=true `make test` installs what they need)")
    pytest.skip(message)


def _require_classroom() -> None:
    if sys.platform != "linux":
        _missing(f"they need Linux (Unix accounts, setuid); this is {sys.platform}")
    if os.geteuid() != 0:
        _missing("they need root, to create the classroom's Unix accounts (run make test as root)")
    if not list(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl")):
        _missing("Debian's PostgreSQL is not installed (apt-get install postgresql)")
    if not (ROOT / "classroom" / "node_modules" / ".bin" / "configurable-http-proxy").exists():
        _missing(
            "configurable-http-proxy is not installed "
            "(make classroom-deps, or npm ci in classroom/)"
        )
    if not Path("/usr/bin/python3").exists() or shutil.which("useradd") is None:
        _missing("Debian's python3 (python3-venv) and useradd are needed")


@pytest.fixture(scope="package")
def classroom() -> Iterator[Classroom]:
    """The tests' own classroom, fresh: three students, an instructor, the grading service."""
    _require_classroom()
    env = {
        "HOMS_CLASSROOM_COURSE": COURSE,
        "HOMS_CLASSROOM_PORT": str(free_base_port()),
        "HOMS_CLASSROOM_STUDENTS": "ada,ben,cleo",
    }
    # One run of these tests at a time on a machine: a second would wipe the first's accounts.
    lock = Path("/run/lock" if Path("/run/lock").is_dir() else "/tmp") / "homs-classroom-tests.lock"
    held = lock.open("w")
    fcntl.flock(held, fcntl.LOCK_EX)
    try:
        classroom_command("start", "--background", "--fresh", env=env)
        settings = _settings(env)
        room = Classroom(settings, env)
        yield room
    finally:
        out = classroom_command("stop", env=env)
        assert "still running" not in out, out
        status = classroom_command_status(env)
        fcntl.flock(held, fcntl.LOCK_UN)
        held.close()
        assert status == "not running", status


def _settings(env: dict[str, str]) -> dict[str, object]:
    path = Path(classroom_command("settings", env=env).strip())
    return json.loads(path.read_text())


def classroom_command_status(env: dict[str, str]) -> str:
    import subprocess

    done = subprocess.run(
        [sys.executable, str(ROOT / "classroom" / "classroom.py"), "status"],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=False,
    )
    return done.stdout.strip()


@pytest.fixture(scope="package")
def chromium(classroom: Classroom) -> Iterator[object]:
    """Debian's Chromium, headless, driven by Playwright."""
    if not Path(CHROMIUM).exists():
        _missing("Chromium is not installed (/usr/bin/chromium)")
    from playwright.sync_api import sync_playwright

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
