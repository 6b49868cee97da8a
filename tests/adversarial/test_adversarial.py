"""Grading that cannot be gamed: a class of crafted submissions through ``homs.grading.autograde``.

One module-scoped run builds a course in a temporary folder (``nbgrader generate_assignment``
on a copy of the timeline quiz), hands in two honest students and every case of
:mod:`adversarial._craft`, snapshots every file a student must not touch, and calls
:func:`homs.grading.autograde` once, with the default sandbox and limits. The tests then check,
case by case, from the summary, the gradebook and the course folder: the batch completed, the
attacker's score is not inflated, the honest students got exactly their scores, nothing outside
the attacker's own folder changed, the gradebook is intact, and the teacher is told what was
tampered with.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from helpers import copy_course, release_with_nbgrader
from homs import grading

from ._craft import CASES, HONEST, ITEMS, POINTS, QUIZ, Case, honest_submission
from ._evidence import (
    canary,
    changed_files,
    context_for,
    gradebook_problems,
    gradebook_scores,
    outputs_text,
    pwned_files,
    snapshot,
    successes,
    tree,
    write_submission,
)

pytestmark = pytest.mark.slow

TOTAL = sum(POINTS.values())


@dataclass
class Graded:
    """A class autograded once, and what the course looked like before and after."""

    mode: str  # "execute": every hand-in run in the sandbox; "data": no kernel
    course: Path
    summary: Any  # homs.grading.AutogradeSummary
    students: tuple[str, ...]
    isolated: bool
    secret: str
    guarded_before: dict[str, str]
    guarded_after: dict[str, str]
    pwned: dict[str, str]
    connections: list[tuple[str, bytes]]
    seconds: float
    skipped: tuple[str, ...] = ()
    gradebook: dict[str, dict[str, float | None]] = field(default_factory=dict)

    def result(self, student: str) -> Any:
        """The summary's result for a student (fails clearly when there is none)."""
        found = [r for r in self.summary.results if r.student == student]
        assert len(found) == 1, f"{student}: {len(found)} results in the summary, expected 1"
        return found[0]

    def autograded(self, student: str) -> Path:
        """The student's executed notebook."""
        return self.course / "autograded" / student / QUIZ / f"{QUIZ}.ipynb"

    def told(self, student: str) -> str:
        """Everything the teacher is told about a student: status and notes, lower case."""
        r = self.result(student)
        return " | ".join([r.status, *r.notes]).lower()


