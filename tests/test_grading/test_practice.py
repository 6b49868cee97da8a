"""Tests for homs.grading.reports.practice and `homs practice`: self-study marking against the
key."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from helpers import answered, index_of
from homs import cli, grading
from homs._text import plural


@pytest.fixture
def write_notebook(tmp_path: Path) -> Callable[..., Path]:
    """Writes a notebook dictionary to tmp_path under a given file name."""

    def write(nb: dict[str, Any], name: str) -> Path:
        path = tmp_path / name
        path.write_text(json.dumps(nb), "utf-8")
        return path

    return write


def test_the_key_scores_full_marks(
    source_notebook: Callable[[str], dict[str, Any]], write_notebook: Callable[..., Path]
) -> None:
    """Each source notebook, which holds the key, gets every automatic point."""
    for name in grading.quiz_names():
        report = grading.practice(write_notebook(source_notebook(name), f"{name}.ipynb"))
        assert report.points == report.max_points == report.quiz.auto_points
        assert {v.status for v in report.verdicts} <= {"right", "written"}


def test_a_partly_right_notebook(
    source_notebook: Callable[[str], dict[str, Any]], write_notebook: Callable[..., Path]
) -> None:
    """Partial credit, wrong types, computed and missing answers each get their verdict."""
    nb = answered(
        source_notebook("timeline"),
        {
            "q1_order": 'answer_q1_order = ["clock-tower-square", "colvin-ochlik-killed", '
            '"armored-vehicles-arrive", "amos-visit", "old-city-evacuation", '
            '"waer-retaken"]',
            "q2_colvin_date": 'answer_q2_colvin_date = "2012-02-21"',
            "q3_amos_year": "answer_q3_amos_year = len('2012')",
            "q4_siege_length": 'answer_q4_siege_length = "two"',
            "q5_years_to_judgement": "answer_q5_years_to_judgement = (\n"
            "    ...  # YOUR ANSWER HERE\n)",
        },
    )
    del nb["cells"][index_of(nb, "q6_days_to_amos_answer")]
    report = grading.practice(write_notebook(nb, "my-quiz.ipynb"), quiz="timeline")
    status = {v.item.id: (v.status, v.points) for v in report.verdicts}
    assert status == {
        "q1_order": ("partly right", 3.0),
        "q2_colvin_date": ("wrong", 0.0),
        "q3_amos_year": ("unreadable", 0.0),
        "q4_siege_length": ("wrong", 0.0),
        "q5_years_to_judgement": ("not answered", 0.0),
        "q6_days_to_amos": ("not answered", 0.0),
        "q7_siege_sources": ("right", 1.0),
        "q8_killing_sources": ("right", 1.0),
    }
    assert report.points == 5


def test_the_report_explains_and_cites(
    source_notebook: Callable[[str], dict[str, Any]], write_notebook: Callable[..., Path]
) -> None:
    """The text report gives, per item, the verdict, the answer, the reason and the sentences."""
    nb = answered(
        source_notebook("timeline"), {"q2_colvin_date": 'answer_q2_colvin_date = "2012-02-21"'}
    )
    text = grading.practice(write_notebook(nb, "timeline.ipynb")).format()
    assert "Q2. Date a death reported by two sources: 0 of 1 point, WRONG" in text
    assert 'The answer: "2012-02-22"' in text
    assert "Read: A-31, B-19" in text
    assert "B-19   In Homs, two Western journalists" in text
    assert "Total: 11 of 12 points on the automatic items (92%): 7 right, 1 wrong." in text
    assert text.splitlines()[1].startswith("Total: 11 of 12 points"), "the summary comes first"


def test_the_report_words_its_verdicts_for_a_student(
    source_notebook: Callable[[str], dict[str, Any]], write_notebook: Callable[..., Path]
) -> None:
    """One point is "1 point"; an answer Python could not read says so in words and how to
    write it (a date without quotes)."""
    nb = answered(
        source_notebook("timeline"),
        {"q2_colvin_date": "answer_q2_colvin_date = (\n    22 February 2012\n)"},
    )
    text = grading.practice(write_notebook(nb, "timeline.ipynb")).format()
    flat = " ".join(text.split())
    assert "(1 points)" not in flat
    assert "1 of 1 points" not in flat
    assert "UNREADABLE" not in flat
    assert "NOT READ (Python could not read the answer as written)" in flat
    assert 'put the date in quotes, like "22 February 2012"' in flat
    assert "1 not read" in text.splitlines()[1]


def test_practice_in_a_notebook_finds_the_notebook_beside_it(
    source_notebook: Callable[[str], dict[str, Any]],
    write_notebook: Callable[..., Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """practice("timeline.ipynb") in a kernel whose folder is elsewhere finds the notebook
    beside the one Jupyter runs (JPY_SESSION_NAME), and shows the report as its output."""
    path = write_notebook(source_notebook("timeline"), "timeline.ipynb")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    monkeypatch.setenv("JPY_SESSION_NAME", str(path))
    report = grading.practice("timeline.ipynb")
    assert report.points == 12
    assert str(report) == report.format()


def test_written_items_show_the_rubric_and_samples(
    source_notebook: Callable[[str], dict[str, Any]], write_notebook: Callable[..., Path]
) -> None:
    """For a written item, practice shows the three levels with their samples, not a score."""
    report = grading.practice(
        write_notebook(source_notebook("discrepancies"), "d.ipynb"), quiz="discrepancies"
    )
    text = report.format()
    written = report.quiz.item("q7_population_numbers")
    assert "written answer, 3 points, marked by a person" in text
    for level in written.rubric:
        assert f"{level.name} ({plural(level.points, 'point')})" in text
    assert "1 written answer to compare" in text


def test_the_quiz_is_found_from_metadata_or_file_name(
    source_notebook: Callable[[str], dict[str, Any]], write_notebook: Callable[..., Path]
) -> None:
    """A notebook names its quiz in its metadata; without it, the file name must."""
    nb = source_notebook("sourcing")
    assert grading.practice(write_notebook(nb, "renamed.ipynb")).quiz.id == "sourcing"
    del nb["metadata"]["homs"]
    assert grading.practice(write_notebook(nb, "sourcing.ipynb")).quiz.id == "sourcing"
    with pytest.raises(grading.GradingError, match="cannot tell which quiz"):
        grading.practice(write_notebook(nb, "renamed.ipynb"))


def test_cli_practice_prints_the_report(
    source_notebook: Callable[[str], dict[str, Any]],
    write_notebook: Callable[..., Path],
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`homs practice NOTEBOOK` prints the report and exits 0."""
    path = write_notebook(source_notebook("timeline"), "timeline.ipynb")
    assert cli.main(["practice", str(path)]) == 0
    out = capsys.readouterr().out
    assert "Q1. Put the events in order: 5 of 5 points, RIGHT" in out
    assert "Total: 12 of 12 points" in out


