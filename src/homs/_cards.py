"""The cards about the sources: the catalog (who wrote each text, when, for whom) and how each is
dated. The facts come from the sources' catalog; the HTML from the autoescaping templates
``catalog.html`` and ``dating.html``. Imports the sources, ``_dates``, ``_highlights`` (for
context notes), ``_assets`` (the style sheet) and ``_templates``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from homs import _assets
from homs import sources as _sources
from homs._dates import parse_date
from homs._highlights import context_text
from homs._templates import render

__all__ = ["catalog", "dating"]

FIELDS: Mapping[str, str] = {
    "title": "Title",
    "outlet": "Outlet (who published it)",
    "genre": "Kind of text",
    "audience": "Written for",
    "published": "Written",
}
_BASIS = {
    "stated": "the text says so",
    "inferred": "worked out from the text",
    "context": "from outside the texts",
}


def _words(text: object) -> str:
    """``text`` with every run of white space (the YAML's line breaks) as one space."""
    return " ".join(str(text).split())


def _published(p: Mapping[str, Any]) -> tuple[str, list[str]]:
    text = parse_date(str(p["date"])).label()
    if p.get("most_likely"):
        text += f", most likely {parse_date(str(p['most_likely'])).label()}"
    ids = [ev["sentence"] for ev in p.get("evidence", [])]
    if p.get("update"):
        u = p["update"]
        text += (
            f". Later update ({', '.join(u.get('sentences', []))}): "
            f"{parse_date(str(u['date'])).label()}, from context"
        )
    return text, ids


def _cell(entry: Mapping[str, Any], key: str) -> dict[str, str]:
    if key == "published":
        value, ids = _published(entry)
        why = ""  # the dating card gives the evidence
    else:
        value, ids = str(entry["value"]), list(entry.get("sentences", []))
        why = str(entry.get("evidence", ""))
    return {
        "value": _words(value),
        "basis": entry["basis"],
        "meaning": _BASIS[entry["basis"]],
        "sentences": _words(", ".join(ids)),
        "why": _words(why),
    }


def catalog(source_ids: Sequence[str], fields: Sequence[str]) -> str:
    """A table of catalog facts, one column per source, each fact with its basis and evidence."""
    unknown = [f for f in fields if f not in FIELDS]
    if unknown:
        raise ValueError(
            f"unknown catalog field(s) {', '.join(map(repr, unknown))}; choose from "
            f"{', '.join(FIELDS)}"
        )
    chosen = [_sources.get(s) for s in source_ids]
    return render(
        "catalog.html",
        css=_assets.read("excerpt.css"),
        label="Catalog of the sources",
        caption="Who wrote each text, when, for whom, and what kind of text it is",
        bases=list(_BASIS.items()),
        columns=[_words(s.label) for s in chosen],
        rows=[(FIELDS[key], [_cell(s.catalog[key], key) for s in chosen]) for key in fields],
    )


def dating(source_id: str) -> str:
    """How a source's date is worked out: each clue quoted with its id, then the reasoning."""
    source = _sources.get(source_id)
    p = source.catalog["published"]
    clues = []
    for ev in p.get("evidence", []):
        c = _sources.cite(ev["sentence"], ev["quote"])
        clues.append(
            {"sentence": c.sentence, "quote": _words(c.quote), "shows": _words(ev["shows"])}
        )
    when, _ids = _published(p)
    update = p.get("update")
    return render(
        "dating.html",
        css=_assets.read("excerpt.css"),
        label=f"Dating Source {source.id}",
        caption=f"Dating {source.label} from its own evidence",
        key=p["basis"],
        meaning=_BASIS[p["basis"]],
        clues=clues,
        reasoning=_words(p["reasoning"]),
        result=_words(when),
        context=_words(context_text(p["context"])) if p.get("context") else None,
        update=update
        and {
            "sentences": ", ".join(update.get("sentences", [])),
            "reasoning": _words(update["reasoning"]),
            "context": (_words(context_text(update["context"])) if update.get("context") else None),
        },
    )
