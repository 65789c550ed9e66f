"""Thumbnails of a class's boards: every pupil's picture of one board cropped to one frame.

A board's picture (`Board.to_svg`) says which part of the board has something on it: its root's
`data-drawn="x0 y0 x1 y1"`, the box paper prints (widgets._paper.drawn_box). A counters board with a few
counters in a corner is mostly empty paper, so the teacher's dashboard and the research lesson's record
show each board cropped to the frame that holds what every pupil drew on it: a few counters fill the
thumbnail, and every pupil's board is still drawn at the same scale, so their sizes compare. The board's
maths line (its headline) moves under the frame, so it stays with the picture.

Only the view changes: what the store keeps, and the whiteboard shows, is the picture as drawn.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable

_ROOT = re.compile(r"<svg\b[^>]*>")
_HEADLINE = re.compile(r'<text class="mn-svg-headline" x="[^"]*" y="[^"]*">')


def _numbers(tag: str, name: str, count: int) -> list[float] | None:
    found = re.search(rf'\s{name}="([^"]*)"', tag)
    if not found:
        return None
    try:
        values = [float(v) for v in found.group(1).replace(",", " ").split()]
    except ValueError:
        return None
    return values if len(values) == count and all(math.isfinite(v) for v in values) else None


def drawn(svg: str) -> list[float] | None:
    """The part of a board's picture with something on it, [x0, y0, x1, y1]; None when it does not say."""
    root = _ROOT.search(svg or "")
    box = _numbers(root.group(0), "data-drawn", 4) if root else None
    return box if box and box[2] > box[0] and box[3] > box[1] else None


def frame(svgs: Iterable[str]) -> list[float] | None:
    """The frame [x, y, width, height] that holds what each picture has drawn; None (show them whole) when
    there are none, or one of them does not say what it has drawn."""
    boxes = [drawn(svg) for svg in svgs]
    if not boxes or any(box is None for box in boxes):
        return None
    x0, y0 = min(b[0] for b in boxes), min(b[1] for b in boxes)
    x1, y1 = max(b[2] for b in boxes), max(b[3] for b in boxes)
    return [round(x0, 2), round(y0, 2), round(x1 - x0, 2), round(y1 - y0, 2)]


def enclosing(a: list[float], b: list[float]) -> list[float]:
    """The frame [x, y, width, height] that holds frames a and b."""
    x0, y0 = min(a[0], b[0]), min(a[1], b[1])
    x1, y1 = max(a[0] + a[2], b[0] + b[2]), max(a[1] + a[3], b[1] + b[3])
    return [round(x0, 2), round(y0, 2), round(x1 - x0, 2), round(y1 - y0, 2)]


def crop(svg: str, box: list[float] | None) -> str:
    """The picture cropped to `box` (from `frame`), its headline under it; the picture whole without a box."""
    from widgets._paper import FOOT, HEADLINE_Y  # where Board.to_svg puts the headline

    root = _ROOT.search(svg or "")
    if box is None or root is None:
        return svg
    x, y, w, h = box
    headline = _HEADLINE.search(svg)
    tall = h + (FOOT if headline else 0)
    tag = root.group(0)
    for name, value in (("viewBox", f"{x:g} {y:g} {w:g} {tall:g}"), ("width", f"{w:g}"), ("height", f"{tall:g}")):
        tag = re.sub(rf'(\s{name}=")[^"]*(")', lambda m, v=value: m.group(1) + v + m.group(2), tag, count=1)
    out = svg[: root.start()] + tag + svg[root.end() :]
    if headline:
        moved = f'<text class="mn-svg-headline" x="{x + w / 2:g}" y="{y + h + HEADLINE_Y:g}">'
        out = _HEADLINE.sub(moved, out, count=1)
    return out
