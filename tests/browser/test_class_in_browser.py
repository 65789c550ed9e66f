"""The class in real pages: a teacher's dashboard and whiteboard, pupils on their own devices.

A real classroom server (`mastery present LESSON --class`) on a SQLite file; each pupil is a browser
context of their own (their own cookies and storage, as their own laptop). The lesson is
tests/notebooks/class_lesson.ipynb: sections 1 objective, 2 explore (counters "pairs": 3 positive,
5 negative), 3 practice (Questions "check": 2 + (−5), 4 + (−6)), 4 exit ticket (an unnamed counters board).
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from lessons.store import Store
from tests.conftest import ROOT, present, save_screenshot

LESSON = "tests/notebooks/class_lesson.ipynb"
PAIRS = ".mn-board:has(.mn-piece) >> nth=0"  # the explore section's board
WAIT = 60_000


@pytest.fixture(scope="module")
def klass(tmp_path_factory) -> Iterator[dict]:
    db = tmp_path_factory.mktemp("class") / "class.sqlite"
    with present(str(ROOT / LESSON), "--class", "--db", str(db), "--pool", "0") as server:
        code = re.search(r"pupils join at +\S+ +code (\w+)", server.log_text()).group(1)
        yield {"url": server.url, "token": server.token, "code": code, "db": db, "server": server}


def device(browser, width: int = 1366, height: int = 768) -> Page:
    """A new pupil's or teacher's device: a browser context of its own, failing on any page error."""
    page = browser.new_context(viewport={"width": width, "height": height}).new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on(
        "request",
        lambda r: r.url.startswith(("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:")) or errors.append(r.url),
    )
    page.errors = errors  # type: ignore[attr-defined]
    return page


def join(klass: dict, page: Page, name: str, screenshot: str = "") -> None:
    page.goto(f"{klass['url']}/class")
    page.get_by_label("Code").fill(klass["code"].lower())
    page.get_by_label("Your name").fill(name)
    if screenshot:
        save_screenshot(page, screenshot)
    page.get_by_role("button", name="Join", exact=True).click()
    page.wait_for_selector(".mn-board .mn-piece", state="attached", timeout=WAIT)


def pieces(page: Page) -> int:
    return page.locator(PAIRS).locator(".mn-piece").count()


def to_section(page: Page, n: int) -> None:
    page.evaluate(f"window.location.hash = '#section-{n}'")
    expect(page.locator(".mn-indicator-count")).to_have_text(re.compile(rf"^{n} / "))


def kill_kernel(page: Page) -> None:
    """Kill the page's kernel process outright, as a crash would."""
    kernel_id = page.evaluate("JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId")
    found = subprocess.run(["pgrep", "-f", f"kernel-{kernel_id}"], capture_output=True, text=True).stdout.split()
    assert found, "the pupil's kernel process was not found"
    for pid in found:
        os.kill(int(pid), signal.SIGKILL)


