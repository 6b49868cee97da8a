"""Errors that name the file, the item and what to do next."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = ["DataError", "GradingError", "Problem"]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a data file: where, which entry, what, and how to fix it."""

    file: str
    item: str
    problem: str
    fix: str = ""

    def __str__(self) -> str:
        text = f"{self.file}: {self.item}: {self.problem}"
        return f"{text}. {self.fix}" if self.fix else text

    @classmethod
    def at(cls, file: str | Path, item: str, problem: str, fix: str = "") -> Problem:
        """Builds a problem, showing ``file`` relative to the working directory when it can."""
        path = Path(file)
        try:
            shown = str(path.resolve().relative_to(Path.cwd()))
        except ValueError:
            shown = str(path)
        return cls(shown, item, problem, fix)


class DataError(ValueError):
    """Raised when seeds or knowledge-base files are missing, altered or malformed.

    ``problems`` lists every problem found, not only the first.
    """

    def __init__(self, problems: list[Problem] | Problem) -> None:
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        lines = [str(p) for p in self.problems]
        head = lines[0] if len(lines) == 1 else f"{len(lines)} problems:\n  " + "\n  ".join(lines)
        super().__init__(head)


class GradingError(ValueError):
    """A course, quiz or notebook that cannot be graded as asked; the message says what to do."""
