"""``homs report``: what a class got right and wrong on a quiz, item by item.

Scores come from the gradebook (whatever graded them: ``homs autograde``, ``nbgrader autograde``,
the formgrader); the students' answers are read from their submitted notebooks as data
(:func:`homs.grading.read_answers`, nothing is run), to find the most common wrong answers.

Statistics, per item (the terms of classical item analysis):

* **facility** (proportion correct; the "difficulty index" of some books): the share of the
  item's points the class earned (mean score / points; for a one-point item, the share of
  students who got it right). Low means hard, high means easy. :func:`difficulty` computes it.
* **full marks**: the share of students with all of the item's points.
* **discrimination**: the point-biserial correlation between the item score and the
  rest-of-test score (the student's points on the *other* automatic items), i.e. the corrected
  item-total correlation. Near 0 or negative: the item does not separate students who did well
  on the rest from those who did not; check its wording and key. ``None`` when every student
  scored the same on the item or on the rest. From fewer than :data:`MIN_ANSWERS` answers it
  says little (two answers give r = 1.00 or -1.00): it is computed but not shown or flagged,
  and the report says "too few answers".

Written items count in the totals once marked; their discrimination is computed over the
students whose answer is marked.
"""

from __future__ import annotations

import math
import statistics
import textwrap
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from homs._templates import render
from homs._text import plural, printable
from homs.errors import GradingError
from homs.grading.authoring.checks import literal
from homs.grading.authoring.explain import accepted, corrections, quotes, shown
from homs.grading.authoring.spec import Item, Quiz, load_quiz
from homs.grading.course.config import DEFAULT_COURSE, course_dir, course_root, specs_for
from homs.grading.course.gradebook import Cell, QuizGrades, gradebook, lateness, quiz_grades
from homs.grading.course.roster import import_configured
from homs.grading.engine.answers import Answer, read_answers, read_notebook
from homs.grading.engine.forensics import refusal
from homs.grading.reports import charts
from homs.grading.reports.variants import (
    HARDER,
    MIN_PER_FORM,
    FormStats,
    form_stats,
    format_forms,
    forms_section,
)

__all__ = [
    "MIN_ANSWERS",
    "ClassReport",
    "ItemStats",
    "WrongAnswer",
    "difficulty",
    "point_biserial",
    "report",
    "wrong_answers",
]

#: What the report calls an answer that is not a value.
NO_ANSWER = "(no answer)"
CELL_MISSING = "(answer cell deleted)"
NOT_A_VALUE = "(not a plain value)"
NO_NOTEBOOK = "(notebook not found)"
_LEVEL_OF = {3: "Proficient", 2: "Emergent", 1: "Basic", 0: "no answer / 0"}
#: Discrimination is shown (and flagged) only from this many marked answers to the item.
MIN_ANSWERS = 10
TOO_FEW = "too few answers"


# -- statistics ------------------------------------------------------------------------------


def difficulty(scores: Sequence[float], max_score: float) -> float | None:
    """The share of the points earned: mean score / points; ``None`` with no scores.

    Raises:
        ValueError: ``max_score`` is not positive.
    """
    if max_score <= 0:
        raise ValueError(f"an item must be worth more than 0 points, not {max_score}")
    if not scores:
        return None
    return statistics.fmean(scores) / max_score


def point_biserial(item: Sequence[float], rest: Sequence[float]) -> float | None:
    """The correlation between item scores and rest-of-test scores (Pearson's r).

    For an item scored 0 or 1 this is the point-biserial correlation; for a partial-credit item,
    the same formula gives the item-rest correlation.

    Args:
        item: Each student's score on the item.
        rest: Each student's score on the rest of the test, in the same order.

    Returns:
        r in [-1, 1], or ``None`` if there are fewer than two students or either list is
        constant (the correlation is undefined).

    Raises:
        ValueError: The two lists differ in length.
    """
    if len(item) != len(rest):
        raise ValueError(
            f"{len(item)} item scores but {len(rest)} rest scores: give one of each per student"
        )
    n = len(item)
    if n < 2:
        return None
    mx, my = statistics.fmean(item), statistics.fmean(rest)
    sxx = sum((x - mx) ** 2 for x in item)
    syy = sum((y - my) ** 2 for y in rest)
    if sxx <= 1e-12 or syy <= 1e-12:
        return None
    sxy = sum((x - mx) * (y - my) for x, y in zip(item, rest, strict=True))
    return max(-1.0, min(1.0, sxy / math.sqrt(sxx * syy)))


