"""homs lessons, homs course and the book's pieces, without a browser: copying lessons never
overwrites a learner's work, a fresh course is ready for homs release (with a teacher's spec
folder too), the front-end module becomes a classic script, practice questions are keyed."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import ROOT
from homs import book, cli, grading
from homs.book import pages, site


def test_the_lessons_are_the_repositorys() -> None:
    """In a checkout the packaged lessons are lessons/: six notebooks, README, teacher guide."""
    names = [p.name for p in book.lesson_files()]
    assert names == [
        *sorted(p.name for p in (ROOT / "lessons").glob("[0-9][0-9]-*.ipynb")),
        "README.md",
        "teacher-guide.md",
    ]
    assert len(names) == 8


def test_copy_lessons_writes_then_leaves_them(tmp_path: Path) -> None:
    """A first copy writes every file; a second finds them up to date and writes nothing."""
    first = book.copy_lessons(tmp_path / "mine")
    assert len(first.written) == 8
    again = book.copy_lessons(tmp_path / "mine")
    assert not again.written
    assert len(again.unchanged) == 8
    assert "homs lab" in again.format()


def test_copy_lessons_never_overwrites_a_changed_notebook(tmp_path: Path) -> None:
    """A notebook the learner changed is not overwritten: nothing is written, the message names
    it and says how to keep it or replace it; --force replaces it."""
    folder = tmp_path / "mine"
    book.copy_lessons(folder)
    edited = folder / "02-timeline.ipynb"
    edited.write_text('{"my": "work"}', "utf-8")
    (folder / "01-meet-the-sources.ipynb").unlink()
    with pytest.raises(book.BookError, match=r"02-timeline\.ipynb") as info:
        book.copy_lessons(folder)
    assert "--force" in str(info.value)
    assert "another folder" in str(info.value)
    assert edited.read_text("utf-8") == '{"my": "work"}'
    assert not (folder / "01-meet-the-sources.ipynb").exists()  # nothing written at all
    done = book.copy_lessons(folder, force=True)
    assert done.replaced == (edited,)
    assert edited.read_bytes() == (book.lessons_dir() / edited.name).read_bytes()


def test_homs_lessons_command_refuses_and_says_why(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`homs lessons DIR` exits 1 naming the changed notebook; with --force it replaces it."""
    folder = tmp_path / "mine"
    assert cli.main(["lessons", str(folder)]) == 0
    (folder / "03-corroboration.ipynb").write_text("{}", "utf-8")
    assert cli.main(["lessons", str(folder)]) == 1
    assert "03-corroboration.ipynb" in capsys.readouterr().err
    assert cli.main(["lessons", str(folder), "--force"]) == 0
    assert "replaced your changed" in capsys.readouterr().out


def test_new_course_refuses_a_folder_in_use(tmp_path: Path) -> None:
    """homs course makes a fresh course only: a folder with files in it is refused."""
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "gradebook.db").write_text("", "utf-8")
    with pytest.raises(book.BookError, match="not an empty folder"):
        book.new_course(tmp_path / "c")
    with pytest.raises(book.BookError, match=r"no \.yaml file"):
        book.new_course(tmp_path / "d", specs=tmp_path)


def test_new_course_has_the_config_and_the_three_quizzes(tmp_path: Path) -> None:
    """The course holds nbgrader_config.py and the three quizzes' source notebooks, the same
    as the repository's, so homs build finds nothing out of date."""
    course = book.new_course(tmp_path / "course")
    assert course.quizzes == ("discrepancies", "sourcing", "timeline")
    root = course.root
    assert (root / "nbgrader_config.py").read_text("utf-8") == (
        ROOT / "quizzes" / "nbgrader_config.py"
    ).read_text("utf-8")
    assert grading.stale(root) == []
    assert "homs release discrepancies --course" in course.format()


@pytest.mark.slow
def test_a_new_course_releases_with_the_teachers_specs(tmp_path: Path) -> None:
    """With --specs, the teacher's specs are copied in, c.Homs.specs names them, the quizzes are
    built from them, and homs release works on the course."""
    specs = tmp_path / "my-specs"
    specs.mkdir()
    spec = (grading.spec_dir() / "timeline.yaml").read_text("utf-8")
    (specs / "timeline.yaml").write_text(
        spec.replace('title: "Quiz: the timeline', 'title: "Our quiz: the timeline'), "utf-8"
    )
    course = book.new_course(tmp_path / "course", specs=specs)
    assert course.quizzes == ("timeline",)
    assert 'c.Homs.specs = "specs"' in (course.root / "nbgrader_config.py").read_text("utf-8")
    assert grading.release.__module__  # the API the command calls
    done = grading.release("timeline", course=course.root)
    assert not done.warnings
    released = done.notebooks[0].read_text("utf-8")
    assert "Our quiz: the timeline" in released


def test_the_front_end_module_becomes_a_classic_script() -> None:
    """homs-widgets.js imports nothing and exports only render; as a classic script it sets
    window.HomsWidgets. A module that imports is refused."""
    classic = site.classic_script(site._static("homs-widgets.js"))
    assert "export " not in classic.replace("export default", "")
    assert classic.rstrip().endswith("window.HomsWidgets = { render };\n})();".rstrip())
    with pytest.raises(book.BookError, match="import nothing"):
        site.classic_script('import x from "https://cdn.example/x.js";\nexport default { render };')


def test_external_loads_are_found() -> None:
    """A script, style sheet or image from another site is a load; a link to follow is not."""
    html = (
        '<script src="https://cdn.example/x.js"></script><link rel="stylesheet" '
        'href="//fonts.example/f.css"><img src="data:image/png;base64,AA" alt="a">'
        '<a href="https://www.bbc.co.uk/">BBC</a><script src="_static/homs-book.js"></script>'
    )
    assert site.external_loads(html) == ["https://cdn.example/x.js", "//fonts.example/f.css"]


def test_every_quiz_item_is_a_practice_question_keyed_as_the_quiz() -> None:
    """Each item of the three quizzes becomes a self-check; the key checks right, and every
    answer the quiz accepts for full marks is accepted."""
    for name in grading.quiz_names():
        for item in grading.load_quiz(name).items:
            q = pages.practice_question(item)
            if item.written:
                assert q.data["kind"] == "evidence"
                continue
            key = item.key
            q.value = (
                {str(i): k for i, k in enumerate(key, 1)} if item.form.kind == "match" else key
            )
            assert q.check() is True, (name, item.id)
            for other in item.accepted:
                if other.points >= item.points:
                    q.value = other.value
                    assert q.check() is True, (name, item.id)
                    assert q.matched == "accepted", (name, item.id)


def test_pages_hold_no_markdown_fence_in_raw_html() -> None:
    """The texts and practice pages build; their raw HTML cannot end its block early."""
    for s in ("A", "B", "C"):
        assert "````{raw} html" in pages.text_page(s)
    page = pages.practice_page(grading.load_quiz("timeline"))
    assert page.count("````{raw} html") == len(grading.load_quiz("timeline").items)
    with pytest.raises(ValueError, match="fence"):
        pages._raw("````")
