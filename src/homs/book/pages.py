"""The course book's pages that are not lessons: the front page, the three texts read whole,
and the quizzes as practice pages. Each is MyST Markdown; any HTML in it comes from homs's
templates (the texts from :func:`homs.reader.full_text_html`, the questions from
:meth:`homs.widgets.Question.static_html`), inserted as a raw HTML block.

A practice page asks each quiz item as a self-check question (:func:`practice_question`): the
browser marks the answer and explains it, with the key's explanation and the sentences it
rests on. These keys are public already (``homs practice``, the quiz specs).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from homs import grading, reader, sources
from homs._text import plural
from homs.grading.authoring.spec import Item, Quiz
from homs.widgets import (
    EvidenceAnswer,
    Matching,
    MultipleChoice,
    Numeric,
    Ordering,
    Question,
    ShortAnswer,
)

__all__ = ["index_page", "practice_page", "practice_question", "text_page"]

_FENCE = "````"


def _raw(html: str) -> str:
    """A raw HTML block of MyST Markdown."""
    if _FENCE in html:
        raise ValueError("HTML for the book holds a Markdown fence (````)")
    return f"{_FENCE}{{raw}} html\n{html}\n{_FENCE}\n"


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _table(rows: tuple[tuple[str, ...], ...]) -> str:
    if not rows:
        return ""
    head, *body = rows
    lines = ["| " + " | ".join(map(_cell, head)) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(map(_cell, row)) + " |" for row in body]
    return "\n".join(lines) + "\n"


def text_slug(source_id: str) -> str:
    """The page name of a source's text: ``texts/source-a``."""
    return f"texts/source-{source_id.lower()}"


def text_page(source_id: str) -> str:
    """A source whole, one sentence per line with its id, hard words explained."""
    source = sources.get(source_id)
    html = reader.full_text_html(source_id, collapsed=False, uid=f"homs-text-{source_id}")
    return (
        f"# Source {source_id}: the whole text\n\n"
        "Every sentence has its id (such as "
        f"{source_id}-1), the id the lessons and quizzes cite. Words with a dotted underline are "
        "explained in the list under the text.\n\n" + _raw(html) + f"\n*{source.label}.*\n"
    )


def _strip_code(text: str) -> str:
    return re.sub(r"^`(.*)`$", r"\1", str(text).strip())


def _labels(item: Item) -> dict[str, str]:
    """The words the quiz's table gives for each option (an event id's event, a voice's name),
    by option."""
    return {_strip_code(row[0]): str(row[1]) for row in item.table[1:] if len(row) >= 2}


def _option_label(option: str, noun: str, labels: dict[str, str]) -> str:
    if noun == "source letter":
        return f"Source {option}"
    if option in labels:
        return f"{option}: {labels[option]}" if noun == "type" else labels[option]
    return option


def practice_question(item: Item) -> Question:
    """A quiz item as a self-check question, with the key's explanation and its sentences.

    Answers the item accepts for full marks besides the key are accepted here too, with their
    reasons.

    Raises:
        ValueError: The item's kind of answer has no self-check form.
    """
    why = [item.explanation] if item.explanation else []
    citations = [sources.cite(s, sources.sentence(s).text) for s in dict.fromkeys(item.cites)]
    common: dict[str, Any] = {"why": why, "citations": citations}
    accepted = {
        (tuple(a.value) if isinstance(a.value, list) else a.value): a.reason
        for a in item.accepted
        if a.points >= item.points
    }
    if accepted:
        common["accepted"] = accepted
        common["preferred_because"] = item.preferred_because or None
    prompt = f"{item.label}. {item.title}"
    spec = ("practice", {"item": item.id})
    if item.written:
        return EvidenceAnswer(item.question, spec=spec, **common)
    form = item.form
    assert form is not None
    labels = _labels(item)
    if form.kind == "order":
        items = [(k, labels.get(k, k)) for k in form.options]
        return Ordering(prompt, items, list(item.key), seed=item.id, spec=spec, **common)
    if form.kind == "match":
        statements = [(str(i), str(row[1])) for i, row in enumerate(item.table[1:], start=1)]
        choices = [(o, _option_label(o, form.noun, labels)) for o in form.options]
        answer = {str(i): k for i, k in enumerate(item.key, start=1)}
        return Matching(prompt, statements, choices, answer, spec=spec, **common)
    if form.kind in ("choice", "subset"):
        options = [(o, _option_label(o, form.noun, labels)) for o in form.options]
        multiple = form.kind == "subset"
        return MultipleChoice(prompt, options, item.key, multiple=multiple, spec=spec, **common)
    if form.kind == "int":
        return Numeric(prompt, item.key, spec=spec, **common)
    if form.kind == "date":
        day = form.date_format == "day"
        return ShortAnswer(
            prompt,
            item.key,
            form="a date as YYYY-MM-DD" if day else "a month as YYYY-MM",
            pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$" if day else r"^[0-9]{4}-[0-9]{2}$",
            placeholder="YYYY-MM-DD" if day else "YYYY-MM",
            spec=spec,
            **common,
        )
    if form.kind == "sentence":
        return ShortAnswer(
            prompt,
            item.key,
            form="a sentence id, such as B-14",
            pattern=r"^[ABC]-[0-9]+$",
            upper=True,
            placeholder="e.g. B-14",
            spec=spec,
            **common,
        )
    raise ValueError(f"{item.id}: no self-check form for answers of kind {form.kind!r}")


