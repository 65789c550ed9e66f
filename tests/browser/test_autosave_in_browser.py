"""No lost work, in Chromium against the real classroom server: boards survive a reload and a lost kernel.

Each board keeps its pieces in the browser (localStorage) after every change; when the page comes back
it offers them to Python, which checks them as any change from the browser. The page watches its kernel
and, when the kernel or the server is gone, says so in a calm banner with a Reconnect button.
The fixture lessons: tests/notebooks/autosave_lesson.ipynb (a counters board named "mat", a counters
board with no name, a bar model with no name) and tests/notebooks/autosave_other.ipynb (another "mat").
"""

from __future__ import annotations

import json
import os
import signal
from pathlib import Path

import pytest
from conftest import ROOT, present, save_screenshot
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

LESSON = "tests/notebooks/autosave_lesson.ipynb"
OTHER = "tests/notebooks/autosave_other.ipynb"
MINUS = "\u2212"
PREFIX = "mastery-notebooks/board/v1"
LOST = "This lesson lost its connection. Your boards are saved on this screen."


def board(page: Page, n: int = 0):
    return page.locator(".mn-board").nth(n)


def fact(page: Page, name: str, n: int = 0):
    """One line of a board's readout, which Python writes."""
    return board(page, n).locator(".mn-fact", has_text=name).locator(".mn-fact-value")


def arrangement(page: Page, n: int = 0) -> list[tuple[str, str, str]]:
    """The board's pieces as a pupil sees them: each one's place and face, by id."""
    return board(page, n).evaluate(
        """b => [...b.querySelectorAll('.mn-piece')].map(p => [p.dataset.id, p.getAttribute('transform'),
               p.querySelector('.counter') ? p.querySelector('.counter').getAttribute('class') : ''])
               .sort((x, y) => x[0].localeCompare(y[0]))"""
    )


def wait_for_lesson(page: Page) -> None:
    """All three boards drawn with their pieces, and the page's script ready."""
    expect(page.locator(".mn-board .mn-svg")).to_have_count(3, timeout=60_000)
    for n in range(3):
        expect(board(page, n).locator(".mn-piece").first).to_be_attached()
    expect(page.locator(".mn-bar [data-mn='all']")).to_be_enabled()


def saved(page: Page) -> dict[str, dict]:
    """What this browser keeps for the kit's boards: key -> payload."""
    return page.evaluate(
        f"""() => Object.fromEntries(Object.keys(localStorage).filter(k => k.startsWith({json.dumps(PREFIX)}))
                 .map(k => [k, JSON.parse(localStorage.getItem(k))]))"""
    )


def key(relpath: str, slot: str) -> str:
    return f"{PREFIX} {json.dumps(['/voila/render/' + relpath, slot], separators=(',', ':'))}"


def centre(locator) -> tuple[float, float]:
    box = locator.bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def drag(page: Page, piece, dx: float, dy: float, steps: int = 20) -> None:
    x, y = centre(piece)
    page.mouse.move(x, y)
    page.mouse.down()
    for step in range(1, steps + 1):
        page.mouse.move(x + dx * step / steps, y + dy * step / steps)
    page.mouse.up()


def change_the_mat(page: Page) -> None:
    """Flip a -1 to +1 (value 0) and drag a +1 down to an empty row: two gestures, one readout."""
    board(page).locator(".mn-piece:has(.counter.negative)").first.click()
    expect(fact(page, "value")).to_have_text("0")
    drag(page, board(page).locator(".mn-piece:has(.counter.positive)").first, 0, 330)
    expect(fact(page, "positive counters")).to_have_text("4")


def start_of_the_mat(page: Page) -> None:
    expect(fact(page, "positive counters")).to_have_text("3")
    expect(fact(page, "negative counters")).to_have_text("5")
    expect(fact(page, "value")).to_have_text(f"{MINUS}2")


def kernel_id(page: Page) -> str:
    return page.evaluate("JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId")


def kernel_process(kernel: str) -> int:
    """The pid of the kernel's process: the one started with its connection file, kernel-<id>.json."""
    for entry in Path("/proc").iterdir():
        try:
            command = (entry / "cmdline").read_bytes().split(b"\0") if entry.name.isdigit() else []
        except OSError:
            continue
        if any(part.endswith(f"kernel-{kernel}.json".encode()) for part in command):
            return int(entry.name)
    raise AssertionError(f"no process runs kernel {kernel}")


