"""``python -m homs.grading build [--check] [--course DIR] [--specs DIR] [QUIZ ...]``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from homs.errors import DataError

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Builds (or, with ``--check``, checks) the quiz source notebooks; returns the exit status."""
    from homs import grading

    parser = argparse.ArgumentParser(
        prog="python -m homs.grading",
        description="Build the nbgrader source notebooks of the quizzes from their specs and the "
        "knowledge base.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    p = sub.add_parser("build", help="write quizzes/source/<quiz>/<quiz>.ipynb")
    p.add_argument("quizzes", nargs="*", metavar="QUIZ",
                   help=f"quizzes to build (default: all of {', '.join(grading.quiz_names())})")
    p.add_argument("--course", type=Path, default=Path("quizzes"),
                   help="the nbgrader course root (default: ./quizzes)")
    p.add_argument("--specs", type=Path, default=None,
                   help="a folder of quiz specs, e.g. a teacher's private ones (default: the "
                   "packaged specs)")
    p.add_argument("--check", action="store_true",
                   help="write nothing; exit 1 and list the notebooks that are out of date")
    args = parser.parse_args(argv)
    names = tuple(args.quizzes) or None
    try:
        if not (args.course / "nbgrader_config.py").is_file():
            print(f"{args.course}: not an nbgrader course (no nbgrader_config.py); "
                  "pass --course DIR", file=sys.stderr)
            return 2
        if args.check:
            out_of_date = grading.stale(args.course, names=names, specs=args.specs)
            for path in out_of_date:
                print(f"out of date: {path}  (run: python -m homs.grading build)")
            return 1 if out_of_date else 0
        for path in grading.build(args.course, names=names, specs=args.specs):
            print(f"wrote {path}")
    except DataError as err:
        print(f"homs.grading: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
