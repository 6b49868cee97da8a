"""Tests for homs.grading.authoring.checks and .kinds: form checks, strict types, partial
credit."""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from homs import grading

# -- helpers ------------------------------------------------------------------------------------


def run_cell(item: grading.Item, value: Any) -> tuple[float, str | None]:
    """Runs an item's rendered test cell (hidden tests included) as nbgrader would score it."""
    source = item.checks.cell_source()
    namespace: dict[str, Any] = {item.variable: value}
    lines = [line for line in source.splitlines() if "HIDDEN TESTS" not in line]
    try:
        if item.checks.partial:
            exec("\n".join(lines[:-1]), namespace)
            return float(eval(lines[-1], namespace)), None
        exec("\n".join(lines), namespace)
    except AssertionError as err:
        return 0.0, str(err)
    except Exception as err:  # an error output scores zero in nbgrader too
        return 0.0, f"{type(err).__name__}: {err}"
    return float(item.points), None


def run_visible(item: grading.Item, value: Any) -> str | None:
    """Runs the released (visible) part of the test cell; returns its assertion message."""
    namespace: dict[str, Any] = {item.variable: value}
    try:
        exec(item.checks.visible_source(), namespace)
    except AssertionError as err:
        return str(err)
    return None


def brute_force_order_score(answer: list[str], key: list[str]) -> int:
    """The score of the longest correctly ordered subsequence (found by trying every
    subsequence): nothing up to half the list, then up to n - 1 for the whole list."""
    position = {x: i for i, x in enumerate(key)}
    n, half = len(key), (len(key) + 1) // 2
    for size in range(len(answer), 0, -1):
        for chosen in itertools.combinations(answer, size):
            ranks = [position[x] for x in chosen]
            if ranks == sorted(ranks):
                return max(0, round((n - 1) * (size - half) / (n - half)))
    return 0


class AlwaysEqualInt(int):
    """An int that claims to equal everything."""

    def __eq__(self, other: object) -> bool:
        return True

    __hash__ = int.__hash__


class AlwaysEqual:
    """An object that claims to equal everything."""

    def __eq__(self, other: object) -> bool:
        return True

    __hash__ = object.__hash__


class MyStr(str):
    """A subclass of str."""


class MyList(list):  # type: ignore[type-arg]
    """A subclass of list."""


# -- partial credit -----------------------------------------------------------------------------


def test_order_scores_the_longest_ordered_run(timeline: grading.Quiz) -> None:
    """The order item scores from the longest correctly ordered subsequence, 0 to 5: nothing for
    a run of half the list or less, 2 for 4 in order, 3 for 5, 5 for all six."""
    item = timeline.item("q1_order")
    key = list(item.key)
    assert grading.grade_answer(item, key) == (5.0, None)
    assert grading.grade_answer(item, key[::-1]) == (0.0, None)
    swapped = [key[1], key[0], *key[2:]]
    assert grading.grade_answer(item, swapped) == (3.0, None)
    last_first = [key[-1], *key[:-1]]
    assert grading.grade_answer(item, last_first) == (3.0, None)
    pairs_swapped = [key[1], key[0], key[3], key[2], key[5], key[4]]
    assert grading.grade_answer(item, pairs_swapped) == (0.0, None)


def test_order_partial_credit_starts_above_chance(timeline: grading.Quiz) -> None:
    """Over every order of the six events, a random answer averages well under a point, and
    the order the question lists the events in earns nothing."""
    item = timeline.item("q1_order")
    key = list(item.key)
    total = sum(grading.grade_answer(item, list(p))[0] for p in itertools.permutations(key))
    assert total / 720 < 1.0
    listed = [row[0].strip("`") for row in item.table[1:]]
    assert sorted(listed) == sorted(key)
    assert grading.grade_answer(item, listed) == (0.0, None)


@settings(max_examples=200, deadline=None)
@given(st.permutations(list(range(6))))
def test_order_score_matches_brute_force(order: list[int]) -> None:
    """For every order of the six events, the score is the brute-force one."""
    item = grading.load_quiz("timeline").item("q1_order")
    answer = [item.key[i] for i in order]
    points, problem = grading.grade_answer(item, answer)
    assert problem is None
    assert points == brute_force_order_score(answer, list(item.key))


