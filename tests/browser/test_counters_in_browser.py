"""Two-sided counters in the real classroom app: Voila, a kernel, and Chromium."""

from __future__ import annotations

import re

import pytest
from conftest import save_screenshot, touch_drag
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

BOARD = ".mn-board >> nth=0"
MINUS = "\u2212"


def facts(page: Page) -> dict[str, str]:
    """The readout of the first board, as a pupil reads it."""
    rows = page.locator(BOARD).locator(".mn-fact").all()
    return {r.locator(".mn-fact-name").inner_text(): r.locator(".mn-fact-value").inner_text() for r in rows}


def centre(page: Page, selector: str) -> tuple[float, float]:
    box = page.locator(BOARD).locator(selector).first.bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def counter(sign: str, n: int = 0) -> str:
    return f".mn-piece:has(.counter.{sign}) >> nth={n}"


def wait_for_fact(page: Page, name: str, value: str) -> None:
    row = page.locator(BOARD).locator(".mn-fact", has_text=name)
    expect(row.locator(".mn-fact-value")).to_have_text(value)


def test_dragging_a_positive_onto_a_negative_takes_off_a_zero_pair(open_notebook):
    page = open_notebook("notebooks/counters.ipynb")
    assert facts(page) == {"positive counters": "3", "negative counters": "5", "zero pairs": "3", "value": f"{MINUS}2"}
    save_screenshot(page, "counters-board")
    updates = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda f: updates.append(f) if '"update"' in str(f) else None))

    x0, y0 = centre(page, counter("positive"))
    x1, y1 = centre(page, counter("negative", 2))
    page.mouse.move(x0, y0)
    page.mouse.down()
    for step in range(1, 21):  # twenty pointer moves, one gesture
        page.mouse.move(x0 + (x1 - x0) * step / 20, y0 + (y1 - y0) * step / 20)
    page.mouse.up()

    wait_for_fact(page, "positive counters", "2")
    assert facts(page) == {"positive counters": "2", "negative counters": "4", "zero pairs": "2", "value": f"{MINUS}2"}
    assert page.locator(BOARD).locator(".mn-piece").count() == 6  # both counters left the board
    expect(page.locator(BOARD).locator(".mn-headline")).to_have_text(f"2 + ({MINUS}4) = {MINUS}2")

    page.locator(BOARD).get_by_role("button", name="Undo").click()
    wait_for_fact(page, "positive counters", "3")
    assert page.locator(BOARD).locator(".mn-piece").count() == 8
    page.locator(BOARD).get_by_role("button", name="Redo").click()
    wait_for_fact(page, "positive counters", "2")


def test_a_drag_is_sent_to_python_once_when_it_ends(open_notebook, page):
    sent: list[str] = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda payload: sent.append(str(payload))))
    open_notebook("notebooks/counters.ipynb")
    x0, y0 = centre(page, counter("positive", 2))
    page.mouse.move(x0, y0)
    page.mouse.down()
    before = len([s for s in sent if '"method":"update"' in s.replace(" ", "")])
    for step in range(1, 31):
        page.mouse.move(x0 + 10 * step, y0 + 8 * step)
    during = len([s for s in sent if '"method":"update"' in s.replace(" ", "")])
    page.mouse.up()
    expect(page.locator(BOARD).locator(".mn-headline")).to_have_text(f"3 + ({MINUS}5) = {MINUS}2")
    page.wait_for_timeout(300)
    after = len([s for s in sent if '"method":"update"' in s.replace(" ", "")])
    assert during == before, "no state is sent while the pointer moves"
    assert after == before + 1, "one update is sent when the drag ends"


def test_keyboard_flips_moves_and_removes_a_counter(open_notebook):
    page = open_notebook("notebooks/counters.ipynb")
    page.locator(BOARD).get_by_role("button", name="Put the board back as it started").focus()
    page.keyboard.press("Tab")  # from the toolbar into the board: the first counter
    focused = page.evaluate("document.activeElement.getAttribute('aria-label')")
    assert focused.startswith("positive counter")
    page.keyboard.press("Enter")
    wait_for_fact(page, "value", f"{MINUS}4")  # one +1 became a -1: the value fell by two
    assert facts(page)["positive counters"] == "2" and facts(page)["negative counters"] == "6"

    page.keyboard.press("Tab")  # the next counter, a +1
    before = page.evaluate("document.activeElement.getAttribute('transform')")
    page.keyboard.press("Shift+ArrowDown")  # three rows down, to an empty row
    after = page.evaluate("document.activeElement.getAttribute('transform')")
    assert after != before, "arrows move the focused counter"
    assert facts(page)["value"] == f"{MINUS}4", "moving a counter to an empty place keeps the value"

    page.keyboard.press("Delete")
    wait_for_fact(page, "positive counters", "1")
    page.keyboard.press("Control+z")
    wait_for_fact(page, "positive counters", "2")


