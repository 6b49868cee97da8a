"""Item banks for "which claims to match" (the discrepancies quiz's Q1) and "which sentence
shows a dating clue" (the sourcing quiz's Q8): every form's key comes from the data, and the
rules refuse a form with two defensible answers (issue 16)."""

from __future__ import annotations

import json
import random
import re
from dataclasses import replace
from typing import Any

import markupsafe
import pytest

from helpers import answered, hand_in, variant_course
from homs import knowledge, sources
from homs.errors import DataError
from homs.grading.authoring import banks
from homs.grading.authoring.checks import literal
from homs.grading.authoring.spec import (
    Quiz,
    dating_clues,
    first_quoted,
    item_for,
    load_quiz,
    printed_elsewhere,
)
from homs.grading.course import variants
from homs.grading.course.autograde import autograde
from homs.grading.course.feedback import feedback
from homs.grading.course.release import release

SEEDS = (b"a", b"b", b"c", b"d", b"e", b"f")
CLAIMS = "q1_claims"


@pytest.fixture(scope="module")
def kb() -> knowledge.KnowledgeBase:
    """The packaged knowledge base."""
    return knowledge.load()


@pytest.fixture(scope="module")
def discrepancies() -> Quiz:
    """The discrepancies quiz."""
    return load_quiz("discrepancies")


def _with_pool(quiz: Quiz, item_id: str, **changes: Any) -> Quiz:
    return replace(quiz, pools={**quiz.pools, item_id: {**quiz.pools[item_id], **changes}})


def _first_version(kb: knowledge.KnowledgeBase, entry: dict[str, str]) -> knowledge.Version:
    version = first_quoted(kb.discrepancy(entry["discrepancy"]), entry["source"])
    assert version is not None
    return version


# -- which claims to match -----------------------------------------------------------------


def test_the_claims_pool_passes_its_checks(discrepancies: Quiz) -> None:
    """Q1 is banked with the claims rule, and its fixed key is in its pool and band."""
    assert discrepancies.pools[CLAIMS]["draw"] == "claims"
    assert banks.check_pools(discrepancies) == []


def test_each_claims_form_is_keyed_by_the_source_that_prints_each_statement(
    discrepancies: Quiz, kb: knowledge.KnowledgeBase
) -> None:
    """Each form: four statements from the pool, each verbatim in its sentence and printed by
    no other source; the key is each statement's source; two or three from B or C; form 0 is
    the fixed item; no two forms hold the same statements."""
    fixed = discrepancies.item(CLAIMS)
    for seed in SEEDS:
        found = banks.forms(discrepancies, CLAIMS, seed)
        assert found[0].key == discrepancies.entries[CLAIMS]["key"]
        assert banks.apply(discrepancies, {CLAIMS: found[0]}).item(CLAIMS) == fixed
        assert len({json.dumps(sorted(map(str, f.key["claims"]))) for f in found}) == len(found)
        for form in found:
            item = banks.apply(discrepancies, {CLAIMS: form}).item(CLAIMS)
            statements = form.key["claims"]
            assert len(statements) == len(fixed.key)
            assert all(s in discrepancies.pools[CLAIMS]["from"] for s in statements)
            assert item.key == [s["source"] for s in statements]
            assert 2 <= sum(s in ("B", "C") for s in item.key) <= 3
            assert len(set(item.key)) > 1
            assert len(set(item.cites)) == len(item.cites)  # one statement per sentence
            for n, statement in enumerate(statements, start=1):
                version = _first_version(kb, statement)
                assert version.citation is not None
                quote = version.citation.quote
                assert quote in sources.sentence(version.citation.sentence).text
                assert printed_elsewhere(quote, statement["source"]) == []
                assert item.table[n] == (str(n), f"“{quote}”")
                assert f"Source {statement['source']} ({version.citation.sentence})" in (
                    item.explanation
                )
            wrong = ["A" if s != "A" else "B" for s in item.key]
            assert item.checks.points(item.key, item.points) == item.points
            assert item.checks.points(wrong, item.points) == 0


def test_the_same_statements_in_another_order_are_not_another_form(
    discrepancies: Quiz,
) -> None:
    """Shuffling a form's statements asks the same question: the bank does not count it as new."""
    form = banks.forms(discrepancies, CLAIMS, b"a")[1]
    shuffled = {"claims": list(reversed(form.key["claims"]))}
    assert banks._same(shuffled, (form.key,))