def test_boards_come_back_as_they_were_after_a_reload(open_notebook, page):
    writes: list[str] = []
    page.expose_function("noteWrite", lambda k: writes.append(k))
    page.add_init_script(
        """const set = Storage.prototype.setItem;
           Storage.prototype.setItem = function (k, v) { window.noteWrite(k); return set.call(this, k, v); };"""
    )
    open_notebook(LESSON)
    wait_for_lesson(page)
    start_unnamed = arrangement(page, 1)
    start_bars = arrangement(page, 2)
    change_the_mat(page)

    # One write per gesture, never one per pointer move.
    mat_key = key(LESSON, "name:mat")
    before = writes.count(mat_key)
    drag(page, board(page).locator(".mn-piece:has(.counter.positive)").nth(1), 80, 330, steps=30)
    expect(fact(page, "positive counters")).to_have_text("4")
    page.wait_for_timeout(500)
    assert 1 <= writes.count(mat_key) - before <= 2, "a drag of 30 moves is saved once (and once more if tidied)"

    board(page, 1).get_by_role("button", name="Add a positive counter").click()  # a change Python makes
    expect(fact(page, "positive counters", 1)).to_have_text("3")
    mat = arrangement(page)
    unnamed = arrangement(page, 1)
    assert unnamed != start_unnamed
    assert set(saved(page)) == {mat_key, key(LESSON, "place:1")}, "each changed board has its own key"
    assert all(entry["v"] == 1 for entry in saved(page).values())

    page.reload()
    wait_for_lesson(page)
    expect(fact(page, "value")).to_have_text("0")  # Python's readout of the restored board
    expect(fact(page, "positive counters")).to_have_text("4")
    expect(fact(page, "negative counters")).to_have_text("4")
    expect(fact(page, "positive counters", 1)).to_have_text("3")
    assert arrangement(page) == mat, "every counter is where it was, showing the same side"
    assert arrangement(page, 1) == unnamed
    expect(board(page).locator(".mn-message")).to_be_hidden()
    assert arrangement(page, 2) == start_bars, "the untouched bar model is as it started"

    # The restored board is Python's: a new change round-trips, and undo has no step before the reload.
    board(page).locator(".mn-piece:has(.counter.positive)").first.click()
    expect(fact(page, "value")).to_have_text(f"{MINUS}2")


def test_another_lesson_with_a_board_of_the_same_name_starts_as_its_author_made_it(open_notebook, page, voila_url):
    open_notebook(LESSON)
    wait_for_lesson(page)
    change_the_mat(page)
    page.goto(f"{voila_url}/voila/render/{OTHER}")
    page.wait_for_selector(".mn-board .mn-piece", timeout=60_000)
    start_of_the_mat(page)
    page.wait_for_timeout(500)
    start_of_the_mat(page)  # and it stays so: nothing was restored into it
    assert list(saved(page)) == [key(LESSON, "name:mat")]
    page.goto(f"{voila_url}/voila/render/{LESSON}")
    wait_for_lesson(page)
    expect(fact(page, "value")).to_have_text("0")  # the first lesson's board kept its work


def test_reset_then_reload_shows_the_start(open_notebook, page):
    open_notebook(LESSON)
    wait_for_lesson(page)
    start = arrangement(page)
    change_the_mat(page)
    assert key(LESSON, "name:mat") in saved(page)
    board(page).get_by_role("button", name="Put the board back as it started").click()
    start_of_the_mat(page)
    assert saved(page) == {}
    page.reload()
    wait_for_lesson(page)
    start_of_the_mat(page)
    page.wait_for_timeout(500)
    assert arrangement(page) == start
    assert saved(page) == {}


def test_undo_back_to_the_start_keeps_nothing(open_notebook, page):
    open_notebook(LESSON)
    wait_for_lesson(page)
    board(page).locator(".mn-piece:has(.counter.negative)").first.click()
    expect(fact(page, "value")).to_have_text("0")
    assert list(saved(page)) == [key(LESSON, "name:mat")]
    board(page).get_by_role("button", name="Undo").click()
    expect(fact(page, "value")).to_have_text(f"{MINUS}2")
    assert saved(page) == {}


HOSTILE = {
    "wrong kinds": ([{"id": "p1", "kind": "dragon", "x": 72, "y": 72}], "unknown kind"),
    "one id twice": (
        [{"id": "p1", "kind": "counter", "x": 72, "y": 72, "sign": 1}] * 2,
        "share the id",
    ),
    "markup": (
        [{"id": "<img src=x onerror=window.__pwned=1>", "kind": "<b>counter</b>", "x": 72, "y": 72, "sign": 1}],
        "needs an id",
    ),
    "a sign of a thousand": ([{"id": "p1", "kind": "counter", "x": 72, "y": 72, "sign": 1000}], "sign must be"),
}


