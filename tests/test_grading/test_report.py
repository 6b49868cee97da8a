"""The class report: item statistics, wrong answers, charts, the HTML page and the summary."""

from __future__ import annotations

import html
import json
import re
import statistics
from pathlib import Path

import matplotlib
import pytest

from homs import grading, knowledge, sources
from homs.grading.engine.answers import Answer
from homs.grading.reports import charts as report_charts
from homs.grading.reports.report import (
    CELL_MISSING,
    NO_ANSWER,
    NO_NOTEBOOK,
    NOT_A_VALUE,
    difficulty,
    point_biserial,
    wrong_answers,
)

from .classroom import HAND_ABSENT, HAND_SCORES

matplotlib.use("Agg")


# -- statistics ------------------------------------------------------------------------------


def test_point_biserial_matches_a_hand_computed_example() -> None:
    """r_pb = (M1 - M0) / s * sqrt(pq): 1.5 / sqrt(1.04) * sqrt(0.24) = 0.7206."""
    # M1 = mean rest of those right = (4 + 3 + 2) / 3 = 3; M0 = (2 + 1) / 2 = 1.5;
    # s = population sd of the rest scores [4, 3, 2, 1, 2] = sqrt(5.2 / 5); p = 0.6, q = 0.4.
    assert point_biserial([1, 1, 0, 0, 1], [4, 3, 2, 1, 2]) == pytest.approx(0.720577, abs=1e-6)


def test_point_biserial_of_a_partial_credit_item_is_pearsons_r() -> None:
    """For an item scored 0 to 5 the item-rest correlation is Pearson's r."""
    item, rest = [5, 4, 0, 5, 2], [7, 6, 0, 4, 3]
    assert point_biserial(item, rest) == pytest.approx(statistics.correlation(item, rest))


def test_point_biserial_is_none_when_undefined() -> None:
    """Everyone equal on the item or on the rest, or one student: no correlation."""
    assert point_biserial([1, 1, 1], [3, 1, 2]) is None
    assert point_biserial([1, 0, 1], [2, 2, 2]) is None
    assert point_biserial([1], [2]) is None
    assert point_biserial([], []) is None


def test_point_biserial_rejects_lists_of_different_lengths() -> None:
    """One item score and one rest score per student, or a clear error."""
    with pytest.raises(ValueError, match="3 item scores but 2 rest scores"):
        point_biserial([1, 0, 1], [2, 3])


def test_a_item_that_stronger_students_miss_has_negative_discrimination() -> None:
    """Right only for those who did worst on the rest: r is negative."""
    r = point_biserial([0, 0, 1, 1], [10, 9, 2, 1])
    assert r is not None
    assert r < -0.9


def test_difficulty_is_the_share_of_points_earned() -> None:
    """Mean score over points: 5, 4 and 0 of 5 is 0.6; no scores, no difficulty."""
    assert difficulty([5, 4, 0], 5) == pytest.approx(0.6)
    assert difficulty([1, 0, 0, 0], 1) == pytest.approx(0.25)
    assert difficulty([], 1) is None


def test_difficulty_needs_an_item_worth_points() -> None:
    """An item worth 0 points is an error, not a division by zero."""
    with pytest.raises(ValueError, match="more than 0 points"):
        difficulty([0], 0)


# -- wrong answers -----------------------------------------------------------------------------


def ok(value: object) -> Answer:
    """An answer read as a plain value."""
    return Answer("answer", "ok", value)


def test_wrong_answers_are_counted_most_common_first(timeline: grading.Quiz) -> None:
    """Right answers are left out; wrong ones are grouped and counted, most common first."""
    item = timeline.item("q2_colvin_date")
    answers = [
        ok("2012-02-22"),
        ok("2012-02-21"),
        ok("2012-02-21"),
        ok("22 February 2012"),
        Answer("answer", "unanswered"),
    ]
    found = wrong_answers(item, answers, [1, 0, 0, 0, 0])
    assert [(w.answer, w.count) for w in found] == [
        ('"2012-02-21"', 2),
        ('"22 February 2012"', 1),
        (NO_ANSWER, 1),
    ]


