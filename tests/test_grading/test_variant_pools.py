"""Attribution pools: the sourcing quiz's Q4 (which voices a source quotes) and Q5 (whose words
or information a sentence gives) drawn from the knowledge base's voices, and a class given them."""

from __future__ import annotations

import json
import os
import random
from dataclasses import replace
from typing import Any

import markupsafe
import pytest

from helpers import answered, hand_in, variant_course
from homs import knowledge
from homs.grading.authoring import banks
from homs.grading.authoring.build import notebook
from homs.grading.authoring.checks import literal
from homs.grading.authoring.spec import Quiz, load_quiz
from homs.grading.course import variants
from homs.grading.course.autograde import autograde
from homs.grading.course.feedback import feedback
from homs.grading.course.release import release

SEEDS = (b"a", b"b", b"c", b"d", b"e", b"f")
VOICE = "q5_siege_toll_voice"
QUOTED = "q4_quoted_in_a"


@pytest.fixture(scope="module")
def kb() -> knowledge.KnowledgeBase:
    """The packaged knowledge base."""
    return knowledge.load()


@pytest.fixture(scope="module")
def quiz() -> Quiz:
    """The sourcing quiz."""
    return load_quiz("sourcing")


def _with_pool(quiz: Quiz, item_id: str, **changes: Any) -> Quiz:
    return replace(quiz, pools={**quiz.pools, item_id: {**quiz.pools[item_id], **changes}})


# -- the knowledge base's queries ----------------------------------------------------------


def test_appearances_in_gives_every_voice_of_a_sentence(kb: knowledge.KnowledgeBase) -> None:
    """A-25 holds Paul Wood (paraphrased) and the BBC (cited); B-1 holds no voice."""
    found = {(v.id, a.mode) for v, a in kb.appearances_in("A-25")}
    assert found == {("paul-wood", "paraphrased"), ("bbc", "cited")}
    assert kb.appearances_in("B-1") == []


def test_quoted_in_keeps_the_voices_a_source_quotes(kb: knowledge.KnowledgeBase) -> None:
    """Rime Allaf is quoted in Source A, Paul Wood only paraphrased, the US court is in B."""
    assert kb.quoted_in("A", ["paul-wood", "rime-allaf", "us-court"]) == ["rime-allaf"]
    assert kb.quoted_in("B", ["paul-wood", "rime-allaf", "us-court"]) == ["us-court"]


# -- the pools -----------------------------------------------------------------------------


def test_the_sourcing_pools_pass_their_checks(quiz: Quiz) -> None:
    """Q4, Q5 and Q8 are banked, their fixed keys are in their pools and bands."""
    assert set(quiz.pools) == {QUOTED, VOICE, "q8_dating_clue"}
    assert banks.check_pools(quiz) == []


@pytest.mark.parametrize("item_id", [QUOTED, VOICE])
def test_form_0_is_the_fixed_item(quiz: Quiz, item_id: str) -> None:
    """For every seed, form 0 is the spec's key and applying it gives the fixed item."""
    for seed in SEEDS:
        found = banks.forms(quiz, item_id, seed)
        assert found[0].key == quiz.entries[item_id]["key"]
        assert banks.apply(quiz, {item_id: found[0]}).item(item_id) == quiz.item(item_id)
        assert len({json.dumps(v.key, sort_keys=True) for v in found}) == len(found)


def test_each_voice_in_form_is_keyed_by_the_voice_the_kb_finds_in_its_sentence(
    quiz: Quiz, kb: knowledge.KnowledgeBase
) -> None:
    """Each form of Q5: its key is the one offered voice the knowledge base finds in the
    sentence, only that voice scores (the others are absent from the sentence), it offers as
    many voices as the fixed item, one other option at least from the same source, and its
    question names the sentence and what the sentence does with the words."""
    fixed = quiz.item(VOICE)
    assert fixed.form is not None
    for seed in SEEDS:
        found = banks.forms(quiz, VOICE, seed)
        assert len({f.key["voice-in"]["sentence"] for f in found}) == len(found)
        for form in found:
            item = banks.apply(quiz, {VOICE: form}).item(VOICE)
            sentence, offered = form.key["voice-in"]["sentence"], form.key["voice-in"]["voices"]
            here = {v.id: a for v, a in kb.appearances_in(sentence)}
            assert item.key in here
            assert item.form is not None
            assert item.form.kind == fixed.form.kind
            assert list(item.form.options) == offered
            assert len(offered) == len(fixed.form.options)
            full = {v for v in offered if item.checks.points(v, item.points) == item.points}
            assert full == {v for v in offered if v in here} == {item.key}
            low, high = quiz.pools[VOICE]["band"]
            assert low <= banks.difficulty(form.key, kb) <= high
            assert len(here) == 1  # the band [0, 0]: one voice, named in the sentence
            assert here[item.key].inference is None
            others = [v for v in offered if v != item.key]
            assert any(sentence[0] in kb.voice(v).sources for v in others)
            assert item.cites == (sentence,)
            assert here[item.key].citation.quote in item.explanation
            if form.form:
                assert sentence in item.question
                assert sentence in item.title
                assert "{" not in item.question + item.title


