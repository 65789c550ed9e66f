"""Algebra tiles in real Chromium against a real Voila server: factorise by making a rectangle."""

from __future__ import annotations

import pytest
from conftest import save_screenshot
from playwright.sync_api import expect

from widgets.algebra_tiles import UNIT, X

pytestmark = pytest.mark.browser


def _to_screen(page, x: float, y: float) -> tuple[float, float]:
    """A point of the board (board units) in the page's pixels."""
    return page.evaluate(
        """([x, y]) => {
            const svg = document.querySelector(".mn-board .mn-svg");
            const p = svg.createSVGPoint();
            p.x = x; p.y = y;
            const q = p.matrixTransform(svg.getScreenCTM());
            return [q.x, q.y];
        }""",
        [x, y],
    )


def _centre(page, piece_id: str) -> tuple[float, float]:
    return page.evaluate(
        """(id) => {
            const node = document.querySelector(`.mn-board .mn-piece[data-id="${id}"]`);
            const m = node.transform.baseVal.consolidate().matrix;
            return [m.e, m.f];
        }""",
        piece_id,
    )


def _drag(page, piece_id: str, to: tuple[float, float]) -> None:
    """Press on a tile with the mouse, move it in steps, and let go with its centre at `to`."""
    start = _to_screen(page, *_centre(page, piece_id))
    end = _to_screen(page, *to)
    page.mouse.move(*start)
    page.mouse.down()
    page.mouse.move(start[0] + 12, start[1] + 12, steps=3)
    page.mouse.move(*end, steps=12)
    page.mouse.up()
    page.wait_for_function(
        """([id, x, y]) => {
            const node = document.querySelector(`.mn-board .mn-piece[data-id="${id}"]`);
            const m = node && node.transform.baseVal.consolidate().matrix;
            return m && Math.abs(m.e - x) < 3 && Math.abs(m.f - y) < 3;
        }""",
        arg=[piece_id, *to],
    )


def test_build_a_rectangle_by_dragging_and_read_the_factors(open_notebook):
    page = open_notebook("tests/notebooks/algebra_tiles_rectangle.ipynb")
    page.locator(".mn-board .mn-svg").scroll_into_view_if_needed()
    headline = page.locator(".mn-board .mn-headline")
    expect(headline).to_have_text("x² + 3x + 2")
    # The tiles as laid out: p1 is x², p2..p4 are x strips standing up, p5 and p6 are 1s.
    left, top = 480, 190
    col1, col2 = left + X + UNIT / 2, left + X + 3 * UNIT / 2
    row1, row2 = top + X / 2, top + X + UNIT / 2
    _drag(page, "p1", (left + X / 2, row1))
    _drag(page, "p2", (col1, row1))
    _drag(page, "p3", (col2, row1))
    # Turn the last strip a quarter turn (select it, press Rotate), then lay it under the x².
    page.keyboard.down("Shift")
    page.mouse.click(*_to_screen(page, *_centre(page, "p4")))
    page.keyboard.up("Shift")
    page.get_by_role("button", name="Turn the selected x tiles a quarter turn").click()
    page.wait_for_selector('.mn-piece[data-id="p4"][aria-label*="lying down"]')
    _drag(page, "p4", (left + X / 2, row2))
    expect(headline).not_to_contain_text("(")  # not a rectangle yet
    _drag(page, "p5", (col1, row2))
    _drag(page, "p6", (col2, row2))
    expect(headline).to_contain_text("(x + 1)(x + 2)")
    expect(page.locator(".mn-board .mn-facts")).to_contain_text("x + 2")  # the width
    save_screenshot(page, "algebra_tiles_rectangle")
    # Pull one tile away: the readout stops claiming a rectangle.
    _drag(page, "p6", (850, 480))
    expect(headline).to_have_text("x² + 3x + 2")


def test_product_frame_screenshot(open_notebook):
    page = open_notebook("tests/notebooks/algebra_tiles_product.ipynb")
    page.locator(".mn-board").scroll_into_view_if_needed()
    expect(page.locator(".mn-board .mn-headline")).to_have_text("(x + 2)(x + 3) = x² + 5x + 6")
    assert page.locator(".mn-board .mn-piece").count() == 12
    for button in page.locator(".mn-board .mn-tool").all():
        box = button.bounding_box()
        assert box and box["width"] >= 44 and box["height"] >= 44
    save_screenshot(page, "algebra_tiles_product")


def test_equation_mat_screenshot(open_notebook):
    page = open_notebook("tests/notebooks/algebra_tiles_equation.ipynb")
    page.locator(".mn-board").scroll_into_view_if_needed()
    headline = page.locator(".mn-board .mn-headline")
    expect(headline).to_have_text("3x − 2 = x + 6")
    save_screenshot(page, "algebra_tiles_equation_start")
    page.get_by_role("button", name="Both sides mode: new tiles go on both sides of the equation").click()
    expect(page.locator(".mn-board .mn-tool.mn-on")).to_have_text("Both sides: on")
    page.get_by_role("button", name="Add a negative x tile").click()
    page.get_by_role("button", name="Add a one tile").click()
    page.get_by_role("button", name="Add a one tile").click()
    expect(headline).to_have_text("2x = 8")
    page.get_by_role("button", name="Take every zero pair off the mat").click()
    page.get_by_role("button", name="Share each side into equal groups, one for each x").click()
    expect(page.locator(".mn-board .mn-piece")).to_have_count(10)
    save_screenshot(page, "algebra_tiles_equation")
