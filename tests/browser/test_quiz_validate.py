"""A quiz's student release opens in JupyterLab, and nbgrader's Validate button works on it."""

from __future__ import annotations

import pytest

from ._lab import SCREENSHOTS, Lab, screenshot_notebook

pytestmark = pytest.mark.slow


def wait_for_text(page: object, text: str) -> None:
    """Waits until the open notebook shows ``text``."""
    page.wait_for_function(  # type: ignore[attr-defined]
        "t => (document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook')"
        " || {innerText: ''}).innerText.includes(t)",
        arg=text,
        timeout=90_000,
    )


def validate(page: object, lab: Lab, notebook: str) -> str:
    """Opens the notebook, presses Validate, and returns the text of nbgrader's dialog."""
    page.goto(lab.url(f"quiz/{notebook}"))  # type: ignore[attr-defined]
    wait_for_text(page, "Put the events in order")
    panel = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)")  # type: ignore[attr-defined]
    panel.get_by_role("button", name="Validate").click(timeout=30_000)
    dialog = page.locator(".jp-Dialog")  # type: ignore[attr-defined]
    dialog.wait_for(timeout=120_000)
    page.wait_for_function(  # type: ignore[attr-defined]
        "() => !/Validating/i.test(document.querySelector('.jp-Dialog').innerText)",
        timeout=120_000,
    )
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"validate-{notebook.removesuffix('.ipynb')}.png"))  # type: ignore[attr-defined]
    return dialog.inner_text()


def test_release_opens_with_questions_and_answer_cells(page: object, lab: Lab) -> None:
    """The released quiz shows its questions and answer cells, with no solutions in it."""
    page.goto(lab.url("quiz/timeline.ipynb"))  # type: ignore[attr-defined]
    wait_for_text(page, "Put the events in order")
    text = page.inner_text(".jp-Notebook")  # type: ignore[attr-defined]
    assert "Put the events in order" in text
    assert "YOUR ANSWER HERE" in text
    assert "BEGIN HIDDEN TESTS" not in text
    screenshot_notebook(page, "quiz-timeline")


def test_validate_passes_an_answered_quiz(page: object, lab: Lab) -> None:
    """Validate on a quiz answered with the key reports success."""
    assert "Success" in validate(page, lab, "timeline-answered.ipynb")


def test_validate_flags_a_blank_quiz(page: object, lab: Lab) -> None:
    """Validate on a blank quiz lists the failing visible tests, with their messages."""
    text = validate(page, lab, "timeline.ipynb")
    assert "Success" not in text
    assert "failed" in text.lower() or "error" in text.lower()
