"""What the grades say: the class report, its charts, the CSV export, the self-study report.

:mod:`.report` computes item statistics (difficulty, discrimination, common wrong answers) from
the gradebook and writes an HTML page with :mod:`.charts`; :mod:`.export` writes the grades as
CSV; :mod:`.practice` marks a learner's own notebook for ``homs practice``.

The top room of :mod:`homs.grading`: may import every other room and the layers below them.
"""
