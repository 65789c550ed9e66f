"""Place value: the mathematics of the columns, then the board as a browser drives it."""

from __future__ import annotations

import copy
import json
import re
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from widgets import PlaceValue, Refused
from widgets.place_value import MOST_IN_COLUMN

NAMES = ["thousands", "hundreds", "tens", "ones", "tenths", "hundredths", "thousandths"]  # 10**3 down to 10**-3
EXACT = settings(derandomize=True, database=None, max_examples=120, deadline=None)


def browser_update(board, state):
    """Send a state update exactly as the front end does, through the comm message handler."""
    board._handle_msg({"content": {"data": {"method": "update", "state": state}}, "buffers": []})


def browser_action(board, content):
    board._handle_msg({"content": {"data": {"method": "custom", "content": content}}, "buffers": []})


def digits_of(text: str) -> dict[str, int]:
    """Each column's digit, read off the number written out to thousandths (as a pupil reads it)."""
    whole, _, part = f"{Decimal(text):09.3f}".partition(".")
    return dict(zip(NAMES, map(int, whole[-4:] + part), strict=True))


def worth(name: str) -> Decimal:
    return Decimal(10) ** (3 - NAMES.index(name))


def of_column(board, name):
    """The pieces standing in a column, by what a screen reader calls them."""
    return [p for p in board.pieces if board._piece_name(p).endswith(f"in the {name}")]


def dragged(board, ids, columns_right):
    """The pieces as the browser sends them after a drag of `ids` across some columns (the grid is a column)."""
    moved = [dict(p, x=p["x"] + columns_right * board.grid, y=p["y"] + 5) for p in board.pieces if p["id"] in ids]
    return [p for p in board.pieces if p["id"] not in ids] + moved


def headline_value(headline: str) -> Decimal:
    """The sum the headline states, worked out from its words: '3 hundreds + 4 tens + 12 ones' is 352."""
    terms, _, _ = headline.partition(" = ")
    total = Decimal(0)
    for term in terms.split(" + "):
        n, name = term.split(" ")
        total += int(n) * worth(name if name.endswith("s") else name + "s")
    return total


# --- the mathematics ------------------------------------------------------------------------------


@EXACT
@given(thousandths=st.integers(0, 9_999_999))
def test_a_number_is_shown_as_its_digits_and_read_back_exactly(thousandths):
    text = str(Decimal(thousandths) / 1000)
    board = PlaceValue(Decimal(text))
    digits = digits_of(text)
    shown = [name for name, _ in board.readout["facts"][:-1]]
    used = [i for i, n in enumerate(NAMES) if digits[n] or n == "ones"]
    assert shown == NAMES[min(used) : max(used) + 1], "a column for each place from the first digit to the last"
    assert [board.count(n) for n in shown] == [digits[n] for n in shown]
    assert board.value == Fraction(text)
    if thousandths:
        assert headline_value(board.readout["headline"]) == Decimal(text)


@EXACT
@given(
    thousandths=st.integers(0, 999_999),
    moves=st.lists(st.tuples(st.sampled_from(["exchange", "regroup"]), st.integers(0, 6)), max_size=12),
)
def test_exchanging_and_regrouping_never_change_the_value(thousandths, moves):
    text = str(Decimal(thousandths) / 1000)
    board = PlaceValue(text, columns=(1000, 100, 10, 1, 0.1, 0.01, 0.001))
    for what, column in moves:
        name = NAMES[column]
        before = {n: board.count(n) for n in NAMES}
        try:
            getattr(board, what)(name)
        except ValueError:
            assert board.count(name) == before[name], "a refused change changes nothing"
            continue
        after = {n: board.count(n) for n in NAMES}
        if what == "exchange":
            assert (after[name], after[NAMES[column + 1]]) == (before[name] - 1, before[NAMES[column + 1]] + 10)
        else:
            assert (after[name], after[NAMES[column - 1]]) == (before[name] - 10, before[NAMES[column - 1]] + 1)
    assert board.value == Fraction(text)
    if board.pieces:
        assert headline_value(board.readout["headline"]) == Decimal(text)
    assert board.readout["facts"][-1] == ["value", f"{Decimal(text):f}".rstrip("0").rstrip(".") or "0"]


