"""Parallel forms in a course: the secret, the roster at release, and each student's variant.

A quiz listed in ``c.Homs.variants`` gives each student their own version of its banked items
(:mod:`homs.grading.authoring.banks`). Which version is decided here, by the teacher's side only:

* the course secret, ``.homs/variant_secret`` in the course root (32 random bytes, created on
  first use with mode 0600; never under ``source/`` or ``release/``, so nbgrader never copies
  it), seeds the course's forms of each item and picks each student's form with
  ``HMAC-SHA256(secret, "<quiz>:<item>:<student>")``;
* :func:`fill_release` writes, into the released notebook's "Your questions" cell, a table from
  ``sha256("<quiz>:<student>")`` to that student's forms, for every student on the roster (the
  gradebook's students) at release, and the text and options of each form. The cell finds the
  student's id in ``JUPYTERHUB_USER`` or ``USER`` (or the id the student types in it); a
  student it cannot find answers the base form (form 0) printed in the notebook;
* :func:`student_variants` recomputes a student's forms at grading time from the secret: the
  notebook is never asked which version it holds. A student not on the roster at release saw
  the base form and is graded against it, with a note for the teacher;
* :func:`copying` tells the teacher when a student's answers fit another student's version
  better than their own.

The record of a release is ``.homs/variants/<quiz>.json`` (the roster and the forms released).
May import :mod:`homs.grading.authoring`, :mod:`homs.grading.engine` and :mod:`.config`.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from homs.errors import GradingError
from homs.grading.authoring import banks
from homs.grading.authoring.build import question_text
from homs.grading.authoring.spec import Quiz
from homs.grading.engine.answers import read_answers, read_notebook
from homs.grading.engine.scoring import grade_answer

__all__ = [
    "SECRET",
    "Suspicion",
    "copying",
    "course_forms",
    "enabled",
    "fill_release",
    "form_of",
    "release_record",
    "secret",
    "student_variants",
    "variants_for",
]

#: The course secret, relative to the course root.
SECRET = Path(".homs") / "variant_secret"
#: The release records, relative to the course root.
RECORDS = Path(".homs") / "variants"
#: The metadata marking the released notebook's "Your questions" cell.
CELL_MARK = "variants"


def enabled(course: Path, quiz: str, cfg: Any = None) -> bool:
    """Whether the course gives this quiz in parallel forms (``c.Homs.variants``)."""
    from homs.grading.course.config import settings

    return quiz in settings(course, cfg).variants


def secret(course: Path) -> bytes:
    """The course's variant secret, created (0600) on first use."""
    path = Path(course) / SECRET
    if not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_hex(32) + "\n")
    text = path.read_text("utf-8").strip()
    if len(text) < 32:
        raise GradingError(
            f"{path}: the variant secret is too short. Delete the file to make a new one (before "
            "releasing: students released with the old one would get other versions)."
        )
    return text.encode()


def form_of(key: bytes, quiz: str, item: str, student: str, count: int) -> int:
    """The form of an item a student gets: ``HMAC-SHA256(secret, quiz:item:student) % count``."""
    digest = hmac.new(key, f"{quiz}:{item}:{student}".encode(), hashlib.sha256).digest()
    return int.from_bytes(digest[:8], "big") % count


def course_forms(course: Path, quiz: Quiz) -> dict[str, tuple[banks.Variant, ...]]:
    """Every form of each banked item in this course (form 0: the fixed key)."""
    key = secret(course)
    seed = hmac.new(key, f"forms:{quiz.id}".encode(), hashlib.sha256).digest()
    return {item_id: banks.forms(quiz, item_id, seed) for item_id in quiz.pools}


def _record_path(course: Path, quiz: str) -> Path:
    return Path(course) / RECORDS / f"{quiz}.json"


