"""Algebra tiles: the concrete model for expressions, brackets, factorising and equations.

Three shapes of tile: x² (a large square), x (a long strip) and 1 (a small square), each
positive or negative. The x length is not a whole number of unit lengths, so pupils cannot
measure x in units. Tiles laid edge to edge as a full rectangle show a product: its side
lengths are the factors. An equation mat has two sides with a divider and an "=" between them.

Python owns every piece of mathematics here; the browser only moves, flips and rotates tiles.
"""

from __future__ import annotations

import math
import re
from fractions import Fraction
from typing import Any, ClassVar

import traitlets as t

from maths.polynomial import ParseError, Polynomial, Product, factorise, read_terms, solve_linear

from . import _look as look
from ._board import (
    MINUS,
    Board,
    Piece,
    Refused,
    _short,
    action,
    one_of,
    signed,
    tool,
    zero_pairs_dropped,
)

UNIT = 48  # the side of a 1 tile, in board units
X = 178  # the length of x: 3.7 units, deliberately not a whole number of them
GAP = 10  # between tiles laid out by Python
MARGIN = 30
AISLE = 56  # on an equation mat, tiles keep this far from the divider and its "=" sign
MAX_TILES = 300
TERMS = ("x^2", "x", "1")
_KIND = {"x^2": "x2", "x": "x", "1": "1"}
_TERM = {kind: term for term, kind in _KIND.items()}
_ACCEPTS = 'terms in x², x and whole numbers, such as "x^2 + 3x - 2", "x**2+3*x-2" or "x² − 1"'
_TOLERANCE = 2.0  # board units: edges closer than this meet

Coefficients = dict[str, int]


# --- reading and writing: the maths layer's polynomial, in the tiles' terms ---------------------


def _polynomial(coefficients: Coefficients) -> Polynomial:
    return Polynomial([coefficients.get("1", 0), coefficients.get("x", 0), coefficients.get("x^2", 0)])


def _coefficients(p: Polynomial) -> Coefficients:
    return {"x^2": p[2], "x": p[1], "1": p[0]}


def parse(text: str) -> Coefficients:
    """The coefficients of an expression in x of degree at most 2, such as "x^2 + 3x - 2".

    >>> parse("x² − 1")
    {'x^2': 1, 'x': 0, '1': -1}
    """
    coefficients = dict.fromkeys(TERMS, 0)
    for term, sign in _read_tiles(text):
        coefficients[term] += sign
    return coefficients


def _read_tiles(text: str) -> list[tuple[str, int]]:
    """The tiles of an expression as written, term by term: "2x - x" is two x tiles and a −x tile."""
    if not isinstance(text, str):
        raise ValueError(f"An expression must be text, with {_ACCEPTS}.")
    if len(text) > 200:
        raise ValueError("That expression is too long for a mat of tiles (at most 200 characters).")
    apart = re.search(r"\d\s+\d", text)
    if apart:
        raise ValueError(
            f'Could not read "{apart[0]}" in "{text}": two numbers need a + or a − between them; write {_ACCEPTS}.'
        )
    try:
        terms = read_terms(text)
    except ParseError as why:
        reason = f"{why.reason}; " if why.reason else ""
        raise ValueError(f'Could not read "{why.part or text}" in "{text}": {reason}write {_ACCEPTS}.') from None
    tiles: list[tuple[str, int]] = []
    for coefficient, power in terms:
        if power > 2:
            raise ValueError(
                f'Could not read "x^{power}" in "{text}": the tiles only go up to x², so write {_ACCEPTS}.'
            )
        if not isinstance(coefficient, int):
            raise ValueError(f'"{text}" has a part of a tile: write {_ACCEPTS}.')
        if len(tiles) + abs(coefficient) > MAX_TILES:
            raise ValueError(f'"{text}" needs more than {MAX_TILES} tiles: that is too many for one mat.')
        tiles += [(TERMS[2 - power], 1 if coefficient > 0 else -1)] * abs(coefficient)
    return tiles


def _split_equation(text: str) -> tuple[Coefficients, Coefficients]:
    left, right = _sides_of(text)
    return parse(left), parse(right)


def _sides_of(text: str) -> tuple[str, str]:
    if not isinstance(text, str) or text.count("=") != 1:
        raise ValueError(f'An equation needs exactly one "=", such as "2x + 3 = 11"; got {text!r:.40}.')
    left, right = text.split("=")
    if not left.strip() or not right.strip():
        raise ValueError(f'An equation needs something on both sides of "=", such as "2x + 3 = 11"; got "{text}".')
    return left, right


def write(coefficients: Coefficients) -> str:
    """An expression as a textbook prints it: "x² + 3x − 2", and "0" when nothing is left."""
    return str(_polynomial(coefficients))