def _rubric(item: Item) -> str:
    lines = ["How a teacher marks it:", ""]
    for level in item.rubric:
        lines.append(f"- **{level.name} ({plural(level.points, 'point')}).** {level.descriptor}")
    lines.append("")
    for level in item.rubric:
        lines += [
            f"A sample answer at the level *{level.name}*:",
            "",
            f"> {level.sample}",
            "",
            f"Why: {level.annotation}",
            "",
        ]
    return "\n".join(lines)


def practice_page(quiz: Quiz) -> str:
    """A quiz as a practice page: its introduction, then each item with its question, its
    table and a self-check that marks the answer in the page."""
    texts = ", ".join(f"[Source {s}](../{text_slug(s)}.md)" for s in sources.SOURCE_IDS)
    parts = [
        f"# Practice: {quiz.title.removeprefix('Quiz: ')}\n",
        "This is the quiz as practice: answer each question in the page and press **Check** "
        "to see whether it is right, and why, with the sentences it rests on. Nothing is "
        "recorded or sent anywhere. The texts, whole, with their sentence ids: "
        f"{texts}.\n",
        quiz.intro.replace("at the end of this notebook", "in this book") + "\n",
    ]
    for item in quiz.items:
        points = f"{item.points} point{'s' if item.points != 1 else ''}"
        parts.append(f"## {item.label}. {item.title} ({points})\n")
        parts.append(item.question + "\n")
        if item.table:
            parts.append(_table(item.table))
        parts.append(_raw(practice_question(item).static_html()))
        if item.written:
            parts.append(_rubric(item))
    return "\n".join(parts)


def practice_slug(quiz_id: str) -> str:
    """The page name of a practice quiz: ``practice/timeline``."""
    return f"practice/{quiz_id}"


def index_page(lessons: list[Path], readme: str) -> str:
    """The front page: what the book is, how to use it, the unit's question, the lessons (the
    table of the lessons' README), the texts and the practice quizzes, and the contents."""
    table = re.search(r"^## The lessons\n(.*?)(?=^## )", readme, re.MULTILINE | re.DOTALL)
    question = re.search(r"^> \*\*Why was Homs.*$", readme, re.MULTILINE)
    note = re.search(r"^> \*\*Content note\.\*\*.*?(?=\n\n)", readme, re.MULTILINE | re.DOTALL)
    quizzes = grading.quiz_names()
    lines = [
        "# Reading three news texts about Homs, Syria\n",
        "This is the course book of the module: six lessons that teach how to read news "
        "sources as a historian does, using three texts about Homs, the Syrian city called the "
        "“capital of the revolution” (B-3). It works in any web browser, offline, with nothing "
        "to install: open it from a folder, or from any web site that hosts the folder.\n",
        "Each lesson is shown as it runs, with its charts, passages and self-check questions. "
        "Answer a question and press **Check**: the page tells you whether your answer is "
        "right, explains why and quotes the sentences it rests on. Tick the boxes above an "
        "annotated passage to show or hide a kind of highlight. Nothing you type is saved or "
        "sent anywhere, so copy what you want to keep. Every page prints (the download button "
        "at the top of the page, then .pdf, or your browser's Print): menus and buttons are "
        "left out and questions print as questions to answer on paper. The same button gives "
        "each lesson as a notebook, to run in JupyterLab.\n",
        "The unit is framed by one question:\n",
        (question.group(0) if question else "") + "\n",
        (note.group(0) if note else "") + "\n",
        "## The lessons\n",
        (table.group(1).strip() if table else "") + "\n",
        "## The three texts\n",
        "Each text whole, one sentence per line with the id the lessons cite: "
        + ", ".join(f"[Source {s}]({text_slug(s)}.md)" for s in sources.SOURCE_IDS)
        + ".\n",
        "## Practice quizzes\n",
        "The course's three quizzes, to practise on: the page marks each answer and explains "
        "it. "
        + ", ".join(
            f"[{grading.load_quiz(q).title.removeprefix('Quiz: ')}]({practice_slug(q)}.md)"
            for q in quizzes
        )
        + ".\n",
        "## For teachers\n",
        "The [teacher guide](teacher-guide.md) gives sequences for three, five and six "
        "classes, how the times are estimated, discussion questions, answer notes, the written "
        "task's rubric, and guidance for teaching a sensitive subject.\n",
    ]
    toc = [
        ("Lessons", [p.stem for p in lessons]),
        ("The texts", [text_slug(s) for s in sources.SOURCE_IDS]),
        ("Practice quizzes", [practice_slug(q) for q in quizzes]),
        ("For teachers", ["teacher-guide"]),
    ]
    for caption, entries in toc:
        lines.append(
            "```{toctree}\n:hidden:\n:caption: " + caption + "\n\n" + "\n".join(entries) + "\n```\n"
        )
    return "\n".join(lines)
