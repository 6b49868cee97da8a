"""Reading answers out of a quiz notebook as data, without running any of its code.

Every code cell is parsed with :mod:`ast`. An item's answer is the value of the last top-level
``answer_<item id> = <literal>`` in the notebook (the one that would win if the cells ran top to
bottom), read with :func:`ast.literal_eval`. Anything else that binds the name (``+=``, a loop, an
import, a function) makes the answer unreadable: it was computed, not written.
"""

from __future__ import annotations

import ast
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from homs.errors import GradingError

__all__ = ["Answer", "GradingError", "read_answers", "read_notebook"]

Status = Literal["ok", "unanswered", "missing", "unreadable"]


@dataclass(frozen=True)
class Answer:
    """One item's answer as found in a notebook.

    Attributes:
        variable: ``answer_q3_siege_length``.
        status: ``ok`` (a literal value), ``unanswered`` (still ``...``), ``missing`` (no
            assignment found) or ``unreadable`` (a syntax error, or a value that is not a literal).
        value: The value when ``status`` is ``ok``, else ``None``.
        message: What is wrong, in plain words, when ``status`` is not ``ok``.
        cell: The index of the cell it was read from, if any.
    """

    variable: str
    status: Status
    value: Any = None
    message: str = ""
    cell: int | None = None


def read_notebook(path: str | Path) -> dict[str, Any]:
    """Reads a notebook file as JSON; raises :class:`GradingError` with a clear message."""
    path = Path(path)
    if not path.is_file():
        raise GradingError(
            f"{path}: no such notebook. Give the path of your quiz notebook, "
            "for example quizzes/release/timeline/timeline.ipynb."
        )
    try:
        data = json.loads(path.read_bytes().decode("utf-8"))
    except UnicodeDecodeError as err:
        raise GradingError(
            f"{path}: not UTF-8 text ({err.reason}); is it really a notebook?"
        ) from err
    except json.JSONDecodeError as err:
        raise GradingError(
            f"{path}: not a readable notebook (invalid JSON at line {err.lineno}, "
            f"column {err.colno}). Open it in JupyterLab and save it again, or "
            "start again from a fresh copy."
        ) from err
    except RecursionError as err:
        raise GradingError(
            f"{path}: not a readable notebook (its JSON is nested too deeply). Start again "
            "from a fresh copy."
        ) from err
    if not isinstance(data, dict) or not isinstance(data.get("cells"), list):
        raise GradingError(f"{path}: not a Jupyter notebook (no list of cells).")
    return data


def _text(source: Any) -> str:
    """A cell's source as one string; anything in a source list that is not text (a ``null``
    a student's editor wrote) is left out rather than stopping the reading."""
    if isinstance(source, list):
        return "".join(part for part in source if isinstance(part, str))
    return source if isinstance(source, str) else ""


def read_answers(nb: Mapping[str, Any], variables: Iterable[str]) -> dict[str, Answer]:
    """Finds each answer variable's value in a notebook, without executing anything.

    Args:
        nb: The notebook as a dictionary (nbformat 4).
        variables: The answer variables to look for.

    Returns:
        An :class:`Answer` for every variable, in the order given.
    """
    wanted = list(variables)
    found: dict[str, Answer] = {
        v: Answer(
            v,
            "missing",
            message=f"no cell assigns {v}: the answer cell may have been "
            f"deleted. Add a cell with `{v} = ...` holding your answer.",
        )
        for v in wanted
    }
    for index, cell in enumerate(nb.get("cells", [])):
        if not isinstance(cell, Mapping) or cell.get("cell_type") != "code":
            continue
        source = _text(cell.get("source"))
        named = [v for v in wanted if v in source]
        if not named:
            continue
        try:
            tree = ast.parse(source)
        except (RecursionError, MemoryError):
            for v in named:
                if found[v].status == "missing":
                    found[v] = Answer(
                        v,
                        "unreadable",
                        message=f"the cell with {v} is nested too deeply to read. Write one "
                        "line: the name, =, and your answer.",
                        cell=index,
                    )
            continue
        except SyntaxError as err:
            # A cell that does not parse does not run either: it only explains a missing answer.
            for v in named:
                if found[v].status != "missing":
                    continue
                found[v] = Answer(
                    v,
                    "unreadable",
                    message=(
                        f"the cell with {v} is not valid Python (line {err.lineno}: {err.msg}). "
                        "Write one line: the name, =, and your answer."
                    ),
                    cell=index,
                )
            continue
        for v in named:
            answer = _from_tree(tree, v, index)
            if answer is not None:
                found[v] = answer
    return found


def _from_tree(tree: ast.Module, variable: str, index: int) -> Answer | None:
    """The answer a parsed cell gives for ``variable``, or ``None`` if it does not bind it."""
    result: Answer | None = None
    top = {id(stmt) for stmt in tree.body}
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Name)
            and node.id == variable
            and isinstance(node.ctx, (ast.Store, ast.Del))
        ):
            owner = _owner(tree, node)
            simple = (
                owner is not None
                and id(owner) in top
                and isinstance(owner, ast.Assign)
                and len(owner.targets) == 1
                and owner.targets[0] is node
            )
            if not simple:
                return Answer(
                    variable,
                    "unreadable",
                    message=(
                        f"{variable} is set by code (line {node.lineno}), not written as a plain "
                        f"value. Write one line: {variable} = <your answer>."
                    ),
                    cell=index,
                )
        elif isinstance(node, (ast.Import, ast.ImportFrom)) and any(
            (alias.asname or alias.name.split(".")[0]) == variable for alias in node.names
        ):
            return Answer(
                variable,
                "unreadable",
                message=(
                    f"{variable} is set by an import (line {node.lineno}). Write one line: "
                    f"{variable} = <your answer>."
                ),
                cell=index,
            )
        elif (
            isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
            and node.name == variable
        ):
            return Answer(
                variable,
                "unreadable",
                message=(
                    f"{variable} is defined as a function or class (line {node.lineno}). Write one "
                    f"line: {variable} = <your answer>."
                ),
                cell=index,
            )
    for stmt in tree.body:  # the last plain assignment wins, as when the cell runs
        if (
            isinstance(stmt, ast.Assign)
            and len(stmt.targets) == 1
            and isinstance(stmt.targets[0], ast.Name)
            and stmt.targets[0].id == variable
        ):
            result = _literal(variable, stmt.value, index)
    return result


def _owner(tree: ast.Module, target: ast.AST) -> ast.AST | None:
    for node in ast.walk(tree):
        for child in ast.iter_child_nodes(node):
            if child is target:
                return node
            if (
                isinstance(node, ast.Assign)
                and isinstance(child, (ast.Tuple, ast.List))
                and any(elt is target for elt in ast.walk(child))
            ):
                return child
    return None


def _literal(variable: str, node: ast.expr, index: int) -> Answer:
    try:
        value = ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return Answer(
            variable,
            "unreadable",
            message=(
                f"{variable} is not a plain value (line {node.lineno}): write the answer itself, "
                'such as 12, "B-14" or ["A", "C"], not code that computes it.'
            ),
            cell=index,
        )
    if value is ...:
        return Answer(
            variable,
            "unanswered",
            message=(f"{variable} is still ... : replace the three dots with your answer."),
            cell=index,
        )
    return Answer(variable, "ok", value, cell=index)
