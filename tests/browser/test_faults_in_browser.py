"""Faults are contained, in Chromium against the real classroom server (the repository's root).

One pupil's kernel dying leaves every other pupil's board working, and a lesson cell that raises leaves
the boards after it working. "Working" means a round trip a pupil would notice: press +1, Python counts
the counters again and the board's readout changes. The fixture lessons are in tests/fixtures/faults/.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest
from conftest import ROOT
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

BOARD = "tests/fixtures/faults/board.ipynb"  # one counters board: 1 positive, 1 negative
SLIP = "tests/fixtures/faults/slip.ipynb"  # a cell that warns and raises, then a board: 2 positive, 1 negative
CALM = "This part of the lesson could not be shown. The rest of the lesson works."


def positives(page: Page):
    """The board's "positive counters" readout, which Python writes."""
    return page.locator(".mn-board .mn-fact", has_text="positive counters").locator(".mn-fact-value")


def add_a_positive(page: Page) -> None:
    page.locator(".mn-board").get_by_role("button", name="Add a positive counter").click()


def kernel_id(page: Page) -> str:
    return page.evaluate("JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId")


def kernel_process(kernel: str) -> int:
    """The pid of the kernel's process: the one started with its connection file, kernel-<id>.json."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if any(part.endswith(f"kernel-{kernel}.json".encode()) for part in command):
            return int(entry.name)
    raise AssertionError(f"no process runs kernel {kernel}")


def is_gone(pid: int) -> bool:
    try:
        return (Path("/proc") / str(pid) / "stat").read_text().split(")")[-1].split()[0] in ("Z", "X")
    except OSError:
        return True


def test_killing_one_pupils_kernel_leaves_the_other_pupils_board_working(open_notebook, browser, voila_url):
    """Two pupils, one lesson, two kernels; one kernel's process is killed (SIGKILL).

    The other pupil's +1 still makes Python update the readout; the killed pupil's no longer does
    (so the kill took, and the first board's answer is its own kernel's).
    """
    kept = open_notebook(f"{BOARD}#section-2")
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    try:
        killed = context.new_page()
        killed.goto(f"{voila_url}/voila/render/{BOARD}#section-2")
        killed.wait_for_selector(".mn-board .mn-svg", timeout=60_000)
        assert kernel_id(kept) != kernel_id(killed), "each pupil's page has a kernel of its own"
        for page in (kept, killed):  # both boards answer before the fault
            expect(positives(page)).to_have_text("1")
            add_a_positive(page)
            expect(positives(page)).to_have_text("2")

        pid = kernel_process(kernel_id(killed))
        assert pid != kernel_process(kernel_id(kept))
        os.kill(pid, signal.SIGKILL)
        deadline = time.monotonic() + 10
        while not is_gone(pid):
            assert time.monotonic() < deadline, f"kernel process {pid} outlived SIGKILL"
            time.sleep(0.05)

        add_a_positive(kept)
        expect(positives(kept)).to_have_text("3")  # Python counted the new counter and sent the readout
        add_a_positive(killed)
        killed.wait_for_timeout(1500)
        expect(positives(killed)).to_have_text("2")  # nothing answers the killed kernel's board
        add_a_positive(kept)
        expect(positives(kept)).to_have_text("4")  # and the neighbour's board keeps going
    finally:
        context.close()


def test_after_a_cell_that_raises_the_next_board_still_answers(open_notebook):
    """A lesson cell raises: a calm note in its place, no traceback or path, and the board after it round-trips."""
    page = open_notebook(f"{SLIP}#section-3")  # the explore section: the failing cell, then the board
    explore = page.locator("#mn-section-3")
    expect(explore.locator(".mn-cell-note")).to_have_text(CALM)
    shown = page.locator("#rendered_cells").inner_text()
    for word in ("Traceback", "FileNotFoundError", "UserWarning", "SLIP-ERROR", "SLIP-WARNING", str(ROOT)):
        assert word not in shown, f"{word!r} is shown in the classroom"
    expect(positives(page)).to_have_text("2")
    add_a_positive(page)
    expect(positives(page)).to_have_text("3")  # the board below the error makes its round trip
    page.get_by_role("button", name="Next section").click()
    expect(page.locator("#mn-section-4")).to_contain_text("Exit ticket: what does the board show?")


def test_a_reload_shuts_the_old_kernel_down(open_notebook, voila_url):
    """A pupil who reloads leaves no kernel behind: the page's own shutdown call on leaving is accepted."""
    page = open_notebook(f"{BOARD}#section-2")
    old = kernel_id(page)
    pid = kernel_process(old)
    page.reload()
    page.wait_for_selector(".mn-board .mn-svg", state="attached", timeout=60_000)
    assert kernel_id(page) != old
    deadline = time.monotonic() + 20
    while not is_gone(pid):
        assert time.monotonic() < deadline, "the old kernel is still running after the reload"
        time.sleep(0.2)
    assert page.request.get(f"{voila_url}/api/kernels/{old}").status == 404
