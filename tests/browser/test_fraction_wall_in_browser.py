"""The fraction wall in the real classroom app: Voila, a kernel, and Chromium at 1920 x 1080."""

from __future__ import annotations

import re

import pytest
from conftest import assert_touch_targets, save_screenshot
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

NOTEBOOK = "notebooks/fraction-wall.ipynb"
BOARD = ".mn-board >> nth=0"  # the free board: nothing shaded


def part(page: Page, name: str):
    """A part of the first wall by what a screen reader calls it, such as "1 sixth, part 2 of 6"."""
    return page.locator(BOARD).locator(f'.mn-piece[aria-label^="{name},"]')


def headline(page: Page):
    return page.locator(BOARD).locator(".mn-headline")


def centre(locator) -> tuple[float, float]:
    box = locator.bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def test_tapping_parts_shades_them_and_python_states_the_equal_fractions(open_notebook):
    page = open_notebook(NOTEBOOK)
    part(page, "1 half, part 1 of 2").click()
    expect(headline(page)).to_have_text("1/2")
    for n in (1, 2, 3):
        part(page, f"1 sixth, part {n} of 6").click()
        expect(page.locator(BOARD).locator(".mn-fact", has_text="sixths")).to_contain_text(f"{n}/6")
    for n in (1, 2, 3, 4):
        part(page, f"1 eighth, part {n} of 8").click()
    expect(headline(page)).to_have_text("1/2 = 3/6 = 4/8")
    part(page, "1 third, part 1 of 3").click()
    part(page, "1 third, part 2 of 3").click()
    expect(headline(page)).to_have_text("2/3 > 1/2 = 3/6 = 4/8")
    expect(part(page, "1 third, part 2 of 3")).to_have_attribute("aria-label", re.compile(", shaded$"))
    # As a teacher shows it: the whole wall and its toolbar, below the app's own header.
    page.locator(BOARD).evaluate('board => board.scrollIntoView({block: "end"})')
    save_screenshot(page, "fraction-wall-board")

    page.locator(BOARD).get_by_role("button", name="Undo").click()
    expect(headline(page)).to_have_text("1/2 = 3/6 = 4/8 > 1/3")
    page.locator(BOARD).get_by_role("button", name="Redo").click()
    expect(headline(page)).to_have_text("2/3 > 1/2 = 3/6 = 4/8")
    part(page, "1 third, part 2 of 3").click()  # a second tap clears it
    expect(headline(page)).to_have_text("1/2 = 3/6 = 4/8 > 1/3")


def test_a_touch_tap_shades_and_a_touch_drag_puts_the_part_back(open_notebook, page):
    open_notebook(NOTEBOOK)
    touch = page.context.new_cdp_session(page)
    touch.send("Emulation.setTouchEmulationEnabled", {"enabled": True, "maxTouchPoints": 5})

    def finger(kind: str, x: float, y: float) -> None:
        points = [] if kind == "touchEnd" else [{"x": x, "y": y, "id": 1}]
        touch.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})

    quarter = part(page, "1 quarter, part 3 of 4")
    x, y = centre(quarter)
    finger("touchStart", x, y)
    finger("touchEnd", x, y)
    expect(headline(page)).to_have_text("1/4")

    before = quarter.get_attribute("transform")
    finger("touchStart", x, y)
    for step in range(1, 11):  # drag it down three rows and aside
        finger("touchMove", x - 20 * step, y + 25 * step)
    finger("touchEnd", x - 200, y + 250)
    page.wait_for_timeout(300)  # Python's answer: the part back in its place
    expect(quarter).to_have_attribute("transform", before)
    expect(headline(page)).to_have_text("1/4")
    assert page.locator(BOARD).locator(".mn-message").is_hidden()


def test_the_keyboard_alone_shades_a_part(open_notebook):
    page = open_notebook(NOTEBOOK)
    page.locator(BOARD).get_by_role("button", name="Put the board back as it started").focus()
    page.keyboard.press("Tab")  # from the toolbar into the wall: the whole
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "the whole, not shaded"
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")  # the second half
    page.keyboard.press("Enter")
    expect(headline(page)).to_have_text("1/2")
    expect(part(page, "1 half, part 2 of 2")).to_have_attribute("aria-label", "1 half, part 2 of 2, shaded")
    assert "half, part 2 of 2" in page.evaluate("document.activeElement.getAttribute('aria-label')"), (
        "the keyboard stays on the part it shaded"
    )
    page.keyboard.press("ArrowDown")  # arrows move a piece on other boards; a wall's part goes back
    page.keyboard.press("Enter")
    expect(headline(page)).to_have_text("")
    expect(page.locator(BOARD).locator(".mn-spoken")).to_have_text("A fraction wall with nothing shaded.")


def test_a_mouse_drag_leaves_the_wall_a_wall(open_notebook):
    page = open_notebook(NOTEBOOK)
    tenth = part(page, "1 tenth, part 5 of 10")
    before = tenth.get_attribute("transform")
    x, y = centre(tenth)
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 300, y - 400, steps=12)
    page.mouse.up()
    expect(tenth).to_have_attribute("transform", before)
    expect(headline(page)).to_have_text("")


def test_the_toolbar_shades_every_equal_fraction_and_clears(open_notebook):
    page = open_notebook(NOTEBOOK)
    board = page.locator(BOARD)
    assert_touch_targets(board)
    board.get_by_role("button", name="Shade a fraction in every row that can show it").click()
    board.locator(".mn-ask-input").fill("2/3")
    board.locator(".mn-ask").get_by_role("button", name="OK").click()
    expect(headline(page)).to_have_text("2/3 = 4/6 = 8/12")
    board.get_by_role("button", name="Shade a fraction in every row that can show it").click()
    board.locator(".mn-ask-input").fill("1/7")
    board.locator(".mn-ask").get_by_role("button", name="OK").click()
    expect(board.locator(".mn-message")).to_contain_text("No row of this wall can show 1/7")
    expect(headline(page)).to_have_text("2/3 = 4/6 = 8/12")
    board.get_by_role("button", name="Clear the shading from every row").click()
    expect(headline(page)).to_have_text("")
    expect(board.locator(".mn-fact")).to_have_text(["shadednothing yet"])


def test_the_wall_reads_from_the_back_of_the_room(open_notebook):
    page = open_notebook(NOTEBOOK)
    svg = page.locator(BOARD).locator(".mn-svg").bounding_box()
    # the classroom fits the section to one screen: the whole wall shows, as wide as that allows
    assert svg["width"] > 800 and svg["y"] + svg["height"] <= 1080, "the wall fills the whiteboard, all on screen"
    twelfth = part(page, "1 twelfth, part 12 of 12")
    digits = twelfth.locator("text").last.bounding_box()
    assert digits["height"] >= 30, "a twelfth's label is as tall as a headline on a slide"
    assert twelfth.bounding_box()["width"] >= 1.6 * digits["width"], "the label sits well inside its part"
    size = float(re.sub("px", "", headline(page).evaluate("e => getComputedStyle(e).fontSize")))
    assert size >= 32, "the abstract form reads from the back of the room (the wall fitted to one screen)"
    part(page, "1 twelfth, part 1 of 12").click()
    expect(headline(page)).to_have_text("1/12")
