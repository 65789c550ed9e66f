"""The classroom holds against a hostile pupil and a lesson that never ends: a real `mastery present`, on loopback.

Each device is a loopback address of its own (127.0.0.1, .2, .3: Linux routes all of 127/8 to this
computer), so "one pupil's laptop" and "the rest of the class" are told apart as on a school network.
The lessons are written into a curriculum of the test's own (tmp_path), so what they do is visible here.
"""

from __future__ import annotations

import asyncio
import http.client
import json
import re
import shutil
import socket
import time
import urllib.parse
import uuid
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest
from conftest import ROOT, Server, fetch, present, run_async

from lessons import guards

CALM = "This part of the lesson could not be shown. The rest of the lesson works."
BOARD = "units/01-guards/01-board.ipynb"
TICKET = "units/01-guards/02-ticket.ipynb"
FOREVER = "units/01-guards/03-forever.ipynb"  # a cell that never ends, then text
STUBBORN = "units/01-guards/04-stubborn.ipynb"  # a cell that never ends and ignores the interrupt
CHATTY = "units/01-guards/05-chatty.ipynb"  # writes to stdout and stderr twice a second, for a minute
CELLS = {
    BOARD: ["from widgets import Counters", 'Counters(positive=1, negative=1, name="pupil")'],
    TICKET: [
        "from widgets import Questions",
        'Questions([("What is 6 x 7?", 42)], title="Exit ticket", name="exit")',
    ],
    FOREVER: ["while True:\n    pass", "# After the loop: FOREVER-AFTER."],
    STUBBORN: ["import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass"],
    CHATTY: [
        "import sys, threading, time\n\n\ndef chat():\n    for _ in range(120):\n"
        "        print('CHATTY-OUT', flush=True)\n        print('CHATTY-ERR', file=sys.stderr, flush=True)\n"
        "        time.sleep(0.5)\n\n\nthreading.Thread(target=chat, daemon=True).start()"
    ],
}


def write_curriculum(root: Path) -> Path:
    """A unit of five lessons under root/units, each cell as CELLS says (a "# " cell is markdown)."""
    unit = root / "units" / "01-guards"
    unit.mkdir(parents=True)
    toml = ['title = "Guards"', "year = 7", 'big_idea = "The classroom holds."', 'objectives = ["Hold."]']
    toml += ['vocabulary = ["kernel"]', "prerequisites = []"]
    for relpath, sources in CELLS.items():
        notebook = nbformat.v4.new_notebook()
        notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        notebook.cells = [nbformat.v4.new_markdown_cell("# A lesson", metadata={"tags": ["objective"]})] + [
            nbformat.v4.new_markdown_cell(source, metadata={"tags": ["explore"]})
            if source.startswith("# ")
            else nbformat.v4.new_code_cell(source, metadata={"tags": ["explore"]})
            for source in sources
        ]
        nbformat.write(notebook, root / relpath)
        toml += [
            "",
            "[[lessons]]",
            f'file = "{Path(relpath).name}"',
            f'title = "{Path(relpath).stem}"',
            'objective = "x"',
        ]
    (unit / "unit.toml").write_text("\n".join(toml) + "\n", encoding="utf-8")
    return root


def fetch_from(device: str, url: str, timeout: float = 120) -> tuple[int, str]:
    """GET url from the loopback address `device` (another pupil's laptop, as far as the server can tell).

    Status 0 when the page has not finished within timeout: Voila keeps an unfinished page alive with a
    heartbeat, so a lesson that never ends would otherwise be read for ever.
    """
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout, source_address=(device, 0))
    deadline = time.monotonic() + timeout
    try:
        connection.request("GET", parts.path + (f"?{parts.query}" if parts.query else ""))
        reply = connection.getresponse()
        body = b""
        while chunk := reply.read1(65536):
            body += chunk
            if time.monotonic() > deadline:
                return 0, body.decode(errors="replace")
        return reply.status, body.decode(errors="replace")
    finally:
        connection.close()


