"""Feedback: nbgrader's HTML feedback with an explanation after each item not fully right."""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import pytest

from homs import grading, sources
from homs.grading.authoring.explain import explanation


def text_of(markup: str) -> str:
    """The text of some HTML, tags dropped and entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", "", markup))


def test_explanation_gives_the_answer_why_and_the_sentences(timeline: grading.Quiz) -> None:
    """The score, the key, the knowledge base's reason, each cited sentence verbatim."""
    item = timeline.item("q2_colvin_date")
    text = text_of(explanation(item, 0, 1))
    assert f"{item.label}. {item.title}: 0 of 1 point." in text
    assert 'The right answer: "2012-02-22"' in text
    assert item.explanation in text
    for sid in item.cites:
        assert f"{sid} (Source {sid[0]}): “{sources.sentence(sid).text}”" in text


def test_explanation_of_a_partly_right_item_shows_the_partial_score(timeline: grading.Quiz) -> None:
    """4 of 5 points on the order item."""
    assert "4 of 5 points." in text_of(explanation(timeline.item("q1_order"), 4))


def test_explanation_of_a_written_item_points_to_the_mark_scheme(
    quizzes: dict[str, grading.Quiz],
) -> None:
    """A written item: no key to show; the mark scheme and the sentences to use."""
    item = quizzes["discrepancies"].item("q7_population_numbers")
    text = text_of(explanation(item, 2, 3))
    assert "2 of 3 points. Compare your answer with the mark scheme above." in text
    assert "right answer" not in text
    for sid in item.cites:
        assert sources.sentence(sid).text in text


def test_explanation_is_one_html_block_that_escapes_the_text(timeline: grading.Quiz) -> None:
    """No blank line (it would end the Markdown HTML block); quotes and < are escaped."""
    for item in timeline.items:
        cell = explanation(item, 0)
        assert "\n\n" not in cell
        assert cell.startswith('<div class="alert alert-info homs-explanation"')
        assert cell.endswith("</div>")
        assert 'data-item="' + item.id + '"' in cell
        assert "“" in cell
        inner = re.sub(r"<[^>]+>", "", cell)
        assert "<" not in inner


# -- on a class graded by stock nbgrader autograde --------------------------------------------


@pytest.fixture(scope="module")
def timeline_feedback(graded_course: Path) -> grading.Feedback:
    """homs feedback for the whole class on the timeline quiz."""
    return grading.feedback("timeline", course=graded_course)


def explained(path: Path) -> list[str]:
    """The item ids explained in a feedback file, in page order."""
    tags = re.findall(r"<div[^>]*homs-explanation[^>]*>", path.read_text("utf-8"))
    return [m.group(1) for tag in tags if (m := re.search(r'data-item="([a-z0-9_]+)"', tag))]


@pytest.mark.slow
def test_feedback_writes_one_file_per_student(
    graded_course: Path, timeline_feedback: grading.Feedback
) -> None:
    """One HTML file per autograded student, where nbgrader puts feedback."""
    assert timeline_feedback.files == tuple(
        graded_course / "feedback" / s / "timeline" / "timeline.html"
        for s in ("ada", "ben", "cy", "dee", "eve")
    )
    assert "5 feedback files" in timeline_feedback.format()


@pytest.mark.slow
def test_feedback_explains_exactly_the_items_not_fully_right(
    graded_course: Path, timeline_feedback: grading.Feedback
) -> None:
    """eve missed q2, q6 and q8; ben got q1 partly right; ada gets no explanation."""
    folder = graded_course / "feedback"
    assert explained(folder / "eve" / "timeline" / "timeline.html") == [
        "q2_colvin_date",
        "q6_days_to_amos",
        "q8_killing_sources",
    ]
    assert explained(folder / "ben" / "timeline" / "timeline.html") == [
        "q1_order",
        "q2_colvin_date",
        "q5_years_to_judgement",
        "q6_days_to_amos",
        "q8_killing_sources",
    ]
    assert explained(folder / "ada" / "timeline" / "timeline.html") == []
    assert len(explained(folder / "cy" / "timeline" / "timeline.html")) == 8


@pytest.mark.slow
def test_feedback_keeps_nbgrader_and_adds_the_explanation_after_the_test(
    graded_course: Path, timeline_feedback: grading.Feedback
) -> None:
    """Stock feedback (scores, failed checks) stays; the box follows the item's test cell."""
    page = (graded_course / "feedback" / "eve" / "timeline" / "timeline.html").read_text("utf-8")
    assert "Score: 0.0 / 1.0" in page
    assert "Q2: not correct. The expected answer is" in page
    box = page.index('data-item="q2_colvin_date"')
    assert page.rfind("q2_colvin_date", 0, box) > page.index("Q2. Date a death")
    assert page.index("Q3. Find the year") > box
    text = text_of(page)
    for sid in grading.load_quiz("timeline").item("q2_colvin_date").cites:
        assert f"{sid} (Source {sid[0]}): “{sources.sentence(sid).text}”" in text


@pytest.mark.slow
def test_feedback_on_a_marked_written_answer_follows_the_answer(
    graded_course: Path, tmp_path: Path
) -> None:
    """Once the teacher marks fay's written answer 2 of 3, it is explained after her answer."""
    from nbgrader.api import Gradebook

    course = tmp_path / "course"
    shutil.copytree(graded_course, course, ignore=shutil.ignore_patterns("feedback"))
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        grade = gb.find_grade("q7_population_numbers", "discrepancies", "discrepancies", "fay")
        grade.manual_score = 2
        grade.needs_manual_grade = False
        gb.db.commit()
    done = grading.feedback("discrepancies", course=course, students=["fay"])
    (page,) = done.files
    assert explained(page) == [
        "q1_claims",
        "q3_bombardment_type",
        "q6_waer_reuse",
        "q7_population_numbers",
    ]
    markup = page.read_text("utf-8")
    sample = grading.load_quiz("discrepancies").item("q7_population_numbers").rubric[1].sample
    first_words = html.escape(sample.split()[0])
    answer_at = markup.rindex(first_words, 0, markup.index('data-item="q7_population_numbers"'))
    assert answer_at > markup.index("Sample answer at the Basic level")
    assert "2 of 3 points. Compare your answer with the mark scheme above." in text_of(markup)


@pytest.mark.slow
def test_feedback_refuses_students_not_autograded(graded_course: Path) -> None:
    """Asking for a student with nothing autograded: a clear error naming them."""
    with pytest.raises(grading.GradingError, match="no autograded 'timeline' for fay"):
        grading.feedback("timeline", course=graded_course, students=["fay"])


def test_feedback_before_autograding_says_what_to_run(tmp_path: Path) -> None:
    """Nothing autograded yet: the error says to run homs autograde."""
    (tmp_path / "nbgrader_config.py").write_text("c = get_config()\n", "utf-8")
    with pytest.raises(grading.GradingError, match="homs autograde sourcing"):
        grading.feedback("sourcing", course=tmp_path)
