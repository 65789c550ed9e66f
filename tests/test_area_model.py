"""The area model's mathematics and rules, driven from Python and as a browser drives them."""

from __future__ import annotations

import copy
import json
import re
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from maths.polynomial import Polynomial, parse
from widgets import AreaModel
from widgets.area_model import MAX_ARRAY, MAX_CUTS, ArrayModel

MINUS = "\u2212"
SETTINGS = settings(derandomize=True, database=None, max_examples=60, deadline=None)


def browser_update(board, state):
    """Send a state update exactly as the front end does, through the comm message handler."""
    board._handle_msg({"content": {"data": {"method": "update", "state": state}}, "buffers": []})


def browser_action(board, content):
    board._handle_msg({"content": {"data": {"method": "custom", "content": content}}, "buffers": []})


def cut(model, side, at):
    """The partition of `side` at `at`."""
    return next(p for p in model.pieces if p["side"] == side and Fraction(*p["at"]) == at)


def cuts(model, side):
    return sorted(Fraction(*p["at"]) for p in model.pieces if p["side"] == side)


def moved(model, piece, **where):
    """The pieces with one moved as the hand leaves it: moved pieces go last in the browser's list."""
    rest = [p for p in model.pieces if p["id"] != piece["id"]]
    return [*copy.deepcopy(rest), {**piece, **where}]


def headline_sum(text):
    """The middle of a headline (the cells) read back as numbers: '200 + 30 + 80 + 12' -> 322."""
    middle = text.split(" = ")[1]
    return sum(Fraction(t.replace(MINUS, "-").replace(" ", "")) for t in re.split(r" (?=[+\u2212] )", middle))


# --- the mathematics -------------------------------------------------------------------------------


def test_23_by_14_splits_by_place_value_and_reads_as_the_grid_method():
    model = AreaModel(23, 14)
    assert model.parts == ([20, 3], [10, 4])
    assert model.partials == [20 * 10, 3 * 10, 20 * 4, 3 * 4]
    assert model.total == 23 * 14
    assert model.readout["headline"] == "23 × 14 = 200 + 30 + 80 + 12 = 322"
    assert ["row 10", "200 + 30 = 230"] in model.readout["facts"]


@SETTINGS
@given(a=st.integers(1, 9999), b=st.integers(1, 999))
def test_whole_numbers_split_by_place_value_and_the_cells_add_up_to_the_product(a, b):
    model = AreaModel(a, b)
    across, down = model.parts
    assert across == [int(d) * 10**i for i, d in reversed(list(enumerate(reversed(str(a))))) if d != "0"]
    assert sum(across) == a and sum(down) == b
    assert model.total == a * b and sum(model.partials) == a * b
    if len(model.partials) > 1:
        assert headline_sum(model.readout["headline"]) == a * b, "the cells in the headline add up"
    assert model.readout["headline"].startswith(f"{a} × {b} = ")
    assert model.readout["headline"].endswith(f"= {a * b}")


def test_decimals_are_exact_and_print_as_decimals():
    model = AreaModel(2.5, 4)
    assert model.parts == ([2, Fraction(1, 2)], [4])
    assert model.total == 10 and model.partials == [8, 2]
    assert model.readout["headline"] == "2.5 × 4 = 8 + 2 = 10"
    small = AreaModel(0.3, 0.2)
    assert small.total == Fraction(3, 50)  # never 0.06000000000000001
    assert small.readout["headline"] == "0.3 × 0.2 = 0.06"


def test_an_expression_splits_by_its_terms_and_collects_like_terms():
    model = AreaModel("x + 3", "x + 2")
    assert model.total == parse("x + 3") * parse("x + 2")
    assert [str(p) for p in model.partials] == ["x²", "3x", "2x", "6"]
    assert model.readout["headline"] == "(x + 3)(x + 2) = x² + 3x + 2x + 6 = x² + 5x + 6"
    assert ["like terms", "3x + 2x = 5x"] in model.readout["facts"]


