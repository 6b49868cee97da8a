"""The knowledge base: events, claims and discrepancies, voices, glossary and annotations, with
the queries the lessons, charts, questions and quizzes share (:meth:`Event.best_report`,
:meth:`KnowledgeBase.witness_groups`, :meth:`KnowledgeBase.shared_wording`). From ``homs`` it
imports only the layers below it: ``errors``, ``_text``, ``_schema``, ``_dates`` and ``sources``.

The data are YAML files in ``homs/data/`` with JSON Schemas in ``homs/data/schema/``. Loading
checks every file against its schema and every quote against its sentence, and reports all the
problems it finds at once, each naming the file, the entry and what to do.

>>> from homs import knowledge
>>> kb = knowledge.load()
>>> kb.event("colvin-ochlik-killed").date.label()
'22 February 2012'
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from homs import _schema
from homs import sources as _sources
from homs._dates import FuzzyDate, parse_date
from homs._text import join_and
from homs.errors import DataError, Problem
from homs.sources import Citation, Source

__all__ = [
    "DATINGS",
    "DISCREPANCY_TYPES",
    "FILES",
    "Alternative",
    "Annotation",
    "Appearance",
    "Correction",
    "Discrepancy",
    "Event",
    "KnowledgeBase",
    "RelatedReport",
    "Report",
    "Term",
    "Version",
    "Voice",
    "check",
    "data_dir",
    "load",
]

FILES = {
    "events": "events.yaml",
    "discrepancies": "discrepancies.yaml",
    "voices": "voices.yaml",
    "glossary": "glossary.yaml",
    "annotations": "annotations.yaml",
}
DISCREPANCY_TYPES: Mapping[str, str] = {
    "contradiction": "the sources cannot both be right",
    "different-detail": "the sources agree in substance but give different details",
    "different-framing": (
        "the sources describe the same thing in different words or from a different angle"
    ),
    "omission": "one source is silent where another reports",
    "change-over-time": "the situation or the way it is seen changed between the texts",
    "dependence": "one source reuses another's wording, so they are not independent accounts",
}
#: How a report dates its event, from most to least direct (see :meth:`Event.best_report`).
DATINGS: tuple[str, ...] = ("explicit", "relative", "inferred", "undated")
DiscrepancyType = Literal[
    "contradiction",
    "different-detail",
    "different-framing",
    "omission",
    "change-over-time",
    "dependence",
]


@dataclass(frozen=True)
class Report:
    """How one source reports an event."""

    citation: Citation
    dating: Literal["explicit", "relative", "inferred", "undated"]
    date_words: str | None

    @property
    def source(self) -> str:
        """The source letter."""
        return self.citation.source


@dataclass(frozen=True)
class RelatedReport:
    """A sentence that reports a closely related moment, not the event itself: a careful reader
    may count it as reporting the event; ``reason`` says why, and why it is not counted."""

    citation: Citation
    reason: str

    @property
    def source(self) -> str:
        """The source letter."""
        return self.citation.source


@dataclass(frozen=True)
class Correction:
    """Context from outside the texts: the date the sources give for an event is wrong.

    ``date`` is the corrected date; ``note`` one sentence saying what happened when, written
    to follow "context:" (it starts in lower case).
    """

    date: FuzzyDate
    note: str


@dataclass(frozen=True)
class Event:
    """A dated event, with each source's report of it.

    ``date`` is the date the sources give (or that is worked out from them); where that date
    is known to be wrong, ``correction`` holds the right one, from outside the texts, and
    :meth:`date_text` shows both.
    """

    id: str
    date: FuzzyDate
    title: str
    description: str
    reports: tuple[Report, ...]
    reasoning: str | None
    context: str | None
    correction: Correction | None = None
    related_reports: tuple[RelatedReport, ...] = ()

    @property
    def sources(self) -> tuple[str, ...]:
        """The sources that report it, in order A, B, C."""
        return tuple(sorted({r.source for r in self.reports}))

    def date_text(self, *, correction: bool = True) -> str:
        """The date as the sources give it, followed by any correction, marked as context.

        >>> from homs import knowledge
        >>> knowledge.load().event("waer-retaken").date_text()  # doctest: +ELLIPSIS
        'May 2016 (as Sources B and C print it; context: ...2017...)'

        Args:
            correction: Add the correction from outside the texts, where there is one. Leave it
                on wherever the date is shown to a reader: a corrected date never travels
                without its correction.
        """
        label = self.date.label()
        if not correction or self.correction is None:
            return label
        printed = sorted({r.source for r in self.reports if r.dating == "explicit"})
        if len(printed) > 1:
            who = f"as Sources {join_and(printed)} print it"
        elif printed:
            who = f"as Source {printed[0]} prints it"
        else:
            who = "as the sources date it"
        return f"{label} ({who}; context: {self.correction.note.rstrip('.')})"

    def correction_note(self) -> str | None:
        """The correction as a sentence for a context note, naming the date it corrects and the
        sentences that print it; ``None`` where the date needs no correction.

        >>> from homs import knowledge
        >>> knowledge.load().event("waer-retaken").correction_note()  # doctest: +ELLIPSIS
        'The date Sources B and C print, May 2016 (B-17, C-31), needs correcting: the last...'
        """
        if self.correction is None:
            return None
        printed = [r for r in self.reports if r.dating == "explicit"]
        who = sorted({r.source for r in printed})
        ids = ", ".join(dict.fromkeys(r.citation.sentence for r in printed))
        if len(who) > 1:
            whose = f"The date Sources {join_and(who)} print"
        elif who:
            whose = f"The date Source {who[0]} prints"
        else:
            whose = "The date the sources give"
        where = f" ({ids})" if ids else ""
        note = self.correction.note.rstrip(".")
        return f"{whose}, {self.date.label()}{where}, needs correcting: {note}."

    def best_report(self, source: str | None = None) -> Report:
        """The report that dates the event most directly, of every source or of one.

        Reports are ranked by :data:`DATINGS`: a printed date first, then one worked out from
        relative words ("a day later"), then one inferred, then an undated report. Among equals
        the first listed in ``events.yaml`` wins.

        Args:
            source: A source letter, to choose among that source's reports only.

        Raises:
            ValueError: ``source`` does not report the event.
        """
        reports = [r for r in self.reports if source is None or r.source == source]
        if not reports:
            raise ValueError(
                f"Source {source} does not report event {self.id!r}; it is reported by "
                + ", ".join(self.sources)
            )
        return min(reports, key=lambda r: DATINGS.index(r.dating))


@dataclass(frozen=True)
class Version:
    """One source's version of a disputed point; ``citation`` is ``None`` where it is silent."""

    source: str
    says: str
    citation: Citation | None
    value: float | None = None

    @property
    def silent(self) -> bool:
        """True where the source says nothing on the point."""
        return self.citation is None


