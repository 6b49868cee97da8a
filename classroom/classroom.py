#!/usr/bin/env python3
"""The local classroom: JupyterHub, nbgrader's exchange and a PostgreSQL gradebook on 127.0.0.1.

``make classroom`` runs ``classroom.py start`` (in the foreground: Ctrl-C stops everything),
``make classroom-stop`` runs ``classroom.py stop``. Only the standard library is used here, so
any Python 3.10+ run as root can drive it; what the classroom runs comes from its own
environment (``<state>/venv``, built from Debian's ``/usr/bin/python3`` so that the spawned Unix
users can read it, with ``homs[classroom]`` installed).

What ``start`` sets up (each step is idempotent; ``--fresh`` wipes the classroom's state first):

- Unix accounts (locked, no Unix password, homes 0700): one instructor, the course's grading
  account ``grader-<course>`` (nbgrader's multiple-classes demo), and the students;
- PostgreSQL (Debian's binaries): a cluster of the classroom's own in ``<state>/pg``, run as the
  ``postgres`` user, on 127.0.0.1 and a Unix socket; the gradebook database ``<course>`` belongs
  to ``grader-<course>``, who logs in by peer authentication (no password anywhere);
- the exchange root ``<state>/exchange`` (root-owned, 1777: nobody can rename another's entry);
- Jupyter configuration by role (``<state>/jupyter``): the global ``nbgrader_config.py``
  (exchange root, ``path_includes_course``, JupyterHub groups as courses), and which nbgrader
  extensions each role sees (students: assignment list; instructor: assignment list and course
  list; the grading service: formgrader and create assignment);
- the course ``/home/grader-<course>/<course>``: the project's ``quizzes/nbgrader_config.py``
  plus the classroom's ``course_id`` and ``db_url``, and the quizzes' source notebooks;
- JupyterHub (``classroom/jupyterhub_config.py``) with configurable-http-proxy from
  ``classroom/node_modules`` and the local-process spawner; the course's formgrader runs as a
  hub service as ``grader-<course>``.

Settings come from the environment: ``HOMS_CLASSROOM_DIR`` (state, default
``classroom/run``), ``HOMS_CLASSROOM_PORT`` (default 8765; the hub's API, the proxy's API, the
grading service and PostgreSQL use the next four ports), ``HOMS_CLASSROOM_COURSE`` (default
``homs101``) and ``HOMS_CLASSROOM_STUDENTS`` (default ``ada,ben,cleo``; the accounts are
``<course>-<name>``).
"""

from __future__ import annotations

import argparse
import contextlib
import grp
import hashlib
import json
import os
import pwd
import re
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HERE = ROOT / "classroom"
PROXY = HERE / "node_modules" / ".bin" / "configurable-http-proxy"
SYSTEM_PYTHON = "/usr/bin/python3"
FALLBACK_STATE = Path("/var/tmp/homs-classroom")
#: The nbgrader lab plugins and server extensions, and which role sees which (nbgrader's
#: "Using nbgrader with JupyterHub", the table of extensions per account).
LAB_PLUGINS = {
    "assignment_list": "@jupyter/nbgrader:assignment-list",
    "course_list": "@jupyter/nbgrader:course-list",
    "formgrader": "@jupyter/nbgrader:formgrader",
    "create_assignment": "@jupyter/nbgrader:create-assignment",
    "validate_assignment": "@jupyter/nbgrader:validate-assignment",
}
ROLE_EXTENSIONS = {
    "student": {"assignment_list", "validate_assignment"},
    "instructor": {"assignment_list", "course_list", "validate_assignment"},
    "grader": {"formgrader", "create_assignment", "validate_assignment"},
}
# Outside requests JupyterLab makes by itself; this machine (and a classroom) need none.
LAB_QUIET = ["@jupyterlab/apputils-extension:announcements"]


def say(*parts: object) -> None:
    print("classroom:", *parts, flush=True)


class ClassroomError(RuntimeError):
    """Something the classroom cannot do here; the message says why and what to do."""


