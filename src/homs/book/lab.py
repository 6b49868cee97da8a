"""``homs lab DIR``: JupyterLab on a folder of lessons (the command copies the lessons there
first if the folder has none: :func:`has_lessons`, :func:`homs.book.copy_lessons`).

JupyterLab starts with the folder as its root, the file browser showing the lessons, and the
first lesson open (or the notebook given). As root (a container, CI), ``--allow-root`` is added,
as ``make lab`` does.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from homs.book.files import BookError, lesson_files

__all__ = ["has_lessons", "lab_command", "open_lab"]


def has_lessons(folder: str | Path) -> bool:
    """Whether ``folder`` holds lesson notebooks."""
    root = Path(folder).expanduser()
    return root.is_dir() and any(root.glob("[0-9][0-9]-*.ipynb"))


def lab_command(
    folder: str | Path,
    *,
    notebook: str | None = None,
    port: int | None = None,
    token: str | None = None,
    browser: bool = True,
) -> list[str]:
    """The command that starts JupyterLab on ``folder``, opening ``notebook`` (the first
    lesson by default).

    Args:
        folder: The folder of lessons, the server's root.
        notebook: The file to open, relative to ``folder``.
        port: The port (JupyterLab's default, 8888 or the next free one, if not given).
        token: The server's token (a random one if not given).
        browser: Open a web browser.
    """
    root = Path(folder).expanduser().resolve()
    first = notebook or lesson_files()[0].name
    command = [
        sys.executable,
        "-m",
        "jupyter",
        "lab",
        f"--ServerApp.root_dir={root}",
        f"--ServerApp.open_browser={browser}",
    ]
    if port is not None:
        command.append(f"--ServerApp.port={port}")
    if token is not None:
        command.append(f"--IdentityProvider.token={token}")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    command.append(str(root / first))
    return command


def open_lab(
    folder: str | Path,
    *,
    notebook: str | None = None,
    port: int | None = None,
    token: str | None = None,
    browser: bool = True,
) -> int:
    """Starts JupyterLab on ``folder`` and waits until it stops (Ctrl-C); returns its exit
    status.

    Raises:
        BookError: The folder holds no lessons, or ``notebook`` is not in it.
    """
    root = Path(folder).expanduser()
    if not has_lessons(root):
        raise BookError(f"{root}: no lessons here; copy them first with: homs lessons {root}")
    if notebook is not None and not (root / notebook).is_file():
        raise BookError(f"{root / notebook}: no such notebook in the folder")
    command = lab_command(root, notebook=notebook, port=port, token=token, browser=browser)
    try:
        return subprocess.call(command)
    except KeyboardInterrupt:
        return 130
