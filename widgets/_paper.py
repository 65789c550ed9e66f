"""The look description on paper: the third writer of `_look`'s shapes, with matplotlib.

The live board (static/board.js, `drawShape`) and the static picture (`_look.svg`) draw a board's
shapes; this module draws the same shapes on a matplotlib axes, for print. It knows no manipulative:
each shape's style comes from the board's own stylesheets (drawing.css and its `_piece_css`), read by
a small cascade below, then paper.css, which turns the palette into black, white and grey and hatches
what is negative. So a new board prints as soon as it has a look and a stylesheet.

What is for the hand, not the eye (a shape styled with a `cursor` or `touch-action: none`: a grip,
a resize handle) is left off paper.

matplotlib is imported when a board is first drawn, so `import widgets` stays fast.
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._look import Shape

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from ._board import Board

_STATIC = Path(__file__).parent / "static"
PAPER_CSS = "paper.css"
POINTS = 72  # points to the inch

# --- a small cascade: the stylesheets' rules, matched against a shape and its groups -------------

# Properties SVG passes from a group to what is inside it; the others stay on the element.
_INHERITED = {
    "fill",
    "fill-opacity",
    "stroke",
    "stroke-width",
    "stroke-opacity",
    "stroke-dasharray",
    "stroke-linecap",
    "stroke-linejoin",
    "font-size",
    "font-weight",
    "font-style",
    "font-family",
    "text-anchor",
    "dominant-baseline",
    "paint-order",
    "visibility",
}
_DEFAULTS = {"fill": "#000000", "stroke": "none", "stroke-width": "1", "font-size": "16px", "text-anchor": "start"}
_COMPOUND = re.compile(r"^([a-z][a-z0-9]*|\*)?((?:\.[\w-]+|:not\(\.[\w-]+\))*)$")
_CLASS = re.compile(r"\.([\w-]+)|:not\(\.([\w-]+)\)")


@dataclass(frozen=True)
class _Rule:
    parts: tuple[tuple[str | None, frozenset[str], frozenset[str]], ...]  # (tag, classes, not-classes)
    specificity: tuple[int, int, int]
    declarations: tuple[tuple[str, str], ...]


def _split_top(text: str, sep: str) -> list[str]:
    """`text` split at `sep` outside brackets (a selector list such as `:is(.a, .b), .c`)."""
    out, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        depth += (ch in "([") - (ch in ")]")
        if ch == sep and depth == 0:
            out.append(text[start:i])
            start = i + 1
    out.append(text[start:])
    return out


def _selector(text: str) -> list[tuple[str | None, frozenset[str], frozenset[str]]] | None:
    """A selector of compounds joined by spaces (descendants); None for what paper never matches
    (states such as :hover, attributes, sibling and child combinators)."""
    parts = []
    for compound in text.split():
        found = _COMPOUND.match(compound)
        if not found:
            return None
        tag = found.group(1) if found.group(1) not in (None, "*") else None
        classes = {m.group(1) for m in _CLASS.finditer(found.group(2)) if m.group(1)}
        nots = {m.group(2) for m in _CLASS.finditer(found.group(2)) if m.group(2)}
        parts.append((tag, frozenset(classes), frozenset(nots)))
    return parts or None


def _declarations(body: str) -> tuple[tuple[str, str], ...]:
    out = []
    for item in _split_top(body, ";"):
        name, colon, value = item.partition(":")
        if colon and name.strip():
            out.append((name.strip().lower(), value.strip()))
    return tuple(out)


@functools.lru_cache(maxsize=64)
def _rules(names: tuple[str, ...]) -> tuple[_Rule, ...]:
    """The rules of the named stylesheets, in order (an @-block, such as @media, is left out whole)."""
    source = "\n".join((_STATIC / name).read_text(encoding="utf-8") for name in names)
    source = re.sub(r"/\*.*?\*/", "", source, flags=re.S)
    source = re.sub(r"@[^{};]*\{(?:[^{}]*\{[^{}]*\})*[^{}]*\}|@[^{};]*;", "", source)
    rules = []
    for head, body in re.findall(r"([^{}]*)\{([^{}]*)\}", source):
        declarations = _declarations(body)
        for text in _split_top(head, ","):
            parts = _selector(text.strip())
            if parts is None:
                continue
            classes = sum(len(c) + len(n) for _, c, n in parts)
            tags = sum(t is not None for t, _, _ in parts)
            rules.append(_Rule(tuple(parts), (classes, tags, len(rules)), declarations))
    return tuple(rules)


def _matches(part: tuple[str | None, frozenset[str], frozenset[str]], tag: str, classes: frozenset[str]) -> bool:
    want_tag, want, nots = part
    return (want_tag is None or want_tag == tag) and want <= classes and not (nots & classes)


def _applies(rule: _Rule, chain: list[tuple[str, frozenset[str]]]) -> bool:
    """The rule's last compound is the element (chain[-1]); the others are its ancestors, in order."""
    *ancestors, last = rule.parts
    if not _matches(last, *chain[-1]):
        return False
    at = len(chain) - 2
    for part in reversed(ancestors):
        while at >= 0 and not _matches(part, *chain[at]):
            at -= 1
        if at < 0:
            return False
        at -= 1
    return True


