"""Dice in the real classroom app: Voila, a kernel, and Chromium."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from conftest import save_screenshot
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

BOARD = ".mn-board >> nth=0"


def drawn_faces(page: Page) -> list[int]:
    """The pips drawn on each die, in the board's order: what a pupil counts."""
    dice = page.locator(BOARD).locator(".mn-piece").all()
    return [die.locator(".die circle").count() for die in dice]


def headline(page: Page) -> str:
    return page.locator(BOARD).locator(".mn-headline").inner_text()


def facts(page: Page) -> dict[str, str]:
    rows = page.locator(BOARD).locator(".mn-fact").all()
    return {r.locator(".mn-fact-name").inner_text(): r.locator(".mn-fact-value").inner_text() for r in rows}


def rolls_and_python_answers(page: Page, roll: Callable[[], None], dice: int = 1) -> None:
    """Roll, and wait for Python's count of rolls to go up (a roll may show the same face again)."""
    before = int(facts(page)["rolls"])
    roll()
    rolls = page.locator(BOARD).locator(".mn-fact", has_text="rolls").locator(".mn-fact-value")
    expect(rolls).to_have_text(str(before + dice))


def assert_the_readout_is_what_is_drawn(page: Page) -> None:
    faces = drawn_faces(page)  # the dice stand in one row, in the order they were put out
    assert all(1 <= face <= 6 for face in faces), faces
    assert headline(page) == " + ".join(map(str, faces)) + f" = {sum(faces)}"
    assert facts(page)["total"] == str(sum(faces)) and facts(page)["dice"] == str(len(faces))


def test_a_tap_rolls_a_die_and_python_reads_the_new_face(open_notebook):
    page = open_notebook("notebooks/dice.ipynb")
    assert_the_readout_is_what_is_drawn(page)
    other = drawn_faces(page)[1]
    first = page.locator(BOARD).locator(".mn-piece >> nth=0")
    rolls_and_python_answers(page, first.click)
    assert_the_readout_is_what_is_drawn(page)
    assert drawn_faces(page)[1] == other, "a tap rolls only the die tapped"
    assert first.get_attribute("aria-label") == f"die showing {drawn_faces(page)[0]}"
    save_screenshot(page, "dice-board")


def test_the_keyboard_rolls_a_die(open_notebook):
    page = open_notebook("notebooks/dice.ipynb")
    page.locator(BOARD).get_by_role("button", name="Put the board back as it started").focus()
    page.keyboard.press("Tab")  # from the toolbar into the board: the first die
    assert page.evaluate("document.activeElement.getAttribute('aria-label')").startswith("die showing")
    rolls_and_python_answers(page, lambda: page.keyboard.press("Enter"))
    assert_the_readout_is_what_is_drawn(page)


def test_the_toolbar_adds_a_die_and_rolls_them_all(open_notebook):
    page = open_notebook("notebooks/dice.ipynb")
    board = page.locator(BOARD)
    board.get_by_role("button", name="Add a die to the board").click()
    expect(board.locator(".mn-fact", has_text="dice").locator(".mn-fact-value")).to_have_text("3")
    assert_the_readout_is_what_is_drawn(page)
    rolls_and_python_answers(page, board.get_by_role("button", name="Roll every die").click, dice=3)
    assert_the_readout_is_what_is_drawn(page)
    save_screenshot(page, "dice-three")
