"""Benchmark: ``homs autograde`` against stock ``nbgrader autograde`` on one synthetic class.

Run it with ``make bench`` (or ``.venv/bin/python benchmarks/run.py --students 100``). It is not
part of the test suite.

1. Makes a course in a temporary folder from the repository's ``quizzes/`` and releases every
   quiz with stock ``nbgrader generate_assignment``.
2. Builds a synthetic class of N submissions (student ``s001`` takes the first quiz, ``s002`` the
   second, ...) from the released notebooks, with a seeded, realistic mix of answers: all right,
   partly right (a swapped pair in an order, one wrong row in a match), wrong values, wrong types
   (a string for a number, a tuple for a list, a date in words) and blanks, plus a few students
   who hand in a blank notebook or a perfect one. Written answers get a sample answer.
3. Copies that course three times and grades one copy with stock ``nbgrader autograde`` (a
   subprocess, ``.venv/bin`` first on PATH), one with ``homs.grading.autograde`` as it runs by
   default (no kernel: every item is decided from the answers read as data) and one with
   ``execute=True`` (every hand-in run in the sandbox), one after the other.
4. Checks that both gradebooks hold the same automatic score for every student and item; any
   difference is printed and the exit status is 1.
5. Prints submissions per second for each, the ratio, and whether the sandbox was on.

Answers computed by code (``answer = 2010 + 2``) are left out of the mix on purpose: the kernel
gives them marks and ``homs autograde`` does not (it reads answers as data), so the scores would
differ by design.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
COURSE = ROOT / "quizzes"
BIN = Path(sys.executable).parent

Scores = dict[tuple[str, str, str], float | None]


# -- the synthetic class -------------------------------------------------------------------


def _env() -> dict[str, str]:
    return {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}


def _nbgrader(course: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / "nbgrader"), *args],
        cwd=course,
        env=_env(),
        capture_output=True,
        text=True,
        check=False,
    )


def _fail(what: str, done: subprocess.CompletedProcess[str]) -> None:
    print(
        f"benchmark: {what} failed (exit {done.returncode}):\n{done.stderr[-4000:]}",
        file=sys.stderr,
    )
    sys.exit(2)


def _lit(value: Any) -> str:
    from homs.grading import literal

    return literal(value)


def _answer(item: Any, mode: str, rng: random.Random) -> str | None:
    """The code after ``answer_x = `` for one item, or ``None`` to leave it blank."""
    form, key = item.form, item.key
    kind = form.kind
    if mode == "blank":
        return None
    if mode == "right":
        return _lit(key)
    if mode == "partly" and kind in ("order", "match"):
        wrong = list(key)
        if kind == "order":
            i = rng.randrange(len(wrong) - 1)
            wrong[i], wrong[i + 1] = wrong[i + 1], wrong[i]
        else:
            i = rng.randrange(len(wrong))
            wrong[i] = rng.choice([o for o in form.options if o != key[i]])
        return _lit(wrong)
    if mode in ("partly", "wrong"):
        if kind == "int":
            return _lit(key + rng.choice([-2, -1, 1, 1, 2]))
        if kind == "date":
            year, month, *day = key.split("-")
            if day:
                shifted = int(day[0]) + rng.choice([-1, 1])
                return _lit(f"{year}-{month}-{min(max(shifted, 1), 28):02d}")
            return _lit(f"{year}-{(int(month) % 12) + 1:02d}")
        if kind in ("choice", "sentence"):
            return _lit(rng.choice([o for o in form.options if o != key]))
        if kind == "subset":
            options = list(form.options)
            while True:
                pick = sorted(rng.sample(options, rng.randint(1, len(options))))
                if pick != sorted(key):
                    return _lit(pick)
        if kind == "order":
            wrong = list(key)
            while wrong == list(key):
                rng.shuffle(wrong)
            return _lit(wrong)
        if kind == "match":
            return _lit([rng.choice(form.options) for _ in key])
    # mode == "type": the right idea in the wrong form
    if kind == "int":
        return json.dumps(str(key))
    if kind == "date":
        return _lit(key.replace("-", "/"))
    if kind in ("choice", "sentence"):
        return f"[{_lit(key)}]"
    return "(" + ", ".join(_lit(v) for v in key) + ",)"  # a tuple, not a list


def _student_notebook(release: Mapping[str, Any], quiz: Any, rng: random.Random) -> dict[str, Any]:
    nb = copy.deepcopy(dict(release))
    profile = rng.random()
    if profile < 0.07:
        return nb  # handed in blank
    ability = 1.0 if profile > 0.93 else rng.betavariate(3, 2)
    cells = {
        c["metadata"].get("nbgrader", {}).get("grade_id"): i for i, c in enumerate(nb["cells"])
    }
    for item in quiz.items:
        if item.written:
            level = item.rubric[min(2, int((1 - ability) * 3))]
            nb["cells"][cells[item.id] + 1]["source"] = level.sample
            continue
        roll = rng.random()
        if roll < ability:
            mode = "right"
        else:
            mode = rng.choices(["partly", "wrong", "type", "blank"], [3, 4, 1, 2])[0]
        code = _answer(item, mode, rng)
        if code is not None:
            nb["cells"][cells[f"{item.id}_answer"]]["source"] = f"{item.variable} = {code}"
    return nb


#: nbgrader's own autograde steps (its default), for the stock baseline.
STOCK_AUTOGRADE = """
c.Autograde.autograde_preprocessors = [
    "nbgrader.preprocessors.Execute",
    "nbgrader.preprocessors.IgnorePattern",
    "nbconvert.preprocessors.ClearMetadataPreprocessor",
    "nbgrader.preprocessors.LimitOutput",
    "nbgrader.preprocessors.SaveAutoGrades",
    "nbgrader.preprocessors.AssignLatePenalties",
    "nbgrader.preprocessors.CheckCellMetadata",
]
"""


def build_class(folder: Path, students: int, seed: int, quizzes: tuple[str, ...]) -> Path:
    """A released course with ``students`` submissions handed in; returns the course."""
    from homs import grading

    course = folder / "template"
    course.mkdir(parents=True)
    shutil.copy(COURSE / "nbgrader_config.py", course)
    for quiz in quizzes:
        shutil.copytree(
            COURSE / "source" / quiz,
            course / "source" / quiz,
            ignore=shutil.ignore_patterns(".ipynb_checkpoints"),
        )
        done = _nbgrader(course, "generate_assignment", quiz)
        if done.returncode:
            _fail(f"nbgrader generate_assignment {quiz}", done)
    rng = random.Random(seed)
    releases = {
        q: json.loads((course / "release" / q / f"{q}.ipynb").read_text("utf-8")) for q in quizzes
    }
    specs = {q: grading.load_quiz(q) for q in quizzes}
    for n in range(students):
        quiz = quizzes[n % len(quizzes)]
        folder_ = course / "submitted" / f"s{n + 1:03d}" / quiz
        folder_.mkdir(parents=True)
        nb = _student_notebook(releases[quiz], specs[quiz], rng)
        (folder_ / f"{quiz}.ipynb").write_text(json.dumps(nb, indent=1), "utf-8")
    return course


# -- grading and comparing -----------------------------------------------------------------


def scores(course: Path, quizzes: tuple[str, ...]) -> Scores:
    """Every (quiz, student, grade_id) automatic score in a course's gradebook."""
    from nbgrader.api import Gradebook

    out: Scores = {}
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        for quiz in quizzes:
            for sub in gb.find_assignment(quiz).submissions:
                for nb in sub.notebooks:
                    for grade in nb.grades:
                        if grade.cell.type == "GradeCell" and grade.auto_score is not None:
                            out[quiz, sub.student.id, grade.cell.name] = grade.auto_score
                        elif grade.cell.type == "GradeCell":
                            out.setdefault((quiz, sub.student.id, grade.cell.name), None)
    return out