@dataclass
class Settings:
    """Where the classroom lives, its ports and its accounts."""

    state: Path
    port: int
    course: str
    student_names: list[str] = field(default_factory=list)

    @classmethod
    def from_env(cls) -> Settings:
        given = os.environ.get("HOMS_CLASSROOM_DIR")
        state = Path(given or HERE / "run").resolve()
        if not given and not world_traversable(HERE):
            # The students' servers must reach the classroom's environment; a clone in a
            # private folder (such as /root) cannot be the place.
            state = FALLBACK_STATE
        port = int(os.environ.get("HOMS_CLASSROOM_PORT") or 8765)
        course = os.environ.get("HOMS_CLASSROOM_COURSE") or "homs101"
        if not re.fullmatch(r"[a-z][a-z0-9]{1,15}", course):
            raise ClassroomError(f"course id {course!r}: use 2-16 lowercase letters and digits")
        names = (os.environ.get("HOMS_CLASSROOM_STUDENTS") or "ada,ben,cleo").split(",")
        names = [n.strip() for n in names if n.strip()]
        return cls(state, port, course, names)

    # -- accounts ---------------------------------------------------------------------------
    @property
    def instructor(self) -> str:
        return f"{self.course}-instructor"

    @property
    def grader(self) -> str:
        return f"grader-{self.course}"

    @property
    def students(self) -> list[str]:
        return [f"{self.course}-{n}" for n in self.student_names]

    @property
    def accounts(self) -> list[str]:
        return [self.instructor, self.grader, *self.students]

    # -- ports ------------------------------------------------------------------------------
    @property
    def hub_port(self) -> int:
        return self.port + 1

    @property
    def proxy_api_port(self) -> int:
        return self.port + 2

    @property
    def service_port(self) -> int:
        return self.port + 3

    @property
    def pg_port(self) -> int:
        return self.port + 4

    # -- paths ------------------------------------------------------------------------------
    @property
    def venv(self) -> Path:
        """The environment, shared by the classroom's courses."""
        return self.state / "venv"

    @property
    def home(self) -> Path:
        """This course's classroom: its database cluster, hub, exchange and configuration."""
        return self.state / self.course

    @property
    def pg(self) -> Path:
        return self.home / "pg"

    @property
    def pg_socket(self) -> Path:
        return self.pg / "socket"

    @property
    def exchange(self) -> Path:
        return self.home / "exchange"

    @property
    def hub(self) -> Path:
        return self.home / "hub"

    @property
    def jupyter(self) -> Path:
        return self.home / "jupyter"

    @property
    def secrets_file(self) -> Path:
        return self.home / "secrets.json"

    @property
    def settings_file(self) -> Path:
        return self.home / "classroom.json"

    @property
    def grader_home(self) -> Path:
        return Path("/home") / self.grader

    @property
    def course_root(self) -> Path:
        return self.grader_home / self.course

    @property
    def db_url(self) -> str:
        # Peer authentication over the Unix socket: the Unix user is the database role.
        return f"postgresql+psycopg2:///{self.course}?host={self.pg_socket}&port={self.pg_port}"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def config_path(self, role: str) -> str:
        """JUPYTER_CONFIG_PATH for a role: its own folder first, then the common one."""
        return f"{self.jupyter / role}:{self.jupyter / 'common'}"

    @property
    def pythonpath(self) -> Path:
        """Where the classroom's exchange module is importable from (PYTHONPATH)."""
        return self.home / "python"

    def env_path(self) -> str:
        return f"{self.venv / 'bin'}:/usr/local/bin:/usr/bin:/bin"

    def as_json(self) -> dict[str, object]:
        return {
            "root": str(ROOT),
            "state": str(self.state),
            "url": self.url,
            "port": self.port,
            "hub_port": self.hub_port,
            "proxy_api_port": self.proxy_api_port,
            "service_port": self.service_port,
            "pg_port": self.pg_port,
            "pg_socket": str(self.pg_socket),
            "course": self.course,
            "instructor": self.instructor,
            "grader": self.grader,
            "students": self.students,
            "venv": str(self.venv),
            "proxy": str(PROXY),
            "exchange": str(self.exchange),
            "hub_dir": str(self.hub),
            "jupyter": str(self.jupyter),
            "secrets": str(self.secrets_file),
            "course_root": str(self.course_root),
            "grader_home": str(self.grader_home),
            "db_url": self.db_url,
            "path": self.env_path(),
            "pythonpath": str(self.pythonpath),
            "config_path": {r: self.config_path(r) for r in ROLE_EXTENSIONS},
        }


# -- small helpers ----------------------------------------------------------------------------


def run(argv: list[str], **kw: object) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(argv, text=True, capture_output=True, **kw)  # type: ignore[call-overload]
    if done.returncode != 0:
        raise ClassroomError(
            f"{' '.join(map(str, argv))} failed ({done.returncode}):\n{done.stdout}{done.stderr}"
        )
    return done


