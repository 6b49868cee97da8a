"""``homs build`` and ``homs release``: the course's source notebooks, and the students' copy.

:func:`build` writes ``source/<quiz>/<quiz>.ipynb`` from the quiz's spec (the course's own spec
folder, ``c.Homs.specs``, or the packaged specs); :func:`release` makes the students' copy with
nbgrader's ``generate_assignment``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from homs.errors import GradingError
from homs.grading.authoring.build import stale_notebooks, write_notebooks
from homs.grading.authoring.spec import quiz_names
from homs.grading.course.config import (
    DEFAULT_COURSE,
    course_root,
    run_converter,
    settings,
    specs_for,
)

__all__ = ["Release", "build", "release", "stale"]


def _specs(course: str | Path, specs: str | Path | None) -> tuple[Path, Path | None]:
    """The course folder, checked, and the spec folder to build from."""
    root = course_root(course)
    return root, specs_for(root, specs)


def stale(
    course: str | Path = DEFAULT_COURSE,
    *,
    names: Sequence[str] | None = None,
    specs: str | Path | None = None,
) -> list[Path]:
    """The course's source notebooks that differ from what :func:`build` would write.

    Args:
        course: The nbgrader course root.
        names: The quizzes to look at; all of the spec folder's by default.
        specs: The folder of quiz specs (``c.Homs.specs``; the packaged specs by default).
    """
    root, folder = _specs(course, specs)
    return stale_notebooks(root, names, folder, settings(root).variants)


def build(
    course: str | Path = DEFAULT_COURSE,
    *,
    names: Sequence[str] | None = None,
    specs: str | Path | None = None,
) -> list[Path]:
    """Writes the source notebook of each quiz into a course, from its spec and the KB.

    Args:
        course: The nbgrader course root.
        names: The quizzes to build; all of the spec folder's by default.
        specs: The folder of quiz specs (``c.Homs.specs``; the packaged specs by default).

    Returns:
        The notebooks written (only those whose text changed).

    Raises:
        DataError: A spec has problems (each is listed, with the fix).
    """
    root, folder = _specs(course, specs)
    return write_notebooks(root, names, folder, settings(root).variants)


@dataclass(frozen=True)
class Release:
    """What :func:`release` did.

    Attributes:
        quiz: The quiz.
        notebooks: The released notebooks, ``release/<quiz>/<notebook>.ipynb``.
        skipped: True when nbgrader left an up-to-date release alone (use ``force`` to redo it).
        warnings: Things the teacher should know, such as a source notebook older than its spec.
        log: nbgrader's log.
    """

    quiz: str
    notebooks: tuple[Path, ...]
    skipped: bool
    warnings: tuple[str, ...]
    log: str

    def format(self) -> str:
        """A short text for the terminal."""
        lines = [f"homs release: {w}" for w in self.warnings]
        if self.skipped:
            lines.append(
                f"homs release: {self.quiz} was already released and its source has "
                "not changed; nothing done (--force to release it again)."
            )
        for path in self.notebooks:
            lines.append(f"homs release: {self.quiz}: {path}")
        return "\n".join(lines)


def release(
    quiz: str,
    *,
    course: str | Path = DEFAULT_COURSE,
    force: bool = False,
    specs: str | Path | None = None,
    due: str | None = None,
) -> Release:
    """Makes the students' copy of a quiz with nbgrader's ``generate_assignment``.

    The copy, ``release/<quiz>/<quiz>.ipynb``, has the answers replaced by ``...`` and no hidden
    tests or mark schemes; the quiz and its cells are recorded in the gradebook.

    Args:
        quiz: The quiz id, the folder name under ``source/``.
        course: The nbgrader course root.
        force: Release again even if the release is newer than the source.
        specs: The folder of quiz specs the course's quizzes are built from
            (``c.Homs.specs``; the packaged specs by default), to warn when the source notebook
            is not what its spec builds.
        due: The due date, e.g. ``"2025-03-07 17:00"`` (with an offset or zone name such as
            ``"2025-03-07 17:00 Europe/Berlin"``; UTC without one), recorded in the gradebook as
            nbgrader's own due date (the formgrader's Manage Assignments edits it too). The
            autograde summary, the report and the export then say who handed in late, and how
            late.

    Raises:
        GradingError: No such course or quiz, a due date that is not one, or nbgrader failed
            (its log is in the message).
    """
    from nbgrader.converters import GenerateAssignment

    root = course_root(course)
    source = root / "source" / quiz
    if not any(source.glob("*.ipynb")):
        found = sorted(p.name for p in (root / "source").glob("*") if p.is_dir())
        raise GradingError(
            f"{source}: no source notebook for quiz {quiz!r} (quizzes in this "
            f"course: {', '.join(found) or 'none'})."
        )
    warnings = _stale_warnings(root, quiz, specs_for(root, specs))
    log = run_converter(GenerateAssignment, root, quiz, force=force, student=".")
    skipped = "Skipping existing assignment" in log
    if not skipped and quiz in settings(root).variants:
        from homs.grading.authoring.spec import load_quiz
        from homs.grading.course.variants import fill_release

        warnings += fill_release(root, load_quiz(quiz, specs_for(root, specs)))
    if due is not None:
        _set_due(root, quiz, due)
    notebooks = tuple(sorted((root / "release" / quiz).glob("*.ipynb")))
    return Release(quiz, notebooks, skipped, tuple(warnings), log)


def _set_due(root: Path, quiz: str, due: str) -> None:
    """Records the quiz's due date in the gradebook, as ``nbgrader db assignment add --duedate``."""
    from nbgrader.api import Gradebook
    from nbgrader.utils import parse_utc

    from homs.grading.course.config import course_dir

    try:
        when = parse_utc(due)
    except (ValueError, OverflowError, TypeError):
        raise GradingError(
            f"--due {due!r}: not a date. Write it as 2025-03-07 17:00 (UTC), or with a zone: "
            "2025-03-07 17:00 Europe/Berlin."
        ) from None
    with Gradebook(course_dir(root).db_url) as gb:
        gb.update_or_create_assignment(quiz, duedate=when)


def _stale_warnings(root: Path, quiz: str, specs: Path | None) -> list[str]:
    """A warning if the quiz's source notebook differs from what its spec builds."""
    if quiz not in quiz_names(specs):
        return []
    if stale_notebooks(root, (quiz,), specs, settings(root).variants):
        option = f" --specs {specs}" if specs else ""
        return [
            f"source/{quiz}/{quiz}.ipynb differs from what its spec and the knowledge base "
            "build (released as it is). If that is not on purpose, run "
            f"`homs build --course {root}{option}` and release again with --force."
        ]
    return []
