"""Parallel forms: item banks, each student's version, and a class graded through nbgrader."""

from __future__ import annotations

import html
import json
import os
import random
import re
import stat
from pathlib import Path
from typing import Any

import markupsafe
import pytest

from helpers import answered, hand_in, nbgrader, variant_course
from homs.grading.authoring import banks
from homs.grading.authoring.build import notebook
from homs.grading.authoring.checks import literal
from homs.grading.authoring.spec import load_quiz
from homs.grading.course import variants
from homs.grading.course.autograde import autograde
from homs.grading.course.feedback import feedback
from homs.grading.course.release import release

CLASS = ("ada", "ben", "cy", "dee")


def test_forms_are_reproducible_from_the_seed_and_form_0_is_the_fixed_key() -> None:
    """The same seed gives the same forms; another seed others; form 0 is the spec's key."""
    quiz = load_quiz("timeline")
    one = banks.forms(quiz, "q1_order", b"seed one")
    assert one == banks.forms(quiz, "q1_order", b"seed one")
    assert [v.key for v in one] != [v.key for v in banks.forms(quiz, "q1_order", b"seed two")]
    assert one[0].key == {
        "order": list(quiz.item("q1_order").key and quiz.entries["q1_order"]["key"]["order"])
    }
    assert len({json.dumps(v.key, sort_keys=True) for v in one}) == len(one)


def test_every_form_keeps_kind_size_and_band_and_its_key_agrees_with_the_data() -> None:
    """Each drawn form has the item's kind and number of options, a difficulty in the band,
    and a key that is the events in date order (from the knowledge base)."""
    from homs import knowledge

    kb = knowledge.load()
    quiz = load_quiz("timeline")
    assert banks.check_pools(quiz) == []
    for seed in (b"a", b"b", b"c"):
        for item_id, pool in quiz.pools.items():
            base = quiz.item(item_id)
            for form in banks.forms(quiz, item_id, seed):
                item = banks.apply(quiz, {item_id: form}).item(item_id)
                assert item.form is not None
                assert base.form is not None
                assert item.form.kind == base.form.kind
                assert len(item.form.options) == len(base.form.options)
                if "band" in pool:
                    low, high = pool["band"]
                    assert low <= banks.difficulty(form.key, kb) <= high
                if item.form.kind == "order":
                    dates = [kb.event(e).date.start for e in item.key]
                    assert dates == sorted(dates)
                    assert item.cites
                    assert item.explanation.startswith("In date order")
                if "date" in form.key:
                    assert item.key == kb.event(form.key["date"]["event"]).date.text


def test_a_practice_draw_is_a_valid_variant() -> None:
    """A fresh draw for self-study has a key and is marked like any item."""
    quiz = load_quiz("timeline")
    variant = banks.draw(quiz, "q1_order", random.Random(7))
    item = banks.apply(quiz, {"q1_order": variant}).item("q1_order")
    assert variant.form == -1
    assert item.checks.points(item.key, item.points) == item.points


def test_each_student_gets_a_form_from_the_secret_and_the_id(tmp_path: Path) -> None:
    """Forms are picked by HMAC of the secret, quiz, item and id: stable, spread, secret 0600."""
    key = variants.secret(tmp_path)
    assert stat.S_IMODE((tmp_path / variants.SECRET).stat().st_mode) == 0o600
    assert key == variants.secret(tmp_path)
    picks = [variants.form_of(key, "timeline", "q1_order", f"s{n}", 4) for n in range(40)]
    assert picks == [variants.form_of(key, "timeline", "q1_order", f"s{n}", 4) for n in range(40)]
    assert set(picks) == {0, 1, 2, 3}
    other = [variants.form_of(b"x" * 64, "timeline", "q1_order", f"s{n}", 4) for n in range(40)]
    assert picks != other


