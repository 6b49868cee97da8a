"""Quiz specs: YAML files that name knowledge-base ids; the answer keys are worked out from the KB.

A spec never states an answer. An item's ``key`` names a rule and the ids it applies to, for
example ``{years-between: [fsa-withdrawal-baba-amr, old-city-evacuation]}``; the rule reads the
dates from ``events.yaml`` and computes the key. Each rule also gathers the explanation and the
sentence ids a learner is shown. Rules:

====================  ================================================  ========
rule                  the key                                           kind
====================  ================================================  ========
order                 the listed events in date order                   order
date                  an event's date, "YYYY-MM-DD" or "YYYY-MM"        date
year                  the year of an event                              int
years-between         years from one event to another                   int
days-between          days from one event to another                    int
reported-by           the sources that report an event                  subset
discrepancy-type      the type of a discrepancy                         choice
claims                which source makes each quoted claim              match
reuses                the sentence of a source that reuses another's    sentence
genres                which source is each kind of text (catalog)       match
earliest-written      the earliest date a source can have been written  date
latest-year           the latest year a source prints                   int
latest-dated          a source's sentence with its latest dated event   sentence
dating-clue           which offered sentence holds a named dating clue  choice
                      (``seeds/catalog.yaml``, :func:`dating_clues`)
quoted                which of some voices a source quotes directly     subset
voice-in              which of some voices a sentence quotes or cites   choice
odd-one-out           the source whose figure differs from the others   choice
dependent-sources     the sources that dependence discrepancies join    subset
====================  ================================================  ========

Written items have no key: a three-level rubric with an annotated sample answer per level.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from importlib import resources
from itertools import pairwise
from pathlib import Path
from typing import Any

from homs import knowledge
from homs import sources as _sources
from homs.errors import DataError, Problem
from homs.grading.authoring.checks import Checks, literal
from homs.grading.authoring.kinds import AnswerForm, make_checks

__all__ = [
    "LEVELS",
    "Accepted",
    "Item",
    "Level",
    "Quiz",
    "dating_clue_of",
    "dating_clues",
    "first_quoted",
    "item_for",
    "load_quiz",
    "printed_elsewhere",
    "quiz_names",
    "spec_dir",
]

LEVELS = ("Proficient", "Emergent", "Basic")
_LEVEL_POINTS = {"Proficient": 3, "Emergent": 2, "Basic": 1}
LETTERS = ("A", "B", "C")


def spec_dir() -> Path:
    """The folder holding the packaged quiz specs (``homs/grading/authoring/specs``)."""
    return Path(str(resources.files("homs.grading.authoring") / "specs"))


def quiz_names(folder: Path | None = None) -> tuple[str, ...]:
    """The quizzes there are specs for, in their teaching order (timeline, discrepancies, ...)."""
    folder = folder or spec_dir()
    found = {p.stem for p in folder.glob("*.yaml")}
    preferred = [n for n in ("timeline", "discrepancies", "sourcing") if n in found]
    return tuple(preferred + sorted(found - set(preferred)))


@dataclass(frozen=True)
class Level:
    """One level of a written item's rubric, with an annotated sample answer."""

    name: str
    points: int
    descriptor: str
    sample: str
    annotation: str


@dataclass(frozen=True)
class Accepted:
    """An answer other than the key that a careful reader could defend, and what it earns.

    Attributes:
        value: The answer, in the item's form.
        points: What it earns (the item's points when it is as good as the key).
        reason: Why it is accepted, citing sentence ids where the sources give the reason.
    """

    value: Any
    points: float
    reason: str


@dataclass(frozen=True)
class Item:
    """One quiz item: an autograded question with its key, or a written question with a rubric.

    Attributes:
        id: The grade_id of the item's graded cell, e.g. ``q3_siege_length``.
        number: Its position in the quiz, from 1.
        title: A short title.
        question: The question (Markdown).
        points: What it is worth.
        form: The expected answer form; ``None`` for written items.
        key: The right answer, computed from the knowledge base; ``None`` for written items.
        table: Rows shown under the question, the first row being the header.
        explanation: Why the key is right, from the knowledge base.
        cites: The sentence ids that support the key.
        rubric: For written items, the three levels from Proficient to Basic.
        accepted: Other answers that earn points besides the key, each with its reason.
        preferred_because: Why the key is the preferred answer when others are accepted too.
    """

    id: str
    number: int
    title: str
    question: str
    points: int
    form: AnswerForm | None
    key: Any
    table: tuple[tuple[str, ...], ...]
    explanation: str
    cites: tuple[str, ...]
    rubric: tuple[Level, ...] = ()
    accepted: tuple[Accepted, ...] = ()
    preferred_because: str = ""

    @property
    def label(self) -> str:
        """``Q3``."""
        return f"Q{self.number}"

    @property
    def written(self) -> bool:
        """True for a manually graded written item."""
        return self.form is None

    @property
    def variable(self) -> str:
        """The answer variable, ``answer_q3_siege_length``."""
        return f"answer_{self.id}"

    @property
    def checks(self) -> Checks:
        """The test cell's checks (autograded items only)."""
        if self.form is None:
            raise ValueError(f"{self.id} is a written item: it has no automatic checks")
        return _checks(self, self.form)


