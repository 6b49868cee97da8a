"""``homs feedback``: nbgrader's per-student HTML feedback, with the right answer explained.

:func:`feedback` runs nbgrader's ``GenerateFeedback`` converter with one more preprocessor,
:class:`homs.grading.preprocessors.ExplainAnswers`, right after nbgrader's ``GetGrades``. For every
item a student did not get fully right, it puts a Markdown cell after the item's graded cell:
the right answer, why (from the knowledge base, through the quiz item), and the sentences it comes
from, quoted with their ids. Everything else is stock nbgrader feedback.

:func:`explanation` builds that cell; it needs neither nbgrader nor a gradebook.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from homs.grading import _course
from homs.grading._answers import GradingError
from homs.grading._checks import literal
from homs.grading._spec import Item, load_quiz

__all__ = ["Feedback", "explanation", "feedback", "quotes"]

#: The cell metadata key marking an inserted explanation (``{"homs": {"explains": item id}}``).
MARK = "explains"
# Bootstrap 3 (which the feedback page loads) sets blockquotes in large type; keep body size.
_QUOTE_STYLE = "font-size: inherit; margin: 0.3em 0 0.3em 0.5em; padding: 0.2em 0.8em;"


def _e(text: object) -> str:
    """Escaped for HTML, on one line (a blank line would end the cell's HTML block)."""
    return html.escape(" ".join(str(text).split()), quote=True)


def _points(n: float) -> str:
    return f"{n:g} point" if n == 1 else f"{n:g} points"


def quotes(sentence_ids: Sequence[str]) -> list[tuple[str, str, str]]:
    """Each cited sentence as (id, source label, the sentence quoted verbatim)."""
    from homs import sources

    out = []
    for sid in dict.fromkeys(sentence_ids):
        sentence = sources.sentence(sid)
        out.append((sid, f"Source {sentence.source}", sentence.text))
    return out


def explanation(item: Item, score: float, max_score: float | None = None) -> str:
    """The explanation, for an item a student did not get fully right, as a Markdown cell source.

    It is one HTML block (Markdown cells may hold HTML) styled as a Bootstrap info box, which
    nbgrader's feedback template loads, so it stands out from the student's cells.

    Args:
        item: The quiz item.
        score: The student's score on it.
        max_score: What it is worth (the gradebook's); the item's points by default.

    Returns:
        The score and the right answer (or, for a written item, a pointer to the mark scheme),
        why, and each cited sentence quoted with its id and source.
    """
    worth = item.points if max_score is None else max_score
    head = f"<strong>{_e(item.label)}. {_e(item.title)}: {score:g} of {_points(worth)}.</strong>"
    parts = [
        f'<div class="alert alert-info homs-explanation" role="note" data-item="{_e(item.id)}">'
    ]
    if item.written:
        parts.append(f"<p>{head} Compare your answer with the mark scheme above.</p>")
        if item.explanation:
            parts.append(f"<p>{_e(item.explanation)}</p>")
        lead = "The sentences a strong answer uses:"
    else:
        parts.append(f"<p>{head} The right answer: <code>{_e(literal(item.key))}</code></p>")
        parts.append(f"<p><em>Why:</em> {_e(item.explanation)}</p>")
        lead = "Where this comes from:"
    cited = quotes(item.cites)
    if cited:
        parts.append(f"<p>{lead}</p>")
        parts += [
            f'<blockquote style="{_QUOTE_STYLE}"><strong>{_e(sid)}</strong> '
            f"({_e(label)}): “{_e(text)}”"
            "</blockquote>"
            for sid, label, text in cited
        ]
    parts.append("</div>")
    return "\n".join(parts)


@dataclass(frozen=True)
class Feedback:
    """What :func:`feedback` wrote.

    Attributes:
        quiz: The quiz.
        files: One HTML file per student, ``feedback/<student>/<quiz>/<quiz>.html``.
        log: nbgrader's log.
    """

    quiz: str
    files: tuple[Path, ...]
    log: str

    def format(self) -> str:
        """A short text for the terminal."""
        if not self.files:
            return f"homs feedback: {self.quiz}: no feedback written."
        folder = self.files[0].parents[2]
        return (
            f"homs feedback: {self.quiz}: {len(self.files)} feedback file"
            f"{'s' if len(self.files) != 1 else ''} in {folder}/<student>/{self.quiz}/"
        )


def feedback(
    quiz: str,
    *,
    course: str | Path = "quizzes",
    students: Sequence[str] | None = None,
    specs: str | Path | None = None,
) -> Feedback:
    """Writes each student's HTML feedback on an autograded quiz, explaining what they missed.

    This is nbgrader's ``generate_feedback`` (the grades, comments and, for written items, the
    mark scheme), plus, after each item not fully right, the right answer, why, and the cited
    sentences. Feedback is always written again, so marks changed in the formgrader show up.

    Args:
        quiz: The quiz id.
        course: The nbgrader course root.
        students: Only these students; everyone autograded by default.
        specs: A folder of quiz specs (a teacher's own quizzes); the packaged ones by default.

    Raises:
        GradingError: No such course, nothing autograded for this quiz, or nbgrader failed.
        DataError: There is no spec for the quiz.
    """
    from nbgrader.converters import GenerateFeedback

    from homs.grading._explain import ExplainAnswers

    root = _course.course_root(course)
    load_quiz(quiz, Path(specs) if specs is not None else None)  # fail early on an unknown quiz
    graded = sorted(p.parent.name for p in (root / "autograded").glob(f"*/{quiz}"))
    if not graded:
        raise GradingError(
            f"{root}: nothing autograded for quiz {quiz!r} yet. Run homs autograde {quiz} first."
        )
    wanted = list(students) if students is not None else graded
    missing = [s for s in wanted if s not in graded]
    if missing:
        raise GradingError(
            f"no autograded {quiz!r} for {', '.join(missing)} in "
            f"{root / 'autograded'}. Autograde them first, or leave them out."
        )
    cfg = _course.config(root)
    steps = list(
        cfg.GenerateFeedback.get(
            "preprocessors", GenerateFeedback.class_traits()["preprocessors"].default()
        )
    )
    if not any(_name(s) == "ExplainAnswers" for s in steps):
        after = next((i + 1 for i, s in enumerate(steps) if _name(s) == "GetGrades"), 0)
        steps.insert(after, ExplainAnswers)
    cfg.GenerateFeedback.preprocessors = steps
    if specs is not None:
        cfg.ExplainAnswers.specs = str(Path(specs).resolve())
    logs = []
    if students is None:
        logs.append(_course.run_converter(GenerateFeedback, root, quiz, cfg=cfg, force=True))
    else:
        for student in wanted:
            logs.append(
                _course.run_converter(
                    GenerateFeedback, root, quiz, cfg=cfg, force=True, student=student
                )
            )
    files = tuple(sorted(p for s in wanted for p in (root / "feedback" / s / quiz).glob("*.html")))
    return Feedback(quiz, files, "".join(logs))


def _name(step: object) -> str:
    """The class name of a preprocessor given as a class or an import string."""
    return step.rsplit(".", 1)[-1] if isinstance(step, str) else getattr(step, "__name__", "")
