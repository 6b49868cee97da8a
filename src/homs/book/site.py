"""``homs book`` (``make book``): the static course book, built offline.

1. The six lessons run top to bottom in fresh kernels (nbclient, two at a time), with
   :mod:`homs.book.kernel` loaded so that every widget is written as HTML that works with no
   kernel. A lesson that errs, writes to stderr or leaves a live widget stops the build. Each
   code cell's source is folded away (MyST-NB's ``hide-input``): the reader sees its output.
2. The front page, the three texts and the practice quizzes are written (:mod:`.pages`), and
   the teacher guide copied.
3. Sphinx with MyST-NB (which runs nothing) and sphinx-book-theme renders the site, with
   homs's vendored scripts and style sheets in ``_static``: ``homs-widgets.js`` made into a
   classic script (``homs-widgets.classic.js``, so pages opened from ``file://`` work),
   ``homs-book.js`` (draws the widgets in the page), ``homs-widgets.css`` and
   ``homs-book.css`` (the book's layout and its print style sheet).
4. Every page is checked: nothing may load from outside the site. The theme's download
   button offers each lesson's notebook as a learner starts it (no outputs), to open in
   JupyterLab.

The result opens from its folder (``index.html``) or from any static web host.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from homs.book.files import BookError, lesson_files, lessons_dir

__all__ = ["DEFAULT_OUT", "Book", "build", "classic_script", "external_loads"]

#: Where ``homs book`` writes the site unless told otherwise.
DEFAULT_OUT = "build/book"
#: The seconds one lesson cell may take.
CELL_TIMEOUT = 300
_WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
_STATIC = ("homs-book.js", "homs-widgets.css", "homs-book.css")


@dataclass(frozen=True)
class Book:
    """The built book: its folder, its pages and how long each step took."""

    out: Path
    pages: tuple[Path, ...]
    seconds: dict[str, float]

    @property
    def index(self) -> Path:
        """The front page."""
        return self.out / "index.html"

    def format(self) -> str:
        """A short text for the terminal."""
        took = ", ".join(f"{step} {s:.0f} s" for step, s in self.seconds.items())
        return (
            f"homs book: {len(self.pages)} pages in {self.out} ({took}).\n"
            f"Open {self.index} in a browser, or put the folder on any web host."
        )


def _static(name: str) -> str:
    return (resources.files("homs") / "static" / name).read_text("utf-8")


def classic_script(esm: str) -> str:
    """``homs-widgets.js`` (an ES module whose only export is its last line, ``export default
    { render };``) as a classic script that sets ``window.HomsWidgets``.

    Raises:
        BookError: The module imports something or exports anything else.
    """
    body, sep, tail = esm.rpartition("export default { render };")
    if not sep or tail.strip() or re.search(r"^\s*(import|export)\b", body, re.MULTILINE):
        raise BookError(
            "homs-widgets.js must import nothing and end with `export default { render };`"
        )
    return (
        "// Made by homs.book from homs-widgets.js (an ES module) for pages opened from file://.\n"
        '(function () {\n"use strict";\n' + body + "window.HomsWidgets = { render };\n})();\n"
    )


def _execute(source: str, target: str) -> list[str]:
    """Runs one lesson in a fresh kernel with the book's extension; writes it executed and
    returns its problems (errors, stderr, live widgets)."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(source, as_version=4)
    work = tempfile.mkdtemp(prefix="homs-book-run-")
    try:
        NotebookClient(
            nb,
            timeout=CELL_TIMEOUT,
            kernel_name="python3",
            resources={"metadata": {"path": work}},
            extra_arguments=[
                "--InteractiveShellApp.extensions=homs.book.kernel",
                "--IPKernelApp.log_level=ERROR",
            ],
            store_widget_state=False,
        ).execute()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    nb.metadata.pop("widgets", None)
    # A reader of the book sees what each cell shows; its code is one click away.
    for cell in nb.cells:
        tags = cell.metadata.setdefault("tags", [])
        if cell.cell_type == "code" and not {"hide-input", "remove-input"} & set(tags):
            tags.append("hide-input")
    name = Path(source).name
    problems = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if out.output_type == "error":
                problems.append(f"{name}: {out.ename}: {out.evalue}")
            elif out.output_type == "stream" and out.name == "stderr":
                problems.append(f"{name}: wrote to stderr: {out.text[-1500:]}")
            elif _WIDGET_VIEW in out.get("data", {}):
                problems.append(f"{name}: a live widget in the page: {out.data.get('text/plain')}")
    nbformat.write(nb, target)
    return problems


def _run_lessons(src: Path, jobs: int) -> None:
    notebooks = [p for p in lesson_files() if p.suffix == ".ipynb"]
    with ProcessPoolExecutor(max_workers=max(1, jobs)) as pool:
        futures = [pool.submit(_execute, str(p), str(src / p.name)) for p in notebooks]
        problems = [line for f in futures for line in f.result()]
    if problems:
        raise BookError("the lessons did not run cleanly:\n  " + "\n  ".join(problems))