def user_env(name: str, extra: dict[str, str] | None = None) -> dict[str, str]:
    pw = pwd.getpwnam(name)
    env = {
        "HOME": pw.pw_dir,
        "USER": name,
        "LOGNAME": name,
        "SHELL": "/bin/bash",
        "LANG": "C.UTF-8",
        "PATH": "/usr/local/bin:/usr/bin:/bin",
    }
    env.update(extra or {})
    return env


def as_user(
    name: str, argv: list[str], env: dict[str, str] | None = None, **kw: object
) -> subprocess.CompletedProcess[str]:
    """Runs a command as a Unix user (real uid, gid and groups), in that user's home."""
    pw = pwd.getpwnam(name)
    groups = [g.gr_gid for g in grp.getgrall() if name in g.gr_mem]
    kw.setdefault("cwd", pw.pw_dir)
    return run(
        argv,
        user=pw.pw_uid,
        group=pw.pw_gid,
        extra_groups=groups,
        env=user_env(name, env),
        **kw,
    )


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie child counts as gone.
    with contextlib.suppress(OSError):
        if Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1].startswith("Z"):
            return False
    return True


def read_pid(path: Path) -> int | None:
    try:
        return int(path.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def uid_processes(uids: set[int]) -> list[int]:
    """The processes whose real uid is one of these (the classroom's accounts)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            for line in (entry / "status").read_text().splitlines():
                if line.startswith("State:") and line.split()[1] == "Z":
                    break  # a zombie: already gone, waiting for its parent
                if line.startswith("Uid:"):
                    if int(line.split()[1]) in uids:
                        found.append(int(entry.name))
                    break
    return found


def world_traversable(path: Path) -> bool:
    for part in [path, *path.parents]:
        if part.exists() and not os.stat(part).st_mode & 0o001:
            return False
    return True


def http_ok(url: str, timeout: float = 2.0, *, any_answer: bool = False) -> bool:
    """Whether the URL answers 2xx/3xx (or anything at all, with ``any_answer``)."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:  # loopback only
            return 200 <= r.status < 400
    except urllib.error.HTTPError:
        return any_answer
    except OSError:
        return False


def pg_bin() -> Path:
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"),
        key=lambda p: int(p.parts[-3]) if p.parts[-3].isdigit() else 0,
    )
    if not found:
        raise ClassroomError(
            "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/pg_ctl). "
            "Run `make classroom` (which runs .ci/classroom-deps) or `apt-get install postgresql`."
        )
    return found[-1].parent


# -- checks -----------------------------------------------------------------------------------


def preflight(s: Settings) -> None:
    """Raises ClassroomError naming what this machine lacks."""
    if sys.platform != "linux":
        raise ClassroomError(
            f"the classroom needs Linux (Unix accounts, setuid); this is {sys.platform}"
        )
    if os.geteuid() != 0:
        raise ClassroomError(
            "the classroom must be started as root: it creates Unix accounts and JupyterHub's "
            "local-process spawner switches to them (try: sudo make classroom)"
        )
    for tool in ("useradd", "userdel"):
        if shutil.which(tool) is None:
            raise ClassroomError(f"{tool} is missing (Debian package passwd)")
    with contextlib.suppress(KeyError):
        pwd.getpwnam("postgres")
    pg_bin()
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        raise ClassroomError("the postgres user is missing: apt-get install postgresql") from None
    if not PROXY.exists():
        raise ClassroomError(
            f"{PROXY} is missing: run `make classroom` or `npm ci --prefix classroom` "
            "(configurable-http-proxy, installed in the project, never globally)"
        )
    if not Path(SYSTEM_PYTHON).exists():
        raise ClassroomError(f"{SYSTEM_PYTHON} is missing (Debian packages python3, python3-venv)")
    if not world_traversable(s.state.parent):
        raise ClassroomError(
            f"{s.state.parent} is not reachable by other users, so the students' servers could "
            "not reach the classroom's environment. Set HOMS_CLASSROOM_DIR to a folder outside "
            "it, e.g. HOMS_CLASSROOM_DIR=/srv/homs-classroom"
        )


# -- the environment ----------------------------------------------------------------------------


def _digest(paths: list[Path]) -> str:
    h = hashlib.sha256()
    for base in paths:
        files = sorted(p for p in base.rglob("*") if p.is_file()) if base.is_dir() else [base]
        for f in files:
            if "__pycache__" in f.parts:
                continue
            h.update(str(f.relative_to(ROOT)).encode())
            h.update(f.read_bytes())
    return h.hexdigest()