def _checks(item: Item, form: AnswerForm) -> Checks:
    key_text = literal(item.key)
    cites = f" ({', '.join(item.cites)})" if item.cites else ""
    # The first line of the test cell, which nbgrader's Validate dialog shows to the student:
    # short, and about their answer (the hidden part, never released, scores it).
    doc = f"{item.label}: checks the form of your answer, not whether it is right."
    return make_checks(
        item.label,
        item.variable,
        form,
        item.key,
        f"not correct. The expected answer is {key_text}{cites}.",
        doc,
        accepted=[(a.value, a.points) for a in item.accepted],
        points=item.points,
    )


@dataclass(frozen=True)
class Quiz:
    """A quiz: its id (the nbgrader assignment and notebook name), title, intro and items.

    Attributes:
        pools: The item banks, by item id: what a drawn variant of the item may be
            (:mod:`homs.grading.authoring.banks` reads them); empty for a quiz without banks.
        path: The spec file.
        entries: Each item's entry in the spec as written, by item id (to draw variants from).
    """

    id: str
    title: str
    intro: str
    items: tuple[Item, ...]
    pools: Mapping[str, Mapping[str, Any]] = field(default_factory=dict, compare=False)
    path: Path | None = field(default=None, compare=False)
    entries: Mapping[str, Mapping[str, Any]] = field(
        default_factory=dict, compare=False, repr=False
    )

    @property
    def points(self) -> int:
        """All the points, autograded and written."""
        return sum(i.points for i in self.items)

    @property
    def auto_points(self) -> int:
        """The points of the autograded items."""
        return sum(i.points for i in self.items if not i.written)

    def item(self, item_id: str) -> Item:
        """The item with this id (its grade_id)."""
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(f"quiz {self.id!r} has no item {item_id!r}")


# -- loading ---------------------------------------------------------------------------------


@cache
def _schema() -> dict[str, Any]:
    return json.loads((spec_dir() / "quiz.schema.json").read_text("utf-8"))


def load_quiz(
    name: str, folder: Path | None = None, kb: knowledge.KnowledgeBase | None = None
) -> Quiz:
    """Loads a quiz spec and works out every key from the knowledge base.

    Args:
        name: The quiz id, the spec's file name without ``.yaml``.
        folder: Where the specs are; the packaged ones by default.
        kb: The knowledge base; the packaged one by default.

    Raises:
        DataError: Listing every problem: schema errors, unknown ids, items whose key cannot be
            worked out (overlapping dates, a wrong precision, ...), duplicate or misnumbered ids.
    """
    if kb is not None:
        return _load(name, Path(folder) if folder else spec_dir(), kb)
    folder = Path(folder).resolve() if folder else spec_dir()
    spec = folder / f"{name}.yaml"
    changed = spec.stat().st_mtime_ns if spec.is_file() else None
    return _cached(name, folder, changed)


@cache
def _cached(name: str, folder: Path, changed: int | None) -> Quiz:
    """A quiz loaded once per process, again only when its spec file changes."""
    return _load(name, folder, knowledge.load())


def _load(name: str, folder: Path, kb: knowledge.KnowledgeBase) -> Quiz:
    from homs import _schema as schema_io

    path = folder / f"{name}.yaml"
    if not path.is_file():
        known = ", ".join(quiz_names(folder)) or "none"
        raise DataError(
            Problem.at(path, "file", f"there is no quiz {name!r}", f"Use one of: {known}.")
        )
    data = schema_io.load_yaml(path)
    errors = schema_io.problems(
        data,
        "quiz",
        path,
        document=_schema(),
        noun="item",
        where="homs/grading/authoring/specs/quiz.schema.json",
    )
    if errors:
        raise DataError(errors)
    resolver = _Resolver(path, kb)
    if data["quiz"] != name:
        resolver.problem(
            "quiz",
            f"the spec says `quiz: {data['quiz']}` but the file is {name}.yaml",
            "Make them agree: the quiz id names the file, the assignment and notebook.",
        )
    items = []
    seen: set[str] = set()
    for number, entry in enumerate(data["items"], start=1):
        where = f"item {entry['id']!r}"
        if entry["id"] in seen:
            resolver.problem(where, "this id is used twice", "Give each item its own id.")
        seen.add(entry["id"])
        if not entry["id"].startswith(f"q{number}_"):
            resolver.problem(
                where,
                f"it is item {number}, so its id must start with q{number}_",
                f"Rename it q{number}_{entry['id'].split('_', 1)[-1]}.",
            )
        item = resolver.item(number, entry)
        if item is not None:
            items.append(item)
    if resolver.problems:
        raise DataError(resolver.problems)
    return Quiz(
        data["quiz"],
        data["title"],
        data["intro"].strip(),
        tuple(items),
        pools={e["id"]: e["pool"] for e in data["items"] if "pool" in e},
        path=path,
        entries={e["id"]: e for e in data["items"]},
    )


def item_for(
    quiz: Quiz,
    item_id: str,
    key: Mapping[str, Any],
    *,
    title: str | None = None,
    question: str | None = None,
    kb: knowledge.KnowledgeBase | None = None,
) -> Item:
    """The quiz's item ``item_id`` with another key (a variant drawn from its pool).

    The key is worked out from the knowledge base as for any item. The spec's ``note`` and
    ``also`` answers belong to its fixed key, so they are kept only when ``key`` is that key.

    Args:
        quiz: The quiz, as :func:`load_quiz` gives it.
        item_id: The item.
        key: The key rule and its ids, e.g. ``{"order": [...]}``.
        title: The variant's title; the item's own by default.
        question: The variant's question (Markdown); the item's own by default.
        kb: The knowledge base; the packaged one by default.

    Raises:
        DataError: The key cannot be worked out (overlapping dates, an unknown id, ...).
    """
    entry = dict(quiz.entries[item_id])
    if dict(key) != dict(entry["key"]):
        entry.pop("note", None)
        entry.pop("also", None)
        entry.pop("preferred_because", None)
    entry["key"] = dict(key)
    entry["title"] = title or entry["title"]
    entry["question"] = question or entry["question"]
    resolver = _Resolver(quiz.path or spec_dir() / f"{quiz.id}.yaml", kb or knowledge.load())
    found = resolver.item(quiz.item(item_id).number, entry)
    if found is None or resolver.problems:
        raise DataError(resolver.problems)
    return found


