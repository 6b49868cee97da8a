"""The class as the autograde summary shows it: who handed in, late, not at all, or misplaced.

:class:`CourseSummary` is :func:`homs.grading.course.autograde.autograde`'s result: the engine's
:class:`~homs.grading.engine.results.AutogradeSummary` plus what the gradebook holds *after*
grading (so a mark a teacher changed in the formgrader shows), every student the gradebook
knows (a roster, :mod:`.roster`, makes that the whole class), and the notebooks found where no
quiz is collected from (:func:`misplaced`). Its :meth:`~CourseSummary.table` is what
``homs autograde`` prints.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from homs._text import plural, printable
from homs.grading.course.gradebook import QuizGrades, lateness
from homs.grading.course.roster import Roster
from homs.grading.engine.results import AutogradeSummary

__all__ = ["CourseSummary", "misplaced"]


@dataclass
class CourseSummary(AutogradeSummary):
    """:class:`AutogradeSummary` with what the gradebook now holds for the class.

    Attributes:
        grades: Each quiz's grades read from the gradebook after grading (marks a teacher
            changed in the formgrader included), for every student of the gradebook.
        misplaced: Notebooks found where no quiz is collected from, each with where it belongs.
        roster: The roster imported first (``c.Homs.roster``), if any.
    """

    grades: Mapping[str, QuizGrades] = field(default_factory=dict)
    misplaced: tuple[str, ...] = ()
    roster: Roster | None = None

    def table(self) -> str:
        """The per-student table: what this run did, the score in the gradebook out of the
        quiz's full points (and the points still to mark by hand), when it came in; then who
        has not handed in, what waits for marking, and what was found in the wrong place."""
        several = len(self.grades) > 1
        done = {(r.quiz, r.student): r for r in self.results}
        rows = [("student", "this run", "score in the gradebook", "handed in", "notes")]
        for name, grades in self.grades.items():
            for s in grades.submitted:
                r = done.get((name, s.student))
                to_mark = grades.to_mark(s)
                score = f"{s.total or 0:g}/{grades.max_score:g}" + (
                    f" (+{to_mark:g} to mark by hand)" if to_mark else ""
                )
                if grades.duedate is None:
                    when = "no due date set"
                else:
                    when = lateness(s.seconds_late) if s.seconds_late > 0 else "on time"
                notes = printable("; ".join(r.notes)) if r is not None and r.notes else ""
                who = printable(f"{s.student} ({name})" if several else s.student)
                status = r.status if r is not None else "not graded by this run"
                rows.append((who, status, score, when, notes))
        shown = {(name, s.student) for name, g in self.grades.items() for s in g.submitted}
        for r in sorted(self.results, key=lambda r: (r.student, r.quiz)):
            if (r.quiz, r.student) not in shown:  # not recorded (grading failed, say)
                who = printable(f"{r.student} ({r.quiz})" if several else r.student)
                notes = printable("; ".join(r.notes)) if r.notes else ""
                rows.append((who, r.status, "not recorded", "", notes))
        widths = [max(len(row[i]) for row in rows) for i in range(4)]
        lines = [
            "  ".join(cell.ljust(width) for cell, width in zip(row[:4], widths, strict=True))
            + ("  " + row[4] if row[4] else "")
            for row in rows
        ]
        lines.insert(1, "  ".join("-" * w for w in widths))
        if self.executed:
            how = (
                f"up to {self.per_worker} students at a time each; "
                f"sandbox: {'bubblewrap' if self.isolated else 'resource limits only'}"
            )
        else:
            how = "answers read as data, no student code run"
        out = [
            f"homs autograde {self.quiz}: {plural(len(self.results), 'hand-in')} in "
            f"{self.seconds:.1f} s with {plural(self.workers, 'worker')}, {how}",
            *lines,
        ]
        for name, grades in self.grades.items():
            absent = [printable(s.student) for s in grades.absent]
            if absent:
                out.append(f"Not handed in ({name}): {', '.join(absent)}.")
            waiting = [printable(s.student) for s in grades.submitted if grades.to_mark(s)]
            if waiting:
                out.append(
                    f"Written answers to mark ({name}): {', '.join(waiting)}. Mark them in the "
                    "formgrader (Manual Grading), then run homs feedback."
                )
        if self.roster is None and not any(g.absent for g in self.grades.values()):
            out.append(
                "Everyone the gradebook knows handed in. A student who never handed anything "
                "in is listed once the gradebook knows them: import the class list with "
                "homs roster FILE (or set c.Homs.roster)."
            )
        if self.misplaced:
            out.append("Found in the wrong place (not graded, not counted as handed in):")
            out += [f"  {printable(m)}" for m in self.misplaced]
        if self.warning:
            out.append(self.warning)
        return "\n".join(out)


def misplaced(
    course: Path,
    quizzes: Sequence[str],
    cells: Mapping[str, Mapping[str, Any]],
    students: Sequence[str] | None = None,
) -> list[str]:
    """Notebooks under ``submitted/`` that no quiz is collected from, each with where it belongs.

    Three cases: a quiz folder without the quiz's notebook (``timeline (1).ipynb``), a notebook
    straight in the student's folder (``submitted/hana/timeline.ipynb``), a folder holding
    notebooks that is not a quiz of the course.

    Args:
        course: The course root.
        quizzes: The quizzes being graded.
        cells: Each quiz's notebooks (by notebook name), as the gradebook has them.
        students: Only these students; all by default.
    """
    submitted = course / "submitted"
    if not submitted.is_dir():
        return []
    source = course / "source"
    known = {p.name for p in source.iterdir() if p.is_dir()} if source.is_dir() else set()
    known |= set(quizzes)
    found = []
    for folder in sorted(p for p in submitted.iterdir() if p.is_dir()):
        student = folder.name
        if students is not None and student not in students:
            continue
        for entry in sorted(folder.iterdir()):
            where = f"submitted/{student}/{entry.name}"
            if entry.is_file() and entry.suffix == ".ipynb":
                quiz = next((q for q in sorted(known) if entry.name.startswith(q)), "QUIZ")
                found.append(
                    f"{where}: not in a quiz folder; it belongs in "
                    f"submitted/{student}/{quiz}/{quiz}.ipynb."
                )
            elif entry.is_dir() and entry.name in quizzes:
                expected = [f"{nb}.ipynb" for nb in cells[entry.name]]
                if any((entry / e).exists() for e in expected):
                    continue
                others = sorted(p.name for p in entry.glob("*.ipynb"))
                seen = f"found {', '.join(others)}" if others else "no notebook in it"
                found.append(
                    f"{where}/: no {' or '.join(expected)} ({seen}); rename the student's "
                    f"notebook to {expected[0]}, then run homs autograde {entry.name} again."
                )
            elif entry.is_dir() and entry.name not in known and any(entry.glob("*.ipynb")):
                found.append(
                    f"{where}/: not a quiz of this course (its quizzes: "
                    f"{', '.join(sorted(known))}); move the notebook into "
                    f"submitted/{student}/QUIZ/QUIZ.ipynb."
                )
    return found
