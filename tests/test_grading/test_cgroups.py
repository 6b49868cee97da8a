"""Control groups (homs.grading.engine.cgroups): where groups can be made (cgroup v1 and v2, on
a fake folder tree standing for /sys/fs/cgroup), the limits a group gets, joining, reading its
state, sweeping the folders of workers that are gone; and, where this process may, a real group.

A plain folder is not a cgroup file system: its control files do not appear by themselves and
it cannot remove a folder that holds files. The fake trees hold the files the kernel would
show, and the tests check what is read and written; making, joining and removing a real group
are checked on the hierarchy this machine has, when it is writable.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from homs.grading.engine import cgroups


def fake(monkeypatch: pytest.MonkeyPatch, root: Path, own: str) -> Path:
    """``root`` stands for /sys/fs/cgroup, ``own`` for /proc/self/cgroup."""
    proc = root.parent / "proc-self-cgroup"
    proc.write_text(own)
    monkeypatch.setattr(cgroups, "_MOUNT", root)
    monkeypatch.setattr(cgroups, "_PROC", proc)
    return root


def v1_tree(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, memory: str = "/") -> Path:
    root = tmp_path / "cgroup"
    for controller in ("memory", "pids"):
        (root / controller).mkdir(parents=True)
        (root / controller / "cgroup.procs").write_text("")
    own = f"4:memory:{memory}\n8:pids:/\n1:name=systemd:/x\n0::/\n"
    return fake(monkeypatch, root, own)


def v2_tree(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, subtree: str = "") -> Path:
    root = tmp_path / "cgroup"
    root.mkdir()
    (root / "cgroup.controllers").write_text("cpuset cpu io memory pids\n")
    (root / "cgroup.subtree_control").write_text(subtree)
    (root / "cgroup.procs").write_text("")
    return fake(monkeypatch, root, "0::/\n")


def test_no_cgroup_file_system_says_why(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    fake(monkeypatch, tmp_path / "absent", "0::/\n")
    found = cgroups.find()
    assert found.version == 0
    assert "no control groups" in found.reason
    assert found.folders == ()
    with pytest.raises(OSError, match="no control groups"):
        found.group("homs-1")


def test_homs_cgroups_off_turns_them_off(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    v1_tree(monkeypatch, tmp_path)
    monkeypatch.setenv("HOMS_CGROUPS", "off")
    found = cgroups.find()
    assert found.version == 0
    assert found.reason == "turned off by HOMS_CGROUPS=off"


def test_read_only_hierarchies_say_why(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """v1 without a pids hierarchy and no v2 controllers: nothing can be made."""
    root = v1_tree(monkeypatch, tmp_path)
    (root / "pids" / "cgroup.procs").unlink()
    found = cgroups.find()
    assert found.version == 0
    assert "no writable cgroup memory and pids controllers" in found.reason


def test_v1_uses_this_process_group_or_the_root(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The memory group this process is in when it exists; the hierarchy's root otherwise."""
    root = v1_tree(monkeypatch, tmp_path, memory="/grader/session")
    assert cgroups.find() == cgroups.Cgroups(1, root / "memory", root / "pids")
    (root / "memory" / "grader" / "session").mkdir(parents=True)
    found = cgroups.find()
    assert found == cgroups.Cgroups(1, root / "memory" / "grader" / "session", root / "pids")
    assert found.folders == (found.memory, found.pids)
    assert not list(root.rglob("homs-probe-*")), "the probe folder is removed"


