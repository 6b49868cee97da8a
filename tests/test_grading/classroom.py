"""The grading tests' simulated classes: what their students hand in and score.

Plain data, no fixtures; the fixtures that build these classes are in ``conftest.py``, the
helpers that hand the notebooks in are in ``tests/helpers.py``.
"""

from __future__ import annotations

__all__ = [
    "DISCREPANCIES_PARTLY_RIGHT",
    "HAND_ABSENT",
    "HAND_SCORES",
    "TIMELINE_WRONG_TYPES",
]

#: Typical hand-ins, written as students type them; their scores are what stock nbgrader gives
#: (``helpers.TIMELINE_PARTLY_RIGHT`` is the timeline's partly right one: 6 of 12).
#: Timeline, answers differing in type (a date by month name, a string for a number, a float,
#: a string for a list): 4 of 12. The first three are only differences of form, read as the
#: key's form everywhere (homs_checks.normalise); one string holding several letters is not.
TIMELINE_WRONG_TYPES = {
    "q2_colvin_date": 'answer_q2_colvin_date = "22 February 2012"',
    "q3_amos_year": 'answer_q3_amos_year = "2012"',
    "q4_siege_length": "answer_q4_siege_length = 2.0",
    "q7_siege_sources": 'answer_q7_siege_sources = "B, C"',
    "q8_killing_sources": 'answer_q8_killing_sources = ["A", "B"]',
}
#: Discrepancies, partly right: 2 + 1 + 0 + 1 + 1 + 0 = 5 of 9 automatic points.
DISCREPANCIES_PARTLY_RIGHT = {
    "q1_claims": 'answer_q1_claims = ["C", "A", "C", "B"]',
    "q2_population_odd_one_out": 'answer_q2_population_odd_one_out = "A"',
    "q3_bombardment_type": 'answer_q3_bombardment_type = "different-framing"',
    "q4_death_toll_type": 'answer_q4_death_toll_type = "omission"',
    "q5_dependent_sources": 'answer_q5_dependent_sources = ["C", "B"]',
    "q6_waer_reuse": 'answer_q6_waer_reuse = "C-30"',
}

# -- the ``hand_graded_course`` class: a gradebook filled in by hand ---------------------------

#: timeline scores per student, in item order q1 (5 points) ... q8; e5 is in the gradebook but
#: handed nothing in.
HAND_SCORES = {
    "a1": (5, 1, 1, 1, 1, 1, 1, 1),  # all right: 12
    "b2": (3, 0, 1, 1, 1, 1, 1, 1),  # two events swapped, the day before: 9
    "c10": (0, 0, 0, 0, 0, 0, 0, 0),  # blank: 0
    "d3": (5, 0, 1, 1, 1, 0, 0, 1),  # the day before, 14 days, wrong sources: 9
}
HAND_ABSENT = "e5"