def kernel_of(page: str) -> str:
    return re.search(r'"kernelId": "([^"]+)"', page).group(1)


def alive(server: Server, kernel_id: str) -> bool:
    return fetch(f"{server.url}/api/kernels/{kernel_id}")[0] == 200


def assert_calm(body: str) -> None:
    assert "Traceback" not in body and str(ROOT) not in body and "site-packages" not in body
    assert not re.findall(r"\b[A-Z]\w*(?:Error|Exception)\b", body)


@pytest.fixture(scope="module")
def curriculum(tmp_path_factory) -> Iterator[Path]:
    root = write_curriculum(tmp_path_factory.mktemp("guards"))
    yield root
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="module")
def guarded(curriculum) -> Iterator[Server]:
    """The guarded server with room enough: cells stopped after 3 s."""
    with present(str(curriculum), "--cell-seconds", "3", "--kernels-per-client", "10") as server:
        yield server


# --- kernels: a share per device, and a total ------------------------------------------------------------


async def _attached(url: str, kernel_id: str):
    """A page's websocket to its kernel: the page is open."""
    from tornado.websocket import websocket_connect

    return await websocket_connect(
        f"{url.replace('http', 'ws', 1)}/api/kernels/{kernel_id}/channels?session_id={uuid.uuid4().hex}"
    )


def test_one_device_gets_its_share_of_kernels_and_the_class_a_total(curriculum):
    """Two kernels per device, three in all: the third page of one device and a page beyond the total are
    refused with a page a pupil can read; a device at its share gets back its own kernel that no page holds.

    Before: 60 requests from one laptop started 61 kernels (~59 MB each, kept 20 minutes).
    """
    with present(str(curriculum), "--kernels-per-client", "2", "--max-kernels", "3") as server:
        lesson = f"{server.url}/voila/render/{BOARD}"
        first, second = (fetch_from("127.0.0.1", lesson) for _ in range(2))
        assert first[0] == second[0] == 200
        status, body = fetch_from("127.0.0.1", lesson)
        assert status == 429, "a third page from one device started a third kernel"
        assert "This device already has 2 lessons open" in body and "Close a lesson tab" in body
        assert_calm(body)
        assert fetch_from("127.0.0.2", lesson)[0] == 200  # another pupil's laptop still gets its lesson
        status, body = fetch_from("127.0.0.3", lesson)
        assert status == 503, "a page beyond the total started a kernel"
        assert "Every place on the classroom server is taken" in body
        assert_calm(body)
        assert server.log_text().count("Kernel started") == 3  # nothing started for the refused pages

        # The first page is open in a browser; the second was closed without a word. Once the second is
        # plainly abandoned (10 s with no page), a new page of the same device takes its place.
        async def open_first_then_come_back() -> tuple[int, str]:
            page = await _attached(server.url, kernel_of(first[1]))
            await asyncio.sleep(11)
            try:
                return await asyncio.to_thread(fetch_from, "127.0.0.1", lesson)
            finally:
                page.close()

        status, third = run_async(open_first_then_come_back())
        assert status == 200, third[-500:]
        assert not alive(server, kernel_of(second[1])), "the abandoned kernel was kept"
        assert alive(server, kernel_of(first[1])), "the kernel of an open page was shut down"
        assert alive(server, kernel_of(third))


# --- a lesson that never ends ------------------------------------------------------------------------------


def test_a_cell_that_never_ends_is_stopped_and_the_rest_of_the_lesson_shown(guarded):
    """`while True: pass` in a lesson: after the cell limit the page shows the calm note for that cell, the
    text after it, and the kernel is free again (before: the page never finished and a core stayed busy)."""
    status, page = fetch_from("127.0.0.1", f"{guarded.url}/voila/render/{FOREVER}", timeout=60)
    assert status == 200, "the lesson's page never finished"
    assert page.count(CALM) == 1 and "After the loop: FOREVER-AFTER." in page
    assert_calm(page)
    status, model = fetch(f"{guarded.url}/api/kernels/{kernel_of(page)}")
    assert status == 200 and json.loads(model)["execution_state"] == "idle"