def test_match_gives_a_point_per_statement(quizzes: dict[str, grading.Quiz]) -> None:
    """The claims item gives one point for each statement matched to the right source."""
    item = quizzes["discrepancies"].item("q1_claims")
    key = list(item.key)
    assert grading.grade_answer(item, key)[0] == item.points == len(key)
    one_wrong = ["A" if key[0] != "A" else "B", *key[1:]]
    assert grading.grade_answer(item, one_wrong)[0] == len(key) - 1


def test_all_or_nothing_items_score_full_or_zero(quizzes: dict[str, grading.Quiz]) -> None:
    """Items without partial credit give all their points for the key and none otherwise."""
    item = quizzes["timeline"].item("q4_siege_length")
    assert grading.grade_answer(item, item.key) == (1.0, None)
    assert grading.grade_answer(item, item.key + 1) == (0.0, None)


def test_subsets_ignore_order(quizzes: dict[str, grading.Quiz]) -> None:
    """A list of sources is right in any order, and wrong with one missing."""
    item = quizzes["timeline"].item("q7_siege_sources")
    assert grading.grade_answer(item, list(reversed(item.key)))[0] == 1.0
    assert grading.grade_answer(item, item.key[:1])[0] == 0.0


# -- strict types -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("item_id", "make"),
    [
        ("q4_siege_length", lambda key: AlwaysEqualInt(key)),
        ("q4_siege_length", lambda key: AlwaysEqual()),
        ("q4_siege_length", lambda key: np.int64(key)),
        ("q4_siege_length", lambda key: True if key == 1 else key == key),
        ("q2_colvin_date", lambda key: MyStr(key)),
        ("q2_colvin_date", lambda key: np.str_(key)),
        ("q7_siege_sources", lambda key: MyList(key)),
        ("q7_siege_sources", lambda key: [MyStr(x) for x in key]),
        ("q1_order", lambda key: MyList(key)),
        ("q1_order", lambda key: [AlwaysEqual() for _ in key]),
        ("q3_amos_year", lambda key: AlwaysEqualInt(0)),
    ],
    ids=[
        "int-eq-all",
        "object-eq-all",
        "numpy-int",
        "bool",
        "str-subclass",
        "numpy-str",
        "list-subclass",
        "str-subclass-items",
        "order-list-subclass",
        "order-eq-all-items",
        "year-eq-all",
    ],
)
def test_lookalike_answers_never_pass(timeline: grading.Quiz, item_id: str, make: Any) -> None:
    """Subclasses, numpy scalars and objects that equal everything score zero, in and out."""
    item = timeline.item(item_id)
    value = make(item.key)
    points, problem = grading.grade_answer(item, value)
    assert points == 0.0
    assert problem is not None
    assert run_cell(item, value)[0] == 0.0


def test_form_messages_say_what_is_wrong(timeline: grading.Quiz) -> None:
    """Form checks name the item and say plainly, in one sentence, what to write."""
    years = timeline.item("q4_siege_length")
    assert years.checks.form_problem(...) == (
        "Q4: not answered yet: replace the three dots (...) with your answer, then run the answer "
        "cell and this cell."
    )
    assert years.checks.form_problem("two") == (
        "Q4: write a whole number with digits, without quotes, like 10."
    )
    order = timeline.item("q1_order")
    assert order.checks.form_problem(["amos-visit", "nowhere"]) == (
        "Q1: 'nowhere' is not an event id listed in the question."
    )
    assert order.checks.form_problem(["amos-visit"] * 6) == (
        "Q1: list each of the 6 event ids exactly once (your list has 6 entries, 1 of them "
        "different)."
    )
    date = timeline.item("q2_colvin_date")
    assert date.checks.form_problem("22/02/2012") == (
        'Q2: write the date like "1999-12-31" or "31 December 1999", with the year in four '
        "digits (your answer is '22/02/2012')."
    )
    assert date.checks.form_problem(2012) == (
        'Q2: your answer should be a date in quotes, like "1999-12-31".'
    )
    # a date that does not exist: the day is checked, and no key is given away
    assert date.checks.form_problem("2012-02-30") == (
        "Q2: February 2012 has no day 30: check the day."
    )
    assert date.checks.form_problem("30 February 2012") == (
        "Q2: February 2012 has no day 30: check the day."
    )
    assert date.checks.form_problem("2011-04-31") == "Q2: April 2011 has no day 31: check the day."
    assert date.checks.form_problem("2012-02-00") == (
        "Q2: February 2012 has no day 0: check the day."
    )
    assert date.checks.form_problem("2012-02-29") is None  # a leap year
    assert date.checks.form_problem("2011-02-29") == (
        "Q2: February 2011 has no day 29: check the day."
    )


