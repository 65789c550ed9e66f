"""Bar models in the real classroom app: Voila, a kernel, and Chromium."""

from __future__ import annotations

import pytest
from conftest import save_screenshot
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

BOARD = ".mn-board >> nth=0"


def facts(page: Page) -> dict[str, str]:
    rows = page.locator(BOARD).locator(".mn-fact").all()
    return {r.locator(".mn-fact-name").inner_text(): r.locator(".mn-fact-value").inner_text() for r in rows}


def tool(page: Page, name: str):
    return page.locator(BOARD).locator(".mn-toolbar .mn-tool", has_text=name).first


def answer(page: Page, text: str) -> None:
    box = page.locator(BOARD).locator(".mn-ask-input")
    box.fill(text)
    box.press("Enter")


def tap(page: Page, selector: str, n: int = 0) -> None:
    page.locator(BOARD).locator(selector).nth(n).click()


def test_split_label_reveal_and_read(open_notebook):
    page = open_notebook("tests/notebooks/bar_model_split.ipynb")
    headline = page.locator(BOARD).locator(".mn-headline")
    expect(headline).to_have_text("?")  # the only part is hidden, and there is no equation yet

    tap(page, ".mn-piece:has(.bm-segment)")
    tool(page, "Split").click()
    answer(page, "3")
    expect(page.locator(BOARD).locator(".bm-segment")).to_have_count(3)
    expect(headline).to_have_text("u + u + u = ?")  # the brace keeps the whole, still hidden

    tap(page, ".mn-piece:has(.bm-segment)", 0)
    tool(page, "Label").click()
    answer(page, "<b>one bag</b>")
    label = page.locator(BOARD).locator(".mn-piece:has(.bm-segment) .mn-label").first
    expect(label).to_have_text("<b>one bag</b>")  # text, never markup
    assert page.locator(BOARD).locator(".mn-pieces b").count() == 0

    page.locator(BOARD).locator(".mn-svg").click(position={"x": 8, "y": 8})  # nothing selected now
    tool(page, "Reveal").click()  # the next hidden value
    expect(headline).to_have_text("u + u + u = 12")
    expect(page.locator(BOARD).locator(".bm-brace .bm-brace-value")).to_have_text("12")
    assert facts(page)["can we solve it?"].startswith("yes")

    page.locator(BOARD).get_by_role("button", name="Undo").click()  # the reveal is one step
    expect(headline).to_have_text("u + u + u = ?")
    page.locator(BOARD).get_by_role("button", name="Redo").click()
    expect(headline).to_have_text("u + u + u = 12")

    tool(page, "Solution").click()
    expect(page.locator(BOARD).locator(".bm-segment .bm-value").first).to_have_text("u = 4")
    assert facts(page)["u"] == "4"
    assert page.locator(BOARD).locator(".mn-message").is_hidden()


def test_amir_and_bea_reads_like_a_textbook(open_notebook):
    page = open_notebook("tests/notebooks/bar_model_amir.ipynb")
    expect(page.locator(BOARD).locator(".mn-headline")).to_have_text("b + b + 5 = 29")
    page.mouse.move(5, 5)
    save_screenshot(page, "bar-model-amir-bea")
    tool(page, "Solution").click()
    expect(page.locator(BOARD).locator(".bm-segment .bm-value").first).to_have_text("b = 12")
    save_screenshot(page, "bar-model-amir-bea-solved")


def test_one_shift_arrow_moves_a_part_past_its_neighbour(open_notebook):
    """By keyboard alone, one Shift+arrow press puts a part on the other side of the part it touches."""
    page = open_notebook("tests/notebooks/bar_model_amir.ipynb")
    headline = page.locator(BOARD).locator(".mn-headline")
    expect(headline).to_have_text("b + b + 5 = 29")
    page.locator(BOARD).locator(".mn-piece:has(.bm-segment)").nth(2).focus()  # Amir's 5, after his b
    page.keyboard.press("Shift+ArrowLeft")
    expect(headline).to_have_text("b + 5 + b = 29")
    assert page.evaluate("document.activeElement.closest('.mn-piece') !== null")  # the keyboard stays
    page.keyboard.press("Shift+ArrowRight")  # and back, past the b it now sits before
    expect(headline).to_have_text("b + b + 5 = 29")