def test_wrong_answers_say_what_kind_of_non_answer(timeline: grading.Quiz) -> None:
    """Blank, deleted, computed and missing notebooks each have their own label."""
    item = timeline.item("q4_siege_length")
    answers = [Answer("a", "unanswered"), Answer("a", "missing"), Answer("a", "unreadable"), None]
    found = {w.answer for w in wrong_answers(item, answers, [0, 0, 0, 0])}
    assert found == {NO_ANSWER, CELL_MISSING, NOT_A_VALUE, NO_NOTEBOOK}


def test_wrong_subsets_in_any_order_are_one_answer(timeline: grading.Quiz) -> None:
    """["C", "A"] and ["A", "C"] are the same wrong subset."""
    item = timeline.item("q7_siege_sources")
    found = wrong_answers(item, [ok(["C", "A"]), ok(["A", "C"]), ok(["B", "C"])], [0, 0, 1])
    assert [(w.answer, w.count) for w in found] == [('["A", "C"]', 2)]


def test_wrong_answers_are_shown_as_typed(timeline: grading.Quiz) -> None:
    """A tuple stays a tuple, 2.0 stays 2.0 and True stays True: the form is the mistake."""
    found = wrong_answers(timeline.item("q7_siege_sources"), [ok(("B", "C")), ok(("B",))], [0, 0])
    assert {w.answer for w in found} == {'("B", "C")', '("B",)'}
    found = wrong_answers(timeline.item("q4_siege_length"), [ok(2.0), ok(True)], [0, 0])
    assert {w.answer for w in found} == {"2.0", "True"}


def test_a_partly_right_answer_counts_as_not_full_marks(timeline: grading.Quiz) -> None:
    """A partial-credit answer short of full marks is listed; a full-marks one is not."""
    item = timeline.item("q1_order")
    found = wrong_answers(item, [ok(["x"]), ok(list(item.key))], [4, 5])
    assert [w.answer for w in found] == ['["x"]']


def test_a_wrong_discrepancy_type_is_glossed(quizzes: dict[str, grading.Quiz]) -> None:
    """A wrong discrepancy type comes with what that type means, from the knowledge base."""
    item = quizzes["discrepancies"].item("q3_bombardment_type")
    (found,) = wrong_answers(item, [ok("different-framing")], [0])
    assert knowledge.DISCREPANCY_TYPES["different-framing"] in found.note


def test_wrong_answers_need_one_score_per_answer(timeline: grading.Quiz) -> None:
    """Answers and scores must pair up."""
    with pytest.raises(ValueError, match="2 answers but 1 scores"):
        wrong_answers(timeline.item("q4_siege_length"), [ok(1), ok(2)], [0])


# -- charts ----------------------------------------------------------------------------------


def test_score_distribution_has_a_bar_per_possible_score() -> None:
    """0 to 12 points: 13 bars, counts as heights, mean and median lines, labelled axes."""
    fig = report_charts.score_distribution([12, 10, 0, 9, 10], 12, title="Quiz")
    (ax,) = fig.axes
    heights = [p.get_height() for p in ax.patches]
    assert len(heights) == 13
    assert heights[10] == 2
    assert heights[0] == 1
    assert ax.get_xlabel() == "Total score (points out of 12)"
    assert ax.get_ylabel() == "Number of students"
    assert [line.get_xdata()[0] for line in ax.lines] == [pytest.approx(8.2), 10]
    assert "scores of 5 students" in fig.get_suptitle()
    alt = fig.get_alt_text()
    assert "Mean 8.2, median 10, lowest 0, highest 12" in alt
    assert "10: 2" in alt


def test_score_distribution_without_submissions_says_so() -> None:
    """No totals: an empty chart whose alt text says nobody handed in."""
    fig = report_charts.score_distribution([], 12, title="Quiz")
    assert "no student has handed in" in fig.get_alt_text()


