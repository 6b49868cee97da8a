"""Two nbgrader preprocessors that keep one student's copied or deleted cells from failing a batch.

``quizzes/nbgrader_config.py`` puts them in ``Autograde.sanitize_preprocessors`` in place of
nbgrader's own, so the stock ``nbgrader autograde`` benefits too. Both fix nbgrader 0.9.6
behaviour (see jupyter/nbgrader#1083):

* :class:`DeduplicateIds`: when a student copies a cell, nbgrader keeps the last copy's metadata
  and sets the others' to ``{}``, which later fails metadata validation ("old version of the
  nbgrader metadata format"), aborting the whole autograde run, or, with
  ``OverwriteCells.add_missing_cells``, that student's notebook (``KeyError: 'grade_id'``). Here the
  extra copies simply stop being nbgrader cells.
* :class:`OverwriteCells`: with ``add_missing_cells``, nbgrader puts a deleted grade cell back
  after the cell before it in the source notebook, and fails (``KeyError``) when that cell was
  deleted too. Here it goes after the nearest earlier source cell still present.

This module imports nbgrader; ``import homs`` and ``import homs.grading`` do not load it.
"""

from __future__ import annotations

from typing import Any

from nbgrader import utils
from nbgrader.preprocessors import DeduplicateIds as _DeduplicateIds
from nbgrader.preprocessors import OverwriteCells as _OverwriteCells

from homs.grading._explain import ExplainAnswers

__all__ = ["DeduplicateIds", "ExplainAnswers", "OverwriteCells"]


class DeduplicateIds(_DeduplicateIds):
    """Like nbgrader's, but an extra copy of a cell loses its nbgrader metadata entirely."""

    def preprocess_cell(self, cell: Any, resources: Any, cell_index: int) -> tuple[Any, Any]:
        """Keeps the last cell with each grade_id; earlier copies become ordinary cells."""
        if not (utils.is_grade(cell) or utils.is_solution(cell) or utils.is_locked(cell)):
            return cell, resources
        grade_id = cell.metadata.nbgrader.get("grade_id")
        if grade_id in self.grade_ids:
            self.log.warning("Cell with id '%s' exists multiple times! Keeping the last copy; "
                             "the others are graded as ordinary cells.", grade_id)
            del cell.metadata["nbgrader"]
        else:
            self.grade_ids.add(grade_id)
        return cell, resources


class OverwriteCells(_OverwriteCells):
    """Like nbgrader's, but a deleted grade cell is restored even if its neighbour was deleted."""

    def add_missing_grade_cells(self, nb: Any, resources: Any) -> tuple[Any, Any]:
        """Puts each missing grade cell back after the nearest earlier source cell present."""
        source_nb = self.gradebook.find_notebook(self.notebook_id, self.assignment_id)
        source_cells = list(source_nb.source_cells)
        order = [cell.name for cell in source_cells]
        solution_ids = {cell.name for cell in source_nb.solution_cells}
        for grade_cell in source_nb.grade_cells:
            present = {
                cell.metadata["nbgrader"].get("grade_id"): index
                for index, cell in enumerate(nb.cells)
                if "nbgrader" in cell.metadata
            }
            if grade_cell.name in present:
                continue
            self.log.warning("Missing grade cell %s encountered, adding to notebook",
                             grade_cell.name)
            position = order.index(grade_cell.name)
            insert_at = 0
            for earlier in reversed(order[:position]):
                if earlier in present:
                    insert_at = present[earlier] + 1
                    break
            cell = self.missing_cell_transform(source_cells[position], grade_cell.max_score,
                                               is_solution=grade_cell.name in solution_ids)
            nb.cells.insert(insert_at, cell)
        return nb, resources