@dataclass(frozen=True)
class WrongAnswer:
    """One wrong (or partly right) answer and how many students gave it.

    Attributes:
        answer: The answer as a Python literal (lists of a ``subset`` item sorted, since their
            order does not matter), or ``(no answer)``, ``(answer cell deleted)``,
            ``(not a plain value)``, ``(notebook not found)``.
        count: How many students gave it.
        note: What the answer means, where the knowledge base says (a discrepancy type).
    """

    answer: str
    count: int
    note: str = ""


def _answer_text(item: Item, answer: Answer | None) -> str:
    if answer is None:
        return NO_NOTEBOOK
    if answer.status == "unanswered":
        return NO_ANSWER
    if answer.status == "missing":
        return CELL_MISSING
    if answer.status != "ok":
        return NOT_A_VALUE
    value = answer.value
    if (
        item.form is not None
        and item.form.kind == "subset"
        and isinstance(value, list)
        and all(isinstance(v, str) for v in value)
    ):
        value = sorted(value)
    return shown(value)


def _note(item: Item, answer: Answer | None) -> str:
    from homs import knowledge

    if answer is None or answer.status != "ok" or item.form is None or item.form.kind != "choice":
        return ""
    meaning = (
        knowledge.DISCREPANCY_TYPES.get(answer.value) if isinstance(answer.value, str) else None
    )
    return f"“{answer.value}” means: {meaning}" if meaning else ""


def wrong_answers(
    item: Item,
    answers: Sequence[Answer | None],
    scores: Sequence[float],
    max_score: float | None = None,
) -> tuple[WrongAnswer, ...]:
    """The answers of the students who did not get full marks, most common first.

    Args:
        item: An autograded item.
        answers: Each student's answer as read from the notebook (``None``: no notebook).
        scores: Each student's score on the item, in the same order.
        max_score: Full marks; the item's points by default.

    Returns:
        One :class:`WrongAnswer` per distinct answer; on a tie, real answers before blanks and
        unreadable ones, then in the order of the answer text.
    """
    if len(answers) != len(scores):
        raise ValueError(f"{len(answers)} answers but {len(scores)} scores")
    full = item.points if max_score is None else max_score
    counts: Counter[str] = Counter()
    notes: dict[str, str] = {}
    for answer, score in zip(answers, scores, strict=True):
        if score >= full:
            continue
        text = _answer_text(item, answer)
        counts[text] += 1
        notes.setdefault(text, _note(item, answer))
    placeholders = {NO_ANSWER, CELL_MISSING, NOT_A_VALUE, NO_NOTEBOOK}
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0] in placeholders, kv[0]))
    return tuple(WrongAnswer(text, n, notes[text]) for text, n in ranked)


