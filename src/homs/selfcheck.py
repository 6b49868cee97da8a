"""Self-check questions with immediate feedback, built from the knowledge base.

Four kinds of question, each an ipywidgets box you can also drive from code:

- :class:`MultipleChoice` (one answer, or "tick all that apply"),
- :class:`Ordering` (put items in order with up/down buttons),
- :class:`Matching` (a drop-down beside each item),
- :class:`Numeric` (a number, with a tolerance).

Set ``.value`` (or use the controls), call :meth:`Question.check` (or press *Check*), then read
``.correct`` and ``.feedback.value``. The feedback says why, citing sentence ids and quoting the
sources; the answers and quotes come from the knowledge base, never typed by hand.

>>> from homs import selfcheck
>>> q = selfcheck.order_events(["colvin-ochlik-killed", "clock-tower-square"])
>>> q.value = q.answer
>>> q.check(), q.correct
(True, True)

Builders: :func:`which_sources`, :func:`order_events`, :func:`match_claims`,
:func:`discrepancy_type`, :func:`version_value`, :func:`years_between`,
:func:`catalog_choice`, :func:`publication_year`, :func:`independent_witnesses`; the general
:func:`multiple_choice`, :func:`numeric`; and :func:`evidence_answer`, a short written answer
checked against a checklist (ids cited, sources used, shared wording). :func:`show` displays a
question.
"""

from __future__ import annotations

import itertools
import random
import re
from collections.abc import Iterable, Mapping, Sequence
from html import escape
from typing import Any, ClassVar

import ipywidgets as widgets
import traitlets

from homs import _assets, knowledge
from homs import sources as _sources
from homs._display import display
from homs._highlights import context_text
from homs.knowledge import DISCREPANCY_TYPES, Discrepancy, Event, KnowledgeBase
from homs.sources import Citation

__all__ = [
    "EvidenceAnswer",
    "Matching",
    "MultipleChoice",
    "Numeric",
    "Ordering",
    "Question",
    "catalog_choice",
    "discrepancy_type",
    "evidence_answer",
    "independent_witnesses",
    "match_claims",
    "multiple_choice",
    "numeric",
    "order_events",
    "publication_year",
    "show",
    "version_value",
    "which_sources",
    "witness_groups",
    "years_between",
]


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _cite_html(c: Citation) -> str:
    return (
        f'<li><span class="homs-sid">{_e(c.sentence)}</span> '
        f'<span class="homs-quote">\u201c{_e(c.quote)}\u201d</span></li>'
    )


def _and(items: Sequence[str]) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


class Question(widgets.VBox):
    """A self-check question: a prompt, an input, a *Check* button and feedback.

    Attributes:
        prompt: The question, as plain text.
        answer: The right answer, in the same form as ``value``.
        why: The explanation, as plain-text paragraphs.
        citations: The quotes the explanation rests on, each with its sentence id.
        context: Background from outside the three texts, if any (shown marked as context).
        spec: How the question was built, ``(builder name, arguments)``, for the tests.
        feedback: The HTML widget where the feedback appears.
        check_button: The *Check* button.
    """

    correct = traitlets.Bool(None, allow_none=True, help="None until checked, then the verdict.")
    kind: ClassVar[str] = "question"
    help_text: ClassVar[str] = ""
    right_word: ClassVar[str] = "Correct."

    def __init__(
        self,
        prompt: str,
        answer: Any,
        *,
        why: Sequence[str] = (),
        citations: Sequence[Citation] = (),
        context: str | None = None,
        extra_html: str = "",
        spec: tuple[str, Mapping[str, Any]] = ("custom", {}),
    ) -> None:
        self.prompt = prompt
        self.answer = answer
        self.why = tuple(why)
        self.citations = tuple(citations)
        self.context = context
        self.spec = spec
        self.prompt_html = widgets.HTML(
            _assets.template("question.html").substitute(
                css=_assets.read("selfcheck.css"),
                kind=_e(self.kind),
                prompt=_e(prompt),
                extra=extra_html,
                help=_e(self.help_text),
            )
        )
        self.check_button = widgets.Button(
            description="Check",
            tooltip="Check your answer",
            button_style="",
            layout=widgets.Layout(width="8em"),
        )
        self.feedback = widgets.HTML("")
        self.check_button.on_click(lambda _button: self.check())
        super().__init__(
            [self.prompt_html, self._control(), self.check_button, self.feedback],
            layout=widgets.Layout(margin="0.5em 0 1em 0"),
        )

    # Subclasses provide these.
    def _control(self) -> widgets.Widget:
        raise NotImplementedError

    @property
    def value(self) -> Any:
        """The student's current answer."""
        raise NotImplementedError

    @value.setter
    def value(self, new: Any) -> None:
        raise NotImplementedError

    def _grade(self) -> tuple[bool | None, str]:
        """``(verdict, detail)``; verdict ``None`` means "not answered yet"."""
        raise NotImplementedError

    def answer_text(self) -> str:
        """The right answer in words."""
        raise NotImplementedError

    def explanation_html(self) -> str:
        """The answer, why, and the quotes it rests on, as HTML."""
        parts = [f"<p><b>Answer:</b> {_e(self.answer_text())}</p>"]
        parts += [f"<p>{_e(line)}</p>" for line in self.why]
        if self.citations:
            parts.append(
                '<ul class="homs-cites" aria-label="Evidence">'
                + "".join(_cite_html(c) for c in self.citations)
                + "</ul>"
            )
        if self.context:
            parts.append(
                f'<p class="homs-context">Context (not from the sources): {_e(self.context)}</p>'
            )
        return "\n".join(parts)

    def _body(self, verdict: bool | None, detail: str) -> str:
        """The feedback under the verdict: the why at once if right, one click away if not."""
        if verdict is None:
            return f"<p>{_e(detail)}</p>"
        if verdict:
            return (f"<p>{_e(detail)}</p>\n" if detail else "") + self.explanation_html()
        return (
            f"<p>{_e(detail)}</p>\n<details><summary>Show the answer and why</summary>\n"
            f"{self.explanation_html()}\n</details>"
        )

    def check(self) -> bool:
        """Grades the current answer, shows the feedback and returns whether it is right."""
        verdict, detail = self._grade()
        self.correct = verdict
        if verdict is None:
            state, symbol, word = "none", "?", "Not answered yet."
        elif verdict:
            state, symbol, word = "right", "\u2713", self.right_word
        else:
            state, symbol, word = "wrong", "\u2717", "Not yet."
        body = self._body(verdict, detail)
        self.feedback.value = _assets.template("feedback.html").substitute(
            state=state, symbol=symbol, verdict=word, body=body
        )
        return bool(verdict)


