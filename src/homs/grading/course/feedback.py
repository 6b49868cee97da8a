"""``homs feedback``: nbgrader's per-student HTML feedback, with the right answer explained.

:func:`feedback` runs nbgrader's ``GenerateFeedback`` converter with one more preprocessor,
:class:`homs.grading.course.preprocessors.ExplainAnswers`, right after nbgrader's
``GetGrades``. For every
item a student did not get fully right, it puts a Markdown cell after the item's graded cell:
the right answer, why (from the knowledge base, through the quiz item), and the sentences it comes
from, quoted with their ids. Everything else is stock nbgrader feedback.

:func:`homs.grading.authoring.explain.explanation` builds that cell; it needs neither nbgrader
nor a gradebook.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from homs._text import printable
from homs.errors import GradingError
from homs.grading.authoring.spec import load_quiz
from homs.grading.course.config import DEFAULT_COURSE, config, course_root, run_converter, specs_for

if TYPE_CHECKING:
    from traitlets.config import Config

__all__ = ["TEMPLATE", "Feedback", "code_style", "contrast", "feedback"]

#: The nbconvert template homs feedback is written with (nbgrader's ``feedback``, extended).
TEMPLATE = "homs-feedback"
#: The lightest background code sits on in the feedback page (Bootstrap 3's ``pre``).
_CODE_BACKGROUND = "#f5f5f5"
#: The contrast every highlighted token gets against it (WCAG 2.1 AA asks 4.5:1; a margin).
_CODE_CONTRAST = 4.6


@dataclass(frozen=True)
class Feedback:
    """What :func:`feedback` wrote.

    Attributes:
        quiz: The quiz.
        files: One HTML file per student, ``feedback/<student>/<quiz>/<quiz>.html``.
        log: nbgrader's log.
        unmarked: The students given feedback with written answers not marked yet, each with
            those items' grade ids; their pages say "not yet marked" there.
    """

    quiz: str
    files: tuple[Path, ...]
    log: str
    unmarked: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def format(self) -> str:
        """A short text for the terminal."""
        if not self.files:
            return f"homs feedback: {self.quiz}: no feedback written."
        folder = self.files[0].parents[2]
        text = (
            f"homs feedback: {self.quiz}: {len(self.files)} feedback file"
            f"{'s' if len(self.files) != 1 else ''} in {folder}/<student>/{self.quiz}/"
        )
        if self.unmarked:
            who = "; ".join(f"{s}: {', '.join(items)}" for s, items in self.unmarked)
            n = len(self.unmarked)
            text += (
                f"\nWARNING: {n} student{'s' if n != 1 else ''} still {'have' if n != 1 else 'has'}"
                f' written answers not marked ({printable(who)}). Their feedback says "not yet '
                'marked" there and its score leaves those points out. Mark them in the '
                f"formgrader (Manual Grading), then run homs feedback {self.quiz} again before "
                "you send it out."
            )
        return text


def feedback(
    quiz: str,
    *,
    course: str | Path = DEFAULT_COURSE,
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
        specs: The folder of quiz specs (``c.Homs.specs``; the packaged specs by default).

    Raises:
        GradingError: No such course, nothing autograded for this quiz, or nbgrader failed.
        DataError: There is no spec for the quiz.
    """
    from nbgrader.converters import GenerateFeedback

    from homs.grading.course.pending import MarkPending
    from homs.grading.course.preprocessors import ExplainAnswers

    root = course_root(course)
    folder = specs_for(root, specs)
    load_quiz(quiz, folder)  # fail early on an unknown quiz
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
    cfg = config(root)
    steps = list(
        cfg.GenerateFeedback.get(
            "preprocessors", GenerateFeedback.class_traits()["preprocessors"].default()
        )
    )
    if not any(_name(s) == "ExplainAnswers" for s in steps):
        after = next((i + 1 for i, s in enumerate(steps) if _name(s) == "GetGrades"), 0)
        steps.insert(after, ExplainAnswers)
    if not any(_name(s) == "MarkPending" for s in steps):
        after = next((i + 1 for i, s in enumerate(steps) if _name(s) == "GetGrades"), 0)
        steps.insert(after, MarkPending)
    cfg.GenerateFeedback.preprocessors = steps
    _accessible_page(cfg)
    if folder is not None:
        cfg.ExplainAnswers.specs = str(folder)
    cfg.ExplainAnswers.course = str(root)
    logs = []
    if students is None:
        logs.append(run_converter(GenerateFeedback, root, quiz, cfg=cfg, force=True))
    else:
        for student in wanted:
            logs.append(
                run_converter(GenerateFeedback, root, quiz, cfg=cfg, force=True, student=student)
            )
    files = tuple(sorted(p for s in wanted for p in (root / "feedback" / s / quiz).glob("*.html")))
    return Feedback(quiz, files, "".join(logs), _unmarked(root, quiz, wanted))


