"""``homs review``: the answer-key review sheet, one page a teacher reads before using the keys.

Every autograded item of every quiz (its question, the preferred answer and every other accepted
answer with its points and reason, the explanation and the cited sentences quoted) and every
self-check of the lessons (rebuilt from the builder calls in the lessons' code cells, with the
same answer and explanation a student gets). Nothing is executed but the ``selfcheck`` builders
themselves, called with the literal arguments the lessons give them; a call whose arguments are
not plain values is listed as such, never skipped. The page comes from the autoescaping template
``grading/review.html``.
"""

from __future__ import annotations

import ast
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from homs._templates import render
from homs._text import plural
from homs.errors import GradingError
from homs.grading.authoring.checks import literal
from homs.grading.authoring.explain import accepted, corrections, quotes
from homs.grading.authoring.spec import Quiz, load_quiz, quiz_names
from homs.grading.course.config import DEFAULT_COURSE, course_root, specs_for

__all__ = ["DEFAULT_LESSONS", "Review", "SelfCheck", "review", "self_checks"]

#: Where the lessons are when no folder is given: ``lessons/`` in the working folder.
DEFAULT_LESSONS = "lessons"


@dataclass(frozen=True)
class SelfCheck:
    """One self-check of a lesson, as the review sheet lists it.

    Attributes:
        lesson: The lesson's file name.
        call: The builder call as written in the lesson, e.g. ``selfcheck.years_between(...)``.
        question: The question widget it builds; ``None`` when it could not be rebuilt.
        problem: Why it could not be rebuilt (arguments that are not plain values, an error).
    """

    lesson: str
    call: str
    question: Any = None
    problem: str = ""


@dataclass(frozen=True)
class Review:
    """What :func:`review` wrote."""

    path: Path
    quizzes: tuple[Quiz, ...]
    checks: tuple[SelfCheck, ...]

    def format(self) -> str:
        """A short text for the terminal."""
        items = sum(len([i for i in q.items if not i.written]) for q in self.quizzes)
        broken = [c for c in self.checks if c.question is None]
        lines = [
            f"homs review: {self.path} ({plural(items, 'autograded item')} in "
            f"{plural(len(self.quizzes), 'quiz', 'quizzes')}, "
            f"{plural(len(self.checks), 'self-check')} in the lessons)"
        ]
        lines += [f"  could not rebuild {c.lesson}: {c.call}: {c.problem}" for c in broken]
        return "\n".join(lines)


def self_checks(lessons: Path) -> tuple[SelfCheck, ...]:
    """Every self-check built in the lessons' code cells, in lesson and cell order."""
    from homs import selfcheck

    builders = {n for n in getattr(selfcheck, "__all__", ()) if n not in ("show",)}
    found: list[SelfCheck] = []
    for path in sorted(lessons.glob("*.ipynb")):
        nb = json.loads(path.read_text("utf-8"))
        for cell in nb.get("cells", []):
            if cell.get("cell_type") != "code":
                continue
            source = "".join(cell.get("source", []))
            try:
                tree = ast.parse(source)
            except SyntaxError:
                continue  # IPython magics; the lessons' self-checks are plain Python
            for node in ast.walk(tree):
                if not (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and isinstance(node.func.value, ast.Name)
                    and node.func.value.id == "selfcheck"
                    and node.func.attr in builders
                ):
                    continue
                call = ast.get_source_segment(source, node) or node.func.attr
                found.append(_rebuild(selfcheck, path.name, call, node))
    return tuple(found)


def _rebuild(module: Any, lesson: str, call: str, node: ast.Call) -> SelfCheck:
    try:
        args = [ast.literal_eval(a) for a in node.args]
        kwargs = {k.arg: ast.literal_eval(k.value) for k in node.keywords if k.arg}
    except ValueError:
        return SelfCheck(lesson, call, None, "its arguments are not plain values")
    try:
        question = getattr(module, node.func.attr)(*args, **kwargs)  # type: ignore[attr-defined]
    except Exception as err:  # a broken self-check must be shown, not hidden
        return SelfCheck(lesson, call, None, f"{type(err).__name__}: {err}")
    return SelfCheck(lesson, call, question)


def review(
    *,
    course: str | Path = DEFAULT_COURSE,
    lessons: str | Path = DEFAULT_LESSONS,
    out: str | Path | None = None,
    specs: str | Path | None = None,
) -> Review:
    """Writes the answer-key review sheet: every autograded item and every self-check.

    Args:
        course: The nbgrader course root (its spec folder gives the quizzes).
        lessons: The folder of lesson notebooks whose self-checks to list.
        out: The HTML file; ``reports/answer-key-review.html`` in the course by default.
        specs: The folder of quiz specs (``c.Homs.specs``; the packaged specs by default).

    Raises:
        GradingError: No such course or lessons folder.
    """
    root = course_root(course)
    folder = specs_for(root, specs)
    lesson_dir = Path(lessons)
    if not lesson_dir.is_dir():
        raise GradingError(
            f"{lessons}: no lessons folder. Give the folder of lesson notebooks with --lessons DIR."
        )
    quizzes = tuple(load_quiz(name, folder) for name in quiz_names(folder))
    checks = self_checks(lesson_dir)
    path = Path(out) if out is not None else root / "reports" / "answer-key-review.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        render(
            "grading/review.html",
            when=datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            quizzes=[_quiz(q) for q in quizzes],
            lessons=_lessons(checks),
        ),
        "utf-8",
    )
    return Review(path, quizzes, checks)


def _quiz(quiz: Quiz) -> dict[str, Any]:
    items = []
    for item in quiz.items:
        items.append(
            {
                "id": item.id,
                "label": item.label,
                "title": item.title,
                "question": item.question,
                "table": item.table,
                "points": plural(item.points, "point"),
                "written": item.written,
                "form": item.form.describe() if item.form else "",
                "key": None if item.written else literal(item.key),
                "accepted": accepted(item),
                "preferred_because": item.preferred_because,
                "explanation": item.explanation,
                "rubric": item.rubric,
                "cited": quotes(item.cites),
                "corrections": corrections(item.cites),
            }
        )
    return {"id": quiz.id, "title": quiz.title, "entries": items}


def _lessons(checks: Sequence[SelfCheck]) -> list[dict[str, Any]]:
    by_lesson: dict[str, list[dict[str, Any]]] = {}
    for check in checks:
        q = check.question
        entry: dict[str, Any] = {"call": check.call, "problem": check.problem}
        if q is not None:
            also = getattr(q, "accepted", None) or {}
            entry.update(
                prompt=q.prompt,
                answer=q.answer_text(),
                accepted=[(str(k), str(v)) for k, v in dict(also).items()],
                why=list(q.why),
                context=q.context or "",
                cited=[(c.sentence, f"Source {c.sentence[0]}", c.quote) for c in q.citations],
            )
        by_lesson.setdefault(check.lesson, []).append(entry)
    return [{"lesson": name, "checks": items} for name, items in by_lesson.items()]
