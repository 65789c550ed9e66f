"""The number line: ordering, directed numbers, fractions and decimals, and subtraction as difference.

A line from `start` to `end` with a tick every `step` (a whole number, a decimal or a fraction).
Points mark numbers on it; jumps are arcs from one number by an amount, and a chain of jumps reads
as its calculation (−3 + 5 = 2). Two marked points read as their difference (5 − (−3) = 8).

Every value is exact (a Fraction, kept in the pieces as [numerator, denominator]). Python chooses the
ticks that fit (ticks thin out on a long line, numbers never overlap), puts every piece where its
value belongs, and snaps a dropped point to the nearest tick; the browser only moves pieces, and
draws a jump's arc under the finger (static/number_line.js) until Python is asked to add it.
"""

from __future__ import annotations

import copy
import math
import re
from fractions import Fraction
from itertools import pairwise
from typing import Any, ClassVar, NamedTuple

import traitlets as t

from maths.numbers import NotANumber, exact, plain, read_number
from maths.printing import MINUS, decimal_style, written

from . import _look as look
from ._board import Board, Piece, Refused, _short, action, between, front_end, stylesheet, tool

MAX_SIZE = 10**9  # the largest number a line reaches, either way
MAX_DENOMINATOR = 10**6
MAX_TICKS = 10**6  # steps along the whole line: more than a lesson needs, few enough to snap to
MAX_POINTS = 100
MAX_JUMPS = 100

# Geometry, in board units. The board is drawn about 1.3 times larger on a 1080p whiteboard.
_WIDTH = 1200
_HEIGHT = 310
_LINE_Y = 225
_NUMBER_Y = _LINE_Y + 48  # the numbers under the ticks
# How wide a number is drawn: its font size is drawing.css's business (read from there, once),
# and each character at most this many ems wide in a bold sans (DejaVu Sans Bold: digits 0.70,
# the minus sign 0.84, the point and the fraction bar under 0.4).
_NUMBER_FONT = float(re.search(r"\.nl-numbers text \{[^}]*font: 700 (\d+)px", stylesheet("number_line.css")).group(1))
_EMS = {MINUS: 0.84, ".": 0.4, "/": 0.4}
_GAP = 10  # the least space between two numbers
_MIN_TICK = 9  # the least space between two ticks
_MARGIN = 60  # room at each end for the line's arrowheads
_DOT = 16
_GRIP_Y = -60  # a point's grip (drag it to draw a jump) sits above the point
_GRIP_R = 18
_ARC = (56, 96)  # the height of a jump's arc, from a short jump to a long one; arcs over one another climb
_LEVEL = 44  # an arc over another is this much higher, so their amounts do not overlap
_HIGHEST = _LINE_Y - 40  # the highest an arc goes: its amount stays on the board


class Mark(NamedTuple):
    value: int | Fraction
    label: str | None


class Jump(NamedTuple):
    start: int | Fraction
    by: int | Fraction
    end: int | Fraction


# --- exact values in JSON: [numerator, denominator] ----------------------------------------


def _pair(q: Fraction) -> list[int]:
    return [q.numerator, q.denominator]


def _q(pair: list[int]) -> Fraction:
    return Fraction(pair[0], pair[1])


def _check_pair(value: Any) -> list[int]:
    """A field check: an exact value as [numerator, denominator], in lowest terms and in range."""
    if (
        not isinstance(value, list)
        or len(value) != 2
        or not all(isinstance(v, int) and not isinstance(v, bool) for v in value)
        or not 1 <= value[1] <= MAX_DENOMINATOR
        or abs(value[0]) > MAX_SIZE * value[1]
        or math.gcd(*value) != 1
    ):
        raise Refused(
            f"must be a number as [numerator, denominator] in lowest terms, at most {MAX_SIZE} either way, "
            f"with a denominator from 1 to {MAX_DENOMINATOR}"
        )
    return list(value)


_check_span = between(0, 10_000)  # a jump's drawn width or height


def _check_two(value: Any, what: str, shape: str) -> list[list[int]]:
    """Two exact values as [[numerator, denominator], ...] (a view's ends, a pair); `shape` says what they are."""
    if not isinstance(value, list) or len(value) != 2:
        raise Refused(shape)
    try:
        return [_check_pair(v) for v in value]
    except Refused as why:
        raise Refused(f"{what} {why}.") from None