def test_the_readout_says_each_column_as_a_textbook_does():
    board = PlaceValue(352)
    board.exchange("tens")
    assert board.readout["headline"] == "3 hundreds + 4 tens + 12 ones = 352"
    assert board.readout["words"] == "3 hundreds, 4 tens and 12 ones, worth 352"
    assert PlaceValue(111).readout["headline"] == "1 hundred + 1 ten + 1 one = 111"
    assert PlaceValue(0.101).readout["headline"] == "1 tenth + 1 thousandth = 0.101"
    assert PlaceValue(0).readout["headline"] == "0"


def test_decimals_add_exactly():
    board = PlaceValue(0.1)
    browser_action(board, {"action": "add", "text": "0.1"})
    browser_action(board, {"action": "add", "text": "tenths"})
    assert board.value == Fraction(3, 10) == Decimal("0.3")
    assert board.readout["headline"] == "3 tenths = 0.3"
    assert PlaceValue(Decimal("2.35")).value == Fraction(235, 100)
    assert PlaceValue(Fraction(7, 8)).value == Fraction(7, 8)  # 0.875: to thousandths exactly


def test_count_takes_a_column_by_name_or_by_place_value():
    board = PlaceValue(3.45)
    assert [board.count(c) for c in ("ones", "one", 1, "tenths", 0.1, Fraction(1, 10), Decimal("0.01"), "0.01")] == [
        3, 3, 3, 4, 4, 4, 5, 5,
    ]  # fmt: skip
    assert board.columns == [1, Fraction(1, 10), Fraction(1, 100)]
    with pytest.raises(ValueError, match="no column of tens"):
        board.count("tens")
    with pytest.raises(ValueError, match="named"):
        board.count(5)


@pytest.mark.parametrize(
    "number, columns, words",
    [
        (-3, None, "negative numbers are out of its scope"),
        ("−0.5", None, "negative numbers are out of its scope"),
        (10_000, None, "below 10000"),
        (0.0005, None, "round 0.0005 to three decimal places"),
        (Fraction(1, 3), None, "round 1/3 to three decimal places"),
        ("three", None, "write a number"),
        (True, None, "must be an int"),
        (352, (10, 1), "needs a column of hundreds"),
        (35, (100, 1), "next to one another"),
        (35, (100, 7), "not 7"),
        (35, "tens", "a list of places"),
        (1234.5, None, "at most 4 columns"),
    ],
)
def test_what_a_board_cannot_show_is_refused_with_the_fix(number, columns, words):
    style = "dienes" if number == 1234.5 else "counters"
    with pytest.raises(ValueError, match=words):
        PlaceValue(number, columns, style)


def test_a_style_is_counters_or_blocks():
    with pytest.raises(ValueError, match='"counters" or "dienes"'):
        PlaceValue(5, style="beads")


def test_an_author_may_give_more_columns_than_the_number_needs():
    board = PlaceValue(35, columns=("hundreds", "tens", "ones", "tenths"))
    assert board.columns == [100, 10, 1, Fraction(1, 10)]
    board.exchange("ones")
    assert board.readout["headline"] == "3 tens + 4 ones + 10 tenths = 35"


# --- the board's limits -----------------------------------------------------------------------------


def test_a_column_holds_at_most_thirty_and_says_how_to_go_on():
    board = PlaceValue(390)
    board.exchange("hundreds")
    board.exchange("hundreds")
    before = board.snapshot()
    with pytest.raises(Refused, match=f"tens would hold 39; a column holds at most {MOST_IN_COLUMN}.*regroup ten"):
        board.exchange("hundreds")
    assert board.snapshot() == before
    assert board.count("tens") == 29


def test_exchange_and_regroup_need_a_column_to_go_to_and_enough_to_give():
    board = PlaceValue(25)
    with pytest.raises(Refused, match="no column to the right of the ones: make the board with a column of tenths"):
        board.exchange("ones")
    with pytest.raises(Refused, match="2 tens on the board, not 10"):
        PlaceValue(125).regroup("tens")
    with pytest.raises(Refused, match="no column to the left of the tens"):
        PlaceValue(0.01, columns=(10, 1, 0.1, 0.01)).regroup(10)
    with pytest.raises(Refused, match="largest place"):
        PlaceValue(1000).regroup("thousands")
    empty = PlaceValue(5, columns=(10, 1))
    with pytest.raises(Refused, match="0 tens on the board, not 1"):
        empty.exchange("tens")


