"""The self-check question widgets: :class:`Question` and its kinds, each an ipywidgets box you
can also drive from code. They import ipywidgets, the knowledge base and the sources, and the
helpers below them (``_templates``, ``_text``, ``_assets``); what a question asks and answers is
built by :mod:`homs.selfcheck`, which imports this module, never the reverse.

- :class:`MultipleChoice` (one answer, or "tick all that apply"),
- :class:`Ordering` (put items in order with up/down buttons),
- :class:`Matching` (a drop-down beside each item),
- :class:`Numeric` (a number, with a tolerance),
- :class:`EvidenceAnswer` (a short written answer checked against a checklist),
- :class:`ShortAnswer` (a date or a sentence id, typed; the course book's practice quizzes).

Set ``.value`` (or use the controls), call :meth:`Question.check` (or press *Check*), then read
``.correct`` and ``.feedback.value``. The prompt and the feedback are rendered from the
autoescaping templates ``question.html`` and ``question_feedback.html``: the text of a
question, its options and its explanation is always escaped.

Each question is an anywidget (:class:`homs.widgets._front.HomsWidget`) drawn by
``homs/static/homs-widgets.js``. Its model carries everything a check needs: the options, the
answer, the accepted answers, and the feedback for each verdict, rendered here. So the browser
checks an answer and explains it with no kernel (the static course book), and the same widget
works in JupyterLab, where the Python object checks it too. :meth:`Question.static_html` draws
a question for a static page.

A question can accept more than one answer. ``answer`` is the preferred answer and
``preferred_because`` says why; ``accepted`` maps each other full-credit answer to the reason it
is accepted (written to follow "because"). An accepted answer is marked right, and the feedback
says that it is also accepted, and why, and which answer is preferred, and why:

>>> q = MultipleChoice("Which?", [("a", "A"), ("b", "B")], "a",
...                    accepted={"b": "B is also defensible."}, preferred_because="A fits best.")
>>> q.value = "b"
>>> q.check(), q.matched
(True, 'accepted')
"""

from __future__ import annotations

import itertools
import random
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, ClassVar

import traitlets

from homs import _assets, knowledge
from homs import sources as _sources
from homs._templates import render
from homs._text import join_and, plural
from homs.knowledge import KnowledgeBase
from homs.sources import Citation
from homs.widgets._front import HomsWidget

__all__ = [
    "EvidenceAnswer",
    "Matching",
    "MultipleChoice",
    "Numeric",
    "Ordering",
    "Question",
    "ShortAnswer",
]


#: Where the front end writes a check's detail ("2 of 5 are in the right place.") into the
#: feedback rendered here: a placeholder in a text node, replaced as text.
DETAIL = "@@HOMS-DETAIL@@"


class _Shown:
    """What a question shows as HTML, read as ``.value`` (``q.feedback.value``)."""

    def __init__(self, owner: Question, read: str) -> None:
        self._owner = owner
        self._read = read

    @property
    def value(self) -> str:
        return str(getattr(self._owner, self._read)())

    def __repr__(self) -> str:
        return f"<{self._read}: {self.value[:60]!r}>"


