"""What a learner is told about an item's key: the answer, why, and the sentences it rests on.

Written once here and used wherever a key is explained: the feedback's explanation cells
(:class:`homs.grading.course.preprocessors.ExplainAnswers`), ``homs practice`` and the class
report. The HTML comes from the autoescaping template ``grading/explanation.html``; nothing
here needs nbgrader or a gradebook. May import :mod:`homs.sources`, :mod:`.spec` and
:mod:`.checks`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from homs import knowledge, sources
from homs._templates import render
from homs._text import plural
from homs.grading.authoring.checks import literal
from homs.grading.authoring.spec import Item

__all__ = ["accepted", "corrections", "explanation", "quotes", "shown"]


def quotes(sentence_ids: Sequence[str]) -> list[tuple[str, str, str]]:
    """Each cited sentence as (id, source label, the sentence quoted verbatim)."""
    out = []
    for sid in dict.fromkeys(sentence_ids):
        sentence = sources.sentence(sid)
        out.append((sid, f"Source {sentence.source}", sentence.text))
    return out


def corrections(sentence_ids: Sequence[str]) -> list[str]:
    """The corrections from outside the texts that go with these sentences: wherever a
    sentence that prints a wrong date is quoted, its correction is shown beside it."""
    kb = knowledge.load()
    return [note for e in kb.correction_for(sentence_ids) if (note := e.correction_note())]


def shown(value: Any) -> str:
    """A value as the student would have typed it: tuples stay tuples, 2.0 stays 2.0."""
    if isinstance(value, tuple):
        inner = ", ".join(shown(v) for v in value)
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    if isinstance(value, list):
        return "[" + ", ".join(shown(v) for v in value) + "]"
    try:
        return literal(value)
    except TypeError:
        return repr(value)


def accepted(item: Item) -> list[tuple[str, str, str]]:
    """The other accepted answers of an item as (answer, what it earns, why), for display."""
    return [(literal(a.value), plural(a.points, "point"), a.reason) for a in item.accepted]


def explanation(item: Item, score: float, max_score: float | None = None) -> str:
    """The explanation, for an item a student did not get fully right, as a Markdown cell source.

    It is one HTML block (Markdown cells may hold HTML, and a blank line would end the block)
    styled as a Bootstrap info box, which nbgrader's feedback template loads, so it stands out
    from the student's cells.

    Args:
        item: The quiz item.
        score: The student's score on it.
        max_score: What it is worth (the gradebook's); the item's points by default.

    Returns:
        The score and the right answer (or, for a written item, a pointer to the mark scheme),
        why, and each cited sentence quoted with its id and source.
    """
    worth = item.points if max_score is None else max_score
    html = render(
        "grading/explanation.html",
        item=item,
        score=f"{score:g}",
        worth=plural(worth, "point"),
        key=None if item.written else literal(item.key),
        accepted=accepted(item),
        preferred_because=item.preferred_because,
        cited=quotes(item.cites),
        corrections=corrections(item.cites),
    )
    return "\n".join(line for line in html.splitlines() if line.strip())
