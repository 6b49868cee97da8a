"""The kernel client that is ready as soon as its kernel is: it waits for the kernel's ``idle``
status after the request it got an answer to, asks again when IOPub stays quiet, and gives up on a
dead kernel, as jupyter_client's own ``wait_for_ready`` does."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from queue import Empty
from typing import Any

import pytest

from homs.grading.engine.client import PromptKernelClient

Message = dict[str, Any]


class Channel:
    """A channel that hands out scripted messages; a script entry may be built from the last
    request sent, and ``None`` stands for a quiet channel (``Empty``)."""

    def __init__(self, script: list[Message | Callable[[str], Message] | None]) -> None:
        self.script = script
        self.sent: list[str] = []

    def send(self, msg: Message) -> None:
        self.sent.append(msg["header"]["msg_id"])

    async def get_msg(self, timeout: float | None = None) -> Message:
        if not self.script:
            raise Empty
        entry = self.script.pop(0)
        if entry is None:
            raise Empty
        return entry(self.last) if callable(entry) else entry

    last = ""


def message(kind: str, parent: str, **content: Any) -> Message:
    return {
        "msg_type": kind,
        "header": {"msg_type": kind, "msg_id": f"{kind}-for-{parent}"},
        "parent_header": {"msg_id": parent},
        "content": content,
    }


def reply(parent: str) -> Message:
    return message("kernel_info_reply", parent, protocol_version="5.3", status="ok")


def status(state: str) -> Callable[[str], Message]:
    return lambda parent: message("status", parent, execution_state=state)


def client(shell: list[Any], iopub: list[Any], *, alive: bool = True) -> PromptKernelClient:
    kc = PromptKernelClient()
    shell_channel, iopub_channel = Channel(shell), Channel(iopub)

    def send(msg: Message) -> None:
        Channel.send(shell_channel, msg)
        shell_channel.last = iopub_channel.last = msg["header"]["msg_id"]

    shell_channel.send = send  # type: ignore[method-assign]
    kc._shell_channel, kc._iopub_channel = shell_channel, iopub_channel

    async def is_alive() -> bool:
        return alive

    kc._async_is_alive = is_alive  # type: ignore[method-assign]
    return kc


def test_ready_once_the_kernel_is_idle_after_the_request() -> None:
    later = message("stream", "a-later-request", name="stdout", text="...")
    kc = client([reply], [status("busy"), status("idle"), later])
    asyncio.run(kc.wait_for_ready(timeout=5))
    assert len(kc.shell_channel.sent) == 1
    assert kc.iopub_channel.script == [later]  # stopped at idle: no drain until IOPub is quiet


def test_asks_again_when_iopub_was_not_yet_subscribed() -> None:
    kc = client([reply, reply], [None, status("busy"), status("idle")])
    asyncio.run(kc.wait_for_ready(timeout=5))
    assert len(kc.shell_channel.sent) == 2


def test_an_idle_status_for_another_request_does_not_count() -> None:
    stale = message("status", "an-older-request", execution_state="idle")
    kc = client([reply, reply], [stale, None, status("idle")])
    asyncio.run(kc.wait_for_ready(timeout=5))
    assert len(kc.shell_channel.sent) == 2


def test_a_dead_kernel_is_reported() -> None:
    kc = client([], [], alive=False)
    with pytest.raises(RuntimeError, match="Kernel died"):
        asyncio.run(kc.wait_for_ready(timeout=5))


def test_a_silent_kernel_times_out() -> None:
    kc = client([], [])
    with pytest.raises(RuntimeError, match="didn't respond in 0 seconds"):
        asyncio.run(kc.wait_for_ready(timeout=0))
