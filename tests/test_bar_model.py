"""BarModel: exact solving, the readout equation, layout to scale, and hostile input from the browser."""

from __future__ import annotations

import copy
from fractions import Fraction

import pytest

from widgets import BarModel


def from_browser(board: BarModel, pieces) -> None:
    """A state update exactly as the comm handler receives it from the page."""
    board._handle_msg({"content": {"data": {"method": "update", "state": {"pieces": pieces}}}})


def custom(board: BarModel, content) -> None:
    board._handle_msg({"content": {"data": {"method": "custom", "content": content}}})


def amir_bea() -> BarModel:
    return BarModel({"Bea": ["b"], "Amir": ["b", 5]}, total=29)


def piece(board: BarModel, pid: str) -> dict:
    return next(p for p in board.pieces if p["id"] == pid)


def segments(board: BarModel, row: int | None = None) -> list[dict]:
    found = [p for p in board.pieces if p["kind"] == "segment" and (row is None or p["row"] == row)]
    return sorted(found, key=lambda p: p["x"])


# --- solve() on every example of the issue -------------------------------------------------------


def test_part_whole():
    assert BarModel({"whole": [3, "a"]}, total=8).solve() == {"a": 5}


def test_one_more_than():
    board = amir_bea()
    assert board.solve() == {"b": 12}
    assert type(board.solve()["b"]) is int
    assert board.readout["headline"] == "b + b + 5 = 29"


def test_ratio_sharing():
    board = BarModel({"A": ["u", "u"], "B": ["u", "u", "u"]}, total=45)
    assert board.solve() == {"u": 9}
    assert BarModel.ratio({"A": 2, "B": 3}, total=45).solve() == {"u": 9}


def test_comparison_with_unknown_row_and_with_unknown_difference():
    board = BarModel.comparison({"Amir": "a", "Bea": 12}, difference=5)
    assert board.solve() == {"a": 17}
    assert board.equations() == ["a \u2212 12 = 5"]
    assert BarModel.comparison({"Amir": 20, "Bea": 12}, difference="d").solve() == {"d": 8}


def test_fraction_of_an_amount_both_ways():
    board = BarModel.fraction("n", 5, shaded=3, shaded_total=36)
    assert board.solve() == {"n": 60, "u": 12}
    known = BarModel.fraction(60, 5, shaded=3)
    assert known.solve() == {"u": 12}
    known.show_solution = True
    assert ["? in u + u + u", "36"] in known.readout["facts"]


def test_fractions_stay_exact():
    board = BarModel({"A": ["x", "x", "x"]}, total=10)
    assert board.solve() == {"x": Fraction(10, 3)}
    assert BarModel({"A": [0.1, "x"]}, total=0.3).solve() == {"x": Fraction(1, 5)}


def test_underdetermined_and_contradictory_models_say_which():
    with pytest.raises(ValueError, match="does not fix a and b"):
        BarModel({"A": ["a", "b"]}, total=10).solve()
    with pytest.raises(ValueError, match="does not fix"):
        BarModel({"A": ["a"]}).solve()
    with pytest.raises(ValueError, match=r"contradicts itself: 3 \+ 4 = 8 is not true \(3 \+ 4 makes 7\)"):
        BarModel({"whole": [3, 4]}, total=8).solve()
    with pytest.raises(ValueError, match="contradicts itself"):
        BarModel.fraction(60, 5, shaded=3, shaded_total=30).solve()
    with pytest.raises(ValueError, match="b would be \u22121"):
        BarModel({"Bea": ["b"], "Amir": ["b", 5]}, total=3).solve()


def test_readout_says_why_it_cannot_solve():
    board = BarModel({"A": ["a", "b"]}, total=10)
    assert board.readout["headline"] == "a + b = 10"
    assert [
        "can we solve it?",
        "The model does not fix a and b yet: add a total, a brace with its value, or a difference.",
    ] in board.readout["facts"]


def test_author_errors_are_clear():
    with pytest.raises(ValueError, match="number written as text"):
        BarModel({"whole": [3, "5"]}, total=8)
    with pytest.raises(ValueError, match="number written as text"):
        BarModel({"whole": [3, "a"]}, total="8")
    with pytest.raises(ValueError, match="greater than 0"):
        BarModel({"whole": [0, "a"]})
    with pytest.raises(ValueError, match="exactly two rows"):
        BarModel.comparison({"A": 1})
    with pytest.raises(ValueError, match="denominator"):
        BarModel.fraction(10, 1)


# --- layout: to scale, the same scale in every row ---------------------------------------------