# -- the report ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemStats:
    """How the class did on one item.

    Attributes:
        item: The quiz item.
        max_score: Its points, from the gradebook.
        scores: The marked scores, one per student who handed in (and, for a written item,
            whose answer is marked).
        pending: Written answers not marked yet.
        difficulty: The share of the points earned, ``None`` if nothing is marked.
        full_marks: The share of students with full marks, ``None`` if nothing is marked.
        discrimination: The point-biserial correlation with the rest-of-test score, or ``None``.
        wrong: The wrong answers, most common first (autograded items only).
        levels: For a written item, how many marked answers reached each rubric level.
    """

    item: Item
    max_score: float
    scores: tuple[float, ...]
    pending: int
    difficulty: float | None
    full_marks: float | None
    discrimination: float | None
    wrong: tuple[WrongAnswer, ...]
    levels: tuple[tuple[str, int], ...] = ()

    @property
    def mean(self) -> float | None:
        """The mean score, ``None`` if nothing is marked."""
        return statistics.fmean(self.scores) if self.scores else None

    @property
    def facility(self) -> float | None:
        """The share of the item's points the class earned (proportion correct)."""
        return self.difficulty

    @property
    def shown_discrimination(self) -> float | None:
        """The discrimination, or ``None`` from fewer than :data:`MIN_ANSWERS` answers."""
        return self.discrimination if len(self.scores) >= MIN_ANSWERS else None

    @property
    def discrimination_text(self) -> str:
        """The discrimination as the report prints it: ``0.42``, ``n/a`` or too few answers."""
        if len(self.scores) < MIN_ANSWERS:
            return f"{TOO_FEW} ({len(self.scores)})"
        return f"{self.discrimination:.2f}" if self.discrimination is not None else "n/a"

    @property
    def flag(self) -> str:
        """A word to the teacher: hard, easy, poor or negative discrimination; or ``""``."""

        flags = []
        shown = self.shown_discrimination
        if shown is not None and shown < 0:
            flags.append("negative discrimination: check the key and the wording")
        elif shown is not None and shown < charts.LOW_DISCRIMINATION:
            flags.append("discriminates poorly")
        if self.difficulty is not None and self.difficulty < 0.3:
            flags.append("hard")
        elif self.difficulty is not None and self.difficulty > 0.9:
            flags.append("easy")
        return "; ".join(flags)


@dataclass(frozen=True)
class ClassReport:
    """The result of :func:`report`.

    Attributes:
        quiz: The quiz.
        grades: Every student's grades, from the gradebook.
        items: One :class:`ItemStats` per item, in quiz order.
        totals: The total of each student who handed in, in student order.
        html: The report file, ``reports/<quiz>/report.html`` by default.
        charts: The PNG charts beside it.
        forms: For a quiz given in parallel forms (``c.Homs.variants``), the statistics of
            each form of each banked item (:mod:`.variants`); empty otherwise.
    """

    quiz: Quiz
    grades: QuizGrades
    items: tuple[ItemStats, ...]
    totals: tuple[float, ...]
    html: Path
    charts: tuple[Path, ...]
    forms: tuple[FormStats, ...] = ()

    @property
    def max_score(self) -> float:
        """All the points of the quiz."""
        return self.grades.max_score

    @property
    def pending(self) -> int:
        """Written answers not marked yet."""
        return sum(s.pending for s in self.items)

    @property
    def absent(self) -> tuple[str, ...]:
        """Students in the gradebook who did not hand this quiz in."""
        return tuple(s.student for s in self.grades.students if not s.submitted)

    def summary(self, width: int = 100) -> str:
        """The report in a few lines for the terminal."""
        n = len(self.totals)
        lines = [
            f"homs report: {self.quiz.title} ({self.quiz.id}): {n} student"
            f"{'s' if n != 1 else ''} handed in"
            + (f", {len(self.absent)} did not ({_some(self.absent)})" if self.absent else "")
            + "."
        ]
        late = [f"{s.student} ({lateness(s.seconds_late)})" for s in self.grades.late]
        if late:
            lines.append(f"Handed in after the due date: {_some(late)}.")
        if self.pending:
            lines.append(
                f"{self.pending} written answer{'s' if self.pending != 1 else ''} not "
                "marked yet (counted as 0 in the totals)."
            )
        if n:
            mean = statistics.fmean(self.totals)
            lines.append(
                f"Scores: mean {_num(mean)} of {_num(self.max_score)} "
                f"({100 * mean / self.max_score:.0f}%), median "
                f"{_num(statistics.median(self.totals))}, lowest {_num(min(self.totals))}"
                f", highest {_num(max(self.totals))}."
            )
        lines.append("")
        head = (
            f"{'item':<30} {'mean':>9} {'full marks':>10} {'facility':>8} "
            f"{'discrimination':>18}  most common wrong answer"
        )
        lines.append(head)
        for s in self.items:
            label = textwrap.shorten(f"{s.item.label} {s.item.title}", 30, placeholder="…")
            mean = f"{_num(s.mean)}/{_num(s.max_score)}" if s.mean is not None else "–"
            full = f"{100 * s.full_marks:.0f}%" if s.full_marks is not None else "–"
            facility = f"{s.difficulty:.2f}" if s.difficulty is not None else "–"
            r = s.discrimination_text
            if s.item.written:
                common = ", ".join(f"{name} {k}" for name, k in s.levels if k) or "–"
                if s.pending:
                    common += f" ({s.pending} not marked)"
            elif s.wrong:
                w = s.wrong[0]
                common = f"{w.answer} ({w.count})"
            else:
                common = "–"
            room = max(20, width - len(head) + len("most common wrong answer"))
            line = (
                f"{label:<30} {mean:>9} {full:>10} {facility:>8} {r:>18}  "
                f"{textwrap.shorten(common, room, placeholder='…')}"
            )
            lines.append(line)
        flagged = [f"{s.item.label} {s.flag}" for s in self.items if s.flag]
        if self.forms:
            lines += ["", "Per form (parallel forms; each student's form from the course secret):"]
            lines.append(format_forms(self.forms))
            labels = {i.id: i.label for i in self.quiz.items}
            flagged += [
                f"{labels.get(f.item, f.item)} form {f.form} much harder than its sibling forms "
                f"(facility {f.facility:.2f} against {f.siblings:.2f})"
                for f in self.forms
                if f.harder and f.facility is not None and f.siblings is not None
            ]
        if flagged:
            lines += ["", "To look at: " + "; ".join(flagged) + "."]
        if any(len(s.scores) < MIN_ANSWERS for s in self.items):
            lines += [
                "",
                f"Facility: the share of an item's points the class earned (1.00: everyone "
                f"right). Discrimination is shown from {MIN_ANSWERS} answers to an item; with "
                "fewer it says little.",
            ]
        lines += ["", f"Report: {self.html}"]
        # Student ids and the answers they typed reach the terminal: no control characters.
        return printable("\n".join(lines))


