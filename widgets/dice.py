"""Dice: chance made concrete, and sums to read off the board.

Each die shows 1 to 6 pips. A tap rolls one die; the toolbar adds a die and rolls them all. The
board reads the faces left to right, row by row, as a sum ("3 + 5 + 6 = 14"), and counts each face.

The rolls come from Python's `random.Random`, seeded once per board. Roll number n of a board is
made from its seed and n alone, so a board is its pieces, its `seed` and how many `rolls` it has
made: plain data in the snapshot, never a generator. A board restored from a snapshot rolls on
exactly as the original would have, and a lesson given a `seed` rolls the same every time it runs.
The seed is never sent to the page, so no one can foresee a roll there.
"""

from __future__ import annotations

import itertools
import math
import random
from typing import Any, ClassVar

import traitlets as t

from . import _look as look
from ._board import Board, Piece, Refused, action, tool

_CELL = 110  # grid step; a die is a little smaller, so neighbours do not touch
_SIDE = 88
_PIP = 8.5  # a pip's radius
_OFF = 23  # how far a corner pip stands from the centre, across and down
# Where the pips of each face stand, about the die's centre, as on a real die.
_PIPS = {
    1: [(0, 0)],
    2: [(-1, -1), (1, 1)],
    3: [(-1, -1), (0, 0), (1, 1)],
    4: [(-1, -1), (1, -1), (-1, 1), (1, 1)],
    5: [(-1, -1), (1, -1), (0, 0), (-1, 1), (1, 1)],
    6: [(-1, -1), (-1, 0), (-1, 1), (1, -1), (1, 0), (1, 1)],
}
_FACE_NAMES = {1: "ones", 2: "twos", 3: "threes", 4: "fours", 5: "fives", 6: "sixes"}
_MOST_SEED = 2**63 - 1
MOST_DICE = 100  # a board made with more would not fit a screen


def _face(value: Any) -> int:
    """A die's face: a whole number from 1 to 6 (never a bool)."""
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 6:
        raise Refused("must be a whole number from 1 to 6")
    return value


