"""A class's thumbnails: each board's pictures cropped to one frame that holds what every pupil drew."""

from __future__ import annotations

import re

from lessons.thumbnails import crop, drawn, enclosing, frame
from widgets import Counters, NumberLine


def view_of(svg: str) -> list[float]:
    return [float(v) for v in re.search(r'<svg\b[^>]*\sviewBox="([^"]*)"', svg).group(1).split()]


def headline_y(svg: str) -> float:
    return float(re.search(r'<text class="mn-svg-headline" x="[^"]*" y="([^"]*)"', svg).group(1))


def test_a_few_counters_fill_the_thumbnail_and_every_pupils_board_keeps_one_scale():
    few, more = Counters(positive=3, negative=5), Counters(positive=7, negative=1)
    box = frame([few.to_svg(), more.to_svg()])
    a, b = drawn(few.to_svg()), drawn(more.to_svg())
    assert box == [min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]) - box[0], max(a[3], b[3]) - box[1]]
    assert box[2] * box[3] < 0.3 * few.width * few.height, "the frame is most of an empty board"
    for board in (few, more):
        cropped = crop(board.to_svg(), box)
        x, y, w, h = view_of(cropped)
        assert [x, y, w] == box[:3] and h > box[3], "cropped to the frame, with room for the maths line"
        assert y + box[3] < headline_y(cropped) < y + h, "the maths line moved under the frame"
        assert cropped.count('<g class="mn-piece"') == len(board.pieces), "nothing is taken out"


def test_a_board_drawn_across_its_width_is_cropped_to_its_height_only():
    line = NumberLine(start=0, end=10)
    x, y, w, h = frame([line.to_svg()])
    assert w > 0.9 * line.width and h < 0.6 * line.height


def test_a_picture_that_does_not_say_what_it_drew_is_shown_whole():
    bare = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 960 604" width="960" height="604"><rect/></svg>'
    broken = bare.replace("<svg ", '<svg data-drawn="1 2 nan 4" ')
    backwards = bare.replace("<svg ", '<svg data-drawn="400 20 10 90" ')
    counters = Counters(positive=2).to_svg()
    assert drawn(bare) is None and drawn(broken) is None and drawn(backwards) is None
    assert frame([counters, broken]) is None and frame([]) is None
    assert crop(counters, None) == counters and crop("not a picture", [0, 0, 10, 10]) == "not a picture"


def test_a_frame_that_holds_two_frames():
    assert enclosing([10, 20, 100, 50], [0, 40, 60, 60]) == [0, 20, 110, 80]
    assert enclosing([10, 20, 100, 50], [30, 30, 10, 10]) == [10, 20, 100, 50]
