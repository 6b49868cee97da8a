"""Self-study marking: a learner's own finished quiz notebook, item by item, without a teacher.

The score of each item is decided by :mod:`homs.grading.engine.scoring` (the same checks as the
test cells and ``homs autograde``); this module finds which quiz a notebook is and writes the
report a learner reads. Nothing in the notebook is executed. A practice notebook made by
``homs practice --new`` is marked against the keys of its own draw, and each marked notebook is
added to the learner's history (:mod:`.selfstudy`).
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from homs._text import plural, printable
from homs.errors import GradingError
from homs.grading.authoring.checks import literal
from homs.grading.authoring.explain import accepted, corrections, shown
from homs.grading.authoring.spec import Quiz, load_quiz, quiz_names
from homs.grading.engine.answers import read_notebook
from homs.grading.engine.scoring import Verdict, grade_notebook
from homs.grading.reports import selfstudy

__all__ = ["PracticeReport", "practice", "quiz_for"]


def quiz_for(nb: Mapping[str, Any], path: Path, specs: Path | None = None) -> str:
    """Which quiz a notebook is: its ``homs`` metadata, else its file name.

    Args:
        nb: The notebook, read as data.
        path: Its file.
        specs: The folder of quiz specs; the packaged specs by default.
    """
    names = quiz_names(specs)
    meta = nb.get("metadata", {})
    named = meta.get("homs", {}).get("quiz") if isinstance(meta, Mapping) else None
    if isinstance(named, str) and named in names:
        return named
    if path.stem in names:
        return path.stem
    raise GradingError(
        f"{path}: cannot tell which quiz this is (known quizzes: "
        f"{', '.join(names)}). Name the file after its quiz, e.g. timeline.ipynb."
    )


@dataclass(frozen=True)
class PracticeReport:
    """The result of :func:`practice`: one verdict per item, and a text report.

    Attributes:
        seed: The practice draw's seed (``homs practice --new``), ``None`` for the fixed quiz.
        notes: What the learner should know about how it was marked.
        history: Which kinds of question the learner keeps missing (:mod:`.selfstudy`).
    """

    path: Path
    quiz: Quiz
    verdicts: tuple[Verdict, ...]
    seed: int | None = None
    notes: tuple[str, ...] = ()
    history: str = ""

    @property
    def points(self) -> float:
        """The points earned on the autograded items."""
        return sum(v.points or 0.0 for v in self.verdicts)

    @property
    def max_points(self) -> int:
        """The points the autograded items are worth."""
        return self.quiz.auto_points

    def format(self, width: int = 88) -> str:
        """The report as text: item by item, then the total."""
        from homs import sources

        def wrap(text: str, indent: str = "    ") -> list[str]:
            return textwrap.wrap(
                text, width, initial_indent=indent, subsequent_indent=indent, break_on_hyphens=False
            ) or [indent]

        def sentences(ids: tuple[str, ...]) -> list[str]:
            out = wrap("Read: " + ", ".join(ids))
            for sid in ids:
                out += textwrap.wrap(
                    sources.sentence(sid).text,
                    width,
                    initial_indent=f"      {sid:<6} ",
                    subsequent_indent=" " * 13,
                    break_on_hyphens=False,
                )
            for note in corrections(ids):
                out += wrap(f"Context, from outside the texts: {note}", "      ")
            return out

        draw = f", practice draw {self.seed}" if self.seed is not None else ""
        lines = [
            f"homs practice: {self.path} (quiz {self.quiz.id!r}{draw}: {self.quiz.title})",
            *self.notes,
            self.summary(),
            "",
        ]
        for v in self.verdicts:
            item = v.item
            if item.written:
                lines.append(
                    f"{item.label}. {item.title}: written answer, "
                    f"{plural(item.points, 'point')}, marked by a person. Compare yours with "
                    "the rubric and the samples:"
                )
                for level in item.rubric:
                    lines += wrap(
                        f"{level.name} ({plural(level.points, 'point')}): {level.descriptor}"
                    )
                    lines += wrap(f"Sample: {level.sample}", "      ")
                    lines += wrap(f"Why: {level.annotation}", "      ")
                if item.cites:
                    lines += sentences(item.cites)
                lines.append("")
                continue
            earned = f"{v.points:g} of {plural(item.points, 'point')}"
            lines.append(f"{item.label}. {item.title}: {earned}, {_STATUS[v.status]}")
            if v.answer.status == "ok":
                lines += wrap(f"Your answer: {shown(v.answer.value)}")
            if v.problem:
                lines += wrap(f"Problem: {v.problem}")
            if v.status != "right" or item.accepted:
                which = "The preferred answer" if item.accepted else "The answer"
                lines += wrap(f"{which}: {literal(item.key)}")
            for answer, earns, why in accepted(item):
                lines += wrap(f"Also accepted ({earns}): {answer}, {why}")
            if item.accepted and item.preferred_because:
                lines += wrap(f"Why the preferred answer is preferred: {item.preferred_because}")
            lines += wrap(f"Why: {item.explanation}")
            lines += sentences(item.cites)
            lines.append("")
        lines.append(self.summary())
        if self.history:
            lines += ["", self.history]
        return printable("\n".join(lines))

    def summary(self) -> str:
        """The total in one line: shown first and again at the end of :meth:`format`."""
        written = sum(1 for v in self.verdicts if v.item.written)
        total = (
            f"Total: {self.points:g} of {plural(self.max_points, 'point')} on the automatic items"
        )
        if self.max_points:
            total += f" ({100 * self.points / self.max_points:.0f}%)"
        counts = {}
        for v in self.verdicts:
            if not v.item.written:
                counts[v.status] = counts.get(v.status, 0) + 1
        if counts:
            total += ": " + ", ".join(
                f"{n} {'not read' if status == 'unreadable' else status}"
                for status, n in counts.items()
            )
        if written:
            total += (
                f"; {plural(written, 'written answer')} to compare with the samples in this report"
            )
        return total + "."

    def __str__(self) -> str:
        return self.format()

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        """In a notebook, a cell ending in ``practice("timeline.ipynb")`` shows the report."""
        printer.text(self.format())


#: Each verdict's status as the report says it.
_STATUS = {
    "right": "RIGHT",
    "partly right": "PARTLY RIGHT",
    "wrong": "WRONG",
    "not answered": "NOT ANSWERED",
    "unreadable": "NOT READ (Python could not read the answer as written)",
    "written": "WRITTEN",
}


def _find(path: Path) -> Path:
    """The notebook: ``path`` as given, else (a relative path run from a notebook's kernel in
    another folder) beside the notebook the kernel runs, which Jupyter names in
    ``JPY_SESSION_NAME``."""
    import os

    if path.is_absolute() or path.exists():
        return path
    session = os.environ.get("JPY_SESSION_NAME", "")
    if session:
        beside = Path(session).expanduser().parent / path
        if beside.exists():
            return beside
    return path


def practice(
    path: str | Path,
    quiz: str | None = None,
    *,
    specs: str | Path | None = None,
    history: bool = True,
) -> PracticeReport:
    """Grades a finished quiz notebook against the key, reading the answers as data.

    Args:
        path: The notebook.
        quiz: The quiz id; by default taken from the notebook's metadata or file name.
        specs: The folder of quiz specs the quiz comes from (a teacher's own); the packaged
            specs by default.
        history: Add the marks to the learner's history (``homs-practice.json`` beside the
            notebook) and say which kinds of question they keep missing.

    Raises:
        GradingError: The notebook is missing, unreadable, or not one of the quizzes.
    """
    path = _find(Path(path))
    folder = Path(specs).expanduser().resolve() if specs is not None else None
    if folder is not None and not folder.is_dir():
        raise GradingError(f"{specs}: no such folder of quiz specs. Give an existing folder.")
    nb = read_notebook(path)
    spec = load_quiz(quiz or quiz_for(nb, path, folder), folder)
    seed = selfstudy.seed_of(nb)
    notes = []
    if seed is not None:
        recorded = selfstudy.recorded_seed(path)
        if recorded is not None and recorded != seed:
            notes.append(
                f"Note: the notebook says its draw is {seed}, the record beside it says "
                f"{recorded}; marked against the notebook's ({seed})."
            )
        spec = selfstudy.practice_quiz(spec, seed)
    verdicts = grade_notebook(nb, spec)
    summary = ""
    if history:
        try:
            selfstudy.record_marks(path, spec, seed, verdicts)
            summary = selfstudy.history_summary(path.parent)
        except (OSError, GradingError) as err:
            notes.append(f"Note: your history could not be saved beside the notebook ({err}).")
    return PracticeReport(path, spec, verdicts, seed, tuple(notes), summary)