@dataclass(frozen=True)
class Alternative:
    """Another type a careful reader could defend for a discrepancy, and why (the reason is
    written to follow "because" and cites sentence ids)."""

    type: str
    reason: str


@dataclass(frozen=True)
class Discrepancy:
    """A point where the sources, or one source with itself, differ.

    ``type`` is the preferred type, the one the evidence supports best (``preferred_because``
    says why, where another type is also defensible); :attr:`also_types` are the other types a
    careful reader could defend, each with its reason; :attr:`accepted_types` is every type
    that earns full credit, the preferred one first.
    """

    id: str
    topic: str
    type: DiscrepancyType
    versions: tuple[Version, ...]
    explanation: str
    context: str | None
    preferred_because: str | None = None
    alternatives: tuple[Alternative, ...] = ()

    @property
    def also_types(self) -> tuple[Alternative, ...]:
        """The other types a careful reader could defend, each with its reason."""
        return self.alternatives

    @property
    def accepted_types(self) -> tuple[str, ...]:
        """Every type that earns full credit: the preferred type first, then the others."""
        return (self.type, *(a.type for a in self.alternatives))

    @property
    def sources(self) -> tuple[str, ...]:
        """The sources involved (silent ones included), in order."""
        return tuple(sorted({v.source for v in self.versions}))

    @property
    def within_one_source(self) -> bool:
        """True when every version comes from the same source."""
        return len(self.sources) == 1


