"""The machine: a student's kernel cannot take the grader's memory, disk or neighbours.

One module-scoped run grades, with every hand-in executed in the sandbox (one worker, two
kernels at a time), a blank and two honest students beside attackers that fork memory hogs,
fill their disk, display huge outputs, try to reach the kernel graded beside them (over
127.0.0.1, an abstract Unix socket, and the other kernel's ipc socket files), and write files
beside their own connection file; and once more with control groups forced off. The limits are
smaller than the defaults, so that the attacks cost the test machine little. Each test checks
that the batch completed, no attacker scored above what its answers deserve, the other
students and the gradebook are untouched, and the limit (not the attack's own bound) stopped it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from helpers import copy_course, release_with_nbgrader
from homs import grading
from homs.grading.engine import cgroups

from ._craft import (
    HONEST,
    POINTS,
    QUIZ,
    SANDBOX_GUARD,
    SUCCESS,
    Submission,
    _process,
    blank,
    dump,
    honest_submission,
    scores,
)
from ._evidence import (
    canary,
    changed_files,
    context_for,
    gradebook_problems,
    gradebook_scores,
    outputs_text,
    snapshot,
    successes,
    write_submission,
)

pytestmark = pytest.mark.slow

MiB = 1 << 20
# A cell may take 60 s: the memory hogs' children sleep 20 s, and on a loaded machine their
# allocations, and the killing of one, take long enough to reach a 30 s limit.
LIMITS = grading.Limits(
    kernel_memory_bytes=1024 * MiB,
    disk_bytes=64 * MiB,
    output_bytes=1 * MiB,
    wall_seconds=90,
    cell_seconds=60,
)

# Three children of 400 MiB each: every one under the per-process limit, 1.2 GiB together.
MEMORY_HOGS = (
    SANDBOX_GUARD
    + r"""import time
if _sandboxed():
    kids = []
    for _ in range(3):
        pid = os.fork()
        if pid == 0:
            hog = bytearray(400 << 20)
            for i in range(0, len(hog), 4096):
                hog[i] = 1
            time.sleep(20)
            os._exit(0)
        kids.append(pid)
    killed = [pid for pid in kids if os.waitpid(pid, 0)[1] != 0]
    if killed:
        print("children killed:", len(killed))
    else:
        print("all three children held 400 MiB:", @SUCCESS@)
"""
)
# Writes 8 MiB files into its folder and its temporary folder until the disk is full.
DISK_FILLER = (
    SANDBOX_GUARD
    + r"""import tempfile
written = 0
if _sandboxed():
    for where in (".", tempfile.gettempdir()):
        for n in range(64):                    # 512 MiB at most in each
            try:
                with open(os.path.join(where, f"fill-{n}"), "wb") as f:
                    f.write(b"\0" * (8 << 20))
                written += 8
            except OSError as e:
                print("disk full in", where, "after", written, "MiB:", e.strerror)
                break
    if written > 200:
        print("wrote", written, "MiB:", @SUCCESS@)
"""
)
# Seven displays of 128 MiB each.
HUGE_OUTPUTS = r"""from IPython.display import display
for _ in range(7):
    display({"text/plain": "x" * (128 << 20)}, raw=True)
print("after the huge outputs")
"""
# Writes 1 MiB files into its runtime folder (beside its connection file and ipc sockets, on
# the grader's disk, not in its private filesystem), up to 160 MiB: over the per-file limit
# and over the private filesystem's size, were the folder writable.
RUNTIME_FILLER = (
    SANDBOX_GUARD
    + r"""import ipykernel
written = 0
if _sandboxed():
    where = os.path.dirname(ipykernel.get_connection_file())
    for n in range(160):
        try:
            with open(os.path.join(where, f"fill-{n}"), "wb") as f:
                f.write(b"\0" * (1 << 20))
            written += 1
        except OSError as e:
            print("runtime folder refused after", written, "MiB:", e.strerror)
            break
    if written > 64:
        print("wrote", written, "MiB in the runtime folder:", @SUCCESS@)
"""
)
# Listens on 127.0.0.1 and an abstract Unix socket for 12 s; anything heard is a leak.
LISTENER = r"""import socket, time
heard = []
servers = []
for family, address in ((socket.AF_INET, ("127.0.0.1", 47011)),
                        (socket.AF_UNIX, "\0homs-adv-machine")):
    s = socket.socket(family, socket.SOCK_STREAM)
    try:
        s.bind(address)
        s.listen()
        s.settimeout(0.1)
        servers.append(s)
        print("listening on", address)
    except OSError as e:
        print("cannot listen on", address, e)