def test_a_statement_two_sources_print_is_refused_by_the_rule_and_the_pool_check(
    discrepancies: Quiz,
) -> None:
    """B-13's "The army recaptured Baba Amr in March 2012" is also C-27's heading but for
    "The": the rule refuses a key holding it, and check_pools names it."""
    statement = {"discrepancy": "baba-amr-march-2012", "source": "B"}
    assert printed_elsewhere("The army recaptured Baba Amr in March 2012", "B") == ["C"]
    key = {"claims": [statement, {"discrepancy": "population", "source": "A"}]}
    with pytest.raises(DataError, match="also word for word in Source C"):
        item_for(discrepancies, CLAIMS, key)
    wide = _with_pool(
        discrepancies, CLAIMS, **{"from": [*discrepancies.pools[CLAIMS]["from"], statement]}
    )
    problems = banks.check_pools(wide)
    assert len(problems) == 1
    assert "baba-amr-march-2012 (Source B)" in problems[0].problem
    assert "Take the statement out of `from`" in problems[0].fix


def test_a_practice_draw_of_the_claims_item_is_marked_on_its_own_key(
    discrepancies: Quiz,
) -> None:
    """A fresh draw is a valid variant: its key scores full marks, the fixed key need not."""
    for n in range(5):
        form = banks.draw(discrepancies, CLAIMS, random.Random(n))
        item = banks.apply(discrepancies, {CLAIMS: form}).item(CLAIMS)
        assert item.checks.points(item.key, item.points) == item.points


# -- which sentence shows a dating clue ----------------------------------------------------

CLUE = "q8_dating_clue"


@pytest.fixture(scope="module")
def sourcing() -> Quiz:
    """The sourcing quiz."""
    return load_quiz("sourcing")


def test_every_named_dating_clue_is_verbatim_and_does_not_give_its_words_away() -> None:
    """Each clue of the catalog: its quote is in its sentence, its `near` sentences are other
    sentences of the same source, and its `asks` does not print the words it points to."""
    clues = dating_clues()
    assert {"c-before-homs", "c-after-hama", "a-latest-year"} <= set(clues)
    for clue_id, (letter, clue) in clues.items():
        sentence = sources.sentence(clue["sentence"])
        assert sentence.id[0] == letter
        assert clue["quote"] in sentence.text, clue_id
        for near in clue["near"]:
            assert near[0] == letter, clue_id
            assert near != clue["sentence"], clue_id
            sources.sentence(near)
        assert clue["quote"].lower() not in clue["asks"].lower(), clue_id
        assert clue["asks"][0].islower(), clue_id  # it follows "shows" in the question


def test_each_dating_clue_form_has_one_defensible_option(
    sourcing: Quiz, kb: knowledge.KnowledgeBase
) -> None:
    """Each form of Q8: four sentences of one source, none a heading and none of the clue's
    `near` sentences; the key is the clue's sentence and only it scores; one or two of the
    others are dating evidence that shows something else; no two forms ask the same clue."""
    fixed = sourcing.item(CLUE)
    clues = dating_clues()
    for seed in SEEDS:
        found = banks.forms(sourcing, CLUE, seed)
        assert found[0].key == sourcing.entries[CLUE]["key"]
        assert len({f.key["dating-clue"]["clue"] for f in found}) == len(found)
        for form in found:
            item = banks.apply(sourcing, {CLUE: form}).item(CLUE)
            letter, clue = clues[form.key["dating-clue"]["clue"]]
            offered = form.key["dating-clue"]["sentences"]
            assert item.form is not None
            assert fixed.form is not None
            assert item.form.kind == fixed.form.kind == "choice"
            assert list(item.form.options) == offered
            assert len(offered) == len(fixed.form.options)
            assert item.key == clue["sentence"]
            for sid in offered:
                assert sid[0] == letter
                assert not sources.sentence(sid).heading
                assert sid not in clue["near"]
            assert set(clue.get("offer_with", ())) <= set(offered)
            assert not set(offered) & set(sources.CAPTIONS) - {clue["sentence"]}
            full = [s for s in offered if item.checks.points(s, item.points) == item.points]
            assert full == [item.key]
            assert 1 <= banks.difficulty(form.key, kb) <= 2
            assert clue["quote"] in item.explanation
            assert f"Source {letter}" in item.question
            assert clue["asks"] in item.question
            assert "{" not in item.question + item.title
            assert [row[0] for row in item.table[1:]] == offered