def test_a_kernel_busy_past_the_limit_with_no_page_is_shut_down(guarded):
    """A cell that ignores the interrupt keeps its kernel busy: with no page attached it is shut down."""
    status, page = fetch_from("127.0.0.1", f"{guarded.url}/voila/render/{STUBBORN}", timeout=60)
    assert status == 200, "the lesson's page never finished"  # its stuck cell shows nothing
    assert_calm(page)
    kernel_id = kernel_of(page)
    deadline = time.monotonic() + 60  # busy 3 s + 5 s of grace, looked at every second
    while alive(guarded, kernel_id):
        assert time.monotonic() < deadline, "the busy kernel with no page was never shut down"
        time.sleep(1)
    assert f"shutting down kernel {kernel_id}: busy" in guarded.log_text()


# --- a page's websocket ------------------------------------------------------------------------------------


def _message(msg_type: str, content: dict, session: str) -> tuple[str, str]:
    """A message as a page's widget manager writes it (a comm_open carries its protocol's version)."""
    msg_id = uuid.uuid4().hex
    header = {"msg_id": msg_id, "msg_type": msg_type, "username": "", "session": session, "date": "", "version": "5.3"}
    versions = {"jupyter.widget.control": "1.0.0", "jupyter.widget": "2.1.0"}
    metadata = {"version": versions[content["target_name"]]} if msg_type == "comm_open" else {}
    body = {"header": header, "parent_header": {}, "metadata": metadata, "content": content, "channel": "shell"}
    return msg_id, json.dumps({**body, "buffers": []})


async def _read_until(socket_, done, timeout: float = 30) -> list[dict]:
    """Every message until done(messages) holds (or the socket closes, or time runs out)."""
    got: list[dict] = []
    deadline = asyncio.get_running_loop().time() + timeout
    while not done(got):
        left = deadline - asyncio.get_running_loop().time()
        if left <= 0:
            break
        try:
            frame = await asyncio.wait_for(socket_.read_message(), left)
        except asyncio.TimeoutError:
            break
        if frame is None:
            got.append({"closed": True})
            break
        got.append(json.loads(frame))
    return got


def _idle_after(msg_id: str):
    return lambda got: any(
        m.get("parent_header", {}).get("msg_id") == msg_id and m.get("content", {}).get("execution_state") == "idle"
        for m in got
    )


async def _poke_the_widget_machinery(url: str, kernel_id: str) -> list[dict]:
    """What a hostile page gets back: an unknown method on the control comm, an Output widget of its own
    making, then the page's own request for every widget's state."""
    socket_ = await _attached(url, kernel_id)
    session, control = uuid.uuid4().hex, uuid.uuid4().hex
    sent = [
        _message("comm_open", {"comm_id": control, "target_name": "jupyter.widget.control", "data": {}}, session),
        _message("comm_msg", {"comm_id": control, "data": {"method": "no-such-method"}}, session),
        _message(
            "comm_open",
            {
                "comm_id": uuid.uuid4().hex,
                "target_name": "jupyter.widget",
                "data": {"state": {"_model_name": "OutputModel", "_model_module": "@jupyter-widgets/output"}},
            },
            session,
        ),
    ]
    states_id, states = _message("comm_msg", {"comm_id": control, "data": {"method": "request_states"}}, session)
    for _, message in [*sent, (states_id, states)]:
        await socket_.write_message(message)
    got = await _read_until(socket_, _idle_after(states_id))
    socket_.close()
    return got


