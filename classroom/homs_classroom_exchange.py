"""The classroom's nbgrader exchange: stock nbgrader 0.9's, with three of its holes closed.

The global ``nbgrader_config.py`` of the classroom selects these two classes
(``c.ExchangeFactory.submit`` and ``c.ExchangeFactory.collect``); everything else is stock.

1. **Another student's hand-in readable.** Stock ``submit`` leaves the hand-in's folder mode
   0777 and its files 0644 in the world-writable ``inbound/``: anyone who learns its name can
   read and change it. :class:`ExchangeSubmit` makes the folder 0770 and the files 0640; their
   group is the inbound folder's (setgid), the course's grading account, so the graders read
   them and other students do not.
2. **World-writable inbound, impersonation.** Anyone can create ``inbound/<someone
   else>+<quiz>+<time>``; stock ``collect`` takes the name at its word and only logs a warning
   when the owner differs. :class:`ExchangeCollect` refuses a hand-in that is not a real folder
   owned by the student it names, or that holds a link, and says so in its log.
3. **An edited timestamp.** The time in the folder's name and in ``timestamp.txt`` is written
   by the student's own process, so a student can claim any time (before the due date, say).
   :class:`ExchangeCollect` checks it against the inode change times of the folder and its
   files, which no user can set back: a claim more than :attr:`ExchangeCollect.tolerance`
   seconds earlier is replaced by that time in the collected ``timestamp.txt`` (which
   ``homs autograde`` reads for late penalties) and logged.

What remains is in docs/deploy.md (a student can still fill ``inbound/`` with junk folders;
the inode times give an upper bound, so a student can only be made later, never earlier).
"""

from __future__ import annotations

import datetime
import glob
import os
import pwd
import secrets
import shutil
import stat
from collections import defaultdict

from nbgrader.exchange.default.collect import ExchangeCollect as StockCollect
from nbgrader.exchange.default.submit import ExchangeSubmit as StockSubmit
from nbgrader.utils import ignore_patterns, parse_utc
from traitlets import Integer

__all__ = ["ExchangeCollect", "ExchangeSubmit"]


class ExchangeSubmit(StockSubmit):
    """Stock submit, except that the hand-in is readable by the course's graders only.

    The folder is made with ``mkdir`` in the setgid ``inbound/`` so that it and every file in it
    get inbound's group (the course's grading account); files are copied without their modes
    (``copyfile``), then made 0640 and the folders 0770. Stock nbgrader copies with
    ``copytree``, whose final ``copystat`` drops the setgid bit before ``timestamp.txt`` and
    ``submission_secret.txt`` are written, and leaves everything world-readable.
    """

    def copy_files(self) -> None:
        self.init_release()
        secret = secrets.token_hex(64)
        dest = os.path.join(self.inbound_path, self.assignment_filename)
        if self.add_random_string:
            cache = os.path.join(self.cache_path, self.assignment_filename.rsplit("+", 1)[0])
        else:
            cache = os.path.join(self.cache_path, self.assignment_filename)
        self.log.info("Source: %s", self.src_path)
        self.log.info("Destination: %s", dest)
        self.check_filename_diff()
        size = self.get_size(self.src_path)
        if size > 1000 * self.coursedir.max_dir_size:
            raise RuntimeError(f"Directory size is too big: {size} bytes")
        os.mkdir(dest, 0o770)
        marks = {"timestamp.txt": self.timestamp, "submission_secret.txt": secret}
        for name in marks:
            open(os.path.join(dest, name), "w").close()  # created now: inbound's group
        shutil.copytree(
            self.src_path,
            dest,
            dirs_exist_ok=True,
            copy_function=shutil.copyfile,
            ignore=ignore_patterns(
                exclude=self.coursedir.ignore,
                include=self.coursedir.include,
                max_file_size=self.coursedir.max_file_size,
                log=self.log,
            ),
        )
        for name, text in marks.items():  # the same files (their group kept), our text
            with open(os.path.join(dest, name), "w") as fh:
                fh.write(text)
        for folder, _, files in os.walk(dest):
            for name in files:
                os.chmod(os.path.join(folder, name), 0o640)
            os.chmod(folder, 0o770)
        if not os.path.isdir(self.cache_path):
            os.makedirs(self.cache_path)
        self.do_copy(self.src_path, cache)
        for name, text in marks.items():
            with open(os.path.join(cache, name), "w") as fh:
                fh.write(text)
        self.log.info(
            "Submitted as: %s %s %s",
            self.coursedir.course_id,
            self.coursedir.assignment_id,
            self.timestamp,
        )