class MultipleChoice(Question):
    """Choose one option (radio buttons), or tick all that apply (``multiple=True``).

    ``options`` are ``(key, label)`` pairs; ``value`` and ``answer`` are a key, or a tuple of
    keys when ``multiple``.
    """

    kind = "multiple choice"

    def __init__(
        self,
        prompt: str,
        options: Sequence[tuple[str, str]],
        answer: str | Iterable[str],
        *,
        multiple: bool = False,
        **kwargs: Any,
    ) -> None:
        self.options = tuple((str(k), str(label)) for k, label in options)
        keys = [k for k, _ in self.options]
        if len(set(keys)) != len(keys) or len(keys) < 2:
            raise ValueError(
                f"a multiple-choice question needs two or more distinct options; got {keys}"
            )
        self.multiple = multiple
        wanted = (answer,) if isinstance(answer, str) else tuple(answer)
        bad = [a for a in wanted if a not in keys]
        if bad or (not multiple and len(wanted) != 1):
            wanted_text = "options" if multiple else "one option"
            raise ValueError(f"the answer {answer!r} must be {wanted_text} among {keys}")
        self.help_text = "Tick every option that applies." if multiple else "Choose one."
        canonical: Any = tuple(k for k in keys if k in wanted) if multiple else wanted[0]
        super().__init__(prompt, canonical, **kwargs)

    def _control(self) -> widgets.Widget:
        if self.multiple:
            self.boxes = {
                k: widgets.Checkbox(
                    value=False,
                    description=label,
                    indent=False,
                    layout=widgets.Layout(width="auto"),
                )
                for k, label in self.options
            }
            return widgets.VBox(list(self.boxes.values()))
        self.radio = widgets.RadioButtons(
            options=[(label, k) for k, label in self.options],
            value=None,
            layout=widgets.Layout(width="auto"),
        )
        return self.radio

    @property
    def value(self) -> Any:
        """The chosen key (``None`` if none), or the tuple of ticked keys."""
        if self.multiple:
            return tuple(k for k, box in self.boxes.items() if box.value)
        return self.radio.value

    @value.setter
    def value(self, new: Any) -> None:
        keys = [k for k, _ in self.options]
        if self.multiple:
            chosen = {new} if isinstance(new, str) else set(new or ())
            bad = chosen - set(keys)
            if bad:
                raise ValueError(f"{sorted(bad)} are not options; choose among {keys}")
            for k, box in self.boxes.items():
                box.value = k in chosen
        else:
            if new is not None and new not in keys:
                raise ValueError(f"{new!r} is not an option; choose among {keys}")
            self.radio.value = new

    def _label(self, key: str) -> str:
        return dict(self.options)[key]

    def _grade(self) -> tuple[bool | None, str]:
        if self.multiple:
            chosen = set(self.value)
            if not chosen:
                return None, "Tick at least one option, then press Check."
            right = set(self.answer)
            if chosen == right:
                return True, ""
            missing, extra = right - chosen, chosen - right
            bits = []
            if missing:
                bits.append(f"{len(missing)} right option(s) not ticked")
            if extra:
                bits.append(f"{len(extra)} ticked option(s) that do not apply")
            return False, "You have " + " and ".join(bits) + "."
        if self.value is None:
            return None, "Choose an option, then press Check."
        if self.value == self.answer:
            return True, ""
        return False, f"\u201c{self._label(self.value)}\u201d is not the best answer."

    def answer_text(self) -> str:
        if self.multiple:
            return _and([self._label(k) for k in self.answer]) or "none of them"
        return self._label(self.answer)