# --- the hand: drops, the toolbar, and what the browser may not do ---------------------------------


def test_a_counter_dragged_one_column_right_is_exchanged_for_ten():
    board = PlaceValue(352)
    hundred = of_column(board, "hundreds")[0]["id"]
    browser_update(board, {"pieces": dragged(board, {hundred}, 1)})
    assert board.message == ""
    assert board.readout["headline"] == "2 hundreds + 15 tens + 2 ones = 352"
    assert hundred not in {p["id"] for p in board.pieces}


def test_ten_counters_dragged_one_column_left_are_regrouped_into_one():
    board = PlaceValue(352)
    board.exchange("tens")
    ones = {p["id"] for p in of_column(board, "ones")[:10]}
    browser_update(board, {"pieces": dragged(board, ones, -1)})
    assert board.message == ""
    assert board.readout["headline"] == "3 hundreds + 5 tens + 2 ones = 352"


@pytest.mark.parametrize(
    "column, take, across, words",
    [
        ("ones", 7, -1, "Ten ones make one ten: regroup ten together \\(that was 7\\)"),
        ("hundreds", 1, 2, "one column at a time"),
        ("tens", 3, 1, "ones would hold 42; a column holds at most 30"),
    ],
)
def test_a_drop_that_is_not_an_exchange_or_a_regroup_is_refused_and_says_why(column, take, across, words):
    board = PlaceValue(352)
    board.exchange("tens")
    before = board.snapshot()
    ids = {p["id"] for p in of_column(board, column)[:take]}
    browser_update(board, {"pieces": dragged(board, ids, across)})
    assert re.search(words, board.message)
    assert board.snapshot() == before


def test_a_counter_dropped_in_its_own_column_goes_back_to_its_place():
    board = PlaceValue(352)
    before = board.snapshot()
    moved = [dict(p, x=p["x"] + 40, y=p["y"] + 200) if p["kind"] == "ten" else p for p in board.pieces]
    browser_update(board, {"pieces": moved})
    assert board.message == ""
    assert board.snapshot() == before


def test_counters_stand_in_tidy_rows_of_five_each_ten_apart():
    board = PlaceValue(0, columns=(1,))
    for _ in range(MOST_IN_COLUMN):
        browser_action(board, {"action": "add", "text": "1"})
    spots = sorted({(p["x"], p["y"]) for p in board.pieces})
    assert len(spots) == MOST_IN_COLUMN, "no counter hides another"
    rows = sorted({y for _, y in spots})
    assert len(rows) == 6 and all(sum(1 for _, y in spots if y == r) == 5 for r in rows)
    gaps = [b - a for a, b in zip(rows, rows[1:], strict=False)]
    assert gaps[1] > gaps[0] == gaps[2] < gaps[3], "each ten (two rows of five) stands apart"
    assert all(p["y"] + 29 <= board.height for p in board.pieces)
    browser_action(board, {"action": "add", "text": "1"})
    assert "ones would hold 31" in board.message and board.count("ones") == MOST_IN_COLUMN


def test_the_toolbar_exchanges_regroups_and_adds():
    board = PlaceValue(352)
    ten = of_column(board, "tens")[0]["id"]
    browser_action(board, {"action": "exchange", "ids": [ten]})
    assert board.message == "" and board.count("ones") == 12
    browser_action(board, {"action": "regroup", "ids": [p["id"] for p in of_column(board, "ones")[:10]]})
    assert board.message == "" and (board.count("tens"), board.count("ones")) == (5, 2)
    browser_action(board, {"action": "regroup", "ids": [p["id"] for p in board.pieces[:10]]})
    assert "Regroup ten from one column" in board.message
    browser_action(board, {"action": "add", "text": "0.1"})
    assert "no column of tenths" in board.message
    browser_action(board, {"action": "add", "text": "lots"})
    assert "not 'lots'" in board.message
    assert [t["action"] for t in board.tools] == ["exchange", "regroup", "add"]
    browser_action(board, {"action": "reset"})
    assert board.snapshot() == PlaceValue(352).snapshot()


