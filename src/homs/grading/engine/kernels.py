"""Starting a student's kernel in the sandbox, through jupyter_client's provisioner interface.

:class:`SandboxProvisioner` is a jupyter_client kernel provisioner (registered under the entry
point ``homs-sandbox`` of ``jupyter_client.kernel_provisioners`` in ``pyproject.toml``): it
launches the kernel behind the launcher that sets its limits and drops privileges, inside
bubblewrap (:mod:`.sandbox`), or forks it from the worker's pre-warmed zygote. The kernel is
always the grader's own Python kernel, whatever kernelspec the notebook claims.
:func:`kernel_manager` gives nbclient an ``AsyncKernelManager`` whose kernelspec names this
provisioner; nothing of jupyter_client's private interface is overridden.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

from jupyter_client.kernelspec import KernelSpec, KernelSpecManager
from jupyter_client.manager import AsyncKernelManager
from jupyter_client.provisioning import LocalProvisioner
from traitlets import Any as AnyTrait
from traitlets import Bool, Int, Unicode

from homs.grading.engine.sandbox import (
    ForkedKernel,
    Limits,
    Zygote,
    bubblewrap_command,
    cgroup_command,
    launcher_command,
)

__all__ = ["KERNEL_NAME", "PROVISIONER", "SandboxProvisioner", "kernel_manager"]

#: The entry point name of :class:`SandboxProvisioner`.
PROVISIONER = "homs-sandbox"
#: The name of the kernelspec that :func:`kernel_manager` serves.
KERNEL_NAME = "homs-sandboxed-python"


class SandboxProvisioner(LocalProvisioner):  # type: ignore[misc]
    """Launches a kernel with limits, as an unprivileged user, in bubblewrap or from a zygote."""

    workdir = Unicode(help="The student's notebook folder (a private copy): the working folder.")
    runtime = Unicode(help="An empty private folder for the connection file and sockets.")
    uid = Int(65534, help="The unprivileged user the kernel runs as when the grader is root.")
    isolated = Bool(True, help="Run in bubblewrap; otherwise resource limits only.")
    limits = AnyTrait(help="The kernel's resource limits (homs.grading.Limits).")
    zygote = AnyTrait(None, allow_none=True, help="The worker's kernel zygote, if any.")
    cgroup_procs = AnyTrait(
        (), help="The cgroup.procs files of the kernel's control group; empty for none."
    )

    async def pre_launch(self, **kwargs: Any) -> dict[str, Any]:
        """jupyter_client's own preparation (connection file, kernel command); then the
        connection file is handed to the kernel's user."""
        kwargs = await super().pre_launch(**kwargs)
        if os.getuid() == 0 and self.isolated and self.parent is not None:
            os.chown(self.parent.connection_file, self.uid, self.uid)
        return kwargs

    async def launch_kernel(self, cmd: list[str], **kwargs: Any) -> dict[str, Any]:
        """Forks the kernel from the zygote, or starts it behind the launcher in bubblewrap."""
        limits = self.limits or Limits()
        workdir = Path(self.workdir)
        if self.zygote is not None:
            connection_file = self.parent.connection_file
            extra = cmd[cmd.index(connection_file) + 1 :]
            self.process = self.zygote.spawn(
                connection_file, workdir, self.uid, limits, extra, tuple(self.cgroup_procs)
            )
            self.pid = self.process.pid
            self.pgid = None
            self.cwd = workdir
            return self.connection_info
        argv = launcher_command(cmd, limits, self.uid if self.isolated else 0)
        if self.isolated:
            argv = bubblewrap_command(
                argv, workdir, Path(self.runtime), self.uid, limits.disk_bytes
            )
        argv = cgroup_command(argv, tuple(self.cgroup_procs))
        # The kernel's own chatter goes nowhere; its outputs reach the notebook over ZeroMQ.
        for stream in ("stdout", "stderr", "stdin"):
            kwargs[stream] = subprocess.DEVNULL
        kwargs["cwd"] = str(workdir)
        return await super().launch_kernel(argv, **kwargs)

    @property
    def interruptible(self) -> bool:
        """Whether ``SIGINT`` interrupts the kernel's cell: it does for a kernel forked from the
        zygote or started without bubblewrap; one in a bubblewrap of its own would die of it
        (the signal goes to bubblewrap, and the kernel dies with it)."""
        return self.zygote is not None or not self.isolated

    def lock_runtime(self) -> bool:
        """Takes the runtime folder back from the kernel once it is ready (its sockets bound,
        its connection file read), before any cell runs: the folder and the connection file
        become the grader's (root's), so the kernel can no longer write there; it is on the
        grader's disk, outside the kernel's private filesystem. The sockets the kernel bound
        stay open. ``False`` where the kernel runs as the grader's own user (not root): then
        only the per-file size limit bounds what it writes there (``sandbox_status`` says so).
        """
        if os.getuid() != 0 or not self.isolated or not self.runtime:
            return False
        runtime = Path(self.runtime)
        for path in (runtime, *(p for p in runtime.iterdir() if p.is_file())):
            os.lchown(path, 0, 0)
        runtime.chmod(0o755)
        return True

    def kill_now(self) -> None:
        """Kills the kernel and everything it started, at once (callable from a timer)."""
        process = self.process
        if process is None or process.poll() is not None:
            return
        if isinstance(process, ForkedKernel):
            process.kill()  # the first process of its PID namespace: everything in it dies
            return
        try:
            os.killpg(os.getpgid(process.pid), signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            process.kill()
        with contextlib.suppress(Exception):
            process.wait(timeout=10)


class _SandboxSpecs(KernelSpecManager):  # type: ignore[misc]
    """Serves one kernelspec: the grader's Python kernel, started by :class:`SandboxProvisioner`."""

    provisioner_config = AnyTrait(help="The provisioner's settings for this kernel.")

    def find_kernel_specs(self) -> dict[str, str]:
        return {KERNEL_NAME: str(self.provisioner_config["runtime"])}

    def get_kernel_spec(self, kernel_name: str) -> KernelSpec:
        return KernelSpec(
            argv=[sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
            display_name="Python 3 (homs sandbox)",
            language="python",
            metadata={
                "kernel_provisioner": {
                    "provisioner_name": PROVISIONER,
                    "config": self.provisioner_config,
                }
            },
            resource_dir=str(self.provisioner_config["runtime"]),
        )


def kernel_manager(
    workdir: Path,
    runtime: Path,
    limits: Limits,
    *,
    isolated: bool,
    uid: int = 65534,
    zygote: Zygote | None = None,
    cgroup_procs: tuple[str, ...] = (),
) -> AsyncKernelManager:
    """A jupyter_client kernel manager whose kernel runs sandboxed in ``workdir``.

    Args:
        workdir: The student's notebook folder (a private copy).
        runtime: An empty private folder for the connection file and sockets.
        limits: Resource limits.
        isolated: Use bubblewrap (see :func:`.sandbox.sandbox_status`); otherwise limits only.
        uid: The unprivileged user id the kernel runs as when the grader is root.
        zygote: The worker's kernel zygote: the kernel is forked from it when given.
        cgroup_procs: The ``cgroup.procs`` files of the kernel's control group (memory and
            processes of all its processes together); empty for none.
    """
    runtime.mkdir(parents=True, exist_ok=True)
    if os.getuid() == 0 and isolated:
        for path in (workdir, runtime):
            os.chown(path, uid, uid)
            for child in path.rglob("*"):
                os.lchown(child, uid, uid)
    specs = _SandboxSpecs(
        provisioner_config={
            "workdir": str(workdir),
            "runtime": str(runtime),
            "uid": uid,
            "isolated": isolated,
            "limits": limits,
            "zygote": zygote,
            "cgroup_procs": tuple(cgroup_procs),
        }
    )
    return AsyncKernelManager(
        kernel_spec_manager=specs,
        kernel_name=KERNEL_NAME,
        client_class="homs.grading.engine.client.PromptKernelClient",
        transport="ipc",
        ip=str(runtime / "kernel"),
        connection_file=str(runtime / "kernel.json"),
    )
