"""Tests for homs.grading.authoring.spec: keys come from the knowledge base; bad specs are
explained."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from homs import grading, knowledge, sources
from homs.errors import DataError


def test_every_quiz_loads_with_keys_for_its_autograded_items(
    quizzes: dict[str, grading.Quiz],
) -> None:
    """The three quizzes load, every autograded item has a key and written ones a rubric."""
    assert set(quizzes) == {"timeline", "discrepancies", "sourcing"}
    for quiz in quizzes.values():
        assert [i.number for i in quiz.items] == list(range(1, len(quiz.items) + 1))
        for item in quiz.items:
            assert (item.key is None) == item.written
            assert item.cites, item.id
            assert item.explanation or item.written


def test_timeline_keys_agree_with_the_knowledge_base(timeline: grading.Quiz) -> None:
    """Timeline keys match the KB's timeline, event dates and reporting sources."""
    kb = knowledge.load()
    order = timeline.item("q1_order")
    assert order.key == [e.id for e in kb.timeline() if e.id in order.form.options]
    assert timeline.item("q2_colvin_date").key == kb.event("colvin-ochlik-killed").date.text
    assert timeline.item("q3_amos_year").key == kb.event("amos-visit").date.start.year
    assert (
        timeline.item("q6_days_to_amos").key
        == (kb.event("amos-visit").date.start - kb.event("colvin-speaks-to-bbc").date.start).days
    )
    assert timeline.item("q7_siege_sources").key == list(kb.event("siege-old-city").sources)
    assert timeline.item("q8_killing_sources").key == list(kb.event("colvin-ochlik-killed").sources)


def test_siege_length_agrees_with_what_the_sources_say(timeline: grading.Quiz) -> None:
    """The siege length computed from the dates is the "two years" Sources B and C state."""
    assert timeline.item("q4_siege_length").key == 2
    for sid in ("B-14", "C-29"):
        assert "lasted two years" in sources.sentence(sid).text


def test_discrepancy_keys_agree_with_the_knowledge_base(quizzes: dict[str, grading.Quiz]) -> None:
    """Claims are quoted from the sentences of their sources; types are the KB's types."""
    kb = knowledge.load()
    quiz = quizzes["discrepancies"]
    claims = quiz.item("q1_claims")
    for (_, quoted), letter, sid in zip(claims.table[1:], claims.key, claims.cites, strict=True):
        assert sid.startswith(letter + "-")
        assert quoted.strip("“”") in sources.sentence(sid).text
    assert quiz.item("q3_bombardment_type").key == kb.discrepancy("bombardment-denied").type
    assert quiz.item("q4_death_toll_type").key == kb.discrepancy("siege-toll-attribution").type
    assert quiz.item("q6_waer_reuse").key in {
        v.citation.sentence for v in kb.discrepancy("waer-wording").versions if v.citation
    }
    values = {v.source: v.value for v in kb.discrepancy("population").versions}
    odd = quiz.item("q2_population_odd_one_out").key
    assert all(values[odd] != values[other] for other in "ABC" if other != odd)


def test_sourcing_keys_agree_with_the_catalog_and_texts(quizzes: dict[str, grading.Quiz]) -> None:
    """Dating keys come from the catalog and the texts; voice keys from voices.yaml."""
    quiz = quizzes["sourcing"]
    catalog_a = sources.get("A").catalog["published"]
    assert quiz.item("q1_a_earliest_date").key == catalog_a["date"].split("/")[0]
    assert quiz.item("q2_a_latest_sentence").key in {e["sentence"] for e in catalog_a["evidence"]}
    latest = quiz.item("q3_b_latest_year").key
    assert str(latest) in sources.sentence(quiz.item("q3_b_latest_year").cites[0]).text
    assert all(int(y) <= latest for y in re.findall(r"\b(?:19|20)\d\d\b", sources.get("B").reading))
    kb = knowledge.load()
    for voice_id in quiz.item("q4_quoted_in_a").key:
        assert any(
            a.mode == "quoted" and a.citation.source == "A" for a in kb.voice(voice_id).appearances
        )
    genres = quiz.item("q6_genres")
    for (_, genre), letter in zip(genres.table[1:], genres.key, strict=True):
        assert sources.get(letter).catalog["genre"]["value"] == genre


# -- bad specs ------------------------------------------------------------------------------------

GOOD_ITEM = {
    "id": "q1_years",
    "title": "Years",
    "question": "How many years?",
    "key": {"years-between": ["colvin-ochlik-killed", "us-court-colvin"]},
}


def write_spec(folder: Path, items: list[dict[str, object]], name: str = "demo") -> Path:
    """Writes a spec named ``name`` with these items into ``folder``."""
    folder.mkdir(exist_ok=True)
    path = folder / f"{name}.yaml"
    path.write_text(
        yaml.safe_dump({"quiz": name, "title": "Demo", "intro": "A demo.", "items": items}), "utf-8"
    )
    return path


def problems(folder: Path, name: str = "demo") -> list[str]:
    """The problems loading a spec reports, as text."""
    with pytest.raises(DataError) as info:
        grading.load_quiz(name, folder=folder)
    return [str(p) for p in info.value.problems]


