"""Counting words and terms in the reading texts, for the word-choice chart. Imports only
:mod:`homs.sources` (for the :class:`~homs.sources.Source` type)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from homs.sources import Source

__all__ = ["TermCount", "count_terms", "term_pattern", "word_count"]

# A word: letters or digits, possibly joined by an apostrophe or a hyphen ("Syria's",
# "anti-government", "al-Sham"). Numbers such as "800,000" count as one word.
_WORD = re.compile(r"[^\W_]+(?:[-'’,.][^\W_]+)*")
# What may not touch a term, so that "army" is not found inside "armyless" and "government"
# not inside "anti-government" (a compound whose head is another word). A hyphen after the term
# is fine ("Islamist-led" counts as "Islamist"), as are an apostrophe ("army's") and the Arabic
# article before it ("al-Assad" counts as "Assad").
_BEFORE = r"(?:(?<![\w-])|(?<=\bal-))"
_AFTER = r"(?!\w)"


@dataclass(frozen=True)
class TermCount:
    """How often one source uses one term.

    Attributes:
        term: The term as asked for (``"rebel*"``, ``"Free Syrian Army"``).
        source: The source letter.
        count: How many times the term occurs in the source's reading text.
        words: How many words the source has.
        sentences: The ids of the sentences it occurs in, in order, once each.
    """

    term: str
    source: str
    count: int
    words: int
    sentences: tuple[str, ...]

    @property
    def per_thousand(self) -> float:
        """Occurrences per 1,000 words of the source."""
        return 1000 * self.count / self.words if self.words else 0.0


def word_count(text: str) -> int:
    """The number of words in ``text`` (a number such as ``800,000`` is one word)."""
    return len(_WORD.findall(text))


def term_pattern(term: str) -> re.Pattern[str]:
    """A case-insensitive pattern for a whole word or phrase; a final ``*`` allows any ending.

    Raises:
        ValueError: The term is empty or has a ``*`` anywhere but at its end.
    """
    text = term.strip()
    if not text or text == "*":
        raise ValueError(
            f"{term!r} is not a term: give a word or phrase, e.g. 'regime' or 'rebel*'"
        )
    if "*" in text[:-1]:
        raise ValueError(f"{term!r}: a '*' may only end a term ('rebel*' matches rebel, rebels)")
    stem = text[:-1] if text.endswith("*") else text
    body = r"\s+".join(re.escape(part) for part in stem.split())
    ending = r"[\w]*" if text.endswith("*") else ""
    return re.compile(_BEFORE + body + ending + _AFTER, re.IGNORECASE)


def count_terms(terms: Iterable[str], sources: Mapping[str, Source]) -> list[TermCount]:
    """Counts each term in each source's reading text.

    Args:
        terms: Words or phrases; a final ``*`` allows any ending.
        sources: The sources by id.

    Returns:
        One count per term and source, terms in the order given, sources in id order.
    """
    result = []
    for term in terms:
        pattern = term_pattern(term)
        for sid in sorted(sources):
            source = sources[sid]
            hits = list(pattern.finditer(source.reading))
            ids: list[str] = []
            for hit in hits:
                found = source.sentence_at(hit.start())
                if found is not None and found.id not in ids:
                    ids.append(found.id)
            result.append(TermCount(term, sid, len(hits), word_count(source.reading), tuple(ids)))
    return result
