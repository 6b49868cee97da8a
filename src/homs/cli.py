"""The ``homs`` command: a thin layer over the package API.

Each sub-command calls one function and prints its result; the logic and the defaults live in
the API, so the tests call the API.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from typing import Any

from homs._text import plural
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
    from homs import knowledge, maps

    problems = [*knowledge.check(), *maps.check()]
    if not problems:  # the item banks read the knowledge base and the catalog
        from homs.grading.authoring.banks import check_pools
        from homs.grading.authoring.spec import load_quiz, quiz_names

        problems = [p for name in quiz_names() for p in check_pools(load_quiz(name))]
    if problems:
        print(f"homs check: {plural(len(problems), 'problem')}", file=sys.stderr)
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

    if (args.notebook is None) == (args.new is None):
        raise GradingError(
            "give a finished notebook to mark (homs practice timeline-practice-1.ipynb) or "
            "--new QUIZ for a fresh one (homs practice --new timeline), not both."
        )
    if args.new is not None:
        from homs.grading.authoring.spec import load_quiz
        from homs.grading.reports.selfstudy import new_practice

        made = new_practice(load_quiz(args.new, args.specs), folder=args.dir)
        print(made.format())
        return 0
    report = grading.practice(
        args.notebook, quiz=args.quiz, specs=args.specs, history=not args.no_history
    )
    print(report.format())
    return 0


def _api_default(func: Callable[..., object], option: str) -> Any:
    """The default of an API function's keyword option: the CLI takes its defaults from the API."""
    import inspect

    return inspect.signature(func).parameters[option].default


def _course_option(p: argparse.ArgumentParser, func: Callable[..., object]) -> None:
    default = _api_default(func, "course")
    p.add_argument(
        "--course", default=default, help=f"the nbgrader course root (default: {default})"
    )


def _specs_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--specs",
        default=None,
        help="a folder of quiz specs, e.g. a teacher's private ones (default: the course's "
        "c.Homs.specs in nbgrader_config.py, else the packaged quizzes)",
    )


def _build(args: argparse.Namespace) -> int:
    from homs import grading

    names = tuple(args.quizzes) or None
    if args.check:
        out_of_date = grading.stale(args.course, names=names, specs=args.specs)
        for path in out_of_date:
            print(f"out of date: {path}  (run: homs build)")
        return 1 if out_of_date else 0
    written = grading.build(args.course, names=names, specs=args.specs)
    for path in written:
        print(f"wrote {path}")
    if not written:
        print(f"homs build: every source notebook in {args.course}/source is up to date.")
    return 0


def _release(args: argparse.Namespace) -> int:
    from homs import grading

    done = grading.release(
        args.quiz, course=args.course, force=args.force, specs=args.specs, due=args.due
    )
    print(done.format())
    return 0


def _feedback(args: argparse.Namespace) -> int:
    from homs import grading

    done = grading.feedback(
        args.quiz, course=args.course, students=args.student or None, specs=args.specs
    )
    print(done.format())
    return 0


def _report(args: argparse.Namespace) -> int:
    from homs import grading

    done = grading.report(args.quiz, course=args.course, out=args.out, specs=args.specs)
    print(done.summary())
    return 0


def _review(args: argparse.Namespace) -> int:
    from homs.grading.reports.review import review

    done = review(course=args.course, lessons=args.lessons, out=args.out, specs=args.specs)
    print(done.format())
    return 0


def _export(args: argparse.Namespace) -> int:
    from homs import grading

    done = grading.export(quizzes=args.quizzes or None, course=args.course, out=args.out)
    print(done.format())
    return 0


def _roster(args: argparse.Namespace) -> int:
    from homs.grading.course.roster import roster

    print(roster(args.file, course=args.course).format())
    return 0


def _autograde(args: argparse.Namespace) -> int:
    from homs import grading

    summary = grading.autograde(
        args.quiz,
        course=args.course,
        workers=args.workers,
        force=args.force,
        students=args.student or None,
        specs=args.specs,
        execute=True if args.execute else None,
        progress=not args.quiet,
    )
    print(summary.table())
    return 0


def _lessons(args: argparse.Namespace) -> int:
    from homs import book

    try:
        print(book.copy_lessons(args.folder, force=args.force, keep=args.keep).format())
    except book.BookError as err:
        print(f"homs lessons: {err}", file=sys.stderr)
        return 1
    return 0


def _lab(args: argparse.Namespace) -> int:
    from homs import book

    try:
        return book.open_lab(
            args.folder,
            notebook=args.open,
            port=args.port,
            token=args.token,
            browser=not args.no_browser,
        )
    except book.BookError as err:
        print(f"homs lab: {err}", file=sys.stderr)
        return 1


