"""The ``homs`` command: a thin layer over the package API.

Each sub-command calls one function and prints its result; the logic and the defaults live in
the API, so the tests call the API.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from typing import Any

from homs.errors import DataError, GradingError

__all__ = ["main"]


def _sources(args: argparse.Namespace) -> int:
    from homs import sources

    for source in sources.load().values():
        c = source.catalog
        print(f"Source {source.id}: {source.title}")
        print(f"  file:        seeds/{c['file']}  (sha256 {c['sha256'][:12]}…)")
        for key in ("outlet", "genre", "audience", "tokenization"):
            print(f"  {key + ':':<12} {c[key]['value']}  [{c[key]['basis']}]")
        p = c["published"]
        likely = f", most likely {p['most_likely']}" if p.get("most_likely") else ""
        print(f"  {'published:':<12} {p['date']} ({p['precision']}{likely})  [{p['basis']}]")
        print(f"  {'sentences:':<12} {source.id}-1 to {source.id}-{len(source.sentences)}")
        if args.sentences:
            for s in source.sentences:
                mark = " (heading)" if s.heading else ""
                print(f"    {s.id:>5}{mark}  {s.raw_text if args.raw else s.text}")
        print()
    return 0


def _check(args: argparse.Namespace) -> int:
    from homs import knowledge

    problems = knowledge.check()
    if problems:
        print(f"homs check: {len(problems)} problem(s)", file=sys.stderr)
        for p in problems:
            print(f"  {p}", file=sys.stderr)
        return 1
    kb = knowledge.load()
    print(
        "homs check: all good: 3 sources, "
        f"{len(kb.events)} events, {len(kb.discrepancies)} discrepancies, {len(kb.voices)} voices, "
        f"{len(kb.terms)} glossary terms, {len(kb.annotations)} annotations, "
        f"{len(kb.citations())} quotes found verbatim"
    )
    return 0


def _practice(args: argparse.Namespace) -> int:
    from homs import grading

    report = grading.practice(args.notebook, quiz=args.quiz)
    print(report.format())
    return 0


def _api_default(func: Callable[..., object], option: str) -> Any:
    """The default of an API function's keyword option: the CLI takes its defaults from the API."""
    import inspect

    return inspect.signature(func).parameters[option].default


def _course_option(p: argparse.ArgumentParser, func: Callable[..., object]) -> None:
    default = _api_default(func, "course")
    p.add_argument("--course", default=default,
                   help=f"the nbgrader course root (default: {default})")


def _release(args: argparse.Namespace) -> int:
    from homs import grading

    done = grading.release(args.quiz, course=args.course, force=args.force)
    print(done.format())
    return 0


def _feedback(args: argparse.Namespace) -> int:
    from homs import grading

    done = grading.feedback(args.quiz, course=args.course, students=args.student or None)
    print(done.format())
    return 0


def _report(args: argparse.Namespace) -> int:
    from homs import grading

    done = grading.report(args.quiz, course=args.course, out=args.out)
    print(done.summary())
    return 0


def _export(args: argparse.Namespace) -> int:
    from homs import grading

    done = grading.export(quizzes=args.quizzes or None, course=args.course, out=args.out)
    print(done.format())
    return 0


def _autograde(args: argparse.Namespace) -> int:
    from homs import grading

    summary = grading.autograde(
        args.quiz, course=args.course, workers=args.workers, force=args.force,
        students=args.student or None, progress=not args.quiet,
    )
    print(summary.table())
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="homs",
        description="Lessons and quizzes on three news texts about Homs, Syria.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    p = sub.add_parser("sources", help="list the three sources with their catalog data")
    p.add_argument("--sentences", action="store_true", help="also print every sentence with its id")
    p.add_argument("--raw", action="store_true", help="with --sentences: print the stored tokens")
    p.set_defaults(func=_sources)
    p = sub.add_parser("check", help="validate the seeds and the knowledge base")
    p.set_defaults(func=_check)
    p = sub.add_parser("practice", help="mark a finished quiz notebook against the key")
    p.add_argument("notebook", help="the quiz notebook, e.g. timeline.ipynb")
    p.add_argument("--quiz", help="the quiz it is (default: from the notebook)")
    p.set_defaults(func=_practice)
    from homs import grading

    p = sub.add_parser("release", help="make the students' copy of a quiz (nbgrader "
                       "generate_assignment)")
    p.add_argument("quiz", help="the quiz, e.g. timeline")
    _course_option(p, grading.release)
    p.add_argument("--force", action="store_true",
                   help="release again even if the release is up to date")
    p.set_defaults(func=_release)
    p = sub.add_parser(
        "autograde", help="grade a quiz's submissions: parallel, sandboxed, resumable"
    )
    p.add_argument("quiz", help="the quiz, e.g. timeline")
    p.add_argument("--course", default="quizzes", help="the course root (default: quizzes)")
    p.add_argument("--workers", type=int, default=None, help="parallel workers (default: cores)")
    p.add_argument("--force", action="store_true", help="re-grade unchanged submissions too")
    p.add_argument("--student", action="append", help="only this student (repeatable)")
    p.add_argument("--quiet", action="store_true", help="no progress bar, only the table")
    p.set_defaults(func=_autograde)
    p = sub.add_parser("feedback", help="write each student's HTML feedback, explaining what "
                       "they missed")
    p.add_argument("quiz", help="the quiz, e.g. timeline")
    _course_option(p, grading.feedback)
    p.add_argument("--student", action="append", help="only this student (repeatable)")
    p.set_defaults(func=_feedback)
    p = sub.add_parser("report", help="a class report on a graded quiz: HTML with charts, and "
                       "a summary here")
    p.add_argument("quiz", help="the quiz, e.g. timeline")
    _course_option(p, grading.report)
    p.add_argument("--out", default=_api_default(grading.report, "out"),
                   help="folder for the report (default: COURSE/reports/QUIZ)")
    p.set_defaults(func=_report)
    p = sub.add_parser("export", help="the grades as CSV: a row per student, a column per item "
                       "and each quiz's total")
    p.add_argument("quizzes", nargs="*", metavar="QUIZ",
                   help="the quizzes to export, in column order (default: all)")
    _course_option(p, grading.export)
    p.add_argument("--out", default=_api_default(grading.export, "out"),
                   help="the CSV file (default: COURSE/exports/grades.csv, or QUIZ.csv for one "
                   "quiz)")
    p.set_defaults(func=_export)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Runs the ``homs`` command; returns its exit status."""
    args = _parser().parse_args(argv)
    func: Callable[[argparse.Namespace], int] = args.func
    try:
        return func(args)
    except (DataError, GradingError) as err:
        print(f"homs {args.command}: {err}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"homs {args.command}: interrupted.{_RESUME.get(args.command, '')}", file=sys.stderr)
        return 130


#: What an interrupted command leaves, and how to go on.
_RESUME = {
    "autograde": (
        " Every grade recorded before that is kept; run the same command again to grade the "
        "rest (submissions already graded and unchanged are skipped)."
    ),
}


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
