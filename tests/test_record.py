"""The research lesson's record (`mastery record`): a class's work against the plan, as a lesson study team reads it.

A class is built in a SQLite store as the classroom writes one (boards as pupils' kernels record them, answers
with Python's marks); the record runs the lesson, teacher cells included, in a kernel to classify the boards.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest
from conftest import ROOT

from lessons import study
from lessons.cli import main
from lessons.store import Store
from widgets import Counters

LESSON = "tests/fixtures/study/research-lesson.ipynb"  # a board "pairs", an exit ticket "exit", two responses
NOW = datetime(2026, 3, 2, 9, 15, tzinfo=timezone.utc)
NAMES = ("Ali Khan", "Bea Morris", "Cy Oduya", "Dee Patel")


def board(positive: int, negative: int) -> Counters:
    return Counters(positive=positive, negative=negative, name="pairs")


@pytest.fixture
def taught(tmp_path):
    """A class of four: two match a response each, one matches none, one only answered the exit ticket."""
    url = str(tmp_path / "classes.sqlite")
    with Store(url) as store:
        kept = store.open_class(LESSON, "Zero pairs, 8B", code="K7QM")
        ali, bea, cy, dee = (store.join(kept.id, name) for name in NAMES)
        for pupil, work, at in (
            (ali, board(0, 2), 0),
            (ali, board(0, 3), 1),
            (bea, board(1, 4), 2),
            (cy, board(3, 0), 3),
        ):
            store.record_board(kept.id, pupil.id, "pairs", work.snapshot(), work.to_svg(), at=NOW + timedelta(at))
        store.record_answer(kept.id, ali.id, "exit", 0, "3", False, at=NOW)
        store.record_answer(kept.id, ali.id, "exit", 0, "-3", True, at=NOW + timedelta(1))
        store.record_answer(kept.id, ali.id, "exit", 1, "-2", True, at=NOW)
        store.record_answer(kept.id, dee.id, "exit", 0, "7", False, at=NOW)
        store.record_show(kept.id, "pairs", [bea.id, ali.id], response="Zero pairs kept", at=NOW + timedelta(2))
        store.note(kept.id, "Observer 1", "Kept both counters of each pair", pupil_id=bea.id, at=NOW + timedelta(1))
        store.note(kept.id, "Observer 2", "Most wrote the sum first", group="Zero pairs kept", at=NOW + timedelta(3))
    return url, kept.id


def groups(page: str) -> dict[str, list[str]]:
    """Each response's heading (and "None of these"), with the pupils captioned under it."""
    found = {}
    for block in page.split('<div class="response')[1:]:
        heading = re.search(r"<h3>(?:\d+\. )?(.+?) <span", block).group(1)
        found[heading] = re.findall(r'<p class="who">([^<]+)</p>', block)
    return found


def written(taught, folder, *flags: str) -> str:
    """The record as `mastery record` writes it, run from the kit's folder."""
    url, class_id = taught
    out = folder / "record.html"
    assert main(["record", str(class_id), *flags, "--db", url, "--out", str(out)]) == 0
    return out.read_text(encoding="utf-8")


def test_the_record_groups_pupils_boards_by_the_response_they_show(taught, tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    page = written(taught, tmp_path)
    # pupils numbered in the order they joined; Ali's latest board counts, not his first
    assert groups(page) == {
        "Three negative counters": ["Pupil 1"],
        "Zero pairs kept": ["Pupil 2"],
        "None of these": ["Pupil 3"],
    }
    assert "Ask: which counters make zero?" in page  # the response's note, for the discussion
    assert page.count("<svg") == 3  # each board's thumbnail, drawn inline
    # cut to what the three pupils drew, at one scale: a few counters fill it, not an empty board
    frames = set(re.findall(r'<svg\b[^>]*\sviewBox="([^"]*)"', page))
    assert len(frames) == 1 and frames != {board(0, 3).to_svg().split('viewBox="')[1].split('"')[0]}, frames
    assert re.search(r"<td>Pupil 1</td><td>2 of 2</td>.*<td>Pupil 4</td><td>0 of 1</td>", page, re.S)


def test_the_record_opens_offline_and_names_no_pupil(taught, tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    page = written(taught, tmp_path)
    assert not re.search(r"https?:", page)  # nothing fetched: no address at all, not even a namespace
    assert "<script" not in page and "<link" not in page and " src=" not in page
    for name in NAMES:
        assert name not in page and name.split()[0] not in page


def test_the_record_keeps_the_sequence_shown_and_the_observers_notes_in_time_order(taught, tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    page = written(taught, tmp_path)
    shown = re.search(r"<h2>The sequence shown</h2>(.*?)<h2>", page, re.S).group(1)
    assert "Pupil 2, Pupil 1" in shown and "Zero pairs kept" in shown
    notes = re.search(r"<h2>Observers' notes</h2>(.*?)(<h2>|$)", page, re.S).group(1)
    assert notes.index("Observer 1 on Pupil 2: Kept both counters") < notes.index("Observer 2 on Zero pairs kept")
    # times to the second, on this computer's clock (the school's), as the teacher read them in the lesson
    noted = (NOW + timedelta(1)).astimezone()
    assert f"{noted:%H:%M:%S} · Observer 1 on Pupil 2" in notes


def test_names_appear_only_when_the_teacher_asks(taught, tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    assert groups(written(taught, tmp_path, "--names"))["Three negative counters"] == ["Ali Khan"]


def test_a_lesson_that_cannot_be_run_still_gives_a_record_that_says_so(tmp_path):
    with Store(str(tmp_path / "classes.sqlite")) as store:
        kept = store.open_class("units/a-lesson-since-deleted.ipynb", "8C", code="ZZ99")
        pupil = store.join(kept.id, "Ali Khan")
        store.record_board(kept.id, pupil.id, "pairs", board(0, 3).snapshot(), board(0, 3).to_svg())
        page = study.record(store, kept.id, root=tmp_path)
    assert "could not be read" in page and "so no board is classified" in page  # said, not raised


def test_a_class_that_is_not_kept_is_a_clear_error(tmp_path, capsys):
    assert main(["record", "99", "--db", str(tmp_path / "none.sqlite")]) == 2
    said = capsys.readouterr().err
    assert "there is no class 99" in said and "Traceback" not in said


def test_the_record_opens_with_each_responses_count(taught, tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    page = written(taught, tmp_path)
    summary = page.split('<table class="summary">')[1].split("</table>")[0]
    rows = re.findall(r"<tr><td>(\d*)</td><td>([^<]+)</td><td>(\d+)</td></tr>", summary)
    assert rows == [("1", "Three negative counters", "1"), ("2", "Zero pairs kept", "1"), ("", "None of these", "1")]
