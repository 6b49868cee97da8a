"""Item banks: the variants of a quiz item, drawn from the knowledge base, each with its key.

A spec item may carry a ``pool`` beside its fixed ``key`` (see ``specs/quiz.schema.json``)::

    pool:
      draw: order                 # the key rule of every variant (the item's own rule)
      from: [amos-visit, waer-retaken, ...]
      count: 6                    # order: events per variant (the fixed key's number)
      band: [1, 3]                # difficulty band (below)
      close: [1, 3]               # order: events that follow one another less than six
                                  # months apart (a second band: exact dates needed)
      forms: 4                    # forms the course draws; form 0 is the fixed key
      question: "Put these {count} events ..."

A variant is a key entry such as ``{"order": [...]}`` plus its title and question. Its key,
explanation and cited sentences are worked out by :func:`homs.grading.authoring.spec.item_for`
exactly as for a fixed item, so a variant accepts what the rule accepts. What variants share:
the rule (so the kind of answer), the number of options (``count``; a date's ``precision``),
and a difficulty band on one measure per rule:

==================  ========================================================================
rule                the measure ``band`` bounds
==================  ========================================================================
order               events whose year no source prints beside them (the learner infers it)
date, year          1 when no source prints the event's year beside it, else 0
discrepancy-type    the number of other types accepted besides the key
voice-in            the other voices the sentence holds, plus 1 when the knowledge base
                    infers whose words they are (the sentence names no one)
quoted              how many of the listed voices the source quotes (the subset's size)
claims              statements from Source B or C (the two close sources, where one rewords
                    the other, so a reader must tell them apart word by word)
dating-clue         the other sentences offered that are themselves dating evidence of the
                    source (real clues that show something else)
==================  ========================================================================

The attribution pools draw what the item asks about. ``voice-in``: ``from`` lists sentences; a
variant takes one sentence, one voice the knowledge base finds in it (the key) and ``count - 1``
other voices from ``voices`` (every voice by default) that do not appear in that sentence, at
least one of them from the same source, so the key is the one defensible option. ``quoted``:
``from`` lists voices; a variant takes ``count`` of them for the fixed key's source.

A ``claims`` pool lists statements as the key does, ``{discrepancy: ..., source: ...}`` (the
words are that source's first quoted version of the discrepancy); a variant takes ``count`` of
them from different sentences, in a shuffled order, and the rule refuses a statement that
another source also prints word for word.

A ``dating-clue`` pool lists the ids of dating clues in ``seeds/catalog.yaml`` (a source's
``published > evidence`` entries with an ``id``, an ``asks`` and a ``near``); a variant takes
one clue, its sentence (the key), the clue's ``offer_with`` sentences (a foil always offered)
and other sentences of the same source up to ``count``, never a heading, a sentence with a
caption run into it, or one of the clue's ``near`` sentences (those a careful reader could
defend as showing the same), in a shuffled order, so the key is the one defensible option.

:func:`forms` draws a course's forms of an item from a seed (the course secret's HMAC; form 0
is always the fixed key), :func:`draw` one fresh variant for self-study, :func:`apply` makes
the quiz one student answers. Nothing here knows students, secrets or courses. May import
:mod:`.spec` and what it imports.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import random
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from homs import knowledge
from homs import sources as _sources
from homs.errors import DataError, Problem
from homs.grading.authoring.spec import (
    Item,
    Quiz,
    dating_clue_of,
    dating_clues,
    first_quoted,
    item_for,
    printed_elsewhere,
)

__all__ = [
    "CLOSE_DAYS",
    "DEFAULT_FORMS",
    "Variant",
    "apply",
    "check_pools",
    "close_pairs",
    "difficulty",
    "draw",
    "forms",
]

#: Forms a course draws of each banked item when the pool does not say.
DEFAULT_FORMS = 4
#: Events that follow one another less than this many days apart are "close"
#: (:func:`close_pairs`): about six months.
CLOSE_DAYS = 183
#: Draws tried before a pool is declared too small for its constraints.
_TRIES = 400


@dataclass(frozen=True)
class Variant:
    """One form of a banked item.

    Attributes:
        item: The item id.
        form: Its number among the course's forms (0 is the fixed key); -1 for a practice draw.
        key: The key entry, e.g. ``{"order": ["amos-visit", ...]}``.
        title: The title students see.
        question: The question students see (Markdown).
    """

    item: str
    form: int
    key: Mapping[str, Any]
    title: str
    question: str

    def as_dict(self) -> dict[str, Any]:
        """Plain data (for a job, a notebook's metadata or the release record)."""
        return {
            "item": self.item,
            "form": self.form,
            "key": dict(self.key),
            "title": self.title,
            "question": self.question,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Variant:
        """The variant :meth:`as_dict` wrote."""
        return cls(
            data["item"], int(data["form"]), dict(data["key"]), data["title"], data["question"]
        )

    @property
    def label(self) -> str:
        """``form 2`` (``practice`` for a self-study draw)."""
        return "practice" if self.form < 0 else f"form {self.form}"


def _rule(pool: Mapping[str, Any]) -> str:
    return str(pool["draw"])


def difficulty(key: Mapping[str, Any], kb: knowledge.KnowledgeBase | None = None) -> int:
    """The difficulty measure of a key entry (see the module's table)."""
    kb = kb or knowledge.load()
    ((rule, arg),) = key.items()
    if rule == "order":
        return sum(_year_unprinted(kb.event(i)) for i in arg)
    if rule in ("date", "year"):
        return _year_unprinted(kb.event(arg["event"] if rule == "date" else arg))
    if rule == "discrepancy-type":
        return len(kb.discrepancy(arg).also_types)
    if rule == "voice-in":
        here = kb.appearances_in(arg["sentence"])
        return len(here) - 1 + any(a.inference for _v, a in here)
    if rule == "quoted":
        return len(kb.quoted_in(arg["source"], arg["voices"]))
    if rule == "claims":
        return sum(c["source"] in ("B", "C") for c in arg)
    if rule == "dating-clue":
        letter, clue = dating_clue_of(arg["clue"])
        evidence = {e["sentence"] for e in _sources.load()[letter].catalog["published"]["evidence"]}
        return sum(s in evidence for s in arg["sentences"] if s != clue["sentence"])
    raise ValueError(f"no difficulty measure for rule {rule!r}")


def _year_unprinted(event: knowledge.Event) -> int:
    """1 when no source prints the event's year beside it (the learner must infer it), else 0."""
    year = str(event.date.start.year)
    return 0 if any(year in (r.date_words or r.citation.quote) for r in event.reports) else 1


def _base(quiz: Quiz, item_id: str) -> Variant:
    item = quiz.item(item_id)
    return Variant(item_id, 0, dict(quiz.entries[item_id]["key"]), item.title, item.question)


def _words(pool: Mapping[str, Any], key: Mapping[str, Any], kb: knowledge.KnowledgeBase) -> dict:
    ((rule, arg),) = key.items()
    if rule in ("order", "claims"):
        return {"count": _NUMBER_WORDS.get(len(arg), str(len(arg)))}
    if rule == "dating-clue":
        count = len(arg["sentences"])
        letter, clue = dating_clue_of(arg["clue"])
        return {
            "source": letter,
            "asks": clue["asks"],
            "count": _NUMBER_WORDS.get(count, str(count)),
        }
    if rule == "date":
        return {"event": kb.event(arg["event"]).title}
    if rule == "year":
        return {"event": kb.event(arg).title}
    if rule == "quoted":
        count = len(arg["voices"])
        return {"source": arg["source"], "count": _NUMBER_WORDS.get(count, str(count))}
    if rule == "voice-in":
        sentence = arg["sentence"]
        mode = next(a.mode for v, a in kb.appearances_in(sentence) if v.id in arg["voices"])
        return {"sentence": sentence, "source": sentence[0], "what": _MODE_WORDS[mode]}
    found = kb.discrepancy(arg)
    cited = {v.citation.sentence for v in found.versions if v.citation is not None}
    cited |= {m for v in found.versions for m in re.findall(r"\b[ABC]-\d+\b", v.says)}
    return {
        "topic": found.topic,
        "sources": _sources_words(found.sources),
        "sentences": ", ".join(sorted(cited, key=_sentence_order)),
    }


#: ``{count}`` in a question is spelt as a word, as a fixed question spells it ("six events").
_NUMBER_WORDS = dict(
    enumerate(
        ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]
    )
)


#: What a sentence does with a voice's words, as a variant's question says it.
_MODE_WORDS = {
    "quoted": "quotes someone's own words, in quotation marks",
    "paraphrased": "reports in its own words what someone said",
    "cited": "gives a piece of information as coming from someone",
}


def _sources_words(sources: tuple[str, ...]) -> str:
    """``Sources A, B and C``; ``what Source A says in different places`` for one source."""
    if len(sources) == 1:
        return f"what Source {sources[0]} says in different places"
    return "Sources " + ", ".join(sources[:-1]) + " and " + sources[-1]


def _sentence_order(sid: str) -> tuple[str, int]:
    source, _, n = sid.partition("-")
    return source, int(n)


def _candidate(
    quiz: Quiz, item_id: str, rng: random.Random, kb: knowledge.KnowledgeBase
) -> dict[str, Any] | None:
    pool = quiz.pools[item_id]
    rule, ids = _rule(pool), list(pool["from"])
    if rule in ("order", "claims"):
        count = pool.get("count") or len(quiz.entries[item_id]["key"][rule])
        chosen = [dict(c) if isinstance(c, Mapping) else c for c in rng.sample(ids, count)]
        if rule == "claims":
            cited = [_statement_sentence(c, kb) for c in chosen]
            if len(set(cited)) < len(cited):
                return None  # two statements from one sentence (B-4): draw again
        return {rule: chosen}
    fixed = quiz.entries[item_id]["key"][rule]
    if rule == "quoted":
        count = pool.get("count") or len(fixed["voices"])
        return {"quoted": {"source": fixed["source"], "voices": rng.sample(ids, count)}}
    if rule == "voice-in":
        return _voice_in(pool, pool.get("count") or len(fixed["voices"]), rng, kb)
    if rule == "dating-clue":
        return _dating_clue(pool, pool.get("count") or len(fixed["sentences"]), rng)
    chosen_id = rng.choice(ids)
    if rule == "date":
        return {"date": {"event": chosen_id, "precision": pool.get("precision", "day")}}
    return {rule: chosen_id}


def _voice_in(
    pool: Mapping[str, Any], count: int, rng: random.Random, kb: knowledge.KnowledgeBase
) -> dict[str, Any] | None:
    """A sentence, one of its voices (the key) and ``count - 1`` voices absent from it, at
    least one of them from the sentence's source."""
    sentence = rng.choice(list(pool["from"]))
    here = kb.appearances_in(sentence)
    if not here:
        return None  # no voice there: draw again (check_pools reports the sentence)
    key = rng.choice(sorted({v.id for v, _a in here}))
    present = {v.id for v, _a in here}
    others = [v for v in pool.get("voices", [v.id for v in kb.voices]) if v not in present]
    chosen = rng.sample(others, min(count - 1, len(others)))
    if not any(sentence[0] in kb.voice(v).sources for v in chosen):
        return None  # every other option from another source: too easy, draw again
    options = [key, *chosen]
    rng.shuffle(options)
    return {"voice-in": {"sentence": sentence, "voices": options}}


def _statement(entry: Mapping[str, str], kb: knowledge.KnowledgeBase) -> knowledge.Version | None:
    """The version a claims statement quotes: its source's first quoted version of the
    discrepancy (``None`` if the discrepancy quotes no sentence of that source)."""
    return first_quoted(kb.discrepancy(entry["discrepancy"]), entry["source"])


def _statement_sentence(entry: Mapping[str, str], kb: knowledge.KnowledgeBase) -> str | None:
    """The sentence a claims statement quotes."""
    version = _statement(entry, kb)
    return None if version is None or version.citation is None else version.citation.sentence


def _dating_clue(pool: Mapping[str, Any], count: int, rng: random.Random) -> dict[str, Any]:
    """A clue, its sentence (the key), its ``offer_with`` sentences and other sentences of its
    source up to ``count``: never a heading, a sentence with a caption run into it
    (:data:`homs.sources.CAPTIONS`) or one of the clue's ``near`` sentences."""
    clue_id = rng.choice(list(pool["from"]))
    letter, clue = dating_clue_of(clue_id)
    fixed = [clue["sentence"], *clue.get("offer_with", ())]
    others = [
        s.id
        for s in _sources.load()[letter].sentences
        if not s.heading
        and s.id not in fixed
        and s.id not in clue["near"]
        and s.id not in _sources.CAPTIONS
    ]
    if len(fixed) + len(others) < count:
        return None  # too few sentences to offer (check_pools names the clue)
    options = [*fixed, *rng.sample(others, max(0, count - len(fixed)))]
    rng.shuffle(options)
    return {"dating-clue": {"clue": clue_id, "sentences": options}}


def _same(key: Mapping[str, Any], avoid: tuple) -> bool:
    """The key is one of ``avoid``'s: a subset's voices in another order count as the same,
    and so does another choice of voices about the same sentence (it has the same answer)."""

    def norm(k: Mapping[str, Any]) -> str:
        ((rule, arg),) = k.items()
        if rule == "quoted":
            arg = {**arg, "voices": sorted(arg["voices"])}
        if rule == "claims":  # the same statements in another order: the same question
            arg = sorted(json.dumps(c, sort_keys=True) for c in arg)
        if rule == "voice-in":
            arg = arg["sentence"]
        if rule == "dating-clue":  # other sentences offered beside the same clue: same answer
            arg = arg["clue"]
        return json.dumps([rule, arg], sort_keys=True)

    return norm(key) in {norm(k) for k in avoid}


def _variant(
    quiz: Quiz, item_id: str, key: Mapping[str, Any], form: int, kb: knowledge.KnowledgeBase
) -> tuple[Variant, Item]:
    """A variant with its item (its key worked out), or :class:`DataError` if it has none."""
    pool = quiz.pools[item_id]
    words = _words(pool, key, kb)
    base = quiz.item(item_id)
    title = pool.get("title", base.title).format(**words)
    question = pool.get("question", base.question).format(**words).strip()
    item = item_for(quiz, item_id, key, title=title, question=question, kb=kb)
    return Variant(item_id, form, dict(key), title, question), item


def close_pairs(key: Mapping[str, Any], kb: knowledge.KnowledgeBase | None = None) -> int:
    """An order key's events that follow one another (in date order) less than
    :data:`CLOSE_DAYS` apart: a learner needs their exact dates, not their years, to order them.
    0 for other rules."""
    kb = kb or knowledge.load()
    ((rule, arg),) = key.items()
    if rule != "order":
        return 0
    starts = sorted(kb.event(i).date.start for i in arg)
    return sum((b - a).days < CLOSE_DAYS for a, b in itertools.pairwise(starts))


def _fits(pool: Mapping[str, Any], key: Mapping[str, Any], kb: knowledge.KnowledgeBase) -> bool:
    band, close = pool.get("band"), pool.get("close")
    return (band is None or band[0] <= difficulty(key, kb) <= band[1]) and (
        close is None or close[0] <= close_pairs(key, kb) <= close[1]
    )


def draw(
    quiz: Quiz, item_id: str, rng: random.Random, *, form: int = -1, avoid: tuple = ()
) -> Variant:
    """One variant of a banked item, drawn with ``rng`` among those its pool allows.

    Args:
        quiz: The quiz.
        item_id: A banked item.
        rng: The random source (seeded for a course's forms, fresh for self-study).
        form: The number the variant gets.
        avoid: Key entries not to draw again (the forms drawn before).

    Raises:
        DataError: No draw in many fits the pool's constraints (too few ids, a narrow band).
    """
    kb = knowledge.load()
    pool = quiz.pools[item_id]
    for _ in range(_TRIES):
        key = _candidate(quiz, item_id, rng, kb)
        if key is None or _same(key, avoid) or not _fits(pool, key, kb):
            continue
        try:
            variant, _item = _variant(quiz, item_id, key, form, kb)
        except DataError:
            continue  # overlapping dates, listed in date order, ...: draw again
        return variant
    raise DataError(
        [
            Problem.at(
                quiz.path or f"{quiz.id}.yaml",
                f"item {item_id!r}",
                f"its pool gives no new variant in {_TRIES} draws",
                "List more ids in `from`, or widen `band`, or ask for fewer `forms`.",
            )
        ]
    )


def forms(quiz: Quiz, item_id: str, seed: bytes) -> tuple[Variant, ...]:
    """A course's forms of a banked item: form 0 is the fixed key, the others drawn from
    ``seed`` (the same seed gives the same forms)."""
    pool = quiz.pools[item_id]
    out = [_base(quiz, item_id)]
    for n in range(1, int(pool.get("forms", DEFAULT_FORMS))):
        digest = hashlib.sha256(seed + f":{quiz.id}:{item_id}:{n}".encode()).digest()
        rng = random.Random(int.from_bytes(digest, "big"))
        out.append(draw(quiz, item_id, rng, form=n, avoid=tuple(v.key for v in out)))
    return tuple(out)


def apply(quiz: Quiz, variants: Mapping[str, Variant | Mapping[str, Any]]) -> Quiz:
    """The quiz one student answers: each banked item replaced by that student's variant.

    Args:
        quiz: The quiz with its fixed items.
        variants: The variant of each banked item, by item id (as :class:`Variant` or its
            :meth:`~Variant.as_dict`); items not listed keep their fixed form.
    """
    kb = knowledge.load()
    chosen = {k: v if isinstance(v, Variant) else Variant.from_dict(v) for k, v in variants.items()}
    items = []
    for item in quiz.items:
        v = chosen.get(item.id)
        if v is None or v.form == 0:
            items.append(item)
        else:
            items.append(_variant(quiz, item.id, v.key, v.form, kb)[1])
    return replace(quiz, items=tuple(items))


def check_pools(quiz: Quiz) -> list[Problem]:
    """What is wrong with a quiz's pools, each problem naming the spec, the item and what to
    do: a rule other than the item's, ids the knowledge base or catalog does not hold, a
    ``count`` the pool cannot give, a fixed key outside its pool or its bands, statements two
    sources print, a pool that gives too few forms. ``homs build`` runs it for the quizzes
    given in parallel forms, ``homs practice --new`` for the quiz it draws, ``homs check``
    for the packaged quizzes."""
    kb = knowledge.load()
    problems = []
    where = quiz.path or f"{quiz.id}.yaml"
    for item_id, pool in quiz.pools.items():
        at = f"item {item_id!r}"
        key = quiz.entries[item_id]["key"]
        fatal = _cannot_draw(quiz, item_id, pool, kb)
        problems += [Problem.at(where, at, text, fix) for text, fix in fatal]
        if fatal:
            continue  # no draw can be tried
        found = _pool_problems(pool, key, kb)
        problems += [Problem.at(where, at, text, fix) for text, fix in found]
        try:
            forms(quiz, item_id, b"check")
        except DataError as err:
            problems += err.problems
    return problems


def _cannot_draw(
    quiz: Quiz, item_id: str, pool: Mapping[str, Any], kb: knowledge.KnowledgeBase
) -> list[tuple[str, str]]:
    """The problems that keep a pool from being drawn at all, as (problem, fix)."""
    ((rule, arg),) = quiz.entries[item_id]["key"].items()
    if rule != pool["draw"]:
        return [
            (
                f"the pool draws `{pool['draw']}` but the key is `{rule}`",
                f"Write `draw: {rule}`: every variant is of the item's kind.",
            )
        ]
    out = []
    if "close" in pool and rule != "order":
        out.append(("`close` bounds an order pool's events only", "Take `close` out."))
    count = pool.get("count")
    if rule in ("order", "claims", "quoted") and count and count > len(pool["from"]):
        out.append(
            (
                f"`count: {count}` but `from` lists {len(pool['from'])}",
                "List more in `from`, or ask for fewer.",
            )
        )
    if rule == "dating-clue":
        out += _clue_problems(pool, len(arg["sentences"]))
    if rule == "claims":
        for entry in pool["from"]:
            if not isinstance(entry, Mapping):
                out.append(
                    (
                        f"{entry!r} in `from` is not a statement",
                        "Write each statement as the key does: "
                        "`{discrepancy: ID, source: LETTER}`.",
                    )
                )
                continue
            try:
                version = _statement(entry, kb)
            except KeyError as err:
                out.append((f"{err.args[0]} (discrepancies.yaml)", "Use a discrepancy id there."))
                continue
            if version is None:
                out.append(
                    (
                        f"{_id_text(entry)}: the discrepancy quotes no sentence of that "
                        "source (discrepancies.yaml)",
                        "Take the statement out of `from`, or choose the source it quotes.",
                    )
                )
    return out


def _clue_problems(pool: Mapping[str, Any], fixed_count: int) -> list[tuple[str, str]]:
    """A dating-clue pool's problems: unknown clues, ``near`` or ``offer_with`` sentences that
    are not the clue's source's, a ``count`` other than the fixed key's."""
    try:
        clues = dating_clues()
    except DataError as err:
        return [(p.problem, p.fix) for p in err.problems]
    unknown = [c for c in pool["from"] if c not in clues]
    if unknown:
        return [
            (
                f"no dating clue {', '.join(unknown)} in seeds/catalog.yaml",
                "Use ids of a source's published > evidence there: "
                + ", ".join(sorted(clues))
                + ".",
            )
        ]
    out = []
    count = pool.get("count", fixed_count)
    if count != fixed_count:
        out.append(
            (
                f"`count: {count}` but the fixed key offers {fixed_count} sentences",
                "Leave `count` out: every form offers as many sentences as the fixed key.",
            )
        )
    sentences = {s.id for src in _sources.load().values() for s in src.sentences}
    for clue_id in pool["from"]:
        letter, clue = clues[clue_id]
        for field in ("near", "offer_with"):
            wrong = [s for s in clue.get(field, ()) if s not in sentences or s[0] != letter]
            if wrong:
                out.append(
                    (
                        f"dating clue {clue_id!r}: its `{field}` in seeds/catalog.yaml lists "
                        f"{', '.join(wrong)}, not sentences of Source {letter}",
                        f"List sentences of Source {letter} (homs sources --sentences).",
                    )
                )
    return out


def _pool_problems(
    pool: Mapping[str, Any], key: Mapping[str, Any], kb: knowledge.KnowledgeBase
) -> list[tuple[str, str]]:
    """A drawable pool's problems, as (problem, fix): the fixed key outside the pool or its
    bands, voice-in sentences without a voice, statements two sources print."""
    ((rule, arg),) = key.items()
    out = []
    outside = [_id_text(i) for i in _drawn_ids(rule, arg) if i not in pool["from"]]
    if outside:
        out.append(
            (
                f"the fixed key's ids are not all in the pool: {', '.join(outside)}",
                "Add them to `from`: the fixed key is form 0 of the pool.",
            )
        )
    if rule == "voice-in":
        bare = [s for s in pool["from"] if not kb.appearances_in(s)]
        if bare:
            out.append(
                (
                    f"no voice appears in {', '.join(bare)} (voices.yaml)",
                    "Take these sentences out of `from`: a variant asks whose words or "
                    "information a sentence gives.",
                )
            )
    if rule == "claims":
        for entry in pool["from"]:
            version = _statement(entry, kb)
            assert version is not None  # else _cannot_draw said so
            assert version.citation is not None
            also = printed_elsewhere(version.citation.quote, entry["source"])
            if also:
                out.append(
                    (
                        f"{_id_text(entry)}: “{version.citation.quote}” is also in Source "
                        f"{' and '.join(also)}, so two answers would be defensible",
                        "Take the statement out of `from`.",
                    )
                )
    band, close = pool.get("band"), pool.get("close")
    if band is not None and not band[0] <= difficulty(key, kb) <= band[1]:
        out.append(
            (
                f"the fixed key's difficulty ({difficulty(key, kb)}) is outside the band {band}",
                "Widen `band` so that it holds the fixed key.",
            )
        )
    if close is not None and not close[0] <= close_pairs(key, kb) <= close[1]:
        out.append(
            (
                f"the fixed key's close pairs ({close_pairs(key, kb)}) are outside the band "
                f"`close: {close}`",
                "Widen `close` so that it holds the fixed key.",
            )
        )
    return out


def _drawn_ids(rule: str, arg: Any) -> list[Any]:
    """The ids of a key entry that its pool's ``from`` must hold."""
    if rule == "order":
        return list(arg)
    if rule == "date":
        return [arg["event"]]
    if rule == "quoted":
        return list(arg["voices"])
    if rule == "voice-in":
        return [arg["sentence"]]
    if rule == "claims":
        return list(arg)
    if rule == "dating-clue":
        return [arg["clue"]]
    return [arg]


def _id_text(drawn: Any) -> str:
    """An id of ``from`` as a problem names it: ``siege-food`` or ``siege-food (Source C)``."""
    if isinstance(drawn, Mapping):
        return f"{drawn['discrepancy']} (Source {drawn['source']})"
    return str(drawn)