def test_a_quiz_without_variants_builds_as_before() -> None:
    """Turning variants off leaves the fixed form: no "Your questions" cell."""
    quiz = load_quiz("timeline")
    plain = notebook(quiz)
    assert not any(c["id"] == "your_questions" for c in plain["cells"])
    banked = notebook(quiz, variants=True)
    ids = [c["id"] for c in banked["cells"]]
    assert "your_questions" in ids
    assert "q1_order_your_question" in ids


# -- a class through release, hand-in, autograde, feedback and report ---------------------


def _answers(quiz: Any) -> dict[str, str]:
    return {i.id: f"{i.variable} = {literal(i.key)}" for i in quiz.items if not i.written}


@pytest.fixture(scope="module")
def variant_class(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A course giving the timeline quiz in parallel forms to ada, ben, cy and dee; released,
    handed in (dee copies ada's notebook; hana, not on the roster, hands in too), autograded."""
    course = variant_course(
        tmp_path_factory.mktemp("variants") / "course",
        "timeline",
        CLASS,
        secret="0123456789abcdef" * 4,
    )
    made = release("timeline", course=course)
    released = json.loads((course / "release" / "timeline" / "timeline.ipynb").read_text())
    quiz = load_quiz("timeline")
    own = {s: banks.apply(quiz, variants.variants_for(course, quiz, s)[0]) for s in CLASS}
    # The copier: a student whose own keys differ from ada's on the ordering question.
    copier = next(
        s
        for s in ("ben", "cy", "dee")
        if own[s].item("q1_order").key != own["ada"].item("q1_order").key
    )
    for student in CLASS:
        source = "ada" if student == copier else student
        hand_in(course, "timeline", student, answered(released, _answers(own[source])))
    hand_in(course, "timeline", "hana", answered(released, _answers(quiz)))
    summary = autograde("timeline", course=course, workers=1)
    return {
        "course": course,
        "quiz": quiz,
        "own": own,
        "copier": copier,
        "release": made,
        "released": released,
        "summary": summary,
    }


def test_the_release_holds_each_roster_student_and_never_the_secret(
    variant_class: dict[str, Any],
) -> None:
    """The released notebook shows each student their own version; release/ has no secret."""
    course = variant_class["course"]
    assert any("4 students" in w for w in variant_class["release"].warnings)
    secret = (course / variants.SECRET).read_text().strip()
    for path in (course / "release").rglob("*"):
        if path.is_file():
            assert secret not in path.read_text("utf-8", errors="replace")
    cell = next(c for c in variant_class["released"]["cells"] if c["id"] == "your_questions")
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
        mine = variant_class["own"][student].item("q1_order")
        assert namespace["_homs_options"]["q1_order"] == list(mine.form.options)


def test_each_student_is_scored_against_their_own_key(variant_class: dict[str, Any]) -> None:
    """Students who answered their own version get every automatic point."""
    summary = variant_class["summary"]
    quiz = variant_class["quiz"]
    for student in CLASS:
        if student == variant_class["copier"]:
            continue
        result = summary.result(student)
        assert result.score == quiz.auto_points, (student, result.notes)


def test_a_copied_hand_in_is_flagged_and_earns_only_against_its_own_key(
    variant_class: dict[str, Any],
) -> None:
    """The student who handed in ada's answers is flagged and scores less than full marks."""
    copier = variant_class["copier"]
    result = variant_class["summary"].result(copier)
    assert any("fit ada's version" in n and "FLAGGED" in n for n in result.notes), result.notes
    assert result.score < variant_class["quiz"].auto_points


def test_the_formgrader_button_scores_each_student_against_their_own_version(
    variant_class: dict[str, Any], tmp_path: Path
) -> None:
    """The formgrader's Autograde button (stock ``nbgrader autograde`` with the course's
    GradeAnswers) scores a student's own version, as homs autograde does, not the base form."""
    import shutil

    from nbgrader.api import Gradebook

    course = tmp_path / "course"
    shutil.copytree(variant_class["course"], course, symlinks=True)
    quiz = variant_class["quiz"]
    honest = [s for s in CLASS if s != variant_class["copier"]]
    # one whose own version differs from the base form, so a base-form key would mark it down
    student = next(
        s
        for s in honest
        if variant_class["own"][s].item("q1_order").key != quiz.item("q1_order").key
    )
    done = nbgrader("autograde", "timeline", "--student", student, "--force", cwd=course)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "no code run" in done.stderr + done.stdout
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        score = gb.find_submission("timeline", student).score
    assert score == quiz.auto_points


def test_a_student_not_on_the_roster_is_graded_on_the_base_form(
    variant_class: dict[str, Any],
) -> None:
    """hana was not on the roster at release: she saw the base form, is graded on it, and
    the teacher is told."""
    result = variant_class["summary"].result("hana")
    assert result.score == variant_class["quiz"].auto_points
    assert any("hana was not on the roster" in n for n in result.notes)


def test_feedback_explains_each_students_own_items(variant_class: dict[str, Any]) -> None:
    """The copier's feedback gives the key of their own version of Q1, not ada's."""
    course = variant_class["course"]
    copier = variant_class["copier"]
    done = feedback("timeline", course=course, students=[copier])
    page = done.files[0].read_text("utf-8")
    from homs import knowledge

    kb = knowledge.load()
    mine = variant_class["own"][copier].item("q1_order").key
    theirs = variant_class["own"]["ada"].item("q1_order").key
    assert f"In date order: 1. {html.escape(kb.event(mine[0]).title)}" in page
    if mine[0] != theirs[0]:
        assert f"In date order: 1. {html.escape(kb.event(theirs[0]).title)}" not in page


def test_the_report_gives_statistics_per_form(variant_class: dict[str, Any]) -> None:
    """Every form of every banked item has a row; the copier's form is scored on its own key."""
    from homs.grading.reports.variants import form_stats, format_forms

    stats = form_stats("timeline", course=variant_class["course"])
    quiz = variant_class["quiz"]
    assert {s.item for s in stats} == set(quiz.pools)
    answered_ = sum(len(s.scores) for s in stats if s.item == "q1_order")
    assert answered_ == len(CLASS)
    assert "facility" in format_forms(stats)


def test_a_much_harder_form_is_flagged() -> None:
    """A form whose facility is far below its siblings' is flagged; a close one is not."""
    from homs.grading.reports.variants import FormStats

    hard = FormStats("q1_order", 2, {}, (0.0, 1.0), 5.0, 0.9, 6)
    close = FormStats("q1_order", 1, {}, (4.0, 5.0), 5.0, 0.9, 6)
    assert hard.harder
    assert not close.harder


def test_the_class_report_gives_each_form_in_the_summary_and_the_page(
    variant_class: dict[str, Any], tmp_path: Path
) -> None:
    """homs report on a quiz in parallel forms: a row per form of each banked item, with its
    own key and facility, in the terminal summary and in the page's "Parallel forms" section."""
    from homs import grading

    done = grading.report("timeline", course=variant_class["course"], out=tmp_path)
    quiz = variant_class["quiz"]
    assert {f.item for f in done.forms} == set(quiz.pools)
    assert sum(len(f.scores) for f in done.forms if f.item == "q1_order") == len(CLASS)
    text = done.summary()
    assert "Per form (parallel forms" in text
    for f in done.forms:
        assert any(line.startswith(f"{f.item:<22} {f.form:>4}") for line in text.splitlines())
    page = done.html.read_text("utf-8")
    assert '<h2 id="forms">Parallel forms</h2>' in page
    for item_id in quiz.pools:
        assert f'id="forms-{item_id}"' in page
        assert f'href="#forms-{item_id}"' in page  # from the item's section
    # The copier's form of Q1 is listed with its own key, as the page shows keys.
    copier_key = variant_class["own"][variant_class["copier"]].item("q1_order").key
    assert str(markupsafe.escape(literal(copier_key))) in page


def test_a_much_harder_form_is_flagged_in_the_summary_and_the_page(
    variant_class: dict[str, Any], tmp_path: Path
) -> None:
    """A form far below its siblings' facility is named under "To look at" and marked in its
    row of the page; the other forms are not."""
    from dataclasses import replace

    from homs import grading
    from homs.grading.reports import report as report_module
    from homs.grading.reports.variants import FormStats, forms_section

    done = grading.report("timeline", course=variant_class["course"], out=tmp_path)
    quiz = variant_class["quiz"]
    forms = banks.forms(quiz, "q1_order", b"any seed")
    stats = (
        FormStats("q1_order", 0, dict(forms[0].key), (5.0, 5.0, 4.0), 5.0, 0.3, 4),
        FormStats("q1_order", 1, dict(forms[1].key), (0.0, 1.0), 5.0, 0.93, 5),
    )
    hard = replace(done, forms=stats)
    text = hard.summary()
    assert "Q1 form 1 much harder than its sibling forms (facility 0.10 against 0.93)" in text
    assert "Q1 form 0 much harder" not in text
    rows = forms_section(quiz, stats)[0]["rows"]
    assert [r["harder"] for r in rows] == [False, True]
    page = report_module._html(hard, {p.name: "alt" for p in done.charts})
    assert page.count('class="flagged"') == 1
    assert "much harder than the other forms" in page


# -- endless practice for self-study ------------------------------------------------------


def test_practice_new_draws_afresh_and_marks_against_its_own_draw(tmp_path: Path) -> None:
    """homs practice --new writes a notebook with a new seed (in it and in the folder's record),
    without answers or hidden tests; answered with that draw's keys it gets every point, and
    with the fixed quiz's keys it loses points on the items that differ."""
    from homs import cli
    from homs.grading.reports import selfstudy
    from homs.grading.reports.practice import practice

    quiz = load_quiz("timeline")
    assert cli.main(["practice", "--new", "timeline", "--dir", str(tmp_path)]) == 0
    assert cli.main(["practice", "--new", "timeline", "--dir", str(tmp_path)]) == 0
    first, second = tmp_path / "timeline-practice-1.ipynb", tmp_path / "timeline-practice-2.ipynb"
    record = json.loads((tmp_path / selfstudy.RECORD).read_text("utf-8"))
    nb = json.loads(first.read_text("utf-8"))
    seed = nb["metadata"]["homs"]["practice"]["seed"]
    assert record["draws"][first.name]["seed"] == seed
    assert record["draws"][second.name]["seed"] != seed
    text = first.read_text("utf-8")
    assert "BEGIN SOLUTION" not in text
    assert "BEGIN HIDDEN TESTS" not in text
    drawn = selfstudy.practice_quiz(quiz, seed)
    assert drawn == selfstudy.practice_quiz(quiz, seed)
    first.write_text(json.dumps(answered(nb, _answers(drawn))), "utf-8")
    report = practice(first)
    assert report.seed == seed
    assert report.points == quiz.auto_points
    assert f"practice draw {seed}" in report.format()
    differ = [i for i in quiz.pools if drawn.item(i).key != quiz.item(i).key]
    assert differ  # a fresh draw of three banked items differs from the fixed quiz somewhere
    nb2 = json.loads(second.read_text("utf-8"))
    second.write_text(json.dumps(answered(nb2, _answers(quiz))), "utf-8")
    drawn2 = selfstudy.practice_quiz(quiz, nb2["metadata"]["homs"]["practice"]["seed"])
    if any(drawn2.item(i).key != quiz.item(i).key for i in quiz.pools):
        assert practice(second).points < quiz.auto_points


def test_practice_history_names_the_kinds_of_question_a_learner_misses(tmp_path: Path) -> None:
    """Marked practice goes into homs-practice.json beside the notebooks; the report says which
    kinds of question keep being missed ("you have missed 2 of 2 ordering questions: ..."),
    and marking a notebook again replaces its entry rather than counting it twice."""
    from homs.grading.reports import selfstudy
    from homs.grading.reports.practice import practice

    quiz = load_quiz("timeline")
    for seed in (11, 12):
        made = selfstudy.new_practice(quiz, folder=tmp_path, seed=seed)
        nb = json.loads(made.path.read_text("utf-8"))
        answers = _answers(made.quiz)
        # Every ordering question wrong: the events in the reverse of date order.
        answers["q1_order"] = (
            f"answer_q1_order = {literal(list(reversed(made.quiz.item('q1_order').key)))}"
        )
        made.path.write_text(json.dumps(answered(nb, answers)), "utf-8")
        report = practice(made.path)
    again = practice(tmp_path / "timeline-practice-2.ipynb")
    for text in (report.history, again.history):
        assert "2 notebooks marked" in text
        assert (
            "you have missed 2 of 2 ordering questions: timeline-practice-1 Q1, "
            "timeline-practice-2 Q1 (worth practising" in text
        )
        assert "you got all 2 dating questions right" in text
    assert again.history in again.format()
    assert not practice(tmp_path / "timeline-practice-1.ipynb", history=False).history


def test_practice_needs_a_notebook_or_new_and_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    """homs practice with neither a notebook nor --new (or both) says what to type."""
    from homs import cli

    assert cli.main(["practice"]) != 0
    assert "--new QUIZ" in capsys.readouterr().err


# -- the ledger knows the version ------------------------------------------------------------


def test_the_ledger_fingerprint_holds_the_version() -> None:
    """The same files graded against another version give another fingerprint; a quiz without
    versions keeps the files' fingerprint."""
    from homs.grading.engine.ledger import with_variant

    quiz = load_quiz("timeline")
    one, two = banks.forms(quiz, "q1_order", b"seed")[:2]
    assert with_variant("abc", None) == "abc"
    assert with_variant("abc", {"q1_order": one.as_dict()}) == with_variant(
        "abc", {"q1_order": one.as_dict()}
    )
    assert with_variant("abc", {"q1_order": one.as_dict()}) != with_variant(
        "abc", {"q1_order": two.as_dict()}
    )


def test_a_new_secret_regrades_unchanged_hand_ins(
    variant_class: dict[str, Any], tmp_path: Path
) -> None:
    """Run again, autograde skips the unchanged hand-ins; after a new secret and a new release,
    the same files are graded again, against the new versions."""
    import shutil

    course = tmp_path / "course"
    shutil.copytree(variant_class["course"], course)
    again = autograde("timeline", course=course, workers=1)
    assert {r.status for r in again.results} == {"unchanged (skipped)"}
    secret = course / variants.SECRET
    secret.write_text("fedcba9876543210" * 4 + "\n")
    release("timeline", course=course, force=True)
    regraded = autograde("timeline", course=course, workers=1)
    changed = {r.student for r in regraded.results if r.status != "unchanged (skipped)"}
    quiz = variant_class["quiz"]
    new = {s: banks.apply(quiz, variants.variants_for(course, quiz, s)[0]) for s in CLASS}
    moved = {
        s
        for s in CLASS
        if any(new[s].item(i).key != variant_class["own"][s].item(i).key for i in quiz.pools)
    }
    assert moved  # a new secret gives someone another version
    assert moved <= changed


# -- a pool of discrepancy types -----------------------------------------------------------


def test_every_form_of_the_discrepancy_type_item_accepts_every_defensible_type() -> None:
    """The discrepancies quiz's banked Q4: each form's key is its discrepancy's preferred type
    in the knowledge base, every type the knowledge base accepts scores full marks and no other
    does; form 0 is the fixed question; no form asks about a discrepancy another item uses."""
    from homs import knowledge

    kb = knowledge.load()
    quiz = load_quiz("discrepancies")
    assert banks.check_pools(quiz) == []
    pool = quiz.pools["q4_death_toll_type"]
    assert "population" not in pool["from"]  # q2 and q7 ask about the population
    fixed = quiz.item("q4_death_toll_type")
    for seed in (b"a", b"b", b"c"):
        found = banks.forms(quiz, "q4_death_toll_type", seed)
        assert found[0].key == {"discrepancy-type": "siege-toll-attribution"}
        assert (
            banks.apply(quiz, {"q4_death_toll_type": found[0]}).item("q4_death_toll_type") == fixed
        )
        for form in found:
            item = banks.apply(quiz, {"q4_death_toll_type": form}).item("q4_death_toll_type")
            d = kb.discrepancy(form.key["discrepancy-type"])
            assert item.key == d.type
            assert item.form is not None
            assert item.form.options == fixed.form.options
            full = {t for t in item.form.options if item.checks.points(t, 1) == 1}
            assert full == set(d.accepted_types)
            assert len(full) == 2  # the band: one other defensible type, as the fixed key
            assert item.explanation
            if form.form:
                assert d.topic in item.question
                assert "{" not in item.question


def test_a_damaged_release_record_is_named_with_what_to_do(tmp_path: Path) -> None:
    """A truncated .homs/variants/<quiz>.json gets a message naming the file and the fix."""
    path = tmp_path / variants.RECORDS / "timeline.json"
    path.parent.mkdir(parents=True)
    path.write_text('{"quiz": "timeline", "stud', "utf-8")
    with pytest.raises(variants.GradingError, match=r"timeline\.json.*damaged.*homs release"):
        variants.release_record(tmp_path, "timeline")


# -- the timeline pools: what a careful reader checks (issue 16) ---------------------------


def _asked_events(key: Any) -> set[str]:
    """The events a key entry asks about (an order item's six are not 'asked' one by one)."""
    ((rule, arg),) = dict(key).items()
    if rule == "date":
        return {arg["event"]}
    if rule == "year":
        return {arg}
    if rule in ("days-between", "years-between"):
        return set(arg)
    if rule == "reported-by":
        return {arg}
    return set()


def test_no_date_or_year_form_has_a_year_only_context_gives() -> None:
    """Every event a date or year pool draws has its year printed in the three texts (the
    2024 events, whose year only context gives, are not drawn), and its explanation does not
    lean on context for it."""
    from homs import knowledge, sources

    kb = knowledge.load()
    texts = " ".join(s.text for src in sources.load().values() for s in src)
    quiz = load_quiz("timeline")
    drawn = [
        (item_id, e)
        for item_id, pool in quiz.pools.items()
        if pool["draw"] in ("date", "year")
        for e in pool["from"]
    ]
    assert drawn
    for item_id, event_id in drawn:
        event = kb.event(event_id)
        assert str(event.date.start.year) in texts, (item_id, event_id)
        assert "context" not in (event.reasoning or ""), (item_id, event_id)


def test_no_drawn_form_asks_an_event_another_item_asks() -> None:
    """For many seeds, a drawn form of a date or year item asks about no event that another
    item of the quiz asks about, in its fixed form or in any drawn form."""
    quiz = load_quiz("timeline")
    for n in range(12):
        drawn = {i: banks.forms(quiz, i, str(n).encode()) for i in quiz.pools}
        for item_id, found in drawn.items():
            others: set[str] = set()
            for other in quiz.items:
                if other.id == item_id:
                    continue
                keys = [v.key for v in drawn.get(other.id, ())] or [quiz.entries[other.id]["key"]]
                for key in keys:
                    others |= _asked_events(key)
            for form in found[1:]:
                assert not _asked_events(form.key) & others, (n, item_id, form.key)


def test_pool_questions_read_as_sentences_and_spell_counts_as_words() -> None:
    """No drawn question glues an event's title into a sentence ("happen: <title>?"), and a
    count is a word ("six events"), as in the fixed question."""
    quiz = load_quiz("timeline")
    for n in range(12):
        for item_id in quiz.pools:
            for form in banks.forms(quiz, item_id, str(n).encode())[1:]:
                assert not re.search(r"happen: [A-Z]", form.question), form.question
                assert not re.search(r"event: [A-Z][^.?]*\?", form.question), form.question
                assert not re.search(r"\b\d+ events\b", form.question), form.question