def _own(rules: tuple[_Rule, ...], chain: list[tuple[str, frozenset[str]]]) -> dict[str, str]:
    """The declarations that apply to the element at the end of chain, by specificity then order."""
    style: dict[str, str] = {}
    for rule in sorted((r for r in rules if _applies(r, chain)), key=lambda r: r.specificity):
        for name, value in rule.declarations:
            if name == "font":
                style.update(_font(value))
            else:
                style[name] = value
    return style


def _font(value: str) -> dict[str, str]:
    """The `font` shorthand: [style] [weight] size family."""
    found = re.match(r"\s*((?:italic|normal|bold|\d{3})\s+)*?([\d.]+px)\s+(.*)", value)
    if not found:
        return {}
    words = value[: found.start(2)].split()
    out = {"font-size": found.group(2), "font-family": found.group(3)}
    for word in words:
        out["font-style" if word in ("italic", "normal") else "font-weight"] = word
    return out


# --- values ------------------------------------------------------------------------------------------


def _resolve(value: str, style: dict[str, str]) -> str:
    """var(--name, fallback) replaced by the custom property in scope."""
    for _ in range(8):
        found = re.search(r"var\(\s*(--[\w-]+)\s*(?:,\s*([^()]*))?\)", value)
        if not found:
            break
        value = value[: found.start()] + style.get(found.group(1), found.group(2) or "") + value[found.end() :]
    return value.strip()


def _number(value: str | None, default: float = 0.0) -> float:
    if not value:
        return default
    found = re.match(r"\s*(-?[\d.]+)", value)
    return float(found.group(1)) if found else default


def _colour(value: str | None) -> str | None:
    """A colour as the grey of its lightness (paper is printed in black and white: a colour a board's
    stylesheet names outright, not through the palette, still prints as the shade it has), or None."""
    from matplotlib.colors import to_hex, to_rgb

    if not value or value in ("none", "transparent"):
        return None
    try:
        r, g, b = to_rgb(value)
    except ValueError:
        return "#000000"  # a colour paper cannot read (currentColor, a gradient) prints as ink
    grey = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return to_hex((grey, grey, grey))


@dataclass
class _Pen:
    """Where a shape lands: its groups' offset, the page's scale, the board's stylesheets."""

    ax: Any
    rules: tuple[_Rule, ...]
    points_per_unit: float
    z: float = 1.0
    # With no axes, the pen only measures: the box of everything it would draw, in board units.
    box: list[float] = field(default_factory=lambda: [math.inf, math.inf, -math.inf, -math.inf])

    def reach(self, xs: list[float], ys: list[float]) -> None:
        self.box = [min(self.box[0], *xs), min(self.box[1], *ys), max(self.box[2], *xs), max(self.box[3], *ys)]

    def next_z(self) -> float:
        self.z += 0.01
        return self.z


# --- paths: the SVG path data the looks use (M L H V Q C Z, upper and lower case) --------------------

_TOKEN = re.compile(r"[MLHVQCZmlhvqcz]|-?(?:\d+\.?\d*|\.\d+)(?:e-?\d+)?")


