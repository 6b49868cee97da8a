"""Every accepted answer of every item scores as declared, item by item, in the three places a
score is decided: the test cell in the student's kernel, ``homs practice``, ``homs autograde``."""

from __future__ import annotations

import copy
import json
import shutil
from typing import Any

import pytest

from helpers import COURSE
from homs import grading

pytestmark = pytest.mark.slow


def _answers(quiz: grading.Quiz, choice: int) -> dict[str, tuple[Any, float]]:
    """Each autograded item's ``choice``-th accepted answer (0: the key) and what it earns;
    items with fewer accepted answers keep their key."""
    out = {}
    for item in quiz.items:
        if item.written:
            continue
        answers = [(item.key, float(item.points))]
        answers += [(a.value, float(a.points)) for a in item.accepted]
        out[item.id] = answers[min(choice, len(answers) - 1)]
    return out


def _answered(
    release: dict[str, Any], quiz: grading.Quiz, answers: dict[str, tuple[Any, float]]
) -> dict[str, Any]:
    nb = copy.deepcopy(release)
    for cell in nb["cells"]:
        grade_id = cell["metadata"].get("nbgrader", {}).get("grade_id", "")
        item_id = grade_id.removesuffix("_answer")
        if grade_id.endswith("_answer") and item_id in answers:
            value = answers[item_id][0]
            cell["source"] = f"{quiz.item(item_id).variable} = {grading.literal(value)}"
    return nb


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """One class per quiz: student ``acc<k>`` answers every item with its k-th accepted answer;
    autograded in one run (kernels on, sandboxed)."""
    course = tmp_path_factory.mktemp("accepted") / "course"
    course.mkdir()
    shutil.copy(COURSE / "nbgrader_config.py", course)
    shutil.copytree(COURSE / "source", course / "source")
    expected: dict[tuple[str, str], dict[str, tuple[Any, float]]] = {}
    for quiz in (grading.load_quiz(n) for n in grading.quiz_names()):
        grading.release(quiz.id, course=course)
        release = json.loads((course / "release" / quiz.id / f"{quiz.id}.ipynb").read_text())
        most = max((len(i.accepted) for i in quiz.items), default=0)
        for choice in range(most + 1):
            student = f"acc{choice}"
            answers = _answers(quiz, choice)
            folder = course / "submitted" / student / quiz.id
            folder.mkdir(parents=True)
            (folder / f"{quiz.id}.ipynb").write_text(
                json.dumps(_answered(release, quiz, answers)), "utf-8"
            )
            expected[(quiz.id, student)] = answers
    summary = grading.autograde("*", course=course)
    return {"course": course, "summary": summary, "expected": expected}


def test_some_items_accept_more_than_their_key() -> None:
    """The packaged quizzes do have items with other accepted answers (else this tests nothing)."""
    items = [i for n in grading.quiz_names() for i in grading.load_quiz(n).items]
    assert any(i.accepted for i in items)


def test_each_accepted_answer_scores_as_declared_everywhere(graded: dict[str, Any]) -> None:
    """For every item and accepted answer: autograde's verdict, the kernel's own test cell and
    homs practice all give the declared points, and autograde notes no disagreement."""
    summary = graded["summary"]
    problems = []
    for (quiz_id, student), answers in graded["expected"].items():
        result = summary.result(student, quiz_id)
        assert result.status == "graded", summary.table()
        assert not [n for n in result.notes if "disagrees" in n], result.notes
        items = {i.grade_id: i for i in result.items}
        path = graded["course"] / "submitted" / student / quiz_id / f"{quiz_id}.ipynb"
        practised = {v.item.id: v.points for v in grading.practice(path).verdicts}
        for item_id, (value, points) in answers.items():
            got = items[item_id]
            seen = (got.score, got.kernel_score, practised[item_id])
            if seen != (points, points, points):
                problems.append(
                    f"{quiz_id} {item_id} = {grading.literal(value)}: autograde, kernel, "
                    f"practice gave {seen}, declared {points}"
                )
    assert not problems, "\n".join(problems)
