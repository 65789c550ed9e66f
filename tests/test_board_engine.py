"""What every board has from the engine, whatever the manipulative: the pen and a readout that waits."""

from __future__ import annotations

import pytest

from widgets import AlgebraTiles, BarModel, Counters, Dice, DoubleNumberLine, FractionWall, NumberLine
from widgets._board import MAX_POINTS, MAX_STROKES

BOARDS = {
    "counters": lambda **kw: Counters(3, 5, **kw),
    "bar model": lambda **kw: BarModel({"Bea": ["b"], "Amir": ["b", 5]}, total=29, **kw),
    "tiles": lambda **kw: AlgebraTiles("x + 2", **kw),
    "frame": lambda **kw: AlgebraTiles.product("x + 1", "x + 2", **kw),
    "equation mat": lambda **kw: AlgebraTiles.equation("2x + 3 = 11", **kw),
    "array": lambda **kw: Counters.array(2, 3, **kw),
    "ratio bars": lambda **kw: BarModel.ratio({"A": 2, "B": 3}, total=45, **kw),
    "dice": lambda **kw: Dice(3, seed=4, **kw),
    "fraction wall": lambda **kw: _wall(**kw),
    "number line": lambda **kw: _line(**kw),
    "double number line": lambda **kw: _double(**kw),
}


def _double(**kw) -> DoubleNumberLine:
    lines = DoubleNumberLine(("flour (g)", "people"), (300, 4), **kw)
    lines.add(bottom=6)
    return lines


def _line(**kw) -> NumberLine:
    line = NumberLine(-10, 10, **kw)
    line.jump(-3, 5)
    return line


def _wall(**kw) -> FractionWall:
    wall = FractionWall(rows=(2, 4, 8), **kw)
    wall.shade(2, 1)
    wall.shade(4, 2)
    return wall


def custom(board, content) -> None:
    board._handle_msg({"content": {"data": {"method": "custom", "content": content}}, "buffers": []})


@pytest.mark.parametrize("make", BOARDS.values(), ids=BOARDS.keys())
def test_a_readout_that_waits_sends_none_of_the_maths_until_asked(make):
    shown = make()
    board = make(show_readout=False)
    assert board.readout.get("waiting") and board.readout["headline"] == "" and board.readout["facts"] == []
    sent = board.get_state()["readout"]  # the one trait that carries the maths: nothing to read ahead from
    assert not sent["headline"] and not sent["facts"] and shown.readout["words"] not in str(sent)
    assert 'class="mn-svg-headline"' not in board.to_svg()
    custom(board, {"action": "reveal_readout"})
    assert board.message == "" and board.readout == shown.readout
    snap = board.snapshot()
    assert snap["show_readout"] is True and type(board).from_snapshot(snap).snapshot() == snap


@pytest.mark.parametrize("make", BOARDS.values(), ids=BOARDS.keys())
def test_ink_is_annotation_kept_in_the_snapshot_and_the_picture_never_in_the_maths(make):
    board = make()
    readout, pieces = board.readout, board.pieces
    custom(board, {"action": "ink", "points": [[40, 40], [60, 45], [80, 60], [80, 60]]})
    assert board.message == "" and board.ink == [[[40, 40], [60, 45], [80, 60]]]  # a still pen adds nothing
    assert board.readout == readout and board.pieces == pieces
    assert 'class="mn-ink"' in board.to_svg()
    snap = board.snapshot()
    assert type(board).from_snapshot(snap).snapshot() == snap
    custom(board, {"action": "erase", "x": 61, "y": 44})
    assert board.ink == [] and board.message == ""
    custom(board, {"action": "erase", "x": 61, "y": 44})
    assert "no ink there" in board.message


@pytest.mark.parametrize(
    "points",
    [[], [[1, 2, 3]], [[float("nan"), 1]], [[float("inf"), 1]], [[1, 1]] * (MAX_POINTS + 1), "[[1,1]]", [[True, 1]]],
)
def test_a_hostile_stroke_is_refused_whole(points):
    board = Counters(1, 1)
    custom(board, {"action": "ink", "points": [[10, 10], [20, 20]]})
    before = board.snapshot()
    custom(board, {"action": "ink", "points": points})
    assert board.message and board.snapshot() == before


def test_a_board_holds_so_much_ink_and_says_so():
    board = Counters()
    board.ink = [[[10, 10]]] * MAX_STROKES
    custom(board, {"action": "ink", "points": [[10, 10]]})
    assert "at most" in board.message and len(board.ink) == MAX_STROKES
    custom(board, {"action": "clear_ink"})
    assert board.ink == [] and board.overlay == []


def test_a_stroke_that_slips_off_the_board_is_kept_on_its_edge():
    board = Counters(1, 1)
    custom(board, {"action": "ink", "points": [[-5, 10], [10, 1e9]]})
    assert board.message == "" and board.ink == [[[0, 10], [10, board.height]]]


def test_a_piece_dropped_on_another_settles_on_the_nearest_free_point_of_an_offset_grid():
    # A board may start its grid's points away from the corner (place value puts them at its columns'
    # middles); a piece dropped on another moves to the nearest free point of that grid, not of another.
    board = Counters(positive=2)
    board.grid_origin = [36, 36]
    first, second = board.pieces
    board._handle_msg(
        {"content": {"data": {"method": "update", "state": {"pieces": [dict(first, x=108, y=108), second]}}}}
    )
    board._handle_msg(
        {"content": {"data": {"method": "update", "state": {"pieces": [board.pieces[0], dict(second, x=108, y=108)]}}}}
    )
    assert board.message == ""
    x, y = next((p["x"], p["y"]) for p in board.pieces if p["id"] == second["id"])
    assert ((x - 36) % 72, (y - 36) % 72) == (0, 0), "on the grid's own points"
    assert (x, y) != (108, 108) and abs(x - 108) + abs(y - 108) == 72, "the nearest free point"