def test_a_touch_drag_makes_a_zero_pair(open_notebook, page):
    open_notebook("notebooks/counters.ipynb")
    x0, y0 = centre(page, counter("negative", 4))
    x1, y1 = centre(page, counter("positive", 1))
    touch_drag(page, (x0, y0), (x1, y1))
    wait_for_fact(page, "negative counters", "4")
    assert facts(page)["positive counters"] == "2" and facts(page)["value"] == f"{MINUS}2"


def test_a_tap_flips_a_counter(open_notebook):
    page = open_notebook("notebooks/counters.ipynb")
    page.locator(BOARD).locator(counter("negative", 0)).click()
    wait_for_fact(page, "value", "0")
    assert facts(page)["positive counters"] == "4"


def test_toolbar_adds_counters_and_takes_off_zero_pairs(open_notebook):
    page = open_notebook("notebooks/counters.ipynb")
    board = page.locator(BOARD)
    for button in board.locator(".mn-tool").all():
        box = button.bounding_box()
        assert box["width"] >= 44 and box["height"] >= 44, "touch targets are at least 44 px"
    board.get_by_role("button", name="Add a positive counter").click()
    wait_for_fact(page, "positive counters", "4")
    board.get_by_role("button", name="Take every zero pair off the board").click()
    wait_for_fact(page, "zero pairs", "0")
    assert facts(page) == {"positive counters": "0", "negative counters": "1", "zero pairs": "0", "value": f"{MINUS}1"}
    board.get_by_role("button", name="Put the board back as it started").click()
    wait_for_fact(page, "negative counters", "5")


def test_a_lasso_selects_and_removes_several(open_notebook):
    page = open_notebook("notebooks/counters.ipynb")
    svg = page.locator(BOARD).locator(".mn-svg").bounding_box()
    page.mouse.move(svg["x"] + 5, svg["y"] + 5)
    page.mouse.down()
    page.mouse.move(svg["x"] + svg["width"] * 0.6, svg["y"] + svg["height"] * 0.15, steps=8)  # the row of +1s
    page.mouse.up()
    assert page.locator(BOARD).locator(".mn-selected").count() == 3
    page.locator(BOARD).get_by_role("button", name="Remove the selected pieces").click()
    wait_for_fact(page, "positive counters", "0")
    assert facts(page)["negative counters"] == "5"


def test_a_label_holding_markup_shows_as_text(open_notebook, page):
    open_notebook("tests/notebooks/counters_markup.ipynb")
    label = page.locator(BOARD).locator(".mn-label")
    expect(label).to_have_text('<img src=x onerror="window.__pwned=1">')
    assert page.locator(BOARD).locator("img").count() == 0
    assert page.evaluate("window.__pwned") is None


def test_the_board_fills_a_whiteboard_and_reads_large(open_notebook):
    page = open_notebook("notebooks/counters.ipynb")
    svg = page.locator(BOARD).locator(".mn-svg").bounding_box()
    # As large as the screen allows with the words above it, and all of it on the screen (no scrolling).
    assert svg["width"] > 950, "the board uses the width of a 1920 px whiteboard"
    assert svg["y"] + svg["height"] <= 1080, "the whole board is on the screen"
    headline = page.locator(BOARD).locator(".mn-headline")
    size = float(re.sub("px", "", headline.evaluate("e => getComputedStyle(e).fontSize")))
    assert size >= 40, "the abstract form reads from the back of the room"


def test_the_keyboard_stays_on_the_board_when_its_piece_leaves_as_a_zero_pair(open_notebook):
    page = open_notebook("notebooks/counters.ipynb")
    first = page.locator(BOARD).locator(counter("positive", 0))
    first.focus()
    page.keyboard.press("ArrowDown")  # onto the negative counter under it: a zero pair, both leave
    wait_for_fact(page, "zero pairs", "2")
    inside = page.evaluate("() => !!document.activeElement.closest('.mn-board .mn-svg')")
    assert inside, "the keyboard is still on the board, on a piece near where the pair was"
    page.keyboard.press("Enter")  # and goes on working: Enter flips the piece it is on
    expect(page.locator(BOARD).locator(".mn-headline")).not_to_have_text(f"2 + ({MINUS}4) = {MINUS}2")


def test_undo_after_two_taps_on_one_counter_steps_back_one_tap(open_notebook):
    # The second tap puts the board back as it was before the first: it is a step all the same.
    page = open_notebook("notebooks/counters.ipynb")
    page.locator(BOARD).locator(counter("negative", 0)).click()
    wait_for_fact(page, "positive counters", "4")
    page.locator(BOARD).locator(counter("positive", 3)).click()
    wait_for_fact(page, "positive counters", "3")
    page.locator(BOARD).get_by_role("button", name="Undo").click()
    wait_for_fact(page, "positive counters", "4")  # one tap back, not two
