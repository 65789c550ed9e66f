"""The fraction wall's mathematics and rules, driven from Python and as a browser drives them."""

from __future__ import annotations

import copy
import json
import random
import re
from fractions import Fraction
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from widgets import FractionWall, Refused
from widgets.fraction_wall import DEFAULT_ROWS, MOST_PARTS, MOST_ROWS


def browser_update(board, state):
    """Send a state update exactly as the front end does, through the comm message handler."""
    board._handle_msg({"content": {"data": {"method": "update", "state": state}}, "buffers": []})


def browser_action(board, content):
    board._handle_msg({"content": {"data": {"method": "custom", "content": content}}, "buffers": []})


def row(wall, n):
    """The parts of the row of n parts, left to right by where they stand."""
    return sorted((p for p in wall.pieces if p["row"] == n), key=lambda p: p["x"])


def shaded_by_hand(wall):
    """Each row's shaded fraction, counted from the parts themselves."""
    return {n: Fraction(sum(p["shaded"] for p in row(wall, n)), n) for n in wall.rows}


def terms(headline):
    """The headline read as a textbook reader would: groups joined by >, each of terms joined by =."""
    if not headline:
        return []
    return [[tuple(map(int, (t.split("/") + ["1"])[:2])) for t in g.split(" = ")] for g in headline.split(" > ")]


# --- the wall ----------------------------------------------------------------------------------


def test_each_row_is_the_same_whole_split_into_equal_parts():
    wall = FractionWall()
    assert wall.rows == list(DEFAULT_ROWS)
    edges = set()
    for n in wall.rows:
        parts = row(wall, n)
        assert len(parts) == n
        assert len({p["w"] for p in parts}) == 1, "the parts of a row are equal"
        assert len({p["y"] for p in parts}) == 1, "a row is a row"
        for left, right in pairwise(parts):
            assert right["x"] - right["w"] / 2 == pytest.approx(left["x"] + left["w"] / 2, abs=0.02)  # no gaps
        edges.add((round(parts[0]["x"] - parts[0]["w"] / 2), round(parts[-1]["x"] + parts[-1]["w"] / 2)))
    assert len(edges) == 1, "every row starts and ends at the same place: each is the same whole"
    ys = [row(wall, n)[0]["y"] for n in wall.rows]
    assert ys == sorted(ys), "the rows stand top to bottom in the order given"


def test_each_part_is_labelled_one_over_its_row_as_text():
    wall = FractionWall(rows=(1, 3, 12))

    def texts(node):
        if node["shape"] == "text":
            yield node["text"]
        for child in node.get("children", []):
            yield from texts(child)

    for p in wall.pieces:
        drawn = wall.looks[wall.look_of[p["id"]]]
        words = [w for shape in drawn["shapes"] for w in texts(shape)]
        assert words == (["1"] if p["row"] == 1 else ["1", str(p["row"])])
    assert "1 third, part 2 of 3, not shaded" in [d["name"] for d in wall.looks]


def test_a_shaded_part_is_marked_by_a_pattern_as_well_as_a_colour():
    wall = FractionWall(rows=(4,))
    wall.shade(4, 1)

    def hatched(p):
        drawn = wall.looks[wall.look_of[p["id"]]]
        return any(s["shape"] == "path" and "fw-hatch" in s["class"] for g in drawn["shapes"] for s in g["children"])

    assert [hatched(p) for p in row(wall, 4)] == [True, False, False, False]


# --- the mathematics ---------------------------------------------------------------------------


def test_shade_shades_the_first_parts_of_a_row_and_shaded_reads_each_row():
    wall = FractionWall()
    wall.shade(6, 4)
    assert [p["shaded"] for p in row(wall, 6)] == [True] * 4 + [False] * 2
    wall.shade(6, 1)
    assert [p["shaded"] for p in row(wall, 6)] == [True] + [False] * 5
    assert wall.shaded == shaded_by_hand(wall)
    assert wall.shaded[6] == Fraction(1, 6) and wall.shaded[12] == 0


def test_the_readout_states_equal_fractions_unsimplified_as_shaded():
    wall = FractionWall()
    for n, c in [(2, 1), (6, 3), (8, 4)]:
        wall.shade(n, c)
    assert wall.readout["headline"] == "1/2 = 3/6 = 4/8"
    assert ["equal", "1/2 = 3/6 = 4/8"] in wall.readout["facts"]
    assert ["sixths", "3/6"] in wall.readout["facts"]
    assert wall.readout["words"] == "Shaded: 1 half equals 3 sixths equals 4 eighths."


def test_the_readout_orders_different_fractions_the_greater_first():
    wall = FractionWall()
    wall.shade(3, 2)
    wall.shade(5, 3)
    assert wall.readout["headline"] == "2/3 > 3/5"
    wall.shade(1, 1)
    assert wall.readout["headline"] == "1 > 2/3 > 3/5"