def test_negative_terms_are_reached_with_a_true_minus():
    model = AreaModel("2x - 1", "x + 4")
    assert model.total == parse("(2x - 1)(x + 4)")
    assert model.readout["headline"] == f"(2x {MINUS} 1)(x + 4) = 2x² {MINUS} x + 8x {MINUS} 4 = 2x² + 7x {MINUS} 4"
    negative = [s for s in json.dumps(model.backdrop).split('"class": ') if s.startswith('"am-cell am-negative"')]
    assert len(negative) == 2, "the cells −x and −4 are marked negative"
    assert "-" not in model.readout["headline"]


@SETTINGS
@given(
    a=st.lists(
        st.tuples(st.integers(-9, 9).filter(bool), st.integers(0, 2)), min_size=1, max_size=3, unique_by=lambda t: t[1]
    ),
    b=st.lists(
        st.tuples(st.integers(-9, 9).filter(bool), st.integers(0, 1)), min_size=1, max_size=2, unique_by=lambda t: t[1]
    ),
)
def test_any_expressions_multiply_exactly(a, b):
    def text(terms):
        return " + ".join(f"{c}*x^{p}" for c, p in terms)

    model = AreaModel(text(a), text(b))
    pa = sum((Polynomial.monomial(c, p) for c, p in a), Polynomial(()))
    pb = sum((Polynomial.monomial(c, p) for c, p in b), Polynomial(()))
    if pa.degree < 1 and pb.degree < 1:
        assert model.total == (pa * pb)(0)
    else:
        assert model.total == pa * pb
        assert model.readout["headline"].endswith(f"= {pa * pb}") or model.readout["headline"] == str(pa * pb)
    assert len(model.partials) == len(a) * len(b)


def test_a_product_is_written_as_a_textbook_writes_it():
    assert AreaModel("x + 3", 2).readout["headline"] == "2(x + 3) = 2x + 6"
    assert AreaModel("x", "x + 2").readout["headline"] == "x(x + 2) = x² + 2x"
    assert AreaModel("20 - 1", 14).readout["headline"] == f"(20 {MINUS} 1) × 14 = 280 {MINUS} 14 = 266"
    assert AreaModel(-3, 4).readout["headline"] == f"{MINUS}3 × 4 = {MINUS}12"
    assert AreaModel("y + 1", "y").readout["headline"] == "y(y + 1) = y² + y"


def test_numbers_are_drawn_to_scale_and_expressions_say_they_are_not():
    model = AreaModel(23, 14)
    frame = model._frame()
    assert frame["sa"] == frame["sb"], "one scale for both sides"
    assert frame["w"] / frame["h"] == pytest.approx(23 / 14)
    cells = [s for s in model.backdrop[0]["children"][0]["children"] if s["class"].startswith("am-cell")]
    areas = [c["children"][0]["width"] * c["children"][0]["height"] for c in cells]
    assert areas[0] > areas[-1], "a 20-by-10 cell is bigger than a 3-by-4 one"
    assert areas[0] / areas[-1] == pytest.approx(200 / 12, rel=0.02)
    assert "Not to scale" not in json.dumps(model.backdrop)
    assert "Not to scale" in json.dumps(AreaModel("x + 3", "x + 2").backdrop)
    assert "Not to scale" in json.dumps(AreaModel(345, 2).backdrop), "a very thin rectangle is drawn thicker"


# --- partitions: dragged, nudged, split and removed --------------------------------------------------


def test_a_dragged_partition_snaps_to_a_whole_unit_and_the_cells_follow():
    model = AreaModel(23, 14)
    frame = model._frame()
    piece = cut(model, "across", 20)
    x = frame["left"] + 15.3 * frame["sa"]  # let go nearer 15 than 16
    browser_update(model, {"pieces": moved(model, piece, x=x, y=piece["y"] + 37)})
    assert model.message == ""
    assert cuts(model, "across") == [15]
    assert model.parts[0] == [15, 8]
    assert model.readout["headline"] == "23 × 14 = 150 + 80 + 60 + 32 = 322"
    assert cut(model, "across", 15)["y"] == piece["y"], "the grip goes back onto its line"