end = time.time() + 12
while servers and time.time() < end:
    for s in servers:
        try:
            conn, _ = s.accept()
            heard.append(conn.recv(100))
        except OSError:
            pass
if heard:
    print("heard", heard, @SUCCESS@)
"""
# Tries for 12 s to reach the neighbour: 127.0.0.1, the abstract socket, its ipc socket files.
TALKER = r"""import glob, os, socket, stat, time
reached = []
def sockets_around():
    found = []
    for top in ("/var/tmp", "/tmp", os.path.dirname(os.getcwd()) + "/../.."):
        for path in glob.glob(os.path.join(top, "**", "kernel-*"), recursive=True):
            try:
                if stat.S_ISSOCK(os.stat(path).st_mode):
                    found.append(path)
            except OSError:
                pass
    return found
mine = set()
try:
    import ipykernel
    mine = {os.path.dirname(ipykernel.get_connection_file())}
except Exception:
    pass
end = time.time() + 12
while time.time() < end and not reached:
    targets = [(socket.AF_INET, ("127.0.0.1", 47011)), (socket.AF_UNIX, "\0homs-adv-machine")]
    targets += [(socket.AF_UNIX, p) for p in sockets_around() if os.path.dirname(p) not in mine]
    for family, address in targets:
        s = socket.socket(family, socket.SOCK_STREAM)
        s.settimeout(0.2)
        try:
            s.connect(address)
            s.sendall(b"hello from @ME@")
            reached.append(address)
        except OSError:
            pass
        finally:
            s.close()
    time.sleep(0.2)
if reached:
    print("reached", reached, @SUCCESS@)