class ExchangeCollect(StockCollect):
    """Stock collect, refusing hand-ins that are not their student's own, with a trusted time."""

    tolerance = Integer(
        120,
        help="Seconds a hand-in's claimed time may precede the latest change time of its files",
    ).tag(config=True)

    def _path_to_record(self, path: str) -> dict:
        record = super()._path_to_record(path)
        record["refused"] = _refusal(path, record["username"])
        latest = _latest_change(path)
        record["claimed"] = record["timestamp"]
        record["edited"] = False
        if latest is not None and record["timestamp"] < latest - datetime.timedelta(
            seconds=self.tolerance
        ):
            record["timestamp"] = latest
            record["edited"] = True
        return record

    def init_src(self) -> None:
        # As stock nbgrader, but refused hand-ins are left out before the latest is chosen.
        super().init_src()
        pattern = os.path.join(
            self.inbound_path,
            "{}+{}+*".format(self.coursedir.student_id or "*", self.coursedir.assignment_id),
        )
        records = [self._path_to_record(f) for f in glob.glob(pattern)]
        by_user: dict[str, list[dict]] = defaultdict(list)
        for record in records:
            if record["refused"]:
                self.log.warning(
                    "Refused %s: %s (classroom exchange)", record["filename"], record["refused"]
                )
                continue
            by_user[record["username"]].append(record)
        chosen = []
        for items in by_user.values():
            items = self._sort_by_timestamp(items)
            if self.duedate is not None and self.before_duedate:
                early = [r for r in items if r["timestamp"] <= self.duedate]
                chosen.append(early[0] if early else items[0])
            else:
                chosen.append(items[0])
        self.src_records = chosen

    def copy_files(self) -> None:
        super().copy_files()
        for record in self.src_records:
            if not record["edited"]:
                continue
            dest = self.coursedir.format_path(
                self.coursedir.submitted_directory, record["username"], self.coursedir.assignment_id
            )
            stamp = os.path.join(dest, "timestamp.txt")
            if os.path.isdir(dest):
                with open(stamp, "w") as fh:
                    fh.write(record["timestamp"].strftime("%Y-%m-%d %H:%M:%S.%f UTC"))
            self.log.warning(
                "%s: the hand-in claims %s, but its files were last changed at %s; collected with "
                "the later time (classroom exchange)",
                record["filename"],
                record["claimed"],
                record["timestamp"],
            )


def _refusal(path: str, student: str) -> str | None:
    """Why a hand-in folder is not taken as the named student's, or None."""
    try:
        st = os.lstat(path)
    except OSError as err:
        return f"cannot be read ({err.strerror})"
    if not stat.S_ISDIR(st.st_mode):
        return "not a folder (a link or a file)"
    try:
        owner = pwd.getpwuid(st.st_uid).pw_name
    except KeyError:
        owner = str(st.st_uid)
    if owner != student:
        return f"it names {student} but belongs to {owner}"
    for folder, dirs, files in os.walk(path):
        for name in dirs + files:
            if os.path.islink(os.path.join(folder, name)):
                return f"it holds a link ({os.path.relpath(os.path.join(folder, name), path)})"
    return None


def _latest_change(path: str) -> datetime.datetime | None:
    """The latest inode change time of the folder and everything in it (naive UTC)."""
    latest = 0.0
    for folder, dirs, files in os.walk(path):
        for name in [".", *dirs, *files]:
            try:
                latest = max(latest, os.lstat(os.path.join(folder, name)).st_ctime)
            except OSError:
                continue
    if not latest:
        return None
    return parse_utc(datetime.datetime.fromtimestamp(latest, tz=datetime.timezone.utc))