def test_a_decimal_side_snaps_to_its_own_step():
    model = AreaModel(2.5, 4)
    frame = model._frame()
    piece = cut(model, "across", 2)
    browser_update(model, {"pieces": moved(model, piece, x=frame["left"] + 1.23 * frame["sa"])})
    assert cuts(model, "across") == [Fraction(12, 10)]
    assert model.readout["headline"] == "2.5 × 4 = 4.8 + 5.2 = 10"


def test_a_side_written_as_a_fraction_snaps_to_its_own_part():
    # A side of 5/2 snapped to tenths, though it is split as 2 + 1/2.
    model = AreaModel(Fraction(5, 2), 4)
    frame = model._frame()
    piece = cut(model, "across", 2)
    browser_update(model, {"pieces": moved(model, piece, x=frame["left"] + 1.3 * frame["sa"])})
    assert cuts(model, "across") == [Fraction(3, 2)]
    assert model.readout["headline"] == "5/2 × 4 = 6 + 4 = 10"


@pytest.mark.parametrize("end", ["start", "end"])
def test_a_partition_dragged_to_an_end_goes(end):
    model = AreaModel(23, 14)
    frame = model._frame()
    piece = cut(model, "down", 10)
    y = frame["top"] - 5 if end == "start" else frame["top"] + frame["h"] + 5
    browser_update(model, {"pieces": moved(model, piece, y=y)})
    assert model.message == "" and cuts(model, "down") == []
    assert model.readout["headline"] == "23 × 14 = 280 + 42 = 322"


def test_a_partition_dropped_on_another_merges_with_it():
    model = AreaModel(23, 14)
    model.partition(across=[10, 10, 3])
    frame = model._frame()
    piece = cut(model, "across", 10)
    browser_update(model, {"pieces": moved(model, piece, x=frame["left"] + 20 * frame["sa"])})
    assert cuts(model, "across") == [20]


def test_partitions_dragged_together_keep_apart():
    # Two partitions moved by the same amount: the first landed where the second had stood, and went.
    model = AreaModel(23, 14)
    model.partition(across=[5, 5, 13])
    frame = model._frame()
    shift = 5 * frame["sa"]
    pieces = [dict(p, x=p["x"] + shift) if p["side"] == "across" else p for p in model.pieces]
    browser_update(model, {"pieces": pieces})
    assert model.message == "" and cuts(model, "across") == [10, 15]


def test_an_arrow_key_moves_a_partition_one_step():
    model = AreaModel(345, 12)  # fewer than three board units a step
    piece = cut(model, "across", 300)
    browser_update(model, {"pieces": moved(model, piece, x=piece["x"] + 1)})
    assert cuts(model, "across") == [301, 340]
    piece = cut(model, "down", 10)
    browser_update(model, {"pieces": moved(model, piece, y=piece["y"] - 3)})
    assert cuts(model, "down") == [9]


def test_split_from_the_toolbar_adds_a_partition_where_the_pupil_says():
    model = AreaModel(23, 14)
    assert [t["label"] for t in model.tools] == ["Split 23\u2026", "Split 14\u2026"]
    browser_action(model, {"action": "split", "side": "across", "text": "15"})
    assert model.message == "" and model.parts[0] == [15, 5, 3]
    assert model.readout["headline"] == "23 × 14 = 150 + 50 + 30 + 60 + 20 + 12 = 322"


