"""The feedback's marks not given yet: written answers a teacher has not marked.

nbgrader's ``GetGrades`` gives an unmarked written answer the score 0, and its feedback page
shows "Score: 0.0 / 3.0", as if the answer had been marked wrong. :class:`MarkPending` runs
right after it (:func:`homs.grading.course.feedback.feedback` puts it there) and tags each such
cell ``unmarked`` in its nbgrader metadata, and counts them in the resources, so that homs's
feedback template says "not yet marked" instead.

This module imports nbgrader; ``import homs.grading`` does not load it.
"""

from __future__ import annotations

from typing import Any

from nbgrader import utils
from nbgrader.api import Gradebook, MissingEntry
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import List

__all__ = ["MarkPending"]


class MarkPending(NbGraderPreprocessor):
    """Tags the cells whose mark is still to be given (``metadata.nbgrader.unmarked``)."""

    display_data_priority = List(
        ["text/html", "application/pdf", "text/latex", "image/svg+xml", "image/png", "text/plain"],
        help="Unused here; declared so nbconvert's exporter config applies cleanly.",
    ).tag(config=True)

    def preprocess(self, nb: Any, resources: Any) -> tuple[Any, Any]:
        """Tags unmarked cells; ``resources["nbgrader"]["unmarked"]`` holds their points."""
        info = resources["nbgrader"]
        with Gradebook(info["db_url"]) as gb:
            try:
                notebook = gb.find_submission_notebook(
                    info["notebook"], info["assignment"], info["student"]
                )
            except MissingEntry:
                return nb, resources
            waiting = {
                g.name: float(g.max_score)
                for g in notebook.grades
                if g.manual_score is None and g.auto_score is None
            }
        points = 0.0
        for cell in nb.cells:
            if not (utils.is_grade(cell) or utils.is_task(cell)):
                continue
            grade_id = cell.metadata["nbgrader"].get("grade_id")
            if grade_id in waiting:
                cell.metadata["nbgrader"]["unmarked"] = True
                points += waiting[grade_id]
        info["unmarked"] = points
        return nb, resources
