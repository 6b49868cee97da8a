"""Helpers shared by the test packages: the repository's paths, stock nbgrader, a fresh course,
its released quizzes and the students' hand-ins.

Plain functions and constants, no fixtures (the shared fixtures are in ``tests/conftest.py``).
The test folders are packages and ``tests/`` is not, so pytest puts ``tests/`` on ``sys.path``
and every test module imports this one as ``helpers``, whichever folder pytest is run on.
"""

from __future__ import annotations

import copy
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from homs import grading

#: The repository's root.
ROOT = Path(__file__).resolve().parents[1]
#: The repository's nbgrader course: nbgrader_config.py and the quizzes' source notebooks.
COURSE = ROOT / "quizzes"
#: The virtual environment's scripts (nbgrader, alembic).
BIN = Path(sys.executable).parent
#: Debian's Chromium, which every browser test drives (through Playwright).
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
#: Its launch flags: no sandbox (tests run as root in CI), no GPU, and nothing that reaches out
#: to the network on its own.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-sync",
    "--disable-background-networking",
    "--disable-component-update",
]

#: A typical hand-in, written as a student types it; stock nbgrader gives it
#: 3 + 0 + 1 + 1 + 0 + 0 + 1 + 0 = 6 of 12 (the grading tests' "partly right" student and the
#: adversarial suite's honest_partial).
TIMELINE_PARTLY_RIGHT = {
    "q1_order": 'answer_q1_order = ["clock-tower-square", "colvin-ochlik-killed", '
    '"armored-vehicles-arrive", "amos-visit", "old-city-evacuation", '
    '"waer-retaken"]',
    "q2_colvin_date": 'answer_q2_colvin_date = "2012-02-21"',
    "q3_amos_year": "answer_q3_amos_year = (\n    2012\n)",
    "q4_siege_length": "answer_q4_siege_length = 2",
    "q5_years_to_judgement": "answer_q5_years_to_judgement = 5",
    "q6_days_to_amos": "answer_q6_days_to_amos = 14",
    "q7_siege_sources": 'answer_q7_siege_sources = ["C", "B"]',
    "q8_killing_sources": 'answer_q8_killing_sources = ["B"]',
}


def venv_path() -> str:
    """``PATH`` with the virtual environment's scripts first (nbgrader shells out to alembic)."""
    return f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"


def nbgrader(
    *args: str,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    timeout: float = 600,
) -> subprocess.CompletedProcess[str]:
    """Runs a stock nbgrader command in ``cwd`` (the current directory by default), the
    virtual environment's scripts first on PATH; ``env`` adds to the environment."""
    full = {**os.environ, **(env or {}), "PATH": venv_path()}
    return subprocess.run(
        [str(BIN / "nbgrader"), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=full,
        timeout=timeout,
        check=False,
    )


def copy_course(dest: Path, *quizzes: str) -> Path:
    """A fresh course in ``dest``: the repository's config and the source notebooks of these
    quizzes (of every quiz when none is named)."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy(COURSE / "nbgrader_config.py", dest)
    ignore = shutil.ignore_patterns(".ipynb_checkpoints")
    if not quizzes:
        shutil.copytree(COURSE / "source", dest / "source", ignore=ignore)
    for quiz in quizzes:
        shutil.copytree(COURSE / "source" / quiz, dest / "source" / quiz, ignore=ignore)
    return dest


def variant_course(
    dest: Path, quiz: str, students: Sequence[str], secret: str | None = None
) -> Path:
    """A fresh course in ``dest`` giving ``quiz`` in parallel forms (``c.Homs.variants``) to
    ``students`` (in the gradebook), its source notebook built for variants, not yet released.
    ``secret`` fixes the course secret (so the forms are the same in every run); without it,
    release makes one."""
    from homs.grading.course import variants
    from homs.grading.course.release import build

    course = copy_course(dest, quiz)
    with (course / "nbgrader_config.py").open("a") as out:
        out.write(f"\nc.Homs.variants = [{quiz!r}]\n")
    if secret is not None:
        path = course / variants.SECRET
        path.parent.mkdir(parents=True)
        path.write_text(secret + "\n")
        path.chmod(0o600)
    for student in students:
        done = nbgrader("db", "student", "add", student, cwd=course)
        assert done.returncode == 0, done.stderr[-2000:]
    build(course)
    return course


def release_with_nbgrader(course: Path, *quizzes: str) -> dict[str, dict[str, Any]]:
    """Releases each quiz with stock ``nbgrader generate_assignment`` in the course; returns
    each quiz's released notebook (as students get it), by quiz name."""
    for quiz in quizzes:
        done = nbgrader("generate_assignment", quiz, cwd=course)
        assert done.returncode == 0, done.stderr[-3000:]
    return {
        quiz: json.loads((course / "release" / quiz / f"{quiz}.ipynb").read_text("utf-8"))
        for quiz in quizzes
    }


def grade_id(cell: Mapping[str, Any]) -> str | None:
    """A cell's nbgrader grade_id, if any."""
    return cell["metadata"].get("nbgrader", {}).get("grade_id")


def index_of(nb: Mapping[str, Any], name: str) -> int:
    """The index of the cell with this grade_id."""
    return [grade_id(c) for c in nb["cells"]].index(name)


def answered(release: Mapping[str, Any], answers: Mapping[str, str]) -> dict[str, Any]:
    """A copy of a quiz notebook whose answer cells hold the given code (item id -> source)."""
    nb = copy.deepcopy(dict(release))
    for item_id, source in answers.items():
        nb["cells"][index_of(nb, f"{item_id}_answer")]["source"] = source
    return nb


def key_answers(quiz: grading.Quiz) -> dict[str, str]:
    """Every autograded item answered with its key, as a student would type it."""
    return {i.id: f"{i.variable} = {grading.literal(i.key)}" for i in quiz.items if not i.written}


def write_answer(nb: dict[str, Any], item_id: str, text: str) -> None:
    """Writes a written answer in the Markdown cell after the item's task cell."""
    nb["cells"][index_of(nb, item_id) + 1]["source"] = text


def hand_in(course: Path, quiz: str, student: str, nb: Mapping[str, Any]) -> Path:
    """Puts a student's notebook where nbgrader collects it: submitted/<student>/<quiz>/."""
    folder = course / "submitted" / student / quiz
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{quiz}.ipynb"
    path.write_text(json.dumps(nb, indent=1), "utf-8")
    return path
