"""Running a sanitized submission in a sandboxed kernel, for the student's feedback.

nbgrader's own sanitizing preprocessors (those the course configures in
``Autograde.sanitize_preprocessors``) restore the graded cells; nbgrader's ``Execute``
preprocessor runs the notebook through nbclient in a kernel that :mod:`.kernels` starts in the
sandbox (:mod:`.sandbox`), awaited so that a worker can drive another student's kernel
meanwhile (:mod:`.kernels`, and with it jupyter_client, loads only when a kernel starts).
Outputs are capped; what nbgrader would score from them is read back (:func:`kernel_scores`)
and compared with the verdict (:func:`compare`), which never raises a score. May import
:mod:`.sandbox`, :mod:`.kernels`, :mod:`.sanitize`, :mod:`.job`, :mod:`.results`.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import tempfile
import threading
from collections.abc import Mapping
from pathlib import Path
from queue import Empty
from typing import Any

from homs._text import plural
from homs.grading.engine.cgroups import Group
from homs.grading.engine.job import Job
from homs.grading.engine.results import ItemResult
from homs.grading.engine.sandbox import Zygote
from homs.grading.engine.sanitize import sanitize

__all__ = [
    "cap_output",
    "compare",
    "compile_nbgrader_schemas",
    "copy_assignment_files",
    "execute",
    "kernel_scores",
    "kill_kernel",
    "run_notebook",
]


async def execute(
    job: Job,
    name: str,
    nb_dict: dict[str, Any],
    workdir: Path,
    notes: list[str],
    *,
    uid: int,
    zygote: Zygote | None,
    group: Group | None = None,
) -> tuple[Any | None, str | None]:
    """Sanitizes with nbgrader's preprocessors and executes in the sandbox.

    Args:
        job: The submission being graded.
        name: The notebook's name (without ``.ipynb``).
        nb_dict: The notebook as read (:func:`.forensics.read_submission`).
        workdir: The kernel's private working folder, with the assignment's data files.
        notes: Notes for the teacher; what went wrong is added here.
        uid: The unprivileged user the kernel runs as (unique among running kernels).
        zygote: The worker's kernel zygote, or ``None`` for one sandbox per kernel.
        group: The kernel's control group (memory and processes together), if any.

    Returns:
        The executed notebook (or ``None``) and a status word when execution did not finish.
    """
    from nbclient.exceptions import CellTimeoutError, DeadKernelError
    from nbgrader.preprocessors import LimitOutput

    # jupyter_client loads only for runs that start a kernel.
    from homs.grading.engine.kernels import kernel_manager

    config = job.config
    nb, resources = sanitize(job, name, nb_dict, workdir, notes)
    if nb is None:
        return None, "not executed"

    runtime = Path(tempfile.mkdtemp(prefix="kernel-", dir=workdir.parent))
    km = kernel_manager(
        workdir,
        runtime,
        job.limits,
        isolated=job.isolated,
        uid=uid,
        zygote=zygote,
        cgroup_procs=group.procs if group is not None else (),
    )
    executor = _capped_execute()(config=config)
    executor.limit = job.limits.output_bytes
    executor.timeout = min(executor.timeout or job.limits.cell_seconds, job.limits.cell_seconds)
    executor.interrupt_on_timeout = True
    executor.startup_timeout = 60
    expired = threading.Event()

    def stop() -> None:
        expired.set()
        kill_kernel(km)

    timer = asyncio.get_running_loop().call_later(job.limits.wall_seconds, stop)
    status = None
    try:
        os.environ["NBGRADER_EXECUTION"] = "autograde"
        await run_notebook(executor, nb, resources, km)
    except (DeadKernelError, RuntimeError) as err:
        status = "timed out" if expired.is_set() else "kernel died"
        notes.append(f"{status}: {str(err).splitlines()[0][:160]}")
    except CellTimeoutError as err:
        if "IOPub" in str(err) and executor.check_dropped():
            # A message over the size limit was dropped (with the connection) and the cell's
            # end with it: the output was over the limit, the cells after it did not run.
            notes.append("the cells after the one whose output was over the limit did not run")
        else:
            status = "timed out"
            notes.append(f"timed out: a cell ran longer than {executor.timeout} s")
    except Exception as err:
        status = "timed out" if expired.is_set() else "kernel died"
        notes.append(
            f"{status}: {type(err).__name__}: {str(err).splitlines()[0][:160] if str(err) else ''}"
        )
    finally:
        timer.cancel()
        kill_kernel(km)
        shutil.rmtree(runtime, ignore_errors=True)
    if expired.is_set():
        status = "timed out"
    if executor.oversized:
        notes.append(
            f"output over the limit: {plural(executor.oversized, 'message')} over "
            f"{job.limits.message_bytes // 1024} KiB dropped unread, with the rest of that "
            f"cell's output{' (the cell was stopped)' if executor.interrupted else ''}"
        )
    if executor.cut:
        notes.append(f"output cut at {job.limits.output_bytes // 1024} KiB")
    nb, resources = LimitOutput(config=config).preprocess(nb, resources)
    cap_output(nb, job.limits.output_bytes, notes)
    return nb, status


async def run_notebook(executor: Any, nb: Any, resources: dict[str, Any], km: Any) -> None:
    """What nbgrader's ``Execute.preprocess`` does (nbconvert's ``ExecutePreprocessor``), awaited,
    so that the worker can drive another student's kernel while this one computes: the same
    client set-up as ``preprocess``, then nbclient's own ``async_execute`` (kernel info, every
    cell, widget state), with nbgrader's ``Execute`` hooks and settings."""
    from nbclient import NotebookClient

    NotebookClient.__init__(executor, nb, km)
    executor.resources = resources  # what nbconvert's preprocess does with a resources dict
    await executor.async_execute()