def _linear(a: int, b: int) -> str:
    return write({"x": a, "1": b})


def expand(first: Coefficients, second: Coefficients) -> Coefficients:
    """The product of two linear expressions."""
    return _coefficients(_polynomial(first) * _polynomial(second))


def _factorise(coefficients: Coefficients) -> str | None:
    product = factorise(_polynomial(coefficients))
    return None if product is None else str(product)


# --- tiles ------------------------------------------------------------------------------------


def _tile(pid: str, term: str, sign: int, x: float, y: float, rot: int = 0) -> Piece:
    piece: Piece = {"id": pid, "kind": _KIND[term], "x": x, "y": y, "sign": sign}
    if term == "x":
        piece["rot"] = rot
    return piece


def _size(piece: Piece) -> tuple[float, float]:
    if piece["kind"] == "x2":
        return X, X
    if piece["kind"] == "1":
        return UNIT, UNIT
    return (UNIT, X) if piece.get("rot") == 90 else (X, UNIT)


def _box(piece: Piece) -> tuple[float, float, float, float]:
    w, h = _size(piece)
    return piece["x"] - w / 2, piece["y"] - h / 2, piece["x"] + w / 2, piece["y"] + h / 2


def _count(pieces: list[Piece]) -> Coefficients:
    net = dict.fromkeys(TERMS, 0)
    for p in pieces:
        net[_TERM[p["kind"]]] += p["sign"]
    return net


def _pairs(pieces: list[Piece]) -> int:
    return sum(
        min(
            sum(1 for p in pieces if p["kind"] == kind and p["sign"] == 1),
            sum(1 for p in pieces if p["kind"] == kind and p["sign"] == -1),
        )
        for kind in _TERM
    )


def _flow(
    tiles: list[tuple[str, int]], left: float, top: float, right: float
) -> list[tuple[str, int, float, float, int]]:
    """Lay tiles out in rows: x² squares, then x strips standing up, then 1s in columns of three.

    Returns (term, sign, centre x, centre y, rot) for each tile, grouped by shape and sign.
    """
    blocks: list[tuple[float, list[tuple[str, int, float, float, int]]]] = []  # (width, tiles at offsets)
    order = [(term, sign) for term in TERMS for sign in (1, -1)]
    breaks: set[int] = set()
    for term, sign in order:
        n = sum(1 for t_, s in tiles if t_ == term and s == sign)
        if not n:
            continue
        breaks.add(len(blocks))
        if term == "x^2":
            blocks += [(X, [(term, sign, X / 2, X / 2, 0)])] * n
        elif term == "x":
            blocks += [(UNIT, [(term, sign, UNIT / 2, X / 2, 90)])] * n
        else:
            for start in range(0, n, 3):
                column = [(term, sign, UNIT / 2, UNIT / 2 + i * (UNIT + GAP), 0) for i in range(min(3, n - start))]
                blocks.append((UNIT, column))
    placed = []
    x, y = left, top
    for i, (width, column) in enumerate(blocks):
        if i in breaks and i:
            x += 2 * GAP  # a wider gap between shapes or signs
        if x + width > right and x > left:
            x, y = left, y + X + 3 * GAP
        placed += [(term, sign, x + dx, y + dy, rot) for term, sign, dx, dy, rot in column]
        x += width + GAP
    return placed


