"""homs's widgets (anywidgets drawn by homs-widgets.js) in JupyterLab with a kernel: what the
reader does in the page reaches the Python object, and the kernel redraws the timeline."""

from __future__ import annotations

from collections.abc import Iterator

import nbformat
import pytest

from ._lab import Lab, laptop_page, run_all_cells

pytestmark = pytest.mark.slow

_CELLS = [
    "from homs import selfcheck, widgets\nq = selfcheck.publication_year('A')\nq",
    "explorer = widgets.interactive_timeline()\nexplorer",
]


@pytest.fixture(scope="module")
def scratch(lab: Lab, browser: object) -> Iterator[object]:
    """A notebook with a self-check and the timeline explorer, run in JupyterLab."""
    folder = lab.root / "scratch"
    folder.mkdir(exist_ok=True)
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in _CELLS])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    nbformat.write(nb, folder / "widgets.ipynb")
    with laptop_page(browser) as page:
        page.goto(lab.url("scratch/widgets.ipynb"))  # type: ignore[attr-defined]
        run_all_cells(page)
        page.locator(".homs-selfcheck").first.wait_for(timeout=60_000)  # type: ignore[attr-defined]
        yield page


def _run_code(page: object, code: str) -> str:
    """Adds a cell at the end, runs it and returns its output's text."""
    notebook = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook")  # type: ignore[attr-defined]
    count = notebook.locator(".jp-CodeCell").count()
    notebook.locator(".jp-CodeCell").last.click()
    page.keyboard.press("Escape")  # type: ignore[attr-defined]
    page.keyboard.press("b")  # type: ignore[attr-defined]
    cell = notebook.locator(".jp-CodeCell").nth(count)
    cell.locator(".cm-content").click()
    page.keyboard.insert_text(code)  # type: ignore[attr-defined]
    page.keyboard.press("Shift+Enter")  # type: ignore[attr-defined]
    output = cell.locator(".jp-OutputArea-output")
    output.first.wait_for(timeout=30_000)
    return output.first.inner_text()


def test_a_check_in_the_page_reaches_the_kernel(scratch: object) -> None:
    """Typing an answer and pressing Check shows the feedback, and the Python object knows the
    answer and the verdict (the front end syncs answer_state and sends "check")."""
    page = scratch
    question = page.locator(".homs-selfcheck").first  # type: ignore[attr-defined]
    question.locator("input[type=text]").fill("2012")
    question.locator("button.homs-check").click()
    assert "Correct." in question.locator(".homs-feedback").first.inner_text()
    out = _run_code(page, "print(q.value, q.correct, q.matched)")
    assert out.strip() == "2012 True preferred"


def test_the_kernel_redraws_the_timeline(scratch: object) -> None:
    """Unticking a source in the page makes the kernel redraw the chart without it."""
    page = scratch
    explorer = page.locator(".homs-timeline").first  # type: ignore[attr-defined]
    image = explorer.locator(".homs-tl-image img")
    before = image.get_attribute("alt")
    assert "Source A" in before
    explorer.locator("input[type=checkbox][value=A]").uncheck()
    page.wait_for_function(  # type: ignore[attr-defined]
        "([el, alt]) => el.querySelector('img') && el.querySelector('img').alt !== alt",
        arg=[explorer.locator(".homs-tl-image").element_handle(), before],
        timeout=30_000,
    )
    assert "Source A reports" not in image.get_attribute("alt")
    assert _run_code(page, "print(explorer.sources)").strip() == "('B', 'C')"
