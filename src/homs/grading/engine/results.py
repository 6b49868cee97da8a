"""What grading a class produces: one result per item, per submission, and for the whole run.

Plain data (frozen dataclasses), pickled between the workers and the main process and written to
the ledger; imports nothing from ``homs``.
"""

from __future__ import annotations

from dataclasses import dataclass

from homs._text import plural, printable

__all__ = ["AutogradeSummary", "ItemResult", "SubmissionResult"]


@dataclass(frozen=True)
class ItemResult:
    """One grade cell of one submission.

    Attributes:
        grade_id: The nbgrader grade cell id of the item's test cell.
        score: The automatic score: the out-of-process verdict.
        max_score: The points the item is worth.
        kernel_score: What nbgrader's ``determine_grade`` makes of the executed cell; ``None``
            when the notebook was not executed.
        answer: The student's answer as written (a literal), ``None`` if missing or unreadable.
        message: Why the answer is wrong or unreadable, if it is.
    """

    grade_id: str
    score: float | None
    max_score: float
    kernel_score: float | None = None
    answer: str | None = None
    message: str | None = None


@dataclass(frozen=True)
class SubmissionResult:
    """How one student's submission of one quiz went.

    ``status`` is one of :attr:`STATUSES`. Every status but ``grading failed`` is a decision
    about the hand-in and is recorded in the ledger; ``grading failed`` (a worker that died, an
    error in the grader) is not, so the next run grades the submission again.
    """

    STATUSES = (
        "graded",
        "unchanged (skipped)",
        "grading failed",
        "refused",
        "missing notebook",
        "unreadable notebook",
        "timed out",
        "kernel died",
        "not executed",
    )

    student: str
    quiz: str
    status: str
    notes: tuple[str, ...]
    items: tuple[ItemResult, ...]
    score: float
    max_score: float
    seconds: float


@dataclass
class AutogradeSummary:
    """The outcome of :func:`homs.grading.autograde` for a whole class."""

    quiz: str
    results: list[SubmissionResult]
    isolated: bool
    warning: str | None
    workers: int
    seconds: float
    per_worker: int = 2
    executed: bool = True

    def result(self, student: str, quiz: str | None = None) -> SubmissionResult:
        """The result for one student (of ``quiz``, when several quizzes were graded)."""
        for r in self.results:
            if r.student == student and quiz in (None, r.quiz):
                return r
        raise KeyError(f"no submission of {quiz or self.quiz!r} by {student!r} was autograded")

    def table(self) -> str:
        """The per-student status table as plain text."""
        several = len({r.quiz for r in self.results}) > 1
        rows = [("student", "status", "score", "notes")]
        for r in sorted(self.results, key=lambda r: (r.student, r.quiz)):
            # Student ids, cell ids and file names are chosen by students: no control characters.
            notes = printable("; ".join(r.notes)) if r.notes else ""
            who = printable(f"{r.student} ({r.quiz})" if several else r.student)
            rows.append((who, r.status, f"{r.score:g}/{r.max_score:g}", notes))
        widths = [max(len(row[i]) for row in rows) for i in range(3)]
        lines = [
            "  ".join(cell.ljust(width) for cell, width in zip(row[:3], widths, strict=True))
            + ("  " + row[3] if row[3] else "")
            for row in rows
        ]
        lines.insert(1, "  ".join("-" * w for w in widths))
        if self.executed:
            how = (
                f"up to {self.per_worker} students at a time each; "
                f"sandbox: {'bubblewrap' if self.isolated else 'resource limits only'}"
            )
        else:
            how = "answers read as data, no student code run"
        head = (
            f"homs autograde {self.quiz}: {plural(len(self.results), 'submission')} in "
            f"{self.seconds:.1f} s with {plural(self.workers, 'worker')}, {how}"
        )
        out = [head, *lines]
        if self.warning:
            out.append(self.warning)
        return "\n".join(out)