def test_item_chart_hatches_items_that_discriminate_poorly() -> None:
    """One bar per item, as a percentage; r below 0.2 hatched, the rest plain."""
    fig = report_charts.item_difficulty(
        ["Q1. a", "Q2. b", "Q3. c"], [0.5, 0.25, None], [0.6, 0.1, None], title="Quiz"
    )
    (ax,) = fig.axes
    assert [p.get_width() for p in ax.patches] == [50, 25, 0]
    assert [p.get_hatch() or "" for p in ax.patches] == ["", "//", ""]
    assert ax.get_xlabel().startswith("Share of the item's points")
    assert "Q2. b: 25% (discrimination 0.10), discriminates poorly" in fig.get_alt_text()
    assert "Q3. c: not marked yet" in fig.get_alt_text()


# -- the report on a gradebook filled in by hand -----------------------------------------------


@pytest.fixture(scope="module")
def hand_report(
    hand_graded_course: Path, tmp_path_factory: pytest.TempPathFactory
) -> grading.ClassReport:
    """The report on the hand-filled timeline gradebook, written to a temporary folder."""
    return grading.report(
        "timeline", course=hand_graded_course, out=tmp_path_factory.mktemp("report")
    )


def test_report_statistics_match_the_hand_computed_values(hand_report: grading.ClassReport) -> None:
    """Difficulty, full marks and discrimination per item, from the hand-entered scores."""
    stats = {s.item.id: s for s in hand_report.items}
    assert hand_report.totals == (12, 9, 0, 9)
    q1 = stats["q1_order"]
    assert q1.scores == (5, 3, 0, 5)
    assert q1.difficulty == pytest.approx(13 / 20)
    assert q1.full_marks == pytest.approx(0.5)
    q2 = stats["q2_colvin_date"]
    assert q2.difficulty == pytest.approx(0.25)
    # item [1, 0, 0, 0] against the rest of each student's test [11, 9, 0, 9]:
    # (11 - 6) / sqrt(72.75 / 4) * sqrt(0.25 * 0.75) = 0.5077
    assert q2.discrimination == pytest.approx(0.507673, abs=1e-6)
    assert [(w.answer, w.count) for w in q2.wrong] == [('"2012-02-21"', 2), (NO_ANSWER, 1)]
    q7 = stats["q7_siege_sources"]
    assert [(w.answer, w.count) for w in q7.wrong] == [('["A", "C"]', 1), (NO_ANSWER, 1)]
    assert hand_report.absent == (HAND_ABSENT,)
    assert hand_report.pending == 0


def test_report_summary_lists_every_item_and_the_file(hand_report: grading.ClassReport) -> None:
    """The terminal summary: who handed in, the score figures, a line per item, the path."""
    text = hand_report.summary()
    assert f"{len(HAND_SCORES)} students handed in, 1 did not ({HAND_ABSENT})" in text
    assert "Scores: mean 7.5 of 12 (62%), median 9, lowest 0, highest 12." in text
    for item in hand_report.quiz.items:
        assert f"\n{item.label} " in text
    assert '"2012-02-21" (2)' in text
    assert str(hand_report.html) in text


def test_report_html_images_exist_and_have_alt_text(hand_report: grading.ClassReport) -> None:
    """Every image the page shows is a PNG beside it, with the chart's alt text."""
    page = hand_report.html.read_text("utf-8")
    images = re.findall(r'<img src="([^"]+)" alt="([^"]*)"', page)
    assert {src for src, _ in images} == {"scores.png", "items.png"}
    for src, alt in images:
        path = hand_report.html.parent / src
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert len(html.unescape(alt)) > 80
    assert page.count("<img") == len(images)
    assert {p.name for p in hand_report.charts} == {"scores.png", "items.png"}


def test_report_html_quotes_the_cited_sentences_verbatim(hand_report: grading.ClassReport) -> None:
    """Each item's cited sentences appear with their ids, word for word."""
    text = html.unescape(re.sub(r"<[^>]+>", "", hand_report.html.read_text("utf-8")))
    for item in hand_report.quiz.items:
        for sid in item.cites:
            assert f"{sid} (Source {sid[0]}): “{sources.sentence(sid).text}”" in text
        which = "preferred" if item.accepted else "right"
        assert f"The {which} answer: {grading.literal(item.key)}" in text


