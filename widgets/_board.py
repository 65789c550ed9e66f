"""The board every manipulative stands on.

Python owns the state and the mathematics; the browser (static/board.js) owns the hand.
The browser may write one trait, `pieces`, and send a few named actions. Everything it sends
is checked here: a refused change leaves the board as it was and says why in the widget.
"""

from __future__ import annotations

import contextlib
import copy
import inspect
import math
import re
import reprlib
from collections.abc import Callable, Iterable, Iterator
from html import escape
from pathlib import Path
from typing import Any, ClassVar

import anywidget
import traitlets as t

from maths.printing import MINUS as MINUS  # the kit's one printer, importable from here as before
from maths.printing import signed as signed

_STATIC = Path(__file__).parent / "static"
MAX_PIECES = 1000
MAX_LABEL = 40
_ID = re.compile(r"[A-Za-z0-9_-]{1,40}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_SNAPSHOT_VERSION = 1
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


class Refused(t.TraitError, ValueError):
    """A change that would break a board. Its message is shown to whoever made it."""


def front_end(*names: str) -> str:
    """The named files of widgets/static/, joined into one module or stylesheet.

    The engine (board.js) comes first and each manipulative's module after it, so the
    widget's `_esm` is one self-contained ES module: nothing to bundle, nothing fetched.
    """
    return "\n".join((_STATIC / name).read_text(encoding="utf-8") for name in names)


def one_of(*allowed: Any) -> FieldCheck:
    """A field check that accepts exactly these values (and never a bool for a number)."""

    def check(value: Any) -> Any:
        if isinstance(value, bool) or value not in allowed or type(value) not in {type(a) for a in allowed}:
            raise Refused("must be " + " or ".join(str(a) for a in allowed))
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


_REPR = reprlib.Repr()  # never deeper or longer than a message needs, however nested the value
_REPR.maxlevel, _REPR.maxstring, _REPR.maxother = 3, 30, 30


def _short(value: Any) -> str:
    """A hostile value, cut short enough to name in a message."""
    text = _REPR.repr(value)
    return text if len(text) <= 24 else text[:21] + "..."


def check_label(value: Any) -> str:
    if not isinstance(value, str) or len(value) > MAX_LABEL or _CONTROL.search(value):
        raise Refused(f"a label must be text of at most {MAX_LABEL} characters on one line")
    return value


class Board(anywidget.AnyWidget):
    """A manipulative: pieces on a board, a toolbar, and a readout of the mathematics.

    A subclass names its kinds of piece and their fields (`_kinds`), the actions the
    browser may ask for (`_actions`), how a piece looks as SVG (`_piece_svg`) and what the
    pieces mean (`_readout`). Its `__init__` only builds the starting pieces.
    """

    pieces = t.List().tag(sync=True, echo_update=False)
    readout = t.Dict().tag(sync=True)  # {"headline": str, "facts": [[name, value], ...]}
    message = t.Unicode("").tag(sync=True)  # why the last change from the browser was refused
    name = t.Unicode("").tag(sync=True)  # a stable key within a lesson, for autosave and capture
    width = t.Int(960, min=100, max=10_000).tag(sync=True)
    height = t.Int(540, min=100, max=10_000).tag(sync=True)
    grid = t.Int(0, min=0, max=500).tag(sync=True)  # snap step in board units; 0 snaps edge to edge
    guides = t.List().tag(sync=True)  # fixed shapes behind the pieces, such as ten-frames
    sizes = t.Dict().tag(sync=True)  # kind -> [width, height] of its piece, for drawing and snapping
    # The arrangement reset() goes back to. The browser reads it (never writes it) for its autosave:
    # a board back at its start keeps nothing saved, and a save made for another start is not restored.
    _start = t.List().tag(sync=True)

    _kinds: ClassVar[dict[str, dict[str, FieldCheck]]] = {}
    _actions: ClassVar[frozenset[str]] = frozenset({"reset"})
    _browser_writable: ClassVar[frozenset[str]] = frozenset({"pieces"})
    _settings: ClassVar[tuple[str, ...]] = ("name", "width", "height", "grid", "guides")

    def __init__(self, pieces: Iterable[Piece] = (), **settings: Any) -> None:
        super().__init__(**settings)
        self.pieces = list(pieces)
        self._start = copy.deepcopy(self.pieces)
        self.readout = self._readout()

    # --- validation: every change, from Python or from the browser, passes here ---------

    @t.validate("pieces")
    def _check_pieces(self, proposal: dict[str, Any]) -> list[Piece]:
        pieces = proposal["value"]
        if not isinstance(pieces, list):
            raise Refused("The board's pieces must be a list.")
        if len(pieces) > MAX_PIECES:
            raise Refused(f"A board holds at most {MAX_PIECES} pieces; that change had {len(pieces)}.")
        seen: set[str] = set()
        return [self._check_piece(piece, n, seen) for n, piece in enumerate(pieces, 1)]

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

    def set_state(self, sync_data: Any) -> None:
        """A state update from the browser: accepted whole, or refused whole with a message."""
        try:
            if not isinstance(sync_data, dict) or not sync_data.keys() <= self._browser_writable:
                raise Refused("The browser may only move, add and remove pieces.")
            if sync_data.get("pieces") == self.pieces:
                # No change. traitlets would store an equal list unchecked, True for 1 and all: keep
                # Python's own, and put the browser back to it.
                self.send_state(sorted(self._browser_writable))
            else:
                with self._all_or_nothing():
                    super().set_state(sync_data)
        except t.TraitError as why:  # Refused, or a wrong type caught by the trait itself
            self._refuse(str(why) if isinstance(why, Refused) else "The board could not read that change.")
        except Exception:  # a fault in a check, not the pupil's: the log has it, the board is kept
            self.log.warning("A board could not check a change from the browser.", exc_info=True)
            self._refuse("The board could not read that change.")
        else:
            self.message = ""

    @contextlib.contextmanager
    def _all_or_nothing(self) -> Iterator[None]:
        """A change made whole or not at all: if it fails, the board goes back as it was."""
        kept = {key: getattr(self, key) for key in (*self._settings, "pieces")}
        try:
            yield
        except Exception:
            for key, value in kept.items():  # traits are replaced, never changed in place
                if getattr(self, key) is not value:
                    setattr(self, key, value)
            raise

    def _refuse(self, why: str) -> None:
        """Say why in the widget, and put the browser back to the state Python kept."""
        self.message = why
        self.send_state(sorted(self._browser_writable))

    def _handle_msg(self, msg: dict[str, Any]) -> None:
        # A malformed message from the browser is refused, never raised into the kernel's log.
        content = msg.get("content") if isinstance(msg, dict) else None
        data = content.get("data") if isinstance(content, dict) else None
        method = data.get("method") if isinstance(data, dict) else None
        if method not in ("update", "request_state", "custom") or (  # a tuple: a method may be unhashable
            method == "update" and (not isinstance(data.get("state"), dict) or data.get("buffer_paths"))
        ):
            self._refuse("The board ignored a message it could not read.")
            return
        super()._handle_msg({**msg, "buffers": []})  # no trait of a board is binary

    def _handle_custom_msg(self, content: Any, buffers: Any) -> None:
        """An action asked for by the browser's toolbar, such as {"action": "reset"}."""
        try:
            name = content.get("action") if isinstance(content, dict) else None
            if not isinstance(name, str) or name not in self._actions:
                raise Refused("The board does not know that action.")
            action = getattr(self, "_action_" + name)
            args = {k: v for k, v in content.items() if k != "action"}
            try:
                inspect.signature(action).bind(**args)
            except TypeError:
                raise Refused(f"The {name} action was sent with details it does not take.") from None
            with self._all_or_nothing():
                action(**args)
        except ValueError as why:
            self.message = str(why)
        except Exception:  # a fault in the action, not the pupil's: the log has it, the board is kept
            self.log.warning("A board action from the browser failed.", exc_info=True)
            self.message = "The board could not do that."
        else:
            self.message = ""

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

    @t.observe("pieces")
    def _pieces_changed(self, change: dict[str, Any]) -> None:
        self.readout = self._readout()

    # --- what every manipulative offers --------------------------------------------------

    def reset(self) -> None:
        """Put the board back to the arrangement it started with."""
        self.pieces = copy.deepcopy(self._start)

    _action_reset = reset

    def snapshot(self) -> dict[str, Any]:
        """The board as plain JSON: enough to restore it, capture it, or draw it."""
        snap = {"widget": type(self).__name__, "version": _SNAPSHOT_VERSION}
        snap.update({key: copy.deepcopy(getattr(self, key)) for key in self._settings})
        snap["pieces"] = copy.deepcopy(self.pieces)
        return snap

    @classmethod
    def from_snapshot(cls, snap: dict[str, Any]) -> Board:
        """A board restored from `snapshot()`; a snapshot of another widget is refused."""
        if not isinstance(snap, dict) or snap.get("widget") != cls.__name__:
            raise ValueError(f"This is not a snapshot of a {cls.__name__} board.")
        if snap.get("version") != _SNAPSHOT_VERSION:
            raise ValueError(f"Snapshot version {_short(snap.get('version'))} is not one this kit reads (it reads 1).")
        unknown = snap.keys() - {"widget", "version", "pieces", *cls._settings}
        if unknown:
            raise ValueError(f"A {cls.__name__} snapshot has no field {', '.join(sorted(map(_short, unknown)))}.")
        board = cls.__new__(cls)
        settings = {key: snap[key] for key in cls._settings if key in snap}
        Board.__init__(board, snap.get("pieces", []), **settings)
        return board

    def to_svg(self) -> str:
        """The board as a static SVG picture, for places where widgets do not run."""
        w, h = self.width, self.height
        foot = 64 if self.readout.get("headline") else 0
        parts = [
            f'<svg xmlns="http://www.w3.org/2000/svg" class="mn-board" viewBox="0 0 {w} {h + foot}" '
            f'width="{w}" height="{h + foot}" role="img" aria-label="{escape(self._describe())}">',
            f"<style>{self._svg_style()}</style>",
            f'<rect class="mn-bg" width="{w}" height="{h}" rx="12"/>',
            *map(self._guide_svg, self.guides),
            *(self._labelled(piece) for piece in self.pieces),
        ]
        if foot:
            parts.append(
                f'<text class="mn-svg-headline" x="{w / 2:g}" y="{h + 46}">{escape(self.readout["headline"])}</text>'
            )
        parts.append("</svg>")
        return "\n".join(parts)

    # The comm (and with it the front end's code) goes to the browser only when a board is first shown
    # or put in a container: boards a lesson makes only to compute with cost the page nothing.
    _needed = False

    def open(self) -> None:
        if self._needed:
            super().open()

    @property
    def model_id(self) -> str:
        if self.comm is None:
            self._needed = True
            super().open()
        return self.comm.comm_id

    def _repr_mimebundle_(self, **kwargs: Any) -> tuple[dict[str, Any], dict[str, Any]] | None:
        bundle = super()._repr_mimebundle_(**kwargs)
        if bundle is not None:
            bundle[0]["image/svg+xml"] = self.to_svg()
        return bundle

    # --- for subclasses -------------------------------------------------------------------

    def _readout(self) -> dict[str, Any]:
        return {"headline": "", "facts": []}

    def _piece_svg(self, piece: Piece) -> str:
        raise NotImplementedError

    def _describe(self) -> str:
        headline = self.readout.get("headline", "")
        return f"{type(self).__name__} board" + (f": {headline}" if headline else "")

    def _svg_style(self) -> str:
        return front_end("drawing.css", *self._piece_css)

    _piece_css: ClassVar[tuple[str, ...]] = ()

    def _labelled(self, piece: Piece) -> str:
        body = self._piece_svg(piece)
        if piece.get("label"):
            height = self._size(piece)[1]
            body += f'<text class="mn-label" y="{height / 2 + 22:g}">{escape(piece["label"])}</text>'
        return f'<g class="mn-piece" transform="translate({piece["x"]:g} {piece["y"]:g})">{body}</g>'

    def _size(self, piece: Piece) -> tuple[float, float]:
        """A piece's [width, height]; a quarter turn (a `rot` of 90 or 270) swaps them."""
        w, h = self.sizes.get(piece["kind"], [0, 0])
        return (h, w) if piece.get("rot") in (90, 270) else (w, h)

    @staticmethod
    def _guide_svg(guide: dict[str, Any]) -> str:
        kind = guide.get("type", "grid")
        if kind != "grid":
            shape = {
                "line": lambda g: f'<line x1="{g["x1"]}" y1="{g["y1"]}" x2="{g["x2"]}" y2="{g["y2"]}"/>',
                "rect": lambda g: f'<rect x="{g["x"]}" y="{g["y"]}" width="{g["w"]}" height="{g["h"]}"/>',
                "text": lambda g: f'<text x="{g["x"]}" y="{g["y"]}">{escape(g["text"])}</text>',
            }[kind](guide)
            return f'<g class="{escape(("mn-guide " + guide.get("class", "")).strip())}">{shape}</g>'
        x, y, cell = guide["x"], guide["y"], guide["cell"]
        cols, rows = guide["cols"], guide["rows"]
        lines = [f'<rect x="{x}" y="{y}" width="{cols * cell}" height="{rows * cell}"/>']
        lines += [
            f'<line x1="{x + c * cell}" y1="{y}" x2="{x + c * cell}" y2="{y + rows * cell}"/>' for c in range(1, cols)
        ]
        lines += [
            f'<line x1="{x}" y1="{y + r * cell}" x2="{x + cols * cell}" y2="{y + r * cell}"/>' for r in range(1, rows)
        ]
        return '<g class="mn-guide">' + "".join(lines) + "</g>"

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