@pytest.mark.parametrize(
    "state",
    [{"places": [3, 2, 1, 0]}, {"style": "dienes"}, {"width": 300}, {"grid": 10}, {"sizes": {}}],
)
def test_the_browser_may_not_change_the_columns_the_style_or_the_frame(state):
    board = PlaceValue(352)
    before = board.snapshot()
    browser_update(board, state)
    assert board.message and board.snapshot() == before


def test_a_piece_of_a_column_the_board_does_not_have_is_refused():
    board = PlaceValue(352)
    before = board.snapshot()
    pieces = [*copy.deepcopy(board.pieces), {"id": "z", "kind": "thousand", "x": 100, "y": 200}]
    browser_update(board, {"pieces": pieces})
    assert "no column of thousands" in board.message
    assert board.snapshot() == before


# --- the look ------------------------------------------------------------------------------------


def texts(node):
    if node["shape"] == "text":
        yield node["text"]
    for child in node.get("children", []):
        yield from texts(child)


def test_every_counter_shows_its_value_as_text_and_its_columns_colour():
    board = PlaceValue(1111.111)
    for p in board.pieces:
        drawn = board.looks[board.look_of[p["id"]]]
        (shown,) = [w for shape in drawn["shapes"] for w in texts(shape)]
        assert Fraction(shown) == Fraction(10) ** (3 - NAMES.index(drawn["name"].split("in the ")[1]))
        assert f"pv-{p['kind']}" in drawn["shapes"][0]["class"]
    headings = [w for shape in board.backdrop for w in texts(shape)]
    assert headings == [n.capitalize() for n in NAMES]


def test_blocks_are_told_apart_by_their_shape():
    board = PlaceValue(1234, style="dienes")
    names = {p["kind"]: board._piece_name(p) for p in board.pieces}
    assert names == {
        "thousand": "cube worth 1000, in the thousands",
        "hundred": "flat worth 100, in the hundreds",
        "ten": "rod worth 10, in the tens",
        "one": "unit worth 1, in the ones",
    }
    assert board.sizes["ten"][1] == 10 * board.sizes["one"][1] == board.sizes["hundred"][0]
    decimals = PlaceValue(2.35, style="dienes")  # the lowest column is the unit: a one is a flat here
    assert decimals._piece_name(of_column(decimals, "ones")[0]) == "flat worth 1, in the ones"


@pytest.mark.parametrize("number, style", [(352, "counters"), (3.045, "counters"), (1234, "dienes"), (2.35, "dienes")])
def test_snapshot_round_trips_exactly_as_plain_json(number, style):
    board = PlaceValue(number, style=style, name="pv")
    board.exchange(board.columns[0])
    snap = json.loads(json.dumps(board.snapshot()))
    again = PlaceValue.from_snapshot(snap)
    assert again.snapshot() == snap
    assert again.value == board.value and again.readout == board.readout and again.looks == board.looks
    assert (again.width, again.sizes, again.backdrop) == (board.width, board.sizes, board.backdrop)


@pytest.mark.parametrize(
    "change, words",
    [
        (lambda s: s.update(widget="Counters"), "not a snapshot of a PlaceValue"),
        (lambda s: s.update(places=[2, 0]), "next to one another"),
        (lambda s: s.update(style="beads"), '"counters" or "dienes"'),
        (lambda s: s["pieces"][0].update(kind="thousand"), "no column of thousands"),
    ],
)
def test_bad_snapshots_are_refused(change, words):
    snap = PlaceValue(352).snapshot()
    change(snap)
    with pytest.raises(ValueError, match=words):
        PlaceValue.from_snapshot(snap)


def test_static_svg_shows_the_columns_the_counters_and_the_readout():
    board = PlaceValue(3.45)
    svg = board.to_svg()
    assert svg.count('class="pv-counter') == 12
    assert ">Tenths</text>" in svg and 'class="pv-point"' in svg, "the decimal point stands before the tenths"
    assert "3 ones + 4 tenths + 5 hundredths = 3.45" in svg
    bundle, _ = board._repr_mimebundle_()
    assert bundle["image/svg+xml"] == svg
