"""Self-check questions with immediate feedback, built from the knowledge base: the builders
(:func:`which_sources`, :func:`order_events`, ...) and :func:`show`. This is the top layer
below the lessons: it imports the question widgets from :mod:`homs.widgets` (and re-exports
them, so ``selfcheck.MultipleChoice`` works), the knowledge base, the sources and the helpers
below them.

Each builder returns a question widget you can also drive from code:

- :class:`MultipleChoice` (one answer, or "tick all that apply"),
- :class:`Ordering` (put items in order with up/down buttons),
- :class:`Matching` (a drop-down beside each item),
- :class:`Numeric` (a number, with a tolerance),
- :class:`EvidenceAnswer` (a short written answer checked against a checklist).

Set ``.value`` (or use the controls), call :meth:`Question.check` (or press *Check*), then read
``.correct`` and ``.feedback.value``. The feedback says why, citing sentence ids and quoting the
sources; the answers and quotes come from the knowledge base, never typed by hand.

>>> from homs import selfcheck
>>> q = selfcheck.order_events(["colvin-ochlik-killed", "clock-tower-square"])
>>> q.value = q.answer
>>> q.check(), q.correct
(True, True)

Builders: :func:`which_sources`, :func:`order_events`, :func:`match_claims`,
:func:`discrepancy_type`, :func:`version_value`, :func:`years_between`,
:func:`catalog_choice`, :func:`publication_year`, :func:`independent_accounts` (also under its
older name, :func:`independent_witnesses`); the general :func:`multiple_choice`, :func:`numeric`;
and :func:`evidence_answer`, a short written answer checked against a checklist (ids cited,
sources used, shared wording). :func:`show` displays a question.

Where a careful reader could defend more than one answer, the question accepts each of them
(``question.accepted``, each with its reason) and its feedback says which answer is preferred
and why: :func:`discrepancy_type` accepts every type in
:attr:`homs.knowledge.Discrepancy.accepted_types`, :func:`independent_accounts` and
:func:`which_sources` the counts and sources a related report allows.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from homs import knowledge
from homs import sources as _sources
from homs._display import display
from homs._highlights import context_text
from homs._text import join_and, plural
from homs.knowledge import DISCREPANCY_TYPES, Discrepancy, Event, KnowledgeBase
from homs.sources import Citation
from homs.widgets.questions import (
    EvidenceAnswer,
    Matching,
    MultipleChoice,
    Numeric,
    Ordering,
    Question,
)

__all__ = [
    "EvidenceAnswer",
    "Matching",
    "MultipleChoice",
    "Numeric",
    "Ordering",
    "Question",
    "catalog_choice",
    "discrepancy_type",
    "evidence_answer",
    "independent_accounts",
    "independent_witnesses",
    "match_claims",
    "multiple_choice",
    "numeric",
    "order_events",
    "publication_year",
    "show",
    "version_value",
    "which_sources",
    "witness_groups",
    "years_between",
]


# ----- general constructors -------------------------------------------------------------


def multiple_choice(
    prompt: str,
    options: Sequence[tuple[str, str]],
    answer: str | Iterable[str],
    *,
    multiple: bool = False,
    why: Sequence[str] = (),
    citations: Sequence[Citation] = (),
    context: str | None = None,
    accepted: Mapping[Any, str] | None = None,
    preferred_because: str | None = None,
) -> MultipleChoice:
    """A multiple-choice question from your own options.

    Prefer the knowledge-base builders; use this when the answer is a reading skill rather
    than a fact. Build ``citations`` with :func:`homs.sources.cite` so every quote is checked.

    Args:
        prompt: The question.
        options: ``(key, label)`` pairs.
        answer: The right key, or the right keys when ``multiple``: the preferred answer.
        multiple: Tick all that apply, instead of choose one.
        why: The explanation, one paragraph per item.
        citations: The quotes the explanation rests on.
        context: Background from outside the three texts.
        accepted: Other full-credit answers (keys, or tuples of keys when ``multiple``), each
            with the reason it is accepted, written to follow "because".
        preferred_because: Why ``answer`` is preferred, written to follow "because".
    """
    return MultipleChoice(
        prompt,
        options,
        answer,
        multiple=multiple,
        why=why,
        citations=citations,
        context=context,
        accepted=accepted,
        preferred_because=preferred_because,
        spec=("multiple_choice", {"answer": answer}),
    )


def numeric(
    prompt: str,
    answer: float,
    *,
    tolerance: float = 0,
    unit: str = "",
    why: Sequence[str] = (),
    citations: Sequence[Citation] = (),
    context: str | None = None,
    accepted: Mapping[float, str] | None = None,
    preferred_because: str | None = None,
) -> Numeric:
    """A short numeric question whose answer you take from the knowledge base.

    Args:
        prompt: The question.
        answer: The right number: the preferred answer.
        tolerance: How far from ``answer`` (or an accepted number) still counts as right.
        unit: The unit, shown beside the box, e.g. ``"years"``.
        why: The explanation, one paragraph per item.
        citations: The quotes the explanation rests on.
        context: Background from outside the three texts.
        accepted: Other full-credit numbers, each with the reason it is accepted, written to
            follow "because".
        preferred_because: Why ``answer`` is preferred, written to follow "because".
    """
    return Numeric(
        prompt,
        answer,
        tolerance=tolerance,
        unit=unit,
        why=why,
        citations=citations,
        context=context,
        accepted=accepted,
        preferred_because=preferred_because,
        spec=("numeric", {"answer": answer}),
    )


# ----- knowledge-base builders ------------------------------------------------------------


def _kb(kb: KnowledgeBase | None) -> KnowledgeBase:
    return kb or knowledge.load()


def which_sources(event_id: str, *, kb: KnowledgeBase | None = None) -> MultipleChoice:
    """Which sources report an event? (tick all that apply)

    A source that reports only a closely related moment (the event's ``related_reports``) is
    not among the preferred answer; ticking it as well is accepted, with the reason.

    Args:
        event_id: An event id from ``events.yaml``, e.g. ``"colvin-ochlik-killed"``.
        kb: The knowledge base; the packaged one by default.
    """
    base = _kb(kb)
    event = base.event(event_id)
    options = [(sid, _sources.get(sid).label) for sid in _sources.SOURCE_IDS]
    why = []
    related = _related_sources(event)
    for sid in _sources.SOURCE_IDS:
        ids = [r.citation.sentence for r in event.reports if r.source == sid]
        if ids:
            why.append(f"Source {sid} reports it ({', '.join(dict.fromkeys(ids))}).")
        elif sid in related:
            near = join_and([r.citation.sentence for r in related[sid]])
            why.append(
                f"Source {sid} does not report this event itself, but a closely related moment "
                f"({near})."
            )
        else:
            why.append(f"Source {sid} does not mention it.")
    accepted = {}
    if related:
        with_related = tuple(sorted({*event.sources, *related}))
        accepted[with_related] = " ".join(r.reason for rs in related.values() for r in rs)
    return MultipleChoice(
        f"Which sources report this event: {event.title}?",
        options,
        event.sources,
        multiple=True,
        why=why,
        citations=[r.citation for r in event.reports]
        + [r.citation for rs in related.values() for r in rs],
        context=_ctx_with(base, event.context, [r.citation.sentence for r in event.reports]),
        accepted=accepted,
        preferred_because=_only_reports(event, related) if related else None,
        spec=("which_sources", {"event_id": event_id}),
    )


def _related_sources(event: Event) -> dict[str, list[Any]]:
    """The related reports of sources that do not report the event itself, by source."""
    found: dict[str, list[Any]] = {}
    for r in event.related_reports:
        if r.source not in event.sources:
            found.setdefault(r.source, []).append(r)
    return found


def _only_reports(event: Event, related: Mapping[str, Sequence[Any]]) -> str:
    mine = join_and([r.citation.sentence for r in event.reports])
    other = join_and([r.citation.sentence for rs in related.values() for r in rs])
    return (
        f"only {mine} report{'s' if len(event.reports) == 1 else ''} the event itself; "
        f"{other} report{'s' if sum(map(len, related.values())) == 1 else ''} "
        "a moment close to it, not the same one."
    )


def order_events(event_ids: Sequence[str], *, kb: KnowledgeBase | None = None) -> Ordering:
    """Put events in the order they happened, earliest first.

    Args:
        event_ids: Two or more event ids whose dates do not overlap.
        kb: The knowledge base; the packaged one by default.

    Raises:
        KeyError: An event id is not in ``events.yaml``.
        ValueError: Fewer than two distinct events, or two whose dates overlap, so that their
            order cannot be told from the dates.
    """
    base = _kb(kb)
    distinct = set(event_ids)
    if isinstance(event_ids, str) or len(distinct) < 2 or len(distinct) != len(event_ids):
        raise ValueError(f"order_events needs two or more different event ids; got {event_ids!r}")
    events = sorted((base.event(e) for e in event_ids), key=lambda e: (e.date.start, e.date.end))
    for a, b in itertools.pairwise(events):
        if not a.date.end < b.date.start:
            raise ValueError(
                f"events {a.id!r} ({a.date.label()}) and {b.id!r} ({b.date.label()}) overlap in "
                "time, so their order cannot be checked; choose events whose dates do not overlap"
            )
    why = [f"{e.date_text()}: {e.title} ({e.best_report().citation.sentence})." for e in events]
    cited = [e.best_report().citation for e in events]
    return Ordering(
        "Put these events in the order they happened, earliest first.",
        [(e.id, e.title) for e in sorted(events, key=lambda e: e.id)],
        [e.id for e in events],
        seed=",".join(event_ids),
        why=why,
        citations=cited,
        context=_ctx_with(base, None, [c.sentence for c in cited]),
        spec=("order_events", {"event_ids": list(event_ids)}),
    )


def match_claims(discrepancy_id: str, *, kb: KnowledgeBase | None = None) -> Matching:
    """Match each version of a disputed point to the source that gives it.

    Args:
        discrepancy_id: A discrepancy id from ``discrepancies.yaml`` involving two or more
            sources.
        kb: The knowledge base; the packaged one by default.

    Raises:
        ValueError: The discrepancy lies within one source, or two versions read the same.
    """
    base = _kb(kb)
    d = base.discrepancy(discrepancy_id)
    if d.within_one_source:
        raise ValueError(
            f"discrepancy {d.id!r} is within Source {d.sources[0]}; there is "
            "nothing to match. Choose one between two or more sources."
        )
    says = [v.says for v in d.versions]
    if len(set(says)) != len(says):
        raise ValueError(
            f"discrepancy {d.id!r}: two versions read the same ({says}); they "
            "cannot be told apart in a matching question"
        )
    items = [(f"v{i}", v.says) for i, v in enumerate(d.versions, start=1)]
    shown = [v.citation.sentence for v in d.versions if v.citation]
    random.Random(d.id).shuffle(items)
    answer = {f"v{i}": v.source for i, v in enumerate(d.versions, start=1)}
    why = [_asked(d.topic, f"{_kind(d)}.")]
    for v in d.versions:
        if v.citation is None:
            why.append(f"Source {v.source} is silent: {v.says}.")
        else:
            why.append(f"Source {v.source} says: {v.says} ({v.citation.sentence}).")
    why.append(d.explanation)
    return Matching(
        _asked(d.topic, "which source says what? Match each version to its source."),
        items,
        [(s, f"Source {s}") for s in d.sources],
        answer,
        why=why,
        citations=[v.citation for v in d.versions if v.citation is not None],
        context=_ctx_with(base, d.context, shown),
        notes=_corrections(base, shown),
        spec=("match_claims", {"discrepancy_id": discrepancy_id}),
    )


def _asked(topic: str, rest: str) -> str:
    """A topic, then what is asked about it: "Population of Homs: what ...?", and for a topic
    that is itself a question, "Had the rebels reached Homs? What ...?" (never "?:")."""
    if topic.rstrip().endswith("?"):
        return f"{topic.rstrip()} {rest[:1].upper()}{rest[1:]}"
    return f"{topic}: {rest}"


def _kind(d: Discrepancy) -> str:
    """The kind of a discrepancy in words, with the other kinds a careful reader could defend."""
    text = f"a difference of the kind {d.type} ({DISCREPANCY_TYPES[d.type]})"
    if d.also_types:
        text += "; also defensible: " + join_and([a.type for a in d.also_types])
    return text


def discrepancy_type(discrepancy_id: str, *, kb: KnowledgeBase | None = None) -> MultipleChoice:
    """What kind of difference is this? The versions are quoted in the question.

    The preferred answer is the discrepancy's ``type``; every other type in its
    :attr:`~homs.knowledge.Discrepancy.accepted_types` is accepted too, and the feedback says why
    each is accepted and why the preferred one is preferred.

    Args:
        discrepancy_id: A discrepancy id from ``discrepancies.yaml``.
        kb: The knowledge base; the packaged one by default.
    """
    base = _kb(kb)
    d = base.discrepancy(discrepancy_id)
    quotes = [
        v.citation if v.citation is not None else f"Source {v.source} says nothing on this."
        for v in d.versions
    ]
    shown = [v.citation.sentence for v in d.versions if v.citation]
    return MultipleChoice(
        _asked(d.topic, "what kind of difference is this?"),
        [(t, f"{t}: {meaning}") for t, meaning in DISCREPANCY_TYPES.items()],
        d.type,
        why=[d.explanation],
        citations=[v.citation for v in d.versions if v.citation],
        context=_ctx_with(base, d.context, shown),
        quotes=quotes,
        notes=_corrections(base, shown),
        accepted={a.type: a.reason for a in d.also_types},
        preferred_because=d.preferred_because,
        spec=("discrepancy_type", {"discrepancy_id": discrepancy_id}),
    )


def version_value(
    discrepancy_id: str, source_id: str, *, tolerance: float = 0, kb: KnowledgeBase | None = None
) -> Numeric:
    """What number does one source give on a disputed point? (e.g. the population)

    Args:
        discrepancy_id: A discrepancy whose versions carry a ``value``.
        source_id: The source whose number is asked for.
        tolerance: How far off still counts as right.
        kb: The knowledge base; the packaged one by default.

    Raises:
        ValueError: That source has no version with a number in this discrepancy.
    """
    base = _kb(kb)
    d = base.discrepancy(discrepancy_id)
    versions = [
        v
        for v in d.versions
        if v.source == source_id and v.value is not None and v.citation is not None
    ]
    if len(versions) != 1:
        raise ValueError(
            f"discrepancy {d.id!r} has {len(versions)} versions from Source "
            f"{source_id} with a `value`; version_value needs exactly one"
        )
    v = versions[0]
    others = [f"Source {o.source} says: {o.says}." for o in d.versions if o is not v]
    return Numeric(
        _asked(d.topic, f"what number does Source {source_id} give?"),
        float(v.value or 0),
        tolerance=tolerance,
        why=[
            f"Source {source_id} says: {v.says} ({v.citation.sentence if v.citation else ''}).",
            *others,
            d.explanation,
        ],
        citations=[o.citation for o in d.versions if o.citation is not None],
        context=_ctx_with(base, d.context, [o.citation.sentence for o in d.versions if o.citation]),
        spec=("version_value", {"discrepancy_id": discrepancy_id, "source_id": source_id}),
    )


def years_between(
    first_event: str, second_event: str, *, kb: KnowledgeBase | None = None
) -> Numeric:
    """How many years passed between two events? (the difference of their years)

    Args:
        first_event: The earlier event's id.
        second_event: The later event's id.
        kb: The knowledge base; the packaged one by default.

    Raises:
        ValueError: An event's date spans more than one year, or the second is not later.
    """
    base = _kb(kb)
    a, b = base.event(first_event), base.event(second_event)
    for e in (a, b):
        if e.date.start.year != e.date.end.year:
            raise ValueError(
                f"event {e.id!r} is dated {e.date.label()}, across more than one "
                "year; choose events dated within one year"
            )
    if b.date.year <= a.date.year:
        raise ValueError(
            f"{second_event!r} ({b.date.year}) is not in a later year than "
            f"{first_event!r} ({a.date.year}); give the earlier event first"
        )
    ca, cb = a.best_report().citation, b.best_report().citation
    years = b.date.year - a.date.year
    accepted = {}
    fixed = [e.correction.date for e in (a, b) if e.correction is not None]
    if fixed and all(f.start.year == f.end.year for f in fixed):
        ya = a.correction.date.year if a.correction else a.date.year
        yb = b.correction.date.year if b.correction else b.date.year
        if yb - ya != years and yb > ya:
            accepted[yb - ya] = (
                f"it uses the corrected date from outside the texts ({ya} to {yb}), although "
                f"the question asks for the years the sources give ({ca.sentence}, {cb.sentence})."
            )
    return Numeric(
        f"How many years passed between these two events: \u201c{a.title}\u201d and "
        f"\u201c{b.title}\u201d? Use the years the sources give.",
        years,
        unit="years",
        unit_one="year",
        why=[
            f"{a.title}: {a.date_text()} ({ca.sentence}).",
            f"{b.title}: {b.date_text()} ({cb.sentence}).",
            f"{b.date.year} \u2212 {a.date.year} = {years}.",
        ],
        citations=[ca, cb],
        context=_ctx_with(base, a.context or b.context, [ca.sentence, cb.sentence]),
        accepted=accepted,
        preferred_because=(
            f"the question asks for the years the sources give ({ca.sentence}, {cb.sentence})."
            if accepted
            else None
        ),
        spec=("years_between", {"first_event": first_event, "second_event": second_event}),
    )


_CATALOG_FIELDS = ("outlet", "genre", "audience")


def catalog_choice(source_id: str, field: str) -> MultipleChoice:
    """Which description fits a source? Options are the three sources' catalog entries.

    Args:
        source_id: ``"A"``, ``"B"`` or ``"C"``.
        field: ``"outlet"``, ``"genre"`` or ``"audience"``.

    Raises:
        ValueError: ``field`` is not one of those.
    """
    if field not in _CATALOG_FIELDS:
        raise ValueError(
            f"field {field!r} is not in the catalog questions; choose one of "
            f"{', '.join(_CATALOG_FIELDS)}"
        )
    source = _sources.get(source_id)
    entries = {sid: _sources.get(sid).catalog[field] for sid in _sources.SOURCE_IDS}
    options = [(sid, str(entry["value"])) for sid, entry in entries.items()]
    mine = entries[source_id]
    basis = {
        "stated": "the text says so",
        "inferred": "worked out from the text",
        "context": "from outside the text",
    }[mine["basis"]]
    what = {
        "outlet": "Who most probably published",
        "genre": "What kind of text is",
        "audience": "Who was the intended audience of",
    }[field]
    return MultipleChoice(
        f"{what} Source {source_id}?",
        options,
        source_id,
        why=[f"{mine['value']} ({basis}).", " ".join(str(mine["evidence"]).split())],
        citations=[_whole(s) for s in mine.get("sentences", [])],
        context=_ctx(mine.get("context")) if mine["basis"] == "context" else None,
        spec=("catalog_choice", {"source_id": source.id, "field": field}),
    )


def publication_year(source_id: str) -> Numeric:
    """In which year was a source written? Answered from the catalog's dating evidence.

    Args:
        source_id: ``"A"``, ``"B"`` or ``"C"``.
    """
    source = _sources.get(source_id)
    p = source.catalog["published"]
    year = int(str(p["most_likely"])[:4])
    citations = [_sources.cite(ev["sentence"], ev["quote"]) for ev in p["evidence"]]
    why = [f"{ev['sentence']}: \u201c{ev['quote']}\u201d {ev['shows']}" for ev in p["evidence"]]
    why.append(" ".join(str(p["reasoning"]).split()))
    hint = (
        "Use the evidence inside the text."
        if p["basis"] != "context"
        else "The text gives clues but not the year itself: use the clues and the context."
    )
    what = f"the main text of Source {source_id}" if p.get("update") else f"Source {source_id}"
    return Numeric(
        f"In which year was {what} most probably written? {hint}",
        year,
        year=True,
        why=why,
        citations=citations,
        context=_ctx(p.get("context")),
        spec=("publication_year", {"source_id": source_id}),
    )


def witness_groups(
    event_id: str, *, kb: KnowledgeBase | None = None
) -> tuple[list[tuple[str, ...]], list[Discrepancy]]:
    """The sources that report an event, grouped into independent accounts.

    The same as :meth:`homs.knowledge.KnowledgeBase.witness_groups`, on the packaged knowledge
    base by default.

    Args:
        event_id: An event id from ``events.yaml``.
        kb: The knowledge base; the packaged one by default.

    Returns:
        The groups (each a tuple of source letters, in order) and the dependence
        discrepancies that joined them.
    """
    return _kb(kb).witness_groups(event_id)


def _named(groups: Sequence[tuple[str, ...]]) -> str:
    return join_and(
        [
            "Source " + join_and(list(g))
            if len(g) == 1
            else "Sources " + join_and(list(g)) + " together"
            for g in groups
        ]
    )


def independent_accounts(event_id: str, *, kb: KnowledgeBase | None = None) -> Numeric:
    """How many independent accounts report an event? Sources that share wording count once.

    Only the sources that report the event itself count. Where another source reports a
    closely related moment (the event's ``related_reports``, e.g. rebels "closing in" on a
    city that another source says they "reached"), the count that includes it is accepted too,
    with the reason.

    Args:
        event_id: An event id from ``events.yaml``.
        kb: The knowledge base; the packaged one by default.
    """
    base = _kb(kb)
    event = base.event(event_id)
    groups, used = base.witness_groups(event_id)
    why = []
    for sid in event.sources:
        ids = ", ".join(
            dict.fromkeys(r.citation.sentence for r in event.reports if r.source == sid)
        )
        why.append(f"Source {sid} reports it ({ids}).")
    reported = {r.citation.sentence for r in event.reports}
    for d in used:
        pair = join_and(
            [
                v.citation.sentence
                for v in d.versions
                if v.citation and v.citation.sentence in reported
            ]
        )
        why.append(f"{pair} share wording ({d.topic}): {d.explanation}")
    count = plural(len(groups), "independent account")
    why.append(f"So there {'is' if len(groups) == 1 else 'are'} {count}: {_named(groups)}.")
    related = _related_sources(event)
    accepted = {}
    if related:
        near = [r.citation.sentence for rs in related.values() for r in rs]
        wider = base.witness_groups(event_id, include_related=True)[0]
        reasons = " ".join(r.reason for rs in related.values() for r in rs)
        why.append(
            f"{join_and(near)} {'does' if len(near) == 1 else 'do'} not report the event "
            f"itself but a moment close to it. {reasons}"
        )
        if len(wider) != len(groups):
            accepted[len(wider)] = (
                f"counting {join_and(near)} as an account of the same moment gives "
                f"{plural(len(wider), 'independent account')}, {_named(wider)}, and the "
                "sources do not share wording there."
            )
    citations = [r.citation for r in event.reports]
    citations += [r.citation for rs in related.values() for r in rs]
    citations += [
        v.citation for d in used for v in d.versions if v.citation and v.citation not in citations
    ]
    return Numeric(
        f"How many independent accounts report this event: {event.title}? Sources that share "
        "wording count as one.",
        len(groups),
        unit="accounts",
        unit_one="account",
        why=why,
        citations=citations,
        context=_ctx_with(base, event.context, reported),
        accepted=accepted,
        preferred_because=_only_reports(event, related) if accepted else None,
        spec=("independent_accounts", {"event_id": event_id}),
    )


def independent_witnesses(event_id: str, *, kb: KnowledgeBase | None = None) -> Numeric:
    """The older name of :func:`independent_accounts` (news reports are accounts, not
    witnesses); the lessons may still call it."""
    question = independent_accounts(event_id, kb=kb)
    question.spec = ("independent_witnesses", {"event_id": event_id})
    return question


def evidence_answer(
    prompt: str, *, min_citations: int = 2, min_sources: int = 2, kb: KnowledgeBase | None = None
) -> EvidenceAnswer:
    """A short written answer to a historical question, with a checklist for its evidence.

    Args:
        prompt: The question to answer.
        min_citations: How many different sentences the answer must cite.
        min_sources: From how many different sources.
        kb: The knowledge base (for the shared-wording warnings); the packaged one by default.
    """
    return EvidenceAnswer(
        prompt,
        min_citations=min_citations,
        min_sources=min_sources,
        kb=kb,
        spec=("evidence_answer", {"prompt": prompt}),
    )


def _whole(sentence_id: str) -> Citation:
    return _sources.cite(sentence_id, _sources.sentence(sentence_id).text)


def _ctx(text: str | None) -> str | None:
    return " ".join(context_text(text).split()) if text else None


def _corrections(kb: KnowledgeBase, sentence_ids: Iterable[str]) -> list[str]:
    """The correction of every date these sentences print that is known to be wrong: wherever
    such a sentence is shown, its correction is shown too (marked as context)."""
    return [note for e in kb.correction_for(sentence_ids) if (note := e.correction_note())]


def _ctx_with(kb: KnowledgeBase, text: str | None, sentence_ids: Iterable[str]) -> str | None:
    """The context of a question's feedback, with the corrections of the dates it shows."""
    parts = [p for p in (_ctx(text), *_corrections(kb, sentence_ids)) if p]
    return " ".join(parts) or None


def show(question: Question) -> None:
    """Shows a question in the notebook."""
    if not isinstance(question, Question):
        raise TypeError(
            f"show() takes a selfcheck question, not {type(question).__name__}; "
            "build one with e.g. selfcheck.order_events([...])"
        )
    display(question)
