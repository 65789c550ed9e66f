"""The double number line: proportion as two lines that go up together.

Two lines start at 0 at the same place, one above the other, and are drawn to scale so that every
pair of values in proportion stands one above the other: 300 g of flour over 4 people, 450 g over
6 people. The author gives the names of the two quantities and one pair; pupils add pairs by
dragging a point along either line (it settles on the nearest tick of that line, and Python puts its
partner on the other line, exactly), or by typing a value for either line.

The readout is the multiplier between the lines (people × 75 = flour), within the lines (from 4 to
6 people is × 1.5, so 300 g × 1.5 = 450 g) and the unitary step (1 person : 75 g). The same pairs
read as a ratio table in the table view.

Each linked point is two pieces, a dot on each line sharing a `link` number (0 is the given pair),
so a pupil holds a point by the line they are thinking in, by hand or by keyboard. Every value is
exact (a Fraction, kept as [numerator, denominator]); the ticks on each line are the number line's
(ticks thin out on a long line, numbers never overlap).
"""

from __future__ import annotations

import copy
import math
import re
from collections.abc import Sequence
from fractions import Fraction
from typing import Any, ClassVar, NamedTuple

import traitlets as t

from maths.numbers import plain

from . import _look as look
from ._board import Board, Piece, Refused, action, tool
from ._protocol import one_line, short
from .number_line import (
    MAX_DENOMINATOR,
    MAX_SIZE,
    MAX_TICKS,
    _author_number,
    _check_pair,
    _check_two,
    _choose_ticks,
    _on,
    _pair,
    _pupil_number,
    _q,
    _text,
    _Ticks,
)

__all__ = ["DoubleNumberLine", "Pair"]

MAX_PAIRS = 12  # linked points on the lines, the given pair among them: a ratio table's worth
MAX_NAME = 20  # a quantity's name, such as "flour (g)": it stands beside its line

# Geometry, in board units (drawn about 1.3 times larger on a 1080p whiteboard).
_WIDTH = 1200
_HEIGHT = 420
_TOP_Y = 150  # the top line; its numbers above it
_BOTTOM_Y = 320  # the bottom line; its numbers below it
_NUMBERS = 46  # how far a line's numbers stand from it (outwards)
_TAG = 44  # how far a point's value stands from its line (inwards, between the lines)
_DOT = 16
_NAME_EM = 0.62 * 30  # at most how wide a character of a name is drawn (.dnl-name: 30px bold)
_RIGHT = 70  # room at the right for the arrowheads
_LINES = ("top", "bottom")
# The table view: a column of names, then a column per pair, in order along the lines.
_ROW_H = 90
_TABLE_Y = 120  # the top of the table


class Pair(NamedTuple):
    top: int | Fraction
    bottom: int | Fraction


# --- the names of the quantities, in words ------------------------------------------------------

_UNIT = re.compile(r"^(.*?)\s*\(([^()]+)\)$")  # "flour (g)": the quantity "flour", in the unit "g"
_CURRENCY = ("£", "$", "€")
_SINGULAR = {"people": "person", "children": "child", "men": "man", "women": "woman", "feet": "foot", "teeth": "tooth"}


def _quantity(name: str) -> str:
    """The quantity a line measures, without its unit: "flour (g)" is flour."""
    found = _UNIT.match(name)
    return found.group(1) if found and found.group(1) else name


def _singular(word: str) -> str:
    last = word.split(" ")[-1]
    lower = last.lower()
    if lower in _SINGULAR:
        one = _SINGULAR[lower]
    elif lower.endswith("ies") and len(lower) > 4:
        one = last[:-3] + "y"
    elif lower.endswith(("ches", "shes", "sses", "xes")):
        one = last[:-2]
    elif lower.endswith("s") and not lower.endswith(("ss", "us", "is")):
        one = last[:-1]
    else:
        one = last
    return word[: len(word) - len(last)] + one


def _amount(value: Fraction, name: str, decimals: bool) -> str:
    """A value with what it counts, as a textbook writes it: 75 g, £2.50, 4 people, 1 person."""
    number = _text(value, decimals)
    found = _UNIT.match(name)
    if found:
        unit = found.group(2)
        if unit in _CURRENCY:
            whole, point, pence = number.partition(".")
            return f"{unit}{whole}{point}{pence.ljust(2, '0')}" if len(pence) == 1 else f"{unit}{number}"  # £1.50
        return f"{number} {_singular(unit) if value == 1 and len(unit) > 2 else unit}"  # 1 hour; 1 g, 1 ms
    return f"{number} {_singular(name) if value == 1 else name}"


