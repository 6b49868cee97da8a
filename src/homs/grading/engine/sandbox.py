"""Running a student's kernel in a sandbox.

On Linux with bubblewrap (Debian package ``bubblewrap``) the kernel:

- sees only its own working folder (read-write), read-only system and Python files, a private
  ``/tmp``, and nothing of the course: not ``source/``, not the gradebook, not other students;
- keeps its files (working folder and temporary folder) in a private filesystem of
  ``Limits.disk_bytes`` (a tmpfs), never on the disk the course and the gradebook are on;
- has no network: its own empty network namespace, one per kernel (forked from the zygote too),
  so two kernels graded at the same time share neither 127.0.0.1 nor abstract Unix sockets;
- runs as an unprivileged user when the grader is root, so process limits bind;
- has limits on CPU time, memory, processes, file size and open files per process, and, in a
  control group of its own (:mod:`.cgroups`), on the memory and the number of all its processes
  together; the grading worker has a memory limit of its own too (its control group, or
  without one its own address space: :func:`limit_worker_memory`);
- can send the grader no message over ``Limits.message_bytes`` (ZeroMQ drops it unread; the
  cell is stopped and noted as over the limit, and the notebook goes on), and no more than
  ``Limits.output_bytes`` of output per notebook (the rest is dropped as it arrives).

Without bubblewrap (macOS, or no user namespaces) only the resource limits apply; without
writable control groups (not root) the limits together do not; :func:`sandbox_status` says
which limits are missing, loudly, so the summary can warn the teacher.

The runtime folder (connection file, ipc sockets) is on the grader's disk, outside the private
filesystem: the kernel may write there only until it is ready (sockets bound, before any cell
runs); then the folder becomes the grader's (root's). When the grader is not root the kernel
runs as the grader's own user and keeps the folder: only the per-file size limit bounds it.

The kernel talks to the grader over ZeroMQ ``ipc`` sockets in a runtime folder bound at the same
path inside and outside the sandbox, because TCP on loopback does not cross network namespaces.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from homs.grading.engine import cgroups

__all__ = [
    "MESSAGE_SLACK",
    "ForkedKernel",
    "Limits",
    "SandboxStatus",
    "Zygote",
    "bubblewrap_command",
    "cgroup_command",
    "launcher_command",
    "limit_worker_memory",
    "missing_limits",
    "sandbox_status",
]

# Set in the sandbox before the kernel starts: rlimits, then (when root) an unprivileged user.
_LAUNCHER = """\
import os, resource, sys
limits = dict(cpu=resource.RLIMIT_CPU, mem=resource.RLIMIT_AS, nproc=resource.RLIMIT_NPROC,
              fsize=resource.RLIMIT_FSIZE, nofile=resource.RLIMIT_NOFILE)
args = sys.argv[1:]
while args and args[0] != "--":
    name, value = args.pop(0).split("=")
    if name == "uid":
        uid = int(value)
        if os.getuid() == 0 and uid:
            os.setgroups([])
            os.setgid(uid)
            os.setuid(uid)
        continue
    value = int(value)
    resource.setrlimit(limits[name], (value, value))
