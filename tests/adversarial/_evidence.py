"""What the adversarial suite looks at after a run: files, the gradebook, a network canary.

Shared by the slow test module and by ``_stock.py`` (the same cases against stock nbgrader).
"""

from __future__ import annotations

import hashlib
import json
import re
import socket
import sqlite3
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ._craft import QUIZ, SUCCESS, Context, Submission

__all__ = [
    "Canary",
    "canary",
    "changed_files",
    "gradebook_problems",
    "gradebook_scores",
    "host_addresses",
    "outputs_text",
    "pwned_files",
    "snapshot",
    "successes",
    "tree",
    "write_submission",
]

# The parts of a course a student must never change.
GUARDED = ("submitted", "source", "release", "nbgrader_config.py")


def write_submission(course: Path, student: str, submission: Submission) -> Path:
    """Hands in a submission: submitted/<student>/timeline/timeline.ipynb and extra files."""
    folder = course / "submitted" / student / QUIZ
    folder.mkdir(parents=True)
    (folder / f"{QUIZ}.ipynb").write_bytes(submission.notebook)
    for name, data in submission.files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return folder


def snapshot(course: Path) -> dict[str, str]:
    """SHA-256 of every file a student must not change (relative path -> digest)."""
    out = {}
    for name in GUARDED:
        top = course / name
        paths = [top] if top.is_file() else sorted(p for p in top.rglob("*") if p.is_file())
        for path in paths:
            out[str(path.relative_to(course))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def changed_files(before: Mapping[str, str], after: Mapping[str, str]) -> dict[str, str]:
    """Files changed, added or removed between two snapshots (path -> what happened)."""
    out = {}
    for path in sorted(set(before) | set(after)):
        if path not in after:
            out[path] = "removed"
        elif path not in before:
            out[path] = "added"
        elif before[path] != after[path]:
            out[path] = "changed"
    return out


def tree(course: Path) -> dict[str, str]:
    """SHA-256 of every file in the course but the gradebook (relative path -> digest)."""
    return {
        str(p.relative_to(course)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(course.rglob("*"))
        if p.is_file() and ".db" not in p.name
    }


def pwned_files(course: Path, before: Mapping[str, str]) -> dict[str, str]:
    """Files an attack wrote or created (``PWNED`` in the name or the text) since ``before``
    (a :func:`tree`), except in the attacker's own autograded folder: path -> the marker."""
    found = {}
    after = tree(course)
    for rel, digest in after.items():
        if before.get(rel) == digest:
            continue
        path = course / rel
        text = path.read_bytes()[:8_000_000].decode("utf-8", "replace")
        markers = set(re.findall(r"PWNED[:-](adv_[a-z0-9_]+)", path.name + "\n" + text))
        if "PWNED" in path.name or '"pwned"' in text:
            markers.add(path.name)
        parts = Path(rel).parts
        if parts[0] == "autograded" and len(parts) > 1:
            markers.discard(parts[1])
            markers = {m for m in markers if not m.startswith("PWNED-" + parts[1])}
        if markers:
            found[rel] = ", ".join(sorted(markers))
    return found


def outputs_text(notebook: Path) -> str:
    """All output text of an executed notebook ('' if it is missing or unreadable)."""
    try:
        nb = json.loads(notebook.read_text("utf-8"))
    except (OSError, ValueError):
        return ""
    chunks = []
    for cell in nb.get("cells", []):
        for out in cell.get("outputs", []) or []:
            text = out.get("text") or out.get("data", {}).get("text/plain") or ""
            chunks.append("".join(text) if isinstance(text, list) else str(text))
            if out.get("output_type") == "error":
                chunks.append(f"{out.get('ename')}: {out.get('evalue')}")
    return "\n".join(chunks)


def successes(notebook: Path) -> list[str]:
    """The lines where an attack says it got something (``HOMS-ADV-SUCCESS ...``)."""
    return [line.strip()[:300] for line in outputs_text(notebook).splitlines() if SUCCESS in line]


def gradebook_problems(
    db: Path,
    *,
    students: set[str],
    grade_cells: Mapping[str, float],
    canaries: tuple[str, ...] = ("PWNED",),
) -> list[str]:
    """Everything wrong with a gradebook after a run (empty when it is intact).

    Args:
        db: The SQLite gradebook.
        students: The students who may appear in it.
        grade_cells: The timeline quiz's grade cells and their points.
        canaries: Strings no row may contain.
    """
    if not db.is_file():
        return [f"{db}: no gradebook"]
    problems = []
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        (check,) = con.execute("PRAGMA integrity_check").fetchone()
        if check != "ok":
            problems.append(f"integrity_check: {check}")
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        expected = {
            "alembic_version",
            "assignment",
            "base_cell",
            "comment",
            "course",
            "grade",
            "grade_cells",
            "notebook",
            "solution_cells",
            "source_cell",
            "student",
            "submitted_assignment",
            "submitted_notebook",
            "task_cells",
        }
        if tables - expected:
            problems.append(f"unexpected tables: {sorted(tables - expected)}")
        extra = {r[0] for r in con.execute("SELECT id FROM student")} - students
        if extra:
            problems.append(f"unexpected students: {sorted(extra)}")
        assignments = {r[0] for r in con.execute("SELECT name FROM assignment")}
        if assignments != {QUIZ}:
            problems.append(f"assignments: {sorted(assignments)}")
        cells = dict(
            con.execute(
                "SELECT b.name, g.max_score FROM grade_cells g JOIN base_cell b ON b.id = g.id"
            )
        )
        if cells != dict(grade_cells):
            problems.append(f"grade cells and points: {cells}")
        odd = con.execute(
            "SELECT s.student_id, b.name, g.manual_score, g.extra_credit FROM grade g "
            "JOIN submitted_notebook n ON n.id = g.notebook_id "
            "JOIN submitted_assignment s ON s.id = n.assignment_id "
            "JOIN base_cell b ON b.id = g.cell_id "
            "WHERE g.manual_score IS NOT NULL OR g.extra_credit IS NOT NULL"
        ).fetchall()
        if odd:
            problems.append(f"manual scores or extra credit nobody gave: {odd[:5]}")
        for table in tables:
            for row in con.execute(f'SELECT * FROM "{table}"'):
                text = " ".join(str(v) for v in row)
                for canary_text in canaries:
                    if canary_text in text:
                        problems.append(f"{table} holds {canary_text!r}: {text[:200]}")
    finally:
        con.close()
    return problems


def gradebook_scores(db: Path) -> dict[str, dict[str, float | None]]:
    """student -> grade cell -> auto_score, read straight from the gradebook's tables."""
    out: dict[str, dict[str, float | None]] = {}
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        rows = con.execute(
            "SELECT s.student_id, b.name, g.auto_score FROM grade g "
            "JOIN submitted_notebook n ON n.id = g.notebook_id "
            "JOIN submitted_assignment s ON s.id = n.assignment_id "
            "JOIN base_cell b ON b.id = g.cell_id"
        ).fetchall()
    finally:
        con.close()
    for student, name, score in rows:
        out.setdefault(student, {})[name] = score
    return out


@dataclass
class Canary:
    """A TCP listener on every address of this machine; any connection is a leak."""

    port: int
    hosts: tuple[str, ...]
    connections: list[tuple[str, bytes]] = field(default_factory=list)


def host_addresses() -> tuple[str, ...]:
    """Where the canary listens: loopback only. A kernel in the sandbox has its own empty
    network namespace, so even 127.0.0.1 (the grader's) is out of its reach."""
    return ("127.0.0.1",)


@contextmanager
def canary() -> Iterator[Canary]:
    """Runs a :class:`Canary` for the duration of the block."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    server.settimeout(0.5)
    found = Canary(server.getsockname()[1], host_addresses())
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, addr = server.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(2)
                try:
                    data = conn.recv(200)
                except OSError:
                    data = b""
            found.connections.append((addr[0], data))

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield found
    finally:
        stop.set()
        thread.join(5)
        server.close()


def context_for(course: Path, release: Mapping[str, Any], trap: Canary, secret: str) -> Context:
    """What the attackers know about this course."""
    return Context(
        release=release,
        course=course.resolve(),
        canary_hosts=trap.hosts,
        canary_port=trap.port,
        secret=secret,
    )
