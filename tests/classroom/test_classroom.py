"""A real classroom, end to end: JupyterHub, nbgrader's exchange, a PostgreSQL gradebook and the
formgrader, driven through the hub's and nbgrader's own REST endpoints (as the lab extensions
call them), each student as their own Unix user.

1. the instructor releases the three quizzes (``homs release``, then the formgrader's release);
2. three students fetch them, answer (all right; partly right; blank) and submit;
3. the instructor collects; ``homs autograde`` grades into PostgreSQL;
4. in Chromium the instructor opens the formgrader, sees each submission and grades a written
   answer by hand; a second ``homs autograde --force`` leaves that grade intact;
5. ``homs feedback``, the formgrader's release of feedback, each student fetching only their own;
6. ``homs export`` gives the expected CSV and ``homs report`` works on PostgreSQL.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest

from helpers import TIMELINE_PARTLY_RIGHT, answered, key_answers, write_answer
from homs import grading

from ._hub import QUIZZES, Classroom
from .conftest import SCREENSHOTS

pytestmark = [pytest.mark.slow, pytest.mark.classroom]

#: Each quiz's written item (graded by hand in the formgrader).
WRITTEN = {"discrepancies": "q7_population_numbers", "sourcing": "q7_dating_b"}
KINDS = ("right", "partly", "blank")
MANUAL = 2.0  # what the instructor gives ben's written answer on the discrepancies quiz


def _auto_items(quiz: str) -> list[Any]:
    return [i for i in grading.load_quiz(quiz).items if not i.written]


def answers(kind: str, quiz: str) -> dict[str, str]:
    """What a student of this kind types in each answer cell."""
    key = key_answers(grading.load_quiz(quiz))
    if kind == "right":
        return key
    if kind == "partly":
        if quiz == "timeline":
            return dict(TIMELINE_PARTLY_RIGHT)
        auto = _auto_items(quiz)
        return {i.id: key[i.id] for i in auto[: len(auto) // 2]}
    return {}


def expected_auto(kind: str, quiz: str) -> float:
    """The automatic points a student of this kind gets."""
    if kind == "right":
        return float(sum(i.points for i in _auto_items(quiz)))
    if kind == "partly":
        if quiz == "timeline":
            return 6.0  # helpers.TIMELINE_PARTLY_RIGHT: "3 + 0 + 1 + 1 + 0 + 0 + 1 + 0 = 6 of 12"
        auto = _auto_items(quiz)
        return float(sum(i.points for i in auto[: len(auto) // 2]))
    return 0.0


def kind_of(room: Classroom, student: str) -> str:
    return KINDS[room.students.index(student)]


@pytest.fixture(scope="module")
def handed_in(classroom: Classroom) -> dict[str, Any]:
    """Steps 1-3 up to the collection: released, fetched, answered, submitted, collected."""
    room = classroom
    for quiz in QUIZZES:
        room.homs("release", quiz)
        done = room.formgrader("POST", f"assignment/{quiz}/release")
        assert done["success"], done
    statuses = {a["name"]: a["status"] for a in room.formgrader("GET", "assignments")}
    assert statuses == dict.fromkeys(QUIZZES, "released"), statuses

    for user in [room.instructor, *room.students]:
        room.start_server(user)
    submitted: dict[str, dict[str, str]] = {}
    for student in room.students:
        kind = kind_of(room, student)
        listed = room.assignments(student)
        released = {a["assignment_id"] for a in listed if a["status"] == "released"}
        assert released == set(QUIZZES), listed
        for quiz in QUIZZES:
            after = room.assignments(student, "fetch", quiz)
            fetched = [a for a in after if a["assignment_id"] == quiz and a["status"] == "fetched"]
            assert fetched, after
            path = f"{room.course}/{quiz}/{quiz}.ipynb"
            nb = room.contents(student, path)["content"]
            if kind != "blank":
                nb = answered(nb, answers(kind, quiz))
                if quiz in WRITTEN:
                    write_answer(nb, WRITTEN[quiz], f"{student} explains it in their own words.")
            room.save_notebook(student, path, nb)
            after = room.assignments(student, "submit", quiz)
            mine = [a for a in after if a["assignment_id"] == quiz and a["status"] == "submitted"]
            assert mine, after
            assert mine[0]["submissions"], after
            submitted.setdefault(student, {})[quiz] = mine[0]["submissions"][-1]["timestamp"]
    for quiz in QUIZZES:
        done = room.formgrader("POST", f"assignment/{quiz}/collect")
        assert done["success"], done
        for student in room.students:
            folder = room.course_root / "submitted" / student / quiz
            assert (folder / f"{quiz}.ipynb").is_file(), done
    return {"submitted": submitted}


def grades(room: Classroom, quiz: str, student: str) -> dict[str, dict[str, Any]]:
    """The gradebook's grades of one submission, by grade id, through the formgrader's API."""
    subs = room.formgrader("GET", f"submitted_notebooks/{quiz}/{quiz}")
    mine = [s for s in subs if s["student"] == student]
    assert len(mine) == 1, subs
    listed = room.formgrader("GET", "grades", params={"submission_id": mine[0]["id"]})
    return {g["name"]: g for g in listed}


def auto_total(room: Classroom, quiz: str, student: str) -> float:
    return sum(
        (g["auto_score"] or 0.0)
        for g in grades(room, quiz, student).values()
        if g["name"] not in WRITTEN.values()
    )


def test_autograde_keeps_the_submission_secret(
    classroom: Classroom, handed_in: dict[str, Any]
) -> None:
    """homs autograde keeps the exchange's submission secret beside the graded notebook, as
    nbgrader's autograde does: nbgrader's release of feedback names the file after it."""
    room = classroom
    room.homs("autograde", "timeline", "--quiet")
    student = room.students[0]
    found = room.run_as(
        room.grader,
        ["ls", str(room.course_root / "autograded" / student / "timeline")],
    ).stdout.split()
    assert "submission_secret.txt" in found, found


def test_a_class_end_to_end(
    classroom: Classroom, handed_in: dict[str, Any], chromium: object
) -> None:
    room = classroom
    ben = room.students[1]

    # 3. autograde into PostgreSQL
    out = room.homs("autograde", "*", "--quiet").stdout
    assert "postgresql" not in out.lower() or "error" not in out.lower(), out
    for quiz in QUIZZES:
        for student in room.students:
            want = expected_auto(kind_of(room, student), quiz)
            assert auto_total(room, quiz, student) == pytest.approx(want), (quiz, student, out)
    listed = room.formgrader("GET", "submissions/discrepancies")
    assert sorted(s["student"] for s in listed) == sorted(room.students), listed

    # 4. the formgrader in Chromium: every submission listed, a written answer graded by hand
    _grade_by_hand(room, chromium, ben)
    written = grades(room, "discrepancies", ben)[WRITTEN["discrepancies"]]
    assert written["manual_score"] == pytest.approx(MANUAL), written
    before = {q: {s: auto_total(room, q, s) for s in room.students} for q in QUIZZES}
    room.homs("autograde", "*", "--force", "--quiet")
    written = grades(room, "discrepancies", ben)[WRITTEN["discrepancies"]]
    assert written["manual_score"] == pytest.approx(MANUAL), "the second autograde lost it"
    after = {q: {s: auto_total(room, q, s) for s in room.students} for q in QUIZZES}
    assert after == before

    # 5. feedback: written, released through the exchange, each student fetches their own
    for quiz in QUIZZES:
        room.homs("feedback", quiz)
        done = room.formgrader("POST", f"assignment/{quiz}/release_feedback")
        assert done["success"], done
    for student in room.students:
        for quiz in QUIZZES:
            listed = room.assignments(student, "fetch_feedback", quiz)
            mine = [a for a in listed if a["assignment_id"] == quiz and a["status"] == "submitted"]
            assert mine, listed
            assert mine[0]["submissions"][-1]["has_local_feedback"], listed
            folder = room.contents(student, f"{room.course}/{quiz}/feedback")["content"]
            stamps = [f["name"] for f in folder]
            assert stamps == [handed_in["submitted"][student][quiz]], stamps
            html = room.contents(
                student, f"{room.course}/{quiz}/feedback/{stamps[0]}/{quiz}.html", content="1"
            )["content"]
            score = _feedback_score(html)
            want = expected_auto(kind_of(room, student), quiz)
            if quiz == "discrepancies" and student == ben:
                want += MANUAL
            assert score == pytest.approx(want), (student, quiz, score, want)
    _screenshot_feedback(room, chromium, ben)

    # 6. the CSV export and the report, read from PostgreSQL
    room.homs("export")
    text = room.run_as(
        room.grader, ["cat", str(room.course_root / "exports" / "grades.csv")]
    ).stdout
    rows = {r["student_id"]: r for r in csv.DictReader(io.StringIO(text))}
    assert rows.pop("max points")["timeline.total"] == "12", text
    assert set(rows) == set(room.students), text
    assert all(r["last_name"] == "" for r in rows.values()), text  # no roster: no names
    for student in room.students:
        for quiz in QUIZZES:
            want = expected_auto(kind_of(room, student), quiz)
            if quiz == "discrepancies" and student == ben:
                want += MANUAL
            got = _csv_total(rows[student], quiz)
            assert got == pytest.approx(want), (student, quiz, rows[student])
    report = room.homs("report", "discrepancies").stdout
    assert report.strip(), report
    found = room.run_as(room.grader, ["ls", str(room.course_root / "reports" / "discrepancies")])
    assert ".html" in found.stdout, found.stdout


def _csv_total(row: dict[str, str], quiz: str) -> float:
    return float(row[f"{quiz}.total"] or 0)


def _feedback_score(html: str) -> float:
    """The quiz score nbgrader's feedback page shows ("Score: 7.0 / 12.0", or "Score so far:
    9.0 / 12.0" while a written answer waits to be marked)."""
    found = re.search(
        r"Score(?: so far)?:\s*([0-9.]+)\s*/\s*([0-9.]+)", re.sub(r"<[^>]+>", " ", html)
    )
    assert found, html[:3000]
    return float(found.group(1))


