"""Endless practice for self-study: a fresh draw of a quiz, and a history of what a learner misses.

``homs practice --new QUIZ`` writes a new notebook of the quiz into the learner's folder in which
each banked item (an item with a ``pool``, :mod:`homs.grading.authoring.banks`) is drawn afresh
from a new seed; items without a pool are asked as in the fixed quiz. The notebook records its
seed in its metadata (``homs.practice.seed``) and the folder's record, ``homs-practice.json``,
records it too, so that ``homs practice NOTEBOOK`` marks it against the keys of that draw.

For self-study the notebook's own seed is trusted: no secret is involved, the keys of every draw
can be worked out from the public pools and knowledge base, and a learner who edits the seed only
fools themselves. (A course's parallel forms are different: there the grader recomputes each
student's version from the course secret, :mod:`homs.grading.course.variants`.)

The same record keeps a short history: each marked notebook's items, by the rule of their key
(ordering, dating, which sources report it, ...), so :func:`history_summary` can tell a learner
which kinds of question they keep getting wrong. Marking the same notebook again replaces its
entry. Nothing here needs a teacher or an nbgrader course. May import the rooms below
:mod:`homs.grading.reports`.
"""

from __future__ import annotations

import json
import random
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from homs._text import plural
from homs.errors import DataError, GradingError
from homs.grading.authoring import banks
from homs.grading.authoring.build import notebook
from homs.grading.authoring.spec import Quiz

__all__ = [
    "RECORD",
    "NewPractice",
    "history_summary",
    "new_practice",
    "practice_quiz",
    "record_marks",
    "seed_of",
]

#: The learner's record (draws and history), in the learner's folder.
RECORD = "homs-practice.json"
#: What a learner types instead of an answer (the released notebooks' stub).
_STUB = "...  # YOUR ANSWER HERE"
#: A kind of question as the learner reads it, by the rule of the item's key.
_KINDS = {
    "order": "ordering questions",
    "date": "dating questions",
    "year": "'in which year' questions",
    "years-between": "'how many years between' questions",
    "days-between": "'how many days between' questions",
    "reported-by": "'which sources report it' questions",
    "discrepancy-type": "'what kind of difference' questions",
    "claims": "'which source says it' questions",
    "reuses": "'which sentence is reused' questions",
    "genres": "'what kind of text' questions",
    "earliest-written": "'when was it written at the earliest' questions",
    "latest-year": "'latest year printed' questions",
    "latest-dated": "'latest dated sentence' questions",
    "dating-clue": "'which sentence shows when it was written' questions",
    "quoted": "'who is quoted' questions",
    "voice-in": "'whose voice is it' questions",
    "odd-one-out": "odd-one-out questions",
    "dependent-sources": "'which sources depend on each other' questions",
}


def _rng(seed: int, quiz: str, item: str) -> random.Random:
    return random.Random(f"homs-practice:{seed}:{quiz}:{item}")


def practice_quiz(quiz: Quiz, seed: int) -> Quiz:
    """The quiz of one practice draw: each banked item drawn from ``seed`` (the same seed gives
    the same questions and keys, as long as the spec and knowledge base are unchanged)."""
    drawn = {i: banks.draw(quiz, i, _rng(seed, quiz.id, i)) for i in quiz.pools}
    return banks.apply(quiz, drawn)


def seed_of(nb: Mapping[str, Any]) -> int | None:
    """The seed a practice notebook records, or ``None`` for any other notebook.

    Raises:
        GradingError: The notebook records a seed that is not a whole number.
    """
    meta = nb.get("metadata", {})
    found = meta.get("homs", {}).get("practice") if isinstance(meta, Mapping) else None
    if not isinstance(found, Mapping) or "seed" not in found:
        return None
    seed = found["seed"]
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise GradingError(
            f"the notebook's practice seed {seed!r} is not a whole number (its metadata was "
            "edited?). Start a new draw with `homs practice --new QUIZ`."
        )
    return seed


