"""Questions in the real classroom app: typed and tapped in Chromium, marked by Python in the kernel."""

from __future__ import annotations

import re

import nbformat
import pytest
from conftest import ROOT, save_screenshot
from playwright.sync_api import Page, expect

from lessons.format import is_teacher_only, text

pytestmark = pytest.mark.browser

NOTEBOOK = "tests/notebooks/questions_practice.ipynb"
PRACTICE = ".mn-questions >> nth=0"
EXIT = ".mn-questions >> nth=1"
ANSWERS = ["1", "0", "\u22121", "7", "5x", "3x + 6", "8 : 12", "3/4"]
SECRET = ["8:12", "8 : 12", "3x + 6", "3/4"]  # answers that appear in no prompt


def row(page: Page, n: int, widget: str = PRACTICE):
    return page.locator(widget).locator(".mn-q-item").nth(n)


def open_questions(open_notebook, page: Page) -> list[str]:
    """Open the fixture notebook, recording every frame the kernel sends to the page."""
    received: list[str] = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda payload: received.append(str(payload))))
    open_notebook(NOTEBOOK, wait_for=".mn-questions .mn-q-input")
    return received


def touch_tap(page: Page, locator) -> None:
    """A finger's tap, as on a whiteboard: touch start and end on the element's centre."""
    box = locator.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    touch = page.context.new_cdp_session(page)
    touch.send("Emulation.setTouchEmulationEnabled", {"enabled": True, "maxTouchPoints": 5})
    touch.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y, "id": 1}]})
    touch.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})


def test_typing_checking_and_revealing(open_notebook, page):
    received = open_questions(open_notebook, page)
    practice = page.locator(PRACTICE)
    expect(practice.locator(".mn-q-title")).to_have_text("Intelligent practice")
    expect(practice.locator(".mn-q-item")).to_have_count(8)
    expect(practice.locator(".mn-q-score")).to_have_text("No answers checked yet")

    # Read from the back of the room: questions of about 28 px, 44 px targets, eight in two columns on one
    # screen. The page fits the whole section (both sets) to the screen, which may make them a little smaller.
    prompt_px = practice.locator(".mn-q-text").first.evaluate(
        "n => parseFloat(getComputedStyle(n).fontSize) * n.getBoundingClientRect().height / n.offsetHeight"
    )
    assert 22 <= prompt_px <= 32, f"question text is {prompt_px}px on screen; about 28 px reads from the back"
    for button in practice.locator("button").all():
        size = button.bounding_box()
        assert size["height"] >= 44 and size["width"] >= 44, "touch targets are at least 44 px"
    assert row(page, 1).bounding_box()["y"] == row(page, 0).bounding_box()["y"], "eight questions sit in two columns"
    heading = page.locator(".jp-RenderedMarkdown h1").bounding_box()
    whole = practice.bounding_box()
    assert heading["y"] >= 0 and whole["y"] + whole["height"] <= 1080, "the set fits the screen beside its heading"

    # Enter checks: 3 + (−2) is not −2.
    box = row(page, 0).locator("input")
    box.click()
    page.keyboard.type("\u22122")
    page.keyboard.press("Enter")
    expect(row(page, 0).locator(".mn-q-verdict")).to_have_text("Not yet \u2014 try again.")
    expect(practice.locator(".mn-q-score")).to_have_text("0 of 1 right")

    # Mend it and click Check.
    box.fill("1")
    row(page, 0).get_by_role("button", name="Check answer 1").click()
    expect(row(page, 0).locator(".mn-q-verdict")).to_have_text("\u2713 Right")
    expect(practice.locator(".mn-q-score")).to_have_text("1 of 1 right")

    # A finger taps Check: the order of terms does not matter, Python compares polynomials.
    row(page, 5).locator("input").fill("6 + 3x")
    touch_tap(page, row(page, 5).get_by_role("button", name="Check answer 6"))
    expect(row(page, 5).locator(".mn-q-verdict")).to_have_text("\u2713 Right")

    # Keyboard only: Tab from one box to its Check button, and press it with Space.
    row(page, 6).locator("input").fill("2:3")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Check"
    page.keyboard.press("Space")
    expect(row(page, 6).locator(".mn-q-verdict")).to_have_text("Not yet \u2014 try again.")
    expect(practice.locator(".mn-q-score")).to_have_text("2 of 3 right")
    expect(row(page, 6)).to_have_class(re.compile(r"\bmn-q-wrong\b"))

    # Nothing the kernel sent so far holds an answer that is in no prompt.
    for answer in SECRET:
        assert not any(answer in frame for frame in received), f"{answer} reached the browser before Reveal"
    assert practice.locator(".mn-q-answer:visible").count() == 0

    practice.get_by_role("button", name="Reveal answers").click()
    expect(practice.locator(".mn-q-answer")).to_have_text([f"Answer: {a}" for a in ANSWERS])
    expect(practice.get_by_role("button", name="Answers shown")).to_be_disabled()
    expect(row(page, 0).locator(".mn-q-verdict")).to_have_text("\u2713 Right")  # results stay beside the answers
    save_screenshot(page, "questions")

    # The exit ticket is its own widget: its answer is still not shown.
    exit_ticket = page.locator(EXIT)
    expect(exit_ticket.locator(".mn-q-answer:visible")).to_have_count(0)
    row(page, 0, EXIT).locator("input").fill("-2")
    row(page, 0, EXIT).locator("input").press("Enter")
    expect(row(page, 0, EXIT).locator(".mn-q-verdict")).to_have_text("Not yet \u2014 try again.")


