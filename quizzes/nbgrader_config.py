"""nbgrader configuration of the homs quiz course (this folder is the course root).

Run nbgrader from this folder, with the project's virtual environment first on PATH (nbgrader
shells out to `alembic`):

    cd quizzes
    nbgrader generate_assignment timeline
    nbgrader autograde timeline
    nbgrader generate_feedback timeline

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

# A quiz cell runs in milliseconds; anything slower than this is a student's loop.
c.Execute.timeout = 30
