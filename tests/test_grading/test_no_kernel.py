"""Grading without a kernel: for the same hand-ins, the graded notebooks, scores and messages
are those a sandboxed kernel run gives, item by item, and no student code runs."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from nbformat.v4 import new_code_cell

from helpers import (
    TIMELINE_PARTLY_RIGHT,
    answered,
    copy_course,
    hand_in,
    index_of,
    key_answers,
    release_with_nbgrader,
)
from homs import grading
from homs.grading.engine import worker
from homs.grading.engine.simulate import NOT_RUN

pytestmark = pytest.mark.slow

#: Hand-ins of every kind of form a student writes: right, partly right, wrong types, not
#: answered, a value that is not plain data, an answer cell that does not parse, extra code.
CLASS: dict[str, dict[str, str]] = {
    "right": {},  # filled in with the key below
    "partly": TIMELINE_PARTLY_RIGHT,
    "types": {
        "q2_colvin_date": 'answer_q2_colvin_date = "22 February 2012"',
        "q3_amos_year": 'answer_q3_amos_year = "2012"',
        "q4_siege_length": "answer_q4_siege_length = 2.0",
        "q7_siege_sources": 'answer_q7_siege_sources = "B, C"',
    },
    "blank": {},
    "code": {
        "q3_amos_year": "answer_q3_amos_year = 2000 + 12",
        "q4_siege_length": "answer_q4_siege_length = (",
        "q5_years_to_judgement": "print('my own code')\nanswer_q5_years_to_judgement = 7",
    },
}


#: A code cell the "code" student added between two questions.
OWN_CELL = "print('a cell of my own')"


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The same class graded twice: once without a kernel, once with every hand-in executed."""
    base = tmp_path_factory.mktemp("no-kernel")
    runs = {}
    for mode in ("data", "kernel"):
        course = copy_course(base / mode, "timeline")
        release = release_with_nbgrader(course, "timeline")["timeline"]
        quiz = grading.load_quiz("timeline")
        for student, answers in CLASS.items():
            answers = key_answers(quiz) if student == "right" else answers
            nb = answered(release, answers)
            if student == "code":
                at = index_of(nb, "q5_years_to_judgement_answer") + 1
                nb["cells"].insert(at, new_code_cell(OWN_CELL))
            hand_in(course, "timeline", student, nb)
        summary = grading.autograde(
            "timeline", course=course, execute=(mode == "kernel"), workers=2
        )
        runs[mode] = (course, summary)
    return runs


def _graded(course: Path, student: str) -> dict[str, Any]:
    path = course / "autograded" / student / "timeline" / "timeline.ipynb"
    return json.loads(path.read_text("utf-8"))


def _test_cells(course: Path, student: str) -> dict[str, list[dict[str, Any]]]:
    nb = _graded(course, student)
    out = {}
    for cell in nb["cells"]:
        meta = cell["metadata"].get("nbgrader", {})
        if meta.get("grade") and cell["cell_type"] == "code" and not meta.get("solution"):
            out[meta["grade_id"]] = cell["outputs"]
    return out


