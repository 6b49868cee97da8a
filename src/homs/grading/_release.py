"""``homs release``: the students' copy of a quiz, made by nbgrader's generate_assignment."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from homs.grading import _course
from homs.grading._answers import GradingError

__all__ = ["Release", "release"]


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


def release(quiz: str, *, course: str | Path = "quizzes", force: bool = False) -> Release:
    """Makes the students' copy of a quiz with nbgrader's ``generate_assignment``.

    The copy, ``release/<quiz>/<quiz>.ipynb``, has the answers replaced by ``...`` and no hidden
    tests or mark schemes; the quiz and its cells are recorded in the gradebook.

    Args:
        quiz: The quiz id, the folder name under ``source/``.
        course: The nbgrader course root.
        force: Release again even if the release is newer than the source.

    Raises:
        GradingError: No such course or quiz, or nbgrader failed (its log is in the message).
    """
    from nbgrader.converters import GenerateAssignment

    root = _course.course_root(course)
    source = root / "source" / quiz
    if not any(source.glob("*.ipynb")):
        found = sorted(p.name for p in (root / "source").glob("*") if p.is_dir())
        raise GradingError(
            f"{source}: no source notebook for quiz {quiz!r} (quizzes in this "
            f"course: {', '.join(found) or 'none'})."
        )
    warnings = _stale_warnings(root, quiz)
    log = _course.run_converter(GenerateAssignment, root, quiz, force=force, student=".")
    skipped = "Skipping existing assignment" in log
    notebooks = tuple(sorted((root / "release" / quiz).glob("*.ipynb")))
    return Release(quiz, notebooks, skipped, tuple(warnings), log)


def _stale_warnings(root: Path, quiz: str) -> list[str]:
    """A warning if a packaged quiz's source notebook differs from what its spec builds."""
    from homs.grading import stale
    from homs.grading._spec import quiz_names

    if quiz not in quiz_names():
        return []
    if stale(root, names=(quiz,)):
        return [
            f"source/{quiz}/{quiz}.ipynb differs from what its spec and the knowledge base "
            "build (released as it is). If that is not on purpose, run "
            f"`python -m homs.grading build --course {root}` and release again with --force."
        ]
    return []
