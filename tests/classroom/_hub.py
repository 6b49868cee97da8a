"""What the classroom tests drive: a running classroom (``classroom/classroom.py``), its hub's
REST API, nbgrader's handlers as the lab extensions call them, and commands run as the
classroom's Unix users.

Plain helpers for this package's tests and its ``conftest.py`` (which holds the fixtures).
"""

from __future__ import annotations

import grp
import json
import os
import pwd
import socket
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import requests

from helpers import ROOT

CLASSROOM = ROOT / "classroom" / "classroom.py"
#: The course id of the tests' own classroom: its accounts are homstest-*, grader-homstest, so
#: a teacher's `make classroom` (homs101) is never touched.
COURSE = "homstest"
QUIZZES = ("timeline", "discrepancies", "sourcing")


def free_base_port(span: int = 5) -> int:
    """A port such that it and the next ``span - 1`` are free on 127.0.0.1."""
    for base in range(23000, 60000, 97):
        try:
            for port in range(base, base + span):
                with socket.socket() as s:
                    s.bind(("127.0.0.1", port))
        except OSError:
            continue
        return base
    raise RuntimeError("no free ports")


class Classroom:
    """A running classroom: its settings (``classroom.json``), tokens and helpers."""

    def __init__(self, settings: dict[str, Any], env: dict[str, str]) -> None:
        self.settings = settings
        self.env = env
        self.secrets = json.loads(Path(settings["secrets"]).read_text())
        self.url: str = settings["url"]
        self.course: str = settings["course"]
        self.instructor: str = settings["instructor"]
        self.grader: str = settings["grader"]
        self.students: list[str] = settings["students"]
        self.course_root = Path(settings["course_root"])
        self.exchange = Path(settings["exchange"]) / self.course
        self.venv = Path(settings["venv"])
        self._tokens: dict[str, str] = {}

    # -- the hub ------------------------------------------------------------------------------
    def admin(self, method: str, path: str, **kw: Any) -> requests.Response:
        """The hub's REST API with the classroom's admin service token."""
        headers = {"Authorization": f"token {self.secrets['admin_token']}"}
        return requests.request(
            method, f"{self.url}/hub/api{path}", headers=headers, timeout=60, **kw
        )

    def token(self, user: str) -> str:
        """An API token of the user's own (the hub's POST /users/{name}/tokens)."""
        if user not in self._tokens:
            r = self.admin(
                "POST", f"/users/{user}/tokens", json={"note": "homs tests", "expires_in": 7200}
            )
            r.raise_for_status()
            self._tokens[user] = r.json()["token"]
        return self._tokens[user]

    def start_server(self, user: str, timeout: float = 180) -> None:
        """Starts the user's single-user server (as a click on 'Start My Server') and waits."""
        r = self.admin("POST", f"/users/{user}/server")
        assert r.status_code in (201, 202, 400), r.text  # 400: already running
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            model = self.admin("GET", f"/users/{user}").json()
            if model["servers"].get("", {}).get("ready"):
                return
            time.sleep(0.5)
        raise AssertionError(f"the server of {user} did not start")

    def as_(self, user: str, method: str, path: str, **kw: Any) -> requests.Response:
        """A request to the hub's proxy with the user's token (as the user's browser would)."""
        headers = {"Authorization": f"token {self.token(user)}", **kw.pop("headers", {})}
        return requests.request(method, f"{self.url}{path}", headers=headers, timeout=300, **kw)

    # -- nbgrader's handlers, as the lab extensions call them ------------------------------------
    def formgrader(self, method: str, path: str, **kw: Any) -> Any:
        """The formgrader's API in the course's service, as the instructor."""
        r = self.as_(
            self.instructor, method, f"/services/{self.course}/formgrader/api/{path}", **kw
        )
        assert r.status_code == 200, f"{method} {path}: {r.status_code} {r.text[:2000]}"
        return r.json()

    def assignments(self, student: str, action: str | None = None, quiz: str | None = None) -> Any:
        """The assignment list's handlers on the student's own server: the list, or fetch,
        submit or fetch_feedback of one quiz (the lab extension posts these as form fields)."""
        if action is None:
            r = self.as_(
                student, "GET", f"/user/{student}/assignments", params={"course_id": self.course}
            )
        else:
            r = self.as_(
                student,
                "POST",
                f"/user/{student}/assignments/{action}",
                data={"course_id": self.course, "assignment_id": quiz},
            )
        assert r.status_code == 200, f"{student} {action} {quiz}: {r.status_code} {r.text[:2000]}"
        body = r.json()
        assert body["success"], f"{student} {action} {quiz}: {body}"
        return body["value"]

    def contents(self, user: str, path: str, **params: Any) -> Any:
        r = self.as_(user, "GET", f"/user/{user}/api/contents/{path}", params=params)
        assert r.status_code == 200, f"{user} GET {path}: {r.status_code} {r.text[:500]}"
        return r.json()

    def save_notebook(self, user: str, path: str, nb: dict[str, Any]) -> None:
        r = self.as_(
            user,
            "PUT",
            f"/user/{user}/api/contents/{path}",
            json={"type": "notebook", "format": "json", "content": nb},
        )
        assert r.status_code in (200, 201), f"{user} PUT {path}: {r.status_code} {r.text[:500]}"

    # -- commands as the classroom's Unix users -------------------------------------------------
    def popen_kw(self, user: str) -> dict[str, Any]:
        """subprocess keywords that run a command as a Unix user of the classroom."""
        pw = pwd.getpwnam(user)
        groups = [g.gr_gid for g in grp.getgrall() if user in g.gr_mem]
        role = "grader" if user == self.grader else "student"
        env = {
            "HOME": pw.pw_dir,
            "USER": user,
            "LOGNAME": user,
            "LANG": "C.UTF-8",
            "PATH": self.settings["path"],
            "JUPYTER_CONFIG_PATH": self.settings["config_path"][role],
            "PYTHONPATH": self.settings["pythonpath"],
        }
        return {
            "user": pw.pw_uid,
            "group": pw.pw_gid,
            "extra_groups": groups,
            "env": env,
            "cwd": pw.pw_dir,
            "stdout": subprocess.PIPE,
            "stderr": subprocess.PIPE,
            "text": True,
        }

    def run_as(
        self,
        user: str,
        argv: Sequence[str],
        *,
        check: bool = True,
        timeout: float = 900,
        input: str | None = None,
    ) -> subprocess.CompletedProcess[str]:
        """Runs a command as a Unix user of the classroom (uid, gid, groups, HOME)."""
        done = subprocess.run(
            list(argv), **self.popen_kw(user), timeout=timeout, check=False, input=input
        )
        if check:
            assert done.returncode == 0, (
                f"{' '.join(argv)} as {user}: exit {done.returncode}\n"
                f"{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
            )
        return done

    def homs_argv(self, *args: str) -> dict[str, Any]:
        """The argv and Popen keywords of a ``homs`` command on the course, as its grader."""
        argv = [str(self.venv / "bin" / "homs"), *args, "--course", str(self.course_root)]
        return {"argv": argv, "kw": self.popen_kw(self.grader)}

    def homs(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        """A ``homs`` command on the course, as its grading account (as the instructor runs it
        in a terminal of the course's service)."""
        return self.run_as(
            self.grader,
            [str(self.venv / "bin" / "homs"), *args, "--course", str(self.course_root)],
            check=check,
        )

    def python_as(
        self, user: str, code: str, *, check: bool = False
    ) -> subprocess.CompletedProcess[str]:
        """Python code run as a user with the classroom's environment."""
        return self.run_as(user, [str(self.venv / "bin" / "python"), "-c", code], check=check)


def classroom_command(*args: str, env: dict[str, str], timeout: float = 900) -> str:
    """Runs classroom/classroom.py; returns its output, failing with it."""
    done = subprocess.run(
        [sys.executable, str(CLASSROOM), *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    out = done.stdout + done.stderr
    assert done.returncode == 0, f"classroom.py {' '.join(args)} failed:\n{out[-5000:]}"
    return out