os.execv(args[1], args[1:])
"""
_HIDDEN = "/tmp"
# Every namespace but the user namespace: as root the launcher needs real setgid/setuid to reach
# an unprivileged user (inside a user namespace it would stay root outside, and process limits
# would not bind). Unprivileged, bubblewrap makes a user namespace by itself.
_UNSHARE = [
    "--unshare-ipc",
    "--unshare-pid",
    "--unshare-net",
    "--unshare-uts",
    "--unshare-cgroup-try",
]


@dataclass(frozen=True)
class Limits:
    """Resource limits for one student's kernel.

    Attributes:
        cpu_seconds: CPU time for the whole kernel process.
        memory_bytes: Address space of each process.
        processes: Processes and threads for the sandbox user.
        file_bytes: Largest file the kernel may write.
        open_files: Open file descriptors.
        wall_seconds: Wall-clock time for the whole notebook (enforced by the executor).
        cell_seconds: Wall-clock time for one cell (enforced by the executor).
        output_bytes: Output kept per notebook, counted as it arrives; the rest is dropped
            with a note. No single message from the kernel may be larger than this and
            :data:`MESSAGE_SLACK` together: ZeroMQ drops it before the grader reads it.
        kernel_memory_bytes: Memory of all the kernel's processes together, its files in the
            private filesystem included (a control group). Above ``memory_bytes`` and
            ``disk_bytes`` together, so that one greedy process gets a ``MemoryError`` (its own
            address space) before the group's limit kills the kernel.
        disk_bytes: Size of the kernel's private filesystem: its working folder and its
            temporary folder.
        worker_memory_bytes: Memory of each grading worker process (a control group), which
            holds the notebooks and outputs of the students it grades.
    """

    cpu_seconds: int = 60
    memory_bytes: int = 2 << 30
    processes: int = 256
    file_bytes: int = 64 << 20
    open_files: int = 256
    wall_seconds: int = 120
    cell_seconds: int = 30
    output_bytes: int = 1 << 20
    kernel_memory_bytes: int = (2 << 30) + (512 << 20)
    disk_bytes: int = 256 << 20
    worker_memory_bytes: int = 2 << 30

    @property
    def message_bytes(self) -> int:
        """The largest message the grader reads from a kernel (ZeroMQ's ``MAXMSGSIZE``)."""
        return self.output_bytes + MESSAGE_SLACK


#: What a message may hold beyond the output limit (headers, a cell's error, a small image).
MESSAGE_SLACK = 1 << 20


@dataclass(frozen=True)
class SandboxStatus:
    """Whether the bubblewrap sandbox is available, and why not when it is not."""

    isolated: bool
    reason: str
    #: Limits that do not apply here, and why (empty when every limit applies).
    missing: tuple[str, ...] = ()

    @property
    def warning(self) -> str | None:
        """A loud warning for the summary when only resource limits apply, or when some of the
        limits on a kernel's processes together are missing."""
        text = []
        if not self.isolated:
            text.append(
                "WARNING: student code ran WITHOUT filesystem and network isolation "
                f"({self.reason}); only resource limits applied. Scores are still decided "
                "outside the student's process. Install bubblewrap (apt-get install bubblewrap) "
                "to isolate."
            )
        if self.missing:
            text.append(
                "WARNING: these limits did not apply: "
                + "; ".join(self.missing)
                + ". Each kernel process still had its own resource limits."
            )
        return " ".join(text) or None


def sandbox_status() -> SandboxStatus:
    """Checks that bubblewrap exists and can create a sandbox on this machine."""
    import subprocess

    if sys.platform != "linux":
        return SandboxStatus(
            False, f"bubblewrap needs Linux; this is {sys.platform}", missing_limits(False)
        )
    bwrap = shutil.which("bwrap")
    if bwrap is None:
        return SandboxStatus(False, "bubblewrap (bwrap) is not installed", missing_limits(False))
    probe = [bwrap, *_UNSHARE, *_system_binds(), "--die-with-parent", "--", "/bin/true"]
    try:
        result = subprocess.run(probe, capture_output=True, text=True, timeout=20, check=False)
    except (OSError, subprocess.TimeoutExpired) as err:
        return SandboxStatus(False, f"bwrap failed to start: {err}", missing_limits(False))
    if result.returncode != 0:
        return SandboxStatus(
            False, f"bwrap cannot create a sandbox: {result.stderr.strip()}", missing_limits(False)
        )
    return SandboxStatus(True, "bubblewrap", missing_limits())


def missing_limits(isolated: bool = True) -> tuple[str, ...]:
    """The limits on kernels and workers that cannot apply on this machine, each with why."""
    found = cgroups.find()
    missing = []
    if not found.version:
        missing += [
            f"memory of a kernel's processes together ({found.reason})",
            f"number of a kernel's processes together ({found.reason})",
        ]
        if sys.platform != "linux":  # on Linux each worker limits its own address space
            missing.append(f"memory of the grading workers ({found.reason})")
    if isolated and os.getuid() != 0:
        missing.append(
            "disk: the kernel runs as the grader's own user (not root), so its runtime folder "
            "(connection file, sockets) stays writable to it, bounded by the per-file limit only"
        )
    if not isolated:
        missing += [
            "disk: no private size-limited filesystem without bubblewrap",
            "network: kernels share the grader's network without bubblewrap",
        ]
    return tuple(missing)


def limit_worker_memory(limit: int) -> bool:
    """The grading worker's memory without a control group: a soft limit on its own address
    space (``RLIMIT_AS``), so that outputs it holds or a leak end in a ``MemoryError`` in the
    worker, not in the machine's memory. Only the soft limit: the processes it starts (the
    zygote, bubblewrap, the launcher) set their own, higher if need be. ``False`` where the
    system has no such limit."""
    try:
        import resource

        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        if soft == resource.RLIM_INFINITY or soft > limit:
            resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ImportError, OSError, ValueError):
        return False
    return sys.platform == "linux"  # elsewhere (macOS) the limit is accepted but not enforced


