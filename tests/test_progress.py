"""A learner's progress: passed self-checks are remembered in their own file, never in
unattended runs, and ``cl.progress()`` lists every exercise by chapter."""

import json
import re

import pytest

import convlib as cl
from convlib.selfcheck import _CHECKS
from convlib.selfcheck import tracking as progress_module


@pytest.fixture
def progress_file(tmp_path, monkeypatch):
    """A temporary progress file, and a run that someone watches."""
    path = tmp_path / "progress.json"
    monkeypatch.setenv("CONVLIB_PROGRESS", str(path))
    monkeypatch.setenv("CONVLIB_WIDGETS", "1")
    return path


def _passed(path):
    return json.loads(path.read_text())["passed"]


def test_passing_a_check_records_it(progress_file, capsys):
    cl.check("2.1", cl.output_size(28, 5, stride=2, padding=1))
    assert capsys.readouterr().out == "Exercise 2.1: correct.\n"  # the message is unchanged
    assert list(_passed(progress_file)) == ["2.1"]
    first = _passed(progress_file)["2.1"]
    cl.check("2.1", cl.output_size(28, 5, stride=2, padding=1))  # again: kept, not doubled
    assert _passed(progress_file) == {"2.1": first}
    assert json.loads(progress_file.read_text())["version"] == progress_module.VERSION


def test_failing_or_missing_answers_are_not_recorded(progress_file, capsys):
    cl.check("2.1", 999)
    cl.check("3.2", None)
    out = capsys.readouterr().out
    assert out.startswith("Exercise 2.1: not yet. Hint:")
    assert "Exercise 3.2: no answer yet." in out
    assert not progress_file.exists()


def test_a_solutions_own_check_can_leave_progress_alone(progress_file, capsys):
    cl.check("2.1", cl.output_size(28, 5, stride=2, padding=1), record=False)
    assert capsys.readouterr().out == "Exercise 2.1: correct.\n"
    assert not progress_file.exists()


def test_unattended_runs_do_not_write(progress_file, monkeypatch, capsys):
    monkeypatch.setenv("CONVLIB_WIDGETS", "0")  # the book build and the notebook tests
    cl.check("2.1", cl.output_size(28, 5, stride=2, padding=1))
    assert capsys.readouterr().out == "Exercise 2.1: correct.\n"
    assert not progress_file.exists()


def test_tests_write_only_to_a_file_they_name(tmp_path, monkeypatch, capsys):
    home = tmp_path / "home"
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("CONVLIB_PROGRESS", raising=False)
    monkeypatch.setenv("CONVLIB_WIDGETS", "1")
    assert progress_module.progress_file() == home / ".convlib" / "progress.json"
    cl.check("2.1", cl.output_size(28, 5, stride=2, padding=1))  # under pytest: no file
    assert not (home / ".convlib").exists()


def test_the_default_file_is_in_the_home_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("CONVLIB_PROGRESS", raising=False)
    assert progress_module.progress_file() == tmp_path / ".convlib" / "progress.json"
    progress_module.record_pass("1.2")
    assert list(_passed(tmp_path / ".convlib" / "progress.json")) == ["1.2"]


def test_progress_lists_every_exercise_by_chapter(progress_file):
    cl.check("1.2", 100 - 7 + 1)
    cl.check("5.1", cl.receptive_field([(5, 1)] * 3).size)
    table = cl.progress()
    listed = [label for c in table.chapters for label in (*c.done, *c.open)]
    assert sorted(listed) == sorted(_CHECKS)
    assert [c.number for c in table.chapters] == sorted({int(k.split(".")[0]) for k in _CHECKS})
    done = {label for c in table.chapters for label in c.done}
    assert done == {"1.2", "5.1"}
    assert (table.done, table.total) == (2, len(_CHECKS))
    titles = {c.number: c.title for c in table.chapters}
    assert titles[1] == "The operation" and titles[8] == "How convolutions are computed"
    text = str(table)
    assert text == repr(table)
    assert f"2 of {len(_CHECKS)} exercises passed" in text
    assert re.search(r"^1 The operation\s+1/5\s+1\.2\s+1\.1, 1\.3, 1\.4, 1\.5$", text, re.M)
    html = table._repr_html_()
    assert html.count("<tr>") == len(table.chapters) + 1
    assert "The operation" in html and "1.2" in html


def test_a_broken_file_counts_as_no_progress_and_is_mended(progress_file, capsys):
    progress_file.write_text("{not json")
    assert cl.progress().done == 0
    cl.check("1.2", 100 - 7 + 1)
    assert list(_passed(progress_file)) == ["1.2"]


def test_a_file_that_cannot_be_written_does_not_stop_the_check(tmp_path, monkeypatch, capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("CONVLIB_PROGRESS", str(blocker / "progress.json"))  # under a file
    monkeypatch.setenv("CONVLIB_WIDGETS", "1")
    cl.check("1.2", 100 - 7 + 1)
    assert capsys.readouterr().out == "Exercise 1.2: correct.\n"
    assert cl.progress().done == 0
