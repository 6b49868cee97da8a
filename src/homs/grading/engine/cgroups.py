"""Control groups: memory and process limits for all of a kernel's processes together.

Resource limits (``setrlimit``) bind each process alone: three forked children of 1 GiB each
pass a 2 GiB limit. A control group counts them together. Each worker makes a folder of its
own, ``homs-<worker pid>``, under the cgroup the grader runs in (or the hierarchy's root when
that is not writable), and in it one group per kernel (``k-<n>``, memory and ``pids`` limits,
no swap) and one for itself (``worker``, a memory limit: outputs it holds, a leak). Kernel
groups are siblings of the worker's, so a kernel's memory never counts against the worker.

cgroup v1 (separate ``memory`` and ``pids`` hierarchies) and cgroup v2 (one unified hierarchy,
when its ``memory`` and ``pids`` controllers can be delegated here) are both used as found.
Where neither is writable (not root, a laptop), or with ``HOMS_CGROUPS=off`` in the
environment, :func:`find` says why and only the resource limits apply. Imports nothing of homs.
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Cgroups", "Group", "find", "sweep"]

_MOUNT = Path("/sys/fs/cgroup")
_PROC = Path("/proc/self/cgroup")
_PREFIX = "homs-"
_CONTROLLERS = ("memory", "pids")


@dataclass(frozen=True)
class Cgroups:
    """Where this process may make control groups.

    Attributes:
        version: 1 or 2; 0 when none can be made here.
        memory: The folder new memory groups go in (v2: the one folder for both).
        pids: The folder new ``pids`` groups go in (v2: the same as ``memory``).
        reason: Why no group can be made (when ``version`` is 0).
    """

    version: int
    memory: Path | None = None
    pids: Path | None = None
    reason: str = ""

    @property
    def folders(self) -> tuple[Path, ...]:
        """The parent folders (one for v2, two for v1)."""
        return tuple(dict.fromkeys(p for p in (self.memory, self.pids) if p is not None))

    def group(self, name: str) -> Group:
        """A group named ``name`` under every parent folder (not yet made)."""
        if self.memory is None or self.pids is None:
            raise OSError(f"no control groups here: {self.reason}")
        return Group(self.version, self.memory / name, self.pids / name)


@dataclass(frozen=True)
class Group:
    """One control group: a folder in the memory hierarchy and one in the pids hierarchy (the
    same folder in cgroup v2)."""

    version: int
    memory: Path
    pids: Path

    @property
    def folders(self) -> tuple[Path, ...]:
        return tuple(dict.fromkeys((self.memory, self.pids)))

    @property
    def procs(self) -> tuple[str, ...]:
        """The ``cgroup.procs`` files a process writes its pid to, to join."""
        return tuple(str(folder / "cgroup.procs") for folder in self.folders)

    def make(self, *, memory: int | None, processes: int | None) -> None:
        """Makes the group with these limits (``None``: no limit of that kind)."""
        for folder in self.folders:
            folder.mkdir(exist_ok=True)
        try:
            if self.version == 2:
                if memory is not None or processes is not None:
                    # cgroup v2 gives a group the controllers its parent enables for children.
                    _enable(self.memory.parent)
                if memory is not None:
                    _write(self.memory / "memory.max", memory)
                    _write(self.memory / "memory.swap.max", 0, optional=True)
                if processes is not None:
                    _write(self.pids / "pids.max", processes)
            else:
                if memory is not None:
                    _write(self.memory / "memory.limit_in_bytes", memory)
                    _write(self.memory / "memory.memsw.limit_in_bytes", memory, optional=True)
                if processes is not None:
                    _write(self.pids / "pids.max", processes)
        except OSError:
            self.remove()
            raise

    def join(self, pid: int = 0) -> None:
        """Moves a process (this one by default) into the group."""
        for path in self.procs:
            _write(Path(path), pid or os.getpid())

    def pids_in(self) -> set[int]:
        found: set[int] = set()
        for path in self.procs:
            with contextlib.suppress(OSError, ValueError):
                found |= {int(line) for line in Path(path).read_text().split()}
        return found

    def out_of_memory(self) -> bool:
        """Whether the kernel OOM-killed a process of the group for its memory limit."""
        events = self.memory / ("memory.events" if self.version == 2 else "memory.oom_control")
        with contextlib.suppress(OSError, ValueError):
            for line in events.read_text().splitlines():
                key, _, value = line.partition(" ")
                if key == "oom_kill" and int(value) > 0:
                    return True
        return False

    def peak_processes(self) -> int | None:
        with contextlib.suppress(OSError, ValueError):
            return int((self.pids / "pids.peak").read_text())
        return None

    def remove(self, wait: float = 5.0) -> bool:
        """Removes the group, killing what is left in it; ``False`` if a folder stays."""
        deadline = time.monotonic() + wait
        for folder in self.folders:
            for child in sorted(folder.iterdir() if folder.is_dir() else ()):
                if child.is_dir() and (child / "cgroup.procs").exists():
                    Group(self.version, child, child).remove(wait)
        while True:
            left = [f for f in self.folders if f.is_dir()]
            for folder in left:
                with contextlib.suppress(OSError):
                    folder.rmdir()
            if not any(f.is_dir() for f in self.folders):
                return True
            if time.monotonic() > deadline:
                return False
            for pid in self.pids_in():
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGKILL)
            time.sleep(0.01)


def _write(path: Path, value: int | str, *, optional: bool = False) -> None:
    try:
        with path.open("w") as handle:
            handle.write(str(value))
    except FileNotFoundError:
        if not optional:
            raise
    except OSError:
        if not optional:
            raise


def _enable(folder: Path) -> None:
    """Enables the memory and pids controllers for the children of a cgroup v2 folder (which
    must hold no process itself, unless it is the hierarchy's root)."""
    enabled = set((folder / "cgroup.subtree_control").read_text().split())
    missing = [name for name in _CONTROLLERS if name not in enabled]
    if missing:
        _write(folder / "cgroup.subtree_control", " ".join(f"+{name}" for name in missing))


def _own_paths() -> dict[str, str]:
    """This process's cgroup path per v1 controller, and ``""`` for the v2 hierarchy."""
    paths: dict[str, str] = {}
    with contextlib.suppress(OSError):
        for line in _PROC.read_text().splitlines():
            _, controllers, path = line.split(":", 2)
            for name in controllers.split(",") if controllers else [""]:
                paths[name] = path
    return paths


def _writable(folder: Path) -> bool:
    probe = folder / f"{_PREFIX}probe-{os.getpid()}"
    try:
        probe.mkdir()
    except OSError:
        return False
    with contextlib.suppress(OSError):
        probe.rmdir()
    return True


def _v1_parent(controller: str, own: str) -> Path | None:
    mount = _MOUNT / controller
    if not (mount / "cgroup.procs").is_file() or not os.access(mount, os.W_OK):
        return None
    for folder in (mount / own.lstrip("/"), mount):
        if folder.is_dir() and _writable(folder):
            return folder
    return None


def _v2_parent(own: str) -> Path | None:
    """The folder of the v2 hierarchy new groups go in: this process's own group, or the
    hierarchy's root (a group that holds processes, as this one does unless it is the root,
    cannot enable controllers for children)."""
    for mount in (_MOUNT, _MOUNT / "unified"):
        if not (mount / "cgroup.controllers").is_file():
            continue
        for folder in dict.fromkeys((mount / own.lstrip("/"), mount)):
            try:
                available = set((folder / "cgroup.controllers").read_text().split())
                if not set(_CONTROLLERS) <= available:
                    continue
                _enable(folder)
            except OSError:
                continue
            if _writable(folder):
                return folder
    return None


def find() -> Cgroups:
    """Where this process may make memory and ``pids`` groups (v2 first, then v1); none when
    the environment variable ``HOMS_CGROUPS`` is ``off`` (to see what happens without)."""
    if os.environ.get("HOMS_CGROUPS") == "off":
        return Cgroups(0, reason="turned off by HOMS_CGROUPS=off")
    if not _MOUNT.is_dir():
        return Cgroups(0, reason="no control groups on this system")
    own = _own_paths()
    if "" in own:
        folder = _v2_parent(own[""])
        if folder is not None:
            return Cgroups(2, folder, folder)
    memory = _v1_parent("memory", own.get("memory", "/"))
    pids = _v1_parent("pids", own.get("pids", "/"))
    if memory is not None and pids is not None:
        return Cgroups(1, memory, pids)
    who = "not root" if os.getuid() != 0 else "root, but the hierarchies are read-only"
    return Cgroups(
        0, reason=f"no writable cgroup memory and pids controllers (v1 or v2) here ({who})"
    )


def sweep(found: Cgroups, pids: set[int] | None = None) -> None:
    """Removes the folders of workers that are gone (or of ``pids``), with their groups."""
    for parent in found.folders:
        for folder in parent.glob(f"{_PREFIX}*"):
            owner = folder.name.removeprefix(_PREFIX)
            if not owner.isdigit():
                continue
            if (pids is not None and int(owner) in pids) or not Path(f"/proc/{owner}").exists():
                Group(found.version, folder, folder).remove(wait=2.0)