@dataclass(frozen=True)
class Appearance:
    """One place a voice is quoted, paraphrased or cited; ``inference`` says how the text shows
    the words are this voice's, where it does not say so outright."""

    citation: Citation
    mode: Literal["quoted", "paraphrased", "cited"]
    described_as: str | None
    inference: str | None = None


@dataclass(frozen=True)
class Voice:
    """A person, organisation or outlet quoted or cited by a source.

    ``inference`` is what is worked out from the text about the voice (shown as inferred from
    the text); ``context`` is what comes from outside the three texts.
    """

    id: str
    name: str
    kind: str
    appearances: tuple[Appearance, ...]
    context: str | None
    inference: str | None = None

    @property
    def sources(self) -> tuple[str, ...]:
        """The sources it appears in."""
        return tuple(sorted({a.citation.source for a in self.appearances}))


@dataclass(frozen=True)
class Term:
    """A glossary entry; ``basis == "context"`` marks a definition from beyond the texts."""

    id: str
    term: str
    definition: str
    basis: Literal["sources", "context"]
    sentences: tuple[str, ...]
    variants: tuple[str, ...]


@dataclass(frozen=True)
class Annotation:
    """A note on one span: a sourcing clue, a loaded word, a hedge or a claim."""

    id: str
    kind: Literal["sourcing-clue", "loaded-word", "hedge", "claim"]
    citation: Citation
    note: str


