"""Lessons: committed clean, built to the lesson contract, and run in a fresh kernel."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import nbformat
import pytest

from homs import knowledge, selfcheck, sources

ROOT = Path(__file__).resolve().parents[1]
LESSON_DIR = ROOT / "lessons"
LESSONS = sorted(LESSON_DIR.glob("[0-9][0-9]-*.ipynb"))
SIX = (
    "01-meet-the-sources",
    "02-timeline",
    "03-corroboration",
    "04-discrepancies",
    "05-words-and-voices",
    "06-putting-it-together",
)
WIDGET = "application/vnd.jupyter.widget-view+json"
CELL_TIMEOUT = 180  # seconds; the slowest cell draws a few charts on a 2-core machine


def _read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def _code(nb: nbformat.NotebookNode) -> list[nbformat.NotebookNode]:
    return [c for c in nb.cells if c.cell_type == "code"]


def _markdown(nb: nbformat.NotebookNode) -> str:
    return "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")


lesson = pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)


# --------------------------------------------------------------------------- the index


def test_six_lessons_exist() -> None:
    """lessons/ holds the six numbered lessons, and only those."""
    assert [p.stem for p in LESSONS] == list(SIX)


def test_index_lists_every_lesson_with_minutes_and_objectives() -> None:
    """lessons/README.md links each lesson in order, with its minutes and objectives."""
    index = (LESSON_DIR / "README.md").read_text("utf-8")
    positions = []
    for stem in SIX:
        assert f"({stem}.ipynb)" in index, f"lessons/README.md does not link {stem}.ipynb"
        positions.append(index.index(f"({stem}.ipynb)"))
        row = next(line for line in index.splitlines() if f"({stem}.ipynb)" in line)
        minutes = re.search(r"\b(\d+) minutes\b", row)
        assert minutes, f"lessons/README.md gives no minutes for {stem}"
        opening = _read(LESSON_DIR / f"{stem}.ipynb").cells[0].source
        assert re.search(rf"\b{minutes.group(1)} minutes\b", opening), (
            f"lessons/README.md and {stem}.ipynb give different times"
        )
        assert len(row) > 200, f"lessons/README.md gives no objectives for {stem}"
    assert positions == sorted(positions)
    assert "make lab" in index


# --------------------------------------------------------------------------- clean in git


@lesson
def test_lesson_is_committed_without_outputs(path: Path) -> None:
    """A lesson carries no outputs, no execution counts and only minimal metadata."""
    nb = _read(path)
    nbformat.validate(nb)
    for cell in _code(nb):
        assert cell.outputs == [], f"{path.name}: a code cell has outputs; clear them"
        assert cell.execution_count is None, f"{path.name}: a code cell has an execution count"
    for cell in nb.cells:
        extra = set(cell.metadata) - {"tags", "jupyter"}
        assert not extra, f"{path.name}: cell metadata {sorted(extra)} should not be committed"
    assert set(nb.metadata) <= {"kernelspec", "language_info"}
    assert nb.metadata.kernelspec.name == "python3"


# --------------------------------------------------------------------------- the lesson contract


@lesson
def test_lesson_opens_with_question_objectives_minutes_assumptions_and_content_note(
    path: Path,
) -> None:
    """The first cell gives the question, objectives, minutes, assumptions and a content note."""
    first = _read(path).cells[0]
    assert first.cell_type == "markdown"
    text = first.source.lower()
    for needed in ("question", "objectives", "minutes", "content note"):
        assert needed in text, f"{path.name}: the opening cell does not give its {needed}"
    assert re.search(r"assum|before you start|you need", text), (
        f"{path.name}: the opening cell does not say what the lesson assumes"
    )


@lesson
def test_lesson_ends_with_key_points_and_a_reflection(path: Path) -> None:
    """The last cells give the key points and a short written reflection prompt."""
    tail = "\n".join(c.source for c in _read(path).cells[-3:]).lower()
    assert "key points" in tail
    assert "reflect" in tail


@lesson
def test_first_code_cell_sets_up_from_homs_and_is_hidden(path: Path) -> None:
    """The first code cell imports what the lesson needs from homs and is tagged hide-input."""
    first = _code(_read(path))[0]
    assert "hide-input" in first.metadata.get("tags", [])
    assert re.search(r"^from homs import|^import homs", first.source, re.MULTILINE)


@lesson
def test_lesson_takes_charts_and_data_from_homs(path: Path) -> None:
    """No cell draws with matplotlib, reads files or uses relative paths: lessons call homs."""
    for cell in _code(_read(path)):
        src = cell.source
        assert "matplotlib" not in src, f"{path.name}: chart code belongs in homs.charts"
        assert "plt." not in src
        assert not re.search(r"\bopen\(|read_text\(|\.\./", src), (
            f"{path.name}: find data through homs, not files or relative paths"
        )


@lesson
def test_lesson_uses_charts_excerpts_and_self_checks(path: Path) -> None:
    """Every lesson shows a chart, an annotated excerpt and self-check questions."""
    code = "\n".join(c.source for c in _code(_read(path)))
    assert "charts." in code, f"{path.name}: no chart"
    assert "excerpts." in code, f"{path.name}: no annotated excerpt"
    assert "selfcheck." in code, f"{path.name}: no self-check question"


def _check_sentence_ids(text: str) -> None:
    for found in sorted(set(re.findall(r"(?<![\w-])[ABC]-\d+(?![\w-])", text))):
        sources.sentence(found)


def _check_quotes(text: str, where: str, pattern: str = r'"([^"]+)"|“([^”]+)”') -> None:
    """Every phrase of two or more words quoted in ``text`` is in a source, word for word."""
    readings = [s.reading.lower() for s in sources.load().values()]
    for pair in re.findall(pattern, re.sub(r"`[^`]*`", "", text)):
        words = " ".join("".join(pair).split()).strip(" .,;:…")
        if len(words.split()) < 2 or words.startswith("Source ") or words.endswith("..."):
            continue
        assert any(words.lower() in r for r in readings), (
            f"{where} quotes {words!r}, which no source contains word for word"
        )


@lesson
def test_lesson_text_cites_only_real_sentences(path: Path) -> None:
    """Every sentence id the lesson's text mentions (A-13, B-8, ...) exists."""
    _check_sentence_ids(_markdown(_read(path)))


