"""The autograded notebook without a kernel: each test cell's output, worked out from the answer.

Every autograded item of a homs quiz is decided from its answer read as data, by the same checks
its test cell runs (:meth:`homs.grading.authoring.checks.Checks.outcome`). So the output the
test cell would show is known without running it: the check's own message as the error (a
``homs_checks.Problem``, an ``AssertionError``) when a form check fails; the line saying the
answer is recorded when its form is right, then the hidden check's message, the partial score,
or nothing. :func:`simulate` writes exactly that into the sanitized notebook, so
nbgrader's ``determine_grade``, the formgrader, the feedback and the report see what they would
see after a run. No code of the student's runs: answer cells are marked as read, and the
student's own extra code cells are kept, not run, and say so. May import
:mod:`homs.grading.authoring` and :mod:`.scoring`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from homs.grading.authoring.checks import PROBLEM
from homs.grading.authoring.spec import Quiz
from homs.grading.engine.scoring import Verdict

__all__ = ["NOT_RUN", "simulate"]

#: What a student's own code cell shows in the graded notebook when nothing was run.
NOT_RUN = (
    "(Not run when this quiz was marked: the answers are read as they are written, so code "
    "of your own in this cell did not change your marks.)\n"
)


def simulate(nb: Any, quiz: Quiz, verdicts: Mapping[str, Verdict]) -> Any:
    """Writes into a sanitized notebook the outputs its cells would show after a run.

    Args:
        nb: The hand-in, sanitized (nbgrader's graded cells restored).
        quiz: The quiz spec holding each item's checks.
        verdicts: The verdict on each item, by item id.

    Returns:
        The same notebook, with outputs and execution counts.
    """
    from nbformat.v4 import new_output

    items = {item.id: item for item in quiz.items if not item.written}
    answer_cells = {f"{item_id}_answer" for item_id in items}
    count = 0
    for cell in nb.cells:
        if cell.get("cell_type") != "code":
            continue
        count += 1
        cell["execution_count"] = count
        info = cell.get("metadata", {}).get("nbgrader", {})
        grade_id = info.get("grade_id")
        if grade_id in items and info.get("grade") and not info.get("solution"):
            cell["outputs"] = _test_outputs(
                items[grade_id], verdicts.get(grade_id), new_output, count
            )
        elif grade_id in answer_cells:
            cell["outputs"] = []
        else:
            cell["outputs"] = [new_output("stream", name="stdout", text=NOT_RUN)]
            cell.setdefault("metadata", {}).setdefault("homs", {})["not_run"] = True
    return nb


def _test_outputs(item: Any, verdict: Verdict | None, new_output: Any, count: int) -> list[Any]:
    """The outputs of one test cell, as running it on the student's answer would show them."""
    answer = verdict.answer if verdict is not None else None
    if answer is None or answer.status in ("missing",):
        value: Any = NotImplemented  # the test cell's globals().get(...) finds nothing
    elif answer.status == "unanswered":
        value = ...
    elif answer.status == "unreadable":
        message = verdict.problem if verdict is not None and verdict.problem else answer.message
        if not message.startswith(f"{item.label}:"):
            message = f"{item.label}: {message}" if message else item.label
        return [_error(new_output, message)]
    else:
        value = answer.value
    kind, detail = item.checks.outcome(value, item.points)
    if kind == "problem":
        return [_error(new_output, detail)]
    recorded = new_output("stream", name="stdout", text=item.checks.recorded + "\n")
    if kind == "wrong":
        return [recorded, _error(new_output, detail)]
    if kind == "score":
        return [
            recorded,
            new_output("execute_result", data={"text/plain": repr(detail)}, execution_count=count),
        ]
    return [recorded]


def _error(new_output: Any, message: str) -> Any:
    """An error output as the kernel shows a failed check: its message, no traceback."""
    return new_output("error", ename=PROBLEM, evalue=message, traceback=[message])
