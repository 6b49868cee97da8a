"""Builds the nbgrader source notebook of a quiz from its spec and the knowledge base.

Layout of a quiz notebook (every nbgrader cell has a meaningful grade_id):

* ``intro``: read-only Markdown: what the quiz covers and how to answer.
* per autograded item ``q3_siege_length``:
  ``q3_siege_length_question`` (read-only Markdown), ``q3_siege_length_answer`` (an autograded
  answer cell: one assignment ``answer_q3_siege_length = (...)`` whose value is the solution
  region) and ``q3_siege_length`` (the autograder test cell, worth the item's points: visible form
  checks, then hidden tests holding the key).
* per written item ``q9_...``: a manually graded task cell with the question, the rubric
  students see, and the mark scheme (annotated sample answers) that ``generate_assignment``
  strips; then a plain Markdown cell for the answer.
* ``finish``: how to check and hand in, and ``homs practice`` for self-learners.

The course's ``nbgrader_config.py`` replaces a solution region with ``...  # YOUR ANSWER HERE``,
so the released answer cell still reads ``answer_q3_siege_length = (...)``: it runs, and its
value parses with :func:`ast.literal_eval`.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from pathlib import Path
from typing import Any

from homs import knowledge, reader, sources
from homs.errors import DataError
from homs.grading.authoring.banks import check_pools
from homs.grading.authoring.checks import literal
from homs.grading.authoring.spec import Item, Quiz, load_quiz, quiz_names
from homs.sources import SOURCE_IDS

__all__ = [
    "BEGIN_MARK_SCHEME",
    "END_MARK_SCHEME",
    "notebook",
    "notebook_text",
    "question_text",
    "source_path",
    "stale_notebooks",
    "version_text",
    "write_notebooks",
]

BEGIN_MARK_SCHEME = "=== BEGIN MARK SCHEME ==="
END_MARK_SCHEME = "=== END MARK SCHEME ==="
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


def _meta(
    grade_id: str,
    *,
    grade: bool = False,
    solution: bool = False,
    locked: bool = False,
    task: bool = False,
    points: int | None = None,
) -> dict[str, Any]:
    meta: dict[str, Any] = {
        "grade": grade,
        "grade_id": grade_id,
        "locked": locked,
        "schema_version": 3,
        "solution": solution,
    }
    if task:
        meta["task"] = True
    if points is not None:
        meta["points"] = points
    return {"nbgrader": meta}


def _markdown(cell_id: str, text: str, metadata: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"cell_type": "markdown", "id": cell_id, "metadata": metadata or {}, "source": text}


def _code(cell_id: str, text: str, metadata: dict[str, Any]) -> dict[str, Any]:
    return {
        "cell_type": "code",
        "execution_count": None,
        "id": cell_id,
        "metadata": metadata,
        "outputs": [],
        "source": text,
    }


def _table(rows: tuple[tuple[str, ...], ...]) -> str:
    if not rows:
        return ""
    head, *body = rows
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in body]
    return "\n".join(lines)


def _points(n: int) -> str:
    return f"{n} point" if n == 1 else f"{n} points"


def _scoring(item: Item) -> str:
    assert item.form is not None
    if item.form.kind == "order":
        n = len(item.form.options)
        half = (n + 1) // 2
        steps = ", ".join(
            f"{length} in order: {round((n - 1) * (length - half) / (n - half))}"
            for length in range(half + 1, n + 1)
        )
        return (
            "Scoring: what counts is the longest run of events in your list that are in the "
            "right order (not necessarily next to each other). A run of half the list or less "
            f"earns nothing; longer runs earn points ({steps}), so 0 to {item.points} points."
        )
    if item.form.kind == "match":
        return "Scoring: one point for each row matched to the right source."
    return "Scoring: all or nothing."


def question_text(item: Item) -> str:
    """An autograded item's question cell (Markdown): title, question, table, answer form."""
    assert item.form is not None
    parts = [f"### {item.label}. {item.title} ({_points(item.points)})", *_asked(item)]
    parts.append(
        f"**Your answer:** {item.form.describe()}, assigned to `{item.variable}` in the cell "
        f"below. For example (this shows the form only): `{item.form.example(item.key)}`. "
        "Then run the test cell under it: it checks the form of your answer, not whether it is "
        f"right. {_scoring(item)}"
    )
    return "\n\n".join(parts)


