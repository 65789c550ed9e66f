"""The home page and the lesson plan in Chromium, as a teacher meets them on a 1080p whiteboard."""

from __future__ import annotations

import pytest
from conftest import ROOT, save_screenshot
from playwright.sync_api import Page, expect

from lessons.curriculum import read_curriculum

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


def test_the_home_page_shows_the_year_as_terms_units_and_lessons(watched: Page, voila_url, browser):
    """The course's year map: half terms with their weeks, each unit one tap from its card, what it builds on."""
    page = watched
    page.goto(voila_url + "/")
    year_map = page.get_by_role("navigation", name="The year map")
    autumn = year_map.get_by_role("region", name="Year 7 · Autumn 1")
    expect(autumn.locator(".mp-map-title")).to_have_text(
        ["Sequences", "Algebraic notation", "Equality and equivalence"]
    )
    expect(autumn.get_by_role("heading")).to_have_text("Autumn 1 · 7 weeks")
    save_screenshot(page, "home-year-map")

    year_map.get_by_role("link", name="Directed number").click()
    card = page.locator("#y7-09-directed-number")
    expect(card).to_be_in_viewport()
    lessons = len(next(unit for unit in read_curriculum(ROOT)[0] if unit.slug == "y7-09-directed-number").lessons)
    expect(card.locator(".mp-kicker")).to_have_text(f"Year 7 · Spring 2 · 3 weeks · {lessons} lessons")
    expect(card.locator(".mp-builds a")).to_have_text(["Place value and ordering", "Equality and equivalence"])
    save_screenshot(page, "home-unit-card")
    card.locator(".mp-builds a").first.click()
    expect(page.locator("#y7-04-place-value-and-ordering")).to_be_in_viewport()
    expect(page.locator("#y7-04-place-value-and-ordering .mp-lesson-link").first).to_be_visible()

    for width, height in ((1366, 768), (3840, 2160)):
        context = browser.new_context(viewport={"width": width, "height": height})
        other = context.new_page()
        other.goto(voila_url + "/")
        wide = other.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert wide <= 0, f"at {width}x{height} the page scrolls sideways by {wide} px"
        titles = other.locator(".mp-map-title").all()
        assert all(title.bounding_box()["height"] >= 14 for title in titles)
        save_screenshot(other, f"home-year-map-{width}")
        context.close()
