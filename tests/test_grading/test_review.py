"""Tests for ``homs review``: the answer-key review sheet lists every key and self-check."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

from helpers import COURSE, ROOT
from homs import grading
from homs.cli import main as homs
from homs.grading.reports.review import review, self_checks

LESSONS = ROOT / "lessons"


@pytest.fixture(scope="module")
def sheet(tmp_path_factory: pytest.TempPathFactory) -> tuple[grading.Quiz, str]:
    """The review sheet of the repository's course and lessons, as text without tags."""
    out = tmp_path_factory.mktemp("review") / "review.html"
    done = review(course=COURSE, lessons=LESSONS, out=out)
    text = html.unescape(re.sub(r"<[^>]+>", "", out.read_text("utf-8")))
    return done, re.sub(r"\s+", " ", text)


def test_every_autograded_item_is_listed_with_every_accepted_answer(sheet) -> None:
    """Each quiz item appears with its question, key, every accepted answer and its reason,
    the explanation, and each cited sentence quoted."""
    done, text = sheet
    assert [q.id for q in done.quizzes] == list(grading.quiz_names())
    for quiz in done.quizzes:
        for item in quiz.items:
            assert f"{item.label}. {item.title}" in text
            if item.written:
                for level in item.rubric:
                    assert " ".join(level.descriptor.split()) in text
                continue
            assert grading.literal(item.key) in text
            for accepted in item.accepted:
                assert grading.literal(accepted.value) in text
                assert " ".join(accepted.reason.split()) in text
            for sid in item.cites:
                assert f"{sid} (Source {sid[0]})" in text


def test_the_years_item_accepts_six_and_seven(sheet) -> None:
    """Q5 of the timeline quiz lists 7 as preferred and 6 (whole years) as accepted too."""
    done, text = sheet
    item = next(q for q in done.quizzes if q.id == "timeline").item("q5_years_to_judgement")
    assert item.key == 7
    assert [a.value for a in item.accepted] == [6]
    assert "Preferred answer (1 point): 7" in text
    assert "Also accepted (1 point): 6" in text


def test_every_self_check_of_the_lessons_is_rebuilt() -> None:
    """Every selfcheck builder call in the lessons is found and rebuilt, none skipped."""
    checks = self_checks(LESSONS)
    written = sum(
        len(re.findall(r"selfcheck\.(?!show\b)[a-z_]+\(", "".join(c["source"])))
        for nb in sorted(LESSONS.glob("*.ipynb"))
        for c in json.loads(nb.read_text("utf-8"))["cells"]
        if c["cell_type"] == "code"
    )
    assert len(checks) == written
    assert [c.call for c in checks if c.question is None] == []


def test_a_self_check_that_cannot_be_rebuilt_is_shown_not_skipped(tmp_path: Path) -> None:
    """A builder called with a variable is listed with the reason it could not be rebuilt."""
    cell = {
        "cell_type": "code",
        "metadata": {},
        "outputs": [],
        "execution_count": None,
        "source": "ids = ['amos-visit']\nselfcheck.order_events(ids)\n",
    }
    nb = {"cells": [cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    (tmp_path / "lessons").mkdir()
    (tmp_path / "lessons" / "01.ipynb").write_text(json.dumps(nb), "utf-8")
    (checks,) = self_checks(tmp_path / "lessons")
    assert checks.question is None
    assert "not plain values" in checks.problem


def test_text_from_a_spec_is_escaped(tmp_path: Path) -> None:
    """A teacher's spec with markup in a question reaches the sheet escaped, never as HTML."""
    specs = tmp_path / "specs"
    specs.mkdir()
    spec = (grading.spec_dir() / "timeline.yaml").read_text("utf-8")
    spec = spec.replace("quiz: timeline", "quiz: exam").replace(
        "How many years passed", "<img src=x onerror=alert(1)> How many years passed"
    )
    (specs / "exam.yaml").write_text(spec, "utf-8")
    course = tmp_path / "course"
    course.mkdir()
    (course / "nbgrader_config.py").write_text("c = get_config()\n", "utf-8")
    out = tmp_path / "sheet.html"
    assert (
        homs(
            [
                "review",
                "--course",
                str(course),
                "--specs",
                str(specs),
                "--lessons",
                str(LESSONS),
                "--out",
                str(out),
            ]
        )
        == 0
    )
    page = out.read_text("utf-8")
    assert "<img src=x" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


def test_a_missing_lessons_folder_is_explained(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """No lessons folder: the command says which folder and how to give another."""
    assert (
        homs(
            [
                "review",
                "--course",
                str(COURSE),
                "--lessons",
                str(tmp_path / "no"),
                "--out",
                str(tmp_path / "x.html"),
            ]
        )
        == 1
    )
    assert "--lessons DIR" in capsys.readouterr().err