def test_resizing_an_unknown_by_its_end_commits_once(open_notebook, page):
    sent = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda f: sent.append(str(f))))
    open_notebook("tests/notebooks/bar_model_split.ipynb")
    tap(page, ".mn-piece:has(.bm-segment)")
    tool(page, "Split").click()
    answer(page, "2")
    expect(page.locator(BOARD).locator(".bm-segment")).to_have_count(2)
    # u + u = 12 fixes u: its bars are drawn to scale, and no handle offers to draw them otherwise
    expect(page.locator(BOARD).locator(".bm-handle")).to_have_count(0)
    tap(page, ".mn-piece:has(.bm-brace)")
    tool(page, "Value").click()
    answer(page, "?")  # now the model does not fix u: a pupil may draw it
    expect(page.locator(BOARD).locator(".bm-handle")).to_have_count(2)
    before = page.locator(BOARD).locator(".bm-segment .bm-bar").first.bounding_box()
    sent.clear()
    handle = page.locator(BOARD).locator(".bm-handle").first.bounding_box()
    assert handle["width"] >= 40, "the handle takes a finger"
    x, y = handle["x"] + handle["width"] / 2, handle["y"] + handle["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    for step in range(1, 11):
        page.mouse.move(x + 12 * step, y)
    page.mouse.up()
    # both parts are u, so both follow, drawn by Python to the length the pupil drew
    expect(page.locator(BOARD).locator(".bm-segment")).to_have_count(2)
    page.wait_for_timeout(500)
    expect(page.locator(BOARD).locator(".mn-message")).to_be_hidden()  # Python took the drawn length
    widths = [page.locator(BOARD).locator(".bm-segment .bm-bar").nth(n).bounding_box()["width"] for n in range(2)]
    assert widths[0] == pytest.approx(widths[1], abs=1) and widths[0] == pytest.approx(before["width"], abs=2)
    assert len([f for f in sent if '"draw"' in f]) == 1 and not [f for f in sent if '"update"' in f]
    assert page.locator(BOARD).locator(".mn-lifted").count() == 0  # the engine did not drag the bar


def test_a_hint_from_the_toolbar_does_not_stick_to_the_next_change(open_notebook):
    # Merge with nothing chosen says what to do, in the page; the next tool then works as asked.
    page = open_notebook("tests/notebooks/bar_model_split.ipynb")
    tool(page, "Merge").click()
    expect(page.locator(BOARD).locator(".mn-message")).to_contain_text("Tap two or more parts")
    tap(page, ".mn-piece:has(.bm-segment)")
    tool(page, "Hide").click()
    expect(page.locator(BOARD).locator(".bm-segment .bm-value").first).to_have_text("?")
    page.wait_for_timeout(300)
    expect(page.locator(BOARD).locator(".bm-segment .bm-value").first).to_have_text("?")  # not undone
    expect(page.locator(BOARD).locator(".mn-message")).to_be_hidden()


def test_a_pupil_types_a_value_as_pupils_write_numbers(open_notebook):
    page = open_notebook("tests/notebooks/bar_model_split.ipynb")
    tap(page, ".mn-piece:has(.bm-segment)")
    tool(page, "Reveal").click()
    tool(page, "Value").click()
    answer(page, ".5")
    expect(page.locator(BOARD).locator(".bm-segment .bm-value").first).to_have_text("0.5")
    expect(page.locator(BOARD).locator(".mn-message")).to_be_hidden()
    tool(page, "Value").click()
    answer(page, "-3")
    expect(page.locator(BOARD).locator(".mn-message")).to_contain_text("greater than 0")
