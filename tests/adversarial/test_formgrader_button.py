"""The formgrader's own Autograde button, clicked in Chromium, grades with homs's key (issue 18).

A course holds the timeline quiz with two hand-ins, and a quiz homs has no spec for ("essay", a
copy of the timeline under another name) with one. Hana's timeline notebook carries a cell of
her own, after an answer she got wrong, that would write a file and set that answer to the key
if it ran (stock nbgrader's Execute would run it and give her the point). The real jupyter server
with nbgrader's formgrader runs on 127.0.0.1 with a token (the fixture of
``test_formgrader_xss``); headless Chromium goes Manage Assignments -> the quiz's submissions ->
a student's Autograde button, as a teacher does. Then the gradebook must hold exactly the score
``homs practice`` gives the same notebook, and the file must not exist. For the essay, the page
must show the refusal with the command to run, and the gradebook must record no grade.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from helpers import (
    CHROMIUM,
    CHROMIUM_ARGS,
    TIMELINE_PARTLY_RIGHT,
    answered,
    copy_course,
    hand_in,
    index_of,
    key_answers,
    release_with_nbgrader,
)
from homs import grading

from .test_formgrader_xss import SHOTS, _require_chromium, log_in, serve_formgrader

pytestmark = pytest.mark.slow

QUIZ = "timeline"
#: A quiz homs has no spec (and so no key) for: the formgrader must refuse it.
NO_KEY = "essay"
#: Her own cell would make a wrong answer right and write a file, if anything ran it.
SNEAKY = "hana"
HONEST = "omar"


@dataclass
class Course:
    """The course folder, the formgrader's port and the file a run of Hana's code would write."""

    root: Path
    port: int
    marker: Path

    def url(self, path: str = "") -> str:
        return f"http://127.0.0.1:{self.port}/formgrader/{path}"


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Course]:
    """Three hand-ins, nothing graded yet, and the formgrader serving the course."""
    _require_chromium()
    scratch = tmp_path_factory.mktemp("button")
    root = copy_course(scratch / "course", QUIZ)
    release = release_with_nbgrader(root, QUIZ)[QUIZ]
    quiz = grading.load_quiz(QUIZ)

    marker = scratch / "hana-code-ran.txt"
    sneaky = answered(release, TIMELINE_PARTLY_RIGHT)
    # An item her answer gets wrong: her own cell, run, would set it to the key.
    wrong = next(v.item for v in grading.grade_notebook(sneaky, quiz) if v.points == 0)
    sneaky["cells"].insert(
        index_of(sneaky, f"{wrong.id}_answer") + 1,
        {
            "cell_type": "code",
            "metadata": {},
            "id": "own-code",
            "execution_count": None,
            "outputs": [],
            "source": f"open({str(marker)!r}, 'w').write('ran')\n"
            f"{wrong.variable} = {grading.literal(wrong.key)}",
        },
    )
    hand_in(root, QUIZ, SNEAKY, sneaky)
    hand_in(root, QUIZ, HONEST, answered(release, key_answers(quiz)))

    # The same notebook under a name homs has no spec for.
    essay = root / "source" / NO_KEY
    shutil.copytree(root / "source" / QUIZ, essay)
    (essay / f"{QUIZ}.ipynb").rename(essay / f"{NO_KEY}.ipynb")
    hand_in(root, NO_KEY, SNEAKY, release_with_nbgrader(root, NO_KEY)[NO_KEY])

    with serve_formgrader(root, tmp_path_factory.mktemp("jupyter-home")) as port:
        yield Course(root, port, marker)


@pytest.fixture(scope="module")
def browser(course: Course) -> Iterator[Any]:
    """Debian's Chromium, headless, driven by Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any, course: Course) -> Iterator[Any]:
    """A page logged in to the formgrader, as the teacher who opened jupyter's address."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    log_in(context, course.port)
    try:
        yield context.new_page()
    finally:
        context.close()


def _homs_score(course: Course, quiz: str, student: str) -> float:
    """What ``homs practice`` gives the student's hand-in (the score ``homs autograde`` gives)."""
    path = course.root / "submitted" / student / quiz / f"{quiz}.ipynb"
    return grading.practice(path, quiz, history=False).points


def _gradebook(course: Course, quiz: str, student: str) -> float | None:
    """The student's recorded score, or ``None`` if the gradebook has no graded submission."""
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(f"sqlite:///{course.root / 'gradebook.db'}") as gb:
        try:
            submission = gb.find_submission(quiz, student)
        except MissingEntry:
            return None
        graded = any(g.auto_score is not None for n in submission.notebooks for g in n.grades)
        return float(submission.score) if graded else None