def _system_binds() -> list[str]:
    args: list[str] = ["--ro-bind", "/usr", "/usr"]
    for name in ("bin", "sbin", "lib", "lib32", "lib64", "libx32"):
        path = Path("/") / name
        if path.is_symlink():
            args += ["--symlink", os.readlink(path), str(path)]
        elif path.is_dir():
            args += ["--ro-bind", str(path), str(path)]
    for name in ("ld.so.cache", "localtime", "alternatives"):
        args += ["--ro-bind-try", f"/etc/{name}", f"/etc/{name}"]
    return args


def _parents(path: Path, made: set[Path]) -> list[str]:
    """``--dir`` arguments creating each missing parent of ``path`` world-traversable."""
    args: list[str] = []
    for parent in reversed(path.parents):
        if parent == Path("/") or parent in made or str(parent) in ("/usr", "/tmp"):
            continue
        made.add(parent)
        args += ["--perms", "0755", "--dir", str(parent)]
    return args


def _python_paths() -> list[Path]:
    """The Python installation and environment the kernel needs, read-only."""
    paths = {Path(sys.base_prefix).resolve(), Path(sys.prefix).resolve(), Path(sys.prefix)}
    executable = Path(sys.executable)
    paths.add(executable.resolve().parent.parent)
    # The test cells' form checks (no key): in an editable install they live beside homs in
    # src/, which is not in the environment; bound alone, homs stays out of reach.
    checks = _checks_package()
    if not any(checks.is_relative_to(p) for p in paths):
        paths.add(checks)
    return sorted(p for p in paths if not str(p).startswith("/usr"))


def _checks_package() -> Path:
    """The folder of :mod:`homs_checks`, which the test cells import and the kernel may read."""
    import homs_checks

    return Path(homs_checks.__file__).resolve().parent


def _hidden_packages() -> list[Path]:
    """Installed folders the kernel must not read: homs itself (it holds the quiz specs),
    wherever an installation put it (an editable install leaves a ``homs/`` in site-packages).
    ``homs_checks`` (the test cells' form checks, no key) is another package and stays
    readable."""
    found = {Path(__file__).resolve().parents[2]}  # homs/grading/engine/sandbox.py
    for entry in sys.path:
        candidate = Path(entry or ".") / "homs"
        if entry and candidate.is_dir():
            found.add(candidate.resolve())
    return sorted(found)


def _python_binds(made: set[Path]) -> list[str]:
    """Read-only binds of the Python installation, with homs itself masked by an empty tmpfs."""
    args: list[str] = []
    for path in _python_paths():
        args += [*_parents(path, made), "--ro-bind", str(path), str(path)]
    for path in _hidden_packages():
        if any(path.is_relative_to(p) for p in _python_paths()):
            args += ["--tmpfs", str(path)]
    return args