def ensure_venv(s: Settings) -> None:
    """The classroom's environment: Debian's Python (readable by every user) with
    ``homs[classroom]`` installed (not editable: the students' servers import it)."""
    python = s.venv / "bin" / "python"
    deps = _digest([ROOT / "pyproject.toml"])
    code = _digest([ROOT / "src", ROOT / "seeds"])
    stamp = s.venv / ".homs-installed"
    have = stamp.read_text().split() if stamp.exists() else []
    if not python.exists():
        say(f"creating the classroom's environment in {s.venv} (Debian's {SYSTEM_PYTHON})")
        run([SYSTEM_PYTHON, "-m", "venv", str(s.venv)])
        have = []
    env = {**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    if have[:1] != [deps]:
        say("installing homs[classroom] into it (JupyterHub, nbgrader, psycopg2; a minute or two)")
        run(
            [str(python), "-m", "pip", "install", "--quiet", f"{ROOT}[classroom]"],
            env=env,
            cwd=ROOT,
        )
    elif have[1:2] != [code]:
        say("reinstalling homs into the classroom's environment (its code changed)")
        run(
            [
                str(python),
                "-m",
                "pip",
                "install",
                "--quiet",
                "--no-deps",
                "--force-reinstall",
                str(ROOT),
            ],
            env=env,
            cwd=ROOT,
        )
    stamp.write_text(f"{deps} {code}\n")


# -- accounts -----------------------------------------------------------------------------------


def ensure_accounts(s: Settings, fresh: bool) -> None:
    for name in s.accounts:
        exists = True
        try:
            pwd.getpwnam(name)
        except KeyError:
            exists = False
        if exists and fresh:
            left = uid_processes({pwd.getpwnam(name).pw_uid})
            if left:
                raise ClassroomError(f"{name} still has processes {left}: run classroom.py stop")
            run(["userdel", "--remove", name])
            exists = False
        if not exists:
            # Locked account: no Unix password, so nobody logs in to the machine with it; the
            # hub's own authenticator (classroom/jupyterhub_config.py) checks the password.
            run(
                [
                    "useradd",
                    "--create-home",
                    "--shell",
                    "/bin/bash",
                    "--user-group",
                    "--comment",
                    f"homs classroom {s.course}",
                    name,
                ]
            )
        os.chmod(pwd.getpwnam(name).pw_dir, 0o700)


def ensure_secrets(s: Settings, fresh: bool) -> dict[str, object]:
    old: dict[str, object] = {}
    if s.secrets_file.exists() and not fresh:
        old = json.loads(s.secrets_file.read_text())
    passwords = dict(old.get("passwords", {}))  # type: ignore[arg-type]
    for name in [s.instructor, *s.students]:
        passwords.setdefault(name, secrets.token_urlsafe(9))
    data = {
        "passwords": passwords,
        "admin_token": old.get("admin_token") or secrets.token_hex(32),
        "proxy_token": old.get("proxy_token") or secrets.token_hex(32),
    }
    s.secrets_file.touch(mode=0o600)
    os.chmod(s.secrets_file, 0o600)
    s.secrets_file.write_text(json.dumps(data, indent=1))
    return data


# -- PostgreSQL ---------------------------------------------------------------------------------


def _pg_ctl(s: Settings, *args: str) -> subprocess.CompletedProcess[str]:
    return as_user("postgres", [str(pg_bin() / "pg_ctl"), "-D", str(s.pg / "data"), *args], cwd="/")


def _psql(s: Settings, sql: str, db: str = "postgres") -> str:
    done = as_user(
        "postgres",
        [
            str(pg_bin() / "psql"),
            "-X",
            "-q",
            "-t",
            "-A",
            "-v",
            "ON_ERROR_STOP=1",
            "-h",
            str(s.pg_socket),
            "-p",
            str(s.pg_port),
            "-d",
            db,
            "-c",
            sql,
        ],
        cwd="/",
    )
    return done.stdout.strip()


def ensure_postgres(s: Settings) -> None:
    pg_uid = pwd.getpwnam("postgres").pw_uid
    pg_gid = pwd.getpwnam("postgres").pw_gid
    s.pg.mkdir(parents=True, exist_ok=True)
    os.chown(s.pg, pg_uid, pg_gid)
    os.chmod(s.pg, 0o755)
    data = s.pg / "data"
    if not (data / "PG_VERSION").exists():
        say(f"creating a PostgreSQL cluster in {data}")
        as_user(
            "postgres",
            [
                str(pg_bin() / "initdb"),
                "-D",
                str(data),
                "-U",
                "postgres",
                "--auth-local=peer",
                "--auth-host=scram-sha-256",
                "--encoding=UTF8",
                "--locale=C.UTF-8",
            ],
            cwd="/",
        )
    s.pg_socket.mkdir(exist_ok=True)
    os.chown(s.pg_socket, pg_uid, pg_gid)
    os.chmod(s.pg_socket, 0o755)
    # Unix socket: peer (the Unix user is the role: grader-<course> and postgres, nobody else
    # has a role). TCP on 127.0.0.1 only, and no role has a password, so no TCP login works.
    (data / "pg_hba.conf").write_text(
        "# written by classroom/classroom.py\n"
        "local all all peer\n"
        "host all all 127.0.0.1/32 scram-sha-256\n"
    )
    (data / "postgresql.auto.conf").write_text(
        "# written by classroom/classroom.py\n"
        "listen_addresses = '127.0.0.1'\n"
        f"port = {s.pg_port}\n"
        f"unix_socket_directories = '{s.pg_socket}'\n"
        "max_connections = 200\n"
        "fsync = on\n"
    )
    pid = read_pid(data / "postmaster.pid")
    if pid is None or not alive(pid):
        say(f"starting PostgreSQL on 127.0.0.1:{s.pg_port} and {s.pg_socket}")
        _pg_ctl(s, "-l", str(s.pg / "postgresql.log"), "-w", "-t", "60", "start")
    else:
        _pg_ctl(s, "reload")


def ensure_database(s: Settings, fresh: bool) -> None:
    role = s.grader
    if fresh:
        _psql(s, f'DROP DATABASE IF EXISTS "{s.course}" WITH (FORCE)')
    if not _psql(s, f"SELECT 1 FROM pg_roles WHERE rolname = '{role}'"):
        _psql(s, f'CREATE ROLE "{role}" LOGIN')
    if not _psql(s, f"SELECT 1 FROM pg_database WHERE datname = '{s.course}'"):
        _psql(s, f'CREATE DATABASE "{s.course}" OWNER "{role}"')
    _psql(s, f'REVOKE ALL ON DATABASE "{s.course}" FROM PUBLIC')


# -- Jupyter configuration and the course -------------------------------------------------------


GLOBAL_NBGRADER_CONFIG = '''\
"""nbgrader's global configuration in the classroom (written by classroom/classroom.py).

Every server of the classroom reads it (JUPYTER_CONFIG_PATH): the exchange and how courses are
found, as in nbgrader's multiple-classes demo.
"""

c = get_config()  # noqa: F821
c.Exchange.root = {exchange!r}
# <exchange>/<course>/..., and the students' copies in ~/<course>/<quiz>/.
c.Exchange.path_includes_course = True
# A user's courses are the JupyterHub groups nbgrader-<course> and formgrade-<course>.
c.Authenticator.plugin_class = "nbgrader.auth.JupyterHubAuthPlugin"
c.NbGrader.course_titles = {{{course!r}: "Homs: reading three news texts"}}
# Stock nbgrader's exchange with three holes closed (classroom/homs_classroom_exchange.py, on
# the servers' PYTHONPATH): hand-ins readable by the graders only, hand-ins refused unless
# owned by the student they name, and claimed times checked against the files' change times.
c.ExchangeFactory.submit = "homs_classroom_exchange.ExchangeSubmit"
c.ExchangeFactory.collect = "homs_classroom_exchange.ExchangeCollect"
'''

GRADER_NBGRADER_CONFIG = '''\
"""The grading account's nbgrader configuration (written by classroom/classroom.py).

The formgrader and nbgrader's exchange read the user's configuration, not the course's; the
course's own nbgrader_config.py (course_id, db_url, the homs settings) is loaded from here, so
it stays the one place those are set.
"""

c = get_config()  # noqa: F821
c.CourseDirectory.root = {root!r}
load_subconfig({config!r})  # noqa: F821
'''

CLASSROOM_COURSE_SETTINGS = """
# -- The classroom (added by classroom/classroom.py) ------------------------------------------
# The course id names the exchange folder and the JupyterHub groups formgrade-{course} (the
# formgrader) and nbgrader-{course} (the assignment list).
c.CourseDirectory.course_id = {course!r}
# The gradebook: PostgreSQL over its Unix socket, peer authentication as {grader}.
c.CourseDirectory.db_url = {db_url!r}
"""


def write_jupyter_config(s: Settings) -> None:
    if s.jupyter.exists():
        shutil.rmtree(s.jupyter)
    common = s.jupyter / "common"
    (common / "labconfig").mkdir(parents=True)
    (common / "nbgrader_config.py").write_text(
        GLOBAL_NBGRADER_CONFIG.format(exchange=str(s.exchange), course=s.course)
    )
    (common / "jupyter_server_config.json").write_text(
        json.dumps(
            {
                "LabApp": {
                    "news_url": None,
                    "check_for_updates_class": "jupyterlab.NeverCheckForUpdate",
                }
            },
            indent=1,
        )
    )
    for role, shown in ROLE_EXTENSIONS.items():
        folder = s.jupyter / role
        (folder / "labconfig").mkdir(parents=True)
        hidden = sorted(set(LAB_PLUGINS) - shown)
        (folder / "jupyter_server_config.json").write_text(
            json.dumps(
                {
                    "ServerApp": {
                        "jpserver_extensions": {
                            f"nbgrader.server_extensions.{name}": name in shown
                            for name in LAB_PLUGINS
                        }
                    }
                },
                indent=1,
            )
        )
        (folder / "labconfig" / "page_config.json").write_text(
            json.dumps(
                {
                    "disabledExtensions": {
                        **{LAB_PLUGINS[name]: True for name in hidden},
                        **{p: True for p in LAB_QUIET},
                    }
                },
                indent=1,
            )
        )
    for path in [s.jupyter, *s.jupyter.rglob("*")]:
        os.chmod(path, 0o755 if path.is_dir() else 0o644)


def ensure_exchange_module(s: Settings) -> None:
    s.pythonpath.mkdir(exist_ok=True)
    os.chmod(s.pythonpath, 0o755)
    target = s.pythonpath / "homs_classroom_exchange.py"
    shutil.copy(HERE / "homs_classroom_exchange.py", target)
    os.chmod(target, 0o644)


def ensure_exchange(s: Settings, fresh: bool) -> None:
    if fresh and s.exchange.exists():
        shutil.rmtree(s.exchange)
    s.exchange.mkdir(exist_ok=True)
    os.chown(s.exchange, 0, 0)
    # World-writable as nbgrader needs (the instructor creates <course>/ there), with the sticky
    # bit: nobody can rename or delete another user's <course>/ and put their own in its place.
    # nbgrader's release compares only the 0o777 bits, so it leaves the sticky bit alone.
    os.chmod(s.exchange, 0o1777)


def ensure_course(s: Settings) -> None:
    grader = pwd.getpwnam(s.grader)
    root = s.course_root
    created = not root.exists()
    if created:
        say(f"creating the course {s.course} in {root}")
        root.mkdir()
        shutil.copytree(
            ROOT / "quizzes" / "source",
            root / "source",
            ignore=shutil.ignore_patterns(".ipynb_checkpoints"),
        )
    config = (ROOT / "quizzes" / "nbgrader_config.py").read_text()
    config += CLASSROOM_COURSE_SETTINGS.format(course=s.course, grader=s.grader, db_url=s.db_url)
    (root / "nbgrader_config.py").write_text(config)
    dot = s.grader_home / ".jupyter"
    dot.mkdir(exist_ok=True)
    (dot / "nbgrader_config.py").write_text(
        GRADER_NBGRADER_CONFIG.format(root=str(root), config=str(root / "nbgrader_config.py"))
    )
    for path in [s.grader_home, *s.grader_home.rglob("*")]:
        os.lchown(path, grader.pw_uid, grader.pw_gid)
    os.chmod(s.grader_home, 0o700)
    if created:
        # The source notebooks as the installed homs builds them from its specs.
        grader_run(s, ["homs", "build", "--course", str(root)])


def grader_run(s: Settings, argv: list[str]) -> subprocess.CompletedProcess[str]:
    """Runs a command of the classroom's environment as the course's grading account, as the
    instructor would in a terminal of the course's service."""
    env = {
        "PATH": s.env_path(),
        "JUPYTER_CONFIG_PATH": s.config_path("grader"),
        "PYTHONPATH": str(s.pythonpath),
    }
    return as_user(s.grader, [str(s.venv / "bin" / argv[0]), *argv[1:]], env=env)


# -- JupyterHub ---------------------------------------------------------------------------------


def hub_pid(s: Settings) -> int | None:
    pid = read_pid(s.hub / "jupyterhub.pid")
    return pid if pid and alive(pid) else None


def start_hub(s: Settings) -> None:
    s.hub.mkdir(exist_ok=True)
    os.chmod(s.hub, 0o700)
    if hub_pid(s):
        say("JupyterHub is already running")
        return
    env = {
        "PATH": s.env_path(),
        "LANG": "C.UTF-8",
        "HOME": str(s.hub),
        "HOMS_CLASSROOM_SETTINGS": str(s.settings_file),
    }
    log = (s.hub / "jupyterhub.log").open("ab")
    hub = subprocess.Popen(
        [str(s.venv / "bin" / "jupyterhub"), "-f", str(HERE / "jupyterhub_config.py")],
        cwd=s.hub,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    (s.hub / "jupyterhub.pid").write_text(f"{hub.pid}\n")
    deadline = time.monotonic() + 120
    while not http_ok(f"{s.url}/hub/api/"):
        if hub.poll() is not None or time.monotonic() > deadline:
            tail = (s.hub / "jupyterhub.log").read_text(errors="replace")[-3000:]
            raise ClassroomError(f"JupyterHub did not start; its log ends:\n{tail}")
        time.sleep(0.5)
    # The grading service (the formgrader) starts with the hub; wait until it answers.
    deadline = time.monotonic() + 120
    status = f"http://127.0.0.1:{s.service_port}/services/{s.course}/api/status"
    while not http_ok(status, any_answer=True):
        if hub.poll() is not None or time.monotonic() > deadline:
            tail = (s.hub / "jupyterhub.log").read_text(errors="replace")[-3000:]
            raise ClassroomError(
                f"the course's grading service did not start; the log ends:\n{tail}"
            )
        time.sleep(0.5)


def start(s: Settings, fresh: bool) -> dict[str, object]:
    os.umask(0o022)
    preflight(s)
    if fresh and (s.home / "running").exists():
        stop(s)
    for folder in (s.state, s.home):
        folder.mkdir(parents=True, exist_ok=True)
        os.chmod(folder, 0o755)
    ensure_venv(s)
    ensure_accounts(s, fresh)
    secret = ensure_secrets(s, fresh)
    s.settings_file.write_text(json.dumps(s.as_json(), indent=1))
    (s.home / "running").write_text("starting\n")
    ensure_postgres(s)
    ensure_database(s, fresh)
    write_jupyter_config(s)
    ensure_exchange(s, fresh)
    ensure_exchange_module(s)
    if fresh and s.course_root.exists():
        shutil.rmtree(s.course_root)
    ensure_course(s)
    start_hub(s)
    (s.home / "running").write_text("running\n")
    return secret


def banner(s: Settings, secret: dict[str, object]) -> str:
    passwords: dict[str, str] = secret["passwords"]  # type: ignore[assignment]
    lines = [
        "",
        f"The classroom is running: {s.url}/   (127.0.0.1 only)",
        "",
        "  account                 password      role",
        f"  {s.instructor:<23} {passwords[s.instructor]:<13} instructor: formgrader at "
        f"{s.url}/services/{s.course}/formgrader/",
    ]
    for name in s.students:
        lines.append(f"  {name:<23} {passwords[name]:<13} student: Nbgrader > Assignments")
    lines += [
        f"  {s.grader:<23} {'(no login)':<13} runs the course's formgrader service; the "
        f"course is {s.course_root}",
        "",
        f"  gradebook  PostgreSQL {s.course} on {s.pg_socket} (port {s.pg_port}), role {s.grader}",
        f"  exchange   {s.exchange}/{s.course}",
        f"  logs       {s.hub / 'jupyterhub.log'}, {s.pg / 'postgresql.log'}",
        f"  passwords  {s.secrets_file} (root only)",
        "",
        "Grade as the course: sudo -u " + s.grader + f" {s.venv / 'bin' / 'homs'} autograde '*' "
        f"--course {s.course_root}",
        "Stop: Ctrl-C here, or make classroom-stop.",
    ]
    return "\n".join(lines)


# -- stopping -----------------------------------------------------------------------------------


def _terminate(pids: list[int], what: str, grace: float = 15) -> None:
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline and any(alive(p) for p in pids):
        time.sleep(0.2)
    for pid in pids:
        if alive(pid):
            say(f"{what} {pid} did not stop: killing it")
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


def stop(s: Settings) -> list[str]:
    """Stops what the classroom started; returns what was stopped."""
    stopped = []
    pid = hub_pid(s)
    if pid:
        # The hub stops the users' servers, its services and the proxy it started.
        _terminate([pid], "JupyterHub", grace=45)
        stopped.append("JupyterHub")
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pid, signal.SIGKILL)
    proxy = read_pid(s.hub / "jupyterhub-proxy.pid")
    if proxy and alive(proxy):
        _terminate([proxy], "configurable-http-proxy")
        stopped.append("configurable-http-proxy")
    uids = set()
    for name in s.accounts:
        with contextlib.suppress(KeyError):
            uids.add(pwd.getpwnam(name).pw_uid)
    left = uid_processes(uids)
    if left:
        _terminate(left, "a process of the classroom's accounts")
        stopped.append(f"{len(left)} process(es) of the classroom's accounts")
    data = s.pg / "data"
    pg = read_pid(data / "postmaster.pid")
    if pg and alive(pg):
        with contextlib.suppress(ClassroomError):
            _pg_ctl(s, "-m", "fast", "-w", "-t", "60", "stop")
        if alive(pg):
            _terminate([pg], "PostgreSQL")
        stopped.append("PostgreSQL")
    for name in ("jupyterhub.pid", "jupyterhub-proxy.pid"):
        with contextlib.suppress(FileNotFoundError):
            (s.hub / name).unlink()
    with contextlib.suppress(FileNotFoundError):
        (s.home / "running").unlink()
    return stopped


def leftovers(s: Settings) -> list[str]:
    """What of the classroom still runs (empty once it is stopped)."""
    found = []
    if hub_pid(s):
        found.append("JupyterHub")
    proxy = read_pid(s.hub / "jupyterhub-proxy.pid")
    if proxy and alive(proxy):
        found.append("configurable-http-proxy")
    pg = read_pid(s.pg / "data" / "postmaster.pid")
    if pg and alive(pg):
        found.append("PostgreSQL")
    uids = set()
    for name in s.accounts:
        with contextlib.suppress(KeyError):
            uids.add(pwd.getpwnam(name).pw_uid)
    if uid_processes(uids):
        found.append("processes of the classroom's accounts")
    return found


# -- the command --------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="classroom.py", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("start", help="set up and start the classroom")
    p.add_argument("--background", action="store_true", help="return once it runs")
    p.add_argument(
        "--fresh",
        action="store_true",
        help="wipe the accounts' homes, the course, the gradebook and the exchange first",
    )
    sub.add_parser("stop", help="stop everything the classroom started")
    sub.add_parser("status", help="say what of the classroom runs")
    sub.add_parser("prepare", help="only build the classroom's environment (CI)")
    sub.add_parser("settings", help="print the path of the classroom's settings (JSON)")
    sub.add_parser(
        "remove", help="stop it, then delete its accounts (and their homes) and its state"
    )
    args = parser.parse_args(argv)
    try:
        s = Settings.from_env()
        if args.command == "prepare":
            os.umask(0o022)
            s.state.mkdir(parents=True, exist_ok=True)
            os.chmod(s.state, 0o755)
            ensure_venv(s)
            return 0
        if args.command == "settings":
            print(s.settings_file)
            return 0 if s.settings_file.exists() else 1
        if args.command == "remove":
            stop(s)
            for name in s.accounts:
                with contextlib.suppress(KeyError):
                    pwd.getpwnam(name)
                    run(["userdel", "--remove", name])
            shutil.rmtree(s.home, ignore_errors=True)
            say(f"removed the accounts of {s.course} and {s.home}")
            return 0
        if args.command == "status":
            found = leftovers(s)
            print("running: " + ", ".join(found) if found else "not running")
            return 0 if found else 1
        if args.command == "stop":
            stopped = stop(s)
            left = leftovers(s)
            if left:
                say("still running: " + ", ".join(left))
                return 1
            say(("stopped " + ", ".join(stopped)) if stopped else "nothing was running")
            return 0
        try:
            secret = start(s, args.fresh)
        except BaseException:
            stop(s)
            raise
        print(banner(s, secret), flush=True)
        if args.background:
            return 0
        return _foreground(s)
    except ClassroomError as err:
        say(str(err))
        return 1


def _foreground(s: Settings) -> int:
    stopping = []

    def _signal(signum: int, _frame: object) -> None:
        stopping.append(signum)

    signal.signal(signal.SIGTERM, _signal)
    signal.signal(signal.SIGHUP, _signal)
    try:
        while not stopping:
            if not hub_pid(s):
                say("JupyterHub stopped by itself; stopping the rest")
                stop(s)
                return 1
            time.sleep(1)
    except KeyboardInterrupt:
        pass
    say("stopping")
    stop(s)
    left = leftovers(s)
    say("stopped; nothing left running" if not left else "still running: " + ", ".join(left))
    return 0 if not left else 1


if __name__ == "__main__":
    sys.exit(main())
