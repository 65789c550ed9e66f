"""What every board has from the engine, in Chromium: a pen over the board, and a readout that waits."""

from __future__ import annotations

import pytest
from conftest import save_screenshot
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

BOARD = ".mn-board >> nth=0"
NOTEBOOK = "tests/notebooks/board_pen_and_waiting.ipynb"


def test_the_board_waits_to_show_the_maths_until_someone_asks(open_notebook):
    page = open_notebook(NOTEBOOK)
    board = page.locator(BOARD)
    show = board.get_by_role("button", name="Show the maths")
    expect(show).to_be_visible()
    expect(board.locator(".mn-headline")).to_have_text("")
    assert "−2" not in board.inner_text()  # the answer is not on the page to be read ahead
    box = show.bounding_box()
    assert box["height"] >= 44, "Show the maths takes a finger"
    save_screenshot(page, "board-waiting")
    show.click()
    expect(board.locator(".mn-headline")).to_have_text("3 + (−5) = −2")
    expect(show).to_be_hidden()


def test_the_pen_writes_on_the_board_and_python_keeps_the_stroke(open_notebook, page):
    sent = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda f: sent.append(str(f))))
    open_notebook(NOTEBOOK)
    board = page.locator(BOARD)
    board.get_by_role("button", name="Pen").click()
    expect(board.get_by_role("button", name="Pen")).to_have_attribute("aria-pressed", "true")
    svg = board.locator(".mn-svg").bounding_box()
    x, y = svg["x"] + svg["width"] * 0.6, svg["y"] + svg["height"] * 0.6  # empty board, right of the counters
    page.mouse.move(x, y)
    page.mouse.down()
    for step in range(1, 21):
        page.mouse.move(x + 8 * step, y + (step % 5) * 6)
    page.mouse.up()
    expect(board.locator(".mn-ink-layer path.mn-ink:not(.mn-ink-live)")).to_have_count(1)  # Python's stroke
    assert len([f for f in sent if '"ink"' in f]) == 1, "one message per stroke"
    assert not [f for f in sent if '"update"' in f], "ink moved no piece"
    save_screenshot(page, "board-ink")
    board.get_by_role("button", name="Eraser").click()
    page.mouse.click(x + 80, y + 6 * 0)  # on the stroke
    expect(board.locator(".mn-ink-layer path")).to_have_count(0)
