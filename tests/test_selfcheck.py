"""Self-check questions: answers from the knowledge base, state and feedback without a browser."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest
from markupsafe import escape

from homs import knowledge, selfcheck, sources
from homs.knowledge import KnowledgeBase
from homs.selfcheck import Question

_DISCREPANCIES = """
    discrepancies:
      - id: population
        topic: Population of Homs
        type: contradiction
        versions:
          - sentence: A-13
            quote: home to about 1.5 million people
            says: about 1.5 million people
            value: 1500000
          - sentence: B-8
            quote: Prior to the conflict the city's population was estimated at 800,000.
            says: an estimated 800,000 before the conflict
            value: 800000
          - source: C
            silent: true
            says: says nothing
        explanation: The figures may count different areas <or> times.
        context: Outside the texts, estimates vary.
      - id: spelling
        topic: Spelling of the rebel army
        type: different-detail
        versions:
          - sentence: A-28
            quote: Free Syrian Army
            says: Free Syrian Army
          - sentence: A-28
            quote: Free Syria Army
            says: Free Syria Army
        explanation: A caption and the body text.
"""


@pytest.fixture
def kb_with_discrepancies(tmp_path: Path) -> KnowledgeBase:
    """The packaged knowledge base with two known discrepancies in place of the real ones."""
    for name in knowledge.FILES.values():
        shutil.copy(knowledge.data_dir() / name, tmp_path / name)
    (tmp_path / "discrepancies.yaml").write_text(textwrap.dedent(_DISCREPANCIES), "utf-8")
    return knowledge.load(tmp_path)


def _assert_cites_verbatim(q: Question, html: str) -> None:
    assert q.citations
    for c in q.citations:
        assert sources.cite(c.sentence, c.quote) == c
        assert escape(c.sentence) in html
        assert escape(c.quote) in html


def test_order_events_follows_the_dates() -> None:
    """The answer to an ordering question is the events in date order."""
    ids = ["old-city-evacuation", "clock-tower-square", "colvin-ochlik-killed", "coup-1963"]
    q = selfcheck.order_events(ids)
    kb = knowledge.load()
    assert list(q.answer) == sorted(ids, key=lambda e: kb.event(e).date.start)
    assert q.value != q.answer  # it does not start solved
    assert sorted(q.value) == sorted(ids)


def test_ordering_feedback_counts_and_cites() -> None:
    """A wrong order says how many are in place; the right one is confirmed with quotes."""
    q = selfcheck.order_events(["colvin-ochlik-killed", "clock-tower-square"])
    q.value = tuple(reversed(q.answer))
    assert q.check() is False
    assert q.correct is False
    assert "0 of 2 are in the right place." in q.feedback.value
    assert "<details><summary>Show the answer and why</summary>" in q.feedback.value
    q.value = q.answer
    assert q.check() is True
    assert q.correct is True
    assert "Correct." in q.feedback.value
    assert "April 2011: Protesters fired on in Clock Tower Square (A-2)." in q.feedback.value
    _assert_cites_verbatim(q, q.feedback.value)


def test_ordering_moves_items() -> None:
    """Moving the first item down puts it second; a move past the ends stops there. (The Up
    and Down buttons, in the browser, are tested in tests/book/.)"""
    q = selfcheck.order_events(["coup-1963", "hama-1982", "us-court-colvin"])
    first = q.value[0]
    q.move(first, 1)
    assert q.value[1] == first
    assert q.answer_state == list(q.value)  # what the browser draws
    q.move(first, -5)
    assert q.value[0] == first


def test_overlapping_events_are_refused() -> None:
    """Events whose dates overlap cannot be put in order, and the message says why."""
    with pytest.raises(ValueError, match="overlap in time"):
        selfcheck.order_events(["protests-spread-to-homs", "clock-tower-square"])
    with pytest.raises(ValueError, match="two or more different"):
        selfcheck.order_events(["coup-1963"])
    with pytest.raises(KeyError, match="no event 'no-such-event'"):
        selfcheck.order_events(["coup-1963", "no-such-event"])


def test_which_sources() -> None:
    """The sources that report an event are the answer; a partial answer is not enough."""
    q = selfcheck.which_sources("colvin-ochlik-killed")
    assert q.answer == knowledge.load().event("colvin-ochlik-killed").sources == ("A", "B")
    assert q.check() is False
    assert q.correct is None
    assert "Not answered yet." in q.feedback.value
    q.value = ["A"]
    assert q.check() is False
    assert "You have left 1 right option unticked." in q.feedback.value
    q.value = ["A", "B", "C"]
    assert q.check() is False
    assert "You have ticked 1 option that does not apply." in q.feedback.value
    q.value = ["A", "B"]
    assert q.check() is True
    assert "Source C does not mention it." in q.feedback.value
    _assert_cites_verbatim(q, q.feedback.value)


def test_match_claims(kb_with_discrepancies: KnowledgeBase) -> None:
    """Each version is matched to its source, silent ones included."""
    q = selfcheck.match_claims("population", kb=kb_with_discrepancies)
    assert sorted(q.answer.values()) == ["A", "B", "C"]
    assert {q.items[k]: v for k, v in q.answer.items()} == {
        "about 1.5 million people": "A",
        "an estimated 800,000 before the conflict": "B",
        "says nothing": "C",
    }
    wrong = dict.fromkeys(q.answer, "A")
    q.value = wrong
    assert q.check() is False
    assert "1 of 3 matches are right." in q.feedback.value
    q.value = q.answer
    assert q.check() is True
    assert "Context (not from the sources): Estimates vary." in q.feedback.value
    assert "&lt;or&gt;" in q.feedback.value
    _assert_cites_verbatim(q, q.feedback.value)


def test_match_claims_refuses_one_source(kb_with_discrepancies: KnowledgeBase) -> None:
    """A discrepancy within one source cannot become a matching question."""
    with pytest.raises(ValueError, match="within Source A"):
        selfcheck.match_claims("spelling", kb=kb_with_discrepancies)


def test_discrepancy_type(kb_with_discrepancies: KnowledgeBase) -> None:
    """The kind of a discrepancy is its type in the knowledge base; its quotes are shown."""
    q = selfcheck.discrepancy_type("population", kb=kb_with_discrepancies)
    assert q.answer == "contradiction"
    assert {k for k, _ in q.options} == set(knowledge.DISCREPANCY_TYPES)
    assert "home to about 1.5 million people" in q.prompt_html.value
    q.value = "omission"
    assert q.check() is False
    assert "is not the best answer" in q.feedback.value
    q.value = "contradiction"
    assert q.check() is True


def test_version_value(kb_with_discrepancies: KnowledgeBase) -> None:
    """The number a source gives is the version's value; words like million are understood."""
    q = selfcheck.version_value("population", "A", kb=kb_with_discrepancies)
    assert q.answer == 1_500_000
    for typed in ("1500000", "1,500,000", "1.5 million", " 1 500 000 "):
        q.value = typed
        assert q.check() is True, typed
    q.value = "800,000"
    assert q.check() is False
    assert "800,000 is too low." in q.feedback.value
    with pytest.raises(ValueError, match="Source C with a `value`"):
        selfcheck.version_value("population", "C", kb=kb_with_discrepancies)