@lesson
def test_phrases_quoted_in_the_lesson_text_are_in_the_sources(path: Path) -> None:
    """A phrase of two or more words the lesson's text puts in quotation marks is verbatim."""
    for cell in _read(path).cells:
        if cell.cell_type == "markdown":
            _check_quotes(cell.source, path.name)


def test_teacher_guide_quotes_and_cites_the_sources_exactly() -> None:
    """The teacher guide's sentence ids exist and its “curly-quoted” source phrases are verbatim.

    (Its straight quotes are words for teachers to use, not quotations.)
    """
    guide = (LESSON_DIR / "teacher-guide.md").read_text("utf-8")
    _check_sentence_ids(guide)
    _check_quotes(guide, "teacher-guide.md", r"“([^”]+)”()")


# --------------------------------------------------------------------------- time

#: The time model the teacher guide states: 3 minutes to start (open the notebook, run the
#: setup), reading aloud at 130 words a minute (16-year-olds), 2.5 minutes per self-check
#: question, 2 per chart, 3 per card or list to study, 1 per printed result, 5 per discussion
#: prompt (a cell with "**Discuss", and the reflection), and the minutes a timed task states
#: ("**Write (20 minutes).**"). Passages and excerpts count their sentences' words; the whole
#: texts (optional) are not counted.
WPM = 130
START, SELF_CHECK, CHART, CARD, PRINTED, DISCUSS = 3.0, 2.5, 2.0, 3.0, 1.0, 5.0
_WORD = re.compile(r"[A-Za-z0-9’'\-]+")
_SHOWN = re.compile(
    r"(?:excerpts\.show|reader\.passage)\(\s*\"([ABC])\"(?:,\s*\"([ABC]-\d+)\")?(?:,\s*\"([ABC]-\d+)\")?"
)
_CHARTS = re.compile(
    r"\b(?:charts\.\w+|maps\.context_timeline|maps\.locator_map|widgets\.interactive_timeline)\("
)
_CARDS = re.compile(r"\b(?:excerpts\.show_catalog|excerpts\.show_dating|maps\.context_notes)\(")
_TIMED = re.compile(r"\*\*[^*]*\((\d+) minutes\)\.?\*\*")


