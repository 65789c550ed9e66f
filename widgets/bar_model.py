"""Bar models (tape diagrams): the problem-solving picture of the mastery curriculum.

A model is rows of segments. A segment is a known length (a number) or an unknown (a name);
segments that share a name are the same length. Braces say what a run of segments adds up to,
a total says what every segment together makes, and a difference says how much longer the
first of two rows is. Python solves the model exactly and lays it out to scale; the browser
only moves, resizes and edits the pieces.
"""

from __future__ import annotations

import math
import re
from fractions import Fraction
from typing import Any, ClassVar

import traitlets as t

from maths.linear import Equation as _Equation
from maths.linear import TooLarge
from maths.linear import solve as solve_equations
from maths.numbers import NotANumber, looks_numeric, plain, read_number
from maths.numbers import exact as _exact  # (merge() has a local named exact)
from maths.printing import decimal_style, written

from . import _look as look
from ._board import (
    MAX_LABEL,
    MINUS,
    Board,
    Piece,
    Refused,
    _finite,
    _short,
    action,
    between,
    check_label,
    front_end,
    tool,
)

MAX_ROWS = 6
MAX_PARTS = 24  # the most parts one split makes, and the most segments a brace covers
MAX_VALUE = 1_000_000
# What the mathematics of a bar model can need, and no more: they bound the work of one change.
MAX_BRACES = 48
MAX_UNKNOWNS = 26
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,11}")
# A board's own piece limit bounds the equations and names; the solver's step limit bounds its time.
_LIMITS = {"most_equations": MAX_BRACES + 2, "most_unknowns": MAX_UNKNOWNS}  # what the validator lets in
_FRESH = ("u", "v", "w", "p", "q", "r", "s", "k", "m", "n")

# Geometry, in board units. The board is drawn about 1.3 times larger on a 1080p whiteboard.
_WIDTH = 1200
_LEFT = 190  # row names end here; bars start at _LEFT + 10
_RIGHT = 170  # room on the right for a total's brace and its value
_BAR_H = 84
_LEVEL_H = 72  # one level of braces above a row
_BELOW = 52  # room under a bar for its label
_TOP = 16
_MIN_SEG = 24
_CHAR_W = 25  # about the width of one character of a part's value (44 px bold), in board units
_HANDLE = 40  # the width of the handle that draws an unknown's bar: a target for a finger


def _in_decimals(pieces: list[Piece]) -> bool:
    """Whether the model's lengths are decimals, so the values worked out from them print as decimals too."""
    return decimal_style(p.get("value") for p in pieces)


def _json_number(q: Fraction) -> int | float:
    return q.numerator if q.denominator == 1 else float(q)


# --- field checks: every value a browser may send -------------------------------------------


def _check_value(value: Any, *, question: bool = False) -> int | float | str:
    if isinstance(value, bool):
        raise Refused("a value must be a number or the name of an unknown")
    if isinstance(value, (int, float)):
        if not _finite(value) or not 0 < value <= MAX_VALUE:
            raise Refused(f"a length must be a number greater than 0 and at most {MAX_VALUE}")
        return value
    if isinstance(value, str):
        if question and value == "?":
            return value
        if looks_numeric(value):
            raise Refused(f"{_short(value)} is a number written as text: write it as a number, without quotes")
        if _NAME.fullmatch(value):
            return value
        raise Refused(
            f"{_short(value)} is not a number or the name of an unknown "
            "(a name is a letter, then up to 11 letters, digits or _)"
        )
    raise Refused("a value must be a number or the name of an unknown")


def _value(value: Any) -> int | float | str:
    return _check_value(value)


def _brace_value(value: Any) -> int | float | str:
    return _check_value(value, question=True)


