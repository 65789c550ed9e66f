"""NumberLine: ticks that fit, points that snap, jumps that land where arithmetic says, and hostile input."""

from __future__ import annotations

import copy
import json
import random
import re
from fractions import Fraction
from itertools import pairwise
from pathlib import Path

import pytest
from traitlets import TraitError

from widgets import NumberLine

MINUS = "\u2212"
CSS = (Path(__file__).resolve().parent.parent / "widgets" / "static" / "number_line.css").read_text()


def from_browser(line: NumberLine, pieces) -> None:
    """A state update exactly as the comm handler receives it from the page."""
    line._handle_msg({"content": {"data": {"method": "update", "state": {"pieces": pieces}}}, "buffers": []})


def custom(line: NumberLine, content) -> None:
    line._handle_msg({"content": {"data": {"method": "custom", "content": content}}, "buffers": []})


def numbers(line: NumberLine) -> list[tuple[str, float]]:
    """The numbers drawn under the line, left to right, as (text, x): read from the picture itself."""
    found = []

    def walk(node, numbered=False):
        numbered = numbered or "nl-numbers" in node.get("class", "")
        if node["shape"] == "text" and numbered:
            found.append((node["text"], node.get("x", 0)))
        for child in node.get("children", []):
            walk(child, numbered)

    for shape in line.backdrop:
        walk(shape)
    return sorted(found, key=lambda n: n[1])


def tick_xs(line: NumberLine) -> list[float]:
    xs = []

    def walk(node, ticks=False):
        ticks = ticks or node.get("class", "") == "nl-ticks"
        if node["shape"] == "line" and ticks:
            xs.append(node["x1"])
        for child in node.get("children", []):
            walk(child, ticks)

    for shape in line.backdrop:
        walk(shape)
    return sorted(xs)


def value_of(text: str) -> Fraction:
    return Fraction(text.replace(MINUS, "-"))


def point(line: NumberLine, n: int = 0) -> dict:
    return [p for p in line.pieces if p["kind"] == "point"][n]


# --- the ticks and numbers --------------------------------------------------------------------------

# How wide a number is drawn, from its font size in the stylesheet and the widest glyphs of a bold
# sans (measured in DejaVu Sans Bold: digits 0.696 em, the minus sign 0.838 em). The browser test
# measures the real text.
FONT = float(re.search(r"\.nl-numbers text \{[^}]*font: 700 (\d+)px", CSS).group(1))


def drawn_width(text: str) -> float:
    return sum(0.838 if c == MINUS else 0.696 if c.isdigit() else 0.45 for c in text) * FONT


@pytest.mark.parametrize(
    "args",
    [
        (0, 10),
        (-10, 10),
        (-20, 20),
        (0, 100),
        (0, 1000),
        (-1000, 1000),
        (0, 100_000),
        (-1_000_000, 1_000_000, 5),
        (0, 1, Fraction(1, 4)),
        (0, 3, Fraction(1, 12)),
        (-2, 2, Fraction(1, 3)),
        (0, 1, 0.1),
        (0, 10, 0.25),
        (-5, 5, 0.01),
        (0.5, 40.5),
        (Fraction(1, 3), Fraction(100, 3), Fraction(1, 3)),
    ],
)
def test_numbers_never_overlap_and_ticks_thin_out(args):
    line = NumberLine(*args)
    shown = numbers(line)
    assert len(shown) >= 2, "a line shows at least two numbers"
    for (a, xa), (b, xb) in pairwise(shown):
        assert xb - xa >= (drawn_width(a) + drawn_width(b)) / 2 + 4, f"{a} and {b} overlap"
    xs = tick_xs(line)
    assert len(xs) <= 200 and min(b - a for a, b in pairwise(xs)) >= 8, "ticks a pupil can tell apart"
    for _, x in shown:  # every number sits on a tick, and the numbers go up evenly
        assert min(abs(x - t) for t in xs) < 0.01
    values = [value_of(t) for t, _ in shown]
    assert len({b - a for a, b in pairwise(values)}) == 1
    start, end = (Fraction(str(v)) if isinstance(v, float) else Fraction(v) for v in args[:2])
    assert start <= values[0] and values[-1] <= end


