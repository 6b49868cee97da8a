"""An nbgrader course as the teacher's commands see it: its configuration and folders.

The lowest room of :mod:`homs.grading.course`: it may import :mod:`homs.grading.engine` (for
:class:`Limits`) and nothing else of the course. :class:`Homs` holds the ``homs`` commands' own
settings (the spec folder, the workers, the kernel limits), configured in the course's
``nbgrader_config.py`` like any of nbgrader's options.

Everything here is built on nbgrader's own machinery: the course's ``nbgrader_config.py`` (and
the user's and system's, as the stock commands load them) configures a
:class:`nbgrader.coursedir.CourseDirectory`; the gradebook is :class:`nbgrader.api.Gradebook` at
the course's ``db_url`` (SQLite ``gradebook.db`` in the course root by default, any SQLAlchemy
URL otherwise). nbgrader is imported inside the functions, so ``import homs.grading`` stays light.
"""

from __future__ import annotations

import logging
from dataclasses import fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from traitlets import Bool, Enum, Integer, List, Unicode
from traitlets.config import Configurable

from homs.errors import GradingError
from homs.grading.engine.sandbox import Limits

if TYPE_CHECKING:
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config import Config

__all__ = [
    "CONFIG_FILE",
    "DEFAULT_COURSE",
    "Homs",
    "config",
    "course_dir",
    "course_root",
    "run_converter",
    "settings",
    "specs_for",
]

#: The course folder the commands use when none is given (the repository's ``quizzes/``).
DEFAULT_COURSE = "quizzes"

CONFIG_FILE = "nbgrader_config.py"


def course_root(course: str | Path) -> Path:
    """The course folder, checked: it exists and holds ``nbgrader_config.py``.

    Raises:
        GradingError: Saying which folder was expected and how to point at another.
    """
    root = Path(course).expanduser().resolve()
    if not root.is_dir():
        raise GradingError(
            f"{course}: no such course folder. Run the command from the folder "
            "that holds quizzes/, or give the course with --course DIR."
        )
    if not (root / CONFIG_FILE).is_file():
        raise GradingError(
            f"{course}: not an nbgrader course (no {CONFIG_FILE} in it). Give the "
            "course root with --course DIR, e.g. --course quizzes."
        )
    return root


def config(course: str | Path) -> Config:
    """The nbgrader configuration a stock ``nbgrader`` command run in the course would use.

    The user's and system's ``nbgrader_config.py`` (Jupyter's config path) first, then the
    course's own, which wins.
    """
    from jupyter_core.paths import jupyter_config_path
    from traitlets.config import Config
    from traitlets.config.loader import PyFileConfigLoader

    root = course_root(course)
    merged = Config()
    for folder in [*reversed(jupyter_config_path()), str(root)]:
        if (Path(folder) / CONFIG_FILE).is_file():
            merged.merge(PyFileConfigLoader(CONFIG_FILE, path=folder).load_config())
    return merged


def course_dir(course: str | Path, cfg: Config | None = None, **traits: Any) -> CourseDirectory:
    """nbgrader's :class:`CourseDirectory` for the course, rooted there unless config says not.

    Args:
        course: The course root.
        cfg: The configuration; :func:`config` of the course by default.
        **traits: Traits to set, such as ``assignment_id="timeline"``.
    """
    from nbgrader.coursedir import CourseDirectory

    cfg = cfg if cfg is not None else config(course)
    cd = CourseDirectory(config=cfg)
    if "root" not in cfg.get("CourseDirectory", {}):
        cd.root = str(course_root(course))
    for name, value in traits.items():
        setattr(cd, name, value)
    return cd


def run_converter(
    converter: type,
    course: str | Path,
    quiz: str,
    *,
    cfg: Config | None = None,
    force: bool = False,
    student: str = "*",
) -> str:
    """Runs an nbgrader converter (GenerateAssignment, GenerateFeedback, ...) on one quiz.

    This is what :class:`nbgrader.apps.api.NbGraderAPI` does, without its exchange lookup.

    Returns:
        The converter's log.

    Raises:
        GradingError: The converter failed; the message holds nbgrader's log and traceback.
    """
    from nbgrader.utils import capture_log

    cfg = cfg if cfg is not None else config(course)
    cd = course_dir(course, cfg, assignment_id=quiz, student_id=student)
    app = converter(coursedir=cd, config=cfg)
    app.force = force
    level = app.log.level
    app.log.setLevel(logging.INFO)  # so the log says what was skipped, not only what failed
    try:
        result = capture_log(app)  # alembic is on PATH: see homs.grading.course.tools
    finally:
        app.log.setLevel(level)
    log = result.get("log", "")
    if not result["success"]:
        detail = (log + result.get("error", "")).strip()
        raise GradingError(
            f"nbgrader {converter.__name__} failed for quiz {quiz!r} in {cd.root}:\n{detail}"
        )
    return log


