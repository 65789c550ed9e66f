"""Faults are contained: a real `mastery present` on the repository, over loopback.

A cell that raises, or a kernel that dies mid-lesson, costs that cell and nothing else; an idle kernel is
shut down only when nobody has its lesson open. The browser side (a change still round-trips after a
failing cell, after a neighbour's kernel is killed) is in tests/browser/test_faults_in_browser.py.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
import uuid
from collections.abc import Iterator

import pytest
from conftest import ROOT, Server, fetch, present, run_async

SLIP = "tests/fixtures/faults/slip.ipynb"  # a cell warns and raises (naming the server's folder), then a board
DIES = "tests/fixtures/faults/dies.ipynb"  # a cell ends the kernel's process, then a markdown cell
BOARD = "tests/fixtures/faults/board.ipynb"  # one counters board
CALM = "This part of the lesson could not be shown. The rest of the lesson works."
CULL_SECONDS = 4  # --cull-minutes 0.0667: idle 4 s, checked every 2 s


def kernel_of(page: str) -> str:
    return re.search(r'"kernelId": "([^"]+)"', page).group(1)


def assert_calm(page: str) -> None:
    """No traceback, exception name or server path anywhere in the page (scripts included)."""
    for word in ("Traceback", "FileNotFoundError", "DeadKernelError", "UserWarning", str(ROOT), "site-packages"):
        assert word not in page, f"the page shows {word!r}"


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    """The classroom server on the repository's root, culling kernels idle 4 s (checked every 2 s)."""
    with present(str(ROOT), "--cull-minutes", str(CULL_SECONDS / 60)) as running:
        yield running


def test_a_cell_that_raises_costs_that_cell_only(server):
    """The failing cell is a calm note; the board after it and the sections after that are on the page."""
    status, page = fetch(f"{server.url}/voila/render/{SLIP}")
    assert status == 200
    assert_calm(page)
    assert "SLIP-ERROR" not in page and "SLIP-WARNING" not in page and "SLIP-TEACHER" not in page
    note = page.index(CALM)
    board = page.index("application/vnd.jupyter.widget-view+json", note)  # the board's output, after the note
    assert note < board < page.index("Exit ticket: what does the board show?")
    assert page.count(CALM) == 1  # the board's cell is not a note


def test_a_kernel_that_dies_mid_lesson_leaves_the_page_and_the_server_working(server):
    """A cell that ends its kernel's process: the lesson's later text is still shown, calmly; others still open."""
    status, page = fetch(f"{server.url}/voila/render/{DIES}")
    assert status == 200
    assert_calm(page)
    assert "After the kernel died: DIES-AFTER." in page
    status, page = fetch(f"{server.url}/voila/render/{BOARD}")
    assert status == 200 and "application/vnd.jupyter.widget-view+json" in page


async def _hold_open_while(url: str, kernel_id: str, abandoned: str, since: float) -> float:
    """Keep a page's websocket open until the abandoned kernel is culled; then ask the kept one for its info.

    Returns how long after `since` (its page was served) the abandoned kernel went.
    """
    from tornado.websocket import websocket_connect

    socket = await websocket_connect(
        f"{url.replace('http', 'ws', 1)}/api/kernels/{kernel_id}/channels?session_id={uuid.uuid4().hex}"
    )
    while (await asyncio.to_thread(fetch, f"{url}/api/kernels/{abandoned}"))[0] == 200:
        assert time.monotonic() - since < 60, "the abandoned kernel was never shut down"
        await asyncio.sleep(0.5)
    took = time.monotonic() - since
    msg_id = uuid.uuid4().hex
    header = {"msg_id": msg_id, "msg_type": "kernel_info_request", "session": "s", "username": "", "version": "5.3"}
    await socket.write_message(
        json.dumps({"header": header, "parent_header": {}, "metadata": {}, "content": {}, "channel": "shell"})
    )
    while True:
        reply = json.loads(await asyncio.wait_for(socket.read_message(), 10))
        if reply["parent_header"].get("msg_id") == msg_id and reply["msg_type"] == "kernel_info_reply":
            break
    socket.close()
    return took


def test_an_idle_kernel_is_culled_only_when_no_page_holds_it(server):
    """Two pupils open a lesson and go quiet; one closes it. Only the closed one's kernel is shut down.

    tests/test_server.py watches an abandoned kernel go; this adds that an open lesson, however quiet,
    keeps its kernel (a class discussing for twenty minutes comes back to a working board).
    """
    kept = kernel_of(fetch(f"{server.url}/voila/render/{BOARD}")[1])
    abandoned = kernel_of(fetch(f"{server.url}/voila/render/{BOARD}")[1])
    took = run_async(_hold_open_while(server.url, kept, abandoned, since=time.monotonic()))
    assert took >= CULL_SECONDS - 0.5, f"the abandoned kernel went {took:.1f} s after its page, before it was idle"
    assert fetch(f"{server.url}/api/kernels/{abandoned}")[0] == 404
    status, model = fetch(f"{server.url}/api/kernels/{kept}")
    assert status == 200 and json.loads(model)["execution_state"] in ("idle", "starting")
    culled = re.findall(r"Culling '\w+' kernel '\w+' \(([\w-]+)\) with 0 connections", server.log_text())
    assert abandoned in culled and kept not in culled  # the culler did it, for want of a page
