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
import stat
from collections.abc import Mapping
from pathlib import Path
from typing import Any

__all__ = [
    "SOURCE_MARKERS",
    "fingerprint",
    "read_submission",
    "refusal",
    "restore_types",
    "source_markers",
    "tampering",
]


def fingerprint(folder: Path, source: Path) -> str:
    """A hash of the submitted files and of the source notebooks they are graded against."""
    digest = hashlib.sha256()
    for base in (folder, source):
        for path in sorted(p for p in base.rglob("*") if p.is_file()):
            digest.update(str(path.relative_to(base)).encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def refusal(path: Path, within: Path | None = None) -> str | None:
    """Why ``path`` is not a file the student could have written, or ``None`` if it is one.

    Only regular files are graded: not a symbolic link (to the source notebook, a classmate's
    hand-in, anything), not a hard link (a second name of a file that exists elsewhere, such as
    the source notebook), not a folder, FIFO or device; and no folder between ``within`` and the
    file may be a link either. Archives and exchanges can carry links, so this is checked on
    every hand-in.
    """
    for parent in reversed(path.parents):
        if within is not None and not parent.is_relative_to(within):
            continue
        if within is not None and parent == within.parent:
            continue
        if parent.is_symlink():
            return f"refused: the folder {parent.name} is a link, not a folder the student wrote"
    try:
        info = path.lstat()
    except FileNotFoundError:
        return None
    if stat.S_ISLNK(info.st_mode):
        return "refused: the hand-in is a link to another file, not a file the student wrote"
    if not stat.S_ISREG(info.st_mode):
        return "refused: the hand-in is not a regular file"
    if info.st_nlink > 1:
        return (
            "refused: the hand-in is a hard link (a second name of a file kept elsewhere), not "
            "a file the student wrote"
        )
    return None


#: Text only the source notebook holds: a hand-in that carries it was copied from the source.
SOURCE_MARKERS = ("### BEGIN SOLUTION", "### BEGIN HIDDEN TESTS", "BEGIN MARK SCHEME")


def source_markers(nb: Mapping[str, Any]) -> list[str]:
    """The source notebook's solution and hidden-test markers found in a hand-in."""
    found = set()
    for cell in nb.get("cells", []):
        if not isinstance(cell, Mapping):
            continue
        source = cell.get("source")
        text = (
            "".join(p for p in source if isinstance(p, str))
            if isinstance(source, list)
            else source
            if isinstance(source, str)
            else ""
        )
        found.update(m for m in SOURCE_MARKERS if m in text)
    return sorted(found)


def read_submission(
    path: Path, within: Path | None = None
) -> tuple[dict[str, Any] | None, str | None]:
    """The notebook as a dictionary, or ``None`` and what is wrong with the file.

    Args:
        path: The handed-in notebook.
        within: The course's ``submitted/`` folder: no folder below it on the way to the
            notebook may be a link.
    """
    refused = refusal(path, within)
    if refused:
        return None, refused
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
    except RecursionError:
        return None, "unreadable notebook: its JSON is nested too deeply"
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
