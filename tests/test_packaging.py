"""Tests for packaging: set-up files agree, the wheel carries its data, `import homs` is light."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml

from helpers import ROOT

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib


def _normalise(requirement: str) -> tuple[str, str]:
    name, spec = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$", requirement).groups()
    return name.lower().replace("_", "-"), spec.replace(" ", "")


def test_environment_yml_matches_pyproject() -> None:
    """environment.yml lists the same runtime dependencies as pyproject.toml."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    env = yaml.safe_load((ROOT / "environment.yml").read_text("utf-8"))
    conda = [
        d for d in env["dependencies"] if isinstance(d, str) and not d.startswith(("python", "pip"))
    ]
    assert sorted(map(_normalise, conda)) == sorted(map(_normalise, project["dependencies"]))
    python = next(d for d in env["dependencies"] if isinstance(d, str) and d.startswith("python"))
    assert python.removeprefix("python") == project["requires-python"]


def test_readme_opens_with_the_two_commands() -> None:
    """README.md shows `make lab` and `make test` before anything else."""
    readme = (ROOT / "README.md").read_text("utf-8")
    first_block = readme.split("```")[1]
    assert "make lab" in first_block
    assert "make test" in first_block
    assert "make test" in (ROOT / ".ci" / "run").read_text("utf-8")


def test_import_is_light() -> None:
    """Importing homs and loading the knowledge base pulls in no matplotlib, widgets or nbgrader."""
    code = (
        "import sys, homs; homs.knowledge.load(); homs.sources.load(); "
        "heavy = sorted(m for m in ('matplotlib', 'ipywidgets', 'nbgrader', 'IPython', 'numpy') "
        "if m in sys.modules); print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A wheel built from this checkout."""
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(out), str(ROOT)],
        check=True,
    )
    return next(out.glob("homs-*.whl"))


@pytest.mark.slow
def test_wheel_carries_seeds_data_and_types(wheel: Path) -> None:
    """The wheel holds the seeds, their catalog, the knowledge base, the schemas, py.typed and
    homs_checks."""
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in (
        "homs/py.typed",
        "homs/seeds/catalog.yaml",
        "homs/seeds/000_429c9639ad7b913b.txt",
        "homs/data/events.yaml",
        "homs/data/schema/events.schema.json",
        "homs_checks/__init__.py",  # what the quiz notebooks' test cells import
    ):
        assert needed in names


@pytest.mark.slow
def test_installed_wheel_works_outside_the_repo(wheel: Path, tmp_path: Path) -> None:
    """Unpacked away from the checkout, homs finds its seeds and passes its own check."""
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(site)}
    code = "import homs, homs.sources as s; print(homs.__file__); print(s.seeds_dir())"
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=elsewhere,
        env=env,
    ).stdout.splitlines()
    assert all(line.startswith(str(site)) for line in out)
    check = subprocess.run(
        [sys.executable, "-m", "homs.cli", "check"],
        capture_output=True,
        text=True,
        cwd=elsewhere,
        env=env,
    )
    assert check.returncode == 0, check.stderr
    assert "all good" in check.stdout


@pytest.mark.slow
def test_wheel_carries_the_lessons_the_course_and_the_front_end(wheel: Path) -> None:
    """The wheel holds every lesson with its README and teacher guide, the course template
    (nbgrader_config.py, README and every quiz's source notebook), the widgets' front end and
    the book's Sphinx configuration."""
    names = set(zipfile.ZipFile(wheel).namelist())
    lessons = [p.name for p in (ROOT / "lessons").glob("*") if p.suffix in (".ipynb", ".md")]
    quizzes = [p.relative_to(ROOT / "quizzes") for p in (ROOT / "quizzes").glob("source/*/*.ipynb")]
    needed = [f"homs/lessons_data/lessons/{name}" for name in lessons]
    needed += [f"homs/lessons_data/course/{path.as_posix()}" for path in quizzes]
    needed += [
        "homs/lessons_data/course/nbgrader_config.py",
        "homs/lessons_data/course/README.md",
        "homs/static/homs-widgets.js",
        "homs/static/homs-widgets.css",
        "homs/static/homs-book.js",
        "homs/static/homs-book.css",
        "homs/templates/widget_mount.html",
        "homs/book/sphinx_conf.py",
    ]
    missing = [n for n in needed if n not in names]
    assert not missing, f"not in the wheel (list them in pyproject.toml's force-include): {missing}"
    assert len(lessons) == 8
    assert len(quizzes) == 3
    assert not [n for n in names if "checkpoint" in n]


