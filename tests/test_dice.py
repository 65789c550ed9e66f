"""Dice: the rolls and the readout, and the board driven as a browser drives it."""

from __future__ import annotations

import json
import re

import pytest
import traitlets as t
from test_fuzz_comm import custom_msg, update_msg

from widgets import Dice, Refused
from widgets.dice import MOST_DICE


def die(pid, face, x=96, y=96, **extra):
    return {"id": pid, "kind": "die", "x": x, "y": y, "face": face, **extra}


def tap(board, pid):
    board._handle_msg(custom_msg({"action": "tap", "id": pid}))


# --- the mathematics -------------------------------------------------------------------------


def test_the_readout_is_the_faces_as_a_sum_and_a_count_of_each():
    board = Dice(seed=1)
    board.pieces = [die("a", 3, x=96), die("b", 5, x=192), die("c", 6, x=288), die("d", 5, x=384)]
    assert (board.faces, board.total) == ([3, 5, 6, 5], 19)
    assert board.counts == {1: 0, 2: 0, 3: 1, 4: 0, 5: 2, 6: 1}
    assert board.readout["headline"] == "3 + 5 + 6 + 5 = 19"
    facts = dict(board.readout["facts"])
    assert (facts["dice"], facts["total"], facts["threes"], facts["fives"], facts["ones"]) == ("4", "19", "1", "2", "0")


def test_one_die_reads_as_its_face_and_no_dice_as_nothing():
    board = Dice(seed=1)
    board.pieces = [die("a", 4)]
    assert board.readout["headline"] == "4"
    board.pieces = []
    assert board.readout["headline"] == "0" and board.total == 0


def test_the_faces_are_read_left_to_right_then_row_by_row():
    board = Dice(seed=1)
    board.pieces = [die("a", 1, x=288, y=96), die("b", 2, x=96, y=192), die("c", 3, x=96, y=96)]
    assert board.faces == [3, 1, 2]
    assert board.readout["headline"] == "3 + 1 + 2 = 6"
    board.pieces = [dict(board.pieces[0], x=48), *board.pieces[1:]]  # the 1 moved to the front of its row
    assert board.faces == [1, 3, 2]


def test_a_seed_gives_the_same_rolls_every_time_and_another_seed_others():
    def rolls(seed):
        board = Dice(20, seed=seed)
        first = board.faces
        board.roll_all()
        return first, board.faces

    assert rolls(5) == rolls(5)
    assert rolls(5) != rolls(6)
    assert Dice(2).seed != Dice(2).seed, "a board given no seed picks its own"


def test_rolls_are_fair():
    board = Dice(60, seed=2026)
    seen = []
    for _ in range(100):
        board.roll_all()
        seen += board.faces
    expected = len(seen) / 6
    chi_square = sum((seen.count(face) - expected) ** 2 / expected for face in range(1, 7))
    assert chi_square < 20.5, chi_square  # the 0.1 % point for five degrees of freedom


def test_rolling_one_die_changes_only_that_die_and_counts_the_roll():
    board = Dice(4, seed=3)
    before, rolls = board.pieces, board.rolls
    shown = set()
    for _ in range(12):
        board.roll("p2")
        shown.add(next(p["face"] for p in board.pieces if p["id"] == "p2"))
    assert board.rolls == rolls + 12 and len(shown) > 1
    assert [p for p in board.pieces if p["id"] != "p2"] == [p for p in before if p["id"] != "p2"]
    with pytest.raises(ValueError, match="no die with id 'p9'"):
        board.roll("p9")


def test_roll_all_rolls_every_die_in_reading_order():
    board = Dice(seed=11)
    board.pieces = [die("a", 1, x=288), die("b", 1, x=96, y=192), die("c", 1, x=96)]  # reading order: c, a, b
    twin = Dice.from_snapshot(board.snapshot())
    board.roll_all()
    twin.roll("c")
    twin.roll("a")
    twin.roll("b")
    assert board.snapshot() == twin.snapshot(), "roll all is each die rolled in turn, in reading order"


