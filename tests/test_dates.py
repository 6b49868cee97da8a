"""Tests for homs._dates: dates known to a day, month, year or range."""

from __future__ import annotations

from datetime import date
from functools import cache

import pytest

from homs._dates import parse_date


@pytest.mark.parametrize(
    ("text", "start", "end", "precision", "label"),
    [
        ("2012-02-22", date(2012, 2, 22), date(2012, 2, 22), "day", "22 February 2012"),
        ("2012-02", date(2012, 2, 1), date(2012, 2, 29), "month", "February 2012"),
        ("1963", date(1963, 1, 1), date(1963, 12, 31), "year", "1963"),
        ("2012-03/2014-05", date(2012, 3, 1), date(2014, 5, 31), "range", "March 2012 to May 2014"),
    ],
)
def test_forms(text: str, start: date, end: date, precision: str, label: str) -> None:
    """Each form gives its first and last possible day, precision and label."""
    parsed = parse_date(text)
    assert (parsed.start, parsed.end, parsed.precision, parsed.label()) == (
        start,
        end,
        precision,
        label,
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("22 February 2012", "not a date"),
        ("2012-13", "month 13"),
        ("2011-02-29", "no day 29"),
        ("2014/2012", "ends before it starts"),
    ],
)
def test_bad_dates_say_what_is_wrong(text: str, message: str) -> None:
    """Malformed dates raise ValueError saying why."""
    with pytest.raises(ValueError, match=message):
        parse_date(text)


# --------------------------------------------------------------------------- corrections


def _words(text: str) -> str:
    """HTML or chart text as plain words: entities decoded, tags and line breaks gone."""
    import html
    import re

    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split())


def _chart_text(fig: object) -> str:
    from matplotlib.text import Text

    texts = [t.get_text() for t in fig.findobj(Text)]  # type: ignore[attr-defined]
    return _words(" ".join(texts))


@cache
def _surfaces() -> list[tuple[str, str]]:
    """Every place the package's charts, self-checks, glossary notes, excerpts and cards show
    text, as ``(where, plain text)``."""
    import itertools

    from homs import charts, excerpts, knowledge, selfcheck, widgets

    kb = knowledge.load()
    found: list[tuple[str, str]] = []
    # Charts: the alt text and every label drawn, for each period the timeline offers.
    figures = {
        f"timeline {label}": charts.timeline(start=a, end=b)
        for label, (a, b) in charts.ZOOMS.items()
    }
    figures["timeline of B and C"] = charts.timeline(sources=["B", "C"])
    for name in (
        "source_coverage",
        "dating_methods",
        "dating_evidence",
        "discrepancy_matrix",
        "discrepancy_types",
        "numbers_compared",
        "voices",
        "voice_kinds",
        "word_choice",
    ):
        figures[name] = getattr(charts, name)()
    for name, fig in figures.items():
        found.append((f"{name} (alt text)", _words(fig.get_alt_text())))
        found.append((f"{name} (labels)", _chart_text(fig)))
    explorer = widgets.interactive_timeline()
    found.append(("interactive timeline", _words(explorer.image.value)))

    # Self-checks: the prompt, and the feedback to a right and to a wrong answer.
    def asked(name: str, q: selfcheck.Question, wrong: object) -> None:
        shown = [label for _, label in getattr(q, "options", ())]
        shown += list(getattr(q, "items", {}).values())
        found.append((f"{name} (prompt)", _words(" ".join([q.prompt_html.value, *shown]))))
        for value in (q.answer, wrong):
            q.value = value
            q.check()
            found.append((f"{name} (feedback)", _words(q.feedback.value)))

    for e in kb.events:
        asked(f"which_sources {e.id}", selfcheck.which_sources(e.id), ("A",))
        asked(f"accounts {e.id}", selfcheck.independent_accounts(e.id), "9")
    timeline = kb.timeline()
    for a, b in itertools.combinations(timeline, 2):
        if a.date.end < b.date.start and (a.correction or b.correction):
            q = selfcheck.order_events([a.id, b.id])
            asked(f"order {a.id} {b.id}", q, tuple(reversed(q.answer)))
            one_year = a.date.start.year == a.date.end.year and b.date.start.year == b.date.end.year
            if one_year and b.date.year > a.date.year:
                asked(f"years {a.id} {b.id}", selfcheck.years_between(a.id, b.id), "99")
    for d in kb.discrepancies:
        wrong = next(t for t in knowledge.DISCREPANCY_TYPES if t not in d.accepted_types)
        asked(f"type {d.id}", selfcheck.discrepancy_type(d.id), wrong)
        if not d.within_one_source and len({v.says for v in d.versions}) == len(d.versions):
            q = selfcheck.match_claims(d.id)
            asked(f"match {d.id}", q, dict.fromkeys(q.answer, d.sources[0]))
        for v in d.versions:
            alone = sum(o.source == v.source and o.value is not None for o in d.versions) == 1
            if v.value is not None and v.citation is not None and alone:
                asked(f"value {d.id} {v.source}", selfcheck.version_value(d.id, v.source), "1")

    # Excerpts: every source whole, with every layer, each layer alone and none; the widget.
    for sid in ("A", "B", "C"):
        found.append((f"excerpt {sid}", _words(excerpts.excerpt_html(sid))))
        found.append((f"excerpt {sid} no layers", _words(excerpts.excerpt_html(sid, layers=[]))))
        for layer in excerpts.CATEGORIES:
            html = excerpts.excerpt_html(sid, layers=[layer])
            found.append((f"excerpt {sid} {layer}", _words(html)))
        for s in __import__("homs").sources.get(sid).sentences:
            html = excerpts.excerpt_html(sid, s.id, layers=[])
            found.append((f"excerpt {s.id}", _words(html)))
        found.append((f"excerpt widget {sid}", _words(excerpts.excerpt(sid).html.value)))
        found.append((f"dating card {sid}", _words(excerpts.dating_html(sid))))
    found.append(("catalog", _words(excerpts.catalog_html())))
    # The glossary's definitions, as the notes show them.
    for t in kb.terms:
        found.append((f"glossary {t.id}", _words(t.definition)))
    return found