@pytest.fixture(scope="module")
def fresh_env(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """A new virtual environment outside the repository with the wheel pip-installed into it
    (its dependencies from PyPI, or pip's cache), and the environment to run it with."""
    root = tmp_path_factory.mktemp("fresh")
    venv = root / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", str(wheel)],
        check=True,
        cwd=root,
        timeout=1200,
    )
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PYTHON", "VIRTUAL_ENV", "JUPYTER"))
    }
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}/usr/bin{os.pathsep}/bin"
    env["HOME"] = str(root / "home")
    env["JUPYTER_CONFIG_DIR"] = str(root / "home" / "jupyter-config")
    env["JUPYTER_RUNTIME_DIR"] = str(root / "home" / "jupyter-runtime")
    return venv, env


def _run(venv: Path, env: dict[str, str], cwd: Path, *args: str) -> str:
    done = subprocess.run(
        [str(venv / "bin" / "homs"), *args], cwd=cwd, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, f"homs {' '.join(args)}:\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.mark.slow
def test_installed_wheel_gives_lessons_and_a_course(
    fresh_env: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    """In a fresh environment outside the repository: `homs lessons` copies the lessons (from
    the installed package, not the checkout), `homs course` makes a course that `homs release`
    releases, with the packaged quizzes or a teacher's own specs, and the widgets' JupyterLab
    extension (anywidget) is installed."""
    venv, env = fresh_env
    where = subprocess.run(
        [str(venv / "bin" / "python"), "-c", "import homs.book as b; print(b.lessons_dir())"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert where.startswith(str(venv)), where
    _run(venv, env, tmp_path, "lessons", "learner")
    for lesson in (ROOT / "lessons").glob("*.ipynb"):
        assert (tmp_path / "learner" / lesson.name).read_bytes() == lesson.read_bytes()
    assert (tmp_path / "learner" / "teacher-guide.md").is_file()
    _run(venv, env, tmp_path, "course", "course")
    out = _run(venv, env, tmp_path, "release", "timeline", "--course", "course")
    assert (tmp_path / "course" / "release" / "timeline" / "timeline.ipynb").is_file(), out
    specs = tmp_path / "my-specs"
    specs.mkdir()
    shutil.copy(ROOT / "src" / "homs" / "grading" / "authoring" / "specs" / "sourcing.yaml", specs)
    _run(venv, env, tmp_path, "course", "own", "--specs", str(specs))
    assert 'c.Homs.specs = "specs"' in (tmp_path / "own" / "nbgrader_config.py").read_text("utf-8")
    _run(venv, env, tmp_path, "release", "sourcing", "--course", "own")
    assert (tmp_path / "own" / "release" / "sourcing" / "sourcing.ipynb").is_file()
    labext = venv / "share" / "jupyter" / "labextensions" / "anywidget" / "package.json"
    assert labext.is_file(), "anywidget's JupyterLab extension is missing"


@pytest.mark.slow
def test_homs_lab_serves_the_lessons(
    fresh_env: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    """`homs lab DIR` (from the installed wheel) copies the lessons into an empty folder and
    starts JupyterLab there; it serves the lessons and the first one's page; then it stops."""
    import json
    import socket
    import time
    import urllib.request

    venv, env = fresh_env
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    token = "homs-packaging-test"
    log = (tmp_path / "lab.log").open("w")
    server = subprocess.Popen(
        [
            str(venv / "bin" / "homs"),
            "lab",
            "learner",
            "--no-browser",
            "--port",
            str(port),
            "--token",
            token,
        ],
        cwd=tmp_path,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"{base}/api/contents?token={token}", timeout=5) as r:
                    listing = json.load(r)
                break
            except OSError:
                assert server.poll() is None, (tmp_path / "lab.log").read_text("utf-8")
                assert time.monotonic() < deadline, "JupyterLab did not start"
                time.sleep(0.5)
        names = {item["name"] for item in listing["content"]}
        assert {p.name for p in (ROOT / "lessons").glob("*.ipynb")} <= names
        url = f"{base}/api/contents/01-meet-the-sources.ipynb?token={token}"
        with urllib.request.urlopen(url, timeout=10) as r:
            assert json.load(r)["type"] == "notebook"
        with urllib.request.urlopen(
            f"{base}/lab/tree/01-meet-the-sources.ipynb?token={token}"
        ) as r:
            assert r.status == 200
            assert b"JupyterLab" in r.read()
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


# ----------------------------------------------------------------------------- make lab, setup

needs_make = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


@needs_make
def test_make_lab_opens_a_working_copy_of_the_lessons() -> None:
    """`make lab` copies the lessons into the git-ignored my-lessons/ (keeping changed ones)
    and opens JupyterLab there with `homs lab`, never on the tracked lessons/."""
    out = subprocess.run(
        ["make", "-n", "lab", "VENV=.venv"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    lines = [line.strip() for line in out.splitlines()]
    copy = next(i for i, line in enumerate(lines) if "homs lessons my-lessons --keep" in line)
    lab = next(i for i, line in enumerate(lines) if "homs lab my-lessons" in line)
    assert copy < lab
    assert "jupyter lab" not in out
    assert "my-lessons/" in (ROOT / ".gitignore").read_text("utf-8").splitlines()


_FAKE_PYTHON = """#!/bin/sh
# Stands in for the venv's python: records what it is asked, fails pip when FAIL_PIP is set.
echo "$@" >> "$LOG"
case "$*" in *"pip install"*) [ -z "$FAIL_PIP" ] || exit 1 ;; esac
exit 0
"""

_FAKE_BASE = """#!/bin/sh
# Stands in for the Python that makes the venv: `-m venv` is recorded, the rest is real.
case "$*" in "-m venv"*) echo "$@" >> "$LOG"; exit 0 ;; esac
exec {python} "$@"
"""


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """A scratch copy of the Makefile, pyproject.toml and .ci/ with a fake .venv whose python
    records each call in calls.log, installed as of the current pyproject.toml."""
    for name in ("Makefile", "pyproject.toml"):
        shutil.copy(ROOT / name, tmp_path / name)
    shutil.copytree(ROOT / ".ci", tmp_path / ".ci")
    bin_dir = tmp_path / ".venv" / "bin"
    bin_dir.mkdir(parents=True)
    (bin_dir / "python").write_text(_FAKE_PYTHON, "utf-8")
    (tmp_path / "base-python").write_text(_FAKE_BASE.format(python=sys.executable), "utf-8")
    for script in (bin_dir / "python", tmp_path / "base-python"):
        script.chmod(0o755)
    stamp = subprocess.run(
        [sys.executable, ".ci/deps-hash.py"], cwd=tmp_path, capture_output=True, text=True
    ).stdout
    (tmp_path / ".venv" / ".installed").write_text(stamp, "utf-8")
    return tmp_path


def _setup(checkout: Path, **env: str) -> subprocess.CompletedProcess[str]:
    pyproject = checkout / "pyproject.toml"
    later = (checkout / ".venv" / ".installed").stat().st_mtime + 10
    os.utime(pyproject, (later, later))  # pyproject.toml newer than the stamp
    return subprocess.run(
        ["make", "setup", f"PYTHON={checkout / 'base-python'}"],
        cwd=checkout,
        capture_output=True,
        text=True,
        env={**os.environ, "LOG": str(checkout / "calls.log"), **env},
    )


def _calls(checkout: Path) -> str:
    log = checkout / "calls.log"
    return log.read_text("utf-8") if log.exists() else ""


@needs_make
@pytest.mark.skipif(sys.version_info < (3, 11), reason="without tomllib any edit reinstalls")
def test_setup_does_not_reinstall_when_only_other_settings_change(checkout: Path) -> None:
    """pyproject.toml newer than the environment, its dependencies unchanged (a description
    edited): `make setup` installs nothing and says the environment is up to date."""
    pyproject = checkout / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text("utf-8").replace('description = "', 'description = "Edited. '),
        "utf-8",
    )
    done = _setup(checkout)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "up to date" in done.stdout
    assert _calls(checkout) == ""


@needs_make
def test_setup_reinstalls_when_a_dependency_changes(checkout: Path) -> None:
    """A dependency added: `make setup` reinstalls and stamps the new dependency lists."""
    pyproject = checkout / "pyproject.toml"
    before = (checkout / ".venv" / ".installed").read_text("utf-8")
    pyproject.write_text(
        pyproject.read_text("utf-8").replace('    "rich>=13",\n', '    "rich>=13",\n    "x>=1",\n'),
        "utf-8",
    )
    done = _setup(checkout)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "pip install --quiet -e .[test,book]" in _calls(checkout)
    assert (checkout / ".venv" / ".installed").read_text("utf-8") not in ("", before)


@needs_make
def test_setup_goes_on_offline_with_the_existing_environment(checkout: Path) -> None:
    """A dependency changed but pip cannot install (offline): `make setup` says so and goes on
    with the environment it has, and keeps the old stamp so the next make tries again."""
    pyproject = checkout / "pyproject.toml"
    before = (checkout / ".venv" / ".installed").read_text("utf-8")
    pyproject.write_text(
        pyproject.read_text("utf-8").replace('    "rich>=13",\n', '    "rich>=14",\n'), "utf-8"
    )
    done = _setup(checkout, FAIL_PIP="1")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "could not reinstall" in done.stdout
    assert "existing .venv" in done.stdout
    assert (checkout / ".venv" / ".installed").read_text("utf-8") == before