def bubblewrap_command(
    argv: list[str], workdir: Path, runtime: Path, uid: int, disk_bytes: int | None = None
) -> list[str]:
    """Wraps ``argv`` in bubblewrap: only ``workdir`` and ``runtime`` are writable and visible.

    Args:
        argv: The command to run (the launcher and the kernel).
        workdir: The student's notebook folder; it becomes the working directory.
        runtime: The folder with the connection file and ipc sockets.
        uid: The unprivileged user the launcher switches to when started as root.
        disk_bytes: When given, ``/tmp`` and the working folder are private filesystems of this
            size each (in memory), with the working folder's files in it read-only.
    """
    bwrap = shutil.which("bwrap") or "bwrap"
    made: set[Path] = set()
    size = ["--size", str(disk_bytes)] if disk_bytes else []
    args = [bwrap, *_UNSHARE, "--die-with-parent", "--new-session", *_system_binds()]
    args += ["--proc", "/proc", "--dev", "/dev", "--perms", "01777", *size, "--tmpfs", "/tmp"]
    for path in _python_paths():
        args += [*_parents(path, made), "--ro-bind", str(path), str(path)]
    for path in _hidden_packages():
        if any(path.is_relative_to(p) for p in _python_paths()):
            args += ["--tmpfs", str(path)]
    if disk_bytes:
        args += [*_parents(workdir, made), "--perms", "01777", *size, "--tmpfs", str(workdir)]
        for file in sorted(workdir.rglob("*")):
            if file.is_file() and not file.is_symlink():
                args += ["--ro-bind", str(file), str(file)]
        args += [*_parents(runtime, made), "--bind", str(runtime), str(runtime)]
    else:
        for path in (workdir, runtime):
            args += [*_parents(path, made), "--bind", str(path), str(path)]
    args += ["--chdir", str(workdir), "--clearenv", *_environment(workdir)]
    if os.getuid() == 0:
        args += ["--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID"]
    return [*args, "--", *argv]


def cgroup_command(argv: list[str], procs: tuple[str, ...]) -> list[str]:
    """``argv`` started in a control group: a shell writes its pid to each ``cgroup.procs``
    file (:attr:`.cgroups.Group.procs`), then becomes ``argv``."""
    if not procs:
        return argv
    script = (
        'n=0; for f; do [ "$f" = -- ] && break; echo $$ > "$f" || exit 71; n=$((n+1)); done; '
        'shift $((n+1)); exec "$@"'
    )
    return ["/bin/sh", "-c", script, "sh", *procs, "--", *argv]


def launcher_command(kernel: list[str], limits: Limits, uid: int) -> list[str]:
    """The kernel command behind the launcher that sets limits and drops privileges."""
    options = [
        f"cpu={limits.cpu_seconds}",
        f"mem={limits.memory_bytes}",
        f"nproc={limits.processes}",
        f"fsize={limits.file_bytes}",
        f"nofile={limits.open_files}",
        f"uid={uid}",
    ]
    return [sys.executable, "-I", "-c", _LAUNCHER, *options, "--", *kernel]


class ForkedKernel:
    """A ``subprocess.Popen``-like handle on a kernel the zygote forked (not our child).

    The kernel's start time is checked with its pid, so a reused pid is never taken for it.
    """

    stdin = stdout = stderr = None

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self._started = self._start_time()
        self.returncode: int | None = None

    def _start_time(self) -> str | None:
        try:
            return Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()[19]
        except (OSError, IndexError):
            return None

    def poll(self) -> int | None:
        if self.returncode is None:
            started = self._start_time()
            if started is None or started != self._started:
                self.returncode = -9
            else:
                state = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
                if state in ("Z", "X"):
                    self.returncode = -9
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        import subprocess
        import time

        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(str(self.pid), timeout or 0)
            time.sleep(0.01)
        return self.returncode or 0

    def send_signal(self, signum: int) -> None:
        if self.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signum)

    def kill(self) -> None:
        import signal

        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        import signal

        self.send_signal(signal.SIGTERM)