def test_every_step_is_numbered_when_there_is_room_and_a_tick_when_there_is_not():
    line = NumberLine(-8, 8)
    assert [value_of(t) for t, _ in numbers(line)] == list(range(-8, 9))
    assert line.ticks == list(range(-8, 9))
    wider = NumberLine(-10, 10)  # "−10" is too wide to number every step at this size
    assert wider.ticks == list(range(-10, 11, 2)) and len(tick_xs(wider)) == 21


def test_fractions_and_decimals_print_as_written():
    assert [t for t, _ in numbers(NumberLine(0, 1, Fraction(1, 4)))] == ["0", "1/4", "1/2", "3/4", "1"]
    assert [t for t, _ in numbers(NumberLine(0, 0.5, 0.1))] == ["0", "0.1", "0.2", "0.3", "0.4", "0.5"]
    assert [t for t, _ in numbers(NumberLine(-1, 0, 0.25))][:2] == [f"{MINUS}1", f"{MINUS}0.75"]


def test_a_mixed_number_line_prints_fractions_beyond_one_as_mixed_numbers():
    """Adding mixed numbers: the line reads 1 1/2, not 3/2, on its ticks, its jumps and its readout."""
    line = NumberLine(0, 3, Fraction(1, 2), mixed=True)
    assert [t for t, _ in numbers(line)] == ["0", "1/2", "1", "1 1/2", "2", "2 1/2", "3"]
    line.jump(Fraction(3, 4) + 1, Fraction(3, 4))
    assert line.readout["headline"] == "1 3/4 + 3/4 = 2 1/2"
    again = NumberLine.from_snapshot(line.snapshot())
    assert again.mixed and again.readout == line.readout and again.to_svg() == line.to_svg()
    assert [t for t, _ in numbers(NumberLine(0, 3, Fraction(1, 2)))][3] == "3/2"  # as before, unless asked
    with pytest.raises(ValueError, match="no mixed numbers"):
        NumberLine(0, 1.5, 0.5, mixed=True)


def test_a_long_line_numbers_round_values():
    shown = [value_of(t) for t, _ in numbers(NumberLine(0, 1000))]
    gap = shown[1] - shown[0]
    assert shown[0] == 0 and gap > 1 and all(v % gap == 0 for v in shown)


def test_zooming_shows_the_steps_again():
    line = NumberLine(0, 1000)
    assert Fraction(37) not in [value_of(t) for t, _ in numbers(line)]
    line.zoom(30, 40)
    assert [value_of(t) for t, _ in numbers(line)] == list(range(30, 41))
    line.zoom()
    assert line.view == [[0, 1], [1000, 1]]


# --- marks and jumps ---------------------------------------------------------------------------------


def test_jumps_land_where_arithmetic_says():
    rng = random.Random(16)
    lines = {den: NumberLine(-20, 20, Fraction(1, den)) for den in (1, 2, 3, 4, 10)}
    for _ in range(200):
        den = rng.choice(list(lines))
        line = lines[den]
        line.clear()
        a = Fraction(rng.randint(-20 * den, 20 * den), den)
        by = Fraction(rng.randint(-10 * den, 10 * den), den) or Fraction(1)
        if not -20 <= a + by <= 20:
            with pytest.raises(ValueError, match="off the line"):
                line.jump(a, by)
            continue
        assert line.jump(a, by) == a + by
        assert line.jumps[-1] == (a, by, a + by)


def test_a_chain_of_jumps_reads_as_its_calculation():
    line = NumberLine(-10, 10)
    assert line.jump(-3, 5) == 2
    assert line.readout["headline"] == f"{MINUS}3 + 5 = 2"
    assert line.jump(2, -6) == -4
    assert line.readout["headline"] == f"{MINUS}3 + 5 {MINUS} 6 = {MINUS}4"
    line.jump(0, 1)  # starts somewhere else: a new chain, and the readout shows it
    assert line.readout["headline"] == "0 + 1 = 1"
    assert [f[1] for f in line.readout["facts"] if f[0] == "jumps"] == [
        f"{MINUS}3 + 5 {MINUS} 6 = {MINUS}4",
        "0 + 1 = 1",
    ]


