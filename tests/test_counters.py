"""The counters' model and the board's validation, driven as a browser drives them."""

from __future__ import annotations

import json
import math

import pytest

from widgets import Counters, Refused
from widgets._board import MAX_PIECES


def browser_update(board, state):
    """Send a state update exactly as the front end does, through the comm message handler."""
    board._handle_msg({"content": {"data": {"method": "update", "state": state}}, "buffers": []})


def browser_action(board, content):
    board._handle_msg({"content": {"data": {"method": "custom", "content": content}}, "buffers": []})


def counter(pid, sign, x=120, y=120, **extra):
    return {"id": pid, "kind": "counter", "x": x, "y": y, "sign": sign, **extra}


# --- the mathematics -------------------------------------------------------------------------


def test_counts_value_and_zero_pairs():
    board = Counters(positive=3, negative=5)
    assert (board.positive, board.negative, board.value, board.zero_pairs) == (3, 5, -2, 3)
    assert board.readout["headline"] == "3 + (\u22125) = \u22122"


def test_adding_a_zero_pair_keeps_the_value():
    board = Counters(positive=2, negative=1)
    board.add(1)
    board.add(-1)
    assert (board.value, board.zero_pairs) == (1, 2)


def test_flip_changes_the_value_by_two():
    board = Counters(positive=2)
    board.flip(board.pieces[0]["id"])
    assert (board.positive, board.negative, board.value) == (1, 1, 0)


def test_cancel_zero_pairs_leaves_only_one_sign():
    board = Counters(positive=3, negative=5)
    board.cancel_zero_pairs()
    assert (board.positive, board.negative, board.value, board.zero_pairs) == (0, 2, -2, 0)
    assert board.readout["headline"] == "\u22122"


def test_clear_empties_the_board_and_reset_restores_it():
    board = Counters(positive=1, negative=2)
    start = board.snapshot()["pieces"]
    board.clear()
    assert board.pieces == [] and board.readout["headline"] == "0"
    board.reset()
    assert board.pieces == start


def test_new_counters_sit_on_free_grid_points():
    board = Counters(positive=20, negative=20)
    spots = {(p["x"], p["y"]) for p in board.pieces}
    assert len(spots) == 40
    assert all(p["x"] % board.grid == 0 and p["y"] % board.grid == 0 for p in board.pieces)


def test_array_is_rows_by_columns_and_says_so():
    board = Counters.array(3, 4)
    assert board.value == 12
    assert board.readout["headline"] == "3 \u00d7 4 = 12"
    assert len({p["y"] for p in board.pieces}) == 3 and len({p["x"] for p in board.pieces}) == 4


def test_array_stops_being_an_array_when_a_counter_moves_away():
    board = Counters.array(2, 3)
    moved = [dict(board.pieces[0], x=board.width - 60, y=board.height - 60), *board.pieces[1:]]
    board.pieces = moved
    assert "\u00d7" not in board.readout["headline"]


def test_ten_frames_fill_in_order():
    board = Counters.ten_frame(13)
    assert board.value == 13 and len(board.guides) == 2
    first = board.guides[0]
    inside = [
        p
        for p in board.pieces
        if first["x"] < p["x"] < first["x"] + 5 * first["cell"] and first["y"] < p["y"] < first["y"] + 2 * first["cell"]
    ]
    assert len(inside) == 10  # the first frame is full before the second starts


@pytest.mark.parametrize("call", [lambda: Counters(-1), lambda: Counters(True), lambda: Counters.array(0, 3)])
def test_bad_arguments_are_refused_clearly(call):
    with pytest.raises(ValueError, match="whole number"):
        call()


def test_add_refuses_a_sign_that_is_not_plus_or_minus_one():
    with pytest.raises(ValueError, match="sign must be 1"):
        Counters().add(2)


def test_a_full_board_is_refused_and_kept():
    board = Counters(positive=3)
    before = board.snapshot()
    with pytest.raises(Refused, match="board is full"):
        board.add(1, 200)  # more than the board's grid points
    assert board.snapshot() == before


def test_snapshot_round_trip_is_plain_json():
    board = Counters(positive=2, negative=3, name="starter")
    snap = json.loads(json.dumps(board.snapshot()))
    assert snap["widget"] == "Counters" and snap["version"] == 1 and snap["name"] == "starter"
    again = Counters.from_snapshot(snap)
    assert again.pieces == board.pieces and again.value == -1 and again.name == "starter"


@pytest.mark.parametrize(
    "snap, words",
    [
        ({"widget": "BarModel", "version": 1, "pieces": []}, "not a snapshot of a Counters"),
        ({"widget": "Counters", "version": 7, "pieces": []}, "version 7"),
        ({"widget": "Counters", "version": 1, "pieces": [], "colour": "red"}, "no field 'colour'"),
        ({"widget": "Counters", "version": 1, "pieces": [counter("a", 3)]}, "sign must be 1 or -1"),
    ],
)
def test_bad_snapshots_are_refused(snap, words):
    with pytest.raises(ValueError, match=words):
        Counters.from_snapshot(snap)


def test_static_svg_shows_every_counter_and_the_sum():
    svg = Counters(positive=2, negative=1).to_svg()
    assert svg.count("counter positive") == 2 and svg.count("counter negative") == 1
    assert "2 + (\u22121) = 1" in svg
    bundle, _ = Counters(positive=1)._repr_mimebundle_()
    assert bundle["image/svg+xml"].startswith("<svg")


def test_static_svg_escapes_labels():
    board = Counters()
    board.pieces = [counter("a", 1, label="<script>alert(1)</script>")]
    svg = board.to_svg()
    assert "<script>" not in svg and "&lt;script&gt;alert(1)&lt;/script&gt;" in svg


# --- the browser's changes, good and hostile ---------------------------------------------------