# --- checks -----------------------------------------------------------------------------------------


def _link(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 10 * MAX_PAIRS:
        raise Refused(f"must be a whole number from 0 to {10 * MAX_PAIRS - 1}")
    return value


def _names(value: Any) -> list[str]:
    if isinstance(value, (str, bytes)) or not isinstance(value, Sequence) or len(value) != 2:
        raise Refused(
            'A double number line has two names, the top line\'s and the bottom line\'s: ("flour (g)", "people").'
        )
    for name in value:
        if not one_line(name, MAX_NAME) or not name.strip():
            raise Refused(f"Each line's name is text of 1 to {MAX_NAME} characters on one line (not {short(name)}).")
    return [str(name) for name in value]


def _nice_above(x: Fraction) -> Fraction:
    """The least of 1, 2, 5, 10, 20, ... (or 0.5, 0.2, 0.1, ...) at or above x > 0."""
    power = Fraction(10) ** (math.floor(math.log10(x)) - 1)
    while True:
        for m in (1, 2, 5):
            if m * power >= x:
                return m * power
        power *= 10


def _unit_step(value: Fraction, decimals: bool) -> Fraction:
    """A line's step, from its value in the given pair: its last decimal place (0.25 steps by 0.01,
    300 by 1), or the fraction its denominator makes (3/4 steps by 1/4)."""
    if decimals:
        for places in range(7):
            if (value * 10**places).denominator == 1:
                return Fraction(1, 10**places)
    return Fraction(1, value.denominator)


def _arrow(start: tuple[float, float], bend: tuple[float, float], end: tuple[float, float]) -> list[look.Shape]:
    """A curved arrow in the table, from `start` to `end`, bent towards `bend`; its head points the
    way the curve arrives (from the bend to the end)."""
    (ex, ey), (bx, by) = end, bend
    along = math.hypot(ex - bx, ey - by) or 1
    ux, uy = (ex - bx) / along, (ey - by) / along
    wing = [(ex - 18 * ux + side * 8 * uy, ey - 18 * uy - side * 8 * ux) for side in (1, -1)]
    return [
        look.path(f"M{start[0]:g} {start[1]:g} Q{bx:g} {by:g} {ex:g} {ey:g}", "dnl-arc"),
        look.path(
            f"M{ex:g} {ey:g} L{wing[0][0]:.2f} {wing[0][1]:.2f} L{wing[1][0]:.2f} {wing[1][1]:.2f} Z", "dnl-head"
        ),
    ]


class DoubleNumberLine(Board):
    """Two lines in proportion, one above the other: `names` of their quantities (top, bottom) and
    one `pair` of values that go together.

    >>> recipe = DoubleNumberLine(("flour (g)", "people"), (300, 4))
    >>> recipe.value_for(bottom=6)
    450
    >>> recipe.readout["headline"]
    'people × 75 = flour'
    """

    _piece_css = ("number_line.css", "double_number_line.css")
    _svg_class = "mn-board dnl-board"
    _kinds: ClassVar[dict[str, Any]] = {
        "top": {"value": _check_pair, "link": _link},
        "bottom": {"value": _check_pair, "link": _link},
    }
    _settings = (*Board._settings, "names", "pair", "decimals", "view")

    width = t.Int(_WIDTH, min=100, max=10_000).tag(sync=True)
    height = t.Int(_HEIGHT, min=100, max=10_000).tag(sync=True)
    grid = t.Int(1).tag(sync=True)  # whole units: an arrow key nudges a point, and the drop moves it a tick
    sizes = t.Dict({"top": [44, 44], "bottom": [44, 44]}).tag(sync=True)
    # What the lines are: Python's alone (the browser draws what it is sent).
    names = t.List(["top", "bottom"])
    pair = t.List([[1, 1], [1, 1]])  # the given pair, exactly: [top, bottom], each [numerator, denominator]
    decimals = t.Bool(True)  # values print as decimals where they are exact ones, else as fractions
    view = t.Unicode("lines")  # "lines", or "table": the same pairs as a ratio table

    def __init__(
        self,
        names: Sequence[str],
        pair: Sequence[Any],
        *,
        view: str = "lines",
        name: str = "",
        show_readout: bool = True,
    ) -> None:
        """Lines named `names` (top, bottom) with `pair` (top value, bottom value) marked, both above 0."""
        try:
            names = _names(names)
        except Refused as why:
            raise ValueError(str(why)) from None
        if isinstance(pair, (str, bytes)) or not isinstance(pair, Sequence) or len(pair) != 2:
            raise ValueError("The pair is two values that go together: (top, bottom), such as (300, 4).")
        values = [_author_number(v, f"The {line} value of the pair") for v, line in zip(pair, _LINES, strict=True)]
        if min(values) <= 0:
            raise ValueError("Both values of the pair must be greater than 0: a double number line starts at 0.")
        if view not in ("lines", "table"):
            raise ValueError('The view is "lines" or "table".')
        # An author who writes a fraction sees fractions; otherwise values print as decimals where exact.
        decimals = not any(isinstance(v, Fraction) or (isinstance(v, str) and "/" in v) for v in pair)
        pieces = [
            {"id": f"{line}0", "kind": line, "x": 0, "y": 0, "value": _pair(v), "link": 0}
            for line, v in zip(_LINES, values, strict=True)
        ]
        super().__init__(
            pieces,
            names=names,
            pair=[_pair(v) for v in values],
            decimals=decimals,
            view=view,
            name=name,
            show_readout=show_readout,
        )

    # --- the declared lines, checked (a snapshot may carry anything) -------------------------------

    @t.validate("names")
    def _check_names(self, proposal: dict[str, Any]) -> list[str]:
        return _names(proposal["value"])

    @t.validate("pair")
    def _check_given(self, proposal: dict[str, Any]) -> list[list[int]]:
        pairs = _check_two(
            proposal["value"],
            "A double number line's pair",
            "A double number line's pair is two values: the top line's and the bottom line's.",
        )
        if min(_q(v) for v in pairs) <= 0:
            raise Refused("Both values of a double number line's pair are greater than 0.")
        return pairs

    @t.validate("view")
    def _check_view(self, proposal: dict[str, Any]) -> str:
        if proposal["value"] not in ("lines", "table"):
            raise Refused('A double number line\'s view is "lines" or "table".')
        return proposal["value"]

    @t.observe("names", "pair", "decimals", "view")
    def _lines_changed(self, change: dict[str, Any]) -> None:
        self._pieces_changed(change)  # laid out again (a table's columns, or the lines' scale), then drawn

    # --- the mathematics -----------------------------------------------------------------------------

    @property
    def multiplier(self) -> int | Fraction:
        """What the bottom line's values are multiplied by to give the top line's: 75 for 300 g and 4 people."""
        return plain(self._m())

    def _m(self) -> Fraction:
        top, bottom = (_q(v) for v in self.pair)
        return top / bottom

    @property
    def pairs(self) -> list[Pair]:
        """The linked points (top, bottom), exactly: the given pair first, then in the order they were added."""
        return [Pair(plain(top), plain(bottom)) for _, top, bottom in self._linked()]

    def _linked(self, pieces: list[Piece] | None = None) -> list[tuple[int, Fraction, Fraction]]:
        """(link, top, bottom) of each linked point, in the order of its bottom dot among the pieces."""
        pieces = self.pieces if pieces is None else pieces
        tops = {p["link"]: _q(p["value"]) for p in pieces if p["kind"] == "top"}
        return [
            (p["link"], tops[p["link"]], _q(p["value"])) for p in pieces if p["kind"] == "bottom" and p["link"] in tops
        ]

    def value_for(self, *, top: Any = None, bottom: Any = None) -> int | Fraction:
        """The partner of a value on one line: value_for(bottom=6) is the top line's value over 6, exactly."""
        line, value = self._one_given(top, bottom, "value_for")
        return plain(self._partner(line, value))

    def _partner(self, line: str, value: Fraction) -> Fraction:
        return value * self._m() if line == "bottom" else value / self._m()

    @staticmethod
    def _one_given(top: Any, bottom: Any, what: str) -> tuple[str, Fraction]:
        if (top is None) == (bottom is None):
            raise ValueError(f"Give one value to {what}: top=... or bottom=..., not both and not neither.")
        line, value = ("top", top) if top is not None else ("bottom", bottom)
        return line, _author_number(value, f"The {line} value")

    def _readout(self) -> dict[str, Any]:
        d = self.decimals
        top_name, bottom_name = self.names
        m = self._m()
        between = self._between()
        facts = [["between the lines", self._between(back=True)]]  # the headline's way, and back
        if m >= 1:
            unit = f"{_amount(Fraction(1), bottom_name, d)} : {_amount(m, top_name, d)}"
        else:
            unit = f"{_amount(1 / m, bottom_name, d)} : {_amount(Fraction(1), top_name, d)}"
        facts.append(["unitary step", unit])
        given_top, given_bottom = (_q(v) for v in self.pair)
        for link, top, bottom in self._linked():
            if link and bottom:
                k = bottom / given_bottom
                facts.append(
                    [
                        "within the lines",
                        f"from {_text(given_bottom, d)} to {_amount(bottom, bottom_name, d)} is × {_text(k, d)}, "
                        f"so {_amount(given_top, top_name, d)} × {_text(k, d)} = {_amount(top, top_name, d)}",
                    ]
                )
        return {"headline": between, "facts": facts}

    def _between(self, back: bool = False) -> str:
        """The multiplier between the lines, as a calculation in their quantities: people × 75 = flour,
        or (back) flour ÷ 75 = people. A whole number divides; any other multiplies."""
        top, bottom = (_quantity(n) for n in self.names)
        m = self._m()
        start, end, m = (top, bottom, 1 / m) if back else (bottom, top, m)
        if m < 1 and (1 / m).denominator == 1:
            return f"{start} ÷ {_text(1 / m, self.decimals)} = {end}"
        return f"{start} × {_text(m, self.decimals)} = {end}"

    def _words(self, readout: dict[str, Any]) -> str:
        d = self.decimals
        top_name, bottom_name = self.names
        said = ", ".join(
            f"{_amount(top, top_name, d)} with {_amount(bottom, bottom_name, d)}" for _, top, bottom in self._linked()
        )
        kind = "Ratio table" if self.view == "table" else "Double number line"
        return f"{kind} of {top_name} and {bottom_name}: {said}. {readout['headline']}"

    # --- where everything goes -------------------------------------------------------------------------

    def _left(self) -> float:
        """Where the lines start (their 0): in from the left by room for the longer name."""
        return 40 + max(len(n) for n in self.names) * _NAME_EM + 40

    def _end(self, pieces: list[Piece]) -> Fraction:
        """How far the bottom line goes: to a round number past the given pair and every point."""
        given = _q(self.pair[1])
        furthest = max((_q(p["value"]) for p in pieces if p["kind"] == "bottom"), default=given)
        top_furthest = max((_q(p["value"]) for p in pieces if p["kind"] == "top"), default=0) / self._m()
        return _nice_above(max(given * 5 / 2, max(furthest, top_furthest) * 11 / 10))

    def _scale(self, pieces: list[Piece]) -> tuple[float, float, Fraction]:
        """Left and right ends across the board, and the bottom value at the right end."""
        return self._left(), self.width - _RIGHT, self._end(pieces)

    def _x(self, bottom: Fraction, pieces: list[Piece]) -> float:
        left, right, end = self._scale(pieces)
        return round(left + float(bottom / end) * (right - left), 2)

    def _ticks(self, line: str, pieces: list[Piece]) -> tuple[_Ticks, Fraction]:
        """The ticks of one line (the number line's choice, from a step its given value makes) and its end."""
        left, right, end = self._scale(pieces)
        if line == "top":
            end *= self._m()
        step = _unit_step(_q(self.pair[0 if line == "top" else 1]), self.decimals)
        while end / step > MAX_TICKS:  # a fine step on a long line: as the number line, at most MAX_TICKS steps
            step *= 10
        return _choose_ticks(Fraction(0), step, Fraction(0), end, right - left, self.decimals), end

    def _nearest_tick(self, line: str, x: float, pieces: list[Piece]) -> Fraction:
        """The value of the tick of a line nearest to a place across the board."""
        left, right, _ = self._scale(pieces)
        chosen, end = self._ticks(line, pieces)
        value = end * Fraction(min(max(x, left), right) - left) / Fraction(right - left)
        last = math.floor(end / chosen.minor)
        return min(max(round(value / chosen.minor), 0), last) * chosen.minor

    def _arrange(self, pieces: list[Piece]) -> list[Piece]:
        """Each dot at its value on its line, a dot whose partner has gone going too; in the table
        view, each pair a column, in order along the lines."""
        links = {p["link"] for p in pieces if p["kind"] == "top"} & {p["link"] for p in pieces if p["kind"] == "bottom"}
        pieces = [p for p in pieces if p["link"] in links]
        return self._in_table(pieces) if self.view == "table" else self._on_lines(pieces)

    def _on_lines(self, pieces: list[Piece]) -> list[Piece]:
        out = []
        for p in pieces:
            bottom = _q(p["value"]) if p["kind"] == "bottom" else _q(p["value"]) / self._m()
            out.append({**p, "x": self._x(bottom, pieces), "y": _TOP_Y if p["kind"] == "top" else _BOTTOM_Y})
        return out

    def _in_table(self, pieces: list[Piece]) -> list[Piece]:
        ordered = sorted(self._linked(pieces), key=lambda lp: (lp[2], lp[0]))
        column = {link: n for n, (link, _, _) in enumerate(ordered)}
        left, w = self._columns(len(column))
        return [
            {
                **p,
                "x": round(left + w * (column[p["link"]] + 0.5), 2),
                "y": _TABLE_Y + _ROW_H * (0.5 if p["kind"] == "top" else 1.5),
            }
            for p in pieces
        ]

    def _columns(self, n: int) -> tuple[float, float]:
        """The table's first value column's left edge, and each column's width."""
        left = self._left() - 20
        return left, min((self.width - _RIGHT - 150 - left) / max(n, 1), 150)

    def _dropped(self, pieces: list[Piece], moved: set[str]) -> list[Piece]:
        """A dot dropped on its line goes to the line's nearest tick, and Python puts its partner
        over (or under) it. A small nudge (an arrow key) moves it one tick that way. The given pair,
        and anything in the table view, goes back to its place."""
        if self.view == "table" or (len(moved) > 1 and self._in_table(pieces) == pieces):
            # Nothing moves in a table; and pieces laid out as the table (the page's undo, or its
            # autosave, from before the view changed) are the same pairs, not a drag.
            return pieces
        before = {p["id"]: p for p in self.pieces}
        values: dict[int, tuple[str, Fraction]] = {}
        for p in pieces:
            if p["id"] not in moved or not p["link"] or p["id"] not in before:
                continue
            line, old = p["kind"], before[p["id"]]
            value = self._nearest_tick(line, p["x"], self.pieces)
            dx = p["x"] - old["x"]
            if value == _q(old["value"]) and 0 < abs(dx) < 4:  # 1 or 3 units, and the grid's rounding
                chosen, end = self._ticks(line, self.pieces)
                nudged = value + (chosen.minor if dx > 0 else -chosen.minor)
                value = nudged if 0 <= nudged <= end else value
            values[p["link"]] = (line, value)
        out = []
        for p in pieces:
            if p["link"] in values:
                line, value = values[p["link"]]
                p = {**p, "value": _pair(value if p["kind"] == line else self._partner(line, value))}
            out.append(p)
        return out

    def _check_whole(self, pieces: list[Piece]) -> None:
        m = self._m()
        given = {line: _q(v) for line, v in zip(_LINES, self.pair, strict=True)}
        seen: set[tuple[str, int]] = set()
        values: dict[int, dict[str, Fraction]] = {}
        for p in pieces:
            key = (p["kind"], p["link"])
            if key in seen:
                raise Refused(f"Two dots on the {p['kind']} line share the link {p['link']}; each point has one.")
            seen.add(key)
            value = _q(p["value"])
            if value < 0:
                raise Refused(f"Point {p['id']} is below 0: a double number line starts at 0.")
            values.setdefault(p["link"], {})[p["kind"]] = value
        if len(values) > MAX_PAIRS:
            raise Refused(f"A double number line holds at most {MAX_PAIRS} pairs.")
        if values.get(0) != given:
            raise Refused("The given pair stays on the lines as it is: it says how the two lines go together.")
        for both in values.values():
            if len(both) == 2 and both["top"] != both["bottom"] * m:
                raise Refused(
                    f"A point's two dots go together: {_text(both['bottom'], self.decimals)} on the bottom line "
                    f"goes with {_text(both['bottom'] * m, self.decimals)} on the top line."
                )

    # --- changing the lines from Python (and from the toolbar) -----------------------------------------

    def add(self, top: Any = None, bottom: Any = None) -> int | Fraction:
        """Add a linked point from one value (top=... or bottom=...), and return its partner on the other line."""
        line, value = self._one_given(top, bottom, "add")
        partner = self._add(line, value)
        if self.comm is None:  # what the author puts on the lines before they are shown is where Reset goes back to
            self._start = copy.deepcopy(self.pieces)
        return plain(partner)

    def _add(self, line: str, value: Fraction) -> Fraction:
        d = self.decimals
        if value < 0:
            raise ValueError(f"{_text(value, d)} is below 0: a double number line starts at 0.")
        partner = self._partner(line, value)
        top, bottom = (value, partner) if line == "top" else (partner, value)
        if max(top, bottom) > MAX_SIZE or max(top.denominator, bottom.denominator) > MAX_DENOMINATOR:
            raise ValueError(f"{_text(value, d)} is too large or too fine for these lines.")
        links = {p["link"] for p in self.pieces}
        if len(links) >= MAX_PAIRS:
            raise ValueError(f"The lines hold at most {MAX_PAIRS} pairs: take one off first.")
        link = min(set(range(1, 10 * MAX_PAIRS)) - links)
        taken = {p["id"] for p in self.pieces}
        new = [
            {"id": self._new_id(taken), "kind": kind, "x": 0, "y": 0, "value": _pair(v), "link": link}
            for kind, v in (("top", top), ("bottom", bottom))
        ]
        self.pieces = [*self.pieces, *new]
        return partner

    @action(name="add_on")
    def _add_on(self, line: str, text: str) -> None:
        """A value a pupil typed for one line: its partner goes on the other."""
        if line not in _LINES:
            raise ValueError("Add a value on the top line or the bottom line.")
        name = self.names[_LINES.index(line)]
        self._add(line, _pupil_number(text, f"Type a number of {name}, such as 6 or 2.5."))

    @action(name="show")
    def _show(self, view: str) -> None:
        """Show the pairs on the lines, or as a ratio table."""
        if view not in ("lines", "table"):
            raise ValueError('Show the "lines" or the "table".')
        self.view = view

    # --- the look: one description for the live board and the static picture ---------------------------

    def _backdrop(self) -> list[look.Shape]:
        return self._table_backdrop() if self.view == "table" else self._lines_backdrop()

    def _redraw(self) -> None:
        """The lines' ends follow the points, so the backdrop is drawn afresh with them."""
        backdrop = self._backdrop()
        if backdrop != self.backdrop:
            self.backdrop = backdrop
        super()._redraw()

    def _lines_backdrop(self) -> list[look.Shape]:
        left, right, _ = self._scale(self.pieces)
        shapes: list[look.Shape] = []
        for line, y, name, side in zip(_LINES, (_TOP_Y, _BOTTOM_Y), self.names, (-1, 1), strict=True):
            chosen, end = self._ticks(line, self.pieces)

            def x(v: Fraction, end: Fraction = end) -> float:
                return round(left + float(v / end) * (right - left), 2)

            numbered = _on(Fraction(0), chosen.major, Fraction(0), end)
            tip = right + 52
            shapes.append(
                look.group(
                    f"dnl-line dnl-{line}",
                    look.line(left, y, right + 40, y, "dnl-axis"),
                    look.line(left, y - 16, left, y + 16, "nl-axis"),
                    look.path(f"M{tip - 22:g} {y - 12:g} L{tip:g} {y:g} L{tip - 22:g} {y + 12:g}", "nl-arrow"),
                    look.group(
                        "nl-ticks",
                        *(
                            look.line(x(v), y - 12, x(v), y + 12)
                            for v in _on(Fraction(0), chosen.minor, Fraction(0), end)
                        ),
                    ),
                    look.group("nl-ticks nl-major", *(look.line(x(v), y - 20, x(v), y + 20) for v in numbered)),
                    look.group(
                        "nl-numbers",
                        *(look.text(_text(v, self.decimals), x=x(v), y=y + side * _NUMBERS) for v in numbered),
                    ),
                    look.text(name, "dnl-name", x=left - 40, y=y),
                )
            )
        return [*super()._backdrop(), *shapes]

    def _table_backdrop(self) -> list[look.Shape]:
        n = len(self._linked())
        left, w = self._columns(n)
        right = left + w * n
        top, mid, bottom = _TABLE_Y, _TABLE_Y + _ROW_H, _TABLE_Y + 2 * _ROW_H
        shapes = [
            look.rect(40, top, right - 40, 2 * _ROW_H, "dnl-table-frame"),
            look.line(40, mid, right, mid, "dnl-table-rule"),
            look.line(left, top, left, bottom, "dnl-table-rule"),
            *(look.line(left + w * i, top, left + w * i, bottom, "dnl-table-cell") for i in range(1, n)),
            look.text(self.names[0], "dnl-name", x=left - 20, y=top + _ROW_H / 2),
            look.text(self.names[1], "dnl-name", x=left - 20, y=mid + _ROW_H / 2),
        ]
        # the multiplier between the rows, beside the table: an arrow up from the bottom row to the top
        ax = right + 40
        m = self._m()
        shapes.append(
            look.group(
                "dnl-between",
                *_arrow((ax, bottom - 20), (ax + 50, mid), (ax, top + 20)),
                look.text(f"× {_text(m, self.decimals)}", "dnl-multiplier", x=ax + 30, y=mid),
            )
        )
        # the multiplier within the rows, from each column to the next: arcs over the top row
        columns = sorted(self._linked(), key=lambda lp: (lp[2], lp[0]))
        for i, ((_, a, _), (_, b, _)) in enumerate(zip(columns, columns[1:], strict=False)):
            if a and a != b:
                x0, x1 = left + w * (i + 0.5), left + w * (i + 1.5)
                shapes.append(
                    look.group(
                        "dnl-within",
                        *_arrow((x0, top - 8), ((x0 + x1) / 2, top - 60), (x1 - 6, top - 8)),
                        look.text(
                            f"× {_text(b / a, self.decimals)}", "dnl-multiplier dnl-step", x=(x0 + x1) / 2, y=top - 62
                        ),
                    )
                )
        return [*super()._backdrop(), look.group("dnl-table", *shapes)]

    def _look(self, piece: Piece) -> list[look.Shape]:
        line, value = piece["kind"], _q(piece["value"])
        given = " dnl-given" if piece["link"] == 0 else ""
        text = _text(value, self.decimals)
        if self.view == "table":
            return [
                look.group(
                    f"dnl-cell dnl-{line}{given}",
                    look.box(self._columns(len(self._linked()))[1] - 8, _ROW_H - 8, rx=8),
                    look.text(text),
                )
            ]
        inward = 1 if line == "top" else -1  # towards the other line
        reach = (_BOTTOM_Y - _TOP_Y) / 2
        tag_w = max(len(text) * 0.62 * 30 + 20, 44)
        ring = [look.circle(_DOT + 7, "dnl-ring")] if given else []  # the given pair: ringed, not only coloured
        return [
            look.group(
                f"dnl-point dnl-{line}{given}",
                look.line(0, inward * _DOT, 0, inward * reach, "dnl-link"),
                look.rect(-tag_w / 2, inward * _TAG - 20, tag_w, 40, "dnl-tag", rx=8),
                look.text(text, "dnl-value", y=inward * _TAG),
                *ring,
                look.circle(_DOT, "dnl-dot"),
            )
        ]

    def _name(self, piece: Piece) -> str:
        d = self.decimals
        line, value = piece["kind"], _q(piece["value"])
        names = dict(zip(_LINES, self.names, strict=True))
        other = "bottom" if line == "top" else "top"
        partner = self._partner(line, value)
        given = "given: " if piece["link"] == 0 else ""
        return f"{given}{_amount(value, names[line], d)}, with {_amount(partner, names[other], d)}"

    def _tools(self) -> list[dict[str, Any]]:
        top, bottom = self.names
        tools = [
            tool(
                "add_on",
                f"+ {_quantity(top)}",
                f"Add a value of {top}",
                args={"line": "top"},
                ask=f"Add which value of {top}?",
            ),
            tool(
                "add_on",
                f"+ {_quantity(bottom)}",
                f"Add a value of {bottom}",
                args={"line": "bottom"},
                ask=f"Add which value of {bottom}?",
            ),
        ]
        if self.view == "table":
            tools.append(tool("show", "Lines", "Show the pairs on the double number line", args={"view": "lines"}))
        else:
            tools.append(tool("show", "Table", "Show the pairs as a ratio table", args={"view": "table"}))
        return tools