def _login(page: Any, room: Classroom, user: str) -> None:
    page.goto(f"{room.url}/hub/login")
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", room.secrets["passwords"][user])
    page.click("[type=submit]")
    page.wait_for_url(re.compile(r".*/(user|hub)/.*"), timeout=120_000)


def _grade_by_hand(room: Classroom, browser: Any, student: str) -> None:
    """The instructor, in the formgrader (in a browser tab of its own: JupyterHub's frame rules
    forbid it in an iframe), sees the submissions and gives a written answer a score."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        _login(page, room, room.instructor)
        base = f"{room.url}/services/{room.course}/formgrader"
        page.goto(f"{base}/gradebook/discrepancies/discrepancies")
        page.wait_for_function(
            "n => document.querySelectorAll('table tbody tr td a').length >= n",
            arg=len(room.students),
            timeout=60_000,
        )
        rows = page.locator("table tbody tr")
        assert rows.count() == len(room.students), page.content()[-3000:]
        subs = room.formgrader("GET", "submitted_notebooks/discrepancies/discrepancies")
        sub_id = next(s["id"] for s in subs if s["student"] == student)
        page.goto(f"{base}/submissions/{sub_id}/")
        box = page.locator(f"input.score#{WRITTEN['discrepancies']}")
        box.wait_for(timeout=60_000)
        box.fill(str(int(MANUAL)))
        box.press("Tab")
        for _ in range(50):
            got = grades(room, "discrepancies", student)[WRITTEN["discrepancies"]]
            if got["manual_score"] is not None:
                break
            page.wait_for_timeout(200)
        box.scroll_into_view_if_needed()
        page.screenshot(path=str(SCREENSHOTS / "formgrader-manual-grade.png"))
    finally:
        context.close()


def _screenshot_feedback(room: Classroom, browser: Any, student: str) -> None:
    """A student's assignment list and fetched feedback, as the student sees them."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        _login(page, room, student)
        page.goto(f"{room.url}/user/{student}/lab?reset")
        page.wait_for_selector("#jp-main-dock-panel", timeout=120_000)
        page.get_by_role("menuitem", name="Nbgrader").click()
        page.get_by_role("menuitem", name="Assignment List").click()
        page.get_by_text("Submitted assignments").first.wait_for(timeout=60_000)
        page.wait_for_timeout(2000)
        page.screenshot(path=str(SCREENSHOTS / "student-assignment-list.png"))
        listed = room.contents(student, f"{room.course}/discrepancies/feedback")["content"]
        stamp = listed[0]["name"]
        path = f"{room.course}/discrepancies/feedback/{stamp}/discrepancies.html"
        page.goto(f"{room.url}/user/{student}/files/{path}")
        page.wait_for_selector("text=Score", timeout=60_000)
        page.screenshot(path=str(SCREENSHOTS / "student-feedback.png"), full_page=False)
    finally:
        context.close()