#: What the kernel sends that the notebook or the executor keeps, counted as it arrives.
_COUNTED = frozenset(
    {"stream", "display_data", "execute_result", "update_display_data", "error"}
    | {"comm_open", "comm_msg"}
)


def _cut_note(limit: int) -> Any:
    from nbformat.v4 import new_output

    return new_output(
        "stream",
        name="stdout",
        text=f"... output cut: over {limit // 1024} KiB in this notebook; the rest dropped ...\n",
    )


_CAPPED: dict[str, type] = {}
#: How long IOPub stays quiet before a cell whose connection dropped is taken as ended.
_QUIET = 0.25


def _capped_execute() -> type:
    """nbgrader's ``Execute`` with outputs counted as they arrive (made on first use: nbgrader
    loads only for runs that start a kernel).

    Every message the notebook would keep (outputs, display updates, widget messages) is
    counted; past the job's ``output_bytes`` for the whole notebook the rest is dropped as it
    arrives, with a note in the cell, so a kernel that prints gigabytes never makes the worker
    hold them. Errors are kept (the client's ``MAXMSGSIZE`` bounds each one).

    A single message over the client's ``MAXMSGSIZE`` never arrives: ZeroMQ drops it with the
    connection (and makes that again), and the messages sent meanwhile, the cell's ``idle``
    among them, may be lost too. nbclient would then wait for the ``idle`` until its IOPub
    timeout and stop the notebook as timed out; here IOPub is read with the connection
    watched (:meth:`.client.PromptKernelClient.dropped`): a cell whose connection dropped is
    interrupted at once (a kernel forked from the zygote; one in a bubblewrap of its own runs
    the cell to its end) and ends when its ``idle`` arrives or IOPub falls quiet, with its
    output cut and a note; IOPub is connected again and the notebook goes on.
    """
    if "class" in _CAPPED:
        return _CAPPED["class"]
    from nbgrader.preprocessors import Execute

    class CappedExecute(Execute):  # type: ignore[misc]
        used = 0
        cut = False
        limit = 1 << 20
        current: Any = None
        noted: Any = None

        oversized = 0
        interrupted = False

        async def async_execute_cell(
            self, cell: Any, cell_index: int, *args: Any, **kw: Any
        ) -> Any:
            self.current = cell
            before = self.oversized
            try:
                return await super().async_execute_cell(cell, cell_index, *args, **kw)
            finally:
                self.check_dropped()
                if self.oversized > before and self.kc is not None:
                    # The next cell's messages must not be lost on a connection still
                    # dropping: wait until IOPub delivers again.
                    await self.kc.resync(self.timeout or 30)

        async def _async_poll_output_msg(
            self, parent_msg_id: str, cell: Any, cell_index: int
        ) -> None:
            """nbclient's reading of the cell's IOPub messages; when the connection drops in
            the cell (an oversized message), the cell is interrupted, and the reading ends at
            its ``idle`` or as soon as IOPub falls quiet."""
            from nbclient.exceptions import CellExecutionComplete

            if getattr(self.kc, "dropped", None) is None:
                await super()._async_poll_output_msg(parent_msg_id, cell, cell_index)
                return
            self.kc.dropped()  # a drop left over from the cell before is not this one's
            stopped = False
            while True:
                try:
                    msg = await self.kc.iopub_channel.get_msg(timeout=_QUIET)
                except Empty:
                    msg = None
                if msg is None and stopped:
                    return  # quiet since the cell was stopped: its end may have been dropped
                if self.check_dropped():
                    if not stopped:
                        # Over the limit: the rest of the cell's output would be dropped too.
                        stopped = True
                        if getattr(self.km.provisioner, "interruptible", True):
                            await self.km.interrupt_kernel()
                            self.interrupted = True
                    self.kc.reconnect_iopub()
                if msg is not None and msg["parent_header"].get("msg_id") == parent_msg_id:
                    try:
                        self.process_message(msg, cell, cell_index)
                    except CellExecutionComplete:
                        return

        def check_dropped(self) -> int:
            """Notes the messages over the size limit ZeroMQ dropped since the last check (in
            the current cell); returns how many."""
            dropped = getattr(self.kc, "dropped", None)
            count = dropped() if dropped is not None else 0
            process = getattr(getattr(self.km, "provisioner", None), "process", None)
            if count and process is not None and process.poll() is not None:
                return 0  # the kernel died: that is why its connection dropped
            if count:
                self.oversized += count
                self._drop(self.current)
            return count

        def process_message(self, msg: dict[str, Any], cell: Any, cell_index: int) -> Any:
            self.current = cell
            kind = msg.get("msg_type")
            if kind in _COUNTED:
                size = len(json.dumps(msg.get("content"), default=str))
                if kind != "error" and self.used + size > self.limit:
                    self._drop(cell)
                    return None
                self.used += size
            return super().process_message(msg, cell, cell_index)

        def _drop(self, cell: Any) -> None:
            self.cut = True
            if cell is not None and self.noted is not cell:
                self.noted = cell
                cell.setdefault("outputs", []).append(_cut_note(self.limit))

    _CAPPED["class"] = CappedExecute
    return CappedExecute


