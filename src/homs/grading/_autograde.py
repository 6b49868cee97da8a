"""Autograding a class: in parallel, sandboxed, resumable, with one writer to the gradebook.

The course is a stock nbgrader course and stays one: submissions are read from
``submitted/<student>/<quiz>/``, executed notebooks are written to ``autograded/<student>/<quiz>/``
and grades land in nbgrader's gradebook (any ``db_url``), so ``nbgrader generate_feedback``,
``nbgrader export`` and the formgrader work on the result unchanged.

How one submission is graded (in a worker process, which grades
:data:`KERNELS_PER_WORKER` submissions at a time on one asyncio loop; see
:mod:`homs.grading._pool`):

1. The notebook is read as bytes and parsed as JSON; an empty, truncated, non-UTF-8 or
   non-notebook file gets a clear status and zero, and the batch goes on.
2. **The score is decided here, outside the student's process**: the answers are read as data
   (``ast.literal_eval`` of each answer cell's assignment) and checked against the key.
3. The notebook is sanitized with nbgrader's own preprocessors (those configured in
   ``Autograde.sanitize_preprocessors``) and executed with nbgrader's ``Execute`` preprocessor in a
   sandboxed kernel (:mod:`homs.grading._sandbox`), for the student's feedback; the execution is
   awaited, so the worker drives another student's kernel meanwhile. What the kernel's outputs
   would score (nbgrader's ``determine_grade``) is compared with the verdict; a difference is
   reported to the teacher and never raises the score.

The main process is the only writer to the gradebook: it records each result as it arrives.
A re-run skips submissions whose files have not changed since they were graded, unless forced.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import os
import shutil
import subprocess
import tempfile
import threading
import time
import warnings
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from homs.grading import _pool
from homs.grading._answers import GradingError
from homs.grading._pool import Slot
from homs.grading._sandbox import Limits, kernel_manager, sandbox_status

__all__ = ["AutogradeSummary", "ItemResult", "SubmissionResult", "autograde"]

LEDGER = Path(".homs") / "autograde"
#: Submissions each worker grades at the same time: while one kernel computes, the worker
#: drives the other (see :mod:`homs.grading._pool`).
KERNELS_PER_WORKER = 2


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
    """How one student's submission of one quiz went."""

    STATUSES = (
        "graded",
        "unchanged (skipped)",
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
    """The outcome of :func:`autograde` for a whole class."""

    quiz: str
    results: list[SubmissionResult]
    isolated: bool
    warning: str | None
    workers: int
    seconds: float

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
            notes = "; ".join(r.notes) if r.notes else ""
            who = f"{r.student} ({r.quiz})" if several else r.student
            rows.append((who, r.status, f"{r.score:g}/{r.max_score:g}", notes))
        widths = [max(len(row[i]) for row in rows) for i in range(3)]
        lines = [
            "  ".join(cell.ljust(width) for cell, width in zip(row[:3], widths, strict=True))
            + ("  " + row[3] if row[3] else "")
            for row in rows
        ]
        lines.insert(1, "  ".join("-" * w for w in widths))
        head = (
            f"homs autograde {self.quiz}: {len(self.results)} submission(s) in "
            f"{self.seconds:.1f} s with {self.workers} worker(s), up to {KERNELS_PER_WORKER} "
            "students at a time each; "
            f"sandbox: {'bubblewrap' if self.isolated else 'resource limits only'}"
        )
        out = [head, *lines]
        if self.warning:
            out.append(self.warning)
        return "\n".join(out)


# ----------------------------------------------------------------------------- course access


@cache
def _load_config(course: str) -> Any:
    """The course's nbgrader configuration, as a stock nbgrader command would load it."""
    from homs.grading._course import config

    return config(course)


@dataclass(frozen=True)
class _Cell:
    """A grade cell of the assignment as the gradebook knows it."""

    name: str
    max_score: float
    auto: bool


@dataclass(frozen=True)
class _Job:
    course: str
    quiz: str
    student: str
    cells: Mapping[str, tuple[_Cell, ...]]  # grade cells per notebook of the quiz
    db_url: str
    course_id: str
    fingerprint: str
    limits: Limits
    isolated: bool
    scratch: str  # this run's scratch folder; each worker makes its own folder in it


def _fingerprint(folder: Path, source: Path) -> str:
    """A hash of the submitted files and of the source notebooks they are graded against."""
    digest = hashlib.sha256()
    for base in (folder, source):
        for path in sorted(p for p in base.rglob("*") if p.is_file()):
            digest.update(str(path.relative_to(base)).encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _ledger_path(course: Path, quiz: str, student: str) -> Path:
    return course / LEDGER / quiz / f"{student}.json"


# ----------------------------------------------------------------------------- the worker


def _item_results(
    nb: Mapping[str, Any] | None, quiz: str, cells: Sequence[_Cell]
) -> tuple[list[ItemResult], list[str]]:
    """Scores every grade cell from the notebook read as data (the out-of-process verdict)."""
    from homs.grading._checks import literal
    from homs.grading._practice import grade_notebook
    from homs.grading._spec import load_quiz

    spec = load_quiz(quiz)
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
    return results, notes


def _read(path: Path) -> tuple[dict[str, Any] | None, str | None]:
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


def _restore_types(nb: dict[str, Any] | None, source: Mapping[str, Any]) -> dict[str, Any] | None:
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


def _tampering(nb: Mapping[str, Any], source: Mapping[str, Any]) -> list[str]:
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


async def _execute(
    job: _Job, name: str, nb_dict: dict[str, Any], workdir: Path, notes: list[str], slot: Slot
) -> tuple[Any | None, str | None]:
    """Sanitizes with nbgrader's preprocessors and executes in the sandbox.

    Returns:
        The executed notebook (or ``None``) and a status word when execution did not finish.
    """
    import nbformat
    from nbclient.exceptions import CellTimeoutError, DeadKernelError
    from nbgrader.preprocessors import Execute, LimitOutput
    from traitlets.utils.importstring import import_item

    config = _load_config(job.course)
    resources = {
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
    if nb_dict.get("nbformat") != 4:
        notes.append(f"nbformat {nb_dict.get('nbformat')!r} is not 4: not executed")
        return None, "not executed"
    try:
        nb = nbformat.reads(json.dumps(nb_dict), as_version=4)
        from nbgrader.converters.autograde import Autograde

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
        return None, "not executed"

    runtime = Path(tempfile.mkdtemp(prefix="kernel-", dir=workdir.parent))
    uid = 60000 + slot.number
    zygote = _zygote(job, notes) if job.isolated else None
    if zygote is not None and not _zygote_can_fork(zygote, runtime, uid, job, notes):
        zygote = None
    km = kernel_manager(workdir, runtime, job.limits, isolated=job.isolated, uid=uid, zygote=zygote)
    executor = Execute(config=config)
    executor.timeout = min(executor.timeout or job.limits.cell_seconds, job.limits.cell_seconds)
    executor.interrupt_on_timeout = True
    executor.startup_timeout = 60
    expired = threading.Event()

    def stop() -> None:
        expired.set()
        _kill_provisioned(km)

    timer = asyncio.get_running_loop().call_later(job.limits.wall_seconds, stop)
    status = None
    try:
        os.environ["NBGRADER_EXECUTION"] = "autograde"
        await _run_notebook(executor, nb, resources, km)
    except (DeadKernelError, RuntimeError) as err:
        status = "timed out" if expired.is_set() else "kernel died"
        notes.append(f"{status}: {str(err).splitlines()[0][:160]}")
    except CellTimeoutError:
        status = "timed out"
        notes.append(f"timed out: a cell ran longer than {executor.timeout} s")
    except Exception as err:
        status = "timed out" if expired.is_set() else "kernel died"
        notes.append(
            f"{status}: {type(err).__name__}: {str(err).splitlines()[0][:160] if str(err) else ''}"
        )
    finally:
        timer.cancel()
        _kill_provisioned(km)
        shutil.rmtree(runtime, ignore_errors=True)
    if expired.is_set():
        status = "timed out"
    nb, resources = LimitOutput(config=config).preprocess(nb, resources)
    _cap_output(nb, job.limits.output_bytes, notes)
    return nb, status


async def _run_notebook(executor: Any, nb: Any, resources: dict[str, Any], km: Any) -> None:
    """What nbgrader's ``Execute.preprocess`` does (nbconvert's ``ExecutePreprocessor``), awaited,
    so that the worker can drive another student's kernel while this one computes: the same
    client set-up as ``preprocess``, then nbclient's own ``async_execute`` (kernel info, every
    cell, widget state), with nbgrader's ``Execute`` hooks and settings."""
    from nbclient import NotebookClient

    NotebookClient.__init__(executor, nb, km)
    executor._check_assign_resources(resources)
    await executor.async_execute()


#: This worker process's scratch folder and zygote. A worker grades a few students at a time
#: on one asyncio loop, in one thread: CPython 3.11's ast module is not thread-safe.
_WORKER: dict[str, Any] = {}


@contextlib.contextmanager
def _run_folder() -> Iterator[Path]:
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


def _scratch(job: _Job) -> Path:
    """This worker's private scratch folder (the files of the students it grades live in it)."""
    if "scratch" not in _WORKER:
        root = Path(tempfile.mkdtemp(prefix="worker-", dir=job.scratch))
        root.chmod(0o755)
        _WORKER["scratch"] = root
    return _WORKER["scratch"]


def _close_worker() -> None:
    """Stops this worker's zygote and removes its scratch folder (the worker is done)."""
    zygote = _WORKER.pop("zygote", None)
    if zygote is not None:
        zygote.close()
    scratch = _WORKER.pop("scratch", None)
    if scratch is not None:
        shutil.rmtree(scratch, ignore_errors=True)


def _zygote(job: _Job, notes: list[str]) -> Any:
    """This worker's kernel zygote, started on first use; ``None`` if it cannot start."""
    from homs.grading._sandbox import Zygote

    zygote = _WORKER.get("zygote")
    if zygote is not None and zygote.process.poll() is None:
        return zygote
    if _WORKER.get("zygote_failed"):
        return None
    try:
        _WORKER["zygote"] = Zygote(_scratch(job))
    except OSError as err:
        _WORKER["zygote_failed"] = True
        notes.append(f"kernel zygote unavailable ({err}); one sandbox per kernel instead")
        return None
    return _WORKER["zygote"]


def _zygote_can_fork(zygote: Any, runtime: Path, uid: int, job: _Job, notes: list[str]) -> bool:
    """Checks once per worker that the zygote can fork a sandboxed process here; if it cannot
    (no right to make namespaces, say), this worker falls back to one sandbox per kernel."""
    if "zygote_checked" in _WORKER:
        return bool(_WORKER["zygote_checked"])
    probe = runtime / "probe"
    probe.mkdir()
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


def _kill_provisioned(km: Any) -> None:
    """Kills the kernel's whole process group (bubblewrap and everything in the sandbox)."""
    import signal

    from homs.grading._sandbox import _ForkedKernel

    provisioner = getattr(km, "provisioner", None)
    process = getattr(provisioner, "process", None)
    if process is None or process.poll() is not None:
        return
    if isinstance(process, _ForkedKernel):
        process.kill()  # the first process of its PID namespace: everything in it dies
        return
    try:
        os.killpg(os.getpgid(process.pid), signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        process.kill()
    with contextlib.suppress(Exception):
        process.wait(timeout=10)


def _cap_output(nb: Any, limit: int, notes: list[str]) -> None:
    """Cuts outputs past ``limit`` bytes in total, with a note in the notebook and the summary."""
    from nbformat.v4 import new_output

    used = 0
    cut = False
    for cell in nb.cells:
        if cell.get("cell_type") != "code":
            continue
        kept = []
        for output in cell.get("outputs", []):
            size = len(json.dumps(output))
            if used + size > limit:
                cut = True
                continue
            used += size
            kept.append(output)
        if len(kept) != len(cell.get("outputs", [])):
            kept.append(
                new_output(
                    "stream",
                    name="stdout",
                    text=f"... output cut: over {limit // 1024} KiB in this notebook ...\n",
                )
            )
        cell["outputs"] = kept
    if cut:
        notes.append(f"output cut at {limit // 1024} KiB")


def _kernel_scores(nb: Any) -> dict[str, float]:
    """What nbgrader's own ``determine_grade`` makes of each executed grade cell."""
    from nbgrader import utils

    scores = {}
    for cell in nb.cells:
        # A cell that never ran has no output, which determine_grade counts as full marks.
        ran = cell.get("execution_count") is not None
        if (
            ran
            and utils.is_grade(cell)
            and cell.cell_type == "code"
            and not utils.is_solution(cell)
        ):
            score, _ = utils.determine_grade(cell)
            if score is not None:
                scores[cell.metadata["nbgrader"]["grade_id"]] = float(score)
    return scores


class _CompiledSchemas:
    """``jsonschema`` as nbgrader's metadata check uses it, with each schema compiled once.

    nbgrader's ``CheckCellMetadata`` calls ``jsonschema.validate(meta, schema)`` for every cell,
    and that re-validates the schema itself every time: a third of the cost of sanitizing a
    submission. This stand-in raises exactly what ``jsonschema.validate`` raises (the best-matching
    error), without the repeated schema check. Installed only in worker processes.
    """

    def __init__(self) -> None:
        import jsonschema

        self._module = jsonschema
        self._compiled: dict[str, Any] = {}

    def validate(self, instance: Any, schema: Any, *args: Any, **kwargs: Any) -> None:
        if args or kwargs:
            self._module.validate(instance, schema, *args, **kwargs)
            return
        key = json.dumps(schema, sort_keys=True)  # nbgrader loads a fresh copy each time
        validator = self._compiled.get(key)
        if validator is None:
            cls = self._module.validators.validator_for(schema)
            cls.check_schema(schema)
            validator = self._compiled[key] = cls(schema)
        error = self._module.exceptions.best_match(validator.iter_errors(instance))
        if error is not None:
            raise error

    def __getattr__(self, name: str) -> Any:
        return getattr(self._module, name)


def _compile_nbgrader_schemas() -> None:
    """Lets this worker's nbgrader metadata checks use :class:`_CompiledSchemas`."""
    from nbgrader.nbgraderformat import common

    if not isinstance(common.jsonschema, _CompiledSchemas):
        common.jsonschema = _CompiledSchemas()


async def _grade(job: _Job, slot: Slot) -> tuple[SubmissionResult, dict[str, list[dict[str, Any]]]]:
    """Grades one student's submission (runs in a worker process, beside others)."""
    import nbformat

    _compile_nbgrader_schemas()

    started = time.perf_counter()
    course = Path(job.course)
    folder = course / "submitted" / job.student / job.quiz
    out = course / "autograded" / job.student / job.quiz
    notes: list[str] = []
    statuses: list[str] = []
    per_notebook: dict[str, list[dict[str, Any]]] = {}
    expected = {f"{name}.ipynb" for name in job.cells} | {"timestamp.txt"}
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
    if (folder / "timestamp.txt").is_file():
        shutil.copy(folder / "timestamp.txt", out / "timestamp.txt")
    scratch = Path(tempfile.mkdtemp(prefix="job-", dir=_scratch(job)))
    scratch.chmod(0o755)
    try:
        for name in job.cells:
            nb_dict, problem = _read(folder / f"{name}.ipynb")
            if problem:
                statuses.append(problem.split(":")[0])
                notes.append(f"{name}.ipynb: {problem}")
            source = json.loads((course / "source" / job.quiz / f"{name}.ipynb").read_text("utf-8"))
            items, more = _item_results(_restore_types(nb_dict, source), job.quiz, job.cells[name])
            notes += more
            if nb_dict is not None:
                notes += _tampering(nb_dict, source)
                workdir = scratch / "work" / name
                workdir.mkdir(parents=True)
                workdir.parent.chmod(0o755)
                _copy_assignment_files(course / "source" / job.quiz, workdir)
                executed, status = await _execute(job, name, nb_dict, workdir, notes, slot)
                if status:
                    statuses.append(status)
                if executed is not None:
                    kernel = _kernel_scores(executed)
                    items = [_compare(item, kernel, notes) for item in items]
                    nbformat.write(executed, out / f"{name}.ipynb")
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


def _copy_assignment_files(source: Path, workdir: Path) -> None:
    """Data files that come with the assignment (never the notebooks, never student files)."""
    for path in source.rglob("*"):
        if path.is_file() and path.suffix != ".ipynb" and ".ipynb_checkpoints" not in path.parts:
            target = workdir / path.relative_to(source)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(path, target)


def _compare(item: ItemResult, kernel: Mapping[str, float], notes: list[str]) -> ItemResult:
    if item.score is None:
        return item
    seen = kernel.get(item.grade_id)
    if seen is None:
        return item
    if abs(seen - item.score) > 1e-9:
        notes.append(
            f"kernel output disagrees with the verdict on {item.grade_id} "
            f"(kernel {seen:g}, verdict {item.score:g}; the verdict counts)"
        )
    return ItemResult(item.grade_id, item.score, item.max_score, seen, item.answer, item.message)


# ----------------------------------------------------------------------------- the writer


def _write(
    gb: Any,
    result: SubmissionResult,
    per_notebook: Mapping[str, list[dict[str, Any]]],
    timestamp: Any,
) -> None:
    """Records one result in the gradebook, as nbgrader's SaveAutoGrades would, keeping manual
    grades."""
    gb.update_or_create_student(result.student)
    if timestamp:
        gb.update_or_create_submission(result.quiz, result.student, timestamp=timestamp)
    else:
        gb.update_or_create_submission(result.quiz, result.student)
    for name, items in per_notebook.items():
        for item in items:
            grade = gb.find_grade(item["grade_id"], name, result.quiz, result.student)
            grade.auto_score = item["score"]
            grade.needs_manual_grade = grade.manual_score is not None or grade.auto_score is None
            if (
                result.status in ("missing notebook", "unreadable notebook")
                and item["score"] is None
            ):
                grade.needs_manual_grade = False
                grade.auto_score = 0.0
    gb.db.commit()


def _assignment_cells(gb: Any, quiz: str) -> dict[str, tuple[_Cell, ...]]:
    from nbgrader.api import MissingEntry

    try:
        assignment = gb.find_assignment(quiz)
    except MissingEntry:
        raise GradingError(
            f"the quiz {quiz!r} is not in the gradebook. Release it first: "
            f"`homs release {quiz}` (or `nbgrader generate_assignment {quiz}`)."
        ) from None
    cells = {}
    for notebook in assignment.notebooks:
        cells[notebook.name] = tuple(
            _Cell(c.name, float(c.max_score), c.cell_type == "code") for c in notebook.grade_cells
        )
    return cells


def autograde(
    quiz: str,
    *,
    course: str | Path = "quizzes",
    workers: int | None = None,
    force: bool = False,
    students: Sequence[str] | None = None,
    limits: Limits | None = None,
    sandbox: bool | None = None,
    progress: bool = False,
) -> AutogradeSummary:
    """Autogrades every submission of a quiz in an nbgrader course.

    Args:
        quiz: The quiz (nbgrader assignment) id, e.g. ``"timeline"``, or ``"*"`` for every quiz
            in the course's ``source/`` (one pool of workers for all of them).
        course: The course root (the folder with ``nbgrader_config.py``).
        workers: Parallel worker processes; the number of cores by default. Each grades
            :data:`KERNELS_PER_WORKER` students at a time.
        force: Re-grade submissions that have not changed since they were graded.
        students: Only these students; all who submitted by default.
        limits: Resource limits for each student's kernel.
        sandbox: ``True`` requires bubblewrap, ``False`` runs with limits only, ``None`` uses
            bubblewrap when it works here and warns loudly when it does not.
        progress: Show a progress bar and the status table on stderr.

    Returns:
        One result per submission, with the sandbox mode and timing.

    Raises:
        GradingError: The course or quiz is not set up (the message says what to run).
    """
    from nbgrader.api import Gradebook

    from homs.grading._course import course_dir, course_root
    from homs.grading._spec import load_quiz, quiz_names

    started = time.perf_counter()
    course = course_root(course)
    coursedir = course_dir(course, _load_config(str(course)))
    if quiz == "*":
        quizzes = [q for q in quiz_names() if (course / "source" / q).is_dir()]
    elif quiz in quiz_names():
        quizzes = [quiz]
    else:
        raise GradingError(
            f'{quiz!r} is not a homs quiz (the quizzes are {", ".join(quiz_names())}, or "*" '
            "for all); homs autograde needs the quiz's key. Grade other assignments with "
            "nbgrader autograde."
        )
    for name in quizzes:
        load_quiz(name)
    limits = limits or Limits()
    workers = max(1, workers or os.cpu_count() or 1)
    status = sandbox_status() if sandbox is not False else None
    if sandbox is True and not (status and status.isolated):
        raise GradingError(
            f"sandbox=True but bubblewrap cannot run here: {status.reason if status else ''}"
        )
    isolated = bool(status and status.isolated)
    warning = None
    if not isolated:
        warning = (
            status.warning
            if status
            else (
                "WARNING: sandbox turned off: student code ran with resource limits only, without "
                "filesystem or network isolation."
            )
        )
    submitted = course / "submitted"
    with Gradebook(coursedir.db_url, coursedir.course_id) as gb:
        cells = {name: _assignment_cells(gb, name) for name in quizzes}
    with _run_folder() as scratch:
        db_url = coursedir.db_url
        if db_url.startswith("sqlite:///"):
            # Workers read a snapshot; only this process writes the real gradebook.
            snapshot = scratch / "gradebook.db"
            shutil.copy(db_url.removeprefix("sqlite:///"), snapshot)
            db_url = f"sqlite:///{snapshot}"

        results: list[SubmissionResult] = []
        jobs = []
        for name in quizzes:
            found = sorted(p.parent.name for p in submitted.glob(f"*/{name}") if p.is_dir())
            if students is not None:
                found = [s for s in found if s in set(students)]
            for student in found:
                fingerprint = _fingerprint(submitted / student / name, course / "source" / name)
                skipped = None if force else _unchanged(course, name, student, fingerprint)
                if skipped is not None:
                    results.append(skipped)
                    continue
                jobs.append(
                    _Job(
                        str(course),
                        name,
                        student,
                        cells[name],
                        db_url,
                        coursedir.course_id,
                        fingerprint,
                        limits,
                        isolated,
                        str(scratch),
                    )
                )

        writer = contextlib.ExitStack()
        opened: list[Any] = []

        def record(job: _Job, graded: tuple[SubmissionResult, Mapping[str, list[Any]]]) -> None:
            if not opened:
                # Opened once the workers exist, so none of them inherits the connection.
                # nbgrader's relationship bookkeeping trips SQLAlchemy 2 warnings; harmless.
                writer.enter_context(warnings.catch_warnings())
                warnings.simplefilter("ignore", category=_sa_warning())
                opened.append(
                    writer.enter_context(Gradebook(coursedir.db_url, coursedir.course_id))
                )
            result, per_notebook = graded
            timestamp = coursedir.get_existing_timestamp(str(submitted / job.student / job.quiz))
            _write(opened[0], result, per_notebook, timestamp)  # commits: one writer, one session
            ledger = _ledger_path(course, job.quiz, job.student)
            ledger.parent.mkdir(parents=True, exist_ok=True)
            ledger.write_text(
                json.dumps({"fingerprint": job.fingerprint, "result": asdict(result)}, indent=1),
                "utf-8",
            )
            results.append(result)
            if bar:
                bar.advance(result)

        bar = None

        def start_bar() -> None:
            nonlocal bar
            bar = _Progress(len(jobs), quiz) if progress else None  # a thread: after the fork

        try:
            _pool.run(
                jobs,
                _grade,
                _close_worker,
                workers=workers,
                per_worker=KERNELS_PER_WORKER,
                done=record,
                lost=lambda job, why: record(job, _lost(job, why)),
                started=start_bar,
            )
        finally:
            if bar:
                bar.close()
            writer.close()
    results.sort(key=lambda r: (r.quiz, r.student))
    summary = AutogradeSummary(
        quiz, results, isolated, warning, workers, time.perf_counter() - started
    )
    return summary


def _sa_warning() -> type[Warning]:
    from sqlalchemy.exc import SAWarning

    return SAWarning


def _unchanged(course: Path, quiz: str, student: str, fingerprint: str) -> SubmissionResult | None:
    """The recorded result, if this submission was graded before exactly as it is now."""
    ledger = _ledger_path(course, quiz, student)
    if not ledger.is_file():
        return None
    recorded = json.loads(ledger.read_text("utf-8"))
    if recorded.get("fingerprint") != fingerprint:
        return None
    old = recorded["result"]
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


def _lost(job: _Job, why: str) -> tuple[SubmissionResult, dict[str, list[dict[str, Any]]]]:
    """A zero result for a submission whose grading failed, saying why."""
    per_notebook = {
        name: [asdict(ItemResult(c.name, 0.0 if c.auto else None, c.max_score)) for c in cells]
        for name, cells in job.cells.items()
    }
    items = tuple(ItemResult(**i) for items in per_notebook.values() for i in items)
    result = SubmissionResult(
        job.student,
        job.quiz,
        "kernel died",
        (why,),
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
    quiz: str
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
        self._task = self._bar.add_task(f"autograde {self.quiz}", total=self.total)

    def advance(self, result: SubmissionResult) -> None:
        self._bar.console.print(
            f"  {result.student:<20} {result.status:<20} {result.score:g}/{result.max_score:g}"
        )
        self._bar.advance(self._task)

    def close(self) -> None:
        self._bar.stop()
