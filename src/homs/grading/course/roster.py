"""``homs roster``: the class list, from a CSV file as a learning platform exports it.

nbgrader knows a student once they hand something in, or once ``nbgrader db student add`` names
them. A roster file puts the whole class in the gradebook at once, with names, so the formgrader
shows "Haddad, Hana" rather than "None, None" and the autograde summary, the report and the
export can say who has **not** handed in.

The file is CSV (comma, semicolon or tab separated; UTF-8, with or without a byte-order mark),
one student a row under a header row. Header names are matched loosely (case, spaces, ``-`` and
``_`` do not matter):

* the student id (the folder name under ``submitted/``): ``id``, ``username``, ``student_id``,
  ``user_id``, ``login``, ``login_id``, ``sis_user_id``, ``student``;
* names: ``first_name`` / ``given_name`` / ``first``, ``last_name`` / ``surname`` /
  ``family_name`` / ``last``, or one ``name`` / ``full_name`` / ``student_name`` column
  ("Haddad, Hana" or "Hana Haddad");
* ``email`` / ``e_mail`` / ``mail`` / ``email_address``.

Any other column is ignored. A bad row (no id, an id that cannot be a folder name, an id twice)
stops the import with a message naming the file and the row, and nothing is written.

``c.Homs.roster = "roster.csv"`` in ``nbgrader_config.py`` imports it before every
``homs autograde``, ``homs report`` and ``homs export``.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from homs.errors import GradingError
from homs.grading.course.config import DEFAULT_COURSE, config, course_dir, course_root, settings

__all__ = ["Roster", "RosterEntry", "import_configured", "read_roster", "roster"]

_ID = ("id", "username", "studentid", "userid", "login", "loginid", "sisuserid", "student")
_FIRST = ("firstname", "givenname", "first", "forename")
_LAST = ("lastname", "surname", "familyname", "last")
_NAME = ("name", "fullname", "studentname", "displayname", "sortablename")
_EMAIL = ("email", "mail", "emailaddress")
#: A student id is a folder name under ``submitted/``.
_GOOD_ID = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.@+-]*")


@dataclass(frozen=True)
class RosterEntry:
    """One student of the roster."""

    id: str
    first_name: str
    last_name: str
    email: str


@dataclass(frozen=True)
class Roster:
    """What :func:`roster` did.

    Attributes:
        path: The roster file.
        students: Its students, in file order.
        added: Ids new to the gradebook.
        updated: Ids already there whose names or email changed.
    """

    path: Path
    students: tuple[RosterEntry, ...]
    added: tuple[str, ...]
    updated: tuple[str, ...]

    def format(self) -> str:
        """A short text for the terminal."""
        n = len(self.students)
        return (
            f"homs roster: {n} student{'s' if n != 1 else ''} in {self.path}: "
            f"{len(self.added)} added to the gradebook, {len(self.updated)} updated, "
            f"{n - len(self.added) - len(self.updated)} unchanged."
        )


def _key(header: str) -> str:
    return re.sub(r"[\s_\-.]+", "", header.strip().lower())


def _column(headers: list[str], names: tuple[str, ...]) -> int | None:
    keys = [_key(h) for h in headers]
    for name in names:
        if name in keys:
            return keys.index(name)
    return None


def _split(name: str) -> tuple[str, str]:
    """First and last name from one name column: "Last, First" or "First Last"."""
    if "," in name:
        last, first = (part.strip() for part in name.split(",", 1))
        return first, last
    parts = name.split()
    if len(parts) < 2:
        return name.strip(), ""
    return " ".join(parts[:-1]), parts[-1]


def read_roster(path: str | Path) -> tuple[RosterEntry, ...]:
    """Reads a roster CSV file.

    Raises:
        GradingError: The file is missing or unreadable, has no id column, or a bad row; the
            message names the file and the row (the header is row 1).
    """
    path = Path(path)
    try:
        text = path.read_text("utf-8-sig")
    except FileNotFoundError:
        raise GradingError(f"{path}: no such roster file.") from None
    except IsADirectoryError:
        raise GradingError(
            f"{path}: a folder, not a roster file. Name the CSV file itself (for example "
            f"{path / 'class.csv'})."
        ) from None
    except OSError as err:
        raise GradingError(
            f"{path}: the roster file cannot be read ({err.strerror or err}). Check that it "
            "exists and that you may read it, then import it again."
        ) from None
    except UnicodeDecodeError:
        raise GradingError(
            f"{path}: not UTF-8 text. Save the roster as CSV UTF-8 (in a spreadsheet: "
            "Save as, CSV UTF-8) and import it again."
        ) from None
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(text[:4096], ",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = list(csv.reader(text.splitlines(), dialect))
    if not rows:
        raise GradingError(f"{path}: empty; a roster needs a header row and one row a student.")
    headers = rows[0]
    id_at = _column(headers, _ID)
    if id_at is None:
        raise GradingError(
            f"{path}, row 1: no student id column (the header has: "
            f"{', '.join(h for h in headers if h.strip()) or 'nothing'}). Name the column of "
            "ids (the students' folder names under submitted/) id, username or student_id."
        )
    first_at, last_at = _column(headers, _FIRST), _column(headers, _LAST)
    name_at, email_at = _column(headers, _NAME), _column(headers, _EMAIL)

    def cell(row: list[str], at: int | None) -> str:
        return row[at].strip() if at is not None and at < len(row) else ""

    entries: list[RosterEntry] = []
    seen: dict[str, int] = {}
    for number, row in enumerate(rows[1:], start=2):
        if not any(v.strip() for v in row):
            continue
        sid = cell(row, id_at)
        if not sid:
            raise GradingError(
                f"{path}, row {number}: no student id in column {headers[id_at]!r}. Fill it "
                "in or delete the row, then import the roster again."
            )
        if not _GOOD_ID.fullmatch(sid):
            raise GradingError(
                f"{path}, row {number}: {sid!r} cannot be a student id (it names the "
                "student's folder under submitted/: letters, digits and . _ - @ + only, no "
                "spaces). Use the id the students log in with, then import again."
            )
        if sid in seen:
            raise GradingError(
                f"{path}, row {number}: the student id {sid!r} again (first on row "
                f"{seen[sid]}). Keep one row per student, then import again."
            )
        seen[sid] = number
        first, last = cell(row, first_at), cell(row, last_at)
        if not (first or last) and cell(row, name_at):
            first, last = _split(cell(row, name_at))
        entries.append(RosterEntry(sid, first, last, cell(row, email_at)))
    return tuple(entries)


def roster(path: str | Path, *, course: str | Path = DEFAULT_COURSE) -> Roster:
    """Imports a roster file into the course's gradebook: every student, with names and email.

    Students already in the gradebook keep their grades; their names and email are updated
    from the file. Nobody is removed.

    Args:
        path: The CSV file (relative paths from the current folder).
        course: The nbgrader course root.

    Raises:
        GradingError: No course, or a bad roster file (nothing is written then).
    """
    from nbgrader.api import Gradebook, MissingEntry

    root = course_root(course)
    entries = read_roster(path)
    added, updated = [], []
    with Gradebook(course_dir(root, config(root)).db_url) as gb:
        for e in entries:
            try:
                old = gb.find_student(e.id)
            except MissingEntry:
                added.append(e.id)
            else:
                before = (old.first_name or "", old.last_name or "", old.email or "")
                if before != (e.first_name, e.last_name, e.email):
                    updated.append(e.id)
            gb.update_or_create_student(
                e.id,
                first_name=e.first_name or None,
                last_name=e.last_name or None,
                email=e.email or None,
            )
    return Roster(Path(path), entries, tuple(added), tuple(updated))


def import_configured(course: str | Path) -> Roster | None:
    """Imports the roster the course's ``c.Homs.roster`` names, if it names one.

    Raises:
        GradingError: The file named is missing or has a bad row.
    """
    root = course_root(course)
    name = settings(root).roster
    if not name:
        return None
    path = (root / name).resolve()
    if not path.is_file():
        raise GradingError(
            f"{root / 'nbgrader_config.py'}: c.Homs.roster is {name!r}, but {path} does not "
            "exist. Put the class list there (CSV with an id column), or remove the setting."
        )
    return roster(path, course=root)