class _Codes:
    """matplotlib.path.Path's codes (its documented values), so that measuring a picture, which a kernel
    does at every recorded gesture, never imports matplotlib."""

    MOVETO, LINETO, CURVE3, CURVE4, CLOSEPOLY = 1, 2, 3, 4, 79


def _path(d: str, dx: float, dy: float) -> tuple[list[tuple[float, float]], list[int]]:
    tokens = _TOKEN.findall(d)
    vertices: list[tuple[float, float]] = []
    codes: list[int] = []
    x = y = sx = sy = 0.0
    command = "M"
    i = 0

    def take(n: int) -> list[float]:
        nonlocal i
        values = [float(v) for v in tokens[i : i + n]]
        i += n
        return values

    while i < len(tokens):
        if tokens[i].isalpha():
            command = tokens[i]
            i += 1
            if command in "Zz":
                if vertices:
                    vertices.append((sx + dx, sy + dy))
                    codes.append(_Codes.CLOSEPOLY)
                x, y = sx, sy
                continue
        rel = command.islower()
        c = command.upper()
        ox, oy = (x, y) if rel else (0.0, 0.0)
        if c in "ML":
            px, py = take(2)
            x, y = ox + px, oy + py
            codes.append(_Codes.MOVETO if c == "M" else _Codes.LINETO)
            vertices.append((x + dx, y + dy))
            if c == "M":
                sx, sy = x, y
                command = "l" if rel else "L"  # pairs after a moveto are lines
        elif c == "H":
            x = ox + take(1)[0]
            codes.append(_Codes.LINETO)
            vertices.append((x + dx, y + dy))
        elif c == "V":
            y = oy + take(1)[0]
            codes.append(_Codes.LINETO)
            vertices.append((x + dx, y + dy))
        elif c == "Q":
            cx, cy, px, py = take(4)
            codes += [_Codes.CURVE3, _Codes.CURVE3]
            vertices += [(ox + cx + dx, oy + cy + dy), (ox + px + dx, oy + py + dy)]
            x, y = ox + px, oy + py
        elif c == "C":
            c1x, c1y, c2x, c2y, px, py = take(6)
            codes += [_Codes.CURVE4] * 3
            vertices += [(ox + c1x + dx, oy + c1y + dy), (ox + c2x + dx, oy + c2y + dy), (ox + px + dx, oy + py + dy)]
            x, y = ox + px, oy + py
        else:  # a number with no command we know: stop rather than draw nonsense
            break
    return vertices, codes


# --- the writer ---------------------------------------------------------------------------------------


def _for_the_hand(own: dict[str, str]) -> bool:
    return "cursor" in own or own.get("touch-action", "").strip() == "none"


def _dashes(style: dict[str, str], width: float) -> Any:
    value = style.get("stroke-dasharray", "none")
    if value in ("none", ""):
        return "solid"
    lengths = [float(v) for v in re.findall(r"[\d.]+", value)]
    if not lengths or not width or not any(lengths):
        return "solid"
    if len(lengths) % 2:
        lengths *= 2
    return (0, tuple(v / width for v in lengths))  # matplotlib scales a dash by the line's width


def _draw(pen: _Pen, node: Shape, chain: list[tuple[str, frozenset[str]]], style: dict[str, str], at: tuple) -> None:
    kind = node["shape"]
    tag = "g" if kind == "group" else kind
    chain = [*chain, (tag, frozenset(str(node.get("class", "")).split()))]
    own = _own(pen.rules, chain)
    if own.get("display", "").strip() == "none" or _for_the_hand(own):
        return
    inherited = {k: v for k, v in style.items() if k in _INHERITED or k.startswith("--")}
    mine = {**inherited, **own}
    if kind == "group":
        dx, dy = node.get("at", [0, 0])
        for child in node["children"]:
            _draw(pen, child, chain, mine, (at[0] + dx, at[1] + dy))
        return
    if mine.get("visibility") == "hidden":
        return
    _shape(pen, node, mine, at)


def _twin(raw: str, style: dict[str, str], suffix: str) -> str:
    """paper.css's companion of a palette colour (`--mn-negative-hatch` of `var(--mn-negative)`), or ""."""
    named = re.match(r"\s*var\(\s*(--[\w-]+)", raw)
    return style.get(named.group(1) + suffix, "").strip() if named else ""


