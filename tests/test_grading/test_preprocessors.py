"""Tests for homs.grading.course.preprocessors, the fixes the course config gives stock nbgrader."""

from __future__ import annotations

import copy

import nbformat
from nbgrader.nbgraderformat import MetadataValidator

from homs.grading.course.preprocessors import DeduplicateIds


def test_copied_cells_become_ordinary_cells() -> None:
    """Of cells sharing a grade_id the last keeps it; the copies lose their nbgrader metadata."""
    meta = {
        "nbgrader": {
            "grade": False,
            "grade_id": "q1_x_answer",
            "locked": False,
            "schema_version": 3,
            "solution": True,
        }
    }
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell("answer_q1_x = 1", metadata=copy.deepcopy(meta)),
        nbformat.v4.new_code_cell("answer_q1_x = 2", metadata=copy.deepcopy(meta)),
        nbformat.v4.new_markdown_cell("text"),
    ]
    nb, _ = DeduplicateIds().preprocess(nb, {})
    assert "nbgrader" not in nb.cells[0].metadata
    assert nb.cells[1].metadata.nbgrader.grade_id == "q1_x_answer"
    MetadataValidator().validate_nb(nb)  # stock nbgrader's version would fail here
