"""The real curriculum in the classroom app: every lesson opens clean, and the home page leads to each.

Each lesson of units/ is opened as the whiteboard would: it must finish without a page error or a
calm "could not be shown" note, show no code and no teacher-only text (neither drawn nor anywhere in the
bytes the server sent), and draw its widgets. The home page and the first lesson of each unit, at its
Explore section, are kept as screenshots.
"""

from __future__ import annotations

import pytest
from conftest import ROOT, save_screenshot, teacher_lines
from playwright.sync_api import Page, expect
from served import assert_keeps_teacher_cells_back

from lessons.curriculum import read_curriculum

UNITS, _ = read_curriculum(ROOT)
LESSONS = [lesson.file.relative_to(ROOT).as_posix() for unit in UNITS for lesson in unit.lessons]
FIRST_LESSONS = {unit.lessons[0].file.relative_to(ROOT).as_posix(): unit.slug for unit in UNITS if unit.lessons}
READY = ".mn-bar [data-mn='all']:enabled"  # the classroom app enables Show all once the lesson has run
WIDGETS = ".mn-board .mn-svg, .mn-questions"


@pytest.mark.browser
def test_the_home_page_lists_every_lesson_with_its_link(page: Page, voila_url):
    page.goto(voila_url + "/")
    for unit in UNITS:
        expect(page.get_by_text(unit.title, exact=True).first).to_be_visible()
        for lesson in unit.lessons:
            relpath = lesson.file.relative_to(ROOT).as_posix()
            link = page.locator(f'a[href="/voila/render/{relpath}"]')
            expect(link.first).to_contain_text(lesson.title)
    assert len(LESSONS) >= 15
    save_screenshot(page, "home-curriculum")


@pytest.mark.browser
@pytest.mark.parametrize("relpath", LESSONS)
def test_every_lesson_opens_clean_in_the_classroom_app(watched, voila_url, relpath):
    page = watched
    served = page.goto(f"{voila_url}/voila/render/{relpath}")
    assert served.status == 200, f"{relpath} answered {served.status}"
    page.wait_for_selector(READY, timeout=60_000)
    assert_keeps_teacher_cells_back(relpath, served.text())
    expect(page.locator(WIDGETS).first).to_be_attached(timeout=60_000)
    expect(page.locator(".mn-cell-note")).to_have_count(0)  # no cell failed
    expect(page.locator(".jp-InputArea-editor, .cm-editor, .jp-InputPrompt")).to_have_count(0)
    html = page.content()
    assert "Traceback" not in html
    for line in teacher_lines(ROOT / relpath):
        assert line not in html, f"teacher-only text reached the page: {line!r}"

    if relpath in FIRST_LESSONS:  # the concrete step of each unit, as the class sees it
        next_section = page.get_by_role("button", name="Next section ▶")
        while "Explore" not in page.locator(".mn-indicator").inner_text() and next_section.is_enabled():
            next_section.click()
        expect(page.locator(".mn-section:visible " + ".mn-board .mn-svg").first).to_be_visible()
        page.wait_for_timeout(300)  # let the board settle into its fitted size
        save_screenshot(page, f"lesson-{FIRST_LESSONS[relpath]}")
