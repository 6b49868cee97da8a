"""The nbgrader course: configuration, gradebook, release, autograde, feedback, preprocessors.

A stock nbgrader course (``nbgrader_config.py``, ``source/``, ``release/``, ``submitted/``,
``autograded/``, ``feedback/``, the gradebook at ``db_url``) stays one: these modules drive
nbgrader's own converters and gradebook. :mod:`.config` loads the course's configuration (and
the ``Homs`` settings); :mod:`.gradebook` reads grades; :mod:`.release` and :mod:`.feedback`
wrap ``generate_assignment`` and ``generate_feedback``; :mod:`.autograde` grades the course's
submissions with :mod:`homs.grading.engine` into the gradebook, and :mod:`.classlist` is the
summary it prints (scores out of the full maximum, late, missing and misplaced hand-ins);
:mod:`.roster` imports a class list; :mod:`.variants` keeps the course secret and each student's
parallel forms. The nbgrader preprocessors the course's configuration names are in
:mod:`.preprocessors` (sanitizing, explanations), :mod:`.formgrader` (``GradeAnswers``: what the
formgrader's Autograde button and ``nbgrader autograde`` run) and :mod:`.pending` (written
answers not yet marked, in the feedback).

May import :mod:`homs.grading.authoring`, :mod:`homs.grading.engine` and the layers below them;
never :mod:`homs.grading.reports`. Importing it puts the tools nbgrader shells out to on
``PATH`` (:mod:`.tools`).
"""

from homs.grading.course import tools as _tools  # noqa: F401  (puts alembic on PATH)
