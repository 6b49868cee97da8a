"""Prints a hash of what `pip install -e .[...]` installs from pyproject.toml: the build system,
requires-python, the dependencies and extras, the scripts and entry points.

The Makefile keeps it in .venv/.installed and reinstalls only when it changes, so an edit
elsewhere in pyproject.toml (a description, a tool's settings) needs no network. Runs on the
Python that makes the venv (>= 3.10); without tomllib (3.10) it hashes the whole file, so any
edit reinstalls there.

Usage: python .ci/deps-hash.py [pyproject.toml]
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

KEYS = ("requires-python", "dependencies", "optional-dependencies", "scripts", "entry-points")


def deps_hash(path: Path) -> str:
    """The hash of the parts of ``path`` that decide what is installed."""
    data = path.read_bytes()
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10: no TOML parser in the standard library
        return "file-" + hashlib.sha256(data).hexdigest()
    toml = tomllib.loads(data.decode("utf-8"))
    project = toml.get("project", {})
    wanted = {
        "build-system": toml.get("build-system"),
        **{key: project.get(key) for key in KEYS},
    }
    return "deps-" + hashlib.sha256(json.dumps(wanted, sort_keys=True).encode()).hexdigest()


if __name__ == "__main__":
    print(deps_hash(Path(sys.argv[1] if len(sys.argv) > 1 else "pyproject.toml")))