class Zygote:
    """One sandbox per worker in which a pre-warmed Python forks a fresh kernel per student.

    The zygote runs in bubblewrap (no network, read-only system and Python, only ``root``
    writable) and imports ipykernel once; each kernel it forks gets new mount, PID and IPC
    namespaces, a private ``/tmp`` and ``/proc``, resource limits and an unprivileged user. Of
    ``root`` it sees only its own notebook's and runtime folders, so the students a worker
    grades at the same time, or one after another, never see each other.
    """

    def __init__(self, root: Path, cgroup_folders: tuple[Path, ...] = ()) -> None:
        """Starts the zygote for a worker's scratch folder ``root``.

        Args:
            root: The worker's scratch folder (the kernels' folders are made in it).
            cgroup_folders: The worker's folders of kernel control groups: bound in the
                zygote's sandbox so that a kernel joins its group before it runs, and
                unmounted in each kernel's.
        """
        import json
        import subprocess

        self.root = root
        self.cgroup_folders = tuple(str(p) for p in cgroup_folders)
        source = (Path(__file__).with_name("zygote_main.py")).read_text("utf-8")
        argv = [sys.executable, "-I", "-c", source]
        made: set[Path] = set()
        bwrap = shutil.which("bwrap") or "bwrap"
        args = [
            bwrap,
            "--unshare-ipc",
            "--unshare-net",
            "--unshare-uts",
            "--die-with-parent",
            *_system_binds(),
            "--proc",
            "/proc",
            "--dev",
            "/dev",
            "--perms",
            "01777",
            "--tmpfs",
            "/tmp",
        ]
        args += _python_binds(made)
        args += [*_parents(root, made), "--bind", str(root), str(root), "--chdir", str(root)]
        for folder in self.cgroup_folders:
            args += ["--bind", folder, folder]
        args += ["--clearenv", *_environment(root)]
        for cap in ("CAP_SYS_ADMIN", "CAP_SETUID", "CAP_SETGID"):
            args += ["--cap-add", cap]
        self.process = subprocess.Popen(
            [*args, "--", *argv],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            bufsize=1,
            start_new_session=True,
        )
        ready = self.process.stdout.readline() if self.process.stdout else ""
        if not ready or not json.loads(ready).get("ready"):
            self.close()
            raise OSError("the kernel zygote did not start")

    def spawn(
        self,
        connection_file: str,
        workdir: Path,
        uid: int,
        limits: Limits,
        argv: list[str],
        cgroup_procs: tuple[str, ...] = (),
    ) -> ForkedKernel:
        """Forks a sandboxed kernel for one student; returns a handle on it.

        Args:
            connection_file: The kernel's connection file (its folder is the runtime folder).
            workdir: The student's folder: copied into the kernel's private filesystem.
            uid: The unprivileged user the kernel runs as.
            limits: The kernel's limits.
            argv: Extra arguments for the kernel.
            cgroup_procs: The ``cgroup.procs`` files of the kernel's control group, under
                the folders the zygote was started with.
        """
        import json

        request = {
            "connection_file": connection_file,
            "workdir": str(workdir),
            "root": str(self.root),
            "runtime": str(Path(connection_file).parent),
            "uid": uid,
            "argv": argv,
            "limits": _rlimits(limits),
            "disk": limits.disk_bytes,
            "cgroup": list(cgroup_procs),
            "unmount": list(self.cgroup_folders),
        }
        if self.process.stdin is None or self.process.stdout is None:
            raise OSError("the kernel zygote has no pipes")
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        reply = json.loads(self.process.stdout.readline() or '{"error": "zygote exited"}')
        if "pid" not in reply:
            raise OSError(f"the kernel zygote could not start a kernel: {reply.get('error')}")
        return ForkedKernel(int(reply["pid"]))

    def close(self) -> None:
        """Stops the zygote (its kernels die with it)."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def _rlimits(limits: Limits) -> dict[str, int]:
    return {
        "cpu": limits.cpu_seconds,
        "mem": limits.memory_bytes,
        "nproc": limits.processes,
        "fsize": limits.file_bytes,
        "nofile": limits.open_files,
    }


def _environment(home: Path) -> list[str]:
    env = {
        "HOME": str(home),
        "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin",
        "IPYTHONDIR": f"{_HIDDEN}/ipython",
        "MPLCONFIGDIR": f"{_HIDDEN}/matplotlib",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",
        "LANG": "C.UTF-8",
    }
    return [arg for key, value in env.items() for arg in ("--setenv", key, value)]