def _is_optional(cell: nbformat.NotebookNode) -> bool:
    return "optional" in cell.metadata.get("tags", [])


def _cell_minutes(cell: nbformat.NotebookNode) -> float:
    src = cell.source
    if cell.cell_type == "markdown":
        text = re.sub(r"<details>.*?</details>", "", src, flags=re.DOTALL)
        minutes = len(_WORD.findall(re.sub(r"<[^>]+>", " ", text))) / WPM
        timed = _TIMED.findall(text)
        if timed:
            return minutes + sum(int(t) for t in timed)
        if re.search(r"\*\*Discuss|^#+ Reflect", text, re.MULTILINE):
            minutes += DISCUSS
        return minutes
    from homs import excerpts

    minutes = 0.0
    for source_id, first, last in _SHOWN.findall(src):
        shown = excerpts.sentence_range(source_id, first or None, last or None)
        minutes += sum(len(_WORD.findall(s.text)) for s in shown) / WPM
    minutes += CHART * len(_CHARTS.findall(src)) + CARD * len(_CARDS.findall(src))
    shows = src.count("selfcheck.show(") - src.count("selfcheck.evidence_answer(")
    minutes += SELF_CHECK * shows + PRINTED * src.count("print(")
    return minutes


def lesson_minutes(path: Path) -> tuple[float, float]:
    """The minutes a lesson's core and its optional parts take, by the time model above."""
    core, optional = START, 0.0
    for cell in _read(path).cells:
        if _is_optional(cell):
            optional += _cell_minutes(cell)
        else:
            core += _cell_minutes(cell)
    return core, optional


def _stated(path: Path) -> tuple[int, int]:
    opening = _read(path).cells[0].source
    core = re.search(r"\*\*Time\.\*\* About (\d+)\s+minutes", opening)
    extra = re.search(r"optional parts add about (\d+)\s+minutes", opening)
    assert core, f"{path.name}: the opening does not say **Time.** About N minutes"
    assert extra, f"{path.name}: the opening does not say how long the optional parts take"
    return int(core.group(1)), int(extra.group(1))


@lesson
def test_lesson_states_honest_minutes(path: Path) -> None:
    """The minutes a lesson states cover its core by the time model, with no more than seven
    minutes to spare, and fit a 50-minute class; its optional parts' minutes are within five."""
    core, optional = lesson_minutes(path)
    stated_core, stated_optional = _stated(path)
    assert stated_core <= 50, f"{path.name}: the core takes more than a 50-minute class"
    assert core <= stated_core <= core + 7, (
        f"{path.name}: states {stated_core} minutes; the time model gives {core:.1f}"
    )
    assert abs(stated_optional - optional) <= 5, (
        f"{path.name}: optional parts stated as {stated_optional} minutes; model {optional:.1f}"
    )


@lesson
def test_optional_parts_are_marked_optional_where_students_see_them(path: Path) -> None:
    """A run of cells tagged ``optional`` opens with a heading that says Optional or
    Extension, and no untagged cell has such a heading."""
    previous_optional = False
    for cell in _read(path).cells:
        heading = cell.cell_type == "markdown" and re.match(r"#+ ", cell.source)
        says = bool(heading and re.search(r"optional|extension", cell.source.splitlines()[0], re.I))
        if _is_optional(cell) and not previous_optional:
            assert says, f"{path.name}: an optional part starts without an Optional heading"
        if not _is_optional(cell):
            assert not says, f"{path.name}: an Optional heading on a cell not tagged optional"
        previous_optional = _is_optional(cell)


# --------------------------------------------------------------------------- the unit's question

UNIT_QUESTION = (
    "Why was Homs called the “capital of the revolution” (B-3), and do the texts of 2012 and "
    "2024 explain the name in the same way?"
)


def _flat(text: str) -> str:
    return " ".join(text.split())