def _some(names: Sequence[str], most: int = 8) -> str:
    """Up to ``most`` names, then how many more."""
    if len(names) <= most:
        return ", ".join(names)
    return ", ".join(names[:most]) + f" and {len(names) - most} more"


def _num(x: float | None) -> str:
    if x is None:
        return "–"
    return f"{x:.1f}".rstrip("0").rstrip(".")


def _stats(
    item: Item, cell: Cell, grades: QuizGrades, answers: Mapping[str, Answer | None]
) -> ItemStats:
    auto = [c for c in grades.cells if c.auto]
    marked = [s for s in grades.submitted if s.scores.get(cell.name) is not None]
    pending = len(grades.submitted) - len(marked)
    scores = [float(s.scores[cell.name] or 0.0) for s in marked]
    rest = [sum(s.scores.get(c.name) or 0.0 for c in auto if c.name != cell.name) for s in marked]
    full = [x >= cell.max_score for x in scores]
    wrong: tuple[WrongAnswer, ...] = ()
    levels: tuple[tuple[str, int], ...] = ()
    if item.written:
        counts = Counter(round(x) for x in scores)
        levels = tuple(
            (_LEVEL_OF.get(p, f"{p} points"), counts.get(p, 0))
            for p in sorted({3, 2, 1, 0} | set(counts), reverse=True)
        )
    else:
        wrong = wrong_answers(
            item, [answers.get(s.student) for s in marked], scores, cell.max_score
        )
    return ItemStats(
        item=item,
        max_score=cell.max_score,
        scores=tuple(scores),
        pending=pending,
        difficulty=difficulty(scores, cell.max_score),
        full_marks=(sum(full) / len(full)) if full else None,
        discrimination=point_biserial(scores, rest),
        wrong=wrong,
        levels=levels,
    )


