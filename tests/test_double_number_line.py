"""DoubleNumberLine: partners in proportion, exactly; the readout's multipliers; the hand; hostile input."""

from __future__ import annotations

import copy
import json
import random
from decimal import Decimal
from fractions import Fraction
from itertools import pairwise

import pytest

from widgets import DoubleNumberLine

MINUS = "\u2212"


def from_browser(board: DoubleNumberLine, pieces) -> None:
    """A state update exactly as the comm handler receives it from the page."""
    board._handle_msg({"content": {"data": {"method": "update", "state": {"pieces": pieces}}}, "buffers": []})


def custom(board: DoubleNumberLine, content) -> None:
    board._handle_msg({"content": {"data": {"method": "custom", "content": content}}, "buffers": []})


def recipe() -> DoubleNumberLine:
    return DoubleNumberLine(("flour (g)", "people"), (300, 4))


def numbers(board: DoubleNumberLine, line: str) -> list[tuple[str, float]]:
    """The numbers drawn along one line, left to right, as (text, x): read from the picture itself."""
    found = []

    def walk(node, inside=False, numbered=False):
        inside = inside or f"dnl-{line}" in node.get("class", "").split()
        numbered = numbered or "nl-numbers" in node.get("class", "")
        if node["shape"] == "text" and inside and numbered:
            found.append((node["text"], node.get("x", 0)))
        for child in node.get("children", []):
            walk(child, inside, numbered)

    for shape in board.backdrop:
        walk(shape)
    return sorted(found, key=lambda n: n[1])


def dot(board: DoubleNumberLine, line: str, link: int) -> dict:
    return next(p for p in board.pieces if p["kind"] == line and p["link"] == link)


def drawn_width(text: str) -> float:
    """How wide a number is drawn at the numbers' 32 px (DejaVu Sans Bold: digits 0.696 em, the minus 0.838)."""
    return sum(0.838 if c == MINUS else 0.696 if c.isdigit() else 0.45 for c in text) * 32


def value(text: str) -> Fraction:
    return Fraction(text.replace(MINUS, "-"))


# --- the mathematics: partners in proportion, exactly ----------------------------------------------


def test_the_partner_of_any_value_is_in_proportion_exactly():
    rng = random.Random(16)
    for _ in range(100):
        top = Fraction(rng.randint(1, 1000), rng.choice([1, 2, 3, 4, 10]))
        bottom = Fraction(rng.randint(1, 50), rng.choice([1, 2, 5, 7]))
        board = DoubleNumberLine(("a", "b"), (top, bottom))
        given = Fraction(rng.randint(0, 500), rng.choice([1, 3, 10]))
        # the same ratio, computed the other way: top × given = partner × bottom
        assert board.value_for(bottom=given) * bottom == top * given
        assert board.value_for(top=given) * top == bottom * given
        assert board.multiplier * bottom == top


def test_decimals_stay_exact_and_print_as_decimals():
    board = DoubleNumberLine(("cost (£)", "mass (kg)"), (0.3, 0.2))
    assert board.value_for(bottom=0.1) == Fraction(3, 20)  # 0.15, never 0.15000000000000002
    assert board.value_for(top=Decimal("0.6")) == Fraction(2, 5)
    assert board.add(bottom=0.1) == Fraction(3, 20)
    assert board.readout["headline"] == "mass × 1.5 = cost"
    assert ["unitary step", "1 kg : £1.50"] in board.readout["facts"]  # money shows its pence
    assert board.pairs[-1] == (Fraction(3, 20), Fraction(1, 10))


def test_the_readout_shows_the_multipliers_between_and_within_and_the_unitary_step():
    board = recipe()
    assert board.add(bottom=6) == 450
    readout = board.readout
    assert readout["headline"] == "people × 75 = flour"
    assert ["between the lines", "flour ÷ 75 = people"] in readout["facts"]
    assert ["unitary step", "1 person : 75 g"] in readout["facts"]
    assert ["within the lines", "from 4 to 6 people is × 1.5, so 300 g × 1.5 = 450 g"] in readout["facts"]
    assert board.pairs == [(300, 4), (450, 6)]


def test_a_multiplier_below_one_reads_as_a_division_or_a_fraction():
    board = DoubleNumberLine(("people", "flour (g)"), (4, 300))
    assert board.readout["headline"] == "flour ÷ 75 = people"
    assert ["unitary step", "75 g : 1 person"] in board.readout["facts"]
    thirds = DoubleNumberLine(("x", "y"), (Fraction(2), Fraction(3)))
    assert thirds.readout["headline"] == "y × 2/3 = x"  # a fraction, never 0.666...
    assert ["between the lines", "x × 3/2 = y"] in thirds.readout["facts"]
    assert thirds.value_for(bottom=1) == Fraction(2, 3)