def _shown(outputs: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """What a test cell shows, without the kernel's traceback decoration."""
    shown = []
    for o in outputs:
        if o["output_type"] == "error":
            shown.append(("error", f"{o['ename']}: {o['evalue']}"))
        elif o["output_type"] == "execute_result":
            shown.append(("result", o["data"]["text/plain"]))
        elif o["output_type"] == "stream":
            shown.append(("stream", o["text"]))
    return shown


def test_no_kernel_was_started(both: dict[str, Any]) -> None:
    """The default run reads the answers as data: the summary says no student code ran."""
    _, summary = both["data"]
    assert not summary.executed
    assert "no student code run" in summary.table()
    _, executed = both["kernel"]
    assert executed.executed


def test_the_same_scores_item_by_item(both: dict[str, Any]) -> None:
    """Every item of every student scores the same with and without a kernel."""
    for student in CLASS:
        data = {i.grade_id: i.score for i in both["data"][1].result(student).items}
        kernel = {i.grade_id: i.score for i in both["kernel"][1].result(student).items}
        assert data == kernel, student


def test_the_same_messages_in_every_test_cell(both: dict[str, Any]) -> None:
    """Each test cell shows the same assertion message or partial score as after a real run,
    except where the kernel saw code the reader does not run (then the verdict counts and the
    teacher is told)."""
    for student in CLASS:
        data = _test_cells(both["data"][0], student)
        kernel = _test_cells(both["kernel"][0], student)
        assert data.keys() == kernel.keys()
        for grade_id in data:
            if student == "code" and grade_id in ("q3_amos_year", "q4_siege_length"):
                continue  # the kernel computed 2000 + 12 / failed to parse; the verdict counts
            assert _shown(data[grade_id]) == _shown(kernel[grade_id]), (student, grade_id)


def test_a_students_own_code_is_kept_and_marked_not_run(both: dict[str, Any]) -> None:
    """Extra code in an answer cell is kept; cells of the student's own are marked not run."""
    course, _ = both["data"]
    nb = json.loads(
        (course / "autograded" / "code" / "timeline" / "timeline.ipynb").read_text("utf-8")
    )
    sources = ["".join(c["source"]) for c in nb["cells"]]
    assert any("print('my own code')" in s for s in sources)
    assert not any("my own code" in json.dumps(c.get("outputs", [])) for c in nb["cells"])


def test_stock_feedback_works_on_the_graded_notebooks(both: dict[str, Any]) -> None:
    """homs feedback (nbgrader's generate_feedback) renders the notebooks graded without a
    kernel, each page with its student's own score."""
    course, summary = both["data"]
    done = grading.feedback("timeline", course=course)
    assert len(done.files) == len(CLASS)
    scores = {}
    for student in CLASS:
        page = (course / "feedback" / student / "timeline" / "timeline.html").read_text("utf-8")
        result = summary.result(student)
        # nbgrader's feedback page heads the notebook with "Score: <score> / <max>".
        shown = re.search(r"Score:\s*([\d.]+)\s*/\s*([\d.]+)", page)
        assert shown, f"no score in {student}'s feedback page"
        scores[student] = (float(shown[1]), float(shown[2]))
        assert scores[student] == (result.score, result.max_score), student
    assert scores["right"] == (12.0, 12.0)
    assert scores["partly"] == (6.0, 12.0)  # TIMELINE_PARTLY_RIGHT: 6 of 12, as stock nbgrader
    assert scores["blank"] == (0.0, 12.0)


def test_simulated_outputs_mark_unrun_cells(both: dict[str, Any]) -> None:
    """In a notebook graded without a kernel, a code cell the student added shows that it was
    not run (and is marked so), answer cells show nothing, and no other cell says "not run";
    after a real run the same cell shows what it printed."""
    nb = _graded(both["data"][0], "code")
    own = [c for c in nb["cells"] if "".join(c["source"]) == OWN_CELL]
    assert len(own) == 1
    assert [(o["output_type"], o["name"], "".join(o["text"])) for o in own[0]["outputs"]] == [
        ("stream", "stdout", NOT_RUN)
    ]
    assert own[0]["metadata"]["homs"]["not_run"] is True
    assert "Not run when this quiz was marked" in NOT_RUN
    for cell in nb["cells"]:
        info = cell["metadata"].get("nbgrader", {})
        if cell["cell_type"] != "code" or cell is own[0]:
            continue
        assert NOT_RUN not in json.dumps(cell["outputs"]), info.get("grade_id")
        assert not cell["metadata"].get("homs", {}).get("not_run"), info.get("grade_id")
        if info.get("solution"):
            assert cell["outputs"] == [], info["grade_id"]
    ran = _graded(both["kernel"][0], "code")
    ran_own = [c for c in ran["cells"] if "".join(c["source"]) == OWN_CELL]
    assert [("".join(o["text"])) for o in ran_own[0]["outputs"]] == ["a cell of my own\n"]


def test_extra_files_are_not_needed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Grading without a kernel never copies the assignment's data files to a scratch folder
    (only a kernel run needs them) and leaves none beside the graded notebook."""
    calls = tmp_path / "copied.txt"
    simulated = tmp_path / "simulated.txt"

    def copy_assignment_files(source: Path, workdir: Path) -> None:
        with calls.open("a") as log:
            log.write(f"{source} -> {workdir}\n")
        raise AssertionError("the assignment's data files were copied")

    real_simulate = worker.simulate

    def simulate(*args: Any) -> Any:
        simulated.touch()  # shows that the worker ran this module's patched names
        return real_simulate(*args)

    # The workers are forked from this process, so they see these patches.
    monkeypatch.setattr(worker, "copy_assignment_files", copy_assignment_files)
    monkeypatch.setattr(worker, "simulate", simulate)
    course = copy_course(tmp_path / "course", "timeline")
    (course / "source" / "timeline" / "data.csv").write_text("a,b\n", "utf-8")
    release = release_with_nbgrader(course, "timeline")["timeline"]
    assert (course / "release" / "timeline" / "data.csv").is_file()
    hand_in(course, "timeline", "ada", release)
    summary = grading.autograde("timeline", course=course, workers=1)
    assert simulated.exists(), "the worker did not run the patched module (spawned, not forked?)"
    assert not calls.exists(), calls.read_text("utf-8")
    result = summary.result("ada")
    assert result.status == "graded"
    assert not summary.executed
    assert not any("data.csv" in note for note in result.notes)
    graded = course / "autograded" / "ada" / "timeline"
    assert sorted(p.name for p in graded.iterdir()) in (
        ["timeline.ipynb"],
        ["timeline.ipynb", "timestamp.txt"],
    )
