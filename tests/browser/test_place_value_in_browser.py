"""Place value in the real classroom app: Voila, a kernel, and Chromium at 1920 x 1080."""

from __future__ import annotations

import re

import pytest
from conftest import assert_touch_targets, save_screenshot, touch_drag
from conftest import mouse_drag as drag
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

NOTEBOOK = "notebooks/place-value.ipynb"
BOARD = ".mn-board >> nth=0"  # the free board: 352
ANSWER = 20_000  # ms to wait for Python's answer: a kernel on a busy machine can take seconds


def headline(page: Page):
    return page.locator(BOARD).locator(".mn-headline")


def counters(page: Page, worth: str):
    """The counters of one column by what a screen reader calls them, such as "counter worth 10"."""
    return page.locator(BOARD).locator(f'.mn-piece[aria-label^="counter worth {worth},"]')


def centre(locator) -> tuple[float, float]:
    box = locator.bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def column_x(page: Page, heading: str) -> float:
    """Where a column's heading is across the screen: the column's middle."""
    return centre(page.locator(BOARD).locator(".pv-heading", has_text=re.compile(f"^{heading}$")))[0]


def test_a_counter_dragged_right_is_exchanged_and_ten_dragged_left_are_regrouped(open_notebook):
    page = open_notebook(NOTEBOOK)
    expect(headline(page)).to_have_text("3 hundreds + 5 tens + 2 ones = 352", timeout=ANSWER)
    x, y = centre(counters(page, "10").first)
    drag(page, (x, y), (column_x(page, "Ones"), y + 40))
    expect(headline(page)).to_have_text("3 hundreds + 4 tens + 12 ones = 352", timeout=ANSWER)
    expect(counters(page, "1")).to_have_count(12, timeout=ANSWER)
    page.mouse.move(5, 5)
    # As a teacher shows it: the whole board and its toolbar, mid-way through an exchange.
    page.locator(BOARD).evaluate('board => board.scrollIntoView({block: "end"})')
    save_screenshot(page, "place-value-board")

    # Drag round the first ten ones (two rows of five), then drag them together one column left.
    ones = counters(page, "1")
    first, tenth = ones.nth(0).bounding_box(), ones.nth(9).bounding_box()
    drag(page, (first["x"] - 12, first["y"] - 12), (tenth["x"] + tenth["width"] + 12, tenth["y"] + tenth["height"] + 6))
    expect(page.locator(BOARD).locator(".mn-piece.mn-selected")).to_have_count(10, timeout=ANSWER)
    x, y = centre(ones.nth(4))
    drag(page, (x, y), (x - (column_x(page, "Ones") - column_x(page, "Tens")), y))
    expect(headline(page)).to_have_text("3 hundreds + 5 tens + 2 ones = 352", timeout=ANSWER)

    page.locator(BOARD).get_by_role("button", name="Undo").click()
    expect(headline(page)).to_have_text("3 hundreds + 4 tens + 12 ones = 352", timeout=ANSWER)


def test_a_drop_that_is_not_a_regroup_is_refused_and_says_why(open_notebook):
    page = open_notebook(NOTEBOOK)
    x, y = centre(counters(page, "1").first)
    drag(page, (x, y), (column_x(page, "Tens"), y))
    expect(page.locator(BOARD).locator(".mn-message")).to_contain_text("Ten ones make one ten", timeout=ANSWER)
    expect(headline(page)).to_have_text("3 hundreds + 5 tens + 2 ones = 352", timeout=ANSWER)
    expect(counters(page, "1")).to_have_count(2, timeout=ANSWER)


def test_a_touch_drag_exchanges_a_hundred(open_notebook, page):
    open_notebook(NOTEBOOK)
    x, y = centre(counters(page, "100").first)
    touch_drag(page, (x, y), (column_x(page, "Tens"), y + 30))
    expect(headline(page)).to_have_text("2 hundreds + 15 tens + 2 ones = 352", timeout=ANSWER)
    expect(counters(page, "10")).to_have_count(15, timeout=ANSWER)


def test_the_keyboard_alone_exchanges_and_regroups(open_notebook):
    page = open_notebook(NOTEBOOK)
    page.locator(BOARD).get_by_role("button", name="Put the board back as it started").focus()
    page.keyboard.press("Tab")  # from the toolbar into the board: the first hundred
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "counter worth 100, in the hundreds"
    page.keyboard.press("ArrowRight")  # one column to the right: exchanged
    expect(headline(page)).to_have_text("2 hundreds + 15 tens + 2 ones = 352", timeout=ANSWER)
    assert page.evaluate("document.activeElement.getAttribute('aria-label')").startswith("counter worth"), (
        "the keyboard stays in the board"
    )
    tens = counters(page, "10")  # select ten tens with Space, then move them one column left
    for n in range(10):
        tens.nth(n).focus()
        page.keyboard.press(" ")
    expect(page.locator(BOARD).locator(".mn-piece.mn-selected")).to_have_count(10, timeout=ANSWER)
    page.keyboard.press("ArrowLeft")
    expect(headline(page)).to_have_text("3 hundreds + 5 tens + 2 ones = 352", timeout=ANSWER)


def test_the_toolbar_exchanges_and_adds(open_notebook):
    page = open_notebook(NOTEBOOK)
    board = page.locator(BOARD)
    assert_touch_targets(board)
    counters(page, "1").first.click()  # a tap selects
    board.get_by_role("button", name=re.compile("^Exchange")).click()
    expect(board.locator(".mn-message")).to_contain_text("no column to the right of the ones", timeout=ANSWER)
    counters(page, "1").first.click()  # a second tap lets it go
    counters(page, "10").first.click()
    board.get_by_role("button", name=re.compile("^Exchange")).click()
    expect(headline(page)).to_have_text("3 hundreds + 4 tens + 12 ones = 352", timeout=ANSWER)
    board.get_by_role("button", name="Add a counter to a column").click()
    board.locator(".mn-ask-input").fill("100")
    board.locator(".mn-ask").get_by_role("button", name="OK").click()
    expect(headline(page)).to_have_text("4 hundreds + 4 tens + 12 ones = 452", timeout=ANSWER)


def test_the_board_reads_from_the_back_of_the_room(open_notebook):
    page = open_notebook(NOTEBOOK)
    svg = page.locator(BOARD).locator(".mn-svg").bounding_box()
    assert svg["width"] > 800 and svg["height"] <= 1080, "the board fills the whiteboard, on one screen"
    worth = counters(page, "100").first.locator("text").bounding_box()
    assert worth["height"] >= 24, "a counter's value reads from the back of the room"
    heading = page.locator(BOARD).locator(".pv-heading").first.bounding_box()
    assert heading["height"] >= 36, "a column's name reads from the back of the room"
    size = float(re.sub("px", "", headline(page).evaluate("e => getComputedStyle(e).fontSize")))
    assert size >= 32, "the abstract form reads from the back of the room"