class Ordering(Question):
    """Put items in order with up/down buttons; ``value`` and ``answer`` are tuples of keys."""

    kind = "ordering"
    help_text = "Use the Up and Down buttons to put the items in order, earliest first."

    def __init__(
        self,
        prompt: str,
        items: Sequence[tuple[str, str]],
        answer: Sequence[str],
        *,
        seed: int | str = 0,
        **kwargs: Any,
    ) -> None:
        self.items = {str(k): str(label) for k, label in items}
        if len(self.items) != len(items) or len(items) < 2:
            raise ValueError("an ordering question needs two or more items with distinct keys")
        if sorted(answer) != sorted(self.items):
            raise ValueError(
                f"the answer {list(answer)} must be the item keys {list(self.items)} in order"
            )
        start = list(answer)
        random.Random(str(seed)).shuffle(start)
        if start == list(answer):
            start = start[1:] + start[:1]
        self._order = start
        super().__init__(prompt, tuple(answer), **kwargs)

    def _control(self) -> widgets.Widget:
        self.rows = widgets.VBox()
        self._draw()
        return self.rows

    def _draw(self) -> None:
        rows = []
        for i, key in enumerate(self._order):
            label = self.items[key]
            up = widgets.Button(
                description="\u2191 Up",
                tooltip=f"Move up: {label}",
                disabled=i == 0,
                layout=widgets.Layout(width="7em"),
            )
            down = widgets.Button(
                description="\u2193 Down",
                tooltip=f"Move down: {label}",
                disabled=i == len(self._order) - 1,
                layout=widgets.Layout(width="7em"),
            )
            up.on_click(lambda _b, k=key: self.move(k, -1))
            down.on_click(lambda _b, k=key: self.move(k, 1))
            text = widgets.HTML(
                f"<b>{i + 1}.</b> {_e(label)}", layout=widgets.Layout(margin="0 0 0 0.5em")
            )
            rows.append(widgets.HBox([up, down, text]))
        self.rows.children = rows

    def move(self, key: str, step: int) -> None:
        """Moves item ``key`` up (``step=-1``) or down (``step=1``)."""
        if key not in self.items:
            raise KeyError(f"{key!r} is not an item; the items are {list(self.items)}")
        i = self._order.index(key)
        j = min(max(i + step, 0), len(self._order) - 1)
        self._order.insert(j, self._order.pop(i))
        self._draw()

    @property
    def value(self) -> tuple[str, ...]:
        """The item keys in their current order."""
        return tuple(self._order)

    @value.setter
    def value(self, new: Sequence[str]) -> None:
        if sorted(new) != sorted(self.items):
            raise ValueError(f"{list(new)} is not an order of the items {list(self.items)}")
        self._order = list(new)
        self._draw()

    def _grade(self) -> tuple[bool | None, str]:
        placed = sum(a == b for a, b in zip(self._order, self.answer, strict=True))
        if placed == len(self.answer):
            return True, ""
        return False, f"{placed} of {len(self.answer)} are in the right place."

    def answer_text(self) -> str:
        return "; ".join(f"{i}. {self.items[k]}" for i, k in enumerate(self.answer, start=1))


class Matching(Question):
    """Match each item to one choice from a drop-down.

    ``items`` are ``(key, label)`` pairs, ``choices`` ``(value, label)`` pairs; ``value`` and
    ``answer`` map item keys to choice values (``None`` where nothing is chosen yet).
    """

    kind = "matching"
    help_text = "Choose a match for each item."

    def __init__(
        self,
        prompt: str,
        items: Sequence[tuple[str, str]],
        choices: Sequence[tuple[str, str]],
        answer: Mapping[str, str],
        **kwargs: Any,
    ) -> None:
        self.items = {str(k): str(label) for k, label in items}
        self.choices = {str(v): str(label) for v, label in choices}
        if set(answer) != set(self.items) or any(v not in self.choices for v in answer.values()):
            raise ValueError(
                f"the answer must match every item {list(self.items)} to one of "
                f"{list(self.choices)}; got {dict(answer)}"
            )
        super().__init__(prompt, dict(answer), **kwargs)

    def _control(self) -> widgets.Widget:
        options = [("choose\u2026", None)] + [(label, v) for v, label in self.choices.items()]
        self.dropdowns = {
            k: widgets.Dropdown(
                options=options,
                value=None,
                layout=widgets.Layout(width="12em"),
                description_allow_html=False,
            )
            for k in self.items
        }
        rows = [
            widgets.HBox(
                [
                    self.dropdowns[k],
                    widgets.HTML(_e(label), layout=widgets.Layout(margin="0 0 0 0.5em")),
                ]
            )
            for k, label in self.items.items()
        ]
        return widgets.VBox(rows)

    @property
    def value(self) -> dict[str, str | None]:
        """Each item key with the choice made for it (``None`` if none yet)."""
        return {k: d.value for k, d in self.dropdowns.items()}

    @value.setter
    def value(self, new: Mapping[str, str | None]) -> None:
        for k, v in new.items():
            if k not in self.dropdowns:
                raise KeyError(f"{k!r} is not an item; the items are {list(self.items)}")
            if v is not None and v not in self.choices:
                raise ValueError(f"{v!r} is not a choice; choose among {list(self.choices)}")
            self.dropdowns[k].value = v

    def _grade(self) -> tuple[bool | None, str]:
        value = self.value
        if all(v is None for v in value.values()):
            return None, "Choose a match for each item, then press Check."
        right = sum(value[k] == v for k, v in self.answer.items())
        if right == len(self.answer):
            return True, ""
        return False, f"{right} of {len(self.answer)} matches are right."

    def answer_text(self) -> str:
        pairs = self.answer.items()
        return "; ".join(f"{self.items[k]} \u2192 {self.choices[v]}" for k, v in pairs)