class Question(HomsWidget):
    """A self-check question: a prompt, an input, a *Check* button and feedback.

    Attributes:
        prompt: The question, as plain text.
        answer: The right answer, in the same form as ``value``.
        why: The explanation, as plain-text paragraphs.
        citations: The quotes the explanation rests on, each with its sentence id.
        context: Background from outside the three texts, if any (shown marked as context).
        quotes: What the prompt shows under the question: a citation as a block quote with its
            sentence id, a string as a plain paragraph.
        notes: Context shown under the quotes, before any answer (e.g. the correction of a date
            a quote prints), each marked as context.
        accepted: The other full-credit answers, in the same form as ``answer``, each with the
            reason it is accepted (written to follow "because").
        preferred_because: Why ``answer`` is preferred to the other accepted answers (written to
            follow "because").
        matched: After a check, ``"preferred"`` or ``"accepted"`` if the answer is right (which
            one it matched), else ``None``.
        spec: How the question was built, ``(builder name, arguments)``, for the tests.
        feedback: The feedback shown, as HTML in ``.value`` (empty until a check).
        prompt_html: The prompt, as HTML in ``.value``.

    Synced with the front end: ``data`` (what the browser needs to draw and check the
    question), ``answer_state`` (the answer, as JSON), ``feedback_html`` and ``correct``.
    """

    correct = traitlets.Bool(
        None, allow_none=True, help="None until checked, then the verdict."
    ).tag(sync=True)
    data = traitlets.Dict(help="The question as the front end draws and checks it.").tag(sync=True)
    answer_state = traitlets.Any(None, help="The answer as JSON (see .value).").tag(sync=True)
    feedback_html = traitlets.Unicode("", help="The feedback of the last check.").tag(sync=True)
    static_traits = ("data", "answer_state", "feedback_html")

    kind: ClassVar[str] = "question"
    notice_label: ClassVar[str] = "A self-check question"
    help_text: ClassVar[str] = ""
    right_word: ClassVar[str] = "Correct."
    #: The template of the feedback; it gets the verdict and :meth:`_feedback_context`.
    feedback_template: ClassVar[str] = "question_feedback.html"

    def __init__(
        self,
        prompt: str,
        answer: Any,
        *,
        why: Sequence[str] = (),
        citations: Sequence[Citation] = (),
        context: str | None = None,
        quotes: Sequence[Citation | str] = (),
        notes: Sequence[str] = (),
        accepted: Mapping[Any, str] | None = None,
        preferred_because: str | None = None,
        spec: tuple[str, Mapping[str, Any]] = ("custom", {}),
    ) -> None:
        self.prompt = prompt
        self.answer = answer
        self.why = tuple(why)
        self.citations = tuple(citations)
        self.context = context
        self.quotes = tuple(quotes)
        self.notes = tuple(notes)
        self.accepted: dict[Any, str] = {}
        for other, reason in (accepted or {}).items():
            key = self._accepted_key(other)
            if key == self._accepted_key(answer):
                raise ValueError(
                    f"{other!r} is the preferred answer; `accepted` lists only the other answers"
                )
            if not str(reason).strip():
                raise ValueError(f"the accepted answer {other!r} needs its reason")
            self.accepted[key] = " ".join(str(reason).split())
        self.preferred_because = " ".join(preferred_because.split()) if preferred_because else None
        self.matched: str | None = None
        self.spec = spec
        super().__init__(homs_view="question")
        self.prompt_html = _Shown(self, "_prompt")
        self.feedback = _Shown(self, "_feedback_shown")
        self.answer_state = self._initial_state()
        self.data = {
            "kind": self._front_kind(),
            "prompt_html": render(
                "question.html",
                css=_assets.read("selfcheck.css"),
                kind=self.kind,
                prompt=prompt,
                quotes=[(q, isinstance(q, Citation)) for q in self.quotes],
                notes=self.notes,
                help=self.help_text,
            ),
            "accepted": [[self._front_key(k), reason] for k, reason in self.accepted.items()],
            "feedback": self._feedback_kit(),
            **self._front_data(),
        }
        self.on_msg(self._on_message)

    def _prompt(self) -> str:
        return self.data["prompt_html"]

    def _feedback_shown(self) -> str:
        return self.feedback_html

    def _on_message(self, _widget: Any, content: Any, _buffers: Any) -> None:
        """The front end's *Check* button: check here too, so ``correct`` is known here."""
        if isinstance(content, dict) and content.get("event") == "check":
            self.check()

    # Subclasses provide these.
    def _initial_state(self) -> Any:
        """The answer state of a question nobody has answered."""
        raise NotImplementedError

    def _front_kind(self) -> str:
        """The front end's name for this kind: choice, multi, ordering, matching, numeric,
        evidence."""
        raise NotImplementedError

    def _front_data(self) -> dict[str, Any]:
        """What the front end needs besides the prompt, the accepted answers and the feedback."""
        raise NotImplementedError

    def _front_key(self, key: Any) -> Any:
        """An accepted answer's key as JSON."""
        return list(key) if isinstance(key, tuple) else key

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
        """The right answer in words (the preferred one, where several are accepted)."""
        return self.answer_label(self.answer)

    def answer_label(self, answer: Any) -> str:
        """An answer, in the form of ``answer``, in words."""
        raise NotImplementedError

    def _accepted_key(self, answer: Any) -> Any:
        """An accepted answer in the hashable form :meth:`_matching_accepted` compares."""
        return answer

    def _matching_accepted(self) -> Any:
        """The key of the accepted answer the current value matches, or ``None``."""
        return None

    def accepted_text(self) -> list[tuple[str, str]]:
        """The other accepted answers in words, each with its reason."""
        return [(self.answer_label(k), reason) for k, reason in self.accepted.items()]

    def explanation_html(self) -> str:
        """The answer, why, and the quotes it rests on, as HTML."""
        return render("question_explanation.html", **self._explanation())

    def _explanation(self) -> dict[str, Any]:
        return {
            "answer": self.answer_text(),
            "preferred_because": self.preferred_because if self.accepted else None,
            "accepted": self.accepted_text(),
            "preferred_only": False,
            "why": self.why,
            "citations": self.citations,
            "context": self.context,
        }

    def _feedback_context(self, chosen: Any = None) -> dict[str, Any]:
        """What :attr:`feedback_template` shows under the verdict: by default the explanation
        (at once if right, one click away if not). After an accepted answer (``chosen``, its
        key) the verdict's detail has said why it is accepted and why the preferred one is
        preferred, so the explanation lists only the other accepted answers."""
        context = self._explanation()
        if chosen is not None:
            context["preferred_because"] = None
            context["accepted"] = [
                (self.answer_label(k), reason)
                for k, reason in self.accepted.items()
                if k != chosen and not (isinstance(chosen, tuple) and k in chosen)
            ]
            context["preferred_only"] = True
        return context

    def _feedback(self, verdict: bool | None, detail: str, chosen: Any = None) -> str:
        """The feedback HTML for a verdict (``chosen``: the accepted answer matched, if any)."""
        if verdict is None:
            state, symbol, word = "none", "?", "Not answered yet."
        elif chosen is not None:
            state, symbol, word = "right", "\u2713", "Correct: an accepted answer."
        elif verdict:
            state, symbol, word = "right", "\u2713", self.right_word
        else:
            state, symbol, word = "wrong", "\u2717", "Not yet."
        return render(
            self.feedback_template,
            state=state,
            symbol=symbol,
            verdict=word,
            detail=detail,
            **self._feedback_context(chosen),
        )

    def _accepted_answers(self) -> list[Any]:
        """The keys the front end's accepted feedback is listed by, in order."""
        return list(self.accepted)

    def _feedback_kit(self) -> dict[str, Any]:
        """The feedback for every verdict, for the front end: right, wrong and not answered
        (with :data:`DETAIL` where the check's detail goes), and one per accepted answer."""
        return {
            "right": self._feedback(True, ""),
            "wrong": self._feedback(False, DETAIL),
            "none": self._feedback(None, DETAIL),
            "accepted": [
                self._feedback(True, self._accepted_detail(k), k) for k in self._accepted_answers()
            ],
        }

    def check(self) -> bool:
        """Grades the current answer, shows the feedback and returns whether it is right.

        An answer among ``accepted`` is right: the feedback says it is also accepted, and why,
        and names the preferred answer, and why it is preferred.
        """
        verdict, detail = self._grade()
        self.matched = "preferred" if verdict else None
        chosen = None
        if verdict is False and self.accepted:
            key = self._matching_accepted()
            if key is not None:
                verdict, self.matched, chosen = True, "accepted", key
                detail = self._accepted_detail(key)
        self.correct = verdict
        self.feedback_html = self._feedback(verdict, detail, chosen)
        return bool(verdict)

    def _accepted_detail(self, key: Any) -> str:
        text = (
            f"\u201c{self.answer_label(key)}\u201d is also accepted, because {self.accepted[key]}"
        )
        text = text if text.endswith(".") else text + "."
        text += f" The preferred answer is \u201c{self.answer_text()}\u201d"
        if self.preferred_because:
            text += f", because {self.preferred_because}"
        return text if text.endswith(".") else text + "."

    def static_fallback(self) -> str:
        return self._prompt()


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

    def _accepted_key(self, answer: Any) -> Any:
        keys = [k for k, _ in self.options]
        if self.multiple:
            chosen = {answer} if isinstance(answer, str) else set(answer)
            bad = chosen - set(keys)
            if bad or not chosen:
                raise ValueError(f"an accepted answer must be options among {keys}; got {answer!r}")
            return tuple(k for k in keys if k in chosen)
        if answer not in keys:
            raise ValueError(f"an accepted answer must be one option among {keys}; got {answer!r}")
        return answer

    def _matching_accepted(self) -> Any:
        value = self.value
        if self.multiple:
            value = tuple(k for k, _ in self.options if k in set(value))
        return value if value in self.accepted else None

    def _initial_state(self) -> Any:
        return [] if self.multiple else None

    def _front_kind(self) -> str:
        return "multi" if self.multiple else "choice"

    def _front_data(self) -> dict[str, Any]:
        return {
            "options": [list(o) for o in self.options],
            "labels": dict(self.options),
            "answer": list(self.answer) if self.multiple else self.answer,
        }

    @property
    def value(self) -> Any:
        """The chosen key (``None`` if none), or the tuple of ticked keys."""
        if self.multiple:
            chosen = set(self.answer_state or ())
            return tuple(k for k, _ in self.options if k in chosen)
        return self.answer_state

    @value.setter
    def value(self, new: Any) -> None:
        keys = [k for k, _ in self.options]
        if self.multiple:
            chosen = {new} if isinstance(new, str) else set(new or ())
            bad = chosen - set(keys)
            if bad:
                raise ValueError(f"{sorted(bad)} are not options; choose among {keys}")
            self.answer_state = [k for k in keys if k in chosen]
        else:
            if new is not None and new not in keys:
                raise ValueError(f"{new!r} is not an option; choose among {keys}")
            self.answer_state = new

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
                bits.append(f"left {plural(len(missing), 'right option')} unticked")
            if extra:
                bits.append(
                    f"ticked {plural(len(extra), 'option')} that "
                    + ("does" if len(extra) == 1 else "do")
                    + " not apply"
                )
            return False, "You have " + " and ".join(bits) + "."
        if self.value is None:
            return None, "Choose an option, then press Check."
        if self.value == self.answer:
            return True, ""
        return False, f"\u201c{self._label(self.value)}\u201d is not the best answer."

    def answer_label(self, answer: Any) -> str:
        if self.multiple:
            return join_and([self._label(k) for k in answer]) or "none of them"
        return self._label(answer)


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
        self._start = start
        super().__init__(prompt, tuple(answer), **kwargs)

    def _accepted_key(self, answer: Any) -> Any:
        order = tuple(answer)
        if sorted(order) != sorted(self.items):
            raise ValueError(
                f"an accepted order must be the item keys {list(self.items)}; got {list(order)}"
            )
        return order

    def _matching_accepted(self) -> Any:
        return self.value if self.value in self.accepted else None

    def _initial_state(self) -> Any:
        return list(self._start)

    def _front_kind(self) -> str:
        return "ordering"

    def _front_data(self) -> dict[str, Any]:
        return {"labels": dict(self.items), "answer": list(self.answer)}

    def move(self, key: str, step: int) -> None:
        """Moves item ``key`` up (``step=-1``) or down (``step=1``)."""
        if key not in self.items:
            raise KeyError(f"{key!r} is not an item; the items are {list(self.items)}")
        order = list(self.answer_state)
        i = order.index(key)
        j = min(max(i + step, 0), len(order) - 1)
        order.insert(j, order.pop(i))
        self.answer_state = order

    @property
    def value(self) -> tuple[str, ...]:
        """The item keys in their current order."""
        return tuple(self.answer_state)

    @value.setter
    def value(self, new: Sequence[str]) -> None:
        if sorted(new) != sorted(self.items):
            raise ValueError(f"{list(new)} is not an order of the items {list(self.items)}")
        self.answer_state = list(new)

    def _grade(self) -> tuple[bool | None, str]:
        placed = sum(a == b for a, b in zip(self.value, self.answer, strict=True))
        if placed == len(self.answer):
            return True, ""
        return False, f"{placed} of {len(self.answer)} are in the right place."

    def answer_label(self, answer: Any) -> str:
        return "; ".join(f"{i}. {self.items[k]}" for i, k in enumerate(answer, start=1))


