"""Anticipated responses (widgets.study): a plan that recognises pupils' work, as a teacher writes and reads it."""

from __future__ import annotations

import logging

import pytest

from widgets import Counters, Questions, _session, anticipate, study


@pytest.fixture
def lesson(monkeypatch):
    """A lesson as its kernel runs it: a named board and named questions shown, and an empty plan."""
    monkeypatch.setattr(_session, "_shown", [])
    monkeypatch.setattr(study, "_plan", [])
    board = Counters(positive=2, negative=5, name="pairs")
    questions = Questions([("Next term of 3, 7, 11, 15, ...?", 19), ("The nth term?", "4n - 1")], name="rule")
    for widget in (board, questions):
        widget.model_id  # noqa: B018 - shown, as displaying it in a lesson does
    return board, questions


def counters(positive: int, negative: int) -> Counters:
    """A pupil's board, as the pupil leaves it."""
    return Counters(positive=positive, negative=negative, name="pairs")


def answered(*attempts: str) -> Questions:
    """The rule questions, answered as a pupil answers them."""
    questions = Questions([("Next term of 3, 7, 11, 15, ...?", 19), ("The nth term?", "4n - 1")], name="rule")
    for index, attempt in enumerate(attempts):
        if attempt:
            questions.check(index, attempt)
    return questions


def plan_of_the_pairs() -> None:
    anticipate(
        "Leaves the zero pairs on the board",
        board="pairs",
        when=lambda b: b.zero_pairs > 0 and b.value == -3,
        share=2,
        sample=counters(2, 5),
    )
    anticipate(
        "Cancels the zero pairs",
        board="pairs",
        when=lambda b: b.zero_pairs == 0 and b.value == -3,
        share=3,
        sample=counters(0, 3),
    )
    anticipate(
        "Takes the smaller from the larger, and loses the sign",
        board="pairs",
        when=lambda b: b.value == 3,
        share=1,
        sample=counters(3, 0),
        note="Ask: which colour is there more of?",
    )


# --- writing the plan --------------------------------------------------------------------------


def test_the_plan_lists_each_boards_responses_in_sharing_order(lesson):
    plan_of_the_pairs()
    anticipate("Term-to-term only", board="rule", when=lambda q: q.attempts[1] == "n + 4", sample=answered("", "n + 4"))
    assert study.plan() == [
        {"board": "pairs", "name": "Takes the smaller from the larger, and loses the sign", "share": 1,
         "note": "Ask: which colour is there more of?"},
        {"board": "pairs", "name": "Leaves the zero pairs on the board", "share": 2, "note": ""},
        {"board": "pairs", "name": "Cancels the zero pairs", "share": 3, "note": ""},
        {"board": "rule", "name": "Term-to-term only", "share": 0, "note": ""},
    ]  # fmt: skip


def test_running_the_cell_again_replaces_a_response_and_keeps_one_plan(lesson):
    plan_of_the_pairs()
    plan_of_the_pairs()
    assert len(study.plan()) == 3


def test_a_test_that_does_not_recognise_its_own_sample_is_refused_by_name(lesson):
    with pytest.raises(ValueError, match="'Cancels the zero pairs' does not recognise its own sample. Fix: "):
        anticipate("Cancels the zero pairs", board="pairs", when=lambda b: b.zero_pairs == 0, sample=counters(2, 5))
    assert study.plan() == []  # nothing half-registered


def test_a_test_that_raises_on_its_own_sample_is_refused_with_the_reason(lesson):
    with pytest.raises(study.NotRecognised, match="'Reads the wrong field' fails on its own sample.*AttributeError"):
        anticipate("Reads the wrong field", board="pairs", when=lambda b: b.numerator == 3, sample=counters(3, 0))


def test_a_test_must_answer_true_or_false(lesson):
    with pytest.raises(study.NotRecognised, match="must give True or False"):
        anticipate("Gives a number", board="rule", when=lambda q: q.attempts[0], sample=answered("15"))


def test_a_sample_of_another_kind_than_the_board_is_refused(lesson):
    with pytest.raises(study.NotRecognised, match="sample of 'Wrong kind' is a Questions, but the board 'pairs'"):
        anticipate("Wrong kind", board="pairs", when=lambda b: True, sample=answered("15"))


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"name": "  "}, "name must be one line"),
        ({"board": ""}, "board"),
        ({"when": "b.value == 3"}, "must be a function"),
        ({"share": "first"}, "whole number"),
        ({"note": "x" * 501}, "note must be text, at most 500"),
    ],
)
def test_a_response_written_wrongly_is_refused_with_the_fix(lesson, given, message):
    args = {"name": "Adds", "board": "pairs", "when": lambda b: True, **given}
    name = args.pop("name")
    with pytest.raises((ValueError, TypeError), match=message):
        anticipate(name, **args)