@dataclass(frozen=True)
class KnowledgeBase:
    """Everything the lessons and quizzes know, each item tied to sentences of the sources."""

    events: tuple[Event, ...]
    discrepancies: tuple[Discrepancy, ...]
    voices: tuple[Voice, ...]
    terms: tuple[Term, ...]
    annotations: tuple[Annotation, ...]

    def timeline(self) -> list[Event]:
        """The events in date order (earliest possible day, then latest, then id)."""
        return sorted(self.events, key=lambda e: (e.date.start, e.date.end, e.id))

    def event(self, event_id: str) -> Event:
        """The event with this id."""
        return _by_id(self.events, event_id, "event", "events")

    def discrepancy(self, discrepancy_id: str) -> Discrepancy:
        """The discrepancy with this id."""
        return _by_id(self.discrepancies, discrepancy_id, "discrepancy", "discrepancies")

    def voice(self, voice_id: str) -> Voice:
        """The voice with this id."""
        return _by_id(self.voices, voice_id, "voice", "voices")

    def appearances_in(self, sentence_id: str) -> list[tuple[Voice, Appearance]]:
        """The voices a sentence quotes, paraphrases or cites, each with its appearance there
        (in the order of ``voices.yaml``)."""
        return [
            (v, a) for v in self.voices for a in v.appearances if a.citation.sentence == sentence_id
        ]

    def quoted_in(self, source: str, voice_ids: Iterable[str]) -> list[str]:
        """The ids among ``voice_ids`` whose own words ``source`` quotes somewhere (sorted)."""
        return sorted(
            v
            for v in voice_ids
            if any(
                a.mode == "quoted" and a.citation.source == source
                for a in self.voice(v).appearances
            )
        )

    def term(self, term_id: str) -> Term:
        """The glossary term with this id."""
        return _by_id(self.terms, term_id, "term", "glossary")

    def corrected_events(self) -> list[Event]:
        """The events whose date in the sources is corrected by context, in timeline order."""
        return [e for e in self.timeline() if e.correction is not None]

    def correction_for(self, sentence_ids: Iterable[str]) -> list[Event]:
        """The corrected events that one of these sentences dates explicitly, in timeline order:
        wherever such a sentence is shown, its correction must be shown too."""
        chosen = set(sentence_ids)
        return [
            e
            for e in self.corrected_events()
            if any(r.citation.sentence in chosen and r.dating != "undated" for r in e.reports)
        ]

    def shared_wording(self, sentence_ids: Iterable[str]) -> list[Discrepancy]:
        """The ``dependence`` discrepancies that quote two or more sources among these sentences.

        Each one says that, in those sentences, one source reuses another's wording: they are
        one witness, not two.

        Args:
            sentence_ids: Sentence ids such as ``"B-14"``, e.g. the sentences that report an
                event, or those an answer cites.

        Returns:
            The discrepancies, in the order of ``discrepancies.yaml``.
        """
        chosen = set(sentence_ids)
        found = []
        for d in self.discrepancies:
            if d.type != "dependence":
                continue
            hit = {v.source for v in d.versions if v.citation and v.citation.sentence in chosen}
            if len(hit) >= 2:
                found.append(d)
        return found

    def witness_groups(
        self, event_id: str, *, include_related: bool = False
    ) -> tuple[list[tuple[str, ...]], list[Discrepancy]]:
        """The sources that report an event, grouped into independent accounts.

        Two sources fall into one group when a ``dependence`` discrepancy quotes both of them
        in sentences that report this event (:meth:`shared_wording`): one reuses the other's
        wording there.

        Args:
            event_id: An event id from ``events.yaml``.
            include_related: Count the event's ``related_reports`` (sentences on a closely
                related moment) as reports too.

        Returns:
            The groups (each a tuple of source letters, in order; the groups sorted) and the
            dependence discrepancies that joined them.

        Raises:
            KeyError: There is no such event.
        """
        event = self.event(event_id)
        citations = [r.citation for r in event.reports]
        if include_related:
            citations += [r.citation for r in event.related_reports]
        reported = {c.sentence for c in citations}
        group = {s: {s} for s in sorted({c.source for c in citations})}
        used = self.shared_wording(reported)
        for d in used:
            hit = {v.source for v in d.versions if v.citation and v.citation.sentence in reported}
            merged = set().union(*(group[s] for s in hit))
            for s in merged:
                group[s] = merged
        groups = sorted({tuple(sorted(g)) for g in group.values()})
        return groups, used

    def citations(self) -> list[tuple[str, str, Citation]]:
        """Every quote in the knowledge base as ``(file, entry id, citation)``."""
        found: list[tuple[str, str, Citation]] = []
        found += [("events", e.id, r.citation) for e in self.events for r in e.reports]
        found += [
            ("discrepancies", d.id, v.citation)
            for d in self.discrepancies
            for v in d.versions
            if v.citation is not None
        ]
        found += [("voices", v.id, a.citation) for v in self.voices for a in v.appearances]
        found += [("annotations", a.id, a.citation) for a in self.annotations]
        return found


_SENTENCE_IDS = re.compile(r"(?<![\w-])[ABC]-[1-9][0-9]*(?![\w-])")


def _by_id(items: Iterable[Any], item_id: str, kind: str, file: str) -> Any:
    for item in items:
        if item.id == item_id:
            return item
    raise KeyError(f"no {kind} {item_id!r} in {FILES[file]}")


def data_dir() -> Path:
    """The folder holding the packaged knowledge-base files."""
    return Path(str(resources.files("homs") / "data"))


