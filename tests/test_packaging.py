"""Tests for packaging: set-up files agree, the wheel carries its data, `import homs` is light."""

from __future__ import annotations

import os
import re
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
    """The wheel holds the seeds, their catalog, the knowledge base, the schemas and py.typed."""
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in (
        "homs/py.typed",
        "homs/seeds/catalog.yaml",
        "homs/seeds/000_429c9639ad7b913b.txt",
        "homs/data/events.yaml",
        "homs/data/schema/events.schema.json",
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
