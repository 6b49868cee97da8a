"""Grading one submission inside a worker process: verdict, forensics, the graded notebook.

:func:`grade` is what the pool (:mod:`.pool`) runs for each job: it reads the hand-in
(:mod:`.forensics`), decides the score from the answers read as data (:mod:`.scoring`), then
writes the graded notebook for the feedback: with the outputs its test cells would show, worked
out from the answers (:mod:`.simulate`, no kernel), or, when the job says so, by sanitizing and
executing it in the sandbox (:mod:`.execute`). The
worker's own state (its scratch folder and kernel zygote) lives here, one per worker process.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from homs.grading.authoring.banks import apply
from homs.grading.authoring.checks import literal
from homs.grading.authoring.spec import Quiz, load_quiz
from homs.grading.engine import cgroups
from homs.grading.engine.execute import (
    compare,
    compile_nbgrader_schemas,
    copy_assignment_files,
    execute,
    kernel_scores,
)
from homs.grading.engine.forensics import (
    read_submission,
    refusal,
    restore_types,
    source_markers,
    tampering,
)
from homs.grading.engine.job import GradeCell, Job
from homs.grading.engine.pool import Slot
from homs.grading.engine.results import ItemResult, SubmissionResult
from homs.grading.engine.sandbox import Zygote, limit_worker_memory
from homs.grading.engine.sanitize import harmless, sanitize
from homs.grading.engine.scoring import Verdict, grade_notebook
from homs.grading.engine.simulate import simulate

__all__ = ["close_worker", "grade", "item_results"]

#: Files of the hand-in nbgrader's autograde keeps beside the graded notebook: the submission
#: time, and the exchange's secret that nbgrader's release of feedback checks.
_KEPT = ("timestamp.txt", "submission_secret.txt")

#: The first of the unprivileged user ids kernels run as (one per place in the pool).
FIRST_UID = 60000


async def grade(job: Job, slot: Slot) -> tuple[SubmissionResult, dict[str, list[dict[str, Any]]]]:
    """Grades one student's submission (runs in a worker process, beside others)."""
    import nbformat

    compile_nbgrader_schemas()

    started = time.perf_counter()
    folder = Path(job.submission)
    source_folder = Path(job.source)
    out = Path(job.out)
    notes: list[str] = []
    statuses: list[str] = []
    per_notebook: dict[str, list[dict[str, Any]]] = {}
    expected = {f"{name}.ipynb" for name in job.cells} | set(_KEPT)
    extra = (
        sorted(p.name for p in folder.iterdir() if p.name not in expected)
        if folder.is_dir()
        else []
    )
    if extra:
        notes.append(f"extra files ignored: {', '.join(extra)}")
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    for kept in _KEPT:  # as nbgrader's autograde keeps them, if they are plain files
        path = folder / kept
        if refusal(path, folder.parent.parent) is None and path.is_file():
            shutil.copy(path, out / kept)
    scratch = Path(tempfile.mkdtemp(prefix="job-", dir=_scratch(job)))
    scratch.chmod(0o755)
    try:
        for name in job.cells:
            nb_dict, problem = read_submission(folder / f"{name}.ipynb", folder.parent.parent)
            if problem:
                statuses.append(problem.split(":")[0])
                notes.append(f"{name}.ipynb: {problem}")
            source = json.loads((source_folder / f"{name}.ipynb").read_text("utf-8"))
            items, more, verdicts = item_results(
                restore_types(nb_dict, source), job, job.cells[name]
            )
            notes += more
            if nb_dict is not None:
                notes += tampering(nb_dict, source)
                markers = source_markers(nb_dict)
                if markers:
                    notes.append(
                        f"{name}.ipynb holds the source notebook's markers ({', '.join(markers)}): "
                        "it may be a copy of the key; check it (FLAGGED)"
                    )
                if job.execute:
                    workdir = scratch / "work" / name
                    workdir.mkdir(parents=True)
                    workdir.parent.chmod(0o755)
                    copy_assignment_files(source_folder, workdir)
                    uid = FIRST_UID + slot.number
                    group = _kernel_group(job, slot, notes)
                    try:
                        zygote = _zygote(job, notes, uid) if job.isolated else None
                        graded, status = await execute(
                            job, name, nb_dict, workdir, notes, uid=uid, zygote=zygote, group=group
                        )
                    finally:
                        if group is not None:
                            _close_kernel_group(group, job, notes)
                else:
                    graded, _ = sanitize(job, name, nb_dict, out, notes)
                    status = None if graded is not None else "not executed"
                    if graded is not None:
                        simulate(graded, _quiz(job), verdicts)
                if status:
                    statuses.append(status)
                if graded is not None:
                    kernel = kernel_scores(graded)
                    items = [compare(item, kernel, notes) for item in items]
                    harmless(graded, job.config)
                    nbformat.write(graded, out / f"{name}.ipynb")
            per_notebook[name] = [asdict(item) for item in items]
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    all_items = tuple(ItemResult(**item) for items in per_notebook.values() for item in items)
    status = next((s for s in SubmissionResult.STATUSES if s in statuses), "graded")
    result = SubmissionResult(
        job.student,
        job.quiz,
        status,
        tuple(notes),
        all_items,
        sum(i.score or 0.0 for i in all_items),
        sum(i.max_score for i in all_items if i.score is not None),
        time.perf_counter() - started,
    )
    return result, per_notebook


