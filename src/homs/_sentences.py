"""Sentence splitting for citation ids.

Runs on reading text, paragraph by paragraph (a line is a paragraph in all three seeds), so a
sentence never crosses a line. A boundary is sentence-final punctuation, optionally followed by
closing quotes or brackets, then space and a capital, digit or opening quote; a full stop after
a known abbreviation or a single initial is not a boundary.
"""

from __future__ import annotations

import re
from itertools import pairwise

__all__ = ["ABBREVIATIONS", "split_paragraphs", "split_sentences"]

# fmt: off
ABBREVIATIONS = frozenset({
    "Mr", "Mrs", "Ms", "Dr", "Prof", "St", "Gen", "Col", "Lt", "Sgt", "Capt", "Maj", "Adm", "Gov",
    "Sen", "Rep", "Rev", "Jr", "Sr", "Inc", "Ltd", "Co", "Corp", "vs", "etc", "al", "No", "Nos",
    "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec", "e.g",
    "i.e", "U.S", "U.K", "U.N", "a.m", "p.m", "approx", "est",
})
# fmt: on
_CANDIDATE = re.compile(r"[.!?]+[\"')\]]*(?=\s+[\"'(\[]?[A-Z0-9])")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)$")


def _is_abbreviation(text: str, dot: int) -> bool:
    if text[dot] != ".":
        return False
    match = _WORD_BEFORE.search(text, 0, dot)
    if not match:
        return False
    word = match.group(1)
    return word in ABBREVIATIONS or (len(word) == 1 and word.isupper())


def split_paragraphs(text: str) -> list[tuple[int, int]]:
    """Spans of the non-blank lines of ``text``, without surrounding whitespace."""
    spans = []
    for match in re.finditer(r"[^\n]+", text):
        line = match.group()
        if line.strip():
            start = match.start() + len(line) - len(line.lstrip())
            spans.append((start, match.start() + len(line.rstrip())))
    return spans


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Spans of the sentences in ``text[start:end]`` (one paragraph), trimmed of whitespace.

    Args:
        text: The whole reading text.
        start: Where the paragraph starts.
        end: Where it ends; the end of ``text`` by default.

    Returns:
        ``(start, end)`` offsets into ``text``.
    """
    end = len(text) if end is None else end
    cuts = [start]
    for match in _CANDIDATE.finditer(text, start, end):
        if not _is_abbreviation(text, match.start()):
            cuts.append(match.end())
    cuts.append(end)
    spans = []
    for a, b in pairwise(cuts):
        chunk = text[a:b]
        if chunk.strip():
            left = a + len(chunk) - len(chunk.lstrip())
            spans.append((left, a + len(chunk.rstrip())))
    return spans
