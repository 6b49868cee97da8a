"""The adversarial cases against STOCK ``nbgrader autograde`` (evidence, not a test).

Each case gets its own copy of a course (the project's nbgrader_config.py, so with the
DeduplicateIds/OverwriteCells fixes of homs.grading.course.preprocessors) holding the two honest
students and the attacker, and one ``nbgrader autograde timeline``. Then it reports what the
attacker scored, what the honest students scored, which attacks got something, which files
changed and whether the gradebook survived. Cases that could hurt the machine
(``stock=False``) are skipped.

Run from the repository root::

    PATH=$PWD/.venv/bin:$PATH python -m tests.adversarial._stock /tmp/stock-evidence [case ...]
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

# Run as ``python -m tests.adversarial._stock``, tests/ is not on sys.path as it is under pytest:
# put it there, for the shared helpers (``helpers``).
_TESTS = str(Path(__file__).resolve().parents[1])
if _TESTS not in sys.path:
    sys.path.insert(0, _TESTS)

import helpers  # noqa: E402

from ._craft import CASES, HONEST, ITEMS, POINTS, QUIZ, Case, honest_submission  # noqa: E402
from ._evidence import (  # noqa: E402
    Canary,
    canary,
    changed_files,
    context_for,
    gradebook_problems,
    gradebook_scores,
    pwned_files,
    snapshot,
    successes,
    tree,
    write_submission,
)


def nbgrader(
    course: Path, *args: str, env: dict[str, str] | None = None, timeout: float = 900
) -> subprocess.CompletedProcess[str]:
    """Runs a stock nbgrader command in the course; a timeout is a result, not an error."""
    try:
        return helpers.nbgrader(*args, cwd=course, env=env, timeout=timeout)
    except subprocess.TimeoutExpired as err:
        return subprocess.CompletedProcess(err.cmd, -999, "", f"TIMEOUT after {timeout} s")


def run_case(base: Path, out: Path, case: Case, trap: Canary) -> dict[str, Any]:
    """One stock autograde of the honest students and this attacker."""
    course = out / case.student
    shutil.copytree(base, course)
    release = json.loads((course / "release" / QUIZ / f"{QUIZ}.ipynb").read_text("utf-8"))
    secret = f"HOMS-ADV-CANARY-{uuid.uuid4().hex}"
    ctx = context_for(course, release, trap, secret)
    for student in HONEST:
        write_submission(course, student, honest_submission(ctx, student))
    write_submission(course, case.student, case.craft(ctx, case.student))
    before, whole = snapshot(course), tree(course)
    seen = len(trap.connections)
    start = time.perf_counter()
    result = nbgrader(course, "autograde", QUIZ, env={"HOMS_ADV_SECRET": secret})
    seconds = time.perf_counter() - start
    db = course / "gradebook.db"
    try:
        found = gradebook_scores(db)
    except Exception as err:
        found = {"<gradebook>": {"error": str(err)}}  # type: ignore[dict-item]
    try:
        problems = gradebook_problems(db, students={case.student, *HONEST}, grade_cells=POINTS)
    except Exception as err:
        problems = [f"gradebook unreadable: {err}"]
    autograded = course / "autograded" / case.student / QUIZ / f"{QUIZ}.ipynb"
    log = [
        line
        for line in result.stderr.splitlines()
        if any(
            w in line
            for w in ("ERROR", "error", "Traceback", "WARNING", "Timeout", "died", "Killed")
        )
    ]
    attacker = found.get(case.student, {})
    return {
        "case": case.student,
        "returncode": result.returncode,
        "seconds": round(seconds, 1),
        "attacker": {k: attacker.get(k) for k in ITEMS} if attacker else None,
        "attacker_total": sum(v or 0 for v in attacker.values()) if attacker else None,
        "deserved_total": sum(case.deserved.values()),
        "honest": {s: sum(v or 0 for v in found.get(s, {}).values()) for s in HONEST},
        "honest_expected": {s: sum(v.values()) for s, v in HONEST.items()},
        "successes": successes(autograded),
        "changed": changed_files(before, snapshot(course)),
        "pwned": pwned_files(course, whole),
        "gradebook": problems,
        "connections": [
            (host, data.decode("utf-8", "replace")) for host, data in trap.connections[seen:]
        ],
        "secret_leaked": secret
        in (autograded.read_text("utf-8", "replace") if autograded.is_file() else ""),
        "autograded_bytes": autograded.stat().st_size if autograded.is_file() else None,
        "log": log[-12:],
    }


def main(argv: list[str]) -> int:
    """Runs the chosen cases (all stock-safe ones by default); writes results.json."""
    out = Path(argv[0]).resolve()
    chosen = set(argv[1:])
    out.mkdir(parents=True, exist_ok=True)
    base = helpers.copy_course(out / "_base", QUIZ)
    made = nbgrader(base, "generate_assignment", QUIZ)
    if made.returncode != 0:
        print(made.stderr, file=sys.stderr)
        return 1
    cases = [c for c in CASES if c.stock and (not chosen or c.student in chosen)]
    results = []
    with canary() as trap, ThreadPoolExecutor(2) as pool:
        for result in pool.map(lambda c: run_case(base, out, c, trap), cases):
            results.append(result)
            text = json.dumps(result, indent=1, default=repr)
            (out / f"{result['case']}.json").write_text(text, "utf-8")
            print(text, flush=True)
    (out / "results.json").write_text(json.dumps(results, indent=1, default=repr), "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
