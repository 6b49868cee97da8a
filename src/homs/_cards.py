"""HTML for the catalog of the sources: who wrote each, when, for whom, and how it is dated."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

from homs import _assets
from homs import sources as _sources
from homs._dates import parse_date
from homs._highlights import context_text

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


def _e(text: object) -> str:
    return escape(" ".join(str(text).split()), quote=True)


def _basis(basis: str) -> str:
    cls = " homs-basis-context" if basis == "context" else ""
    return f'<span class="homs-basis{cls}">[{_e(basis.upper())}: {_e(_BASIS[basis])}]</span>'


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


def _cell(entry: Mapping[str, Any], key: str) -> str:
    if key == "published":
        value, ids = _published(entry)
        evidence = "See the dating evidence below."
    else:
        value, ids = str(entry["value"]), list(entry.get("sentences", []))
        evidence = str(entry.get("evidence", ""))
    where = f' <span class="homs-sid">{_e(", ".join(ids))}</span>' if ids else ""
    why = (
        f"<details><summary>Why?</summary><p>{_e(evidence)}</p></details>"
        if evidence and key != "published"
        else ""
    )
    return f"<td>{_e(value)}<br/>{_basis(entry['basis'])}{where}{why}</td>"


def catalog(source_ids: Sequence[str], fields: Sequence[str]) -> str:
    """A table of catalog facts, one column per source, each fact with its basis and evidence."""
    unknown = [f for f in fields if f not in FIELDS]
    if unknown:
        raise ValueError(
            f"unknown catalog field(s) {', '.join(map(repr, unknown))}; choose from "
            f"{', '.join(FIELDS)}"
        )
    chosen = [_sources.get(s) for s in source_ids]
    head = "".join(f'<th scope="col">{_e(s.label)}</th>' for s in chosen)
    rows = []
    for key in fields:
        cells = "".join(_cell(s.catalog[key], key) for s in chosen)
        rows.append(f'<tr><th scope="row">{_e(FIELDS[key])}</th>{cells}</tr>')
    table = (
        f'<table class="homs-catalog"><thead><tr><th scope="col">Fact</th>{head}</tr>'
        f"</thead><tbody>{''.join(rows)}</tbody></table>"
    )
    legend = (
        '<p class="homs-legend">Each fact says where it comes from: '
        + " ".join(_basis(b) for b in _BASIS)
        + ". The sentence ids point to the evidence.</p>"
    )
    return _assets.template("card.html").substitute(
        css=_assets.read("excerpt.css"),
        label="Catalog of the sources",
        caption="Who wrote each text, when, for whom, and what kind of text it is",
        body=legend + table,
    )


def dating(source_id: str) -> str:
    """How a source's date is worked out: each clue quoted with its id, then the reasoning."""
    source = _sources.get(source_id)
    p = source.catalog["published"]
    items = []
    for ev in p.get("evidence", []):
        c = _sources.cite(ev["sentence"], ev["quote"])
        items.append(
            f'<li><span class="homs-sid">{_e(c.sentence)}</span> '
            f'<span class="homs-quote">\u201c{_e(c.quote)}\u201d</span>: '
            f"{_e(ev['shows'])}</li>"
        )
    when, _ids = _published(p)
    parts = [
        f"<p><b>Clues inside the text</b> {_basis(p['basis'])}</p>",
        f'<ol class="homs-evidence">{"".join(items)}</ol>',
        f"<p><b>Reasoning.</b> {_e(p['reasoning'])}</p>",
        f"<p><b>Result:</b> {_e(when)}.</p>",
    ]
    if p.get("context"):
        parts.append(
            f'<p class="homs-context">Context (not from the sources): '
            f"{_e(context_text(p['context']))}</p>"
        )
    update = p.get("update")
    if update:
        ids = ", ".join(update.get("sentences", []))
        parts.append(f"<p><b>A later addition ({_e(ids)}).</b> {_e(update['reasoning'])}</p>")
        if update.get("context"):
            parts.append(
                f'<p class="homs-context">Context (not from the sources): '
                f"{_e(context_text(update['context']))}</p>"
            )
    return _assets.template("card.html").substitute(
        css=_assets.read("excerpt.css"),
        label=f"Dating Source {source.id}",
        caption=f"Dating {source.label} from its own evidence",
        body="\n".join(parts),
    )
