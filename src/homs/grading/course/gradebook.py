"""The course's gradebook as the teacher's commands read it: grade cells and students' grades.

The gradebook is :class:`nbgrader.api.Gradebook` at the course's ``db_url`` (SQLite
``gradebook.db`` in the course root by default, any SQLAlchemy URL otherwise). nbgrader is
imported inside the functions, so ``import homs.grading`` stays light.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from homs._text import natural_key
from homs.errors import GradingError
from homs.grading.course.config import course_dir

if TYPE_CHECKING:
    from nbgrader.api import Gradebook

__all__ = [
    "Cell",
    "QuizGrades",
    "StudentGrades",
    "assignments",
    "gradebook",
    "lateness",
    "quiz_grades",
]


@contextmanager
def gradebook(course: str | Path) -> Iterator[Gradebook]:
    """Opens the course's gradebook (its ``db_url``), without creating an empty one.

    Raises:
        GradingError: The SQLite gradebook file does not exist yet.
    """
    from nbgrader.api import Gradebook

    cd = course_dir(course)
    url = cd.db_url
    if url.startswith("sqlite:///"):
        path = Path(url[len("sqlite:///") :])
        if not path.is_file():
            raise GradingError(
                f"{course}: no gradebook yet ({path}). Release and autograde a "
                "quiz first: homs release QUIZ, then homs autograde QUIZ."
            )
    with Gradebook(url, cd.course_id) as gb:
        yield gb


@dataclass(frozen=True)
class Cell:
    """A graded cell of a quiz (an item): its grade_id, notebook, points and how it is marked.

    Attributes:
        name: The grade_id, e.g. ``q4_siege_length``.
        notebook: The notebook it is in (the quiz name for the homs quizzes).
        max_score: What it is worth.
        auto: True for an autograder test cell, False for a manually graded cell or task.
    """

    name: str
    notebook: str
    max_score: float
    auto: bool


@dataclass(frozen=True)
class StudentGrades:
    """One student's grades on a quiz, read from the gradebook.

    Attributes:
        student: The student id.
        first_name: From the gradebook, or ``""``.
        last_name: From the gradebook, or ``""``.
        email: From the gradebook, or ``""``.
        submitted: False when the gradebook has no submission of this quiz by the student.
        scores: grade_id to score; ``None`` when not submitted, or a written answer not marked
            yet.
        total: nbgrader's score for the quiz (unmarked answers count 0) minus any late penalty;
            ``None`` when not submitted.
        seconds_late: How long after the quiz's due date it was handed in (nbgrader's
            ``total_seconds_late``); 0 when on time, with no due date, or not submitted.
        timestamp: When it was handed in (nbgrader's submission timestamp), or ``None``.
    """

    student: str
    first_name: str
    last_name: str
    email: str
    submitted: bool
    scores: dict[str, float | None]
    total: float | None
    seconds_late: float = 0.0
    timestamp: datetime | None = None


@dataclass(frozen=True)
class QuizGrades:
    """A quiz's graded cells and every student's grades on it, in a stable order."""

    quiz: str
    cells: tuple[Cell, ...]
    students: tuple[StudentGrades, ...]
    duedate: datetime | None = None

    @property
    def max_score(self) -> float:
        """All the points of the quiz."""
        return sum(c.max_score for c in self.cells)

    @property
    def submitted(self) -> tuple[StudentGrades, ...]:
        """The students who handed the quiz in."""
        return tuple(s for s in self.students if s.submitted)

    @property
    def absent(self) -> tuple[StudentGrades, ...]:
        """The students in the gradebook who did not hand the quiz in."""
        return tuple(s for s in self.students if not s.submitted)

    @property
    def late(self) -> tuple[StudentGrades, ...]:
        """The students who handed in after the due date."""
        return tuple(s for s in self.students if s.submitted and s.seconds_late > 0)

    def unmarked(self, student: StudentGrades) -> tuple[Cell, ...]:
        """The items of a hand-in still waiting for the teacher's mark (written answers)."""
        if not student.submitted:
            return ()
        return tuple(c for c in self.cells if not c.auto and student.scores.get(c.name) is None)

    def to_mark(self, student: StudentGrades) -> float:
        """The points of a hand-in still waiting for the teacher's mark."""
        return sum(c.max_score for c in self.unmarked(student))

    def student(self, student_id: str) -> StudentGrades | None:
        """One student's grades, or ``None`` if the gradebook does not know the student."""
        return next((s for s in self.students if s.student == student_id), None)


def lateness(seconds: float) -> str:
    """How late, in words a teacher reads: ``"5 days 2 h late"``, ``"40 min late"``."""
    minutes = int(seconds // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return f"{days} day{'s' if days != 1 else ''}" + (f" {hours} h" if hours else "") + " late"
    if hours:
        return f"{hours} h" + (f" {minutes} min" if minutes else "") + " late"
    return f"{max(minutes, 1)} min late"


def assignments(gb: Gradebook) -> tuple[str, ...]:
    """The quizzes in a gradebook: the packaged ones in teaching order, then the others by name."""
    from homs.grading.authoring.spec import quiz_names

    found = {a.name for a in gb.assignments}
    known = [n for n in quiz_names() if n in found]
    return tuple(known + sorted(found - set(known), key=natural_key))


def quiz_grades(gb: Gradebook, quiz: str) -> QuizGrades:
    """Every student's grades on one quiz: all the gradebook's students, submitted or not.

    Raises:
        GradingError: The gradebook does not know the quiz.
    """
    from nbgrader.api import GradeCell, MissingEntry

    try:
        assignment = gb.find_assignment(quiz)
    except MissingEntry:
        known = ", ".join(assignments(gb)) or "none"
        raise GradingError(
            f"the gradebook has no quiz {quiz!r} (it has: {known}). Release it "
            f"first with homs release {quiz}."
        ) from None
    cells: list[Cell] = []
    for nb in sorted(assignment.notebooks, key=lambda n: natural_key(n.name)):
        solutions = {c.name for c in nb.solution_cells}
        graded = [*nb.grade_cells, *nb.task_cells]
        for cell in sorted(graded, key=lambda c: natural_key(c.name)):
            auto = isinstance(cell, GradeCell) and cell.name not in solutions
            cells.append(Cell(cell.name, nb.name, float(cell.max_score), auto))
    by_student = {s.student.id: s for s in assignment.submissions}
    rows = []
    for student in sorted(gb.students, key=lambda s: natural_key(s.id)):
        names = (student.first_name or "", student.last_name or "", student.email or "")
        if names[:2] == ("", student.id):  # no roster: named by the id for the formgrader only
            names = ("", "", names[2])
        sub = by_student.get(student.id)
        if sub is None:
            rows.append(
                StudentGrades(student.id, *names, False, {c.name: None for c in cells}, None)
            )
            continue
        scores: dict[str, float | None] = {c.name: None for c in cells}
        for snb in sub.notebooks:
            for grade in snb.grades:
                if grade.manual_score is not None:
                    scores[grade.cell.name] = float(grade.manual_score)
                elif grade.auto_score is not None:
                    scores[grade.cell.name] = float(grade.auto_score)
        penalty = float(sub.late_submission_penalty or 0.0)
        total = max(0.0, sum(v for v in scores.values() if v is not None) - penalty)
        rows.append(
            StudentGrades(
                student.id,
                *names,
                True,
                scores,
                total,
                seconds_late=float(sub.total_seconds_late or 0.0),
                timestamp=sub.timestamp,
            )
        )
    return QuizGrades(quiz, tuple(cells), tuple(rows), duedate=assignment.duedate)