# -- permissions, checked as the students' Unix users -------------------------------------------

PROBE = """
import json, os, sys
out = {}
def attempt(name, fn):
    try:
        fn()
        out[name] = "allowed"
    except PermissionError:
        out[name] = "denied"
    except FileNotFoundError:
        out[name] = "missing"
    except Exception as err:  # psycopg2's OperationalError: no role, no password
        text = str(err)
        refused = ("authentication failed", "does not exist", "no password supplied")
        out[name] = "denied" if any(r in text for r in refused) else f"{type(err).__name__}: {text}"
paths = json.loads(sys.argv[1])
for name, path in paths["read"].items():
    attempt(name, lambda p=path: open(p, "rb").read(1))
for name, path in paths["list"].items():
    attempt(name, lambda p=path: os.listdir(p))
def socket_login():
    import psycopg2
    psycopg2.connect(dbname=paths["db"], host=paths["socket"], port=paths["port"]).close()
def tcp_login():
    import psycopg2
    psycopg2.connect(dbname=paths["db"], host="127.0.0.1", port=paths["port"],
                     user=paths["role"], password="", connect_timeout=5).close()
attempt("gradebook over the socket", socket_login)
attempt("gradebook over TCP as the grader", tcp_login)
print(json.dumps(out))
"""


def _probe(room: Classroom, student: str, paths: dict[str, Any]) -> dict[str, str]:
    done = room.run_as(student, [str(room.venv / "bin" / "python"), "-c", PROBE, json.dumps(paths)])
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_students_cannot_read_what_is_not_theirs(
    classroom: Classroom, handed_in: dict[str, Any]
) -> None:
    """A student cannot read the course (source/, the keys), the gradebook, or another
    student's hand-in or feedback: checked as each student's Unix user, not assumed."""
    room = classroom
    settings = room.settings
    for student in room.students:
        other = next(s for s in room.students if s != student)
        inbound = sorted(room.exchange.glob(f"inbound/{other}+timeline+*"))
        assert inbound, list(room.exchange.glob("inbound/*"))
        paths = {
            "read": {
                "the course's source notebook": str(
                    room.course_root / "source" / "timeline" / "timeline.ipynb"
                ),
                "the course's config (db_url)": str(room.course_root / "nbgrader_config.py"),
                "another's hand-in in the exchange": str(inbound[-1] / "timeline.ipynb"),
                "another's submission secret in the exchange": str(
                    inbound[-1] / "submission_secret.txt"
                ),
                "another's fetched feedback": f"/home/{other}/{room.course}/timeline/feedback",
            },
            "list": {
                "the course folder": str(room.course_root),
                "the database's files": str(Path(settings["pg_socket"]).parent / "data"),
                "the exchange's inbound": str(room.exchange / "inbound"),
                "the exchange's feedback": str(room.exchange / "feedback"),
                "another's home": f"/home/{other}",
            },
            "db": room.course,
            "socket": settings["pg_socket"],
            "port": settings["pg_port"],
            "role": room.grader,
        }
        seen = _probe(room, student, paths)
        allowed = {k: v for k, v in seen.items() if v != "denied"}
        assert not allowed, f"{student} could: {allowed}"
    # and the student's own things stay theirs: the course's grader reads hand-ins by group
    own = sorted(room.exchange.glob(f"inbound/{room.students[0]}+timeline+*"))[-1]
    mode = own.stat().st_mode & 0o777
    assert mode & 0o007 == 0, oct(mode)