def release_record(course: Path, quiz: str) -> dict[str, Any] | None:
    """What :func:`fill_release` recorded: the roster at release and the forms released."""
    path = _record_path(course, quiz)
    if not path.is_file():
        return None
    try:
        record = json.loads(path.read_text("utf-8"))
        if not isinstance(record, dict) or not {"students", "forms"} <= record.keys():
            raise ValueError("it lacks the roster or the forms")
    except (OSError, ValueError) as err:
        raise GradingError(
            f"{path}: the record of {quiz}'s release with parallel forms is damaged ({err}). "
            f"Release the quiz again (homs release {quiz} --force) before the students start; "
            "if they already have, restore the file from a backup, as a new release may give "
            "them other versions."
        ) from None
    return record


def _id_hash(quiz: str, student: str) -> str:
    return hashlib.sha256(f"{quiz}:{student}".encode()).hexdigest()


def _roster(course: Path, cfg: Any) -> list[str]:
    from nbgrader.api import Gradebook

    from homs.grading.course.config import course_dir

    cd = course_dir(course, cfg)
    with Gradebook(cd.db_url, cd.course_id) as gb:
        return sorted(s.id for s in gb.students)


def fill_release(course: Path, quiz: Quiz, cfg: Any = None) -> list[str]:
    """Writes each roster student's forms into the released notebook's "Your questions" cell,
    and the release record. Returns warnings for the teacher.

    Raises:
        GradingError: The released notebook has no "Your questions" cell (built without
            variants: run ``homs build`` with the quiz in ``c.Homs.variants``).
    """
    course = Path(course)
    path = course / "release" / quiz.id / f"{quiz.id}.ipynb"
    nb = json.loads(path.read_text("utf-8"))
    cell = next(
        (c for c in nb["cells"] if c.get("metadata", {}).get("homs", {}).get(CELL_MARK)), None
    )
    if cell is None:
        raise GradingError(
            f"{path}: no 'Your questions' cell: the source notebook was built without variants. "
            f"Run `homs build --course {course}` (with {quiz.id!r} in c.Homs.variants) and "
            f"`homs release {quiz.id} --force`."
        )
    students = _roster(course, cfg)
    forms = course_forms(course, quiz)
    key = secret(course)
    table = {
        _id_hash(quiz.id, s): {
            item: form_of(key, quiz.id, item, s, len(found)) for item, found in forms.items()
        }
        for s in students
    }
    shown = {}
    for item_id, found in forms.items():
        shown[item_id] = {}
        for variant in found:
            item = banks.apply(quiz, {item_id: variant}).item(item_id)
            assert item.form is not None
            shown[item_id][str(variant.form)] = {
                "question": question_text(item),
                "options": list(item.form.options),
            }
    labels = {i.id: i.label for i in quiz.items if i.id in forms}
    cell["source"] = _cell_source(quiz.id, table, shown, labels)
    path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", "utf-8")
    record = {
        "quiz": quiz.id,
        "students": students,
        "forms": {i: [v.as_dict() for v in found] for i, found in forms.items()},
    }
    out = _record_path(course, quiz.id)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(record, indent=1, ensure_ascii=False) + "\n", "utf-8")
    if not students:
        return [
            f"{quiz.id}: no students in the gradebook, so everyone sees the base form. Add the "
            "class first (nbgrader db student import, or homs roster) and release again with "
            "--force."
        ]
    return [f"{quiz.id}: parallel forms for {len(students)} students on the roster."]