def test_fraction_and_decimal_jumps_stay_exact():
    line = NumberLine(0, 2, Fraction(1, 4))
    assert line.jump(Fraction(1, 4), Fraction(1, 2)) == Fraction(3, 4)
    assert line.readout["headline"] == "1/4 + 1/2 = 3/4"
    tenths = NumberLine(0, 1, 0.1)
    assert tenths.jump(0.1, 0.2) == Fraction(3, 10)  # never 0.30000000000000004
    assert tenths.readout["headline"] == "0.1 + 0.2 = 0.3"


def test_two_points_read_as_their_difference():
    line = NumberLine(-10, 10)
    line.mark(-3, "A")
    line.mark(5)
    assert line.marks == [(-3, "A"), (5, None)]
    assert line.readout["headline"] == f"5 {MINUS} ({MINUS}3) = 8"
    assert ["from \u22123 to 5", f"5 {MINUS} ({MINUS}3) = 8"] in line.readout["facts"]


def test_marks_take_numbers_as_authors_and_pupils_write_them():
    line = NumberLine(-1, 1, Fraction(1, 4))
    line.mark("-3/4")
    line.mark(0.5)
    line.mark(Fraction(1, 4))
    assert [m.value for m in line.marks] == [Fraction(-3, 4), Fraction(1, 2), Fraction(1, 4)]
    with pytest.raises(ValueError, match="off the line"):
        line.mark(2)
    with pytest.raises(ValueError, match="write a number"):
        line.mark("three")


@pytest.mark.parametrize(
    ("call", "says"),
    [
        (lambda: NumberLine(5, 5), "greater than the start"),
        (lambda: NumberLine(0, 10, 0), "greater than 0"),
        (lambda: NumberLine(0, 10, -1), "greater than 0"),
        (lambda: NumberLine(0, 10**8, Fraction(1, 100)), "at most"),
        (lambda: NumberLine(0, float("nan")), "finite"),
        (lambda: NumberLine(0, True), "a number must be"),
    ],
)
def test_a_line_that_cannot_be_drawn_is_refused_clearly(call, says):
    with pytest.raises(ValueError, match=says):
        call()


# --- the hand: a point dropped snaps to the nearest tick; arrows move tick by tick --------------


def test_a_dropped_point_snaps_to_the_nearest_tick_and_the_readout_follows():
    line = NumberLine(-8, 8)
    line.mark(-3)
    line.mark(5)
    x_of = dict(numbers(line))
    pieces = copy.deepcopy(line.pieces)
    pieces[1]["x"] = x_of["2"] + 0.3 * (x_of["3"] - x_of["2"])  # nearer 2 than 3
    from_browser(line, pieces)
    assert line.message == ""
    assert point(line, 1)["value"] == [2, 1] and point(line, 1)["x"] == x_of["2"]
    assert line.readout["headline"] == f"2 {MINUS} ({MINUS}3) = 5"


def test_a_point_dropped_beyond_the_ends_stays_on_the_line():
    line = NumberLine(0, 10)
    line.mark(5)
    pieces = copy.deepcopy(line.pieces)
    pieces[0]["x"] = line.width - 1
    from_browser(line, pieces)
    assert line.marks[0].value == 10


def test_an_arrow_key_moves_a_point_one_tick():
    line = NumberLine(0, 1, Fraction(1, 10))
    line.mark(0.5)
    for dx, expect in ((1, Fraction(6, 10)), (-1, Fraction(5, 10)), (-3, Fraction(4, 10))):
        pieces = copy.deepcopy(line.pieces)
        pieces[0]["x"] = round(pieces[0]["x"] + dx)  # the engine's arrow moves a whole unit (Shift: three)
        from_browser(line, pieces)
        assert line.marks[0].value == expect