# --- recognising pupils' work -------------------------------------------------------------------


def test_pupils_boards_are_classified_by_the_responses_they_show(lesson):
    plan_of_the_pairs()
    assert study.classify("pairs", counters(1, 4).snapshot()) == ["Leaves the zero pairs on the board"]
    assert study.classify("pairs", counters(0, 3).snapshot()) == ["Cancels the zero pairs"]
    assert study.classify("pairs", counters(3, 0).snapshot()) == [
        "Takes the smaller from the larger, and loses the sign"
    ]
    assert study.classify("pairs", counters(7, 0).snapshot()) == []  # none of these: often the most interesting


def test_work_showing_two_responses_is_in_both_in_sharing_order(lesson):
    anticipate("Has a negative total", board="pairs", when=lambda b: b.value < 0, share=2, sample=counters(0, 1))
    anticipate("Keeps zero pairs", board="pairs", when=lambda b: b.zero_pairs > 0, share=1, sample=counters(1, 1))
    assert study.classify("pairs", counters(1, 4).snapshot()) == ["Keeps zero pairs", "Has a negative total"]


def test_answers_are_classified_with_the_lessons_marking(lesson):
    anticipate(
        "Term-to-term rule for the nth term",
        board="rule",
        when=lambda q: q.results[1] is False and q.attempts[1].replace(" ", "") == "n+4",
        sample=answered("", "n + 4"),
    )
    anticipate("Right rule", board="rule", when=lambda q: q.results[1] is True, sample=answered("", "4n - 1"))
    assert study.classify("rule", answered("19", "n+4").snapshot()) == ["Term-to-term rule for the nth term"]
    assert study.classify("rule", answered("19", "4n-1").snapshot()) == ["Right rule"]
    # the scratch questions keep the lesson's answers, so a test may mark again
    anticipate("Marks again", board="rule", when=lambda q: q.check(1, "4n - 1"), sample=answered())
    assert "Marks again" in study.classify("rule", answered("19").snapshot())


def test_a_test_that_raises_on_a_pupils_board_is_not_matched_and_the_class_goes_on(lesson, caplog):
    anticipate(
        "Divides by the negatives",
        board="pairs",
        when=lambda b: 6 // b.negative == 2,  # the author forgot a board with no negatives
        sample=counters(0, 3),
    )
    anticipate("Positive total", board="pairs", when=lambda b: b.value > 0, sample=counters(1, 0))
    with caplog.at_level(logging.WARNING, logger="widgets.study"):
        found = study.classify("pairs", counters(4, 0).snapshot())
    assert found == ["Positive total"]
    assert "'Divides by the negatives'" in caplog.text and "ZeroDivisionError" in caplog.text


def test_a_snapshot_that_does_not_fit_the_board_is_none_of_these(lesson, caplog):
    plan_of_the_pairs()
    with caplog.at_level(logging.WARNING, logger="widgets.study"):
        assert study.classify("pairs", {"widget": "Counters", "version": 1, "pieces": "not a list"}) == []
        assert study.classify("pairs", answered("15").snapshot()) == []
    assert "could not be read" in caplog.text


def test_a_board_without_a_plan_is_none_of_these(lesson):
    plan_of_the_pairs()
    assert study.classify("rule", answered("19").snapshot()) == []


def test_classifying_never_touches_the_lessons_own_board(lesson):
    board, _ = lesson
    before = board.snapshot()
    seen = []

    def meddles(b):
        seen.append(b)
        b.add(1, 10)  # a careless test that changes what it reads
        return True

    anticipate("Meddles", board="pairs", when=meddles, sample=counters(0, 3))
    seen.clear()
    assert study.classify("pairs", counters(1, 4).snapshot()) == ["Meddles"]
    assert seen and seen[0] is not board
    assert board.snapshot() == before
    assert _session.widgets()["pairs"] is board  # the scratch board took no place in the lesson


def test_a_board_the_lesson_has_not_shown_is_read_by_its_samples_kind(lesson, monkeypatch):
    monkeypatch.setattr(_session, "_shown", [])
    anticipate("Positive total", board="pairs", when=lambda b: b.value > 0, sample=counters(1, 0))
    assert study.classify("pairs", counters(3, 1).snapshot()) == ["Positive total"]
