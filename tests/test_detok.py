"""Tests for homs._detok: Penn-Treebank prose and its offset map."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from homs._detok import detokenize

SPECIAL = ["-LRB-", "-RRB-", "``", "''", ".", ",", ":", "?", "n't", "'s", "$", "%", "-", "--"]
WORDS = st.text(alphabet="abcXYZ19", min_size=1, max_size=6)
TOKENS = st.lists(st.one_of(st.sampled_from(SPECIAL), WORDS), min_size=1, max_size=40)
SEPARATORS = st.sampled_from([" ", " ", " ", " \n", "\n", "  "])


@st.composite
def tokenized(draw: st.DrawFn) -> str:
    tokens = draw(TOKENS)
    seps = draw(st.lists(SEPARATORS, min_size=len(tokens), max_size=len(tokens)))
    return "".join(t + s for t, s in zip(tokens, seps, strict=True))


@pytest.mark.parametrize(
    ("raw", "reading"),
    [
        ("people just do n't give up", "people just don't give up"),
        ("Homs 's resilience", "Homs's resilience"),
        ("the government 's crackdown", "the government's crackdown"),
        ("-LRB- in protests -RRB- that", "(in protests) that"),
        ("says : `` People from Homs", 'says: "People from Homs'),
        ("symbolic , '' says Rime Allaf .", 'symbolic," says Rime Allaf.'),
        ("of `` armed terrorist '' gangs", 'of "armed terrorist" gangs'),
        ("civilians '' .", 'civilians".'),
        ("a $ 302.5 million judgement", "a $302.5 million judgement"),
    ],
)
def test_treebank_rules(raw: str, reading: str) -> None:
    """Clitics, brackets, quotes and punctuation are written as prose."""
    assert detokenize(raw).reading == reading


def test_stray_closing_quote_at_line_end_opens_next_line() -> None:
    """A '' with no quote open, last on its line, opens the quote on the next line."""
    result = detokenize("handed over . '' \n-LRB- Homs -RRB- is symbolic , '' says X .\n")
    assert result.reading == 'handed over.\n"(Homs) is symbolic," says X.\n'


def test_closing_quote_mid_line_closes() -> None:
    """A '' with no quote open inside a line still closes (a pull-quote's end)."""
    assert detokenize("an underclass '' End Quote").reading == 'an underclass" End Quote'


@given(tokenized())
def test_reading_spans_round_trip(raw: str) -> None:
    """Every reading span maps to a raw span that maps back to the same reading span."""
    offsets = detokenize(raw)
    n = len(offsets.reading)
    for start in range(n):
        for end in range(start + 1, min(n, start + 12) + 1):
            assert offsets.to_reading(*offsets.to_raw(start, end)) == (start, end)


@given(tokenized())
def test_raw_tokens_round_trip(raw: str) -> None:
    """Each raw token maps to reading text and back to exactly that token."""
    offsets = detokenize(raw)
    for match in re.finditer(r"\S+", raw):
        reading = offsets.to_reading(*match.span())
        assert offsets.to_raw(*reading) == match.span()


@given(tokenized())
def test_maps_are_monotonic_and_complete(raw: str) -> None:
    """The maps cover both texts, in order, with no reading character unaccounted for."""
    offsets = detokenize(raw)
    assert len(offsets.reading_to_raw) == len(offsets.reading)
    assert len(offsets.raw_to_reading) == len(raw)
    starts = [span[0] for span in offsets.reading_to_raw]
    assert starts == sorted(starts)
    assert all(a < b for a, b in offsets.reading_to_raw)


@given(tokenized())
def test_words_survive(raw: str) -> None:
    """Detokenizing keeps every ordinary word and only rewrites spacing and Treebank symbols."""
    offsets = detokenize(raw)
    for match in re.finditer(r"\S+", raw):
        token = match.group()
        if token not in SPECIAL:
            start, end = offsets.to_reading(*match.span())
            assert offsets.reading[start:end] == token


def test_spans_outside_the_text_are_refused() -> None:
    """A span past either end raises a clear ValueError."""
    offsets = detokenize("a b .")
    with pytest.raises(ValueError, match="outside"):
        offsets.to_raw(0, 99)
    with pytest.raises(ValueError, match="outside"):
        offsets.to_reading(-1, 2)