def test_a_wider_voice_band_never_offers_a_second_voice_of_the_sentence(
    quiz: Quiz, kb: knowledge.KnowledgeBase
) -> None:
    """With the band opened to sentences of several voices (A-25: Paul Wood and the BBC), a
    form offers one of them and none of the others, so its key is the one defensible option."""
    wide = _with_pool(quiz, VOICE, band=[0, 3], **{"from": ["A-25", "A-30", "A-4", "A-17"]})
    for n in range(20):
        form = banks.draw(wide, VOICE, random.Random(n))
        item = banks.apply(wide, {VOICE: form}).item(VOICE)
        here = {v.id for v, _a in kb.appearances_in(form.key["voice-in"]["sentence"])}
        assert [v for v in form.key["voice-in"]["voices"] if v in here] == [item.key]


def test_each_quoted_form_is_keyed_by_the_voices_the_source_quotes(
    quiz: Quiz, kb: knowledge.KnowledgeBase
) -> None:
    """Each form of Q4: six voices of Source A, two or three of them quoted there; the key is
    the voices with a quoted appearance in Source A in the knowledge base, and it scores full
    marks in any order."""
    fixed = quiz.item(QUOTED)
    assert fixed.form is not None
    for seed in SEEDS:
        for form in banks.forms(quiz, QUOTED, seed):
            item = banks.apply(quiz, {QUOTED: form}).item(QUOTED)
            offered = form.key["quoted"]["voices"]
            assert form.key["quoted"]["source"] == "A"
            assert set(offered) <= set(quiz.pools[QUOTED]["from"])
            assert item.form is not None
            assert list(item.form.options) == offered
            assert len(offered) == len(fixed.form.options)
            quoted = sorted(
                v
                for v in offered
                if any(
                    a.mode == "quoted" and a.citation.source == "A" for a in kb.voice(v).appearances
                )
            )
            assert item.key == quoted
            assert 2 <= len(quoted) <= 3
            assert item.checks.points(list(reversed(quoted)), item.points) == item.points
            assert item.checks.points(offered, item.points) < item.points
            for v in offered:
                assert kb.voice(v).name in item.explanation


def test_no_quoted_option_has_quoted_in_its_name_and_every_voice_in_sentence_names_its_voice(
    quiz: Quiz, kb: knowledge.KnowledgeBase
) -> None:
    """A voice named "... (quoted by ...)" would mislead in "which does Source A quote?"; a
    sentence that says "She said" does not name its voice (band 0 means it does)."""
    from homs import sources

    assert not [v for v in quiz.pools[QUOTED]["from"] if "quoted" in kb.voice(v).name.lower()]
    assert "A-35" not in quiz.pools[VOICE]["from"]
    for sentence in quiz.pools[VOICE]["from"]:
        text = sources.sentence(sentence).text.split()
        assert text[0] not in ("She", "He", "They"), sentence


def test_the_discrepancy_type_pool_asks_only_about_independent_sentences(
    kb: knowledge.KnowledgeBase,
) -> None:
    """Besides the fixed key, no form's cited sentences hold a reworded pair (there dependence
    is defensible but not accepted), none is itself a dependence (Q5 answers it), none is
    within one source, and no topic names a type's clue."""
    disc = load_quiz("discrepancies")
    pool = disc.pools["q4_death_toll_type"]
    fixed = disc.entries["q4_death_toll_type"]["key"]["discrepancy-type"]
    for seed in SEEDS:
        for form in banks.forms(disc, "q4_death_toll_type", seed)[1:]:
            found = kb.discrepancy(form.key["discrepancy-type"])
            assert found.id != fixed
            assert found.type != "dependence"
            assert "dependence" not in found.accepted_types
            cited = [v.citation.sentence for v in found.versions if v.citation is not None]
            assert not kb.shared_wording(cited), found.id
            assert len(found.sources) > 1, found.id
            clues = (
                "could not report",
                '" or "',
                "withdrawal or",
                "in Sources B and C",
                "Source C's",
            )
            for clue in clues:
                assert clue not in found.topic, (found.id, clue)
            assert found.topic in form.question
            assert "?." not in form.question
    assert len(pool["from"]) - 1 >= int(pool["forms"]) - 1


def test_a_pool_sentence_without_a_voice_is_reported(quiz: Quiz) -> None:
    """A pool sentence that holds no voice is named, and a pool whose only sentence with a
    voice is the fixed key's gives no new form; each problem names the file, the item and what
    to do."""
    bare = _with_pool(quiz, VOICE, **{"from": ["B-14", "B-1", "B-2"]})
    problems = [str(p) for p in banks.check_pools(bare)]
    assert len(problems) == 2, problems
    assert all("sourcing.yaml" in p and VOICE in p for p in problems)
    assert "no voice appears in B-1, B-2" in problems[0]
    assert "Take these sentences out of `from`" in problems[0]
    assert "no new variant" in problems[1]


