"""The crafted submissions are what they claim to be (fast: nothing is executed)."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path
from typing import Any

import pytest

from helpers import COURSE, grade_id
from homs import grading

from ._craft import (
    CASES,
    HONEST,
    ITEMS,
    POINTS,
    SANDBOX_GUARD,
    Case,
    Context,
    Submission,
    case,
    check_keys_agree,
    fill,
    honest_submission,
    simulated_release,
)

COURSE_PATH = Path("/srv/course-of-the-attack")


@pytest.fixture(scope="module")
def context() -> Context:
    """What the attackers know, with a release simulated from the committed source notebook."""
    source = json.loads((COURSE / "source" / "timeline" / "timeline.ipynb").read_text("utf-8"))
    return Context(
        release=simulated_release(source),
        course=COURSE_PATH,
        canary_hosts=("127.0.0.1", "10.1.2.3"),
        canary_port=4242,
        secret="HOMS-ADV-CANARY-test",
    )


@pytest.fixture(scope="module")
def crafted(context: Context) -> dict[str, Submission]:
    """Every case's hand-in, crafted once."""
    return {c.student: c.craft(context, c.student) for c in CASES}


def notebook(submission: Submission) -> dict[str, Any]:
    """A crafted notebook parsed as JSON."""
    return json.loads(submission.notebook.decode("utf-8"))


def code_cells(nb: dict[str, Any]) -> list[str]:
    """The source of every code cell."""
    return [
        "".join(c["source"]) if isinstance(c["source"], list) else c["source"]
        for c in nb["cells"]
        if c["cell_type"] == "code"
    ]


def test_there_are_at_least_thirty_cases() -> None:
    """The suite has at least 30 crafted submissions, each a unique, folder-safe student id."""
    ids = [c.student for c in CASES]
    assert len(ids) >= 30
    assert len(set(ids)) == len(ids)
    assert all(re.fullmatch(r"adv_[a-z0-9_]+", s) for s in ids)
    assert not set(ids) & set(HONEST)


@pytest.mark.parametrize("item", CASES, ids=[c.student for c in CASES])
def test_each_case_is_described_in_one_sentence(item: Case) -> None:
    """Each case says what the student does in one sentence, and scores only quiz items."""
    assert item.description[0].isupper()
    assert item.description.endswith(".")
    assert item.description.count(". ") == 0, item.description
    assert set(item.deserved) == set(ITEMS)
    assert all(0 <= v <= POINTS[k] for k, v in item.deserved.items())


def test_the_right_answers_are_the_key(timeline: grading.Quiz) -> None:
    """The answers the suite calls right are the quiz's key, item by item."""
    assert check_keys_agree(timeline) == []


def test_honest_students_deserve_their_expected_scores(
    context: Context, timeline: grading.Quiz
) -> None:
    """Read as data, the honest hand-ins score exactly the expected points."""
    for student, expected in HONEST.items():
        nb = notebook(honest_submission(context, student))
        verdicts = grading.grade_notebook(nb, timeline)
        assert {v.item.id: v.points for v in verdicts} == expected, student


@pytest.mark.parametrize(
    "item",
    [c for c in CASES if not c.unreadable],
    ids=[c.student for c in CASES if not c.unreadable],
)
def test_literal_answers_deserve_no_more_than_the_table(
    item: Case, crafted: dict[str, Submission], timeline: grading.Quiz
) -> None:
    """Read as data, each readable hand-in earns at most its ``deserved`` points (exactly
    them where correct work must not lose points)."""
    data = crafted[item.student].notebook
    try:
        nb = notebook(crafted[item.student])
    except UnicodeDecodeError:
        nb = json.loads(data.decode("latin-1"))
    points = {v.item.id: v.points for v in grading.grade_notebook(nb, timeline)}
    for item_id, most in item.deserved.items():
        assert points[item_id] <= most, (item_id, points[item_id], most)
        if item.exact:
            assert points[item_id] == most, (item_id, points[item_id], most)


def test_the_truncated_file_is_invalid_json(crafted: dict[str, Submission]) -> None:
    """The truncated notebook is a prefix of a notebook that no longer parses."""
    data = crafted["adv_truncated"].notebook
    assert data.startswith(b"{\n")
    with pytest.raises(json.JSONDecodeError):
        json.loads(data)


def test_the_non_utf8_file_is_latin1_json(crafted: dict[str, Submission]) -> None:
    """The Latin-1 notebook is not UTF-8, but is a valid notebook read as Latin-1."""
    data = crafted["adv_non_utf8"].notebook
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    nb = json.loads(data.decode("latin-1"))
    assert nb["nbformat"] == 4
    assert "Caf\u00e9" in nb["cells"][0]["source"]


def test_the_nbformat5_file_says_version_5(crafted: dict[str, Submission]) -> None:
    """The nbformat 5 notebook is valid JSON with the right answers and ``nbformat: 5``."""
    nb = notebook(crafted["adv_nbformat5"])
    assert nb["nbformat"] == 5
    assert isinstance(nb["cells"], list)
    assert len(nb["cells"]) > 20


def test_the_empty_file_and_the_list_are_not_notebooks(crafted: dict[str, Submission]) -> None:
    """The empty hand-in has no bytes; the JSON list holds a notebook but is not one."""
    assert crafted["adv_empty_file"].notebook == b""
    data = json.loads(crafted["adv_json_list"].notebook)
    assert isinstance(data, list)
    assert isinstance(data[0]["cells"], list)