def test_a_corrected_date_never_travels_without_its_correction() -> None:
    """Wherever a date known to be wrong is shown (Waer's "May 2016", B-17 and C-31), its
    correction from outside the texts is shown with it, marked as context."""
    from homs import knowledge

    kb = knowledge.load()
    corrected = kb.corrected_events()
    assert [e.id for e in corrected] == ["waer-retaken"]
    surfaces = _surfaces()
    for event in corrected:
        assert event.correction is not None
        given = event.date.label()
        note = " ".join(event.correction.note.split())
        showing = [(where, text) for where, text in surfaces if given in text]
        assert len(showing) > 50, "the test must find the date in many places"
        for where, text in showing:
            assert note in text, f"{where} shows {given!r} without its correction"
            assert "context" in text.lower(), f"{where}: the correction is not marked as context"


def test_date_text_and_correction_note() -> None:
    """Event.date_text() gives the sources' date and, marked as context, the correction."""
    from homs import knowledge

    kb = knowledge.load()
    waer = kb.event("waer-retaken")
    assert waer.date_text() == (
        "May 2016 (as Sources B and C print it; context: the last fighters left Waer under a "
        "deal made in March 2017 and carried out by May 2017)"
    )
    assert waer.date_text(correction=False) == "May 2016"
    assert waer.correction is not None
    assert waer.correction.date.label() == "March 2017 to May 2017"
    assert kb.event("old-city-evacuation").date_text() == "May 2014"
    assert kb.event("old-city-evacuation").correction_note() is None
    assert waer.correction_note() == (
        "The date Sources B and C print, May 2016 (B-17, C-31), needs correcting: the last "
        "fighters left Waer under a deal made in March 2017 and carried out by May 2017."
    )


_BROKEN = [
    r"knowledge[ -]base",
    r"tokeni[sz]ed form",
    r"course book",
    r"\?:",
    r"\(s\)",
    r"\b1 (?:witnesses|accounts|sources|sentences|years|events|voices|options)\b",
    r"\b[12],\d{3} years?\b",
    r"\ba omission\b",
    r"\ban? (?:different-detail|different-framing|change-over-time)\b",
    r"\bindependent witness",
    r"\bone witness\b",
]


def test_student_facing_text_has_no_internal_words_or_broken_grammar() -> None:
    """What students see (charts, self-checks, excerpts, cards, the glossary) never says
    "knowledge base", "option(s)", "?:", "1 witnesses", "2,012 year" or "a omission", and calls
    news reports accounts, not witnesses."""
    import re

    for where, text in _surfaces():
        for pattern in _BROKEN:
            found = re.search(pattern, text, re.IGNORECASE)
            around = text[max(0, found.start() - 60) : found.end() + 60] if found else ""
            assert not found, f"{where}: {pattern!r} in ...{around}..."
