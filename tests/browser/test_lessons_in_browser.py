"""Each lesson, opened in JupyterLab in Chromium and run top to bottom, works as students see it.

The lessons are opened by the ``lesson_page`` fixture (``conftest.py``), shared with the
accessibility audit (``test_lessons_a11y.py``).
"""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.slow
OUTPUTS = ".jp-Notebook .jp-OutputArea-output"


def test_lesson_runs_and_renders(lesson_page: object) -> None:
    """All cells run without error; charts are visible; excerpts and widgets render."""
    page = lesson_page
    text = page.inner_text(".jp-Notebook")  # type: ignore[attr-defined]
    errors = page.locator(  # type: ignore[attr-defined]
        ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.error']"
    )
    assert errors.count() == 0, "an output is an error"
    assert "Traceback" not in text
    for problem in ("Loading widget...", "Error displaying widget", "model not found"):
        assert problem not in text, problem
    images = page.locator(f"{OUTPUTS} img")  # type: ignore[attr-defined]
    assert images.count() >= 1, "no chart in the lesson"
    for i in range(images.count()):
        image = images.nth(i)
        image.scroll_into_view_if_needed()
        assert image.is_visible()
        assert image.evaluate("img => img.complete && img.naturalWidth > 0")
    assert page.locator(f"{OUTPUTS} .homs-excerpt").count() >= 1, "no annotated excerpt"  # type: ignore[attr-defined]


def test_self_check_gives_feedback(lesson_page: object) -> None:
    """Answering a self-check question and pressing Check shows its feedback (the widget is
    homs's anywidget, homs-widgets.js, drawn by JupyterLab's anywidget extension)."""
    question = lesson_page.locator(f"{OUTPUTS} .homs-selfcheck").first  # type: ignore[attr-defined]
    question.scroll_into_view_if_needed()
    choices = question.locator("input[type=radio], input[type=checkbox]")
    if choices.count():
        choices.first.check()
    question.locator("button.homs-check").click()
    feedback = question.locator(".homs-feedback").first
    feedback.wait_for(timeout=20_000)
    assert re.search(r"Correct|Not yet|Not answered", feedback.inner_text())


def test_toggling_a_layer_changes_the_highlights(lesson_page: object) -> None:
    """Ticking or unticking an annotation layer changes what the excerpt highlights."""
    box = lesson_page.locator(f"{OUTPUTS} .widget-vbox:has(.homs-excerpt)").first  # type: ignore[attr-defined]
    box.scroll_into_view_if_needed()
    marks = box.locator(".homs-excerpt mark")
    before = marks.count()
    layers = box.locator(".widget-checkbox")
    target = next(
        layers.nth(i)
        for i in range(layers.count())
        if (m := re.search(r"\((\d+)\)", layers.nth(i).inner_text())) and int(m.group(1)) > 0
    )
    target.locator("input[type=checkbox]").click()
    lesson_page.wait_for_function(  # type: ignore[attr-defined]
        "([el, n]) => el.querySelectorAll('.homs-excerpt mark').length !== n",
        arg=[box.element_handle(), before],
        timeout=20_000,
    )
    assert marks.count() != before