class AlgebraTiles(Board):
    """A mat of algebra tiles: x², x and 1, positive or negative.

    >>> mat = AlgebraTiles("x^2 + 3x - 2")
    >>> mat.expression, mat.coefficients
    ('x² + 3x − 2', {'x^2': 1, 'x': 3, '1': -2})
    >>> AlgebraTiles.product("x + 2", "x + 3").expression
    'x² + 5x + 6'
    >>> AlgebraTiles.equation("2x + 3 = 11").solution
    4
    """

    _piece_css = ("algebra_tiles.css",)
    _kinds: ClassVar[dict[str, Any]] = {
        "x2": {"sign": one_of(1, -1)},
        "x": {"sign": one_of(1, -1), "rot": one_of(0, 90)},
        "1": {"sign": one_of(1, -1)},
    }
    _tap_kinds = ("x2", "x", "1")  # a tap flips a tile
    _settings: ClassVar[tuple[str, ...]] = (*Board._settings, "problem")
    _mode: ClassVar[str] = "mat"  # what a variant was built as, for those who ask: see `mode`

    sizes = t.Dict({"x2": [X, X], "x": [X, UNIT], "1": [UNIT, UNIT]}).tag(sync=True)
    problem = t.Unicode("").tag(sync=True)  # what it was built from: "(x + 2)(x + 3)", "2x + 3 = 11"

    def __init__(self, expression: str = "", *, name: str = "", show_readout: bool = True) -> None:
        """A free mat holding the tiles of `expression` as written: "2x + 3 - x" puts out 2 x, 3 ones and a −x."""
        tiles = _read_tiles(expression)
        super().__init__(name=name, show_readout=show_readout)
        self.problem = expression.strip()
        self._lay_out([(tiles, MARGIN, self.width - MARGIN)])
        self._start = self.snapshot()["pieces"]

    @property
    def mode(self) -> str:
        """What the mat was built as: "mat", "product" (a MultiplicationFrame) or "equation" (an EquationMat)."""
        return self._mode

    @classmethod
    def from_snapshot(cls, snap: dict[str, Any]) -> AlgebraTiles:
        """A mat restored from `snapshot()`, as the variant it was (a frame, an equation mat)."""
        named = snap.get("widget") if isinstance(snap, dict) else None
        variant = next((v for v in (cls, *cls.__subclasses__()) if v.__name__ == named), cls)
        return super(AlgebraTiles, variant).from_snapshot.__func__(variant, snap)

    @t.validate("problem")
    def _check_problem(self, proposal: dict[str, Any]) -> str:
        value = proposal["value"]
        if not isinstance(value, str) or len(value) > 200 or re.search(r"[\x00-\x1f\x7f]", value):
            raise Refused("A mat's problem must be one line of text, at most 200 characters.")
        return value

    # --- building mats ------------------------------------------------------------------------

    @classmethod
    def product(cls, first: str, second: str, *, name: str = "", show_readout: bool = True) -> AlgebraTiles:
        """A multiplication frame: `first` along the top, `second` down the side, the area filled with tiles.

        >>> AlgebraTiles.product("x - 1", "x + 2").expression
        'x² + x − 2'
        """
        top, side = parse(first), parse(second)
        for text, factor in ((first, top), (second, side)):
            if factor["x^2"] or not (factor["x"] or factor["1"]):
                raise ValueError(f'Each side of the frame must be a linear expression such as "x + 2"; got "{text}".')
        mat = MultiplicationFrame(name=name, show_readout=show_readout)
        mat.problem = str(Product.of([_polynomial(top), _polynomial(side)]))  # 2(x − 3), never (x − 3)(2)
        mat.factors = [dict(top), dict(side)]  # the factors as data: the headline reads them, never the text
        columns = [(X, "x", 1 if top["x"] > 0 else -1)] * abs(top["x"])
        columns += [(UNIT, "1", 1 if top["1"] > 0 else -1)] * abs(top["1"])
        rows = [(X, "x", 1 if side["x"] > 0 else -1)] * abs(side["x"])
        rows += [(UNIT, "1", 1 if side["1"] > 0 else -1)] * abs(side["1"])
        if len(columns) * len(rows) > MAX_TILES:
            raise ValueError(f"That product needs more than {MAX_TILES} tiles: too many for one mat.")
        width = sum(w for w, _, _ in columns)
        height = sum(h for h, _, _ in rows)
        edge = UNIT + 2 * GAP  # room for the factors on the top and left edges
        mat.width = max(mat.width, int(edge + width + 2 * MARGIN))
        mat.height = max(mat.height, int(edge + height + 2 * MARGIN))
        ox, oy = (mat.width - edge - width) // 2, (mat.height - edge - height) // 2  # the frame, centred
        left, top_y = int(ox + edge), int(oy + edge)
        guides: list[dict[str, Any]] = [
            {"type": "rect", "x": left, "y": top_y, "w": int(width), "h": int(height), "class": "at-frame"}
        ]
        pieces, x = [], left
        for cw, cterm, csign in columns:
            guides += _edge(x, oy + GAP, cw, UNIT, cterm, csign)
            y = top_y
            for rh, rterm, rsign in rows:
                term = {("x", "x"): "x^2", ("1", "1"): "1"}.get((cterm, rterm), "x")
                rot = 90 if (cterm, rterm) == ("1", "x") else 0
                pieces.append(_tile(f"p{len(pieces) + 1}", term, csign * rsign, x + cw / 2, y + rh / 2, rot))
                y += rh
            x += cw
        y = top_y
        for rh, rterm, rsign in rows:
            guides += _edge(ox + GAP, y, UNIT, rh, rterm, rsign)
            y += rh
        mat.guides = guides
        mat.pieces = pieces
        mat._start = mat.snapshot()["pieces"]
        return mat

    @classmethod
    def equation(cls, text: str, *, name: str = "", show_readout: bool = True) -> AlgebraTiles:
        """An equation mat: the tiles of each side of `text`, such as "2x + 3 = 11", either side of "=".

        >>> AlgebraTiles.equation("3x - 2 = x + 6").solution
        4
        """
        left, right = _sides_of(text)
        tiles = _read_tiles(left), _read_tiles(right)
        mat = EquationMat(name=name, show_readout=show_readout)
        mat.problem = f"{write(parse(left))} = {write(parse(right))}"
        mat.equation = [dict(parse(left)), dict(parse(right))]  # the equation as data, for solving and balance
        mat._draw_frame()
        half = mat.width // 2
        mat._lay_out([(tiles[0], MARGIN, half - AISLE), (tiles[1], half + AISLE, mat.width - MARGIN)])
        mat._start = mat.snapshot()["pieces"]
        return mat

    def _draw_frame(self) -> None:
        """Draw the guides again for a new height (a variant's divider); a free mat has none."""

    def _lay_out(self, regions: list[tuple[list[tuple[str, int]], float, float]]) -> None:
        pieces: list[Piece] = []
        bottom = 0.0
        for tiles, left, right in regions:
            for term, sign, x, y, rot in _flow(tiles, left, MARGIN, right):
                pieces.append(_tile(f"p{len(pieces) + 1}", term, sign, x, y, rot))
                bottom = max(bottom, y + X / 2)
        if bottom + MARGIN > self.height:
            self.height = int(bottom + MARGIN)
            self._draw_frame()
        self.pieces = pieces

    # --- what the tiles mean ----------------------------------------------------------------------

    def _sides(self) -> list[list[Piece]]:
        return [list(self.pieces)]

    @property
    def coefficients(self) -> Coefficients:
        """Net tiles of each shape, positive minus negative, keyed "x^2", "x" and "1".

        On an equation mat: the left side minus the right side (the equation as "... = 0").
        """
        sides = [_count(side) for side in self._sides()]
        if len(sides) == 2:
            return {term: sides[0][term] - sides[1][term] for term in TERMS}
        return sides[0]

    @property
    def sides(self) -> list[Coefficients]:
        """The coefficients of each side: one side on a mat, left and right on an equation mat."""
        return [_count(side) for side in self._sides()]

    @property
    def expression(self) -> str:
        """What the tiles on the mat say, simplified, as a textbook writes it: "x² + 3x − 2", or "0".

        On an equation mat, both sides: "2x + 3 = 11".
        """
        return " = ".join(write(side) for side in self.sides)

    @property
    def zero_pairs(self) -> int:
        """How many pairs of a positive and a negative tile of the same shape (on the same side) there are."""
        return sum(_pairs(side) for side in self._sides())

    def factorise(self) -> str | None:
        """The tiles' expression factorised over the integers, such as "(x + 2)(x + 3)", "(x + 1)²" or "2(x + 3)".

        None when there is no factorisation beyond the expression itself (x² + 1, x + 1).
        """
        return _factorise(self.coefficients)

    @property
    def solution(self) -> int | Fraction | None:
        """The value of x that solves the equation the mat was built with (on an equation mat)."""
        return None

    @property
    def solved(self) -> bool:
        """True when one side is a single x tile and the other side holds only 1 tiles (on an equation mat)."""
        return False

    def rectangle(self) -> tuple[str, str] | None:
        """(width, height) as expressions when the tiles lie edge to edge as one full rectangle."""
        pieces = self.pieces
        if len(pieces) < 2 or len(pieces) > MAX_TILES or any(p["sign"] != 1 for p in pieces):
            return None
        boxes = [_box(p) for p in pieces]
        left, top = min(b[0] for b in boxes), min(b[1] for b in boxes)
        right, bottom = max(b[2] for b in boxes), max(b[3] for b in boxes)
        area = sum((b[2] - b[0]) * (b[3] - b[1]) for b in boxes)
        if abs(area - (right - left) * (bottom - top)) > _TOLERANCE * 2 * (right - left + bottom - top):
            return None
        for i, a in enumerate(boxes):
            for b in boxes[i + 1 :]:
                if min(a[2], b[2]) - max(a[0], b[0]) > _TOLERANCE and min(a[3], b[3]) - max(a[1], b[1]) > _TOLERANCE:
                    return None  # two tiles overlap
        along = [b[2] - b[0] for b in boxes if abs(b[1] - top) <= _TOLERANCE]
        down = [b[3] - b[1] for b in boxes if abs(b[0] - left) <= _TOLERANCE]
        if abs(sum(along) - (right - left)) > _TOLERANCE * len(along) or abs(
            sum(down) - (bottom - top)
        ) > _TOLERANCE * len(down):
            return None
        width = {"x": sum(1 for w in along if w == X), "1": sum(1 for w in along if w == UNIT)}
        height = {"x": sum(1 for h in down if h == X), "1": sum(1 for h in down if h == UNIT)}
        if expand(width, height) != self.coefficients:
            return None  # a rectangle, but its tiles do not line up as x by x, x by 1 and 1 by 1
        return _linear(width["x"], width["1"]), _linear(height["x"], height["1"])

    def _readout(self) -> dict[str, Any]:
        net = self.coefficients
        expression = write(net)
        facts = [
            ["x² tiles", signed(net["x^2"])],
            ["x tiles", signed(net["x"])],
            ["unit tiles", signed(net["1"])],
            ["zero pairs", str(self.zero_pairs)],
        ]
        headline = self._headline(expression, net)
        shape = self.rectangle()
        if shape:
            width, height = shape
            factorised = _factorise(net) or f"({width})({height})"
            headline = f"{factorised} = {expression}"
            facts += [["rectangle", "yes"], ["width", width], ["height", height], ["factorised", factorised]]
        return {"headline": headline, "facts": facts}

    def _headline(self, expression: str, net: Coefficients) -> str:
        return expression

    def _words(self, readout: dict[str, Any]) -> str:
        return f"{_tiles_in_words(self._sides()[0])}: {readout['headline']}"

    # --- changing the mat from Python (and from the toolbar) --------------------------------------

    @action
    def add(self, term: str, n: int = 1, side: str | None = None) -> None:
        """Put `n` tiles of `term` ("x^2", "x", "1", "-x^2", "-x" or "-1") on the mat.

        On an equation mat `side` is "left", "right" or "both"; by default "both" in both sides mode,
        else "left".
        """
        names = {"x^2", "x", "1", "-x^2", "-x", "-1"}
        try:
            tile = read_terms(term) if isinstance(term, str) and term.strip() else []
        except ParseError:
            tile = []
        if len(tile) != 1 or abs(tile[0][0]) != 1 or tile[0][1] > 2:
            raise ValueError(f"A tile is one of {', '.join(sorted(names))}; got {_short(term)}.")
        if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= 100:
            raise ValueError("n must be a whole number of tiles from 1 to 100.")
        sign, term = tile[0][0], TERMS[2 - tile[0][1]]
        regions = self._regions(side)
        if len(self.pieces) + n * len(regions) > MAX_TILES:
            raise Refused(f"A mat holds at most {MAX_TILES} tiles: take some off first.")
        pieces = list(self.pieces)
        taken = {p["id"] for p in pieces}
        for left, right in regions:
            for _ in range(n):
                spot = self._free_spot(pieces, term, left, right)
                if spot is None:
                    raise Refused("There is no room on the mat for another tile: take some off first.")
                x, y, rot = spot
                pieces.append(_tile(self._new_id(taken), term, sign, x, y, rot))
        self.pieces = pieces

    def _regions(self, side: str | None) -> list[tuple[float, float]]:
        if side not in (None, "both"):
            raise ValueError("Only an equation mat has sides.")
        return [(0, self.width)]

    def _free_spot(self, pieces: list[Piece], term: str, left: float, right: float) -> tuple[float, float, int] | None:
        """The first place, reading from the top left of a region, where a new tile fits."""
        rot = 90 if term == "x" else 0
        w, h = (UNIT, X) if term == "x" else ((X, X) if term == "x^2" else (UNIT, UNIT))
        boxes = [_box(p) for p in pieces]
        step = 16
        start, end = int(left + MARGIN), int(right - MARGIN - w)
        for y in range(MARGIN, int(self.height - MARGIN - h) + 1, step):
            near = [b for b in boxes if y + h + GAP > b[1] and b[3] + GAP > y]  # the tiles this row of spots meets
            x = start
            while x <= end:
                blocker = next((b for b in near if x + w + GAP > b[0] and b[2] + GAP > x), None)
                if blocker is None:
                    return x + w / 2, y + h / 2, rot
                x += step * math.ceil((blocker[2] + GAP - x) / step)  # every spot before its far edge is blocked too
        return None

    @action
    def cancel_zero_pairs(self) -> None:
        """Take every zero pair (a positive and a negative tile of one shape, on one side) off the mat."""
        drop: set[str] = set()
        for side in self._sides():
            for kind in _TERM:
                pos = [p["id"] for p in side if p["kind"] == kind and p["sign"] == 1]
                neg = [p["id"] for p in side if p["kind"] == kind and p["sign"] == -1]
                pairs = min(len(pos), len(neg))
                drop.update(pos[:pairs], neg[:pairs])
        self.pieces = [p for p in self.pieces if p["id"] not in drop]

    @action
    def toggle_both_sides(self) -> None:
        """Switch "both sides" mode: new tiles go on both sides of an equation mat at once."""
        raise ValueError("Both sides mode is for an equation mat.")

    @action
    def split(self, groups: int | None = None) -> None:
        """Lay each side of an equation out as `groups` equal groups (on an equation mat)."""
        raise ValueError("Splitting into equal groups is for an equation mat.")

    def divide(self, groups: int) -> None:
        """Split both sides into `groups` equal groups and keep one group on each side (on an equation mat)."""
        raise ValueError("Dividing into equal groups is for an equation mat.")

    @action
    def flip(self, ids: list[str]) -> None:
        """Turn these tiles over: positive to negative and back."""
        self._change(ids, lambda p: {**p, "sign": -p["sign"]})

    @action
    def rotate(self, ids: list[str]) -> None:
        """Turn these x tiles a quarter turn (other tiles look the same turned)."""
        self._change(ids, lambda p: {**p, "rot": 0 if p["rot"] == 90 else 90} if p["kind"] == "x" else p)

    def _change(self, ids: list[str], change: Any) -> None:
        have = {p["id"] for p in self.pieces}
        missing = [i for i in ids if i not in have]
        if missing:
            raise ValueError(f"There is no tile with id {_short(missing[0])} on this mat.")
        chosen = set(ids)
        self.pieces = [change(p) if p["id"] in chosen else p for p in self.pieces]

    def clear(self) -> None:
        """Take every tile off the mat."""
        self.pieces = []

    # --- the mat's look, toolbar and gestures ---------------------------------------------------

    def _look(self, piece: Piece) -> list[look.Shape]:
        w, h = _size(piece)
        sign = "positive" if piece["sign"] == 1 else "negative"
        glyph = _NAMES[piece["kind"]] if piece["sign"] == 1 else MINUS + _NAMES[piece["kind"]]
        shapes = [look.box(w, h)]
        if piece["sign"] == -1 and piece["kind"] != "1":  # a 1 tile is too small: its "−1" is the mark
            shapes.append(look.box(w - 12, h - 12, "at-mark"))
        upright = (
            " at-upright" if piece["kind"] == "x" and piece.get("rot") == 90 else ""
        )  # a narrow strip: smaller text
        return [look.group(f"at-tile at-{piece['kind']} {sign}{upright}", *shapes, look.text(glyph))]

    def _name(self, piece: Piece) -> str:
        words = f"{'positive' if piece['sign'] == 1 else 'negative'} {_WORDS[piece['kind']]} tile"
        if piece["kind"] == "x":
            words += ", standing up" if piece.get("rot") == 90 else ", lying down"
        return words

    def _tools(self) -> list[dict[str, Any]]:
        adding = [
            tool("add", f"+ {label}", f"Add a {words} tile", args={"term": term})
            for label, term, words in [
                ("x²", "x^2", "x squared"),
                (f"{MINUS}x²", "-x^2", "negative x squared"),
                ("x", "x", "x"),
                (f"{MINUS}x", "-x", "negative x"),
                ("1", "1", "one"),
                (f"{MINUS}1", "-1", "negative one"),
            ]
        ]
        tiles = tuple(self._kinds)
        return [
            *adding,
            tool("flip", "± Flip", "Flip the selected tiles: positive to negative", select=tiles, hint=_TAP_TILES),
            tool("rotate", "⟳ Rotate", "Turn the selected x tiles a quarter turn", select=("x",), hint=_TAP_X),
            tool("cancel_zero_pairs", "Zero pairs off", "Take every zero pair off the mat"),
        ]

    def _tapped(self, piece: Piece) -> None:
        self.flip([piece["id"]])

    def _dropped(self, pieces: list[Piece], moved: set[str]) -> list[Piece]:
        return zero_pairs_dropped(pieces, moved, self._size)