def _row(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < MAX_ROWS:
        raise Refused(f"a row must be a whole number from 0 to {MAX_ROWS - 1}")
    return value


_size = between(1, 10_000)  # a part's or a brace's drawn width or height


def _flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise Refused("hidden and shaded must be true or false")
    return value


def _drawn(value: Any) -> float | None:
    # The length a pupil drew for an unknown the model does not fix yet, in the model's units.
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not _finite(value):
        raise Refused("a drawn length must be a number")
    if not 0 < value <= MAX_VALUE:
        raise Refused(f"a drawn length must be greater than 0 and at most {MAX_VALUE}")
    return value


def _answer(value: Any) -> str | None:
    # Python writes the answers (when the solution is shown); what the browser sent is replaced.
    if value is not None and not (isinstance(value, str) and len(value) <= MAX_LABEL):
        raise Refused("an answer is short text")
    return value


def _cover(value: Any) -> list[str]:
    if not isinstance(value, list) or not 1 <= len(value) <= MAX_PARTS:
        raise Refused(f"a brace covers a list of 1 to {MAX_PARTS} segment ids")
    if not all(isinstance(v, str) and re.fullmatch(r"[A-Za-z0-9_-]{1,40}", v) for v in value):
        raise Refused("a brace covers segment ids")
    if len(set(value)) != len(value):
        raise Refused("a brace covers each segment once")
    return list(value)


def _rows(value: Any) -> list[int]:
    if not isinstance(value, list) or len(value) != 2 or value[0] == value[1]:
        raise Refused("a difference compares a list of two different rows")
    return [_row(v) for v in value]


def _author_value(value: Any, what: str, *, question: bool = False) -> int | float | str:
    """A value given in Python: refused with a ValueError that names where it was."""
    try:
        return _check_value(value, question=question)
    except Refused as why:
        raise ValueError(f"{what}: {why}.") from None


# --- the model's equations --------------------------------------------------------------------


class BarModel(Board):
    """A bar model: rows of segments, braces, a total, and the equation they mean.

    >>> BarModel({"Bea": ["b"], "Amir": ["b", 5]}, total=29).solve()
    {'b': 12}
    """

    _esm = front_end("bar_model.js")
    _piece_css = ("bar_model.css",)
    _svg_class = "mn-board bm-board"
    _kinds: ClassVar[dict[str, Any]] = {
        "row": {"row": _row},
        "segment": {
            "row": _row,
            "value": _value,
            "w": _size,
            "hidden": _flag,
            "shaded": _flag,
            "answer": _answer,
            "drawn": _drawn,
        },
        "brace": {"cover": _cover, "value": _brace_value, "w": _size, "hidden": _flag, "answer": _answer},
        "difference": {"rows": _rows, "value": _brace_value, "w": _size, "hidden": _flag, "answer": _answer},
        "total": {"value": _brace_value, "w": _size, "h": _size, "hidden": _flag, "answer": _answer},
    }
    _settings = (*Board._settings, "show_solution")

    width = t.Int(_WIDTH, min=100, max=10_000).tag(sync=True)
    height = t.Int(400, min=100, max=10_000).tag(sync=True)
    sizes = t.Dict(
        {
            "row": [_LEFT - 20, 60],
            "segment": [100, _BAR_H],
            "brace": [100, 64],
            "difference": [100, 60],
            "total": [130, 200],
        }
    ).tag(sync=True)
    show_solution = t.Bool(False).tag(sync=True)  # the answers in the picture and the readout

    def __init__(
        self, rows: dict[str, list[Any]], total: Any = None, *, name: str = "", show_readout: bool = True
    ) -> None:
        """`rows` maps each row's label to its segments, in order: numbers, or names of unknowns."""
        super().__init__(name=name, show_readout=show_readout)
        if not isinstance(rows, dict) or not 1 <= len(rows) <= MAX_ROWS:
            raise ValueError(f"rows must be a dict of 1 to {MAX_ROWS} rows, each a label and its list of segments")
        pieces: list[Piece] = []
        for r, (label, segments) in enumerate(rows.items()):
            try:
                check_label(label)
            except Refused as why:
                raise ValueError(f"Row label {_short(label)}: {why}.") from None
            if not isinstance(segments, (list, tuple)) or not 1 <= len(segments) <= MAX_PARTS:
                raise ValueError(f"Row {label!r} needs a list of 1 to {MAX_PARTS} segments.")
            pieces.append({"id": f"r{r}", "kind": "row", "x": 90, "y": 60, "row": r, "label": label})
            for value in segments:
                value = _author_value(value, f"Row {label!r}")
                pieces.append(_segment(f"s{len(pieces)}", r, value))
        if total is not None:
            pieces.append(_total(_author_value(total, "The total", question=True)))
        self.pieces = pieces
        self._start = self.snapshot()["pieces"]

    @classmethod
    def comparison(
        cls, rows: dict[str, Any], difference: Any = None, *, name: str = "", show_readout: bool = True
    ) -> BarModel:
        """Two rows, one under the other; `difference` is the first row's length minus the second's."""
        if not isinstance(rows, dict) or len(rows) != 2:
            raise ValueError("A comparison has exactly two rows, as {'Amir': 'a', 'Bea': 12}.")
        board = cls({label: [value] for label, value in rows.items()}, name=name, show_readout=show_readout)
        if difference is not None:
            value = _author_value(difference, "The difference", question=True)
            board.pieces = [*board.pieces, _difference(value)]
        board._start = board.snapshot()["pieces"]
        return board

    @classmethod
    def fraction(
        cls,
        whole: Any,
        denominator: int,
        shaded: int = 0,
        shaded_total: Any = None,
        *,
        name: str = "",
        show_readout: bool = True,
    ) -> BarModel:
        """A bar of `whole` split into `denominator` equal parts, `shaded` of them shaded."""
        if isinstance(denominator, bool) or not isinstance(denominator, int) or not 2 <= denominator <= MAX_PARTS:
            raise ValueError(f"denominator must be a whole number from 2 to {MAX_PARTS}")
        if isinstance(shaded, bool) or not isinstance(shaded, int) or not 0 <= shaded <= denominator:
            raise ValueError(f"shaded must be a whole number from 0 to {denominator}")
        whole = _author_value(whole, "The whole", question=True)
        part = next(n for n in _FRESH if n != whole and n != shaded_total)
        board = cls({"": [part] * denominator}, total=whole, name=name, show_readout=show_readout)
        pieces = [
            {**p, "shaded": True} if p["kind"] == "segment" and int(p["id"][1:]) <= shaded else p for p in board.pieces
        ]
        if shaded:
            value = "?" if shaded_total is None else _author_value(shaded_total, "The shaded total", question=True)
            cover = [p["id"] for p in pieces if p["kind"] == "segment"][:shaded]
            pieces.append(_brace("b1", cover, value))
        board.pieces = pieces
        board._start = board.snapshot()["pieces"]
        return board

    @classmethod
    def ratio(cls, parts: dict[str, int], total: Any = None, *, name: str = "", show_readout: bool = True) -> BarModel:
        """One row per name, of that many equal units: {"A": 2, "B": 3} is the ratio 2 : 3."""
        if not isinstance(parts, dict) or not 1 <= len(parts) <= MAX_ROWS:
            raise ValueError(f"parts must map 1 to {MAX_ROWS} names to whole numbers, as {{'A': 2, 'B': 3}}")
        for label, n in parts.items():
            if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= MAX_PARTS:
                raise ValueError(f"The ratio number for {label!r} must be a whole number from 1 to {MAX_PARTS}.")
        unit = next(n for n in _FRESH if n != total)
        return cls({label: [unit] * n for label, n in parts.items()}, total=total, name=name, show_readout=show_readout)

    # --- what the model means ---------------------------------------------------------------

    def equations(self) -> list[str]:
        """The equations the picture means, as a textbook prints them (hidden values as ?)."""
        return [eq.text for eq in self._equations(self.pieces, shown=True)]

    def solve(self) -> dict[str, int | Fraction]:
        """Each unknown's value, exactly; a ValueError says why when the model cannot tell."""
        equations = self._equations(self.pieces)
        names = {p["value"] for p in self.pieces if p["kind"] == "segment" and isinstance(p["value"], str)}
        known, free, contradicts = solve_equations(equations, names, **_LIMITS)
        if contradicts:
            raise ValueError(_contradiction(equations))
        for n, v in sorted(known.items()):
            if v <= 0:
                raise ValueError(
                    f"The model contradicts itself: {n} would be {written(v, decimal=_in_decimals(self.pieces))}, "
                    "and a bar cannot be 0 or shorter."
                )
        if free:
            names = " and ".join(sorted(free))
            raise ValueError(
                f"The model does not fix {names} yet: add a total, a brace with its value, or a difference."
            )
        return {n: plain(v) for n, v in sorted(known.items())}

    def _equations(self, pieces: list[Piece], shown: bool = False) -> list[_Equation]:
        """The model's equations. With `shown`, also those asking "?", and hidden values as ?."""
        segs = _segments_by_row(pieces)
        by_id = {p["id"]: p for p in pieces}
        order = [p["row"] for p in pieces if p["kind"] == "row"]

        def term(seg: Piece) -> Any:
            return seg["value"]  # a number as the author wrote it: the equation reads it exactly

        def text(run: list[Piece], group: bool = False) -> str:
            words = [
                "?" if s["hidden"] else (s["value"] if isinstance(s["value"], str) else written(s["value"]))
                for s in run
            ]
            joined = " + ".join(words) or "0"
            return f"({joined})" if group and len(words) > 1 else joined

        def right(piece: Piece) -> str:
            v = piece["value"]
            return "?" if piece["hidden"] else (v if isinstance(v, str) else written(v))

        def rhs(piece: Piece) -> Any:
            return piece["value"]

        out = []
        for piece in pieces:
            if piece["value" if "value" in piece else "kind"] == "?" and not shown:
                continue
            if piece["kind"] == "total":
                run = [s for r in sorted(order) for s in segs.get(r, [])]
                out.append(_Equation([term(s) for s in run], rhs(piece), text=f"{text(run)} = {right(piece)}"))
            elif piece["kind"] == "brace":
                run = [by_id[i] for i in piece["cover"] if i in by_id]
                out.append(_Equation([term(s) for s in run], rhs(piece), text=f"{text(run)} = {right(piece)}"))
            elif piece["kind"] == "difference":
                a, b = (segs.get(r, []) for r in piece["rows"])
                eq_text = f"{text(a, True)} {MINUS} {text(b, True)} = {right(piece)}"
                out.append(_Equation([term(s) for s in a], rhs(piece), [term(s) for s in b], text=eq_text))
        if shown:
            return out
        return [eq for eq in out if eq.right != "?"]

    def _readout(self) -> dict[str, Any]:
        pieces = self.pieces
        if not any(p["kind"] == "segment" for p in pieces):
            return {"headline": "", "facts": []}
        shown = self._equations(pieces, shown=True)
        facts = [["equation", eq.text] for eq in shown[1:]]
        names = sorted({p["value"] for p in pieces if p["kind"] == "segment" and isinstance(p["value"], str)})
        if names:
            facts.append(["unknowns", ", ".join(names)])
        try:
            solution = self.solve()
        except ValueError as why:
            facts.append(["can we solve it?", str(why)])
        else:
            if not self.show_solution:
                facts.append(["can we solve it?", "yes: press Solution to see it"])
            else:
                facts += [[n, written(v, decimal=_in_decimals(pieces))] for n, v in solution.items()]
                facts += [[f"? in {eq.text.split(' = ')[0]}", p["answer"]] for eq, p in self._questions(pieces, shown)]
        headline = shown[0].text if shown else self._sum_text(pieces)
        return {"headline": headline, "facts": facts}

    @staticmethod
    def _sum_text(pieces: list[Piece]) -> str:
        """Every part, as the picture shows it, when there is no equation yet."""
        runs = _segments_by_row(pieces).values()
        shown = [
            "?" if s["hidden"] else (s["value"] if isinstance(s["value"], str) else written(s["value"]))
            for run in runs
            for s in run
        ]
        return " + ".join(shown)

    def _questions(self, pieces: list[Piece], shown: list[_Equation]) -> list[tuple[_Equation, Piece]]:
        asks = [p for p in pieces if p["kind"] in ("total", "brace", "difference")]
        return [(eq, p) for eq, p in zip(shown, asks, strict=True) if p["value"] == "?" and p.get("answer")]

    # --- validation of the whole model, and its layout to scale -------------------------------

    def _check_whole(self, pieces: list[Piece]) -> None:
        braces = sum(p["kind"] == "brace" for p in pieces)
        if braces > MAX_BRACES:
            raise Refused(f"A bar model has at most {MAX_BRACES} braces; that change had {braces}.")
        names = {p["value"] for p in pieces if p["kind"] == "segment" and isinstance(p["value"], str)}
        if len(names) > MAX_UNKNOWNS:
            raise Refused(f"A bar model has at most {MAX_UNKNOWNS} different unknowns; that change had {len(names)}.")
        rows = [p["row"] for p in pieces if p["kind"] == "row"]
        if len(set(rows)) != len(rows):
            raise Refused("Two row pieces claim the same row.")
        by_id = {p["id"]: p for p in pieces}
        segs = _segments_by_row(pieces)
        for r, run in segs.items():
            if r not in rows:
                raise Refused(f"Segment {run[0]['id']} is in row {r}, which this model does not have.")
            if len(run) > MAX_PARTS:
                raise Refused(f"A row holds at most {MAX_PARTS} segments.")
        if sum(p["kind"] == "total" for p in pieces) > 1:
            raise Refused("A model has one total at most.")
        for p in pieces:
            if p["kind"] == "difference" and not set(p["rows"]) <= set(rows):
                raise Refused(f"The difference {p['id']} compares a row this model does not have.")
            if p["kind"] != "brace":
                continue
            covered = [by_id.get(i) for i in p["cover"]]
            if any(c is None or c["kind"] != "segment" for c in covered):
                raise Refused(f"The brace {p['id']} covers something that is not a segment on this board.")
            run = segs[covered[0]["row"]]
            place = {s["id"]: n for n, s in enumerate(run)}
            spots = sorted(place.get(c["id"], -1) for c in covered)
            if spots[0] < 0 or spots != list(range(spots[0], spots[0] + len(spots))):
                raise Refused(
                    f"The brace {p['id']} must cover segments side by side in one row: take the brace off first."
                )

    def _solved(self, pieces: list[Piece]) -> dict[str, Fraction]:
        """The unknowns the model fixes, each positive (a contradiction fixes none)."""
        try:
            known, _, contradicts = solve_equations(self._equations(pieces), **_LIMITS)
        except TooLarge:  # beyond what the validator lets in; the readout says why the model cannot tell
            return {}
        return {} if contradicts else {n: v for n, v in known.items() if v > 0}

    def _lengths(self, pieces: list[Piece], solved: dict[str, Fraction]) -> dict[str, float]:
        """Each segment's length in the model's units: its value, its unknown's value, the length a
        pupil drew for an unknown the model does not fix, or else the mean of the known lengths."""
        known = [_exact(p["value"]) for p in pieces if p["kind"] == "segment" and not isinstance(p["value"], str)]
        default = float(sum(known, Fraction(0)) / len(known)) if known else 1.0
        drawn = {p["value"]: p["drawn"] for p in pieces if p["kind"] == "segment" and p.get("drawn")}
        out = {}
        for p in pieces:
            if p["kind"] == "segment":
                v = p["value"]
                out[p["id"]] = float(v) if not isinstance(v, str) else float(solved.get(v, drawn.get(v, default)))
        return out

    def _scale(self, pieces: list[Piece], lengths: dict[str, float]) -> float:
        """Board units per unit of length: the longest row fills the room, no part under _MIN_SEG."""
        segs = _segments_by_row(pieces)
        rows = [p["row"] for p in pieces if p["kind"] == "row"]
        longest = max((sum(lengths[s["id"]] for s in segs.get(r, [])) for r in rows), default=0) or 1
        room = self.width - _LEFT - 10 - _RIGHT
        scale = room / longest
        for r in rows:  # parts drawn wider than to scale (at least _MIN_SEG) must not push a row off the board
            scale = _fit([lengths[s["id"]] for s in segs.get(r, [])], scale, room)
        return scale

    def _arrange(self, pieces: list[Piece]) -> list[Piece]:
        """Every piece where it belongs: bars to one scale, braces over their runs, rows stacked."""
        solved = self._solved(pieces)
        segs = _segments_by_row(pieces)
        lengths = self._lengths(pieces, solved)

        def length(seg: Piece) -> float:
            return lengths[seg["id"]]

        rows = sorted((p for p in pieces if p["kind"] == "row"), key=lambda p: p["row"])
        totals = [p for p in pieces if p["kind"] == "total"]
        scale = self._scale(pieces, lengths)
        x0 = _LEFT + 10
        place: dict[str, Piece] = {}
        for r in rows:
            x = x0
            for s in segs.get(r["row"], []):
                w = max(_MIN_SEG, length(s) * scale)
                place[s["id"]] = {**s, "x": round(x + w / 2, 2), "w": round(w, 2), "answer": None}
                x += w
        # braces over runs, stacked in levels: a brace sits above every brace it overlaps
        level: dict[str, int] = {}
        levels_in_row: dict[int, int] = {r["row"]: 0 for r in rows}
        span: dict[str, tuple[float, float, int]] = {}
        braces = [p for p in pieces if p["kind"] == "brace"]
        if len(rows) == 1 and totals:
            only = segs.get(rows[0]["row"], [])
            braces.append({**totals[0], "cover": [s["id"] for s in only]})
        for b in sorted(braces, key=lambda b: (len(b["cover"]), b["kind"] == "total")):
            cov = [place[i] for i in b["cover"] if i in place]
            if not cov:
                continue
            left = min(c["x"] - c["w"] / 2 for c in cov)
            right = max(c["x"] + c["w"] / 2 for c in cov)
            row = cov[0]["row"]
            under = [
                level[o] for o, (ol, orr, orow) in span.items() if orow == row and ol < right - 1 and orr > left + 1
            ]
            level[b["id"]] = max(under, default=-1) + 1
            span[b["id"]] = (left, right, row)
            levels_in_row[row] = max(levels_in_row[row], level[b["id"]] + 1)
        # rows, top to bottom
        y = _TOP
        row_y: dict[int, float] = {}
        for r in rows:
            y += levels_in_row[r["row"]] * _LEVEL_H
            row_y[r["row"]] = y + _BAR_H / 2
            y += _BAR_H + _BELOW
        height = max(200, math.ceil(y + _TOP))
        if rows and height != self.height:
            self.height = height  # a setting the layout owns: the board grows with its rows
        out = []
        row_end = {
            r: max((place[s["id"]]["x"] + place[s["id"]]["w"] / 2 for s in segs.get(r, [])), default=x0) for r in row_y
        }
        for p in pieces:
            if p["kind"] == "row":
                p = {**p, "x": (_LEFT - 20) / 2, "y": row_y[p["row"]]}
            elif p["kind"] == "segment":
                p = {**place[p["id"]], "y": row_y[p["row"]]}
            elif p["id"] in span and p["kind"] in ("brace", "total"):
                left, right, row = span[p["id"]]
                top = row_y[row] - _BAR_H / 2 - 4 - level[p["id"]] * _LEVEL_H
                p = {**p, "x": round((left + right) / 2, 2), "y": top - 32, "w": round(right - left, 2)}
                if p["kind"] == "total":
                    p["h"] = 64
            elif p["kind"] == "total":
                top = min(row_y.values()) - _BAR_H / 2
                bottom = max(row_y.values()) + _BAR_H / 2
                p = {**p, "x": max(row_end.values()) + 16 + 65, "y": (top + bottom) / 2, "w": 130, "h": bottom - top}
            elif p["kind"] == "difference":
                a, b = (row_end[r] for r in p["rows"])
                lo, hi = min(a, b), max(a, b)
                p = {**p, "x": round((lo + hi) / 2, 2), "y": row_y[p["rows"][1]], "w": round(max(hi - lo, 1), 2)}
            out.append(p)
        return [{**p, "answer": self._answer_for(p, out, solved)} if "answer" in p else p for p in out]

    def _answer_for(self, piece: Piece, pieces: list[Piece], solved: dict[str, Fraction]) -> str | None:
        if not self.show_solution:
            return None
        value = piece["value"]
        if piece["kind"] == "segment":
            if not (isinstance(value, str) and value in solved):
                return None
            return written(solved[value], decimal=_in_decimals(pieces))
        if not (value == "?" or isinstance(value, str)):
            return None
        segs = _segments_by_row(pieces)
        if piece["kind"] == "brace":
            by_id = {p["id"]: p for p in pieces}
            runs, minus = [by_id[i] for i in piece["cover"]], []
        elif piece["kind"] == "total":
            runs, minus = [s for run in segs.values() for s in run], []
        else:
            runs, minus = segs.get(piece["rows"][0], []), segs.get(piece["rows"][1], [])
        try:
            worth = [v if not isinstance(v, str) else solved[v] for v in (s["value"] for s in runs + minus)]
        except KeyError:
            return None
        sums = sum((_exact(v) for v in worth[: len(runs)]), Fraction(0))
        sums -= sum((_exact(v) for v in worth[len(runs) :]), Fraction(0))
        return written(sums, decimal=_in_decimals(pieces))

    @t.observe("show_solution")
    def _solution_toggled(self, change: dict[str, Any]) -> None:
        arranged = self._arrange(self.pieces)  # the answers in the picture, or none
        if arranged != self.pieces:
            self.pieces = arranged
        else:
            self._redraw()

    # --- changing the model from Python (and from the toolbar) --------------------------------

    def split(self, segment_id: str, parts: int) -> None:
        """Split a segment into `parts` equal parts: a new unknown each, under a brace worth the old segment."""
        seg = self._segment(segment_id)
        if isinstance(parts, bool) or not isinstance(parts, int) or not 2 <= parts <= MAX_PARTS:
            raise ValueError(f"A segment splits into 2 to {MAX_PARTS} equal parts.")
        taken = {p["id"] for p in self.pieces}
        used = {p["value"] for p in self.pieces if isinstance(p.get("value"), str)}
        name = next((n for n in _FRESH if n not in used), None) or next(
            f"u{i}" for i in range(1, 999) if f"u{i}" not in used
        )
        new = []
        for i in range(parts):
            part = {**seg, "id": self._new_id(taken), "value": name, "w": max(1, seg["w"] / parts), "hidden": False}
            part["x"] = min(self.width, seg["x"] - seg["w"] / 2 + (i + 0.5) * seg["w"] / parts)
            if i:
                part.pop("label", None)
            new.append(part)
        ids = [p["id"] for p in new]
        pieces = []
        for p in self.pieces:
            if p["id"] == segment_id:
                pieces += new
            elif p["kind"] == "brace" and segment_id in p["cover"]:
                at = p["cover"].index(segment_id)
                pieces.append({**p, "cover": p["cover"][:at] + ids + p["cover"][at + 1 :]})
            else:
                pieces.append(p)
        brace = _brace(self._new_id(taken), ids, seg["value"], hidden=seg["hidden"])
        # the parts are drawn as long as the part they came from, shared out, until the model fixes them
        drawn = self._lengths(self.pieces, self._solved(self.pieces))[segment_id] / parts
        self.pieces = [{**p, "drawn": drawn} if p["id"] in ids else p for p in [*pieces, brace]]

    @action(name="merge")
    def _merge_action(self, ids: list[str]) -> None:
        self.merge(ids)

    def merge(self, segment_ids: list[str]) -> None:
        """Merge segments side by side in a row into one: the value of a brace over exactly them, or their sum."""
        if not isinstance(segment_ids, list) or not 2 <= len(segment_ids) <= MAX_PARTS:
            raise ValueError("Choose two or more segments side by side to merge.")
        segs = [self._segment(i) for i in segment_ids]
        run = _segments_by_row(self.pieces).get(segs[0]["row"], [])
        spots = sorted(run.index(s) if s in run else -1 for s in segs)
        if spots[0] < 0 or spots != list(range(spots[0], spots[0] + len(spots))):
            raise ValueError("Only segments side by side in one row merge.")
        ids = set(segment_ids)
        exact = [p for p in self.pieces if p["kind"] == "brace" and set(p["cover"]) == ids]
        if exact:
            value, hidden = exact[0]["value"], exact[0]["hidden"]
            if value == "?":
                raise ValueError("The brace over these parts asks '?': give it a value first, then merge.")
        elif all(not isinstance(s["value"], str) for s in segs):
            value, hidden = _json_number(sum((_exact(s["value"]) for s in segs), Fraction(0))), False
        else:
            raise ValueError("Parts with unknowns merge only under a brace with their value: add the brace first.")
        first = run[spots[0]]
        merged = {**first, "value": value, "hidden": hidden, "w": sum(s["w"] for s in segs)}
        pieces = []
        for p in self.pieces:
            if p["id"] == first["id"]:
                pieces.append(merged)
            elif p["id"] in ids or (exact and p["id"] == exact[0]["id"]):
                continue
            elif p["kind"] == "brace" and ids & set(p["cover"]):
                if not ids <= set(p["cover"]):
                    raise ValueError(f"The brace {p['id']} covers only some of these parts: take it off first.")
                cover = [i for i in p["cover"] if i not in ids or i == first["id"]]
                pieces.append({**p, "cover": cover})
            else:
                pieces.append(p)
        self.pieces = pieces

    @action
    def toggle_solution(self) -> None:
        """Show or hide the solution: each unknown's value in the picture and the readout."""
        self.show_solution = not self.show_solution

    def hide(self, *piece_ids: str) -> None:
        """Hide the values of these pieces (they show ?), to reveal them one by one."""
        self._set_hidden(piece_ids, True)

    def reveal(self, *piece_ids: str) -> None:
        """Show the values of these pieces again; with no ids, every hidden value."""
        self._set_hidden(piece_ids or [p["id"] for p in self.pieces if p.get("hidden")], False)

    def _set_hidden(self, ids: Any, hidden: bool) -> None:
        have = {p["id"] for p in self.pieces if "hidden" in p}
        missing = [i for i in ids if i not in have]
        if missing:
            raise ValueError(f"There is no value with id {_short(missing[0])} on this board.")
        self.pieces = [{**p, "hidden": hidden} if p["id"] in ids else p for p in self.pieces]

    def _segment(self, segment_id: Any) -> Piece:
        seg = next((p for p in self.pieces if p["id"] == segment_id and p["kind"] == "segment"), None)
        if not isinstance(segment_id, str) or seg is None:
            raise ValueError(f"There is no segment with id {_short(segment_id)} on this board.")
        return seg

    # --- what the toolbar and the hand ask of Python: the pupil's words, read here ------------------

    @action(name="split")
    def _split_action(self, ids: list[str], parts: str) -> None:
        (segment,) = ids or [None]
        self.split(segment, _whole_number(parts, "Split into how many equal parts? Type a whole number, such as 3."))

    @action(name="label")
    def _label_action(self, ids: list[str], text: str) -> None:
        """A label under each of these parts (empty words take the label off)."""
        words = text.strip()
        check = _one_label(words)
        segments = {self._segment(i)["id"] for i in ids}
        self.pieces = [
            ({**p, "label": check} if check else {k: v for k, v in p.items() if k != "label"})
            if p["id"] in segments
            else p
            for p in self.pieces
        ]

    @action(name="value")
    def _value_action(self, ids: list[str], text: str) -> None:
        """Give these parts or braces a value: the pupil's words, read as a number, a letter or ?."""
        chosen = [self._valued(i) for i in ids]
        if text.strip() == "?" and any(p["kind"] == "segment" for p in chosen):
            raise ValueError("A part needs a number or a letter; only a brace or a total may ask ?.")
        value = _read_value(text, question=True)
        self.pieces = [{**p, "value": value} if p["id"] in set(ids) else p for p in self.pieces]

    @action(name="brace")
    def _brace_action(self, ids: list[str], text: str) -> None:
        """A brace over these parts, side by side, with what they make: a number, a letter or ?."""
        covered = sorted((self._segment(i) for i in ids), key=lambda p: p["x"])
        value = _read_value(text or "?", question=True)
        taken = {p["id"] for p in self.pieces}
        n = 1
        while f"brace{n}" in taken:
            n += 1
        self.pieces = [*self.pieces, _brace(f"brace{n}", [p["id"] for p in covered], value)]

    @action(name="hide")
    def _hide_action(self, ids: list[str]) -> None:
        self.hide(*ids)

    @action(name="reveal")
    def _reveal_action(self, ids: list[str]) -> None:
        """Reveal these values, or, with none chosen, the next hidden one: one by one."""
        if not ids:
            hidden = [p["id"] for p in self.pieces if p.get("hidden")][:1]
            if not hidden:
                raise ValueError("Nothing is hidden.")
            ids = hidden
        self.reveal(*ids)

    @action(name="draw")
    def _draw_action(self, id: str, w: float) -> None:  # noqa: A002 - the browser's word
        """A pupil drew an unknown's bar `w` board units long: the unknown is drawn that long, to scale."""
        seg = self._segment(id)
        name = seg["value"]
        solved = self._solved(self.pieces)
        if not isinstance(name, str):
            raise ValueError(f"{written(name)} is a known length: its bar is drawn to scale.")
        if name in solved:
            raise ValueError(f"The model fixes {name} already: its bar is drawn to scale.")
        if isinstance(w, bool) or not _finite(w) or not _MIN_SEG <= w <= self.width:
            raise ValueError("Draw the bar across the board.")
        drawn = w / self._scale(self.pieces, self._lengths(self.pieces, solved))
        self.pieces = [{**p, "drawn": drawn} if p.get("value") == name else p for p in self.pieces]

    def _valued(self, piece_id: Any) -> Piece:
        piece = next((p for p in self.pieces if p["id"] == piece_id and "value" in p), None)
        if piece is None:
            raise ValueError(f"There is no part or brace with id {_short(piece_id)} on this board.")
        return piece

    def _dropped(self, pieces: list[Piece], moved: set[str]) -> list[Piece]:
        """A part dropped nearer another row joins that row; the layout puts it in its place."""
        rows = [p for p in pieces if p["kind"] == "row"]
        if not rows:
            return pieces
        nearest = {p["id"]: min(rows, key=lambda r: abs(r["y"] - p["y"]))["row"] for p in pieces if p["id"] in moved}
        return [{**p, "row": nearest[p["id"]]} if p["kind"] == "segment" and p["id"] in nearest else p for p in pieces]

    def _tools(self) -> list[dict[str, Any]]:
        values = ("segment", "brace", "total", "difference")
        return [
            tool(
                "split",
                "Split",
                "Split the selected part into equal parts",
                select=("segment",),
                most=1,
                hint="Tap one part of a bar, then Split.",
                ask="Split into how many equal parts?",
                answer="parts",
                initial="3",
            ),
            tool(
                "merge",
                "Merge",
                "Merge the selected parts into one",
                select=("segment",),
                least=2,
                hint="Tap two or more parts side by side, then Merge.",
            ),
            tool(
                "label",
                "Label",
                "Write a label under the selected part",
                select=("segment",),
                hint="Tap a part, then Label.",
                ask="Label:",
                initial_field="label",
            ),
            tool(
                "value",
                "Value",
                "Give the selected part or brace a number, or a letter for an unknown",
                select=values,
                hint="Tap a part or a brace, then Value.",
                ask="A number, or a letter for an unknown:",
                initial_field="value",
            ),
            tool(
                "brace",
                "Brace",
                "Put a brace over the selected parts, with what they make",
                select=("segment",),
                hint="Tap the parts side by side to go under the brace, then Brace.",
                ask="What do these parts make? (a number, a letter, or ?)",
                initial="?",
            ),
            tool(
                "hide",
                "Hide",
                "Hide the values of the selected pieces (they show ?)",
                select=values,
                hint="Tap the values to hide, then Hide.",
            ),
            tool("reveal", "Reveal", "Reveal the selected values, or the next hidden one", select=values, least=0),
            tool("toggle_solution", "Solution", "Show or hide the solution", pressed=self.show_solution),
        ]

    # --- the look: one description for the live board and the static picture ----------------------

    def _redraw(self) -> None:
        self._fixed = set(self._solved(self.pieces))  # a bar the model fixes offers no handle to draw it
        super()._redraw()

    def _piece_look(self, piece: Piece) -> list[look.Shape]:
        # a row's label is its name, drawn by its look; every other piece's label goes under it
        return self._look(piece) if piece["kind"] == "row" else super()._piece_look(piece)

    def _shown(self, piece: Piece) -> str:
        shown = (
            "?" if piece["hidden"] else (piece["value"] if isinstance(piece["value"], str) else written(piece["value"]))
        )
        if piece.get("answer") and shown != piece["answer"]:
            shown = f"{shown} = {piece['answer']}" if shown != "?" else piece["answer"]
        return shown

    def _name(self, piece: Piece) -> str:
        kind = piece["kind"]
        if kind == "row":
            return f"row {piece.get('label', '')}".strip()
        shown = "hidden" if piece["hidden"] else self._shown(piece)
        if kind == "segment":
            return f"{'unknown' if isinstance(piece['value'], str) else 'known'} part {shown}"
        return f"{kind}, {shown}"

    def _look(self, piece: Piece) -> list[look.Shape]:
        kind = piece["kind"]
        if kind == "row":
            return [look.group("bm-row", look.text(piece.get("label", ""), "bm-row-name", x=(_LEFT - 20) / 2))]
        text = self._shown(piece)
        w = piece["w"]
        if kind == "segment":
            unknown = isinstance(piece["value"], str)
            cls = "bm-segment " + ("bm-unknown" if unknown else "bm-known")
            cls += " bm-shaded" if piece["shaded"] else ""
            cls += " bm-hidden" if piece["hidden"] else ""
            tight = " bm-tight" if len(text) * _CHAR_W > w - 8 else ""  # a narrow part: its words smaller, inside it
            shapes = [look.box(w, _BAR_H, "bm-bar"), look.text(text, "bm-value" + tight)]
            if unknown and piece["value"] not in getattr(self, "_fixed", set()):
                grip = min(_HANDLE, w / 2)  # the end a pupil drags to draw the unknown longer or shorter
                shapes.append(look.rect(w / 2 - grip, -_BAR_H / 2, grip, _BAR_H, "bm-handle", rx=6))
            return [look.group(cls, *shapes)]
        if kind == "total" and piece["h"] > piece["w"]:
            return [
                look.group(
                    "bm-brace bm-total",
                    look.group("", look.path(_brace_path_v(piece["h"])), at=(-w / 2, 0)),
                    look.text(text, "bm-brace-value bm-side", x=-w / 2 + 36),
                )
            ]
        if kind == "difference":
            return [
                look.group(
                    "bm-difference",
                    look.line(-w / 2 + 4, 0, w / 2 - 4, 0),
                    look.line(-w / 2 + 2, -22, -w / 2 + 2, 22),
                    look.line(w / 2 - 2, -22, w / 2 - 2, 22),
                    look.text(text, "bm-brace-value", y=-30),
                )
            ]
        return [
            look.group(
                "bm-brace",
                look.group("", look.path(_brace_path_h(w)), at=(0, 30)),
                look.text(text, "bm-brace-value", y=-6),
            )
        ]


def _brace_path_h(w: float) -> str:
    """A curly brace opening downwards, w wide, from y=0 (its tips) up to y=-24 (its point)."""
    h, m = 24, w / 2
    return (
        f"M{-m:g} 0 Q{-m:g} {-h / 2:g} {-m + min(16, m / 2):g} {-h / 2:g} L{-min(16, m / 2):g} {-h / 2:g} "
        f"Q0 {-h / 2:g} 0 {-h:g} Q0 {-h / 2:g} {min(16, m / 2):g} {-h / 2:g} "
        f"L{m - min(16, m / 2):g} {-h / 2:g} Q{m:g} {-h / 2:g} {m:g} 0"
    )


def _brace_path_v(h: float) -> str:
    """A curly brace opening to the left, h tall, its tips at x=0 and its point at x=24."""
    d, m = 24, h / 2
    k = min(16, m / 2)
    return (
        f"M0 {-m:g} Q{d / 2:g} {-m:g} {d / 2:g} {-m + k:g} L{d / 2:g} {-k:g} Q{d / 2:g} 0 {d:g} 0 "
        f"Q{d / 2:g} 0 {d / 2:g} {k:g} L{d / 2:g} {m - k:g} Q{d / 2:g} {m:g} 0 {m:g}"
    )


def _fit(lengths: list[float], scale: float, room: float) -> float:
    """The largest scale, at most `scale`, at which parts of these lengths fit in `room`, none under _MIN_SEG."""
    while True:
        wide = [n for n in lengths if n * scale > _MIN_SEG]
        narrow = (len(lengths) - len(wide)) * _MIN_SEG
        if not wide or narrow >= room or sum(wide) * scale + narrow <= room * (1 + 1e-9):
            return scale
        scale = (room - narrow) / sum(wide)  # exact for these wide parts; a part it narrows goes round again


def _segments_by_row(pieces: list[Piece]) -> dict[int, list[Piece]]:
    """Each row's segments, left to right."""
    rows: dict[int, list[Piece]] = {}
    for _, p in sorted(enumerate(pieces), key=lambda np: (np[1].get("x", 0), np[0])):
        if p["kind"] == "segment":
            rows.setdefault(p["row"], []).append(p)
    return rows


def _segment(pid: str, row: int, value: Any) -> Piece:
    # x orders segments in a row; the layout puts them in their places
    return {
        "id": pid,
        "kind": "segment",
        "x": min(1000, int(pid[1:]) * 10),
        "y": 60,
        "row": row,
        "value": value,
        "w": 100,
        "hidden": False,
        "shaded": False,
        "answer": None,
    }


def _brace(pid: str, cover: list[str], value: Any, hidden: bool = False) -> Piece:
    return {
        "id": pid,
        "kind": "brace",
        "x": 60,
        "y": 60,
        "cover": cover,
        "value": value,
        "w": 100,
        "hidden": hidden,
        "answer": None,
    }


def _total(value: Any) -> Piece:
    return {
        "id": "total",
        "kind": "total",
        "x": 60,
        "y": 60,
        "value": value,
        "w": 130,
        "h": 64,
        "hidden": False,
        "answer": None,
    }


def _difference(value: Any) -> Piece:
    return {
        "id": "difference",
        "kind": "difference",
        "x": 60,
        "y": 60,
        "rows": [0, 1],
        "value": value,
        "w": 100,
        "hidden": False,
        "answer": None,
    }


def _contradiction(equations: list[_Equation]) -> str:
    for eq in equations:
        coef, const = eq.row()
        if not coef and const:
            worth = sum(map(_exact, eq.left), Fraction(0)) - sum(map(_exact, eq.minus), Fraction(0))
            worth = written(worth, decimal=decimal_style(eq.left + eq.minus))
            return f"The model contradicts itself: {eq.text} is not true ({eq.text.split(' = ')[0]} makes {worth})."
    return "The model contradicts itself: " + "; ".join(eq.text for eq in equations) + " cannot all be true."


def _whole_number(text: str, why: str) -> int:
    words = text.strip()
    if not re.fullmatch(r"\d{1,6}", words):
        raise ValueError(why)
    return int(words)


def _one_label(words: str) -> str:
    try:
        return check_label(words)
    except Refused:
        raise ValueError(f"A label is at most {MAX_LABEL} characters on one line.") from None


def _read_value(text: str, *, question: bool) -> int | float | str:
    """What a pupil typed for a value: a number (as pupils write it), a letter for an unknown, or ?."""
    words = text.strip()
    if question and words == "?":
        return words
    if _NAME.fullmatch(words):
        return words
    try:
        number = read_number(words)  # the kit's one reader of numbers as pupils write them
    except NotANumber:
        raise ValueError(
            f"{_short(words)} is not a number or a letter: type a length such as 12, 2.5 or 3/4, "
            "or a letter for an unknown" + (", or ?" if question else "") + "."
        ) from None
    if not 0 < number <= MAX_VALUE:
        raise ValueError(f"A length is greater than 0 and at most {MAX_VALUE}: {written(plain(number))} is not.")
    d = number.denominator
    for p in (2, 5):
        while d % p == 0:
            d //= p
    if d != 1:
        shown = written(plain(number))
        raise ValueError(f"{shown} is not a decimal: use a letter for it, and a brace to say what it is.")
    return number.numerator if number.denominator == 1 else float(number)