_CELL = """\
# Your questions: run this cell first (click in it, then press Shift+Enter).
# {labels} have a different version for each student. This cell finds yours from your user
# name; then, under each of those questions, run the cell that shows your version.
# If the name it prints is not yours, type your user name between the quotes below and run
# this cell again.
HOMS_STUDENT_ID = ""

# ---- You do not need to read below this line: it picks your version from the lists. ----
import hashlib as _homs_hashlib
import os as _homs_os

_homs_quiz = {quiz!r}
_homs_labels = {label_map}
_homs_table = {table}
_homs_forms = {forms}
_homs_id = (HOMS_STUDENT_ID or _homs_os.environ.get("JUPYTERHUB_USER") or
            _homs_os.environ.get("USER") or "").strip()
_homs_mine = _homs_table.get(
    _homs_hashlib.sha256(f"{{_homs_quiz}}:{{_homs_id}}".encode()).hexdigest())
_homs_options = {{}} if _homs_mine is None else {{
    _i: _homs_forms[_i][str(_f)]["options"] for _i, _f in _homs_mine.items()}}


def _homs_show(item):
    \"\"\"Shows this student's version of an item (or says to answer the printed one).\"\"\"
    label = _homs_labels[item]
    if _homs_mine is None:
        print(f"No version of {{label}} was found for you (see the message of the 'Your "
              f"questions' cell near the top). Answer {{label}} as printed above.")
        return
    from IPython.display import Markdown, display
    display(Markdown(f"**Your version of {{label}}, for {{_homs_id}}. Answer this one, not the "
                     "question printed above.**\\n\\n"
                     + _homs_forms[item][str(_homs_mine[item])]["question"]))


if not _homs_id:
    print("This cell could not tell who you are: no user name was found.\\n"
          'Type your user name between the quotes in HOMS_STUDENT_ID = "" at the top of this '
          "cell and run it again.\\n"
          "If you do not know it, answer {labels} as printed in the notebook and tell your "
          "teacher.")
elif _homs_mine is None:
    print(f"No version of this quiz was made for the user name {{_homs_id}}.\\n"
          "If that is not your user name, type yours between the quotes in HOMS_STUDENT_ID at "
          "the top of this cell and run it again.\\n"
          "If it is yours, answer {labels} as printed in the notebook, and tell your teacher "
          "that your name was not on the class list when the quiz was handed out.")
else:
    print(f"Hello {{_homs_id}}. Your versions of {labels} are ready: under each of those "
          "questions, run the cell that shows your version, and answer that one.\\n"
          f"Not {{_homs_id}}? Type your own user name between the quotes in HOMS_STUDENT_ID at "
          "the top of this cell and run it again.")
"""


def _and(labels: Sequence[str]) -> str:
    """``Q1, Q2 and Q3``."""
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]


def _cell_source(
    quiz: str, table: Mapping[str, Any], forms: Mapping[str, Any], labels: Mapping[str, str]
) -> str:
    return _CELL.format(
        quiz=quiz,
        labels=_and(list(labels.values())),
        label_map=json.dumps(dict(labels), sort_keys=True),
        table=json.dumps(table, sort_keys=True),
        forms=json.dumps(forms, ensure_ascii=False, sort_keys=True),
    )


def student_variants(course: Path, quiz: Quiz) -> dict[str, dict[str, dict[str, Any]]]:
    """The forms of every student on the release roster, recomputed from the secret:
    ``{student: {item: variant as a dict}}`` (see :func:`variants_for` for one student).

    Raises:
        GradingError: The quiz was never released with variants.
    """
    record = release_record(course, quiz.id)
    if record is None:
        raise GradingError(
            f"{quiz.id} is in c.Homs.variants but was not released with variants (no "
            f"{_record_path(course, quiz.id)}). Run `homs release {quiz.id} --force` before the "
            "students start, or take it out of c.Homs.variants."
        )
    forms = course_forms(course, quiz)
    released = {
        i: [banks.Variant.from_dict(v).key for v in found] for i, found in record["forms"].items()
    }
    if released != {i: [v.key for v in found] for i, found in forms.items()}:
        raise GradingError(
            f"the forms of {quiz.id} worked out now differ from those released (the secret, "
            "the spec or the knowledge base changed since). Put them back as they were at "
            "release, or release again before students answer."
        )
    key = secret(course)
    chosen = {
        s: {
            i: found[form_of(key, quiz.id, i, s, len(found))].as_dict()
            for i, found in forms.items()
        }
        for s in record["students"]
    }
    return chosen


def variants_for(
    course: Path, quiz: Quiz, student: str
) -> tuple[dict[str, dict[str, Any]], str | None]:
    """One student's forms (as dicts, by item), and a note if they saw the base form."""
    chosen = student_variants(course, quiz)
    if student in chosen:
        return chosen[student], None
    base = {i: found[0].as_dict() for i, found in course_forms(course, quiz).items()}
    return base, (
        f"{student} was not on the roster when {quiz.id} was released: saw the base form "
        "(form 0) and is graded against it"
    )