@dataclass(frozen=True)
class NewPractice:
    """A practice notebook written by :func:`new_practice`.

    Attributes:
        path: The notebook.
        quiz: The quiz of this draw.
        seed: Its seed.
        new: The items drawn afresh (the quiz's banked items), e.g. ``("q1_order",)``.
    """

    path: Path
    quiz: Quiz
    seed: int
    new: tuple[str, ...]

    def format(self) -> str:
        """What the learner is told: where the notebook is, what is new, how to mark it."""
        labels = [self.quiz.item(i).label for i in self.new]
        lines = [f"New practice notebook: {self.path}"]
        if labels:
            lines.append(
                f"Drawn afresh this time: {', '.join(labels)} (a new seed, {self.seed}); the "
                "other questions are the quiz's own."
            )
        else:
            lines.append(
                f"{self.quiz.id} has no question bank yet, so its questions are the same each time."
            )
        lines.append(f"Answer it in Jupyter, save it, then mark it with: homs practice {self.path}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.format()


def _student_notebook(quiz: Quiz, seed: int) -> dict[str, Any]:
    """The quiz as a learner gets it: answers and hidden tests taken out, as nbgrader's release
    does, and the seed recorded."""
    import nbformat
    from nbgrader.preprocessors import ClearHiddenTests, ClearSolutions

    nb = nbformat.from_dict(notebook(quiz))
    resources: dict[str, Any] = {}
    nb, resources = ClearSolutions(code_stub={"python": _STUB}).preprocess(nb, resources)
    nb, resources = ClearHiddenTests().preprocess(nb, resources)
    data = json.loads(nbformat.writes(nb))
    data["metadata"]["homs"]["practice"] = {"seed": seed}
    return data


def _read_record(folder: Path) -> dict[str, Any]:
    path = folder / RECORD
    if not path.is_file():
        return {"draws": {}, "marks": {}}
    try:
        data = json.loads(path.read_text("utf-8"))
        if not isinstance(data.get("draws"), dict) or not isinstance(data.get("marks"), dict):
            raise ValueError("no draws or marks")
    except (ValueError, AttributeError) as err:
        raise GradingError(
            f"{path}: the practice record cannot be read ({err}). Move it away to start a new "
            "history; your notebooks still hold their seeds."
        ) from err
    return data


def _write_record(folder: Path, data: Mapping[str, Any]) -> None:
    path = folder / RECORD
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", "utf-8")


def new_practice(quiz: Quiz, *, folder: str | Path = ".", seed: int | None = None) -> NewPractice:
    """Writes a fresh practice notebook of a quiz into the learner's folder.

    Args:
        quiz: The quiz (its banked items are drawn afresh).
        folder: The learner's folder: the notebook and ``homs-practice.json`` go there.
        seed: The draw's seed; a new random one by default.

    Raises:
        GradingError: The folder does not exist, or its practice record is damaged.
        DataError: The quiz's item banks have problems (:func:`banks.check_pools`).
    """
    problems = banks.check_pools(quiz)
    if problems:
        raise DataError(problems)
    where = Path(folder).expanduser()
    if not where.is_dir():
        raise GradingError(f"{folder}: no such folder. Make it first, or give another --dir.")
    record = _read_record(where)
    seed = secrets.randbits(32) if seed is None else seed
    drawn = practice_quiz(quiz, seed)
    n = 1
    while (where / f"{quiz.id}-practice-{n}.ipynb").exists():
        n += 1
    path = where / f"{quiz.id}-practice-{n}.ipynb"
    path.write_text(json.dumps(_student_notebook(drawn, seed), indent=1) + "\n", "utf-8")
    record["draws"][path.name] = {
        "quiz": quiz.id,
        "seed": seed,
        "made": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }
    _write_record(where, record)
    return NewPractice(path, drawn, seed, tuple(quiz.pools))


def recorded_seed(path: Path) -> int | None:
    """The seed the folder's record gives a practice notebook, if it has one."""
    try:
        draw = _read_record(path.parent)["draws"].get(path.name)
    except GradingError:
        return None
    return draw.get("seed") if isinstance(draw, Mapping) else None


def record_marks(path: Path, quiz: Quiz, seed: int | None, verdicts: Sequence[Any]) -> Path:
    """Adds (or replaces) a marked notebook's items in the history beside it.

    Args:
        path: The marked notebook; the record is in its folder.
        quiz: The quiz it was marked against.
        seed: Its practice seed, ``None`` for the fixed quiz.
        verdicts: The verdicts (:class:`homs.grading.engine.scoring.Verdict`).
    """
    folder = path.parent
    record = _read_record(folder)
    record["marks"][path.name] = {
        "quiz": quiz.id,
        "seed": seed,
        "when": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "items": [
            {
                "item": v.item.id,
                "label": v.item.label,
                "rule": _rule(quiz, v.item.id),
                "status": v.status,
            }
            for v in verdicts
            if not v.item.written
        ],
    }
    _write_record(folder, record)
    return folder / RECORD


def _rule(quiz: Quiz, item_id: str) -> str:
    key = quiz.entries.get(item_id, {}).get("key")
    return next(iter(key)) if isinstance(key, Mapping) and key else "other"


def history_summary(folder: str | Path) -> str:
    """Which kinds of question a learner keeps getting wrong, from the history in ``folder``:
    e.g. "You have missed 3 of 4 ordering questions: timeline-practice-1 Q1, ...". An answer
    that earned some of its points is "partly right", not missed; questions left unanswered are
    not counted as asked, but said ("1 not answered")."""
    record = _read_record(Path(folder))
    seen: dict[str, dict[str, list[str]]] = {}
    for name, marked in record["marks"].items():
        for entry in marked.get("items", []):
            status = entry.get("status")
            where = f"{Path(name).stem} {entry.get('label', entry.get('item'))}"
            kind = {"right": "right", "partly right": "partly", "not answered": "blank"}
            by = seen.setdefault(entry.get("rule", "other"), {})
            by.setdefault(kind.get(status, "missed"), []).append(where)
    if not seen:
        return ""
    notebooks = len(record["marks"])
    lines = [f"Your practice so far ({plural(notebooks, 'notebook')} marked):"]

    def asked(rule: str) -> int:
        return sum(len(seen[rule].get(k, [])) for k in ("right", "partly", "missed"))

    def share(rule: str) -> float:
        out = len(seen[rule].get("missed", [])) + len(seen[rule].get("partly", []))
        return out / asked(rule) if asked(rule) else 0.0

    for rule in sorted(seen, key=lambda r: (-share(r), -asked(r), r)):
        lines.append("- " + _kind_line(_KINDS.get(rule, f"{rule} questions"), seen[rule]) + ".")
    return "\n".join(lines)


def _kind_line(noun: str, seen: Mapping[str, list[str]]) -> str:
    """One kind of question's line of :func:`history_summary` (``noun`` is plural)."""
    one = noun.removesuffix("questions") + "question"
    missed, partly, blank = (seen.get(k, []) for k in ("missed", "partly", "blank"))
    asked = len(seen.get("right", [])) + len(missed) + len(partly)
    parts = []
    if not asked:
        return f"{plural(len(blank), one, noun)} not answered: {_listed(blank)}"
    if not missed and not partly:
        got = f"all {asked} {noun}" if asked > 1 else f"the only {one}"
        parts.append(f"you got {got} right")
    else:
        if missed:
            count = f"{len(missed)} of {asked} {noun}" if asked > 1 else f"the only {one}"
            parts.append(f"you have missed {count}: {_listed(missed)}")
        if partly:
            count = f"{len(partly)} of {asked} {noun}" if asked > 1 else f"the only {one}"
            parts.append(
                f"{len(partly)} partly right: {_listed(partly)}"
                if missed
                else f"you got {count} partly right: {_listed(partly)}"
            )
    if blank:
        parts.append(f"{len(blank)} not answered: {_listed(blank)}")
    line = "; ".join(parts)
    out = len(missed) + len(partly)
    if out >= 2 and 2 * out >= asked:
        line += " (worth practising: start a new draw with homs practice --new)"
    return line


def _listed(where: Sequence[str]) -> str:
    """Up to six notebook-and-question names, then how many more."""
    return ", ".join(where[:6]) + (f" and {len(where) - 6} more" if len(where) > 6 else "")
