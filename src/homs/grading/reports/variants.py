"""Item statistics per variant of a quiz given in parallel forms, and the forms that are harder.

For each banked item, the facility (share of points earned) of each form among the students
who had it, read from the gradebook; a form is flagged as much harder than its siblings when
its facility is at least :data:`HARDER` below theirs (the other forms' pooled facility) and each
side has at least :data:`MIN_PER_FORM` answers. Each student's form is recomputed from the
course secret (:mod:`homs.grading.course.variants`), never read from a notebook. May import
:mod:`homs.grading.course` and below.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from homs.grading.authoring import banks
from homs.grading.authoring.checks import literal
from homs.grading.authoring.spec import Quiz, load_quiz
from homs.grading.course.config import course_dir, course_root, specs_for
from homs.grading.course.variants import student_variants

__all__ = ["HARDER", "MIN_PER_FORM", "FormStats", "form_stats", "format_forms", "forms_section"]

#: How far below its siblings' facility a form must be to be flagged.
HARDER = 0.3
#: The fewest answers on each side before a form is compared with its siblings.
MIN_PER_FORM = 2


@dataclass(frozen=True)
class FormStats:
    """One form of one banked item, across the students who had it.

    Attributes:
        item: The item id.
        form: The form's number (0: the fixed key).
        key: Its key entry, e.g. ``{"order": [...]}``.
        scores: Each student's score on the item.
        max_score: What the item is worth.
        siblings: The facility of the item's other forms, pooled; ``None`` without answers.
        sibling_answers: How many answers those other forms have.
    """

    item: str
    form: int
    key: dict
    scores: tuple[float, ...]
    max_score: float
    siblings: float | None
    sibling_answers: int

    @property
    def facility(self) -> float | None:
        """The share of the points earned on this form; ``None`` without answers."""
        if not self.scores or not self.max_score:
            return None
        return sum(self.scores) / (len(self.scores) * self.max_score)

    @property
    def harder(self) -> bool:
        """Whether this form is much harder than its siblings (see :data:`HARDER`)."""
        return (
            self.facility is not None
            and self.siblings is not None
            and len(self.scores) >= MIN_PER_FORM
            and self.sibling_answers >= MIN_PER_FORM
            and self.siblings - self.facility >= HARDER
        )


def form_stats(
    quiz: str, *, course: str | Path = "quizzes", specs: str | Path | None = None
) -> list[FormStats]:
    """The statistics of every form of every banked item of a quiz, from the gradebook."""
    from nbgrader.api import Gradebook, MissingEntry

    root = course_root(course)
    spec = load_quiz(quiz, specs_for(root, specs))
    chosen = student_variants(root, spec)
    cd = course_dir(root)
    scores: dict[tuple[str, int], list[float]] = {}
    maxima: dict[str, float] = {}
    with Gradebook(cd.db_url, cd.course_id) as gb:
        for student, forms in chosen.items():
            try:
                submission = gb.find_submission(quiz, student)
            except MissingEntry:
                continue
            grades = {g.name: g for nb in submission.notebooks for g in nb.grades}
            for item_id, variant in forms.items():
                grade = grades.get(item_id)
                if grade is None or grade.score is None:
                    continue
                maxima[item_id] = float(grade.max_score)
                scores.setdefault((item_id, int(variant["form"])), []).append(float(grade.score))
    record = {
        i: [banks.Variant.from_dict(v) for v in found] for i, found in _forms(root, spec).items()
    }
    out = []
    for item_id, found in record.items():
        for variant in found:
            mine = scores.get((item_id, variant.form), [])
            others = [
                s
                for f in found
                if f.form != variant.form
                for s in scores.get((item_id, f.form), [])
            ]
            top = maxima.get(item_id, float(spec.item(item_id).points))
            siblings = sum(others) / (len(others) * top) if others and top else None
            out.append(
                FormStats(
                    item_id,
                    variant.form,
                    dict(variant.key),
                    tuple(mine),
                    top,
                    siblings,
                    len(others),
                )
            )
    return out


def _forms(root: Path, spec: object) -> dict[str, list[dict]]:
    from homs.grading.course.variants import release_record

    record = release_record(root, spec.id)  # type: ignore[attr-defined]
    return record["forms"] if record else {}


def format_forms(stats: list[FormStats]) -> str:
    """The per-form table as text, with the harder forms flagged."""
    lines = [f"{'item':<22} {'form':>4} {'answers':>7} {'facility':>8} {'others':>6}  note"]
    for s in stats:
        facility = f"{s.facility:.2f}" if s.facility is not None else "–"
        siblings = f"{s.siblings:.2f}" if s.siblings is not None else "–"
        note = "MUCH HARDER than its sibling forms: check it" if s.harder else ""
        lines.append(
            f"{s.item:<22} {s.form:>4} {len(s.scores):>7} {facility:>8} {siblings:>6}  {note}"
        )
    return "\n".join(lines)


def forms_section(
    quiz: Quiz, stats: list[FormStats] | tuple[FormStats, ...]
) -> list[dict[str, Any]]:
    """The report page's "Parallel forms" section: per banked item, a row per form with its
    title, key, answers and facility against its siblings', and a flag on a much harder form."""
    out: dict[str, dict[str, Any]] = {}
    for s in stats:
        base = quiz.item(s.item)
        entry = out.setdefault(
            s.item, {"id": s.item, "label": base.label, "title": base.title, "rows": []}
        )
        variant = banks.Variant(s.item, s.form, s.key, "", "")
        item = banks.apply(quiz, {s.item: variant}).item(s.item)
        entry["rows"].append(
            {
                "form": s.form,
                "title": item.title,
                "key": literal(item.key),
                "answers": len(s.scores),
                "facility": f"{s.facility:.2f}" if s.facility is not None else "–",
                "siblings": f"{s.siblings:.2f}" if s.siblings is not None else "–",
                "harder": s.harder,
            }
        )
    return list(out.values())
