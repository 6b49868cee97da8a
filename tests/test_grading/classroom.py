"""Helpers for simulating a class: a fresh course, students' notebooks, stock nbgrader commands.

Shared by the round trip (test_roundtrip.py) and the teacher's commands' tests (the
``graded_course`` fixture in conftest.py); plain functions, no fixtures.
"""

from __future__ import annotations

import copy
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from homs import grading

from .conftest import COURSE, answer_cell_index

BIN = Path(sys.executable).parent

#: Typical hand-ins, written as students type them; their scores are what stock nbgrader gives.
#: Timeline, partly right: 4 + 0 + 1 + 1 + 0 + 0 + 1 + 0 = 7 of 12.
TIMELINE_PARTLY_RIGHT = {
    "q1_order": 'answer_q1_order = ["clock-tower-square", "colvin-ochlik-killed", '
                '"armored-vehicles-arrive", "amos-visit", "old-city-evacuation", '
                '"waer-retaken"]',
    "q2_colvin_date": 'answer_q2_colvin_date = "2012-02-21"',
    "q3_amos_year": "answer_q3_amos_year = (\n    2012\n)",
    "q4_siege_length": "answer_q4_siege_length = 2",
    "q5_years_to_judgement": "answer_q5_years_to_judgement = 6",
    "q6_days_to_amos": "answer_q6_days_to_amos = 14",
    "q7_siege_sources": 'answer_q7_siege_sources = ["C", "B"]',
    "q8_killing_sources": 'answer_q8_killing_sources = ["B"]',
}
#: Timeline, wrong types (a string for a number, a float, a string for a list): 1 of 12.
TIMELINE_WRONG_TYPES = {
    "q2_colvin_date": 'answer_q2_colvin_date = "22 February 2012"',
    "q3_amos_year": 'answer_q3_amos_year = "2012"',
    "q4_siege_length": "answer_q4_siege_length = 2.0",
    "q7_siege_sources": 'answer_q7_siege_sources = "B, C"',
    "q8_killing_sources": 'answer_q8_killing_sources = ["A", "B"]',
}
#: Discrepancies, partly right: 2 + 1 + 0 + 1 + 1 + 0 = 5 of 9 automatic points.
DISCREPANCIES_PARTLY_RIGHT = {
    "q1_claims": 'answer_q1_claims = ["C", "A", "C", "B"]',
    "q2_population_odd_one_out": 'answer_q2_population_odd_one_out = "A"',
    "q3_bombardment_type": 'answer_q3_bombardment_type = "different-framing"',
    "q4_death_toll_type": 'answer_q4_death_toll_type = "omission"',
    "q5_dependent_sources": 'answer_q5_dependent_sources = ["C", "B"]',
    "q6_waer_reuse": 'answer_q6_waer_reuse = "C-30"',
}


def nbgrader(*args: str) -> subprocess.CompletedProcess[str]:
    """Runs a stock nbgrader command in the current directory, .venv/bin first on PATH."""
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    return subprocess.run([str(BIN / "nbgrader"), *args], capture_output=True, text=True,
                          env=env, timeout=600, check=False)


def copy_course(dest: Path) -> Path:
    """A fresh course in ``dest``: the repository's config and source notebooks only."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy(COURSE / "nbgrader_config.py", dest)
    shutil.copytree(COURSE / "source", dest / "source",
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    return dest


def grade_id(cell: Mapping[str, Any]) -> str | None:
    """A cell's nbgrader grade_id, if any."""
    return cell["metadata"].get("nbgrader", {}).get("grade_id")


def index_of(nb: Mapping[str, Any], name: str) -> int:
    """The index of the cell with this grade_id."""
    return [grade_id(c) for c in nb["cells"]].index(name)


def answered(release: Mapping[str, Any], answers: Mapping[str, str]) -> dict[str, Any]:
    """A student's copy of the release with these answer cells (item id -> code)."""
    nb = copy.deepcopy(dict(release))
    for item_id, source in answers.items():
        nb["cells"][answer_cell_index(nb, item_id)]["source"] = source
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