@lesson
def test_every_lesson_works_on_the_units_question(path: Path) -> None:
    """Lesson 1 poses the unit's question; every later lesson states it at the top and comes
    back to it in a Back to the question section; Lesson 6 answers it in writing."""
    nb = _read(path)
    text = _flat(_markdown(nb))
    assert UNIT_QUESTION in text, f"{path.name} does not state the unit's question"
    if path.stem != SIX[0]:
        assert UNIT_QUESTION in _flat(nb.cells[0].source)
        assert re.search(r"^#+ .*Back to the question", _markdown(nb), re.MULTILINE), (
            f"{path.name} has no Back to the question section"
        )
    if path.stem == SIX[-1]:
        code = "\n".join(c.source for c in _code(nb))
        assert "evidence_answer(" in code


def test_the_index_and_the_guide_give_the_units_question() -> None:
    """The lessons' index and the teacher guide state the same question."""
    for name in ("README.md", "teacher-guide.md"):
        assert UNIT_QUESTION in _flat((LESSON_DIR / name).read_text("utf-8")), name


@lesson
def test_every_lesson_offers_the_whole_texts_as_an_optional_part(path: Path) -> None:
    """A "Read the whole text" part, optional, shows the texts through homs.reader."""
    nb = _read(path)
    cells = [c for c in _code(nb) if re.search(r"reader\.full_texts?\(", c.source)]
    assert cells, f"{path.name} does not offer the whole texts"
    assert all(_is_optional(c) for c in cells)
    assert "Read the whole text" in _markdown(nb)


def test_the_written_task_has_a_rubric_and_an_annotated_sample() -> None:
    """Lesson 6's written task: four criteria at three levels, and a sample with notes."""
    text = _markdown(_read(LESSON_DIR / f"{SIX[-1]}.ipynb"))
    rubric = [line for line in text.splitlines() if line.startswith("| **")]
    criteria = [re.match(r"\| \*\*(\w+)", line).group(1) for line in rubric]
    assert criteria == ["Claim", "Evidence", "Sourcing", "Context"]
    for line in rubric:
        assert line.count("|") == 5, "each criterion needs three levels"
    assert "sample" in text.lower()
    assert "at least two sources" in text


def test_the_guide_gives_each_lessons_minutes_and_sequences_that_add_up() -> None:
    """The guide's table gives each lesson's core and optional minutes as the lesson does, and
    every class in every sequence adds up to 50 minutes or less, each lesson at its own time."""
    guide = (LESSON_DIR / "teacher-guide.md").read_text("utf-8")
    stated = {n: _stated(path) for n, path in enumerate(LESSONS, start=1)}
    rows = re.findall(r"^\| \[(\d) · [^|]*\| [^|]*\| (\d+) \| (\d+) \|", guide, re.MULTILINE)
    assert [int(n) for n, _, _ in rows] == list(stated)
    for n, core, optional in rows:
        assert (int(core), int(optional)) == stated[int(n)], f"the guide's times for Lesson {n}"
    classes = re.findall(r"^\| (\d) \| ([^|]+) \| ([\d +=]+) \|$", guide, re.MULTILINE)
    assert len(classes) >= 3 + 5 + 6
    for _, what, minutes in classes:
        parts = [int(x) for x in re.findall(r"\d+", minutes)]
        total = parts[-1]
        assert total <= 50, f"a class of {total} minutes: {what}"
        if len(parts) > 1:
            assert sum(parts[:-1]) == total, f"{minutes} does not add up"
        lesson = re.match(r"Lesson (\d)", what.strip())
        if lesson:
            assert parts[0] == stated[int(lesson.group(1))][0], f"{what}: not the lesson's time"


# --------------------------------------------------------------------------- student-facing words

_INTERNAL = {
    "knowledge base": "say what it is for students (the notes, the module's data)",
    "course book": "there is no course book",
    "tokenized": "say the file separates every word and punctuation mark with spaces",
    "witnesses": "news reports are accounts, not witnesses (except when quoting a text)",
    "witness ": "news reports are accounts, not witnesses",
}


def _student_text() -> Iterator[tuple[str, str]]:
    for path in LESSONS:
        yield path.name, _markdown(_read(path))
    yield "README.md", (LESSON_DIR / "README.md").read_text("utf-8")
    yield "teacher-guide.md", (LESSON_DIR / "teacher-guide.md").read_text("utf-8")