def test_adding_dice_rolls_them_onto_free_grid_points():
    board = Dice(0, seed=4)
    board.add(5)
    assert len(board.pieces) == 5 and board.rolls == 5
    assert len({(p["x"], p["y"]) for p in board.pieces}) == 5
    assert all(p["x"] % board.grid == 0 and p["y"] % board.grid == 0 for p in board.pieces)


def test_many_dice_make_the_board_taller_to_fit():
    board = Dice(MOST_DICE, seed=1)
    assert len(board.pieces) == MOST_DICE
    assert max(p["y"] for p in board.pieces) < board.height


def test_a_full_board_is_refused_and_uses_no_roll():
    board = Dice(3, seed=8)
    before = board.snapshot()
    with pytest.raises(Refused, match="board is full"):
        board.add(200)
    assert board.snapshot() == before


@pytest.mark.parametrize(
    "call, words",
    [
        (lambda: Dice(-1), "whole number of dice"),
        (lambda: Dice(True), "whole number of dice"),
        (lambda: Dice(MOST_DICE + 1), "whole number of dice"),
        (lambda: Dice(2, seed=-1), "seed must be a whole number"),
        (lambda: Dice(2, seed=True), "seed must be a whole number"),
        (lambda: Dice(2).add(-1), "n must be a whole number"),
    ],
)
def test_bad_arguments_are_refused_clearly(call, words):
    with pytest.raises(ValueError, match=words):
        call()


def test_a_seed_that_is_not_a_number_is_named():
    with pytest.raises(t.TraitError, match="'seed'"):
        Dice(2, seed="seven")


# --- snapshots: the rolls are data ----------------------------------------------------------


def test_snapshot_round_trips_exactly_and_rolls_on_as_the_original():
    board = Dice(4, seed=99, name="starter")
    board.roll("p1")
    board.roll_all()
    snap = json.loads(json.dumps(board.snapshot()))
    assert snap["widget"] == "Dice" and snap["name"] == "starter" and (snap["seed"], snap["rolls"]) == (99, 9)
    again = Dice.from_snapshot(snap)
    assert again.snapshot() == snap and again.readout == board.readout and again.looks == board.looks
    board.roll_all()
    again.roll_all()
    assert again.snapshot() == board.snapshot(), "a restored board rolls on as the original would have"


def test_an_unseeded_board_keeps_its_seed_in_the_snapshot():
    board = Dice(3)
    again = Dice.from_snapshot(board.snapshot())
    board.roll_all()
    again.roll_all()
    assert again.faces == board.faces


def test_the_page_never_holds_the_seed():
    board = Dice(2, seed=12345)
    state = board.get_state()
    assert "seed" not in state and "rolls" not in state
    assert "12345" not in json.dumps(state)


@pytest.mark.parametrize(
    "snap, words",
    [
        ({"widget": "Counters", "version": 1, "pieces": []}, "not a snapshot of a Dice"),
        ({"widget": "Dice", "version": 1, "pieces": [die("a", 7)]}, "face must be a whole number from 1 to 6"),
        ({"widget": "Dice", "version": 1, "pieces": [die("a", 2.0)]}, "face must be a whole number from 1 to 6"),
        ({"widget": "Dice", "version": 1, "pieces": [], "seed": -3}, "seed must be a whole number"),
        ({"widget": "Dice", "version": 1, "pieces": [], "rolls": -1}, "rolls must be a whole number"),
        ({"widget": "Dice", "version": 1, "pieces": [], "generator": [1, 2]}, "no field 'generator'"),
        ({"widget": "Dice", "version": 1, "pieces": [], "grid": 0}, "'grid' trait of a Dice"),
    ],
)
def test_bad_snapshots_are_refused(snap, words):
    with pytest.raises((ValueError, t.TraitError), match=words):
        Dice.from_snapshot(snap)


# --- the picture ------------------------------------------------------------------------------


def test_the_static_picture_draws_each_face_with_its_pips_and_the_sum():
    board = Dice(seed=1)
    board.pieces = [die("a", 2, x=96), die("b", 6, x=192), die("c", 1, x=288)]
    svg = board.to_svg()
    dice = re.findall(r'<g class="die face-(\d)">(.*?)</g>', svg)
    assert [(int(face), body.count("<circle")) for face, body in dice] == [(2, 2), (6, 6), (1, 1)]
    assert "2 + 6 + 1 = 9" in svg
    bundle, _ = board._repr_mimebundle_()
    assert bundle["image/svg+xml"] == svg


