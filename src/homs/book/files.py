"""The packaged lessons and course template, and the commands that copy them out:
:func:`copy_lessons` (``homs lessons DIR``) and :func:`new_course` (``homs course DIR``).

The wheel carries the lessons (the six notebooks, their README and the teacher guide) as
``homs/lessons_data/lessons`` and the course template (``nbgrader_config.py``, its README and
the three quiz source notebooks) as ``homs/lessons_data/course``; in a source checkout (an
editable install) they are the repository's ``lessons/`` and ``quizzes/``.

A learner's notebook is never overwritten without asking: :func:`copy_lessons` writes nothing
when a notebook in the folder differs from the packaged one (the learner has run or edited it),
and says which; ``force=True`` (``--force``) replaces them, and ``keep=True`` (what ``homs lab``
and ``make lab`` do) copies the rest and keeps the changed ones as they are. The folder's
``.homs-lessons.json`` (:data:`MANIFEST`) records what was copied, so a lesson the learner never
touched is brought up to date when the packaged one changes (after a ``git pull``, say).
"""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from homs._text import plural

__all__ = [
    "BookError",
    "Copied",
    "NewCourse",
    "copy_lessons",
    "course_template_dir",
    "lesson_files",
    "lessons_dir",
    "new_course",
]

_CHECKOUT = Path(__file__).resolve().parents[3]
#: What goes with the lesson notebooks.
GUIDES = ("README.md", "teacher-guide.md")
#: The file, in a learner's folder, that records the SHA-256 of each file as copied.
MANIFEST = ".homs-lessons.json"


class BookError(ValueError):
    """Lessons, a course or the book cannot be made as asked; the message says what to do."""


def _packaged(*parts: str, checkout: Path) -> Path:
    packaged = resources.files("homs").joinpath("lessons_data", *parts)
    if packaged.is_dir():
        return Path(str(packaged))
    if checkout.is_dir():
        return checkout
    raise BookError(
        f"homs/lessons_data/{'/'.join(parts)} is missing from the installed package; reinstall "
        "homs (pip install --force-reinstall homs) or run from a source checkout"
    )


def lessons_dir() -> Path:
    """The folder of the packaged lessons (the repository's ``lessons/`` in a checkout)."""
    return _packaged("lessons", checkout=_CHECKOUT / "lessons")


def course_template_dir() -> Path:
    """The folder of the course template (the repository's ``quizzes/`` in a checkout)."""
    return _packaged("course", checkout=_CHECKOUT / "quizzes")


def lesson_files() -> list[Path]:
    """The six lesson notebooks, in order, then their README and the teacher guide."""
    folder = lessons_dir()
    notebooks = sorted(folder.glob("[0-9][0-9]-*.ipynb"))
    return [*notebooks, *(folder / name for name in GUIDES if (folder / name).is_file())]


@dataclass(frozen=True)
class Copied:
    """What :func:`copy_lessons` did: the files written, those already up to date, those
    replaced although the learner had changed them (only with ``force``), those the learner
    had changed and that were kept (only with ``keep``), and those updated to a newer packaged
    version because the learner had not changed them."""

    folder: Path
    written: tuple[Path, ...] = ()
    unchanged: tuple[Path, ...] = ()
    replaced: tuple[Path, ...] = ()
    kept: tuple[Path, ...] = ()
    updated: tuple[Path, ...] = ()

    def format(self) -> str:
        """A short text for the terminal."""
        lines = [f"homs lessons: wrote {p}" for p in self.written]
        lines += [
            f"homs lessons: updated {p} (a newer version; you had not changed it)"
            for p in self.updated
        ]
        lines += [f"homs lessons: replaced your changed {p}" for p in self.replaced]
        if self.kept:
            lines.append(
                f"homs lessons: kept your work in {plural(len(self.kept), 'file')} "
                f"({', '.join(p.name for p in self.kept)}); to start one afresh, delete it and "
                "run this again"
            )
        if self.unchanged:
            lines.append(f"homs lessons: {plural(len(self.unchanged), 'file')} already up to date")
        lines.append(f"Open them with: homs lab {self.folder}")
        return "\n".join(lines)