@pytest.fixture(scope="module", params=["execute", "data"])
def graded(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Graded:
    """The timeline quiz, a class of two honest students and every adversarial case, graded
    twice: with every hand-in executed in the sandbox (every kernel case runs), and as
    ``homs autograde`` grades these quizzes by default, without a kernel."""
    mode = request.param
    course = copy_course(tmp_path_factory.mktemp("adversarial") / "course", QUIZ)
    release = release_with_nbgrader(course, QUIZ)[QUIZ]
    isolated = grading.sandbox_status().isolated
    cases = [c for c in CASES if isolated or not c.needs_isolation]
    skipped = tuple(c.student for c in CASES if c not in cases)
    secret = f"HOMS-ADV-CANARY-{uuid.uuid4().hex}"
    with canary() as trap, pytest.MonkeyPatch.context() as mp:
        ctx = context_for(course, release, trap, secret)
        for student in HONEST:
            write_submission(course, student, honest_submission(ctx, student))
        for case in cases:
            write_submission(course, case.student, case.craft(ctx, case.student))
        guarded_before, whole_before = snapshot(course), tree(course)
        mp.setenv("HOMS_ADV_SECRET", secret)
        start = time.perf_counter()
        summary = grading.autograde(QUIZ, course=course, execute=(mode == "execute"))
        seconds = time.perf_counter() - start
        time.sleep(0.5)  # let the canary see a late connection
        connections = list(trap.connections)
    print(
        f"\nadversarial autograde: {len(summary.results)} submissions in {seconds:.1f} s "
        f"(isolated: {summary.isolated})\n{summary.table()}"
    )
    try:
        scores = gradebook_scores(course / "gradebook.db")
    except Exception:  # a broken gradebook: test_the_gradebook_is_intact says what is wrong
        scores = {}
    return Graded(
        mode=mode,
        course=course,
        summary=summary,
        students=(*HONEST, *(c.student for c in cases)),
        isolated=isolated,
        secret=secret,
        guarded_before=guarded_before,
        guarded_after=snapshot(course),
        pwned=pwned_files(course, whole_before),
        connections=connections,
        seconds=seconds,
        skipped=skipped,
        gradebook=scores,
    )


# ------------------------------------------------------------------------------ the whole class


def test_the_batch_completes_with_a_result_for_everyone(graded: Graded) -> None:
    """Every student handed in gets exactly one result with a known status."""
    statuses = grading.SubmissionResult.STATUSES
    got = sorted(r.student for r in graded.summary.results)
    assert got == sorted(graded.students), "students without a result (or extra results)"
    odd = {r.student: r.status for r in graded.summary.results if r.status not in statuses}
    assert not odd, f"statuses not in SubmissionResult.STATUSES: {odd}"


def test_the_sandbox_isolated_the_kernels(graded: Graded) -> None:
    """On a machine with bubblewrap the summary says the kernels ran isolated, without warning."""
    if graded.mode == "data":
        assert not graded.summary.executed, "a kernel was started for a quiz that needs none"
        assert graded.summary.warning is None
        return
    if not graded.isolated:
        pytest.skip("bubblewrap cannot create a sandbox here: the isolation cases are skipped")
    assert graded.summary.isolated
    assert graded.summary.warning is None


@pytest.mark.parametrize("student", sorted(HONEST))
def test_honest_students_get_exactly_their_scores(graded: Graded, student: str) -> None:
    """Honest students are graded, with exactly their expected score on every item, in the
    summary and in the gradebook, and nothing to report."""
    expected = HONEST[student]
    r = graded.result(student)
    assert r.status == "graded", graded.told(student)
    assert {i.grade_id: i.score for i in r.items} == expected
    assert graded.gradebook.get(student) == expected
    assert r.score == sum(expected.values())
    assert r.max_score == TOTAL
    assert not r.notes, f"notes on an honest student: {r.notes}"
    assert graded.autograded(student).is_file()


def test_the_gradebook_is_intact(graded: Graded) -> None:
    """The gradebook passes PRAGMA integrity_check and holds only the expected rows: the class,
    one quiz, its eight grade cells with their points, no manual scores or extra credit, and
    no trace of an attack."""
    problems = gradebook_problems(
        graded.course / "gradebook.db",
        students=set(graded.students),
        grade_cells=POINTS,
        canaries=("PWNED", graded.secret),
    )
    assert not problems, "\n".join(problems)


def test_files_students_must_not_touch_are_byte_identical(graded: Graded) -> None:
    """Every hand-in in submitted/, and source/, release/ and nbgrader_config.py, are unchanged,
    and no attack left a file anywhere in the course outside its own autograded folder."""
    changed = changed_files(graded.guarded_before, graded.guarded_after)
    assert not changed, f"changed during autograde: {changed}"
    assert not graded.pwned, f"files written by attacks: {graded.pwned}"


def test_no_kernel_reached_the_network(graded: Graded) -> None:
    """No kernel connected to the listener the test ran on every address of this machine."""
    if not graded.isolated:
        pytest.skip("without bubblewrap the kernels share the grader's network")
    assert not graded.connections, f"connections from kernels: {graded.connections}"


# ------------------------------------------------------------------------------ case by case


def check_scores(graded: Graded, case: Case) -> list[str]:
    """What is wrong with a case's scores (empty when nothing is)."""
    r = graded.result(case.student)
    problems = []
    items = {i.grade_id: i for i in r.items}
    if sorted(items) != sorted(ITEMS):
        problems.append(f"items {sorted(items)}, expected the eight grade cells")
    for item_id, most in case.deserved.items():
        item = items.get(item_id)
        score = item.score if item else None
        if score is None:
            problems.append(f"{item_id}: no score")
        elif score > most + 1e-9:
            problems.append(
                f"{item_id}: INFLATED, scored {score:g} but the literal answer "
                f"deserves at most {most:g} (kernel said {item.kernel_score})"
            )
        elif case.exact and abs(score - most) > 1e-9:
            problems.append(
                f"{item_id}: LOST POINTS, scored {score:g}, deserves {most:g} "
                f"(kernel said {item.kernel_score}; {item.message})"
            )
        if item is not None and item.max_score != POINTS[item_id]:
            problems.append(
                f"{item_id}: max_score {item.max_score:g}, the quiz says {POINTS[item_id]:g}"
            )
    if r.score > sum(case.deserved.values()) + 1e-9:
        problems.append(f"total {r.score:g} > deserved {sum(case.deserved.values()):g}")
    if r.max_score != TOTAL:
        problems.append(f"max_score {r.max_score:g}, the quiz is worth {TOTAL:g}")
    if case.unreadable:
        if r.status == "graded":
            problems.append("an unreadable file was reported as graded")
        if r.score:
            problems.append(f"an unreadable file scored {r.score:g}")
    return problems


def check_gradebook(graded: Graded, case: Case) -> list[str]:
    """Whether the gradebook holds the summary's scores for this student."""
    r = graded.result(case.student)
    stored = graded.gradebook.get(case.student)
    if stored is None:
        return [] if r.status != "graded" else ["graded, but not in the gradebook"]
    summary = {i.grade_id: i.score for i in r.items}
    if stored != summary:
        return [f"gradebook {stored} differs from the summary {summary}"]
    return []


#: What the teacher is told only about code that ran (a dead or slow kernel, a flood of output).
KERNEL_WORDS = {"died", "kernel", "time", "timed out", "timeout", "output"}


def check_told(graded: Graded, case: Case) -> list[str]:
    """Whether the teacher is told what was tampered with, and of every kernel mismatch."""
    r = graded.result(case.student)
    told = graded.told(case.student)
    problems = []
    # Without a kernel nothing of the student's runs: a loop, an exit or a flood of output
    # never happens, so there is nothing to tell the teacher about it.
    runs_only = set(case.tampered) <= KERNEL_WORDS
    if graded.mode == "data" and runs_only:
        pass
    elif case.tampered and not any(word.lower() in told for word in case.tampered):
        problems.append(f"the teacher is not told: none of {case.tampered} in {told!r}")
    for item in r.items:
        if (
            item.kernel_score is not None
            and item.score is not None
            and abs(item.kernel_score - item.score) > 1e-9
            and item.grade_id not in told
        ):
            problems.append(
                f"{item.grade_id}: kernel {item.kernel_score:g} vs verdict "
                f"{item.score:g}, not flagged"
            )
    if case.kernel_inflates and graded.mode == "execute":
        inflated = [
            i.grade_id
            for i in r.items
            if i.kernel_score is not None
            and i.score is not None
            and i.kernel_score > i.score + 1e-9
        ]
        if not inflated and "disagree" not in told and r.status == "graded":
            problems.append(
                "the in-kernel trick left no trace: no kernel score above the "
                "verdict and no note (was the notebook executed?)"
            )
    return problems


def check_contained(graded: Graded, case: Case) -> list[str]:
    """Whether the attack stayed inside its sandbox (files, environment, network)."""
    problems = []
    own = f"submitted/{case.student}/"
    for path, what in changed_files(graded.guarded_before, graded.guarded_after).items():
        if path.startswith(own):
            problems.append(f"its own hand-in changed during grading: {path} ({what})")
    for path, marker in graded.pwned.items():
        if case.student in marker:
            problems.append(f"wrote {path}")
    text = outputs_text(graded.autograded(case.student))
    if graded.secret in text:
        problems.append("saw the grader's HOMS_ADV_SECRET environment variable")
    if graded.isolated and case.escapes:
        problems += [f"kernel says: {line}" for line in successes(graded.autograded(case.student))]
        problems += [
            f"connected from {host}"
            for host, data in graded.connections
            if case.student.encode() in data
        ]
    return problems


def check_output_cut(graded: Graded, case: Case) -> list[str]:
    """Whether a flood of output was cut, and the student's notebook says so."""
    path = graded.autograded(case.student)
    if not path.is_file():
        return ["no autograded notebook"]
    problems = []
    if path.stat().st_size > 3 << 20:
        problems.append(f"autograded notebook is {path.stat().st_size} bytes: output not cut")
    text = outputs_text(path)
    if not any(word in text for word in ("Output truncated", "output cut")):
        problems.append("the autograded notebook does not say its output was cut")
    return problems


# Bombs a resource limit must stop, and what the kernel prints when it does.
LIMITED = {"adv_fork_bomb": "fork failed after", "adv_memory_bomb": "MemoryError"}


def check_limited(graded: Graded, case: Case) -> list[str]:
    """Whether the sandbox's limit (processes, memory) stopped the bomb, not its own bound."""
    text = outputs_text(graded.autograded(case.student))
    if LIMITED[case.student] not in text:
        return [
            f"no sign that a limit stopped it ({LIMITED[case.student]!r} not in its "
            f"outputs: {text[:300]!r})"
        ]
    return []


@pytest.mark.parametrize("case", CASES, ids=[c.student for c in CASES])
def test_case(graded: Graded, case: Case) -> None:
    """The crafted submission gets a result, no more than its literal answers deserve, the same
    scores in the gradebook, a note where it tampered, and no way out of its sandbox."""
    if case.student in graded.skipped:
        pytest.skip(f"{case.student} only runs when the sandbox isolates the kernel")
    r = graded.result(case.student)
    problems = [
        # A failed grading is not recorded: a hand-in must never be able to escape its grade.
        *([f"grading failed: {r.notes}"] if r.status == "grading failed" else []),
        *check_scores(graded, case),
        *check_gradebook(graded, case),
        *check_told(graded, case),
        *check_contained(graded, case),
    ]
    if case.student in ("adv_output_flood", "adv_big_output") and graded.mode == "execute":
        problems += check_output_cut(graded, case)
    if case.student in LIMITED and graded.isolated and graded.mode == "execute":
        problems += check_limited(graded, case)
    assert not problems, (
        f"{case.student} ({case.description})\n  status: {r.status}\n  notes: {r.notes}\n  "
        + "\n  ".join(problems)
    )
