"""The classroom page in a real browser: a lesson as its sections on a whiteboard.

The fixture lesson (tests/notebooks/classroom_lesson.ipynb) has every pupil role, a counters
board in explore and in the exit ticket, a `reveal` cell, a cell that raises and three
teacher-only cells. The last tests render the template without a browser or a kernel, to pin
what the page is made of: the teacher's cells never reach the kernel, links stay on the server.
"""

from __future__ import annotations

import asyncio
import re
from concurrent.futures import ThreadPoolExecutor

import nbformat
import pytest
from conftest import ROOT, save_screenshot
from playwright.sync_api import Page, expect

from lessons.format import PUPIL_ROLES

LESSON = "tests/notebooks/classroom_lesson.ipynb"
PLAIN = "tests/notebooks/classroom_plain.ipynb"
ORDER = ["objective", "do-now", "explore", "talk", "pictorial", "abstract", "problem", "practice", "exit-ticket"]
SECRETS = ["SECRET TEACHER", "stderr noise", "from widgets import", "Counters(", "secret/path", "ValueError"]
READY = ".mn-bar [data-mn='all']:enabled"
CALM = "This part of the lesson could not be shown. The rest of the lesson works."


def section(page: Page, n: int):
    return page.locator(f"#mn-section-{n}")


def indicator(page: Page) -> str:
    return page.locator(".mn-indicator").inner_text().replace("\n", " ")


def wait_for_boards(page: Page, count: int = 2) -> None:
    """Every board of the lesson drawn (shown or not) with its counters."""
    expect(page.locator(".mn-board .mn-svg")).to_have_count(count, timeout=60_000)
    expect(page.locator(".mn-board").last.locator(".mn-piece").first).to_be_attached()


def open_lesson(open_notebook, relpath: str = LESSON, query: str = "") -> Page:
    page = open_notebook(relpath + query, wait_for=READY)
    if relpath == LESSON:
        wait_for_boards(page)
    return page


@pytest.mark.browser
def test_a_lesson_is_its_sections_in_order_one_at_a_time(open_notebook):
    page = open_lesson(open_notebook)
    headings = page.locator("section.mn-section:not([hidden]) > .mn-section-heading").all_inner_texts()
    assert headings == [PUPIL_ROLES[role] for role in ORDER]
    expect(page.locator(".mn-bar-title")).to_have_text("Zero pairs")
    expect(page.locator(".mn-indicator")).to_contain_text("1 / 9")
    expect(page.locator(".mn-indicator")).to_contain_text("Objective")
    expect(section(page, 1)).to_be_visible()
    for n in range(2, 10):
        expect(section(page, n)).to_be_hidden()
    expect(page.locator("section.mn-setup")).to_be_hidden()
    expect(page.get_by_role("button", name="◀ Previous section")).to_be_disabled()

    # Nothing for the teacher's eyes only, no code, no warnings: not shown, not even in the page.
    html = page.content()
    for secret in SECRETS:
        assert secret not in html, f"{secret!r} reached the classroom page"
    expect(page.locator(".jp-InputArea-editor, .cm-editor, .jp-InputPrompt")).to_have_count(0)

    # The bar reads from the back row and every target takes a finger.
    for target in page.locator(".mn-bar .mn-bar-button:visible").all():
        box = target.bounding_box()
        assert box["height"] >= 56 and box["width"] >= 56, f"{target.inner_text()} is smaller than 56 px"
    body_px = page.locator("#mn-section-1 .jp-RenderedMarkdown p").first.evaluate(
        "n => parseFloat(getComputedStyle(n).fontSize)"
    )
    assert 26 <= body_px <= 32, f"body text is {body_px}px; about 28 px reads from the back at 1920 wide"

    # A board hidden while it was drawn has its full size when its section comes up.
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    expect(page.locator(".mn-indicator")).to_contain_text("3 / 9")
    board = section(page, 3).locator(".mn-svg").bounding_box()
    assert board["width"] > 1200 and board["height"] > 300, f"the explore board is drawn at {board}"
    expect(section(page, 3).locator(".mn-piece")).to_have_count(8)
    save_screenshot(page, "classroom-lesson-step")


