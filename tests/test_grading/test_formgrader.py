"""The formgrader's Autograde button (nbgrader's ``NbGraderAPI.autograde``) grades with homs's
key and runs no student code; a quiz homs cannot score that way is refused with the command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers import (
    TIMELINE_PARTLY_RIGHT,
    answered,
    copy_course,
    hand_in,
    release_with_nbgrader,
    venv_path,
)
from homs import grading

pytestmark = pytest.mark.slow


def _api(course: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """The API object the formgrader's handlers call, configured as the formgrader is."""
    from nbgrader.apps.api import NbGraderAPI

    from homs.grading.course.config import config, course_dir

    monkeypatch.chdir(course)
    monkeypatch.setenv("PATH", venv_path())
    cfg = config(course)
    return NbGraderAPI(coursedir=course_dir(course, cfg), config=cfg)


def _score(course: Path, quiz: str, student: str) -> float:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        return float(gb.find_submission(quiz, student).score)


def test_the_button_records_homs_scores_and_runs_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The formgrader's autograde records the score homs gives, and the student's code never
    runs (a cell that would write a file writes nothing)."""
    course = copy_course(tmp_path / "course", "timeline")
    release = release_with_nbgrader(course, "timeline")["timeline"]
    nb = answered(release, TIMELINE_PARTLY_RIGHT)
    marker = tmp_path / "ran.txt"
    nb["cells"].insert(
        1,
        {
            "cell_type": "code",
            "metadata": {},
            "id": "own-code",
            "execution_count": None,
            "outputs": [],
            "source": f"open({str(marker)!r}, 'w').write('ran')",
        },
    )
    hand_in(course, "timeline", "hana", nb)
    expected = sum(
        v.points or 0.0 for v in grading.grade_notebook(nb, grading.load_quiz("timeline"))
    )
    done = _api(course, monkeypatch).autograde("timeline", "hana")
    assert done["success"], done.get("error", "") + done.get("log", "")
    assert _score(course, "timeline", "hana") == expected
    assert 0 < expected < 12
    assert not marker.exists(), "the formgrader ran the student's code"
    graded = json.loads(
        (course / "autograded" / "hana" / "timeline" / "timeline.ipynb").read_text()
    )
    own = next(c for c in graded["cells"] if c.get("id") == "own-code")
    assert "Not run" in "".join(own["outputs"][0]["text"])


def test_the_button_refuses_a_quiz_without_a_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A quiz homs has no spec for is refused with the homs command to run; nothing is graded."""
    course = copy_course(tmp_path / "course", "timeline")
    release_with_nbgrader(course, "timeline")
    (course / "source" / "timeline").rename(course / "source" / "essay")
    (course / "source" / "essay" / "timeline.ipynb").rename(
        course / "source" / "essay" / "essay.ipynb"
    )
    release = release_with_nbgrader(course, "essay")["essay"]
    hand_in(course, "essay", "hana", release)
    done = _api(course, monkeypatch).autograde("essay", "hana")
    assert not done["success"]
    text = done.get("error", "") + done.get("log", "")
    assert "homs autograde essay --student hana" in text


def test_the_course_config_names_the_steps_formgrader_declares() -> None:
    """quizzes/nbgrader_config.py writes out the autograde steps by hand (a teacher reads it);
    they are exactly ``formgrader.AUTOGRADE_PREPROCESSORS``, GradeAnswers in place of Execute."""
    from traitlets.config.loader import PyFileConfigLoader

    from helpers import COURSE
    from homs.grading.course.formgrader import AUTOGRADE_PREPROCESSORS

    cfg = PyFileConfigLoader("nbgrader_config.py", path=str(COURSE)).load_config()
    assert list(cfg.Autograde.autograde_preprocessors) == AUTOGRADE_PREPROCESSORS