def test_years_between() -> None:
    """Years between two events come from their dates in the knowledge base."""
    q = selfcheck.years_between("colvin-ochlik-killed", "us-court-colvin")
    assert q.answer == 2019 - 2012
    q.value = 7
    assert q.check() is True
    assert "2019 \u2212 2012 = 7." in q.feedback.value
    _assert_cites_verbatim(q, q.feedback.value)
    with pytest.raises(ValueError, match="across more than one year"):
        selfcheck.years_between("siege-old-city", "us-court-colvin")
    with pytest.raises(ValueError, match="give the earlier event first"):
        selfcheck.years_between("us-court-colvin", "coup-1963")


def test_numeric_tolerance_and_bad_input() -> None:
    """A number within the tolerance is right; text that is not a number is not graded."""
    q = selfcheck.numeric("How many?", 10, tolerance=1)
    q.value = "11"
    assert q.check() is True
    q.value = "12"
    assert q.check() is False
    q.value = "ten"
    assert q.check() is False
    assert q.correct is None
    assert "is not a number" in q.feedback.value
    with pytest.raises(ValueError, match="tolerance"):
        selfcheck.numeric("How many?", 10, tolerance=-1)


@pytest.mark.parametrize(
    ("source_id", "field"), [("A", "outlet"), ("C", "genre"), ("B", "audience")]
)
def test_catalog_choice(source_id: str, field: str) -> None:
    """The catalog's description of a source is the answer, with its evidence sentences."""
    q = selfcheck.catalog_choice(source_id, field)
    assert q.answer == source_id
    assert dict(q.options)[source_id] == sources.get(source_id).catalog[field]["value"]
    q.value = source_id
    assert q.check() is True
    _assert_cites_verbatim(q, q.feedback.value)


