"""A passage of one source: the sentences from one citation id to another, checked, for the
annotated excerpts (:mod:`homs.excerpts`) and the reading view (:mod:`homs.reader`). Imports
only :mod:`homs.sources`.
"""

from __future__ import annotations

from homs import sources
from homs.sources import Sentence

__all__ = ["sentence_range"]


def sentence_range(
    source_id: str, first: str | None = None, last: str | None = None
) -> list[Sentence]:
    """The sentences from ``first`` to ``last`` of one source, both included.

    Args:
        source_id: ``"A"``, ``"B"`` or ``"C"``.
        first: The first sentence id, e.g. ``"A-30"``; the whole source when omitted.
        last: The last sentence id; ``first`` alone when omitted.

    Raises:
        KeyError: A source or sentence id does not exist.
        ValueError: A sentence belongs to another source, or ``last`` comes before ``first``.
    """
    source = sources.get(source_id)
    if first is None:
        if last is not None:
            raise ValueError(
                f"last={last!r} was given without first; give both, e.g. ({source_id}-1, {last})"
            )
        return list(source.sentences)
    last = first if last is None else last
    for sid in (first, last):
        if not sid.startswith(f"{source_id}-"):
            raise ValueError(
                f"{sid} is not a sentence of Source {source_id}; use ids "
                f"{source_id}-1 to {source_id}-{len(source.sentences)}"
            )
    a, b = source.sentence(first), source.sentence(last)
    if b.number < a.number:
        raise ValueError(
            f"the passage {first} to {last} runs backwards; give the earlier sentence first"
        )
    return list(source.sentences[a.number - 1 : b.number])
