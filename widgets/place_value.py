"""Place value: counters (or base-ten blocks) in columns from thousands to thousandths.

A number is shown as so many of each place: 352 as 3 hundreds, 5 tens and 2 ones. Pupils exchange
one of a column for ten of the next column down (drag it one column to the right) and regroup ten
of a column into one of the next column up (drag ten together one column to the left). The value
never changes: 3 hundreds + 4 tens + 12 ones = 352. Python counts the columns and reads the value
exactly (0.1 + 0.2 is 0.3 here); every piece goes back to its column's tidy rows after a drop.

The board's grid is one column wide, its points at the columns' middles, so a drop lands in a column,
and an arrow key moves a piece (or the selected pieces) one column: the keyboard exchanges and
regroups as the hand does.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from fractions import Fraction
from typing import Any, ClassVar

import traitlets as t

from maths.numbers import exact, plain, read_number
from maths.printing import written

from . import _look as look
from ._board import Board, Piece, Refused, action, tool
from ._protocol import short

__all__ = ["MOST_IN_COLUMN", "PlaceValue"]

MOST_IN_COLUMN = 30  # a column's counters stay countable from the back of the room (six rows of five)
HIGHEST, LOWEST = 3, -3  # thousands to thousandths
STYLES = ("counters", "dienes")
MOST_BLOCK_COLUMNS = 4  # a unit, a rod, a flat and a cube

# Each place, by its power of ten: the kind of piece, and its column's name, one and many.
_PLACES = {
    3: ("thousand", "thousands"),
    2: ("hundred", "hundreds"),
    1: ("ten", "tens"),
    0: ("one", "ones"),
    -1: ("tenth", "tenths"),
    -2: ("hundredth", "hundredths"),
    -3: ("thousandth", "thousandths"),
}
_KIND = {p: one for p, (one, _) in _PLACES.items()}
_PLACE_OF = {one: p for p, (one, _) in _PLACES.items()}
_BLOCKS = ("unit", "rod", "flat", "cube")  # a base-ten block by its rank above the lowest column

# Geometry, in board units.
_COL = 350  # a column's width, and the board's grid: a drop or an arrow key lands in a column
_TOP = 140  # where the pieces start, under the column's heading and its colour strip
_CELL = 64  # counters stand in rows of five, a pair of rows (ten) apart from the next pair
_DIAMETER = 58
_TEN_GAP = 18
_UNIT = 16  # a block's unit cube; a rod is ten of them, a flat a hundred
_BLOCK_STEP = 22
_RISE = 12  # flats and cubes stand in a pile, each this much below the one before
_HEIGHT = {"counters": _TOP + 6 * _CELL + 2 * _TEN_GAP + 24, "dienes": _TOP + 3 * (10 * _UNIT + 16) + 24}


def _value(place: int) -> Fraction:
    return Fraction(10) ** place


def _named(count: int, place: int) -> str:
    """So many of a place, as a textbook says it: 1 ten, 12 ones, 1 tenth."""
    one, many = _PLACES[place]
    return f"{written(count)} {one if count == 1 else many}"


def _digits(q: Fraction) -> dict[int, int]:
    """The digits of a number from 0 to 9999.999, by place (the places with a digit that is not 0)."""
    scaled = int(q * 1000)
    out = {}
    for place in range(LOWEST, HIGHEST + 1):
        digit = scaled // 10 ** (place - LOWEST) % 10
        if digit:
            out[place] = digit
    return out


def _author_number(number: Any) -> Fraction:
    """The number an author asks for, exactly: from 0 to 9999.999, to thousandths at most."""
    try:
        q = read_number(number) if isinstance(number, str) else exact(number)
    except (TypeError, ValueError) as why:
        raise ValueError(f"PlaceValue's number: {why}.") from None
    if q < 0:
        raise ValueError(
            f"PlaceValue shows numbers from 0 up, and {written(q)} is negative: negative numbers are out of "
            "its scope. Show a directed number with Counters or a NumberLine."
        )
    if q >= 10_000:
        raise ValueError(f"PlaceValue shows numbers below 10000 (thousands at most): {written(q)} is too large.")
    if (q * 1000).denominator != 1:
        raise ValueError(
            f"PlaceValue shows numbers to thousandths at most: round {written(q, decimal=True)} to three decimal "
            "places first."
        )
    return q


def _place(column: Any, what: str = "A column") -> int:
    """A column, named ("tens", "ten") or by its place value (10, 0.1, "0.1"), as its power of ten."""
    if isinstance(column, str) and column.strip().lower() in {w for names in _PLACES.values() for w in names}:
        word = column.strip().lower()
        return next(p for p, names in _PLACES.items() if word in names)
    try:
        q = read_number(column) if isinstance(column, str) else exact(column)
    except (TypeError, ValueError):
        q = None
    for place in _PLACES:
        if q == _value(place):
            return place
    raise ValueError(
        f'{what} is named (such as "tens" or "tenths") or given by its place value (1000, 100, 10, 1, 0.1, '
        f"0.01 or 0.001), not {short(column)}."
    )


def _check_places(value: Any) -> list[int]:
    if (
        not isinstance(value, list)
        or not 1 <= len(value) <= HIGHEST - LOWEST + 1
        or any(isinstance(p, bool) or not isinstance(p, int) or not LOWEST <= p <= HIGHEST for p in value)
        or value != list(range(value[0], value[0] - len(value), -1))
    ):
        raise Refused(
            "A place-value board's columns are places next to one another, from thousands (3) down to "
            "thousandths (\u22123), highest first."
        )
    return value


class PlaceValue(Board):
    """Place-value counters (or base-ten blocks, `style="dienes"`) in columns.

    >>> board = PlaceValue(352)
    >>> board.exchange("tens")
    >>> board.count("ones"), board.value
    (12, 352)
    >>> board.readout["headline"]
    '3 hundreds + 4 tens + 12 ones = 352'
    """

    _piece_css = ("place_value.css",)
    _kinds: ClassVar[dict[str, Any]] = {kind: {} for kind in _PLACE_OF}  # a piece's kind is its place
    _settings: ClassVar[tuple[str, ...]] = (*Board._settings, "places", "style")

    # The frame of the default columns (ones alone) and style; other columns and styles set their own.
    grid = t.Int(_COL, min=1, max=500).tag(sync=True)
    grid_origin = t.List([_COL // 2, 0]).tag(sync=True)
    width = t.Int(_COL, min=100, max=10_000).tag(sync=True)
    height = t.Int(_HEIGHT["counters"], min=100, max=10_000).tag(sync=True)
    sizes = t.Dict({kind: [_DIAMETER, _DIAMETER] for kind in _PLACE_OF}).tag(sync=True)
    # The columns, highest first, by power of ten ([2, 1, 0] is hundreds, tens, ones), and how the
    # pieces are drawn: Python's alone (the page draws what it is sent).
    places = t.List([0])
    style = t.Unicode("counters")

    def __init__(
        self,
        number: int | float | Fraction | Decimal | str = 0,
        columns: Any = None,
        style: str = "counters",
        *,
        name: str = "",
        show_readout: bool = True,
    ) -> None:
        """A board showing `number` (0 to 9999.999) as so many of each place, with a column for each
        place it needs (or the `columns` given: place values such as (100, 10, 1) or names)."""
        q = _author_number(number)
        digits = _digits(q)
        if style not in STYLES:
            raise ValueError(f'style must be "counters" or "dienes" (base-ten blocks), not {short(style)}.')
        if columns is None:
            places = list(range(max([0, *digits]), min([0, *digits]) - 1, -1))
        else:
            if isinstance(columns, (str, bytes)) or not hasattr(columns, "__iter__"):
                raise ValueError('columns is a list of places, such as (100, 10, 1) or ("tens", "ones").')
            chosen = sorted({_place(c, "Each of the columns") for c in columns}, reverse=True)
            if not chosen or chosen != list(range(chosen[0], chosen[-1] - 1, -1)):
                raise ValueError(
                    "The columns must be places next to one another, such as (100, 10, 1): none missed out."
                )
            missing = [p for p in digits if p not in chosen]
            if missing:
                raise ValueError(
                    f"{written(q, decimal=True)} needs a column of {_PLACES[max(missing)][1]}: add it to the columns."
                )
            places = chosen
        if style == "dienes" and len(places) > MOST_BLOCK_COLUMNS:
            raise ValueError(
                f"Base-ten blocks show at most {MOST_BLOCK_COLUMNS} columns (a unit, a rod, a flat and a cube): "
                'give fewer columns, or use style="counters".'
            )
        pieces = [
            {"id": f"p{n}", "kind": _KIND[place], "x": 0, "y": 0}
            for n, place in enumerate((p for p in places for _ in range(digits.get(p, 0))), 1)
        ]
        super().__init__(pieces, places=places, style=style, name=name, show_readout=show_readout)
        self._start = self.snapshot()["pieces"]

    # --- the declared board, checked (a snapshot may carry anything) -------------------------------

    @t.validate("places")
    def _check_places_trait(self, proposal: dict[str, Any]) -> list[int]:
        places = _check_places(proposal["value"])
        if self.style == "dienes" and len(places) > MOST_BLOCK_COLUMNS:
            raise Refused(f"Base-ten blocks show at most {MOST_BLOCK_COLUMNS} columns.")
        return places

    @t.validate("style")
    def _check_style(self, proposal: dict[str, Any]) -> str:
        style = proposal["value"]
        if style not in STYLES:
            raise Refused('A place-value board\'s style is "counters" or "dienes".')
        if style == "dienes" and len(self.places) > MOST_BLOCK_COLUMNS:
            raise Refused(f"Base-ten blocks show at most {MOST_BLOCK_COLUMNS} columns.")
        return style

    @t.observe("places", "style")
    def _reframe(self, change: dict[str, Any]) -> None:
        """The frame follows the columns and the style: as wide as the columns, as tall as a full column."""
        with self.hold_sync():
            self.width = len(self.places) * _COL
            self.height = _HEIGHT[self.style]
            self.sizes = {_KIND[p]: list(self._piece_size(p)) for p in _PLACES}
            self.backdrop = self._backdrop()
            self._pieces_changed(change)  # the pieces go to their places in the new frame, and are drawn

    def _check_whole(self, pieces: list[Piece]) -> None:
        counts = Counter(_PLACE_OF[p["kind"]] for p in pieces)
        for place in counts:
            if place not in self.places:
                raise Refused(f"This board has no column of {_PLACES[place][1]}: its columns are {self._listed()}.")
        for place in self.places:
            if counts[place] > MOST_IN_COLUMN:
                raise Refused(
                    f"The {_PLACES[place][1]} would hold {counts[place]}; a column holds at most {MOST_IN_COLUMN}, "
                    f"so the board stays readable: regroup ten of them first, or take some off."
                )

    # --- what the board shows ------------------------------------------------------------------------

    @property
    def columns(self) -> list[int | Fraction]:
        """The columns' place values, highest first: [100, 10, 1], or [1, Fraction(1, 10)]."""
        return [plain(_value(p)) for p in self.places]

    def count(self, column: Any) -> int:
        """How many pieces stand in a column, named ("tens") or by its place value (10, 0.1)."""
        return self._counts()[self._column(column)]

    @property
    def value(self) -> int | Fraction:
        """What the board is worth, exactly: each column's count times its place value, added."""
        return plain(sum((n * _value(p) for p, n in self._counts().items()), Fraction(0)))

    def _counts(self) -> dict[int, int]:
        """Each column's count, highest first."""
        counts = Counter(_PLACE_OF[p["kind"]] for p in self.pieces)
        return {p: counts[p] for p in self.places}

    def _column(self, column: Any) -> int:
        place = _place(column)
        if place not in self.places:
            raise ValueError(f"This board has no column of {_PLACES[place][1]}: its columns are {self._listed()}.")
        return place

    def _listed(self) -> str:
        names = [_PLACES[p][1] for p in self.places]
        return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]

    def _readout(self) -> dict[str, Any]:
        counts = self._counts()
        worth = written(self.value, decimal=True)
        terms = [_named(n, p) for p, n in counts.items() if n]
        headline = f"{' + '.join(terms)} = {worth}" if terms else worth
        facts = [[_PLACES[p][1], written(n)] for p, n in counts.items()]
        facts.append(["value", worth])
        return {"headline": headline, "facts": facts}

    def _words(self, readout: dict[str, Any]) -> str:
        terms = [_named(n, p) for p, n in self._counts().items() if n]
        said = ", ".join(terms[:-1]) + " and " + terms[-1] if len(terms) > 1 else (terms or ["Nothing"])[0]
        return f"{said}, worth {written(self.value, decimal=True)}"

    # --- changing the board from Python (and from the toolbar) --------------------------------------

    def exchange(self, column: Any) -> None:
        """Break one of a column into ten of the next column down (one ten for ten ones)."""
        self.pieces = self._exchanged(self.pieces, self._column(column), 1)

    def regroup(self, column: Any) -> None:
        """Make ten of a column into one of the next column up (ten ones for one ten)."""
        self.pieces = self._regrouped(self.pieces, self._column(column), 10)

    def _exchanged(self, pieces: list[Piece], place: int, n: int, ids: list[str] | None = None) -> list[Piece]:
        """`pieces` with n of a column (those in `ids`, else the last) exchanged for ten times as many below."""
        if place - 1 not in self.places:
            raise Refused(self._no_column(place - 1, "to the right of", place))
        return self._swap(pieces, place, n, place - 1, 10 * n, ids)

    def _regrouped(self, pieces: list[Piece], place: int, n: int, ids: list[str] | None = None) -> list[Piece]:
        """`pieces` with n (a multiple of ten) of a column regrouped into a tenth as many above."""
        if place + 1 not in self.places:
            raise Refused(self._no_column(place + 1, "to the left of", place))
        if n % 10:
            raise Refused(
                f"Ten {_PLACES[place][1]} make one {_PLACES[place + 1][0]}: regroup ten together "
                f"(that was {written(n)})."
            )
        return self._swap(pieces, place, n, place + 1, n // 10, ids)

    def _no_column(self, wanted: int, where: str, place: int) -> str:
        if wanted not in _PLACES:
            end = "largest" if wanted > 0 else "smallest"
            return f"There is no column {where} the {_PLACES[place][1]}: they are the {end} place a board shows."
        return (
            f"There is no column {where} the {_PLACES[place][1]}: make the board with a column of "
            f"{_PLACES[wanted][1]} too (columns=...)."
        )

    def _swap(self, pieces: list[Piece], place: int, n: int, into: int, m: int, ids: list[str] | None) -> list[Piece]:
        """`pieces` with n pieces of one place (those in `ids`, else the last n) taken off and m of another put on."""
        kind = _KIND[place]
        have = [p["id"] for p in pieces if p["kind"] == kind]
        if len(have) < n:
            raise Refused(
                f"There {'is' if len(have) == 1 else 'are'} {_named(len(have), place)} on the board, "
                f"not {written(n)} to {'exchange' if into < place else 'regroup'}."
            )
        gone = set(ids if ids is not None else have[len(have) - n :])
        taken = {p["id"] for p in pieces}
        added = [{"id": self._new_id(taken), "kind": _KIND[into], "x": 0, "y": 0} for _ in range(m)]
        return [p for p in pieces if p["id"] not in gone] + added

    @action(name="exchange")
    def _exchange_action(self, ids: list[str]) -> None:
        """Each chosen piece exchanged for ten of the next column down."""
        by_place = self._chosen(ids)
        pieces = self.pieces
        for place, chosen in by_place.items():
            pieces = self._exchanged(pieces, place, len(chosen), chosen)
        self.pieces = pieces

    @action(name="regroup")
    def _regroup_action(self, ids: list[str]) -> None:
        """Ten chosen pieces of one column regrouped into one of the next column up."""
        by_place = self._chosen(ids)
        if len(by_place) != 1:
            raise Refused("Regroup ten from one column: choose ten counters in the same column.")
        ((place, chosen),) = by_place.items()
        self.pieces = self._regrouped(self.pieces, place, len(chosen), chosen)

    @action(name="add")
    def _add_action(self, text: str) -> None:
        """One more piece in the column a pupil named ("tens") or gave by its place value ("10")."""
        place = self._column(text)
        taken = {p["id"] for p in self.pieces}
        self.pieces = [*self.pieces, {"id": self._new_id(taken), "kind": _KIND[place], "x": 0, "y": 0}]

    def _chosen(self, ids: list[str]) -> dict[int, list[str]]:
        kinds = {p["id"]: p["kind"] for p in self.pieces}
        if not ids or len(set(ids)) != len(ids) or not set(ids) <= kinds.keys():
            raise Refused("Choose the counters on the board first (tap them, or drag round them).")
        out: dict[int, list[str]] = {}
        for i in ids:
            out.setdefault(_PLACE_OF[kinds[i]], []).append(i)
        return out

    # --- the hand: a drop one column over exchanges or regroups ---------------------------------------

    def _dropped(self, pieces: list[Piece], moved: set[str]) -> list[Piece]:
        """A piece dropped one column to the right is exchanged for ten there; ten dropped together one
        column to the left are regrouped into one there. A piece dropped in its own column goes back to
        its place; any other drop is refused with the reason."""
        moves: dict[tuple[int, int], list[str]] = {}
        for p in pieces:
            if p["id"] in moved:
                here = _PLACE_OF[p["kind"]]
                column = min(max(round((p["x"] - _COL // 2) / _COL), 0), len(self.places) - 1)
                moves.setdefault((here, self.places[column]), []).append(p["id"])
        for (here, there), ids in moves.items():
            if there == here:
                continue
            if there == here - 1:
                pieces = self._exchanged(pieces, here, len(ids), ids)
            elif there == here + 1:
                pieces = self._regrouped(pieces, here, len(ids), ids)
            else:
                raise Refused(
                    "Move counters one column at a time: one to the right is exchanged for ten, "
                    "ten to the left are regrouped into one."
                )
        return pieces

    def _arrange(self, pieces: list[Piece]) -> list[Piece]:
        """Every piece in its column's tidy rows, in the order they came, highest column first."""
        out = []
        for i, place in enumerate(self.places):
            mine = [p for p in pieces if p["kind"] == _KIND[place]]
            for k, p in enumerate(mine):
                x, y = self._spot(i * _COL + _COL // 2, place, k, len(mine))
                if (p["x"], p["y"]) != (x, y):
                    p = {**p, "x": x, "y": y}
                out.append(p)
        return out

    def _spot(self, centre: int, place: int, k: int, n: int) -> tuple[float, float]:
        """Where the k-th of a column's n pieces stands."""
        if self.style == "counters" or self._rank(place) == 0:
            cell = _CELL if self.style == "counters" else _BLOCK_STEP
            gap = _TEN_GAP if self.style == "counters" else 10
            row, col = divmod(k, 5)
            return centre + (col - 2) * cell, _TOP + cell / 2 + row * cell + row // 2 * gap
        if self._rank(place) == 1:  # rods side by side, ten to a row
            row, col = divmod(k, 10)
            return centre + (col - 4.5) * _BLOCK_STEP, _TOP + 5 * _UNIT + row * (10 * _UNIT + 16)
        # flats and cubes in a pile, each a little lower and to the right: every one's edge shows
        return centre + 4 * (k - (n - 1) / 2), _TOP + 5 * _UNIT + _RISE * k

    def _rank(self, place: int) -> int:
        """A block's rank above the lowest column: 0 a unit, 1 a rod, 2 a flat, 3 a cube."""
        return place - self.places[-1]

    # --- the look: one description for the live board and the static picture -------------------------

    def _piece_size(self, place: int) -> tuple[int, int]:
        if self.style == "counters":
            return _DIAMETER, _DIAMETER
        rank = min(max(self._rank(place), 0), 3)
        return [(_UNIT, _UNIT), (_UNIT, 10 * _UNIT), (10 * _UNIT, 10 * _UNIT), (10 * _UNIT, 10 * _UNIT)][rank]

    def _look(self, piece: Piece) -> list[look.Shape]:
        place = _PLACE_OF[piece["kind"]]
        cls = f"pv-{piece['kind']}"
        if self.style == "counters":
            worth = written(_value(place), decimal=True)
            return [
                look.group(
                    f"pv-counter {cls}",
                    look.circle(_DIAMETER / 2),
                    look.text(worth, f"pv-worth pv-len{len(worth)}"),
                )
            ]
        return [look.group(f"pv-block {cls}", *_block(self._rank(place)))]

    def _name(self, piece: Piece) -> str:
        place = _PLACE_OF[piece["kind"]]
        worth = written(_value(place), decimal=True)
        if self.style == "counters":
            return f"counter worth {worth}, in the {_PLACES[place][1]}"
        return f"{_BLOCKS[self._rank(place)]} worth {worth}, in the {_PLACES[place][1]}"

    def _backdrop(self) -> list[look.Shape]:
        """The columns: a heading and a colour strip each, rules between them, a decimal point."""
        h = self.height
        shapes: list[look.Shape] = [look.rect(4, 16, self.width - 8, h - 32, "pv-frame")]
        for i, place in enumerate(self.places):
            centre = i * _COL + _COL // 2
            if i:
                shapes.append(look.line(centre - _COL / 2, 16, centre - _COL / 2, h - 16, "pv-rule"))
            shapes.append(look.text(_PLACES[place][1].capitalize(), "pv-heading", x=centre, y=56))
            shapes.append(look.rect(centre - _COL / 2 + 14, 92, _COL - 28, 14, f"pv-strip pv-{_KIND[place]}"))
            if place == -1 and i:  # the decimal point, between the ones and the tenths
                shapes.append(look.circle(9, "pv-point", cx=centre - _COL / 2, cy=99))
        return [*super()._backdrop(), look.group("pv-chart", *shapes)]

    def _tools(self) -> list[dict[str, Any]]:
        kinds = tuple(_KIND[p] for p in self.places)
        return [
            tool(
                "exchange",
                "Exchange",
                "Exchange each selected counter for ten of the next column down",
                select=kinds,
                hint="Tap a counter, then Exchange (or drag it one column to the right).",
            ),
            tool(
                "regroup",
                "Regroup",
                "Regroup ten selected counters into one of the next column up",
                select=kinds,
                least=10,
                hint="Select ten counters in one column (drag round them), then Regroup.",
            ),
            tool(
                "add",
                "Add",
                "Add a counter to a column",
                ask="Add a counter worth? (such as 100, 1 or 0.1)",
                answer="text",
            ),
        ]


def _block(rank: int) -> list[look.Shape]:
    """A base-ten block about its centre: a unit, a rod of ten, a flat of a hundred, a cube of a thousand."""
    u = _UNIT
    if rank == 0:
        return [look.box(u, u, "pv-face")]
    if rank == 1:
        lines = "".join(f"M{-u / 2:g} {-5 * u + k * u:g}h{u:g}" for k in range(1, 10))
        return [look.box(u, 10 * u, "pv-face"), look.path(lines, "pv-lines")]
    side = 10 * u
    if rank == 2:
        lines = "".join(f"M{-side / 2 + k * u:g} {-side / 2:g}v{side:g}" for k in range(1, 10))
        lines += "".join(f"M{-side / 2:g} {-side / 2 + k * u:g}h{side:g}" for k in range(1, 10))
        return [look.box(side, side, "pv-face"), look.path(lines, "pv-lines")]
    d = 30  # a cube: its front face, and its top and side drawn back at an angle
    front = side - d
    x0, y0 = -side / 2, -side / 2 + d
    step = front / 10
    lines = "".join(f"M{x0 + k * step:g} {y0:g}v{front:g}" for k in range(1, 10))
    lines += "".join(f"M{x0:g} {y0 + k * step:g}h{front:g}" for k in range(1, 10))
    top = f"M{x0:g} {y0:g}L{x0 + d:g} {y0 - d:g}H{side / 2:g}L{x0 + front:g} {y0:g}Z"
    right = f"M{x0 + front:g} {y0:g}L{side / 2:g} {y0 - d:g}V{side / 2 - d:g}L{x0 + front:g} {side / 2:g}Z"
    return [
        look.path(top, "pv-face pv-top"),
        look.path(right, "pv-face pv-side"),
        look.rect(x0, y0, front, front, "pv-face"),
        look.path(lines, "pv-lines"),
    ]