def test_catalog_choice_refuses_unknown_fields() -> None:
    """Only outlet, genre and audience can be asked."""
    with pytest.raises(ValueError, match="choose one of outlet, genre, audience"):
        selfcheck.catalog_choice("A", "sha256")


def test_publication_year() -> None:
    """The year a source was written is the catalog's most likely date, with its evidence."""
    q = selfcheck.publication_year("A")
    assert q.answer == int(str(sources.get("A").catalog["published"]["most_likely"])[:4]) == 2012
    assert "main text" in q.prompt
    q.value = "2012"
    assert q.check() is True
    assert "A-34" in q.feedback.value
    _assert_cites_verbatim(q, q.feedback.value)
    b = selfcheck.publication_year("B")
    assert "context" in b.prompt
    assert b.context


def test_feedback_is_escaped() -> None:
    """Options and explanations are escaped in the prompt and the feedback."""
    q = selfcheck.multiple_choice(
        "Pick <one>", [("a", "<b>A</b>"), ("b", "B & C")], "a", why=["Because <i>so</i>."]
    )
    q.value = "b"
    q.check()
    assert "<b>A</b>" not in q.feedback.value
    assert "&lt;b&gt;A&lt;/b&gt;" in q.feedback.value
    assert "Pick &lt;one&gt;" in q.prompt_html.value
    assert "Because &lt;i&gt;so&lt;/i&gt;." in q.feedback.value


def test_verdict_does_not_rely_on_colour() -> None:
    """The verdict is written in words and with a symbol; the feedback brings no live region of
    its own (the widget's feedback region is the one, so the verdict is read once)."""
    q = selfcheck.multiple_choice("Q?", [("a", "A"), ("b", "B")], "a")
    q.value = "a"
    q.check()
    assert "\u2713 </span>Correct." in q.feedback.value
    for live in ('role="status"', 'role="alert"', "aria-live"):
        assert live not in q.feedback.value
    q.value = "b"
    q.check()
    assert "\u2717 </span>Not yet." in q.feedback.value


def test_check_button_checks() -> None:
    """Pressing Check in the browser (with a kernel) grades the answer here too: the front end
    sends the answer, then a "check" message."""
    q = selfcheck.multiple_choice("Q?", [("a", "A"), ("b", "B")], "b")
    q.set_state({"answer_state": "b"})  # as the browser syncs it
    q._handle_custom_msg({"event": "check"}, [])
    assert q.correct is True
    assert "Correct." in q.feedback_html


@pytest.mark.parametrize(
    ("build", "words"),
    [
        (lambda: selfcheck.multiple_choice("Q?", [("a", "A"), ("b", "B")], "c"), "among"),
        (lambda: selfcheck.multiple_choice("Q?", [("a", "A")], "a"), "two or more"),
        (
            lambda: selfcheck.multiple_choice("Q?", [("a", "A"), ("b", "B")], ["a", "b"]),
            "one option",
        ),
    ],
)
def test_bad_questions_are_refused(build: object, words: str) -> None:
    """A question whose answer is not among its options is refused with a clear message."""
    with pytest.raises(ValueError, match=words):
        build()  # type: ignore[operator]


def test_bad_values_are_refused() -> None:
    """Setting a value that is not an option or not an order of the items raises."""
    q = selfcheck.order_events(["coup-1963", "hama-1982"])
    with pytest.raises(ValueError, match="is not an order"):
        q.value = ("coup-1963",)
    mc = selfcheck.which_sources("coup-1963")
    with pytest.raises(ValueError, match="are not options"):
        mc.value = ["D"]