def _course(args: argparse.Namespace) -> int:
    from homs import book

    try:
        print(book.new_course(args.folder, specs=args.specs).format())
    except book.BookError as err:
        print(f"homs course: {err}", file=sys.stderr)
        return 1
    return 0


def _book(args: argparse.Namespace) -> int:
    try:
        from homs import book

        print(book.build(args.out, jobs=args.jobs).format())
    except ModuleNotFoundError as err:
        print(
            f"homs book: {err.name} is not installed; install the book's tools with "
            "pip install 'homs[book]'",
            file=sys.stderr,
        )
        return 1
    except book.BookError as err:
        print(f"homs book: {err}", file=sys.stderr)
        return 1
    return 0


def _module_commands(sub: Any) -> None:
    """``homs lessons``, ``homs lab``, ``homs course`` and ``homs book`` (:mod:`homs.book`)."""
    p = sub.add_parser(
        "lessons",
        help="copy the six lessons and their guides into a folder (never over your changes)",
    )
    p.add_argument("folder", help="the folder to copy them into (made if missing)")
    p.add_argument(
        "--force",
        action="store_true",
        help="replace lessons you have changed with fresh copies (your changes are lost)",
    )
    p.add_argument(
        "--keep",
        action="store_true",
        help="copy the lessons you have not changed and keep those you have (what homs lab does)",
    )
    p.set_defaults(func=_lessons)
    p = sub.add_parser(
        "lab",
        help="open JupyterLab on a folder of lessons (copying in any lesson missing, never over "
        "your changes); prints the address of the lessons' index",
        description="Copies into FOLDER any lesson missing there (a lesson you have changed is "
        "kept), then starts JupyterLab on 127.0.0.1 with FOLDER as its root, on the lessons' "
        "index, and prints the index's address with its token. Each run starts with a fresh "
        "workspace; the widgets' state is saved in the notebooks, so a lesson reopened later "
        "shows its self-checks and excerpts. Ctrl-C stops it.",
    )
    p.add_argument("folder", help="the folder of lessons (made if missing)")
    p.add_argument("--open", help="the file to open (default: the lessons' index, README.md)")
    p.add_argument("--port", type=int, default=None, help="the server's port")
    p.add_argument("--token", default=None, help="the server's token (default: a random one)")
    p.add_argument("--no-browser", action="store_true", help="do not open a web browser")
    p.set_defaults(func=_lab)
    p = sub.add_parser(
        "course", help="make a fresh nbgrader course in a new folder, ready for homs release"
    )
    p.add_argument("folder", help="the new course folder")
    p.add_argument(
        "--specs",
        default=None,
        help="a folder of your own quiz specs: copied into the course as specs/, set as "
        "c.Homs.specs, and the quizzes built from it (default: the three packaged quizzes)",
    )
    p.set_defaults(func=_course)
    p = sub.add_parser(
        "book",
        help="build the static course book: the lessons run, the texts and practice quizzes, "
        "offline (needs homs[book])",
    )
    p.add_argument("--out", default="build/book", help="the site's folder (default: %(default)s)")
    p.add_argument("--jobs", type=int, default=2, help="lessons run at a time (default: 2)")
    p.set_defaults(func=_book)