def item_results(
    nb: Mapping[str, Any] | None, job: Job, cells: Sequence[GradeCell]
) -> tuple[list[ItemResult], list[str], dict[str, Verdict]]:
    """Scores every grade cell from the notebook read as data (the out-of-process verdict).

    Returns:
        One result per grade cell, notes for the teacher, and the verdict on each item.
    """
    spec = _quiz(job)
    verdicts = {v.item.id: v for v in grade_notebook(nb, spec)} if nb is not None else {}
    results, notes = [], []
    for cell in cells:
        if not cell.auto:
            results.append(ItemResult(cell.name, None, cell.max_score))
            continue
        verdict = verdicts.get(cell.name)
        if verdict is None:
            if nb is not None:
                notes.append(f"{cell.name} has no key in homs; scored 0")
            results.append(ItemResult(cell.name, 0.0, cell.max_score))
            continue
        answer = verdict.answer
        shown = None
        if answer.status == "ok":
            try:
                shown = literal(answer.value)
            except TypeError:
                shown = repr(answer.value)
        message = verdict.problem or (answer.message if answer.status != "ok" else None)
        score = min(float(verdict.points or 0.0), cell.max_score)
        results.append(ItemResult(cell.name, score, cell.max_score, None, shown, message))
    return results, notes, verdicts


def _quiz(job: Job) -> Quiz:
    """The quiz this student answered: the spec's, with their own version of each banked item
    when the quiz is given in parallel forms."""
    spec = load_quiz(job.quiz, folder=Path(job.specs) if job.specs else None)
    return apply(spec, job.variant) if job.variant else spec


#: This worker process's scratch folder and zygote. A worker grades a few students at a time
#: on one asyncio loop, in one thread: CPython 3.11's ast module is not thread-safe.
_WORKER: dict[str, Any] = {}


def _scratch(job: Job) -> Path:
    """This worker's private scratch folder (the files of the students it grades live in it)."""
    if "scratch" not in _WORKER:
        root = Path(tempfile.mkdtemp(prefix="worker-", dir=job.scratch))
        root.chmod(0o755)
        _WORKER["scratch"] = root
    return _WORKER["scratch"]


def close_worker() -> None:
    """Stops this worker's zygote, removes its scratch folder and its control groups (the
    worker is done)."""
    zygote = _WORKER.pop("zygote", None)
    if zygote is not None:
        zygote.close()
    scratch = _WORKER.pop("scratch", None)
    if scratch is not None:
        shutil.rmtree(scratch, ignore_errors=True)
    found, base = _WORKER.pop("cgroups", (None, None))
    if found is not None and base is not None:
        # Out of the worker's own group, back where it was, so that the groups can go.
        for parent in found.folders:
            with contextlib.suppress(OSError):
                (parent / "cgroup.procs").write_text(str(os.getpid()))
        base.remove(wait=2.0)