def test_show_displays_questions_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """show() displays a question and refuses anything else."""
    shown = []
    monkeypatch.setattr(selfcheck, "display", shown.append)
    q = selfcheck.which_sources("coup-1963")
    selfcheck.show(q)
    assert shown == [q]
    with pytest.raises(TypeError, match="selfcheck question"):
        selfcheck.show("not a question")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("event_id", "groups"),
    [
        ("colvin-ochlik-killed", [("A",), ("B",)]),
        ("fsa-withdrawal-baba-amr", [("A",), ("B", "C")]),
        ("siege-old-city", [("B", "C")]),
        ("rebels-reach-homs", [("B",)]),
    ],
)
def test_witness_groups(event_id: str, groups: list[tuple[str, ...]]) -> None:
    """Sources that share wording on an event form one account; the others stand alone."""
    found, used = selfcheck.witness_groups(event_id)
    assert found == groups
    assert all(d.type == "dependence" for d in used)
    for build in (selfcheck.independent_accounts, selfcheck.independent_witnesses):
        q = build(event_id)
        assert q.answer == len(groups)
        q.value = str(len(groups))
        assert q.check() is True
        assert q.matched == "preferred"
        _assert_cites_verbatim(q, q.feedback.value)
        html = q.prompt_html.value + q.feedback.value
        assert "witness" not in html.lower()
        assert "independent account" in html


def test_rebels_reach_homs_accepts_one_or_two_accounts() -> None:
    """Only Source B says the offensive reached Homs (B-2); Source C has the rebels closing in
    (C-4, C-10). One account is preferred; two is accepted, with the reason."""
    q = selfcheck.independent_accounts("rebels-reach-homs")
    assert q.answer == 1
    assert set(q.accepted) == {2.0}
    q.value = "2"
    assert q.check() is True
    assert q.matched == "accepted"
    feedback = q.feedback.value
    assert "Correct: an accepted answer." in feedback
    assert "\u201c2 accounts\u201d is also accepted, because counting C-4" in feedback
    assert "The preferred answer is \u201c1 account\u201d, because only B-2 reports" in feedback
    q.value = "3"
    assert q.check() is False
    assert q.matched is None
    q.value = "1"
    assert q.check() is True
    assert "Also accepted:" in q.feedback.value
    w = selfcheck.which_sources("rebels-reach-homs")
    assert w.answer == ("B",)
    w.value = ["B", "C"]
    assert w.check() is True
    assert w.matched == "accepted"
    assert "a closely related moment (C-4)" in w.feedback.value


def test_discrepancy_type_accepts_every_defensible_type() -> None:
    """Every accepted type earns full credit; the feedback says why it is accepted and which
    type is preferred, and why."""
    kb = knowledge.load()
    for d in kb.discrepancies:
        q = selfcheck.discrepancy_type(d.id)
        assert q.answer == d.type
        for t in d.accepted_types:
            q.value = t
            assert q.check() is True, (d.id, t)
        for a in d.also_types:
            q.value = a.type
            q.check()
            feedback = str(escape(a.reason))
            assert feedback in q.feedback.value, d.id
            assert "is also accepted, because" in q.feedback.value
            assert f"The preferred answer is \u201c{d.type}:" in q.feedback.value
        for t in set(knowledge.DISCREPANCY_TYPES) - set(d.accepted_types):
            q.value = t
            assert q.check() is False, (d.id, t)
    q = selfcheck.discrepancy_type("colvin-death")
    q.value = "change-over-time"
    q.check()
    assert "It is preferred because" not in q.feedback.value  # the detail says it instead
    q.value = "omission"
    q.check()
    assert "It is preferred because the difference lies in what each text leaves out" in (
        q.feedback.value
    )


def test_accepted_answers_in_each_kind_of_question() -> None:
    """Multiple choice (one or several), numeric, ordering and matching accept other answers."""
    mc = selfcheck.multiple_choice(
        "Tick",
        [("a", "A"), ("b", "B"), ("c", "C")],
        ["a", "b"],
        multiple=True,
        accepted={("a",): "A alone will do."},
        preferred_because="both apply.",
    )
    mc.value = ["a"]
    assert mc.check() is True
    assert "\u201cA\u201d is also accepted, because A alone will do." in mc.feedback.value
    mc.value = ["c"]
    assert mc.check() is False
    n = selfcheck.numeric("How many?", 2, accepted={3: "three is defensible."}, unit="accounts")
    n.value = "3"
    assert n.check() is True
    n.value = "4"
    assert n.check() is False
    o = selfcheck.Ordering(
        "Order", [("x", "X"), ("y", "Y")], ["x", "y"], accepted={("y", "x"): "they overlap."}
    )
    o.value = ("y", "x")
    assert o.check() is True
    m = selfcheck.Matching(
        "Match",
        [("i", "I"), ("j", "J")],
        [("A", "Source A"), ("B", "Source B")],
        {"i": "A", "j": "B"},
        accepted={("j", "A"): "A says it too."},
    )
    m.value = {"i": "A", "j": "A"}
    assert m.check() is True
    assert "\u201cJ \u2192 Source A\u201d is also accepted, because A says it too." in (
        m.feedback.value
    )
    m.value = {"i": "B", "j": "A"}
    assert m.check() is False
    assert "1 of 2 matches are right." in m.feedback.value
    with pytest.raises(ValueError, match="is the preferred answer"):
        selfcheck.multiple_choice("Q", [("a", "A"), ("b", "B")], "a", accepted={"a": "x"})
    with pytest.raises(ValueError, match="must be one option"):
        selfcheck.multiple_choice("Q", [("a", "A"), ("b", "B")], "a", accepted={"z": "x"})


