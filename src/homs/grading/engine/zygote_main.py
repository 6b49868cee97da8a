"""The kernel zygote: runs inside a worker's bubblewrap sandbox and forks one kernel per student.

Starting an IPython kernel costs about half a second of CPU, nearly all of it importing modules.
The zygote imports them once; for each student it forks a child that enters new mount, PID and
IPC namespaces, mounts a private ``/tmp`` and ``/proc``, sets resource limits, drops to an
unprivileged user, closes every inherited file descriptor, and starts the kernel in the
student's folder. Of the zygote's own folder, the kernel sees only its notebook's folder and its
runtime folder. All of a student's processes live in that PID namespace and die with it.

This file runs as a script (its text is passed to ``python -c``); it imports nothing from homs,
which the sandbox does not show. Protocol, one JSON object per line on stdin and stdout:

- request ``{"connection_file", "workdir", "root", "keep": [...], "uid", "limits": {...},
  "argv": [...]}``: ``keep`` are the folders under the zygote's ``root`` the kernel may see
- reply ``{"pid": <the kernel's pid>}`` or ``{"error": "..."}``
"""

import contextlib
import ctypes
import json
import os
import resource
import signal
import sys

CLONE_NEWNS = 0x00020000
CLONE_NEWIPC = 0x08000000
CLONE_NEWPID = 0x20000000
MS_PRIVATE = 1 << 18
MS_REC = 16384
MS_NOSUID = 2
MS_NODEV = 4
MS_RDONLY = 1
MS_REMOUNT = 32
MS_BIND = 4096
PR_SET_PDEATHSIG = 1
LIMITS = {
    "cpu": resource.RLIMIT_CPU,
    "mem": resource.RLIMIT_AS,
    "nproc": resource.RLIMIT_NPROC,
    "fsize": resource.RLIMIT_FSIZE,
    "nofile": resource.RLIMIT_NOFILE,
}

libc = ctypes.CDLL(None, use_errno=True)


def check(result, what):
    if result != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"{what}: {os.strerror(err)}")


def mount(source, target, fstype, flags, data):
    check(libc.mount(source, target, fstype, flags, data), f"mount {target!r}")


def become_kernel(request):
    """In the child: isolate, limit, drop privileges, become the kernel (never returns)."""
    check(libc.unshare(CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWIPC), "unshare")
    mount(b"none", b"/", None, MS_REC | MS_PRIVATE, None)
    # Of the zygote's folder, only this kernel's own folders stay visible: the other students
    # this worker grades at the same time (and any it grades later) are under an empty tmpfs.
    kept = [(path, os.open(path, os.O_PATH | os.O_DIRECTORY)) for path in request["keep"]]
    mount(b"tmpfs", request["root"].encode(), b"tmpfs", MS_NOSUID | MS_NODEV, b"mode=0755")
    for path, fd in kept:
        os.makedirs(path, mode=0o755, exist_ok=True)
        mount(f"/proc/self/fd/{fd}".encode(), path.encode(), None, MS_BIND | MS_REC, None)
        os.close(fd)
    # The sandbox's /tmp is shared by the students this worker grades one after another: make it
    # read-only here (mounts below it, such as a virtual environment, are untouched) and give
    # this kernel a temporary folder of its own beside its connection file.
    mount(b"none", b"/tmp", None, MS_REMOUNT | MS_BIND | MS_RDONLY, None)
    private = os.path.join(os.path.dirname(request["connection_file"]), "tmp")
    os.mkdir(private, 0o700)
    os.chown(private, request["uid"], request["uid"])
    for name, sub in (("TMPDIR", ""), ("IPYTHONDIR", "ipython"), ("MPLCONFIGDIR", "matplotlib")):
        os.environ[name] = os.path.join(private, sub) if sub else private
    kernel = os.fork()
    if kernel:
        # The first process of the new PID namespace is the kernel; this one reports its pid
        # (on fd 1, the zygote's pipe), then only waits for it, and dies with the zygote.
        check(libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0), "prctl")
        os.write(1, str(kernel).encode())
        null = os.open(os.devnull, os.O_RDWR)
        os.dup2(null, 1)
        _, status = os.waitpid(kernel, 0)
        os._exit(os.waitstatus_to_exitcode(status) & 0xFF)
    mount(b"proc", b"/proc", b"proc", MS_NOSUID | MS_NODEV, None)
    os.chdir(request["workdir"])
    for name, value in request["limits"].items():
        resource.setrlimit(LIMITS[name], (value, value))
    uid = request["uid"]
    os.setgroups([])
    os.setgid(uid)
    os.setuid(uid)
    # Changing user clears the parent-death signal: set it again, so the kernel (and with it the
    # whole PID namespace) dies if its parent does.
    check(libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0), "prctl")
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    os.closerange(3, 65536)
    os.environ["HOME"] = request["workdir"]
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    from ipykernel.kernelapp import IPKernelApp

    IPKernelApp.launch_instance(argv=["-f", request["connection_file"], *request["argv"]])
    os._exit(0)


def reap(_signum, _frame):
    try:
        while os.waitpid(-1, os.WNOHANG)[0] > 0:
            pass
    except ChildProcessError:
        pass


def serve():
    # Everything a kernel imports while it starts, imported once, before any fork (ipykernel's
    # debugger alone imports debugpy: 0.4 s of every kernel start).
    import importlib
    import threading

    for name in (
        "ipykernel.kernelapp",
        "ipykernel.ipkernel",
        "ipykernel.zmqshell",
        "ipykernel.debugger",
        "IPython.core.interactiveshell",
        "IPython.core.completer",
        "sqlite3",
        "pdb",
        "pydoc",
    ):
        with contextlib.suppress(ImportError):
            importlib.import_module(name)
    if threading.active_count() != 1:
        raise SystemExit("the zygote must not fork with threads running")

    signal.signal(signal.SIGCHLD, reap)
    out = sys.stdout
    out.write(json.dumps({"ready": True}) + "\n")
    out.flush()
    for line in sys.stdin:
        request = json.loads(line)
        report_r, report_w = os.pipe()
        child = os.fork()
        if child == 0:
            os.close(report_r)
            os.dup2(report_w, 1)  # the reporting process writes the kernel's pid here
            os.close(report_w)
            try:
                become_kernel(request)
            except BaseException as err:
                os.write(1, f"error:{err}".encode())
            os._exit(70)
        os.close(report_w)
        reply = b""
        while True:
            chunk = os.read(report_r, 512)
            if not chunk:
                break
            reply += chunk
        os.close(report_r)
        text = reply.decode()
        if text.isdigit():
            out.write(json.dumps({"pid": int(text), "reporter": child}) + "\n")
        else:
            out.write(json.dumps({"error": text or "the kernel process failed to start"}) + "\n")
        out.flush()


if __name__ == "__main__":
    serve()