def test_a_practice_draw_of_the_sourcing_quiz_is_marked_on_its_own_keys(quiz: Quiz) -> None:
    """A self-study draw of either pool gives an item its own key answers for full marks."""
    for item_id in quiz.pools:
        variant = banks.draw(quiz, item_id, random.Random(11))
        item = banks.apply(quiz, {item_id: variant}).item(item_id)
        assert variant.form == -1
        assert item.checks.points(item.key, item.points) == item.points


def test_the_banked_sourcing_notebook_has_a_cell_per_banked_item(quiz: Quiz) -> None:
    """Built for parallel forms, the notebook has the "Your questions" cell and one cell under
    Q4 and Q5; built without, it has neither."""
    ids = [c["id"] for c in notebook(quiz, variants=True)["cells"]]
    assert {"your_questions", f"{QUOTED}_your_question", f"{VOICE}_your_question"} <= set(ids)
    assert not any("your_question" in c["id"] for c in notebook(quiz)["cells"])


# -- a class through release, hand-in, autograde and feedback --------------------------------

CLASS = ("ada", "ben", "cy", "dee")


@pytest.fixture(scope="module")
def sourcing_class(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A course giving the sourcing quiz in parallel forms to four students, released, each
    handing in their own version's keys but dee, who picks a wrong voice in her Q5; autograded."""
    course = variant_course(
        tmp_path_factory.mktemp("pools") / "course",
        "sourcing",
        CLASS,
        secret="fedcba9876543210" * 4,
    )
    release("sourcing", course=course)
    released = json.loads((course / "release" / "sourcing" / "sourcing.ipynb").read_text())
    quiz = load_quiz("sourcing")
    own = {s: banks.apply(quiz, variants.variants_for(course, quiz, s)[0]) for s in CLASS}
    for student in CLASS:
        answers = {
            i.id: f"{i.variable} = {literal(i.key)}" for i in own[student].items if not i.written
        }
        if student == "dee":
            item = own[student].item(VOICE)
            wrong = next(v for v in item.form.options if v != item.key)
            answers[VOICE] = f"{item.variable} = {literal(wrong)}"
        hand_in(course, "sourcing", student, answered(released, answers))
    summary = autograde("sourcing", course=course, workers=1)
    return {"course": course, "quiz": quiz, "own": own, "released": released, "summary": summary}


def test_the_released_sourcing_notebook_shows_each_student_their_own_options(
    sourcing_class: dict[str, Any],
) -> None:
    """The "Your questions" cell gives each student the options of their own Q4, Q5 and Q8."""
    released = sourcing_class["released"]
    cell = next(c for c in released["cells"] if c["id"] == "your_questions")
    for student in CLASS:
        namespace: dict[str, Any] = {}
        old = os.environ.get("JUPYTERHUB_USER")
        os.environ["JUPYTERHUB_USER"] = student
        try:
            exec(cell["source"], namespace)
        finally:
            if old is None:
                os.environ.pop("JUPYTERHUB_USER")
            else:
                os.environ["JUPYTERHUB_USER"] = old
        for item_id in sourcing_class["quiz"].pools:  # Q4, Q5 and Q8
            mine = sourcing_class["own"][student].item(item_id)
            assert namespace["_homs_options"][item_id] == list(mine.form.options)


def test_each_sourcing_student_scores_full_marks_on_their_own_keys(
    sourcing_class: dict[str, Any],
) -> None:
    """Every student who answered their own version earns every automatic point; dee loses
    exactly her Q5's points."""
    quiz = sourcing_class["quiz"]
    for student in CLASS:
        result = sourcing_class["summary"].result(student)
        lost = quiz.item(VOICE).points if student == "dee" else 0
        assert result.score == quiz.auto_points - lost, (student, result.notes)


def test_sourcing_feedback_explains_each_students_own_voice_question(
    sourcing_class: dict[str, Any],
) -> None:
    """dee, who missed her Q5, is given the explanation of her own version (its sentence and
    the voice the knowledge base finds there), not the fixed item's unless it is hers."""
    course = sourcing_class["course"]
    done = feedback("sourcing", course=course, students=["dee"])
    page = done.files[0].read_text("utf-8")
    mine = sourcing_class["own"]["dee"].item(VOICE)
    fixed = sourcing_class["quiz"].item(VOICE)
    assert str(markupsafe.escape(mine.explanation.split('"')[0][:50])) in page
    if mine.key != fixed.key:
        assert str(markupsafe.escape(fixed.explanation.split('"')[0][:50])) not in page