def test_exchange_holes_are_closed(classroom: Classroom, handed_in: dict[str, Any]) -> None:
    """Stock nbgrader's exchange lets anyone put a folder in inbound/ under another student's
    name, and trusts the time a student's own process writes. The classroom's collect refuses
    the first and replaces an edited time with the files' change time."""
    room = classroom
    ada, ben, _ = room.students
    blank = (room.course_root / "release" / "timeline" / "timeline.ipynb").read_text()
    # ada hands in a blank timeline under ben's name, dated in the future (the latest wins)
    fake = room.exchange / "inbound" / f"{ben}+timeline+2099-01-01 00:00:00.000000 UTC+fake"
    room.run_as(ada, ["mkdir", str(fake)])
    room.run_as(ada, ["tee", str(fake / "timeline.ipynb")], input=blank)
    # ben hands in sourcing again, claiming a time long past
    mine = sorted(room.exchange.glob(f"inbound/{ben}+sourcing+*"))[-1]
    old = "2000-01-01 00:00:00.000000 UTC"
    backdated = room.exchange / "inbound" / f"{ben}+sourcing+{old}+old"
    room.run_as(ben, ["mkdir", str(backdated)])
    nb = room.contents(ben, f"{room.course}/sourcing/sourcing.ipynb")["content"]
    room.run_as(ben, ["tee", str(backdated / "sourcing.ipynb")], input=json.dumps(nb))
    room.run_as(ben, ["tee", str(backdated / "timestamp.txt")], input=old)
    assert mine != backdated

    done = room.formgrader("POST", "assignment/timeline/collect")
    assert done["success"], done
    assert "Refused" in done["log"], done["log"]
    assert "belongs to" in done["log"], done["log"]
    collected = room.run_as(
        room.grader,
        ["cat", str(room.course_root / "submitted" / ben / "timeline" / "timeline.ipynb")],
    ).stdout
    assert "answer_q1_order = [" in collected, "ada's fake replaced ben's hand-in"

    done = room.formgrader("POST", "assignment/sourcing/collect")
    assert done["success"], done
    stamp = room.run_as(
        room.grader,
        ["cat", str(room.course_root / "submitted" / ben / "sourcing" / "timestamp.txt")],
    ).stdout
    assert not stamp.startswith("2000"), stamp
    assert "claims" in done["log"], done["log"]


