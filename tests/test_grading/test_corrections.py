"""A correction from outside the texts travels with the date it corrects, everywhere the quizzes
show that date: the quiz notebook, the explanation in the feedback, homs practice and the
answer-key review sheet (the class report uses the same explanation and notes)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from helpers import ROOT
from homs import grading, knowledge
from homs.grading.authoring.explain import explanation
from homs.grading.reports.review import review


def _corrected() -> list[knowledge.Event]:
    events = knowledge.load().corrected_events()
    assert events, "no corrected event: nothing to test"
    return events


def _shows_a_corrected_date(text: str) -> list[knowledge.Event]:
    """The corrected events whose date (as the sources print it) or sentences the text shows."""
    shown = []
    for event in _corrected():
        sentences = [r.citation.sentence for r in event.reports]
        if event.date.label() in text or any(
            re.search(rf"(?<![\w-]){re.escape(s)}(?![\w-])", text) for s in sentences
        ):
            shown.append(event)
    return shown


def test_the_waer_date_is_corrected() -> None:
    """The sources' May 2016 for Waer carries its correction (context: 2017)."""
    event = knowledge.load().event("waer-retaken")
    assert "2017" in event.date_text()
    assert "context" in event.date_text()


@pytest.mark.parametrize("quiz", grading.quiz_names())
def test_every_explanation_that_shows_a_corrected_date_shows_its_correction(quiz: str) -> None:
    """Each item whose explanation or cited sentences show a corrected date shows the
    correction, marked as context, in the feedback's explanation and in homs practice."""
    for item in grading.load_quiz(quiz).items:
        html = explanation(item, 0)
        for event in _shows_a_corrected_date(html):
            note = event.correction_note()
            assert note is not None
            assert "2017" in html, (item.id, html)
            assert "from outside the texts" in html, item.id


@pytest.mark.parametrize("quiz", grading.quiz_names())
def test_the_quiz_notebook_shows_each_correction_beside_its_text(quiz: str) -> None:
    """The full texts at the end of each quiz carry the correction of the dates they print."""
    nb = json.loads((ROOT / "quizzes" / "source" / quiz / f"{quiz}.ipynb").read_text("utf-8"))
    for cell in nb["cells"]:
        text = "".join(cell["source"])
        if cell["metadata"].get("homs", {}).get("texts") is not None or text.startswith("**Source"):
            for event in _shows_a_corrected_date(text):
                assert event.correction_note() in text, (quiz, event.id)


def test_the_review_sheet_shows_each_correction(tmp_path: Path) -> None:
    """The answer-key review sheet shows the correction wherever a corrected date appears."""
    out = tmp_path / "review.html"
    review(course=ROOT / "quizzes", lessons=ROOT / "lessons", out=out)
    page = out.read_text("utf-8")
    for event in _corrected():
        if event.date.label() in page:
            assert "2017" in page
            assert "from outside the texts" in page


def test_practice_shows_each_correction(tmp_path: Path) -> None:
    """homs practice on a blank timeline quiz shows the Waer correction with its sentences."""
    nb = json.loads((ROOT / "quizzes" / "source" / "timeline" / "timeline.ipynb").read_text())
    path = tmp_path / "timeline.ipynb"
    path.write_text(json.dumps(nb), "utf-8")
    text = grading.practice(path).format()
    assert "May 2016" in text
    assert "Context, from outside the texts" in text
    assert "2017" in text