class Matching(Question):
    """Match each item to one choice from a drop-down.

    ``items`` are ``(key, label)`` pairs, ``choices`` ``(value, label)`` pairs; ``value`` and
    ``answer`` map item keys to choice values (``None`` where nothing is chosen yet).

    ``accepted`` works item by item here: it maps ``(item key, choice)`` to the reason that
    match is also accepted. An answer is right when every item has its preferred match or an
    accepted one.
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

    def _accepted_key(self, answer: Any) -> Any:
        if isinstance(answer, Mapping):  # the preferred answer, compared in __init__
            return None
        item, choice = answer
        if item not in self.items or choice not in self.choices:
            raise ValueError(
                f"an accepted match must be (item, choice) with an item of {list(self.items)} "
                f"and a choice of {list(self.choices)}; got {answer!r}"
            )
        if self.answer[item] == choice:
            raise ValueError(f"{answer!r} is the preferred match; `accepted` lists the others")
        return (item, choice)

    def _matching_accepted(self) -> Any:
        value = self.value
        if any(
            value[k] != v and (k, value[k]) not in self.accepted for k, v in self.answer.items()
        ):
            return None
        used = tuple((k, value[k]) for k in self.answer if value[k] != self.answer[k])
        return used or None

    def _accepted_answers(self) -> list[Any]:
        """Every answer that is right through accepted matches: each combination of an
        accepted match or the preferred one per item, but all preferred."""
        per_item = [[None, *(c for (i, c) in self.accepted if i == k)] for k in self.answer]
        combos = []
        for pick in itertools.product(*per_item):
            used = tuple((k, c) for k, c in zip(self.answer, pick, strict=True) if c is not None)
            if used:
                combos.append(used)
        return combos

    def _accepted_detail(self, key: Any) -> str:
        parts = [
            f"\u201c{self.items[k]} \u2192 {self.choices[c]}\u201d is also accepted, because "
            + self.accepted[(k, c)].rstrip(".")
            + "."
            for k, c in key
        ]
        preferred = "; ".join(
            f"{self.items[k]} \u2192 {self.choices[self.answer[k]]}" for k, _ in key
        )
        text = " ".join(parts) + f" The preferred match is \u201c{preferred}\u201d"
        if self.preferred_because:
            text += f", because {self.preferred_because.rstrip('.')}"
        return text + "."

    def answer_label(self, answer: Any) -> str:
        if isinstance(answer, Mapping):
            pairs = answer.items()
            return "; ".join(f"{self.items[k]} \u2192 {self.choices[v]}" for k, v in pairs)
        item, choice = answer
        return f"{self.items[item]} \u2192 {self.choices[choice]}"

    def _initial_state(self) -> Any:
        return dict.fromkeys(self.items)

    def _front_kind(self) -> str:
        return "matching"

    def _front_data(self) -> dict[str, Any]:
        return {
            "items": [[k, label] for k, label in self.items.items()],
            "choices": [[v, label] for v, label in self.choices.items()],
            "answer": [[k, v] for k, v in self.answer.items()],
            "combos": [[list(pair) for pair in combo] for combo in self._accepted_answers()],
        }

    @property
    def value(self) -> dict[str, str | None]:
        """Each item key with the choice made for it (``None`` if none yet)."""
        state = self.answer_state or {}
        return {k: state.get(k) for k in self.items}

    @value.setter
    def value(self, new: Mapping[str, str | None]) -> None:
        state = dict(self.value)
        for k, v in new.items():
            if k not in self.items:
                raise KeyError(f"{k!r} is not an item; the items are {list(self.items)}")
            if v is not None and v not in self.choices:
                raise ValueError(f"{v!r} is not a choice; choose among {list(self.choices)}")
            state[k] = v
        self.answer_state = state

    def _grade(self) -> tuple[bool | None, str]:
        value = self.value
        if all(v is None for v in value.values()):
            return None, "Choose a match for each item, then press Check."
        right = sum(value[k] == v for k, v in self.answer.items())
        if right == len(self.answer):
            return True, ""
        also = sum(value[k] != v and (k, value[k]) in self.accepted for k, v in self.answer.items())
        return False, f"{right + also} of {len(self.answer)} matches are right."


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
    """Type a number; right when within ``tolerance`` of the answer (or of an accepted one).

    ``unit`` is the plural noun shown beside the box and after the answer (``"years"``),
    ``unit_one`` its singular (``"year"``) for an answer of 1. ``year=True`` asks for a year:
    it is written without a thousands separator (2012, not 2,012) and with no unit.
    """

    kind = "short numeric"

    def __init__(
        self,
        prompt: str,
        answer: float,
        *,
        tolerance: float = 0,
        unit: str = "",
        unit_one: str | None = None,
        year: bool = False,
        **kwargs: Any,
    ) -> None:
        if tolerance < 0:
            raise ValueError(f"tolerance must be 0 or more, not {tolerance}")
        self.tolerance = float(tolerance)
        self.year = year
        self.unit = "" if year else unit
        self.unit_one = unit_one or self.unit
        if year:
            self.help_text = "Type a year, then press Check."
        else:
            self.help_text = (
                "Type a number" + (f" ({self.unit})" if self.unit else "") + ", then press Check."
            )
        super().__init__(prompt, float(answer), **kwargs)

    def _accepted_key(self, answer: Any) -> Any:
        return float(answer)

    def _matching_accepted(self) -> Any:
        number = _parse_number(self.value)
        if number is None:
            return None
        return next((k for k in self.accepted if abs(number - k) <= self.tolerance), None)

    def _initial_state(self) -> Any:
        return ""

    def _front_kind(self) -> str:
        return "numeric"

    def _front_data(self) -> dict[str, Any]:
        return {
            "answer": self.answer,
            "tolerance": self.tolerance,
            "year": self.year,
            "unit": self.unit,
        }

    @property
    def value(self) -> str:
        """The text typed in the box."""
        return str(self.answer_state or "")

    @value.setter
    def value(self, new: str | float | None) -> None:
        if new is None:
            self.answer_state = ""
        elif isinstance(new, float) and new.is_integer():
            self.answer_state = str(int(new))
        else:
            self.answer_state = str(new)

    def _number(self, x: float) -> str:
        return _fmt(x, grouping=not self.year)

    def _grade(self) -> tuple[bool | None, str]:
        if not self.value.strip():
            return None, "Type a year, then press Check." if self.year else (
                "Type a number, then press Check."
            )
        number = _parse_number(self.value)
        if number is None:
            return None, f"\u201c{self.value}\u201d is not a number; type digits, like 7 or 1.5."
        if abs(number - self.answer) <= self.tolerance:
            return True, ""
        if self.year:
            direction = "late" if number > self.answer else "early"
        else:
            direction = "high" if number > self.answer else "low"
        return False, f"{self._number(number)} is too {direction}."

    def answer_label(self, answer: Any) -> str:
        number = self._number(answer)
        if self.unit:
            number += " " + (self.unit_one if float(answer) == 1 else self.unit)
        return number

    def answer_text(self) -> str:
        near = f" (anything within {self._number(self.tolerance)} counts)" if self.tolerance else ""
        return self.answer_label(self.answer) + near


def _fmt(x: float, *, grouping: bool = True) -> str:
    """``1500000.0`` as ``1,500,000``; with ``grouping=False`` (a year) ``2012.0`` as ``2012``."""
    if float(x).is_integer():
        return f"{int(x):,}" if grouping else str(int(x))
    return f"{x:,}" if grouping else str(x)


_SENTENCE_IDS = re.compile(r"(?<![\w-])([ABC])-([0-9]+)(?![\w-])")
_ATTRIBUTION = re.compile(r"\bSources? [ABC]\b|\baccording to\b", re.IGNORECASE)


class EvidenceAnswer(Question):
    """A short written answer, checked against a checklist rather than a key.

    The check finds the sentence ids the answer cites, says which do not exist, shows each
    cited sentence so the student can see it supports the claim, and warns where two cited
    sentences share wording (one account, not two). ``correct`` is ``True`` when the
    checklist is met.
    """

    kind = "written answer"
    feedback_template = "question_evidence_feedback.html"
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
        self._kbase = kb or knowledge.load()
        self._report: list[tuple[bool, str]] | None = None
        self._cited: list[str] = []
        super().__init__(prompt, None, **kwargs)

    def _initial_state(self) -> Any:
        return ""

    def _front_kind(self) -> str:
        return "evidence"

    def _front_data(self) -> dict[str, Any]:
        """The checklist's thresholds, every sentence (to show the ones cited) and the
        discrepancies that record shared wording."""
        return {
            "min_citations": self.min_citations,
            "min_sources": self.min_sources,
            "sentences": {
                s.id: s.text for source in _sources.load().values() for s in source.sentences
            },
            "dependence": [
                {
                    "id": d.id,
                    "topic": d.topic,
                    "versions": [[v.source, v.citation.sentence] for v in d.versions if v.citation],
                }
                for d in self._kbase.discrepancies
                if d.type == "dependence"
            ],
        }

    def _feedback_kit(self) -> dict[str, Any]:
        """The feedback for each verdict with its detail but no checklist: the front end adds
        the checklist, the shared wording and the sentences cited, as the template does."""
        report, cited = self._report, self._cited
        self._report, self._cited = None, []
        try:
            return {
                "right": self._feedback(True, DETAIL),
                "wrong": self._feedback(False, DETAIL),
                "none": self._feedback(None, DETAIL),
                "accepted": [],
            }
        finally:
            self._report, self._cited = report, cited

    @property
    def value(self) -> str:
        """The text written so far."""
        return str(self.answer_state or "")

    @value.setter
    def value(self, new: str) -> None:
        self.answer_state = str(new)

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
                f"cites at least {plural(self.min_citations, 'sentence')} "
                f"(you cite {len(self._cited)})",
            ),
            (
                len(used_sources) >= self.min_sources,
                f"uses at least {plural(self.min_sources, 'source')} (you use "
                f"{join_and(used_sources) or 'none'})",
            ),
            (
                not missing,
                "every id exists" + (f" (not found: {join_and(missing)})" if missing else ""),
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
        """``(the cited sentences, discrepancy id, topic)`` for each pair of cited sentences that
        share wording."""
        cited = set(self._cited)
        pairs = []
        for d in self._kbase.shared_wording(cited):
            hit = [
                v.citation.sentence
                for v in d.versions
                if v.citation and v.citation.sentence in cited
            ]
            pairs.append((join_and(hit), d.id, d.topic))
        return pairs

    def _feedback_context(self, chosen: Any = None) -> dict[str, Any]:
        return {
            "checklist": self._report,
            "shared": self._dependent_pairs(),
            "cited": [_sources.sentence(sid) for sid in self._cited],
        }

    def answer_text(self) -> str:
        return "There is no single right answer; the checklist and your teacher judge it."


class ShortAnswer(Question):
    """Type a short answer, such as a date or a sentence id; right when, tidied (spaces
    trimmed, and upper-cased with ``upper=True``), it is the answer or an accepted one.

    ``form`` says how to write it ("a date as YYYY-MM-DD"); an answer that does not match
    ``pattern`` (a regular expression, ``^...$``, that JavaScript reads the same way) is not
    graded but sent back with a reminder of the form.
    """

    kind = "short answer"

    def __init__(
        self,
        prompt: str,
        answer: str,
        *,
        form: str = "your answer",
        pattern: str | None = None,
        upper: bool = False,
        placeholder: str = "",
        **kwargs: Any,
    ) -> None:
        self.form = form
        self.pattern = pattern
        self.upper = upper
        self.placeholder = placeholder
        self.help_text = f"Type {form}, then press Check."
        super().__init__(prompt, self._tidy(str(answer)), **kwargs)

    def _tidy(self, text: str) -> str:
        tidied = " ".join(str(text).split())
        return tidied.upper() if self.upper else tidied

    def _accepted_key(self, answer: Any) -> Any:
        return self._tidy(str(answer))

    def _matching_accepted(self) -> Any:
        tidied = self._tidy(self.value)
        return tidied if tidied in self.accepted else None

    def _initial_state(self) -> Any:
        return ""

    def _front_kind(self) -> str:
        return "short"

    def _front_data(self) -> dict[str, Any]:
        return {
            "answer": self.answer,
            "form": self.form,
            "pattern": self.pattern,
            "upper": self.upper,
            "placeholder": self.placeholder,
        }

    @property
    def value(self) -> str:
        """The text typed in the box."""
        return str(self.answer_state or "")

    @value.setter
    def value(self, new: str | None) -> None:
        self.answer_state = "" if new is None else str(new)

    def _grade(self) -> tuple[bool | None, str]:
        tidied = self._tidy(self.value)
        if not tidied:
            return None, f"Type {self.form}, then press Check."
        if self.pattern and not re.search(self.pattern, tidied):
            return None, f"\u201c{tidied}\u201d is not written as {self.form}."
        if tidied == self.answer:
            return True, ""
        return False, f"\u201c{tidied}\u201d is not the answer."

    def answer_label(self, answer: Any) -> str:
        return str(answer)
