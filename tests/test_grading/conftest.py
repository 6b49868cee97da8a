"""Fixtures for the grading tests: the quizzes, notebooks and a student's answers."""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest

from homs import grading

ROOT = Path(__file__).resolve().parents[2]
COURSE = ROOT / "quizzes"


@pytest.fixture(scope="session")
def quizzes() -> dict[str, grading.Quiz]:
    """Every quiz, loaded from its spec and the knowledge base."""
    return {name: grading.load_quiz(name) for name in grading.quiz_names()}


@pytest.fixture(scope="session")
def timeline(quizzes: dict[str, grading.Quiz]) -> grading.Quiz:
    """The timeline quiz."""
    return quizzes["timeline"]


def answer_cell_index(nb: Mapping[str, Any], item_id: str) -> int:
    """The index of an item's answer cell."""
    for index, cell in enumerate(nb["cells"]):
        if cell["metadata"].get("nbgrader", {}).get("grade_id") == f"{item_id}_answer":
            return index
    raise KeyError(item_id)


def with_answers(nb: Mapping[str, Any], answers: Mapping[str, str]) -> dict[str, Any]:
    """A copy of a quiz notebook whose answer cells hold the given code (item id -> source)."""
    out = copy.deepcopy(dict(nb))
    for item_id, source in answers.items():
        out["cells"][answer_cell_index(out, item_id)]["source"] = source
    return out


@pytest.fixture(scope="session")
def source_notebook() -> Callable[[str], dict[str, Any]]:
    """Reads a committed source notebook (the key) by quiz name."""

    import nbformat

    def read(name: str) -> dict[str, Any]:
        return dict(nbformat.read(grading.source_path(COURSE, name), as_version=4))

    return read
