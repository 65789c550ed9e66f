"""The course in the classroom app: the new lessons of each unit open clean on a 1080p whiteboard."""

from __future__ import annotations

import pytest
from conftest import ROOT, save_screenshot
from playwright.sync_api import expect

from lessons.curriculum import read_curriculum

pytestmark = pytest.mark.browser

UNITS, _ = read_curriculum(ROOT)
FIRST_LESSONS = [unit.lessons[0].file.relative_to(ROOT).as_posix() for unit in UNITS if unit.lessons]


@pytest.mark.parametrize("relpath", FIRST_LESSONS, ids=[path.split("/")[1] for path in FIRST_LESSONS])
def test_the_first_lesson_of_every_unit_runs_clean_in_the_classroom(open_notebook, relpath):
    page = open_notebook(relpath, wait_for=".mn-bar [data-mn='all']:enabled")  # the lesson has run
    page.get_by_role("button", name="Show all").click()
    expect(page.locator(".mn-cell-note")).to_have_count(0)  # no cell raised
    shown = page.locator("#rendered_cells").inner_text()
    for word in ["Traceback", "Error", "Teacher notes", "Anticipated responses"]:
        assert word not in shown, f"{word!r} is shown in the classroom"
    expect(page.locator(".mn-board .mn-svg").first).to_be_visible()
    page.get_by_role("button", name="One section").click()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")  # the explore step, as the class meets it
    expect(page.locator(".mn-indicator")).to_contain_text("3 /")
    save_screenshot(page, f"course-{relpath.split('/')[1]}")
