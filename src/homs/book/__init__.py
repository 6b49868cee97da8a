"""The module as learners and teachers get it: the lessons to copy and open in JupyterLab, a
fresh nbgrader course to start from, and the static course book that works in any browser.

The top of the package, beside :mod:`homs.cli`: it may import every layer below (the
lessons' modules, :mod:`homs.grading`), and only :mod:`homs.cli` imports it.

- :mod:`~homs.book.files`: where the packaged lessons and course template are,
  :func:`copy_lessons` (``homs lessons DIR``) and :func:`new_course` (``homs course DIR``);
- :mod:`~homs.book.lab`: :func:`lab_command` and :func:`open_lab` (``homs lab DIR``);
- :mod:`~homs.book.site`: :func:`build` (``homs book``, ``make book``), the six lessons
  executed, the three texts, the quizzes as practice pages, with Sphinx, MyST-NB and
  sphinx-book-theme, offline;
- :mod:`~homs.book.kernel`: the IPython extension that draws widgets for a page with no kernel
  while the book's lessons run;
- :mod:`~homs.book.pages`: the book's pages that are not lessons (the texts, the practice
  quizzes, the front page).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from homs._lazy import lazy

if TYPE_CHECKING:
    from homs.book.files import (
        BookError,
        Copied,
        NewCourse,
        copy_lessons,
        course_template_dir,
        lesson_files,
        lessons_dir,
        new_course,
    )
    from homs.book.lab import has_lessons, lab_command, open_lab
    from homs.book.site import Book, build

__all__ = [
    "Book",
    "BookError",
    "Copied",
    "NewCourse",
    "build",
    "copy_lessons",
    "course_template_dir",
    "has_lessons",
    "lab_command",
    "lesson_files",
    "lessons_dir",
    "new_course",
    "open_lab",
]

__getattr__ = lazy(
    globals(),
    {
        "BookError": "homs.book.files",
        "Copied": "homs.book.files",
        "copy_lessons": "homs.book.files",
        "course_template_dir": "homs.book.files",
        "lesson_files": "homs.book.files",
        "lessons_dir": "homs.book.files",
        "new_course": "homs.book.files",
        "NewCourse": "homs.book.files",
        "has_lessons": "homs.book.lab",
        "lab_command": "homs.book.lab",
        "open_lab": "homs.book.lab",
        "Book": "homs.book.site",
        "build": "homs.book.site",
    },
)