def test_a_v1_group_gets_its_limits_and_joins_both_hierarchies(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    root = v1_tree(monkeypatch, tmp_path)
    group = cgroups.find().group("k-1")
    group.make(memory=1 << 30, processes=64)
    assert (root / "memory/k-1/memory.limit_in_bytes").read_text() == str(1 << 30)
    assert (root / "memory/k-1/memory.memsw.limit_in_bytes").read_text() == str(1 << 30)
    assert (root / "pids/k-1/pids.max").read_text() == "64"
    assert group.procs == (
        str(root / "memory/k-1/cgroup.procs"),
        str(root / "pids/k-1/cgroup.procs"),
    )
    group.join(4242)
    assert group.pids_in() == {4242}
    assert not group.out_of_memory()
    (root / "memory/k-1/memory.oom_control").write_text(
        "oom_kill_disable 0\nunder_oom 0\noom_kill 2\n"
    )
    assert group.out_of_memory()
    (root / "pids/k-1/pids.peak").write_text("17\n")
    assert group.peak_processes() == 17


def test_no_limit_writes_no_limit_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    root = v1_tree(monkeypatch, tmp_path)
    cgroups.find().group("homs-1").make(memory=None, processes=None)
    assert sorted(p.name for p in (root / "memory/homs-1").iterdir()) == []
    assert sorted(p.name for p in (root / "pids/homs-1").iterdir()) == []


def test_v2_enables_the_controllers_it_needs(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The parent folder enables memory and pids for its children; a group with limits asks its
    own parent to enable them too (cgroup v2 gives a child only what its parent enables)."""
    root = v2_tree(monkeypatch, tmp_path, subtree="cpu")
    found = cgroups.find()
    assert found == cgroups.Cgroups(2, root, root)
    assert found.folders == (root,)
    assert (root / "cgroup.subtree_control").read_text() == "+memory +pids"

    (root / "cgroup.subtree_control").write_text("cpu memory pids")
    base = found.group("homs-7")
    base.make(memory=None, processes=None)
    (base.memory / "cgroup.subtree_control").write_text("")  # what the kernel shows
    kernel = cgroups.Group(2, base.memory / "k-1-1", base.pids / "k-1-1")
    kernel.make(memory=1 << 30, processes=64)
    assert (base.memory / "cgroup.subtree_control").read_text() == "+memory +pids"
    assert (kernel.memory / "memory.max").read_text() == str(1 << 30)
    assert (kernel.memory / "memory.swap.max").read_text() == "0"
    assert (kernel.memory / "pids.max").read_text() == "64"
    assert kernel.procs == (str(kernel.memory / "cgroup.procs"),)
    (kernel.memory / "memory.events").write_text("low 0\nhigh 0\nmax 4\noom 1\noom_kill 0\n")
    assert not kernel.out_of_memory()
    (kernel.memory / "memory.events").write_text("low 0\nhigh 0\nmax 4\noom 1\noom_kill 1\n")
    assert kernel.out_of_memory()


def test_v2_falls_back_to_the_root_when_its_own_group_cannot_delegate(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """This process's own group holds a process, so it cannot enable controllers for
    children (the kernel refuses the write, here a folder in place of the file): the root."""
    root = v2_tree(monkeypatch, tmp_path, subtree="memory pids")
    own = root / "system.slice" / "grader.service"
    own.mkdir(parents=True)
    (own / "cgroup.controllers").write_text("memory pids")
    (own / "cgroup.subtree_control").mkdir()
    monkeypatch.setattr(cgroups, "_PROC", tmp_path / "own")
    (tmp_path / "own").write_text("0::/system.slice/grader.service\n")
    assert cgroups.find() == cgroups.Cgroups(2, root, root)


def test_v2_without_memory_and_pids_is_skipped(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A hybrid system's unified hierarchy with no memory controller (as here) is not used."""
    root = v2_tree(monkeypatch, tmp_path)
    (root / "cgroup.controllers").write_text("hugetlb\n")
    found = cgroups.find()
    assert found.version == 0
    assert (root / "cgroup.subtree_control").read_text() == ""


def test_a_failed_limit_removes_the_half_made_group(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    root = v1_tree(monkeypatch, tmp_path)
    group = cgroups.find().group("k-2")
    write = cgroups._write

    def refuse(path: Path, value: int | str, *, optional: bool = False) -> None:
        if path.name == "pids.max":
            raise PermissionError(13, "Permission denied", str(path))
        write(path, value, optional=optional)

    monkeypatch.setattr(cgroups, "_write", refuse)
    with pytest.raises(PermissionError, match="Permission denied"):
        group.make(memory=None, processes=8)
    assert not (root / "memory" / "k-2").exists()
    assert not (root / "pids" / "k-2").exists()


def test_sweep_removes_only_the_folders_of_workers_that_are_gone(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    root = v1_tree(monkeypatch, tmp_path)
    found = cgroups.find()
    gone = 2**22 + 12345  # above pid_max's default: no such process
    for parent in found.folders:
        for name in (f"homs-{gone}", f"homs-{os.getpid()}", "homs-probe-1", "other"):
            (parent / name).mkdir()
    cgroups.sweep(found)
    for parent in found.folders:
        left = sorted(p.name for p in parent.iterdir() if p.is_dir())
        assert left == sorted([f"homs-{os.getpid()}", "homs-probe-1", "other"])
    cgroups.sweep(found, {os.getpid()})
    assert not (root / "memory" / f"homs-{os.getpid()}").exists()


def test_a_real_group_holds_and_kills_its_processes() -> None:
    """On this machine's hierarchy (when writable): a group with limits, a process in it,
    removed with the process killed."""
    found = cgroups.find()
    if not found.version:
        if os.environ.get("CI") == "true" and os.getuid() == 0:
            pytest.fail(f"control groups must be writable under CI as root: {found.reason}")
        pytest.skip(f"control groups are not writable here: {found.reason}")
    group = found.group(f"homs-{os.getpid()}-test")
    group.make(memory=256 << 20, processes=16)
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        group.join(child.pid)
        assert child.pid in group.pids_in()
        assert not group.out_of_memory()
        assert group.remove()
        assert child.wait(timeout=10) != 0, "the process left in the group is killed"
        assert not any(folder.exists() for folder in group.folders)
    finally:
        child.kill()
        child.wait()
        group.remove()


_FALLBACK = r"""
import subprocess, sys, tempfile, os
from homs.grading.engine.sandbox import limit_worker_memory
assert limit_worker_memory(1 << 30)
import numpy, zmq
assert float((numpy.ones((300, 300)) @ numpy.ones((300, 300)))[0, 0]) == 300.0
context = zmq.Context()
where = "ipc://" + os.path.join(tempfile.mkdtemp(), "s")
server, client = context.socket(zmq.PAIR), context.socket(zmq.PAIR)
server.bind(where)
client.connect(where)
client.send(b"x" * (16 << 20))
assert len(server.recv()) == 16 << 20
child = subprocess.run(
    [sys.executable, "-c", "import resource; resource.setrlimit(resource.RLIMIT_AS, "
     "(3 << 30, 3 << 30)); b = bytearray(1536 << 20); print('child held 1.5 GiB')"],
    capture_output=True, text=True, check=True,
)
print(child.stdout.strip())
try:
    held = bytearray(1536 << 20)
except MemoryError:
    print("worker refused 1.5 GiB")
"""


@pytest.mark.skipif(sys.platform != "linux", reason="RLIMIT_AS binds on Linux only")
def test_without_control_groups_a_worker_limits_its_own_address_space() -> None:
    """The fallback (a soft RLIMIT_AS) leaves numpy, ZeroMQ and the processes the worker starts
    working (they may raise their own limit), and refuses the worker more than its limit."""
    done = subprocess.run(
        [sys.executable, "-c", _FALLBACK], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split("\n")[:2] == ["child held 1.5 GiB", "worker refused 1.5 GiB"]


def test_a_worker_that_could_not_make_its_groups_says_so_in_each_result(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Control groups that looked usable but failed in the worker are named in each kernel's
    notes (the summary, made in the main process, could not know)."""
    from homs.grading.engine import worker

    monkeypatch.setattr(worker, "_WORKER", {"cgroups": (None, None), "cgroups_error": "EACCES"})
    notes: list[str] = []
    assert worker._kernel_group(None, None, notes) is None  # type: ignore[arg-type]
    assert notes == ["no control groups in this worker (EACCES): only per-process limits applied"]
