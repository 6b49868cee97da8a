"""Benchmark: a class of 200 students handing in through the classroom's nbgrader exchange,
collected by the formgrader and autograded into PostgreSQL. A measurement, not a test.

    sudo .venv/bin/python benchmarks/classroom.py [--students 200] [--quiz timeline] [--keep]

It starts a classroom of its own (course ``homsbench``, accounts ``homsbench-s001`` ...,
``classroom/classroom.py``), then times each stage:

- release: ``homs release`` and the formgrader's release into the exchange (REST);
- fetch and submit: every student, as their own Unix user (a forked process that drops to the
  student's uid), runs nbgrader's fetch_assignment, answers (a seeded mix of all right, partly
  right and blank) and submits with the classroom's exchange; two students at a time (2 cores).
  The hub is not in this path (the assignment list's handler calls the same classes);
- collect: the formgrader's collect (REST), into the course's ``submitted/``;
- autograde: ``homs autograde QUIZ`` as the grading account, into the PostgreSQL gradebook;
- feedback: ``homs feedback`` and the formgrader's release of feedback (REST).

At the end the classroom is stopped and, unless ``--keep``, its accounts are removed.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "tests" / "classroom"))

from helpers import TIMELINE_PARTLY_RIGHT, answered, key_answers  # noqa: E402
from homs import grading  # noqa: E402

COURSE = "homsbench"

#: Run by the classroom's Python as root: forks one child per student, which becomes the
#: student and fetches, answers and submits through the classroom's exchange.
STUDENT_WORKER = r"""
import json, os, pwd, sys
from traitlets.config import Config
from nbgrader.auth import Authenticator
from nbgrader.coursedir import CourseDirectory
from nbgrader.exchange import ExchangeFactory

job = json.loads(sys.stdin.read())
cfg = Config()
cfg.Exchange.root = job["exchange"]
cfg.Exchange.path_includes_course = True
cfg.CourseDirectory.course_id = job["course"]
cfg.CourseDirectory.assignment_id = job["quiz"]
cfg.ExchangeFactory.submit = "homs_classroom_exchange.ExchangeSubmit"

def one(student, nb):
    pw = pwd.getpwnam(student)
    os.setgroups([])
    os.setgid(pw.pw_gid)
    os.setuid(pw.pw_uid)
    os.environ.update(HOME=pw.pw_dir, USER=student, LOGNAME=student)
    os.chdir(pw.pw_dir)
    factory = ExchangeFactory(config=cfg)
    kw = dict(coursedir=CourseDirectory(config=cfg), authenticator=Authenticator(config=cfg),
              config=cfg)
    factory.FetchAssignment(**kw).start()
    path = os.path.join(pw.pw_dir, job["course"], job["quiz"], job["quiz"] + ".ipynb")
    if nb is not None:
        with open(path, "w") as fh:
            json.dump(nb, fh)
    factory.Submit(**kw).start()

running = []
failed = 0
for student, nb in job["students"]:
    while len(running) >= job["parallel"]:
        pid, status = os.wait()
        running.remove(pid)
        failed += status != 0
    pid = os.fork()
    if pid == 0:
        try:
            one(student, nb)
        except BaseException:
            import traceback; traceback.print_exc()
            os._exit(1)
        os._exit(0)
    running.append(pid)
for pid in running:
    _, status = os.waitpid(pid, 0)
    failed += status != 0