_NAMES = {"x2": "x²", "x": "x", "1": "1"}
_SPOKEN = {"x2": "x²", "x": "x", "1": "unit"}


def _tiles_in_words(pieces: list[Piece]) -> str:
    """Tiles as a pupil would count them aloud: "one x tile and five negative 1 tiles"."""
    counts = []
    for kind in ("x2", "x", "1"):
        for sign, tone in ((1, ""), (-1, "negative ")):
            n = sum(1 for p in pieces if p["kind"] == kind and p["sign"] == sign)
            if n:
                counts.append(f"{n} {tone}{_SPOKEN[kind]} tile{'' if n == 1 else 's'}")
    if not counts:
        return "no tiles"
    return ", ".join(counts[:-1]) + (" and " if len(counts) > 1 else "") + counts[-1]


_WORDS = {"x2": "x squared", "x": "x", "1": "one"}
_TAP_TILES = "Tap the tiles to flip, then Flip."
_TAP_X = "Tap the x tiles to turn, then Rotate."


class MultiplicationFrame(AlgebraTiles):
    """A multiplication frame (`AlgebraTiles.product`): the factors on the edges, the product's tiles inside."""

    _mode = "product"
    _settings: ClassVar[tuple[str, ...]] = (*AlgebraTiles._settings, "factors")
    factors = t.List().tag(sync=True)  # the two factors' coefficients, as the frame was built

    @t.validate("factors")
    def _check_factors(self, proposal: dict[str, Any]) -> list[Coefficients]:
        return _check_sides(proposal["value"], "A frame's factors")

    def _headline(self, expression: str, net: Coefficients) -> str:
        if len(self.factors) == 2 and expand(*self.factors) == net:
            return f"{self.problem} = {expression}"
        return expression