def _open_submissions(page: Any, course: Course, quiz: str) -> Any:
    """Manage Assignments -> the quiz's number of submissions -> its Manage Submissions page,
    clicked as a teacher does; returns once the list has loaded."""
    page.goto(course.url(), wait_until="load")
    page.get_by_role("link", name="Manage Assignments").first.click()
    page.locator(f'a[href$="/formgrader/manage_submissions/{quiz}"]').click()
    page.wait_for_url(f"**/formgrader/manage_submissions/{quiz}*")
    rows = page.locator("tbody tr", has=page.locator(".student-id"))
    rows.first.wait_for(timeout=60_000)
    assert "Loading, please wait" not in page.inner_text("tbody")
    return rows


def _click_autograde(page: Any, student: str) -> Any:
    """Clicks the student's Autograde button and returns the dialog it opens when done."""
    row = page.locator("tbody tr", has=page.locator(".student-id", has_text=student))
    row.locator(".autograde a").click()
    dialog = page.locator(".modal.in .modal-content")
    dialog.wait_for(timeout=240_000)
    page.wait_for_function(
        "() => getComputedStyle(document.querySelector('.modal.in')).opacity === '1'"
    )
    return dialog


def _show_in_log(dialog: Any, text: str) -> None:
    """Scrolls the dialog's log panel to the line holding ``text``, as the teacher reads it."""
    dialog.locator("pre").first.evaluate(
        """(pre, text) => {
            const lines = pre.textContent.split("\\n");
            const at = lines.findIndex(line => line.includes(text));
            const height = pre.scrollHeight / lines.length;
            pre.scrollTop = Math.max(0, (at - 3) * height);
        }""",
        text,
    )


def test_the_button_records_homs_score_and_runs_nothing(page: Any, course: Course) -> None:
    """Both timeline hand-ins, autograded with the button, get exactly homs's score in the
    gradebook and on the page; Hana's own code did not run (no file, no extra point)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    rows = _open_submissions(page, course, QUIZ)
    assert rows.count() == 2
    expected = {s: _homs_score(course, QUIZ, s) for s in (SNEAKY, HONEST)}
    assert 0 < expected[SNEAKY] < expected[HONEST] == 12, expected
    for student in (HONEST, SNEAKY):
        dialog = _click_autograde(page, student)
        text = dialog.inner_text()
        assert f"Successfully autograded '{QUIZ}' for student '{student}'" in text, text
        assert f"{student}'s {QUIZ} scored from the answers; no code run" in text, text
        if student == SNEAKY:
            _show_in_log(dialog, "no code run")
            page.screenshot(path=str(SHOTS / "formgrader-autograde-button-dialog.png"))
        dialog.get_by_role("button", name="OK").click()
        page.locator(".modal.in").wait_for(state="hidden", timeout=10_000)
        page.locator(".modal-backdrop").wait_for(state="detached", timeout=10_000)
        assert _gradebook(course, QUIZ, student) == expected[student]
    assert not course.marker.exists(), "the formgrader ran Hana's code"
    for student in (SNEAKY, HONEST):
        score = f"{expected[student]:g} / 12"
        row = page.locator("tbody tr", has=page.locator(".student-id", has_text=student))
        row.locator(".score", has_text=score).wait_for(timeout=30_000)
    page.screenshot(path=str(SHOTS / "formgrader-autograde-button.png"))


def test_the_button_refuses_a_quiz_homs_cannot_score(page: Any, course: Course) -> None:
    """A quiz homs has no spec for: the dialog says plainly why and which command grades it,
    and the gradebook records no grade."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    _open_submissions(page, course, NO_KEY)
    dialog = _click_autograde(page, SNEAKY)
    text = dialog.inner_text()
    _show_in_log(dialog, "GradingError")
    page.screenshot(path=str(SHOTS / "formgrader-autograde-refused.png"))
    assert f"There was an error autograding '{NO_KEY}' for student '{SNEAKY}'" in text, text
    assert f"homs did not grade {SNEAKY}'s '{NO_KEY}':" in text, text
    assert f"homs has no quiz spec '{NO_KEY}'" in text, text
    assert f"    homs autograde {NO_KEY} --student {SNEAKY}\n" in text, text
    assert _gradebook(course, NO_KEY, SNEAKY) is None
    assert not course.marker.exists(), "the formgrader ran Hana's code"