@settings(derandomize=True, database=None, max_examples=150, deadline=None)
@given(data=st.data())
def test_every_statement_in_the_readout_is_true_and_every_true_equality_is_stated(data):
    rows = data.draw(st.lists(st.integers(1, MOST_PARTS), min_size=1, max_size=MOST_ROWS, unique=True), label="rows")
    wall = FractionWall(rows=rows)
    for n in rows:
        wall.shade(n, data.draw(st.integers(0, n), label=f"shaded of {n}"))
    counts = {n: int(wall.shaded[n] * n) for n in rows}
    groups = terms(wall.readout["headline"])
    stated = [t for g in groups for t in g]
    assert sorted(stated) == sorted((c, n) for n, c in counts.items() if c), "each shaded row is stated once"
    for g in groups:
        for (a, b), (c, d) in pairwise(g):
            assert a * d == b * c, f"{a}/{b} = {c}/{d} is stated but false"
    for bigger, smaller in pairwise(groups):
        (a, b), (c, d) = bigger[0], smaller[0]
        assert a * d > b * c, f"{a}/{b} > {c}/{d} is stated but false"
    group_of = {t: i for i, g in enumerate(groups) for t in g}
    shaded = [(c, n) for n, c in counts.items() if c]
    for a, b in shaded:
        for c, d in shaded:
            if a * d == b * c:
                assert group_of[(a, b)] == group_of[(c, d)], f"{a}/{b} = {c}/{d} is true but not stated"


def test_parts_shaded_anywhere_in_a_row_count_the_same():
    wall = FractionWall(rows=(6,))
    for p in row(wall, 6)[::2]:  # the 1st, 3rd and 5th sixths
        browser_action(wall, {"action": "tap", "id": p["id"]})
    assert wall.message == "" and wall.shaded == {6: Fraction(1, 2)}
    assert wall.readout["headline"] == "3/6"


def test_shade_equal_shades_a_fraction_in_every_row_that_can_show_it():
    wall = FractionWall()
    wall.shade(5, 2)  # cleared: a fifth cannot show three quarters
    wall.shade_equal("3/4")
    expected = {n: Fraction(3, 4) if 3 * n % 4 == 0 else 0 for n in wall.rows}
    assert wall.shaded == expected
    assert wall.readout["headline"] == "3/4 = 6/8 = 9/12"
    wall.shade_equal(Fraction(1, 3))
    assert {n for n, q in wall.shaded.items() if q} == {n for n in wall.rows if n % 3 == 0}


@pytest.mark.parametrize(
    "text, words",
    [("5/4", "from 0 to 1"), ("1/7", "No row of this wall can show 1/7"), ("half", "such as 3/4"), ("1/0", "0 on the")],
)
def test_shade_equal_refuses_what_the_wall_cannot_show_and_keeps_the_shading(text, words):
    wall = FractionWall()
    wall.shade(2, 1)
    before = wall.snapshot()
    browser_action(wall, {"action": "shade_equal", "text": text})
    assert words in wall.message
    assert wall.snapshot() == before


# --- taps, drags and what the browser may not do ------------------------------------------------


def test_a_tap_shades_a_part_and_a_second_tap_clears_it():
    wall = FractionWall()
    third = row(wall, 3)[1]
    browser_action(wall, {"action": "tap", "id": third["id"]})
    assert wall.shaded[3] == Fraction(1, 3) and wall.readout["headline"] == "1/3"
    browser_action(wall, {"action": "tap", "id": third["id"]})
    assert wall.shaded[3] == 0 and wall.readout["headline"] == ""


def test_a_dragged_part_goes_back_to_its_place():
    wall = FractionWall()
    wall.shade(4, 1)
    before = wall.snapshot()
    moved = [dict(p, x=30.5, y=wall.height - 10) if p["row"] == 4 and p["index"] == 0 else p for p in wall.pieces]
    moved.append(moved.pop(0))  # the browser lists a moved piece last
    browser_update(wall, {"pieces": moved})
    assert wall.message == ""
    assert wall.snapshot() == before, "the wall stays a wall"


@pytest.mark.parametrize("change", ["remove", "add", "duplicate"])
def test_a_part_cannot_be_taken_off_or_added(change):
    wall = FractionWall(rows=(2, 4))
    wall.shade(4, 3)
    before = wall.snapshot()
    pieces = copy.deepcopy(wall.pieces)
    if change == "remove":
        pieces.pop(1)
    elif change == "add":
        pieces.append(dict(pieces[0], id="extra", row=3, index=0))
    else:
        pieces.append(dict(pieces[0], id="twin"))
    browser_update(wall, {"pieces": pieces})
    assert "keeps every part in its row" in wall.message
    assert wall.snapshot() == before


@pytest.mark.parametrize("state", [{"rows": [2]}, {"rows": [2], "pieces": []}, {"height": 100}, {"width": 300}])
def test_the_browser_may_not_change_the_rows_or_the_frame(state):
    wall = FractionWall()
    wall.shade(3, 1)
    before = wall.snapshot()
    browser_update(wall, state)
    assert wall.message and wall.snapshot() == before


def test_clear_and_reset_from_the_toolbar():
    wall = FractionWall()
    wall.shade(8, 5)
    wall.shade(2, 2)
    browser_action(wall, {"action": "clear"})
    assert wall.message == "" and not any(wall.shaded.values())
    assert wall.readout["facts"] == [["shaded", "nothing yet"]]
    wall.shade(3, 1)
    browser_action(wall, {"action": "reset"})
    assert wall.snapshot() == FractionWall().snapshot()
    assert [t["action"] for t in wall.tools] == ["clear", "shade_equal"]