def test_the_page_gets_no_traceback_and_cannot_make_widgets_of_its_own(guarded):
    """No stderr stream, error or traceback reaches the page; an Output widget opened from the page is
    refused, so request_states still answers with the lesson's own widgets.

    Before: the unknown method sent the page a stderr traceback naming server paths, and the page's own
    Output widget broke request_states.
    """
    status, page = fetch_from("127.0.0.1", f"{guarded.url}/voila/render/{TICKET}")
    assert status == 200
    got = run_async(_poke_the_widget_machinery(guarded.url, kernel_of(page)))
    kinds = [m.get("msg_type") for m in got]
    assert "stream" not in kinds and "error" not in kinds, kinds
    raw = json.dumps(got)
    assert "Traceback" not in raw and str(ROOT) not in raw and "site-packages" not in raw
    states = [
        m for m in got if m.get("msg_type") == "comm_msg" and m["content"]["data"].get("method") == "update_states"
    ]
    assert states, f"request_states was not answered: {kinds}"
    models = {model["model_name"] for model in states[0]["content"]["data"]["states"].values()}
    assert "OutputModel" not in models and any("Questions" in name or "AnyModel" in name for name in models), models
    assert "refused a page's comm_open for 'jupyter.widget'" in guarded.log_text()
    assert "refused a page's widget control message 'no-such-method'" in guarded.log_text()


async def _listen(url: str, kernel_id: str, seconds: float) -> list[dict]:
    socket_ = await _attached(url, kernel_id)
    got = await _read_until(socket_, lambda got: False, timeout=seconds)
    socket_.close()
    return got


def test_a_kernels_stderr_never_reaches_the_page(guarded):
    """A lesson whose kernel writes to stdout and stderr while the page is open: the page gets the
    stdout stream only (stderr carries warnings, tracebacks and server paths)."""
    status, page = fetch_from("127.0.0.1", f"{guarded.url}/voila/render/{CHATTY}")
    assert status == 200
    got = run_async(_listen(guarded.url, kernel_of(page), 4))
    streams = [m["content"]["name"] for m in got if m.get("msg_type") == "stream"]
    assert "stdout" in streams, f"the kernel's output never reached the page: {streams}"
    assert "stderr" not in streams and "CHATTY-ERR" not in json.dumps(got)


async def _flood(url: str, kernel_id: str, count: int) -> tuple[int, float]:
    """count kernel_info_requests sent at once: how many were answered, and over how long (s)."""
    socket_ = await _attached(url, kernel_id)
    session = uuid.uuid4().hex
    sent = [_message("kernel_info_request", {}, session) for _ in range(count)]
    start = asyncio.get_running_loop().time()
    for _, message in sent:
        await socket_.write_message(message)
    wanted = {msg_id for msg_id, _ in sent}

    def all_answered(got: list[dict]) -> bool:
        return wanted <= {
            m.get("parent_header", {}).get("msg_id") for m in got if m.get("msg_type") == "kernel_info_reply"
        }

    got = await _read_until(socket_, all_answered, timeout=60)
    socket_.close()
    answered = {m.get("parent_header", {}).get("msg_id") for m in got if m.get("msg_type") == "kernel_info_reply"}
    return len(wanted & answered), asyncio.get_running_loop().time() - start


def test_a_flood_from_one_page_is_paced_never_dropped(guarded):
    """200 messages at once from one page (the budget: 100 at once, then 20 a second): every one is
    answered, and the server took the last 100 at the page's budget (5 s), not at once."""
    status, page = fetch_from("127.0.0.1", f"{guarded.url}/voila/render/{BOARD}")
    assert status == 200
    answered, took = run_async(_flood(guarded.url, kernel_of(page), 200))
    assert answered == 200, "a message of the flood was dropped"
    assert took >= 2.0, f"200 messages were all taken in {took:.2f} s: nothing paced them"


async def _send_big(url: str, kernel_id: str, size: int) -> bool:
    """Send a comm_msg of about size bytes, then kernel_info: True when the socket still answers."""
    from tornado.websocket import WebSocketClosedError

    socket_ = await _attached(url, kernel_id)
    session = uuid.uuid4().hex
    _, big = _message("comm_msg", {"comm_id": uuid.uuid4().hex, "data": {"pad": "x" * size}}, session)
    info_id, info = _message("kernel_info_request", {}, session)
    try:
        await socket_.write_message(big)
        await socket_.write_message(info)
    except WebSocketClosedError:  # the server closed it while the message was on its way
        return False
    got = await _read_until(socket_, lambda got: any(m.get("closed") for m in got) or _idle_after(info_id)(got))
    socket_.close()
    return _idle_after(info_id)(got)


