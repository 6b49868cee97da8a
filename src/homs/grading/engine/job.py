"""One submission to grade, as the main process hands it to a worker.

Plain, picklable data: which quiz and student, where the hand-in, its source and the graded
copy are, the grade cells the gradebook expects, the course's nbgrader configuration, and the
limits. The engine never looks the course up by itself; :mod:`homs.grading.course` fills this in.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from homs.grading.engine.sandbox import Limits

__all__ = ["GradeCell", "Job"]


@dataclass(frozen=True)
class GradeCell:
    """A grade cell of the assignment as the gradebook knows it.

    Attributes:
        name: The grade_id.
        max_score: What it is worth.
        auto: True for an autograded test cell, False for a written answer marked by hand.
    """

    name: str
    max_score: float
    auto: bool


@dataclass(frozen=True)
class Job:
    """One student's hand-in of one quiz.

    Attributes:
        quiz: The quiz (nbgrader assignment) id.
        student: The student id.
        submission: The hand-in folder (``submitted/<student>/<quiz>``).
        source: The quiz's source folder (``source/<quiz>``), what the hand-in is checked
            against.
        out: Where the graded notebooks go (``autograded/<student>/<quiz>``).
        cells: The grade cells per notebook of the quiz.
        specs: The folder of quiz specs holding the quiz's key; ``None`` for the packaged ones.
        config: The course's nbgrader configuration (a traitlets ``Config``).
        db_url: The gradebook the workers may read (a snapshot when it is SQLite).
        course_id: nbgrader's course id.
        fingerprint: What the hand-in and its source hash to (see :mod:`.ledger`).
        limits: The kernel's limits.
        isolated: Run kernels in bubblewrap.
        scratch: This run's scratch folder; each worker makes its own folder in it.
        execute: Run the notebook in a sandboxed kernel for the feedback; when ``False`` the
            graded notebook gets the outputs its test cells would show, worked out from the
            answers (:mod:`.simulate`), and no code of the student's runs.
        variant: This student's version of each banked item of a quiz given in parallel forms
            (:class:`homs.grading.authoring.banks.Variant` as dicts, by item id), worked out
            by the course from its secret; ``None`` for a quiz with one form for everyone.
    """

    quiz: str
    student: str
    submission: str
    source: str
    out: str
    cells: Mapping[str, tuple[GradeCell, ...]]
    specs: str | None
    config: Any
    db_url: str
    course_id: str
    fingerprint: str
    limits: Limits
    isolated: bool
    scratch: str
    execute: bool = True
    variant: Mapping[str, Any] | None = None
