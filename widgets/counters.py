"""Two-sided counters: the concrete model for directed numbers.

Each counter is +1 on one side and -1 on the other. A +1 and a -1 together make a zero pair,
worth nothing, so they can leave the board without changing its value.
"""

from __future__ import annotations

import math
from typing import Any, ClassVar

import traitlets as t

from . import _look as look
from ._board import MINUS, Board, Piece, Refused, action, one_of, signed, tool, zero_pairs_dropped

_CELL = 72  # grid step; a counter is a little smaller, so neighbours do not touch
_DIAMETER = 62


class Counters(Board):
    """Two-sided counters on a board.

    >>> board = Counters(positive=3, negative=5)
    >>> board.value, board.zero_pairs
    (-2, 3)
    """

    _piece_css = ("counters.css",)
    _kinds: ClassVar[dict[str, Any]] = {"counter": {"sign": one_of(1, -1)}}
    _tap_kinds = ("counter",)  # a tap flips a counter

    grid = t.Int(_CELL, min=1, max=500).tag(sync=True)  # counters stand on the grid: never 0
    sizes = t.Dict({"counter": [_DIAMETER, _DIAMETER]}).tag(sync=True)

    def __init__(self, positive: int = 0, negative: int = 0, *, name: str = "", show_readout: bool = True) -> None:
        """A board with `positive` +1 counters on the top rows and `negative` -1 counters below them."""
        super().__init__(name=name, show_readout=show_readout)
        self.add(1, positive)
        self.add(-1, negative)
        self._start = self.snapshot()["pieces"]

    @classmethod
    def array(cls, rows: int, cols: int, *, name: str = "", show_readout: bool = True) -> Counters:
        """`rows` rows of `cols` positive counters: the array model of rows x cols."""
        _count(rows, "rows", low=1)
        _count(cols, "cols", low=1)
        board = cls(name=name, show_readout=show_readout)
        board.width = max(board.width, (cols + 1) * _CELL)
        board.height = max(board.height, (rows + 1) * _CELL)
        board.pieces = [
            _counter(f"p{r * cols + c + 1}", 1, (c + 1) * _CELL, (r + 1) * _CELL)
            for r in range(rows)
            for c in range(cols)
        ]
        board._start = board.snapshot()["pieces"]
        return board

    @classmethod
    def ten_frame(cls, n: int, *, name: str = "", show_readout: bool = True) -> Counters:
        """`n` positive counters filling ten-frames (two rows of five) in order."""
        _count(n, "n")
        frames = max(1, math.ceil(n / 10))
        per_row = 2
        board = cls(name=name, show_readout=show_readout)
        frame_w, frame_h = 6 * _CELL, 3 * _CELL  # five cells and a gap; two cells and a gap
        board.width = max(board.width, per_row * frame_w + _CELL)
        board.height = max(board.height, math.ceil(frames / per_row) * frame_h + _CELL)
        origins = [(_CELL // 2 + (f % per_row) * frame_w, _CELL // 2 + (f // per_row) * frame_h) for f in range(frames)]
        board.guides = [{"x": x, "y": y, "cols": 5, "rows": 2, "cell": _CELL} for x, y in origins]
        board.pieces = [
            _counter(f"p{i + 1}", 1, x + (i % 5) * _CELL + _CELL // 2, y + (i % 10 // 5) * _CELL + _CELL // 2)
            for i in range(n)
            for x, y in [origins[i // 10]]
        ]
        board._start = board.snapshot()["pieces"]
        return board

    # --- what the counters mean -------------------------------------------------------------

    @property
    def positive(self) -> int:
        """How many counters show +1."""
        return sum(1 for p in self.pieces if p["sign"] == 1)

    @property
    def negative(self) -> int:
        """How many counters show -1."""
        return sum(1 for p in self.pieces if p["sign"] == -1)

    @property
    def value(self) -> int:
        """The number the board shows: positive minus negative."""
        return self.positive - self.negative

    @property
    def zero_pairs(self) -> int:
        """How many +1 and -1 pairs could leave the board without changing its value."""
        return min(self.positive, self.negative)

    def _readout(self) -> dict[str, Any]:
        pos, neg = self.positive, self.negative
        shape = self._array_shape()
        if shape:
            rows, cols = shape
            per_row = signed(cols) if pos else f"({signed(-cols)})"
            headline = f"{rows} \u00d7 {per_row} = {signed(pos - neg)}"
        elif pos and neg:
            headline = f"{pos} + ({signed(-neg)}) = {signed(pos - neg)}"
        else:
            headline = signed(pos - neg)
        facts = [
            ["positive counters", str(pos)],
            ["negative counters", str(neg)],
            ["zero pairs", str(min(pos, neg))],
            ["value", signed(pos - neg)],
        ]
        if shape:
            facts.append(["array", f"{shape[0]} rows of {shape[1]}"])
        return {"headline": headline, "facts": facts}

    def _words(self, readout: dict[str, Any]) -> str:
        pos, neg = self.positive, self.negative
        counters = f"{pos} positive and {neg} negative counter{'' if neg == 1 else 's'}"
        return f"{counters}, {min(pos, neg)} zero pair{'' if min(pos, neg) == 1 else 's'}, worth {signed(pos - neg)}"

    def _array_shape(self) -> tuple[int, int] | None:
        """(rows, cols) when the counters, all one sign, stand in a full rectangle on the grid."""
        if len(self.pieces) < 4 or len({p["sign"] for p in self.pieces}) != 1:
            return None
        spots = {(round(p["x"] / self.grid), round(p["y"] / self.grid)) for p in self.pieces}
        cols = {c for c, _ in spots}
        rows = {r for _, r in spots}
        full = len(spots) == len(self.pieces) == len(rows) * len(cols)
        dense = max(cols) - min(cols) + 1 == len(cols) and max(rows) - min(rows) + 1 == len(rows)
        return (len(rows), len(cols)) if full and dense and len(rows) > 1 and len(cols) > 1 else None

    # --- changing the board from Python (and from the toolbar) ----------------------------

    @action
    def add(self, sign: int, n: int = 1) -> None:
        """Put `n` counters showing `sign` (1 or -1) on the board, in their rows."""
        if isinstance(sign, bool) or sign not in (1, -1):
            raise ValueError("sign must be 1 (a positive counter) or -1 (a negative counter)")
        _count(n, "n")
        rows = range(1 if sign == 1 else 2, self.height // self.grid, 2)
        slots = self._free_slots(rows)
        taken = {p["id"] for p in self.pieces}
        added = []
        for _ in range(n):
            spot = next(slots, None)
            if spot is None:
                raise Refused("The board is full: take some counters off first.")
            added.append(_counter(self._new_id(taken), sign, *spot))
        self.pieces = [*self.pieces, *added]

    def flip(self, piece_id: str) -> None:
        """Turn one counter over: +1 becomes -1 and -1 becomes +1."""
        if piece_id not in {p["id"] for p in self.pieces}:
            raise ValueError(f"There is no counter with id {piece_id!r} on this board.")
        self.pieces = [{**p, "sign": -p["sign"]} if p["id"] == piece_id else p for p in self.pieces]

    @action
    def cancel_zero_pairs(self) -> None:
        """Take every zero pair off the board; the value stays the same."""
        pairs = self.zero_pairs
        drop = [p["id"] for p in self.pieces if p["sign"] == 1][:pairs]
        drop += [p["id"] for p in self.pieces if p["sign"] == -1][:pairs]
        self.pieces = [p for p in self.pieces if p["id"] not in drop]

    def clear(self) -> None:
        """Take every counter off the board."""
        self.pieces = []

    # --- the board's look, toolbar and gestures ------------------------------------------------

    def _look(self, piece: Piece) -> list[look.Shape]:
        side = "positive" if piece["sign"] == 1 else "negative"
        glyph = "+" if piece["sign"] == 1 else MINUS
        return [look.group(f"counter {side}", look.circle(_DIAMETER / 2), look.text(glyph))]

    def _name(self, piece: Piece) -> str:
        return "positive counter, plus one" if piece["sign"] == 1 else "negative counter, minus one"

    def _tools(self) -> list[dict[str, Any]]:
        return [
            tool("add", "+1", "Add a positive counter", args={"sign": 1}),
            tool("add", f"{MINUS}1", "Add a negative counter", args={"sign": -1}),
            tool("cancel_zero_pairs", "Zero pairs off", "Take every zero pair off the board"),
        ]

    def _tapped(self, piece: Piece) -> None:
        self.flip(piece["id"])

    def _dropped(self, pieces: list[Piece], moved: set[str]) -> list[Piece]:
        return zero_pairs_dropped(pieces, moved, self._size)


def _counter(pid: str, sign: int, x: float, y: float) -> Piece:
    return {"id": pid, "kind": "counter", "x": x, "y": y, "sign": sign}


def _count(n: Any, what: str, low: int = 0) -> None:
    if isinstance(n, bool) or not isinstance(n, int) or n < low:
        raise ValueError(f"{what} must be a whole number, at least {low}")
