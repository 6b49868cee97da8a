"""Tests for homs.grading.autograde: parallel, sandboxed, resumable, one gradebook writer."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from helpers import (
    TIMELINE_PARTLY_RIGHT,
    answered,
    copy_course,
    grade_id,
    hand_in,
    key_answers,
    nbgrader,
    release_with_nbgrader,
)
from homs import cli, grading
from homs.grading.course import autograde as course_autograde
from homs.grading.course.autograde import _write
from homs.grading.engine import batch, execute, forensics

from .classroom import TIMELINE_WRONG_TYPES

#: The same scores stock nbgrader gives these answers (see test_roundtrip.py).
EXPECTED = {"ada": 12.0, "ben": 6.0, "cy": 0.0, "dee": 4.0}


def gradebook_scores(course: Path, quiz: str = "timeline") -> dict[str, float]:
    """Each student's total score in the course's gradebook."""
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        return {s.student_id: s.score for s in gb.assignment_submissions(quiz)}


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, grading.AutogradeSummary]:
    """A released timeline quiz, four students' submissions, and one homs autograde run."""
    course = copy_course(tmp_path_factory.mktemp("autograde") / "course")
    release = release_with_nbgrader(course, "timeline")["timeline"]
    hand_in(
        course, "timeline", "ada", answered(release, key_answers(grading.load_quiz("timeline")))
    )
    hand_in(course, "timeline", "ben", answered(release, TIMELINE_PARTLY_RIGHT))
    hand_in(course, "timeline", "cy", release)
    hand_in(course, "timeline", "dee", answered(release, TIMELINE_WRONG_TYPES))
    return course, grading.autograde("timeline", course=course, workers=2)


@pytest.mark.slow
def test_every_submission_is_graded(graded: tuple[Path, grading.AutogradeSummary]) -> None:
    """Each student gets a result with status graded and the right maximum."""
    _, summary = graded
    assert [r.student for r in summary.results] == ["ada", "ben", "cy", "dee"]
    assert {r.status for r in summary.results} == {"graded"}
    assert {r.max_score for r in summary.results} == {12.0}
    assert summary.workers == 2


@pytest.mark.slow
def test_gradebook_holds_the_same_scores_as_stock_nbgrader(
    graded: tuple[Path, grading.AutogradeSummary],
) -> None:
    """The gradebook totals are those stock nbgrader gives the same answers."""
    course, summary = graded
    assert gradebook_scores(course) == EXPECTED
    assert {r.student: r.score for r in summary.results} == EXPECTED


@pytest.mark.slow
def test_kernel_agrees_with_the_verdict_on_honest_work(
    graded: tuple[Path, grading.AutogradeSummary],
) -> None:
    """Executed in the sandbox, honest notebooks score in-kernel exactly as out of process."""
    _, summary = graded
    for result in summary.results:
        assert not [n for n in result.notes if "disagrees" in n], result.notes
        assert all(i.kernel_score == i.score for i in result.items), result.student


@pytest.mark.slow
def test_autograded_notebooks_feed_stock_feedback(
    graded: tuple[Path, grading.AutogradeSummary],
) -> None:
    """Executed notebooks land in autograded/ and nbgrader generate_feedback works on them."""
    course, _ = graded
    nb = json.loads((course / "autograded/ben/timeline/timeline.ipynb").read_text("utf-8"))
    assert any(c.get("outputs") for c in nb["cells"] if c["cell_type"] == "code")
    done = nbgrader("generate_feedback", "timeline", cwd=course)
    assert done.returncode == 0, done.stderr
    assert sorted(
        p.parent.parent.name for p in (course / "feedback").glob("*/timeline/*.html")
    ) == ["ada", "ben", "cy", "dee"]


@pytest.mark.slow
def test_sandbox_is_reported(graded: tuple[Path, grading.AutogradeSummary]) -> None:
    """A run that executes says whether bubblewrap isolated the kernels, and warns when it did
    not; a run that needs no kernel says no student code ran, and needs no warning."""
    course, summary = graded
    assert not summary.executed
    assert summary.warning is None
    assert "no student code run" in summary.table()
    executed = grading.autograde("timeline", course=course, execute=True, force=True)
    status = grading.sandbox_status()
    assert executed.isolated == status.isolated
    assert (executed.warning is None) == status.isolated
    assert "sandbox:" in executed.table()


