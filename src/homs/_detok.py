"""Penn-Treebank detokenization with an exact character offset map.

Source A is stored as Penn-Treebank tokens (``-LRB-``, paired `````` and ``''``, ``do n't``).
Students read it as ordinary prose, but every citation must point at the stored bytes too, so
the detokenizer records, for every character, where it came from.

NLTK's ``TreebankWordDetokenizer`` and ``sacremoses`` produce the prose but no offsets, and both
turn a stray ``''`` at the end of a line into a closing quote; this module does the same job in
one pass and keeps the map. Each reading character corresponds to exactly one raw character or
to one whole raw token (``(`` for ``-LRB-``), so a reading span maps to a raw span and back
without loss.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["OffsetMap", "detokenize"]

_BRACKETS = {"-LRB-": "(", "-RRB-": ")", "-LSB-": "[", "-RSB-": "]", "-LCB-": "{", "-RCB-": "}"}
_OPENING_QUOTE = "``"
_CLOSING_QUOTE = "''"
# Tokens written against the word before them.
_ATTACH_LEFT = frozenset(
    {".", ",", ";", ":", "?", "!", "%", "...", ")", "]", "}", "'", "n't", "N'T"}
    | {"'s", "'S", "'re", "'RE", "'ve", "'VE", "'ll", "'LL", "'d", "'D", "'m", "'M"}
)
# Tokens written against the word after them.
_ATTACH_RIGHT = frozenset({"(", "[", "{", "$", "#"})


@dataclass(frozen=True)
class OffsetMap:
    """Character offsets between a raw (tokenized) text and its reading text.

    ``reading_to_raw[j]`` is the raw span ``(start, end)`` behind reading character ``j``;
    ``raw_to_reading[i]`` is the reading span behind raw character ``i`` (empty where the raw
    character was dropped, such as a space before a comma).
    """

    raw: str
    reading: str
    reading_to_raw: tuple[tuple[int, int], ...]
    raw_to_reading: tuple[tuple[int, int], ...]

    def to_raw(self, start: int, end: int) -> tuple[int, int]:
        """Maps the reading span ``[start, end)`` to the raw span it was made from.

        Args:
            start: First reading offset.
            end: Reading offset one past the last character.

        Returns:
            The raw ``(start, end)``. An empty span maps to an empty span at the same place.
        """
        _check_span(start, end, len(self.reading), "reading")
        if start == end:
            point = self._raw_point(start)
            return point, point
        return self.reading_to_raw[start][0], self.reading_to_raw[end - 1][1]

    def to_reading(self, start: int, end: int) -> tuple[int, int]:
        """Maps the raw span ``[start, end)`` to the reading span made from it.

        Args:
            start: First raw offset.
            end: Raw offset one past the last character.

        Returns:
            The reading ``(start, end)``; a raw span of dropped whitespace maps to an empty span.
        """
        _check_span(start, end, len(self.raw), "raw")
        if start == end:
            point = self.raw_to_reading[start][0] if start < len(self.raw) else len(self.reading)
            return point, point
        return self.raw_to_reading[start][0], self.raw_to_reading[end - 1][1]

    def _raw_point(self, reading_offset: int) -> int:
        if reading_offset < len(self.reading):
            return self.reading_to_raw[reading_offset][0]
        return len(self.raw)


def _check_span(start: int, end: int, length: int, name: str) -> None:
    if not 0 <= start <= end <= length:
        raise ValueError(f"{name} span ({start}, {end}) is outside 0..{length}")


@dataclass
class _Token:
    text: str
    start: int
    end: int
    reading: str = ""
    attach_left: bool = False
    attach_right: bool = False


def _classify(tokens: list[_Token], raw: str) -> None:
    """Decides each token's reading form and which side it sticks to."""
    quote_open = False
    for index, token in enumerate(tokens):
        text = token.text
        if text in _BRACKETS:
            token.reading = _BRACKETS[text]
        elif text in (_OPENING_QUOTE, _CLOSING_QUOTE):
            token.reading = '"'
        else:
            token.reading = text
        if text == _OPENING_QUOTE:
            opening = True
        elif text == _CLOSING_QUOTE:
            # A '' with no quote open, last on its line, is a mis-tokenized opening quote of the
            # next line (Source A, line 5); anywhere else it closes.
            following = raw[token.end : tokens[index + 1].start] if index + 1 < len(tokens) else ""
            opening = not quote_open and "\n" in following
        else:
            opening = None
        if opening is True:
            token.attach_right = True
            quote_open = True
        elif opening is False:
            token.attach_left = True
            quote_open = False
        else:
            token.attach_left = token.reading in _ATTACH_LEFT
            token.attach_right = token.reading in _ATTACH_RIGHT