"""


@dataclass(frozen=True)
class Attack:
    student: str
    code: str
    deserved: dict[str, float]


ATTACKS = (
    Attack("adv_m1_memory_hogs", MEMORY_HOGS, scores(q3_amos_year=1)),
    Attack("adv_m2_disk_filler", DISK_FILLER, scores(q3_amos_year=1)),
    Attack("adv_m3_huge_outputs", HUGE_OUTPUTS, scores(q3_amos_year=1)),
    # Graded side by side (one worker, two kernels at a time, in this order).
    Attack("adv_m4_net_listener", LISTENER, scores(q3_amos_year=1)),
    Attack("adv_m5_net_talker", TALKER, scores(q3_amos_year=1)),
    Attack("adv_m6_runtime_filler", RUNTIME_FILLER, scores(q3_amos_year=1)),
)
BLANK = "honest_blank"
EXPECTED = {**HONEST, BLANK: scores()}

# Samples the peak memory (VmHWM) of every child of a process (the grading workers) until killed.
_WATCH = textwrap.dedent(
    """
    import os, sys, time
    parent, peak = int(sys.argv[1]), {}
    def children(pid):
        try:
            return [int(p) for t in os.listdir(f"/proc/{pid}/task")
                    for p in open(f"/proc/{pid}/task/{t}/children").read().split()]
        except OSError:
            return []
    while os.path.exists(f"/proc/{parent}"):
        for pid in children(parent):
            try:
                status = open(f"/proc/{pid}/status").read()
            except OSError:
                continue
            for line in status.splitlines():
                if line.startswith("VmHWM:"):
                    peak[pid] = max(peak.get(pid, 0), int(line.split()[1]) << 10)
        print(max(peak.values(), default=0), flush=True)
        time.sleep(0.05)
    """
)


def _cgroups_usable() -> cgroups.Cgroups:
    found = cgroups.find()
    if not found.version:
        if os.environ.get("CI") == "true" and os.getuid() == 0:
            pytest.fail(f"control groups must be writable under CI as root: {found.reason}")
        pytest.skip(f"control groups are not writable here: {found.reason}")
    return found


def _homs_groups(found: cgroups.Cgroups) -> set[str]:
    return {str(p) for folder in found.folders for p in folder.glob("homs-*")}


@dataclass
class Machine:
    course: Path
    summary: Any
    guarded_before: dict[str, str]
    guarded_after: dict[str, str]
    gradebook: dict[str, dict[str, float | None]]
    groups_before: set[str]
    groups_after: set[str]
    worker_peak: int

    def result(self, student: str) -> Any:
        found = [r for r in self.summary.results if r.student == student]
        assert len(found) == 1, f"{student}: {len(found)} results"
        return found[0]

    def notebook(self, student: str) -> Path:
        return self.course / "autograded" / student / QUIZ / f"{QUIZ}.ipynb"

    def told(self, student: str) -> str:
        r = self.result(student)
        return " | ".join([r.status, *r.notes]).lower()


@pytest.fixture(scope="module")
def machine(tmp_path_factory: pytest.TempPathFactory) -> Machine:
    """The class graded once, with execution on, in one worker with two kernels at a time."""
    if not grading.sandbox_status().isolated:
        if os.environ.get("CI") == "true":
            pytest.fail("bubblewrap must work under CI")
        pytest.skip("bubblewrap cannot create a sandbox here")
    found = _cgroups_usable()
    course = copy_course(tmp_path_factory.mktemp("machine") / "course", QUIZ)
    release = release_with_nbgrader(course, QUIZ)[QUIZ]
    with canary() as trap:
        ctx = context_for(course, release, trap, "HOMS-ADV-MACHINE")
        for student in HONEST:
            write_submission(course, student, honest_submission(ctx, student))
        write_submission(course, BLANK, Submission(dump(blank(ctx))))
        for attack in ATTACKS:
            write_submission(course, attack.student, _process(attack.code)(ctx, attack.student))
        before, groups_before = snapshot(course), _homs_groups(found)
        watch = subprocess.Popen(
            [sys.executable, "-c", _WATCH, str(os.getpid())],
            stdout=subprocess.PIPE,
            stdin=subprocess.PIPE,
            text=True,
        )
        try:
            summary = grading.autograde(
                QUIZ, course=course, execute=True, workers=1, limits=LIMITS, force=True
            )
        finally:
            watch.kill()
            samples = [int(line) for line in watch.communicate()[0].split() if line.isdigit()]
    print(f"\n{summary.table()}\nworker peak: {max(samples, default=0) >> 20} MiB")
    return Machine(
        course=course,
        summary=summary,
        guarded_before=before,
        guarded_after=snapshot(course),
        gradebook=gradebook_scores(course / "gradebook.db"),
        groups_before=groups_before,
        groups_after=_homs_groups(found),
        worker_peak=max(samples, default=0),
    )


def test_the_batch_completes_and_every_student_is_graded(machine: Machine) -> None:
    """Every student has one result; the summary warns of no missing limit."""
    got = sorted(r.student for r in machine.summary.results)
    assert got == sorted([*EXPECTED, *(a.student for a in ATTACKS)])
    assert machine.summary.warning is None, machine.summary.warning


@pytest.mark.parametrize("student", sorted(EXPECTED))
def test_other_students_are_graded_normally(machine: Machine, student: str) -> None:
    """The blank and the honest students get exactly their scores, in the gradebook too, and no
    note, whatever their neighbours did."""
    r = machine.result(student)
    assert r.status == "graded", machine.told(student)
    assert {i.grade_id: i.score for i in r.items} == EXPECTED[student]
    assert machine.gradebook.get(student) == EXPECTED[student]
    assert not r.notes, r.notes


@pytest.mark.parametrize("attack", ATTACKS, ids=[a.student for a in ATTACKS])
def test_no_attacker_scores_more_than_its_answers(machine: Machine, attack: Attack) -> None:
    """An attacker's score is no more than its answers deserve, in the summary and the
    gradebook, and nothing it ran says it got through."""
    r = machine.result(attack.student)
    for item in r.items:
        assert (item.score or 0) <= attack.deserved[item.grade_id], (item, machine.told(r.student))
    book = machine.gradebook.get(attack.student, {})
    assert all((book.get(i) or 0) <= attack.deserved[i] for i in POINTS), book
    path = machine.notebook(attack.student)
    said = successes(path) if path.is_file() else []
    assert not said, f"{attack.student} got through: {said}"


def test_the_gradebook_and_the_course_are_untouched(machine: Machine) -> None:
    """The gradebook is intact and no hand-in, source or release file changed."""
    students = {*EXPECTED, *(a.student for a in ATTACKS)}
    problems = gradebook_problems(
        machine.course / "gradebook.db",
        students=students,
        grade_cells=POINTS,
        canaries=("PWNED", SUCCESS),
    )
    assert not problems, problems
    assert not changed_files(machine.guarded_before, machine.guarded_after)


def test_memory_hogs_together_hit_the_kernel_limit(machine: Machine) -> None:
    """Three children under the per-process limit but over the kernel's limit together: one is
    killed (or the kernel), the teacher is told it reached the memory limit, the batch goes on."""
    told = machine.told("adv_m1_memory_hogs")
    assert "memory limit reached" in told, told
    text = outputs_text(machine.notebook("adv_m1_memory_hogs"))
    assert "children killed" in text or "kernel died" in told, (told, text[:500])


def test_a_disk_filler_stops_at_its_private_disk(machine: Machine) -> None:
    """Writing files fills the kernel's private filesystem, not the grader's disk."""
    text = outputs_text(machine.notebook("adv_m2_disk_filler"))
    assert "disk full in . after" in text, text[:500]
    written = int(text.split("disk full in . after")[1].split()[0])
    assert written <= LIMITS.disk_bytes // MiB, text[:500]


def test_huge_outputs_are_dropped_and_the_worker_stays_small(machine: Machine) -> None:
    """Seven displays of 128 MiB never reach the worker (its peak memory stays far below one
    of them... times seven), and the attacker's notebook says its output was cut."""
    text = outputs_text(machine.notebook("adv_m3_huge_outputs"))
    assert "output cut" in text, text[:500]
    told = machine.told("adv_m3_huge_outputs")
    assert "output over the limit" in told, told
    # The cell ends when the dropped connection is noticed, not at a timeout.
    assert machine.result("adv_m3_huge_outputs").status == "graded", told
    assert 0 < machine.worker_peak < 600 * MiB, machine.worker_peak >> 20


