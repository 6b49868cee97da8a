"""nbgrader configuration of the homs quiz course (this folder is the course root).

Grade with the homs commands, from the repository's root (see README.md in this folder):

    .venv/bin/homs release timeline
    .venv/bin/homs autograde timeline
    .venv/bin/homs feedback timeline

The stock nbgrader commands work too (run them in this folder with .venv/bin first on PATH);
`nbgrader autograde` and the formgrader's Autograde button score the answers with homs's key
and run no student code (GradeAnswers, below).

The source notebooks in source/<quiz>/ are built from
homs/grading/authoring/specs/<quiz>.yaml and the knowledge base by `homs build`; edit the spec,
not the notebook. They hold the
answer keys: see README.md in this folder.
"""

c = get_config()  # noqa: F821  (nbgrader provides get_config)

# The gradebook: SQLite next to this file by default. Any SQLAlchemy URL works, for example
# "postgresql://user@host/homs" for a large course.
# c.CourseDirectory.db_url = "sqlite:///gradebook.db"

# A released answer cell reads `answer_q3_siege_length = (\n    ...  # YOUR ANSWER HERE\n)`: the
# solution region becomes the Ellipsis, so the cell runs, the visible test says "not answered
# yet", and the answer can be read as data with ast.literal_eval.
c.ClearSolutions.code_stub = {"python": "...  # YOUR ANSWER HERE"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# The mark scheme of a written item lives in its task cell between these markers (nbgrader's
# defaults, written out because homs.grading builds the notebooks with them).
c.ClearMarkScheme.begin_mark_scheme_delimeter = "BEGIN MARK SCHEME"
c.ClearMarkScheme.end_mark_scheme_delimeter = "END MARK SCHEME"

# Put back test cells a student deleted, so the answer is still graded.
c.OverwriteCells.add_missing_cells = True

# nbgrader's sanitizing steps, with two replacements from homs.grading.course.preprocessors: a
# student who copied a cell, or deleted a cell and its neighbour, no longer makes autograding fail.
c.Autograde.sanitize_preprocessors = [
    "nbgrader.preprocessors.ClearOutput",
    "homs.grading.course.preprocessors.DeduplicateIds",
    "nbgrader.preprocessors.OverwriteKernelspec",
    "homs.grading.course.preprocessors.OverwriteCells",
    "nbgrader.preprocessors.CheckCellMetadata",
]

# The formgrader's Autograde button and `nbgrader autograde`: the answers are read as data and
# scored with the quiz's key, as `homs autograde` does, in place of nbgrader's Execute (which
# would run each student's code with no sandbox). A quiz homs cannot score so is refused with
# the command that grades it (`homs autograde QUIZ --student ID`).
c.Autograde.autograde_preprocessors = [
    "homs.grading.course.formgrader.GradeAnswers",
    "nbgrader.preprocessors.IgnorePattern",
    "nbconvert.preprocessors.ClearMetadataPreprocessor",
    "nbgrader.preprocessors.LimitOutput",
    "nbgrader.preprocessors.SaveAutoGrades",
    "nbgrader.preprocessors.AssignLatePenalties",
    "nbgrader.preprocessors.CheckCellMetadata",
]

# A quiz cell runs in milliseconds; anything slower than this is a student's loop.
c.Execute.timeout = 30
