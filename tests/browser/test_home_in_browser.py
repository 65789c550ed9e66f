"""The home page and the lesson plan in Chromium, as a teacher meets them on a 1080p whiteboard."""

from __future__ import annotations

import pytest
from conftest import save_screenshot
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

LESSON = "units/01-zero-pairs/01-make-zero.ipynb"


def px(page: Page, selector: str, prop: str) -> str:
    return page.eval_on_selector(selector, f"e => getComputedStyle(e).{prop}")


def test_a_lesson_opens_from_the_home_page_in_the_classroom_app(watched: Page, classroom):
    page = watched
    page.goto(classroom.url + "/")
    expect(page.get_by_role("heading", name="Directed numbers with counters")).to_be_visible()
    assert 26 <= float(px(page, "body", "fontSize").removesuffix("px")) <= 30  # read from the back row
    broken = page.locator(".mp-broken")
    expect(broken).to_contain_text("units/03-broken/unit.toml:2")
    expect(broken).to_contain_text("Fix: write the year group as a number")
    expect(page.get_by_role("link", name="lesson plan")).to_have_count(0)
    save_screenshot(page, "home")

    page.get_by_role("link", name="Making zero").click()
    page.wait_for_url(f"**/voila/render/{LESSON}")
    # The board is drawn (the template may keep its section out of sight until the teacher steps to it).
    page.wait_for_selector(".mn-board .mn-svg", state="attached", timeout=60_000)
    expect(page.get_by_text("Pupil objective: we will see how counters make zero.")).to_be_visible()
    assert "Teacher note" not in page.content()


def test_the_teachers_home_page_in_the_dark_leads_to_a_printable_plan(watched: Page, classroom):
    page = watched
    page.goto(f"{classroom.url}/?theme=dark&token={classroom.token}")
    assert px(page, "body", "backgroundColor") == "rgb(27, 27, 27)"
    expect(page.get_by_role("link", name="lesson plan")).to_have_count(3)
    save_screenshot(page, "home-dark-teacher")

    page.get_by_role("link", name="lesson plan").first.click()
    page.wait_for_url("**/mastery/plan/**")
    expect(page.locator(".mp-plan-head h1")).to_have_text("Making zero")
    teacher = page.locator(".mp-teacher")
    expect(teacher).to_have_count(4)
    expect(teacher.first).to_contain_text("Teacher only")
    expect(teacher.first).to_contain_text("Teacher note: ask who thinks the board is empty")
    expect(page.locator("img.mp-picture").first).to_be_visible()
    save_screenshot(page, "lesson-plan")

    page.emulate_media(media="print")
    expect(page.locator(".mp-planbar")).to_be_hidden()  # no buttons on paper
    assert px(page, "body", "backgroundColor") == "rgb(255, 255, 255)"
    save_screenshot(page, "lesson-plan-print")


def test_every_link_of_the_home_page_takes_a_finger_on_a_laptop(browser, classroom):
    """At 1366x768 the lessons, their JupyterLab links and the unit index are at least 44 px tall."""
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    page.goto(f"{classroom.url}/?token={classroom.token}")
    links = page.locator("main a, nav a")
    assert links.count() > 5
    for link in links.all():
        box = link.bounding_box()
        assert box["height"] >= 44 and box["width"] >= 44, f"{link.inner_text()!r} is {box['width']}x{box['height']}"
    context.close()
