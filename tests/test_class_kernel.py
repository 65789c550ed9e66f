"""The kernel's side of a class (widgets._session): roles, widgets' keys, records and restoring, in-process."""

from __future__ import annotations

import pytest

from widgets import Counters, Questions, _session


@pytest.fixture
def lesson(monkeypatch):
    """A lesson's widgets as a class kernel shows them: a named board, Questions, an unnamed board."""
    monkeypatch.setattr(_session, "_shown", [])
    monkeypatch.setattr(_session, "_role", _session.PUPIL)
    monkeypatch.setattr(_session, "_recording", False)
    sent: list[tuple] = []
    monkeypatch.setattr(_session, "accepted", lambda widget, record: sent.append((widget, record)))
    widgets = [
        Counters(positive=3, negative=5, name="pairs"),
        Questions([("2 + (−5)", -3), ("4 + (−6)", -2)], name="check"),
        Counters(positive=1),
    ]
    for widget in widgets:
        widget.model_id  # noqa: B018 - shown, as displaying it in a lesson does
    return widgets, sent


def page_asks(widget, **content) -> None:
    widget._handle_custom_msg(content, [])


def test_widgets_are_keyed_by_name_else_by_kind_and_place(lesson):
    widgets, _ = lesson
    assert _session.widgets() == {"pairs": widgets[0], "check": widgets[1], "Counters 2": widgets[2]}


def test_a_pupils_kernel_refuses_the_teachers_actions_and_a_teachers_does_not(lesson, monkeypatch):
    (board, questions, _), _ = lesson
    board.show_readout = False
    page_asks(questions, action="reveal")
    page_asks(board, action="reveal_readout")
    assert questions.answers == [] and questions.message == _session.TEACHER_ONLY
    assert board.show_readout is False and board.message == _session.TEACHER_ONLY
    monkeypatch.setattr(_session, "_role", _session.TEACHER)
    page_asks(questions, action="reveal")
    page_asks(board, action="reveal_readout")
    assert len(questions.answers) == 2 and all(questions.answers)
    assert board.show_readout is True and board.message == ""


def test_each_accepted_change_is_recorded_with_pythons_marking_and_a_refused_one_is_not(lesson):
    (board, questions, _), sent = lesson
    page_asks(board, action="add", sign=1, n=2)
    page_asks(questions, action="check", index=1, attempt="2")
    page_asks(questions, action="check", index=0, attempt="")  # not a try
    page_asks(board, action="add", sign=7, n=1)  # refused by the board
    assert [(w, r["kind"]) for w, r in sent if r] == [(board, "board"), (questions, "answer")]
    record = sent[0][1]
    assert record["state"] == board.snapshot() and record["svg"] == board.to_svg()
    answer = sent[1][1]
    assert (answer["item"], answer["answer"], answer["right"]) == (1, "2", False)


def test_join_gives_a_pupils_work_back_and_skips_what_does_not_fit(lesson):
    (board, questions, other), _ = lesson
    worked = Counters(positive=3, negative=5, name="pairs")
    worked.add(1, 4)
    saved = {
        "pairs": worked.snapshot(),
        "check": {**questions.snapshot(), "attempts": ["-3", ""], "results": [True, None]},
        "Counters 2": {"widget": "Counters", "version": 1, "pieces": "not a list"},
        "gone": worked.snapshot(),
    }
    said = _session.join(_session.PUPIL, saved)
    assert said == {"restored": ["pairs", "check"], "skipped": ["Counters 2", "gone"]}
    assert questions.teacher_only == ["reveal"] and board.teacher_only == ["reveal_readout"]  # buttons hidden
    assert board.snapshot() == worked.snapshot()
    assert questions.attempts == ["-3", ""] and questions.results == [True, None]
    assert questions.summary == "1 of 1 right"
    assert other.snapshot() == Counters(positive=1).snapshot()  # the lesson's own start kept
    assert questions.check(1, "-2") is True  # the answers stayed in Python
    with pytest.raises(ValueError, match="role"):
        _session.join("headteacher", {})