@pytest.mark.parametrize("hostile", HOSTILE.values(), ids=HOSTILE.keys())
def test_a_hostile_saved_board_is_refused_by_python_and_the_board_shows_its_start(open_notebook, page, hostile):
    pieces, why = hostile
    open_notebook(LESSON)
    wait_for_lesson(page)
    start = arrangement(page)
    change_the_mat(page)
    mat_key = key(LESSON, "name:mat")
    entry = saved(page)[mat_key]  # a real entry (for this board's start), its pieces swapped for hostile ones
    page.evaluate("([k, v]) => localStorage.setItem(k, v)", [mat_key, json.dumps({**entry, "pieces": pieces})])

    page.reload()
    wait_for_lesson(page)
    message = board(page).locator(".mn-message")
    expect(message).to_contain_text(why)  # Python's own words: it saw the pieces and refused them
    start_of_the_mat(page)
    page.wait_for_timeout(300)
    assert arrangement(page) == start
    assert saved(page) == {}, "a refused board is not kept"
    assert board(page).locator("img, b").count() == 0 and page.evaluate("window.__pwned") is None

    page.reload()  # and the next visit starts clean
    wait_for_lesson(page)
    start_of_the_mat(page)
    expect(message).to_be_hidden()


@pytest.mark.parametrize(
    "text",
    [
        "not json {",
        "null",
        "42",
        '{"v": 2, "pieces": []}',
        '{"v": 1, "start": "other", "pieces": []}',
        '{"v": 1}',
        json.dumps({"v": 1, "pieces": [{"id": f"p{n}", "kind": "counter", "x": 72, "y": 72} for n in range(10_000)]}),
    ],
    ids=["not json", "null", "a number", "another version", "another start", "no pieces", "ten thousand pieces"],
)
def test_an_unreadable_or_stale_saved_board_is_dropped_quietly(open_notebook, page, text):
    open_notebook(LESSON)
    wait_for_lesson(page)
    mat_key = key(LESSON, "name:mat")
    page.evaluate("([k, v]) => localStorage.setItem(k, v)", [mat_key, text])
    page.reload()
    wait_for_lesson(page)
    start_of_the_mat(page)
    page.wait_for_timeout(300)
    expect(board(page).locator(".mn-message")).to_be_hidden()
    if "other" in text:  # saved for another start (an edited lesson): not restored, left until this board saves
        assert saved(page)[mat_key]["start"] == "other"
    else:
        assert mat_key not in saved(page), "an unreadable entry is dropped"
    change_the_mat(page)  # the board works and saves again
    assert saved(page)[mat_key]["v"] == 1


@pytest.mark.parametrize("failure", ["disabled", "full"])
def test_a_board_works_when_the_browser_keeps_nothing(open_notebook, page, failure):
    if failure == "disabled":  # as in a browser with site data blocked
        script = (
            "Object.defineProperty(window, 'localStorage', {get() { throw new DOMException('no', 'SecurityError'); }});"
        )
    else:  # as in a browser whose storage is full
        script = "Storage.prototype.setItem = function () { throw new DOMException('full', 'QuotaExceededError'); };"
    page.add_init_script(script)
    open_notebook(LESSON)
    wait_for_lesson(page)
    change_the_mat(page)
    board(page).get_by_role("button", name="Put the board back as it started").click()
    start_of_the_mat(page)
    page.reload()
    wait_for_lesson(page)
    start_of_the_mat(page)


def test_a_full_store_makes_room_by_dropping_the_oldest_boards(open_notebook, page):
    """Old lessons' boards are dropped, oldest first, when the store is full; this lesson's board is kept."""
    page.add_init_script(
        f"""const set = Storage.prototype.setItem;
            Storage.prototype.setItem = function (k, v) {{
              const ours = Object.keys(this).filter(x => x.startsWith({json.dumps(PREFIX)})).length;
              if (ours >= 5 && !(k in this)) throw new DOMException('full', 'QuotaExceededError');
              return set.call(this, k, v);
            }};"""
    )
    open_notebook(LESSON)
    wait_for_lesson(page)
    for n in range(5):
        old = json.dumps({"v": 1, "start": "x", "at": 1000 + n, "pieces": []})
        page.evaluate("([k, v]) => localStorage.setItem(k, v)", [key(f"old-{n}.ipynb", "name:mat"), old])
    change_the_mat(page)
    kept = set(saved(page))
    assert key(LESSON, "name:mat") in kept
    assert key("old-0.ipynb", "name:mat") not in kept and key("old-4.ipynb", "name:mat") in kept


def lose_the_kernel(page: Page, how: str) -> None:
    kernel = kernel_id(page)
    if how == "shut down":  # as a server does when it culls a kernel; Jupyter asks for an XSRF pair
        server = page.url.split("/voila/")[0]
        page.context.add_cookies([{"name": "_xsrf", "value": "test", "url": server}])
        answer = page.request.delete(f"{server}/api/kernels/{kernel}", headers={"X-XSRFToken": "test"})
        assert answer.status == 204, answer.text()
    else:  # the kernel's process dies; Jupyter starts a new, empty kernel in its place
        os.kill(kernel_process(kernel), signal.SIGKILL)


