"""Tests for homs.cli: the thin `homs` command."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from homs import cli, knowledge


def test_help_lists_commands(capsys: pytest.CaptureFixture[str]) -> None:
    """`homs --help` names the sub-commands."""
    with pytest.raises(SystemExit) as info:
        cli.main(["--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    assert "sources" in out
    assert "check" in out


def test_sources_prints_the_catalog(capsys: pytest.CaptureFixture[str]) -> None:
    """`homs sources` shows each source with its catalog facts and their basis."""
    assert cli.main(["sources"]) == 0
    out = capsys.readouterr().out
    assert "Source A: Profile of Homs" in out
    assert 'Source B: Syria\'s Rebels Reach "Capital of the Revolution" Against Assad' in out
    assert "[inferred]" in out
    assert "A-1 to A-37" in out


def test_sources_sentences_raw(capsys: pytest.CaptureFixture[str]) -> None:
    """`homs sources --sentences --raw` prints the stored tokens with ids."""
    assert cli.main(["sources", "--sentences", "--raw"]) == 0
    assert "just do n't give up" in capsys.readouterr().out


def test_check_passes(capsys: pytest.CaptureFixture[str]) -> None:
    """`homs check` exits 0 and counts what it verified."""
    assert cli.main(["check"]) == 0
    assert "all good" in capsys.readouterr().out


def test_check_fails_naming_the_problem(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`homs check` exits non-zero naming the file, the entry and the problem."""
    data = tmp_path / "data"
    shutil.copytree(knowledge.data_dir(), data)
    events = data / "events.yaml"
    events.write_text(events.read_text("utf-8").replace("date: 2016-05", "date: 2016-5"), "utf-8")
    monkeypatch.setattr(knowledge, "data_dir", lambda: data)
    assert cli.main(["check"]) == 1
    err = capsys.readouterr().err
    assert "events.yaml" in err
    assert "waer-retaken" in err
    assert "date" in err


def test_an_interrupted_autograde_says_how_to_go_on(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import functools

    from homs import grading

    @functools.wraps(grading.autograde)  # the CLI reads its defaults from the signature
    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(grading, "autograde", interrupted)
    assert cli.main(["autograde", "timeline"]) == 130
    err = capsys.readouterr().err
    assert "homs autograde: interrupted" in err
    assert "run the same command again" in err
    assert "Traceback" not in err


def test_help_lists_the_module_commands(capsys: pytest.CaptureFixture[str]) -> None:
    """`homs --help` names lessons, lab, course and book."""
    with pytest.raises(SystemExit):
        cli.main(["--help"])
    out = capsys.readouterr().out
    for command in ("lessons", "lab", "course", "book"):
        assert command in out


def test_lab_copies_the_lessons_then_refuses_a_missing_notebook(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`homs lab DIR` copies the lessons into an empty folder first; a notebook to open that is
    not there is refused before JupyterLab starts."""
    folder = tmp_path / "learner"
    assert cli.main(["lab", str(folder), "--open", "nothing.ipynb", "--no-browser"]) == 1
    captured = capsys.readouterr()
    assert "wrote" in captured.out
    assert "nothing.ipynb: no such notebook" in captured.err
    assert (folder / "01-meet-the-sources.ipynb").is_file()


def test_lab_command_opens_the_first_lesson(tmp_path: Path) -> None:
    """JupyterLab starts with the folder as its root, on the first lesson, as asked."""
    from homs import book

    command = book.lab_command(tmp_path, port=8899, token="t", browser=False)
    assert f"--ServerApp.root_dir={tmp_path.resolve()}" in command
    assert "--ServerApp.open_browser=False" in command
    assert "--ServerApp.port=8899" in command
    assert command[-1] == str(tmp_path.resolve() / "01-meet-the-sources.ipynb")


def test_course_refuses_a_folder_in_use(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`homs course DIR` exits 1 on a folder that has files, saying why."""
    (tmp_path / "notes.txt").write_text("mine", "utf-8")
    assert cli.main(["course", str(tmp_path)]) == 1
    assert "not an empty folder" in capsys.readouterr().err


_RUN_CLI = "import sys; from homs import cli; sys.exit(cli.main())"


def test_a_closed_pipe_ends_quietly() -> None:
    """`homs sources --sentences | head` stops without a BrokenPipeError traceback."""
    import subprocess
    import sys

    process = subprocess.Popen(
        [sys.executable, "-c", _RUN_CLI, "sources", "--sentences"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None
    assert process.stderr is not None
    process.stdout.read(200)  # what `head` reads, then it goes away
    process.stdout.close()
    error = process.stderr.read().decode()
    process.wait(timeout=60)
    assert "Traceback" not in error
    assert "BrokenPipeError" not in error


def test_check_counts_problems_in_words(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """One problem is "1 problem", not "1 problem(s)"."""
    from homs import maps

    monkeypatch.setattr(knowledge, "check", lambda: ["seeds/x.yaml: something is wrong"])
    monkeypatch.setattr(maps, "check", list)
    assert cli.main(["check"]) == 1
    assert "homs check: 1 problem\n" in capsys.readouterr().err