class EquationMat(AlgebraTiles):
    """An equation mat (`AlgebraTiles.equation`): each side's tiles either side of a divider and an "=" sign."""

    _mode = "equation"
    _settings: ClassVar[tuple[str, ...]] = (*AlgebraTiles._settings, "equation", "both_sides")
    both_sides = t.Bool(False).tag(sync=True)  # add tiles to both sides at once
    equation = t.List().tag(sync=True)  # each side's coefficients, as the mat was built

    @t.validate("equation")
    def _check_equation(self, proposal: dict[str, Any]) -> list[Coefficients]:
        return _check_sides(proposal["value"], "An equation mat's equation")

    def _start_net(self) -> list[int] | None:
        """The starting equation as left minus right = 0, or None for a mat built without one."""
        if len(self.equation) != 2:
            return None
        left, right = self.equation
        return [left[term] - right[term] for term in TERMS]

    def _draw_frame(self) -> None:
        half = self.width // 2
        self.guides = [
            {"type": "line", "x1": half, "y1": 12, "x2": half, "y2": self.height - 12, "class": "at-divider"},
            {"type": "rect", "x": half - 34, "y": self.height // 2 - 34, "w": 68, "h": 68, "class": "at-equals"},
            {"type": "text", "x": half, "y": self.height // 2, "text": "=", "class": "at-equals"},
        ]

    def _sides(self) -> list[list[Piece]]:
        half = self.width / 2
        return [[p for p in self.pieces if p["x"] < half], [p for p in self.pieces if p["x"] >= half]]

    def _name(self, piece: Piece) -> str:
        return f"{super()._name(piece)}, {'left' if piece['x'] < self.width / 2 else 'right'} side"

    def _words(self, readout: dict[str, Any]) -> str:
        left, right = self._sides()
        return f"left side: {_tiles_in_words(left)}; right side: {_tiles_in_words(right)}. {readout['headline']}"

    def factorise(self) -> str | None:
        return None

    def rectangle(self) -> tuple[str, str] | None:
        return None

    def _regions(self, side: str | None) -> list[tuple[float, float]]:
        half = self.width / 2
        chosen = side or ("both" if self.both_sides else "left")
        inner = AISLE - MARGIN  # _free_spot keeps MARGIN from each end: AISLE from the divider
        left, right = (0, half - inner), (half + inner, self.width)
        spans = {"left": [left], "right": [right], "both": [left, right]}
        if chosen not in spans:
            raise ValueError(f"side must be left, right or both; got {chosen!r:.20}.")
        return spans[chosen]

    @property
    def solution(self) -> int | Fraction | None:
        """The value of x that solves the equation the mat was built with; None if there is not exactly one."""
        start = self._start_net()
        return None if start is None else _solve(dict(zip(TERMS, start, strict=True)))

    @property
    def solved(self) -> bool:
        """True when one side is a single x tile and the other side holds only 1 tiles."""
        sides = self._sides()
        for alone, other in (sides, sides[::-1]):
            lone_x = len(alone) == 1 and alone[0]["kind"] == "x" and alone[0]["sign"] == 1
            if lone_x and all(p["kind"] == "1" for p in other):
                return True
        return False

    def _balanced(self) -> bool:
        """Whether the equation on the mat is the one it started as, times a number: same solutions."""
        start = self._start_net()
        if start is None:
            return False
        now = [self.coefficients[term] for term in TERMS]
        if not any(start) or not any(now):
            return not any(start) and not any(now)
        return all(start[i] * now[j] == start[j] * now[i] for i in range(3) for j in range(3))

    def _readout(self) -> dict[str, Any]:
        left, right = self.sides
        balanced = self._balanced()
        headline = f"{write(left)} = {write(right)}"
        if self.solved:
            headline += " \u2714 solved" if balanced else " (not the starting equation)"
        facts = [
            ["left side", write(left)],
            ["right side", write(right)],
            ["zero pairs", str(self.zero_pairs)],
            ["in balance", "yes" if balanced else "no: do the same to both sides"],
            ["both sides mode", "on" if self.both_sides else "off"],
        ]
        return {"headline": headline, "facts": facts}

    @t.observe("both_sides")
    def _both_sides_changed(self, change: dict[str, Any]) -> None:
        self._redraw()  # the readout and the toolbar say which mode is on

    def _tools(self) -> list[dict[str, Any]]:
        return [
            *super()._tools(),
            tool(
                "toggle_both_sides",
                f"Both sides: {'on' if self.both_sides else 'off'}",
                "Both sides mode: new tiles go on both sides of the equation",
                pressed=self.both_sides,
            ),
            tool("split", "Split into groups", "Share each side into equal groups, one for each x"),
        ]

    @action
    def toggle_both_sides(self) -> None:
        """Switch "both sides" mode: new tiles go on both sides of an equation mat at once."""
        self.both_sides = not self.both_sides

    @action
    def split(self, groups: int | None = None) -> None:
        """Lay each side of an equation out as `groups` equal groups, one row each.

        By default, as many groups as there are x tiles on the side that has them. Pupils then
        keep one group on each side: x = one group's worth.
        """
        with self._all_or_nothing():  # a refusal leaves the mat as it was, zero pairs and all
            self._split(groups)

    def _split(self, groups: int | None) -> None:
        self.cancel_zero_pairs()
        sides = self._sides()
        if groups is None:
            counts = [abs(_count(side)["x"]) for side in sides]
            groups = max(counts)
        if isinstance(groups, bool) or not isinstance(groups, int) or not 2 <= groups <= 20:
            raise ValueError("Split into 2 to 20 equal groups (have x tiles on one side to split by).")
        for side in sides:
            for kind in _TERM:
                for sign in (1, -1):
                    if sum(1 for p in side if p["kind"] == kind and p["sign"] == sign) % groups:
                        raise ValueError(
                            f"The tiles do not share into {groups} equal groups: each side's tiles of each shape "
                            f"must divide by {groups}."
                        )
        half = self.width / 2
        row_h = max(UNIT, X if any(p["kind"] != "1" for p in self.pieces) else UNIT) + 2 * GAP
        if MARGIN + groups * row_h > self.height:
            self.height = int(MARGIN * 2 + groups * row_h)
            self._draw_frame()
        pieces: list[Piece] = []
        for side, left in zip(sides, (MARGIN, half + AISLE), strict=True):
            ordered = sorted(side, key=lambda p: (list(_TERM).index(p["kind"]), -p["sign"]))
            for g in range(groups):
                group = ordered[g::groups]
                x = left
                y = MARGIN + g * row_h
                for p in group:
                    w, h = (UNIT, X) if p["kind"] == "x" else _size(p)
                    rot = {"rot": 90} if p["kind"] == "x" else {}
                    if x + w > left + half - AISLE - MARGIN:
                        raise ValueError("The groups are too wide for the mat: take some tiles off first.")
                    pieces.append({**p, **rot, "x": x + w / 2, "y": y + h / 2})
                    x += w + GAP
        self.pieces = pieces

    def divide(self, groups: int) -> None:
        """Split both sides into `groups` equal groups and keep one group on each side."""
        self.split(groups)
        keep: set[str] = set()
        for side in self._sides():
            ordered = sorted(side, key=lambda p: (p["y"], p["x"]))
            keep.update(p["id"] for p in ordered[: len(ordered) // groups])
        self.pieces = [p for p in self.pieces if p["id"] in keep]


def _edge(x: float, y: float, w: float, h: float, term: str, sign: int) -> list[dict[str, Any]]:
    """A factor tile drawn on the edge of the multiplication frame (a guide: it is not on the mat)."""
    tone = "positive" if sign == 1 else "negative"
    label = ("" if sign == 1 else MINUS) + term
    return [
        {"type": "rect", "x": int(x), "y": int(y), "w": int(w), "h": int(h), "class": f"at-edge {tone}"},
        {"type": "text", "x": int(x + w / 2), "y": int(y + h / 2), "text": label, "class": f"at-edge {tone}"},
    ]


def _check_sides(value: Any, what: str) -> list[Coefficients]:
    """Two expressions' coefficients (x², x and 1, whole numbers), as a frame or a mat was built."""
    fine = (
        isinstance(value, list)
        and len(value) in (0, 2)
        and all(
            isinstance(side, dict)
            and side.keys() == set(TERMS)
            and all(isinstance(c, int) and not isinstance(c, bool) and abs(c) <= MAX_TILES for c in side.values())
            for side in value
        )
    )
    if not fine:
        raise Refused(f"{what} must be two sets of whole coefficients of x², x and 1.")
    return value


def _solve(net: Coefficients) -> int | Fraction | None:
    """The one solution of net = 0, if it is linear with exactly one."""
    return solve_linear(_polynomial(net))