def test_a_jump_drawn_by_the_hand_lands_on_the_nearest_tick():
    line = NumberLine(-10, 10)
    line.mark(-3)
    x_of = dict(numbers(line))
    custom(line, {"action": "jump_to", "id": point(line)["id"], "x": x_of["2"] + 4.5})
    assert line.message == ""
    assert line.jumps == [(-3, 5, 2)]
    assert line.readout["headline"] == f"{MINUS}3 + 5 = 2"
    jump = next(p for p in line.pieces if p["kind"] == "jump")
    custom(line, {"action": "jump_to", "id": jump["id"], "x": x_of["0"]})  # from the end of a jump: a chain
    assert line.readout["headline"] == f"{MINUS}3 + 5 {MINUS} 2 = 0"


def test_toolbar_marks_jumps_and_zooms_with_the_pupils_words():
    line = NumberLine(-10, 10)
    custom(line, {"action": "mark", "text": " \u22124 "})
    assert line.marks == [(-4, None)] and line.message == ""
    custom(line, {"action": "jump", "ids": [point(line)["id"]], "by": "7"})
    assert line.jumps == [(-4, 7, 3)]
    custom(line, {"action": "zoom_in", "ids": [point(line)["id"]]})
    lo, hi = (Fraction(*v) for v in line.view)
    assert lo <= -4 <= hi and hi - lo == 10
    custom(line, {"action": "pan", "by": 1})
    assert [Fraction(*v) for v in line.view] == [lo + 5, hi + 5]
    custom(line, {"action": "zoom_out"})
    custom(line, {"action": "zoom_out"})
    assert line.view == [[-10, 1], [10, 1]]


@pytest.mark.parametrize(
    ("content", "says"),
    [
        ({"action": "mark", "text": "three"}, "write a number"),
        ({"action": "mark", "text": "11"}, "off the line"),
        ({"action": "mark", "text": "1/0"}, "0 on the bottom"),
        ({"action": "jump", "ids": ["p1"], "by": "0"}, "goes nowhere"),
        ({"action": "jump", "ids": ["p1"], "by": "20"}, "off the line"),
        ({"action": "jump", "ids": ["nope"], "by": "2"}, "Jump from a point"),
        ({"action": "jump", "ids": [], "by": "2"}, "Jump from a point"),
        ({"action": "jump_to", "id": "p1", "x": 1e308}, ""),
        ({"action": "jump_to", "id": "p1", "x": "5"}, "details"),
        ({"action": "pan", "by": 2}, "left or to the right"),
        ({"action": "pan", "by": 1}, "end of the line"),
        ({"action": "zoom_out"}, "whole line is showing"),
        ({"action": "zoom_in", "ids": ["p1", "p1"]}, "one point"),
        ({"action": "zoom", "start": 0}, "not one this widget knows"),
    ],
)
def test_hostile_actions_are_refused_whole(content, says):
    line = NumberLine(-10, 10)
    line.mark(3)
    before = line.snapshot()
    custom(line, content)
    if content.get("x") == 1e308:
        assert line.jumps == [(3, 7, 10)]  # as far as the line goes, whatever the page says
        return
    assert line.message and says in line.message
    assert line.snapshot() == before


@pytest.mark.parametrize(
    ("change", "says"),
    [
        (lambda p: p | {"value": [2, 4]}, "lowest terms"),
        (lambda p: p | {"value": [99, 1]}, "off the line"),
        (lambda p: p | {"value": 3}, "numerator, denominator"),
        (lambda p: p | {"value": [True, 1]}, "numerator, denominator"),
        (lambda p: p | {"value": [1, 0]}, "denominator from 1"),
        (lambda p: p | {"kind": "jump"}, "fields"),
        (
            lambda p: {"id": "j", "kind": "jump", "x": 1, "y": 1, "start": [0, 1], "by": [0, 1], "w": 1, "h": 1},
            "go somewhere",
        ),
    ],
)
def test_hostile_pieces_are_refused_whole(change, says):
    line = NumberLine(-10, 10)
    line.mark(3)
    before = line.snapshot()
    pieces = [change(copy.deepcopy(p)) for p in line.pieces]
    if says == "fields":
        pieces[0].pop("value")
    from_browser(line, pieces)
    assert line.message and (says in line.message or says == "fields")
    assert line.snapshot() == before