@pytest.mark.slow
def test_rerun_skips_unchanged_and_regrades_changed(
    graded: tuple[Path, grading.AutogradeSummary],
) -> None:
    """A re-run grades only what changed, and keeps a teacher's manual grade."""
    from nbgrader.api import Gradebook

    course, _ = graded
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        gb.find_grade("q1_order", "timeline", "timeline", "ben").manual_score = 4.0
        gb.db.commit()
    again = grading.autograde("timeline", course=course)
    assert {r.status for r in again.results} == {"unchanged (skipped)"}
    path = course / "submitted/cy/timeline/timeline.ipynb"
    release = json.loads(path.read_text("utf-8"))
    hand_in(
        course,
        "timeline",
        "cy",
        answered(release, {"q4_siege_length": "answer_q4_siege_length = 2"}),
    )
    (course / "submitted/ben/timeline/timeline.ipynb").touch()  # same bytes: still unchanged
    third = grading.autograde("timeline", course=course)
    assert {r.student: r.status for r in third.results} == {
        "ada": "unchanged (skipped)",
        "ben": "unchanged (skipped)",
        "cy": "graded",
        "dee": "unchanged (skipped)",
    }
    assert gradebook_scores(course)["cy"] == 1.0
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        assert gb.find_grade("q1_order", "timeline", "timeline", "ben").manual_score == 4.0
    forced = grading.autograde("timeline", course=course, force=True, students=["ben"])
    assert [(r.student, r.status) for r in forced.results] == [("ben", "graded")]
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        assert gb.find_grade("q1_order", "timeline", "timeline", "ben").manual_score == 4.0


@pytest.mark.slow
def test_an_interrupted_run_keeps_what_it_recorded_and_leaves_nothing_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C as the second result comes in: the first grade is kept, the run's scratch folder
    is gone, and the same command grades the rest."""
    course = copy_course(tmp_path / "course")
    release = release_with_nbgrader(course, "timeline")["timeline"]
    for student in ("ada", "ben", "cy"):
        hand_in(course, "timeline", student, answered(release, TIMELINE_PARTLY_RIGHT))

    def run_folders() -> set[Path]:
        return {
            *Path("/var/tmp").glob("homs-autograde-*"),
            *(Path.home() / ".cache" / "homs").glob("homs-autograde-*"),
        }

    before = run_folders()
    write = _write
    calls = []

    def interrupt_at_the_second(*args: Any) -> None:
        calls.append(args[1].student)
        if len(calls) == 2:
            raise KeyboardInterrupt
        write(*args)

    monkeypatch.setattr(course_autograde, "_write", interrupt_at_the_second)
    with pytest.raises(KeyboardInterrupt):
        grading.autograde("timeline", course=course, workers=1)
    assert len(calls) == 2
    assert run_folders() == before
    monkeypatch.setattr(course_autograde, "_write", write)
    again = grading.autograde("timeline", course=course, workers=1)
    statuses = {r.student: r.status for r in again.results}
    assert statuses.pop(calls[0]) == "unchanged (skipped)"
    assert set(statuses.values()) == {"graded"}
    assert set(gradebook_scores(course)) == {"ada", "ben", "cy"}


@pytest.mark.slow
def test_cli_prints_the_status_table(
    graded: tuple[Path, grading.AutogradeSummary], capsys: pytest.CaptureFixture[str]
) -> None:
    """`homs autograde QUIZ --course DIR` prints one row per student."""
    course, _ = graded
    assert cli.main(["autograde", "timeline", "--course", str(course), "--quiet"]) == 0
    out = capsys.readouterr().out
    for student in EXPECTED:
        assert student in out


def test_unreleased_quiz_says_what_to_run(tmp_path: Path) -> None:
    """Autograding a quiz that was never released names the command to run first."""
    course = copy_course(tmp_path / "course")
    with pytest.raises(grading.GradingError, match="homs release sourcing"):
        grading.autograde("sourcing", course=course)


def test_unknown_quiz_is_refused(tmp_path: Path) -> None:
    """An assignment that is not a homs quiz is refused with the list of quizzes."""
    course = copy_course(tmp_path / "course")
    with pytest.raises(grading.GradingError, match="has no quiz spec among the packaged quizzes"):
        grading.autograde("homework1", course=course)


def test_not_a_course_is_refused(tmp_path: Path) -> None:
    """A folder without nbgrader_config.py is not taken for a course."""
    with pytest.raises(grading.GradingError, match=r"nbgrader_config\.py"):
        grading.autograde("timeline", course=tmp_path)


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"", "the file is empty"),
        (b'{"cells": [', "invalid JSON"),
        ("{}".encode("utf-16"), "not UTF-8"),
        (b"[1, 2]", "not a Jupyter notebook"),
    ],
)
def test_unreadable_files_get_a_clear_status(tmp_path: Path, content: bytes, problem: str) -> None:
    """Empty, truncated, non-UTF-8 and non-notebook files are named, not crashed on."""
    path = tmp_path / "timeline.ipynb"
    path.write_bytes(content)
    nb, message = forensics.read_submission(path)
    assert nb is None
    assert message is not None
    assert message.startswith("unreadable notebook")
    assert problem in message


def test_tampering_is_described(source_notebook: Any) -> None:
    """Deleted, copied, re-typed and re-labelled cells and changed metadata are all named."""
    source = source_notebook("timeline")
    nb = json.loads(json.dumps(source))
    cells = nb["cells"]

    def cell(name: str) -> dict[str, Any]:
        return next(c for c in cells if grade_id(c) == name)

    cells.append(json.loads(json.dumps(cell("q1_order"))))
    cell("q3_amos_year")["cell_type"] = "markdown"
    cell("q4_siege_length")["metadata"]["nbgrader"]["points"] = 100
    cell("q5_years_to_judgement")["metadata"]["nbgrader"]["grade_id"] = "mine"
    cells.remove(cell("q2_colvin_date"))
    nb["metadata"]["kernelspec"] = {"name": "evil", "display_name": "evil", "language": "python"}
    notes = " | ".join(forensics.tampering(nb, source))
    assert "cells deleted (restored): q2_colvin_date, q5_years_to_judgement" in notes
    assert "cells duplicated: q1_order" in notes
    assert "cells added or re-labelled (ignored): mine" in notes
    assert "cell types changed (restored): q3_amos_year" in notes
    assert "q4_siege_length.points" in notes
    assert "kernelspec changed" in notes


def test_untouched_notebook_has_no_tampering_notes(source_notebook: Any) -> None:
    """A student's ordinary notebook raises no tampering note."""
    source = source_notebook("timeline")
    assert forensics.tampering(json.loads(json.dumps(source)), source) == []