print(json.dumps({"failed": failed}))
"""


def say(times: dict[str, float]) -> None:
    """The stages timed so far (so a failure later keeps them)."""
    print("so far: " + ", ".join(f"{k} {v:.1f} s" for k, v in times.items()), flush=True)


def classroom(*args: str, env: dict[str, str]) -> str:
    done = subprocess.run(
        [sys.executable, str(ROOT / "classroom" / "classroom.py"), *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"classroom.py {' '.join(args)} failed:\n{done.stdout}{done.stderr}")
    return done.stdout


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--students", type=int, default=200)
    parser.add_argument("--quiz", default="timeline")
    parser.add_argument("--keep", action="store_true", help="keep the accounts afterwards")
    args = parser.parse_args()
    if os.geteuid() != 0:
        raise SystemExit("run as root: the benchmark creates Unix accounts")
    from _hub import Classroom, free_base_port

    names = [f"s{i:03d}" for i in range(1, args.students + 1)]
    env = {
        "HOMS_CLASSROOM_COURSE": COURSE,
        "HOMS_CLASSROOM_PORT": str(free_base_port()),
        "HOMS_CLASSROOM_STUDENTS": ",".join(names),
    }
    times: dict[str, float] = {}
    t0 = time.perf_counter()
    classroom("start", "--background", "--fresh", env=env)
    times["set-up (accounts, PostgreSQL, hub)"] = time.perf_counter() - t0
    settings = json.loads(Path(classroom("settings", env=env).strip()).read_text())
    room = Classroom(settings, env)
    try:
        quiz = grading.load_quiz(args.quiz)
        t0 = time.perf_counter()
        room.homs("release", args.quiz)
        done = room.formgrader("POST", f"assignment/{args.quiz}/release")
        assert done["success"], done
        times["release"] = time.perf_counter() - t0

        release = json.loads(
            (room.course_root / "release" / args.quiz / f"{args.quiz}.ipynb").read_text()
        )
        key = key_answers(quiz)
        partly = (
            dict(TIMELINE_PARTLY_RIGHT)
            if args.quiz == "timeline"
            else dict(list(key.items())[: len(key) // 2])
        )
        students = []
        for i, student in enumerate(room.students):
            kind = i % 3
            nb = (
                answered(release, key)
                if kind == 0
                else answered(release, partly)
                if kind == 1
                else None
            )
            students.append([student, nb])
        job = {
            "exchange": settings["exchange"],
            "course": COURSE,
            "quiz": args.quiz,
            "parallel": os.cpu_count() or 2,
            "students": students,
        }
        t0 = time.perf_counter()
        worker = subprocess.run(
            [str(room.venv / "bin" / "python"), "-c", STUDENT_WORKER],
            input=json.dumps(job),
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONPATH": settings["pythonpath"], "PATH": settings["path"]},
            check=False,
        )
        times["fetch and submit (each as their Unix user)"] = time.perf_counter() - t0
        result = json.loads(worker.stdout.strip().splitlines()[-1]) if worker.stdout else {}
        if worker.returncode != 0 or result.get("failed"):
            raise SystemExit(
                f"the students' hand-ins failed:\n{worker.stdout}\n{worker.stderr[-5000:]}"
            )

        t0 = time.perf_counter()
        done = room.formgrader("POST", f"assignment/{args.quiz}/collect")
        assert done["success"], done
        times["collect (formgrader)"] = time.perf_counter() - t0
        say(times)
        collected = len(list((room.course_root / "submitted").glob(f"*/{args.quiz}")))
        assert collected == args.students, collected

        t0 = time.perf_counter()
        out = room.homs("autograde", args.quiz, "--quiet").stdout
        times["autograde (homs, into PostgreSQL)"] = time.perf_counter() - t0
        say(times)
        graded = room.formgrader("GET", f"submissions/{args.quiz}")
        in_gradebook = (
            [s for s in graded if s["autograded"]]
            if graded and "autograded" in graded[0]
            else graded
        )
        assert len(in_gradebook) == args.students, (len(in_gradebook), out[-2000:])

        # nbgrader's release of feedback needs each hand-in's submission_secret.txt in
        # autograded/, which homs autograde does not copy yet (see docs/deploy.md).
        room.python_as(
            room.grader,
            "import pathlib, shutil\n"
            f"root = pathlib.Path({str(room.course_root)!r})\n"
            "for s in root.glob('submitted/*/*/submission_secret.txt'):\n"
            "    out = root / 'autograded' / s.parent.relative_to(root / 'submitted')\n"
            "    out.is_dir() and shutil.copy(s, out / s.name)\n",
            check=True,
        )
        t0 = time.perf_counter()
        room.homs("feedback", args.quiz)
        times["feedback (homs)"] = time.perf_counter() - t0
        say(times)
        t0 = time.perf_counter()
        done = room.formgrader("POST", f"assignment/{args.quiz}/release_feedback")
        assert done["success"], done
        times["release feedback (formgrader)"] = time.perf_counter() - t0
    finally:
        classroom("stop", env=env)
        if not args.keep:
            classroom("remove", env=env)

    load = os.getloadavg()[0]
    print(
        f"\nclassroom benchmark: {args.students} students, quiz {args.quiz}, "
        f"{os.cpu_count()} cores, load {load:.1f} at the end"
    )
    print(f"{'stage':<46} {'seconds':>8} {'per student':>12}")
    for stage, seconds in times.items():
        per = (
            ""
            if stage.startswith("set-up") or stage == "release"
            else f"{seconds / args.students * 1000:.0f} ms"
        )
        print(f"{stage:<46} {seconds:8.1f} {per:>12}")
    out_dir = ROOT / "artifacts" / "benchmarks"
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "classroom.json").write_text(
        json.dumps({"students": args.students, "quiz": args.quiz, "seconds": times}, indent=1)
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