def _read_answers(
    root: Path, quiz: Quiz, grades: QuizGrades
) -> dict[str, dict[str, Answer] | None]:
    """Each submitted student's answers, read as data from the submitted (else autograded) copy."""
    cd = course_dir(root)
    variables = [i.variable for i in quiz.items if not i.written]
    notebooks = {c.notebook for c in grades.cells} or {quiz.id}
    out: dict[str, dict[str, Answer] | None] = {}
    for s in grades.submitted:
        found: dict[str, Answer] | None = None
        for step in (cd.submitted_directory, cd.autograded_directory):
            for name in sorted(notebooks):
                path = Path(cd.format_path(step, s.student, quiz.id)) / f"{name}.ipynb"
                # A link (to the source notebook, a classmate's), a FIFO, ...: refused by
                # autograde, so never read here either (a link to the source holds the key).
                if refusal(path) is not None or not path.is_file():
                    continue
                try:
                    nb = read_notebook(path)
                except GradingError:
                    continue
                answers = read_answers(nb, variables)
                found = found or {}
                for v, a in answers.items():
                    if v not in found or found[v].status == "missing":
                        found[v] = a
            if found is not None:
                break
        out[s.student] = found
    return out


def report(
    quiz: str,
    *,
    course: str | Path = DEFAULT_COURSE,
    out: str | Path | None = None,
    specs: str | Path | None = None,
) -> ClassReport:
    """Writes a class report on a graded quiz: an HTML page with PNG charts, and a summary.

    Per item: facility (share of points earned), share with full marks, discrimination
    (point-biserial, item score against the rest-of-test score), and the most common wrong
    answers with the right answer, why, and the cited sentences quoted. Plus a chart of the
    total scores and one of the items.

    Args:
        quiz: The quiz id.
        course: The nbgrader course root; its gradebook holds the scores.
        out: The folder to write to; ``reports/<quiz>/`` in the course by default.
        specs: The folder of quiz specs (``c.Homs.specs``; the packaged specs by default).

    Returns:
        The report; ``summary()`` gives the terminal text.

    Raises:
        GradingError: No course or gradebook, or the gradebook does not know the quiz.
        DataError: There is no spec for the quiz.
    """
    root = course_root(course)
    spec = load_quiz(quiz, specs_for(root, specs))
    import_configured(root)
    with gradebook(root) as gb:
        grades = quiz_grades(gb, quiz)
    cells = {c.name: c for c in grades.cells}
    unknown = [i.id for i in spec.items if i.id not in cells]
    if unknown:
        raise GradingError(
            f"the gradebook's {quiz!r} has no graded cell for "
            f"{', '.join(unknown)}: the quiz spec and the released notebook "
            f"differ. Rebuild and release the quiz again (homs release {quiz} "
            "--force) before grading."
        )
    answers_by_student = _read_answers(root, spec, grades)
    items = []
    for item in spec.items:
        answers = {}
        if not item.written:
            for student, found in answers_by_student.items():
                answers[student] = found.get(item.variable) if found is not None else None
        items.append(_stats(item, cells[item.id], grades, answers))
    totals = tuple(float(s.total or 0.0) for s in grades.submitted)

    folder = Path(out) if out is not None else root / "reports" / quiz
    folder.mkdir(parents=True, exist_ok=True)
    pending = sum(s.pending for s in items)
    figures = {
        "scores.png": charts.score_distribution(
            totals, grades.max_score, title=spec.title, pending=pending
        ),
        "items.png": charts.item_difficulty(
            [f"{s.item.label}. {s.item.title}" for s in items],
            [s.difficulty for s in items],
            [s.shown_discrimination for s in items],
            title=spec.title,
        ),
    }
    pngs = []
    alts = {}
    for name, fig in figures.items():
        path = folder / name
        path.write_bytes(fig.to_png(dpi=110))
        pngs.append(path)
        alts[name] = fig.get_alt_text()
    page = folder / "report.html"
    forms = tuple(form_stats(quiz, course=root, specs=specs)) if _in_variants(root, quiz) else ()
    result = ClassReport(spec, grades, tuple(items), totals, page, tuple(pngs), forms)
    page.write_text(_html(result, alts), "utf-8")
    return result


