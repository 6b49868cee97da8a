"""The nbgrader preprocessors of homs: two sanitizing fixes, and the feedback's explanations.

Two keep one student's copied or deleted cells from failing a batch.
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

The third, :class:`ExplainAnswers`, is what :func:`homs.grading.feedback` adds to nbgrader's
``GenerateFeedback`` right after ``GetGrades``: after each item a student did not get fully
right, a Markdown cell with the answer, why, and the cited sentences
(:func:`homs.grading.authoring.explain.explanation`); in a quiz given in parallel forms, under
each printed banked question the student had another form of, that student's own version
(:func:`homs.grading.authoring.build.version_text`). To get the same from the stock
``nbgrader generate_feedback``, list it in the course's ``nbgrader_config.py``::

    c.GenerateFeedback.preprocessors = [
        "nbgrader.preprocessors.GetGrades",
        "homs.grading.course.preprocessors.ExplainAnswers",
        "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
    ]

This module imports nbgrader; ``import homs`` and ``import homs.grading`` do not load it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from nbformat.v4 import new_markdown_cell
from nbgrader import utils
from nbgrader.api import Gradebook, MissingEntry
from nbgrader.preprocessors import DeduplicateIds as _DeduplicateIds
from nbgrader.preprocessors import NbGraderPreprocessor
from nbgrader.preprocessors import OverwriteCells as _OverwriteCells
from traitlets import List, Unicode

from homs.errors import DataError
from homs.grading.authoring.banks import apply
from homs.grading.authoring.build import version_text
from homs.grading.authoring.explain import explanation
from homs.grading.authoring.spec import load_quiz
from homs.grading.course.variants import enabled, variants_for

__all__ = ["MARK", "VERSION", "DeduplicateIds", "ExplainAnswers", "OverwriteCells"]

#: The cell metadata key marking an inserted explanation (``{"homs": {"explains": item id}}``).
MARK = "explains"
#: The cell metadata key marking a student's own version of a banked item, inserted under the
#: printed question (``{"homs": {"version_of": item id}}``).
VERSION = "version_of"


class DeduplicateIds(_DeduplicateIds):
    """Like nbgrader's, but an extra copy of a cell loses its nbgrader metadata entirely."""

    def preprocess_cell(self, cell: Any, resources: Any, cell_index: int) -> tuple[Any, Any]:
        """Keeps the last cell with each grade_id; earlier copies become ordinary cells."""
        if not (utils.is_grade(cell) or utils.is_solution(cell) or utils.is_locked(cell)):
            return cell, resources
        grade_id = cell.metadata.nbgrader.get("grade_id")
        if grade_id in self.grade_ids:
            self.log.warning(
                "Cell with id '%s' exists multiple times! Keeping the last copy; "
                "the others are graded as ordinary cells.",
                grade_id,
            )
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
            self.log.warning(
                "Missing grade cell %s encountered, adding to notebook", grade_cell.name
            )
            position = order.index(grade_cell.name)
            insert_at = 0
            for earlier in reversed(order[:position]):
                if earlier in present:
                    insert_at = present[earlier] + 1
                    break
            cell = self.missing_cell_transform(
                source_cells[position],
                grade_cell.max_score,
                is_solution=grade_cell.name in solution_ids,
            )
            nb.cells.insert(insert_at, cell)
        return nb, resources


class ExplainAnswers(NbGraderPreprocessor):
    """After each item not fully right, a Markdown cell: the answer, why, the cited sentences.
    In a quiz given in parallel forms, under the printed question of each banked item the
    student had another form of, a Markdown cell with that student's own version of it."""

    # As in nbgrader's GetGrades: nbconvert's HTML exporter configures this for every
    # preprocessor, and traitlets warns about a configured option that is not configurable.
    display_data_priority = List(
        [
            "text/html",
            "application/pdf",
            "text/latex",
            "image/svg+xml",
            "image/png",
            "image/jpeg",
            "text/plain",
        ],
        help="Unused here; declared so nbconvert's exporter config applies cleanly.",
    ).tag(config=True)

    specs = Unicode(
        "",
        help="A folder of quiz specs (a teacher's own quizzes); empty for the packaged ones.",
    ).tag(config=True)

    course = Unicode(
        "",
        help="The course root, to explain each student's own version of a quiz given in "
        "parallel forms (c.Homs.variants); set by homs feedback.",
    ).tag(config=True)

    def preprocess(self, nb: Any, resources: Any) -> tuple[Any, Any]:
        """Inserts the explanations; leaves the notebook alone if the quiz has no spec."""
        info = resources["nbgrader"]
        try:
            quiz = load_quiz(info["assignment"], Path(self.specs) if self.specs else None)
        except DataError as err:
            self.log.warning("No explanations for %s: %s", info["assignment"], err)
            return nb, resources
        versions: set[str] = set()  # the banked items this student had another form of
        if self.course and quiz.pools and enabled(Path(self.course), quiz.id):
            # The student's own version of each banked item, recomputed from the secret.
            chosen = variants_for(Path(self.course), quiz, info["student"])[0]
            quiz = apply(quiz, chosen)
            versions = {i for i, v in chosen.items() if int(v["form"]) != 0}
        items = {item.id: item for item in quiz.items}
        with Gradebook(info["db_url"]) as gb:
            try:
                notebook = gb.find_submission_notebook(
                    info["notebook"], info["assignment"], info["student"]
                )
            except MissingEntry:
                self.log.warning(
                    "No grades for %s/%s: no explanations added",
                    info["student"],
                    info["assignment"],
                )
                return nb, resources
            grades = {
                g.name: (g.score, g.max_score)
                for g in notebook.grades
                if g.manual_score is not None or g.auto_score is not None
            }
        cells: list[Any] = []
        pending: tuple[int, Any] | None = None  # (index to insert after, cell) for written items
        for cell in nb.cells:
            cells.append(cell)
            if pending is not None:
                # A written item's explanation goes after the student's answer (the next cell)
                # unless that is already another nbgrader cell.
                at, note = pending
                if "nbgrader" in cell.metadata:
                    cells.insert(at, note)
                else:
                    cells.append(note)
                pending = None
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
            asked = (grade_id or "").removesuffix("_question")
            if asked != grade_id and asked in versions:
                # Under the printed (base) question, the student's own version of it.
                own = items[asked]
                cells.append(
                    new_markdown_cell(version_text(own), metadata={"homs": {VERSION: own.id}})
                )
                continue
            item = items.get(grade_id)
            if item is None or grade_id not in grades:
                continue
            if not (utils.is_grade(cell) or utils.is_task(cell)):
                continue
            score, max_score = grades[grade_id]
            if score >= max_score:
                continue
            note = new_markdown_cell(
                explanation(item, score, max_score), metadata={"homs": {MARK: item.id}}
            )
            if item.written:
                pending = (len(cells), note)
            else:
                cells.append(note)
        if pending is not None:
            cells.append(pending[1])
        nb.cells = cells
        return nb, resources
