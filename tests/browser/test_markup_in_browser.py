"""Markup in every label of every widget, in the real classroom app: shown as text, never run.

The fixture (tests/notebooks/markup_every_widget.ipynb) puts an <img onerror> and a <script>
into the counters' labels, the bar model's row names and part labels, the algebra tiles'
labels and a guide's text, and the questions' title and prompts. Each would set
window.__pwned if the page ever treated it as HTML.
"""

from __future__ import annotations

import pytest
from conftest import save_screenshot
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

NOTEBOOK = "tests/notebooks/markup_every_widget.ipynb"
IMG = '<img src=x onerror="window.__pwned=1">'
SCRIPT = "<script>window.__pwned=1</script>"
COUNTERS, BARS, TILES = (f".mn-board >> nth={n}" for n in range(3))
QUESTIONS = ".mn-questions"
WIDGETS = ".mn-board, .mn-questions"


def open_markup(open_notebook) -> Page:
    page = open_notebook(NOTEBOOK)
    expect(page.locator(".mn-board .mn-svg")).to_have_count(3, timeout=60_000)
    expect(page.locator(QUESTIONS).locator(".mn-q-item")).to_have_count(2)
    expect(page.locator(TILES).locator(".mn-label")).to_have_count(2)
    return page


def assert_nothing_ran(page: Page) -> None:
    assert page.evaluate("window.__pwned") is None, "markup from a label ran"
    for tag in ("img", "script", "b", "svg svg", "foreignObject", "iframe", "a"):
        assert page.locator(WIDGETS).locator(tag).count() == 0, f"a <{tag}> appeared inside a widget"
    assert page.locator('img[src="x"]').count() == 0, "an <img> from a label reached the page"


def test_markup_in_every_label_shows_as_text_and_never_runs(open_notebook):
    page = open_markup(open_notebook)
    expect(page.locator(COUNTERS).locator(".mn-label")).to_have_text([IMG, SCRIPT])
    expect(page.locator(BARS).locator(".bm-row-name")).to_have_text([IMG, SCRIPT])
    expect(page.locator(BARS).locator(".mn-piece:has(.bm-segment) .mn-label")).to_have_text([SCRIPT])
    expect(page.locator(BARS).locator(".mn-headline")).to_have_text("b + b + 5 = 29")  # the maths is untouched
    expect(page.locator(TILES).locator(".mn-label")).to_have_text([IMG, SCRIPT])
    expect(page.locator(TILES).locator(".mn-guide text")).to_have_text(IMG)
    expect(page.locator(QUESTIONS).locator(".mn-q-title")).to_have_text(SCRIPT)
    expect(page.locator(QUESTIONS).locator(".mn-q-text")).to_have_text([IMG, SCRIPT])
    # A screen reader hears the label as its words too.
    described = page.locator(COUNTERS).locator(".mn-piece").first.get_attribute("aria-label")
    assert described.endswith(", " + IMG)
    assert_nothing_ran(page)
    page.mouse.move(5, 5)
    save_screenshot(page, "markup-every-widget")


def test_markup_typed_by_a_pupil_stays_text(open_notebook):
    page = open_markup(open_notebook)
    bars = page.locator(BARS)

    def ask(tool: str, text: str) -> None:
        bars.locator(".mn-toolbar .mn-tool", has_text=tool).first.click()
        box = bars.locator(".mn-ask-input")
        box.fill(text)
        box.press("Enter")

    bars.locator(".mn-piece:has(.bm-segment)").first.click()  # selected, for the tools below
    ask("Label", IMG)  # a label is any short text: Python takes it, the board draws it as text
    expect(bars.locator(".mn-piece:has(.bm-segment) .mn-label").first).to_have_text(IMG)
    ask("Value", IMG)  # not a number or a name: Python refuses, and its message quotes what was typed
    message = bars.locator(".mn-message")
    expect(message).to_contain_text("is not a number or a letter")
    expect(message).to_contain_text("'<img src=x")
    expect(bars.locator(".mn-headline")).to_have_text("b + b + 5 = 29")  # the refused value is not kept

    questions = page.locator(QUESTIONS)
    first = questions.locator(".mn-q-input").first
    first.fill(IMG)
    first.press("Enter")
    expect(questions.locator(".mn-q-verdict").first).to_contain_text("Not yet")
    first.fill("<b>")  # the answer itself is markup, and is right as text
    first.press("Enter")
    expect(questions.locator(".mn-q-verdict").first).to_contain_text("Right")
    questions.get_by_role("button", name="Reveal answers").click()
    expect(questions.locator(".mn-q-answer").first).to_have_text("Answer: <b>")
    assert_nothing_ran(page)
    save_screenshot(page, "markup-typed")