class Homs(Configurable):  # type: ignore[misc]
    """The ``homs`` commands' own settings, read from the course's ``nbgrader_config.py``.

    For example::

        c.Homs.specs = "private-specs"     # a teacher's own quiz specs, beside the config
        c.Homs.workers = 4
        c.Homs.memory_bytes = 1 << 30
    """

    specs = Unicode(
        "",
        help="The folder of quiz specs the course's quizzes are built from, relative to the "
        "course root (a teacher's own, kept private); empty for the packaged specs.",
    ).tag(config=True)
    roster = Unicode(
        "",
        help="The class list, a CSV file relative to the course root (an id column, names, "
        "email; as a learning platform exports it): imported into the gradebook before each "
        "homs autograde, report and export, so students who did not hand in are listed. Empty: "
        "none (import one with homs roster FILE).",
    ).tag(config=True)
    workers = Integer(0, help="Worker processes for homs autograde; 0 for one per core.").tag(
        config=True
    )
    execute_all = Bool(
        False,
        help="Run every hand-in in a sandboxed kernel, to give the graded notebooks the "
        "students' own outputs. By default a quiz whose every item is decided from its answers "
        "(all of homs's quizzes) is graded without a kernel: the graded notebook shows what its "
        "test cells would show, and no student code runs.",
    ).tag(config=True)
    sandbox = Enum(
        ["auto", "require", "off"],
        "auto",
        help="auto: bubblewrap when it works here, with a loud warning when it does not; "
        "require: refuse to grade without it; off: resource limits only.",
    ).tag(config=True)
    variants = List(
        Unicode(),
        [],
        help="Quizzes given in parallel forms: each student gets their own version of the "
        "quiz's banked items, chosen from a secret in .homs/variant_secret, the student id and "
        "the quiz (see docs/variants.md). Run homs build and homs release after changing it.",
    ).tag(config=True)
    cpu_seconds = Integer(Limits.cpu_seconds, help="CPU seconds for a student's kernel.").tag(
        config=True
    )
    memory_bytes = Integer(
        Limits.memory_bytes, help="Address space of each process of a student's kernel."
    ).tag(config=True)
    kernel_memory_bytes = Integer(
        Limits.kernel_memory_bytes,
        help="Memory of all the processes of a student's kernel together, its files included "
        "(a control group; a quiz needs under 300 MB). Keep it above memory_bytes plus "
        "disk_bytes, so that one greedy process gets a MemoryError before the kernel is killed.",
    ).tag(config=True)
    processes = Integer(
        Limits.processes,
        help="Processes and threads of a student's kernel, all together (a control group; per "
        "user where control groups cannot be made).",
    ).tag(config=True)
    disk_bytes = Integer(
        Limits.disk_bytes,
        help="Size of a student's kernel's private filesystem (its working folder and temporary "
        "folder, kept in memory): what its files may fill, never the course's disk.",
    ).tag(config=True)
    worker_memory_bytes = Integer(
        Limits.worker_memory_bytes,
        help="Memory of each homs autograde worker process (a control group; its own address "
        "space where control groups cannot be made): it holds the notebooks and outputs of the "
        "students it grades.",
    ).tag(config=True)
    file_bytes = Integer(
        Limits.file_bytes, help="The largest file a student's kernel may write."
    ).tag(config=True)
    open_files = Integer(
        Limits.open_files, help="Open file descriptors of a student's kernel."
    ).tag(config=True)
    wall_seconds = Integer(
        Limits.wall_seconds, help="Wall-clock seconds for a whole notebook."
    ).tag(config=True)
    cell_seconds = Integer(Limits.cell_seconds, help="Wall-clock seconds for one cell.").tag(
        config=True
    )
    output_bytes = Integer(
        Limits.output_bytes,
        help="Output kept per notebook, counted as it arrives; the rest is dropped with a note "
        "in the notebook and the summary. A single message from the kernel over this plus "
        "1 MiB is dropped unread.",
    ).tag(config=True)

    def limits(self) -> Limits:
        """The kernel limits these settings give."""
        return Limits(**{f.name: getattr(self, f.name) for f in fields(Limits)})

    def specs_folder(self, root: Path) -> Path | None:
        """The course's spec folder (resolved against the course root), or ``None``.

        Raises:
            GradingError: The configured folder does not exist.
        """
        if not self.specs:
            return None
        folder = (root / self.specs).resolve()
        if not folder.is_dir():
            raise GradingError(
                f"{root / CONFIG_FILE}: c.Homs.specs is {self.specs!r}, but {folder} is not a "
                "folder. Create it with your quiz specs, or remove the setting to use the "
                "packaged quizzes."
            )
        return folder


def settings(course: str | Path, cfg: Config | None = None) -> Homs:
    """The course's :class:`Homs` settings (defaults where ``nbgrader_config.py`` is silent)."""
    return Homs(config=cfg if cfg is not None else config(course))


def specs_for(course: str | Path, specs: str | Path | None = None) -> Path | None:
    """The spec folder a command uses: ``specs`` when given, else the course's ``c.Homs.specs``,
    else ``None`` (the packaged specs).

    Raises:
        GradingError: The folder does not exist.
    """
    if specs is not None:
        folder = Path(specs).expanduser().resolve()
        if not folder.is_dir():
            raise GradingError(f"{specs}: no such folder of quiz specs. Give an existing folder.")
        return folder
    root = course_root(course)
    return settings(root).specs_folder(root)