_NUMBER = re.compile(r"^[-+]?(\d+(\.\d*)?|\.\d+)$")
_SCALE = {"thousand": 1e3, "million": 1e6, "billion": 1e9}


def _parse_number(text: str) -> float | None:
    cleaned = text.strip().lower().replace(",", "").replace("_", "").replace("$", "")
    cleaned = re.sub(r"\s+", " ", cleaned)
    scale = 1.0
    for word, factor in _SCALE.items():
        if cleaned.endswith(" " + word) or cleaned.endswith(word):
            cleaned, scale = cleaned[: -len(word)].strip(), factor
            break
    cleaned = cleaned.replace(" ", "")
    if not _NUMBER.match(cleaned):
        return None
    return float(cleaned) * scale


class Numeric(Question):
    """Type a number; right when within ``tolerance`` of the answer."""

    kind = "short numeric"

    def __init__(
        self, prompt: str, answer: float, *, tolerance: float = 0, unit: str = "", **kwargs: Any
    ) -> None:
        if tolerance < 0:
            raise ValueError(f"tolerance must be 0 or more, not {tolerance}")
        self.tolerance = float(tolerance)
        self.unit = unit
        self.help_text = "Type a number" + (f" ({unit})" if unit else "") + ", then press Check."
        super().__init__(prompt, float(answer), **kwargs)

    def _control(self) -> widgets.Widget:
        self.text = widgets.Text(
            value="", placeholder="a number", layout=widgets.Layout(width="12em")
        )
        return self.text

    @property
    def value(self) -> str:
        """The text typed in the box."""
        return self.text.value

    @value.setter
    def value(self, new: str | float | None) -> None:
        if new is None:
            self.text.value = ""
        elif isinstance(new, float) and new.is_integer():
            self.text.value = str(int(new))
        else:
            self.text.value = str(new)

    def _grade(self) -> tuple[bool | None, str]:
        if not self.value.strip():
            return None, "Type a number, then press Check."
        number = _parse_number(self.value)
        if number is None:
            return None, f"\u201c{self.value}\u201d is not a number; type digits, like 7 or 1.5."
        if abs(number - self.answer) <= self.tolerance:
            return True, ""
        direction = "high" if number > self.answer else "low"
        return False, f"{_fmt(number)} is too {direction}."

    def answer_text(self) -> str:
        unit = f" {self.unit}" if self.unit else ""
        near = f" (anything within {_fmt(self.tolerance)} counts)" if self.tolerance else ""
        return f"{_fmt(self.answer)}{unit}{near}"


def _fmt(x: float) -> str:
    return f"{int(x):,}" if float(x).is_integer() else f"{x:,}"


# ----- general constructors -------------------------------------------------------------


def multiple_choice(
    prompt: str,
    options: Sequence[tuple[str, str]],
    answer: str | Iterable[str],
    *,
    multiple: bool = False,
    why: Sequence[str] = (),
    citations: Sequence[Citation] = (),
    context: str | None = None,
) -> MultipleChoice:
    """A multiple-choice question from your own options.

    Prefer the knowledge-base builders; use this when the answer is a reading skill rather
    than a fact. Build ``citations`` with :func:`homs.sources.cite` so every quote is checked.

    Args:
        prompt: The question.
        options: ``(key, label)`` pairs.
        answer: The right key, or the right keys when ``multiple``.
        multiple: Tick all that apply, instead of choose one.
        why: The explanation, one paragraph per item.
        citations: The quotes the explanation rests on.
        context: Background from outside the three texts.
    """
    return MultipleChoice(
        prompt,
        options,
        answer,
        multiple=multiple,
        why=why,
        citations=citations,
        context=context,
        spec=("multiple_choice", {"answer": answer}),
    )


def numeric(
    prompt: str,
    answer: float,
    *,
    tolerance: float = 0,
    unit: str = "",
    why: Sequence[str] = (),
    citations: Sequence[Citation] = (),
    context: str | None = None,
) -> Numeric:
    """A short numeric question whose answer you take from the knowledge base.

    Args:
        prompt: The question.
        answer: The right number.
        tolerance: How far from ``answer`` still counts as right.
        unit: The unit, shown beside the box, e.g. ``"years"``.
        why: The explanation, one paragraph per item.
        citations: The quotes the explanation rests on.
        context: Background from outside the three texts.
    """
    return Numeric(
        prompt,
        answer,
        tolerance=tolerance,
        unit=unit,
        why=why,
        citations=citations,
        context=context,
        spec=("numeric", {"answer": answer}),
    )


# ----- knowledge-base builders ------------------------------------------------------------