def test_each_die_is_named_for_a_screen_reader():
    board = Dice(seed=1)
    board.pieces = [die("a", 5, label="Mine")]
    assert [look["name"] for look in board.looks] == ["die showing 5, Mine"]


# --- the browser's changes, good and hostile ---------------------------------------------------


def test_a_tap_rolls_the_die_in_python():
    board = Dice(2, seed=21)
    twin = Dice.from_snapshot(board.snapshot())
    tap(board, "p1")
    twin.roll("p1")
    assert board.message == "" and board.snapshot() == twin.snapshot() and board.rolls == 3
    assert board.readout == twin.readout and board.readout["facts"][-1] == ["rolls", "3"]


def test_a_roll_that_shows_the_same_face_still_changes_the_readout():
    board = Dice(1, seed=0)
    for _ in range(100):  # seeded: the same rolls every run, and a face comes twice running early on
        before = board.pieces
        board.roll("p1")
        if board.pieces == before:
            break
    else:
        pytest.fail("no face came twice running")
    assert board.readout == board._read() and board.readout["facts"][-1] == ["rolls", str(board.rolls)]


def test_the_toolbar_adds_a_die_and_rolls_them_all():
    board = Dice(1, seed=2)
    assert [spec["action"] for spec in board.tools] == ["add", "roll_all"]
    board._handle_msg(custom_msg({"action": "add"}))
    assert len(board.pieces) == 2 and board.readout["facts"][0] == ["dice", "2"]
    board._handle_msg(custom_msg({"action": "roll_all"}))
    assert board.rolls == 4 and board.message == ""


def test_a_move_keeps_the_faces_and_a_drop_on_a_die_finds_a_free_place():
    board = Dice(2, seed=6)
    a, b = board.pieces
    board._handle_msg(update_msg({"pieces": [dict(a, x=b["x"], y=b["y"]), b]}))
    assert board.message == "" and sorted(board.faces) == sorted([a["face"], b["face"]])
    assert len({(p["x"], p["y"]) for p in board.pieces}) == 2


HOSTILE_PIECES = {
    "face seven": [die("a", 7)],
    "face zero": [die("a", 0)],
    "face as text": [die("a", "6")],
    "face as a bool": [die("a", True)],
    "face as a float": [die("a", 6.0)],
    "no face": [{"id": "a", "kind": "die", "x": 96, "y": 96}],
    "extra field": [die("a", 3, seed=1)],
    "a counter": [{"id": "a", "kind": "counter", "x": 96, "y": 96, "sign": 1}],
}


@pytest.mark.parametrize("pieces", HOSTILE_PIECES.values(), ids=HOSTILE_PIECES.keys())
def test_hostile_pieces_are_refused_and_the_board_kept(pieces):
    board = Dice(3, seed=5)
    before = board.snapshot()
    board._handle_msg(update_msg({"pieces": pieces}))
    assert board.snapshot() == before and board.message


@pytest.mark.parametrize(
    "content",
    [
        {"action": "tap", "id": "p9"},
        {"action": "tap"},
        {"action": "roll", "id": "p1"},  # a Python method, not an action the page may ask for
        {"action": "add", "n": -1},
        {"action": "add", "n": 10**9},
        {"action": "add", "n": True},
        {"action": "roll_all", "seed": 1},
    ],
)
def test_hostile_actions_are_refused_and_use_no_roll(content):
    board = Dice(3, seed=5)
    before = board.snapshot()
    board._handle_msg(custom_msg(content))
    assert board.snapshot() == before and board.message


@pytest.mark.parametrize("state", [{"seed": 1}, {"rolls": 0}, {"readout": {"headline": "6 + 6 = 13"}}])
def test_the_page_may_not_write_the_seed_the_rolls_or_the_readout(state):
    board = Dice(2, seed=5)
    before = board.snapshot()
    board._handle_msg(update_msg(state))
    assert board.snapshot() == before and board.message
