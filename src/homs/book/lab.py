"""``homs lab DIR`` (and ``make lab``): JupyterLab on a learner's folder of lessons.

The command first brings the folder up to date with :func:`homs.book.copy_lessons` (``keep``:
missing lessons are copied, a lesson the learner has changed is kept as it is), then starts
JupyterLab with the folder as its root, on 127.0.0.1, opening the lessons' index
(``README.md``, shown as a page) or the notebook given. Once the server answers it prints the
index's address with the token, for a browser that does not open by itself.

Each run gets a session folder of its own (:class:`LabSession`, removed when JupyterLab
stops) that holds:

- a fresh workspace (``--LabApp.workspaces_dir``), so no tab or kernel of an earlier day is
  restored;
- the application settings (``--LabApp.app_settings_dir``: a copy of the installed ones plus
  ``overrides.d/homs.json``, :data:`LAB_OVERRIDES`): JupyterLab saves the widgets' state in the
  notebook (``saveState``), so a lesson reopened the next day shows its self-checks and
  excerpts as they were left; Markdown opens as a page; no news is fetched (the lessons work
  offline);
- an ``nbgrader_config.py`` on ``JUPYTER_CONFIG_PATH``: nbgrader's server extensions, installed
  with homs for the quizzes, look for one at start-up and warn when there is none; the lessons'
  server is not a course, and the file says so.

As root (a container, CI), ``--allow-root`` is added.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any, TextIO
from urllib.parse import quote

from homs.book.files import BookError, copy_lessons, lesson_files

__all__ = [
    "INDEX",
    "LAB_OVERRIDES",
    "LabSession",
    "has_lessons",
    "index_url",
    "lab_command",
    "lab_session",
    "open_lab",
]

#: The lessons' index, the page the lab opens on.
INDEX = "README.md"

#: JupyterLab settings of the lessons' server (``overrides.d/homs.json``).
LAB_OVERRIDES: dict[str, dict[str, Any]] = {
    # The widgets' state is saved in the notebook: a reopened lesson draws its self-checks and
    # excerpts from it instead of "Error displaying widget: model not found".
    "@jupyter-widgets/jupyterlab-manager:plugin": {"saveState": True},
    # The index (README.md) opens as a page, its lesson links clickable.
    "@jupyterlab/docmanager-extension:plugin": {"defaultViewers": {"markdown": "Markdown Preview"}},
    # The lessons work offline: no news or update checks.
    "@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": False},
}

_NBGRADER_CONFIG = """\
# Written by homs lab for this JupyterLab session only (removed when it stops).
# The lessons' server is not an nbgrader course: nbgrader's server extensions, installed with
# homs for the quizzes, find this file and start without warning that there is none.
# A teacher's course has its own nbgrader_config.py (homs course DIR).
c = get_config()  # noqa: F821
"""


def has_lessons(folder: str | Path) -> bool:
    """Whether ``folder`` holds lesson notebooks."""
    root = Path(folder).expanduser()
    return root.is_dir() and any(root.glob("[0-9][0-9]-*.ipynb"))


def _default_page(root: Path) -> str:
    if (root / INDEX).is_file():
        return INDEX
    return lesson_files()[0].name


def index_url(port: int, token: str, page: str = INDEX) -> str:
    """The address that opens ``page`` (relative to the server's root) in JupyterLab, with
    the token."""
    return f"http://127.0.0.1:{port}/lab/tree/{quote(page)}?token={quote(token)}"


@dataclass(frozen=True)
class LabSession:
    """The session folder of one ``homs lab`` run (see the module's docstring)."""

    folder: Path

    @property
    def workspaces(self) -> Path:
        """JupyterLab's workspaces, empty at the start."""
        return self.folder / "workspaces"

    @property
    def settings(self) -> Path:
        """JupyterLab's application settings, with :data:`LAB_OVERRIDES`."""
        return self.folder / "settings"

    @property
    def config(self) -> Path:
        """A Jupyter configuration folder holding the session's ``nbgrader_config.py``."""
        return self.folder / "config"

    def env(self, base: Mapping[str, str] | None = None) -> dict[str, str]:
        """The environment JupyterLab runs in: ``base`` (this process's by default) with
        :attr:`config` first on ``JUPYTER_CONFIG_PATH``."""
        env = dict(os.environ if base is None else base)
        rest = env.get("JUPYTER_CONFIG_PATH")
        env["JUPYTER_CONFIG_PATH"] = os.pathsep.join([str(self.config), *([rest] if rest else [])])
        return env


def _installed_app_settings() -> Path:
    from jupyterlab.commands import get_app_dir

    return Path(get_app_dir()) / "settings"


@contextmanager
def lab_session(parent: str | Path | None = None) -> Iterator[LabSession]:
    """A fresh :class:`LabSession` in a temporary folder (in ``parent`` if given), removed
    afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="homs-lab-", dir=parent))
    try:
        session = LabSession(folder)
        session.workspaces.mkdir()
        installed = _installed_app_settings()
        if installed.is_dir():
            shutil.copytree(installed, session.settings)
        overrides = session.settings / "overrides.d"
        overrides.mkdir(parents=True, exist_ok=True)
        (overrides / "homs.json").write_text(json.dumps(LAB_OVERRIDES, indent=2), "utf-8")
        session.config.mkdir()
        (session.config / "nbgrader_config.py").write_text(_NBGRADER_CONFIG, "utf-8")
        yield session
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def lab_command(
    folder: str | Path,
    *,
    notebook: str | None = None,
    port: int | None = None,
    token: str | None = None,
    browser: bool = True,
    session: LabSession | None = None,
) -> list[str]:
    """The command that starts JupyterLab on ``folder``, opening ``notebook`` (the lessons'
    index by default, or the first lesson where the folder has no index).

    Args:
        folder: The folder of lessons, the server's root.
        notebook: The file to open, relative to ``folder``.
        port: The port (JupyterLab's default, 8888 or the next free one, if not given).
        token: The server's token (a random one if not given).
        browser: Open a web browser.
        session: The session folder (workspace, settings, nbgrader config) to run with.
    """
    root = Path(folder).expanduser().resolve()
    page = notebook or _default_page(root)
    command = [
        sys.executable,
        "-m",
        "jupyter",
        "lab",
        f"--ServerApp.root_dir={root}",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.open_browser={browser}",
        # The address JupyterLab prints itself lands on the index too.
        f"--LabApp.default_url=/lab/tree/{quote(page)}",
        "--LabApp.news_url=",
    ]
    if session is not None:
        command += [
            f"--LabApp.workspaces_dir={session.workspaces}",
            f"--LabApp.app_settings_dir={session.settings}",
        ]
    if port is not None:
        command.append(f"--ServerApp.port={port}")
    if token is not None:
        command.append(f"--IdentityProvider.token={token}")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    command.append(str(root / page))
    return command


def _free_port(preferred: int = 8888) -> int:
    for candidate in (preferred, 0):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", candidate))
            except OSError:
                continue
            return int(s.getsockname()[1])
    raise BookError("no free port on 127.0.0.1; give one with --port")


def _wait_for_server(server: subprocess.Popen[bytes], port: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            return False
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return True
        except OSError:
            time.sleep(0.3)
    return False


def open_lab(
    folder: str | Path,
    *,
    notebook: str | None = None,
    port: int | None = None,
    token: str | None = None,
    browser: bool = True,
    out: TextIO | None = None,
) -> int:
    """Brings ``folder``'s lessons up to date (never over a changed one), starts JupyterLab on
    it, prints the index's address once the server answers, and waits until it stops (Ctrl-C);
    returns its exit status.

    Raises:
        BookError: ``notebook`` is not in the folder, or ``folder`` is a file.
    """
    out = out or sys.stdout
    root = Path(folder).expanduser()
    copied = copy_lessons(root, keep=True)
    if copied.written or copied.kept or copied.updated:
        print(copied.format().rsplit("\n", 1)[0], file=out)
    if notebook is not None and not (root / notebook).is_file():
        raise BookError(f"{root / notebook}: no such notebook in the folder")
    page = notebook or _default_page(root.resolve())
    port = port or _free_port()
    token = token or secrets.token_hex(24)
    with lab_session() as session:
        command = lab_command(
            root, notebook=page, port=port, token=token, browser=browser, session=session
        )
        server = subprocess.Popen(command, env=session.env())

        def stop(_signum: int, _frame: FrameType | None) -> None:
            raise KeyboardInterrupt

        previous = signal.signal(signal.SIGTERM, stop)
        try:
            if _wait_for_server(server, port, timeout=120):
                what = "the lessons' index" if page == INDEX else page
                print(
                    f"\n    homs lab: open {what} at\n\n    {index_url(port, token, page)}\n\n"
                    "    Ctrl-C stops JupyterLab; your lessons stay in "
                    f"{root.resolve()}\n",
                    file=out,
                    flush=True,
                )
            return server.wait()
        except KeyboardInterrupt:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
            return 130
        finally:
            signal.signal(signal.SIGTERM, previous)