# -- concurrency: autograding while a grader saves manual grades --------------------------------


def test_manual_grades_saved_while_autograding_are_kept(
    classroom: Classroom, handed_in: dict[str, Any]
) -> None:
    """``homs autograde --force`` runs while the instructor keeps saving manual grades in the
    formgrader (its REST API, as its page does): afterwards the gradebook (PostgreSQL) holds
    every last manual grade and every automatic score."""
    import subprocess
    import time

    room = classroom
    before = {q: {s: auto_total(room, q, s) for s in room.students} for q in QUIZZES}
    targets = []  # (grade id in the gradebook, max score)
    for quiz in ("discrepancies", "sourcing"):
        for student in room.students:
            grade = grades(room, quiz, student)[WRITTEN[quiz]]
            targets.append((grade["id"], grade["max_score"]))
    # a manual score over an autograded cell too (the formgrader allows it)
    auto_cell = grades(room, "timeline", room.students[2])["q1_order"]
    targets.append((auto_cell["id"], auto_cell["max_score"]))

    pw_args = room.homs_argv("autograde", "*", "--force", "--quiet")
    grading_run = subprocess.Popen(pw_args["argv"], **pw_args["kw"])
    last: dict[str, float] = {}
    saves = 0
    try:
        while grading_run.poll() is None or saves < 3 * len(targets):
            for grade_id, most in targets:
                value = float(saves % (int(most) + 1))
                saved = room.formgrader("PUT", f"grade/{grade_id}", json={"manual_score": value})
                assert saved["manual_score"] == value, saved
                last[grade_id] = value
            saves += 1
            time.sleep(0.05)
        out, err = grading_run.communicate(timeout=600)
    finally:
        if grading_run.poll() is None:
            grading_run.kill()
    assert grading_run.returncode == 0, (out, err)
    assert saves >= 3, saves
    for grade_id, value in last.items():
        grade = room.formgrader("GET", f"grade/{grade_id}")
        assert grade["manual_score"] == value, (grade, value, saves)
    after = {q: {s: auto_total(room, q, s) for s in room.students} for q in QUIZZES}
    # ben's sourcing hand-in was collected again above with the same answers
    assert after == before
