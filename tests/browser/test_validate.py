"""What a student sees when the test cells and nbgrader's Validate meet wrong forms in
JupyterLab: one plain sentence per problem, no Python traceback, and "answer recorded" for a
well-formed answer."""

from __future__ import annotations

import json

import pytest

from helpers import answered

from ._lab import SCREENSHOTS, Lab, screenshot_notebook
from .test_quiz_validate import validate

pytestmark = pytest.mark.slow

#: Wrong forms a student writes, and one well-formed (if wrong) answer.
WRONG_FORMS = {
    "q1_order": "answer_q1_order = (\n    [amos-visit]\n)",
    "q2_colvin_date": "answer_q2_colvin_date = (\n    22 February 2012\n)",
    "q3_amos_year": 'answer_q3_amos_year = "twenty twelve"',
    "q4_siege_length": "answer_q4_siege_length = 3",
    "q7_siege_sources": 'answer_q7_siege_sources = "B, C"',
}


def run_every_cell(page: object) -> None:
    """Runs the cells one by one (Shift+Enter), as a student does: Run All stops at the first
    error, and a wrong form is one."""
    page.wait_for_function(  # type: ignore[attr-defined]
        "() => /\\|\\s*Idle/.test(document.querySelector('#jp-main-statusbar')?.innerText || '')",
        timeout=90_000,
    )
    cells = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell")  # type: ignore[attr-defined]
    cells.first.click()
    page.keyboard.press("Escape")  # type: ignore[attr-defined]
    for _ in range(cells.count()):
        page.keyboard.press("Shift+Enter")  # type: ignore[attr-defined]
    # Under load a cell may not even be queued when the presses end, so "no [*]" alone is not
    # enough: also wait for the last test cell's output to be in the page.
    page.wait_for_function(  # type: ignore[attr-defined]
        "() => { const nb = document.querySelector("
        "'.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook'); "
        "return nb && nb.innerText.includes('Q8: not answered yet') && "
        "![...nb.querySelectorAll('.jp-CodeCell .jp-InputPrompt')]"
        ".some(p => p.textContent.includes('*')); }",
        timeout=180_000,
    )
    page.wait_for_timeout(1000)  # type: ignore[attr-defined]


@pytest.fixture
def wrong_forms(lab: Lab) -> str:
    """The released timeline quiz with the answers above, beside the blank one."""
    release = json.loads((lab.root / "quiz" / "timeline.ipynb").read_text("utf-8"))
    (lab.root / "quiz" / "timeline-wrong-forms.ipynb").write_text(
        json.dumps(answered(release, WRONG_FORMS)), "utf-8"
    )
    return "timeline-wrong-forms.ipynb"


def test_wrong_forms_get_one_plain_sentence_each(page: object, lab: Lab, wrong_forms: str) -> None:
    """Run in JupyterLab, each test cell shows one sentence and no traceback; the date without
    quotes is named; Validate fails and shows the same sentences under short cells (a call of
    homs_checks.check, not the checks' code)."""
    page.goto(lab.url(f"quiz/{wrong_forms}"))  # type: ignore[attr-defined]
    run_every_cell(page)
    screenshot_notebook(page, "validate-wrong-forms-cells")
    text = page.inner_text(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook")  # type: ignore[attr-defined]
    assert (
        'Q2: Python could not read your answer: put the date in quotes, like "22 February 2012".'
        in text
    )
    assert "Q4: answer recorded, checked when marked." in text
    assert "Q5: not answered yet" in text
    assert "Q7: put the source letters in a list, like" in text
    errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")  # type: ignore[attr-defined]
    shown = [errors.nth(i).inner_text() for i in range(errors.count())]
    test_cell_errors = [e for e in shown if e.startswith("Q")]
    assert test_cell_errors, shown
    for error in test_cell_errors:
        assert "Traceback" not in error
        assert "assert" not in error
        assert len(error.strip().splitlines()) == 1, error
    dialog = validate(page, lab, wrong_forms)
    assert "Success" not in dialog
    assert "put the date in quotes" in dialog
    # Each failed cell it prints is a few readable lines: the call of homs_checks.check.
    assert "from homs_checks import check" in dialog
    for cryptic in ("globals()", "_render_traceback_", "class _Problem", "_missing"):
        assert cryptic not in dialog, cryptic
    assert (SCREENSHOTS / "validate-timeline-wrong-forms.png").exists()