def _unmarked(
    root: Path, quiz: str, students: Sequence[str]
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The students (of ``students``) with written answers not marked yet, and those items."""
    from homs.grading.course.gradebook import gradebook, quiz_grades

    with gradebook(root) as gb:
        grades = quiz_grades(gb, quiz)
    found = []
    for sid in students:
        mine = grades.student(sid)
        items = tuple(c.name for c in grades.unmarked(mine)) if mine is not None else ()
        if items:
            found.append((sid, items))
    return tuple(found)


def _name(step: object) -> str:
    """The class name of a preprocessor given as a class or an import string."""
    return step.rsplit(".", 1)[-1] if isinstance(step, str) else getattr(step, "__name__", "")


def _accessible_page(cfg: Config) -> None:
    """Configures nbconvert to write the page with homs's template and code style, unless the
    course configures its own."""
    import nbgrader

    exporter = cfg.HTMLExporter
    if "template_name" not in exporter:
        exporter.template_name = TEMPLATE
        # Its own file name, so that it can extend nbgrader's index.html.j2.
        exporter.template_file = f"{TEMPLATE}.html.j2"
        stock = Path(nbgrader.__file__).parent / "server_extensions" / "formgrader" / "templates"
        ours = Path(str(resources.files("homs") / "templates" / "grading" / "nbconvert"))
        exporter.extra_template_basedirs = [
            *exporter.get("extra_template_basedirs", []),
            str(ours),
            str(stock),
        ]
    if "style" not in cfg.CSSHTMLHeaderPreprocessor:
        cfg.CSSHTMLHeaderPreprocessor.style = code_style()


def _luminance(color: str) -> float:
    channels = [int(color[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(foreground: str, background: str) -> float:
    """The WCAG contrast ratio of two ``#rrggbb`` colours (1 to 21)."""
    light, dark = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _readable(color: str) -> str:
    """``color`` (``#rgb`` or ``#rrggbb``), darkened step by step until it reaches
    :data:`_CODE_CONTRAST` against :data:`_CODE_BACKGROUND`; unchanged if it already does."""
    if len(color) == 4:
        color = "#" + "".join(c * 2 for c in color[1:])
    color = color.lower()
    rgb = [int(color[i : i + 2], 16) for i in (1, 3, 5)]
    while contrast(color, _CODE_BACKGROUND) < _CODE_CONTRAST:
        rgb = [round(c * 0.94) for c in rgb]
        color = "#" + "".join(f"{c:02x}" for c in rgb)
    return color


_FOREGROUND = re.compile(r"(?<![:\w])#[0-9a-fA-F]{3}(?:[0-9a-fA-F]{3})?\b")


@cache
def code_style() -> type:
    """Pygments' ``default`` style with every text colour darkened, where needed, to reach
    4.5:1 against the feedback page's code background (its comments, ``#3D7B7B``, reach 4.4:1;
    its operator words, ``#AA22FF``, 4.1:1). Backgrounds and borders are left as they are."""
    from pygments.styles.default import DefaultStyle

    styles = {
        token: _FOREGROUND.sub(lambda m: _readable(m.group(0)), rule)
        for token, rule in DefaultStyle.styles.items()
    }
    return type("HomsFeedbackCodeStyle", (DefaultStyle,), {"styles": styles})