def test_output_is_capped() -> None:
    """Outputs past the limit are cut, with a note in the cell and in the summary."""
    import nbformat

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x")])
    nb.cells[0].outputs = [nbformat.v4.new_output("stream", text="y" * 1000) for _ in range(10)]
    notes: list[str] = []
    execute.cap_output(nb, 3000, notes)
    assert len(nb.cells[0].outputs) == 3
    assert "output cut" in nb.cells[0].outputs[-1]["text"]
    assert notes == ["output cut at 2 KiB"]


def test_summary_table_lists_each_student() -> None:
    """The table has a header, a row per student and the warning when there is one."""
    item = grading.ItemResult("q1", 1.0, 1.0)
    results = [
        grading.SubmissionResult("zoe", "timeline", "graded", ("a note",), (item,), 1.0, 1.0, 0.1)
    ]
    summary = grading.AutogradeSummary("timeline", results, False, "WARNING: limits only", 2, 1.0)
    table = summary.table()
    assert "zoe" in table
    assert "a note" in table
    assert table.endswith("WARNING: limits only")
    assert summary.result("zoe").score == 1.0
    with pytest.raises(KeyError):
        summary.result("nobody")


def sandboxed_timeline(tmp_path: Path) -> tuple[Path, dict[str, Any]]:
    """A course with the timeline quiz released, and its release notebook; skips the test where
    bubblewrap cannot run (without it the kernels share the grader's files)."""
    if not grading.sandbox_status().isolated:
        pytest.skip("needs bubblewrap: without it the kernels share the grader's files")
    course = copy_course(tmp_path / "course")
    return course, release_with_nbgrader(course, "timeline")["timeline"]


@pytest.mark.slow
def test_students_share_no_temporary_files(tmp_path: Path) -> None:
    """A file a student leaves in /tmp or $TMPDIR is not there for another student."""
    course, release = sandboxed_timeline(tmp_path)
    writer = (
        "import os, tempfile\n"
        "for folder in ('/tmp', tempfile.gettempdir()):\n"
        "    try:\n"
        "        open(os.path.join(folder, 'left-behind'), 'w').write('secret')\n"
        "        print('wrote', folder)\n"
        "    except OSError as err:\n"
        "        print('refused', folder, type(err).__name__)\n"
        "answer_q3_amos_year = 2012\n"
    )
    reader = (
        "import os, tempfile\n"
        "print('found', [f for f in ('/tmp', tempfile.gettempdir())"
        " if os.path.exists(os.path.join(f, 'left-behind'))])\n"
        "answer_q3_amos_year = 2012\n"
    )
    hand_in(course, "timeline", "a-writer", answered(release, {"q3_amos_year": writer}))
    hand_in(course, "timeline", "b-reader", answered(release, {"q3_amos_year": reader}))
    hand_in(course, "timeline", "c-reader", answered(release, {"q3_amos_year": reader}))
    summary = grading.autograde("timeline", course=course, workers=1, execute=True)
    assert {r.status for r in summary.results} == {"graded"}, summary.table()

    assert "refused /tmp" in printed(course, "a-writer"), summary.table()
    assert "found []" in printed(course, "b-reader")
    assert "found []" in printed(course, "c-reader")  # graded by the same worker after the writer


