"""``homs report``: what a class got right and wrong on a quiz, item by item.

Scores come from the gradebook (whatever graded them: ``homs autograde``, ``nbgrader autograde``,
the formgrader); the students' answers are read from their submitted notebooks as data
(:func:`homs.grading.read_answers`, nothing is run), to find the most common wrong answers.

Statistics, per item:

* **difficulty**: the share of the item's points the class earned (mean score / points; for a
  one-point item, the share of students who got it right). Low means hard.
* **full marks**: the share of students with all of the item's points.
* **discrimination**: the point-biserial correlation between the item score and the
  rest-of-test score (the student's points on the *other* automatic items), i.e. the corrected
  item-total correlation. Near 0 or negative: the item does not separate students who did well
  on the rest from those who did not; check its wording and key. ``None`` when every student
  scored the same on the item or on the rest.

Written items count in the totals once marked; their discrimination is computed over the
students whose answer is marked.
"""

from __future__ import annotations

import html
import math
import statistics
import textwrap
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from importlib import resources
from pathlib import Path
from typing import Any

from homs.grading import _course
from homs.grading._answers import Answer, GradingError, read_answers, read_notebook
from homs.grading._checks import literal
from homs.grading._spec import Item, Quiz, load_quiz

__all__ = [
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
    return _show(value)


def _show(value: Any) -> str:
    """A value as the student would have typed it: tuples stay tuples, 2.0 stays 2.0."""
    if isinstance(value, tuple):
        inner = ", ".join(_show(v) for v in value)
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    if isinstance(value, list):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    try:
        return literal(value)
    except TypeError:
        return repr(value)


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
    def flag(self) -> str:
        """A word to the teacher: hard, easy, poor or negative discrimination; or ``""``."""
        from homs.grading._charts import LOW_DISCRIMINATION

        flags = []
        if self.discrimination is not None and self.discrimination < 0:
            flags.append("negative discrimination: check the key and the wording")
        elif self.discrimination is not None and self.discrimination < LOW_DISCRIMINATION:
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
    """

    quiz: Quiz
    grades: _course.QuizGrades
    items: tuple[ItemStats, ...]
    totals: tuple[float, ...]
    html: Path
    charts: tuple[Path, ...]

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
            f"{'item':<30} {'mean':>9} {'full':>5} {'diff':>5} {'r':>5}  most common wrong answer"
        )
        lines.append(head)
        for s in self.items:
            label = textwrap.shorten(f"{s.item.label} {s.item.title}", 30, placeholder="…")
            mean = f"{_num(s.mean)}/{_num(s.max_score)}" if s.mean is not None else "–"
            full = f"{100 * s.full_marks:.0f}%" if s.full_marks is not None else "–"
            diff = f"{s.difficulty:.2f}" if s.difficulty is not None else "–"
            r = f"{s.discrimination:.2f}" if s.discrimination is not None else "n/a"
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
                f"{label:<30} {mean:>9} {full:>5} {diff:>5} {r:>5}  "
                f"{textwrap.shorten(common, room, placeholder='…')}"
            )
            lines.append(line)
        flagged = [f"{s.item.label} {s.flag}" for s in self.items if s.flag]
        if flagged:
            lines += ["", "To look at: " + "; ".join(flagged) + "."]
        lines += ["", f"Report: {self.html}"]
        return "\n".join(lines)


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
    item: Item, cell: _course.Cell, grades: _course.QuizGrades, answers: Mapping[str, Answer | None]
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
    root: Path, quiz: Quiz, grades: _course.QuizGrades
) -> dict[str, dict[str, Answer] | None]:
    """Each submitted student's answers, read as data from the submitted (else autograded) copy."""
    cd = _course.course_dir(root)
    variables = [i.variable for i in quiz.items if not i.written]
    notebooks = {c.notebook for c in grades.cells} or {quiz.id}
    out: dict[str, dict[str, Answer] | None] = {}
    for s in grades.submitted:
        found: dict[str, Answer] | None = None
        for step in (cd.submitted_directory, cd.autograded_directory):
            for name in sorted(notebooks):
                path = Path(cd.format_path(step, s.student, quiz.id)) / f"{name}.ipynb"
                if not path.is_file():
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
    course: str | Path = "quizzes",
    out: str | Path | None = None,
    specs: str | Path | None = None,
) -> ClassReport:
    """Writes a class report on a graded quiz: an HTML page with PNG charts, and a summary.

    Per item: difficulty (share of points earned), share with full marks, discrimination
    (point-biserial, item score against the rest-of-test score), and the most common wrong
    answers with the right answer, why, and the cited sentences quoted. Plus a chart of the
    total scores and one of the items.

    Args:
        quiz: The quiz id.
        course: The nbgrader course root; its gradebook holds the scores.
        out: The folder to write to; ``reports/<quiz>/`` in the course by default.
        specs: A folder of quiz specs (a teacher's own quizzes); the packaged ones by default.

    Returns:
        The report; ``summary()`` gives the terminal text.

    Raises:
        GradingError: No course or gradebook, or the gradebook does not know the quiz.
        DataError: There is no spec for the quiz.
    """
    from homs.grading import _charts

    root = _course.course_root(course)
    spec = load_quiz(quiz, Path(specs) if specs is not None else None)
    with _course.gradebook(root) as gb:
        grades = _course.quiz_grades(gb, quiz)
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
        "scores.png": _charts.score_distribution(
            totals, grades.max_score, title=spec.title, pending=pending
        ),
        "items.png": _charts.item_difficulty(
            [f"{s.item.label}. {s.item.title}" for s in items],
            [s.difficulty for s in items],
            [s.discrimination for s in items],
            title=spec.title,
        ),
    }
    charts = []
    alts = {}
    for name, fig in figures.items():
        path = folder / name
        path.write_bytes(fig.to_png(dpi=110))
        charts.append(path)
        alts[name] = fig.get_alt_text()
    page = folder / "report.html"
    result = ClassReport(spec, grades, tuple(items), totals, page, tuple(charts))
    page.write_text(_html(result, alts), "utf-8")
    return result


