"""The whiteboard fits: stepping through a lesson, the teacher never scrolls.

Each section of a lesson, at a laptop's 1366x768, a 1080p whiteboard and a 4K one, has every board
(toolbar, drawing and readout) and every set of questions on the screen, and the page cannot scroll.
The lessons walked are the ones with the most boards to a section (two and three), a counters lesson
and a bar model lesson. Screenshots of a two-board and a three-board section at each size go to
tests/artefacts/ for a person to look at.
"""

from __future__ import annotations

import pytest
from conftest import save_screenshot
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

SIZES = [(1366, 768), (1920, 1080), (3840, 2160)]
LESSONS = [
    "units/y7-09-directed-number/01-zero-pairs.ipynb",
    "units/y8-02-brackets/02-factorising.ipynb",
    "units/y7-03-equality-and-equivalence/02-balancing-equations.ipynb",
    "units/y8-03-solving-equations/03-forming-equations-from-bar-models.ipynb",
]
SHOTS = {  # (lesson, section role) -> screenshot name
    ("units/y8-02-brackets/02-factorising.ipynb", "explore"): "fit-two-boards",
    ("units/y7-03-equality-and-equivalence/02-balancing-equations.ipynb", "explore"): "fit-three-boards",
}
READY = ".mn-bar [data-mn='all']:enabled"

# What is off the screen in the section shown: boards and questions below or right of it, and a page
# that scrolls at all. Sizes are read after two frames, once the page has fitted the section.
OFF_SCREEN = """async () => {
  await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
  const section = document.querySelector("section.mn-current");
  const problems = [];
  for (const el of section.querySelectorAll(".mn-board, .mn-questions")) {
    const box = el.getBoundingClientRect();
    if (!box.width) continue; // behind a tab or an unrevealed cell
    if (box.bottom > innerHeight + 0.5 || box.right > innerWidth + 0.5 || box.top < 0)
      problems.push(`${el.className} at ${Math.round(box.top)}..${Math.round(box.bottom)} of ${innerHeight}`);
    if (el.matches(".mn-board") && box.width < 440) problems.push(`a board only ${Math.round(box.width)} px wide`);
  }
  for (const scroller of [document.documentElement, document.body]) {
    if (scroller.scrollHeight > scroller.clientHeight + 1)
      problems.push(`${scroller.tagName} scrolls: ${scroller.scrollHeight} > ${scroller.clientHeight}`);
  }
  return problems;
}"""


def wait_for_widgets(page: Page) -> None:
    """Every widget of the lesson drawn: no view left waiting in the page."""
    page.wait_for_function(
        """() => !document.querySelector('script[type*="widget-view"]')
             && document.querySelectorAll('.mn-board, .mn-questions').length > 0""",
        timeout=90_000,
    )


@pytest.mark.parametrize("width,height", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_every_section_fits_the_screen(browser, voila_url, width, height):
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    problems: list[str] = []
    for lesson in LESSONS:
        page.goto(f"{voila_url}/voila/render/{lesson}#section-1")
        page.wait_for_selector(READY, timeout=60_000)
        wait_for_widgets(page)
        count = page.locator("section.mn-section:not(.mn-setup)").count()
        for n in range(1, count + 1):
            if n > 1:
                page.get_by_role("button", name="Next section ▶").click()
            expect(page.locator(".mn-indicator-count")).to_have_text(f"{n} / {count}")
            section = page.locator("section.mn-current")
            role = section.get_attribute("data-role")
            tabs = section.get_by_role("tab")
            for t in range(max(tabs.count(), 1)):
                if tabs.count() and tabs.nth(t).is_visible():
                    tabs.nth(t).click()
                    expect(tabs.nth(t)).to_have_attribute("aria-selected", "true")
                where = f"{lesson} section {n} ({role}) part {t + 1} at {width}x{height}"
                problems += [f"{where}: {p}" for p in page.evaluate(OFF_SCREEN)]
            name = SHOTS.get((lesson, role))
            if name:
                if tabs.count() and tabs.first.is_visible():
                    tabs.first.click()
                save_screenshot(page, f"{name}-{width}x{height}")
    context.close()
    assert not problems, "\n".join(problems)
    assert not errors, f"the page raised {errors}"


def test_boards_behind_tabs_by_touch_and_keyboard(browser, voila_url):
    """On a laptop the three mats of Balancing equations' Explore come one at a time, each whole."""
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    page.goto(f"{voila_url}/voila/render/units/y7-03-equality-and-equivalence/02-balancing-equations.ipynb#section-3")
    page.wait_for_selector(READY, timeout=60_000)
    wait_for_widgets(page)
    section = page.locator("section.mn-current")
    tabs = section.get_by_role("tablist", name="Boards").get_by_role("tab")
    expect(tabs).to_have_text(["Part 1", "Part 2", "Part 3"])
    expect(tabs.first).to_have_attribute("aria-selected", "true")
    expect(section.get_by_text("Now solve")).to_be_hidden()

    tabs.nth(1).click()
    expect(section.get_by_text("Now solve")).to_be_visible()
    expect(section.locator(".mn-board:visible")).to_have_count(1)
    page.keyboard.press("ArrowRight")  # the tab has the focus: the arrow moves along the tabs
    expect(tabs.nth(2)).to_have_attribute("aria-selected", "true")
    expect(tabs.nth(2)).to_be_focused()
    expect(section.get_by_text("Challenge: 3x = 12.")).to_be_visible()
    expect(page.locator(".mn-indicator-count")).to_have_text("3 / 9")  # the lesson did not step
    assert page.evaluate(OFF_SCREEN) == []
    context.close()
