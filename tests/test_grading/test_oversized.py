"""A kernel message over the client's size limit (ZeroMQ's MAXMSGSIZE) is dropped unread with
its connection, which ZeroMQ does not make again: the executor notices, stops the cell, connects
IOPub again and goes on with the next cell, instead of waiting for an IOPub timeout. A real
kernel (the grader's own Python, no sandbox, so that this runs anywhere)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from nbformat.v4 import new_code_cell, new_notebook

from homs.grading.engine.execute import _capped_execute, run_notebook
from homs.grading.engine.kernels import kernel_manager
from homs.grading.engine.sandbox import Limits

BIG = """import time
print("x" * (3 << 20))
for _ in range(100):   # still printing, big, when the drop is noticed
    print("y" * (3 << 20))
    time.sleep(0.1)
"""


def test_an_oversized_message_stops_its_cell_and_the_next_cell_runs(tmp_path: Path) -> None:
    limits = Limits(output_bytes=64 << 10, cell_seconds=30)
    workdir = tmp_path / "work"
    workdir.mkdir()
    km = kernel_manager(workdir, tmp_path / "runtime", limits, isolated=False)
    executor = _capped_execute()()
    executor.limit = limits.output_bytes
    executor.timeout = limits.cell_seconds
    executor.interrupt_on_timeout = True
    nb = new_notebook(
        cells=[new_code_cell("print('before')"), new_code_cell(BIG), new_code_cell("print('next')")]
    )

    async def run() -> None:
        try:
            await run_notebook(executor, nb, {}, km)
        finally:
            if km.has_kernel:
                await km.shutdown_kernel(now=True)

    asyncio.run(run())
    first, big, last = (cell.outputs for cell in nb.cells)
    assert [o.get("text") for o in first] == ["before\n"]
    assert executor.oversized >= 1
    assert executor.cut
    assert any("output cut" in o.get("text", "") for o in big), big
    assert [o.ename for o in big if o.output_type == "error"] == ["KeyboardInterrupt"], big
    assert [o.get("text") for o in last] == ["next\n"], last