_DATING_RANK = {"explicit": 0, "relative": 1, "inferred": 2, "undated": 3}


def _kb(kb: KnowledgeBase | None) -> KnowledgeBase:
    return kb or knowledge.load()


def _best_report(event: Event) -> Citation:
    report = min(event.reports, key=lambda r: _DATING_RANK[r.dating])
    return report.citation


def which_sources(event_id: str, *, kb: KnowledgeBase | None = None) -> MultipleChoice:
    """Which sources report an event? (tick all that apply)

    Args:
        event_id: An event id from ``events.yaml``, e.g. ``"colvin-ochlik-killed"``.
        kb: The knowledge base; the packaged one by default.
    """
    event = _kb(kb).event(event_id)
    options = [(sid, _sources.get(sid).label) for sid in _sources.SOURCE_IDS]
    why = []
    for sid in _sources.SOURCE_IDS:
        ids = [r.citation.sentence for r in event.reports if r.source == sid]
        if ids:
            why.append(f"Source {sid} reports it ({', '.join(dict.fromkeys(ids))}).")
        else:
            why.append(f"Source {sid} does not mention it.")
    return MultipleChoice(
        f"Which sources report this event: {event.title}?",
        options,
        event.sources,
        multiple=True,
        why=why,
        citations=[r.citation for r in event.reports],
        context=_ctx(event.context),
        spec=("which_sources", {"event_id": event_id}),
    )


def order_events(event_ids: Sequence[str], *, kb: KnowledgeBase | None = None) -> Ordering:
    """Put events in the order they happened, earliest first.

    Args:
        event_ids: Two or more event ids whose dates do not overlap.
        kb: The knowledge base; the packaged one by default.

    Raises:
        KeyError: An event id is not in ``events.yaml``.
        ValueError: Fewer than two distinct events, or two whose dates overlap, so that their
            order cannot be told from the dates.
    """
    base = _kb(kb)
    distinct = set(event_ids)
    if isinstance(event_ids, str) or len(distinct) < 2 or len(distinct) != len(event_ids):
        raise ValueError(f"order_events needs two or more different event ids; got {event_ids!r}")
    events = sorted((base.event(e) for e in event_ids), key=lambda e: (e.date.start, e.date.end))
    for a, b in itertools.pairwise(events):
        if not a.date.end < b.date.start:
            raise ValueError(
                f"events {a.id!r} ({a.date.label()}) and {b.id!r} ({b.date.label()}) overlap in "
                "time, so their order cannot be checked; choose events whose dates do not overlap"
            )
    why = [f"{e.date.label()}: {e.title} ({_best_report(e).sentence})." for e in events]
    return Ordering(
        "Put these events in the order they happened, earliest first.",
        [(e.id, e.title) for e in sorted(events, key=lambda e: e.id)],
        [e.id for e in events],
        seed=",".join(event_ids),
        why=why,
        citations=[_best_report(e) for e in events],
        spec=("order_events", {"event_ids": list(event_ids)}),
    )


def match_claims(discrepancy_id: str, *, kb: KnowledgeBase | None = None) -> Matching:
    """Match each version of a disputed point to the source that gives it.

    Args:
        discrepancy_id: A discrepancy id from ``discrepancies.yaml`` involving two or more
            sources.
        kb: The knowledge base; the packaged one by default.

    Raises:
        ValueError: The discrepancy lies within one source, or two versions read the same.
    """
    d = _kb(kb).discrepancy(discrepancy_id)
    if d.within_one_source:
        raise ValueError(
            f"discrepancy {d.id!r} is within Source {d.sources[0]}; there is "
            "nothing to match. Choose one between two or more sources."
        )
    says = [v.says for v in d.versions]
    if len(set(says)) != len(says):
        raise ValueError(
            f"discrepancy {d.id!r}: two versions read the same ({says}); they "
            "cannot be told apart in a matching question"
        )
    items = [(f"v{i}", v.says) for i, v in enumerate(d.versions, start=1)]
    random.Random(d.id).shuffle(items)
    answer = {f"v{i}": v.source for i, v in enumerate(d.versions, start=1)}
    why = [f"{d.topic}: {d.type} ({DISCREPANCY_TYPES[d.type]})."]
    for v in d.versions:
        if v.citation is None:
            why.append(f"Source {v.source} is silent: {v.says}.")
        else:
            why.append(f"Source {v.source} says: {v.says} ({v.citation.sentence}).")
    why.append(d.explanation)
    return Matching(
        f"{d.topic}: which source says what? Match each version to its source.",
        items,
        [(s, f"Source {s}") for s in d.sources],
        answer,
        why=why,
        citations=[v.citation for v in d.versions if v.citation is not None],
        context=_ctx(d.context),
        spec=("match_claims", {"discrepancy_id": discrepancy_id}),
    )