def test_neighbouring_kernels_cannot_talk(machine: Machine) -> None:
    """The listener heard nothing and the talker reached nothing: not over 127.0.0.1, not over
    an abstract Unix socket, not through the neighbour's ipc socket files."""
    listener = outputs_text(machine.notebook("adv_m4_net_listener"))
    talker = outputs_text(machine.notebook("adv_m5_net_talker"))
    assert "heard" not in listener, listener[:500]
    assert "reached" not in talker, talker[:500]


def test_no_control_group_is_left_behind(machine: Machine) -> None:
    """Every kernel's and worker's control group is removed after the run (groups of workers
    still running belong to other gradings on this machine)."""
    left = {
        group
        for group in machine.groups_after - machine.groups_before
        if not Path("/proc", group.rsplit("homs-", 1)[1]).exists()
    }
    assert not left, left


def test_a_runtime_folder_filler_cannot_write_there(machine: Machine) -> None:
    """The folder with the kernel's connection file and sockets is on the grader's disk: once
    the kernel is ready it is the grader's, so not one file of the attacker lands there."""
    text = outputs_text(machine.notebook("adv_m6_runtime_filler"))
    assert "runtime folder refused after 0 MiB" in text, text[:500]


# Prints, until killed, the soft address-space limit of each child of a process (the workers).
_LIMITS = textwrap.dedent(
    """
    import os, sys, time
    parent = int(sys.argv[1])
    while os.path.exists(f"/proc/{parent}"):
        try:
            kids = open(f"/proc/{parent}/task/{parent}/children").read().split()
        except OSError:
            kids = []
        for pid in kids:
            try:
                for line in open(f"/proc/{pid}/limits"):
                    if line.startswith("Max address space"):
                        print(pid, line.split()[3], flush=True)
            except OSError:
                pass
        time.sleep(0.05)
    """
)


def test_without_control_groups_the_worker_limits_its_own_memory(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Control groups forced off: the worker limits its own address space instead, grading
    (the zygote, the kernels, huge outputs) still works, and the summary names only the kernel
    limits that are missing."""
    if not grading.sandbox_status().isolated:
        pytest.skip("bubblewrap cannot create a sandbox here")
    course = copy_course(tmp_path_factory.mktemp("no-cgroups") / "course", QUIZ)
    release = release_with_nbgrader(course, QUIZ)[QUIZ]
    with canary() as trap:
        ctx = context_for(course, release, trap, "HOMS-ADV-NO-CGROUPS")
        write_submission(course, "honest_all_right", honest_submission(ctx, "honest_all_right"))
        huge = _process(HUGE_OUTPUTS)(ctx, "adv_m3_huge_outputs")
        write_submission(course, "adv_m3_huge_outputs", huge)
    # In the environment: workers may be spawned, not forked, and see no patched function.
    monkeypatch.setenv("HOMS_CGROUPS", "off")
    watch = subprocess.Popen(
        [sys.executable, "-c", _LIMITS, str(os.getpid())], stdout=subprocess.PIPE, text=True
    )
    try:
        summary = grading.autograde(
            QUIZ, course=course, execute=True, workers=1, limits=LIMITS, force=True
        )
    finally:
        watch.kill()
        seen = {line.split()[1] for line in watch.communicate()[0].splitlines()}
    assert str(LIMITS.worker_memory_bytes) in seen, seen
    results = {r.student: r for r in summary.results}
    honest = results["honest_all_right"]
    assert honest.status == "graded", honest.notes
    assert {i.grade_id: i.score for i in honest.items} == HONEST["honest_all_right"]
    huge_result = results["adv_m3_huge_outputs"]
    assert "output over the limit" in " ".join(huge_result.notes), huge_result.notes
    warning = summary.warning or ""
    assert "number of a kernel's processes together (turned off by HOMS_CGROUPS=off)" in warning
    assert "grading workers" not in warning, warning
