"""The worker pool: every job is answered once, several at a time per worker, and a worker that
dies or a job that raises costs only its own jobs."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from homs.grading.engine import pool as _pool
from homs.grading.engine.pool import Slot


async def _echo(job: tuple[str, float], slot: Slot) -> tuple[str, Slot, int]:
    name, pause = job
    await asyncio.sleep(pause)
    return name, slot, os.getpid()


async def _troubled(job: str, slot: Slot) -> str:
    await asyncio.sleep(0.05)
    if job == "raises":
        raise ValueError("a broken notebook")
    if job == "kills":
        os._exit(3)  # the whole worker process dies
    if job == "answers, then dies":
        asyncio.get_running_loop().call_soon(os._exit, 4)  # just after its reply is sent
    return job


async def _spans(job: tuple[str, Path], slot: Slot) -> str:
    """Writes when the job started and ended, to see which jobs overlapped."""
    name, log = job
    with log.open("a") as fh:
        fh.write(f"start {name} {os.getpid()} {slot.number}\n")
    await asyncio.sleep(0.3)
    with log.open("a") as fh:
        fh.write(f"end {name} {os.getpid()} {slot.number}\n")
    return name


#: Set by a test before the pool starts: a forked worker inherits the change, a spawned one
#: imports this module afresh.
_STATE = {"changed_in_the_test": False}


async def _started_how(job: str, slot: Slot) -> str:
    return "forked" if _STATE["changed_in_the_test"] else "spawned"


async def _slow(job: tuple[str, Path], slot: Slot) -> str:
    """ "quick" answers as soon as the others have started; they note their pid, wait, and note
    that they finished."""
    name, folder = job
    if name == "quick":  # answers once both slow jobs are under way
        while len(list(folder.glob("pid-*"))) < 2:
            await asyncio.sleep(0.01)
    else:
        (folder / f"pid-{name}").write_text(str(os.getpid()))
        await asyncio.sleep(2)
        (folder / f"finished-{name}").touch()
    return name


def _closer() -> None:
    marker = os.environ["HOMS_TEST_POOL_CLOSED"]
    Path(marker, str(os.getpid())).touch()


def _nothing() -> None:
    pass


def collect(jobs, grade, *, workers, per_worker, close=_nothing):
    done, lost = {}, {}
    _pool.run(
        jobs,
        grade,
        close,
        workers=workers,
        per_worker=per_worker,
        done=lambda job, result: done.setdefault(str(job), result),
        lost=lambda job, why: lost.setdefault(str(job), why),
    )
    return done, lost


def test_every_job_is_answered_once() -> None:
    jobs = [(f"s{i:02d}", 0.01 * (i % 3)) for i in range(12)]
    done, lost = collect(jobs, _echo, workers=2, per_worker=2)
    assert lost == {}
    assert sorted(done) == sorted(str(job) for job in jobs)
    assert len({pid for _, _, pid in done.values()}) == 2
    slots = {slot for _, slot, _ in done.values()}
    assert {s.number for s in slots} == {1, 2, 3, 4}
    assert {(s.worker, s.index) for s in slots} == {(1, 0), (1, 1), (2, 0), (2, 1)}


def test_a_worker_grades_several_jobs_at_once_in_places_of_their_own(tmp_path: Path) -> None:
    log = tmp_path / "log"
    jobs = [(f"s{i}", log) for i in range(4)]
    done, lost = collect(jobs, _spans, workers=1, per_worker=2)
    assert lost == {}
    assert len(done) == 4
    running: dict[str, str] = {}
    most = 0
    for line in log.read_text().splitlines():
        event, name, _, slot = line.split()
        if event == "start":
            assert slot not in running.values(), "two jobs at once in one place"
            running[name] = slot
            most = max(most, len(running))
        else:
            del running[name]
    assert most == 2


def test_a_job_that_raises_is_lost_alone() -> None:
    done, lost = collect(["a", "raises", "b", "c"], _troubled, workers=2, per_worker=2)
    assert sorted(done) == ["a", "b", "c"]
    assert list(lost) == ["raises"]
    assert "ValueError: a broken notebook" in lost["raises"]


def test_a_dead_worker_costs_only_the_jobs_it_held() -> None:
    jobs = ["a", "kills", "b", "c", "d", "e", "f"]
    done, lost = collect(jobs, _troubled, workers=2, per_worker=1)
    assert "kills" in lost
    assert "grading worker stopped (exit code 3)" in lost["kills"]
    assert set(done) | set(lost) == set(jobs)
    assert set(done) == set(jobs) - {"kills"}  # one job per worker: only its own was lost


def test_when_every_worker_dies_the_rest_are_reported_not_dropped() -> None:
    jobs = ["kills", "a", "b"]
    done, lost = collect(jobs, _troubled, workers=1, per_worker=1)
    assert done == {}
    assert set(lost) == set(jobs)
    assert "every grading worker stopped" in lost["a"]


def test_each_worker_cleans_up_when_done(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOMS_TEST_POOL_CLOSED", str(tmp_path))
    done, _ = collect(
        [(f"s{i}", 0.0) for i in range(5)], _echo, workers=2, per_worker=2, close=_closer
    )
    pids = {pid for _, _, pid in done.values()}
    assert {int(p.name) for p in tmp_path.iterdir()} == pids


def test_no_jobs_starts_no_workers() -> None:
    assert collect([], _echo, workers=2, per_worker=2) == ({}, {})


def test_workers_are_forked_when_no_thread_runs() -> None:
    """In a fresh process: this one may hold threads or a loop left by other tests."""
    script = (
        "import sys\n"
        f"sys.path.insert(0, {str(Path(__file__).parents[1])!r})\n"
        "from test_grading import test_pool as t\n"
        "t._STATE['changed_in_the_test'] = True\n"
        "print(sorted(set(t.collect(['a', 'b'], t._started_how, workers=2, per_worker=1)[0]"
        ".values())))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "['forked']"


def test_with_an_event_loop_running_workers_are_spawned(monkeypatch: pytest.MonkeyPatch) -> None:
    """As when autograde is called from a notebook cell."""
    monkeypatch.setitem(_STATE, "changed_in_the_test", True)

    async def in_a_loop() -> tuple[dict[str, str], dict[str, str]]:
        return collect(["a", "b"], _started_how, workers=2, per_worker=1)

    done, lost = asyncio.run(in_a_loop())
    assert lost == {}
    assert set(done.values()) == {"spawned"}


def test_with_threads_running_workers_are_spawned_not_forked(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Forking a process that runs threads (a notebook's kernel, a progress bar) is unsafe."""
    monkeypatch.setitem(_STATE, "changed_in_the_test", True)
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        done, lost = collect(["a", "b", "c"], _started_how, workers=2, per_worker=2)
    finally:
        stop.set()
        thread.join()
    assert lost == {}
    assert set(done.values()) == {"spawned"}