def discrepancy_type(discrepancy_id: str, *, kb: KnowledgeBase | None = None) -> MultipleChoice:
    """What kind of difference is this? The versions are quoted in the question.

    Args:
        discrepancy_id: A discrepancy id from ``discrepancies.yaml``.
        kb: The knowledge base; the packaged one by default.
    """
    d = _kb(kb).discrepancy(discrepancy_id)
    quotes = []
    for v in d.versions:
        if v.citation is None:
            quotes.append(f"<p>Source {_e(v.source)} says nothing on this.</p>")
        else:
            quotes.append(
                f'<blockquote><span class="homs-sid">{_e(v.citation.sentence)}</span>'
                f"\u201c{_e(v.citation.quote)}\u201d</blockquote>"
            )
    return MultipleChoice(
        f"{d.topic}: what kind of difference is this?",
        [(t, f"{t}: {meaning}") for t, meaning in DISCREPANCY_TYPES.items()],
        d.type,
        why=[d.explanation],
        citations=[v.citation for v in d.versions if v.citation],
        context=_ctx(d.context),
        extra_html="\n".join(quotes),
        spec=("discrepancy_type", {"discrepancy_id": discrepancy_id}),
    )


def version_value(
    discrepancy_id: str, source_id: str, *, tolerance: float = 0, kb: KnowledgeBase | None = None
) -> Numeric:
    """What number does one source give on a disputed point? (e.g. the population)

    Args:
        discrepancy_id: A discrepancy whose versions carry a ``value``.
        source_id: The source whose number is asked for.
        tolerance: How far off still counts as right.
        kb: The knowledge base; the packaged one by default.

    Raises:
        ValueError: That source has no version with a number in this discrepancy.
    """
    d = _kb(kb).discrepancy(discrepancy_id)
    versions = [
        v
        for v in d.versions
        if v.source == source_id and v.value is not None and v.citation is not None
    ]
    if len(versions) != 1:
        raise ValueError(
            f"discrepancy {d.id!r} has {len(versions)} versions from Source "
            f"{source_id} with a `value`; version_value needs exactly one"
        )
    v = versions[0]
    others = [f"Source {o.source} says: {o.says}." for o in d.versions if o is not v]
    return Numeric(
        f"{d.topic}: what number does Source {source_id} give?",
        float(v.value or 0),
        tolerance=tolerance,
        why=[
            f"Source {source_id} says: {v.says} ({v.citation.sentence if v.citation else ''}).",
            *others,
            d.explanation,
        ],
        citations=[o.citation for o in d.versions if o.citation is not None],
        context=_ctx(d.context),
        spec=("version_value", {"discrepancy_id": discrepancy_id, "source_id": source_id}),
    )


def years_between(
    first_event: str, second_event: str, *, kb: KnowledgeBase | None = None
) -> Numeric:
    """How many years passed between two events? (the difference of their years)

    Args:
        first_event: The earlier event's id.
        second_event: The later event's id.
        kb: The knowledge base; the packaged one by default.

    Raises:
        ValueError: An event's date spans more than one year, or the second is not later.
    """
    base = _kb(kb)
    a, b = base.event(first_event), base.event(second_event)
    for e in (a, b):
        if e.date.start.year != e.date.end.year:
            raise ValueError(
                f"event {e.id!r} is dated {e.date.label()}, across more than one "
                "year; choose events dated within one year"
            )
    if b.date.year <= a.date.year:
        raise ValueError(
            f"{second_event!r} ({b.date.year}) is not in a later year than "
            f"{first_event!r} ({a.date.year}); give the earlier event first"
        )
    ca, cb = _best_report(a), _best_report(b)
    return Numeric(
        f"How many years passed between these two events: \u201c{a.title}\u201d and "
        f"\u201c{b.title}\u201d? Use the years the sources give.",
        b.date.year - a.date.year,
        unit="years",
        why=[
            f"{a.title}: {a.date.label()} ({ca.sentence}).",
            f"{b.title}: {b.date.label()} ({cb.sentence}).",
            f"{b.date.year} \u2212 {a.date.year} = {b.date.year - a.date.year}.",
        ],
        citations=[ca, cb],
        context=_ctx(a.context or b.context),
        spec=("years_between", {"first_event": first_event, "second_event": second_event}),
    )


_CATALOG_FIELDS = ("outlet", "genre", "audience")


def catalog_choice(source_id: str, field: str) -> MultipleChoice:
    """Which description fits a source? Options are the three sources' catalog entries.

    Args:
        source_id: ``"A"``, ``"B"`` or ``"C"``.
        field: ``"outlet"``, ``"genre"`` or ``"audience"``.

    Raises:
        ValueError: ``field`` is not one of those.
    """
    if field not in _CATALOG_FIELDS:
        raise ValueError(
            f"field {field!r} is not in the catalog questions; choose one of "
            f"{', '.join(_CATALOG_FIELDS)}"
        )
    source = _sources.get(source_id)
    entries = {sid: _sources.get(sid).catalog[field] for sid in _sources.SOURCE_IDS}
    options = [(sid, str(entry["value"])) for sid, entry in entries.items()]
    mine = entries[source_id]
    basis = {
        "stated": "the text says so",
        "inferred": "worked out from the text",
        "context": "from outside the text",
    }[mine["basis"]]
    what = {
        "outlet": "Who most probably published",
        "genre": "What kind of text is",
        "audience": "Who was the intended audience of",
    }[field]
    return MultipleChoice(
        f"{what} Source {source_id}?",
        options,
        source_id,
        why=[f"{mine['value']} ({basis}).", " ".join(str(mine["evidence"]).split())],
        citations=[_whole(s) for s in mine.get("sentences", [])],
        context=_ctx(mine.get("context")) if mine["basis"] == "context" else None,
        spec=("catalog_choice", {"source_id": source.id, "field": field}),
    )


