"""The area model and grid method: multiplication of whole numbers, decimals and expressions.

A rectangle whose sides are the two factors: the first across the top, the second down the side.
Each side is split into parts (23 = 20 + 3 by place value; an expression by its terms), and each
cell is the product of its row's part and its column's part. The readout adds the cells row by
row, as the grid method does: 23 × 14 = 200 + 30 + 80 + 12 = 322, and
(x + 3)(x + 2) = x² + 3x + 2x + 6 = x² + 5x + 6.

Numbers are drawn to scale (a 20-by-10 cell is bigger than a 3-by-4 one) and pupils split a side
differently by dragging a partition's grip: it snaps to whole units (or the side's own step, 0.1
for 2.5), dragged to an end it goes, and Split adds one. Expressions, and anything with a negative
term, are drawn by their terms, not to scale, and the board says so, as textbooks do.
`AreaModel.array(rows, cols)` is an array of dots on unit squares, for facts and factors.

Every value is exact: a side's length and each partition are Fractions (kept as [numerator,
denominator]); expressions go through the one polynomial (maths/polynomial.py).
"""

from __future__ import annotations

import copy
import math
from decimal import Decimal
from fractions import Fraction
from typing import Any, ClassVar

import traitlets as t

from maths.area import partials, place_value_parts, term_sum, total, unit_step
from maths.numbers import NotANumber, exact, plain, read_number
from maths.polynomial import ParseError, Polynomial, read_terms
from maths.printing import MINUS, decimal_style, written

from . import _look as look
from ._board import Board, Piece, Refused, action, one_of, tool
from ._protocol import short
from .number_line import _check_pair, _pair, _q

__all__ = ["AreaModel", "ArrayModel"]

MAX_TERMS = 6  # terms in a side written as an expression
MAX_POWER = 3
MAX_SIZE = 10**6  # a number, or a term's coefficient, either way
MAX_DENOMINATOR = 1000
MAX_STEPS = 100_000  # places a partition can snap to along one side
MAX_CUTS = 9  # partitions on one side: at most ten parts
MAX_ARRAY = 30

# Geometry, in board units (about 1.4 screen pixels each on a 1920 px whiteboard).
_WIDTH, _HEIGHT = 1000, 600
_LEFT, _TOP = 140, 96  # room for the side's parts on the left and the top's above
_ROOM = (740, 400)  # the most the rectangle takes, across and down
_SHORTEST = 150  # a side drawn shorter than this is stretched (and the board says "not to scale")
_GRIP = 24  # a partition's grip: its radius
_REACH = 46  # from the rectangle's edge to a grip's centre
_NUDGE = 3  # a move this small (an arrow key) is one step of the side, whatever it snaps to
_EDGE_FONT, _CELL_FONT, _SMALL_FONT = 34, 34, 24  # font sizes in area_model.css, for fitting
_WEIGHT = {0: 1.0, 1: 2.6, 2: 3.6, 3: 4.4}  # not to scale: how long a term's part is, by its power
_SIDES = ("across", "down")

Term = list[int]  # [numerator, denominator, power]


# --- the author's sides, read exactly ------------------------------------------------------------


def _check_terms(value: Any) -> list[Term]:
    """A side as data: 1 to MAX_TERMS terms [numerator, denominator, power], none 0, in lowest terms."""
    ok = isinstance(value, list) and 1 <= len(value) <= MAX_TERMS
    for term in value if ok else ():
        ok = ok and (
            isinstance(term, list)
            and len(term) == 3
            and all(isinstance(v, int) and not isinstance(v, bool) for v in term)
            and term[0] != 0
            and 1 <= term[1] <= MAX_DENOMINATOR
            and abs(term[0]) <= MAX_SIZE * term[1]
            and math.gcd(term[0], term[1]) == 1
            and 0 <= term[2] <= MAX_POWER
        )
    if not ok:
        raise Refused(
            f"An area model's side is 1 to {MAX_TERMS} terms, each [numerator, denominator, power]: not 0, "
            f"in lowest terms, at most {MAX_SIZE} either way, a denominator up to {MAX_DENOMINATOR}, "
            f"a power up to {MAX_POWER}."
        )
    return [list(term) for term in value]