def _parser() -> argparse.ArgumentParser:
    from homs import grading

    parser = argparse.ArgumentParser(
        prog="homs",
        description="Lessons and quizzes on three news texts about Homs, Syria.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    p = sub.add_parser("sources", help="list the three sources with their catalog data")
    p.add_argument("--sentences", action="store_true", help="also print every sentence with its id")
    p.add_argument("--raw", action="store_true", help="with --sentences: print the stored tokens")
    p.set_defaults(func=_sources)
    p = sub.add_parser(
        "check", help="validate the seeds, the knowledge base and the quizzes' item banks"
    )
    p.set_defaults(func=_check)
    p = sub.add_parser(
        "practice",
        help="mark a finished quiz notebook against the key, or make a fresh one (--new QUIZ)",
    )
    p.add_argument("notebook", nargs="?", help="the quiz notebook, e.g. timeline.ipynb")
    p.add_argument(
        "--new",
        metavar="QUIZ",
        help="write a new practice notebook of QUIZ, its banked questions drawn afresh",
    )
    p.add_argument("--dir", default=".", help="with --new: the folder to write it to (default: .)")
    p.add_argument(
        "--no-history",
        action="store_true",
        help="do not add the marks to homs-practice.json beside the notebook",
    )
    p.add_argument("--quiz", help="the quiz it is (default: from the notebook)")
    p.add_argument(
        "--specs",
        default=None,
        help="the folder of quiz specs it comes from (default: the packaged quizzes)",
    )
    p.set_defaults(func=_practice)
    p = sub.add_parser(
        "build",
        help="write the quizzes' nbgrader source notebooks (source/<quiz>/<quiz>.ipynb) from "
        "their specs and the knowledge base",
    )
    p.add_argument("quizzes", nargs="*", metavar="QUIZ", help="the quizzes to build (default: all)")
    _course_option(p, grading.build)
    _specs_option(p)
    p.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 and list the notebooks that are out of date",
    )
    p.set_defaults(func=_build)
    p = sub.add_parser(
        "release", help="make the students' copy of a quiz (nbgrader generate_assignment)"
    )
    p.add_argument("quiz", help="the quiz, e.g. timeline")
    _course_option(p, grading.release)
    _specs_option(p)
    p.add_argument(
        "--force", action="store_true", help="release again even if the release is up to date"
    )
    p.add_argument(
        "--due",
        default=None,
        help='the due date, e.g. "2025-03-07 17:00 Europe/Berlin" (UTC without a zone): '
        "late hand-ins are then shown, with how late",
    )
    p.set_defaults(func=_release)
    p = sub.add_parser(
        "autograde", help="grade a quiz's submissions: parallel, sandboxed, resumable"
    )
    p.add_argument("quiz", help='the quiz, e.g. timeline ("*" for every quiz)')
    _course_option(p, grading.autograde)
    _specs_option(p)
    p.add_argument(
        "--workers",
        type=int,
        default=_api_default(grading.autograde, "workers"),
        help="parallel workers (default: c.Homs.workers, else one per core)",
    )
    p.add_argument("--force", action="store_true", help="re-grade unchanged submissions too")
    p.add_argument(
        "--execute",
        action="store_true",
        help="run every hand-in in a sandboxed kernel, so the graded notebooks keep the "
        "students' own outputs (default: a kernel only where an item needs one; "
        "c.Homs.execute_all)",
    )
    p.add_argument("--student", action="append", help="only this student (repeatable)")
    p.add_argument("--quiet", action="store_true", help="no progress bar, only the table")
    p.set_defaults(func=_autograde)
    p = sub.add_parser(
        "feedback", help="write each student's HTML feedback, explaining what they missed"
    )
    p.add_argument("quiz", help="the quiz, e.g. timeline")
    _course_option(p, grading.feedback)
    _specs_option(p)
    p.add_argument("--student", action="append", help="only this student (repeatable)")
    p.set_defaults(func=_feedback)
    p = sub.add_parser(
        "report", help="a class report on a graded quiz: HTML with charts, and a summary here"
    )
    p.add_argument("quiz", help="the quiz, e.g. timeline")
    _course_option(p, grading.report)
    _specs_option(p)
    p.add_argument(
        "--out",
        default=_api_default(grading.report, "out"),
        help="folder for the report (default: COURSE/reports/QUIZ)",
    )
    p.set_defaults(func=_report)
    from homs.grading.reports.review import review

    p = sub.add_parser(
        "review",
        help="the answer-key review sheet: every autograded item and self-check with its "
        "accepted answers, explanation and sentences (HTML)",
    )
    _course_option(p, review)
    _specs_option(p)
    p.add_argument(
        "--lessons",
        default=_api_default(review, "lessons"),
        help="the folder of lesson notebooks (default: %(default)s)",
    )
    p.add_argument(
        "--out",
        default=_api_default(review, "out"),
        help="the HTML file (default: COURSE/reports/answer-key-review.html)",
    )
    p.set_defaults(func=_review)
    p = sub.add_parser(
        "export",
        help="the grades as CSV: a row per student, a column per item and each quiz's total",
    )
    p.add_argument(
        "quizzes",
        nargs="*",
        metavar="QUIZ",
        help="the quizzes to export, in column order (default: all)",
    )
    _course_option(p, grading.export)
    p.add_argument(
        "--out",
        default=_api_default(grading.export, "out"),
        help="the CSV file (default: COURSE/exports/grades.csv, or QUIZ.csv for one quiz)",
    )
    p.set_defaults(func=_export)
    from homs.grading.course.roster import roster

    p = sub.add_parser(
        "roster",
        help="import the class list (CSV: id, names, email) into the gradebook, so students "
        "who did not hand in are listed",
    )
    p.add_argument("file", help="the roster CSV file, e.g. as a learning platform exports it")
    _course_option(p, roster)
    p.set_defaults(func=_roster)
    _module_commands(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Runs the ``homs`` command; returns its exit status."""
    args = _parser().parse_args(argv)
    func: Callable[[argparse.Namespace], int] = args.func
    try:
        status = func(args)
        sys.stdout.flush()  # a closed pipe shows here, not in the interpreter's exit
        return status
    except BrokenPipeError:
        # The reader went away (``homs sources --sentences | head``): stop quietly, as Unix
        # tools do, and keep Python from complaining when it flushes stdout at exit.
        import os

        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
        return 141  # what a shell reports for a command stopped by SIGPIPE (128 + 13)
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
