"""The kernel client :func:`homs.grading.engine.kernels.kernel_manager` gives nbclient: ready
as soon as its kernel is, and deaf to messages over the kernel's size limit."""

from __future__ import annotations

import contextlib
import time
from queue import Empty

import zmq
import zmq.asyncio
from jupyter_client.asynchronous import AsyncKernelClient
from traitlets import default

__all__ = ["PromptKernelClient"]

_IOPUB_QUIET = 0.2  # jupyter_client's own wait for IOPub after a kernel_info reply


class PromptKernelClient(AsyncKernelClient):  # type: ignore[misc]
    """jupyter_client's asynchronous client, ready as soon as its kernel is.

    jupyter_client's ``wait_for_ready`` sends ``kernel_info`` until a reply comes and IOPub
    carries a message, then drains IOPub until it has been quiet for 0.2 s: a fixed 0.2 s on
    every kernel start, a third of the time it takes to grade a short quiz. This client stops
    as soon as IOPub has delivered the kernel's ``idle`` status for the request that was
    answered: from then on IOPub is subscribed and every message of that request is in, which
    is what the drain waits for. If IOPub stays quiet for 0.2 s instead (its subscription came
    too late, jupyter/jupyter_client#593), it asks again, as jupyter_client does.
    """

    @default("context")
    def _context_default(self) -> zmq.asyncio.Context:
        """A context of the client's own whose sockets take no message larger than the
        kernel's ``Limits.message_bytes``: ZeroMQ drops a larger one, and the connection with it,
        before the grader holds a byte of it (:meth:`reconnect_iopub` makes a new one)."""
        self._created_context = True
        context = zmq.asyncio.Context()
        limits = getattr(getattr(self.parent, "provisioner", None), "limits", None)
        if limits is not None:
            context.setsockopt(zmq.MAXMSGSIZE, limits.message_bytes)
        return context

    def connect_iopub(self, identity: bytes | None = None) -> zmq.Socket:
        """jupyter_client's IOPub socket, watched for the disconnection an oversized message
        causes (see :meth:`dropped` and :meth:`reconnect_iopub`)."""
        socket = super().connect_iopub(identity)
        monitor = socket.get_monitor_socket(zmq.EVENT_DISCONNECTED)
        self._monitor = zmq.Socket.shadow(monitor.underlying)
        self._monitor_owner = monitor  # keeps the monitor socket open
        return socket

    def reconnect_iopub(self) -> None:
        """A new IOPub socket in place of one whose connection ZeroMQ dropped for an oversized
        message: ZeroMQ does not connect again by itself after that, and every later message
        of the kernel would be lost."""
        channel = self._iopub_channel
        self._iopub_channel = None
        owner = getattr(self, "_monitor_owner", None)
        self._monitor = self._monitor_owner = None
        if channel is not None:
            with contextlib.suppress(zmq.ZMQError):
                if channel.socket is not None:
                    channel.socket.disable_monitor()
            channel.close()
        if owner is not None:
            owner.close(linger=0)
        self.iopub_channel.start()

    def dropped(self) -> int:
        """How many times IOPub dropped its connection since the last call: each time, the
        kernel sent a message over the size limit, and ZeroMQ dropped it unread."""
        monitor = getattr(self, "_monitor", None)
        events = 0
        while monitor is not None and monitor.poll(0):
            monitor.recv_multipart()
            events += 1
        return events

    async def wait_for_ready(self, timeout: float | None = None) -> None:
        deadline = time.monotonic() + (float("inf") if timeout is None else timeout)
        while True:
            self.kernel_info()
            try:
                reply = await self.shell_channel.get_msg(timeout=1)
            except Empty:
                reply = None
            if (
                reply is not None
                and reply["msg_type"] == "kernel_info_reply"
                and await self._idle_after(reply["parent_header"].get("msg_id"))
            ):
                self._handle_kernel_info_reply(reply)
                lock = getattr(getattr(self.parent, "provisioner", None), "lock_runtime", None)
                if lock is not None:
                    lock()  # no cell has run yet: the runtime folder becomes read-only to it
                return
            if not await self._async_is_alive():
                raise RuntimeError("Kernel died before replying to kernel_info")
            if time.monotonic() > deadline:
                raise RuntimeError(f"Kernel didn't respond in {timeout:g} seconds")

    async def resync(self, timeout: float) -> bool:
        """Waits until IOPub delivers again after a dropped connection: asks for
        ``kernel_info`` until the kernel's ``idle`` for it arrives (what was sent meanwhile is
        read and left). A connection dropped again is made again, and so is one that stays
        quiet for five requests (it may have dropped before its watch began). ``False`` if
        that does not happen within ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        quiet = 0
        while time.monotonic() < deadline:
            msg_id = self.kernel_info()
            idle = await self._idle_after(msg_id)
            quiet = 0 if idle else quiet + 1
            if self.dropped() or quiet >= 5:
                quiet = 0
                self.reconnect_iopub()
            elif idle:
                return True
            if not await self._async_is_alive():
                return False
        return False

    async def _idle_after(self, msg_id: str | None) -> bool:
        """Reads IOPub until the kernel reports itself idle after ``msg_id``; ``False`` if IOPub
        falls quiet first."""
        while True:
            try:
                msg = await self.iopub_channel.get_msg(timeout=_IOPUB_QUIET)
            except Empty:
                return False
            if (
                msg["msg_type"] == "status"
                and msg["content"].get("execution_state") == "idle"
                and msg["parent_header"].get("msg_id") == msg_id
            ):
                return True