def test_report_html_is_one_self_contained_page(hand_report: grading.ClassReport) -> None:
    """A complete page with its styles inline, tables with headers, no scripts."""
    page = hand_report.html.read_text("utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert '<html lang="en">' in page
    assert "<style>" in page
    assert "<script" not in page
    assert page.count("<section") == len(hand_report.quiz.items)
    assert '<th scope="col">facility</th>' in page
    assert '<th scope="col">discrimination</th>' in page


def test_report_goes_to_reports_quiz_in_the_course_by_default(hand_graded_course: Path) -> None:
    """Without out, the report is written to reports/<quiz>/ in the course."""
    done = grading.report("timeline", course=hand_graded_course)
    assert done.html == hand_graded_course / "reports" / "timeline" / "report.html"
    assert done.html.is_file()


def test_report_on_a_quiz_not_in_the_gradebook_says_what_to_do(
    hand_graded_course: Path, tmp_path: Path
) -> None:
    """A quiz never released: a clear error naming the quizzes the gradebook has."""
    with pytest.raises(grading.GradingError, match=r"no quiz 'sourcing' \(it has: timeline\)"):
        grading.report("sourcing", course=hand_graded_course, out=tmp_path)


def test_report_without_a_gradebook_says_what_to_do(tmp_path: Path) -> None:
    """A course never graded: a clear error, and no empty gradebook created."""
    (tmp_path / "nbgrader_config.py").write_text("c = get_config()\n", "utf-8")
    with pytest.raises(grading.GradingError, match="no gradebook yet"):
        grading.report("timeline", course=tmp_path)
    assert not (tmp_path / "gradebook.db").exists()


def test_report_outside_a_course_says_what_to_do(tmp_path: Path) -> None:
    """A folder without nbgrader_config.py is not taken for a course."""
    with pytest.raises(grading.GradingError, match="not an nbgrader course"):
        grading.report("timeline", course=tmp_path)


# -- the report on a class graded by stock nbgrader autograde --------------------------------


@pytest.mark.slow
def test_report_reads_a_stock_autograded_class(graded_course: Path, tmp_path: Path) -> None:
    """On nbgrader's own gradebook: the expected totals, statistics and wrong answers."""
    done = grading.report("timeline", course=graded_course, out=tmp_path)
    # ada, ben, cy, dee, eve: what homs's key gives each hand-in (stock autograde scores
    # through GradeAnswers, the course's nbgrader_config.py)
    timeline = grading.load_quiz("timeline")
    expected = []
    for s in ("ada", "ben", "cy", "dee", "eve"):
        nb = json.loads(
            (graded_course / "submitted" / s / "timeline" / "timeline.ipynb").read_text()
        )
        expected.append(sum(v.points or 0.0 for v in grading.grade_notebook(nb, timeline)))
    assert done.totals == tuple(expected)
    assert done.totals[:3] == (12, 6, 0)
    assert done.absent == ("fay",)
    stats = {s.item.id: s for s in done.items}
    assert stats["q1_order"].difficulty == pytest.approx((5 + 3 + 0 + 0 + 5) / 25)
    q2 = timeline.item("q2_colvin_date")
    wrong_q2 = [('"2012-02-21"', 2), ('"22 February 2012"', 1), (NO_ANSWER, 1)]
    if grading.grade_answer(q2, "22 February 2012")[0] >= q2.points:  # an accepted form now
        wrong_q2.remove(('"22 February 2012"', 1))
    assert [(w.answer, w.count) for w in stats["q2_colvin_date"].wrong] == wrong_q2
    q4 = timeline.item("q4_siege_length")
    if grading.grade_answer(q4, 2.0)[0] < q4.points:
        assert ("2.0", 1) in [(w.answer, w.count) for w in stats["q4_siege_length"].wrong]
    assert (tmp_path / "report.html").is_file()


@pytest.mark.slow
def test_report_counts_written_answers_by_rubric_level(graded_course: Path, tmp_path: Path) -> None:
    """A written item: marked answers by level, unmarked ones counted as pending."""
    done = grading.report("discrepancies", course=graded_course, out=tmp_path)
    written = next(s for s in done.items if s.item.written)
    assert dict(written.levels)["Proficient"] == 1
    assert written.pending == 1
    assert done.pending == 1
    assert "1 written answer not marked yet" in done.summary()
    assert "not marked yet: 1" in done.html.read_text("utf-8")
