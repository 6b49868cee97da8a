"""Tests for homs.knowledge: every item cites verbatim, dates parse, bad data is named."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from homs import knowledge, sources
from homs.errors import DataError
from homs.knowledge import KnowledgeBase


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    """The packaged knowledge base."""
    return knowledge.load()


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of the knowledge-base folder."""
    folder = tmp_path / "data"
    shutil.copytree(knowledge.data_dir(), folder)
    return folder


def edit(path: Path, old: str, new: str) -> None:
    """Replaces ``old`` (which must be there) with ``new`` in ``path``."""
    text = path.read_text("utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), "utf-8")


def test_check_finds_nothing_wrong() -> None:
    """The packaged seeds and knowledge base pass every check."""
    assert knowledge.check() == []


def test_every_quote_is_verbatim_in_both_texts(kb: KnowledgeBase) -> None:
    """Each quote is in its sentence's reading text and maps back into the stored text."""
    for _file, _item, c in kb.citations():
        source = sources.get(c.source)
        sentence = source.sentence(c.sentence)
        assert source.reading[c.start : c.end] == c.quote
        assert sentence.start <= c.start < c.end <= sentence.end
        assert source.offsets.to_reading(c.raw_start, c.raw_end) == (c.start, c.end)
        if c.source != "A":  # B and C are stored as prose: raw and reading text are one
            assert c.raw_quote == c.quote


def test_ids_are_unique_in_each_file(kb: KnowledgeBase) -> None:
    """No two entries of one kind share an id."""
    for items in (kb.events, kb.discrepancies, kb.voices, kb.terms, kb.annotations):
        ids = [item.id for item in items]
        assert len(ids) == len(set(ids))


def test_events_form_one_timeline(kb: KnowledgeBase) -> None:
    """Events sort by date from the 1963 coup to the December 2024 offensive."""
    timeline = kb.timeline()
    assert timeline[0].id == "coup-1963"
    assert timeline[-1].id == "rebels-reach-homs"
    starts = [e.date.start for e in timeline]
    assert starts == sorted(starts)


def test_explicit_dates_agree_with_event_dates(kb: KnowledgeBase) -> None:
    """A year a source prints for an event lies within the event's date."""
    for event in kb.events:
        for report in event.reports:
            if report.dating == "explicit" and report.date_words:
                for year in map(int, re.findall(r"\b(?:19|20)\d\d\b", report.date_words)):
                    assert event.date.start.year <= year <= event.date.end.year, event.id


def test_relative_dates_are_explained(kb: KnowledgeBase) -> None:
    """Every relative or inferred date comes with its reasoning."""
    for event in kb.events:
        if any(r.dating in ("relative", "inferred") for r in event.reports):
            assert event.reasoning, event.id


def test_key_dates(kb: KnowledgeBase) -> None:
    """Resolved relative dates land where the sources put them."""
    assert kb.event("colvin-ochlik-killed").date.label() == "22 February 2012"  # "A day later"
    assert kb.event("rebels-reach-homs").date.label() == "6 December 2024"  # "on Friday"
    assert kb.event("armored-vehicles-arrive").date.year == 2011  # "early December"


def test_population_discrepancy(kb: KnowledgeBase) -> None:
    """Source A's 1.5 million stands against 800,000 in Sources B and C: a difference of detail
    (both may be right for different areas), a contradiction also defensible."""
    population = kb.discrepancy("population")
    assert population.type == "different-detail"
    assert population.accepted_types == ("different-detail", "contradiction")
    assert {v.source: v.value for v in population.versions} == {
        "A": 1_500_000,
        "B": 800_000,
        "C": 800_000,
    }


@pytest.mark.parametrize(
    ("discrepancy_id", "accepted"),
    [
        ("population", {"different-detail", "contradiction"}),
        ("colvin-death", {"omission", "change-over-time"}),
        ("siege-toll-wording", {"dependence", "omission"}),
        ("siege-toll-attribution", {"omission", "dependence"}),
        ("naming-the-opposition", {"change-over-time", "different-framing"}),
        ("naming-the-government", {"different-framing", "change-over-time"}),
        ("bombardment-denied", {"contradiction"}),
    ],
)
def test_accepted_types(kb: KnowledgeBase, discrepancy_id: str, accepted: set[str]) -> None:
    """Where a careful reader could defend two types, both are accepted, the preferred first."""
    d = kb.discrepancy(discrepancy_id)
    assert set(d.accepted_types) == accepted
    assert d.accepted_types[0] == d.type
    assert [a.type for a in d.also_types] == list(d.accepted_types[1:])


def test_the_same_comparison_is_typed_the_same(kb: KnowledgeBase) -> None:
    """The 2012-against-2024 words for the opponents and for the government accept one set."""
    opposition = kb.discrepancy("naming-the-opposition")
    government = kb.discrepancy("naming-the-government")
    assert set(opposition.accepted_types) == set(government.accepted_types)


def test_a_later_update_is_not_called_a_disagreement(kb: KnowledgeBase) -> None:
    """Source A's later update does not contradict the sentence before it, and says so."""
    d = kb.discrepancy("a-later-update")
    assert "contradiction" not in d.accepted_types
    assert "not a disagreement" in d.explanation
    assert d.preferred_because
    assert "do not disagree" in d.preferred_because


_ID = re.compile(r"(?<![\w-])[ABC]-[1-9][0-9]*(?![\w-])")


def test_alternatives_give_reasons_that_cite_the_texts(kb: KnowledgeBase) -> None:
    """Every other defensible type has a reason citing real sentences, read after "because";
    the preferred type then says why it is preferred."""
    with_also = [d for d in kb.discrepancies if d.also_types]
    assert len(with_also) >= 20
    for d in with_also:
        assert d.preferred_because, d.id
        texts = [d.preferred_because, *(a.reason for a in d.also_types)]
        for text in texts:
            ids = _ID.findall(text)
            assert ids, (d.id, text)
            for sid in ids:
                sources.sentence(sid)
            assert text.endswith("."), (d.id, text)
            first = text.split()[0].strip('"(')
            assert first[0].islower() or first in {"Source", "Sources", "Homs"}, (d.id, first)
        assert d.type not in [a.type for a in d.also_types]
        assert len({a.type for a in d.also_types}) == len(d.also_types)
        assert all(isinstance(a, knowledge.Alternative) for a in d.also_types)


def test_an_alternative_without_ids_or_repeating_the_type_is_named(data_copy: Path) -> None:
    """`also` must cite sentences and may not repeat the preferred type."""
    edit(
        data_copy / "discrepancies.yaml",
        "      - type: contradiction\n        reason: >-\n          taken at their word",
        "      - type: different-detail\n        reason: >-\n          taken at their word",
    )
    text = (data_copy / "discrepancies.yaml").read_text("utf-8")
    start = text.index("  - id: colvin-death")
    text = text[:start] + text[start:].replace("(A-30, A-31)", "(the texts)", 1).replace(
        "(B-21): more was known", "(later): more was known", 1
    )
    (data_copy / "discrepancies.yaml").write_text(text, "utf-8")
    with pytest.raises(DataError) as info:
        knowledge.load(data_copy)
    message = str(info.value)
    assert "discrepancy 'population': `also` lists the type 'different-detail' twice" in message
    assert "discrepancy 'colvin-death': the reason for `also: change-over-time` cites no" in message


def test_every_discrepancy_type_is_used(kb: KnowledgeBase) -> None:
    """The knowledge base has at least one discrepancy of each type."""
    assert {d.type for d in kb.discrepancies} == set(knowledge.DISCREPANCY_TYPES)


def test_omissions_name_the_silent_source(kb: KnowledgeBase) -> None:
    """Every omission has a silent version, and silent versions carry no quote."""
    for d in kb.discrepancies:
        if d.type == "omission":
            assert any(v.silent for v in d.versions), d.id
        for v in d.versions:
            assert (v.citation is None) == v.silent


def test_glossary_has_the_terms_students_need(kb: KnowledgeBase) -> None:
    """The glossary defines the terms the lessons rely on."""
    terms = {t.term.lower() for t in kb.terms}
    for needed in (
        "alawite",
        "sunni",
        "free syrian army",
        "al-nusra front",
        "hayat tahrir al-sham",
        "baba amr",
        "waer",
        "old city",
    ):
        assert needed in terms


def test_voices_cover_every_source(kb: KnowledgeBase) -> None:
    """Each source quotes or cites at least one voice."""
    assert {s for v in kb.voices for s in v.sources} == {"A", "B", "C"}


def test_a_quote_not_in_its_sentence_is_named(data_copy: Path) -> None:
    """A changed quote is reported with file, entry, the sentence's text and what to do."""
    edit(data_copy / "events.yaml", "killed on February 22, 2012", "killed on February 23, 2012")
    with pytest.raises(DataError) as info:
        knowledge.load(data_copy)
    message = str(info.value)
    assert "events.yaml" in message
    assert "event 'colvin-ochlik-killed'" in message
    assert "not in B-19, word for word" in message
    assert "Copy the words exactly" in message


def test_a_malformed_date_is_named(data_copy: Path) -> None:
    """A date that does not exist is reported with its entry."""
    edit(data_copy / "events.yaml", "date: 2012-02-22", "date: 2012-02-30")
    with pytest.raises(
        DataError, match=r"event 'colvin-ochlik-killed': malformed date: .*no day 30"
    ):
        knowledge.load(data_copy)


def test_an_unknown_sentence_is_named(data_copy: Path) -> None:
    """A sentence id past the end of a source is reported."""
    edit(data_copy / "events.yaml", "sentence: C-8\n", "sentence: C-99\n")
    with pytest.raises(DataError, match=r"event 'coup-1963': sentence C-99 does not exist"):
        knowledge.load(data_copy)


def test_duplicate_ids_are_named(data_copy: Path) -> None:
    """Two entries with one id are reported."""
    edit(data_copy / "events.yaml", "id: hama-1982", "id: coup-1963")
    with pytest.raises(DataError, match=r"event 'coup-1963': this id is used twice"):
        knowledge.load(data_copy)


def test_schema_errors_name_the_entry_and_field(data_copy: Path) -> None:
    """A report without its dating is reported with the entry id and the missing field."""
    edit(
        data_copy / "events.yaml",
        '        dating: explicit\n        date_words: "1963"\n',
        '        date_words: "1963"\n',
    )
    with pytest.raises(DataError) as info:
        knowledge.load(data_copy)
    assert "entry 'coup-1963' > reports > entry #1" in str(info.value)
    assert "'dating' is a required property" in str(info.value)


def test_a_missing_file_is_named(data_copy: Path) -> None:
    """A missing knowledge-base file is reported by path."""
    (data_copy / "glossary.yaml").unlink()
    with pytest.raises(DataError, match=r"glossary\.yaml: file: the file is missing"):
        knowledge.load(data_copy)


def test_all_problems_are_reported_at_once(data_copy: Path) -> None:
    """Loading reports every problem, not only the first, and keeps nothing half-checked."""
    edit(data_copy / "events.yaml", "date: 2012-02-22", "date: 2012-02-30")
    edit(data_copy / "events.yaml", "id: hama-1982", "id: coup-1963")
    with pytest.raises(DataError) as info:
        knowledge.load(data_copy)
    assert len(info.value.problems) == 2


def test_relative_dating_without_reasoning_is_refused(data_copy: Path) -> None:
    """A relative date with no reasoning is a problem, not a silent guess."""
    text = (data_copy / "events.yaml").read_text("utf-8")
    start = text.index("  - id: amos-visit")
    block = text[start : text.index("  - id: siege-old-city")]
    lines = [ln for ln in block.splitlines(keepends=True) if not ln.startswith("    reasoning:")]
    block2 = "".join(lines).replace("dating: explicit", "dating: relative", 1)
    (data_copy / "events.yaml").write_text(text.replace(block, block2), "utf-8")
    with pytest.raises(DataError, match=r"event 'amos-visit': .*no `reasoning`"):
        knowledge.load(data_copy)


def test_student_facing_text_never_shows_internal_ids(kb: KnowledgeBase) -> None:
    """Explanations, reasoning, notes and definitions name things in words, not by their ids."""
    words = " ".join(s.reading.lower() for s in sources.load().values())
    ids = {
        item.id
        for items in (kb.events, kb.discrepancies, kb.voices, kb.annotations)
        for item in items
        if "-" in item.id and item.id not in words
    }
    texts = [e.description for e in kb.events] + [e.reasoning or "" for e in kb.events]
    texts += [e.context or "" for e in kb.events]
    texts += [d.explanation for d in kb.discrepancies] + [d.context or "" for d in kb.discrepancies]
    texts += [v.says for d in kb.discrepancies for v in d.versions]
    texts += [a.note for a in kb.annotations] + [t.definition for t in kb.terms]
    texts += [v.context or "" for v in kb.voices]
    for text in texts:
        for word in re.findall(r"[a-z0-9]+(?:-[a-z0-9]+)+", text):
            assert word not in ids, f"{word!r} in {text[:80]!r}"


# --------------------------------------------------------------------------- shared queries


def _event(*datings: tuple[str, str]) -> knowledge.Event:
    """An event reported in the given ``(sentence id, dating)`` pairs, in that order."""
    reports = []
    for sid, dating in datings:
        text = sources.sentence(sid).text
        reports.append(knowledge.Report(sources.cite(sid, text), dating, None))  # type: ignore[arg-type]
    return knowledge.Event(
        "e", knowledge.load().events[0].date, "E", "", tuple(reports), None, None
    )


def test_best_report_prefers_the_most_direct_dating() -> None:
    """A printed date beats a relative one, which beats an inferred one, which beats none."""
    order = [("A-1", "undated"), ("B-1", "inferred"), ("C-1", "relative"), ("A-2", "explicit")]
    for n in range(len(order)):
        event = _event(*order[n:])
        assert event.best_report().dating == order[-1][1]
    assert _event(*order[:3]).best_report().citation.sentence == "C-1"
    assert _event(*order[:2]).best_report().citation.sentence == "B-1"
    assert knowledge.DATINGS == ("explicit", "relative", "inferred", "undated")


def test_best_report_of_one_source_and_ties(kb: KnowledgeBase) -> None:
    """Asked for one source, only its reports count; among equals the first listed wins."""
    event = kb.event("first-armed-factions")
    assert event.best_report().citation.sentence == "C-9"
    assert event.best_report("B").citation.sentence == "B-11"
    assert event.best_report("A").dating == "inferred"
    assert kb.event("siege-old-city").best_report("C").citation.sentence == "C-28"
    with pytest.raises(ValueError, match="Source A does not report event 'siege-old-city'"):
        kb.event("siege-old-city").best_report("A")


@pytest.mark.parametrize(
    ("event_id", "groups", "joined_by"),
    [
        ("colvin-ochlik-killed", [("A",), ("B",)], []),
        (
            "siege-old-city",
            [("B", "C")],
            ["siege-toll-wording", "siege-wording", "recapture-wording"],
        ),
        ("fsa-withdrawal-baba-amr", [("A",), ("B", "C")], ["recapture-wording"]),
    ],
)
def test_witness_groups_join_sources_that_share_wording(
    kb: KnowledgeBase, event_id: str, groups: list[tuple[str, ...]], joined_by: list[str]
) -> None:
    """Sources quoted together by a dependence on an event's sentences are one witness."""
    found, used = kb.witness_groups(event_id)
    assert found == groups
    assert sorted(d.id for d in used) == sorted(joined_by)


def test_shared_wording_needs_two_sources(kb: KnowledgeBase) -> None:
    """A dependence counts only when the sentences given hold both of its sources' versions."""
    assert [d.id for d in kb.shared_wording(["B-14", "C-29", "A-31"])] == ["siege-toll-wording"]
    assert kb.shared_wording(["B-14"]) == []
    assert kb.shared_wording([]) == []


# ------------------------------------------------------------ stated, inferred, context


def test_speakers_worked_out_from_the_text_are_inferences_not_context(kb: KnowledgeBase) -> None:
    """Quotations that name no speaker (A-7, A-8, A-13, A-17 to A-19) carry an inference saying
    how the speaker is worked out; no voice's context talks about the text itself."""
    inferred = {
        a.citation.sentence
        for v in kb.voices
        for a in v.appearances
        if a.inference and v.id in {"rime-allaf", "peter-harling"}
    }
    assert inferred == {"A-7", "A-8", "A-13", "A-17", "A-18", "A-19"}
    for v in kb.voices:
        assert not (v.context and _ID.search(v.context)), (v.id, v.context)
        assert not (v.context and "Source A" in v.context), v.id


def test_catalog_labels_what_the_text_states_and_what_is_inferred() -> None:
    """Source C never calls itself an explainer: its genre is inferred. Source A's main text
    prints two years, 1982 and 2011, not one."""
    c = sources.get("C").catalog
    assert c["genre"]["basis"] == "inferred"
    assert "never calls itself an explainer" in c["genre"]["evidence"]
    a = sources.get("A").catalog["published"]
    reasoning = " ".join(a["reasoning"].split())
    assert "prints two years: 1982" in reasoning
    assert "only one year" not in reasoning
    assert not any("the only year" in ev["shows"] for ev in a["evidence"])
