"""Number lines in the real classroom app: Voila, a kernel, and Chromium."""

from __future__ import annotations

import pytest
from conftest import assert_touch_targets, mouse_drag, save_screenshot, touch_drag
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

BOARD = ".mn-board >> nth=0"
NOTEBOOK = "notebooks/number-line.ipynb"
MINUS = "\u2212"


def headline(page: Page):
    return page.locator(BOARD).locator(".mn-headline")


def number_at(page: Page, text: str) -> tuple[float, float]:
    """Where the line's number `text` is on the screen (its centre)."""
    texts = page.locator(BOARD).locator(".nl-numbers text")
    shown = texts.evaluate_all("nodes => nodes.map(t => t.textContent)")
    box = texts.nth(shown.index(text)).bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def point_centre(page: Page, n: int) -> tuple[float, float]:
    box = page.locator(BOARD).locator(".mn-piece:has(.nl-point) .nl-point > circle").nth(n).bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def grip_centre(page: Page, n: int) -> tuple[float, float]:
    box = page.locator(BOARD).locator(".mn-piece:has(.nl-point) .nl-grip circle").nth(n).bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def test_a_dragged_point_snaps_to_a_tick_and_the_difference_follows(open_notebook):
    page = open_notebook(NOTEBOOK)
    expect(headline(page)).to_have_text(f"5 {MINUS} ({MINUS}3) = 8")
    x2, _ = number_at(page, "2")
    x3, _ = number_at(page, "3")
    start = point_centre(page, 1)  # the point at 5
    mouse_drag(page, start, (x2 + 0.3 * (x3 - x2), start[1] - 10))  # let go between 2 and 3, nearer 2
    expect(headline(page)).to_have_text(f"2 {MINUS} ({MINUS}3) = 5")
    x, _ = point_centre(page, 1)
    assert x == pytest.approx(x2, abs=1.5), "the point sits on the tick of 2"
    page.locator(BOARD).get_by_role("button", name="Undo").click()
    expect(headline(page)).to_have_text(f"5 {MINUS} ({MINUS}3) = 8")


def test_a_jump_is_drawn_by_dragging_from_a_point(open_notebook, page):
    sent: list[str] = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda f: sent.append(str(f))))
    open_notebook(NOTEBOOK)
    x2, _ = number_at(page, "2")
    gx, gy = grip_centre(page, 0)  # the grip above −3
    page.mouse.move(gx, gy)
    page.mouse.down()
    for step in range(1, 16):
        page.mouse.move(gx + (x2 + 6 - gx) * step / 15, gy - 40 * (1 - abs(step - 8) / 8))
        if step == 8:
            assert page.locator(BOARD).locator(".nl-drawing").count() == 1, "the arc follows the finger"
    page.mouse.up()
    expect(headline(page)).to_have_text(f"{MINUS}3 + 5 = 2")
    expect(page.locator(BOARD).locator(".nl-jump")).to_have_count(1)
    assert page.locator(BOARD).locator(".nl-drawing").count() == 0
    assert page.locator(BOARD).locator(".nl-jump .nl-jump-label").text_content() == "+5"
    assert len([f for f in sent if '"jump_to"' in f]) == 1 and not [f for f in sent if '"update"' in f]
    # and on from the jump's end: a chain, read as one calculation
    box = page.locator(BOARD).locator(".nl-jump .nl-grip circle").bounding_box()
    x0, _ = number_at(page, "0")
    mouse_drag(page, (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2), (x0, box["y"]))
    expect(headline(page)).to_have_text(f"{MINUS}3 + 5 {MINUS} 2 = 0")
    page.mouse.move(5, 5)
    save_screenshot(page, "number-line-jumps")


def test_keyboard_moves_a_point_tick_by_tick_and_jumps(open_notebook):
    page = open_notebook(NOTEBOOK)
    page.locator(BOARD).get_by_role("button", name="Put the board back as it started").focus()
    page.keyboard.press("Tab")  # into the board: the first point
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == f"point at {MINUS}3"
    page.keyboard.press("ArrowRight")
    expect(headline(page)).to_have_text(f"5 {MINUS} ({MINUS}2) = 7")
    page.keyboard.press("ArrowLeft")
    expect(headline(page)).to_have_text(f"5 {MINUS} ({MINUS}3) = 8")
    page.keyboard.press("Shift+ArrowLeft")  # a bigger step of the hand is still one tick
    expect(headline(page)).to_have_text(f"5 {MINUS} ({MINUS}4) = 9")
    page.keyboard.press(" ")  # select it, then Jump by a typed amount
    page.locator(BOARD).get_by_role("button", name="Jump from the selected point").click()
    page.locator(BOARD).locator(".mn-ask-input").fill("6")
    page.locator(BOARD).locator(".mn-ask-input").press("Enter")
    expect(headline(page)).to_have_text(f"{MINUS}4 + 6 = 2")


def test_a_touch_drag_moves_a_point(open_notebook, page):
    open_notebook(NOTEBOOK)
    x0, y0 = point_centre(page, 0)  # −3
    x1, _ = number_at(page, "1")
    touch_drag(page, (x0, y0), (x1 + 5, y0))
    expect(headline(page)).to_have_text(f"5 {MINUS} 1 = 4")


def test_zoom_in_and_out_from_the_toolbar(open_notebook):
    page = open_notebook(NOTEBOOK)
    board = page.locator(BOARD)
    assert_touch_targets(board)
    board.get_by_role("button", name="Zoom in (about the selected point)").click()
    expect(board.locator(".nl-numbers text")).to_have_count(9)  # −4 to 4: half the line
    board.get_by_role("button", name="Move along the line to the right").click()
    expect(board.locator(".nl-numbers text").first).to_have_text("0")
    expect(board.locator(".nl-off")).to_have_count(1)  # −3 is out of view, waiting at the end
    board.get_by_role("button", name="Zoom out").click()
    expect(board.locator(".nl-numbers text")).to_have_count(17)


def test_numbers_never_overlap_on_screen_and_read_from_the_back(open_notebook):
    page = open_notebook(NOTEBOOK)
    boards = page.locator(".mn-board")
    expect(boards).to_have_count(3)
    for n in range(3):
        tab = page.get_by_role("tab", name=f"Part {n + 1}")
        if tab.count():  # the classroom shows one board at a time when they do not fit together
            tab.first.click()
        expect(boards.nth(n)).to_be_visible()
        boxes = (
            boards.nth(n)
            .locator(".nl-numbers text")
            .evaluate_all(
                "nodes => nodes.map(t => { const b = t.getBoundingClientRect(); return [b.left, b.right, b.height]; })"
            )
        )
        assert len(boxes) >= 2
        for (_, right, _), (left, _, _) in zip(boxes, boxes[1:], strict=False):
            assert right < left, "two numbers on the line overlap"
    tab = page.get_by_role("tab", name="Part 1")
    if tab.count():
        tab.first.click()
    size = page.locator(BOARD).locator(".nl-numbers text").first.evaluate("t => t.getBoundingClientRect().height")
    assert size >= 28, "the line's numbers read from the back of the room"
    page.locator(BOARD).scroll_into_view_if_needed()
    page.mouse.move(5, 5)
    save_screenshot(page, "number-line-board")
