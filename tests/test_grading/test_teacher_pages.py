"""Nothing a student wrote runs in a page a teacher (or another student) opens: the graded
notebook the formgrader renders and the feedback page hold no live script from the hand-in."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from helpers import answered, copy_course, hand_in, key_answers, release_with_nbgrader
from homs import grading

pytestmark = pytest.mark.slow

PAYLOAD = "<img src=x onerror=\"document.title='PWNED'\"><script>alert(1)</script>"
#: Markup that would run: a script element or an element with an event handler (the same text
#: escaped, as in a code cell's highlighted source, is harmless and not matched).
LIVE = re.compile(r"<script[\s>]|<[a-z]+[^<>]*\son[a-z]+\s*=", re.IGNORECASE)


@pytest.fixture(scope="module", params=[False, True], ids=["no-kernel", "executed"])
def graded(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A hand-in carrying script in a Markdown cell, in its written answer (discrepancies) and
    in an HTML output of its own, graded without and with a kernel, with feedback."""
    course = copy_course(tmp_path_factory.mktemp("pages") / "course", "discrepancies")
    release = release_with_nbgrader(course, "discrepancies")["discrepancies"]
    quiz = grading.load_quiz("discrepancies")
    nb = answered(release, key_answers(quiz))
    written = next(i for i in quiz.items if i.written)
    for index, cell in enumerate(nb["cells"]):
        if cell["metadata"].get("nbgrader", {}).get("grade_id") == written.id:
            nb["cells"][index + 1]["source"] = f"My answer. {PAYLOAD}"
    nb["cells"].insert(
        1, {"cell_type": "markdown", "metadata": {}, "source": PAYLOAD, "id": "evil-md"}
    )
    nb["cells"].insert(
        2,
        {
            "cell_type": "code",
            "metadata": {},
            "id": "evil-code",
            "execution_count": 1,
            "source": f"from IPython.display import HTML; HTML({PAYLOAD!r})",
            "outputs": [
                {
                    "output_type": "display_data",
                    "metadata": {},
                    "data": {"text/html": PAYLOAD, "text/plain": "<HTML>"},
                }
            ],
        },
    )
    hand_in(course, "discrepancies", "mallory", nb)
    grading.autograde("discrepancies", course=course, execute=request.param)
    grading.feedback("discrepancies", course=course)
    return course


def test_the_graded_notebook_holds_no_live_markup(graded: Path) -> None:
    """The notebook the formgrader renders has the student's markup cleaned."""
    nb = json.loads(
        (graded / "autograded" / "mallory" / "discrepancies" / "discrepancies.ipynb").read_text()
    )
    rendered = []
    for cell in nb["cells"]:
        if cell["cell_type"] in ("markdown", "raw"):
            rendered.append("".join(cell["source"]))
        for output in cell.get("outputs", []):
            for mime, data in output.get("data", {}).items():
                if mime != "text/plain":
                    rendered.append("".join(data) if isinstance(data, list) else str(data))
    live = [text for text in rendered if LIVE.search(text)]
    assert not live, f"student markup survived: {live}"


def test_the_feedback_page_holds_no_live_markup(graded: Path) -> None:
    """The feedback page a student (and the teacher) opens has no live script of the hand-in,
    and still shows the student's own words."""
    page = (graded / "feedback" / "mallory" / "discrepancies" / "discrepancies.html").read_text()
    # The page's own template loads scripts (MathJax); none of the hand-in's may be live.
    assert not re.search(r"<script>alert|<[a-z]+[^<>]*\sonerror\s*=", page, re.IGNORECASE)
    assert "My answer." in page
