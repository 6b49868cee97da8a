"""One crafted hand-in per class of attack on the grading around the notebook (issue 13).

:mod:`adversarial.test_adversarial` attacks what a notebook does in the kernel; this module
attacks everything around it: the files handed in (links, FIFOs, copies of the source), the
``timestamp.txt`` and late policy, the gradebook changed by stock nbgrader between two runs,
damaged ledger records, odd and hostile student ids (very long, terminal escapes, spreadsheet
formulas), notebooks that parse but are odd (a null in a cell's source list, deep metadata).

One module-scoped class per mode (every hand-in executed in the sandbox, or read as data): a
blank and a keyed honest student, one hand-in per attack, a due date with a late-submission
plugin (``SubMarks``, nbgrader's documented example) and a late honest student. Then:

1. ``homs autograde`` (progress on stderr, captured);
2. stock ``nbgrader autograde --student stock_* --force`` with stock nbgrader's preprocessors
   (student code run, scores written over homs's), and every ledger record of two students cut
   in half;
3. ``homs autograde`` again (no ``--force``), ``homs report`` and ``homs export``.

The tests check per class that the batch completed every time, no attack scored above what its
answers deserve, the honest students and the gradebook are untouched, and the teacher is told;
and that nothing printed to the terminal carries a control character a student chose.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import re
import shutil
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from helpers import answered, copy_course, index_of, nbgrader, release_with_nbgrader
from homs import grading
from homs.grading.engine.ledger import ledger_path

from ._craft import (
    FULL,
    ITEMS,
    NOTHING,
    POINTS,
    QUIZ,
    RIGHT,
    Context,
    case,
    dump,
    scores,
)
from ._evidence import changed_files, gradebook_problems, gradebook_scores, snapshot

pytestmark = pytest.mark.slow

TOTAL = sum(POINTS.values())
BLANK, KEYED = "honest_blank", "honest_all_right"
DUE = datetime(2024, 3, 1, 12, 0, tzinfo=timezone.utc)
#: Three hours and ten minutes late: SubMarks takes round(3.17) = 3 points.
LATE_BY = timedelta(hours=3, minutes=10)
LATE_PENALTY = 3.0

# Student ids a student (or a roster) chose to hurt the teacher's terminal or spreadsheet.
OSC52 = "\x1b]52;c;cHduZWQ=\x07"  # writes "pwned" into the teacher's clipboard
CLEAR = "\x1b[2J"  # clears the teacher's screen
ESC_IDS = (f"adv_osc52_{OSC52}", f"adv_clear_{CLEAR}\x9b")
FORMULA_IDS = ('=HYPERLINK("evil.example","x")', "+SUM(1,1)", "@SUM(1)", "-1+1")
LONG_ID = "adv_long_" + "x" * 243  # 252 characters: as long as a folder name may be
#: Every control character but tab and newline (C0, DEL and C1).
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")

SUBMARKS = '''"""nbgrader's documented example of a late-submission plugin."""
from nbgrader.plugins import BasePlugin


class SubMarks(BasePlugin):
    def late_submission_penalty(self, student_id, score, total_seconds_late):
        """One point per hour late."""
        return round(total_seconds_late / 3600, 0)