def publication_year(source_id: str) -> Numeric:
    """In which year was a source written? Answered from the catalog's dating evidence.

    Args:
        source_id: ``"A"``, ``"B"`` or ``"C"``.
    """
    source = _sources.get(source_id)
    p = source.catalog["published"]
    year = int(str(p["most_likely"])[:4])
    citations = [_sources.cite(ev["sentence"], ev["quote"]) for ev in p["evidence"]]
    why = [f"{ev['sentence']}: \u201c{ev['quote']}\u201d {ev['shows']}" for ev in p["evidence"]]
    why.append(" ".join(str(p["reasoning"]).split()))
    hint = (
        "Use the evidence inside the text."
        if p["basis"] != "context"
        else "The text gives clues but not the year itself: use the clues and the context."
    )
    what = f"the main text of Source {source_id}" if p.get("update") else f"Source {source_id}"
    return Numeric(
        f"In which year was {what} most probably written? {hint}",
        year,
        unit="year",
        why=why,
        citations=citations,
        context=_ctx(p.get("context")),
        spec=("publication_year", {"source_id": source_id}),
    )


def witness_groups(
    event_id: str, *, kb: KnowledgeBase | None = None
) -> tuple[list[tuple[str, ...]], list[Discrepancy]]:
    """The sources that report an event, grouped into independent witnesses.

    Two sources fall into one group when a ``dependence`` discrepancy quotes both of them in
    sentences that report this event: one reuses the other's wording there.

    Args:
        event_id: An event id from ``events.yaml``.
        kb: The knowledge base; the packaged one by default.

    Returns:
        The groups (each a tuple of source letters, in order) and the dependence
        discrepancies that joined them.
    """
    base = _kb(kb)
    event = base.event(event_id)
    reported = {r.citation.sentence for r in event.reports}
    group = {s: {s} for s in event.sources}
    used = []
    for d in base.discrepancies:
        if d.type != "dependence":
            continue
        hit = {v.source for v in d.versions if v.citation and v.citation.sentence in reported}
        if len(hit) < 2:
            continue
        used.append(d)
        merged = set().union(*(group[s] for s in hit))
        for s in merged:
            group[s] = merged
    groups = sorted({tuple(sorted(g)) for g in group.values()})
    return groups, used


def independent_witnesses(event_id: str, *, kb: KnowledgeBase | None = None) -> Numeric:
    """How many independent witnesses report an event? Sources sharing wording count once.

    Args:
        event_id: An event id from ``events.yaml``.
        kb: The knowledge base; the packaged one by default.
    """
    base = _kb(kb)
    event = base.event(event_id)
    groups, used = witness_groups(event_id, kb=base)
    why = []
    for sid in event.sources:
        ids = ", ".join(
            dict.fromkeys(r.citation.sentence for r in event.reports if r.source == sid)
        )
        why.append(f"Source {sid} reports it ({ids}).")
    reported = {r.citation.sentence for r in event.reports}
    for d in used:
        pair = _and(
            [
                v.citation.sentence
                for v in d.versions
                if v.citation and v.citation.sentence in reported
            ]
        )
        why.append(f"{pair} share wording ({d.topic}): {d.explanation}")
    named = _and(
        [
            "Source " + _and(list(g)) if len(g) == 1 else "Sources " + _and(list(g)) + " together"
            for g in groups
        ]
    )
    why.append(
        f"So there {'is' if len(groups) == 1 else 'are'} {len(groups)} independent "
        f"witness{'es' if len(groups) != 1 else ''}: {named}."
    )
    citations = [r.citation for r in event.reports]
    citations += [
        v.citation for d in used for v in d.versions if v.citation and v.citation not in citations
    ]
    return Numeric(
        f"How many independent witnesses report this event: {event.title}? Sources that share "
        "wording count as one.",
        len(groups),
        unit="witnesses",
        why=why,
        citations=citations,
        spec=("independent_witnesses", {"event_id": event_id}),
    )


_TICK, _CROSS = "\u2713", "\u2717"
_SENTENCE_IDS = re.compile(r"(?<![\w-])([ABC])-([0-9]+)(?![\w-])")
_ATTRIBUTION = re.compile(r"\bSources? [ABC]\b|\baccording to\b", re.IGNORECASE)