def _separator(previous: _Token, token: _Token, whitespace: str, after: str) -> str:
    """The reading text between two tokens, given the raw whitespace between them.

    ``after`` is the whitespace following ``token``: an opening quote or bracket that ends a
    line takes that line break in front of itself, so it opens the next line.
    """
    if token.attach_right and "\n" in after:
        return "\n" * min(after.count("\n"), len(whitespace))
    if previous.attach_right and "\n" in whitespace:
        return ""  # the break was moved in front of ``previous``
    if "\n" in whitespace:
        return "\n" * whitespace.count("\n")
    if previous.attach_right or token.attach_left:
        return ""
    return " "


def detokenize(raw: str) -> OffsetMap:
    """Turns Penn-Treebank tokens into prose and records the offset map.

    Line breaks are kept as paragraph breaks; spaces around tokens are rewritten by the usual
    Treebank rules (no space before punctuation or a clitic such as ``n't`` or ``'s``, none
    inside brackets or quotes).

    Args:
        raw: The tokenized text, exactly as stored.

    Returns:
        The reading text with maps in both directions.
    """
    tokens = [_Token(m.group(), m.start(), m.end()) for m in re.finditer(r"\S+", raw)]
    _classify(tokens, raw)
    reading: list[str] = []
    to_raw: list[tuple[int, int]] = []
    to_reading: list[tuple[int, int]] = [(0, 0)] * len(raw)

    def emit_whitespace(text: str, raw_start: int, raw_end: int) -> None:
        # Reading whitespace pairs with the last raw whitespace characters one to one;
        # the raw characters left over are dropped and map to an empty span.
        begin = len(to_raw)
        dropped = (raw_end - raw_start) - len(text)
        for i in range(raw_start, raw_start + dropped):
            to_reading[i] = (begin, begin)
        for k, char in enumerate(text):
            i = raw_start + dropped + k
            reading.append(char)
            to_raw.append((i, i + 1))
            to_reading[i] = (begin + k, begin + k + 1)

    position = 0
    previous: _Token | None = None
    for index, token in enumerate(tokens):
        whitespace = raw[position : token.start]
        if previous is None:
            emit_whitespace("\n" * whitespace.count("\n"), position, token.start)
        else:
            following = raw[token.end : tokens[index + 1].start] if index + 1 < len(tokens) else ""
            emit_whitespace(
                _separator(previous, token, whitespace, following), position, token.start
            )
        begin = len(to_raw)
        if token.reading == token.text:
            for k in range(len(token.text)):
                to_raw.append((token.start + k, token.start + k + 1))
                to_reading[token.start + k] = (begin + k, begin + k + 1)
        else:
            to_raw.append((token.start, token.end))
            for i in range(token.start, token.end):
                to_reading[i] = (begin, begin + 1)
        reading.append(token.reading)
        position = token.end
        previous = token
    tail = raw[position:]
    emit_whitespace("\n" * tail.count("\n"), position, len(raw))
    return OffsetMap(raw, "".join(reading), tuple(to_raw), tuple(to_reading))
