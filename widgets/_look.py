"""How a piece looks, described once: a small vocabulary of shapes that every picture draws.

A look is a list of shapes, each a plain dict (JSON): a rect, circle, line, path or text, or a group
of them. Colour comes from classes (drawing.css), never from the description. Python describes; the
live board (static/board.js, `drawShape`) and the static picture (`svg` below) draw the same
description, so no piece is drawn by two pieces of code.

    {"shape": "rect", "x": -31, "y": -31, "width": 62, "height": 62, "class": "at-tile"}
    {"shape": "text", "text": "x²", "class": "mn-glyph"}
    {"shape": "group", "class": "counter positive", "at": [0, 0], "children": [...]}

Every shape is drawn about its piece's centre; `at` moves a group.
"""

from __future__ import annotations

from html import escape
from typing import Any

Shape = dict[str, Any]

# The attributes each shape may carry besides "shape", "class" and (text) "text" / (group) "children".
ATTRIBUTES = {
    "rect": ("x", "y", "width", "height", "rx"),
    "circle": ("cx", "cy", "r"),
    "line": ("x1", "y1", "x2", "y2"),
    "path": ("d",),
    "text": ("x", "y"),
    "group": ("at",),
}


def _n(value: float) -> float | int:
    """A coordinate kept short in JSON and SVG alike: whole numbers as ints, others to 2 places."""
    value = round(float(value), 2)
    return int(value) if value.is_integer() else value


def _shape(kind: str, cls: str, **attrs: Any) -> Shape:
    node: Shape = {"shape": kind}
    if cls:
        node["class"] = cls
    for key, value in attrs.items():
        if value is not None:
            node[key] = _n(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else value
    return node


def rect(x: float, y: float, width: float, height: float, cls: str = "", rx: float | None = None) -> Shape:
    return _shape("rect", cls, x=x, y=y, width=width, height=height, rx=rx)


def box(width: float, height: float, cls: str = "", rx: float | None = None) -> Shape:
    """A rectangle centred on the piece."""
    return rect(-width / 2, -height / 2, width, height, cls, rx)


def circle(r: float, cls: str = "", cx: float = 0, cy: float = 0) -> Shape:
    return _shape("circle", cls, cx=cx or None, cy=cy or None, r=r)


def line(x1: float, y1: float, x2: float, y2: float, cls: str = "") -> Shape:
    return _shape("line", cls, x1=x1, y1=y1, x2=x2, y2=y2)


def path(d: str, cls: str = "") -> Shape:
    return _shape("path", cls, d=d)


def text(words: str, cls: str = "", x: float = 0, y: float = 0) -> Shape:
    """Text, always drawn as text (never markup), centred on (x, y) by drawing.css."""
    node = _shape("text", cls, x=x or None, y=y or None)
    node["text"] = str(words)
    return node


def group(cls: str, *children: Shape, at: tuple[float, float] | None = None) -> Shape:
    node = _shape("group", cls)
    if at is not None and any(at):
        node["at"] = [_n(at[0]), _n(at[1])]
    node["children"] = list(children)
    return node


# --- the static picture: the same description as SVG text ------------------------------------------


def _value(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".")
    return str(value)


def svg(node: Shape) -> str:
    """One shape (and its children) as SVG markup; every text and class is escaped."""
    kind = node["shape"]
    attrs = "".join(f' {key}="{escape(_value(node[key]))}"' for key in ATTRIBUTES[kind] if key in node and key != "at")
    if "class" in node:
        attrs = f' class="{escape(node["class"])}"' + attrs
    if kind == "group":
        if "at" in node:
            attrs += f' transform="translate({_value(node["at"][0])} {_value(node["at"][1])})"'
        return f"<g{attrs}>" + "".join(svg(child) for child in node["children"]) + "</g>"
    if kind == "text":
        return f"<text{attrs}>{escape(node['text'])}</text>"
    return f"<{kind}{attrs}/>"


def svg_all(shapes: list[Shape]) -> str:
    return "".join(svg(node) for node in shapes)