# --- snapshot and picture ----------------------------------------------------------------------------


def test_snapshot_round_trips_exactly():
    line = NumberLine(-2, 2, Fraction(1, 4), name="fractions")
    line.mark(Fraction(-3, 4), "A")
    line.jump(Fraction(-3, 4), Fraction(5, 4))
    line.jump(Fraction(1, 2), -1)
    line.zoom(-1, 1)
    snap = json.loads(json.dumps(line.snapshot()))
    again = NumberLine.from_snapshot(snap)
    assert again.snapshot() == snap
    assert again.readout == line.readout and again.looks == line.looks and again.backdrop == line.backdrop
    assert again.marks == line.marks and again.jumps == line.jumps


@pytest.mark.parametrize(
    ("change", "says"),
    [
        ({"view": [[0, 1], [99, 1]]}, "part of the line"),
        ({"view": [[1, 1], [1, 1]]}, "part of the line"),
        ({"step": [0, 1]}, "goes up"),
        ({"start": [20, 1]}, "goes up"),
        ({"end": "10"}, "numerator, denominator"),
        ({"decimals": "yes"}, "boolean"),
    ],
)
def test_bad_snapshots_are_refused(change, says):
    snap = {**NumberLine(-10, 10).snapshot(), **change}
    with pytest.raises((ValueError, TraitError), match=says):
        NumberLine.from_snapshot(snap)


def test_static_svg_draws_the_line_the_points_and_the_sum():
    line = NumberLine(-5, 5)
    line.mark(-3, "<script>alert(1)</script>")
    line.jump(-3, 5)
    svg = line.to_svg()
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert svg.count('class="nl-point"') == 1 and svg.count("nl-jump nl-forward") == 1
    assert f"{MINUS}3 + 5 = 2" in svg and 'class="mn-board nl-board"' in svg
    assert ">+5<" in svg  # the jump says how far it goes


def test_a_point_out_of_view_waits_at_the_nearer_end():
    line = NumberLine(0, 100)
    line.mark(90)
    line.zoom(0, 20)
    assert point(line)["x"] == max(x for _, x in numbers(line))
    assert "nl-off" in json.dumps(line.looks)
    line.zoom()
    assert "nl-off" not in json.dumps(line.looks)


def test_an_arc_over_another_climbs_above_it_so_their_amounts_stay_apart():
    line = NumberLine(0, 2, Fraction(1, 4))
    line.jump(Fraction(1, 4), Fraction(3, 4))
    line.jump(1, Fraction(-1, 2))  # shorter, over part of the first: it must still clear it
    line.jump(Fraction(3, 2), Fraction(1, 4))  # apart from both: it stays low
    first, second, apart = (p["h"] for p in line.pieces)
    font = float(re.search(r"\.nl-jump-label \{[^}]*font-size: (\d+)px", CSS).group(1))
    assert second >= first + font, "the amount over the higher arc clears the one under it"
    assert apart < second
    assert all(p["y"] - p["h"] / 2 - font >= 0 for p in line.pieces), "every amount is on the board"


def test_reset_goes_back_to_what_the_author_set_up_before_the_line_was_shown():
    line = NumberLine(-10, 10)
    line.mark(-3)
    line.jump(-3, 5)
    assert line.model_id  # shown: from here on, changes are the pupils'
    custom(line, {"action": "mark", "text": "7"})
    custom(line, {"action": "jump", "ids": [point(line)["id"]], "by": "2"})
    assert len(line.marks) == 2 and len(line.jumps) == 2
    custom(line, {"action": "reset"})
    assert line.marks == [(-3, None)] and line.jumps == [(-3, 5, 2)]