def test_cli_practice_explains_bad_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A missing or broken notebook gives a one-line message and exit status 1."""
    assert cli.main(["practice", str(tmp_path / "missing.ipynb")]) == 1
    assert "no such notebook" in capsys.readouterr().err
    broken = tmp_path / "timeline.ipynb"
    broken.write_text("{", "utf-8")
    assert cli.main(["practice", str(broken)]) == 1
    assert "invalid JSON" in capsys.readouterr().err
    good = tmp_path / "good.ipynb"
    good.write_text(json.dumps({"cells": [], "metadata": {}}), "utf-8")
    assert cli.main(["practice", str(good), "--quiz", "nope"]) == 1
    assert "there is no quiz 'nope'" in capsys.readouterr().err


def test_a_damaged_practice_history_still_marks_the_notebook(
    source_notebook: Callable[[str], dict[str, Any]], write_notebook: Callable[..., Path]
) -> None:
    """A damaged homs-practice.json beside the notebook costs only the history: the notebook is
    marked, and a note says what happened and what to do."""
    path = write_notebook(source_notebook("timeline"), "timeline.ipynb")
    (path.parent / "homs-practice.json").write_text("{not json", "utf-8")
    report = grading.practice(path)
    assert report.points == report.quiz.auto_points
    assert any("history could not be saved" in n and "Move it away" in n for n in report.notes)


def test_the_practice_history_counts_singulars_partly_right_and_unanswered(
    tmp_path: Path,
) -> None:
    """One question of a kind is "the only ... question", not "all 1 ... questions"; an
    answer with some of its points is "partly right", not missed; a kind the learner skipped
    says "not answered", never "got all ... right"."""
    from homs.grading.reports.selfstudy import RECORD, history_summary

    def item(label: str, rule: str, status: str) -> dict[str, str]:
        return {"item": label, "label": label, "rule": rule, "status": status}

    marks = {
        "timeline-practice-1.ipynb": {
            "quiz": "timeline",
            "items": [
                item("Q1", "order", "partly right"),
                item("Q2", "date", "wrong"),
                item("Q3", "year", "not answered"),
                item("Q4", "reported-by", "right"),
                item("Q5", "years-between", "right"),
                item("Q6", "days-between", "partly right"),
                item("Q7", "odd-one-out", "right"),
            ],
        },
        "timeline-practice-2.ipynb": {
            "quiz": "timeline",
            "items": [
                item("Q1", "order", "wrong"),
                item("Q5", "years-between", "right"),
                item("Q7", "odd-one-out", "not answered"),
            ],
        },
    }
    (tmp_path / RECORD).write_text(json.dumps({"draws": {}, "marks": marks}), "utf-8")
    lines = history_summary(tmp_path).splitlines()
    assert lines[0] == "Your practice so far (2 notebooks marked):"
    want = {
        "- you have missed the only dating question: timeline-practice-1 Q2.",
        "- you have missed 1 of 2 ordering questions: timeline-practice-2 Q1; 1 partly right: "
        "timeline-practice-1 Q1 (worth practising: start a new draw with homs practice --new).",
        "- you got the only 'how many days between' question partly right: timeline-practice-1 Q6.",
        "- you got the only 'which sources report it' question right.",
        "- you got all 2 'how many years between' questions right.",
        "- you got the only odd-one-out question right; 1 not answered: timeline-practice-2 Q7.",
        "- 1 'in which year' question not answered: timeline-practice-1 Q3.",
    }
    assert set(lines[1:]) == want
    text = "\n".join(lines)
    assert "all 1 " not in text
    assert "of 1 " not in text