@pytest.mark.parametrize(
    "call, words",
    [
        (lambda w: w.shade(7, 1), "no row of 7 parts"),
        (lambda w: w.shade(True, 1), "no row of True parts"),
        (lambda w: w.shade(2.0, 1), "no row of 2.0 parts"),
        (lambda w: w.shade(4, 5), "from 0 to 4"),
        (lambda w: w.shade(4, -1), "from 0 to 4"),
        (lambda w: w.shade(4, 1.5), "whole number"),
    ],
)
def test_bad_shading_is_refused_clearly_and_changes_nothing(call, words):
    wall = FractionWall()
    wall.shade(4, 2)
    before = wall.snapshot()
    with pytest.raises(ValueError, match=words):
        call(wall)
    assert wall.snapshot() == before


@pytest.mark.parametrize(
    "rows, words",
    [
        ((), "from 1 to 12 rows"),
        (range(1, 14), "from 1 to 12 rows"),
        ((2, 2), "a row is given twice"),
        ((0,), "from 1 to 24"),
        ((25,), "from 1 to 24"),
        ((True,), "from 1 to 24"),
        (("2",), "from 1 to 24"),
        ("12", "must be a list"),
        (5, "must be a list"),
    ],
)
def test_bad_rows_are_refused_clearly(rows, words):
    with pytest.raises(ValueError, match=words):
        FractionWall(rows=rows)


def test_new_rows_rebuild_the_wall_and_keep_the_shading_of_rows_that_stay():
    wall = FractionWall(rows=(2, 3, 6))
    wall.shade(2, 1)
    wall.shade(3, 2)
    wall.rows = [2, 4, 6]
    assert wall.shaded == {2: Fraction(1, 2), 4: 0, 6: 0}
    assert len(wall.pieces) == 12 and wall.height == FractionWall(rows=(2, 4, 6)).height
    assert FractionWall.from_snapshot(wall.snapshot()).snapshot() == wall.snapshot()
    browser_action(wall, {"action": "reset"})
    assert wall.message == "" and wall.snapshot() == FractionWall(rows=(2, 4, 6)).snapshot()


# --- snapshots and pictures ---------------------------------------------------------------------


@pytest.mark.parametrize("rows", [DEFAULT_ROWS, (1,), (24, 7, 3), tuple(range(1, 13))])
def test_snapshot_round_trips_exactly_as_plain_json(rows):
    wall = FractionWall(rows=rows, name="wall")
    rng = random.Random(sum(rows))
    for p in rng.sample(wall.pieces, len(wall.pieces) // 2):  # shading anywhere, not only from the left
        browser_action(wall, {"action": "tap", "id": p["id"]})
    snap = json.loads(json.dumps(wall.snapshot()))
    assert snap["widget"] == "FractionWall" and snap["rows"] == list(rows) and snap["name"] == "wall"
    again = FractionWall.from_snapshot(snap)
    assert again.snapshot() == snap
    assert again.shaded == wall.shaded and again.readout == wall.readout and again.looks == wall.looks


@pytest.mark.parametrize(
    "change, words",
    [
        (lambda s: s.update(widget="Counters"), "not a snapshot of a FractionWall"),
        (lambda s: s["pieces"].pop(), "keeps every part"),
        (lambda s: s.update(rows=[2, 2]), "given twice"),
        (lambda s: s["pieces"][0].update(shaded="yes"), "shaded must be true or false"),
        (lambda s: s["pieces"][0].update(row=30), "row must be a whole number from 1 to 24"),
    ],
)
def test_bad_snapshots_are_refused(change, words):
    snap = FractionWall(rows=(2, 4)).snapshot()
    change(snap)
    with pytest.raises(ValueError, match=words):
        FractionWall.from_snapshot(snap)


def test_static_svg_shows_every_part_the_shading_and_the_readout():
    wall = FractionWall()
    wall.shade(2, 1)
    wall.shade(4, 2)
    svg = wall.to_svg()
    assert svg.count('class="fw-part shaded"') == 3
    assert svg.count('class="fw-part"') == sum(DEFAULT_ROWS) - 3
    assert svg.count('class="fw-hatch"') == 3
    assert "1/2 = 2/4" in svg and 'aria-label="FractionWall board: Shaded: 1 half equals 2 quarters."' in svg
    assert re.search(r"<text[^>]*>12</text>", svg), "the twelfths are labelled"
    bundle, _ = wall._repr_mimebundle_()
    assert bundle["image/svg+xml"] == svg


def test_shade_equal_reads_an_authors_decimal_exactly():
    wall = FractionWall(rows=(2, 10))
    wall.shade_equal(0.3)  # exactly 3/10, never a float's near miss
    assert wall.shaded == {2: 0, 10: Fraction(3, 10)}
    with pytest.raises(Refused, match="No row of this wall can show 1/3"):
        wall.shade_equal(Fraction(1, 3))