def test_every_code_cell_parses_except_the_literal_bombs(crafted: dict[str, Submission]) -> None:
    """The attacks are valid Python; only the literal bombs' answers fail to parse."""
    for item in CASES:
        if item.unreadable or item.student == "adv_non_utf8":
            continue
        broken = []
        for source in code_cells(notebook(crafted[item.student])):
            try:
                ast.parse(source)
            except (SyntaxError, ValueError, RecursionError, MemoryError):
                broken.append(source[:60])
        if item.student == "adv_literal_bombs":
            assert len(broken) == 3, broken
        else:
            assert not broken, (item.student, broken)


def test_attacks_know_the_course_and_the_canary(crafted: dict[str, Submission]) -> None:
    """The strongest attacker knows the course's absolute path and the canary's address."""
    absolute = "\n".join(code_cells(notebook(crafted["adv_key_absolute"])))
    assert repr(str(COURSE_PATH)) in absolute
    network = "\n".join(code_cells(notebook(crafted["adv_network"])))
    assert "('127.0.0.1', '10.1.2.3')" in network
    assert "4242" in network
    writer = "\n".join(code_cells(notebook(crafted["adv_write_others"])))
    assert "'PWNED:adv_write_others'" in writer


def test_extra_files_sit_next_to_the_notebook(crafted: dict[str, Submission]) -> None:
    """The fake-module cases hand in the files they claim, marked with their student id."""
    assert set(crafted["adv_fake_numpy"].files) == {"numpy.py"}
    assert {"homs/__init__.py", "homs/grading/__init__.py"} <= set(crafted["adv_fake_homs"].files)
    assert "sitecustomize.py" in crafted["adv_sitecustomize"].files
    assert "ipykernel_launcher.py" in crafted["adv_fake_launcher"].files
    for student in ("adv_fake_homs", "adv_sitecustomize", "adv_fake_launcher"):
        for name, data in crafted[student].files.items():
            assert f"PWNED:{student}".encode() in data, (student, name)
            ast.parse(data)


@pytest.mark.parametrize("student", ["adv_copied_test_cell", "adv_copied_answer_cell"])
def test_copied_cells_repeat_a_grade_id(crafted: dict[str, Submission], student: str) -> None:
    """The copied-cell cases really hold one grade_id twice."""
    ids = [grade_id(c) for c in notebook(crafted[student])["cells"] if grade_id(c)]
    assert len(ids) == len(set(ids)) + 1


def test_deleted_and_relabelled_cells_are_gone(crafted: dict[str, Submission]) -> None:
    """The deleter lacks four nbgrader cells; the re-labeller renamed Q4's test cell."""
    deleted = {grade_id(c) for c in notebook(crafted["adv_deleted_cells"])["cells"]}
    assert (
        not {"q2_colvin_date_answer", "q3_amos_year", "q4_siege_length_answer", "q4_siege_length"}
        & deleted
    )
    relabelled = {grade_id(c) for c in notebook(crafted["adv_relabelled"])["cells"]}
    assert "q4_siege_length" not in relabelled
    assert "q4_siege_length_renamed" in relabelled


def test_metadata_cases_change_the_metadata(crafted: dict[str, Submission]) -> None:
    """Points, kernelspec and extra graded cells are changed as described."""
    points = {
        grade_id(c): c["metadata"]["nbgrader"].get("points")
        for c in notebook(crafted["adv_points"])["cells"]
        if grade_id(c)
    }
    assert (points["q1_order"], points["q2_colvin_date"], points["q3_amos_year"]) == (500, 100, 0)
    spec = notebook(crafted["adv_kernelspec"])["metadata"]["kernelspec"]
    assert spec["name"] == "pwned-kernel"
    extra = {grade_id(c) for c in notebook(crafted["adv_extra_graded_cells"])["cells"]}
    assert {"bonus_points", "bonus_essay", "q9_extra"} <= extra


def test_dangerous_attacks_stay_off_outside_a_sandbox(
    context: Context, crafted: dict[str, Submission]
) -> None:
    """The fork bomb and kill(-1) only run as a non-root user in a PID namespace other than the
    grader's, never against stock nbgrader, and only when the sandbox isolates; here (the
    grader's own namespace) the guard says no."""
    for student in ("adv_fork_bomb", "adv_kill_all"):
        item = case(student)
        assert item.needs_isolation
        assert not item.stock
        assert repr(context.pid_namespace) in "".join(code_cells(notebook(crafted[student])))
    space: dict[str, Any] = {}
    exec(fill(SANDBOX_GUARD, context, "adv_fork_bomb"), space)
    assert space["_sandboxed"]() is False


def test_reordered_cells_keep_every_cell_with_tests_first(
    context: Context, crafted: dict[str, Submission]
) -> None:
    """The reordered hand-in has every cell of the release, each test above its answer."""
    cells = notebook(crafted["adv_reordered_cells"])["cells"]
    ids = [grade_id(c) for c in cells]
    released = [grade_id(c) for c in context.release["cells"]]
    assert sorted(map(str, ids)) == sorted(map(str, released))
    for item in ITEMS:
        assert ids.index(item) < ids.index(f"{item}_answer")
    assert ids.index("q8_killing_sources") < ids.index("q1_order")