def test_the_dating_clue_pool_leaves_out_what_other_items_ask() -> None:
    """Q7 asks the student to find Source B's clues in writing, so no form asks about a
    clue of B or about C-20 (which rewords B-7); Q2 asks for A's latest dated event."""
    pool = load_quiz("sourcing").pools[CLUE]["from"]
    assert not [c for c in pool if c.startswith("b-")]
    assert "c-last-week" not in pool
    assert "a-latest-event" not in pool


@pytest.mark.parametrize(
    ("sentences", "says"),
    [
        (["C-4", "C-10", "C-8", "C-3"], "could be defended as showing the same"),
        (["C-20", "C-8", "C-3", "C-5"], "is not among the sentences offered"),
        (["C-4", "B-2", "C-8", "C-3"], "not a sentence of Source C"),
        (["C-4", "C-2", "C-8", "C-3"], "(or a heading)"),
    ],
)
def test_the_dating_clue_rule_refuses_a_form_with_two_answers_or_none(
    sourcing: Quiz, sentences: list[str], says: str
) -> None:
    """A near sentence beside the clue, the clue's sentence missing, another source's
    sentence or a heading: each is refused, with what is wrong."""
    with pytest.raises(DataError, match=re.escape(says)):
        item_for(sourcing, CLUE, {"dating-clue": {"clue": "c-before-homs", "sentences": sentences}})


def test_an_unknown_clue_is_named_by_the_rule_and_the_pool_check(sourcing: Quiz) -> None:
    """A clue id the catalog does not hold is named, with the ids it does."""
    with pytest.raises(DataError, match="c-before-homs"):
        item_for(sourcing, CLUE, {"dating-clue": {"clue": "c-nowhere", "sentences": ["C-4"]}})
    wrong = _with_pool(sourcing, CLUE, **{"from": ["c-before-homs", "c-nowhere"]})
    problems = banks.check_pools(wrong)
    assert len(problems) == 1
    assert "no dating clue c-nowhere" in problems[0].problem


# -- the order pool's second band: events close in time ------------------------------------


def test_close_pairs_counts_events_that_follow_one_another_within_six_months() -> None:
    """The fixed Q1 has two close pairs (December 2011 to 21 February 2012 is under six months,
    22 February to 7 March 2012 too); six events years apart have none."""
    quiz = load_quiz("timeline")
    assert banks.close_pairs(quiz.entries["q1_order"]["key"]) == 2
    apart = [
        "hama-1982",
        "clock-tower-square",
        "old-city-evacuation",
        "waer-retaken",
        "us-court-colvin",
        "rebels-reach-homs",
    ]
    assert banks.close_pairs({"order": apart}) == 0
    assert banks.close_pairs({"year": "amos-visit"}) == 0


def test_every_order_form_is_within_both_bands_and_a_form_of_years_apart_is_never_drawn() -> None:
    """Every drawn form (course forms and practice draws) has one to three events whose year is
    not printed and one to three close pairs, so none is six events years apart."""
    quiz = load_quiz("timeline")
    pool = quiz.pools["q1_order"]
    assert pool["close"] == [1, 3]
    drawn = [f for seed in SEEDS for f in banks.forms(quiz, "q1_order", seed)]
    drawn += [banks.draw(quiz, "q1_order", random.Random(n)) for n in range(40)]
    for form in drawn:
        assert pool["band"][0] <= banks.difficulty(form.key) <= pool["band"][1]
        assert 1 <= banks.close_pairs(form.key) <= 3


def test_a_fixed_key_outside_the_close_band_is_named() -> None:
    """A `close` band that the fixed key does not fit is reported with both measures."""
    quiz = load_quiz("timeline")
    narrow = _with_pool(quiz, "q1_order", close=[3, 3])
    problems = [p for p in banks.check_pools(narrow) if "outside the band" in p.problem]
    assert len(problems) == 1
    assert "close pairs (2) are outside the band `close: [3, 3]`" in problems[0].problem
    assert "`close`" in problems[0].fix


