"""The kernel zygote: runs inside a worker's bubblewrap sandbox and forks one kernel per student.

Starting an IPython kernel costs about half a second of CPU, nearly all of it importing modules.
The zygote imports them once; for each student it forks a child that joins the kernel's control
group (memory and processes of all its processes together), enters new mount, PID, IPC and
network namespaces (no network, not even a loopback shared with another kernel; abstract Unix
sockets are per network namespace), mounts a private filesystem of a limited size over the
zygote's folder with a copy of the student's folder and a temporary folder in it, sets resource
limits, drops to an unprivileged user, closes every inherited file descriptor, and starts the
kernel in the student's folder. Of the zygote's own folder, the kernel sees only that copy and
its own runtime folder (the connection file and ipc sockets). All of a student's processes live
in that PID namespace and die with it.

This file runs as a script (its text is passed to ``python -c``); it imports nothing from homs,
which the sandbox does not show. Protocol, one JSON object per line on stdin and stdout:

- request ``{"connection_file", "workdir", "root", "runtime", "uid", "limits": {...},
  "disk", "cgroup": [...], "unmount": [...], "argv": [...]}``: ``runtime`` is the folder under
  ``root`` the kernel shares with the grader, ``disk`` the size of its private filesystem,
  ``cgroup`` the ``cgroup.procs`` files it joins, ``unmount`` the control group folders it
  must not see
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
CLONE_NEWNET = 0x40000000
MNT_DETACH = 2
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


def copy_tree(source, target, uid):
    """Copies the student's folder (the assignment's files) into the private filesystem."""
    for folder, _dirs, files in os.walk(source):
        rel = os.path.relpath(folder, source)
        here = os.path.normpath(os.path.join(target, rel))
        os.makedirs(here, mode=0o755, exist_ok=True)
        os.chown(here, uid, uid)
        for name in files:
            path = os.path.join(here, name)
            with open(os.path.join(folder, name), "rb") as src, open(path, "wb") as dst:
                while chunk := src.read(1 << 20):
                    dst.write(chunk)
            os.chown(path, uid, uid)


def become_kernel(request):
    """In the child: isolate, limit, drop privileges, become the kernel (never returns)."""
    # Join the kernel's control group first: everything it starts counts together.
    for procs in request.get("cgroup", ()):
        with open(procs, "w") as handle:
            handle.write(str(os.getpid()))
    check(libc.unshare(CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWNET), "unshare")
    mount(b"none", b"/", None, MS_REC | MS_PRIVATE, None)
    # The control groups of this worker's kernels: not for the kernel's eyes.
    for folder in request.get("unmount", ()):
        check(libc.umount2(folder.encode(), MNT_DETACH), f"umount {folder!r}")
    # Of the zygote's folder, only this kernel's runtime folder stays visible, and a copy of its
    # own folder: the other students this worker grades at the same time (and any it grades
    # later) are under a private filesystem of the kernel's own, whose size limits its disk.
    uid = request["uid"]
    root, workdir, runtime = request["root"], request["workdir"], request["runtime"]
    source = os.open(workdir, os.O_PATH | os.O_DIRECTORY)
    kept = os.open(runtime, os.O_PATH | os.O_DIRECTORY)
    disk = int(request.get("disk") or 0)
    options = f"mode=0755,size={disk},nr_inodes={max(disk >> 12, 1024)}" if disk else "mode=0755"
    mount(b"tmpfs", root.encode(), b"tmpfs", MS_NOSUID | MS_NODEV, options.encode())
    copy_tree(f"/proc/self/fd/{source}", workdir, uid)
    os.close(source)
    os.makedirs(runtime, mode=0o755, exist_ok=True)
    mount(f"/proc/self/fd/{kept}".encode(), runtime.encode(), None, MS_BIND | MS_REC, None)
    os.close(kept)
    # The sandbox's /tmp is shared by the students this worker grades one after another: make it
    # read-only here (mounts below it, such as a virtual environment, are untouched) and give
    # this kernel a temporary folder of its own in its private filesystem.
    mount(b"none", b"/tmp", None, MS_REMOUNT | MS_BIND | MS_RDONLY, None)
    private = os.path.join(root, "tmp")
    os.mkdir(private, 0o700)
    os.chown(private, uid, uid)
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