def test_amounts_read_as_a_textbook_writes_them():
    walk = DoubleNumberLine(("distance (km)", "time (hours)"), (5, 2))
    assert ["unitary step", "1 hour : 2.5 km"] in walk.readout["facts"]
    walk.add(bottom=3)
    assert "7.5 km with 3 hours" in walk.readout["words"]
    shop = DoubleNumberLine(("eggs", "cost ($)"), (6, 1.5))  # the unit on the line whose partner is whole
    assert ["unitary step", "$1 : 4 eggs"] in shop.readout["facts"]
    shop.add(top=1)
    assert "1 egg with $0.25" in shop.readout["words"]


def test_values_are_read_as_authors_and_pupils_write_them():
    board = recipe()
    assert board.value_for(bottom="2.5") == Fraction(375, 2)
    assert board.value_for(top=Fraction(75, 2)) == Fraction(1, 2)
    with pytest.raises(ValueError, match="one value"):
        board.value_for(top=1, bottom=2)
    with pytest.raises(ValueError, match="one value"):
        board.add()
    with pytest.raises(ValueError, match="below 0"):
        board.add(top=-5)
    with pytest.raises(ValueError, match="write a number"):
        board.add(bottom="six")


@pytest.mark.parametrize(
    ("call", "says"),
    [
        (lambda: DoubleNumberLine(("a",), (1, 2)), "two names"),
        (lambda: DoubleNumberLine("ab", (1, 2)), "two names"),
        (lambda: DoubleNumberLine(("a", "b\nc"), (1, 2)), "one line"),
        (lambda: DoubleNumberLine(("a", "x" * 21), (1, 2)), "1 to 20 characters"),
        (lambda: DoubleNumberLine(("a", "b"), (0, 2)), "greater than 0"),
        (lambda: DoubleNumberLine(("a", "b"), (3, -2)), "greater than 0"),
        (lambda: DoubleNumberLine(("a", "b"), (3,)), "two values"),
        (lambda: DoubleNumberLine(("a", "b"), (float("nan"), 1)), "finite"),
        (lambda: DoubleNumberLine(("a", "b"), (1, 2), view="pie"), "lines"),
    ],
)
def test_lines_that_cannot_be_drawn_are_refused_clearly(call, says):
    with pytest.raises(ValueError, match=says):
        call()


# --- the picture: two lines from one 0, each with the number line's ticks ------------------------


def test_both_lines_start_at_0_together_and_pairs_stand_one_over_the_other():
    board = recipe()
    board.add(bottom=6)
    top, bottom = numbers(board, "top"), numbers(board, "bottom")
    assert top[0] == ("0", bottom[0][1]), "both lines start at 0 at the same place"
    for link in (0, 1):
        assert dot(board, "top", link)["x"] == dot(board, "bottom", link)["x"]
        assert dot(board, "top", link)["y"] < dot(board, "bottom", link)["y"]
    # every numbered tick of one line sits where its partner would on the other
    x_of_top = {value(t): x for t, x in top}
    for t, x in bottom:
        partner = value(t) * board.multiplier
        if partner in x_of_top:
            assert x_of_top[partner] == pytest.approx(x, abs=0.02)


@pytest.mark.parametrize("pair", [(300, 4), (5, 3), (0.25, 10), (1200, 0.5), (Fraction(3, 4), 6), (99999, 7)])
def test_the_numbers_on_each_line_go_up_evenly_and_never_crowd(pair):
    board = DoubleNumberLine(("top (m)", "bottom (s)"), pair)
    for line in ("top", "bottom"):
        shown = numbers(board, line)
        assert len(shown) >= 3
        steps = {value(b) - value(a) for (a, _), (b, _) in pairwise(shown)}
        assert len(steps) == 1, f"{line}: the numbers go up in equal steps"
        for (a, xa), (b, xb) in pairwise(shown):
            assert xb - xa >= (drawn_width(a) + drawn_width(b)) / 2 + 4, f"{a} and {b} overlap"


def test_a_fine_value_on_a_long_line_still_draws_ticks_a_pupil_can_tell_apart():
    board = DoubleNumberLine(("a", "b"), (Fraction(999_999_999, 1_000_000), 1))
    board.add(bottom=10**6)
    for line in ("top", "bottom"):
        assert 3 <= len(numbers(board, line)) <= 20
    assert json.dumps(board.backdrop).count('"shape": "line"') < 500, "ticks a pupil can tell apart"


