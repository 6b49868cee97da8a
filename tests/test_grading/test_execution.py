"""The quiz notebooks run in a fresh kernel; with the key every test passes."""

from __future__ import annotations

from typing import Any

import nbformat
import pytest
from nbclient import NotebookClient

from helpers import COURSE
from homs import grading

pytestmark = pytest.mark.slow


def execute(nb: Any) -> None:
    """Executes a notebook in a fresh kernel (errors kept as outputs)."""
    NotebookClient(nb, timeout=60, kernel_name="python3", allow_errors=True).execute()


@pytest.mark.parametrize("name", grading.quiz_names())
def test_the_key_passes_every_test_cell(name: str) -> None:
    """With the key no cell fails, each test cell says the answer is recorded, and
    partial-credit cells output full points."""
    quiz = grading.load_quiz(name)
    nb = nbformat.read(grading.source_path(COURSE, name), as_version=4)
    execute(nb)
    outputs: dict[str, list[Any]] = {
        c.metadata["nbgrader"]["grade_id"]: c.outputs
        for c in nb.cells
        if c.cell_type == "code" and "nbgrader" in c.metadata
    }
    for item in quiz.items:
        if item.written:
            continue
        out = outputs[item.id]
        assert not [o for o in out if o.output_type == "error"], (item.id, out)
        printed = [o.text for o in out if o.output_type == "stream"]
        assert printed == [item.checks.recorded + "\n"], (item.id, out)
        results = [o for o in out if o.output_type == "execute_result"]
        if item.checks.partial:
            assert [float(o.data["text/plain"]) for o in results] == [item.points]
        else:
            assert results == []


def test_a_blank_quiz_tells_the_student_what_to_do() -> None:
    """With the answers still "...", each test cell fails with "not answered yet"."""
    quiz = grading.load_quiz("timeline")
    nb = nbformat.read(grading.source_path(COURSE, "timeline"), as_version=4)
    for cell in nb.cells:  # what generate_assignment does to the answer and test cells
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution"):
            item_id = meta["grade_id"].removesuffix("_answer")
            cell.source = f"answer_{item_id} = (\n    ...  # YOUR ANSWER HERE\n)"
        if meta.get("grade"):
            cell.source = cell.source.split("### BEGIN HIDDEN TESTS")[0]
    execute(nb)
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade"):
            item = quiz.item(cell.metadata["nbgrader"]["grade_id"])
            (error,) = cell.outputs
            assert error.ename == "Problem"  # homs_checks.Problem: an AssertionError shown alone
            assert error.evalue.startswith(f"{item.label}: not answered yet")
