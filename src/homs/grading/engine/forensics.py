"""Reading a handed-in notebook as evidence: is it a notebook, what did the student change.

Nothing here runs the student's code. The file is read as bytes and parsed as JSON
(:func:`read_submission`); nbgrader cells re-typed by the student get their source's type back
before the answers are read (:func:`restore_types`); what was deleted, copied, re-labelled,
re-typed or re-configured is described in words for the teacher (:func:`tampering`); and a
fingerprint of the hand-in and its source tells a re-run whether anything changed
(:func:`fingerprint`). Imports nothing from ``homs``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

__all__ = ["fingerprint", "read_submission", "restore_types", "tampering"]


def fingerprint(folder: Path, source: Path) -> str:
    """A hash of the submitted files and of the source notebooks they are graded against."""
    digest = hashlib.sha256()
    for base in (folder, source):
        for path in sorted(p for p in base.rglob("*") if p.is_file()):
            digest.update(str(path.relative_to(base)).encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def read_submission(path: Path) -> tuple[dict[str, Any] | None, str | None]:
    """The notebook as a dictionary, or ``None`` and what is wrong with the file."""
    if not path.is_file():
        return None, "missing notebook"
    data = path.read_bytes()
    if not data.strip():
        return None, "unreadable notebook: the file is empty"
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        return None, f"unreadable notebook: not UTF-8 text (byte {err.start})"
    try:
        nb = json.loads(text)
    except json.JSONDecodeError as err:
        return None, f"unreadable notebook: invalid JSON at line {err.lineno} (truncated?)"
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
        return None, "unreadable notebook: not a Jupyter notebook (no list of cells)"
    return nb, None


def restore_types(nb: dict[str, Any] | None, source: Mapping[str, Any]) -> dict[str, Any] | None:
    """A copy in which nbgrader cells have their source's cell type again, as nbgrader's
    OverwriteCells restores them, so an answer cell turned into Markdown is still read."""
    if nb is None:
        return None
    kinds = {}
    for cell in source.get("cells", []):
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if grade_id:
            kinds[grade_id] = cell.get("cell_type")
    restored = dict(nb)
    cells = []
    for cell in nb.get("cells", []):
        meta = cell.get("metadata") if isinstance(cell, Mapping) else None
        info = meta.get("nbgrader") if isinstance(meta, Mapping) else None
        grade_id = info.get("grade_id") if isinstance(info, Mapping) else None
        if grade_id in kinds and cell.get("cell_type") != kinds[grade_id]:
            cell = {**cell, "cell_type": kinds[grade_id]}
        cells.append(cell)
    restored["cells"] = cells
    return restored


def tampering(nb: Mapping[str, Any], source: Mapping[str, Any]) -> list[str]:
    """What the student changed in the nbgrader cells, in words, for the teacher."""

    def graded(notebook: Mapping[str, Any]) -> list[tuple[str, Mapping[str, Any], str]]:
        found = []
        for cell in notebook.get("cells", []):
            if not isinstance(cell, Mapping):
                continue
            meta = cell.get("metadata", {})
            meta = meta.get("nbgrader") if isinstance(meta, Mapping) else None
            if isinstance(meta, Mapping) and meta.get("grade_id"):
                found.append((str(meta["grade_id"]), meta, str(cell.get("cell_type"))))
        return found

    theirs, ours = graded(nb), graded(source)
    expected = {gid: (meta, kind) for gid, meta, kind in ours}
    names = [gid for gid, _, _ in theirs]
    notes = []
    missing = [gid for gid in expected if gid not in names]
    if missing:
        notes.append(f"cells deleted (restored): {', '.join(missing)}")
    copies = sorted({gid for gid in names if names.count(gid) > 1})
    if copies:
        notes.append(f"cells duplicated: {', '.join(copies)}")
    extra = [gid for gid in dict.fromkeys(names) if gid not in expected]
    if extra:
        notes.append(f"cells added or re-labelled (ignored): {', '.join(extra)}")
    order = [gid for gid in dict.fromkeys(names) if gid in expected]
    if order != [gid for gid in expected if gid in order]:
        notes.append("cells reordered")
    changed = set()
    retyped = set()
    for gid, meta, kind in theirs:
        if gid not in expected:
            continue
        want, want_kind = expected[gid]
        if kind != want_kind:
            retyped.add(gid)
        for key in ("points", "grade", "solution", "locked", "task", "schema_version"):
            if meta.get(key) != want.get(key):
                changed.add(f"{gid}.{key}")
    if retyped:
        notes.append(f"cell types changed (restored): {', '.join(sorted(retyped))}")
    if changed:
        notes.append(f"nbgrader metadata changed (restored): {', '.join(sorted(changed))}")
    if nb.get("metadata", {}).get("kernelspec") != source.get("metadata", {}).get("kernelspec"):
        notes.append("kernelspec changed (ignored: the grader's own kernel ran)")
    return notes
