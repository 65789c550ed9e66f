"""The double number line in the real classroom app: Voila, a kernel, and Chromium at 1920 x 1080."""

from __future__ import annotations

import pytest
from conftest import assert_touch_targets, mouse_drag, save_screenshot, touch_drag
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

BOARD = ".mn-board >> nth=0"  # the free board: 300 g of flour for 4 people
NOTEBOOK = "notebooks/double-number-line.ipynb"


def facts(page: Page):
    return page.locator(BOARD).locator(".mn-facts")


def number_at(page: Page, line: str, text: str) -> tuple[float, float]:
    """Where a line's number `text` is on the screen (its centre)."""
    texts = page.locator(BOARD).locator(f".dnl-{line} .nl-numbers text")
    shown = texts.evaluate_all("nodes => nodes.map(t => t.textContent)")
    box = texts.nth(shown.index(text)).bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def dot(page: Page, name: str):
    """The dot of a point by what a screen reader calls it, such as "2 people, with 150 g"."""
    return page.locator(BOARD).locator(f'.mn-piece[aria-label^="{name}"] .dnl-dot')


def centre(locator) -> tuple[float, float]:
    box = locator.bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def add_on(page: Page, line_name: str, typed: str) -> None:
    """The toolbar's + button for a line, and a value typed for it; waits for Python's new point."""
    board = page.locator(BOARD)
    dots = board.locator(".dnl-dot")
    before = dots.count()
    board.get_by_role("button", name=f"Add a value of {line_name}").click()
    board.locator(".mn-ask-input").fill(typed)
    board.locator(".mn-ask-input").press("Enter")
    expect(dots).to_have_count(before + 2, timeout=30_000)  # a kernel's first action on a busy machine


def test_a_dot_dragged_along_either_line_brings_its_partner_and_the_multipliers(open_notebook):
    page = open_notebook(NOTEBOOK)
    board = page.locator(BOARD)
    expect(board.locator(".mn-headline")).to_have_text("people × 75 = flour")
    expect(facts(page)).to_contain_text("1 person : 75 g")
    add_on(page, "people", "2")
    expect(facts(page)).to_contain_text("from 4 to 2 people is × 0.5, so 300 g × 0.5 = 150 g")
    # by mouse, along the people line: let go nearer 6 than 7, and a little off the line
    x6, _ = number_at(page, "bottom", "6")
    x7, _ = number_at(page, "bottom", "7")
    start = centre(dot(page, "2 people"))
    mouse_drag(page, start, (x6 + 0.3 * (x7 - x6), start[1] + 12))
    expect(facts(page)).to_contain_text("from 4 to 6 people is × 1.5, so 300 g × 1.5 = 450 g")
    expect(board.locator('.mn-piece[aria-label="450 g, with 6 people"] .dnl-value')).to_have_text("450")
    top_x, _ = centre(dot(page, "450 g"))
    assert top_x == pytest.approx(x6, abs=1.5), "the partner stands over the tick of 6"
    page.mouse.move(5, 5)
    board.evaluate('board => board.scrollIntoView({block: "end"})')
    save_screenshot(page, "double-number-line-board")
    # Undo is the engine's: the point goes back to 2 people
    board.get_by_role("button", name="Undo").click()
    expect(facts(page)).to_contain_text("from 4 to 2 people is × 0.5")


def test_a_touch_drag_along_the_top_line_puts_the_exact_partner_below(open_notebook, page):
    open_notebook(NOTEBOOK)
    add_on(page, "flour (g)", "100")
    expect(facts(page)).to_contain_text("300 g × 1/3 = 100 g")  # a third: exact, never 0.333...
    x600, _ = number_at(page, "top", "600")
    start = centre(dot(page, "100 g"))
    touch_drag(page, start, (x600 + 3, start[1]))
    expect(facts(page)).to_contain_text("from 4 to 8 people is × 2, so 300 g × 2 = 600 g")
    expect(page.locator(BOARD).locator('.mn-piece[aria-label="8 people, with 600 g"]')).to_have_count(1)


def test_keyboard_alone_adds_moves_and_shows_the_table(open_notebook):
    page = open_notebook(NOTEBOOK)
    board = page.locator(BOARD)
    assert_touch_targets(board)
    board.get_by_role("button", name="Put the board back as it started").focus()
    page.keyboard.press("Shift+Tab")  # back along the toolbar to + people
    for _ in range(12):
        if page.evaluate("document.activeElement.textContent") == "+ people":
            break
        page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")
    page.keyboard.type("3")
    page.keyboard.press("Enter")
    expect(facts(page)).to_contain_text("from 4 to 3 people is × 0.75", timeout=30_000)
    board.get_by_role("button", name="Put the board back as it started").focus()
    for _ in range(8):  # Tab into the board, to the new point's dot on the people line
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('aria-label') || ''").startswith("3 people"):
            break
    page.keyboard.press("ArrowRight")
    expect(facts(page)).to_contain_text("from 4 to 4 people is × 1")
    page.keyboard.press("ArrowRight")
    expect(facts(page)).to_contain_text("from 4 to 5 people is × 1.25, so 300 g × 1.25 = 375 g")
    board.get_by_role("button", name="Show the pairs as a ratio table").click()
    expect(board.locator(".dnl-cell")).to_have_count(4)  # the given pair and the one added, as columns
    expect(board.locator(".dnl-table .dnl-multiplier").first).to_be_visible()
    page.mouse.move(5, 5)
    board.evaluate('board => board.scrollIntoView({block: "end"})')
    save_screenshot(page, "double-number-line-table")
