"""A teacher's own quiz specs, kept private: built, released, autograded, fed back, reported on
and exported with the ``homs`` commands alone, the folder named once in ``nbgrader_config.py``."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

from helpers import COURSE, answered, hand_in, key_answers
from homs import grading
from homs.cli import main as homs

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def private_course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A course whose only quiz, ``exam1``, comes from the teacher's ``private/`` spec folder."""
    root = tmp_path_factory.mktemp("private")
    course = root / "course"
    (course / "private").mkdir(parents=True)
    spec = (grading.spec_dir() / "timeline.yaml").read_text("utf-8")
    (course / "private" / "exam1.yaml").write_text(
        spec.replace("quiz: timeline", "quiz: exam1"), "utf-8"
    )
    config = (COURSE / "nbgrader_config.py").read_text("utf-8")
    (course / "nbgrader_config.py").write_text(
        config + '\nc.Homs.specs = "private"\nc.Homs.workers = 1\n', "utf-8"
    )
    return course


def test_a_private_quiz_goes_through_every_command(
    private_course: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """homs build, release, autograde, feedback, report, export and practice all find the
    private quiz through c.Homs.specs, and grade it against its own key."""
    course = str(private_course)
    assert homs(["build", "--course", course]) == 0
    assert (private_course / "source" / "exam1" / "exam1.ipynb").is_file()
    assert homs(["build", "--check", "--course", course]) == 0
    assert homs(["release", "exam1", "--course", course]) == 0
    release = json.loads((private_course / "release" / "exam1" / "exam1.ipynb").read_text())
    quiz = grading.load_quiz("exam1", private_course / "private")
    hand_in(private_course, "exam1", "kim", answered(release, key_answers(quiz)))
    hand_in(private_course, "exam1", "lee", release)
    capsys.readouterr()

    assert homs(["autograde", "exam1", "--course", course, "--quiet"]) == 0
    table = capsys.readouterr().out
    rows = {line.split()[0]: line.split()[1:3] for line in table.splitlines()[3:]}
    assert rows["kim"] == ["graded", f"{quiz.auto_points}/{quiz.auto_points}"], table
    assert rows["lee"] == ["graded", f"0/{quiz.auto_points}"], table
    assert "with 1 worker," in table  # c.Homs.workers

    assert homs(["feedback", "exam1", "--course", course]) == 0
    page = (private_course / "feedback" / "lee" / "exam1" / "exam1.html").read_text("utf-8")
    assert "homs-explanation" in page  # explanations from the private spec's keys

    assert homs(["report", "exam1", "--course", course, "--out", str(tmp_path / "r")]) == 0
    assert "exam1" in (tmp_path / "r" / "report.html").read_text("utf-8")

    out = tmp_path / "grades.csv"
    assert homs(["export", "--course", course, "--out", str(out)]) == 0
    rows = {r["student_id"]: r for r in csv.DictReader(out.open(encoding="utf-8"))}
    assert float(rows["kim"]["exam1.total"]) == quiz.auto_points
    assert float(rows["lee"]["exam1.total"]) == 0

    notebook = tmp_path / "exam1.ipynb"
    shutil.copy(private_course / "submitted" / "kim" / "exam1" / "exam1.ipynb", notebook)
    capsys.readouterr()
    assert homs(["practice", str(notebook), "--specs", str(private_course / "private")]) == 0
    assert f"{quiz.auto_points} of {quiz.auto_points} points" in capsys.readouterr().out


def test_a_missing_private_folder_is_explained(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """c.Homs.specs naming a folder that does not exist fails with the file, the setting and
    what to do."""
    course = tmp_path / "course"
    course.mkdir()
    (course / "nbgrader_config.py").write_text('c = get_config()\nc.Homs.specs = "gone"\n')
    assert homs(["build", "--course", str(course)]) == 1
    err = capsys.readouterr().err
    assert "nbgrader_config.py: c.Homs.specs is 'gone'" in err
    assert "remove the setting" in err


def test_a_packaged_quiz_is_unknown_to_a_private_course(
    private_course: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """With c.Homs.specs set, autograde looks up keys there only, and says where it looked."""
    assert homs(["autograde", "timeline", "--course", str(private_course), "--quiet"]) == 1
    err = capsys.readouterr().err
    assert "has no quiz spec among the specs in" in err
    assert "exam1" in err