def test_lengths_are_to_one_scale_across_rows():
    board = amir_bea()
    (bea,) = segments(board, 0)
    amir_b, five = segments(board, 1)
    assert bea["w"] == amir_b["w"]
    assert bea["w"] / five["w"] == pytest.approx(12 / 5, rel=1e-3)
    assert bea["x"] - bea["w"] / 2 == amir_b["x"] - amir_b["w"] / 2  # aligned at the left
    assert amir_b["x"] + amir_b["w"] / 2 == pytest.approx(five["x"] - five["w"] / 2)  # edge to edge


def test_unsolved_unknowns_get_a_length_and_a_pupils_resize_sticks():
    board = BarModel({"A": [4, "a", "b"]})
    a = next(s for s in segments(board) if s["value"] == "a")
    assert a["w"] == pytest.approx(segments(board)[0]["w"])  # the default: as long as the knowns on average
    custom(board, {"action": "draw", "id": a["id"], "w": a["w"] * 2})  # the pupil drags the bar's handle
    assert board.message == ""
    four = segments(board)[0]
    assert piece(board, a["id"])["w"] / four["w"] == pytest.approx(2, rel=1e-3)


# --- actions: split, merge, hide and reveal, the solution -----------------------------------------


def test_split_into_three_keeps_the_value_under_a_brace():
    board = BarModel({"whole": [12]})
    (seg,) = segments(board)
    custom(board, {"action": "split", "ids": [seg["id"]], "parts": "3"})
    assert board.message == ""
    parts = segments(board)
    assert [p["value"] for p in parts] == ["u", "u", "u"]
    assert len({p["w"] for p in parts}) == 1
    assert board.solve() == {"u": 4}
    assert "u + u + u = 12" in board.equations()
    custom(board, {"action": "merge", "ids": [p["id"] for p in parts]})
    assert [p["value"] for p in segments(board)] == [12]
    assert not [p for p in board.pieces if p["kind"] == "brace"]


def test_merge_knowns_adds_them():
    board = BarModel({"whole": [3, 4, "a"]}, total=10)
    three, four, _ = segments(board)
    board.merge([three["id"], four["id"]])
    assert [p["value"] for p in segments(board)] == [7, "a"]
    assert board.solve() == {"a": 3}


def test_hide_reveal_and_show_solution():
    board = amir_bea()
    board.hide("total")
    assert board.readout["headline"] == "b + b + 5 = ?"
    assert board.solve() == {"b": 12}  # hidden from pupils, not from the maths
    board.reveal()
    assert board.readout["headline"] == "b + b + 5 = 29"
    custom(board, {"action": "toggle_solution"})
    assert board.show_solution
    assert ["b", "12"] in board.readout["facts"]
    assert {p["answer"] for p in segments(board) if p["value"] == "b"} == {"12"}


def test_a_brace_added_in_the_browser_is_part_of_the_maths():
    board = BarModel({"A": ["a", "b"]}, total=10)
    a, _ = segments(board)
    brace = {"id": "n1", "kind": "brace", "x": 10, "y": 10, "cover": [a["id"]], "value": 4, "w": 5, "hidden": False}
    from_browser(board, [*board.pieces, {**brace, "answer": None}])
    assert board.message == ""
    assert board.solve() == {"a": 4, "b": 6}


# --- hostile state and messages from the browser ------------------------------------------------


@pytest.mark.parametrize(
    ("change", "says"),
    [
        (lambda ps: ps + [ps[1] | {"id": "x9", "value": "5"}], "number written as text"),
        (lambda ps: ps + [ps[1] | {"id": "x9", "value": "<b>x</b>"}], "not a number or the name of an unknown"),
        (lambda ps: ps + [ps[1] | {"id": "x9", "value": float("nan")}], "greater than 0"),
        (lambda ps: ps + [ps[1] | {"id": "x9", "value": True}], "a value must be a number"),
        (lambda ps: ps + [ps[1] | {"id": "x9", "value": -3}], "greater than 0"),
        (lambda ps: ps + [ps[1] | {"id": "x9", "w": "wide"}], "w must be a number"),
        (lambda ps: ps + [ps[1] | {"id": "x9", "row": 5}], "row 5, which this model does not have"),
        (lambda ps: ps + [ps[1] | {"id": "x9", "hidden": "yes"}], "true or false"),
        (lambda ps: ps + [ps[1] | {"id": "x9", "label": "a\nb"}], "one line"),
        (lambda ps: ps + [ps[1] | {"id": "x9", "onclick": "alert(1)"}], "fields a segment does not have"),
        (
            lambda ps: (
                ps
                + [
                    {
                        "id": "x9",
                        "kind": "brace",
                        "x": 1,
                        "y": 1,
                        "cover": ["nope"],
                        "value": "?",
                        "w": 5,
                        "hidden": False,
                        "answer": None,
                    }
                ]
            ),
            "covers something that is not a segment",
        ),
        (
            lambda ps: (
                ps
                + [
                    {
                        "id": "x9",
                        "kind": "brace",
                        "x": 1,
                        "y": 1,
                        "cover": ["s1", "s4"],
                        "value": "?",
                        "w": 5,
                        "hidden": False,
                        "answer": None,
                    }
                ]
            ),
            "side by side in one row",
        ),
        (lambda ps: ps + [ps[-1] | {"id": "x9"}], "one total at most"),
        (lambda ps: {"pieces": ps}, ""),  # not a list: whatever the engine says, it says something
    ],
)
def test_hostile_state_is_refused_whole(change, says):
    board = amir_bea()
    before = copy.deepcopy(board.pieces)
    from_browser(board, change(copy.deepcopy(board.pieces)))
    assert board.message and says in board.message
    assert board.pieces == before
    assert board.solve() == {"b": 12}