@pytest.mark.browser
def test_stepping_by_touch_and_keyboard_keeps_the_section_in_the_address(browser, voila_url):
    context = browser.new_context(has_touch=True, viewport={"width": 1920, "height": 1080})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{voila_url}/voila/render/{LESSON}")
    page.wait_for_selector(READY, timeout=60_000)
    wait_for_boards(page)

    page.get_by_role("button", name="Next section ▶").tap()
    expect(page.locator(".mn-indicator")).to_contain_text("2 / 9")
    expect(page.locator(".mn-indicator")).to_contain_text("Do now")
    assert page.evaluate("location.hash") == "#section-2"
    expect(section(page, 2)).to_be_visible()
    expect(section(page, 1)).to_be_hidden()

    page.get_by_role("button", name="Next section ▶").tap()
    page.get_by_role("button", name="Next section ▶").tap()
    expect(page.locator(".mn-indicator")).to_contain_text("4 / 9")
    page.get_by_role("button", name="◀ Previous section").tap()
    expect(page.locator(".mn-indicator")).to_contain_text("3 / 9")
    assert page.evaluate("location.hash") == "#section-3"

    # Arrow keys step the lesson, except inside a board, where they move a counter.
    page.locator("#mn-section-3 .mn-piece").first.focus()
    page.keyboard.press("ArrowRight")
    expect(page.locator(".mn-indicator")).to_contain_text("3 / 9")
    # A presenter's clicker sends PageDown and PageUp: they step from anywhere.
    page.keyboard.press("PageDown")
    expect(page.locator(".mn-indicator")).to_contain_text("4 / 9")
    page.keyboard.press("PageUp")
    expect(page.locator(".mn-indicator")).to_contain_text("3 / 9")
    page.evaluate("document.activeElement.blur()")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    expect(page.locator(".mn-indicator")).to_contain_text("5 / 9")
    page.keyboard.press("ArrowLeft")
    expect(page.locator(".mn-indicator")).to_contain_text("4 / 9 Talk task")
    assert page.evaluate("location.hash") == "#section-4"

    page.reload()
    page.wait_for_selector(READY, timeout=60_000)
    expect(page.locator(".mn-indicator")).to_contain_text("4 / 9")
    expect(section(page, 4)).to_be_visible()
    expect(section(page, 4).locator(".mn-section-heading")).to_have_text("Talk task")
    expect(section(page, 3)).to_be_hidden()

    # A finger swiped sideways across the section steps; across a board it is the board's.
    swipe(page, 1500, 400, 700)
    expect(page.locator(".mn-indicator")).to_contain_text("5 / 9 Pictorial")
    swipe(page, 400, 1500, 700)
    swipe(page, 400, 1500, 700)
    expect(page.locator(".mn-indicator")).to_contain_text("3 / 9 Explore")
    board = section(page, 3).locator(".mn-svg").bounding_box()
    y = board["y"] + board["height"] * 0.8
    swipe(page, board["x"] + board["width"] * 0.9, board["x"] + board["width"] * 0.2, y)
    page.wait_for_timeout(300)
    expect(page.locator(".mn-indicator")).to_contain_text("3 / 9 Explore")

    # The last section: Next stops there.
    for _ in range(8):
        page.keyboard.press("PageDown")
    expect(page.locator(".mn-indicator")).to_contain_text("9 / 9 Exit ticket")
    expect(page.get_by_role("button", name="Next section ▶")).to_be_disabled()
    context.close()
    assert not errors, f"the page raised {errors}"


def swipe(page: Page, x0: float, x1: float, y: float) -> None:
    """A finger drawn quickly sideways across the screen, as Chromium's touch screen sends it."""
    touch = page.context.new_cdp_session(page)
    send = touch.send
    send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x0, "y": y}]})
    for n in range(1, 11):
        send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x0 + (x1 - x0) * n / 10, "y": y}]})
    send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    touch.detach()


@pytest.mark.browser
def test_reveal_uncovers_a_cell_and_hide_covers_it_again(open_notebook):
    page = open_lesson(open_notebook, query="#section-7")
    expect(page.locator(".mn-indicator")).to_contain_text("7 / 9 Problem")
    expect(section(page, 7).get_by_text("Ben says")).to_be_visible()
    answer = section(page, 7).get_by_text("A solution.")
    expect(answer).to_be_hidden()
    reveal = section(page, 7).get_by_role("button", name="Reveal", exact=True)
    assert reveal.bounding_box()["height"] >= 56
    reveal.click()
    expect(answer).to_be_visible()
    expect(reveal).to_be_hidden()
    section(page, 7).get_by_role("button", name="Hide").click()
    expect(answer).to_be_hidden()
    expect(reveal).to_be_visible()


