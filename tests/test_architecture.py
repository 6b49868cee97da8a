"""The package's house: no import cycles, and imports only point down the stated layers.

The layers are the ones the package docstrings state (``homs/__init__.py``,
``homs/grading/__init__.py`` and each room's ``__init__.py``). Every import counts, at the top
of a file or inside a function, so a cycle cannot hide in a function body.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "homs"

#: Each module's layer, lowest first, by the longest matching prefix. A module may import
#: modules of its own layer or below, never above.
LAYERS: dict[str, int] = {
    # the bottom: errors, small helpers with no homs imports, reading data files
    "homs.errors": 0,
    "homs._text": 0,
    "homs._templates": 0,
    "homs._assets": 0,
    "homs._display": 0,
    "homs._dates": 0,
    "homs._detok": 0,
    "homs._sentences": 0,
    "homs._lazy": 0,
    "homs._schema": 1,
    "homs.sources": 2,
    "homs._words": 3,
    "homs.knowledge": 3,
    "homs._passages": 3,
    "homs._highlights": 4,
    "homs._markup": 5,
    "homs._cards": 5,
    "homs.charts": 5,
    "homs.excerpts": 6,
    "homs.widgets": 6,
    "homs.reader": 6,
    "homs.maps": 6,
    "homs.selfcheck": 7,
    # grading: authoring → engine → course → reports
    "homs.grading.authoring": 10,
    "homs.grading.engine": 11,
    "homs.grading.course": 12,
    "homs.grading.reports": 13,
    "homs.grading": 14,  # the package file: re-exports only
    "homs.book": 15,  # the lessons, a course and the course book as shipped (homs lessons, book)
    "homs.cli": 20,
    "homs": 21,  # the package file: lazy re-exports only
}


def _module(path: Path) -> str:
    rel = path.relative_to(SRC).with_suffix("")
    parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module(p): p for p in PACKAGE.rglob("*.py")}


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    """The homs modules ``name`` imports, anywhere in the file."""
    tree = ast.parse(path.read_text("utf-8"))
    is_package = path.name == "__init__.py"
    found: set[str] = set()
    for node in ast.walk(tree):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = name if is_package else name.rpartition(".")[0]
                for _ in range(node.level - 1):
                    anchor = anchor.rpartition(".")[0]
                base = f"{anchor}.{base}" if base else anchor
            # ``from homs import sources`` imports the module homs.sources, not homs itself
            targets = [
                f"{base}.{a.name}" if f"{base}.{a.name}" in known else base for a in node.names
            ]
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            # a package importing its own submodules (re-exports) is not an edge back up
            if target and target != name and not target.startswith(name + "."):
                found.add(target)
    return found


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _imports(name, path, set(modules)) for name, path in modules.items()}


def _layer(name: str) -> int:
    best = max((p for p in LAYERS if name == p or name.startswith(p + ".")), key=len, default=None)
    if best is None:
        raise AssertionError(f"{name} has no layer in tests/test_architecture.py: add it")
    return LAYERS[best]


def test_the_import_graph_has_no_cycle() -> None:
    """No module of homs imports, directly or through others, a module that imports it."""
    graph = _graph()
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append([*trail[trail.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt, [*trail, nxt])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    assert not cycles, "import cycles:\n" + "\n".join(" -> ".join(c) for c in cycles)


def test_imports_point_down_the_layers() -> None:
    """Every import goes to a module of the same layer or a lower one."""
    upward = [
        f"{src} (layer {_layer(src)}) imports {dst} (layer {_layer(dst)})"
        for src, targets in sorted(_graph().items())
        for dst in sorted(targets)
        if _layer(dst) > _layer(src)
    ]
    assert not upward, "\n".join(upward)


@pytest.mark.parametrize(
    "room",
    [
        "homs.grading.authoring",
        "homs.grading.engine",
        "homs.grading.course",
        "homs.grading.reports",
    ],
)
def test_each_grading_room_says_what_it_may_import(room: str) -> None:
    """Each room's docstring says what lives there and what it may import."""
    import importlib

    doc = importlib.import_module(room).__doc__ or ""
    assert "May import" in doc or "may import" in doc, doc


@pytest.mark.parametrize(
    "room",
    [
        "homs.grading.authoring",
        "homs.grading.engine",
        "homs.grading.course",
        "homs.grading.reports",
    ],
)
def test_each_grading_room_names_every_module_in_it(room: str) -> None:
    """A newcomer finds every module of a room in the room's docstring (``:mod:`.name```, or
    ````name```` in the order of imports)."""
    import importlib

    doc = " ".join((importlib.import_module(room).__doc__ or "").split())
    folder = SRC.joinpath(*room.split("."))
    for path in sorted(folder.glob("*.py")):
        if path.stem.startswith("_"):
            continue
        assert f":mod:`.{path.stem}`" in doc or f"``{path.stem}``" in doc, (
            f"{room}'s docstring does not name {path.stem}"
        )


def test_the_engine_knows_nothing_of_the_course() -> None:
    """The engine never imports the course or the reports: a Job tells it where things are."""
    graph = _graph()
    leaks = [
        f"{src} imports {dst}"
        for src, targets in graph.items()
        if src.startswith("homs.grading.engine")
        for dst in targets
        if dst.startswith(("homs.grading.course", "homs.grading.reports"))
    ]
    assert not leaks, leaks