def test_a_huge_websocket_message_closes_only_that_page(guarded):
    """A 400 KB message (more than a 1,000-piece board's change, about 70-330 KB) is taken; a 9.5 MB one
    closes that page's socket instead of stalling the server (before: ~0.6 s of the event loop each)."""
    status, page = fetch_from("127.0.0.1", f"{guarded.url}/voila/render/{BOARD}")
    kernel_id = kernel_of(page)
    assert run_async(_send_big(guarded.url, kernel_id, 400_000)) is True
    assert run_async(_send_big(guarded.url, kernel_id, 9_500_000)) is False
    assert run_async(_send_big(guarded.url, kernel_id, 10)) is True  # the kernel and server carry on


# --- HTTP: held connections, the teacher's token -----------------------------------------------------------


def test_a_connection_that_never_finishes_its_headers_is_closed(guarded):
    """A connection sending half a request is closed after the header time (10 s; before: an hour)."""
    port = urllib.parse.urlsplit(guarded.url).port
    with socket.create_connection(("127.0.0.1", port), timeout=40) as held:
        held.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # and never the blank line
        started = time.monotonic()
        try:
            closed = held.recv(1024) == b""
        except TimeoutError:
            closed = False
        assert closed, f"the server still held the connection after {time.monotonic() - started:.0f} s"


def test_the_teachers_token_never_reaches_the_log(guarded):
    """A teacher's request answered 404 or 403 is logged with the token hidden."""
    for path in ("mastery/plan/nowhere.ipynb", "mastery/plan/%ff", "voila/render/nowhere.ipynb", ""):
        fetch(f"{guarded.url}/{path}?token={guarded.token}")
    fetch(f"{guarded.url}/mastery/plan/nowhere.ipynb?theme=dark&token={guarded.token}&x=1")
    log = guarded.log_text()
    assert "404 GET /mastery/plan/nowhere.ipynb" in log  # the requests were logged
    lines = [line for line in log.splitlines() if "lesson plans (teacher)" not in line]  # the start-up address
    assert not [line for line in lines if guarded.token in line]


# --- a page whose rendering fails ----------------------------------------------------------------------------


class _StuckVoila:
    """Voila's page generator when its rendering task has failed: the head, then heartbeats for ever."""

    async def get_generator(self, path=None):
        yield guards.HEARTBEAT  # a kernel slow to start: before the head that defines the function
        yield "<html><head></head><body>"
        while True:
            await asyncio.sleep(0.01)
            yield guards.HEARTBEAT


class _StuckPage(guards.CappedLesson, _StuckVoila):
    def __init__(self, cell_seconds: float) -> None:
        limits = guards.Limits(cell_seconds=cell_seconds)
        self.settings = {"mastery_kernel_caps": guards.KernelCaps(_NoKernels(), limits, 10, guards.logging.getLogger())}


class _NoKernels:
    start_kernel = None


def test_a_page_whose_rendering_stops_ends_with_words_for_the_pupil(monkeypatch):
    """A lesson page that gets nothing but heartbeats past the cell limit and a kernel's start ends, calmly."""
    monkeypatch.setattr(guards, "START_SECONDS", 0.1)

    async def read(page):
        return [chunk async for chunk in page.get_generator("units/stuck.ipynb")]

    chunks = run_async(asyncio.wait_for(read(_StuckPage(cell_seconds=0.1)), timeout=30))
    assert chunks[-1] == guards.STOPPED and "tell your teacher" in chunks[-1]
    # Voila's heartbeat script never reaches the page: before the head it is a page error.
    assert guards.HEARTBEAT not in chunks and chunks[0] == guards.KEEP_ALIVE