@pytest.mark.slow
def test_students_graded_at_the_same_time_cannot_see_each_other(tmp_path: Path) -> None:
    """Two students in one worker at once: neither sees the other's folder, while it exists."""
    course, release = sandboxed_timeline(tmp_path)

    def looker(name: str, pause: float, stay: float) -> str:
        return (
            "import os, pathlib, time\n"
            f"time.sleep({pause})\n"
            f"pathlib.Path('mine-{name}').write_text('secret')\n"
            "root = pathlib.Path.cwd().parents[2]\n"
            "print('seen', sorted(p.name for p in root.rglob('*') if p.is_file()))\n"
            f"time.sleep({stay})\n"
            "answer_q3_amos_year = 2012\n"
        )

    hand_in(course, "timeline", "a", answered(release, {"q3_amos_year": looker("a", 0, 4)}))
    hand_in(course, "timeline", "b", answered(release, {"q3_amos_year": looker("b", 2, 0)}))
    summary = grading.autograde("timeline", course=course, workers=1, execute=True)
    assert {r.status for r in summary.results} == {"graded"}, summary.table()
    assert batch.KERNELS_PER_WORKER >= 2  # so a and b were graded at the same time
    assert "'mine-a'" in printed(course, "a")
    assert "'mine-b'" not in printed(course, "a")
    assert "'mine-b'" in printed(course, "b")
    assert "'mine-a'" not in printed(course, "b")


def printed(course: Path, student: str) -> str:
    """What a student's code printed when it was autograded."""
    import nbformat

    nb = nbformat.read(course / f"autograded/{student}/timeline/timeline.ipynb", as_version=4)
    return "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs)


def test_progress_shows_each_finished_student(capsys: pytest.CaptureFixture[str]) -> None:
    """The progress display prints one line per graded student on stderr, with the bar."""
    bar = batch._Progress(1, "autograde timeline")
    item = grading.ItemResult("q1", 1.0, 1.0)
    bar.advance(grading.SubmissionResult("zoe", "timeline", "graded", (), (item,), 1.0, 1.0, 0.1))
    bar.close()
    err = capsys.readouterr().err
    assert "zoe" in err
    assert "graded" in err
    assert "autograde timeline" in err


def test_compiled_schemas_raise_what_jsonschema_raises() -> None:
    """The compiled-schema check accepts and rejects exactly as jsonschema.validate does."""
    import jsonschema

    schema = {
        "type": "object",
        "properties": {"points": {"type": "number"}},
        "required": ["points"],
    }
    fast = execute._CompiledSchemas()
    fast.validate({"points": 1}, schema)
    fast.validate({"points": 2}, dict(schema))  # a fresh copy hits the same compiled validator
    assert len(fast._compiled) == 1
    for bad in ({"points": "one"}, {}):
        with pytest.raises(jsonschema.ValidationError) as ours:
            fast.validate(bad, schema)
        with pytest.raises(jsonschema.ValidationError) as theirs:
            jsonschema.validate(bad, schema)
        assert ours.value.message == theirs.value.message


def test_the_run_folder_is_private_and_removed() -> None:
    """It holds a copy of the gradebook: no other user of the machine may read it."""
    with batch.run_folder() as folder:
        assert folder.stat().st_mode & 0o077 == 0
        (folder / "gradebook.db").write_text("copy")
    assert not folder.exists()


@pytest.mark.slow
def test_a_grading_that_fails_keeps_the_gradebook_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A forced re-run whose grading fails (a worker that cannot grade) writes no zeros over
    the grade the gradebook holds, is not recorded in the ledger, and says so; the next run
    grades the student again."""
    course = copy_course(tmp_path / "course")
    release = release_with_nbgrader(course, "timeline")["timeline"]
    hand_in(course, "timeline", "ada", answered(release, TIMELINE_PARTLY_RIGHT))
    first = grading.autograde("timeline", course=course, workers=1)
    assert [(r.student, r.status) for r in first.results] == [("ada", "graded")]
    held = gradebook_scores(course)["ada"]
    assert held > 0

    async def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("the worker could not grade")

    monkeypatch.setattr(batch, "grade", broken)
    failed = grading.autograde("timeline", course=course, workers=1, force=True)
    assert [(r.student, r.status) for r in failed.results] == [("ada", "grading failed")]
    assert gradebook_scores(course)["ada"] == held
    monkeypatch.undo()
    again = grading.autograde("timeline", course=course, workers=1)
    assert [(r.student, r.status) for r in again.results] == [("ada", "graded")]
    assert gradebook_scores(course)["ada"] == held