def test_a_class_pupils_join_work_and_the_teacher_sees_shows_and_paces(klass, browser):
    # The teacher's dashboard (their laptop) and whiteboard (the lesson, projected).
    dashboard = device(browser, 1920, 1080)
    dashboard.goto(f"{klass['url']}/mastery/class/dashboard?token={klass['token']}")
    expect(dashboard.locator("[data-code]")).to_have_text(klass["code"])
    whiteboard = device(browser, 1920, 1080)
    whiteboard.goto(f"{klass['url']}/voila/render/{LESSON}?token={klass['token']}")
    expect(whiteboard.locator(".mn-class-join-code")).to_have_text(klass["code"], timeout=WAIT)
    expect(whiteboard.locator(".mn-class-join-qr")).to_be_visible()

    # Two pupils join on their own devices and work on the explore board.
    amira, ben = device(browser), device(browser)
    join(klass, amira, "Amira", screenshot="class-join")
    join(klass, ben, "Ben")
    expect(amira.locator(".mn-class-you")).to_have_text("You are Amira")  # on her own screen only
    save_screenshot(amira, "class-pupil-joined")
    expect(whiteboard.locator(".mn-class-you")).to_be_hidden()
    expect(dashboard.locator(".mp-dash-count")).to_have_text("(2 here of 2)")
    for page, adds in ((amira, 1), (ben, 2)):
        to_section(page, 2)
        for _ in range(adds):
            page.locator(PAIRS).get_by_role("button", name="Add a positive counter").click()
        expect(page.locator(PAIRS).locator(".mn-piece")).to_have_count(8 + adds)

    # The dashboard shows each pupil's board, live, anonymised until the teacher asks on their own screen.
    dashboard.get_by_role("tab", name="pairs").click()
    cards = dashboard.locator(".mp-dash-pupil")
    expect(cards.locator("img")).to_have_count(2)
    expect(cards.first).to_contain_text("Pupil 1")
    assert "Amira" not in dashboard.locator("main").inner_text()
    dashboard.get_by_role("button", name="Show names (this screen)").click()
    expect(cards.first).to_contain_text("Amira")
    dashboard.get_by_role("button", name="Show names (this screen)").click()

    # Amira answers a question: her result is on the dashboard, marked by Python.
    to_section(amira, 3)
    row = amira.locator(".mn-q-item").first
    row.locator("input").fill("-3")
    row.get_by_role("button", name="Check answer 1").click()
    expect(row.locator(".mn-q-verdict")).to_have_text("\u2713 Right")
    expect(amira.locator(".mn-q-reveal")).to_be_hidden()  # the teacher's, refused anyway
    assert whiteboard.locator(".mn-q-reveal").evaluate("button => !button.hidden"), "the teacher lost Reveal"
    ben_row = ben.locator(".mn-q-item").first
    to_section(ben, 3)
    ben_row.locator("input").fill("7")
    ben_row.get_by_role("button", name="Check answer 1").click()
    results = dashboard.locator(".mp-dash-results")
    expect(results).to_contain_text("check, question 1: 1 right, 1 not yet, 0 not tried")
    expect(results).to_contain_text("“7” ×1")

    # Show on the board: two pupils' boards side by side on the whiteboard, large and anonymised.
    cards.nth(0).click()
    cards.nth(1).click()
    dashboard.get_by_role("button", name="Show chosen on the whiteboard").click()
    shown = whiteboard.locator(".mn-class-shown figure")
    expect(shown).to_have_count(2)
    expect(shown.locator("img")).to_have_count(2)
    expect(shown.locator("figcaption")).to_have_text(["Board A", "Board B"])
    box = shown.first.locator("img").bounding_box()
    assert box["width"] > 800 and box["height"] > 450, "the boards are shown large"
    save_screenshot(whiteboard, "class-whiteboard-two-boards")
    assert (
        "Amira" not in whiteboard.locator("body").inner_text() and "Ben" not in whiteboard.locator("body").inner_text()
    )
    # A gesture after the choice shows on the whiteboard too.
    to_section(ben, 2)
    ben.locator(PAIRS).get_by_role("button", name="Add a positive counter").click()
    whiteboard.get_by_role("button", name="Back to the lesson").click()
    expect(whiteboard.locator(".mn-class-shown")).to_be_hidden()

    # Pacing: held on the whiteboard's section, pupils are brought to it and cannot step away.
    to_section(whiteboard, 2)
    dashboard.get_by_role("button", name="Hold pupils on the whiteboard's section").click()
    expect(amira.locator(".mn-indicator-count")).to_have_text(re.compile(r"^2 / "))
    expect(amira.get_by_role("button", name="Next section ▶")).to_be_hidden()
    to_section(whiteboard, 4)
    expect(amira.locator(".mn-indicator-count")).to_have_text(re.compile(r"^4 / "))
    expect(ben.locator(".mn-indicator-count")).to_have_text(re.compile(r"^4 / "))
    dashboard.get_by_role("button", name="Eyes on me").click()
    expect(amira.locator(".mn-class-cover")).to_be_visible()
    expect(whiteboard.locator(".mn-class-cover")).to_be_hidden()
    dashboard.get_by_role("button", name="Eyes on me").click()
    expect(amira.locator(".mn-class-cover")).to_be_hidden()
    dashboard.get_by_role("button", name="Hold pupils on the whiteboard's section").click()
    expect(amira.get_by_role("button", name="Next section ▶")).to_be_visible()

    # A pupil reloads: their work is back. Their kernel is killed: after Reconnect, nothing recorded is lost.
    amira.reload()
    amira.wait_for_selector(".mn-board .mn-piece", state="attached", timeout=WAIT)
    expect(amira.locator(PAIRS).locator(".mn-piece")).to_have_count(9)
    kill_kernel(amira)
    lost = amira.locator(".mn-lost")
    expect(lost).to_be_visible(timeout=30_000)
    with amira.expect_navigation(timeout=WAIT):  # Reconnect reloads; the old page's pieces are still there until then
        amira.get_by_role("button", name="Reconnect").click()
    amira.wait_for_selector(".mn-board .mn-piece", state="attached", timeout=WAIT)
    expect(amira.locator(PAIRS).locator(".mn-piece")).to_have_count(9)
    to_section(amira, 3)
    row = amira.locator(".mn-q-item").first
    expect(row.locator(".mn-q-verdict")).to_have_text("\u2713 Right")  # the answer came back from the store

    # Ben on another device, by the same name: his boards and answers, from the store (no browser storage there).
    tablet = device(browser)
    join(klass, tablet, "ben")
    to_section(tablet, 2)
    expect(tablet.locator(PAIRS).locator(".mn-piece")).to_have_count(11)
    for page in (dashboard, whiteboard, amira, ben, tablet):
        assert not page.errors, page.errors  # type: ignore[attr-defined]