def _cgroups(job: Job) -> tuple[cgroups.Cgroups | None, cgroups.Group | None]:
    """This worker's folder of control groups (made on first use, with the worker's own group
    limiting its memory), or ``(None, None)`` where none can be made."""
    if "cgroups" not in _WORKER:
        found = cgroups.find()
        base = None
        if found.version:
            base = found.group(f"homs-{os.getpid()}")
            try:
                base.make(memory=None, processes=None)
                own = cgroups.Group(found.version, base.memory / "worker", base.pids / "worker")
                own.make(memory=job.limits.worker_memory_bytes, processes=None)
                own.join()
            except OSError as err:
                # Said in each result (below): sandbox_status, in the main process, saw a
                # usable hierarchy and so cannot know.
                _WORKER["cgroups_error"] = str(err)
                base.remove(wait=1.0)
                found, base = None, None
        if base is None:
            limit_worker_memory(job.limits.worker_memory_bytes)
        _WORKER["cgroups"] = (found, base)
    return _WORKER["cgroups"]


def _kernel_group(job: Job, slot: Slot, notes: list[str]) -> cgroups.Group | None:
    """A new control group for one kernel, with its memory and process limits; ``None`` where
    control groups cannot be made (``sandbox_status`` says so in the summary)."""
    found, base = _cgroups(job)
    if found is None or base is None:
        if "cgroups_error" in _WORKER:
            notes.append(
                f"no control groups in this worker ({_WORKER['cgroups_error']}): only "
                "per-process limits applied"
            )
        return None
    _WORKER["kernels"] = count = _WORKER.get("kernels", 0) + 1
    name = f"k-{slot.number}-{count}"
    group = cgroups.Group(found.version, base.memory / name, base.pids / name)
    try:
        group.make(memory=job.limits.kernel_memory_bytes, processes=job.limits.processes)
    except OSError as err:
        notes.append(f"no control group for the kernel ({err}): only per-process limits applied")
        return None
    return group


def _close_kernel_group(group: cgroups.Group, job: Job, notes: list[str]) -> None:
    """Says whether the kernel ran out of memory, and removes its control group."""
    if group.out_of_memory():
        notes.append(
            "memory limit reached: the kernel's processes together used over "
            f"{job.limits.kernel_memory_bytes >> 20} MiB (files in its folder included)"
        )
    if not group.remove():
        notes.append(f"the kernel's control group could not be removed: {group.memory}")


def _zygote(job: Job, notes: list[str], uid: int) -> Zygote | None:
    """This worker's kernel zygote, started and checked on first use; ``None`` if it cannot
    start or cannot fork here (the worker then starts one sandbox per kernel)."""
    zygote = _WORKER.get("zygote")
    if zygote is not None and zygote.process.poll() is None:
        return zygote
    if _WORKER.get("zygote_failed"):
        return None
    _, base = _cgroups(job)
    try:
        zygote = Zygote(_scratch(job), base.folders if base is not None else ())
    except OSError as err:
        _WORKER["zygote_failed"] = True
        notes.append(f"kernel zygote unavailable ({err}); one sandbox per kernel instead")
        return None
    if not _zygote_can_fork(zygote, uid, job, notes):
        zygote.close()
        return None
    _WORKER["zygote"] = zygote
    return zygote


def _zygote_can_fork(zygote: Zygote, uid: int, job: Job, notes: list[str]) -> bool:
    """Checks once per worker that the zygote can fork a sandboxed process here; if it cannot
    (no right to make namespaces, say), this worker falls back to one sandbox per kernel."""
    if "zygote_checked" in _WORKER:
        return bool(_WORKER["zygote_checked"])
    probe = Path(tempfile.mkdtemp(prefix="probe-", dir=_scratch(job)))
    probe.chmod(0o755)
    try:
        if os.getuid() == 0:
            os.chown(probe, uid, uid)
        # Every step of a kernel's start but the kernel itself: it prints its version and exits.
        kernel = zygote.spawn(str(probe / "none.json"), probe, uid, job.limits, ["--version"])
        kernel.wait(timeout=30)
        _WORKER["zygote_checked"] = True
    except (OSError, subprocess.TimeoutExpired) as err:
        _WORKER["zygote_checked"] = False
        _WORKER["zygote_failed"] = True
        notes.append(f"kernel zygote cannot fork here ({err}); one sandbox per kernel instead")
    finally:
        shutil.rmtree(probe, ignore_errors=True)
    return bool(_WORKER["zygote_checked"])
