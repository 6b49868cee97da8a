"""Writing quizzes: specs, answer kinds and their checks, keys, source notebooks, explanations.

A quiz spec (``specs/<quiz>.yaml``, or a teacher's own folder) names knowledge-base ids; every
key is worked out from the knowledge base (:mod:`.spec`). Each kind of answer has form checks
and a scoring rule (:mod:`.kinds`, :mod:`.checks`) that run the same in the student's test cell
and in the grader; the form checks themselves live in the top-level package
:mod:`homs_checks`, which the student's kernel imports (it holds no key). :mod:`.banks` draws
parallel forms of an item from its pool, each key worked out from the knowledge base.
:mod:`.build` writes the nbgrader source notebooks; :mod:`.explain` says why a key is right,
citing the sentences.

May import :mod:`homs_checks`, :mod:`homs.sources`, :mod:`homs.knowledge`, :mod:`homs.errors`
and the helpers below them (``homs._text``, ``homs._templates``, ``homs._schema``); nothing else
of :mod:`homs.grading`. Modules here import one another in this order: ``checks`` → ``kinds`` →
``spec`` → ``banks`` → (``build``, ``explain``).
"""