def version_text(item: Item) -> str:
    """A banked item as one student's version asks it (Markdown), for the feedback page,
    where the notebook still prints the base form's question above it."""
    lead = (
        f"**Your version of {item.label}: {item.title}.** This is the question you were asked "
        "and marked against; the one printed above is the base form."
    )
    return "\n\n".join([lead, *_asked(item)])


def _asked(item: Item) -> list[str]:
    """What an item asks, as Markdown parts: the question, then its table or its options."""
    assert item.form is not None
    parts = [item.question]
    if item.table:
        parts.append(_table(item.table))
    elif item.form.kind == "choice":
        parts.append("Options: " + ", ".join(f"`{literal(o)}`" for o in item.form.options))
    return parts


def _answer_source(item: Item) -> str:
    assert item.form is not None
    value = literal(item.key)
    if len(value) > 60 and isinstance(item.key, list):
        value = "[\n" + "".join(f"        {literal(v)},\n" for v in item.key) + "    ]"
    return "\n".join(
        [
            f"# {item.label}: {item.form.describe()}.",
            f"# For example: {item.variable} = ({item.form.example(item.key)})",
            "# Replace the three dots below with your answer; keep the brackets around it.",
            f"{item.variable} = (",
            "    ### BEGIN SOLUTION",
            f"    {value}",
            "    ### END SOLUTION",
            ")",
        ]
    )


def _task_text(item: Item) -> str:
    header = [
        f"### {item.label}. {item.title} ({_points(item.points)}, marked by your teacher)",
        item.question,
        "**How it is marked**",
        "\n".join(
            f"- **{level.name} ({_points(level.points)}):** {level.descriptor}"
            for level in item.rubric
        )
        + "\n- No answer: 0 points.",
        "Write your answer in the cell below this one.",
    ]
    scheme = [
        BEGIN_MARK_SCHEME,
        "**Mark scheme** (for the teacher: removed from the students' "
        "copy, shown when grading and in the feedback).",
    ]
    for level in item.rubric:
        scheme.append(
            f"**Sample answer at the {level.name} level ({_points(level.points)}):**\n\n"
            + "\n".join(f"> {line}" if line else ">" for line in level.sample.splitlines())
        )
        scheme.append(f"*Why it is {level.name}:* {level.annotation}")
    if item.cites:
        scheme.append("Sentences a strong answer uses: " + ", ".join(item.cites) + ".")
    scheme.append(END_MARK_SCHEME)
    return "\n\n".join(header) + "\n\n" + "\n\n".join(scheme)


#: Shown at the top of every quiz, as at the top of every lesson.
CONTENT_NOTE = (
    "*Content note: the texts describe a war, a siege, and the deaths of civilians and "
    "journalists. They are quoted as they were written.*"
)


def _intro(quiz: Quiz) -> str:
    auto = [i for i in quiz.items if not i.written]
    written = [i for i in quiz.items if i.written]
    counts = f"{len(auto)} questions marked automatically ({_points(quiz.auto_points)})"
    if written:
        counts += (
            f" and {len(written)} written answer{'s' if len(written) > 1 else ''} marked by "
            f"your teacher ({_points(quiz.points - quiz.auto_points)})"
        )
    return "\n\n".join(
        [
            f"# {quiz.title}",
            CONTENT_NOTE,
            quiz.intro,
            f"There are {counts}.",
            "**How to answer.** Each question has an answer cell with one line such as "
            "`answer_q4_siege_length = (...)`. Replace the three dots with your answer, written "
            'as a plain Python value: a whole number (`12`), a string in quotes (`"1999-12-31"`, '
            '`"B"`, `"B-14"`) or a list in square brackets (`["A", "C"]`). Write the value '
            "itself, not code that computes it. Run the answer cell, then the test cell below it: "
            "it tells you in one sentence if the form is wrong (a date without quotes, an id "
            'that does not exist, ...), or says "answer recorded, checked when marked". It does '
            "not tell you whether the answer is right; that is checked when the quiz is marked. "
            'Capitals and spaces do not matter (`"b"` is `"B"`).',
            "Sentence ids such as B-14 mean Source B, sentence 14. The three texts are printed in "
            "full at the end of this notebook, sentence by sentence with their ids. To read one "
            'in a box here instead, run `from homs.reader import show; show("B")` in a new code '
            "cell (or `homs sources --sentences` in a terminal).",
        ]
    )


