"""A fraction wall: one row per denominator, each row the same whole, split into equal parts.

Pupils tap parts to shade them. Python reads each row's shaded fraction and states the equalities
and orderings among the shaded rows as a textbook writes them (1/2 = 3/6 = 4/8 > 1/3), computed
with Fraction. The parts do not wander: a dragged part goes back to its place, so the wall stays
a wall, and none can be taken off it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal
from fractions import Fraction
from itertools import islice
from typing import Any, ClassVar

import traitlets as t

from maths.numbers import exact, read_number
from maths.printing import written

from . import _look as look
from ._board import Board, Piece, Refused, action, tool
from ._protocol import short

__all__ = ["DEFAULT_ROWS", "FractionWall"]

DEFAULT_ROWS = (1, 2, 3, 4, 5, 6, 8, 10, 12)
MOST_PARTS = 24  # the most parts in a row: a 1/24 part is still wide enough for its label
MOST_ROWS = 12
_MARGIN = 30
_ROW_H = 84  # tall enough for a stacked label read from the back of the room
# 1080 board units of wall: a whole number of units for 1 to 6, 8, 9, 10 and 12 parts; a twelfth
# is 90 units, about 100 screen pixels on a 1920 px whiteboard.
_WIDTH = 1080 + 2 * _MARGIN
_NARROW = 80  # a part narrower than this takes the smaller label (fraction_wall.css)
_DIGIT = (0.62 * 34, 0.62 * 26)  # a bold digit's width at the label's font sizes in fraction_wall.css
_HATCH = 16  # the gap between the hatch lines of a shaded part

# What a part of each row is called, one and many.
_ORDINALS = {
    1: ("whole", "wholes"),
    2: ("half", "halves"),
    3: ("third", "thirds"),
    4: ("quarter", "quarters"),
    **{
        n: (word, word + "s")
        for n, word in enumerate(
            "fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth fourteenth fifteenth sixteenth "
            "seventeenth eighteenth nineteenth twentieth twenty-first twenty-second twenty-third twenty-fourth".split(),
            start=5,
        )
    },
}


def _whole(value: Any, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise Refused(f"must be a whole number from {low} to {high}")
    return value


def _boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise Refused("must be true or false")
    return value


def _length(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value <= 10_000:
        raise Refused("must be a number above 0, at most 10000")
    return value


def _rows(value: Any) -> list[int]:
    """The wall's rows, checked: distinct numbers of parts, each from 1 to MOST_PARTS."""
    if isinstance(value, (str, bytes, dict)) or not isinstance(value, Iterable):
        raise Refused(f"A fraction wall's rows must be a list of numbers of parts, such as {DEFAULT_ROWS}.")
    rows = list(islice(value, MOST_ROWS + 1))  # never more than one too many, however long it is
    if not 1 <= len(rows) <= MOST_ROWS:
        raise Refused(f"A fraction wall has from 1 to {MOST_ROWS} rows.")
    for n in rows:
        try:
            _whole(n, 1, MOST_PARTS)
        except Refused as why:
            raise Refused(f"Each row of a fraction wall has a number of parts that {why} (not {short(n)}).") from None
    if len(set(rows)) != len(rows):
        raise Refused("A fraction wall has one row for each number of parts: a row is given twice.")
    return rows


# --- the mathematics of the shaded rows (plain functions of counts) --------------------------------


def _groups(counts: dict[int, int]) -> list[list[tuple[int, int]]]:
    """The shaded rows as (count, parts), grouped by equal value, the greatest first; in a group, by parts."""
    by_value: dict[Fraction, list[tuple[int, int]]] = {}
    for n, count in counts.items():
        if count:
            by_value.setdefault(Fraction(count, n), []).append((count, n))
    return [sorted(by_value[v], key=lambda cn: cn[1]) for v in sorted(by_value, reverse=True)]


def _chain(groups: list[list[tuple[int, int]]], name: Callable[[int, int], str], equal: str, greater: str) -> str:
    """Every equality and ordering among the groups, in one chain: a = b > c = d."""
    return greater.join(equal.join(name(c, n) for c, n in group) for group in groups)


def _fraction(count: int, n: int) -> str:
    """count/n as a textbook writes a row's fraction: unsimplified (3/6 is 3/6), a whole row of one part as 1."""
    return written(count) if n == 1 else f"{written(count)}/{written(n)}"


def _in_words(count: int, n: int) -> str:
    one, many = _ORDINALS[n]
    return f"{count} {one if count == 1 else many}"


# --- how a part looks -------------------------------------------------------------------------------


