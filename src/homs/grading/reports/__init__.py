"""What the grades say: the class report, its charts, the CSV export, the self-study report.

:mod:`.report` computes item statistics (facility, discrimination, common wrong answers) from
the gradebook and writes an HTML page with :mod:`.charts`, with per-form statistics of quizzes
in parallel forms from :mod:`.variants`; :mod:`.export` writes the grades as CSV;
:mod:`.review` writes the teacher's review sheet of the keys; :mod:`.practice` marks a learner's
own notebook for ``homs practice``, and :mod:`.selfstudy` draws fresh practice notebooks and
keeps the learner's history of kinds of question missed.

The top room of :mod:`homs.grading`: may import every other room and the layers below them.
"""