def test_an_unreadable_answer_is_answered_kindly_and_markup_stays_text(open_notebook, page):
    open_questions(open_notebook, page)
    box = row(page, 7).locator("input")
    box.fill("<b>half</b>")
    box.press("Enter")
    verdict = row(page, 7).locator(".mn-q-verdict")
    expect(verdict).to_have_text("Not yet \u2014 write a number, in digits.")
    assert page.locator(".mn-questions b").count() == 0
    box.fill("0.75")
    expect(verdict).to_be_hidden()  # the box no longer holds what was marked
    box.press("Enter")
    expect(verdict).to_have_text("\u2713 Right")
    assert page.locator(".mn-q-message:visible").count() == 0, "nothing was refused"


def test_two_question_sets_on_one_lesson_page_each_label_their_own_boxes(open_notebook, page):
    """Zero pairs has question sets in its Do now, Practice and Exit ticket: each set labels its own boxes."""
    lesson = "units/y7-09-directed-number/01-zero-pairs.ipynb"
    open_notebook(lesson, wait_for=".mn-bar [data-mn='all']:enabled")
    sets = page.locator(".mn-questions")
    made = sum(text(c).count("Questions(") for c in nbformat.read(ROOT / lesson, 4).cells if not is_teacher_only(c))
    assert made >= 3
    expect(sets).to_have_count(made, timeout=60_000)  # each set the lesson makes, once
    practice = page.locator("section[data-role='practice']")
    page.goto(page.url.split("#")[0] + "#section-" + practice.get_attribute("data-section"))
    expect(practice).to_be_visible()
    ids = page.evaluate("[...document.querySelectorAll('[id]')].map(n => n.id).filter(i => i.startsWith('mn-q'))")
    assert len(ids) == len(set(ids)), f"element ids repeat on the page: {sorted(ids)}"

    # Tapping the words of a Practice question puts the cursor in that question's box (the practice runs
    # over several screens, its hinge's options first: Show all puts its typed questions on the page).
    page.get_by_role("button", name="Show all").click()
    first = practice.locator(".mn-q-item:has(input)").first
    first.locator(".mn-q-text").click()
    assert first.locator("input").evaluate("n => n === document.activeElement"), "the tap landed elsewhere"
    first.locator(".mn-q-text").click()

    # A screen reader names every box by its question, and every set by its title.
    for input_ in page.locator(".mn-q-input").all():
        expect(input_).to_have_accessible_name(re.compile(r"\S"))
    for n, title in enumerate(sets.locator(".mn-q-title").all_inner_texts()):
        expect(sets.nth(n)).to_have_accessible_name(title)


KINDS = "tests/notebooks/questions_kinds.ipynb"


def test_options_are_tapped_clicked_or_pressed_and_the_misconceptions_never_reach_the_page(open_notebook, page):
    received: list[str] = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda payload: received.append(str(payload))))
    open_notebook(KINDS, wait_for=".mn-questions .mn-q-option")
    questions = page.locator(".mn-questions")
    hinge = page.get_by_role("group", name="1. What is 3 \u2212 (\u22122)?")
    options = hinge.get_by_role("button")
    expect(options).to_have_count(4)
    for button in questions.locator("button").all():
        size = button.bounding_box()
        assert size["height"] >= 44 and size["width"] >= 44, "touch targets are at least 44 px"

    # A mouse: a wrong option is marked at once, and stays pressed.
    wrong = hinge.get_by_role("button", name="\u22125", exact=False).first
    wrong.click()
    expect(row(page, 0, ".mn-questions").locator(".mn-q-verdict")).to_have_text("Not yet \u2014 try again.")
    expect(wrong).to_have_attribute("aria-pressed", "true")

    # A finger: the right one.
    right = hinge.get_by_role("button", name=re.compile(r"^[a-d]\) 5$"))
    touch_tap(page, right)
    expect(row(page, 0, ".mn-questions").locator(".mn-q-verdict")).to_have_text("\u2713 Right")
    expect(right).to_have_attribute("aria-pressed", "true")
    expect(wrong).to_have_attribute("aria-pressed", "false")

    # The keyboard: Tab to False and press Enter; the reason prompt is beside it.
    truth = page.get_by_role("group", name="2. \u22123 is greater than \u22122")
    truth.get_by_role("button", name="True").focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "False"
    page.keyboard.press("Enter")
    expect(row(page, 1, ".mn-questions").locator(".mn-q-verdict")).to_have_text("\u2713 Right")
    expect(row(page, 1, ".mn-questions").locator(".mn-q-reason")).to_have_text("Show it on a number line.")

    page.get_by_role("group", name="3. Adding").get_by_role("button", name="Sometimes").click()
    expect(row(page, 2, ".mn-questions").locator(".mn-q-verdict")).to_have_text("Not yet \u2014 try again.")

    # Spot the mistake: the worked line is shown, and named with the box.
    box = page.get_by_role("textbox", name=re.compile("3\\(x \\+ 4\\) = 3x \\+ 4"))
    box.fill("12 + 3x")
    box.press("Enter")
    expect(row(page, 3, ".mn-questions").locator(".mn-q-verdict")).to_have_text("\u2713 Right")
    expect(questions.locator(".mn-q-score")).to_have_text("3 of 4 right")
    save_screenshot(page, "questions-kinds")

    for secret in ("quokka", "took away", "3x + 12"):
        assert not any(secret in frame for frame in received), f"{secret} reached the page"
    questions.get_by_role("button", name="Reveal answers").click()
    expect(questions.locator(".mn-q-answer").last).to_have_text("Answer: 3x + 12")
    assert not any("quokka" in frame for frame in received), "a misconception is for the teacher only"