def test_student_facing_text_has_no_internal_words() -> None:
    """No internal words in the lessons, their index or the guide (code spans aside)."""
    for where, text in _student_text():
        plain = re.sub(r"`[^`]*`", "", text).lower()
        for word, why in _INTERNAL.items():
            hits = [m.start() for m in re.finditer(re.escape(word), plain)]
            # a quotation from a text ("Witnesses quoted by ...", A-4) is allowed
            hits = [h for h in hits if not plain[max(0, h - 1) : h + 30].startswith("“witnesses")]
            assert not hits, f"{where} uses {word!r}: {why}"


def test_lesson_1_asks_before_it_shows_the_answers() -> None:
    """In Lesson 1 no label that answers a question (the catalog, a dating card, an annotated
    excerpt whose caption names the outlet and year) appears before the question it answers."""
    nb = _read(LESSON_DIR / f"{SIX[0]}.ipynb")
    cells = [c.source for c in nb.cells if c.cell_type == "code"]
    last_question = max(
        i
        for i, src in enumerate(cells)
        if re.search(r"catalog_choice|publication_year|order_events|multiple_choice", src)
    )
    for i, src in enumerate(cells):
        if re.search(r"excerpts\.show(_catalog|_dating)?\(", src):
            assert i > last_question, f"Lesson 1 shows {src.strip()!r} before its questions"
    typed = [c for c in _code(nb) if "multiple_choice" in c.source]
    for cell in typed:  # its code holds the answer: students see only the question
        assert cell.metadata.get("jupyter", {}).get("source_hidden"), cell.source[:80]


def test_lesson_3_counts_the_events_all_three_sources_report() -> None:
    """The number is computed from the data, never typed into the text."""
    nb = _read(LESSON_DIR / f"{SIX[2]}.ipynb")
    text = _markdown(nb).lower()
    assert not re.search(r"\b(one|two|three|four|\d+) events? (is|are) reported by all three", text)
    assert any("knowledge.load()" in c.source and "print(" in c.source for c in _code(nb))


# --------------------------------------------------------------------------- self-check answers


def _calls(path: Path) -> Iterator[tuple[str, list[Any], dict[str, Any], ast.Call]]:
    """Every ``selfcheck.<builder>(...)`` call in a lesson, with literal arguments."""
    for cell in _code(_read(path)):
        tree = ast.parse(cell.source)
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "selfcheck"
            ):
                try:
                    args = [ast.literal_eval(a) for a in node.args]
                    kwargs = {k.arg: ast.literal_eval(k.value) for k in node.keywords if k.arg}
                except ValueError:
                    args, kwargs = [], {}
                yield node.func.attr, args, kwargs, node


def _groups(kb: knowledge.KnowledgeBase, event_id: str) -> int:
    """Independent witnesses of an event: its sources, joined where a dependence links them."""
    event = kb.event(event_id)
    said = {r.citation.sentence for r in event.reports}
    parent = {s: s for s in event.sources}

    def root(s: str) -> str:
        while parent[s] != s:
            s = parent[s]
        return s

    for d in kb.discrepancies:
        if d.type == "dependence":
            hit = sorted(
                {v.source for v in d.versions if v.citation and v.citation.sentence in said}
            )
            for other in hit[1:]:
                parent[root(other)] = root(hit[0])
    return len({root(s) for s in event.sources})


def _expected(name: str, args: list[Any], kb: knowledge.KnowledgeBase) -> Any:
    """The right answer, worked out from the knowledge base independently of homs.selfcheck."""
    if name == "which_sources":
        return tuple(sorted({r.citation.source for r in kb.event(args[0]).reports}))
    if name == "order_events":
        return tuple(sorted(args[0], key=lambda e: kb.event(e).date.start))
    if name == "discrepancy_type":
        return kb.discrepancy(args[0]).type
    if name == "match_claims":
        return {v.says: v.source for v in kb.discrepancy(args[0]).versions}
    if name == "version_value":
        (value,) = [
            v.value
            for v in kb.discrepancy(args[0]).versions
            if v.source == args[1] and v.value is not None
        ]
        return value
    if name == "years_between":
        return kb.event(args[1]).date.start.year - kb.event(args[0]).date.start.year
    if name == "publication_year":
        return int(str(sources.get(args[0]).catalog["published"]["most_likely"])[:4])
    if name == "catalog_choice":
        return args[0]
    if name in ("independent_witnesses", "independent_accounts"):
        return _groups(kb, args[0])
    raise AssertionError(f"no independent check for selfcheck.{name}; add one to this test")