def _paint(style: dict[str, str], kind: str) -> dict[str, Any]:
    """A style's fill and stroke as matplotlib reads them: an area's fill hatched as paper.css says, a
    line (and a word) in the colour's line colour."""
    raw_fill = style.get("fill", _DEFAULTS["fill"])
    fill = _colour(_resolve(raw_fill, style))
    hatch = _twin(raw_fill, style, "-hatch") if fill and kind != "text" else ""
    if fill and kind == "text":
        fill = _twin(raw_fill, style, "-line") or fill
    raw_stroke = style.get("stroke", _DEFAULTS["stroke"])
    stroke = _colour(_twin(raw_stroke, style, "-line") or _resolve(raw_stroke, style))
    width = _number(_resolve(style.get("stroke-width", "1"), style), 1.0)
    return {
        "fill": fill,
        "fill_alpha": _number(style.get("fill-opacity"), 1.0),
        "hatch": hatch,
        "stroke": stroke if width > 0 else None,
        "stroke_alpha": _number(style.get("stroke-opacity"), 1.0),
        "width": width,
    }


def _shape(pen: _Pen, node: Shape, style: dict[str, str], at: tuple[float, float]) -> None:
    kind = node["shape"]
    if pen.ax is None:  # measuring only (a kernel does it at every recorded gesture): no matplotlib
        if kind == "text":
            _text(pen, node, style, {}, at)
        else:
            _measure(pen, node, at)
        return
    from matplotlib import patches
    from matplotlib.path import Path as MPath

    x0, y0 = at
    paint = _paint(style, kind)
    if kind == "text":
        _text(pen, node, style, paint, at)
        return
    if kind == "rect":
        x, y = x0 + node.get("x", 0), y0 + node.get("y", 0)
        w, h, rx = node.get("width", 0), node.get("height", 0), node.get("rx", 0)
        if rx:
            box = f"round,pad=0,rounding_size={min(rx, w / 2, h / 2)}"
            patch: Any = patches.FancyBboxPatch((x, y), w, h, boxstyle=box)
        else:
            patch = patches.Rectangle((x, y), w, h)
    elif kind == "circle":
        patch = patches.Circle((x0 + node.get("cx", 0), y0 + node.get("cy", 0)), node.get("r", 0))
    elif kind == "line":
        xs = [x0 + node.get("x1", 0), x0 + node.get("x2", 0)]
        ys = [y0 + node.get("y1", 0), y0 + node.get("y2", 0)]
        if paint["stroke"]:
            lw = paint["width"] * pen.points_per_unit
            pen.ax.plot(
                xs,
                ys,
                color=paint["stroke"],
                alpha=paint["stroke_alpha"],
                linewidth=lw,
                linestyle=_dashes(style, paint["width"]),
                solid_capstyle=_cap(style),
                dash_capstyle=_cap(style),
                zorder=pen.next_z(),
            )
        return
    elif kind == "path":
        vertices, codes = _path(str(node.get("d", "")), x0, y0)
        if not vertices:
            return
        patch = patches.PathPatch(MPath(vertices, codes))
    else:
        return
    _fill_and_stroke(pen, patch, paint, style)


def _measure(pen: _Pen, node: Shape, at: tuple[float, float]) -> None:
    kind, (x0, y0) = node["shape"], at
    if kind == "rect":
        x, y = x0 + node.get("x", 0), y0 + node.get("y", 0)
        pen.reach([x, x + node.get("width", 0)], [y, y + node.get("height", 0)])
    elif kind == "circle":
        cx, cy, r = x0 + node.get("cx", 0), y0 + node.get("cy", 0), node.get("r", 0)
        pen.reach([cx - r, cx + r], [cy - r, cy + r])
    elif kind == "line":
        pen.reach([x0 + node.get("x1", 0), x0 + node.get("x2", 0)], [y0 + node.get("y1", 0), y0 + node.get("y2", 0)])
    elif kind == "path":
        vertices, _ = _path(str(node.get("d", "")), x0, y0)
        if vertices:
            pen.reach([v[0] for v in vertices], [v[1] for v in vertices])


def _cap(style: dict[str, str]) -> str:
    return {"round": "round", "square": "projecting"}.get(style.get("stroke-linecap", "").strip(), "butt")