def _author_number(value: Any, what: str) -> Fraction:
    """An author's number (int, float, Fraction, Decimal, or text as pupils write it), exactly."""
    try:
        q = read_number(value) if isinstance(value, str) else exact(value)
    except (TypeError, ValueError) as why:
        raise ValueError(f"{what}: {why}.") from None
    if abs(q) > MAX_SIZE or q.denominator > MAX_DENOMINATOR:
        raise ValueError(
            f"{what} must be at most {MAX_SIZE} either way, with a denominator of at most {MAX_DENOMINATOR}."
        )
    return q


def _pupil_number(text: str, ask: str) -> Fraction:
    """A number a pupil typed; a refusal says what to type."""
    try:
        return read_number(text)
    except NotANumber as why:
        raise ValueError(f"{_short(text.strip())}: {why}. {ask}") from None


# --- which ticks fit: a plain function of the view and the room ------------------------------------


def _multiples(step: Fraction) -> list[int]:
    """Tick spacings to try, as multiples of the step, smallest first: spacings that read well.

    A step of 1/4 tries 1/4, 1/2, 1, 2, 5, 10, ...; a step of 0.1 tries 0.1, 0.2, 0.5, 1, 2, ...;
    a step of 1/3 tries 1/3, 1, 2, 5, ...; a step of 1 tries 1, 2, 5, 10, 20, ...
    """
    d = step.denominator
    out = sorted({k for i in range(1, math.isqrt(d) + 1) if d % i == 0 for k in (i, d // i)})
    for power in range(12):  # far enough for the longest line: MAX_TICKS steps
        for m in (1, 2, 5):
            k = d * m * 10**power
            if k > out[-1]:
                out.append(k)
    return out


class _Ticks(NamedTuple):
    minor: Fraction  # the spacing of the ticks drawn (and snapped to)
    major: Fraction  # the spacing of the numbered ticks
    origin: Fraction  # a numbered tick: 0 when 0 is on the line's steps, else the start


def _choose_ticks(start: Fraction, step: Fraction, lo: Fraction, hi: Fraction, room: float, decimals: Style) -> _Ticks:
    """The ticks to draw between lo and hi across `room` board units: as fine as the step when
    they fit, thinning out in readable multiples, with no two numbers closer than they are wide."""
    origin = Fraction(0) if (-start / step).denominator == 1 else start
    scale = room / float(hi - lo)
    multiples = _multiples(step)
    minor = next((k for k in multiples if float(k * step) * scale >= _MIN_TICK), multiples[-1])
    for k in multiples:
        spacing = float(k * step) * scale
        if k % minor or spacing < _width("0") + _GAP:
            continue  # not on the drawn ticks, or too close for even one digit
        numbers = [_width(_text(v, decimals)) for v in _on(origin, k * step, lo, hi)]
        if len(numbers) <= 1 or all(spacing >= (a + b) / 2 + _GAP for a, b in pairwise(numbers)):
            return _Ticks(minor * step, k * step, origin)
    return _Ticks(minor * step, multiples[-1] * step, origin)


def _on(origin: Fraction, spacing: Fraction, lo: Fraction, hi: Fraction) -> list[Fraction]:
    """The values origin + i × spacing from lo to hi. (Callers ask only for spacings that fit the
    room, so there are at most a few hundred.)"""
    first = math.ceil((lo - origin) / spacing)
    last = math.floor((hi - origin) / spacing)
    return [origin + i * spacing for i in range(first, last + 1)]


def _width(text: str) -> float:
    """At most how wide a number is drawn, in board units."""
    return sum(_EMS.get(c, 0.7) for c in text) * _NUMBER_FONT


Style = bool | str  # how numbers print: True, decimals; False, fractions; MIXED, fractions beyond 1 as mixed numbers
MIXED = "mixed"


def _text(q: Fraction, decimals: Style) -> str:
    return written(plain(q), decimal=decimals is True, mixed=decimals == MIXED)


def _term(q: Fraction, decimals: Style) -> str:
    """A number as the second term of a sum or difference: negative numbers in brackets."""
    return f"({_text(q, decimals)})" if q < 0 else _text(q, decimals)


class NumberLine(Board):
    """A number line from `start` to `end` with a tick every `step`.

    >>> line = NumberLine(-5, 5)
    >>> line.jump(-3, 5)
    2
    >>> line.readout["headline"]
    '−3 + 5 = 2'
    """

    _esm = front_end("number_line.js")
    _piece_css = ("number_line.css",)
    _svg_class = "mn-board nl-board"
    _kinds: ClassVar[dict[str, Any]] = {
        "point": {"value": _check_pair},
        "jump": {"start": _check_pair, "by": _check_pair, "w": _check_span, "h": _check_span},
    }
    _settings = (*Board._settings, "start", "end", "step", "view", "decimals", "mixed")

    width = t.Int(_WIDTH, min=100, max=10_000).tag(sync=True)
    height = t.Int(_HEIGHT, min=100, max=10_000).tag(sync=True)
    grid = t.Int(1).tag(sync=True)  # whole units: an arrow key moves a point, and the drop moves it a tick
    sizes = t.Dict({"point": [40, 40], "jump": [40, 40]}).tag(sync=True)
    # The line, exactly, as [numerator, denominator]: Python's alone (the browser draws what it is sent).
    start = t.List([0, 1])
    end = t.List([10, 1])
    step = t.List([1, 1])
    view = t.List([[0, 1], [10, 1]])  # the interval shown: the whole line, or a part zoomed into
    decimals = t.Bool(False)  # numbers print as decimals (the author wrote decimals), else as fractions
    mixed = t.Bool(False)  # fractions beyond 1 print as mixed numbers (2 1/2), as in adding mixed numbers

    def __init__(
        self,
        start: Any = 0,
        end: Any = 10,
        step: Any = 1,
        *,
        name: str = "",
        show_readout: bool = True,
        mixed: bool = False,
    ) -> None:
        """A line from `start` to `end`, a tick every `step`: ints, decimals (0.1) or fractions (Fraction(1, 4)).

        `mixed=True` prints fractions beyond 1 as mixed numbers: 2 1/2, not 5/2."""
        a = _author_number(start, "The start")
        b = _author_number(end, "The end")
        s = _author_number(step, "The step")
        if b <= a:
            raise ValueError(f"The end must be greater than the start: {_text(a, True)} to {_text(b, True)} is not.")
        if s <= 0:
            raise ValueError("The step must be greater than 0.")
        if (b - a) / s > MAX_TICKS:
            raise ValueError(f"A line has at most {MAX_TICKS} steps: make the step larger or the line shorter.")
        decimals = decimal_style(v for v in (start, end, step)) or any(
            isinstance(v, str) and "." in v for v in (start, end, step)
        )
        if mixed and decimals:
            raise ValueError(
                "A line in decimals has no mixed numbers: give the numbers as fractions, or leave out mixed."
            )
        super().__init__(
            name=name,
            show_readout=show_readout,
            start=_pair(a),
            end=_pair(b),
            step=_pair(s),
            view=[_pair(a), _pair(b)],
            decimals=decimals,
            mixed=bool(mixed),
        )

    @property
    def _style(self) -> Style:
        return MIXED if self.mixed and not self.decimals else self.decimals

    # --- the declared line, checked whole (a snapshot may carry anything) --------------------------

    @t.validate("start", "end", "step")
    def _check_bound(self, proposal: dict[str, Any]) -> list[int]:
        try:
            value = _check_pair(proposal["value"])
        except Refused as why:
            raise Refused(f"A number line's {proposal['trait'].name} {why}.") from None
        self._check_line(**{proposal["trait"].name: value})
        return value

    @t.validate("view")
    def _check_view(self, proposal: dict[str, Any]) -> list[list[int]]:
        pairs = _check_two(
            proposal["value"], "A number line's view", "A number line's view is two numbers: where it starts and ends."
        )
        self._check_line(view=pairs)
        return pairs

    def _check_line(self, **new: Any) -> None:
        try:  # a value not yet checked (a snapshot sets them together) is refused by its own check
            a, b, s = (_q(_check_pair(new.get(k, getattr(self, k)))) for k in ("start", "end", "step"))
            lo, hi = (_q(_check_pair(v)) for v in new.get("view", self.view))
        except (Refused, TypeError, ValueError):
            return
        if b <= a or s <= 0 or (b - a) / s > MAX_TICKS:
            raise Refused(f"A number line goes up from its start to its end, in at most {MAX_TICKS} steps.")
        if not a <= lo < hi <= b:
            raise Refused("A number line's view is a part of the line, from a smaller number to a larger one.")

    @t.observe("view", "start", "end", "step", "decimals", "mixed")
    def _line_changed(self, change: dict[str, Any]) -> None:
        self.backdrop = self._backdrop()
        arranged = self._arrange(self.pieces)
        if arranged != self.pieces:
            self.pieces = arranged
        else:
            self._redraw()

    # --- what the line shows -------------------------------------------------------------------

    @property
    def marks(self) -> list[Mark]:
        """The marked points, in the order they were marked: each value, exactly, and its label."""
        return [Mark(plain(_q(p["value"])), p.get("label")) for p in self.pieces if p["kind"] == "point"]

    @property
    def jumps(self) -> list[Jump]:
        """The jumps, in the order they were drawn: where each starts, by how much, and where it lands."""
        out = []
        for p in self.pieces:
            if p["kind"] == "jump":
                a, by = _q(p["start"]), _q(p["by"])
                out.append(Jump(plain(a), plain(by), plain(a + by)))
        return out

    @property
    def ticks(self) -> list[int | Fraction]:
        """The numbered ticks in view, as the line shows them."""
        lo, hi = self._view()
        chosen = self._ticks()
        return [plain(v) for v in _on(chosen.origin, chosen.major, lo, hi)]

    def _line(self) -> tuple[Fraction, Fraction, Fraction]:
        return _q(self.start), _q(self.end), _q(self.step)

    def _view(self) -> tuple[Fraction, Fraction]:
        lo, hi = self.view
        return _q(lo), _q(hi)

    def _ends(self) -> tuple[float, float]:
        """Where the view's ends are drawn: in from the board's edges by room for the end numbers."""
        lo, hi = self._view()
        half = max(_width(_text(lo, self._style)), _width(_text(hi, self._style))) / 2 + 12
        margin = max(_MARGIN, half)
        return margin, self.width - margin

    def _ticks(self) -> _Ticks:
        a, _, s = self._line()
        lo, hi = self._view()
        left, right = self._ends()
        return _choose_ticks(a, s, lo, hi, right - left, self._style)

    def _x(self, q: Fraction) -> float:
        """Where a value is drawn across the board (a value out of view, at the nearer end)."""
        lo, hi = self._view()
        left, right = self._ends()
        q = min(max(q, lo), hi)
        return round(left + float((q - lo) / (hi - lo)) * (right - left), 2)

    def _nearest_tick(self, x: float) -> Fraction:
        """The drawn tick nearest to a place across the board, within the view."""
        lo, hi = self._view()
        left, right = self._ends()
        chosen = self._ticks()
        value = lo + (hi - lo) * Fraction(x - left) / Fraction(right - left) if right > left else lo
        first = chosen.origin + math.ceil((lo - chosen.origin) / chosen.minor) * chosen.minor
        last = chosen.origin + math.floor((hi - chosen.origin) / chosen.minor) * chosen.minor
        if first > last:  # zoomed between two ticks: the nearer end of the view
            return lo if value - lo <= hi - value else hi
        i = round((min(max(value, first), last) - chosen.origin) / chosen.minor)
        return chosen.origin + i * chosen.minor

    def _readout(self) -> dict[str, Any]:
        d = self._style
        facts: list[list[str]] = []
        headline = ""
        chains = self._chains()
        for chain in chains:
            facts.append(["jumps", self._sum(chain)])
        points = sorted({_q(p["value"]) for p in self.pieces if p["kind"] == "point"})
        named = [p for p in self.pieces if p["kind"] == "point"]
        if named:
            facts.append(
                [
                    "marked",
                    ", ".join(
                        f"{p['label']} = {_text(_q(p['value']), d)}" if p.get("label") else _text(_q(p["value"]), d)
                        for p in named
                    ),
                ]
            )
        for low, high in list(pairwise(points))[:6]:
            facts.append([f"from {_text(low, d)} to {_text(high, d)}", self._difference(low, high)])
        if chains:
            headline = self._sum(chains[-1])
        elif len(points) == 2:
            headline = self._difference(*points)
        elif len(points) == 1:
            headline = _text(points[0], d)
        return {"headline": headline, "facts": facts}

    def _sum(self, chain: list[tuple[Fraction, Fraction]]) -> str:
        """A chain of jumps as its calculation: −3 + 5 − 2 = 0."""
        d = self._style
        parts = [_text(chain[0][0], d)]
        for _, by in chain:
            parts.append(f"+ {_text(by, d)}" if by > 0 else f"{MINUS} {_text(-by, d)}")
        end = chain[-1][0] + chain[-1][1]
        return f"{' '.join(parts)} = {_text(end, d)}"

    def _difference(self, low: Fraction, high: Fraction) -> str:
        """The distance between two numbers, as subtraction: 5 − (−3) = 8."""
        d = self._style
        return f"{_text(high, d)} {MINUS} {_term(low, d)} = {_text(high - low, d)}"

    def _chains(self) -> list[list[tuple[Fraction, Fraction]]]:
        """The jumps in order, each joined to the one before when it starts where that one lands."""
        chains: list[list[tuple[Fraction, Fraction]]] = []
        for p in self.pieces:
            if p["kind"] != "jump":
                continue
            a, by = _q(p["start"]), _q(p["by"])
            if chains and chains[-1][-1][0] + chains[-1][-1][1] == a:
                chains[-1].append((a, by))
            else:
                chains.append([(a, by)])
        return chains

    def _words(self, readout: dict[str, Any]) -> str:
        d = self._style
        a, b, s = self._line()
        lo, hi = self._view()
        words = f"Number line from {_text(a, d)} to {_text(b, d)} in steps of {_text(s, d)}"
        if (lo, hi) != (a, b):
            words += f", showing {_text(lo, d)} to {_text(hi, d)}"
        return words + (f": {readout['headline']}" if readout["headline"] else "")

    # --- the rules of the pieces -----------------------------------------------------------------

    def _check_whole(self, pieces: list[Piece]) -> None:
        a, b, _ = self._line()
        kinds = [p["kind"] for p in pieces]
        if kinds.count("point") > MAX_POINTS or kinds.count("jump") > MAX_JUMPS:
            raise Refused(f"A number line holds at most {MAX_POINTS} points and {MAX_JUMPS} jumps.")
        for p in pieces:
            if p["kind"] == "point" and not a <= _q(p["value"]) <= b:
                raise Refused(f"Point {p['id']} is off the line ({self._span()}).")
            if p["kind"] == "jump":
                start, by = _q(p["start"]), _q(p["by"])
                if not by or not a <= start <= b or not a <= start + by <= b:
                    raise Refused(f"Jump {p['id']} must start and land on the line ({self._span()}), and go somewhere.")

    def _span(self) -> str:
        a, b, _ = self._line()
        return f"{_text(a, self._style)} to {_text(b, self._style)}"

    def _arrange(self, pieces: list[Piece]) -> list[Piece]:
        """Each point at its value on the line; each jump's arc over its span, above those it overlaps."""
        out = []
        spans: list[tuple[float, float, float]] = []
        for p in pieces:
            if p["kind"] == "point":
                p = {**p, "x": self._x(_q(p["value"])), "y": _LINE_Y}
            else:
                x0, x1 = sorted((self._x(_q(p["start"])), self._x(_q(p["start"]) + _q(p["by"]))))
                under = [h for a, b, h in spans if a < x1 - 1 and b > x0 + 1]  # earlier arcs it overlaps
                h = min(max(_ARC[0], (x1 - x0) / 4), _ARC[1])
                h = round(min(max(h, max(under, default=0) + _LEVEL), _HIGHEST), 2)
                spans.append((x0, x1, h))
                p = {**p, "x": round((x0 + x1) / 2, 2), "y": _LINE_Y - h / 2, "w": round(max(x1 - x0, 1), 2), "h": h}
            out.append(p)
        return out

    def _dropped(self, pieces: list[Piece], moved: set[str]) -> list[Piece]:
        """A point dropped goes to the nearest tick. A small nudge (an arrow key) moves it one tick
        that way; a jump dragged off goes back to its place (the layout puts it there)."""
        before = {p["id"]: p for p in self.pieces}
        chosen = self._ticks()
        lo, hi = self._view()
        out = []
        for p in pieces:
            if p["id"] in moved and p["kind"] == "point":
                value = self._nearest_tick(p["x"])
                old = before.get(p["id"])
                dx = p["x"] - old["x"] if old else 0
                if old and value == _q(old["value"]) and 0 < abs(dx) <= 3:
                    nudged = value + (chosen.minor if dx > 0 else -chosen.minor)
                    value = nudged if lo <= nudged <= hi else value
                p = {**p, "value": _pair(value)}
            out.append(p)
        return out

    # --- changing the line from Python (and from the toolbar and the hand) -------------------------

    def mark(self, value: Any, label: str | None = None) -> None:
        """Mark a point at `value` (exact: an int, a decimal, a Fraction, or text such as "-3/4"), with a label."""
        q = _author_number(value, "The point")
        self._add_point(q, label)
        self._set_up()

    def _set_up(self) -> None:
        """What the author puts on the line before it is first shown is where Reset goes back to."""
        if self.comm is None:
            self._start = copy.deepcopy(self.pieces)

    def _add_point(self, q: Fraction, label: str | None) -> None:
        a, b, _ = self._line()
        if not a <= q <= b:
            raise ValueError(f"{_text(q, self._style)} is off the line ({self._span()}).")
        taken = {p["id"] for p in self.pieces}
        point: Piece = {"id": self._new_id(taken), "kind": "point", "x": 0, "y": _LINE_Y, "value": _pair(q)}
        if label:
            point["label"] = label
        self.pieces = [*self.pieces, point]

    def jump(self, start: Any, by: Any) -> int | Fraction:
        """Draw a jump from `start` by `by` (negative jumps back) and return where it lands."""
        a = _author_number(start, "The jump's start")
        step = _author_number(by, "The jump")
        landing = self._add_jump(a, step)
        self._set_up()
        return landing

    def _add_jump(self, a: Fraction, by: Fraction) -> int | Fraction:
        low, high, _ = self._line()
        d = self._style
        if not by:
            raise ValueError("A jump of 0 goes nowhere: jump by a number that is not 0.")
        if not low <= a <= high:
            raise ValueError(f"A jump starts on the line ({self._span()}): {_text(a, d)} is not on it.")
        if not low <= a + by <= high:
            raise ValueError(f"That jump lands at {_text(a + by, d)}, off the line ({self._span()}).")
        taken = {p["id"] for p in self.pieces}
        jump = {
            "id": self._new_id(taken),
            "kind": "jump",
            "x": 0,
            "y": 0,
            "start": _pair(a),
            "by": _pair(by),
            "w": 1,
            "h": 1,
        }
        self.pieces = [*self.pieces, jump]
        return plain(a + by)

    def clear(self) -> None:
        """Take every point and jump off the line."""
        self.pieces = []
        self._set_up()

    def zoom(self, start: Any = None, end: Any = None) -> None:
        """Show the line from `start` to `end` only (both on the line); with neither, the whole line."""
        a, b, _ = self._line()
        lo = a if start is None else _author_number(start, "The zoom's start")
        hi = b if end is None else _author_number(end, "The zoom's end")
        if not a <= lo < hi <= b:
            raise ValueError(f"Zoom into a part of the line ({self._span()}), from a smaller number to a larger one.")
        self.view = [_pair(lo), _pair(hi)]

    def _start_of(self, piece_id: Any) -> Fraction:
        """Where a jump drawn from this piece starts: a point's value, or where a jump lands."""
        piece = next((p for p in self.pieces if p["id"] == piece_id and p["kind"] in ("point", "jump")), None)
        if piece is None:
            raise ValueError("Jump from a point, or from the end of a jump.")
        if piece["kind"] == "point":
            return _q(piece["value"])
        return _q(piece["start"]) + _q(piece["by"])

    @action(name="mark")
    def _mark_action(self, text: str) -> None:
        """Mark the number a pupil typed."""
        self._add_point(_pupil_number(text, "Type a number on the line, such as 3, −2, 0.5 or 3/4."), None)

    @action(name="jump")
    def _jump_action(self, ids: list[str], by: str) -> None:
        """A jump from the chosen point (or jump's end), by the amount a pupil typed."""
        (chosen,) = ids or [None]
        self._add_jump(self._start_of(chosen), _pupil_number(by, "Type how far to jump, such as 5 or −3."))

    @action(name="jump_to")
    def _jump_to_action(self, id: str, x: float) -> None:  # noqa: A002 - the browser's word
        """The hand drew a jump from a point (or a jump's end) to `x` across the board: it lands on the nearest tick."""
        a = self._start_of(id)
        self._add_jump(a, self._nearest_tick(x) - a)

    @action(name="zoom_in")
    def _zoom_in(self, ids: list[str]) -> None:
        """Show half as much of the line, about the chosen point (or the middle of what is shown)."""
        lo, hi = self._view()
        _, _, s = self._line()
        if hi - lo <= 2 * s:
            raise ValueError("That is as close as the line goes: two steps fill the board.")
        points = {p["id"]: _q(p["value"]) for p in self.pieces if p["kind"] == "point"}
        if len(ids) > 1 or not set(ids) <= points.keys():
            raise ValueError("Zoom in about one point, or about the middle with none chosen.")
        centre = points[ids[0]] if ids else (lo + hi) / 2
        self._show(centre, max((hi - lo) / 2, 2 * s))

    @action(name="zoom_out")
    def _zoom_out(self) -> None:
        """Show twice as much of the line."""
        lo, hi = self._view()
        a, b, _ = self._line()
        if (lo, hi) == (a, b):
            raise ValueError("The whole line is showing.")
        self._show((lo + hi) / 2, 2 * (hi - lo))

    @action(name="pan")
    def _pan(self, by: int) -> None:
        """Move along the line by half of what is shown: by 1 to the right, by −1 to the left."""
        if by not in (1, -1):
            raise ValueError("Move along the line to the left or to the right.")
        lo, hi = self._view()
        a, b, _ = self._line()
        if (by < 0 and lo == a) or (by > 0 and hi == b):
            raise ValueError("That is the end of the line.")
        self._show((lo + hi) / 2 + by * (hi - lo) / 2, hi - lo)

    def _show(self, centre: Fraction, width: Fraction) -> None:
        """Show `width` of the line about `centre`, its ends on the line's steps, inside the line."""
        a, b, s = self._line()
        width = min(width, b - a)
        lo = a + math.floor((centre - width / 2 - a) / s) * s
        lo = min(max(lo, a), b - width)
        hi = min(a + math.ceil((lo + width - a) / s) * s, b)
        lo = max(a, min(lo, hi - s))
        self.view = [_pair(lo), _pair(hi)]

    # --- the look: one description for the live board and the static picture -----------------------

    def _backdrop(self) -> list[look.Shape]:
        """The line, its ticks and its numbers, drawn behind the pieces."""
        lo, hi = self._view()
        a, b, _ = self._line()
        left, right = self._ends()
        chosen = self._ticks()
        y = _LINE_Y
        shapes: list[look.Shape] = [look.line(left - 40, y, right + 40, y, "nl-axis")]
        # an arrowhead where the line goes on beyond what is shown, a stop where it ends
        for end, x, sign in ((lo, left, -1), (hi, right, 1)):
            if end == (a if sign < 0 else b) and (lo, hi) != (a, b):
                shapes.append(look.line(x + sign * 40, y - 16, x + sign * 40, y + 16, "nl-axis"))
            else:
                tip = x + sign * 52
                shapes.append(
                    look.path(
                        f"M{tip - sign * 22:g} {y - 12:g} L{tip:g} {y:g} L{tip - sign * 22:g} {y + 12:g}", "nl-arrow"
                    )
                )
        ticks = [look.line(self._x(v), y - 12, self._x(v), y + 12) for v in _on(chosen.origin, chosen.minor, lo, hi)]
        shapes.append(look.group("nl-ticks", *ticks))
        numbered = _on(chosen.origin, chosen.major, lo, hi)
        shapes.append(
            look.group("nl-ticks nl-major", *(look.line(self._x(v), y - 20, self._x(v), y + 20) for v in numbered))
        )
        shapes.append(
            look.group("nl-numbers", *(look.text(_text(v, self._style), x=self._x(v), y=_NUMBER_Y) for v in numbered))
        )
        return [*super()._backdrop(), look.group("nl-line", *shapes)]

    def _piece_look(self, piece: Piece) -> list[look.Shape]:
        shapes = self._look(piece)
        if piece.get("label"):  # above the point, clear of the numbers under the line
            shapes = [*shapes, look.text(piece["label"], "mn-label nl-point-label", y=_GRIP_Y - 44)]
        return shapes

    def _look(self, piece: Piece) -> list[look.Shape]:
        if piece["kind"] == "point":
            value = _q(piece["value"])
            lo, hi = self._view()
            if not lo <= value <= hi:  # out of view: a hollow point at the nearer end, with its number
                return [
                    look.group(
                        "nl-point nl-off",
                        look.circle(_DOT),
                        look.text(_text(value, self._style), "nl-off-value", y=-36),
                    )
                ]
            return [look.group("nl-point", self._grip(0, 0), look.circle(_DOT))]
        by = _q(piece["by"])
        w, h = piece["w"], piece["h"]
        sx, ex = (-w / 2, w / 2) if by > 0 else (w / 2, -w / 2)
        base = h / 2
        arc = look.path(f"M{sx:g} {base:g} Q0 {base - 2 * h:g} {ex:g} {base:g}", "nl-arc")
        # the arrowhead points along the arc where it lands: from the control point to the end
        dx, dy = ex, 2 * h
        n = math.hypot(dx, dy) or 1
        ux, uy = dx / n, dy / n
        back = (ex - 20 * ux, base - 20 * uy)
        head = look.path(
            f"M{ex:g} {base:g} L{back[0] - 9 * uy:.2f} {back[1] + 9 * ux:.2f} "
            f"L{back[0] + 9 * uy:.2f} {back[1] - 9 * ux:.2f} Z",
            "nl-head",
        )
        amount = f"+{_text(by, self._style)}" if by > 0 else _text(by, self._style)
        label = look.text(amount, "nl-jump-label", y=-base - 22)
        return [
            look.group("nl-jump " + ("nl-forward" if by > 0 else "nl-back"), arc, head, label, self._grip(ex, base))
        ]

    @staticmethod
    def _grip(x: float, y: float) -> look.Shape:
        """What a pupil drags to draw a jump from here: a stem from where the jump starts (its first
        line's start is that place, for the gesture) up to a ring."""
        return look.group(
            "nl-grip",
            look.line(x, y, x, y + _GRIP_Y + _GRIP_R, "nl-stem"),
            look.circle(_GRIP_R, cx=x, cy=y + _GRIP_Y),
            look.text("\u21b7", "nl-grip-glyph", x=x, y=y + _GRIP_Y),
        )

    def _name(self, piece: Piece) -> str:
        d = self._style
        if piece["kind"] == "point":
            return f"point at {_text(_q(piece['value']), d)}"
        a, by = _q(piece["start"]), _q(piece["by"])
        way = "forward" if by > 0 else "back"
        return f"jump {way} {_text(abs(by), d)} from {_text(a, d)} to {_text(a + by, d)}"

    def _tools(self) -> list[dict[str, Any]]:
        a, b, _ = self._line()
        zoomed = self._view() != (a, b)
        tools = [
            tool("mark", "Mark", "Mark a number on the line", ask="Mark which number?", answer="text"),
            tool(
                "jump",
                "Jump",
                "Jump from the selected point by an amount",
                select=("point", "jump"),
                most=1,
                hint="Tap a point (or a jump), then Jump.",
                ask="Jump by how much? (−3 jumps back)",
                answer="by",
            ),
            tool(
                "zoom_in",
                "Zoom in",
                "Zoom in (about the selected point)",
                select=("point",),
                least=0,
                most=1,
                hint="Tap one point to zoom in about it, or none.",
            ),
            tool("zoom_out", "Zoom out", "Zoom out"),
        ]
        if zoomed:
            tools += [
                tool("pan", "\u25c0", "Move along the line to the left", args={"by": -1}),
                tool("pan", "\u25b6", "Move along the line to the right", args={"by": 1}),
            ]
        return tools
