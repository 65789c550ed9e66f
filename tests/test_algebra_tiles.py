"""Algebra tiles: the Python model (parsing, products, factorising, equations) and its defences."""

from __future__ import annotations

import copy
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from widgets.algebra_tiles import MINUS, UNIT, AlgebraTiles, X, parse

# --- parsing -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("x^2 + 3x - 2", {"x^2": 1, "x": 3, "1": -2}),
        ("x**2+3*x-2", {"x^2": 1, "x": 3, "1": -2}),
        ("x² − 1", {"x^2": 1, "x": 0, "1": -1}),
        ("-2x + 5", {"x^2": 0, "x": -2, "1": 5}),
        ("3 + x - x", {"x^2": 0, "x": 0, "1": 3}),
        ("2x^1 - 10", {"x^2": 0, "x": 2, "1": -10}),
        ("", {"x^2": 0, "x": 0, "1": 0}),
    ],
)
def test_parse_accepts_what_pupils_type(text, expected):
    assert parse(text) == expected


@pytest.mark.parametrize(
    ("text", "part"),
    [("x^^2", "^^2"), ("x^3", "x^3"), ("3q", "q"), ("x++1", "++1"), ("2 3", "2 3"), ("x2", "2"), ("*x", "*x")],
)
def test_parse_refuses_and_names_the_part(text, part):
    with pytest.raises(ValueError) as caught:
        parse(text)
    message = str(caught.value)
    assert f'"{part}"' in message
    assert "x" in message and ("accept" in message or "write" in message or "need" in message)


def test_parse_refuses_what_is_not_text_or_too_big():
    with pytest.raises(ValueError):
        parse(None)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="too many"):
        parse("400x")
    with pytest.raises(ValueError):
        AlgebraTiles("x^3")


# --- the mat -------------------------------------------------------------------------------------


def test_mat_counts_and_writes_like_a_textbook():
    mat = AlgebraTiles("x^2 + 3x - 2")
    assert mat.coefficients == {"x^2": 1, "x": 3, "1": -2}
    assert mat.expression == f"x² + 3x {MINUS} 2"
    assert len(mat.pieces) == 6
    assert mat.readout["headline"] == mat.expression
    assert AlgebraTiles().expression == "0"
    assert AlgebraTiles("-x^2 - x").expression == f"{MINUS}x² {MINUS} x"


def test_a_mat_lays_out_the_tiles_as_written_so_pupils_collect_them():
    mat = AlgebraTiles("2x + 3 - x + 1 - 5")
    assert len(mat.pieces) == 2 + 1 + 3 + 1 + 5
    assert mat.zero_pairs == 1 + 4
    assert mat.expression == f"x {MINUS} 1"
    mat.cancel_zero_pairs()
    assert len(mat.pieces) == 2 and mat.expression == f"x {MINUS} 1"


def test_x_is_not_a_whole_number_of_units():
    assert X % UNIT != 0
    assert AlgebraTiles().sizes == {"x2": [X, X], "x": [X, UNIT], "1": [UNIT, UNIT]}


def test_tiles_laid_out_do_not_overlap_and_stay_on_the_mat():
    mat = AlgebraTiles("2x^2 - x^2 + 5x - 3x + 7 - 4")
    boxes = []
    for p in mat.pieces:
        w, h = mat._size(p)
        assert w / 2 <= p["x"] <= mat.width - w / 2 and h / 2 <= p["y"] <= mat.height - h / 2
        boxes.append((p["x"] - w / 2, p["y"] - h / 2, p["x"] + w / 2, p["y"] + h / 2))
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1]


def test_zero_pairs_add_and_cancel():
    mat = AlgebraTiles("x + 2")
    mat.add("-x")
    mat.add("-1", 3)
    mat.add("x^2")
    mat.add("-x^2")
    assert mat.zero_pairs == 4  # x and -x, 1 and -1 twice, x² and -x²
    assert mat.expression == f"{MINUS}1"
    mat.cancel_zero_pairs()
    assert mat.zero_pairs == 0
    assert mat.expression == f"{MINUS}1"
    assert len(mat.pieces) == 1
    mat.add("x")
    mat.add("-x")
    mat.cancel_zero_pairs()
    assert mat.expression == f"{MINUS}1"
    mat.clear()
    assert mat.expression == "0"