def _read_side(value: Any, what: str) -> tuple[list[Term], str | None, bool]:
    """An author's side: a number (int, float, Fraction, Decimal or text) or an expression as text.
    Its terms, its letter (None for a number) and whether it is written as a decimal."""
    if isinstance(value, str):
        try:
            q = read_number(value)
        except NotANumber:
            pass
        else:
            return _terms_of([(q, 0)], what), None, "." in value
        letters = {c.lower() for c in value if c.isalpha()}
        if len(letters) > 1:
            raise ValueError(f"{what} has one letter at most: {short(value)} has {len(letters)}.")
        letter = min(letters, default=None)
        try:
            terms = read_terms(value, letter or "x")
        except ParseError as why:
            raise ValueError(f'{what}: {why}. Write it as terms, such as "x + 3" or "2x − 1".') from None
        return _terms_of([(Fraction(c), p) for c, p in terms if c], what), letter, "." in value
    if isinstance(value, bool) or not isinstance(value, (int, float, Fraction, Decimal)):
        raise ValueError(f'{what} must be a number, such as 23 or 2.5, or an expression, such as "x + 3".')
    try:
        q = exact(value)
    except ValueError as why:
        raise ValueError(f"{what}: {why}.") from None
    return _terms_of([(q, 0)], what), None, decimal_style([value])


def _terms_of(terms: list[tuple[Fraction, int]], what: str) -> list[Term]:
    out = [[Fraction(c).numerator, Fraction(c).denominator, p] for c, p in terms]
    try:
        return _check_terms(out)
    except Refused:
        raise ValueError(
            f"{what} must not be 0, with at most {MAX_TERMS} terms, powers up to {MAX_POWER}, numbers at most "
            f"{MAX_SIZE} either way and denominators up to {MAX_DENOMINATOR}."
        ) from None


def _value(term: Term) -> Fraction:
    return Fraction(term[0], term[1])


def _is_length(terms: list[Term]) -> bool:
    """A side drawn to scale: positive numbers only."""
    return all(term[2] == 0 and term[0] > 0 for term in terms)


def _fits(text: str, size: float, room: float) -> bool:
    """Whether text in a bold sans of `size` fits across `room` (a digit about 0.62 em, a minus 0.84)."""
    return sum(0.84 if c == MINUS else 0.45 if c in "²³" else 0.62 for c in text) * size <= room


