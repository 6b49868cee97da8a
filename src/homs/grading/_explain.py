"""The nbgrader preprocessor that :func:`homs.grading.feedback` adds to ``GenerateFeedback``.

It imports nbgrader, so it is loaded only when feedback is generated. To get the same
explanations from the stock ``nbgrader generate_feedback``, list it in the course's
``nbgrader_config.py`` after ``GetGrades``::

    c.GenerateFeedback.preprocessors = [
        "nbgrader.preprocessors.GetGrades",
        "homs.grading.preprocessors.ExplainAnswers",
        "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
    ]
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from nbformat.v4 import new_markdown_cell
from nbgrader import utils
from nbgrader.api import Gradebook, MissingEntry
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import List, Unicode

from homs.errors import DataError
from homs.grading._feedback import MARK, explanation
from homs.grading._spec import load_quiz

__all__ = ["ExplainAnswers"]


class ExplainAnswers(NbGraderPreprocessor):
    """After each item not fully right, a Markdown cell: the answer, why, the cited sentences."""

    # As in nbgrader's GetGrades: nbconvert's HTML exporter configures this for every
    # preprocessor, and traitlets warns about a configured option that is not configurable.
    display_data_priority = List(
        ["text/html", "application/pdf", "text/latex", "image/svg+xml", "image/png",
         "image/jpeg", "text/plain"],
        help="Unused here; declared so nbconvert's exporter config applies cleanly.",
    ).tag(config=True)

    specs = Unicode(
        "",
        help="A folder of quiz specs (a teacher's own quizzes); empty for the packaged ones.",
    ).tag(config=True)

    def preprocess(self, nb: Any, resources: Any) -> tuple[Any, Any]:
        """Inserts the explanations; leaves the notebook alone if the quiz has no spec."""
        info = resources["nbgrader"]
        try:
            quiz = load_quiz(info["assignment"], Path(self.specs) if self.specs else None)
        except DataError as err:
            self.log.warning("No explanations for %s: %s", info["assignment"], err)
            return nb, resources
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
