"""The autograde ledger: what was graded, from which files, with what result.

A re-run of ``homs autograde`` skips a submission whose files (and source) hash to what the
ledger recorded, and reports the recorded result. For a quiz given in parallel forms the
student's version (its forms and keys) is part of that hash (:func:`with_variant`), so a changed
course secret or roster at release grades the hand-in again. The ledger lives in the course, in
``.homs/autograde/<quiz>/<student>.json``. May import :mod:`.results`.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import asdict
from pathlib import Path
from typing import Any

from homs.grading.engine.results import ItemResult, SubmissionResult

__all__ = ["LEDGER", "ledger_path", "record", "unchanged", "with_variant"]

#: The ledger's folder, relative to the course root.
LEDGER = Path(".homs") / "autograde"


_PLAIN = re.compile(r"[A-Za-z0-9_.@+-]{1,100}")


def ledger_path(course: Path, quiz: str, student: str) -> Path:
    """Where one student's record of one quiz is kept: named after the student, or after a
    hash of the id when the id is long or holds characters a file name should not."""
    name = student if _PLAIN.fullmatch(student) and not student.startswith(".") else None
    if name is None:
        name = "id-" + hashlib.sha256(student.encode("utf-8", "surrogatepass")).hexdigest()
    return course / LEDGER / quiz / f"{name}.json"


def with_variant(fingerprint: str, variant: Mapping[str, Any] | None) -> str:
    """The fingerprint of a hand-in graded against a student's own version of the banked items
    (the fingerprint itself when the quiz has no versions)."""
    if variant is None:
        return fingerprint
    version = json.dumps(variant, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(f"{fingerprint}\0{version}".encode()).hexdigest()


def record(course: Path, result: SubmissionResult, fingerprint: str) -> None:
    """Records a result and the fingerprint of the files it was graded from; a result whose
    grading failed is not recorded, so that the next run grades it again."""
    path = ledger_path(course, result.quiz, result.student)
    if result.status == "grading failed":
        path.unlink(missing_ok=True)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        json.dumps({"fingerprint": fingerprint, "result": asdict(result)}, indent=1), "utf-8"
    )


def unchanged(course: Path, quiz: str, student: str, fingerprint: str) -> SubmissionResult | None:
    """The recorded result, if this submission was graded before exactly as it is now."""
    ledger = ledger_path(course, quiz, student)
    if not ledger.is_file():
        return None
    try:
        recorded = json.loads(ledger.read_text("utf-8"))
        if recorded.get("fingerprint") != fingerprint:
            return None
        old = recorded["result"]
        if old.get("student") != student or old.get("status") == "grading failed":
            return None
        return SubmissionResult(
            student,
            quiz,
            "unchanged (skipped)",
            tuple(old["notes"]),
            tuple(ItemResult(**i) for i in old["items"]),
            old["score"],
            old["max_score"],
            0.0,
        )
    except (ValueError, KeyError, TypeError, AttributeError):
        return None  # a damaged record (cut short, edited): grade the submission again
