"""Worker processes that each keep several submissions in flight.

Grading a submission is mostly waiting: for the student's kernel to start, to run a cell, to
answer. One worker process per core grading one submission at a time leaves the cores idle
for much of that wait. Here each worker runs an asyncio loop and grades up to ``per_worker``
submissions at once: while one kernel computes, the worker drives, sanitizes or checks another.
All of a worker's Python runs in its one thread (CPython 3.11's ``ast`` module is not safe to
use from two threads at once).

The main process hands out the jobs, a few at a time, and receives every result: it stays the
only process that writes the gradebook. A worker that dies takes only the submissions it held
with it; each of those is reported as lost, with the reason, and the other workers grade the
rest of the class.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import sys
import threading
from collections import deque
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any, TypeVar

from homs.grading.engine import cgroups

__all__ = ["Slot", "run"]

J = TypeVar("J")


@dataclass(frozen=True)
class Slot:
    """One of the places a worker grades a submission in.

    Attributes:
        worker: The worker's number, from 1.
        index: The place within the worker, from 0.
        number: A number of its own across the whole pool, from 1: two submissions graded at
            the same time never share it.
    """

    worker: int
    index: int
    number: int


Grade = Callable[[Any, Slot], Awaitable[Any]]


def run(
    jobs: Sequence[J],
    grade: Grade,
    close: Callable[[], None],
    *,
    workers: int,
    per_worker: int,
    done: Callable[[J, Any], None],
    lost: Callable[[J, str], None],
    started: Callable[[], None] | None = None,
) -> None:
    """Grades ``jobs`` in worker processes; calls ``done`` or ``lost`` here for each one.

    Args:
        jobs: What to grade (picklable).
        grade: ``await grade(job, slot)`` in a worker returns the job's (picklable) result. A
            module-level function, so that a spawned worker can import it.
        close: Called in each worker when it has no more work (to stop helpers, remove scratch
            folders): forked workers end without running ``atexit`` hooks.
        workers: Worker processes (at most one per job).
        per_worker: Submissions each worker grades at the same time.
        done: Called in this process with each job and its result, as results arrive.
        lost: Called with a job and the reason when its grading raised or its worker died.
        started: Called once every worker has started (threads may start from then on).
    """
    if not jobs:
        return
    # A forked worker starts at once with everything this process imported. With threads
    # running here (a notebook's, a progress bar's) forking is unsafe, and a forked copy of a
    # running event loop (a notebook's, again) cannot run its own: spawn instead.
    method = (
        "fork"
        if sys.platform == "linux" and threading.active_count() == 1 and not _loop_running()
        else "spawn"
    )
    context = multiprocessing.get_context(method)
    pending: deque[tuple[int, J]] = deque(enumerate(jobs))
    held: dict[int, dict[int, J]] = {}
    conns: dict[int, Connection] = {}
    processes: dict[int, Any] = {}
    started_pids: set[int] = set()
    for number in range(1, min(workers, len(jobs)) + 1):
        here, there = context.Pipe()
        process = context.Process(
            target=_worker,
            args=(there, number, per_worker, grade, close),
            name=f"homs-autograde-{number}",
            daemon=True,
        )
        process.start()
        there.close()
        conns[number], processes[number], held[number] = here, process, {}
        started_pids.add(process.pid)

    if started is not None:
        started()

    broken: set[int] = set()  # workers whose pipe failed: their death is handled below

    def hand_out() -> None:
        # Level by level, so every worker has one submission before any has two.
        for _ in range(per_worker):
            for number in conns:
                if pending and len(held[number]) < per_worker and number not in broken:
                    seq, job = pending.popleft()
                    try:
                        conns[number].send((seq, job))
                    except OSError:  # the worker died after its last answer
                        pending.appendleft((seq, job))
                        broken.add(number)
                        continue
                    held[number][seq] = job

    def receive(number: int) -> bool:
        """Takes one reply from a worker; ``False`` when its pipe is closed."""
        try:
            seq, ok, payload = conns[number].recv()
        except (EOFError, OSError):
            return False
        job = held[number].pop(seq)
        if ok:
            done(job, payload)
        else:
            lost(job, payload)
        return True

    finished = False
    try:
        hand_out()
        while any(held.values()) or (pending and conns):
            watched = {conns[n]: n for n in conns} | {processes[n].sentinel: n for n in conns}
            for ready in wait(list(watched)):
                number = watched[ready]
                if number not in conns:
                    continue  # already handled as dead in this round
                if ready is conns[number] and receive(number):
                    hand_out()
                    continue
                # The worker is gone: keep what it sent before it died, report the rest.
                while conns[number].poll() and receive(number):
                    pass
                process = processes[number]
                process.join(timeout=5)
                if process.is_alive():  # its pipe closed, yet it runs: stop it
                    process.kill()
                    process.join()
                for job in held.pop(number).values():
                    lost(
                        job,
                        f"its grading worker stopped (exit code {process.exitcode}) while "
                        "grading it; run the command again to grade it",
                    )
                conns.pop(number).close()
                processes.pop(number)
                if not conns:
                    while pending:
                        lost(pending.popleft()[1], "every grading worker stopped; run again")
                hand_out()
        finished = True
    finally:
        # Done: each worker is told so and cleans up. Interrupted (Ctrl-C, or ``done`` raised):
        # the workers are killed at once, and their kernels with them; what they held is not
        # recorded, so the next run grades it.
        for number, conn in conns.items():
            try:
                if finished:
                    conn.send(None)
                else:
                    processes[number].kill()
            except OSError:
                processes[number].kill()
        for process in processes.values():
            process.join(timeout=30)
            if process.is_alive():
                process.kill()
                process.join()
        for conn in conns.values():
            conn.close()
        # A worker that died (out of memory, killed) left its control groups behind.
        cgroups.sweep(cgroups.find(), started_pids)


def _loop_running() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def _worker(conn: Connection, number: int, per_worker: int, grade: Grade, close: Any) -> None:
    try:
        asyncio.run(_serve(conn, number, per_worker, grade))
    except KeyboardInterrupt:
        pass  # Ctrl-C reaches the whole process group; the main process stops the run
    finally:
        close()


async def _serve(conn: Connection, number: int, per_worker: int, grade: Grade) -> None:
    loop = asyncio.get_running_loop()
    inbox: asyncio.Queue[Any] = asyncio.Queue()

    def readable() -> None:
        try:
            inbox.put_nowait(conn.recv())
        except (EOFError, OSError):  # the main process is gone
            loop.remove_reader(conn.fileno())
            inbox.put_nowait(None)

    loop.add_reader(conn.fileno(), readable)
    free = [
        Slot(number, index, (number - 1) * per_worker + index + 1)
        for index in reversed(range(per_worker))
    ]
    running: set[asyncio.Task[None]] = set()

    async def one(seq: int, job: Any, slot: Slot) -> None:
        try:
            reply = (seq, True, await grade(job, slot))
        except Exception as err:  # reported for this job; the worker goes on
            reply = (seq, False, f"grading failed: {type(err).__name__}: {err}")
        finally:
            free.append(slot)
        try:
            conn.send(reply)
        except (OSError, ValueError):
            pass  # the main process is gone
        except Exception as err:  # an unpicklable result
            conn.send((seq, False, f"grading failed: {type(err).__name__}: {err}"))

    while (message := await inbox.get()) is not None:
        seq, job = message
        task = asyncio.create_task(one(seq, job, free.pop()))
        running.add(task)
        task.add_done_callback(running.discard)
    loop.remove_reader(conn.fileno())
    if running:
        await asyncio.gather(*running)