@dataclass(frozen=True)
class Suspicion:
    """A hand-in whose answers fit another student's version better than the student's own.

    Attributes:
        student: Who handed it in.
        other: Whose version the answers fit.
        items: The items where they fit the other version better, e.g. ``("q1_order",)``.
    """

    student: str
    other: str
    items: tuple[str, ...]

    def format(self) -> str:
        """One line for the teacher."""
        return (
            f"{self.student}'s answers to {', '.join(self.items)} fit {self.other}'s version "
            "rather than their own (copied?); scored against their own key"
        )


def copying(course: Path, quiz: Quiz, students: Sequence[str] | None = None) -> list[Suspicion]:
    """Hand-ins whose answers fit another student's version better than their own.

    An answer fits a version better when it earns more against that version's key than
    against the student's own. A pair is flagged when that holds for at least half of the
    banked items on which the two versions differ (and at least one).
    """
    chosen = student_variants(course, quiz)
    submitted = Path(course) / "submitted"
    handed = sorted(p.parent.name for p in submitted.glob(f"*/{quiz.id}") if p.is_dir())
    if students is not None:
        handed = [s for s in handed if s in set(students)]
    quizzes = {s: banks.apply(quiz, v) for s, v in chosen.items()}
    answers: dict[str, dict[str, Any]] = {}
    for s in handed:
        if s not in quizzes:
            continue
        try:
            nb = read_notebook(submitted / s / quiz.id / f"{quiz.id}.ipynb")
        except GradingError:
            continue
        found = read_answers(nb, [f"answer_{i}" for i in quiz.pools])
        answers[s] = {
            i: found[f"answer_{i}"].value for i in quiz.pools if found[f"answer_{i}"].status == "ok"
        }
    out = []
    for s, given in answers.items():
        own = quizzes[s]
        for t, theirs in quizzes.items():
            if t == s:
                continue
            differ = [i for i in quiz.pools if chosen[s][i]["key"] != chosen[t][i]["key"]]
            if not differ:
                continue
            fits = []
            for i in differ:
                if i not in given:
                    continue
                mine = grade_answer(own.item(i), given[i])[0]
                other = grade_answer(theirs.item(i), given[i])[0]
                if other > mine:
                    fits.append(i)
            if fits and len(fits) * 2 >= len(differ):
                out.append(Suspicion(s, t, tuple(fits)))
    return out


class ForGrading:
    """What ``homs autograde`` asks of the variants: each student's version, notes, flags.

    Built once per run; quizzes not in ``c.Homs.variants`` have no versions (``None``).
    """

    def __init__(self, course: Path, quizzes: Sequence[str], specs: Path | None, cfg: Any) -> None:
        from homs.grading.authoring.spec import load_quiz

        self.course = Path(course)
        self.quizzes = {q: load_quiz(q, specs) for q in quizzes if enabled(self.course, q, cfg)}
        self.chosen = {q: student_variants(self.course, quiz) for q, quiz in self.quizzes.items()}

    def job(self, quiz: str, student: str) -> tuple[dict[str, Any] | None, str | None]:
        """A student's versions of a quiz's banked items (for the job), and a note if the
        student was not on the roster at release (then: the base form)."""
        if quiz not in self.quizzes:
            return None, None
        if student in self.chosen[quiz]:
            return self.chosen[quiz][student], None
        return variants_for(self.course, self.quizzes[quiz], student)

    def flag(self, results: Sequence[Any]) -> list[Any]:
        """The results, with a FLAGGED note on each hand-in that fits another's version."""
        from dataclasses import replace

        found: dict[tuple[str, str], list[str]] = {}
        for q, quiz in self.quizzes.items():
            for s in copying(self.course, quiz):
                found.setdefault((q, s.student), []).append(s.format() + " (FLAGGED)")
        return [
            replace(r, notes=(*r.notes, *found[(r.quiz, r.student)]))
            if (r.quiz, r.student) in found
            else r
            for r in results
        ]