def test_form_checks_never_reveal_the_key(quizzes: dict[str, grading.Quiz]) -> None:
    """A wrong answer of the right form passes the visible checks: only hidden tests judge it."""
    item = quizzes["timeline"].item("q4_siege_length")
    assert run_visible(item, item.key + 3) is None
    assert run_cell(item, item.key + 3)[0] == 0.0


# -- the rendered cell and the out-of-process grader agree --------------------------------------

answers = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-5, 3000),
        st.floats(allow_nan=False),
        st.text(max_size=12),
        st.sampled_from(
            ["A", "B", "C", "2012-02-22", "2012", "contradiction", "C-31", "amos-visit"]
        ),
    ),
    lambda inner: st.lists(inner, max_size=7) | st.tuples(inner, inner),
    max_leaves=10,
)


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_rendered_cells_agree_with_grade_answer(data: st.DataObject) -> None:
    """Executing a test cell's code gives the same points and message as grade_answer."""
    quiz = grading.load_quiz(data.draw(st.sampled_from(grading.quiz_names())))
    item = data.draw(st.sampled_from([i for i in quiz.items if not i.written]))
    value = data.draw(
        st.one_of(
            answers,
            st.just(item.key),
            st.just(...),
            st.permutations(item.key) if isinstance(item.key, list) else st.just(item.key),
        )
    )
    points, problem = grading.grade_answer(item, value)
    cell_points, cell_message = run_cell(item, value)
    assert cell_points == points
    if problem is not None:
        assert cell_message == problem
        assert run_visible(item, value) == problem


def test_examples_show_the_form_but_are_never_the_key(quizzes: dict[str, grading.Quiz]) -> None:
    """Every item's example is a literal of the right kind that is not the answer."""
    for quiz in quizzes.values():
        for item in quiz.items:
            if item.written:
                continue
            example = item.form.example(item.key)
            assert example != grading.literal(item.key), item.id
            if item.form.kind not in ("order", "match"):  # those examples end in ", ...]"
                import ast

                value = ast.literal_eval(example)
                assert grading.grade_answer(item, value) == (0.0, None), item.id


def test_literal_writes_double_quoted_python() -> None:
    """Keys are written as Python literals with double quotes; other values are refused."""
    assert grading.literal(["A", "B-14"]) == '["A", "B-14"]'
    assert grading.literal(2) == "2"
    with pytest.raises(TypeError):
        grading.literal(True)
    with pytest.raises(TypeError):
        grading.literal(2.5)


def test_an_answer_cell_that_did_not_run_is_named(timeline: grading.Quiz) -> None:
    """If the answer variable does not exist, the test cell says to run the answer cell."""
    item = timeline.item("q4_siege_length")
    namespace: dict[str, Any] = {}
    with pytest.raises(
        AssertionError,
        match=r"Q4: there is no answer yet: run the answer cell above, then this cell",
    ):
        exec(item.checks.visible_source(), namespace)


def test_an_answer_cell_python_could_not_read_says_how_to_write_it(
    timeline: grading.Quiz,
) -> None:
    """A date typed without quotes (a SyntaxError in the answer cell, which the kernel's In
    still holds) is named, with the date in quotes, in the kernel and out of it."""
    item = timeline.item("q2_colvin_date")
    typed = "answer_q2_colvin_date = (\n    22 February 2012  # YOUR ANSWER HERE\n)"
    want = 'Q2: Python could not read your answer: put the date in quotes, like "22 February 2012".'
    namespace: dict[str, Any] = {"In": ["", typed]}
    with pytest.raises(AssertionError) as raised:
        exec(item.checks.visible_source(), namespace)
    assert str(raised.value) == want
    assert raised.value._render_traceback_() == [want]  # IPython shows only this line
    assert item.checks.missing_message(typed) == want
    order = timeline.item("q7_siege_sources")
    assert order.checks.missing_message("answer_q7_siege_sources = [B, C]").endswith(
        'put each source letter in quotes, inside square brackets, like ["B", "C"].'
    )


# -- what Validate says -------------------------------------------------------------------------


def _typical_wrong_forms(item: grading.Item) -> list[Any]:
    """Wrong forms a student typically writes for an item of each kind."""
    kind = item.form.kind
    common: list[Any] = [..., NotImplemented, None, 3.5]
    if kind in ("order", "match", "subset"):
        return [*common, item.key[0], [1, 2], ["nowhere"], [], "B, C"]
    if kind in ("choice", "sentence"):
        return [*common, "nowhere", ["A"], 7]
    if kind == "int":
        return [*common, "two", -3, [2]]
    return [*common, "22/02/2012", 2012, "sometime", "2012-13-01"]