def kill_kernel(km: Any) -> None:
    """Kills the kernel's whole process tree (bubblewrap and everything in the sandbox)."""
    from homs.grading.engine.kernels import SandboxProvisioner

    provisioner = km.provisioner
    if isinstance(provisioner, SandboxProvisioner):
        provisioner.kill_now()


def cap_output(nb: Any, limit: int, notes: list[str]) -> None:
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
    note = f"output cut at {limit // 1024} KiB"
    if cut and note not in notes:
        notes.append(note)


def kernel_scores(nb: Any) -> dict[str, float]:
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
            try:
                score, _ = utils.determine_grade(cell)
            except ValueError:
                # An output claiming more than the cell's points (nbgrader itself would stop
                # here): counted as full marks, so the note says the kernel claimed more than
                # the verdict, and the batch goes on.
                score = cell.metadata["nbgrader"].get("points", 0)
            if score is not None:
                scores[cell.metadata["nbgrader"]["grade_id"]] = float(score)
    return scores


def compare(item: ItemResult, kernel: Mapping[str, float], notes: list[str]) -> ItemResult:
    if item.score is None:
        return item
    seen = kernel.get(item.grade_id)
    if seen is None:
        return item
    if abs(seen - item.score) > 1e-9:
        notes.append(
            f"{item.grade_id}: the notebook's own test cell disagrees with the answer key "
            f"(test cell {seen:g} points, key {item.score:g}; the key's score counts)"
        )
    return ItemResult(item.grade_id, item.score, item.max_score, seen, item.answer, item.message)


def copy_assignment_files(source: Path, workdir: Path) -> None:
    """Data files that come with the assignment (never the notebooks, never student files)."""
    for path in source.rglob("*"):
        if path.is_file() and path.suffix != ".ipynb" and ".ipynb_checkpoints" not in path.parts:
            target = workdir / path.relative_to(source)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(path, target)


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


def compile_nbgrader_schemas() -> None:
    """Lets this worker's nbgrader metadata checks use :class:`_CompiledSchemas`."""
    from nbgrader.nbgraderformat import common

    if not isinstance(common.jsonschema, _CompiledSchemas):
        common.jsonschema = _CompiledSchemas()