class Dice(Board):
    """Dice on a board: tap one to roll it.

    >>> board = Dice(3, seed=7)
    >>> board.faces, board.total
    ([6, 1, 3], 10)
    >>> board.readout["headline"]
    '6 + 1 + 3 = 10'
    """

    _piece_css = ("dice.css",)
    _kinds: ClassVar[dict[str, Any]] = {"die": {"face": _face}}
    _tap_kinds = ("die",)  # a tap rolls a die
    _settings: ClassVar[tuple[str, ...]] = (*Board._settings, "seed", "rolls")

    grid = t.Int(_CELL, min=1, max=500).tag(sync=True)  # the faces are read row by row of the grid
    sizes = t.Dict({"die": [_SIDE, _SIDE]}).tag(sync=True)
    # Not synced: the page never learns the seed, so it cannot foresee a roll.
    seed = t.Int(0)
    rolls = t.Int(0)  # how many rolls this board has made: the next is made from (seed, rolls)

    def __init__(self, n: int = 2, *, seed: int | None = None, name: str = "", show_readout: bool = True) -> None:
        """A board of `n` rolled dice. Give a `seed` for rolls that are the same every time the lesson runs."""
        if isinstance(n, bool) or not isinstance(n, int) or not 0 <= n <= MOST_DICE:
            raise ValueError(f"n must be a whole number of dice from 0 to {MOST_DICE}")
        if seed is None:
            seed = random.SystemRandom().randrange(_MOST_SEED)
        super().__init__(name=name, seed=seed, show_readout=show_readout)
        per_row = self.width // _CELL - 1
        self.height = max(self.height, (math.ceil(n / per_row) + 1) * _CELL)  # room for every die
        self.add(n)
        self._start = self.snapshot()["pieces"]

    @t.validate("seed", "rolls")
    def _check_count(self, proposal: dict[str, Any]) -> int:
        value, what = proposal["value"], proposal["trait"].name
        if isinstance(value, bool) or not 0 <= value <= _MOST_SEED:
            raise Refused(f"A board's {what} must be a whole number from 0 to {_MOST_SEED}.")
        return value

    # --- what the dice show -------------------------------------------------------------------

    def _in_reading_order(self) -> list[Piece]:
        return sorted(self.pieces, key=lambda p: (round(p["y"] / self.grid), p["x"], p["id"]))

    @property
    def faces(self) -> list[int]:
        """The faces showing, read left to right and row by row, as a pupil reads the board."""
        return [p["face"] for p in self._in_reading_order()]

    @property
    def total(self) -> int:
        """The sum of the faces showing."""
        return sum(p["face"] for p in self.pieces)

    @property
    def counts(self) -> dict[int, int]:
        """How many dice show each face, 1 to 6."""
        shown = [p["face"] for p in self.pieces]
        return {face: shown.count(face) for face in _PIPS}

    def _readout(self) -> dict[str, Any]:
        faces, total = self.faces, self.total
        headline = " + ".join(map(str, faces)) + f" = {total}" if len(faces) > 1 else str(total)
        facts = [["dice", str(len(faces))], ["total", str(total)]]
        facts += [[_FACE_NAMES[face], str(count)] for face, count in self.counts.items()]
        facts.append(["rolls", str(self.rolls)])  # a roll that shows the same face still shows
        return {"headline": headline, "facts": facts}

    def _words(self, readout: dict[str, Any]) -> str:
        faces = self.faces
        if not faces:
            return "no dice"
        shown = ", ".join(map(str, faces[:-1])) + (" and " if len(faces) > 1 else "") + str(faces[-1])
        return f"{len(faces)} {'die' if len(faces) == 1 else 'dice'} showing {shown}: total {self.total}"

    @t.observe("rolls")
    def _rolls_changed(self, change: dict[str, Any]) -> None:
        self._redraw()

    # --- changing the board from Python (and from the toolbar) -----------------------------------

    def _roll(self, ids: list[str], pieces: list[Piece]) -> None:
        """Show `pieces` with the dice `ids` rolled, in that order. Roll number n of this board is
        made from its seed and n alone, so the rolls are data and a restored board rolls on the same."""
        faces = {pid: random.Random(f"{self.seed}:{n}").randint(1, 6) for n, pid in enumerate(ids, self.rolls)}
        with self.hold_sync():  # the page sees the new faces and the new count together
            self.pieces = [{**p, "face": faces[p["id"]]} if p["id"] in faces else p for p in pieces]
            self.rolls += len(ids)  # after the pieces: a refused change uses up no roll

    @action
    def add(self, n: int = 1) -> None:
        """Put `n` more dice on the board, each rolled, in the first free places."""
        if isinstance(n, bool) or not isinstance(n, int) or n < 0:
            raise ValueError("n must be a whole number, at least 0")
        spots = list(itertools.islice(self._free_slots(range(1, self.height // self.grid)), n))
        if len(spots) < n:
            raise Refused("The board is full: take some dice off first.")
        taken = {p["id"] for p in self.pieces}
        added = [{"id": self._new_id(taken), "kind": "die", "x": x, "y": y, "face": 1} for x, y in spots]  # then rolled
        self._roll([p["id"] for p in added], [*self.pieces, *added])

    def roll(self, piece_id: str) -> None:
        """Roll one die."""
        if piece_id not in {p["id"] for p in self.pieces}:
            raise ValueError(f"There is no die with id {piece_id!r} on this board.")
        self._roll([piece_id], self.pieces)

    @action
    def roll_all(self) -> None:
        """Roll every die, in reading order."""
        self._roll([p["id"] for p in self._in_reading_order()], self.pieces)

    # --- the board's look, toolbar and gestures ---------------------------------------------------

    def _look(self, piece: Piece) -> list[look.Shape]:
        pips = [look.circle(_PIP, cx=i * _OFF, cy=j * _OFF) for i, j in _PIPS[piece["face"]]]
        return [look.group(f"die face-{piece['face']}", look.box(_SIDE, _SIDE, rx=12), *pips)]

    def _name(self, piece: Piece) -> str:
        return f"die showing {piece['face']}"

    def _tools(self) -> list[dict[str, Any]]:
        return [
            tool("add", "Add a die", "Add a die to the board"),
            tool("roll_all", "Roll all", "Roll every die"),
        ]

    def _tapped(self, piece: Piece) -> None:
        self.roll(piece["id"])
