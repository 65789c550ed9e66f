"""The widgets read and print numbers and expressions with the maths layer's one reader and one printer."""

from __future__ import annotations

from fractions import Fraction

import pytest

from maths.numbers import MINUSES
from widgets import AlgebraTiles, BarModel, Questions

MINUS = "\u2212"


@pytest.mark.parametrize("minus", list(MINUSES))
def test_the_tiles_and_questions_accept_the_same_minus_signs(minus):
    # The tiles once knew only two dashes and Questions six: a pupil's hyphen worked in one and not the other.
    assert AlgebraTiles(f"x {minus} 1").expression == f"x {MINUS} 1"
    assert Questions([("5 + (\u22127)", -2)]).check(0, f"{minus}2")
    assert Questions([("Simplify x \u2212 3 \u2212 x", "-3x + 1")]).check(0, f"1 {minus} 3x")


def test_three_quarters_prints_the_same_in_a_bar_model_and_in_questions():
    # A bar model printed 3/4 as 0.75 while Questions printed it 3/4.
    board = BarModel({"A": ["u", "u", "u", "u"]}, total=3)
    board.show_solution = True
    assert ["u", "3/4"] in board.readout["facts"]
    assert {p["answer"] for p in board.pieces if p["kind"] == "segment"} == {"3/4"}
    questions = Questions([("A quarter of 3", Fraction(3, 4))])
    questions.reveal()
    assert questions.answers == ["3/4"]


def test_a_bar_model_of_decimals_answers_in_decimals():
    board = BarModel({"A": [0.1, "x"]}, total=0.3)
    board.show_solution = True
    assert ["x", "0.2"] in board.readout["facts"]
    assert BarModel({"A": [0.25, 0.5]}).readout["headline"] == "0.25 + 0.5"


def test_a_factorised_frame_is_written_as_a_textbook_writes_it():
    assert AlgebraTiles("2x - 6").factorise() == f"2(x {MINUS} 3)"
    assert AlgebraTiles("x^2 - 4").factorise() == f"(x {MINUS} 2)(x + 2)"


def test_every_bar_model_the_board_accepts_is_within_what_the_solver_works_out():
    # The validator counts braces and unknowns before any work; the solver's own limits are those
    # counts, so a model the board takes is never "too big" afterwards, however it was built.
    from widgets.bar_model import MAX_BRACES, MAX_PARTS, MAX_ROWS, MAX_UNKNOWNS

    names = [f"a{n}" for n in range(MAX_UNKNOWNS)]
    rows = {f"R{r}": [names[(r * MAX_PARTS + i) % MAX_UNKNOWNS] for i in range(MAX_PARTS)] for r in range(MAX_ROWS)}
    board = BarModel(rows, total=1000)
    segments = sorted((p for p in board.pieces if p["kind"] == "segment"), key=lambda p: (p["row"], p["x"]))
    braces = [
        {"id": f"b{n}", "kind": "brace", "x": 10, "y": 10, "cover": [segments[n]["id"]], "value": 1 + n % 7,
         "w": 100, "hidden": False, "answer": None}
        for n in range(MAX_BRACES)
    ]  # fmt: skip
    board._handle_msg({"content": {"data": {"method": "update", "state": {"pieces": board.pieces + braces}}}})
    assert board.message == ""
    try:
        board.solve()
    except ValueError as why:
        assert "too big" not in str(why)


def test_the_frame_writes_its_product_as_a_textbook_does():
    # The frame's readout wrote (x − 3)(2).
    assert AlgebraTiles.product("x - 3", "2").readout["headline"] == f"2(x {MINUS} 3) = 2x {MINUS} 6"
    assert AlgebraTiles.product("x", "x + 2").problem == "x(x + 2)"
    assert AlgebraTiles.product("x + 2", "x + 3").readout["headline"] == "(x + 2)(x + 3) = x² + 5x + 6"
