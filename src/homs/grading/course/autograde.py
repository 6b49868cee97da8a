"""``homs autograde``: grade an nbgrader course's submissions into its gradebook.

The course is a stock nbgrader course and stays one: submissions are read from
``submitted/<student>/<quiz>/``, executed notebooks are written to
``autograded/<student>/<quiz>/`` and grades land in nbgrader's gradebook (any ``db_url``), so
``nbgrader generate_feedback``, ``nbgrader export`` and the formgrader work on the result
unchanged.

This module turns the course into jobs (:class:`homs.grading.engine.job.Job`), has the engine
grade them (:func:`homs.grading.engine.batch.grade_batch`: in parallel, sandboxed, the score
decided outside the student's process), and is the one writer to the gradebook: it records each
result as it arrives, keeping manual grades. A re-run skips submissions whose files have not
changed since they were graded (:mod:`homs.grading.engine.ledger`), unless forced.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import time
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from homs.errors import GradingError
from homs.grading.authoring.spec import Quiz, load_quiz, quiz_names
from homs.grading.course.classlist import CourseSummary, misplaced
from homs.grading.course.config import DEFAULT_COURSE, config, course_dir, course_root, settings
from homs.grading.course.gradebook import quiz_grades
from homs.grading.course.roster import import_configured
from homs.grading.course.variants import ForGrading
from homs.grading.engine import ledger
from homs.grading.engine.batch import KERNELS_PER_WORKER, Graded, grade_batch, run_folder
from homs.grading.engine.forensics import fingerprint, refusal
from homs.grading.engine.job import GradeCell, Job
from homs.grading.engine.results import AutogradeSummary, SubmissionResult
from homs.grading.engine.sandbox import Limits, sandbox_status

__all__ = ["autograde"]


def autograde(
    quiz: str,
    *,
    course: str | Path = DEFAULT_COURSE,
    workers: int | None = None,
    force: bool = False,
    students: Sequence[str] | None = None,
    specs: str | Path | None = None,
    limits: Limits | None = None,
    sandbox: bool | None = None,
    execute: bool | None = None,
    progress: bool = False,
) -> AutogradeSummary:
    """Autogrades every submission of a quiz in an nbgrader course.

    Settings not given here come from the course's ``nbgrader_config.py``
    (:class:`homs.grading.course.config.Homs`), then from the defaults.

    Args:
        quiz: The quiz (nbgrader assignment) id, e.g. ``"timeline"``, or ``"*"`` for every quiz
            in the course's ``source/`` that has a spec (one pool of workers for all of them).
        course: The course root (the folder with ``nbgrader_config.py``).
        workers: Parallel worker processes (``c.Homs.workers``; one per core by default). Each
            grades :data:`~homs.grading.engine.batch.KERNELS_PER_WORKER` students at a time.
        force: Re-grade submissions that have not changed since they were graded.
        students: Only these students; all who submitted by default.
        specs: The folder of quiz specs holding the keys (``c.Homs.specs``; the packaged
            specs by default).
        limits: Resource limits for each student's kernel (``c.Homs.cpu_seconds`` and the
            others).
        sandbox: ``True`` requires bubblewrap, ``False`` runs with limits only, ``None`` uses
            ``c.Homs.sandbox`` (by default: bubblewrap when it works here, with a loud warning
            when it does not).
        execute: ``True`` runs every hand-in in a sandboxed kernel (the graded notebooks get
            the students' own outputs); ``False`` never starts a kernel; ``None`` (the default,
            or ``c.Homs.execute_all``) starts one only for a quiz with an autograded cell its
            spec cannot decide from the answer.
        progress: Show a progress bar and the status table on stderr.

    Returns:
        One result per submission, with the sandbox mode and timing.

    Raises:
        GradingError: The course or quiz is not set up (the message says what to run).
    """
    from nbgrader.api import Gradebook

    started = time.perf_counter()
    course = course_root(course)
    cfg = config(course)
    homs = settings(course, cfg)
    coursedir = course_dir(course, cfg)
    folder = Path(specs).expanduser().resolve() if specs is not None else homs.specs_folder(course)
    known = quiz_names(folder)
    if quiz == "*":
        quizzes = [q for q in known if (course / "source" / q).is_dir()]
    elif quiz in known:
        quizzes = [quiz]
    else:
        where = f"the specs in {folder}" if folder else "the packaged quizzes"
        raise GradingError(
            f'{quiz!r} has no quiz spec among {where} ({", ".join(known) or "none"}, or "*" '
            "for all); homs autograde needs the quiz's key. Point at your own specs with "
            "--specs DIR (or c.Homs.specs in nbgrader_config.py), or grade other assignments "
            "with nbgrader autograde."
        )
    for name in quizzes:
        load_quiz(name, folder)
    limits = limits or homs.limits()
    if execute is None and homs.execute_all:
        execute = True
    workers = max(1, workers or homs.workers or os.cpu_count() or 1)
    submitted = course / "submitted"
    roster = import_configured(course)
    versions = ForGrading(course, quizzes, folder, cfg)
    version_notes: dict[tuple[str, str], str] = {}
    with Gradebook(coursedir.db_url, coursedir.course_id) as gb:
        cells = {name: _assignment_cells(gb, name) for name in quizzes}
        held = _auto_scores(gb, quizzes)
    runs = {
        name: execute
        if execute is not None
        else _needs_kernel(load_quiz(name, folder), cells[name])
        for name in quizzes
    }
    if sandbox is None:
        sandbox = {"auto": None, "require": True, "off": False}[homs.sandbox]
    # Only a run that starts a kernel needs the sandbox (and the time to check it).
    status = sandbox_status() if sandbox is not False and any(runs.values()) else None
    if sandbox is True and any(runs.values()) and not (status and status.isolated):
        raise GradingError(
            f"the sandbox is required but bubblewrap cannot run here: "
            f"{status.reason if status else ''}"
        )
    isolated = bool(status and status.isolated)
    warning = status.warning if status and any(runs.values()) else None
    if not isolated and any(runs.values()):
        warning = (
            status.warning
            if status
            else (
                "WARNING: sandbox turned off: student code ran with resource limits only, without "
                "filesystem or network isolation."
            )
        )
    with run_folder() as scratch:
        db_url = coursedir.db_url
        if db_url.startswith("sqlite:///"):
            # Workers read a snapshot; only this process writes the real gradebook.
            snapshot = scratch / "gradebook.db"
            shutil.copy(db_url.removeprefix("sqlite:///"), snapshot)
            db_url = f"sqlite:///{snapshot}"

        results: list[SubmissionResult] = []
        jobs = []
        changed_elsewhere: set[tuple[str, str]] = set()
        wrong_place = misplaced(course, quizzes, cells, students)
        for name in quizzes:
            found = sorted(p.parent.name for p in submitted.glob(f"*/{name}") if p.is_dir())
            if students is not None:
                found = [s for s in found if s in set(students)]
            for student in found:
                hand_in = submitted / student / name
                if not any((hand_in / f"{nb}.ipynb").exists() for nb in cells[name]):
                    continue  # misplaced: said in the summary, not counted as a hand-in
                variant, note = versions.job(name, student)
                # The version graded against is part of what "unchanged" means: a new secret or
                # roster at release changes a student's keys, and the hand-in is graded again.
                print_ = ledger.with_variant(
                    fingerprint(hand_in, course / "source" / name), variant
                )
                if note:
                    version_notes[(name, student)] = note
                skipped = None if force else ledger.unchanged(course, name, student, print_)
                if skipped is not None and _holds(held.get((name, student)), skipped):
                    results.append(skipped)
                    continue
                if skipped is not None:
                    changed_elsewhere.add((name, student))
                jobs.append(
                    Job(
                        quiz=name,
                        student=student,
                        submission=str(hand_in),
                        source=str(course / "source" / name),
                        out=str(course / "autograded" / student / name),
                        cells=cells[name],
                        specs=str(folder) if folder else None,
                        config=cfg,
                        db_url=db_url,
                        course_id=coursedir.course_id,
                        fingerprint=print_,
                        limits=limits,
                        isolated=isolated,
                        scratch=str(scratch),
                        execute=runs[name],
                        variant=variant,
                    )
                )

        writer = contextlib.ExitStack()
        opened: list[Any] = []
        late = _late_plugin(cfg)

        def record(job: Job, graded: Graded) -> None:
            if not opened:
                # Opened once the workers exist, so none of them inherits the connection.
                # nbgrader's relationship bookkeeping trips SQLAlchemy 2 warnings; harmless.
                writer.enter_context(warnings.catch_warnings())
                warnings.simplefilter("ignore", category=_sa_warning())
                opened.append(
                    writer.enter_context(Gradebook(coursedir.db_url, coursedir.course_id))
                )
            result, per_notebook = graded
            timestamp, problem = _timestamp(Path(job.submission))
            notes = [problem] if problem else []
            if (job.quiz, job.student) in version_notes:
                notes.append(version_notes[(job.quiz, job.student)])
            if (job.quiz, job.student) in changed_elsewhere:
                notes.append(
                    "the gradebook held other scores than homs recorded (changed by another "
                    "tool?): graded again"
                )
            if notes:
                result = replace(result, notes=(*result.notes, *notes))
            # commits: one writer, one session. A grading that failed decided nothing: the
            # gradebook keeps what it held (the summary says "not recorded"), never zeros.
            if result.status != "grading failed":
                _write(opened[0], result, per_notebook, timestamp, late)
            ledger.record(course, result, job.fingerprint)
            results.append(result)

        try:
            grade_batch(
                jobs,
                workers=workers,
                record=record,
                progress=f"autograde {quiz}" if progress else None,
            )
        finally:
            writer.close()
    results.sort(key=lambda r: (r.quiz, r.student))
    results = versions.flag(results)
    executed = any(runs.values())
    with Gradebook(coursedir.db_url, coursedir.course_id) as gb:
        standing = {name: quiz_grades(gb, name) for name in quizzes}
    return CourseSummary(
        quiz,
        results,
        isolated,
        warning,
        workers,
        time.perf_counter() - started,
        per_worker=KERNELS_PER_WORKER,
        executed=executed,
        grades=standing,
        misplaced=tuple(wrong_place),
        roster=roster,
    )


def _needs_kernel(quiz: Quiz, cells: Mapping[str, Sequence[GradeCell]]) -> bool:
    """Whether some autograded cell of the quiz is not an item its spec decides from the
    answer (a teacher's own code test, say): only then does a kernel add anything."""
    decided = {item.id for item in quiz.items if not item.written}
    return any(c.auto and c.name not in decided for group in cells.values() for c in group)


def _write(
    gb: Any,
    result: SubmissionResult,
    per_notebook: Mapping[str, list[dict[str, Any]]],
    timestamp: Any,
    late: Any = None,
) -> None:
    """Records one result in the gradebook, as nbgrader's SaveAutoGrades and AssignLatePenalties
    would, keeping manual grades.

    Args:
        gb: The open gradebook.
        result: The result.
        per_notebook: The items of each notebook, as dictionaries.
        timestamp: When the hand-in was submitted (from its ``timestamp.txt``), or ``None``.
        late: The course's late-submission plugin (nbgrader's ``LateSubmissionPlugin`` or the
            one its configuration names); no penalty when ``None``.
    """
    from nbgrader.api import MissingEntry

    try:
        gb.find_student(result.student)
    except MissingEntry:
        # Not on a roster: named by the id, so the formgrader shows "hana, " and not
        # "None, None" (`homs roster FILE` gives the real names).
        gb.update_or_create_student(result.student, last_name=result.student, first_name="")
    if timestamp:
        gb.update_or_create_submission(result.quiz, result.student, timestamp=timestamp)
    else:
        gb.update_or_create_submission(result.quiz, result.student)
    for name, items in per_notebook.items():
        for item in items:
            grade = gb.find_grade(item["grade_id"], name, result.quiz, result.student)
            grade.auto_score = item["score"]
            grade.needs_manual_grade = grade.manual_score is not None or grade.auto_score is None
            if (
                result.status in ("refused", "missing notebook", "unreadable notebook")
                and item["score"] is None
            ):
                grade.needs_manual_grade = False
                grade.auto_score = 0.0
    gb.db.commit()
    submission = gb.find_submission(result.quiz, result.student)
    seconds_late = submission.total_seconds_late
    for name in per_notebook:
        notebook = gb.find_submission_notebook(name, result.quiz, result.student)
        notebook.late_submission_penalty = None
        if late is not None and seconds_late > 0:
            penalty = late.late_submission_penalty(result.student, notebook.score, seconds_late)
            if penalty is not None:
                # As nbgrader's AssignLatePenalties: never below 0, never above the score.
                notebook.late_submission_penalty = min(max(penalty, 0), notebook.score)
    gb.db.commit()


def _late_plugin(cfg: Any) -> Any:
    """The late-submission plugin the course configures for nbgrader's AssignLatePenalties."""
    from nbgrader.preprocessors import AssignLatePenalties

    return AssignLatePenalties(config=cfg).plugin_class(config=cfg)


def _timestamp(folder: Path) -> tuple[Any, str | None]:
    """The hand-in's ``timestamp.txt`` as nbgrader reads it, or ``None`` and why not.

    The file is the student's to write (or an exchange's): it must be a small regular UTF-8 file
    holding a date, or it is ignored with a note; it never stops the batch or blocks it (a FIFO
    is never opened).
    """
    from nbgrader.utils import parse_utc

    path = folder / "timestamp.txt"
    if not path.exists() and not path.is_symlink():
        return None, None
    refused = refusal(path)
    if refused or path.stat().st_size > 1024:
        return None, "timestamp.txt ignored: not a small plain file"
    try:
        text = path.read_bytes().decode("utf-8").strip()
        return (parse_utc(text), None) if text else (None, "timestamp.txt ignored: empty")
    except (UnicodeDecodeError, ValueError, OverflowError, TypeError):
        return None, "timestamp.txt ignored: not a date"


def _auto_scores(gb: Any, quizzes: Sequence[str]) -> dict[tuple[str, str], dict[str, Any]]:
    """The automatic scores the gradebook holds, per (quiz, student) and grade id."""
    held: dict[tuple[str, str], dict[str, Any]] = {}
    for quiz in quizzes:
        for submission in gb.find_assignment(quiz).submissions:
            scores = held.setdefault((quiz, submission.student.id), {})
            for notebook in submission.notebooks:
                for grade in notebook.grades:
                    scores[grade.name] = grade.auto_score
    return held


def _holds(scores: Mapping[str, Any] | None, result: SubmissionResult) -> bool:
    """Whether the gradebook still holds the automatic scores homs recorded for a result."""
    if scores is None:
        return False
    for item in result.items:
        want = item.score
        if want is None and result.status in ("refused", "missing notebook", "unreadable notebook"):
            want = 0.0
        have = scores.get(item.grade_id)
        if (want is None) != (have is None) or (want is not None and abs(want - have) > 1e-9):
            return False
    return True


def _assignment_cells(gb: Any, quiz: str) -> dict[str, tuple[GradeCell, ...]]:
    from nbgrader.api import MissingEntry

    try:
        assignment = gb.find_assignment(quiz)
    except MissingEntry:
        raise GradingError(
            f"the quiz {quiz!r} is not in the gradebook. Release it first: "
            f"`homs release {quiz}` (or `nbgrader generate_assignment {quiz}`)."
        ) from None
    cells = {}
    for notebook in assignment.notebooks:
        cells[notebook.name] = tuple(
            GradeCell(c.name, float(c.max_score), c.cell_type == "code")
            for c in notebook.grade_cells
        )
    return cells


def _sa_warning() -> type[Warning]:
    from sqlalchemy.exc import SAWarning

    return SAWarning