def test_names_beside_the_lines_are_drawn_as_text():
    board = DoubleNumberLine(("<b>cost</b> (£)", "items"), (5, 2))
    svg = board.to_svg()
    assert "&lt;b&gt;cost&lt;/b&gt; (£)" in svg and "<b>" not in svg
    assert ">items</text>" in svg


def test_the_lines_reach_past_every_point_added():
    board = recipe()
    board.add(bottom=40)
    last = numbers(board, "bottom")[-1]
    assert value(last[0]) >= 40 and dot(board, "bottom", 1)["x"] <= last[1] + 1


# --- the hand: a dot dropped on its line snaps to that line's tick; Python places its partner -------


def test_a_dot_dragged_along_the_bottom_line_snaps_and_its_partner_follows():
    board = recipe()
    board.add(bottom=1)
    x_of = dict(numbers(board, "bottom"))
    pieces = copy.deepcopy(board.pieces)
    moved = next(p for p in pieces if p["kind"] == "bottom" and p["link"] == 1)
    moved["x"] = x_of["6"] + 0.3 * (x_of["7"] - x_of["6"])
    moved["y"] += 25  # a hand wobbles
    from_browser(board, pieces)
    assert board.message == ""
    assert board.pairs[1] == (board.value_for(bottom=6), 6)
    assert dot(board, "bottom", 1)["x"] == x_of["6"] == dot(board, "top", 1)["x"]


def test_a_dot_dragged_along_the_top_line_snaps_to_a_top_tick_and_its_partner_is_exact():
    board = recipe()
    board.add(bottom=1)
    x_of = dict(numbers(board, "top"))
    pieces = copy.deepcopy(board.pieces)
    next(p for p in pieces if p["kind"] == "top" and p["link"] == 1)["x"] = x_of["500"] + 2
    from_browser(board, pieces)
    assert board.pairs[1] == (500, board.value_for(top=500))
    assert board.value_for(top=500) == Fraction(20, 3)
    assert "500 g with 20/3 people" in board.readout["words"]


def test_an_arrow_key_moves_a_dot_one_tick_of_its_line():
    board = recipe()
    board.add(bottom=2)
    for line, dx in (("bottom", 1), ("bottom", -3), ("top", 1)):
        before = board.pairs[1]
        pieces = copy.deepcopy(board.pieces)
        moved = next(p for p in pieces if p["kind"] == line and p["link"] == 1)
        moved["x"] = round(moved["x"] + dx)  # the engine's arrow moves a whole unit (Shift: three)
        from_browser(board, pieces)
        after = board.pairs[1]
        changed = getattr(after, line) - getattr(before, line)
        assert changed * dx > 0, f"{line} moved the way the arrow points"
        assert after.top == board.value_for(bottom=after.bottom)
    # one person up, one back down, then a step of the flour line: finer than a person's worth
    start = board.value_for(bottom=2)
    assert start < board.pairs[1].top < start + board.multiplier / 2


def test_the_given_pair_stays_where_it_is():
    board = recipe()
    pieces = copy.deepcopy(board.pieces)
    pieces[0]["x"] += 200
    from_browser(board, pieces)
    assert board.pairs == [(300, 4)] and board.pieces[0]["x"] == dot(board, "bottom", 0)["x"]
    from_browser(board, [p for p in board.pieces if p["kind"] == "bottom"])
    assert "given pair stays" in board.message and board.pairs == [(300, 4)]


def test_removing_one_dot_of_a_point_takes_its_partner_too():
    board = recipe()
    board.add(bottom=6)
    board.add(bottom=2)
    from_browser(board, [p for p in board.pieces if p["id"] != dot(board, "top", 1)["id"]])
    assert board.message == ""
    assert board.pairs == [(300, 4), (150, 2)]


def test_the_toolbar_adds_a_typed_value_on_either_line():
    board = recipe()
    custom(board, {"action": "add_on", "line": "top", "text": " 600 "})
    custom(board, {"action": "add_on", "line": "bottom", "text": "2.5"})
    assert board.message == ""
    assert board.pairs[1:] == [(600, 8), (Fraction(375, 2), Fraction(5, 2))]
    within = "from 4 to 2.5 people is × 0.625, so 300 g × 0.625 = 187.5 g"
    assert ["within the lines", within] in board.readout["facts"]


@pytest.mark.parametrize(
    ("content", "says"),
    [
        ({"action": "add_on", "line": "top", "text": "lots"}, "write a number"),
        ({"action": "add_on", "line": "top", "text": f"{MINUS}3"}, "below 0"),
        ({"action": "add_on", "line": "side", "text": "3"}, "top line or the bottom line"),
        ({"action": "show", "view": "pie"}, "lines"),
    ],
)
def test_a_refused_action_says_why_and_keeps_the_board(content, says):
    board = recipe()
    before = board.snapshot()
    custom(board, content)
    assert says in board.message
    assert board.snapshot() == before