@pytest.mark.parametrize(
    ("content", "says"),
    [
        ({"action": "split", "ids": ["s1"], "parts": "99"}, "2 to 24 equal parts"),
        ({"action": "split", "ids": ["s1"], "parts": "three"}, "whole number"),
        ({"action": "split", "ids": "s1", "parts": "3"}, "details"),
        ({"action": "split", "ids": ["total"], "parts": "3"}, "no segment"),
        ({"action": "split", "ids": ["s1"]}, "details"),
        ({"action": "merge", "ids": ["s1"]}, "two or more"),
        ({"action": "merge", "ids": ["s1", "s3"]}, "side by side in one row"),
        ({"action": "merge", "ids": ["s3", "s4"]}, "only under a brace"),
        ({"action": "toggle_solution", "now": True}, "details"),
        ({"action": "__init__"}, "not one this widget knows"),
        ("split", "not one this widget knows"),
    ],
)
def test_hostile_custom_messages_are_refused(content, says):
    board = amir_bea()
    before = copy.deepcopy(board.pieces)
    custom(board, content)
    assert says in board.message
    assert board.pieces == before


# --- snapshot and picture ------------------------------------------------------------------------


def test_snapshot_round_trip():
    board = amir_bea()
    board.split("s1", 2)
    board.show_solution = True
    again = BarModel.from_snapshot(board.snapshot())
    assert again.pieces == board.pieces
    assert again.show_solution and again.readout == board.readout
    assert again.solve() == board.solve() == {"b": 12, "u": 6}


def test_to_svg_escapes_labels_and_draws_the_equation():
    board = BarModel({"<script>alert(1)</script>": ["b"], "Amir": ["b", 5]}, total=29)
    board.pieces = [{**p, "label": "<img src=x onerror=alert(1)>"} if p["id"] == "s1" else p for p in board.pieces]
    svg = board.to_svg()
    assert "<script>" not in svg and "<img" not in svg
    assert "&lt;script&gt;" in svg and "&lt;img src=x" in svg
    assert "b + b + 5 = 29" in svg
    assert 'class="mn-board bm-board"' in svg


# --- what a pupil types is read in Python, as pupils write numbers ---------------------------------


@pytest.mark.parametrize(
    ("typed", "value"),
    [(".5", 0.5), ("2.5", 2.5), ("3/4", 0.75), ("12", 12), (" 7 ", 7), ("\u22123", None), ("-3", None), ("0", None)],
)
def test_a_value_typed_by_a_pupil_is_read_as_a_number(typed, value):
    board = BarModel({"whole": [12, "a"]})
    seg = segments(board)[1]
    custom(board, {"action": "value", "ids": [seg["id"]], "text": typed})
    if value is None:  # a length is never 0 or negative: said as such, never as "a number written as text"
        assert "greater than 0" in board.message and "text" not in board.message
        assert piece(board, seg["id"])["value"] == "a"
    else:
        assert board.message == ""
        assert piece(board, seg["id"])["value"] == value


def test_a_letter_or_a_question_is_an_unknown_or_a_question():
    board = BarModel({"whole": [12, 4]}, total=16)
    custom(board, {"action": "value", "ids": ["total"], "text": "?"})
    assert piece(board, "total")["value"] == "?" and board.message == ""
    custom(board, {"action": "value", "ids": [segments(board)[0]["id"]], "text": "?"})
    assert "only a brace or a total may ask ?" in board.message
    custom(board, {"action": "value", "ids": [segments(board)[0]["id"]], "text": "Paris!"})
    assert "not a number or a letter" in board.message
