"""Grading submissions, with the score decided outside the student's process.

What happens to one hand-in, in order: :mod:`.forensics` reads it as bytes and JSON and
describes what the student changed; :mod:`.answers` reads each answer cell's literal as data;
:mod:`.scoring` decides the score with the item's checks; :mod:`.execute` runs the sanitized
notebook for the feedback in a kernel that :mod:`.kernels` starts in the :mod:`.sandbox`
(bubblewrap, limits, a pre-warmed zygote, :mod:`.zygote_main`, a control group per kernel from
:mod:`.cgroups`), talking to it through :mod:`.client`; :mod:`.sanitize` cleans what the student
wrote before a teacher's page shows it, and :mod:`.simulate` writes the outputs the test cells
would show when no kernel runs. :mod:`.worker` does all of that for one job (:mod:`.job`)
inside a worker process; :mod:`.pool` runs the workers; :mod:`.batch` hands them a class and
collects the results (:mod:`.results`); :mod:`.ledger` remembers what was graded from which
files.

May import :mod:`homs.grading.authoring` and the layers below it, nbgrader, nbclient and
jupyter_client; never :mod:`homs.grading.course` or :mod:`homs.grading.reports`: the engine
knows nothing of where a course keeps its files or its gradebook (a :class:`.job.Job` says).
"""