'''

LATE_CONFIG = """
# homs adversarial suite: a late-submission policy (set before anything was graded)
import sys as _sys, os as _os
_sys.path.insert(0, _os.path.dirname(_os.path.abspath(__file__)))
c.AssignLatePenalties.plugin_class = "late.SubMarks"
"""

STOCK_CONFIG = """
# stock nbgrader's own autograde preprocessors: the student's code runs and decides the score
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


# ------------------------------------------------------------------------------ the hand-ins


@dataclass(frozen=True)
class Attack:
    """A hand-in made on disk, and what the grader must make of it."""

    student: str
    cls: int  # the class of attack in issue 13
    make: Callable[[Path, Path, dict[str, Any]], None]  # (quiz folder, course, release)
    deserved: dict[str, float]
    exact: bool = False  # correct work: exactly ``deserved``
    status: str | None = None  # the status it must get; any but "grading failed" if None
    told: tuple[str, ...] = ()  # one of these must be in its notes (lower case)


def _nb(answers: dict[str, str]) -> Callable[[Path, Path, dict[str, Any]], None]:
    def make(folder: Path, course: Path, release: dict[str, Any]) -> None:
        (folder / f"{QUIZ}.ipynb").write_bytes(dump(answered(release, answers)))

    return make


def _symlink(target: str) -> Callable[[Path, Path, dict[str, Any]], None]:
    def make(folder: Path, course: Path, release: dict[str, Any]) -> None:
        (folder / f"{QUIZ}.ipynb").symlink_to(target)

    return make


def _folder_link(folder: Path, course: Path, release: dict[str, Any]) -> None:
    folder.rmdir()
    folder.symlink_to(Path("..") / ".." / "source" / QUIZ, target_is_directory=True)


def _hard_link(folder: Path, course: Path, release: dict[str, Any]) -> None:
    os.link(course / "source" / QUIZ / f"{QUIZ}.ipynb", folder / f"{QUIZ}.ipynb")


def _fifo(folder: Path, course: Path, release: dict[str, Any]) -> None:
    os.mkfifo(folder / f"{QUIZ}.ipynb")


def _source_copy(folder: Path, course: Path, release: dict[str, Any]) -> None:
    shutil.copyfile(course / "source" / QUIZ / f"{QUIZ}.ipynb", folder / f"{QUIZ}.ipynb")


def _timestamp(kind: str) -> Callable[[Path, Path, dict[str, Any]], None]:
    def make(folder: Path, course: Path, release: dict[str, Any]) -> None:
        _nb(RIGHT)(folder, course, release)
        path = folder / "timestamp.txt"
        if kind == "not a date":
            path.write_text("the day before the deadline, honest\n", "utf-8")
        elif kind == "not utf-8":
            path.write_bytes(b"\xff\xfe2024-03-01 \xe9\xe9:00:00\x00")
        elif kind == "folder":
            path.mkdir()
            (path / "2024-03-01").write_text("x", "utf-8")
        elif kind == "fifo":
            os.mkfifo(path)
        elif kind == "late":
            path.write_text(f"{(DUE + LATE_BY).strftime('%Y-%m-%d %H:%M:%S.%f')} UTC", "utf-8")

    return make


def _null_source(folder: Path, course: Path, release: dict[str, Any]) -> None:
    nb = answered(release, RIGHT)
    nb["cells"][0]["source"] = ["# Timeline\n", None, "more"]
    q3 = nb["cells"][index_of(nb, "q3_amos_year_answer")]
    q3["source"] = ["answer_q3_amos_year = 2012\n", None]
    nb["cells"].append({"cell_type": "markdown", "metadata": {}, "source": [None, None]})
    (folder / f"{QUIZ}.ipynb").write_bytes(dump(nb))


def _deep_metadata(folder: Path, course: Path, release: dict[str, Any]) -> None:
    nb = answered(release, RIGHT)
    deep: Any = "bottom"
    for _ in range(900):  # parses with json's default limits; deeper than most recursion
        deep = {"d": deep}
    nb["metadata"]["deep"] = deep
    nb["cells"][index_of(nb, "q2_colvin_date_answer")]["metadata"]["deep"] = [[[[deep]]]]
    (folder / f"{QUIZ}.ipynb").write_bytes(dump(nb))


def _escapes_in_cells(folder: Path, course: Path, release: dict[str, Any]) -> None:
    nb = answered(release, {"q3_amos_year": RIGHT["q3_amos_year"]})
    for gid in (f"bonus{OSC52}", f"q9{CLEAR}\x9b]0;title\x9c"):
        nb["cells"].append(
            {
                "cell_type": "code",
                "execution_count": None,
                "id": f"evil{len(nb['cells'])}",
                "metadata": {
                    "nbgrader": {
                        "grade": True,
                        "grade_id": gid,
                        "locked": False,
                        "points": 10,
                        "schema_version": 3,
                        "solution": False,
                        "task": False,
                    }
                },
                "outputs": [],
                "source": "assert True",
            }
        )
    (folder / f"{QUIZ}.ipynb").write_bytes(dump(nb))
    (folder / f"notes{OSC52}.py").write_text("x = 1\n", "utf-8")
    (folder / f"{CLEAR}.txt").write_text("hello\n", "utf-8")


def _kernel_trick(folder: Path, course: Path, release: dict[str, Any]) -> None:
    # Reads the key from ../../../source/ and sets the answers before every test cell: it
    # works wherever the kernel can read the course (stock nbgrader), never under homs.
    ctx = Context(release=release, course=course.resolve())
    trick = case("adv_key_relative").craft(ctx, "stock_regraded")
    (folder / f"{QUIZ}.ipynb").write_bytes(trick.notebook)


REFUSED = ("refused", "link", "regular file")
Q3 = scores(q3_amos_year=1)

ATTACKS: tuple[Attack, ...] = (
    # 1. Links and copies of the source
    Attack(
        "adv_link_source",
        1,
        _symlink(f"../../../source/{QUIZ}/{QUIZ}.ipynb"),
        NOTHING,
        status="refused",
        told=REFUSED,
    ),
    Attack("adv_link_quiz_folder", 1, _folder_link, NOTHING, status="refused", told=REFUSED),
    Attack(
        "adv_link_classmate",
        1,
        _symlink(f"../../{KEYED}/{QUIZ}/{QUIZ}.ipynb"),
        NOTHING,
        status="refused",
        told=REFUSED,
    ),
    Attack("adv_hardlink_source", 1, _hard_link, NOTHING, status="refused", told=("hard link",)),
    Attack("adv_fifo_notebook", 1, _fifo, NOTHING, status="refused", told=REFUSED),
    # A regular file copied from the source: its answers are the key, but the teacher is told.
    Attack("adv_copy_of_source", 1, _source_copy, FULL, told=("flagged", "source notebook")),
    # 2. Late
    Attack("stock_late", 2, _timestamp("late"), FULL, exact=True, status="graded"),
    # 3. Records over the gradebook: stock nbgrader runs this hand-in's trick between two runs
    Attack("stock_regraded", 3, _kernel_trick, NOTHING),
    # 4. timestamp.txt, a long id, a damaged ledger record
    *(
        Attack(
            f"adv_ts_{kind.replace(' ', '_').replace('-', '')}",
            4,
            _timestamp(kind),
            FULL,
            exact=True,
            status="graded",
            told=("timestamp.txt",),
        )
        for kind in ("not a date", "not utf-8", "folder", "fifo")
    ),
    Attack(LONG_ID, 4, _nb(RIGHT), FULL, exact=True, status="graded"),
    # 5. Notebooks the report must read
    Attack("adv_null_source", 5, _null_source, FULL),
    Attack("adv_deep_metadata", 5, _deep_metadata, FULL),
    # 7. Escape sequences for the teacher's terminal
    *(Attack(s, 7, _nb({"q3_amos_year": RIGHT["q3_amos_year"]}), Q3, exact=True) for s in ESC_IDS),
    Attack("adv_escapes_in_cells", 7, _escapes_in_cells, Q3, exact=True, told=("bonus", "q9")),
    # 8. Formulas for the teacher's spreadsheet
    *(
        Attack(s, 8, _nb({"q3_amos_year": RIGHT["q3_amos_year"]}), Q3, exact=True)
        for s in FORMULA_IDS
    ),
)
STUDENTS = (BLANK, KEYED, *(a.student for a in ATTACKS))
EXPECTED_HONEST = {BLANK: NOTHING, KEYED: FULL}
#: Students whose every ledger record is cut in half before the second run.
CUT_LEDGER = (KEYED, LONG_ID)


# ------------------------------------------------------------------------------ one class, graded


@dataclass
class Batch:
    """The class graded, changed behind homs's back, and graded again."""

    mode: str
    course: Path
    first: Any  # AutogradeSummary of run 1
    second: Any  # AutogradeSummary of run 2
    progress: str  # what run 1 and run 2 wrote to stderr
    guarded_before: dict[str, str]
    guarded_after: dict[str, str]
    after_first: dict[str, dict[str, float | None]]
    after_stock: dict[str, dict[str, float | None]]
    after_second: dict[str, dict[str, float | None]]
    stock: Any  # CompletedProcess of stock nbgrader autograde
    penalties_first: dict[str, float | None]
    penalties_stock: dict[str, float | None]
    report: Any  # ClassReport
    report_error: BaseException | None
    export: Any  # Export

    def result(self, run: Any, student: str) -> Any:
        found = [r for r in run.results if r.student == student]
        assert len(found) == 1, f"{student!r}: {len(found)} results, expected 1"
        return found[0]


def _penalties(db: Path) -> dict[str, float | None]:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        rows = con.execute(
            "SELECT s.student_id, n.late_submission_penalty FROM submitted_notebook n "
            "JOIN submitted_assignment s ON s.id = n.assignment_id"
        ).fetchall()
    finally:
        con.close()
    return dict(rows)


def _autograde(course: Path, mode: str, sink: io.StringIO) -> Any:
    with contextlib.redirect_stderr(sink):
        return grading.autograde(QUIZ, course=course, execute=(mode == "execute"), progress=True)


@pytest.fixture(scope="module", params=["execute", "data"])
def batch(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Batch:
    mode = request.param
    course = copy_course(tmp_path_factory.mktemp("classes") / "course", QUIZ)
    (course / "late.py").write_text(SUBMARKS, "utf-8")
    config = course / "nbgrader_config.py"
    config.write_text(config.read_text("utf-8") + LATE_CONFIG, "utf-8")
    release = release_with_nbgrader(course, QUIZ)[QUIZ]
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        gb.update_or_create_assignment(QUIZ, duedate=DUE.replace(tzinfo=None))
    submitted = course / "submitted"
    _nb({})(_mk(submitted / BLANK / QUIZ), course, release)
    _nb(RIGHT)(_mk(submitted / KEYED / QUIZ), course, release)
    for attack in ATTACKS:
        attack.make(_mk(submitted / attack.student / QUIZ), course, release)
    guarded_before = snapshot(course)
    sink = io.StringIO()
    first = _autograde(course, mode, sink)
    guarded_after = snapshot(course)
    db = course / "gradebook.db"
    after_first, penalties_first = gradebook_scores(db), _penalties(db)

    # Behind homs's back: stock nbgrader, running the students' code, writes its own grades.
    original = config.read_text("utf-8")
    config.write_text(original + STOCK_CONFIG, "utf-8")
    try:
        stock = nbgrader("autograde", QUIZ, "--student=stock_*", "--force", cwd=course)
    finally:
        config.write_text(original, "utf-8")
    after_stock, penalties_stock = gradebook_scores(db), _penalties(db)
    for student in CUT_LEDGER:
        record = ledger_path(course, QUIZ, student)
        text = record.read_text("utf-8")
        record.write_text(text[: len(text) // 2], "utf-8")

    second = _autograde(course, mode, sink)
    after_second = gradebook_scores(db)
    report, report_error = None, None
    try:
        report = grading.report(QUIZ, course=course)
    except Exception as err:  # the test says what went wrong
        report_error = err
    done = grading.export(course=course)
    print(f"\n{first.table()}\n{second.table()}")
    return Batch(
        mode=mode,
        course=course,
        first=first,
        second=second,
        progress=sink.getvalue(),
        guarded_before=guarded_before,
        guarded_after=guarded_after,
        after_first=after_first,
        after_stock=after_stock,
        after_second=after_second,
        stock=stock,
        penalties_first=penalties_first,
        penalties_stock=penalties_stock,
        report=report,
        report_error=report_error,
        export=done,
    )


def _mk(folder: Path) -> Path:
    folder.mkdir(parents=True)
    return folder


# ------------------------------------------------------------------------------ every class


def test_every_run_completes_with_a_result_for_everyone(batch: Batch) -> None:
    """Both runs of ``homs autograde`` give every student exactly one result, none of them
    "grading failed", and stock nbgrader ran."""
    for run in (batch.first, batch.second):
        assert sorted(r.student for r in run.results) == sorted(STUDENTS)
        failed = {r.student: r.notes for r in run.results if r.status == "grading failed"}
        assert not failed
    assert batch.stock.returncode == 0, batch.stock.stderr[-3000:]


@pytest.mark.parametrize("student", [BLANK, KEYED])
def test_honest_students_are_untouched(batch: Batch, student: str) -> None:
    """The blank and the keyed student get exactly their scores, in both runs and in the
    gradebook at every step, with nothing to report and no late penalty."""
    want = EXPECTED_HONEST[student]
    r = batch.result(batch.first, student)
    assert r.status == "graded", r.notes
    assert not r.notes
    assert {i.grade_id: i.score for i in r.items} == want
    for scores_now in (batch.after_first, batch.after_stock, batch.after_second):
        assert scores_now[student] == want
    assert batch.penalties_first[student] is None
    again = batch.result(batch.second, student)
    assert {i.grade_id: i.score for i in again.items} == want


def test_the_gradebook_is_intact(batch: Batch) -> None:
    """After both runs and stock nbgrader: integrity, only the class, the quiz and its cells,
    no manual scores."""
    problems = gradebook_problems(
        batch.course / "gradebook.db", students=set(STUDENTS), grade_cells=POINTS
    )
    assert not problems, "\n".join(problems)


def test_files_students_must_not_touch_are_byte_identical(batch: Batch) -> None:
    """submitted/, source/, release/ and the configuration are unchanged by ``homs autograde``
    (the links were not followed to write anything)."""
    assert not changed_files(batch.guarded_before, batch.guarded_after)


@pytest.mark.parametrize("attack", ATTACKS, ids=[a.student[:40] for a in ATTACKS])
def test_attack(batch: Batch, attack: Attack) -> None:
    """Each hand-in: its status, no score above its answers, the same scores in the gradebook
    after the second run, and the teacher told."""
    problems = []
    for run in (batch.first, batch.second):
        r = batch.result(run, attack.student)
        items = {i.grade_id: i.score for i in r.items}
        if sorted(items) != sorted(ITEMS):
            problems.append(f"items {sorted(items)}")
        for item, most in attack.deserved.items():
            got = items.get(item) or 0.0
            if got > most + 1e-9 or (attack.exact and abs(got - most) > 1e-9):
                problems.append(f"{item}: {got:g}, deserves {most:g}")
        if r.max_score != TOTAL:
            problems.append(f"max_score {r.max_score:g}")
    r = batch.result(batch.first, attack.student)
    if attack.status and r.status != attack.status:
        problems.append(f"status {r.status!r}, expected {attack.status!r}")
    if attack.status == "refused" and r.score:
        problems.append(f"refused, but scored {r.score:g}")
    told = " | ".join([r.status, *r.notes]).lower()
    if attack.told and not any(word in told for word in attack.told):
        problems.append(f"not told: none of {attack.told} in {told!r}")
    final = {i.grade_id: i.score for i in batch.result(batch.second, attack.student).items}
    stored = batch.after_second.get(attack.student)
    if stored is not None and stored != {k: (v or 0.0) for k, v in final.items()}:
        problems.append(f"gradebook {stored} is not what homs decided {final}")
    assert not problems, f"{attack.student!r}: {r.status} {r.notes}\n  " + "\n  ".join(problems)


# ------------------------------------------------------------------------------ class by class


def test_links_write_nothing_through_the_link(batch: Batch) -> None:
    """Refused links leave no autograded copy of the source (or of a classmate) behind."""
    for attack in ATTACKS:
        if attack.cls == 1 and attack.status == "refused":
            graded = batch.course / "autograded" / attack.student / QUIZ / f"{QUIZ}.ipynb"
            if graded.is_file():
                text = graded.read_text("utf-8", "replace")
                assert "### BEGIN SOLUTION" not in text, attack.student
                assert "BEGIN HIDDEN TESTS" not in text, attack.student


def test_late_penalty_is_stock_nbgraders(batch: Batch) -> None:
    """With a due date and SubMarks, homs records the penalty stock nbgrader records for the
    same late hand-in, and the export's total takes it off."""
    assert batch.penalties_first["stock_late"] == LATE_PENALTY
    assert batch.penalties_stock["stock_late"] == LATE_PENALTY
    assert all(batch.penalties_first[s] in (None, 0) for s in STUDENTS if s != "stock_late"), (
        batch.penalties_first
    )
    row = _export_rows(batch)["stock_late"]
    assert float(row[f"{QUIZ}.total"]) == TOTAL - LATE_PENALTY
    assert float(_export_rows(batch)[KEYED][f"{QUIZ}.total"]) == TOTAL


def test_homs_regrades_what_stock_nbgrader_changed(batch: Batch) -> None:
    """Stock nbgrader, running the student's code (it reads the key from the source
    notebook), wrote higher scores over homs's; the next ``homs autograde`` (no --force)
    grades the hand-in again, says why, and the gradebook holds what homs decided."""
    homs_scores = batch.after_first["stock_regraded"]
    assert sum(v or 0 for v in batch.after_stock["stock_regraded"].values()) > sum(
        v or 0 for v in homs_scores.values()
    ), "stock nbgrader did not change the grades: the test proves nothing"
    again = batch.result(batch.second, "stock_regraded")
    assert again.status != "unchanged (skipped)"
    assert any("graded again" in n for n in again.notes), again.notes
    assert batch.after_second["stock_regraded"] == homs_scores
    # The late honest student was graded the same by stock nbgrader: skipped, penalty kept.
    assert batch.result(batch.second, "stock_late").status == "unchanged (skipped)"


def test_damaged_ledger_records_mean_grading_again(batch: Batch) -> None:
    """A ledger record cut in half is not trusted: the student is graded again, to the same
    scores; everyone else is skipped as unchanged."""
    for student in CUT_LEDGER:
        r = batch.result(batch.second, student)
        assert r.status == "graded", (student, r.status, r.notes)
        assert batch.after_second[student] == FULL
    skipped = {
        r.student
        for r in batch.second.results
        if r.status == "unchanged (skipped)" and r.student not in (*CUT_LEDGER, "stock_regraded")
    }
    assert KEYED not in skipped
    assert BLANK in skipped


def test_the_report_completes(batch: Batch) -> None:
    """``homs report`` reads every hand-in (a null in a source list, metadata 900 deep, links,
    a FIFO) and completes, counting every student who handed in."""
    assert batch.report_error is None, repr(batch.report_error)
    summary = batch.report.summary()
    assert QUIZ in summary


def test_the_report_reads_no_refused_hand_in(batch: Batch) -> None:
    """The report reads answers only from hand-ins autograde would grade: a link to the
    source notebook (which holds the key) or to a classmate's is not read as answers."""
    from homs.grading.authoring.spec import load_quiz
    from homs.grading.course.gradebook import gradebook, quiz_grades
    from homs.grading.reports.report import _read_answers

    with gradebook(batch.course) as gb:
        grades = quiz_grades(gb, QUIZ)
    answers = _read_answers(batch.course, load_quiz(QUIZ), grades)
    for attack in ATTACKS:
        if attack.status == "refused" and attack.student in answers:
            assert answers[attack.student] is None, attack.student


def test_the_terminal_gets_no_control_characters(batch: Batch) -> None:
    """The status tables, the progress lines on stderr and the report's summary hold no
    control character a student chose (ESC, BEL, C1), yet name the students."""
    texts = {
        "first table": batch.first.table(),
        "second table": batch.second.table(),
        "report summary": batch.report.summary() if batch.report else "",
    }
    for name, text in texts.items():
        bad = sorted({repr(c) for c in CONTROL.findall(text)})
        assert not bad, f"{name}: {bad}"
    assert "adv_osc52_" in texts["first table"]
    assert "bonus" in texts["first table"]
    # The progress bar is rich's (it may colour its own bar): no byte a student chose.
    for chosen in (OSC52, CLEAR, "\x9b", "\x07", "\x9c"):
        assert chosen not in batch.progress, repr(chosen)
    assert "adv_osc52_" in batch.progress


def _export_rows(batch: Batch) -> dict[str, dict[str, str]]:
    """grades.csv as read back by the csv module: student id cell -> column -> cell."""
    with batch.export.path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return {row["student_id"]: row for row in rows}


def test_the_csv_holds_no_formula(batch: Batch) -> None:
    """Student ids a spreadsheet would run are written as text (a leading apostrophe, as
    OWASP advises); no cell of grades.csv starts with =, +, -, @, a tab or a return."""
    rows = _export_rows(batch)
    for student in FORMULA_IDS:
        assert "'" + student in rows, sorted(rows)
        assert float(rows["'" + student][f"{QUIZ}.total"]) == 1
    with batch.export.path.open(newline="", encoding="utf-8") as fh:
        cells = [cell for row in csv.reader(fh) for cell in row]
    risky = [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert not risky