@pytest.mark.parametrize(
    "side, text, words",
    [
        ("across", "23", "between 0 and 23"),
        ("across", "0", "between 0 and 23"),
        ("across", "2.5", "multiples of 1"),
        ("across", "20", "split there already"),
        ("across", "half", "Type how far along"),
        ("sideways", "5", "across"),
    ],
)
def test_a_bad_split_is_refused_and_keeps_the_model(side, text, words):
    model = AreaModel(23, 14)
    before = model.snapshot()
    browser_action(model, {"action": "split", "side": side, "text": text})
    assert words in model.message
    assert model.snapshot() == before


def test_partition_sets_a_side_and_reset_goes_back_to_it():
    model = AreaModel(23, 14)
    model.partition(across=[15, 8], down=[7, 7])
    assert model.parts == ([15, 8], [7, 7])
    browser_action(model, {"action": "split", "side": "down", "text": "3"})
    browser_action(model, {"action": "reset"})
    assert model.parts == ([15, 8], [7, 7])
    with pytest.raises(ValueError, match="add up to 23"):
        model.partition(across=[15, 9])
    with pytest.raises(ValueError, match="split by its terms"):
        AreaModel("x + 1", 3).partition(across=[1])
    assert model.parts == ([15, 8], [7, 7])


def test_a_side_has_at_most_so_many_partitions():
    model = AreaModel(20, 3)
    model.partition(across=[2] * (MAX_CUTS + 1))
    browser_action(model, {"action": "split", "side": "across", "text": "1"})
    assert f"at most {MAX_CUTS}" in model.message


# --- what the browser may not do -----------------------------------------------------------------


@pytest.mark.parametrize(
    "change, words",
    [
        (lambda ps: ps[0].update(at=[23, 1]), "inside it"),
        (lambda ps: ps[0].update(at=[41, 2]), "multiple of 1"),
        (lambda ps: ps[0].update(at=[20, 2]), "lowest terms"),
        (lambda ps: ps.append(dict(ps[0], id="twin")), "place of its own"),
        (lambda ps: ps[0].update(side="diagonal"), "across or down"),
    ],
)
def test_a_hostile_partition_is_refused_whole(change, words):
    model = AreaModel(23, 14)
    before = model.snapshot()
    pieces = copy.deepcopy(model.pieces)
    change(pieces)
    browser_update(model, {"pieces": pieces})
    assert words in model.message
    assert model.snapshot() == before


@pytest.mark.parametrize("state", [{"across": [[5, 1, 0]]}, {"letter": "y"}, {"decimals": True}, {"width": 300}])
def test_the_browser_may_not_change_the_sides(state):
    model = AreaModel(23, 14)
    before = model.snapshot()
    browser_update(model, state)
    assert model.message and model.snapshot() == before


def test_an_expression_model_takes_no_partitions():
    model = AreaModel("x + 3", "x + 2")
    assert model.pieces == [] and model.tools == []
    browser_update(model, {"pieces": [{"id": "a1", "kind": "cut", "x": 10, "y": 10, "side": "across", "at": [1, 1]}]})
    assert "split by its terms" in model.message and model.pieces == []


@pytest.mark.parametrize(
    "a, b, words",
    [
        (0, 14, "must not be 0"),
        (True, 2, "must be a number"),
        (float("nan"), 2, "finite"),
        ("x + y", 2, "one letter"),
        ("(x + 1)", 2, "terms"),
        ("x^5", 2, "powers up to 3"),
        ("x", "y", "one letter"),
        (10**7, 2, "at most"),
        (None, 2, "must be a number"),
    ],
)
def test_bad_sides_are_refused_clearly(a, b, words):
    with pytest.raises(ValueError, match=words):
        AreaModel(a, b)


# --- arrays ---------------------------------------------------------------------------------------


def test_an_array_is_rows_of_dots_on_unit_squares_read_rows_times_columns():
    grid = AreaModel.array(3, 4)
    assert isinstance(grid, ArrayModel) and grid.pieces == []
    assert grid.readout["headline"] == "3 × 4 = 12"
    assert json.dumps(grid.backdrop).count('"shape": "circle"') == 12
    assert ["factor pairs", "1 × 12, 2 × 6, 3 × 4"] in grid.readout["facts"]
    frame = grid._frame()
    assert frame["sa"] == frame["sb"], "squares stay square"