class EvidenceAnswer(Question):
    """A short written answer, checked against a checklist rather than a key.

    The check finds the sentence ids the answer cites, says which do not exist, shows each
    cited sentence so the student can see it supports the claim, and warns where two cited
    sentences share wording (one witness, not two). ``correct`` is ``True`` when the
    checklist is met.
    """

    kind = "written answer"
    help_text = (
        "Write a few sentences. Cite the sentences you rely on by their ids, e.g. "
        "(A-31, B-19), and attribute claims (\u201cSource B says \u2026\u201d)."
    )
    right_word = "Checklist complete."

    def __init__(
        self,
        prompt: str,
        *,
        min_citations: int = 2,
        min_sources: int = 2,
        kb: KnowledgeBase | None = None,
        **kwargs: Any,
    ) -> None:
        if min_citations < 1 or min_sources < 1:
            raise ValueError("min_citations and min_sources must be 1 or more")
        self.min_citations = min_citations
        self.min_sources = min_sources
        self._kbase = _kb(kb)
        self._report: list[tuple[bool, str]] = []
        self._cited: list[str] = []
        super().__init__(prompt, None, **kwargs)

    def _control(self) -> widgets.Widget:
        self.text = widgets.Textarea(
            value="",
            placeholder="Your answer, citing sentence ids such as (A-31, B-19)",
            layout=widgets.Layout(width="100%", height="10em"),
        )
        return self.text

    @property
    def value(self) -> str:
        """The text written so far."""
        return self.text.value

    @value.setter
    def value(self, new: str) -> None:
        self.text.value = str(new)

    def cited(self) -> list[str]:
        """The sentence ids the answer cites, in order of first mention."""
        return list(dict.fromkeys(f"{a}-{n}" for a, n in _SENTENCE_IDS.findall(self.value)))

    def _grade(self) -> tuple[bool | None, str]:
        if len(self.value.split()) < 5:
            self._report = []
            return None, "Write your answer (a few sentences), then press Check."
        ids = self.cited()
        missing = []
        for sid in ids:
            try:
                _sources.sentence(sid)
            except KeyError:
                missing.append(sid)
        self._cited = [sid for sid in ids if sid not in missing]
        used_sources = sorted({sid[0] for sid in self._cited})
        report = [
            (
                len(self._cited) >= self.min_citations,
                f"cites at least {self.min_citations} sentences (you cite {len(self._cited)})",
            ),
            (
                len(used_sources) >= self.min_sources,
                f"uses at least {self.min_sources} sources (you use "
                f"{_and(used_sources) or 'none'})",
            ),
            (
                not missing,
                "every id exists" + (f" (not found: {_and(missing)})" if missing else ""),
            ),
            (
                bool(_ATTRIBUTION.search(self.value)),
                "attributes claims to their source (\u201cSource B says \u2026\u201d)",
            ),
        ]
        self._report = report
        passed = sum(ok for ok, _ in report)
        return passed == len(report), f"{passed} of {len(report)} checklist items met."

    def _dependent_pairs(self) -> list[tuple[str, str, str]]:
        cited = set(self._cited)
        pairs = []
        for d in self._kbase.discrepancies:
            if d.type != "dependence":
                continue
            hit = [
                v.citation.sentence
                for v in d.versions
                if v.citation and v.citation.sentence in cited
            ]
            if len({h[0] for h in hit}) >= 2:
                pairs.append((_and(hit), d.id, d.topic))
        return pairs

    def _body(self, verdict: bool | None, detail: str) -> str:
        if verdict is None:
            return f"<p>{_e(detail)}</p>"
        items = "".join(
            f'<li><span aria-hidden="true">{_TICK if ok else _CROSS} </span>'
            f"{'Done' if ok else 'Not yet'}: {_e(text)}</li>"
            for ok, text in self._report
        )
        parts = [f"<p>{_e(detail)}</p>", f'<ul class="homs-cites">{items}</ul>']
        for pair, did, topic in self._dependent_pairs():
            parts.append(
                f"<p><b>Careful:</b> {_e(pair)} share wording ({_e(topic)}; see "
                f"<code>{_e(did)}</code>). They count as one witness, not two.</p>"
            )
        if self._cited:
            cites = "".join(
                f'<li><span class="homs-sid">{_e(sid)}</span> <span class="homs-quote">'
                f"\u201c{_e(_sources.sentence(sid).text)}\u201d</span></li>"
                for sid in self._cited
            )
            parts.append(
                "<p>The sentences you cite. Does each one say what you use it for?</p>"
                f'<ul class="homs-cites">{cites}</ul>'
            )
        return "\n".join(parts)

    def answer_text(self) -> str:
        return "There is no single right answer; the checklist and your teacher judge it."


def evidence_answer(
    prompt: str, *, min_citations: int = 2, min_sources: int = 2, kb: KnowledgeBase | None = None
) -> EvidenceAnswer:
    """A short written answer to a historical question, with a checklist for its evidence.

    Args:
        prompt: The question to answer.
        min_citations: How many different sentences the answer must cite.
        min_sources: From how many different sources.
        kb: The knowledge base (for the shared-wording warnings); the packaged one by default.
    """
    return EvidenceAnswer(
        prompt,
        min_citations=min_citations,
        min_sources=min_sources,
        kb=kb,
        spec=("evidence_answer", {"prompt": prompt}),
    )


def _whole(sentence_id: str) -> Citation:
    return _sources.cite(sentence_id, _sources.sentence(sentence_id).text)


def _ctx(text: str | None) -> str | None:
    return " ".join(context_text(text).split()) if text else None


def show(question: Question) -> None:
    """Shows a question in the notebook."""
    if not isinstance(question, Question):
        raise TypeError(
            f"show() takes a selfcheck question, not {type(question).__name__}; "
            "build one with e.g. selfcheck.order_events([...])"
        )
    display(question)