def test_a_good_change_from_the_browser_is_taken_and_recomputed():
    board = Counters(positive=1, negative=1)
    p, n = board.pieces
    browser_update(board, {"pieces": [p, dict(n, sign=1)]})
    assert board.value == 2 and board.message == ""
    assert board.readout["headline"] == "2"


HOSTILE = {
    "not a list": {"pieces": {"a": 1}},
    "a string": {"pieces": "<img src=x onerror=alert(1)>"},
    "too many pieces": {"pieces": [counter(f"c{i}", 1) for i in range(MAX_PIECES + 1)]},
    "unknown kind": {"pieces": [{"id": "a", "kind": "dragon", "x": 10, "y": 10}]},
    "NaN position": {"pieces": [counter("a", 1, x=math.nan)]},
    "infinite position": {"pieces": [counter("a", 1, y=math.inf)]},
    "off the board": {"pieces": [counter("a", 1, x=-5)]},
    "far off the board": {"pieces": [counter("a", 1, x=1e308)]},
    "string position": {"pieces": [counter("a", 1, x="10")]},
    "bool sign": {"pieces": [counter("a", True)]},
    "sign two": {"pieces": [counter("a", 2)]},
    "duplicate ids": {"pieces": [counter("a", 1), counter("a", -1, x=180)]},
    "markup id": {"pieces": [counter("<b>", 1)]},
    "long label": {"pieces": [counter("a", 1, label="x" * 500)]},
    "label not text": {"pieces": [counter("a", 1, label=["<b>"])]},
    "label with a newline": {"pieces": [counter("a", 1, label="a\nb")]},
    "extra field": {"pieces": [counter("a", 1, onclick="alert(1)")]},
    "deep list": {"pieces": [[[[[[[[[[[]]]]]]]]]]]},
    "piece not an object": {"pieces": [17]},
    "a read-only trait": {"readout": {"headline": "1 + 1 = 3"}},
    "the module code": {"_esm": "export default {render() {alert(1)}}"},
    "not a dict": ["pieces"],
}


@pytest.mark.parametrize("state", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_state_is_refused_and_the_board_kept(state):
    board = Counters(positive=3, negative=5)
    before, readout = board.snapshot(), dict(board.readout)
    sent = []
    board._send = lambda msg, buffers=None: sent.append(msg)  # what goes back to the browser
    browser_update(board, state)
    assert board.snapshot() == before and board.readout == readout
    assert board.message  # the widget says why
    assert len(board.message) < 200
    assert any(m.get("method") == "update" and "pieces" in m.get("state", {}) for m in sent), (
        "the browser must be put back to the kept state"
    )


def test_after_a_refusal_a_good_change_clears_the_message():
    board = Counters(positive=1)
    browser_update(board, {"pieces": [counter("a", 7)]})
    assert "sign must be 1 or -1" in board.message
    browser_update(board, {"pieces": []})
    assert board.message == "" and board.value == 0


@pytest.mark.parametrize(
    "message",
    [
        {"content": {"data": {}}},
        {"content": {"data": {"method": "update"}}},
        {"content": {"data": {"method": "update", "state": "nope"}}},
        {"content": {"data": {"method": "explode"}}},
        {"content": None},
        {},
    ],
)
def test_malformed_comm_messages_are_ignored_calmly(message):
    board = Counters(positive=2)
    before = board.snapshot()
    board._handle_msg(message)
    assert board.snapshot() == before and board.message


@pytest.mark.parametrize(
    "content",
    [
        {"action": "format_disk"},
        {"action": "_start"},
        {"action": "add", "sign": 5},
        {"action": "add", "sign": True},
        {"action": "add", "colour": "red"},
        {"action": "add", "sign": 1, "n": 10**9},
        "add",
        None,
        {"action": ["reset"]},
    ],
)
def test_hostile_actions_are_refused(content):
    board = Counters(positive=1, negative=1)
    before = board.snapshot()
    browser_action(board, content)
    assert board.snapshot() == before and board.message


def test_toolbar_actions_change_the_board_through_python():
    board = Counters(positive=1, negative=2)
    browser_action(board, {"action": "add", "sign": 1})
    assert board.positive == 2
    browser_action(board, {"action": "cancel_zero_pairs"})
    assert (board.positive, board.negative) == (0, 0)
    browser_action(board, {"action": "reset"})
    assert (board.positive, board.negative) == (1, 2) and board.message == ""


def test_python_side_bad_pieces_raise_refused():
    board = Counters()
    with pytest.raises(Refused, match="unknown kind"):
        board.pieces = [{"id": "a", "kind": "tile", "x": 1, "y": 1}]
    assert board.pieces == []


def test_a_board_reaches_the_browser_only_when_shown():
    """Boards a lesson makes only to compute with send nothing to the page (they cost it time)."""
    working = Counters(positive=3, negative=5)
    assert working.comm is None and working.value == -2
    shown = Counters(positive=1)
    bundle, _ = shown._repr_mimebundle_()
    assert shown.comm is not None
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == shown.comm.comm_id


@pytest.mark.parametrize("label", ["a\ud800b", "line\u2028break", "para\u2029graph", "c1\x85control", "del\x7f"])
def test_a_label_that_cannot_be_shown_or_synced_is_refused_whole(label):
    # A lone surrogate cannot be encoded: accepted, it would break syncing the board until Reset.
    board = Counters(positive=2)
    before = board.snapshot()
    pieces = [dict(board.pieces[0], label=label), *board.pieces[1:]]
    board._handle_msg({"content": {"data": {"method": "update", "state": {"pieces": pieces}}}, "buffers": []})
    assert "label" in board.message and "codec" not in board.message
    assert board.snapshot() == before
    board.get_state()  # and the board still syncs