def test_add_refuses_what_is_not_a_tile():
    mat = AlgebraTiles()
    for term, n in [("y", 1), ("x^3", 1), (3, 1), ("x", 0), ("x", 1.5), ("x", True), ("x", 1000)]:
        with pytest.raises(ValueError):
            mat.add(term, n)  # type: ignore[arg-type]
    assert mat.pieces == []


# --- products and factorising --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "second", "headline"),
    [
        ("x - 3", "2", "2(x \u2212 3) = 2x \u2212 6"),  # once (x − 3)(2), as no textbook writes it
        ("x + 2", "x", "x(x + 2) = x\u00b2 + 2x"),
        ("2x + 5", "3", "3(2x + 5) = 6x + 15"),
    ],
)
def test_the_frames_readout_writes_a_product_as_a_textbook_does(first, second, headline):
    assert AlgebraTiles.product(first, second).readout["headline"] == headline


def test_product_fills_the_frame():
    mat = AlgebraTiles.product("x + 2", "x + 3")
    assert mat.expression == "x² + 5x + 6"
    assert len(mat.pieces) == 12
    assert mat.readout["headline"] == "(x + 2)(x + 3) = x² + 5x + 6"
    assert mat.rectangle() == ("x + 2", "x + 3")
    assert mat.factorise() == "(x + 2)(x + 3)"
    assert any(g.get("class", "").startswith("at-edge") for g in mat.guides)  # the factors on the edges


@pytest.mark.parametrize(
    ("first", "second", "expanded"),
    [
        ("x - 1", "x + 2", f"x² + x {MINUS} 2"),
        ("x - 3", "x - 2", f"x² {MINUS} 5x + 6"),
        ("-x + 1", "x + 1", f"{MINUS}x² + 1"),
        ("2x + 1", "x - 3", f"2x² {MINUS} 5x {MINUS} 3"),
        ("2", "x + 3", "2x + 6"),
    ],
)
def test_products_with_negative_terms(first, second, expanded):
    mat = AlgebraTiles.product(first, second)
    assert mat.expression == expanded
    assert mat.readout["headline"].endswith(f"= {expanded}")


def test_product_refuses_what_is_not_linear():
    with pytest.raises(ValueError, match="linear"):
        AlgebraTiles.product("x^2", "x + 1")
    with pytest.raises(ValueError):
        AlgebraTiles.product("x + q", "x")


@pytest.mark.parametrize(
    ("expression", "factorised"),
    [
        ("x^2 + 5x + 6", "(x + 2)(x + 3)"),
        ("x^2 + 3x + 2", "(x + 1)(x + 2)"),
        ("x^2 + 2x + 1", "(x + 1)²"),
        ("x^2 - 6x + 9", f"(x {MINUS} 3)²"),
        ("x^2 - 1", f"(x {MINUS} 1)(x + 1)"),
        ("x^2 + x - 2", f"(x {MINUS} 1)(x + 2)"),
        ("2x + 6", "2(x + 3)"),
        ("2x^2 + 4x", "2x(x + 2)"),
        ("x^2 - x", f"x(x {MINUS} 1)"),
        ("6x^2 + x - 2", f"(2x {MINUS} 1)(3x + 2)"),
        ("4x^2 + 4x + 1", "(2x + 1)²"),
        ("-x^2 - 3x - 2", f"{MINUS}(x + 1)(x + 2)"),
        ("-2x - 6", f"{MINUS}2(x + 3)"),
        ("2x^2 + 2", "2(x² + 1)"),
        ("x^2 + 1", None),
        ("x^2 + x + 1", None),
        ("x + 1", None),
        ("x^2", None),
        ("3x", None),
        ("", None),
    ],
)
def test_factorise_over_the_integers(expression, factorised):
    assert AlgebraTiles(expression).factorise() == factorised