def printed_elsewhere(
    quote: str, letter: str, sources: Mapping[str, _sources.Source] | None = None
) -> list[str]:
    """The sources other than ``letter`` whose text holds ``quote`` word for word (case,
    punctuation and spacing aside), or, for a quote of four words or more, all of it but its
    first or last word (C-27's heading "Army recaptured Baba Amr in March 2012" against B-13's
    "The army recaptured ..."): where two sources print a statement, "which source says it"
    has two defensible answers."""
    sources = sources if sources is not None else _sources.load()
    words = _plain_words(quote).split()
    spans = [words]
    if len(words) >= 4:
        spans += [words[1:], words[:-1]]
    return [
        other
        for other, source in sorted(sources.items())
        if other != letter
        and any(f" {' '.join(span)} " in f" {_plain_words(source.reading)} " for span in spans)
    ]


def dating_clues(
    sources: Mapping[str, _sources.Source] | None = None,
) -> dict[str, tuple[str, Mapping[str, Any]]]:
    """The catalog's named dating clues: ``{id: (source letter, evidence entry)}``.

    A clue is an entry of a source's ``published > evidence`` in ``seeds/catalog.yaml`` that
    has an ``id``, an ``asks`` (what it shows, as a question asks it) and ``near`` (sentences
    a careful reader could defend as showing the same, never offered beside it).
    """
    sources = sources if sources is not None else _sources.load()
    found: dict[str, tuple[str, Mapping[str, Any]]] = {}
    for letter, source in sorted(sources.items()):
        for entry in source.catalog["published"]["evidence"]:
            if "id" not in entry:
                continue
            if entry["id"] in found:
                raise DataError(
                    [
                        Problem.at(
                            "seeds/catalog.yaml",
                            f"Source {letter}, published > evidence, {entry['sentence']}",
                            f"the dating clue id {entry['id']!r} is also Source "
                            f"{found[entry['id']][0]}'s",
                            "Give each clue an id of its own.",
                        )
                    ]
                )
            found[entry["id"]] = (letter, entry)
    return found


def dating_clue_of(
    clue_id: str, sources: Mapping[str, _sources.Source] | None = None
) -> tuple[str, Mapping[str, Any]]:
    """One named dating clue: ``(source letter, evidence entry)``.

    Raises:
        DataError: No clue has this id (the problem lists the ids there are).
    """
    clues = dating_clues(sources)
    if clue_id not in clues:
        raise DataError(
            [
                Problem.at(
                    "seeds/catalog.yaml",
                    "published > evidence",
                    f"there is no dating clue {clue_id!r}",
                    "Use an `id` of a source's published > evidence in seeds/catalog.yaml: "
                    + ", ".join(sorted(clues))
                    + ".",
                )
            ]
        )
    return clues[clue_id]


def first_quoted(d: knowledge.Discrepancy, letter: str) -> knowledge.Version | None:
    """A discrepancy's first version from Source ``letter`` that quotes a sentence (a claims
    statement's words), or ``None``."""
    return next((v for v in d.versions if v.source == letter and v.citation is not None), None)


def _plain_words(text: str) -> str:
    """Lower-case words joined by single spaces: ``"Prior to the battle,"`` -> ``"prior to the
    battle"``."""
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def _whole_years(start: date, end: date) -> int:
    """Whole years from ``start`` to ``end`` (the same day of a later year counts a year)."""
    years = end.year - start.year
    if (end.month, end.day) < (start.month, start.day):
        years -= 1
    return years


#: First words of voices' names that are ordinary words, lower-cased after a verb.
_COMMON_FIRST_WORDS = ("A", "An", "The", "Unnamed", "Many", "Correspondents", "Activists")


def _the(name: str) -> str:
    """A voice's name as it follows a verb: "the Syrian Observatory ...", "Rime Allaf",
    "a US court", "unnamed reports from inside Homs"."""
    first = name.split()[0]
    if first in _COMMON_FIRST_WORDS:
        return first.lower() + name[len(first) :]
    institution = first in ("Syrian", "UN", "US", "BBC", "International", "Free")
    return f"the {name}" if institution and not name.startswith("the ") else name


def _article(word: str) -> str:
    """``a`` or ``an`` before a word (an omission, a contradiction)."""
    return "an" if word[:1].lower() in "aeiou" else "a"


def _canonical(value: Any) -> Any:
    """An answer as scoring compares it (a subset's order does not matter)."""
    return sorted(value) if isinstance(value, list) else value


@dataclass(frozen=True)
class _Key:
    form: AnswerForm
    key: Any
    table: tuple[tuple[str, ...], ...]
    explanation: str
    cites: tuple[str, ...]
    #: Other defensible answers, each with the share of the item's points it earns (1 = all).
    accepted: tuple[tuple[Any, float, str], ...] = ()
    preferred_because: str = ""