_NO_KEY = {"evidence_answer", "show"}


def _check_catalog_answer(path: Path, args: list[Any], kwargs: dict[str, Any]) -> None:
    """A multiple-choice question written with literal arguments: its right option is, word for
    word, the catalog's value of one field for the source its prompt names."""
    prompt, options = args[0], dict(args[1])
    answer = args[2] if len(args) > 2 else kwargs["answer"]
    (source_id,) = re.findall(r"\bSource ([ABC])\b", prompt)
    catalog = sources.get(source_id).catalog
    fields = [f for f in ("outlet", "genre", "audience") if catalog[f]["value"] == options[answer]]
    assert fields, (
        f"{path.name}: the answer to {prompt!r} is not a fact of Source {source_id}'s catalog; "
        "take it from homs"
    )


@lesson
def test_every_self_check_answer_agrees_with_the_knowledge_base(path: Path) -> None:
    """Each self-check question, rebuilt from the lesson's call, has the knowledge base's answer."""
    kb = knowledge.load()
    for name, args, kwargs, node in _calls(path):
        if name in _NO_KEY:
            continue
        if name in ("multiple_choice", "numeric"):
            answer = next(
                (k.value for k in node.keywords if k.arg == "answer"),
                node.args[2 if name == "multiple_choice" else 1]
                if len(node.args) > (2 if name == "multiple_choice" else 1)
                else None,
            )
            if name == "multiple_choice" and args:
                # Literal arguments (so that `homs review` can rebuild the question): the right
                # option must then be a fact of the sources' catalog, checked here.
                _check_catalog_answer(path, args, kwargs)
                continue
            assert not isinstance(answer, ast.Constant), (
                f"{path.name}: selfcheck.{name} has a typed-in answer; take it from homs"
            )
            continue
        assert args or kwargs, f"{path.name}: selfcheck.{name} needs literal arguments"
        question = getattr(selfcheck, name)(*args, **kwargs)
        expected = _expected(name, args, kb)
        if name == "match_claims":
            got = {dict(question.items)[key]: source for key, source in question.answer.items()}
            assert got == expected
        elif name == "which_sources":
            assert tuple(sorted(question.answer)) == expected
        else:
            assert question.answer == expected, f"{path.name}: selfcheck.{name}{tuple(args)}"


# --------------------------------------------------------------------------- execution