def test_each_validate_message_is_one_short_plain_sentence(
    quizzes: dict[str, grading.Quiz],
) -> None:
    """On typical wrong forms, every item's test cell says one sentence under 200 characters
    that names the question, with no traceback, no assert and no Python type names."""
    for quiz in quizzes.values():
        for item in quiz.items:
            if item.written:
                continue
            for value in _typical_wrong_forms(item):
                namespace: dict[str, Any] = {}
                if value is not NotImplemented:
                    namespace[item.variable] = value
                with pytest.raises(AssertionError) as raised:
                    exec(item.checks.visible_source(), namespace)
                message = str(raised.value)
                where = f"{quiz.id} {item.id} = {value!r}: {message}"
                assert raised.value._render_traceback_() == [message], where
                assert message.startswith(f"{item.label}: "), where
                assert len(message) < 200, where
                assert message.endswith("."), where
                outside_quotes = "".join(message.split('"')[0::2])
                assert ". " not in outside_quotes.replace("...", ""), where  # one sentence
                for word in ("Traceback", "assert", "your answer is a str", " tuple", " NoneType"):
                    assert word not in message, where


def test_a_well_formed_answer_is_confirmed(
    quizzes: dict[str, grading.Quiz], capsys: pytest.CaptureFixture[str]
) -> None:
    """A well-formed answer (right or wrong) makes the visible test cell print that it is
    recorded, and nothing that tells whether it is right."""
    for quiz in quizzes.values():
        for item in quiz.items:
            if item.written:
                continue
            exec(item.checks.visible_source(), {item.variable: item.key})
            right = capsys.readouterr().out
            assert right == f"{item.label}: answer recorded, checked when marked.\n"
            example = __import__("ast").literal_eval(
                item.form.example(item.key).replace(", ...]", "]")
            )
            namespace: dict[str, Any] = {item.variable: example}
            try:
                exec(item.checks.visible_source(), namespace)
            except AssertionError:
                continue  # an example of an order or match item is too short to pass
            assert capsys.readouterr().out == right, item.id


# -- homs_checks: what the kernel imports ---------------------------------------------------------


def test_homs_checks_holds_no_key_and_imports_no_homs(quizzes: dict[str, grading.Quiz]) -> None:
    """homs_checks, which the grading sandbox leaves readable, imports only the standard
    library, reads no file, and holds no key of any quiz."""
    import ast
    import sys
    from pathlib import Path

    import homs_checks

    folder = Path(homs_checks.__file__).parent
    files = sorted(folder.rglob("*"))
    assert [f.name for f in files if f.suffix != ".pyc" and f.name != "__pycache__"] == [
        "__init__.py"
    ]
    text = (folder / "__init__.py").read_text("utf-8")
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.Import | ast.ImportFrom):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module]
            for name in names:
                assert name.split(".")[0] in sys.stdlib_module_names | {"__future__"}, name
    for word in ("open(", "importlib", "read_text", "yaml", "json.load"):
        assert word not in text, word
    for quiz in quizzes.values():
        for item in quiz.items:
            key = "" if item.written else grading.literal(item.key)
            if len(key) > 4:  # a letter or a number is in any text; an id, a date or a list not
                assert key not in text, (quiz.id, item.id)


def test_check_reads_the_callers_globals(
    timeline: grading.Quiz, capsys: pytest.CaptureFixture[str]
) -> None:
    """homs_checks.check, given the answer's name, finds it where the test cell runs, returns it
    normalised, and confirms it; an unknown name is 'no answer yet'."""
    import homs_checks

    item = timeline.item("q7_siege_sources")
    options = dict(item.checks.arguments)["options"]

    def cell(namespace: dict[str, Any]) -> Any:
        code = f"_a = check('Q7', {item.variable!r}, kind='subset', options={options!r})"
        exec(code, {"check": homs_checks.check, **namespace}, namespace)
        return namespace["_a"]

    assert cell({item.variable: ("c", " b")}) == ["C", "B"]
    assert capsys.readouterr().out == "Q7: answer recorded, checked when marked.\n"
    with pytest.raises(homs_checks.Problem, match="Q7: there is no answer yet"):
        homs_checks.check("Q7", "answer_that_does_not_exist", kind="subset", options=options)