def compare(stock: Scores, homs: Scores) -> list[str]:
    """The differences, one line each."""
    lines = []
    for key in sorted(set(stock) | set(homs)):
        a, b = stock.get(key, "missing"), homs.get(key, "missing")
        if a != b:
            quiz, student, item = key
            lines.append(f"  {quiz} {student} {item}: nbgrader {a}, homs {b}")
    return lines


def _per_worker() -> int:
    from homs.grading.engine.batch import KERNELS_PER_WORKER

    return KERNELS_PER_WORKER


def _row(label: str, text: str) -> None:
    print(f"{label:<21}{text}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--students",
        type=int,
        default=100,
        help="submissions in the synthetic class (default: 100)",
    )
    parser.add_argument("--seed", type=int, default=2012, help="random seed (default: 2012)")
    parser.add_argument(
        "--workers",
        type=int,
        default=None,
        help="homs autograde workers (default: its own, the number of cores)",
    )
    parser.add_argument(
        "--quiz", action="append", dest="quizzes", help="only this quiz (repeatable; default: all)"
    )
    parser.add_argument(
        "--keep", type=Path, default=None, help="build the courses in this folder and keep them"
    )
    args = parser.parse_args(argv)
    if args.students < 1:
        parser.error("--students must be at least 1")

    from homs import grading

    quizzes = tuple(args.quizzes or grading.quiz_names())
    try:
        from homs.grading import autograde
    except ImportError:
        autograde = None

    with tempfile.TemporaryDirectory(prefix="homs-bench-") as tmp:
        work = args.keep or Path(tmp)
        if args.keep:
            work.mkdir(parents=True, exist_ok=True)
        print(
            f"benchmark: {args.students} submissions of {', '.join(quizzes)} (seed "
            f"{args.seed}), {os.cpu_count()} cores, Python {platform.python_version()}, "
            f"in {work}"
        )
        template = build_class(work, args.students, args.seed, quizzes)
        stock_course = work / "nbgrader"
        homs_course = work / "homs"
        shutil.copytree(template, stock_course)
        shutil.copytree(template, homs_course)
        # The course's config routes `nbgrader autograde` to homs's key (GradeAnswers, for the
        # formgrader's button); the baseline is stock nbgrader, which executes every notebook.
        with (stock_course / "nbgrader_config.py").open("a", encoding="utf-8") as fh:
            fh.write(STOCK_AUTOGRADE)

        _row("load average:", f"{os.getloadavg()[0]:.2f} (1 min) before grading")
        start = time.perf_counter()
        done = _nbgrader(stock_course, "autograde", "*")
        stock_seconds = time.perf_counter() - start
        if done.returncode:
            _fail("nbgrader autograde", done)
        stock_rate = args.students / stock_seconds
        _row(
            "nbgrader autograde:",
            f"{stock_seconds:7.1f} s  {stock_rate:6.2f} submissions/s "
            '(one `nbgrader autograde "*"` command)',
        )

        if autograde is None:
            _row(
                "homs autograde:",
                "not available yet (from homs.grading import autograde fails); nothing to compare",
            )
            return 0
        stock_scores = scores(stock_course, quizzes)
        failed = False
        for mode, execute in (("no kernel", False), ("full execution", True)):
            course = work / f"homs-{'kernel' if execute else 'data'}"
            shutil.copytree(template, course)
            start = time.perf_counter()
            summary = autograde("*", course=course, workers=args.workers, execute=execute)
            homs_seconds = time.perf_counter() - start
            homs_rate = args.students / homs_seconds
            how = (
                f"{summary.workers} workers, {_per_worker()} students at a time each, sandbox "
                f"{'on (bubblewrap)' if summary.isolated else 'OFF'}"
                if summary.executed
                else f"{summary.workers} workers, answers read as data, no kernel"
            )
            _row(
                f"homs ({mode}):", f"{homs_seconds:7.1f} s  {homs_rate:6.2f} submissions/s ({how})"
            )
            _row("  ratio:", f"{homs_rate / stock_rate:7.2f}x stock nbgrader")
            statuses: dict[str, int] = {}
            for r in summary.results:
                statuses[r.status] = statuses.get(r.status, 0) + 1
            _row("  statuses:", ", ".join(f"{k} {v}" for k, v in sorted(statuses.items())))
            differences = compare(stock_scores, scores(course, quizzes))
            if differences:
                failed = True
                print(f"  scores DIFFER from stock nbgrader on {len(differences)} student-items:")
                print("\n".join(differences))
            else:
                _row(
                    "  scores:",
                    f"identical to stock nbgrader for every student and item "
                    f"({len(stock_scores)} student-items)",
                )
        _row(
            "load average:",
            f"{os.getloadavg()[0]:.2f} (1 min) at the end; other work on "
            "the machine slows every side",
        )
        if failed:
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
