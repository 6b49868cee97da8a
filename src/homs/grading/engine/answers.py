"""Reading answers out of a quiz notebook as data, without running any of its code.

Every code cell is parsed with :mod:`ast`, after the cell transforms IPython itself applies (a
``>>>`` prompt or an indentation pasted with the text, a leading ``%%capture`` or ``%%time``).
An item's answer is the value its variable holds after the cells run top to bottom, worked out
as the kernel would without running anything: a literal (:func:`ast.literal_eval`), or one of a
few forms a student writes that Python reads the same (constant arithmetic such as
``2014 - 2012``, an f-string without fields, ``sorted([...])``, an annotated assignment, ``a = b
= value``, tuple assignment, ``x += 1`` or ``x.reverse()`` on a value already read), folded here
on data only. Identifiers are compared as Python compares them (NFKC: a full-width letter in the
name is the same name). Anything else that binds the name (a loop, an import, a function, a call)
makes the answer unreadable: it was computed, not written. The work is linear in the size of the
notebook, and a cell too long to be an answer cell is not read.
"""

from __future__ import annotations

import ast
import json
import unicodedata
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
        broken: Python could not run the cell as written: a syntax error, or a name that is
            not defined (an id or a date typed without quotes), so the variable was never set.
    """

    variable: str
    status: Status
    value: Any = None
    message: str = ""
    cell: int | None = None
    broken: bool = False


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


#: A code cell longer than this is not read for answers (an answer cell is one line).
MAX_CELL_CHARS = 100_000
#: Magics that run their cell's body unchanged: the body is read as the cell.
_BODY_MAGICS = ("%%capture", "%%time", "%%timeit", "%%prun")


def _transformed(source: str) -> str:
    """The cell as IPython would run it: prompts and indentation removed, a body magic dropped.

    IPython's own transformer (``IPython.core.inputtransformer2``) turns the rest of the magics
    into calls, which the reader then treats as code.
    """
    lines = source.splitlines(keepends=True)
    if lines and lines[0].lstrip().startswith(_BODY_MAGICS):
        lines = lines[1:]
    text = "".join(lines)
    try:
        from IPython.core.inputtransformer2 import TransformerManager

        return TransformerManager().transform_cell(text)
    except Exception:  # a cell IPython cannot transform is read as it is
        return text


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
        raw = _text(cell.get("source"))
        source = unicodedata.normalize("NFKC", raw) if not raw.isascii() else raw
        named = [v for v in wanted if v in source]
        if not named:
            continue
        if len(source) > MAX_CELL_CHARS:
            for v in named:
                found[v] = Answer(
                    v,
                    "unreadable",
                    message=f"the cell with {v} is too long to read ({len(source):,} "
                    f"characters). Write one line: {v} = <your answer>.",
                    cell=index,
                )
            continue
        source = _transformed(source)
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
                    broken=True,
                )
            continue
        _read_cell(tree, set(named), index, found)
    return found


_MUTATORS = frozenset({"reverse", "sort", "append", "extend"})


def _read_cell(tree: ast.Module, named: set[str], index: int, found: dict[str, Answer]) -> None:
    """Reads, in one pass over a parsed cell, what each named variable holds after it runs."""
    handled: set[int] = set()  # the Name nodes the statements below account for
    current = dict(found)
    for stmt in tree.body:
        for var, answer in _statement(stmt, named, index, current, handled).items():
            current[var] = answer
    # Any other binding of a name (a loop, with ... as, a walrus, a comprehension at top level,
    # an import, a def) is code: the answer was computed, not written.
    for node in ast.walk(tree):
        var = None
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            if node.id in named and id(node) not in handled:
                var, line, how = node.id, node.lineno, "code"
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            hit = [a for a in node.names if (a.asname or a.name.split(".")[0]) in named]
            if hit:
                var, line, how = (
                    hit[0].asname or hit[0].name.split(".")[0],
                    node.lineno,
                    "an import",
                )
        elif (
            isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
            and node.name in named
        ):
            var, line, how = node.name, node.lineno, "a function or class definition"
        if var is not None:
            current[var] = Answer(
                var,
                "unreadable",
                message=(
                    f"{var} is set by {how} (line {line}), not written as a plain value. "
                    f"Write one line: {var} = <your answer>."
                ),
                cell=index,
            )
    for var in named:
        found[var] = current[var]


def _statement(
    stmt: ast.stmt,
    named: set[str],
    index: int,
    current: Mapping[str, Answer],
    handled: set[int],
) -> dict[str, Answer]:
    """What one top-level statement does to the named variables (only those it sets)."""
    out: dict[str, Answer] = {}
    if isinstance(stmt, ast.Assign):
        for target in stmt.targets:
            if isinstance(target, ast.Name) and target.id in named:
                handled.add(id(target))
                out[target.id] = _literal(target.id, stmt.value, index)
            elif isinstance(target, (ast.Tuple, ast.List)):
                names = [e for e in target.elts if isinstance(e, ast.Name) and e.id in named]
                if not names:
                    continue
                values = stmt.value
                parts = (
                    values.elts
                    if isinstance(values, (ast.Tuple, ast.List))
                    and len(values.elts) == len(target.elts)
                    and all(not isinstance(e, ast.Starred) for e in target.elts)
                    else None
                )
                for position, element in enumerate(target.elts):
                    if isinstance(element, ast.Name) and element.id in named:
                        handled.add(id(element))
                        out[element.id] = (
                            _literal(element.id, parts[position], index)
                            if parts is not None
                            else _unreadable(element.id, element.lineno, index)
                        )
    elif (
        isinstance(stmt, ast.AnnAssign)
        and isinstance(stmt.target, ast.Name)
        and stmt.target.id in named
    ):
        handled.add(id(stmt.target))
        if stmt.value is not None:
            out[stmt.target.id] = _literal(stmt.target.id, stmt.value, index)
    elif (
        isinstance(stmt, ast.AugAssign)
        and isinstance(stmt.target, ast.Name)
        and stmt.target.id in named
    ):
        var = stmt.target.id
        handled.add(id(stmt.target))
        before = current.get(var)
        change = _fold(stmt.value)
        result = (
            _binop(stmt.op, before.value, change)
            if before is not None and before.status == "ok" and change is not _NO
            else _NO
        )
        out[var] = (
            Answer(var, "ok", result, cell=index)
            if result is not _NO
            else _unreadable(var, stmt.lineno, index)
        )
    elif (
        isinstance(stmt, ast.Expr)
        and isinstance(stmt.value, ast.Call)
        and isinstance(stmt.value.func, ast.Attribute)
        and isinstance(stmt.value.func.value, ast.Name)
        and stmt.value.func.value.id in named
    ):
        var = stmt.value.func.value.id
        before = current.get(var)
        result = (
            _mutate(before.value, stmt.value)
            if before is not None and before.status == "ok"
            else _NO
        )
        out[var] = (
            Answer(var, "ok", result, cell=index)
            if result is not _NO
            else _unreadable(var, stmt.lineno, index)
        )
    # ``del answer`` in a later cell does not undo what the test cell checked when it ran: the
    # answer stays as it was.
    return out


def _unreadable(variable: str, line: int, index: int) -> Answer:
    return Answer(
        variable,
        "unreadable",
        message=(
            f"{variable} is set by code (line {line}), not written as a plain value. Write one "
            f"line: {variable} = <your answer>."
        ),
        cell=index,
    )


class _Nothing:
    """No value could be worked out (``None`` and ``...`` are values)."""


_NO: Any = _Nothing()
_MAX_NUMBER = 10**15
_MAX_ITEMS = 10_000


def _small(value: Any) -> bool:
    if isinstance(value, bool):
        return True
    if isinstance(value, (int, float)):
        return abs(value) <= _MAX_NUMBER
    if isinstance(value, (str, list, tuple)):
        return len(value) <= _MAX_ITEMS
    return True


def _fold(node: ast.expr) -> Any:
    """The value of an expression built only from literals by constant arithmetic, f-strings
    without fields, or ``sorted``/``list``/``tuple`` of a literal; else :data:`_NO`. Only data
    is handled: nothing is called or run, and sizes are bounded."""
    try:
        return ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        pass
    if isinstance(node, ast.BinOp):
        return _binop(node.op, _fold(node.left), _fold(node.right))
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        value = _fold(node.operand)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return -value if isinstance(node.op, ast.USub) else value
        return _NO
    if isinstance(node, ast.JoinedStr) and all(isinstance(v, ast.Constant) for v in node.values):
        return "".join(str(v.value) for v in node.values)
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in ("sorted", "list", "tuple")
        and len(node.args) == 1
    ):
        value = _fold(node.args[0])
        if not isinstance(value, (list, tuple, str)) or value is _NO:
            return _NO
        if node.func.id == "sorted":
            reverse = False
            for keyword in node.keywords:
                if keyword.arg != "reverse":
                    return _NO
                reverse = _fold(keyword.value)
                if not isinstance(reverse, bool):
                    return _NO
            try:
                return sorted(value, reverse=reverse)
            except TypeError:
                return _NO
        if node.keywords:
            return _NO
        return list(value) if node.func.id == "list" else tuple(value)
    return _NO


def _binop(op: ast.operator, left: Any, right: Any) -> Any:
    """``left op right`` for numbers, or ``+`` of two strings, lists or tuples; else _NO."""
    if left is _NO or right is _NO or isinstance(left, bool) or isinstance(right, bool):
        return _NO
    numbers = isinstance(left, (int, float)) and isinstance(right, (int, float))
    same = type(left) is type(right) and isinstance(left, (str, list, tuple))
    try:
        if isinstance(op, ast.Add) and (numbers or same):
            result = left + right
        elif numbers and isinstance(op, ast.Sub):
            result = left - right
        elif numbers and isinstance(op, ast.Mult):
            result = left * right
        elif numbers and isinstance(op, ast.FloorDiv):
            result = left // right
        elif numbers and isinstance(op, ast.Div):
            result = left / right
        elif numbers and isinstance(op, ast.Mod):
            result = left % right
        else:
            return _NO
    except (ArithmeticError, ValueError):
        return _NO
    return result if _small(result) else _NO


def _mutate(value: Any, call: ast.Call) -> Any:
    """``value.reverse()``, ``.sort()``, ``.append(x)``, ``.extend(xs)`` worked out on a list
    already read, for literal arguments; else :data:`_NO`."""
    method = call.func.attr if isinstance(call.func, ast.Attribute) else ""
    if not isinstance(value, list) or method not in _MUTATORS:
        return _NO
    args = [_fold(a) for a in call.args]
    if any(a is _NO for a in args):
        return _NO
    if method == "reverse" and not args and not call.keywords:
        return list(reversed(value))
    if method == "sort" and not args:
        reverse = False
        for keyword in call.keywords:
            if keyword.arg != "reverse" or not isinstance(_fold(keyword.value), bool):
                return _NO
            reverse = _fold(keyword.value)
        try:
            return sorted(value, reverse=reverse)
        except TypeError:
            return _NO
    if method == "append" and len(args) == 1 and not call.keywords:
        return [*value, args[0]] if len(value) < _MAX_ITEMS else _NO
    if method == "extend" and len(args) == 1 and isinstance(args[0], (list, tuple)):
        combined = [*value, *args[0]]
        return combined if len(combined) <= _MAX_ITEMS else _NO
    return _NO


#: Names an answer may call that Python knows (anything else typed bare is probably an id or a
#: word without quotes, and stops the cell with a NameError).
_KNOWN_NAMES = frozenset({"sorted", "list", "tuple", "set", "int", "str", "True", "False", "None"})


def _literal(variable: str, node: ast.expr, index: int) -> Answer:
    value = _fold(node)
    if value is _NO:
        bare = any(isinstance(n, ast.Name) and n.id not in _KNOWN_NAMES for n in ast.walk(node))
        return Answer(
            variable,
            "unreadable",
            message=(
                f"{variable} is not a plain value (line {node.lineno}): write the answer itself, "
                'such as 12, "B-14" or ["A", "C"], not code that computes it.'
            ),
            cell=index,
            broken=bare,
        )
    if value is ...:
        return Answer(
            variable,
            "unanswered",
            message=(f"{variable} is still ... : replace the three dots with your answer."),
            cell=index,
        )
    return Answer(variable, "ok", value, cell=index)