class AreaModel(Board):
    """The area model of `a` × `b`: `a` across the top, `b` down the side.

    >>> model = AreaModel(23, 14)
    >>> model.partials, model.total
    ([200, 30, 80, 12], 322)
    >>> model.readout["headline"]
    '23 × 14 = 200 + 30 + 80 + 12 = 322'
    """

    _piece_css = ("area_model.css",)
    _svg_class = "mn-board am-board"
    _kinds: ClassVar[dict[str, Any]] = {"cut": {"side": one_of(*_SIDES), "at": _check_pair}}
    _settings = (*Board._settings, "across", "down", "letter", "decimals")
    _stretch: ClassVar[bool] = True  # a very thin rectangle is drawn thicker, and says it is not to scale

    width = t.Int(_WIDTH, min=100, max=10_000).tag(sync=True)
    height = t.Int(_HEIGHT, min=100, max=10_000).tag(sync=True)
    grid = t.Int(1).tag(sync=True)  # an arrow key moves a partition by one board unit: one step of its side
    sizes = t.Dict({"cut": [2 * _GRIP, 2 * _GRIP]}).tag(sync=True)
    # The sides, as data: Python's alone (the browser draws what it is sent).
    across = t.List([[1, 1, 0]])
    down = t.List([[1, 1, 0]])
    letter = t.Unicode("x")
    decimals = t.Bool(False)  # numbers print as decimals (the author wrote decimals), else as fractions

    def __init__(self, a: Any = 23, b: Any = 14, *, name: str = "", show_readout: bool = True) -> None:
        """The area model of `a` × `b`: numbers (23, 2.5, Fraction(7, 3)) or expressions ("x + 3", "2x − 1")."""
        across, letter_a, dec_a = _read_side(a, "The first side")
        down, letter_b, dec_b = _read_side(b, "The second side")
        if letter_a and letter_b and letter_a != letter_b:
            raise ValueError(f"Both sides are in one letter: {letter_a} and {letter_b} are two.")
        self._check_size(across, down)
        super().__init__(
            name=name,
            show_readout=show_readout,
            across=across,
            down=down,
            letter=letter_a or letter_b or "x",
            decimals=dec_a or dec_b,
        )
        if self._scaled():
            self.pieces = [self._cut(side, at, n) for side in _SIDES for n, at in enumerate(self._first_cuts(side), 1)]
            self._start = copy.deepcopy(self.pieces)

    @classmethod
    def array(cls, rows: int, cols: int, *, name: str = "", show_readout: bool = True) -> ArrayModel:
        """An array of `rows` rows of `cols` dots, each on its unit square: facts and factors."""
        return ArrayModel(rows, cols, name=name, show_readout=show_readout)

    @staticmethod
    def _check_size(across: list[Term], down: list[Term]) -> None:
        for terms in (across, down):
            if _is_length(terms):
                length = sum(map(_value, terms))
                if length / unit_step(length, True) > MAX_STEPS:
                    raise ValueError(f"A side drawn to scale has at most {MAX_STEPS} steps: use a shorter number.")

    def _first_cuts(self, side: str) -> list[Fraction]:
        """Where a side is split at first: after each term as written ("20 + 3"), else by place value."""
        terms = [_value(term) for term in getattr(self, side)]
        parts = terms if len(terms) > 1 else place_value_parts(terms[0], self.decimals)
        return [sum(parts[:n]) for n in range(1, len(parts))][:MAX_CUTS]

    def _cut(self, side: str, at: Fraction, n: int) -> Piece:
        return {"id": f"{side[0]}{n}", "kind": "cut", "x": 0, "y": 0, "side": side, "at": _pair(at)}

    # --- the declared sides, checked whole (a snapshot may carry anything) --------------------------

    @t.validate("across", "down")
    def _check_side(self, proposal: dict[str, Any]) -> list[Term]:
        terms = _check_terms(proposal["value"])
        sides = {"across": self.across, "down": self.down, proposal["trait"].name: terms}
        try:
            self._check_size(sides["across"], sides["down"])
        except ValueError as why:
            raise Refused(str(why)) from None
        self._check_cuts(self.pieces, sides["across"], sides["down"])
        return terms

    @t.validate("letter")
    def _check_letter(self, proposal: dict[str, Any]) -> str:
        value = proposal["value"]
        if not (isinstance(value, str) and len(value) == 1 and value.isascii() and value.isalpha()):
            raise Refused("An area model's letter is one letter, such as x.")
        return value

    @t.observe("across", "down", "letter", "decimals")
    def _sides_changed(self, change: dict[str, Any]) -> None:
        arranged = self._arrange(self.pieces)
        if arranged != self.pieces:
            self.pieces = arranged
        else:
            self._redraw()

    def _check_whole(self, pieces: list[Piece]) -> None:
        self._check_cuts(pieces, self.across, self.down)

    def _check_cuts(self, pieces: list[Piece], across: list[Term], down: list[Term]) -> None:
        cuts = [p for p in pieces if p["kind"] == "cut"]
        if cuts and not (_is_length(across) and _is_length(down)):
            raise Refused("This area model is split by its terms, not to scale: its sides cannot be split again.")
        for side, terms in (("across", across), ("down", down)):
            mine = [_q(p["at"]) for p in cuts if p["side"] == side]
            if not mine:
                continue
            length = sum(map(_value, terms))
            step = unit_step(length, self.decimals)
            if len(mine) > MAX_CUTS or len(set(mine)) != len(mine):
                raise Refused(f"A side has at most {MAX_CUTS} partitions, each in a place of its own.")
            if not all(0 < at < length and (at / step).denominator == 1 for at in mine):
                raise Refused(f"A partition of {self._num(length)} is inside it, at a multiple of {self._num(step)}.")

    # --- what the model shows ------------------------------------------------------------------

    def _scaled(self) -> bool:
        """Drawn to scale, with partitions to drag: both sides are positive numbers."""
        return _is_length(self.across) and _is_length(self.down)

    def _length(self, side: str) -> Fraction:
        return sum((_value(term) for term in getattr(self, side)), Fraction(0))

    def _step(self, side: str) -> Fraction:
        """Where a side's partitions snap: whole units, a decimal's last place, a fraction's own part."""
        return unit_step(self._length(side), self.decimals)

    def _parts(self, side: str) -> list[Polynomial]:
        """A side's parts, in order: between its partitions (to scale), else its terms."""
        if self._scaled():
            edges = [Fraction(0), *sorted(_q(p["at"]) for p in self.pieces if p["side"] == side), self._length(side)]
            return [Polynomial([b - a], self.letter) for a, b in zip(edges, edges[1:], strict=False)]
        return [Polynomial.monomial(_value(term), term[2], self.letter) for term in getattr(self, side)]

    def _algebra(self) -> bool:
        """Whether the letter appears: the cells are then expressions, else numbers."""
        return any(term[2] for term in (*self.across, *self.down))

    def _out(self, p: Polynomial) -> int | Fraction | Polynomial:
        return p if self._algebra() else plain(Fraction(p[0]))

    @property
    def parts(self) -> tuple[list[int | Fraction | Polynomial], list[int | Fraction | Polynomial]]:
        """The parts across the top and down the side, in order: ([20, 3], [10, 4])."""
        return [self._out(p) for p in self._parts("across")], [self._out(p) for p in self._parts("down")]

    @property
    def partials(self) -> list[int | Fraction | Polynomial]:
        """The cells' products, row by row (a row for each part down the side): [200, 30, 80, 12]."""
        return [self._out(p) for p in partials(self._parts("across"), self._parts("down"))]

    @property
    def total(self) -> int | Fraction | Polynomial:
        """The cells added up: the product, exactly (a Polynomial when the letter appears)."""
        return self._out(total(partials(self._parts("across"), self._parts("down"))))

    # --- printing -------------------------------------------------------------------------------

    def _num(self, q: Fraction) -> str:
        return written(plain(q), decimal=self.decimals)

    def _text(self, p: Polynomial) -> str:
        """A term or a sum as a textbook prints it: numbers as the author wrote them (2.5, 5/2)."""
        if p.degree < 1:
            return self._num(Fraction(p[0]))
        return str(p)

    def _side_text(self, side: str) -> str:
        terms = [Polynomial.monomial(_value(term), term[2], self.letter) for term in getattr(self, side)]
        if self._scaled():
            return self._text(sum(terms, Polynomial((), self.letter)))
        return term_sum([self._text(term) for term in terms])

    def _product_text(self) -> str:
        """The multiplication the model shows: 23 × 14, (x + 3)(x + 2), 2(x − 1), (20 − 1) × 14."""
        a, b = self._side_text("across"), self._side_text("down")
        if self._scaled():
            return f"{a} × {b}"
        if not self._algebra():
            return " × ".join(f"({s})" if len(terms) > 1 else s for s, terms in ((a, self.across), (b, self.down)))
        sides = [(a, self.across), (b, self.down)]
        # a number goes first, then a single term: 2(x + 3), x(x + 2), never (x + 2)x
        sides.sort(key=lambda side: (any(term[2] for term in side[1]), len(side[1]) > 1))
        (first, first_terms), (second, second_terms) = sides
        if len(first_terms) == 1 and len(second_terms) == 1:
            return f"{first} × {second}"
        return "".join(f"({text})" if len(terms) > 1 else text for text, terms in sides)

    def _readout(self) -> dict[str, Any]:
        across, down = self._parts("across"), self._parts("down")
        cells = partials(across, down)
        whole = self._text(total(cells))
        steps = [self._product_text()]
        if len(cells) > 1:
            steps.append(term_sum([self._text(c) for c in cells]))
        if steps[-1] != whole:
            steps.append(whole)
        facts = [
            ["top", term_sum([self._text(p) for p in across])],
            ["side", term_sum([self._text(p) for p in down])],
        ]
        if not self._algebra() and len(across) > 1 and len(down) > 1:
            for part, row in zip(
                down, (cells[i : i + len(across)] for i in range(0, len(cells), len(across))), strict=False
            ):
                facts.append(
                    [f"row {self._text(part)}", f"{term_sum([self._text(c) for c in row])} = {self._text(total(row))}"]
                )
        if self._algebra():
            for power in range(2 * MAX_POWER, -1, -1):
                like = [c for c in cells if c.degree == power]
                if len(like) > 1:
                    facts.append(
                        ["like terms", f"{term_sum([self._text(c) for c in like])} = {self._text(total(like))}"]
                    )
        return {"headline": " = ".join(steps), "facts": facts}

    def _words(self, readout: dict[str, Any]) -> str:
        n = len(self._parts("across")) * len(self._parts("down"))
        scale = "to scale" if self._to_scale() else "not to scale"
        return f"An area model, {scale}, in {n} cell{'s' * (n != 1)}: {readout['headline']}"

    # --- changing the partitions from Python (and from the toolbar and the hand) ------------------

    def split(self, side: str, at: Any) -> None:
        """Split `side` ("across" or "down") with a partition `at` that far along it (from the left, or the top)."""
        self._split(side, at if isinstance(at, Fraction) else self._author_number(at))
        self._set_up()

    def partition(self, across: Any = None, down: Any = None) -> None:
        """Split a side into these parts, in order: `partition(across=[15, 8])` makes 23 = 15 + 8."""
        if not self._scaled():
            raise ValueError("An area model of expressions is split by its terms: write the terms as you want them.")
        pieces = list(self.pieces)
        for side, parts in (("across", across), ("down", down)):
            if parts is None:
                continue
            if isinstance(parts, (str, bytes)) or not hasattr(parts, "__iter__"):
                raise ValueError(f"The parts of the {self._side_name(side)} are a list of numbers, such as [15, 8].")
            values = [self._author_number(p) for p in parts]
            length = self._length(side)
            if not values or any(v <= 0 for v in values) or sum(values) != length:
                raise ValueError(
                    f"The parts of the {self._side_name(side)} are positive numbers that add up to {self._num(length)}."
                )
            pieces = [p for p in pieces if p["side"] != side]
            pieces += [self._cut(side, sum(values[:n]), n) for n in range(1, len(values))]
        try:
            self.pieces = pieces
        except Refused as why:
            raise ValueError(str(why)) from None
        self._set_up()

    def _author_number(self, value: Any) -> Fraction:
        try:
            return read_number(value) if isinstance(value, str) else exact(value)
        except (TypeError, ValueError) as why:
            raise ValueError(f"A part of a side must be a number: {why}.") from None

    def _set_up(self) -> None:
        """What the author sets up before the model is first shown is where Reset goes back to."""
        if self.comm is None:
            self._start = copy.deepcopy(self.pieces)

    def _split(self, side: str, at: Fraction) -> None:
        if side not in _SIDES:
            raise ValueError('Split the side "across" (the top) or "down" (the left).')
        if not self._scaled():
            raise ValueError("An area model of expressions is split by its terms: it has no partitions to add.")
        length, step = self._length(side), self._step(side)
        name = self._side_name(side)
        if not 0 < at < length:
            raise ValueError(f"Split the {name} at a number between 0 and {self._num(length)}.")
        if (at / step).denominator != 1:
            raise ValueError(f"The {name} splits at multiples of {self._num(step)}.")
        mine = [p for p in self.pieces if p["side"] == side]
        if at in {_q(p["at"]) for p in mine}:
            raise ValueError(f"The {name} is split there already.")
        if len(mine) >= MAX_CUTS:
            raise ValueError(f"A side has at most {MAX_CUTS} partitions: drag one to an end to take it away.")
        taken = {p["id"] for p in self.pieces}
        n = 1
        while f"{side[0]}{n}" in taken:
            n += 1
        self.pieces = [*self.pieces, self._cut(side, at, n)]

    @action(name="split")
    def _split_action(self, side: str, text: str) -> None:
        """Split a side where the pupil typed."""
        try:
            at = read_number(text)
        except NotANumber as why:
            raise ValueError(f"{short(text.strip())}: {why}. Type how far along to split, such as 15.") from None
        self._split(side, at)

    def _side_name(self, side: str) -> str:
        return f"top ({self._side_text(side)})" if side == "across" else f"side ({self._side_text(side)})"

    # --- the hand: a partition dropped snaps to its side's steps ---------------------------------------

    def _dropped(self, pieces: list[Piece], moved: set[str]) -> list[Piece]:
        """A partition dropped goes to the nearest step of its side; a small nudge (an arrow key) moves
        it one step; dragged to an end, or onto another partition, it goes."""
        if not self._scaled():
            return pieces
        frame = self._frame()
        before = {p["id"]: p for p in self.pieces}
        # where each partition stands now: those that stayed first, so one dropped on them goes
        taken = {(p["side"], _q(p["at"])) for p in pieces if p["id"] not in moved}
        out = []
        for p in pieces:
            if p["id"] in moved:
                side = p["side"]
                axis, origin, scale = (
                    ("x", frame["left"], frame["sa"]) if side == "across" else ("y", frame["top"], frame["sb"])
                )
                step, length = self._step(side), self._length(side)
                at = round(Fraction(p[axis] - origin) / Fraction(scale) / step) * step
                old = before.get(p["id"])
                shift = p[axis] - old[axis] if old else 0
                if old and at == _q(old["at"]) and 0 < abs(shift) <= _NUDGE:
                    at += step if shift > 0 else -step
                if not 0 < at < length or (side, at) in taken:
                    continue  # to an end, or onto another partition: it goes
                taken.add((side, at))
                p = {**p, "at": _pair(at)}
            out.append(p)
        return out

    def _arrange(self, pieces: list[Piece]) -> list[Piece]:
        """Each partition's grip below the rectangle (across) or right of it (down), at its place."""
        if not pieces:
            return pieces
        frame = self._frame()
        out = []
        for p in pieces:
            at = float(_q(p["at"]))
            if p["side"] == "across":
                x, y = frame["left"] + at * frame["sa"], frame["top"] + frame["h"] + _REACH
            else:
                x, y = frame["left"] + frame["w"] + _REACH, frame["top"] + at * frame["sb"]
            out.append({**p, "x": round(x, 2), "y": round(y, 2)})
        return out

    # --- the look ------------------------------------------------------------------------------

    def _frame(self) -> dict[str, Any]:
        """Where the rectangle is drawn, and how long each unit of each side is (to scale)."""
        room_w, room_h = _ROOM
        if self._scaled():
            la, lb = float(self._length("across")), float(self._length("down"))
            s = min(room_w / la, room_h / lb, self._most_scale())
            sa = sb = s
            if self._stretch:
                sa, sb = max(s, _SHORTEST / la), max(s, _SHORTEST / lb)
            w, h = la * sa, lb * sb
            return {
                "left": _LEFT + (room_w - w) / 2,
                "top": _TOP + (room_h - h) / 2,
                "w": w,
                "h": h,
                "sa": sa,
                "sb": sb,
            }
        wa = sum(_WEIGHT[term[2]] for term in self.across)
        wb = sum(_WEIGHT[term[2]] for term in self.down)
        u = min(room_w / wa, room_h / wb, 150)
        w, h = wa * u, wb * u
        return {"left": _LEFT + (room_w - w) / 2, "top": _TOP + (room_h - h) / 2, "w": w, "h": h, "sa": u, "sb": u}

    def _most_scale(self) -> float:
        return math.inf

    def _to_scale(self) -> bool:
        frame = self._frame()
        return self._scaled() and frame["sa"] == frame["sb"]

    def _edges(self, side: str, frame: dict[str, Any]) -> list[float]:
        """Where each part of a side starts and ends, across (from the left) or down (from the top)."""
        origin = frame["left"] if side == "across" else frame["top"]
        scale = frame["sa"] if side == "across" else frame["sb"]
        if self._scaled():
            cuts = sorted(float(_q(p["at"])) for p in self.pieces if p["side"] == side)
            return [origin + v * scale for v in (0.0, *cuts, float(self._length(side)))]
        edges = [origin]
        for term in getattr(self, side):
            edges.append(edges[-1] + _WEIGHT[term[2]] * scale)
        return edges

    def _redraw(self) -> None:
        with self.hold_sync():
            self.backdrop = self._backdrop()
            super()._redraw()

    def _backdrop(self) -> list[look.Shape]:
        """The rectangle: its cells with their products, and each side's parts along its edge."""
        frame = self._frame()
        xs, ys = self._edges("across", frame), self._edges("down", frame)
        across, down = self._parts("across"), self._parts("down")
        cells: list[look.Shape] = []
        for (y0, y1), row in zip(zip(ys, ys[1:], strict=False), down, strict=False):
            for (x0, x1), column in zip(zip(xs, xs[1:], strict=False), across, strict=False):
                cells.append(self._cell(x0, y0, x1 - x0, y1 - y0, row * column))
        edges = [
            look.text(self._text(part), x=(x0 + x1) / 2, y=ys[0] - 38)
            for (x0, x1), part in zip(zip(xs, xs[1:], strict=False), across, strict=False)
        ]
        edges += [
            look.text(self._text(part), x=xs[0] - 22 - _EDGE_FONT * 0.31 * len(self._text(part)), y=(y0 + y1) / 2)
            for (y0, y1), part in zip(zip(ys, ys[1:], strict=False), down, strict=False)
        ]
        shapes = [
            look.group("am-cells", *cells),
            look.rect(xs[0], ys[0], xs[-1] - xs[0], ys[-1] - ys[0], "am-outline"),
            look.group("am-edges", *edges, look.text("×", "am-times", x=xs[0] - 30, y=ys[0] - 38)),
        ]
        if not self._to_scale():
            shapes.append(look.text("Not to scale", "am-note", x=_WIDTH - 130, y=30))
        return [*super()._backdrop(), look.group("am-model", *shapes)]

    def _cell(self, x: float, y: float, w: float, h: float, product: Polynomial) -> look.Shape:
        text = self._text(product)
        negative = product.leading < 0
        cls = "am-cell am-negative" if negative else "am-cell"
        shapes = [look.rect(x, y, w, h)]
        size = "am-product" if _fits(text, _CELL_FONT, w - 14) and h >= 44 else "am-product am-small"
        if _fits(text, _SMALL_FONT, w - 6) and h >= 28:
            shapes.append(look.text(text, size, x=x + w / 2, y=y + h / 2))
        return look.group(cls, *shapes)

    def _look(self, piece: Piece) -> list[look.Shape]:
        frame = self._frame()
        if piece["side"] == "across":
            stem = look.line(0, -(_REACH + frame["h"]), 0, -_GRIP, "am-cut-line")
            glyph = "\u2194"
        else:
            stem = look.line(-(_REACH + frame["w"]), 0, -_GRIP, 0, "am-cut-line")
            glyph = "\u2195"
        return [look.group("am-cut", stem, look.circle(_GRIP, "am-grip"), look.text(glyph, "am-grip-glyph"))]

    def _name(self, piece: Piece) -> str:
        side, at = piece["side"], _q(piece["at"])
        rest = self._length(side) - at
        return f"partition of the {self._side_name(side)} after {self._num(at)}, with {self._num(rest)} after it"

    def _tools(self) -> list[dict[str, Any]]:
        if not self._scaled():
            return []
        return [
            tool(
                "split",
                f"Split {self._side_text(side)}\u2026",
                f"Split the {self._side_name(side)} in two",
                args={"side": side},
                ask=f"Split {self._side_text(side)} in two: how much in the first part?",
                answer="text",
            )
            for side in _SIDES
        ]


