"""The board every manipulative stands on.

Python owns the state and the mathematics; the browser (static/board.js) owns the hand. The
browser may write one trait, `pieces` (to move and remove pieces), and ask for the actions a
manipulative declares with `@action`. Everything it sends is checked (in `_protocol.Guarded`): a
refused change leaves the board as it was and says why in the widget.

A manipulative is a subclass that says, in Python alone:
- its kinds of piece and their fields (`_kinds`), and the size of each (`sizes`);
- how each piece looks (`_look`, in the vocabulary of `_look.py`) and what it is called (`_name`);
- what the pieces mean (`_readout`), and where they go (`_arrange`, run after a change is accepted);
- what a drop does (`_dropped`) and what a tap does (`_tapped`);
- its toolbar (`_tools`): buttons that ask Python for an action, with the pupil's raw text.
The engine draws any piece from its look; `to_svg()` writes the same look as a static picture.
"""

from __future__ import annotations

import copy
import json
import math
import re
from collections.abc import Callable, Iterable
from html import escape
from pathlib import Path
from typing import Any, ClassVar

import traitlets as t

from maths.printing import MINUS, signed  # the kit's one printer, importable from here as before

from . import _look as look
from ._protocol import Guarded, Refused, action, one_line
from ._protocol import short as _short

__all__ = ["Board", "MAX_LABEL", "MAX_PIECES", "MINUS", "Piece", "Refused", "action", "signed"]

_STATIC = Path(__file__).parent / "static"
MAX_PIECES = 1000
MAX_LABEL = 40
MAX_STROKES = 200  # ink: strokes on one board, and points in one stroke
MAX_POINTS = 600
_ID = re.compile(r"[A-Za-z0-9_-]{1,40}")
_COMMON_FIELDS = frozenset({"id", "kind", "x", "y", "label"})
# A guide is a grid (the default, no "type"), or a line, rectangle or text drawn behind the pieces.
_GUIDE_FIELDS = {
    "grid": {"x", "y", "cols", "rows", "cell"},
    "line": {"x1", "y1", "x2", "y2"},
    "rect": {"x", "y", "w", "h"},
    "text": {"x", "y", "text"},
}
_GUIDE_CLASS = re.compile(r"[a-z][a-z0-9-]{0,30}( [a-z][a-z0-9-]{0,30}){0,3}")

Piece = dict[str, Any]
FieldCheck = Callable[[Any], Any]


# --- the front end: ES modules joined in Python, with no bundler ---------------------------------

_IMPORT = re.compile(r'^import\s*\{[^}]*\}\s*from\s*"\./([\w.-]+\.js)";[ \t]*\n', re.M)
_EXPORT_DEFAULT = re.compile(r"^export default .*;[ \t]*\n", re.M)
_EXPORT = re.compile(r"^export (?=(async )?function|const|let|class)", re.M)


def front_end(entry: str) -> str:
    """An ES module of widgets/static/ with the sibling modules it imports joined before it.

    Each file is a real ES module (linted and unit tested as one); the widget's `_esm` is one
    self-contained module: nothing to bundle, nothing fetched.
    """
    order: list[str] = []

    def visit(name: str) -> None:
        if name in order:
            return
        for dependency in _IMPORT.findall((_STATIC / name).read_text(encoding="utf-8")):
            visit(dependency)
        order.append(name)

    visit(entry)
    parts = []
    for name in order:
        source = _IMPORT.sub("", (_STATIC / name).read_text(encoding="utf-8"))
        if name != entry:  # a module joined in gives its names to the entry, and exports nothing itself
            source = _EXPORT.sub("", _EXPORT_DEFAULT.sub("", source))
        parts.append(source)
    return "\n".join(parts)


def stylesheet(*names: str) -> str:
    """The named stylesheets of widgets/static/, joined."""
    return "\n".join((_STATIC / name).read_text(encoding="utf-8") for name in names)


# --- field checks ---------------------------------------------------------------------------------


def one_of(*allowed: Any) -> FieldCheck:
    """A field check that accepts exactly these values (and never a bool for a number)."""

    def check(value: Any) -> Any:
        if isinstance(value, bool) or value not in allowed or type(value) not in {type(a) for a in allowed}:
            raise Refused("must be " + " or ".join(str(a) for a in allowed))
        return value

    return check