# -- the date draw (no spec uses it: docs/variants.md says why) -----------------------------


def test_a_date_pool_draws_events_dated_to_the_day_with_their_keys(
    kb: knowledge.KnowledgeBase,
) -> None:
    """A date pool on the timeline's Q2 (the events another item asks about allowed): every
    form asks an event of the pool at day precision, its key is the event's date in the
    knowledge base, the full date earns the point, and the question names the event."""
    quiz = load_quiz("timeline")
    pool = {
        "draw": "date",
        "from": ["colvin-ochlik-killed", "colvin-speaks-to-bbc", "fsa-withdrawal-baba-amr"],
        "band": [0, 1],
        "forms": 3,
        "title": "Date an event",
        "question": "On what day did this happen? The event: {event}.",
    }
    banked = replace(quiz, pools={**quiz.pools, "q2_colvin_date": pool})
    assert banks.check_pools(banked) == []
    found = banks.forms(banked, "q2_colvin_date", b"a")
    assert {f.key["date"]["event"] for f in found} == set(pool["from"])
    for form in found:
        item = banks.apply(banked, {"q2_colvin_date": form}).item("q2_colvin_date")
        event = kb.event(form.key["date"]["event"])
        assert form.key["date"]["precision"] == "day"
        assert item.key == event.date.text
        assert item.checks.points(item.key, item.points) == item.points
        if form.form:
            assert event.title in item.question


def test_a_banked_test_cell_says_whose_options_it_checks() -> None:
    """The test cell of a banked item with options lists the printed question's options and
    says that the student's own version's are checked once the "Your questions" cell ran; an
    item without options (a year) has no such line."""
    from homs.grading.authoring.build import notebook

    for quiz_id, item_id, has_options in [
        ("sourcing", CLUE, True),
        ("discrepancies", CLAIMS, True),
        ("timeline", "q3_amos_year", False),
    ]:
        nb = notebook(load_quiz(quiz_id), variants=True)
        cell = next(
            c for c in nb["cells"] if c["metadata"].get("nbgrader", {}).get("grade_id") == item_id
        )
        source = "".join(cell["source"])
        assert f'variant="{item_id}"' in source
        assert ("your own version's options are checked instead" in source) is has_options


def test_the_latest_year_clue_always_offers_the_other_printed_year(sourcing: Quiz) -> None:
    """A-22 (1982) is offered beside A-2 (April 2011) in every form of the latest-year clue,
    so the question is which year is the latest, not which sentence prints a year; a form
    without it is refused."""
    forms = [banks.draw(sourcing, CLUE, random.Random(n)) for n in range(60)]
    latest = [f for f in forms if f.key["dating-clue"]["clue"] == "a-latest-year"]
    assert latest
    assert all("A-22" in f.key["dating-clue"]["sentences"] for f in latest)
    with pytest.raises(DataError, match="offer_with"):
        item_for(
            sourcing,
            CLUE,
            {"dating-clue": {"clue": "a-latest-year", "sentences": ["A-2", "A-3", "A-9", "A-20"]}},
        )


def test_a_claims_explanation_names_the_voice_and_the_other_sources_words(
    discrepancies: Quiz,
) -> None:
    """Each statement's explanation gives its source and sentence, the voice Source A quotes
    there (with the knowledge base's inference where the sentence names no one), and how the
    other sources put the same point, so a learner sees why the other letters are wrong."""
    key = {
        "claims": [
            {"discrepancy": "sectarian-dynamics", "source": "A"},
            {"discrepancy": "fsa-described", "source": "C"},
        ]
    }
    item = item_for(discrepancies, CLAIMS, key)
    assert item.explanation.startswith("1. Source A (A-18), quoting Peter Harling (an inference: ")
    assert "Compare Source B: “a rag-tag collection of army defectors" in item.explanation
    assert "2. Source C (C-25)" in item.explanation
    assert ".)." not in item.explanation


# -- a class given the discrepancies quiz in parallel forms ---------------------------------

CLASS = ("ada", "ben", "cy", "dee")