def _fill_and_stroke(pen: _Pen, patch: Any, paint: dict[str, Any], style: dict[str, str]) -> None:
    """One shape in up to three layers: its fill, its hatch in black, then its stroke."""
    from matplotlib.colors import to_rgba

    if paint["fill"]:
        _layer(pen, patch, face=to_rgba(paint["fill"], paint["fill_alpha"]))
    if paint["hatch"]:
        _layer(pen, patch, edge="#000000", hatch=paint["hatch"])
    if paint["stroke"]:
        outline = _layer(
            pen,
            patch,
            edge=to_rgba(paint["stroke"], paint["stroke_alpha"]),
            width=paint["width"] * pen.points_per_unit,
        )
        outline.set_linestyle(_dashes(style, paint["width"]))
        outline.set_capstyle(_cap(style))
        outline.set_joinstyle(style.get("stroke-linejoin", "miter").strip())


def _layer(pen: _Pen, shape: Any, *, face: Any = "none", edge: Any = "none", hatch: str = "", width: float = 0) -> Any:
    """A copy of the shape on the axes, painted one way, above what is there."""
    import copy

    layer = copy.copy(shape)
    layer.set_facecolor(face)
    layer.set_edgecolor(edge)
    layer.set_hatch(hatch or None)
    layer.set_linewidth(width)
    layer.set_zorder(pen.next_z())
    pen.ax.add_patch(layer)
    return layer


_ANCHOR = {"start": "left", "middle": "center", "end": "right"}
_BASELINE = {"central": "center_baseline", "middle": "center_baseline", "hanging": "top"}


def _text(pen: _Pen, node: Shape, style: dict[str, str], paint: dict[str, Any], at: tuple[float, float]) -> None:
    size = _number(_resolve(style.get("font-size", _DEFAULTS["font-size"]), style), 16.0)
    x, y = at[0] + node.get("x", 0), at[1] + node.get("y", 0)
    if pen.ax is None:  # about 0.6 em a character, and a line's height
        half = 0.3 * size * len(node.get("text", ""))
        anchor = style.get("text-anchor", "start").strip()
        left = {"middle": x - half, "end": x - 2 * half}.get(anchor, x)
        pen.reach([left, left + 2 * half], [y - 0.7 * size, y + 0.7 * size])
        return
    from matplotlib import patheffects

    family = style.get("font-family", "")
    serif = "serif" in family.replace("sans-serif", "")
    weight = style.get("font-weight", "400").strip()
    how = {
        "fontsize": size * pen.points_per_unit,
        "fontweight": "bold" if weight in ("bold", "600", "700", "800", "900") else "normal",
        "fontstyle": "italic" if style.get("font-style", "").strip() == "italic" else "normal",
        "family": "DejaVu Serif" if serif else "DejaVu Sans",
        "ha": _ANCHOR.get(style.get("text-anchor", "start").strip(), "left"),
        "va": _BASELINE.get(style.get("dominant-baseline", "").strip(), "baseline"),
    }
    # Text on paper sits on a rim of white (or its own stroke, drawn first), so a hatch under it never
    # crosses a digit. The rim is a path of its own: the words above it stay words in the PDF.
    rim = _colour(_resolve(style.get("stroke", "none"), style)) if style.get("paint-order") else None
    stroke = patheffects.Stroke(linewidth=max(2.0, size * pen.points_per_unit * 0.18), foreground=rim or "white")
    pen.ax.text(x, y, node.get("text", ""), color="white", path_effects=[stroke], zorder=pen.next_z(), **how)
    pen.ax.text(x, y, node.get("text", ""), color=paint["fill"] or "#000000", zorder=pen.next_z(), **how)


# --- what a board and a page call --------------------------------------------------------------------


def stylesheets(board: Board) -> tuple[str, ...]:
    """The stylesheets a board's static picture uses, then paper's palette."""
    return ("drawing.css", *board._piece_css, PAPER_CSS)


