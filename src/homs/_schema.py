"""Reading YAML data files and validating them against the JSON Schemas shipped in the package."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from homs.errors import DataError, Problem

__all__ = ["load_yaml", "problems", "schema", "validate"]


@cache
def schema(name: str) -> dict[str, Any]:
    """The JSON Schema ``data/schema/<name>.schema.json``."""
    text = (resources.files("homs") / "data" / "schema" / f"{name}.schema.json").read_text("utf-8")
    return json.loads(text)


@cache
def _loader() -> Any:
    """A safe YAML loader that leaves dates as the strings the author wrote (2012-03 and
    2012-03-01 both stay text; the knowledge base parses them itself). It is libyaml's, when
    PyYAML was built with it: ten times faster than the pure-Python parser."""
    import yaml

    class Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
        pass

    Loader.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    return Loader


def load_yaml(path: Path) -> Any:
    """Parses a YAML file; a missing or unparsable file raises :class:`DataError`."""
    import yaml

    if not path.is_file():
        raise DataError(
            Problem.at(
                path, "file", "the file is missing", "Restore it from git (git checkout -- <file>)."
            )
        )
    try:
        return yaml.load(path.read_text("utf-8"), Loader=_loader())
    except UnicodeDecodeError as err:
        raise DataError(
            Problem.at(
                path,
                "file",
                f"not UTF-8 text ({err.reason} at byte {err.start})",
                "Save the file as UTF-8.",
            )
        ) from err
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "file"
        raise DataError(
            Problem.at(
                path,
                where,
                f"not valid YAML: {getattr(err, 'problem', err)}",
                "Fix the YAML syntax at that place.",
            )
        ) from err


def _item_name(data: Any, path: list[Any], noun: str = "entry") -> str:
    """Names the entry an error is in: its ``id`` when it has one, else its position."""
    parts = []
    node = data
    for key in path:
        try:
            node = node[key]
        except (KeyError, IndexError, TypeError):
            parts.append(str(key))
            continue
        if isinstance(key, int):
            ident = node.get("id") or node.get("term") if isinstance(node, dict) else None
            parts.append(f"{noun} {ident!r}" if ident else f"{noun} #{key + 1}")
        else:
            parts.append(str(key))
    return " > ".join(parts) or "top level"


def problems(
    data: Any,
    name: str,
    path: Path,
    *,
    document: dict[str, Any] | None = None,
    where: str | None = None,
    noun: str = "entry",
) -> list[Problem]:
    """Every way ``data`` breaks a schema, each naming the entry and the field.

    Args:
        data: The parsed file.
        name: The schema's name in ``homs/data/schema/`` (``<name>.schema.json``).
        path: The file, for the messages.
        document: A schema to use instead of the named one.
        where: Where the schema lives, for the messages; the packaged path by default.
        noun: What an entry is called in the messages ("entry", "item").
    """
    from jsonschema import Draft202012Validator

    validator = Draft202012Validator(document if document is not None else schema(name))
    shown = where or f"homs/data/schema/{name}.schema.json"
    found = []
    for error in sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path))):
        found.append(
            Problem.at(
                path,
                _item_name(data, list(error.absolute_path), noun),
                error.message,
                f"See the schema {shown} for the expected form.",
            )
        )
    return found


def validate(data: Any, name: str, path: Path) -> None:
    """Raises :class:`DataError` listing every schema problem in ``data``."""
    found = problems(data, name, path)
    if found:
        raise DataError(found)