def _hatch(w: float, h: float, inset: float = 3) -> str:
    """Diagonal lines across a w by h box about the centre: a shaded part is marked without colour."""
    x0, x1, y0, y1 = -w / 2 + inset, w / 2 - inset, -h / 2 + inset, h / 2 - inset
    strokes = []
    c = x0 + y0 + _HATCH / 2
    while c < x1 + y1:  # the line x + y = c, cut to the box
        a, b = max(x0, c - y1), min(x1, c - y0)
        if a < b:
            strokes.append(f"M{look._n(a)} {look._n(c - a)}L{look._n(b)} {look._n(c - b)}")
        c += _HATCH
    return "".join(strokes)


def _label(n: int, w: float) -> list[look.Shape]:
    """1/n stacked, as a textbook prints it (1 for the whole), its bar as wide as the digits below it."""
    narrow = w < _NARROW
    cls = "fw-label fw-narrow" if narrow else "fw-label"
    if n == 1:
        return [look.group(cls, look.text(written(1)))]
    den = written(n)
    half_gap = 17 if narrow else 20
    bar = min(w - 12, _DIGIT[narrow] * len(den) + 4)
    return [
        look.group(
            cls,
            look.text(written(1), y=-half_gap),
            look.line(-bar / 2, 0, bar / 2, 0, "fw-rim"),  # keeps the bar clear of a shaded part's hatch
            look.line(-bar / 2, 0, bar / 2, 0),
            look.text(den, y=half_gap),
        )
    ]


def _wall(rows: list[int], shaded: set[tuple[int, int]] | frozenset[tuple[int, int]] = frozenset()) -> list[Piece]:
    """The parts of a wall, (row, index) in `shaded` shaded; where they stand is `_arrange`'s to say."""
    return [
        {
            "id": f"r{n}-{i + 1}",
            "kind": "part",
            "x": 0,
            "y": 0,
            "row": n,
            "index": i,
            "shaded": (n, i) in shaded,
            "w": 1,
        }
        for n in rows
        for i in range(n)
    ]