def copy_lessons(dest: str | Path, *, force: bool = False, keep: bool = False) -> Copied:
    """Copies the lessons and their guides into ``dest`` (made if missing).

    A file already there and identical is left alone. A file that differs (a notebook the
    learner has run, answered or edited) is never overwritten unless ``force``. With ``keep``
    the other files are copied and the changed ones kept (:attr:`Copied.kept`); with neither,
    nothing is written at all and :class:`BookError` names those files.

    Raises:
        BookError: ``dest`` is a file, or holds changed copies and neither ``force`` nor
            ``keep`` is set.
    """
    folder = Path(dest).expanduser()
    if folder.exists() and not folder.is_dir():
        raise BookError(f"{folder}: is a file, not a folder; give a folder for the lessons")
    plan = [(src, folder / src.name) for src in lesson_files()]
    copied = _read_manifest(folder / MANIFEST)

    def differs(src: Path, target: Path) -> bool:
        return target.exists() and target.read_bytes() != src.read_bytes()

    def untouched(target: Path) -> bool:
        return copied.get(target.name) == _sha256(target)

    changed = [t for s, t in plan if differs(s, t) and not untouched(t)]
    if changed and not force and not keep:
        names = ", ".join(t.name for t in changed)
        raise BookError(
            f"{folder}: you have changed {names} (run, answered or edited), so nothing was "
            "copied. To keep your work, copy the lessons to another folder "
            f"(homs lessons OTHER-FOLDER); to replace your copies with fresh ones, losing your "
            f"changes to them, run: homs lessons {folder} --force"
        )
    folder.mkdir(parents=True, exist_ok=True)
    written, unchanged, replaced, kept, updated = [], [], [], [], []
    for src, target in plan:
        if target.exists() and not differs(src, target):
            unchanged.append(target)
        elif target in changed and not force:
            kept.append(target)
            continue
        else:
            if not target.exists():
                written.append(target)
            else:
                (replaced if target in changed else updated).append(target)
            shutil.copyfile(src, target)
        copied[target.name] = _sha256(target)
    (folder / MANIFEST).write_text(json.dumps(copied, indent=1, sort_keys=True) + "\n", "utf-8")
    return Copied(
        folder, tuple(written), tuple(unchanged), tuple(replaced), tuple(kept), tuple(updated)
    )


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _read_manifest(path: Path) -> dict[str, str]:
    """What :func:`copy_lessons` copied into a folder before (none if unreadable: then every
    file that differs counts as the learner's)."""
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


@dataclass(frozen=True)
class NewCourse:
    """What :func:`new_course` made: the course folder, its quizzes and its spec folder."""

    root: Path
    quizzes: tuple[str, ...]
    specs: Path | None = None
    files: tuple[Path, ...] = field(default=())

    def format(self) -> str:
        """A short text for the terminal, ending with the next command to run."""
        lines = [f"homs course: made {self.root} with the quizzes {', '.join(self.quizzes)}"]
        if self.specs is not None:
            lines.append(
                f"homs course: the quizzes are built from {self.specs} (c.Homs.specs in "
                f"{self.root / 'nbgrader_config.py'})"
            )
        first = self.quizzes[0] if self.quizzes else "QUIZ"
        lines.append(f"Next: homs release {first} --course {self.root}")
        return "\n".join(lines)


_SPECS_SETTING = """
# The quiz specs of this course (homs course --specs), relative to this folder: `homs build
# --course .` rebuilds source/<quiz>/<quiz>.ipynb from them. Keep this folder private: the specs
# and the source notebooks hold the answer keys.
c.Homs.specs = "specs"
"""


def new_course(dest: str | Path, *, specs: str | Path | None = None) -> NewCourse:
    """Makes a fresh nbgrader course in ``dest``, ready for ``homs release``.

    The course gets the template's ``nbgrader_config.py`` and README. Without ``specs`` it gets
    the three packaged quizzes' source notebooks. With ``specs`` (a teacher's own folder of
    quiz specs), the folder is copied into the course as ``specs/``, ``c.Homs.specs`` points at
    it, and the source notebooks are built from those specs.

    Raises:
        BookError: ``dest`` exists and is not an empty folder, or ``specs`` holds no spec.
        DataError: A spec has problems (each listed, with the fix).
    """
    root = Path(dest).expanduser()
    if root.exists() and (not root.is_dir() or any(root.iterdir())):
        raise BookError(
            f"{root}: already exists and is not an empty folder; homs course makes a fresh "
            "course, so give a new folder"
        )
    spec_folder = None
    if specs is not None:
        spec_folder = Path(specs).expanduser()
        if not spec_folder.is_dir() or not any(spec_folder.glob("*.yaml")):
            raise BookError(
                f"{specs}: not a folder of quiz specs (no .yaml file in it); give the folder "
                "that holds your quiz specs"
            )
    template = course_template_dir()
    root.mkdir(parents=True, exist_ok=True)
    files = []
    for name in ("nbgrader_config.py", "README.md"):
        shutil.copyfile(template / name, root / name)
        files.append(root / name)
    if spec_folder is None:
        for notebook in sorted((template / "source").glob("*/*.ipynb")):
            target = root / "source" / notebook.parent.name / notebook.name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(notebook, target)
            files.append(target)
    else:
        from homs import grading

        shutil.copytree(spec_folder, root / "specs")
        config = root / "nbgrader_config.py"
        config.write_text(config.read_text("utf-8") + _SPECS_SETTING, "utf-8")
        files += grading.build(root)
    quizzes = tuple(sorted(p.name for p in (root / "source").iterdir() if p.is_dir()))
    return NewCourse(root, quizzes, root / "specs" if spec_folder else None, tuple(files))