@pytest.mark.browser
def test_a_cell_that_raises_is_a_calm_note_and_the_rest_of_the_lesson_works(open_notebook):
    page = open_lesson(open_notebook)
    page.get_by_role("button", name="Show all").click()
    expect(page.get_by_role("button", name="One section")).to_have_attribute("aria-pressed", "true")
    for n in range(1, 10):
        expect(section(page, n)).to_be_visible()
    practice = section(page, 8)
    expect(practice.locator(".mn-cell-note")).to_have_text(CALM)
    shown = page.locator("#rendered_cells").inner_text()
    for word in ["Traceback", "Error", "error", "ValueError", "secret/path", "--show_tracebacks"]:
        assert word not in shown, f"{word!r} is shown in the classroom"

    # The sections after the error still run: the exit ticket's board has its ten counters.
    exit_ticket = section(page, 9)
    expect(exit_ticket.locator(".mn-piece")).to_have_count(10)
    # Scrolling the whole lesson moves the bar's indicator and the address with it.
    page.mouse.move(960, 600)
    page.mouse.wheel(0, 40_000)
    expect(page.locator(".mn-indicator")).to_contain_text("9 / 9")
    assert page.evaluate("location.hash") == "#section-9"
    page.mouse.wheel(0, -40_000)
    expect(page.locator(".mn-indicator")).to_contain_text("1 / 9")
    save_screenshot(page, "classroom-lesson-all")


@pytest.mark.browser
def test_the_dark_theme(open_notebook):
    page = open_lesson(open_notebook, query="?theme=dark#section-3")
    expect(page.locator("body")).to_have_attribute("data-jp-theme-light", "false")
    expect(page.locator(".mn-indicator")).to_contain_text("3 / 9 Explore")
    colours = page.evaluate(
        """() => ({
            page: getComputedStyle(document.body).backgroundColor,
            text: getComputedStyle(document.querySelector('#mn-section-3 .jp-RenderedMarkdown p')).color,
            bar: getComputedStyle(document.querySelector('.mn-bar')).backgroundColor,
        })"""
    )
    assert luminance(colours["page"]) < 0.05, f"the page is not dark: {colours}"
    assert luminance(colours["bar"]) < 0.1, f"the bar is not dark: {colours}"
    assert luminance(colours["text"]) > 0.8, f"the text is not light: {colours}"
    save_screenshot(page, "classroom-lesson-dark")


@pytest.mark.browser
def test_a_notebook_outside_the_curriculum_has_its_title_and_home(open_notebook):
    page = open_notebook(PLAIN, wait_for=".mn-board .mn-svg")
    expect(page.locator(".mn-bar-title")).to_have_text("Making ten")
    links = page.locator(".mn-bar a")
    expect(links).to_have_count(1)
    expect(links).to_have_text("Home")
    expect(links).to_have_attribute("href", "/")
    expect(page.locator(".mn-section-heading")).to_have_count(0)
    expect(page.locator(".mn-stepper")).to_be_hidden()  # one section: nothing to step through
    assert "SECRET TEACHER" not in page.content()


@pytest.mark.browser
def test_the_lessons_menu_leads_to_the_unit_and_the_next_lesson(classroom, page):
    """On the fixture curriculum, where the server knows each lesson's unit and neighbours."""
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{classroom.url}/voila/render/units/01-zero-pairs/01-make-zero.ipynb")
    page.wait_for_selector(READY, timeout=60_000)
    expect(page.locator(".mn-bar-title")).to_have_text("Making zero")
    menu = page.get_by_role("navigation", name="Lessons")
    expect(menu).to_be_hidden()
    page.get_by_role("button", name="Lessons ▾").click()
    expect(menu).to_be_visible()
    expect(menu.get_by_role("link")).to_have_text(
        ["Back to unit Directed numbers with counters", "Next lesson ▶ Adding a negative", "Home"]
    )
    expect(menu.get_by_role("link", name="Back to unit")).to_have_attribute("href", "/#01-zero-pairs")
    for link in menu.get_by_role("link").all():
        assert link.bounding_box()["height"] >= 56
    page.keyboard.press("Escape")
    expect(menu).to_be_hidden()

    page.get_by_role("button", name="Lessons ▾").click()
    menu.get_by_role("link", name="Next lesson ▶").click()
    page.wait_for_selector(READY, timeout=60_000)
    assert page.url.endswith("/voila/render/units/01-zero-pairs/02-add-negatives.ipynb#section-1")
    expect(page.locator(".mn-bar-title")).to_have_text("Adding a negative")
    page.get_by_role("button", name="Lessons ▾").click()
    expect(menu.get_by_role("link")).to_have_text(
        ["◀ Previous lesson Making zero", "Back to unit Directed numbers with counters", "Home"]
    )
    assert "Teacher note" not in page.content()
    assert not errors, f"the page raised {errors}"