class _Fail(Exception):
    """An item whose key cannot be worked out; carries the problem and the fix."""

    def __init__(self, problem: str, fix: str) -> None:
        super().__init__(problem)
        self.text = problem
        self.fix = fix


class _Resolver:
    """Turns spec entries into items, computing keys from the KB and collecting problems."""

    def __init__(self, path: Path, kb: knowledge.KnowledgeBase) -> None:
        self.path = path
        self.kb = kb
        self.sources = _sources.load()
        self.problems: list[Problem] = []
        self.rules: dict[str, Callable[[Any], _Key]] = {
            "order": self.order,
            "date": self.date,
            "year": self.year,
            "years-between": self.years_between,
            "days-between": self.days_between,
            "reported-by": self.reported_by,
            "discrepancy-type": self.discrepancy_type,
            "claims": self.claims,
            "reuses": self.reuses,
            "genres": self.genres,
            "earliest-written": self.earliest_written,
            "latest-year": self.latest_year,
            "latest-dated": self.latest_dated,
            "dating-clue": self.dating_clue,
            "quoted": self.quoted,
            "voice-in": self.voice_in,
            "odd-one-out": self.odd_one_out,
            "dependent-sources": self.dependent_sources,
        }

    def problem(self, item: str, text: str, fix: str) -> None:
        self.problems.append(Problem.at(self.path, item, text, fix))

    def item(self, number: int, entry: Mapping[str, Any]) -> Item | None:
        where = f"item {entry['id']!r}"
        try:
            if "rubric" in entry:
                return self.written(number, entry)
            ((rule, arg),) = entry["key"].items()
            found = self.rules[rule](arg)
        except _Fail as fail:
            self.problem(where, fail.text, fail.fix)
            return None
        best = found.form.max_points()
        points = entry.get("points", best if best is not None else 1)
        if best is not None and points != best:
            self.problem(
                where,
                f"`points: {points}` but this partial-credit item scores 0 to {best}",
                f"Write `points: {best}` or leave points out.",
            )
            return None
        explanation = found.explanation
        if entry.get("note"):
            explanation += " " + entry["note"].strip()
        accepted = [Accepted(v, share * points, why) for v, share, why in found.accepted]
        for also in entry.get("also", ()):
            accepted.append(Accepted(also["answer"], also.get("points", points), also["reason"]))
        item = Item(
            entry["id"],
            number,
            entry["title"],
            entry["question"].strip(),
            points,
            found.form,
            found.key,
            found.table,
            explanation,
            found.cites,
            accepted=tuple(accepted),
            preferred_because=entry.get("preferred_because", found.preferred_because),
        )
        return self.check_accepted(where, item)

    def check_accepted(self, where: str, item: Item) -> Item | None:
        """Every accepted answer has the item's form, differs from the key and from the others,
        and earns between 0 and the item's points."""
        form = item.form
        if form is None or not item.accepted:
            return item
        if form.partial:
            self.problem(
                where,
                f"a {form.kind} item scores partial credit by itself and takes no `also` answers",
                "Remove `also`, or ask the question as another kind.",
            )
            return None
        seen = [_canonical(item.key)]
        for accepted in item.accepted:
            shown = literal(accepted.value)
            problem = item.checks.form_problem(accepted.value, normalise=False)
            if problem is not None:
                self.problem(
                    where,
                    f"the accepted answer {shown} does not have the answer's form ({problem})",
                    f"Write it as {form.describe()}.",
                )
                return None
            if _canonical(accepted.value) in seen:
                self.problem(
                    where,
                    f"the answer {shown} is listed twice (as the key or another accepted answer)",
                    "List each accepted answer once.",
                )
                return None
            seen.append(_canonical(accepted.value))
            if not 0 < accepted.points <= item.points:
                self.problem(
                    where,
                    f"the accepted answer {shown} earns {accepted.points:g} points; the item is "
                    f"worth {item.points}",
                    f"Give it between 1 and {item.points} points.",
                )
                return None
        return item

    def written(self, number: int, entry: Mapping[str, Any]) -> Item:
        if entry.get("points", 3) != 3:
            raise _Fail(
                "a written item is worth 3 points (Proficient 3, Emergent 2, Basic 1)",
                "Leave `points` out or write `points: 3`.",
            )
        for sid in entry.get("cites", []):
            self.sentence(sid)
        levels = tuple(
            Level(
                name,
                _LEVEL_POINTS[name],
                entry["rubric"][name.lower()]["descriptor"].strip(),
                entry["rubric"][name.lower()]["sample"].strip(),
                entry["rubric"][name.lower()]["annotation"].strip(),
            )
            for name in LEVELS
        )
        return Item(
            entry["id"],
            number,
            entry["title"],
            entry["question"].strip(),
            3,
            None,
            None,
            (),
            entry.get("note", "").strip(),
            tuple(entry.get("cites", [])),
            levels,
        )

    # -- lookups -------------------------------------------------------------------------------

    def event(self, event_id: str) -> knowledge.Event:
        try:
            return self.kb.event(event_id)
        except KeyError as err:
            raise _Fail(
                f"{err.args[0]}", "Use an event id from src/homs/data/events.yaml."
            ) from err

    def discrepancy(self, discrepancy_id: str) -> knowledge.Discrepancy:
        try:
            return self.kb.discrepancy(discrepancy_id)
        except KeyError as err:
            raise _Fail(
                f"{err.args[0]}", "Use a discrepancy id from src/homs/data/discrepancies.yaml."
            ) from err

    def voice(self, voice_id: str) -> knowledge.Voice:
        try:
            return self.kb.voice(voice_id)
        except KeyError as err:
            raise _Fail(f"{err.args[0]}", "Use a voice id from src/homs/data/voices.yaml.") from err

    def sentence(self, sentence_id: str) -> _sources.Sentence:
        source = self.sources.get(sentence_id[:1])
        try:
            if source is None:
                raise KeyError(sentence_id)
            return source.sentence(sentence_id)
        except KeyError as err:
            raise _Fail(
                f"there is no sentence {sentence_id}",
                "Use an id that `homs sources --sentences` lists.",
            ) from err

    def catalog(self, letter: str) -> Mapping[str, Any]:
        if letter not in self.sources:
            raise _Fail(f"there is no source {letter!r}", "Use A, B or C.")
        return self.sources[letter].catalog

    @staticmethod
    def dated(event: knowledge.Event) -> tuple[str, ...]:
        """The sentences that give an event's date (explicitly or relatively), else all."""
        ids = [r.citation.sentence for r in event.reports if r.dating in ("explicit", "relative")]
        return tuple(dict.fromkeys(ids or [r.citation.sentence for r in event.reports]))

    def one_year(self, event: knowledge.Event) -> int:
        if event.date.start.year != event.date.end.year:
            raise _Fail(
                f"event {event.id!r} is dated {event.date.label()}, across more than one year",
                "Choose an event dated within one year.",
            )
        return event.date.start.year

    # -- rules ---------------------------------------------------------------------------------

    def order(self, ids: list[str]) -> _Key:
        events = [self.event(i) for i in ids]
        timeline = sorted(events, key=lambda e: (e.date.start, e.date.end, e.id))
        for before, after in pairwise(timeline):
            if not before.date.end < after.date.start:
                raise _Fail(
                    f"events {before.id!r} ({before.date.label()}) and {after.id!r} "
                    f"({after.date.label()}) overlap in date, so their order is not "
                    "certain",
                    "Choose events whose dates do not overlap.",
                )
        if [e.id for e in timeline] == ids:
            raise _Fail(
                "the events are listed in date order already, and students see this order",
                "List them in a scrambled order.",
            )
        key = [e.id for e in timeline]
        explanation = (
            "In date order: "
            + "; ".join(
                f"{n}. {e.title} ({', '.join(self.dated(e))}): {e.date_text()}"
                for n, e in enumerate(timeline, start=1)
            )
            + "."
        )
        cites = tuple(sid for e in timeline for sid in self.dated(e))
        table = (("event id", "event"), *((f"`{e.id}`", e.title) for e in events))
        return _Key(
            AnswerForm("order", tuple(ids), noun="event id"), key, table, explanation, cites
        )

    def date(self, arg: Mapping[str, str]) -> _Key:
        event = self.event(arg["event"])
        precision = arg["precision"]
        if event.date.precision != precision:
            fix = (
                f"Ask for `precision: {event.date.precision}` or choose another event."
                if event.date.precision in ("day", "month")
                else "Choose an event dated to a day or a month."
            )
            raise _Fail(
                f"event {event.id!r} is dated {event.date.text!r} "
                f"({event.date.precision}), not to the {precision}",
                fix,
            )
        explanation = f"{event.title}: {event.date_text()}."
        if event.reasoning:
            explanation += " " + event.reasoning
        return _Key(
            AnswerForm("date", date_format=precision),
            event.date.text,
            (),
            explanation,
            self.dated(event),
        )

    def year(self, event_id: str) -> _Key:
        event = self.event(event_id)
        year = self.one_year(event)
        explanation = f"{event.title}: {event.date_text()}."
        if event.reasoning:
            explanation += " " + event.reasoning
        return _Key(AnswerForm("int"), year, (), explanation, self.dated(event))

    def years_between(self, ids: list[str]) -> _Key:
        first, last = (self.event(i) for i in ids)
        years = self.one_year(last) - self.one_year(first)
        if years < 0:
            raise _Fail(f"{last.id!r} comes before {first.id!r}", "List the earlier event first.")
        explanation = (
            f"{first.title}: {first.date_text()}. {last.title}: {last.date_text()}. "
            f"{last.date.start.year} - {first.date.start.year} = {years} years."
        )
        # Whole years elapsed can be one less than the difference of the years: from 22 February
        # 2012 to a day of 2019 before 22 February is 6 whole years. Where the dates the sources
        # give allow that, a careful reader who counts whole years is right too.
        fewest = _whole_years(first.date.end, last.date.start)
        accepted: tuple[tuple[Any, float, str], ...] = ()
        preferred = ""
        if fewest < years:
            accepted = (
                (
                    fewest,
                    1.0,
                    f"counting whole years: {fewest} full years pass from "
                    f"{first.date_text()} to {last.date_text()} if the later date falls earlier "
                    f"in its year than the first one does.",
                ),
            )
            preferred = (
                f"{years} is what subtracting the years the sources print gives; the sources do "
                f"not say how far into {last.date.start.year} the later event came, so "
                f"{fewest} whole years is accepted too."
            )
            explanation += f" Counting whole years gives {fewest} or {years}; both are accepted."
        return _Key(
            AnswerForm("int"),
            years,
            (),
            explanation,
            self.dated(first) + self.dated(last),
            accepted,
            preferred,
        )

    def days_between(self, ids: list[str]) -> _Key:
        first, last = (self.event(i) for i in ids)
        for event in (first, last):
            if event.date.precision != "day":
                raise _Fail(
                    f"event {event.id!r} is not dated to the day ({event.date.label()})",
                    "Choose events dated to the day.",
                )
        days = (last.date.start - first.date.start).days
        if days < 0:
            raise _Fail(f"{last.id!r} comes before {first.id!r}", "List the earlier event first.")
        explanation = (
            f"{first.title}: {first.date_text()}. {last.title}: {last.date_text()}. "
            f"That is {days} days later."
        )
        return _Key(AnswerForm("int"), days, (), explanation, self.dated(first) + self.dated(last))

    def reported_by(self, event_id: str) -> _Key:
        event = self.event(event_id)
        key = list(event.sources)
        cites = tuple(dict.fromkeys(r.citation.sentence for r in event.reports))
        names = " and ".join(f"Source {s}" for s in key)
        explanation = f"{event.title}: reported by {names} ({', '.join(cites)})."
        return _Key(
            AnswerForm("subset", LETTERS, noun="source letter"), key, (), explanation, cites
        )

    def discrepancy_type(self, discrepancy_id: str) -> _Key:
        d = self.discrepancy(discrepancy_id)
        cites = tuple(v.citation.sentence for v in d.versions if v.citation is not None)
        table = (
            ("type", "meaning"),
            *((f"`{t}`", meaning) for t, meaning in knowledge.DISCREPANCY_TYPES.items()),
        )
        explanation = (
            f"{d.topic}: {_article(d.type)} {d.type} ({knowledge.DISCREPANCY_TYPES[d.type]}). "
            f"{d.explanation}"
        )
        also = d.also_types
        accepted = tuple((a.type, 1.0, a.reason) for a in also)
        if also:
            explanation += " Also accepted: " + "; ".join(f"{a.type} ({a.reason})" for a in also)
        return _Key(
            AnswerForm("choice", tuple(knowledge.DISCREPANCY_TYPES), noun="type"),
            d.type,
            table,
            explanation,
            cites,
            accepted,
            d.preferred_because or "",
        )

    def claims(self, entries: list[Mapping[str, str]]) -> _Key:
        rows, key, cites, parts = [], [], [], []
        for n, entry in enumerate(entries, start=1):
            d = self.discrepancy(entry["discrepancy"])
            version = first_quoted(d, entry["source"])
            if version is None or version.citation is None:
                raise _Fail(
                    f"discrepancy {d.id!r} quotes no version from Source {entry['source']}",
                    "Choose a source that the discrepancy quotes.",
                )
            also = printed_elsewhere(version.citation.quote, version.source, self.sources)
            if also:
                raise _Fail(
                    f"statement {n} (“{version.citation.quote}”, {version.citation.sentence}) is "
                    f"also word for word in Source {' and '.join(also)}, so two answers are "
                    "defensible",
                    "Choose a statement only one source prints.",
                )
            rows.append((str(n), f"“{version.citation.quote}”"))
            key.append(version.source)
            cites.append(version.citation.sentence)
            parts.append(self.claim_words(n, d, version))
        if len(set(key)) < 2:
            raise _Fail(
                "every statement comes from the same source",
                "Mix statements from different sources.",
            )
        explanation = ". ".join(parts) + "."
        return _Key(
            AnswerForm("match", LETTERS, length=len(key), noun="source letter"),
            key,
            (("statement", "the words quoted"), *rows),
            explanation,
            tuple(cites),
        )

    def claim_words(self, n: int, d: knowledge.Discrepancy, version: knowledge.Version) -> str:
        """``2. Source A (A-18), quoting Peter Harling (an inference: ...). Compare Source B:
        “...” (B-5)``: who says statement ``n``, and how the other sources put the same
        point, so a learner sees why the other letters are wrong."""
        assert version.citation is not None
        sid = version.citation.sentence
        words = f"{n}. Source {version.source} ({sid})"
        for voice, appearance in self.kb.appearances_in(sid):
            if appearance.mode == "quoted" and _plain_words(version.citation.quote) in (
                _plain_words(appearance.citation.quote)
            ):
                words += f", quoting {_the(voice.name)}"
                if appearance.inference:
                    words += f" (an inference: {appearance.inference.strip().rstrip('.')})"
        seen = {version.source}
        for other in d.versions:
            if other.source in seen or other.citation is None:
                continue
            seen.add(other.source)
            words += (
                f". Compare Source {other.source}: “{other.citation.quote}” "
                f"({other.citation.sentence})"
            )
        return words

    def reuses(self, arg: Mapping[str, str]) -> _Key:
        d = self.discrepancy(arg["discrepancy"])
        if d.type != "dependence":
            raise _Fail(
                f"discrepancy {d.id!r} is a {d.type}, not a dependence",
                "Choose a discrepancy of type dependence.",
            )
        letter = arg["source"]
        mine = [v for v in d.versions if v.source == letter and v.citation is not None]
        others = [v for v in d.versions if v.source != letter and v.citation is not None]
        if len(mine) != 1 or not others:
            raise _Fail(
                f"discrepancy {d.id!r} must quote one sentence of Source {letter} and "
                "at least one of another source",
                "Choose another discrepancy or source.",
            )
        citation = mine[0].citation
        assert citation is not None
        options = tuple(s.id for s in self.sources[letter].sentences)
        table = (
            ("sentence", "the words"),
            *(
                (v.citation.sentence, f"“{v.citation.quote}”")
                for v in others
                if v.citation is not None
            ),
        )
        cites = tuple(v.citation.sentence for v in d.versions if v.citation is not None)
        return _Key(
            AnswerForm("sentence", options),
            citation.sentence,
            table,
            f"{d.topic}: {d.explanation}",
            cites,
        )

    def genres(self, letters: list[str]) -> _Key:
        rows, cites, parts = [], [], []
        for n, letter in enumerate(letters, start=1):
            genre = self.catalog(letter)["genre"]
            rows.append((str(n), str(genre["value"])))
            cites += genre.get("sentences", [])
            parts.append(
                f"{n}. Source {letter}: {genre['value']} ({genre['basis']}): "
                f"{genre['evidence'].strip()}"
            )
        if sorted(letters) != list(LETTERS):
            raise _Fail("list each of A, B and C once", "Write `genres: [B, C, A]` or similar.")
        if letters == list(LETTERS):
            raise _Fail(
                "the descriptions would be listed in the order A, B, C", "Scramble the order."
            )
        return _Key(
            AnswerForm("match", LETTERS, length=3, noun="source letter"),
            list(letters),
            (("description", "kind of text"), *rows),
            " ".join(parts),
            tuple(dict.fromkeys(cites)),
        )

    def earliest_written(self, letter: str) -> _Key:
        published = self.catalog(letter)["published"]
        first = str(published["date"]).split("/")[0]
        if len(first) != 10:
            raise _Fail(
                f"Source {letter}'s catalog date {published['date']!r} does not start with a day",
                "Choose a source dated to the day.",
            )
        cites = tuple(e["sentence"] for e in published["evidence"])
        return _Key(
            AnswerForm("date", date_format="day"), first, (), published["reasoning"].strip(), cites
        )

    def latest_year(self, letter: str) -> _Key:
        source = self.sources.get(letter)
        if source is None:
            raise _Fail(f"there is no source {letter!r}", "Use A, B or C.")
        years = [
            (int(m.group()), s.id)
            for s in source.sentences
            for m in re.finditer(r"(?<!\d)(?:19|20)\d\d(?!\d)", s.text)
        ]
        if not years:
            raise _Fail(f"Source {letter} prints no year", "Choose another source.")
        year, sid = max(years)
        evidence = {e["sentence"] for e in source.catalog["published"]["evidence"]}
        if sid not in evidence:
            raise _Fail(
                f"the latest year Source {letter} prints, {year}, is in {sid}, which the "
                "catalog does not list as dating evidence",
                "Add it to the catalog's published > evidence, or choose another source.",
            )
        explanation = (
            f"The latest year Source {letter} prints is {year}, in {sid}, so the text "
            f"cannot be older than {year}."
        )
        return _Key(AnswerForm("int"), year, (), explanation, (sid,))

    def latest_dated(self, letter: str) -> _Key:
        source = self.sources.get(letter)
        if source is None:
            raise _Fail(f"there is no source {letter!r}", "Use A, B or C.")
        reports = [
            (e, r)
            for e in self.kb.timeline()
            for r in e.reports
            if r.source == letter and r.dating in ("explicit", "relative")
        ]
        if not reports:
            raise _Fail(f"Source {letter} dates no event", "Choose another source.")
        event, report = reports[-1]
        sid = report.citation.sentence
        evidence = {e["sentence"] for e in source.catalog["published"]["evidence"]}
        if sid not in evidence:
            raise _Fail(
                f"{sid}, where Source {letter} dates its latest event, is not in the "
                "catalog's dating evidence",
                "Add it there, or choose another source.",
            )
        explanation = (
            f"The latest event Source {letter} dates is: {event.title} "
            f"({event.date_text()}), in {sid}."
        )
        if event.reasoning:
            explanation += " " + event.reasoning
        return _Key(
            AnswerForm("sentence", tuple(s.id for s in source.sentences)),
            sid,
            (),
            explanation,
            (sid,),
        )

    def dating_clue(self, arg: Mapping[str, Any]) -> _Key:
        try:
            letter, clue = dating_clue_of(arg["clue"], self.sources)
        except DataError as err:
            raise _Fail(err.problems[0].problem, err.problems[0].fix) from None
        offered = [self.sentence(sid) for sid in arg["sentences"]]
        key = clue["sentence"]
        wrong = [s.id for s in offered if s.id[0] != letter or s.heading]
        if wrong:
            raise _Fail(
                f"{', '.join(wrong)}: not a sentence of Source {letter}'s text (or a heading)",
                f"Offer sentences of Source {letter}, the source the clue dates.",
            )
        captions = [s.id for s in offered if s.id in _sources.CAPTIONS and s.id != key]
        if captions:
            raise _Fail(
                f"{', '.join(captions)} begin with a caption or pull-quote run into the "
                "sentence, so the words shown are not one sentence of the text",
                "Offer other sentences.",
            )
        if key not in [s.id for s in offered]:
            raise _Fail(
                f"the clue's sentence {key} is not among the sentences offered",
                f"Offer {key} with the others.",
            )
        missing = [sid for sid in clue.get("offer_with", ()) if sid not in arg["sentences"]]
        if missing:
            raise _Fail(
                f"{', '.join(missing)}: the clue's `offer_with` in seeds/catalog.yaml, always "
                f"offered beside {key}, is not among the sentences offered",
                f"Offer {', '.join(missing)} with the others.",
            )
        near = [s.id for s in offered if s.id in clue["near"]]
        if near:
            raise _Fail(
                f"{', '.join(near)} could be defended as showing the same as {key} "
                "(the clue's `near` in seeds/catalog.yaml), so two answers are defensible",
                "Offer other sentences.",
            )
        evidence = {e["sentence"]: e for e in self.catalog(letter)["published"]["evidence"]}
        explanation = f"{key} holds the clue: “{clue['quote']}”. What it shows: {clue['shows']}"
        others = [
            f"{s.id} (“{evidence[s.id]['quote']}”): {evidence[s.id]['shows']}"
            for s in offered
            if s.id != key and s.id in evidence
        ]
        if others:
            explanation += " The other clues offered show something else: " + " ".join(others)
        table = (("sentence", "the words"), *((s.id, s.text) for s in offered))
        return _Key(
            AnswerForm("choice", tuple(s.id for s in offered), noun="sentence id"),
            key,
            table,
            explanation,
            (key,),
        )

    def quoted(self, arg: Mapping[str, Any]) -> _Key:
        letter = arg["source"]
        voices = [self.voice(v) for v in arg["voices"]]
        key = sorted(
            v.id
            for v in voices
            if any(a.mode == "quoted" and a.citation.source == letter for a in v.appearances)
        )
        if not key or len(key) == len(voices):
            raise _Fail(
                f"{len(key)} of the {len(voices)} voices are quoted in Source {letter}",
                "Mix voices that are quoted with some that are not.",
            )
        parts, cites = [], []
        for v in voices:
            here = [a for a in v.appearances if a.citation.source == letter]
            if here:
                modes = ", ".join(f"{a.mode} in {a.citation.sentence}" for a in here)
                parts.append(f"{v.name}: {modes}")
                cites += [a.citation.sentence for a in here]
            else:
                elsewhere = ", ".join(sorted({a.citation.sentence for a in v.appearances}))
                parts.append(f"{v.name}: not in Source {letter} (appears in {elsewhere})")
        table = (("voice id", "who"), *((f"`{v.id}`", v.name) for v in voices))
        return _Key(
            AnswerForm("subset", tuple(v.id for v in voices), noun="voice id"),
            key,
            table,
            "; ".join(parts) + ".",
            tuple(dict.fromkeys(cites)),
        )

    def voice_in(self, arg: Mapping[str, Any]) -> _Key:
        sentence = self.sentence(arg["sentence"]).id
        voices = [self.voice(v) for v in arg["voices"]]
        found = [(v, a) for v in voices for a in v.appearances if a.citation.sentence == sentence]
        if len({v.id for v, _ in found}) != 1:
            raise _Fail(
                f"{len({v.id for v, _ in found})} of the listed voices appear in "
                f"{sentence}; exactly one must",
                "List one voice that appears there and others that do not.",
            )
        voice, appearance = found[0]
        verb = {"quoted": "quotes", "paraphrased": "paraphrases", "cited": "cites"}[appearance.mode]
        explanation = f"{sentence} {verb} {_the(voice.name)}: “{appearance.citation.quote}”."
        if voice.context:
            explanation += " " + voice.context.strip()  # the KB marks it "Outside the texts: ..."
        table = (("voice id", "who"), *((f"`{v.id}`", v.name) for v in voices))
        return _Key(
            AnswerForm("choice", tuple(v.id for v in voices), noun="voice id"),
            voice.id,
            table,
            explanation,
            (sentence,),
        )

    def odd_one_out(self, discrepancy_id: str) -> _Key:
        d = self.discrepancy(discrepancy_id)
        values = {v.source: v.value for v in d.versions if v.value is not None}
        odd = [s for s, value in values.items() if list(values.values()).count(value) == 1]
        if len(values) < 3 or len(odd) != 1:
            raise _Fail(
                f"discrepancy {d.id!r} does not have one source whose `value` differs "
                "from the others'",
                "Choose a discrepancy where two sources agree on a number and one does not.",
            )
        cites = tuple(v.citation.sentence for v in d.versions if v.citation is not None)
        explanation = (
            f"{d.topic}: "
            + "; ".join(
                f"Source {v.source} says {v.says} ({v.citation.sentence})"
                for v in d.versions
                if v.citation is not None
            )
            + ". "
            + d.explanation
        )
        return _Key(
            AnswerForm("choice", LETTERS, noun="source letter"), odd[0], (), explanation, cites
        )

    def dependent_sources(self, ids: list[str]) -> _Key:
        found = [self.discrepancy(i) for i in ids]
        pairs = {d.sources for d in found}
        wrong = [d.id for d in found if d.type != "dependence"]
        if wrong:
            raise _Fail(
                f"not of type dependence: {', '.join(wrong)}", "List only dependence discrepancies."
            )
        if len(pairs) != 1 or len(next(iter(pairs))) != 2:
            raise _Fail(
                "these dependence discrepancies do not all join the same two sources",
                "List discrepancies between the same pair of sources.",
            )
        key = list(next(iter(pairs)))
        cites = tuple(
            v.citation.sentence for d in found for v in d.versions if v.citation is not None
        )
        explanation = (
            f"Sources {key[0]} and {key[1]} share wording sentence by sentence: "
            + "; ".join(
                f"{d.topic} ("
                + ", ".join(v.citation.sentence for v in d.versions if v.citation is not None)
                + ")"
                for d in found
            )
            + ". "
            + found[0].explanation
        )
        return _Key(
            AnswerForm("subset", LETTERS, noun="source letter"), key, (), explanation, cites
        )