class FractionWall(Board):
    """A fraction wall: one row per number of parts, each row the same whole.

    >>> wall = FractionWall(rows=(2, 3, 6))
    >>> wall.shade(2, 1); wall.shade(6, 3)
    >>> wall.shaded[6], wall.readout["headline"]
    (Fraction(1, 2), '1/2 = 3/6')
    """

    _piece_css = ("fraction_wall.css",)
    _kinds: ClassVar[dict[str, Any]] = {
        "part": {
            "row": lambda v: _whole(v, 1, MOST_PARTS),
            "index": lambda v: _whole(v, 0, MOST_PARTS - 1),
            "shaded": _boolean,
            "w": _length,
        }
    }
    _tap_kinds = ("part",)  # a tap shades or unshades a part
    _settings: ClassVar[tuple[str, ...]] = (*Board._settings, "rows")

    rows = t.List(list(DEFAULT_ROWS)).tag(sync=True)  # the number of parts in each row, top to bottom
    width = t.Int(_WIDTH, min=100, max=10_000).tag(sync=True)
    sizes = t.Dict({"part": [_WIDTH - 2 * _MARGIN, _ROW_H]}).tag(sync=True)  # each part carries its own w

    def __init__(self, rows: Iterable[int] = DEFAULT_ROWS, *, name: str = "", show_readout: bool = True) -> None:
        """A wall with a row for each number of parts in `rows` (top to bottom), nothing shaded."""
        try:
            rows = _rows(rows)
        except Refused as why:
            raise ValueError(str(why)) from None
        super().__init__(_wall(rows), rows=rows, height=_height(rows), name=name, show_readout=show_readout)

    # --- what the wall shows -------------------------------------------------------------------

    @property
    def _counts(self) -> dict[int, int]:
        """How many parts are shaded in each row, by its number of parts, top to bottom."""
        counts = dict.fromkeys(self.rows, 0)
        for p in self.pieces:
            counts[p["row"]] += p["shaded"]
        return counts

    @property
    def shaded(self) -> dict[int, Fraction]:
        """Each row's shaded fraction of the whole, by its number of parts: {2: Fraction(1, 2), ...}."""
        return {n: Fraction(count, n) for n, count in self._counts.items()}

    def _readout(self) -> dict[str, Any]:
        counts = self._counts
        groups = _groups(counts)
        facts = [[_ORDINALS[n][1], _fraction(c, n)] for n, c in counts.items() if c]
        facts += [["equal", _chain([g], _fraction, " = ", "")] for g in groups if len(g) > 1]
        return {"headline": _chain(groups, _fraction, " = ", " > "), "facts": facts or [["shaded", "nothing yet"]]}

    def _words(self, readout: dict[str, Any]) -> str:
        groups = _groups(self._counts)
        if not groups:
            return "A fraction wall with nothing shaded."
        return "Shaded: " + _chain(groups, _in_words, " equals ", ", which is more than ") + "."

    # --- changing the wall from Python (and from the toolbar) ------------------------------------

    def shade(self, denominator: int, count: int) -> None:
        """Shade the first `count` parts of the row of `denominator` parts, and none after them."""
        if isinstance(denominator, bool) or not isinstance(denominator, int) or denominator not in self.rows:
            raise ValueError(
                f"This wall has no row of {short(denominator)} parts; its rows have {_listed(self.rows)} parts."
            )
        try:
            _whole(count, 0, denominator)
        except Refused as why:
            raise ValueError(f"The count of parts to shade in the row of {denominator} {why}.") from None
        self._set_counts({**self._counts, denominator: count})

    @action
    def clear(self) -> None:
        """Unshade every part."""
        self._set_counts(dict.fromkeys(self.rows, 0))

    def shade_equal(self, fraction: int | float | Fraction | Decimal | str) -> None:
        """Shade `fraction` (such as "3/4" or Fraction(3, 4)) in every row that can show it exactly,
        and clear the other rows: the wall shows the fractions equal to it."""
        try:
            q = read_number(fraction) if isinstance(fraction, str) else exact(fraction)
        except (TypeError, ValueError) as why:
            raise Refused(f"The wall could not read that as a fraction ({why}): write one such as 3/4.") from None
        if not 0 <= q <= 1:
            raise Refused(f"A fraction wall shows fractions from 0 to 1; {written(q)} is not one of them.")
        fits = {n: int(q * n) for n in self.rows if (q * n).denominator == 1}
        if not fits:
            raise Refused(
                f"No row of this wall can show {written(q)} exactly: its rows have {_listed(self.rows)} parts."
            )
        self._set_counts({n: fits.get(n, 0) for n in self.rows})

    @action(name="shade_equal")
    def _shade_equal_action(self, text: str) -> None:
        self.shade_equal(text)

    def _set_counts(self, counts: dict[int, int]) -> None:
        self.pieces = [{**p, "shaded": p["index"] < counts[p["row"]]} for p in self.pieces]

    def _tapped(self, piece: Piece) -> None:
        self.pieces = [{**p, "shaded": not p["shaded"]} if p["id"] == piece["id"] else p for p in self.pieces]

    # --- the wall's rules, layout, look and toolbar -------------------------------------------------

    def _check_whole(self, pieces: list[Piece]) -> None:
        have = sorted((p["row"], p["index"]) for p in pieces)
        if have != sorted((n, i) for n in self.rows for i in range(n)):
            raise Refused(
                "A fraction wall keeps every part in its row: none may be taken off or added. "
                "Tap a part to shade it or to clear it."
            )

    def _arrange(self, pieces: list[Piece]) -> list[Piece]:
        """Every part in its place, in the wall's order, whatever the hand did with it."""
        wall = self.width - 2 * _MARGIN
        row_of = {n: r for r, n in enumerate(self.rows)}
        out = []
        for p in sorted(pieces, key=lambda p: (row_of[p["row"]], p["index"])):
            w = wall / p["row"]
            x, y = _MARGIN + w * (p["index"] + 0.5), _MARGIN + _ROW_H * (row_of[p["row"]] + 0.5)
            out.append({**p, "x": round(x, 2), "y": round(y, 2), "w": round(w, 2)})
        return out

    @t.validate("rows")
    def _check_rows(self, proposal: dict[str, Any]) -> list[int]:
        return _rows(proposal["value"])

    @t.observe("rows", "width")
    def _rebuild(self, change: dict[str, Any]) -> None:
        """New rows (or a new width): the wall is built again, each row that stays keeping its shading,
        and Reset goes back to the new wall with nothing shaded."""
        shaded = {(p["row"], p["index"]) for p in self.pieces if p["shaded"]}
        self.height = _height(self.rows)
        self.pieces = _wall(self.rows, shaded)
        self._start = self._arrange(_wall(self.rows))

    def _look(self, piece: Piece) -> list[look.Shape]:
        w, shaded = piece["w"], piece["shaded"]
        shapes = [look.box(w, _ROW_H, "fw-brick")]
        if shaded:
            shapes.append(look.path(_hatch(w, _ROW_H), "fw-hatch"))
        shapes += _label(piece["row"], w)
        return [look.group("fw-part shaded" if shaded else "fw-part", *shapes)]

    def _name(self, piece: Piece) -> str:
        n = piece["row"]
        what = "the whole" if n == 1 else f"1 {_ORDINALS[n][0]}, part {piece['index'] + 1} of {n}"
        return f"{what}, {'shaded' if piece['shaded'] else 'not shaded'}"

    def _tools(self) -> list[dict[str, Any]]:
        return [
            tool("clear", "Clear", "Clear the shading from every row"),
            tool(
                "shade_equal",
                "Equal to\u2026",
                "Shade a fraction in every row that can show it",
                ask="Shade which fraction in every row that can show it?",
                answer="text",
            ),
        ]


def _height(rows: list[int]) -> int:
    return len(rows) * _ROW_H + 2 * _MARGIN


def _listed(numbers: list[int]) -> str:
    words = [written(n) for n in numbers]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]