def luminance(css_colour: str) -> float:
    """Relative luminance (WCAG) of an rgb() colour."""
    r, g, b = (int(v) / 255 for v in re.findall(r"\d+", css_colour)[:3])
    return sum(
        w * (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4)
        for w, c in zip((0.2126, 0.7152, 0.0722), (r, g, b), strict=True)
    )


# --- the template alone: Voila's exporter with a stand-in kernel ----------------------------------------


def render(notebook: nbformat.NotebookNode) -> tuple[str, list[str]]:
    """The classroom page for notebook, and the ids of the cells sent to the kernel."""
    import os

    from voila.exporter import VoilaExporter
    from voila.paths import collect_template_paths

    os.environ["JUPYTER_PATH"] = os.pathsep.join(
        filter(None, [str(ROOT / "lessons" / "share" / "jupyter"), os.environ.get("JUPYTER_PATH")])
    )
    exporter = VoilaExporter(
        template_paths=collect_template_paths(["voila", "nbconvert"], "classroom", prune=True),
        template_name="classroom",
        base_url="/",
    )
    exporter.exclude_input = exporter.exclude_input_prompt = exporter.exclude_output_prompt = True
    ran: list[str] = []

    async def kernel_start(nb):
        return "kernel"

    async def cell_generator(nb, kernel_id):
        for cell in nb.cells:
            ran.append(cell.id)
            yield cell

    async def page() -> str:
        context = {"frontend": "voila", "main_js": "voila.js", "kernel_start": kernel_start}
        context.update(cell_generator=cell_generator, progressive_rendering=False)
        parts = [html async for html, _ in exporter.generate_from_notebook_node(notebook, extra_context=context)]
        return "".join(parts)

    with ThreadPoolExecutor(1) as worker:  # Playwright's own event loop may be running in this thread
        return worker.submit(asyncio.run, page()).result(), ran


def lesson(**mastery) -> nbformat.NotebookNode:
    notebook = nbformat.read(ROOT / LESSON, as_version=4)
    notebook.metadata["mastery"] = mastery
    return notebook


def test_teacher_cells_never_reach_the_kernel_or_the_page():
    notebook = nbformat.read(ROOT / LESSON, as_version=4)
    notebook.cells.append(nbformat.v4.new_markdown_cell("SECRET misspelt", metadata={"tags": ["teacher-notse"]}))
    html, ran = render(notebook)
    teacher = {c.id for c in notebook.cells if "SECRET" in c.source}
    assert len(teacher) == 4 and ran and not set(ran) & teacher
    assert "SECRET" not in html


def test_links_come_from_the_metadata_and_stay_on_the_server():
    html, _ = render(
        lesson(
            title="Zero <b>pairs</b>",
            unit={"title": "Directed", "url": "/#y7-09-directed-number"},
            previous={"title": "Before", "url": "javascript:alert(1)"},
            next={"title": "After", "url": "//elsewhere.example/lesson"},
            home="https://elsewhere.example/",
        )
    )
    bar = html[html.index('<header class="mn-bar"') : html.index("</header>")]
    assert "Zero &lt;b&gt;pairs&lt;/b&gt;" in bar and "<b>" not in bar
    assert re.findall(r'href="([^"]*)"', bar) == ["/#y7-09-directed-number", "/"]
    assert "Back to unit" in bar and "Previous lesson" not in bar and "Next lesson" not in bar


def test_the_template_heads_sections_as_the_lesson_format_does():
    template = (ROOT / "lessons/share/jupyter/voila/templates/classroom/index.html.j2").read_text()
    table = template[template.index("mn_headings = {") : template.index("} -%}")]
    assert dict(re.findall(r'"([^"]+)": "([^"]+)"', table)) == PUPIL_ROLES


def test_the_server_may_give_the_headings_as_data():
    headings = {**PUPIL_ROLES, "explore": "Explore together", "practice": "On your own"}
    html, _ = render(lesson(headings=headings))
    shown = re.findall(r'<h2 class="mn-section-heading"[^>]*>([^<]*)</h2>', html)
    assert shown == [headings[role] for role in ORDER]
    # Anything but a table of words is ignored: the template's own headings stand.
    html, _ = render(lesson(headings={"explore": ["not", "words"]}))
    assert re.findall(r'<h2 class="mn-section-heading"[^>]*>([^<]*)</h2>', html) == [PUPIL_ROLES[r] for r in ORDER]