# -- HTML ------------------------------------------------------------------------------------


def _e(text: Any) -> str:
    return html.escape(str(text), quote=True)


def _pct(x: float | None) -> str:
    return f"{100 * x:.0f}%" if x is not None else "–"


def _html(r: ClassReport, alts: Mapping[str, str]) -> str:
    from homs.grading._feedback import quotes

    css = resources.files("homs.grading").joinpath("report.css").read_text("utf-8")
    n = len(r.totals)
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Class report: {_e(r.quiz.title)}</title>",
        f"<style>{css}</style></head><body><main>",
        '<p class="kicker">Class report</p>',
        f"<h1>{_e(r.quiz.title)}</h1>",
        f'<p class="meta">Quiz <code>{_e(r.quiz.id)}</code>, {_e(when)}. {n} student'
        f"{'s' if n != 1 else ''} handed it in"
        + (f"; not handed in: {_e(_some(r.absent, 20))}" if r.absent else "")
        + ".</p>",
    ]
    if r.pending:
        out.append(
            f'<p class="note">{r.pending} written answer'
            f"{'s are' if r.pending != 1 else ' is'} not marked yet: "
            "they count 0 in the totals below. Mark them in the formgrader and run the "
            "report again.</p>"
        )
    if n:
        mean = statistics.fmean(r.totals)
        out.append(
            '<ul class="figures">'
            f"<li><strong>{_num(mean)}</strong> mean of {_num(r.max_score)} points "
            f"({100 * mean / r.max_score:.0f}%)</li>"
            f"<li><strong>{_num(statistics.median(r.totals))}</strong> median</li>"
            f"<li><strong>{_num(min(r.totals))}</strong> to "
            f"<strong>{_num(max(r.totals))}</strong> range</li>"
            + (
                f"<li><strong>{_num(statistics.stdev(r.totals))}</strong> standard deviation</li>"
                if n > 1
                else ""
            )
            + "</ul>"
        )
    out.append(
        _figure(
            r.charts[0].name,
            alts[r.charts[0].name],
            "Total scores: how many students got each score.",
        )
    )
    out += [
        "<h2>Items</h2>",
        _items_table(r),
        _figure(
            r.charts[1].name,
            alts[r.charts[1].name],
            "Share of each item's points the class earned; hatched orange bars mark items that "
            "separate stronger from weaker students poorly.",
        ),
    ]
    out.append("<h2>Most common wrong answers, and the right one</h2>")
    for s in r.items:
        item = s.item
        out.append(f'<section class="item" id="{_e(item.id)}">')
        out.append(
            f'<h3>{_e(item.label)}. {_e(item.title)} <span class="pts">'
            f"({_num(s.max_score)} point{'s' if s.max_score != 1 else ''})</span></h3>"
        )
        if item.written:
            counts = ", ".join(f"{_e(name)}: {k}" for name, k in s.levels)
            out.append(
                f"<p>Written answer, marked by the teacher. Marked so far: "
                f"{counts or 'none'}"
                + (f"; not marked yet: {s.pending}" if s.pending else "")
                + ".</p>"
            )
            if item.explanation:
                out.append(f"<p>{_e(item.explanation)}</p>")
            levels = "".join(
                f"<li><strong>{_e(level.name)} ({level.points})</strong>: "
                f"{_e(level.descriptor)}</li>"
                for level in item.rubric
            )
            out.append(f'<ul class="rubric">{levels}</ul>')
        else:
            out.append(f'<p class="key">The right answer: <code>{_e(literal(item.key))}</code></p>')
            if s.wrong:
                rows = "".join(
                    f"<tr><td><code>{_e(w.answer)}</code>"
                    + (f'<div class="gloss">{_e(w.note)}</div>' if w.note else "")
                    + f'</td><td class="num">{w.count}</td>'
                    f'<td class="num">{_pct(w.count / len(s.scores))}</td></tr>'
                    for w in s.wrong[:5]
                )
                more = ""
                if len(s.wrong) > 5:
                    rest = sum(w.count for w in s.wrong[5:])
                    more = (
                        f"<tr><td>{len(s.wrong) - 5} other answers</td>"
                        f'<td class="num">{rest}</td>'
                        f'<td class="num">{_pct(rest / len(s.scores))}</td></tr>'
                    )
                out.append(
                    '<table class="wrong"><caption>Answers that did not get full marks'
                    '</caption><thead><tr><th scope="col">answer</th><th scope="col">'
                    'students</th><th scope="col">share of class</th></tr></thead>'
                    f"<tbody>{rows}{more}</tbody></table>"
                )
            elif s.scores:
                out.append("<p>Every student got full marks.</p>")
            out.append(f'<p class="why"><strong>Why:</strong> {_e(item.explanation)}</p>')
        cited = quotes(item.cites)
        if cited:
            opened = " open" if len(cited) <= 4 else ""
            out.append(
                f"<details{opened}><summary>The sentences it comes from ({len(cited)})</summary>"
            )
            out += [
                f"<blockquote><strong>{_e(sid)}</strong> ({_e(label)}): “{_e(text)}”</blockquote>"
                for sid, label, text in cited
            ]
            out.append("</details>")
        out.append("</section>")
    out.append(
        "<h2>How to read this report</h2><dl>"
        "<dt>Difficulty</dt><dd>The share of the item's points the class earned (mean score "
        "divided by the points). For a one-point item it is the share who got it right. Low "
        "means hard.</dd>"
        "<dt>Full marks</dt><dd>The share of students with all of the item's points.</dd>"
        "<dt>Discrimination (r)</dt><dd>The point-biserial correlation between the item score "
        "and each student's points on the other automatic items. Above 0.3 the item separates "
        "students who did well on the rest from those who did not; below "
        "0.2, or negative, it does so poorly: check its wording and key. "
        "n/a means everyone scored the same. With fewer than about 20 students, r changes a "
        "lot from one class to the next: treat it as a hint.</dd>"
        "<dt>Wrong answers</dt><dd>Read from the students' notebooks as data; lists whose "
        "order does not matter are shown sorted. Scores come from the gradebook.</dd></dl>"
        "</main></body></html>"
    )
    return "\n".join(out)