def _write_pages(src: Path) -> None:
    from homs import grading, sources
    from homs.book import pages

    readme = (lessons_dir() / "README.md").read_text("utf-8")
    lessons = [p for p in lesson_files() if p.suffix == ".ipynb"]
    (src / "index.md").write_text(pages.index_page(lessons, readme), "utf-8")
    shutil.copyfile(lessons_dir() / "teacher-guide.md", src / "teacher-guide.md")
    for s in sources.SOURCE_IDS:
        page = src / f"{pages.text_slug(s)}.md"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(pages.text_page(s), "utf-8")
    for quiz in grading.quiz_names():
        page = src / f"{pages.practice_slug(quiz)}.md"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(pages.practice_page(grading.load_quiz(quiz)), "utf-8")
    static = src / "_static"
    static.mkdir(exist_ok=True)
    (static / "homs-widgets.classic.js").write_text(
        classic_script(_static("homs-widgets.js")), "utf-8"
    )
    for name in _STATIC:
        (static / name).write_text(_static(name), "utf-8")
    conf = resources.files("homs") / "book" / "sphinx_conf.py"
    (src / "conf.py").write_text(conf.read_text("utf-8"), "utf-8")


_LOADS = re.compile(
    r"<(?:script|img|iframe|source|audio|video)\b[^>]*\bsrc=[\"']([^\"']+)[\"']"
    r"|<link\b[^>]*\bhref=[\"']([^\"']+)[\"'][^>]*>",
    re.IGNORECASE,
)


def external_loads(html: str) -> list[str]:
    """The addresses outside the site that a page loads (scripts, style sheets, images,
    frames, fonts through ``<link>``); links a reader may follow are not loads."""
    found = []
    for match in _LOADS.finditer(html):
        url = match.group(1) or match.group(2)
        if match.group(2) and re.search(r"rel=[\"'](?:canonical|alternate)", match.group(0)):
            continue
        if re.match(r"^(?:[a-z][a-z0-9+.-]*:)?//", url, re.IGNORECASE) and not url.startswith(
            "data:"
        ):
            found.append(url)
    return found


def _sphinx(src: Path, out: Path, doctrees: Path) -> str:
    """Runs Sphinx in a process of its own (Sphinx keeps global state: a second build in one
    process warns about every node class); returns its warnings."""
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "sphinx",
            "-b",
            "html",
            "-E",
            "-a",
            "-q",
            "--no-color",
            "-d",
            str(doctrees),
            str(src),
            str(out),
        ],
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise BookError(f"Sphinx failed:\n{done.stderr}{done.stdout}")
    return done.stderr


def build(out: str | Path = DEFAULT_OUT, *, jobs: int = 2, keep_source: bool = False) -> Book:
    """Builds the course book into ``out`` (emptied first), offline.

    Args:
        out: The folder of the site.
        jobs: How many lessons run at a time.
        keep_source: Keep the executed notebooks and generated pages in ``out/_source``
            (for looking into a build).

    Raises:
        BookError: A lesson did not run cleanly, Sphinx failed or warned, or a page loads
            something from outside the site.
    """
    out = Path(out).expanduser().resolve()
    seconds: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="homs-book-") as tmp:
        src, doctrees = Path(tmp) / "src", Path(tmp) / "doctrees"
        src.mkdir()
        start = time.perf_counter()
        _run_lessons(src, jobs)
        seconds["lessons run"] = time.perf_counter() - start
        start = time.perf_counter()
        _write_pages(src)
        seconds["pages written"] = time.perf_counter() - start
        start = time.perf_counter()
        if out.exists():
            shutil.rmtree(out)
        warnings = _sphinx(src, out, doctrees)
        seconds["Sphinx"] = time.perf_counter() - start
        if keep_source:
            shutil.copytree(src, out / "_source")
    # The download button's notebook is the lesson as a learner starts it: no outputs.
    for lesson in lesson_files():
        if lesson.suffix == ".ipynb" and (out / "_sources" / lesson.name).is_file():
            shutil.copyfile(lesson, out / "_sources" / lesson.name)
    real = [w for w in warnings.splitlines() if "WARNING" in w or "ERROR" in w]
    if real:
        raise BookError("Sphinx warned:\n  " + "\n  ".join(real))
    pages = tuple(
        sorted(p for p in out.rglob("*.html") if not {"_source", "_static"} & set(p.parts))
    )
    loads = {
        str(p.relative_to(out)): found
        for p in pages
        if (found := external_loads(p.read_text("utf-8")))
    }
    if loads:
        raise BookError(
            "pages load from outside the site:\n  "
            + "\n  ".join(f"{page}: {', '.join(urls)}" for page, urls in loads.items())
        )
    (out / "homs-book.json").write_text(
        json.dumps({"pages": [str(p.relative_to(out)) for p in pages]}, indent=1), "utf-8"
    )
    return Book(out, pages, seconds)