def test_the_dashboard_of_a_class_of_thirty(klass, browser):
    """Thirty pupils' boards and answers (written straight into the store, as the server writes them):
    the dashboard drawn from the store at 1920 x 1080, 1366 x 768 and 3840 x 2160."""
    from widgets import Counters

    with Store(str(klass["db"])) as store:
        record = store.find_class(klass["code"])
        for n in range(30):
            pupil = store.join(record.id, f"Pupil name {n:02}")
            board = Counters(positive=3 + n % 4, negative=5 - n % 3, name="pairs")
            store.record_board(record.id, pupil.id, "pairs", board.snapshot(), board.to_svg(), section=2)
            store.record_answer(record.id, pupil.id, "check", 0, "-3" if n % 3 else "3", n % 3 != 0)
        drawn = len(store.latest_boards(record.id, "pairs"))  # the thirty, and any pupil of another test
    for width, height in ((1920, 1080), (1366, 768), (3840, 2160)):
        dashboard = device(browser, width, height)
        dashboard.goto(f"{klass['url']}/mastery/class/dashboard?token={klass['token']}")
        dashboard.get_by_role("tab", name="pairs").click()
        expect(dashboard.locator(".mp-dash-pupil img")).to_have_count(drawn, timeout=30_000)
        expect(dashboard.locator(".mp-dash-results")).to_contain_text("“3” ×")
        assert dashboard.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "it scrolls sideways"
        save_screenshot(dashboard, f"class-dashboard-30-{width}")
        small = dashboard.evaluate(
            """[...document.querySelectorAll('.mp-dash input[type=checkbox]')].filter((box) =>
                 box.getBoundingClientRect().height < parseFloat(getComputedStyle(box.parentElement).fontSize))
               .map((box) => box.parentElement.textContent.trim())"""
        )
        assert not small, f"a box to tick is smaller than its words: {small}"
        # The thumbnails show the counters, not the empty paper: one frame for every pupil's "pairs" (their
        # sizes compare), far smaller than the board, with the board's maths line under it.
        pictures = dashboard.evaluate(
            """[...document.querySelectorAll('.mp-dash-pupil img')].map((img) => {
                 const text = decodeURIComponent(img.src.split(',')[1]);
                 const svg = new DOMParser().parseFromString(text, 'image/svg+xml');
                 const line = svg.querySelector('.mn-svg-headline');
                 return [svg.documentElement.getAttribute('viewBox'), line ? line.textContent : ''];
               })"""
        )
        frames = {view for view, _ in pictures}
        assert len(frames) == 1, f"the thumbnails of one board are cut differently: {frames}"
        _, _, frame_w, frame_h = map(float, frames.pop().split())
        assert frame_w * frame_h < 0.4 * board.width * board.height, f"the thumbnail shows {frame_w} x {frame_h}"
        assert Counters(positive=3, negative=5).readout["headline"] in {line for _, line in pictures}  # pupil 0's
        dashboard.get_by_role("button", name="Show names (this screen)").click()  # longer labels: the teacher's own
        spilled = dashboard.evaluate(
            """[...document.querySelectorAll('.mp-dash-who > span')].filter((span) => {
                 const card = span.closest('.mp-dash-pupil').getBoundingClientRect();
                 return span.getBoundingClientRect().right > card.right - 1;
               }).map((span) => span.textContent)"""
        )
        assert not spilled, f"a pupil's label runs past their card: {spilled[:3]}"
        assert not dashboard.errors, dashboard.errors  # type: ignore[attr-defined]