@pytest.mark.parametrize("how", ["shut down", "killed"])
def test_a_lost_kernel_says_so_and_reconnect_brings_every_board_back(open_notebook, page, how):
    open_notebook(LESSON)
    wait_for_lesson(page)
    banner = page.locator(".mn-lost")
    expect(banner).to_be_hidden()
    change_the_mat(page)
    mat = arrangement(page)

    lose_the_kernel(page, how)
    expect(banner).to_be_visible(timeout=15_000)
    expect(banner.locator(".mn-lost-text")).to_have_text(LOST)
    reconnect = banner.get_by_role("button", name="Reconnect")
    box = reconnect.bounding_box()
    assert box["height"] >= 56 and box["width"] >= 56, "Reconnect takes a finger"
    text_px = banner.locator(".mn-lost-text").evaluate("n => parseFloat(getComputedStyle(n).fontSize)")
    assert text_px >= 26, f"the banner's words are {text_px}px; they must read from the back of the room"
    shown = page.locator("body").inner_text()
    for word in ("kernel", "Kernel", "Traceback", "Error", "websocket"):
        assert word not in shown, f"{word!r} is shown to the class"
    bar = page.locator(".mn-bar").bounding_box()
    assert banner.bounding_box()["y"] >= bar["y"] + bar["height"] - 1, "the banner sits under the bar"
    first_board = board(page).bounding_box()
    assert first_board["y"] >= banner.bounding_box()["y"] + banner.bounding_box()["height"] - 1, "nothing under it"
    if how == "shut down":
        save_screenshot(page, "connection-lost")

    # A pupil who goes on working keeps that too: a move is drawn and saved, if not yet counted. (A tap
    # asks Python, which is away: it says so calmly, and nothing is lost.)
    drag(page, board(page).locator(".mn-piece:has(.counter.negative)").first, 600, 0)
    page.wait_for_timeout(300)
    assert arrangement(page) != mat
    mat = arrangement(page)

    old_kernel = kernel_id(page)
    with page.expect_navigation():
        reconnect.click()
    wait_for_lesson(page)
    expect(banner).to_be_hidden()
    assert kernel_id(page) != old_kernel, "the lesson came back with a fresh kernel"
    expect(fact(page, "value")).to_have_text("0")  # Python counts the board as the pupil left it
    assert arrangement(page) == mat, "the board is as it was when the kernel was lost"
    board(page).locator(".mn-piece:has(.counter.negative)").first.click()  # and Python answers again
    expect(fact(page, "value")).to_have_text("2")
    expect(fact(page, "negative counters")).to_have_text("3")


def test_a_server_that_stops_says_so_and_reconnect_waits_for_it(page):
    """The server itself goes away: two unanswered questions, then the banner; Reconnect says it is still out."""
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    with present(str(ROOT)) as server:
        page.goto(f"{server.url}/voila/render/{LESSON}")
        wait_for_lesson(page)
        change_the_mat(page)
        expect(page.locator(".mn-lost")).to_be_hidden()
        server.process.terminate()
        server.process.wait(timeout=15)
    banner = page.locator(".mn-lost")
    expect(banner).to_be_visible(timeout=20_000)
    banner.get_by_role("button", name="Reconnect").click()
    expect(banner.locator(".mn-lost-text")).to_contain_text("Still no connection")
    expect(banner.get_by_role("button", name="Reconnect")).to_be_enabled()
    assert page.url.startswith(server.url), "the page stays, with its boards, until the server answers"
    expect(fact(page, "value")).to_have_text("0")
    assert not errors, f"the page raised {errors}"


def test_the_page_asks_about_its_kernel_every_few_seconds_not_every_frame(open_notebook, page):
    asked: list[str] = []
    page.on("request", lambda r: asked.append(r.url) if "/api/kernels/" in r.url and "/channels" not in r.url else None)
    open_notebook(LESSON)
    wait_for_lesson(page)
    asked.clear()
    page.wait_for_timeout(11_000)
    assert 1 <= len(asked) <= 3, f"{len(asked)} questions in 11 s"
    assert all(url.endswith("/api/kernels/" + kernel_id(page)) for url in asked)


def test_going_offline_says_so_at_once_and_reconnect_brings_the_boards_back(open_notebook, page):
    open_notebook(LESSON)
    wait_for_lesson(page)
    change_the_mat(page)
    mat = arrangement(page)
    page.context.set_offline(True)
    banner = page.locator(".mn-lost")
    expect(banner).to_be_visible(timeout=4_000)  # sooner than the next question: the browser said it went offline
    page.context.set_offline(False)
    with page.expect_navigation():
        banner.get_by_role("button", name="Reconnect").click()
    wait_for_lesson(page)
    expect(banner).to_be_hidden()
    expect(fact(page, "value")).to_have_text("0")
    assert arrangement(page) == mat
