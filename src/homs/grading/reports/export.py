"""``homs export``: the gradebook as a CSV file for a spreadsheet or a learning platform.

The first row under the header is the **maximum points** (``student_id`` is ``max points``):
each item's points and each quiz's full total. Then one row per student in the gradebook (sorted
by student id, numbers in numeric order); columns:

``student_id, last_name, first_name, email``, then for each quiz (the packaged quizzes in
teaching order, then any others by name) one column per graded item in quiz order,
``<quiz>.<grade_id>``, then ``<quiz>.total``, ``<quiz>.to_mark`` (the points of written answers
still waiting for the teacher's mark: when it is not empty the total is not final) and
``<quiz>.handed_in`` (``on time``, how late such as ``5 days 2 h late``, ``not handed in``, or
``handed in`` when the quiz has no due date).

Delete the ``max points`` row before importing the file into a platform that takes only
students' rows.

Cells are scores as numbers (``4``, ``0.5``). A student who did not hand a quiz in gets **empty
cells** for all of that quiz's columns, not zeros, so "did not submit" and "scored 0" stay
apart. A written answer not marked yet is empty too; the quiz total is nbgrader's score (an
unmarked answer counts 0 until it is marked, and ``to_mark`` says so) less any late penalty.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from homs._text import natural_key
from homs.errors import GradingError
from homs.grading.course.config import DEFAULT_COURSE, course_root
from homs.grading.course.gradebook import (
    QuizGrades,
    StudentGrades,
    assignments,
    gradebook,
    lateness,
    quiz_grades,
)
from homs.grading.course.roster import import_configured

__all__ = ["ID_COLUMNS", "MAX_ROW", "Export", "export", "grade_table", "spreadsheet_safe"]

ID_COLUMNS = ("student_id", "last_name", "first_name", "email")
#: The ``student_id`` of the row of maximum points (first under the header).
MAX_ROW = "max points"


@dataclass(frozen=True)
class Export:
    """What :func:`export` wrote.

    Attributes:
        path: The CSV file.
        quizzes: The quizzes it covers, in column order.
        header: The column names.
        rows: The maximum points, then one row per student, as written (empty string for an
            empty cell).
    """

    path: Path
    quizzes: tuple[str, ...]
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]

    def format(self) -> str:
        """A short text for the terminal."""
        n = len(self.rows) - 1
        waiting = sum(
            1
            for row in self.rows[1:]
            for h, v in zip(self.header, row, strict=True)
            if h.endswith(".to_mark") and v
        )
        return (
            f"homs export: {n} student{'s' if n != 1 else ''}, "
            f"{len(self.quizzes)} quiz{'zes' if len(self.quizzes) != 1 else ''} "
            f"({', '.join(self.quizzes)}), {len(self.header) - len(ID_COLUMNS)} columns, "
            f"the maximum points first: {self.path}"
            + (
                f"\n{waiting} total{'s' if waiting != 1 else ''} still wait for written answers "
                "to be marked (the to_mark column): mark them in the formgrader, then export again."
                if waiting
                else ""
            )
        )


def spreadsheet_safe(text: str) -> str:
    """A text cell a spreadsheet will not run as a formula (OWASP's CSV-injection advice): a
    cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading
    ``'``, which spreadsheets show as text. Numbers are written by :func:`_cell`, not here."""
    if text and text[0] in "=+-@\t\r":
        return "'" + text
    return text


def _cell(x: float | None) -> str:
    if x is None:
        return ""
    return f"{x:g}"


def grade_table(
    grades: Sequence[QuizGrades],
) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    """The header and rows of the export for some quizzes' grades (all the same students).

    Args:
        grades: One :class:`~homs.grading.course.gradebook.QuizGrades` per quiz, in column order.

    Returns:
        The header, and the row of maximum points followed by one row per student (strings;
        empty where there is no score).
    """
    header: list[str] = list(ID_COLUMNS)
    top = [MAX_ROW, "", "", ""]
    for g in grades:
        header += [spreadsheet_safe(f"{g.quiz}.{c.name}") for c in g.cells]
        header += [spreadsheet_safe(f"{g.quiz}.{x}") for x in ("total", "to_mark", "handed_in")]
        top += [_cell(c.max_score) for c in g.cells] + [_cell(g.max_score), "", ""]
    students: dict[str, StudentGrades] = {}
    for g in grades:
        for s in g.students:
            students.setdefault(s.student, s)
    rows = [tuple(top)]
    for sid in sorted(students, key=natural_key):
        who = students[sid]
        # Ids and names come from students and rosters: never a formula in a spreadsheet.
        row = [spreadsheet_safe(v) for v in (sid, who.last_name, who.first_name, who.email)]
        for g in grades:
            mine = next((s for s in g.students if s.student == sid), None)
            if mine is None or not mine.submitted:
                row += [""] * (len(g.cells) + 2) + ["not handed in" if mine else ""]
                continue
            to_mark = g.to_mark(mine)
            if g.duedate is None:
                when = "handed in"
            else:
                when = lateness(mine.seconds_late) if mine.seconds_late > 0 else "on time"
            row += [_cell(mine.scores.get(c.name)) for c in g.cells]
            row += [_cell(mine.total), _cell(to_mark) if to_mark else "", when]
        rows.append(tuple(row))
    return tuple(header), tuple(rows)


def export(
    *,
    quizzes: Sequence[str] | None = None,
    course: str | Path = DEFAULT_COURSE,
    out: str | Path | None = None,
) -> Export:
    """Writes the grades as CSV: one row per student, one column per item plus each quiz's total.

    Students with no submission of a quiz get empty cells for it, not zeros.

    Args:
        quizzes: The quizzes to export, in this column order; every quiz in the gradebook by
            default.
        course: The nbgrader course root; its gradebook holds the grades.
        out: The CSV file; ``exports/grades.csv`` in the course by default (``exports/<quiz>.csv``
            for a single quiz).

    Raises:
        GradingError: No course or gradebook, or a quiz the gradebook does not know.
    """
    root = course_root(course)
    import_configured(root)
    with gradebook(root) as gb:
        names = tuple(quizzes) if quizzes else assignments(gb)
        if not names:
            raise GradingError(
                f"{root}: the gradebook has no quizzes yet. Release one first (homs release QUIZ)."
            )
        grades = [quiz_grades(gb, name) for name in names]
    header, rows = grade_table(grades)
    if out is not None:
        path = Path(out)
    else:
        stem = names[0] if quizzes and len(names) == 1 else "grades"
        path = root / "exports" / f"{stem}.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return Export(path, names, header, rows)