@pytest.fixture(scope="module")
def discrepancies_class(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A course giving the discrepancies quiz in parallel forms to four students, released and
    handed in, each with their own version's keys but one, who hands in ada's answers to the
    banked items (Q1, Q4); autograded."""
    course = variant_course(
        tmp_path_factory.mktemp("banks") / "course",
        "discrepancies",
        CLASS,
        secret="00112233445566778899aabbccddeeff" * 2,
    )
    release("discrepancies", course=course)
    path = course / "release" / "discrepancies" / "discrepancies.ipynb"
    released = json.loads(path.read_text())
    quiz = load_quiz("discrepancies")
    own = {s: banks.apply(quiz, variants.variants_for(course, quiz, s)[0]) for s in CLASS}
    copier = next(
        s
        for s in ("ben", "cy", "dee")
        if all(own[s].item(i).key != own["ada"].item(i).key for i in quiz.pools)
    )
    for student in CLASS:
        answers = {
            i.id: f"{i.variable} = {literal(i.key)}" for i in own[student].items if not i.written
        }
        if student == copier:
            for item_id in quiz.pools:
                item = own["ada"].item(item_id)
                answers[item_id] = f"{item.variable} = {literal(item.key)}"
        hand_in(course, "discrepancies", student, answered(released, answers))
    summary = autograde("discrepancies", course=course, workers=1)
    return {"course": course, "quiz": quiz, "own": own, "copier": copier, "summary": summary}


@pytest.mark.slow
def test_each_student_scores_on_their_own_claims_and_a_copy_is_flagged(
    discrepancies_class: dict[str, Any],
) -> None:
    """The three who answered their own version earn every automatic point; the one who
    handed in ada's banked answers is flagged and earns exactly what those answers earn
    against their own keys."""
    quiz, own = discrepancies_class["quiz"], discrepancies_class["own"]
    copier = discrepancies_class["copier"]
    summary = discrepancies_class["summary"]
    for student in CLASS:
        result = summary.result(student)
        if student != copier:
            assert result.score == quiz.auto_points, (student, result.notes)
            continue
        earned = quiz.auto_points
        for item_id in quiz.pools:
            mine = own[copier].item(item_id)
            earned += mine.checks.points(own["ada"].item(item_id).key, mine.points) - mine.points
        assert result.score == earned, result.notes
        assert any("fit ada's version" in n and "FLAGGED" in n for n in result.notes)


@pytest.mark.slow
def test_feedback_explains_a_students_own_claims(discrepancies_class: dict[str, Any]) -> None:
    """The copier's feedback shows, under the printed Q1, their own version's statements (the
    question they were marked against), and explains it with the other sources' words."""
    copier = discrepancies_class["copier"]
    done = feedback("discrepancies", course=discrepancies_class["course"], students=[copier])
    page = done.files[0].read_text("utf-8")
    mine = discrepancies_class["own"][copier].item(CLAIMS)
    assert mine.key != discrepancies_class["quiz"].item(CLAIMS).key
    assert "Your version of Q1: Match the claims to the sources." in page
    printed = page.index("Q1. Match the claims to the sources (4 points)")
    assert printed < page.index("Your version of Q1") < page.index('data-item="q1_claims"')
    for _n, quoted in mine.table[1:]:
        assert str(markupsafe.escape(quoted)) in page
    assert "Compare Source" in page


# -- a teacher's mistakes in a pool: named, never a traceback --------------------------------


@pytest.mark.parametrize(
    ("quiz_id", "item_id", "changes", "says"),
    [
        ("discrepancies", CLAIMS, {"from": ["siege-food", "population"]}, "is not a statement"),
        (
            "discrepancies",
            CLAIMS,
            {
                "from": [
                    {"discrepancy": "no-such", "source": "A"},
                    {"discrepancy": "x", "source": "B"},
                ]
            },
            "no-such",
        ),
        ("discrepancies", CLAIMS, {"count": 40}, "`count: 40` but `from` lists"),
        ("sourcing", CLUE, {"from": ["c-before-homs", "c-nowhere"]}, "no dating clue c-nowhere"),
        ("sourcing", CLUE, {"count": 6}, "the fixed key offers 4 sentences"),
        ("timeline", "q3_amos_year", {"close": [0, 1]}, "`close` bounds an order pool"),
    ],
)
def test_a_mistake_in_a_pool_is_named_with_what_to_do(
    quiz_id: str, item_id: str, changes: dict[str, Any], says: str
) -> None:
    """Each mistake gives a problem naming the spec and the item, with a fix, not an
    exception."""
    quiz = load_quiz(quiz_id)
    problems = banks.check_pools(_with_pool(quiz, item_id, **changes))
    found = [p for p in problems if says in p.problem]
    assert found, problems
    assert found[0].item == f"item {item_id!r}"
    assert found[0].fix


def test_an_unknown_clue_at_draw_time_is_a_data_error(sourcing: Quiz) -> None:
    """A clue renamed after release: applying a recorded form, drawing from a pool that names
    it, or measuring it names the catalog, not a KeyError."""
    renamed = {"clue": "c-renamed", "sentences": ["C-20", "C-4", "C-8", "C-3"]}
    recorded = banks.Variant(CLUE, 1, {"dating-clue": renamed}, "A clue", "Which?")
    with pytest.raises(DataError, match="no dating clue 'c-renamed'"):
        banks.apply(sourcing, {CLUE: recorded})
    only = _with_pool(sourcing, CLUE, **{"from": ["c-renamed"]})
    with pytest.raises(DataError, match="no dating clue 'c-renamed'"):
        banks.draw(only, CLUE, random.Random(0))
    with pytest.raises(DataError, match="no dating clue 'c-renamed'"):
        banks.difficulty({"dating-clue": renamed})


def test_the_rule_refuses_a_caption_among_the_offered_sentences(sourcing: Quiz) -> None:
    """A-1 and A-13 run a caption or pull-quote into the sentence: never offered."""
    key = {"dating-clue": {"clue": "a-latest-year", "sentences": ["A-2", "A-22", "A-1", "A-13"]}}
    with pytest.raises(DataError, match="caption"):
        item_for(sourcing, CLUE, key)


def test_homs_build_names_a_broken_pool_of_a_quiz_given_in_parallel_forms(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`homs build` with the quiz in c.Homs.variants checks its pools first and names the
    problem; a quiz not given in parallel forms builds as before."""
    from homs.grading.authoring import build as build_module

    quiz = load_quiz("sourcing")
    broken = _with_pool(quiz, CLUE, **{"from": ["c-before-homs", "c-nowhere"]})
    monkeypatch.setattr(build_module, "load_quiz", lambda name, specs=None: broken)
    with pytest.raises(DataError, match="no dating clue c-nowhere"):
        build_module.stale_notebooks(tmp_path, ["sourcing"], None, variants=["sourcing"])
    missing = build_module.source_path(tmp_path, "sourcing")  # not built yet: out of date
    assert build_module.stale_notebooks(tmp_path, ["sourcing"], None) == [missing]


def test_a_clue_id_used_twice_in_the_catalog_is_named() -> None:
    """Two evidence entries with one id: the second would silently replace the first, so
    dating_clues refuses, naming the catalog entry."""
    loaded = sources.load()
    c = loaded["C"]
    evidence = [dict(e) for e in c.catalog["published"]["evidence"]]
    evidence[0]["id"] = "a-latest-year"
    catalog = {**c.catalog, "published": {**c.catalog["published"], "evidence": evidence}}
    twice = {**loaded, "C": replace(c, catalog=catalog)}
    with pytest.raises(DataError, match="'a-latest-year' is also Source A's"):
        dating_clues(twice)


def test_a_near_sentence_of_another_source_is_named(
    sourcing: Quiz, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A clue's `near` listing another source's sentence (a typo that would silently drop the
    protection) is named by check_pools, with what to list instead."""
    loaded = sources.load()
    c = loaded["C"]
    evidence = [dict(e) for e in c.catalog["published"]["evidence"]]
    for entry in evidence:
        if entry.get("id") == "c-before-homs":
            entry["near"] = ["C-10", "B-2"]
    catalog = {**c.catalog, "published": {**c.catalog["published"], "evidence": evidence}}
    changed = {**loaded, "C": replace(c, catalog=catalog)}
    monkeypatch.setattr(sources, "load", lambda *args, **kwargs: changed)
    problems = banks.check_pools(sourcing)
    found = [p for p in problems if "its `near` in seeds/catalog.yaml lists B-2" in p.problem]
    assert len(found) == 1
    assert "List sentences of Source C" in found[0].fix
