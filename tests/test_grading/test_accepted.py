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


# -- differences only of form ---------------------------------------------------------------


def _form_variants(item: grading.Item) -> list[Any]:
    """The item's key written differently in form only, as students write it: the table of
    what :func:`homs_checks.normalise` puts right, per kind."""
    key, kind = item.key, item.form.kind
    if kind in ("order", "match", "subset"):
        variants: list[Any] = [
            tuple(key),
            [x.swapcase() for x in key],
            [f" {x} " for x in key],
            [f"{x.replace('-', ' ').title()} " for x in key],
        ]
        if kind == "subset":
            variants.append(set(key))
        return variants
    if kind in ("choice", "sentence"):
        return [key.swapcase(), f" {key} ", f"{key.lower()} ", f"{key.replace('-', '')}\n"]
    if kind == "int":
        return [float(key), str(key), f" {key} "]
    if kind == "date":
        import datetime

        if item.form.date_format == "day":
            day = datetime.date.fromisoformat(key)
            return [
                f" {key} ",
                day.strftime("%d %B %Y"),
                day.strftime("%B %d, %Y"),
                day.strftime("%d %b %Y").lstrip("0"),
                key.replace("-", "/"),
            ]
        month = datetime.date.fromisoformat(key + "-01")
        return [f" {key} ", month.strftime("%B %Y"), month.strftime("%b %Y"), key.replace("-", "/")]
    raise AssertionError(f"no form variants for kind {kind}")


def test_every_kind_has_form_variants() -> None:
    """The packaged quizzes hold items of every kind the variant table covers, and each
    variant differs from the key as written."""
    kinds = {
        i.form.kind for n in grading.quiz_names() for i in grading.load_quiz(n).items if i.form
    }
    assert kinds <= {"order", "match", "subset", "choice", "sentence", "int", "date"}
    for name in grading.quiz_names():
        for item in grading.load_quiz(name).items:
            if not item.written:
                assert repr(item.key) not in map(repr, _form_variants(item)), item.id


def test_form_variants_score_as_the_key_out_of_process() -> None:
    """Every variant of form earns the key's points and has no form problem (the reader and
    scorer of homs practice and homs autograde)."""
    problems = []
    for name in grading.quiz_names():
        for item in grading.load_quiz(name).items:
            if item.written:
                continue
            for value in _form_variants(item):
                got = grading.grade_answer(item, value)
                if got != (float(item.points), None):
                    problems.append(f"{name} {item.id} = {value!r}: {got}")
    assert not problems, "\n".join(problems)


@pytest.fixture(scope="module")
def form_graded(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """One class per quiz: student ``form<k>`` answers every item with its k-th variant of
    form (written with repr, so tuples, sets and floats stay what they are); autograded with
    kernels."""
    course = tmp_path_factory.mktemp("form") / "course"
    course.mkdir()
    shutil.copy(COURSE / "nbgrader_config.py", course)
    shutil.copytree(COURSE / "source", course / "source")
    expected: dict[tuple[str, str], dict[str, tuple[Any, float]]] = {}
    for quiz in (grading.load_quiz(n) for n in grading.quiz_names()):
        grading.release(quiz.id, course=course)
        release = json.loads((course / "release" / quiz.id / f"{quiz.id}.ipynb").read_text())
        items = [i for i in quiz.items if not i.written]
        most = max(len(_form_variants(i)) for i in items)
        for choice in range(most):
            student = f"form{choice}"
            answers = {}
            for item in items:
                variants = _form_variants(item)
                answers[item.id] = (variants[choice % len(variants)], float(item.points))
            nb = copy.deepcopy(release)
            for cell in nb["cells"]:
                grade_id = cell["metadata"].get("nbgrader", {}).get("grade_id", "")
                item_id = grade_id.removesuffix("_answer")
                if grade_id.endswith("_answer") and item_id in answers:
                    value = answers[item_id][0]
                    if isinstance(value, set):
                        value = sorted(value)  # a set's repr is not stable; tuples cover it
                        answers[item_id] = (value, answers[item_id][1])
                    cell["source"] = f"{quiz.item(item_id).variable} = {value!r}"
            folder = course / "submitted" / student / quiz.id
            folder.mkdir(parents=True)
            (folder / f"{quiz.id}.ipynb").write_text(json.dumps(nb), "utf-8")
            expected[(quiz.id, student)] = answers
    summary = grading.autograde("*", course=course, execute=True)
    return {"course": course, "summary": summary, "expected": expected}


def test_form_variants_score_as_the_key_everywhere(form_graded: dict[str, Any]) -> None:
    """Each variant of form scores the key's points in the kernel's test cell, in homs
    autograde and in homs practice."""
    summary = form_graded["summary"]
    problems = []
    for (quiz_id, student), answers in form_graded["expected"].items():
        result = summary.result(student, quiz_id)
        assert result.status == "graded", summary.table()
        items = {i.grade_id: i for i in result.items}
        path = form_graded["course"] / "submitted" / student / quiz_id / f"{quiz_id}.ipynb"
        practised = {v.item.id: v.points for v in grading.practice(path).verdicts}
        for item_id, (value, points) in answers.items():
            got = items[item_id]
            seen = (got.score, got.kernel_score, practised[item_id])
            if seen != (points, points, points):
                problems.append(
                    f"{quiz_id} {item_id} = {value!r}: autograde, kernel, practice gave "
                    f"{seen}, key earns {points}"
                )
    assert not problems, "\n".join(problems)