class _Builder:
    """Turns validated YAML into dataclasses, collecting every problem on the way."""

    def __init__(self, folder: Path, sources: Mapping[str, Source]) -> None:
        self.folder = folder
        self.sources = sources
        self.problems: list[Problem] = []
        self.file = ""

    def problem(self, item: str, text: str, fix: str) -> None:
        path = self.catalog_path if self.file == "catalog" else self.folder / FILES[self.file]
        self.problems.append(Problem.at(path, item, text, fix))

    @property
    def catalog_path(self) -> Path:
        return self.sources["A"].path.parent / _sources.CATALOG

    def catalog(self) -> None:
        """Checks the catalog's evidence: quotes verbatim, sentence ids real, dates well formed."""
        self.file = "catalog"
        for source in self.sources.values():
            entry = source.catalog
            item = f"source {source.id}"
            published = entry["published"]
            self.date(f"{item} > published > date", published["date"])
            if published.get("most_likely"):
                self.date(f"{item} > published > most_likely", published["most_likely"])
            if published.get("update"):
                self.date(f"{item} > published > update", published["update"]["date"])
            for evidence in published["evidence"]:
                self.cite(f"{item} > published > evidence", evidence["sentence"], evidence["quote"])
            facts = [entry[k] for k in ("title", "outlet", "genre", "audience", "tokenization")]
            cited = [sid for fact in facts for sid in fact.get("sentences", [])]
            cited += published.get("update", {}).get("sentences", [])
            for sid in cited:
                try:
                    self.sources[sid[0]].sentence(sid)
                except KeyError as err:
                    self.problem(
                        item,
                        f"sentence {sid} does not exist ({err.args[0]})",
                        "Use an id that `homs sources --sentences` lists.",
                    )

    def cite(self, item: str, sentence: str, quote: str) -> Citation | None:
        try:
            return _sources.cite(sentence, quote, self.sources)
        except KeyError as err:
            self.problem(
                item,
                f"sentence {sentence} does not exist ({err.args[0]})",
                "Use an id that `homs sources --sentences` lists.",
            )
        except ValueError:
            text = self.sources[sentence[0]].sentence(sentence).text
            self.problem(
                item,
                f"the quote {quote!r} is not in {sentence}, word for word; "
                f"{sentence} reads: {text!r}",
                "Copy the words exactly from that sentence (Source A in its reading form), "
                "or cite the sentence that holds them.",
            )
        return None

    def date(self, item: str, text: str) -> FuzzyDate | None:
        try:
            return parse_date(text)
        except ValueError as err:
            self.problem(
                item, f"malformed date: {err}", "Write YYYY, YYYY-MM, YYYY-MM-DD or FIRST/LAST."
            )
        return None

    def unique(self, entries: list[dict[str, Any]], label: str) -> None:
        seen: set[str] = set()
        for entry in entries:
            if entry["id"] in seen:
                self.problem(
                    f"{label} {entry['id']!r}",
                    "this id is used twice",
                    "Give each entry its own id.",
                )
            seen.add(entry["id"])

    def events(self, entries: list[dict[str, Any]]) -> tuple[Event, ...]:
        result = []
        for e in entries:
            item = f"event {e['id']!r}"
            date = self.date(item, e["date"])
            reports = []
            for r in e["reports"]:
                citation = self.cite(item, r["sentence"], r["quote"])
                if citation:
                    reports.append(Report(citation, r["dating"], r.get("date_words")))
            if any(r["dating"] in ("relative", "inferred") for r in e["reports"]) and not e.get(
                "reasoning"
            ):
                self.problem(
                    item,
                    "a report dates it relatively or by inference, but there is no `reasoning`",
                    "Add `reasoning:` saying how the date was worked out.",
                )
            related = []
            for r in e.get("related_reports", []):
                citation = self.cite(item, r["sentence"], r["quote"])
                if citation:
                    self.cites_ids(
                        item, f"the reason for related report {r['sentence']}", r["reason"]
                    )
                    related.append(RelatedReport(citation, r["reason"]))
            correction = None
            if e.get("correction"):
                fixed = self.date(f"{item} > correction", e["correction"]["date"])
                note = e["correction"]["note"]
                if note[:1] != note[:1].lower():
                    self.problem(
                        item,
                        f"the correction's note starts with a capital: {note[:30]!r}",
                        'Start it in lower case: it is read after "context:".',
                    )
                if fixed:
                    correction = Correction(fixed, note)
            if (
                date
                and len(reports) == len(e["reports"])
                and len(related) == len(e.get("related_reports", []))
            ):
                result.append(
                    Event(
                        e["id"],
                        date,
                        e["title"],
                        e["description"],
                        tuple(reports),
                        e.get("reasoning"),
                        e.get("context"),
                        correction,
                        tuple(related),
                    )
                )
        return tuple(result)

    def cites_ids(self, item: str, what: str, text: str) -> None:
        """A reason must cite at least one sentence id, and every id it cites must exist."""
        ids = _SENTENCE_IDS.findall(text)
        if not ids:
            self.problem(
                item,
                f"{what} cites no sentence id: {text[:60]!r}",
                "Cite the sentences it rests on, e.g. (A-31, B-20).",
            )
        for sid in ids:
            try:
                self.sources[sid[0]].sentence(sid)
            except KeyError as err:
                self.problem(
                    item,
                    f"{what} cites {sid}, which does not exist ({err.args[0]})",
                    "Use an id that `homs sources --sentences` lists.",
                )

    def discrepancies(self, entries: list[dict[str, Any]]) -> tuple[Discrepancy, ...]:
        result = []
        for d in entries:
            item = f"discrepancy {d['id']!r}"
            versions = []
            for v in d["versions"]:
                if v.get("silent"):
                    versions.append(Version(v["source"], v["says"], None, v.get("value")))
                    continue
                if "source" in v and v["source"] != v["sentence"][0]:
                    self.problem(
                        item,
                        f"`source: {v['source']}` but the sentence is {v['sentence']}",
                        "Drop `source:`; the sentence id already names the source.",
                    )
                citation = self.cite(item, v["sentence"], v["quote"])
                if citation:
                    versions.append(Version(citation.source, v["says"], citation, v.get("value")))
            if d["type"] == "omission" and not any(v.get("silent") for v in d["versions"]):
                self.problem(
                    item,
                    "type is omission but no version is `silent: true`",
                    "Add the silent source as `- {source: X, silent: true, says: ...}`.",
                )
            alternatives = []
            for a in d.get("also", []):
                if a["type"] == d["type"] or a["type"] in (x.type for x in alternatives):
                    self.problem(
                        item,
                        f"`also` lists the type {a['type']!r} twice, or as well as `type`",
                        "List each other defensible type once, apart from the preferred one.",
                    )
                    continue
                self.cites_ids(item, f"the reason for `also: {a['type']}`", a["reason"])
                alternatives.append(Alternative(a["type"], a["reason"]))
            if alternatives and not d.get("preferred_because"):
                self.problem(
                    item,
                    "`also` lists other defensible types but `preferred_because` is missing",
                    "Add `preferred_because:` saying why the preferred type is preferred.",
                )
            if d.get("preferred_because"):
                self.cites_ids(item, "`preferred_because`", d["preferred_because"])
            if len(versions) == len(d["versions"]):
                result.append(
                    Discrepancy(
                        d["id"],
                        d["topic"],
                        d["type"],
                        tuple(versions),
                        d["explanation"],
                        d.get("context"),
                        d.get("preferred_because"),
                        tuple(alternatives),
                    )
                )
        return tuple(result)

    def voices(self, entries: list[dict[str, Any]]) -> tuple[Voice, ...]:
        result = []
        for v in entries:
            item = f"voice {v['id']!r}"
            appearances = []
            for a in v["appearances"]:
                citation = self.cite(item, a["sentence"], a["quote"])
                if citation:
                    appearances.append(
                        Appearance(citation, a["mode"], a.get("described_as"), a.get("inference"))
                    )
            if len(appearances) == len(v["appearances"]):
                result.append(
                    Voice(
                        v["id"],
                        v["name"],
                        v["kind"],
                        tuple(appearances),
                        v.get("context"),
                        v.get("inference"),
                    )
                )
        return tuple(result)

    def terms(self, entries: list[dict[str, Any]]) -> tuple[Term, ...]:
        result = []
        for t in entries:
            item = f"term {t['id']!r}"
            spellings = [t["term"], *t.get("variants", [])]
            ok = True
            for sid in t["sentences"]:
                try:
                    text = self.sources[sid[0]].sentence(sid).text
                except KeyError as err:
                    self.problem(
                        item,
                        f"sentence {sid} does not exist ({err.args[0]})",
                        "Use an id that `homs sources --sentences` lists.",
                    )
                    ok = False
                    continue
                if not any(s.lower() in text.lower() for s in spellings):
                    self.problem(
                        item,
                        f"{sid} does not contain {' or '.join(map(repr, spellings))}",
                        "List only sentences where the term appears, or add the spelling "
                        "used there to `variants`.",
                    )
                    ok = False
            if ok:
                result.append(
                    Term(
                        t["id"],
                        t["term"],
                        t["definition"],
                        t["basis"],
                        tuple(t["sentences"]),
                        tuple(t.get("variants", [])),
                    )
                )
        return tuple(result)

    def annotations(self, entries: list[dict[str, Any]]) -> tuple[Annotation, ...]:
        result = []
        for a in entries:
            citation = self.cite(f"annotation {a['id']!r}", a["sentence"], a["quote"])
            if citation:
                result.append(Annotation(a["id"], a["kind"], citation, a["note"]))
        return tuple(result)