def test_an_array_split_shows_the_distributive_law():
    grid = AreaModel.array(7, 6)
    grid.split("down", 5)
    assert grid.partials == [5 * 6, 2 * 6]
    assert grid.readout["headline"] == "7 × 6 = 30 + 12 = 42"


@SETTINGS
@given(rows=st.integers(1, MAX_ARRAY), cols=st.integers(1, MAX_ARRAY))
def test_an_arrays_factor_pairs_are_every_pair(rows, cols):
    n = rows * cols
    (pairs,) = [v for k, v in AreaModel.array(rows, cols).readout["facts"] if k == "factor pairs"]
    found = {tuple(map(int, p.split(" × "))) for p in pairs.split(", ")}
    assert found == {(d, n // d) for d in range(1, n + 1) if n % d == 0 and d <= n // d}


@pytest.mark.parametrize("rows, cols", [(0, 3), (MAX_ARRAY + 1, 2), (2.0, 3), (True, 3)])
def test_a_bad_array_is_refused(rows, cols):
    with pytest.raises(ValueError, match="whole number from 1"):
        AreaModel.array(rows, cols)


# --- snapshots and pictures ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "make",
    [
        lambda: AreaModel(23, 14, name="grid"),
        lambda: AreaModel(2.5, 4),
        lambda: AreaModel("2x - 1", "x + 4"),
        lambda: AreaModel(Fraction(7, 3), 3),
        lambda: AreaModel.array(7, 6),
    ],
)
def test_snapshot_round_trips_exactly_as_plain_json(make):
    model = make()
    if model.tools:
        browser_action(model, {"action": "split", "side": "down", "text": "1"})
    snap = json.loads(json.dumps(model.snapshot()))
    again = type(model).from_snapshot(snap)
    assert again.snapshot() == snap
    assert again.readout == model.readout and again.looks == model.looks and again.backdrop == model.backdrop


@pytest.mark.parametrize(
    "change, words",
    [
        (lambda s: s.update(widget="NumberLine"), "not a snapshot of a AreaModel"),
        (lambda s: s.update(across=[[0, 1, 0]]), "not 0"),
        (lambda s: s.update(across=[[5, 1, 0]]), "inside it"),
        (lambda s: s.update(letter="xy"), "one letter"),
        (lambda s: s["pieces"][0].update(at="20"), "at must be a number"),
    ],
)
def test_bad_snapshots_are_refused(change, words):
    snap = AreaModel(23, 14).snapshot()
    change(snap)
    with pytest.raises(ValueError, match=words):
        AreaModel.from_snapshot(snap)


def test_static_svg_shows_the_cells_the_parts_and_the_readout():
    model = AreaModel(23, 14)
    svg = model.to_svg()
    for text in ("200", "30", "80", "12", "20", "3", "10", "4"):
        assert re.search(rf"<text[^>]*>{text}</text>", svg)
    assert "23 × 14 = 200 + 30 + 80 + 12 = 322" in svg
    assert svg.count('class="am-cut"') == 2
    bundle, _ = model._repr_mimebundle_()
    assert bundle["image/svg+xml"] == svg


def test_each_partition_says_what_it_is():
    model = AreaModel(23, 14)
    names = {model.looks[model.look_of[p["id"]]]["name"] for p in model.pieces}
    assert "partition of the top (23) after 20, with 3 after it" in names


def test_a_waiting_readout_keeps_the_maths_back():
    model = AreaModel(23, 14, show_readout=False)
    assert model.readout["waiting"] and "322" not in json.dumps(model.readout)
    browser_action(model, {"action": "reveal_readout"})
    assert model.readout["headline"].endswith("= 322")