def test_years_are_not_written_with_a_thousands_separator() -> None:
    """A year is 2012, never 2,012, and its feedback never says "2012 year"."""
    q = selfcheck.publication_year("A")
    q.value = "2013"
    q.check()
    assert "2013 is too late." in q.feedback.value
    assert "<b>Answer:</b> 2012</p>" in q.feedback.value
    assert "2,01" not in q.feedback.value + q.prompt_html.value
    assert "Type a year" in q.prompt_html.value
    y = selfcheck.years_between("old-city-evacuation", "waer-retaken")
    y.value = "1"
    y.check()
    assert "1 years" not in y.feedback.value


def test_evidence_answer_checklist() -> None:
    """A written answer is checked for ids, sources, attribution and shared wording."""
    q = selfcheck.evidence_answer("How long did the siege last?")
    assert q.answer is None
    q.value = "Two years."
    assert q.check() is False
    assert q.correct is None
    q.value = "The siege lasted two years (B-14, C-29, A-99)."
    assert q.check() is False
    assert "not found: A-99" in q.feedback.value
    assert "Not yet: attributes claims" in q.feedback.value
    assert "B-14 and C-29 share wording" in q.feedback.value
    assert escape(sources.sentence("C-29").text) in q.feedback.value
    q.value = (
        "Source B says the siege lasted two years (B-14); Source A says the army attacked (A-32)."
    )
    assert q.cited() == ["B-14", "A-32"]
    assert q.check() is True
    assert "Checklist complete." in q.feedback.value


_XSS = "<img src=x onerror=alert(1)>"


def test_markup_in_a_question_reaches_the_page_escaped() -> None:
    """A prompt, option, explanation or context holding an <img onerror> tag is shown as text."""
    q = selfcheck.multiple_choice(
        f"Which? {_XSS}",
        [("a", f"A {_XSS}"), ("b", "B")],
        "a",
        why=[f"Because {_XSS}"],
        context=f"Context {_XSS}",
    )
    q.value = "a"
    q.check()
    for html in (q.prompt_html.value, q.feedback.value):
        assert "<img" not in html
        assert "onerror=alert(1)&gt;" in html
    assert "Because &lt;img src=x onerror=alert(1)&gt;" in q.feedback.value
    assert "Context (not from the sources): Context &lt;img" in q.feedback.value
    assert "&amp;lt;" not in q.feedback.value  # escaped once, not twice


def test_markup_in_a_written_answer_or_ordering_item_is_escaped() -> None:
    """What a student writes, and the items of an ordering question, are escaped too."""
    q = selfcheck.evidence_answer(f"Why? {_XSS}")
    q.value = f"Source B says so (B-14, C-29) {_XSS} and more words."
    q.check()
    assert "<img" not in q.prompt_html.value + q.feedback.value
    o = selfcheck.Ordering("Order", [("x", _XSS), ("y", "Y")], ["x", "y"])
    # Items travel to the browser as text (set as text there), never as HTML.
    assert o.data["labels"]["x"] == _XSS
    o.value = ("y", "x")
    o.check()
    assert "<img" not in o.feedback.value
    assert "&lt;img src=x onerror=alert(1)&gt;" in o.feedback.value


def test_question_widgets_live_in_homs_widgets() -> None:
    """The question classes are the widgets package's, re-exported by selfcheck."""
    from homs import widgets

    for name in ("Question", "MultipleChoice", "Ordering", "Matching", "Numeric", "EvidenceAnswer"):
        assert getattr(selfcheck, name) is getattr(widgets, name)
    assert selfcheck.which_sources("coup-1963").__module__ == "homs.widgets.questions"
