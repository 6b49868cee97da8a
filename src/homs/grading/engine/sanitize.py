"""Restoring a hand-in's graded cells with nbgrader's own sanitizing preprocessors.

The course's ``Autograde.sanitize_preprocessors`` (stock nbgrader's list, or the one the
course's ``nbgrader_config.py`` sets) run on the hand-in exactly as ``nbgrader autograde`` runs
them: outputs cleared, duplicated ids and re-labelled cells undone, the kernelspec and every
graded cell put back from the source. Nothing of the student's runs here. May import
:mod:`.job`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from homs.grading.engine.job import Job

__all__ = ["harmless", "resources_for", "sanitize"]


def resources_for(job: Job, name: str, workdir: Path) -> dict[str, Any]:
    """The nbconvert resources nbgrader's preprocessors expect for one notebook of a job."""
    return {
        "unique_key": name,
        "output_files_dir": f"{name}_files",
        "metadata": {"path": str(workdir)},
        "nbgrader": {
            "student": job.student,
            "assignment": job.quiz,
            "notebook": name,
            "db_url": job.db_url,
            "course_id": job.course_id,
        },
    }


def sanitize(
    job: Job, name: str, nb_dict: dict[str, Any], workdir: Path, notes: list[str]
) -> tuple[Any | None, dict[str, Any]]:
    """The hand-in as an nbformat notebook with its graded cells restored, or ``None`` (and a
    note saying why) when nbgrader cannot restore it; the batch goes on either way."""
    import nbformat
    from nbgrader.converters.autograde import Autograde
    from traitlets.utils.importstring import import_item

    config = job.config
    resources = resources_for(job, name, workdir)
    if nb_dict.get("nbformat") != 4:
        notes.append(f"nbformat {nb_dict.get('nbformat')!r} is not 4: not executed")
        return None, resources
    try:
        nb = nbformat.reads(json.dumps(nb_dict), as_version=4)
        sanitizers = (
            config.Autograde.get("sanitize_preprocessors")
            or Autograde.sanitize_preprocessors.default_value
        )
        for entry in sanitizers:
            cls = import_item(entry) if isinstance(entry, str) else entry
            nb, resources = cls(config=config).preprocess(nb, resources)
    except Exception as err:  # a broken submission must not stop the batch
        notes.append(
            "nbgrader could not restore this notebook's graded cells, so it was not run for "
            f"feedback; the score comes from the answers ({type(err).__name__}: {err})"
        )
        return None, resources
    return nb, resources


def harmless(nb: Any, config: Any) -> Any:
    """The graded notebook with nothing a student wrote able to run in a teacher's page.

    The formgrader and the feedback render this notebook as HTML on the teacher's (and the
    student's) authenticated Jupyter origin. nbconvert's own ``SanitizeHTML`` preprocessor (bleach,
    with the course's configuration) cleans every Markdown and raw cell the student could edit
    (``<img onerror=...>``, ``<script>``) and every code cell's outputs (HTML cleaned, JavaScript
    and SVG removed); the teacher's locked cells, put back from the source by nbgrader, are left
    as they are.
    """
    from nbconvert.preprocessors.sanitize import SanitizeHTML

    cleaner = SanitizeHTML(config=config)
    for index, cell in enumerate(nb.cells):
        locked = cell.get("metadata", {}).get("nbgrader", {}).get("locked", False)
        if cell.get("cell_type") in ("markdown", "raw") and locked:
            continue
        cleaner.preprocess_cell(cell, {}, index)
    return nb