@settings(deadline=None)  # a correctness property; CI machines are busy
@given(st.integers(-6, 6), st.integers(-6, 6), st.integers(-6, 6), st.integers(-6, 6))
def test_factorised_form_multiplies_back(a, b, c, d):
    """Expand (ax + b)(cx + d) with tiles; what two non-constant factors made always factorises again."""
    if not (a or b) or not (c or d):
        return
    mat = AlgebraTiles.product(f"{a}x + {b}".replace("+ -", "- "), f"{c}x + {d}".replace("+ -", "- "))
    assert mat.coefficients == {"x^2": a * c, "x": a * d + b * c, "1": b * d}
    assert mat.readout["headline"].endswith(mat.expression)
    if a and c:
        assert (mat.factorise() is None) == (b == 0 and d == 0)  # only a lone a·c·x² has nothing to take out


def test_rectangle_is_found_only_when_the_tiles_make_one():
    mat = AlgebraTiles("x^2 + 3x + 2")
    assert mat.rectangle() is None  # laid out in rows, not a rectangle
    x0, y0 = 200, 100
    tiles = [{"id": "a", "kind": "x2", "x": x0 + X / 2, "y": y0 + X / 2, "sign": 1}]
    tiles += [
        {"id": f"s{i}", "kind": "x", "rot": 90, "x": x0 + X + UNIT * i + UNIT / 2, "y": y0 + X / 2, "sign": 1}
        for i in range(2)
    ]
    tiles.append({"id": "b", "kind": "x", "rot": 0, "x": x0 + X / 2, "y": y0 + X + UNIT / 2, "sign": 1})
    tiles += [
        {"id": f"u{i}", "kind": "1", "x": x0 + X + UNIT * i + UNIT / 2, "y": y0 + X + UNIT / 2, "sign": 1}
        for i in range(2)
    ]
    mat.pieces = tiles
    assert mat.rectangle() == ("x + 2", "x + 1")
    assert mat.readout["headline"] == "(x + 1)(x + 2) = x² + 3x + 2"
    assert ["factorised", "(x + 1)(x + 2)"] in mat.readout["facts"]
    # Move one unit tile away: no longer a rectangle.
    mat.pieces = [{**p, "x": 800, "y": 450} if p["id"] == "u1" else p for p in tiles]
    assert mat.rectangle() is None
    assert "(" not in mat.readout["headline"]
    # A full rectangle whose tiles do not line up as x by 1 does not count.
    mat.pieces = [{**p, "kind": "1"} if p["id"] == "b" else p for p in tiles if p["id"] != "b"] + [
        {"id": "u9", "kind": "1", "x": 900, "y": 500, "sign": 1}
    ]
    assert mat.rectangle() is None


# --- equations -----------------------------------------------------------------------------------


def test_equation_mat_has_two_sides_a_divider_and_equals():
    mat = AlgebraTiles.equation("2x + 3 = 11")
    assert mat.expression == "2x + 3 = 11"
    assert mat.sides == [{"x^2": 0, "x": 2, "1": 3}, {"x^2": 0, "x": 0, "1": 11}]
    assert mat.coefficients == {"x^2": 0, "x": 2, "1": -8}  # left minus right
    assert mat.solution == 4
    assert not mat.solved
    assert {g.get("type") for g in mat.guides} >= {"line", "text"}
    assert any(g.get("text") == "=" for g in mat.guides)
    half = mat.width / 2
    assert sum(1 for p in mat.pieces if p["x"] < half) == 5


@pytest.mark.parametrize(
    ("text", "solution"),
    [
        ("2x + 3 = 11", 4),
        ("3x - 2 = x + 6", 4),
        ("-x + 4 = 2x - 5", 3),
        ("5 - 2x = x - 1", 2),
        ("2x = 3", Fraction(3, 2)),
        ("4 = -x", -4),
        ("x + 1 = x + 2", None),
        ("x + 1 = x + 1", None),
        ("x^2 + 2 = x^2 + x", 2),
        ("x^2 = 4", None),
    ],
)
def test_equation_solutions_are_exact(text, solution):
    found = AlgebraTiles.equation(text).solution
    assert found == solution
    assert type(found) is type(solution)