def test_an_interrupted_run_stops_its_workers_at_once(tmp_path: Path) -> None:
    """Ctrl-C while results come in: the workers are killed, not left to finish what they hold
    (and their kernels die with them); nothing more is recorded."""
    recorded = []

    def done(job: tuple[str, Path], result: str) -> None:
        recorded.append(result)
        raise KeyboardInterrupt

    jobs = [("slow-1", tmp_path), ("slow-2", tmp_path), ("quick", tmp_path)]
    with pytest.raises(KeyboardInterrupt):
        _pool.run(
            jobs, _slow, _nothing, workers=3, per_worker=1, done=done, lost=lambda job, why: None
        )
    assert recorded == ["quick"]
    assert len(list(tmp_path.glob("pid-*"))) == 2
    for pid_file in tmp_path.glob("pid-*"):
        with pytest.raises(ProcessLookupError):
            os.kill(int(pid_file.read_text()), 0)
    assert not list(tmp_path.glob("finished-*"))


def test_a_worker_that_dies_just_after_answering_loses_nothing_else() -> None:
    """Its answer counts; the job handed to it as it died is graded by another worker."""
    jobs = ["answers, then dies", "a", "b", "c"]
    for _ in range(8):  # the worker may die before or after its next job is handed to it
        done, lost = collect(jobs, _troubled, workers=2, per_worker=1)
        assert "answers, then dies" in done
        assert set(done) | set(lost) == set(jobs)
        assert all("grading worker stopped" in why for why in lost.values())