@pytest.mark.slow
@lesson
def test_lesson_runs_in_a_fresh_kernel(
    path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The lesson runs top to bottom offline with no errors and shows charts and widgets."""
    from nbclient import NotebookClient

    monkeypatch.chdir(tmp_path)
    nb = _read(path)
    NotebookClient(
        nb,
        timeout=CELL_TIMEOUT,
        kernel_name="python3",
        resources={"metadata": {"path": str(tmp_path)}},
    ).execute()
    outputs = [o for c in _code(nb) for o in c.outputs]
    errors = [o for o in outputs if o.output_type == "error"]
    assert not errors, f"{path.name}: {errors[0].ename}: {errors[0].evalue}"
    stderr = [o.text for o in outputs if o.output_type == "stream" and o.name == "stderr"]
    assert not stderr, f"{path.name} wrote to stderr: {stderr[0][:500]}"
    kinds = {m for o in outputs for m in o.get("data", {})}
    assert "image/png" in kinds, f"{path.name}: no chart was shown"
    assert WIDGET in kinds, f"{path.name}: no widget was shown"
    assert not list(tmp_path.iterdir()), f"{path.name} wrote files into its working directory"


# --------------------------------------------------------------------------- a learner's copy


def test_lessons_keep_copies_new_lessons_and_keeps_changed_ones(tmp_path: Path) -> None:
    """`homs lessons DIR --keep` (what make lab and homs lab do) copies what is missing and
    keeps a lesson the learner changed, saying so; without it, nothing is copied."""
    from homs import book
    from homs.cli import main

    folder = tmp_path / "my-lessons"
    assert main(["lessons", str(folder)]) == 0
    mine = folder / LESSONS[1].name
    mine.write_text(mine.read_text("utf-8").replace("Lesson 2", "My lesson 2"), "utf-8")
    (folder / LESSONS[0].name).unlink()
    with pytest.raises(book.BookError, match="you have changed"):
        book.copy_lessons(folder)
    copied = book.copy_lessons(folder, keep=True)
    assert copied.written == (folder / LESSONS[0].name,)
    assert copied.kept == (mine,)
    assert "My lesson 2" in mine.read_text("utf-8")
    assert "kept your work" in copied.format()


def test_homs_lab_help_says_what_it_does(capsys: pytest.CaptureFixture[str]) -> None:
    """`homs lab --help` names the index, the fresh workspace and the saved widget state."""
    from homs.cli import main

    with pytest.raises(SystemExit):
        main(["lab", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    for words in ("lessons' index", "fresh workspace", "widgets' state", "127.0.0.1"):
        assert words in out


def test_lab_session_saves_widget_state_and_silences_nbgrader(tmp_path: Path) -> None:
    """The lab's session folder sets saveState, opens Markdown as a page, starts with an empty
    workspace and gives nbgrader a configuration; the command uses all of it, opens the index
    and listens on 127.0.0.1; the folder is removed afterwards."""
    import json

    from homs import book
    from homs.book.lab import LAB_OVERRIDES, index_url, lab_session

    book.copy_lessons(tmp_path / "learner")
    with lab_session(tmp_path) as session:
        overrides = json.loads((session.settings / "overrides.d" / "homs.json").read_text())
        assert overrides == LAB_OVERRIDES
        assert overrides["@jupyter-widgets/jupyterlab-manager:plugin"] == {"saveState": True}
        assert not any(session.workspaces.iterdir())
        assert (session.config / "nbgrader_config.py").is_file()
        env = session.env({"JUPYTER_CONFIG_PATH": "/elsewhere"})
        assert env["JUPYTER_CONFIG_PATH"].split(":") == [str(session.config), "/elsewhere"]
        command = book.lab_command(tmp_path / "learner", port=8899, token="t", session=session)
        assert f"--LabApp.workspaces_dir={session.workspaces}" in command
        assert f"--LabApp.app_settings_dir={session.settings}" in command
        assert "--ServerApp.ip=127.0.0.1" in command
        assert "--LabApp.default_url=/lab/tree/README.md" in command
        assert command[-1] == str((tmp_path / "learner" / "README.md").resolve())
    assert not session.folder.exists()
    assert index_url(8899, "t") == "http://127.0.0.1:8899/lab/tree/README.md?token=t"


def test_a_widget_carries_a_rerun_notice_as_text() -> None:
    """A self-check's output holds, beside the live view, a notice to run the lesson again as
    text/plain and text/html, for a front end that cannot draw the widget."""
    from homs.widgets._front import RERUN_NOTICE

    data, _metadata = selfcheck.publication_year("A")._repr_mimebundle_()
    assert WIDGET in data
    assert data["text/plain"] == f"A self-check question: {RERUN_NOTICE}"
    assert "Run &gt; Run All Cells" in data["text/html"]


def test_lessons_update_a_lesson_the_learner_never_changed(tmp_path: Path) -> None:
    """A copied lesson the learner never touched is updated when the packaged one changes
    (after a git pull); one the learner changed is kept. The folder's manifest tells them
    apart."""
    import hashlib
    import json

    from homs import book
    from homs.book.files import MANIFEST

    folder = tmp_path / "my-lessons"
    book.copy_lessons(folder)
    old, mine = folder / LESSONS[0].name, folder / LESSONS[1].name
    old.write_text('{"an": "older version"}', "utf-8")  # as copied from an older package
    manifest = json.loads((folder / MANIFEST).read_text("utf-8"))
    manifest[old.name] = hashlib.sha256(old.read_bytes()).hexdigest()
    (folder / MANIFEST).write_text(json.dumps(manifest), "utf-8")
    mine.write_text('{"my": "work"}', "utf-8")
    copied = book.copy_lessons(folder, keep=True)
    assert copied.updated == (old,)
    assert copied.kept == (mine,)
    assert old.read_bytes() == LESSONS[0].read_bytes()
    assert mine.read_text("utf-8") == '{"my": "work"}'
    assert "you had not changed it" in copied.format()