class ArrayModel(AreaModel):
    """An array (`AreaModel.array`): `rows` rows of `cols` dots, each on a unit square, always to scale.

    >>> grid = AreaModel.array(3, 4)
    >>> grid.readout["headline"], grid.total
    ('3 × 4 = 12', 12)
    """

    _stretch = False  # squares stay square

    def __init__(self, rows: int = 3, cols: int = 4, *, name: str = "", show_readout: bool = True) -> None:
        for value, what in ((rows, "rows"), (cols, "columns")):
            if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_ARRAY:
                raise ValueError(f"An array's {what} must be a whole number from 1 to {MAX_ARRAY}, not {short(value)}.")
        Board.__init__(self, name=name, show_readout=show_readout, across=[[cols, 1, 0]], down=[[rows, 1, 0]])

    @t.validate("across", "down")
    def _check_side(self, proposal: dict[str, Any]) -> list[Term]:
        terms = super()._check_side(proposal)
        if len(terms) != 1 or terms[0][1] != 1 or terms[0][2] != 0 or not 1 <= terms[0][0] <= MAX_ARRAY:
            raise Refused(f"An array's rows and columns are whole numbers from 1 to {MAX_ARRAY}.")
        return terms

    def _most_scale(self) -> float:
        return 64  # a small array keeps small squares: 2 × 3 looks like an array, not a wall

    def _product_text(self) -> str:
        return f"{self._side_text('down')} × {self._side_text('across')}"  # rows × columns, as arrays are read

    def _readout(self) -> dict[str, Any]:
        readout = super()._readout()
        n = int(self._length("across") * self._length("down"))
        pairs = [f"{d} × {n // d}" for d in range(1, math.isqrt(n) + 1) if n % d == 0]
        readout["facts"].append(["factor pairs", ", ".join(pairs)])
        return readout

    def _words(self, readout: dict[str, Any]) -> str:
        rows, cols = self._length("down"), self._length("across")
        return f"An array of {rows} row{'s' * (rows != 1)} of {cols}: {readout['headline']}"

    def _side_name(self, side: str) -> str:
        return f"columns ({self._side_text(side)})" if side == "across" else f"rows ({self._side_text(side)})"

    def _cell(self, x: float, y: float, w: float, h: float, product: Polynomial) -> look.Shape:
        unit = self._frame()["sa"]
        cols, rows = round(w / unit), round(h / unit)
        squares = [look.line(x + i * unit, y, x + i * unit, y + h) for i in range(1, cols)]
        squares += [look.line(x, y + j * unit, x + w, y + j * unit) for j in range(1, rows)]
        dots = [
            look.circle(unit * 0.28, cx=x + (i + 0.5) * unit, cy=y + (j + 0.5) * unit)
            for i in range(cols)
            for j in range(rows)
        ]
        return look.group(
            "am-cell am-array", look.rect(x, y, w, h), look.group("am-squares", *squares), look.group("am-dots", *dots)
        )