def _in_variants(root: Path, quiz: str) -> bool:
    """Whether the course gives the quiz in parallel forms (then the report has a row per form)."""
    from homs.grading.course.variants import enabled

    return enabled(root, quiz)


# -- HTML ------------------------------------------------------------------------------------


def _pct(x: float | None) -> str:
    return f"{100 * x:.0f}%" if x is not None else "–"


def _html(r: ClassReport, alts: Mapping[str, str]) -> str:
    """The report page, from the autoescaping template ``grading/report.html``."""
    n = len(r.totals)
    figures = []
    if n:
        mean = statistics.fmean(r.totals)
        figures = [
            (_num(mean), f"mean of {_num(r.max_score)} points ({100 * mean / r.max_score:.0f}%)"),
            (_num(statistics.median(r.totals)), "median"),
            (f"{_num(min(r.totals))} to {_num(max(r.totals))}", "range"),
        ]
        if n > 1:
            figures.append((_num(statistics.stdev(r.totals)), "standard deviation"))
    captions = (
        "Total scores: how many students got each score.",
        "Share of each item's points the class earned; hatched orange bars mark items that "
        "separate stronger from weaker students poorly.",
    )
    charts = [
        {"src": path.name, "alt": alts[path.name], "caption": caption}
        for path, caption in zip(r.charts, captions, strict=True)
    ]
    rows = [
        {
            "id": s.item.id,
            "label": s.item.label,
            "title": s.item.title,
            "written": s.item.written,
            "points": _num(s.max_score),
            "mean": _num(s.mean),
            "full": _pct(s.full_marks),
            "difficulty": f"{s.difficulty:.2f}" if s.difficulty is not None else "–",
            "r": s.discrimination_text,
            "flag": s.flag,
        }
        for s in r.items
    ]
    return render(
        "grading/report.html",
        quiz=r.quiz,
        when=datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        handed_in=plural(n, "student"),
        absent=_some(r.absent, 20) if r.absent else "",
        late=[(s.student, lateness(s.seconds_late)) for s in r.grades.late],
        min_answers=MIN_ANSWERS,
        pending=(
            f"{plural(r.pending, 'written answer')} {'is' if r.pending == 1 else 'are'}"
            if r.pending
            else ""
        ),
        figures=figures,
        charts=charts,
        rows=rows,
        sections=[_section(s) for s in r.items],
        forms=forms_section(r.quiz, r.forms),
        banked={f.item for f in r.forms},
        harder=f"{HARDER:.2f}",
        min_per_form=MIN_PER_FORM,
    )


def _section(s: ItemStats) -> dict[str, Any]:
    """One item's section of the page: its key or rubric, wrong answers, cited sentences."""
    item = s.item
    wrong = [
        {
            "answer": w.answer,
            "code": True,
            "note": w.note,
            "count": w.count,
            "share": _pct(w.count / len(s.scores)),
        }
        for w in s.wrong[:5]
    ]
    if len(s.wrong) > 5:
        rest = sum(w.count for w in s.wrong[5:])
        wrong.append(
            {
                "answer": f"{len(s.wrong) - 5} other answers",
                "code": False,
                "note": "",
                "count": rest,
                "share": _pct(rest / len(s.scores)),
            }
        )
    return {
        "id": item.id,
        "label": item.label,
        "title": item.title,
        "points": plural(s.max_score, "point"),
        "written": item.written,
        "counts": ", ".join(f"{name}: {k}" for name, k in s.levels),
        "pending": s.pending,
        "explanation": item.explanation,
        "rubric": item.rubric,
        "key": None if item.written else literal(item.key),
        "accepted": accepted(item),
        "preferred_because": item.preferred_because,
        "wrong": wrong,
        "all_right": bool(s.scores) and not s.wrong,
        "cited": quotes(item.cites),
        "corrections": corrections(item.cites),
    }