def _picture(board: Board, pieces: bool, ink: bool, readout: bool) -> tuple[list[Shape], list[float]]:
    """What paper draws of the board (guides, and its pieces and ink unless a blank template), and the
    box round it in board units, wide enough for the readout's headline under it: paper shows what is
    drawn, not the empty table around it. A blank template keeps the box of the full picture: the
    same room to draw in."""
    from ._look import group, text

    backdrop: list[Shape] = [*board.backdrop]
    by_id = dict(enumerate(board.looks))
    shown = [group("mn-piece", *by_id[board.look_of[p["id"]]]["shapes"], at=(p["x"], p["y"])) for p in board.pieces]
    shown += board.overlay if ink else []
    shapes = [*backdrop, *shown] if pieces else backdrop
    pen = _Pen(None, _rules(stylesheets(board)), 1.0)
    root = _root(board)
    base = _own(pen.rules, root)
    for node in [*backdrop, *shown]:
        _draw(pen, node, root, base, (0.0, 0.0))
    x0, y0, x1, y1 = pen.box
    if x0 > x1:  # nothing drawn: the whole board, empty
        return shapes, [0.0, 0.0, float(board.width), float(board.height)]
    if readout and board.readout.get("headline"):
        _draw(pen, text(board.readout["headline"], "mn-svg-headline", x=(x0 + x1) / 2, y=y1), root, base, (0, 0))
        x0, _, x1, _ = pen.box
    pad = 24
    box = [
        max(0.0, x0 - pad),
        max(0.0, y0 - pad),
        min(float(board.width), x1 + pad),
        min(float(board.height), y1 + pad),
    ]
    return shapes, box


def _root(board: Board) -> list[tuple[str, frozenset[str]]]:
    return [("svg", frozenset(board._svg_class.split()))]


# The readout's headline under a picture (Board.to_svg, paper, a class's thumbnails): the room left for it,
# in board units, and its baseline below the picture.
FOOT = 64
HEADLINE_Y = 46


def draw(
    ax: Axes,
    board: Board,
    *,
    pieces: bool = True,
    readout: bool = True,
    ink: bool = True,
) -> None:
    """Draw `board` on `ax` from its looks, as `to_svg()` does: guides, pieces, ink, and the readout's
    headline below when `readout`. Without `pieces`, a blank template (the guides alone).

    The axes must already have the picture's aspect (see `picture_size`): sizes of type and lines
    follow from its width on the page.
    """
    from ._look import rect, text

    shapes, (x0, y0, x1, y1) = _picture(board, pieces, ink, readout)
    foot = FOOT if readout and board.readout.get("headline") else 0
    inches = ax.get_position().width * ax.figure.get_figwidth()
    pen = _Pen(ax, _rules(stylesheets(board)), inches * POINTS / (x1 - x0))
    ax.set_xlim(x0, x1)
    ax.set_ylim(y1 + foot, y0)
    ax.set_aspect("equal", adjustable="box", anchor="N")
    ax.axis("off")
    root = _root(board)
    shapes = [rect(x0, y0, x1 - x0, y1 - y0, "mn-bg", rx=12), *shapes]
    if foot:
        shapes.append(text(board.readout["headline"], "mn-svg-headline", x=(x0 + x1) / 2, y=y1 + HEADLINE_Y))
    base = _own(pen.rules, root)
    for node in shapes:
        _draw(pen, node, root, base, (0.0, 0.0))


def drawn_box(board: Board) -> list[float]:
    """[x0, y0, x1, y1] in board units: what is drawn (guides, pieces, ink), with paper's margin, inside the
    board; the whole board when nothing is. Paper prints this much; a thumbnail shows it (Board.to_svg)."""
    return _picture(board, True, True, False)[1]


def picture_size(board: Board, readout: bool = True, pieces: bool = True) -> tuple[float, float]:
    """The picture's width and height in board units (what is drawn, and the headline's room under it)."""
    _, (x0, y0, x1, y1) = _picture(board, pieces, True, readout)
    foot = FOOT if readout and board.readout.get("headline") else 0
    return x1 - x0, y1 - y0 + foot


def to_figure(board: Board, width: float = 6.0, **how: Any) -> Figure:
    """The board alone on a figure `width` inches wide (see `draw` for `how`)."""
    from matplotlib.figure import Figure

    w, h = picture_size(board, how.get("readout", True), how.get("pieces", True))
    fig = Figure(figsize=(width, width * h / w))
    ax = fig.add_axes((0, 0, 1, 1))
    draw(ax, board, **how)
    return fig