_FINISH = (
    "## When you have finished\n\n"
    "Restart the kernel and run all cells (Kernel > Restart Kernel and Run All Cells), check that "
    'every test cell says "answer recorded" and none shows a problem in red, save, and hand '
    "in the notebook as your teacher asked (or press Validate, then Submit, in the Assignments "
    "tab).\n\n"
    "**Learning on your own?** Save the notebook, then run this in a new code cell below: it "
    "marks your saved answers against the key, question by question, with the explanation and "
    "the sentences to read.\n\n"
    "```python\n"
    "from homs.grading import practice\n"
    'practice("{name}.ipynb")\n'
    "```\n\n"
    "(In a terminal, `homs practice {name}.ipynb` does the same from the notebook's folder; from "
    "anywhere else, give the notebook's full path.)"
)


def _texts() -> list[dict[str, Any]]:
    """The three texts in full, one Markdown cell each, with their sentence ids and glossary
    help (students on a hub may have no terminal), and any correction from outside the texts
    beside the sentence it corrects."""
    kb = knowledge.load()
    cells = [
        _markdown(
            "texts",
            "## The three texts\n\nRead them whole here. Each sentence has its id (B-14 is "
            "Source B, sentence 14).",
        )
    ]
    for sid in SOURCE_IDS:
        text = reader.full_text_markdown(sid, kb=kb)
        ids = [s.id for s in sources.get(sid).sentences]
        notes = [e.correction_note() for e in kb.correction_for(ids)]
        if notes:
            text += "\n\n" + "\n\n".join(
                f"*Context, from outside the texts:* {note}" for note in notes if note
            )
        cells.append(_markdown(f"text_{sid.lower()}", text))
    return cells


#: The released "Your questions" cell before ``homs release`` fills it in.
_YOUR_QUESTIONS = (
    "# Your questions: homs release fills this cell in with each student's version of the\n"
    "# questions marked 'a version for each student'. Run it before answering them."
)


def _variant_note(item: Item) -> str:
    return (
        "*This question has a version for each student: run the code cell under it to see "
        "yours, and answer that one. If that cell says it cannot find you, answer the question "
        "as printed here.*\n\n"
    )


def _variant_checks(item: Item) -> str:
    """The test cell of a banked item when the quiz is given in parallel forms: the form
    checks take the student's own options (``variant=``: the "Your questions" cell sets them),
    and the hidden part tells the stock ``nbgrader autograde`` that only ``homs autograde``
    knows the key."""
    visible = item.checks.visible_source(variant=item.id)
    refusal = (
        f'raise AssertionError("{item.label}: each student has their own version of this '
        "question, so its key is not in the notebook: grade this quiz with homs autograde "
        '(nbgrader autograde cannot know which version a student had).")'
    )
    return "\n".join([visible, "### BEGIN HIDDEN TESTS", refusal, "### END HIDDEN TESTS"])