def test_solving_with_both_sides_mode_and_groups():
    mat = AlgebraTiles.equation("3x - 2 = x + 6")
    mat.toggle_both_sides()
    assert mat.both_sides
    mat.add("-x")  # take x from both sides
    mat.add("1", 2)  # add 2 to both sides
    assert mat.expression == "2x = 8"
    assert mat.sides == [{"x^2": 0, "x": 2, "1": 0}, {"x^2": 0, "x": 0, "1": 8}]
    assert mat.zero_pairs == 4  # x and -x on each side, and two 1 and -1 pairs on the left
    assert ["in balance", "yes"] in mat.readout["facts"]
    mat.cancel_zero_pairs()
    assert mat.expression == "2x = 8"
    mat.split()
    assert mat.expression == "2x = 8"
    assert len({round(p["y"]) for p in mat.pieces if p["x"] < mat.width / 2}) == 2  # two groups, two rows
    half = mat.width / 2
    for p in mat.pieces:  # every tile stays clear of the divider and its "=" sign
        w, _ = mat._size(p)
        assert p["x"] + w / 2 < half - 34 or p["x"] - w / 2 > half + 34
    mat.divide(2)
    assert mat.expression == "x = 4"
    assert mat.solved
    assert "solved" in mat.readout["headline"]


def test_equation_knows_when_it_is_out_of_balance():
    mat = AlgebraTiles.equation("x + 2 = 5")
    mat.add("-1", 2, side="left")  # only one side
    mat.cancel_zero_pairs()
    assert mat.expression == "x = 5"
    assert mat.solved
    assert "solved" not in mat.readout["headline"]
    assert ["in balance", "no: do the same to both sides"] in mat.readout["facts"]


def test_equation_refusals():
    for text in ["2x + 3", "x = 1 = 2", "= 3", "x^3 = 1"]:
        with pytest.raises(ValueError):
            AlgebraTiles.equation(text)
    mat = AlgebraTiles.equation("2x + 1 = 7")
    with pytest.raises(ValueError, match="equal groups"):
        mat.split(2)  # 1 on the left does not share into two
    with pytest.raises(ValueError):
        AlgebraTiles("x").toggle_both_sides()
    with pytest.raises(ValueError):
        mat.add("x", side="middle")


# --- never trust the browser ---------------------------------------------------------------------


def _browser_update(widget, pieces):
    widget._handle_msg({"content": {"data": {"method": "update", "state": {"pieces": pieces}}}})


def _browser_action(widget, content):
    widget._handle_msg({"content": {"data": {"method": "custom", "content": content}}})


def test_browser_moves_flips_and_rotates_are_accepted():
    mat = AlgebraTiles("x + 1")
    moved = [{**p, "x": p["x"] + 20, "sign": -p["sign"]} for p in mat.pieces]
    moved = [{**p, "rot": 0} if p["kind"] == "x" else p for p in moved]
    _browser_update(mat, moved)
    assert mat.message == ""
    assert mat.expression == f"{MINUS}x {MINUS} 1"


@pytest.mark.parametrize(
    ("change", "why"),
    [
        (lambda p: {**p, "kind": "x3"}, "unknown kind"),
        (lambda p: {**p, "sign": 2}, "sign"),
        (lambda p: {**p, "sign": True}, "sign"),
        (lambda p: {**p, "rot": 45} if p["kind"] == "x" else {**p, "rot": 90}, "rot"),
        (lambda p: {**p, "x": float("nan")}, "number"),
        (lambda p: {**p, "y": -5}, "on the board"),
        (lambda p: {**p, "id": "<script>"}, "id"),
        (lambda p: {**p, "label": "a\nb"}, "label"),
        (lambda p: {**p, "colour": "red"}, "fields"),
    ],
)
def test_hostile_state_is_refused_and_the_old_state_kept(change, why):
    mat = AlgebraTiles("x^2 + x - 1")
    before = copy.deepcopy(mat.pieces)
    _browser_update(mat, [change(p) for p in mat.pieces])
    assert mat.pieces == before
    assert why in mat.message
    assert mat.expression == f"x² + x {MINUS} 1"


