"""Tests for homs.grading.engine.answers: answers are read as data, never executed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from homs import grading


def notebook(*sources: str) -> dict[str, Any]:
    """A notebook whose code cells hold these sources."""
    return {
        "cells": [
            {"cell_type": "code", "source": s, "metadata": {}, "outputs": []} for s in sources
        ],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def read(*sources: str) -> grading.Answer:
    """The answer to ``answer_q1_x`` in a notebook with these cells."""
    return grading.read_answers(notebook(*sources), ["answer_q1_x"])["answer_q1_x"]


def test_reads_a_plain_literal() -> None:
    """A one-line assignment of a literal is read as that value."""
    answer = read('answer_q1_x = ["A", "C"]')
    assert (answer.status, answer.value, answer.cell) == ("ok", ["A", "C"], 0)


def test_reads_the_released_form_with_brackets() -> None:
    """The bracketed form of a released answer cell is read, comments and all."""
    answer = read("# Q1: a whole number\nanswer_q1_x = (\n    2  # my answer\n)")
    assert (answer.status, answer.value) == ("ok", 2)


def test_ellipsis_means_not_answered() -> None:
    """The released stub, the three dots, reads as not answered."""
    answer = read("answer_q1_x = (\n    ...  # YOUR ANSWER HERE\n)")
    assert answer.status == "unanswered"
    assert "three dots" in answer.message


def test_no_assignment_means_missing() -> None:
    """A notebook without the answer cell reports the answer missing and says what to add."""
    answer = read("print('hello')")
    assert answer.status == "missing"
    assert "answer_q1_x = ..." in answer.message


def test_the_last_assignment_wins() -> None:
    """With copied cells, the last assignment counts, as when the cells run in order."""
    assert read("answer_q1_x = 1", "answer_q1_x = 2").value == 2


@pytest.mark.parametrize(
    "source",
    [
        "answer_q1_x = len('ab')",
        "answer_q1_x = y",
        "for answer_q1_x in range(3): pass",
        "import os as answer_q1_x",
        "def answer_q1_x(): return 2",
        "answer_q1_x = 2\nif True:\n    answer_q1_x = 3",
        "answer_q1_x = [1, 2]\nanswer_q1_x.pop()",
        "answer_q1_x = 2 ** 2",
        "answer_q1_x = 'ab' * 3",
        "answer_q1_x = 10 ** 100 * 10 ** 100",
    ],
)
def test_computed_answers_are_unreadable(source: str) -> None:
    """An answer set by code rather than written as a literal is refused with a clear message."""
    answer = read(source)
    assert answer.status == "unreadable"
    assert "answer_q1_x" in answer.message


@pytest.mark.parametrize(
    ("source", "value"),
    [
        ("answer_q1_x = 2014 - 2012", 2),
        ("answer_q1_x = 7 + 8", 15),
        ("answer_q1_x = -3 + 10", 7),
        ("answer_q1_x: int = 7", 7),
        ("answer_q1_x = y = 2", 2),
        ("answer_q1_x, y = 2, 3", 2),
        ("answer_q1_x = 2\nanswer_q1_x += 1", 3),
        ("%%capture\nanswer_q1_x = 7", 7),
        ("%%time\nanswer_q1_x = 7", 7),
        ("    answer_q1_x = 7", 7),
        (">>> answer_q1_x = 7", 7),
        ('answer_q1_x = f"B-14"', "B-14"),
        ('answer_q1_x = sorted(["C", "A"])', ["A", "C"]),
        ('answer_q1_x = ["A", "C"] + ["B"]', ["A", "C", "B"]),
        ("ａnswer_q1_x = 7", 7),  # a full-width a: Python reads the same name (NFKC)
        ('answer_q1_x = ["B", "A"]\nanswer_q1_x.reverse()', ["A", "B"]),
        ('answer_q1_x = ["B", "A"]\nanswer_q1_x.sort()', ["A", "B"]),
        ("answer_q1_x = 7\ndel answer_q1_x", 7),
    ],
)
def test_honest_forms_are_read_as_the_kernel_would(source: str, value: object) -> None:
    """Forms that Python and the student's own test cell accept are read to the value the
    kernel would hold, by folding constants and applying IPython's cell transforms on data:
    nothing is run."""
    answer = read(source)
    assert answer.status == "ok", answer.message
    assert answer.value == value


def test_a_cell_too_long_to_be_an_answer_is_not_read() -> None:
    """A cell of thousands of assignments is refused at once, with a message, not parsed."""
    source = "\n".join(f"answer_q1_x = {i}" for i in range(20_000))
    answer = read(source)
    assert answer.status == "unreadable"
    assert "too long" in answer.message


def test_a_syntax_error_is_reported_with_its_line() -> None:
    """A cell that is not valid Python is reported, with the line, not raised."""
    answer = read('answer_q1_x = ["A", "B"')
    assert answer.status == "unreadable"
    assert "not valid Python" in answer.message


def test_a_later_broken_cell_does_not_hide_an_answer() -> None:
    """A later cell that does not parse (so would not run) leaves an earlier answer standing."""
    assert read("answer_q1_x = 2", "answer_q1_x = (").value == 2


def test_nothing_is_executed(tmp_path: Path) -> None:
    """Reading answers never runs the notebook's code."""
    marker = tmp_path / "ran"
    answer = read(f"open({str(marker)!r}, 'w').write('x')\nanswer_q1_x = 2")
    assert answer.value == 2
    assert not marker.exists()


def test_unreadable_notebooks_raise_grading_error(tmp_path: Path) -> None:
    """Missing, non-JSON, non-UTF-8 or non-notebook files raise GradingError naming the file."""
    with pytest.raises(grading.GradingError, match="no such notebook"):
        grading.read_notebook(tmp_path / "nope.ipynb")
    bad = tmp_path / "bad.ipynb"
    bad.write_text('{"cells": [', "utf-8")
    with pytest.raises(grading.GradingError, match="invalid JSON"):
        grading.read_notebook(bad)
    bad.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(grading.GradingError, match="not UTF-8"):
        grading.read_notebook(bad)
    bad.write_text(json.dumps([1, 2]), "utf-8")
    with pytest.raises(grading.GradingError, match="not a Jupyter notebook"):
        grading.read_notebook(bad)