def test_a_good_spec_in_another_folder_loads(tmp_path: Path) -> None:
    """A teacher's own spec in another folder loads with its key from the KB."""
    write_spec(tmp_path, [GOOD_ITEM])
    quiz = grading.load_quiz("demo", folder=tmp_path)
    assert quiz.item("q1_years").key == 7


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        ({**GOOD_ITEM, "key": {"year": "no-such-event"}}, "no event 'no-such-event'"),
        (
            {**GOOD_ITEM, "key": {"order": ["amos-visit", "red-cross-homs", "coup-1963"]}},
            "overlap in date",
        ),
        (
            {**GOOD_ITEM, "key": {"order": ["coup-1963", "hama-1982", "amos-visit"]}},
            "in date order already",
        ),
        (
            {**GOOD_ITEM, "key": {"date": {"event": "old-city-evacuation", "precision": "day"}}},
            "not to the day",
        ),
        (
            {**GOOD_ITEM, "key": {"days-between": ["coup-1963", "amos-visit"]}},
            "not dated to the day",
        ),
        ({**GOOD_ITEM, "key": {"years-between": ["us-court-colvin", "coup-1963"]}}, "comes before"),
        (
            {**GOOD_ITEM, "key": {"reuses": {"discrepancy": "population", "source": "C"}}},
            "not a dependence",
        ),
        ({**GOOD_ITEM, "key": {"odd-one-out": "siege-food"}}, "one source whose `value` differs"),
        ({**GOOD_ITEM, "key": {"discrepancy-type": "nope"}}, "no discrepancy 'nope'"),
        (
            {
                **GOOD_ITEM,
                "key": {"quoted": {"source": "A", "voices": ["rime-allaf", "peter-harling"]}},
            },
            "Mix voices",
        ),
        (
            {**GOOD_ITEM, "points": 4, "key": {"order": ["amos-visit", "coup-1963", "hama-1982"]}},
            "scores 0 to 2",
        ),
        ({**GOOD_ITEM, "id": "q2_years"}, "must start with q1_"),
    ],
    ids=[
        "unknown-event",
        "overlap",
        "unscrambled",
        "precision",
        "days-not-day",
        "reversed",
        "not-dependence",
        "no-odd-one",
        "unknown-discrepancy",
        "all-quoted",
        "points",
        "misnumbered",
    ],
)
def test_bad_items_are_reported_with_file_item_and_fix(
    tmp_path: Path, item: dict[str, object], expected: str
) -> None:
    """A spec whose key cannot be worked out names the file, the item and what to do."""
    write_spec(tmp_path, [item])
    found = problems(tmp_path)
    assert len(found) == 1
    assert "demo.yaml" in found[0]
    assert f"item {item['id']!r}" in found[0]
    assert expected in found[0]


def test_schema_errors_and_unknown_quizzes_are_reported(tmp_path: Path) -> None:
    """Schema errors list every problem; an unknown quiz name lists the known ones."""
    write_spec(
        tmp_path,
        [
            {"id": "q1_x", "title": "X", "question": "?", "key": {"nope": 1}},
            {"id": "bad id", "title": "Y", "question": "?", "key": {"year": "x"}},
        ],
    )
    found = problems(tmp_path)
    assert len(found) >= 2
    assert all("quiz.schema.json" in p for p in found)
    assert "Use one of: demo" in problems(tmp_path, "other")[0]


def test_written_items_must_have_three_levels(tmp_path: Path) -> None:
    """A written item without all three rubric levels is refused by the schema."""
    level = {"descriptor": "d", "sample": "s", "annotation": "a"}
    write_spec(
        tmp_path,
        [
            {
                "id": "q1_essay",
                "title": "Essay",
                "question": "Why?",
                "rubric": {"proficient": level, "emergent": level},
            }
        ],
    )
    assert any("basic" in p for p in problems(tmp_path))


def test_written_samples_quote_the_sources_verbatim(quizzes: dict[str, grading.Quiz]) -> None:
    """Quotes in rubric samples and annotations are word for word from the sources."""
    readings = [s.reading for s in sources.load().values()]
    for quiz in quizzes.values():
        for item in (i for i in quiz.items if i.written):
            for level in item.rubric:
                for quote in re.findall(r"“([^”]+)”", level.sample + level.annotation):
                    assert any(quote in r for r in readings), (item.id, quote)


def test_importing_grading_is_light() -> None:
    """Importing homs.grading and loading the quizzes loads no nbgrader, matplotlib, widgets,
    IPython or Jupyter client (``homs practice`` and the quiz specs need none of them)."""
    import subprocess
    import sys

    code = (
        "import sys, homs.grading as g; [g.load_quiz(n) for n in g.quiz_names()]; "
        "print(','.join(m for m in ('nbgrader', 'matplotlib', 'ipywidgets', 'IPython', "
        "'jupyter_client', 'zmq') "
        "if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def _depth(text: str) -> int:
    """How deep brackets nest in a text."""
    depth = deepest = 0
    for ch in text:
        depth += {"(": 1, ")": -1}.get(ch, 0)
        deepest = max(deepest, depth)
    return deepest


def test_explanations_stand_on_their_own(quizzes: dict[str, grading.Quiz]) -> None:
    """No explanation sends the student to another point by its title (the quiz notebook shows
    no such titles), and none nests brackets inside brackets."""
    for name, quiz in quizzes.items():
        for item in quiz.items:
            text = item.explanation or ""
            assert not re.search(r"\bsee (the )?point\b", text, re.I), (name, item.id, text)
            assert _depth(text) <= 1, (name, item.id, text)
    for point in knowledge.load().discrepancies:
        assert not re.search(r"\bsee (the )?point\b", point.explanation, re.I), point.id


@pytest.mark.parametrize(
    ("name", "after_a_verb"),
    [
        ("A US court", "a US court"),
        ("Unnamed reports from inside Homs", "unnamed reports from inside Homs"),
        ("The Syrian government", "the Syrian government"),
        ("Syrian state television", "the Syrian state television"),
        ("Rime Allaf", "Rime Allaf"),
    ],
)
def test_a_voice_named_after_a_verb_reads_as_a_sentence(name: str, after_a_verb: str) -> None:
    """Explanations say "quotes a US court", never "quotes A US court"."""
    from homs.grading.authoring.spec import _the

    assert _the(name) == after_a_verb