def _figure(src: str, alt: str, caption: str) -> str:
    return (
        f'<figure><img src="{_e(src)}" alt="{_e(alt)}">'
        f"<figcaption>{_e(caption)}</figcaption></figure>"
    )


def _items_table(r: ClassReport) -> str:
    head = (
        '<table class="items"><caption>Per item: mean, difficulty and discrimination'
        "</caption><thead><tr>"
        + "".join(
            f'<th scope="col">{h}</th>'
            for h in (
                "item",
                "points",
                "mean",
                "full marks",
                "difficulty",
                "discrimination (r)",
                "to look at",
            )
        )
        + "</tr></thead><tbody>"
    )
    rows = []
    for s in r.items:
        r_text = f"{s.discrimination:.2f}" if s.discrimination is not None else "n/a"
        diff = f"{s.difficulty:.2f}" if s.difficulty is not None else "–"
        rows.append(
            f'<tr><th scope="row"><a href="#{_e(s.item.id)}">{_e(s.item.label)}</a>. '
            f"{_e(s.item.title)}" + (" <em>(written)</em>" if s.item.written else "") + "</th>"
            f'<td class="num">{_num(s.max_score)}</td><td class="num">{_num(s.mean)}</td>'
            f'<td class="num">{_pct(s.full_marks)}</td><td class="num">{diff}</td>'
            f'<td class="num">{r_text}</td><td>{_e(s.flag)}</td></tr>'
        )
    return head + "".join(rows) + "</tbody></table>"
