"""The ``homs`` command: a thin layer over the package API.

Each sub-command calls one function and prints its result; the logic and the defaults live in
the API, so the tests call the API.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from homs.errors import DataError

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

    try:
        report = grading.practice(args.notebook, quiz=args.quiz)
    except grading.GradingError as err:
        print(f"homs practice: {err}", file=sys.stderr)
        return 1
    print(report.format())
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
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Runs the ``homs`` command; returns its exit status."""
    args = _parser().parse_args(argv)
    func: Callable[[argparse.Namespace], int] = args.func
    try:
        return func(args)
    except DataError as err:
        print(f"homs: {err}", file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
