"""Grading a batch of submissions in parallel workers, with results back in the main process.

:func:`grade_batch` hands the jobs to the pool (:mod:`.pool`), where :func:`.worker.grade` grades
each one; every result comes back here, to the caller's ``record`` callback, as it arrives, so
that one process alone writes the gradebook. A job whose grading failed or whose worker died
comes back as a zero result saying why. The run's scratch folder and its progress bar live here.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from homs._text import printable
from homs.grading.engine import pool
from homs.grading.engine.job import Job
from homs.grading.engine.results import ItemResult, SubmissionResult
from homs.grading.engine.worker import close_worker, grade

__all__ = ["KERNELS_PER_WORKER", "Graded", "grade_batch", "run_folder"]

#: Submissions each worker grades at the same time: while one kernel computes, the worker
#: drives the other (see :mod:`.pool`).
KERNELS_PER_WORKER = 2

#: What grading one job gives: the result, and the items of each notebook as dictionaries.
Graded = tuple[SubmissionResult, dict[str, list[dict[str, Any]]]]


def grade_batch(
    jobs: Sequence[Job],
    *,
    workers: int,
    record: Callable[[Job, Graded], None],
    progress: str | None = None,
    per_worker: int = KERNELS_PER_WORKER,
) -> None:
    """Grades ``jobs`` in ``workers`` processes; calls ``record`` here for each, as it ends.

    Args:
        jobs: The submissions to grade.
        workers: Worker processes; each grades :data:`KERNELS_PER_WORKER` at a time.
        record: Called in this process with each job and what grading it gave (a zero result
            saying why, when grading failed).
        progress: A title for a progress bar on stderr; none when ``None``.
        per_worker: Submissions each worker grades at the same time (more than one only helps
            while kernels run: a worker drives one while another computes).
    """
    bar: _Progress | None = None

    def done(job: Job, graded: Graded) -> None:
        record(job, graded)
        if bar:
            bar.advance(graded[0])

    def start_bar() -> None:
        nonlocal bar
        bar = _Progress(len(jobs), progress) if progress else None  # a thread: after the fork

    try:
        pool.run(
            jobs,
            grade,
            close_worker,
            workers=workers,
            per_worker=per_worker,
            done=done,
            lost=lambda job, why: done(job, _lost(job, why)),
            started=start_bar,
        )
    finally:
        if bar:
            bar.close()


@contextlib.contextmanager
def run_folder() -> Iterator[Path]:
    """A scratch folder for one autograde run: the gradebook snapshot and one folder per worker.
    The main process removes it at the end, whatever happened to the workers."""
    # Not under /tmp: each kernel gets a private /tmp, which would hide it.
    base = Path("/var/tmp")
    if not (base.is_dir() and os.access(base, os.W_OK)):
        base = Path.home() / ".cache" / "homs"
        base.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="homs-autograde-", dir=base))
    folder.chmod(0o700)  # private: it holds a copy of the gradebook
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _lost(job: Job, why: str) -> tuple[SubmissionResult, dict[str, list[dict[str, Any]]]]:
    """A zero result for a submission whose grading failed, saying why."""
    per_notebook = {
        name: [asdict(ItemResult(c.name, 0.0 if c.auto else None, c.max_score)) for c in cells]
        for name, cells in job.cells.items()
    }
    items = tuple(ItemResult(**i) for items in per_notebook.values() for i in items)
    result = SubmissionResult(
        job.student,
        job.quiz,
        "grading failed",
        (f"{why}; not recorded as graded: run the same command again to grade it",),
        items,
        0.0,
        sum(i.max_score for i in items if i.score is not None),
        0.0,
    )
    return result, per_notebook


@dataclass
class _Progress:
    """A progress bar on stderr (rich), one line per finished student."""

    total: int
    title: str
    _bar: Any = field(default=None, init=False)
    _task: Any = field(default=None, init=False)

    def __post_init__(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

        self._bar = Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=Console(stderr=True),
            transient=False,
        )
        self._bar.start()
        self._task = self._bar.add_task(self.title, total=self.total)

    def advance(self, result: SubmissionResult) -> None:
        self._bar.console.print(
            f"  {printable(result.student):<20} {result.status:<20} "
            f"{result.score:g}/{result.max_score:g}",
            markup=False,
            highlight=False,
        )
        self._bar.advance(self._task)

    def close(self) -> None:
        self._bar.stop()