def load(folder: Path | None = None, sources: Mapping[str, Source] | None = None) -> KnowledgeBase:
    """Loads and checks the knowledge base.

    Args:
        folder: A folder with the five YAML files; the packaged data by default.
        sources: The sources quotes are checked against; the packaged ones by default.

    Returns:
        The knowledge base, every quote located in its sentence.

    Raises:
        DataError: Listing every problem: schema errors, quotes not found verbatim, unknown
            sentence ids, malformed dates and duplicate ids.
    """
    if folder is None and sources is None:
        return _default()
    return _load(Path(folder) if folder else data_dir(), sources or _sources.load())


_SINGULAR = {
    "events": "event",
    "discrepancies": "discrepancy",
    "voices": "voice",
    "glossary": "term",
    "annotations": "annotation",
}


@cache
def _default() -> KnowledgeBase:
    return _load(data_dir(), _sources.load())


def _load(folder: Path, sources: Mapping[str, Source]) -> KnowledgeBase:
    builder = _Builder(folder, sources)
    raw: dict[str, list[dict[str, Any]]] = {}
    keys = {
        "events": "events",
        "discrepancies": "discrepancies",
        "voices": "voices",
        "glossary": "terms",
        "annotations": "annotations",
    }
    for name, file in FILES.items():
        path = folder / file
        try:
            data = _schema.load_yaml(path)
        except DataError as err:
            builder.problems += err.problems
            continue
        found = _schema.problems(data, name, path)
        if found:
            builder.problems += found
            continue
        raw[name] = data[keys[name]]
    builder.catalog()
    built: dict[str, tuple[Any, ...]] = {}
    for name, entries in raw.items():
        builder.file = name
        builder.unique(entries, _SINGULAR[name])
        built[name] = getattr(builder, "terms" if name == "glossary" else name)(entries)
    if builder.problems:
        raise DataError(builder.problems)
    return KnowledgeBase(
        built["events"],
        built["discrepancies"],
        built["voices"],
        built["glossary"],
        built["annotations"],
    )


def check(seeds: Path | None = None, folder: Path | None = None) -> list[Problem]:
    """Every problem in the seeds and the knowledge base; an empty list when all is well.

    Args:
        seeds: A seeds folder; the packaged seeds by default.
        folder: A knowledge-base folder; the packaged data by default.
    """
    try:
        srcs = _sources.load(seeds) if seeds else _sources.load(_sources.seeds_dir())
    except DataError as err:
        return err.problems
    try:
        _load(Path(folder) if folder else data_dir(), srcs)
    except DataError as err:
        return err.problems
    return []
