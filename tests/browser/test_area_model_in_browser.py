"""Area models in the real classroom app: Voila, a kernel, and Chromium."""

from __future__ import annotations

import pytest
from conftest import assert_touch_targets, mouse_drag, save_screenshot, touch_drag
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

BOARD = ".mn-board >> nth=0"
NOTEBOOK = "notebooks/area-model.ipynb"


def headline(page: Page):
    return page.locator(BOARD).locator(".mn-headline")


def ring(page: Page, side: str) -> tuple[float, float]:
    """The centre of a partition's ring on the screen: side is "across" (below) or "down" (right)."""
    rings = page.locator(BOARD).locator(".mn-piece .am-grip")
    boxes = [rings.nth(n).bounding_box() for n in range(rings.count())]
    outline = page.locator(BOARD).locator(".am-outline").bounding_box()
    below = [b for b in boxes if b["y"] > outline["y"] + outline["height"]]
    right = [b for b in boxes if b["x"] > outline["x"] + outline["width"]]
    box = (below if side == "across" else right)[0]
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def across_at(page: Page, value: float, length: float) -> float:
    """Where `value` along the top side (of `length`) is on the screen."""
    outline = page.locator(BOARD).locator(".am-outline").bounding_box()
    return outline["x"] + outline["width"] * value / length


def test_a_dragged_partition_splits_the_side_differently_and_the_cells_follow(open_notebook):
    page = open_notebook(NOTEBOOK)
    expect(headline(page)).to_have_text("23 × 14 = 200 + 30 + 80 + 12 = 322")
    start = ring(page, "across")
    mouse_drag(page, start, (across_at(page, 15.3, 23), start[1] + 12))  # let go nearer 15 than 16, a little low
    expect(headline(page)).to_have_text("23 × 14 = 150 + 80 + 60 + 32 = 322")
    x, y = ring(page, "across")
    assert x == pytest.approx(across_at(page, 15, 23), abs=1.5), "the partition sits on 15"
    assert y == pytest.approx(start[1], abs=1), "and its ring back below the rectangle"
    texts = page.locator(BOARD).locator(".am-edges text").all_text_contents()
    assert texts == ["15", "8", "10", "4", "×"], "the top's parts are labelled afresh"
    page.locator(BOARD).get_by_role("button", name="Undo").click()
    expect(headline(page)).to_have_text("23 × 14 = 200 + 30 + 80 + 12 = 322")
    page.mouse.move(5, 5)
    save_screenshot(page, "area-model-board")


def test_a_partition_dragged_off_the_end_by_touch_goes(open_notebook, page):
    open_notebook(NOTEBOOK)
    x, y = ring(page, "down")
    outline = page.locator(BOARD).locator(".am-outline").bounding_box()
    touch_drag(page, (x, y), (x, outline["y"] + outline["height"] + 30))
    expect(headline(page)).to_have_text("23 × 14 = 280 + 42 = 322")
    expect(page.locator(BOARD).locator(".mn-piece .am-grip")).to_have_count(1)


def test_keyboard_moves_a_partition_step_by_step_and_split_adds_one(open_notebook):
    page = open_notebook(NOTEBOOK)
    board = page.locator(BOARD)
    assert_touch_targets(board)
    board.get_by_role("button", name="Put the board back as it started").focus()
    page.keyboard.press("Tab")  # into the board: the first partition
    name = page.evaluate("document.activeElement.getAttribute('aria-label')")
    assert name == "partition of the top (23) after 20, with 3 after it"
    page.keyboard.press("ArrowLeft")
    expect(headline(page)).to_have_text("23 × 14 = 190 + 40 + 76 + 16 = 322")
    page.keyboard.press("ArrowRight")
    expect(headline(page)).to_have_text("23 × 14 = 200 + 30 + 80 + 12 = 322")
    board.get_by_role("button", name="Split the side (14) in two").click()
    board.locator(".mn-ask-input").fill("7")
    board.locator(".mn-ask-input").press("Enter")
    expect(headline(page)).to_have_text("23 × 14 = 140 + 21 + 60 + 9 + 80 + 12 = 322")


def test_an_expression_is_drawn_by_its_terms_and_says_it_is_not_to_scale(open_notebook):
    page = open_notebook(NOTEBOOK)
    boards = page.locator(".mn-board")
    expect(boards).to_have_count(4)  # the free board, the decimal, the expansion and the array
    tab = page.get_by_role("tab", name="Part 3")
    if tab.count():  # the classroom shows one board at a time when they do not fit together
        tab.first.click()
    expand = boards.nth(2)
    expect(expand.locator(".mn-headline")).to_have_text("(x + 3)(x + 2) = x² + 3x + 2x + 6 = x² + 5x + 6")
    expect(expand.locator(".am-note")).to_have_text("Not to scale")
    size = expand.locator(".am-product").first.evaluate("t => t.getBoundingClientRect().height")
    assert size >= 28, "the cells read from the back of the room"
    expand.scroll_into_view_if_needed()
    page.mouse.move(5, 5)
    save_screenshot(page, "area-model-expand")