def test_the_lines_hold_a_ratio_tables_worth_of_pairs():
    board = recipe()
    for n in range(1, 12):
        board.add(bottom=n)
    with pytest.raises(ValueError, match="at most 12 pairs"):
        board.add(bottom=20)


@pytest.mark.parametrize(
    "tamper",
    [
        lambda ps: ps[2].update(value=[451, 1]),  # a top dot that no longer goes with its bottom dot
        lambda ps: ps[3].update(link=0),  # two dots on a line in one point
        lambda ps: ps[3].update(value=[-6, 1]),
        lambda ps: ps[0].update(value=[600, 1]) or ps[1].update(value=[8, 1]),  # the given pair moved
    ],
)
def test_pieces_that_break_the_proportion_are_refused_whole(tamper):
    board = recipe()
    board.add(bottom=6)
    before = board.snapshot()
    pieces = copy.deepcopy(board.pieces)
    tamper(pieces)
    from_browser(board, pieces)
    assert board.message and board.snapshot() == before


def test_the_page_cannot_rename_the_lines_or_change_the_pair():
    board = recipe()
    for trait, bad in (("names", ["a", "b"]), ("pair", [[1, 1], [1, 1]]), ("view", "table"), ("decimals", False)):
        board._handle_msg(
            {"content": {"data": {"method": "update", "state": {trait: bad}}}, "buffers": []},
        )
        assert board.message and getattr(board, trait) != bad


# --- the ratio table: the same pairs, in order --------------------------------------------------------


def test_the_table_view_shows_the_same_pairs_in_order_and_a_drag_goes_back():
    board = recipe()
    board.add(bottom=6)
    board.add(bottom=2)
    custom(board, {"action": "show", "view": "table"})
    assert board.view == "table" and board.message == ""
    tops = sorted((p for p in board.pieces if p["kind"] == "top"), key=lambda p: p["x"])
    assert [Fraction(*p["value"]) for p in tops] == [150, 300, 450]  # in order along the line
    cells = [look["shapes"][0] for look in board.looks]
    assert all(c["class"].startswith("dnl-cell") for c in cells)
    arrows = json.dumps(board.backdrop, ensure_ascii=False)
    assert "× 75" in arrows and "× 2" in arrows and "× 1.5" in arrows  # between the rows, and within
    pieces = copy.deepcopy(board.pieces)
    pieces[0]["x"] += 300
    from_browser(board, pieces)
    assert board.pairs == [(300, 4), (450, 6), (150, 2)] and board.pieces[0]["x"] == pieces[0]["x"] - 300
    custom(board, {"action": "show", "view": "lines"})
    assert dot(board, "top", 0)["y"] != dot(board, "bottom", 0)["y"]


# --- snapshots -------------------------------------------------------------------------------------


@pytest.mark.parametrize("view", ["lines", "table"])
def test_a_snapshot_comes_back_exactly(view):
    board = DoubleNumberLine(("distance (km)", "time (hours)"), (5, 3), view=view, name="walk")
    board.add(top=1)
    board.add(bottom=0.5)
    snap = json.loads(json.dumps(board.snapshot()))
    again = DoubleNumberLine.from_snapshot(snap)
    assert again.snapshot() == snap
    assert again.pairs == board.pairs and again.readout == board.readout and again.looks == board.looks
    assert again.to_svg() == board.to_svg()


def test_reset_goes_back_to_what_the_author_put_on_the_lines():
    board = recipe()
    board.add(bottom=8)
    start = board.snapshot()["pieces"]
    custom(board, {"action": "add_on", "line": "bottom", "text": "1"})
    custom(board, {"action": "reset"})
    assert board.snapshot()["pieces"] == start and board.pairs == [(300, 4), (600, 8)]


def test_an_undo_across_a_change_of_view_keeps_the_pairs():
    # The page's history holds the table's layout; undone on the lines, it is the same pairs, not a drag.
    board = recipe()
    board.add(bottom=6)
    board.add(top=100)
    pairs = board.pairs
    custom(board, {"action": "show", "view": "table"})
    as_table = copy.deepcopy(board.pieces)
    custom(board, {"action": "show", "view": "lines"})
    from_browser(board, as_table)
    assert board.message == "" and board.pairs == pairs
    assert dot(board, "top", 2)["x"] == dot(board, "bottom", 2)["x"]