def notebook(quiz: Quiz, *, variants: bool = False) -> dict[str, Any]:
    """The source notebook of a quiz, as an nbformat 4.5 dictionary (deterministic).

    Args:
        quiz: The quiz.
        variants: Build it for parallel forms (the course lists it in ``c.Homs.variants``):
            a "Your questions" cell after the intro, which ``homs release`` fills in, and under
            each banked item's question a cell that shows the student's own version.
    """
    cells: list[dict[str, Any]] = [_markdown("intro", _intro(quiz), _meta("intro", locked=True))]
    if variants and quiz.pools:
        cells.append(_code("your_questions", _YOUR_QUESTIONS, {"homs": {"variants": True}}))
    for item in quiz.items:
        banked = variants and item.id in quiz.pools
        if item.written:
            cells.append(
                _markdown(
                    item.id,
                    _task_text(item),
                    _meta(item.id, task=True, locked=True, points=item.points),
                )
            )
            cells.append(
                _markdown(
                    f"{item.id}_your_answer",
                    f"*{item.label}: write your answer here, in place of this line.*",
                )
            )
            continue
        cells.append(
            _markdown(
                f"{item.id}_question",
                _variant_note(item) + question_text(item) if banked else question_text(item),
                _meta(f"{item.id}_question", locked=True),
            )
        )
        if banked:
            cells.append(
                _code(
                    f"{item.id}_your_question",
                    f"# Run this cell to see your version of {item.label} (run the 'Your "
                    "questions' cell near the top first).\n"
                    f'_homs_show("{item.id}")',
                    {"homs": {"shows": item.id}},
                )
            )
        cells.append(
            _code(
                f"{item.id}_answer", _answer_source(item), _meta(f"{item.id}_answer", solution=True)
            )
        )
        cells.append(
            _code(
                item.id,
                _variant_checks(item) if banked else item.checks.cell_source(),
                _meta(item.id, grade=True, locked=True, points=item.points),
            )
        )
    cells.append(_markdown("finish", _FINISH.format(name=quiz.id)))
    cells += _texts()
    return {
        "cells": cells,
        "metadata": {
            "homs": {"quiz": quiz.id},
            "kernelspec": dict(KERNELSPEC),
            "language_info": {"name": "python"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def notebook_text(quiz: Quiz, *, variants: bool = False) -> str:
    """The source notebook as the text written to disk (what the drift test compares)."""
    import nbformat

    node = nbformat.from_dict(notebook(quiz, variants=variants))
    nbformat.validate(node)
    return nbformat.writes(node)


def source_path(course: Path, quiz_id: str) -> Path:
    """Where a quiz's source notebook lives in a course: ``source/<quiz>/<quiz>.ipynb``."""
    return Path(course) / "source" / quiz_id / f"{quiz_id}.ipynb"


def stale_notebooks(
    root: Path,
    names: Sequence[str] | None,
    specs: Path | None,
    variants: Collection[str] = (),
) -> list[Path]:
    """The source notebooks under ``root`` that differ from what their specs build (or are
    missing).

    Raises:
        DataError: A quiz given in parallel forms has a pool with problems
            (:func:`homs.grading.authoring.banks.check_pools`).

    Args:
        root: The nbgrader course root.
        names: The quizzes to look at; all of the specs folder's by default.
        specs: The folder of quiz specs; the packaged ones when ``None``.
        variants: The quizzes given in parallel forms (``c.Homs.variants``).
    """
    out = []
    for name in names or quiz_names(specs):
        path = source_path(root, name)
        quiz = load_quiz(name, specs)
        if name in variants:
            problems = check_pools(quiz)  # before a course draws its forms from the pools
            if problems:
                raise DataError(problems)
        text = notebook_text(quiz, variants=name in variants)
        if not path.is_file() or path.read_text("utf-8") != text:
            out.append(path)
    return out


def write_notebooks(
    root: Path,
    names: Sequence[str] | None,
    specs: Path | None,
    variants: Collection[str] = (),
) -> list[Path]:
    """Writes the source notebooks under ``root`` that are out of date; returns them."""
    written = []
    for path in stale_notebooks(root, names, specs, variants):
        path.parent.mkdir(parents=True, exist_ok=True)
        text = notebook_text(load_quiz(path.stem, specs), variants=path.stem in variants)
        path.write_text(text, "utf-8")
        written.append(path)
    return written
