"""The teacher's commands: homs release, feedback, report and export over the grading API."""

from __future__ import annotations

import csv
import inspect
from pathlib import Path

import pytest

from homs import cli, grading


@pytest.mark.parametrize("verb", ["release", "feedback", "report", "export"])
def test_course_defaults_to_the_api_default(verb: str) -> None:
    """--course defaults to what the API function defaults to (quizzes)."""
    func = getattr(grading, verb)
    args = cli._parser().parse_args([verb] if verb == "export" else [verb, "timeline"])
    assert args.course == inspect.signature(func).parameters["course"].default == "quizzes"


def test_homs_report_prints_the_summary(
    hand_graded_course: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`homs report timeline --course C --out DIR` writes the page and prints the summary."""
    assert (
        cli.main(
            ["report", "timeline", "--course", str(hand_graded_course), "--out", str(tmp_path)]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert out.startswith("homs report: ")
    assert f"Report: {tmp_path / 'report.html'}" in out
    assert (tmp_path / "report.html").is_file()


def test_homs_export_writes_the_csv(
    hand_graded_course: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`homs export timeline --out FILE` writes one quiz's columns: items, total, to_mark and
    handed_in."""
    out = tmp_path / "t.csv"
    assert (
        cli.main(["export", "timeline", "--course", str(hand_graded_course), "--out", str(out)])
        == 0
    )
    assert str(out) in capsys.readouterr().out
    with out.open(newline="", encoding="utf-8") as fh:
        header = next(csv.reader(fh))
    assert header[-3:] == ["timeline.total", "timeline.to_mark", "timeline.handed_in"]


def test_homs_roster_imports_and_names_a_bad_row(
    hand_graded_course: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`homs roster FILE` adds the class to the gradebook; a bad row fails with file and row."""
    import shutil

    course = shutil.copytree(hand_graded_course, tmp_path / "course")
    good = tmp_path / "class.csv"
    good.write_text("username,name\nnew1,Hana Haddad\n", "utf-8")
    assert cli.main(["roster", str(good), "--course", str(course)]) == 0
    assert "1 added to the gradebook" in capsys.readouterr().out
    bad = tmp_path / "bad.csv"
    bad.write_text("username,name\nnew2,Ben\n,Ivy\n", "utf-8")
    assert cli.main(["roster", str(bad), "--course", str(course)]) == 1
    assert f"homs roster: {bad}, row 3: no student id" in capsys.readouterr().err


@pytest.mark.parametrize(
    "argv", [["release", "timeline"], ["feedback", "timeline"], ["report", "timeline"], ["export"]]
)
def test_commands_outside_a_course_fail_clearly(
    argv: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A folder that is not a course: exit status 1 and a message saying to use --course."""
    assert cli.main([*argv, "--course", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"homs {argv[0]}: ")
    assert "--course DIR" in err


def test_report_on_an_unknown_quiz_fails_clearly(
    hand_graded_course: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A quiz with no spec: exit status 1, naming the quizzes there are."""
    assert cli.main(["report", "nosuch", "--course", str(hand_graded_course)]) == 1
    assert "Use one of: timeline, discrepancies, sourcing" in capsys.readouterr().err