def test_hostile_shapes_of_state_are_refused():
    mat = AlgebraTiles("x")
    before = copy.deepcopy(mat.pieces)
    for pieces in ["x", 3, None, [1, 2], [{"id": "a"}], [mat.pieces[0], mat.pieces[0]]]:
        _browser_update(mat, pieces)
        assert mat.pieces == before
        assert mat.message
    eq = AlgebraTiles.equation("x = 2")
    eq._handle_msg({"content": {"data": {"method": "update", "state": {"both_sides": True}}}})
    assert not eq.both_sides and eq.message
    mat._handle_msg({"content": {"data": {"method": "update", "state": {"guides": []}}}})
    assert mat.guides == [] and mat.message  # refused: unchanged, it was empty already
    eq = AlgebraTiles.equation("x = 2")
    guides = copy.deepcopy(eq.guides)
    eq._handle_msg({"content": {"data": {"method": "update", "state": {"guides": [], "pieces": []}}}})
    assert eq.guides == guides and len(eq.pieces) == 3 and eq.message


@pytest.mark.parametrize(
    "content",
    [
        {"action": "add", "term": "x^3"},
        {"action": "add", "term": {"x": 1}},
        {"action": "add", "term": "x", "n": 10**9},
        {"action": "add", "term": "x", "n": "2"},
        {"action": "add", "term": "x", "side": ["left"]},
        {"action": "add", "term": "x", "colour": "red"},
        {"action": "split", "groups": "two"},
        {"action": "split"},
        {"action": "toggle_both_sides"},
        {"action": "__init__"},
        {"action": "_lay_out"},
        {"action": ["add"]},
        {"term": "x"},
        "add",
    ],
)
def test_hostile_custom_messages_change_nothing_and_say_why(content):
    mat = AlgebraTiles("x + 1")
    before = copy.deepcopy(mat.pieces)
    _browser_action(mat, content)
    assert mat.pieces == before
    assert mat.message


def test_toolbar_actions_work_from_the_browser():
    mat = AlgebraTiles.equation("x + 1 = 3")
    _browser_action(mat, {"action": "toggle_both_sides"})
    assert mat.both_sides and mat.message == ""
    _browser_action(mat, {"action": "add", "term": "-1"})
    assert mat.expression == "x = 2"  # simplified: the zero pairs are still on the mat
    assert mat.zero_pairs == 2
    _browser_action(mat, {"action": "cancel_zero_pairs"})
    assert mat.expression == "x = 2"
    assert mat.solved and mat.message == ""


def test_full_mat_says_so():
    mat = AlgebraTiles()
    with pytest.raises(ValueError, match="room"):
        mat.add("x^2", 100)
    assert mat.pieces == []  # all or nothing


# --- snapshot and picture ------------------------------------------------------------------------


def test_snapshot_round_trip():
    for mat in [
        AlgebraTiles("x^2 - 2x + 3", name="free"),
        AlgebraTiles.product("x - 1", "x + 2"),
        AlgebraTiles.equation("3x - 2 = x + 6"),
    ]:
        mat.add("-1")
        snap = mat.snapshot()
        again = AlgebraTiles.from_snapshot(copy.deepcopy(snap))
        assert again.snapshot() == snap
        assert again.expression == mat.expression
        assert again.readout == mat.readout
        assert again.solution == mat.solution
    with pytest.raises(ValueError):
        AlgebraTiles.from_snapshot({**snap, "widget": "Counters"})
    with pytest.raises(ValueError):
        AlgebraTiles.from_snapshot({**snap, "mode": "chaos"})
    with pytest.raises(ValueError):
        AlgebraTiles.from_snapshot({**snap, "pieces": [{"id": "a", "kind": "x", "x": 1, "y": 1, "sign": 1}]})
    with pytest.raises(ValueError):
        AlgebraTiles.from_snapshot({**snap, "guides": [{"type": "script", "x": 1}]})


def test_to_svg_draws_tiles_and_escapes_labels():
    mat = AlgebraTiles.equation("x - 1 = 2")
    mat.pieces = [{**p, "label": '<b>&"x"</b>'} if i == 0 else p for i, p in enumerate(mat.pieces)]
    svg = mat.to_svg()
    assert "<b>" not in svg and "&lt;b&gt;&amp;" in svg
    assert svg.count('class="at-tile') == len(mat.pieces)
    assert f"{MINUS}1" in svg and ">=<" in svg  # a negative tile's sign mark, and the equals sign
    assert "--mn-positive" in svg and ".at-tile" in svg  # the colours travel with the picture
    product = AlgebraTiles.product("x + 2", "x - 3").to_svg()
    assert "at-edge negative" in product and "(x + 2)(x − 3)" in product
