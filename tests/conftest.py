"""Fixtures shared by more than one test package.

Each package's own fixtures stay in its ``conftest.py``; plain helpers shared by the packages
(paths, courses, releases, hand-ins) are in ``tests/helpers.py``, imported as ``helpers``.
"""

from __future__ import annotations

import pytest

from homs import grading


@pytest.fixture(scope="session")
def quizzes() -> dict[str, grading.Quiz]:
    """Every quiz, loaded from its spec and the knowledge base."""
    return {name: grading.load_quiz(name) for name in grading.quiz_names()}


@pytest.fixture(scope="session")
def timeline(quizzes: dict[str, grading.Quiz]) -> grading.Quiz:
    """The timeline quiz."""
    return quizzes["timeline"]


@pytest.fixture(scope="session")
def book(tmp_path_factory: pytest.TempPathFactory) -> object:
    """The course book, built once for the session (the lessons run, Sphinx, offline): the
    book's own tests and the accessibility audit share it."""
    from homs.book import build

    return build(tmp_path_factory.mktemp("book") / "site")
