"""The nbgrader course: configuration, gradebook, release, autograde, feedback, preprocessors.

A stock nbgrader course (``nbgrader_config.py``, ``source/``, ``release/``, ``submitted/``,
``autograded/``, ``feedback/``, the gradebook at ``db_url``) stays one: these modules drive
nbgrader's own converters and gradebook. :mod:`.config` loads the course's configuration (and
the ``Homs`` settings); :mod:`.gradebook` reads grades; :mod:`.release` and :mod:`.feedback`
wrap ``generate_assignment`` and ``generate_feedback``; :mod:`.autograde` grades the course's
submissions with :mod:`homs.grading.engine` into the gradebook; :mod:`.preprocessors` holds the
nbgrader preprocessors the course's configuration names.

May import :mod:`homs.grading.authoring`, :mod:`homs.grading.engine` and the layers below them;
never :mod:`homs.grading.reports`. Importing it puts the tools nbgrader shells out to on
``PATH`` (:mod:`.tools`).
"""

from homs.grading.course import tools as _tools  # noqa: F401  (puts alembic on PATH)