def between(low: float, high: float) -> FieldCheck:
    """A field check for a number (never a bool, NaN or infinity) from low to high, such as a width."""

    def check(value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not _finite(value):
            raise Refused("must be a number")
        if not low <= value <= high:
            raise Refused(f"must be from {low:g} to {high:g}")
        return value

    return check


def _finite(value: int | float) -> bool:
    """Not NaN or infinite. Every int is finite (math.isfinite overflows on a huge one)."""
    return isinstance(value, int) or math.isfinite(value)


def _number(value: Any, what: str, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not _finite(value):
        raise Refused(f"{what} must be a number")
    if not low <= value <= high:
        raise Refused(f"{what} must be on the board (0 to {high:g})")
    return value


def check_label(value: Any) -> str:
    if not one_line(value, MAX_LABEL):
        raise Refused(f"a label must be text of at most {MAX_LABEL} characters on one line")
    return value


def tool(
    action: str,
    label: str,
    title: str,
    *,
    args: dict[str, Any] | None = None,
    select: tuple[str, ...] = (),
    least: int = 1,
    most: int | None = None,
    hint: str = "",
    ask: str = "",
    answer: str = "",
    initial: str = "",
    initial_field: str = "",
    pressed: bool | None = None,
) -> dict[str, Any]:
    """A toolbar button, as the engine reads it: it asks Python for `action` with `args`.

    With `select`, the selected pieces of those kinds go as `ids` (from `least` to `most` of them;
    else the engine shows `hint`). With `ask`, the engine asks that question first and sends the
    pupil's words, as typed, as the argument `answer`; Python reads them.
    """
    spec: dict[str, Any] = {"action": action, "label": label, "title": title, "args": args or {}}
    if select:
        spec["select"] = {"kinds": list(select), "least": least, "most": most, "hint": hint}
    if ask:
        spec["ask"] = {"question": ask, "arg": answer or "text", "initial": initial, "field": initial_field}
    if pressed is not None:
        spec["pressed"] = pressed
    return spec


class Board(Guarded):
    """A manipulative: pieces on a board, a toolbar, and a readout of the mathematics."""

    _esm = front_end("board.js")
    pieces = t.List().tag(sync=True, echo_update=False)
    readout = t.Dict().tag(sync=True)  # {"headline": str, "facts": [[name, value], ...]}
    name = t.Unicode("").tag(sync=True)  # a stable key within a lesson, for autosave and capture
    width = t.Int(960, min=100, max=10_000).tag(sync=True)
    height = t.Int(540, min=100, max=10_000).tag(sync=True)
    grid = t.Int(0, min=0, max=500).tag(sync=True)  # snap step in board units; 0 snaps edge to edge
    # Where the grid's points start: [x, y] plus whole steps (a board's own layout, set by its class).
    grid_origin = t.List([0, 0]).tag(sync=True)
    guides = t.List().tag(sync=True)  # fixed shapes behind the pieces, such as ten-frames
    sizes = t.Dict().tag(sync=True)  # kind -> [width, height] of its piece, for drawing and snapping
    # What Python draws, for the browser to draw as it is (read-only there): the distinct looks of
    # the pieces, which look each piece has, the guides as shapes, the toolbar and the kinds a tap
    # acts on. Limits both sides need come the same way, never copied into JavaScript.
    looks = t.List().tag(sync=True)
    look_of = t.Dict().tag(sync=True)
    backdrop = t.List().tag(sync=True)
    tools = t.List().tag(sync=True)
    taps = t.List().tag(sync=True)
    limits = t.Dict({"pieces": MAX_PIECES, "text": MAX_LABEL, "points": MAX_POINTS}).tag(sync=True)
    # A pen over the board: strokes, each a list of [x, y] points. Ink is annotation: it never
    # changes the mathematics. `overlay` is the ink as shapes, drawn above the pieces.
    ink = t.List().tag(sync=True)
    overlay = t.List().tag(sync=True)
    # With False, the board keeps its mathematics to itself ("Show the maths" in its place) until
    # someone presses it or reveal_readout() is called: what is it worth? before the board answers.
    show_readout = t.Bool(True).tag(sync=True)
    # The arrangement reset() goes back to. The browser reads it (never writes it) for its autosave:
    # a board back at its start keeps nothing saved, and a save made for another start is not restored.
    _start = t.List().tag(sync=True)

    _kinds: ClassVar[dict[str, dict[str, FieldCheck]]] = {}
    _tap_kinds: ClassVar[tuple[str, ...]] = ()
    _browser_writable: ClassVar[frozenset[str]] = frozenset({"pieces"})
    _settings: ClassVar[tuple[str, ...]] = ("name", "width", "height", "grid", "guides", "show_readout", "ink")
    _snapshot_traits: ClassVar[tuple[str, ...]] = (*_settings, "pieces")
    _refusal = "The browser may only move and remove pieces; anything else is asked of Python."

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._snapshot_traits = (*cls._settings, "pieces")
        if "_piece_css" in vars(cls):  # the palette, the engine's own look, then the manipulative's
            cls._css = stylesheet("drawing.css", "board.css", *cls._piece_css)

    def __init__(self, pieces: Iterable[Piece] = (), **settings: Any) -> None:
        super().__init__(**settings)
        self.taps = list(self._tap_kinds)
        self.backdrop = self._backdrop()
        self.pieces = list(pieces)
        self._start = copy.deepcopy(self.pieces)
        self._redraw()

    # --- validation: every change, from Python or from the browser, passes here ---------

    @t.validate("pieces")
    def _check_pieces(self, proposal: dict[str, Any]) -> list[Piece]:
        pieces = proposal["value"]
        if not isinstance(pieces, list):
            raise Refused("The board's pieces must be a list.")
        if len(pieces) > MAX_PIECES:
            raise Refused(f"A board holds at most {MAX_PIECES} pieces; that change had {len(pieces)}.")
        seen: set[str] = set()
        clean = [self._check_piece(piece, n, seen) for n, piece in enumerate(pieces, 1)]
        self._check_whole(clean)
        return clean

    def _check_piece(self, piece: Any, n: int, seen: set[str]) -> Piece:
        if not isinstance(piece, dict):
            raise Refused(f"Piece {n} is not a piece (it should be an object with an id, kind, x and y).")
        pid = piece.get("id")
        if not isinstance(pid, str) or not _ID.fullmatch(pid):
            raise Refused(f"Piece {n} needs an id of 1 to 40 letters, digits, '-' or '_'.")
        if pid in seen:
            raise Refused(f"Two pieces share the id {pid}; each piece needs its own.")
        seen.add(pid)
        kind = piece.get("kind")
        fields = self._kinds.get(kind) if isinstance(kind, str) else None
        if fields is None:
            raise Refused(f"Piece {pid} is of an unknown kind {_short(kind)}; this board has {', '.join(self._kinds)}.")
        unknown = set(piece) - _COMMON_FIELDS - set(fields)
        if unknown:
            raise Refused(f"Piece {pid} has fields a {kind} does not have: {', '.join(sorted(map(_short, unknown)))}.")
        try:
            clean = {
                "id": pid,
                "kind": kind,
                "x": _number(piece.get("x"), "x", 0, self.width),
                "y": _number(piece.get("y"), "y", 0, self.height),
            }
            if "label" in piece:
                clean["label"] = check_label(piece["label"])
            for field, check in fields.items():
                try:
                    clean[field] = check(piece.get(field))
                except Refused as why:
                    raise Refused(f"{field} {why}") from None
        except Refused as why:
            raise Refused(f"Piece {pid}: {why}.") from None
        return clean

    def _check_whole(self, pieces: list[Piece]) -> None:
        """What no single piece can say: how pieces relate (a subclass's rule). Validates only."""

    def _accept_state(self, sync_data: dict[str, Any]) -> None:
        sent = sync_data["pieces"]
        if sent == self.pieces:
            # No change. traitlets would store an equal list unchecked, True for 1 and all: keep
            # Python's own, and put the browser back to it.
            self.send_state(["pieces"])
            return
        clean = self._check_pieces({"value": sent})
        before = {p["id"]: (p["x"], p["y"]) for p in self.pieces}
        moved = {p["id"] for p in clean if before.get(p["id"]) != (p["x"], p["y"])}
        dropped = self._settled(self._dropped(clean, moved), moved)
        with self._all_or_nothing():
            if dropped == clean:
                super()._accept_state(sync_data)  # the browser has this list: no echo unless it is arranged
            else:
                self.pieces = dropped  # a drop rule changed it: the browser is sent Python's list

    def _resent(self) -> set[str]:
        return {"pieces"}

    @t.validate("name")
    def _check_name(self, proposal: dict[str, Any]) -> str:
        try:
            return check_label(proposal["value"])
        except Refused:
            raise Refused(f"A board's name must be text of at most {MAX_LABEL} characters on one line.") from None

    @t.validate("guides")
    def _check_guides(self, proposal: dict[str, Any]) -> list[dict[str, Any]]:
        guides = proposal["value"]
        if not isinstance(guides, list) or len(guides) > 200:
            raise Refused("A board's guides must be a list of at most 200 grids, lines, rectangles or texts.")
        for guide in guides:
            kind = guide.get("type", "grid") if isinstance(guide, dict) else None
            known = isinstance(kind, str) and kind in _GUIDE_FIELDS
            if not known or guide.keys() - {"type", "class"} != _GUIDE_FIELDS[kind]:
                raise Refused(
                    "Each guide is a grid (x, y, cols, rows, cell), or has a type: line (x1, y1, x2, y2), "
                    "rect (x, y, w, h) or text (x, y, text); any guide may have a class."
                )
            if "class" in guide and not (isinstance(guide["class"], str) and _GUIDE_CLASS.fullmatch(guide["class"])):
                raise Refused("A guide's class must be up to four lower-case names.")
            for key, value in guide.items():
                if key == "text":
                    check_label(value)
                elif key not in {"type", "class"} and (
                    isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10_000
                ):
                    raise Refused(f"A guide's {key} must be a whole number from 0 to 10000.")
        return guides

    # --- after a change is accepted: arrange, then draw and read it -------------------------------

    @t.observe("pieces")
    def _pieces_changed(self, change: dict[str, Any]) -> None:
        arranged = self._arrange(self.pieces)
        if arranged != self.pieces:
            self.pieces = arranged  # checked like any change; arranging it again changes nothing
            return
        self._redraw()

    @t.observe("guides")
    def _guides_changed(self, change: dict[str, Any]) -> None:
        self.backdrop = self._backdrop()

    @t.validate("ink")
    def _check_ink(self, proposal: dict[str, Any]) -> list[list[list[float]]]:
        ink = proposal["value"]
        if not isinstance(ink, list) or len(ink) > MAX_STROKES:
            raise Refused(f"A board holds at most {MAX_STROKES} strokes of ink: clear some first.")
        for stroke in ink:
            if not isinstance(stroke, list) or not 1 <= len(stroke) <= MAX_POINTS:
                raise Refused(f"A stroke of ink is a list of 1 to {MAX_POINTS} points.")
            for point in stroke:
                if not (isinstance(point, list) and len(point) == 2):
                    raise Refused("A point of ink is [x, y].")
                _number(point[0], "ink", 0, self.width)
                _number(point[1], "ink", 0, self.height)
        return ink

    @t.observe("ink")
    def _ink_changed(self, change: dict[str, Any]) -> None:
        self.overlay = [look.path(_stroke_path(stroke), "mn-ink") for stroke in self.ink]

    @t.observe("show_readout")
    def _show_readout_changed(self, change: dict[str, Any]) -> None:
        self._redraw()

    # --- the pen ------------------------------------------------------------------------------------

    @action(name="ink")
    def _ink_action(self, points: list[list[float]]) -> None:
        """A stroke the pen drew, sent once when the pen is lifted; kept, thinned, as annotation."""
        if not 1 <= len(points) <= MAX_POINTS or any(len(p) != 2 for p in points):
            raise Refused(f"A stroke of ink is a list of 1 to {MAX_POINTS} points, each [x, y].")
        stroke = [[round(min(max(x, 0), self.width), 1), round(min(max(y, 0), self.height), 1)] for x, y in points]
        thinned = [stroke[0]] + [p for a, p in zip(stroke, stroke[1:], strict=False) if p != a]
        self.ink = [*self.ink, thinned]

    @action(name="erase")
    def _erase_action(self, x: float, y: float) -> None:
        """The eraser at (x, y): the stroke nearest it, if any passes within reach, leaves the board."""
        reach = 24.0
        best, nearest = None, reach
        for n, stroke in enumerate(self.ink):
            for px, py in stroke:
                d = math.hypot(px - x, py - y)
                if d <= nearest:
                    best, nearest = n, d
        if best is None:
            raise ValueError("There is no ink there to rub out.")
        self.ink = [s for n, s in enumerate(self.ink) if n != best]

    @action
    def clear_ink(self) -> None:
        """Take every stroke of ink off the board; the pieces stay as they are."""
        self.ink = []

    @action(teacher=True)
    def reveal_readout(self) -> None:
        """Show the board's mathematics (after "Show the maths" was in its place)."""
        self.show_readout = True

    def _redraw(self) -> None:
        """Everything Python computes from the pieces: the readout, the looks and the toolbar."""
        looks: list[dict[str, Any]] = []
        index: dict[str, int] = {}
        look_of: dict[str, int] = {}
        for piece in self.pieces:
            drawn = {"shapes": self._piece_look(piece), "name": self._piece_name(piece)}
            key = json.dumps(drawn, sort_keys=True)
            if key not in index:
                index[key] = len(looks)
                looks.append(drawn)
            look_of[piece["id"]] = index[key]
        readout = self._read()
        with self.hold_sync():
            self.looks = looks
            self.look_of = look_of
            self.readout = readout
            self.tools = self._tools()

    def _arrange(self, pieces: list[Piece]) -> list[Piece]:
        """Where accepted pieces go (a plain function of them and the declared state): as they are."""
        return pieces

    def _dropped(self, pieces: list[Piece], moved: set[str]) -> list[Piece]:
        """What a drop from the browser does besides moving the pieces in `moved`: nothing more."""
        return pieces

    def _settled(self, pieces: list[Piece], moved: set[str]) -> list[Piece]:
        """On a grid, a piece dropped on another goes to the nearest free point, so none hides another."""
        g = self.grid
        if not g or not moved:
            return pieces
        ox, oy = self.grid_origin

        def key(x: float, y: float) -> tuple[int, int]:
            return round((x - ox) / g), round((y - oy) / g)

        def within(v: float, half: float, size: int, o: float) -> float:
            return min(max(round((v - o) / g), math.ceil((half - o) / g)), math.floor((size - half - o) / g)) * g + o

        taken = {key(p["x"], p["y"]) for p in pieces if p["id"] not in moved}
        reach = max(self.width, self.height) // g
        budget = 20_000  # points looked at, at most: a hostile pile of pieces costs no more than this
        out = []
        for p in pieces:
            if p["id"] not in moved:
                out.append(p)
                continue
            w, h = self._size(p)
            spot = (p["x"], p["y"])
            ring = 1
            while key(*spot) in taken and ring <= reach and budget > 0:
                nearest = None
                for i in range(-ring, ring + 1):
                    for j in range(-ring, ring + 1):
                        if max(abs(i), abs(j)) != ring:
                            continue
                        budget -= 1
                        x = within(p["x"] + i * g, w / 2, self.width, ox)
                        y = within(p["y"] + j * g, h / 2, self.height, oy)
                        d = math.hypot(x - p["x"], y - p["y"])
                        if key(x, y) not in taken and (nearest is None or d < nearest[2]):
                            nearest = (x, y, d)
                if nearest:
                    spot = nearest[:2]
                ring += 1
            taken.add(key(*spot))
            out.append({**p, "x": spot[0], "y": spot[1]} if spot != (p["x"], p["y"]) else p)
        return out

    # --- what every manipulative offers --------------------------------------------------

    @action
    def reset(self) -> None:
        """Put the board back to the arrangement it started with."""
        self.pieces = copy.deepcopy(self._start)

    @action(name="tap")
    def _action_tap(self, id: str) -> None:  # noqa: A002 - the browser's word
        piece = next((p for p in self.pieces if p["id"] == id), None)
        if piece is None or piece["kind"] not in self._tap_kinds:
            raise Refused("Nothing happens when that is tapped.")
        self._tapped(piece)

    def _tapped(self, piece: Piece) -> None:
        """What a tap on a piece of a kind in `_tap_kinds` does."""

    def snapshot(self) -> dict[str, Any]:
        """The board as plain JSON: enough to restore it, capture it, or draw it."""
        return self._snapshot()

    @classmethod
    def from_snapshot(cls, snap: dict[str, Any]) -> Board:
        """A board restored from `snapshot()`; a snapshot of another widget is refused."""
        fields = cls._read_snapshot(snap)
        board = cls.__new__(cls)
        pieces = fields.pop("pieces", [])
        try:  # every field passes the same checks as any change (a snapshot restores by traits alone)
            Board.__init__(board, pieces, **fields)
        except t.TraitError as why:
            raise ValueError(f"A {cls.__name__} snapshot does not fit: {why}") from None
        return board

    def _record(self, action: str | None, args: dict[str, Any]) -> dict[str, Any]:
        return {"kind": "board", "state": self.snapshot(), "svg": self.to_svg()}

    def _restore(self, snap: Any) -> None:
        restored = type(self).from_snapshot(snap)  # every field checked, as any change is
        if restored.name != self.name:
            raise ValueError(f"This snapshot is of the board {restored.name!r}, not {self.name!r}.")
        with self.hold_sync():
            for key in self._snapshot_traits:
                setattr(self, key, getattr(restored, key))

    def to_svg(self) -> str:
        """The board as a static SVG picture, drawn from the same looks the live board draws."""
        from ._paper import FOOT, HEADLINE_Y, drawn_box

        w, h = self.width, self.height
        foot = FOOT if self.readout.get("headline") else 0
        by_id = dict(enumerate(self.looks))
        # data-drawn: the part of the board with something on it, for a thumbnail (lessons.thumbnails).
        drawn = " ".join(f"{v:g}" for v in drawn_box(self))
        parts = [
            f'<svg xmlns="http://www.w3.org/2000/svg" class="{self._svg_class}" viewBox="0 0 {w} {h + foot}" '
            f'width="{w}" height="{h + foot}" data-drawn="{drawn}" role="img" aria-label="{escape(self._describe())}">',
            f"<style>{self._svg_style()}</style>",
            f'<rect class="mn-bg" width="{w}" height="{h}" rx="12"/>',
            look.svg_all(self.backdrop),
        ]
        for piece in self.pieces:
            drawn = by_id[self.look_of[piece["id"]]]
            parts.append(
                look.svg(look.group("mn-piece", *drawn["shapes"], at=(piece["x"], piece["y"])))
                if piece["x"] or piece["y"]
                else look.svg(look.group("mn-piece", *drawn["shapes"]))
            )
        parts.append(look.svg_all(self.overlay))  # ink, above the pieces
        if foot:
            headline = escape(self.readout["headline"])
            parts.append(f'<text class="mn-svg-headline" x="{w / 2:g}" y="{h + HEADLINE_Y}">{headline}</text>')
        parts.append("</svg>")
        return "\n".join(parts)

    _svg_class = "mn-board"

    def to_figure(self, width: float = 6.0, *, pieces: bool = True, readout: bool = True) -> Any:
        """The board on paper: a matplotlib Figure `width` inches wide, drawn from the same looks in
        black and white (negative hatched). Without `pieces`, a blank template: the guides alone."""
        from ._paper import to_figure

        return to_figure(self, width, pieces=pieces, readout=readout)

    def to_pdf(self, path: str | Path, width: float = 6.0, **how: Any) -> None:
        """The board on paper, written to a PDF (see `to_figure`)."""
        self.to_figure(width, **how).savefig(path, format="pdf")

    def _repr_mimebundle_(self, **kwargs: Any) -> tuple[dict[str, Any], dict[str, Any]] | None:
        bundle = super()._repr_mimebundle_(**kwargs)
        if bundle is not None:
            bundle[0]["image/svg+xml"] = self.to_svg()
        return bundle

    # --- for subclasses -------------------------------------------------------------------

    def _readout(self) -> dict[str, Any]:
        return {"headline": "", "facts": []}

    def _read(self) -> dict[str, Any]:
        """The readout, computed afresh from the pieces: the mathematics, and the board in words.

        While the readout waits, none of it leaves Python: the page has nothing to read ahead from.
        """
        if not self.show_readout:
            return {"headline": "", "facts": [], "words": "The maths is hidden for now.", "waiting": True}
        readout = self._readout()
        return {**readout, "words": self._words(readout)}

    def _words(self, readout: dict[str, Any]) -> str:
        """The board in words, for a screen reader to say after each change: by default its headline."""
        return readout.get("headline", "")

    def _look(self, piece: Piece) -> list[look.Shape]:
        """How one piece looks, about its centre."""
        raise NotImplementedError

    def _name(self, piece: Piece) -> str:
        """What one piece is, in words, for a screen reader."""
        return piece["kind"]

    def _tools(self) -> list[dict[str, Any]]:
        """The manipulative's own toolbar buttons (see `tool`)."""
        return []

    def _piece_look(self, piece: Piece) -> list[look.Shape]:
        shapes = self._look(piece)
        if piece.get("label"):
            shapes = [*shapes, look.text(piece["label"], "mn-label", y=self._size(piece)[1] / 2 + 22)]
        return shapes

    def _piece_name(self, piece: Piece) -> str:
        name = self._name(piece)
        return f"{name}, {piece['label']}" if piece.get("label") else name

    def _describe(self) -> str:
        words = self.readout.get("words") or self.readout.get("headline", "")
        return f"{type(self).__name__} board" + (f": {words}" if words else "")

    def _svg_style(self) -> str:
        return stylesheet("drawing.css", *self._piece_css)

    # A manipulative's own stylesheets: in its live board (`_css`, made from them) and in its static picture.
    _piece_css: ClassVar[tuple[str, ...]] = ()

    def _size(self, piece: Piece) -> tuple[float, float]:
        """A piece's [width, height] (its own w and h, else its kind's); a quarter turn swaps them."""
        kw, kh = self.sizes.get(piece["kind"], [0, 0])
        w, h = piece.get("w", kw), piece.get("h", kh)
        return (h, w) if piece.get("rot") in (90, 270) else (w, h)

    def _backdrop(self) -> list[look.Shape]:
        """The guides as shapes: what the board draws behind its pieces."""
        return [_guide_shape(guide) for guide in self.guides]

    def _free_slots(self, rows: Iterable[int]) -> Iterable[tuple[int, int]]:
        """Grid points in the given rows (then anywhere) that no piece stands on."""
        g = self.grid
        taken = {(round(p["x"] / g), round(p["y"] / g)) for p in self.pieces}
        cols = range(1, self.width // g)
        every_row = range(1, self.height // g)
        for row in [*rows, *every_row]:
            for col in cols:
                if (col, row) not in taken:
                    taken.add((col, row))
                    yield col * g, row * g

    def _new_id(self, taken: set[str]) -> str:
        n = len(taken) + 1
        while f"p{n}" in taken:
            n += 1
        taken.add(f"p{n}")
        return f"p{n}"


def _guide_shape(guide: dict[str, Any]) -> look.Shape:
    kind = guide.get("type", "grid")
    cls = ("mn-guide " + guide.get("class", "")).strip()
    if kind == "line":
        return look.group(cls, look.line(guide["x1"], guide["y1"], guide["x2"], guide["y2"]))
    if kind == "rect":
        return look.group(cls, look.rect(guide["x"], guide["y"], guide["w"], guide["h"]))
    if kind == "text":
        return look.group(cls, look.text(guide["text"], x=guide["x"], y=guide["y"]))
    x, y, cell, cols, rows = guide["x"], guide["y"], guide["cell"], guide["cols"], guide["rows"]
    lines = [look.rect(x, y, cols * cell, rows * cell)]
    lines += [look.line(x + c * cell, y, x + c * cell, y + rows * cell) for c in range(1, cols)]
    lines += [look.line(x, y + r * cell, x + cols * cell, y + r * cell) for r in range(1, rows)]
    return look.group(cls, *lines)


def zero_pairs_dropped(
    pieces: list[Piece], moved: set[str], size_of: Callable[[Piece], tuple[float, float]]
) -> list[Piece]:
    """The drop rule of two-sided pieces: a moved piece whose centre lands on a piece of the same
    kind and the other sign makes a zero pair, and both leave the board."""
    gone: set[str] = set()
    for mover in (p for p in pieces if p["id"] in moved):
        for p in pieces:
            if p["id"] in moved or p["id"] in gone or p["kind"] != mover["kind"] or p["sign"] != -mover["sign"]:
                continue
            w, h = size_of(p)
            if abs(mover["x"] - p["x"]) < w / 2 and abs(mover["y"] - p["y"]) < h / 2:
                gone.update((p["id"], mover["id"]))
                break
    return [p for p in pieces if p["id"] not in gone] if gone else pieces


def _stroke_path(stroke: list[list[float]]) -> str:
    """A stroke as a smooth path: quadratic curves through the midpoints of its points."""
    (x0, y0), rest = stroke[0], stroke[1:]
    if not rest:
        return f"M{x0:g} {y0:g} l0.1 0"  # a dot
    d = [f"M{x0:g} {y0:g}"]
    for (ax, ay), (bx, by) in zip(stroke, rest, strict=False):
        d.append(f"Q{ax:g} {ay:g} {(ax + bx) / 2:g} {(ay + by) / 2:g}")
    lx, ly = stroke[-1]
    d.append(f"L{lx:g} {ly:g}")
    return " ".join(d)
