"""Shared fixtures: the repository's paths, a real Voila server, and Debian's Chromium."""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from lessons.format import is_teacher_only, text

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path(os.environ.get("MASTERY_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTEFACTS = ROOT / "tests" / "artefacts"  # screenshots kept for a person to look at


FIXTURE_CURRICULUM = ROOT / "tests" / "fixtures" / "curriculum"  # a small curriculum of our own, for the server
TEST_NOTEBOOKS = ["tests/notebooks", "tests/fixtures/faults"]  # served only when named (mastery present --also)
collect_ignore_glob = ["fixtures/*"]  # fixture lessons fail on purpose; they are served, not run by nbval


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    """A running `mastery present`: its address, the teacher's token it printed, and its log."""

    url: str
    token: str
    log: Path
    process: subprocess.Popen

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")


def fetch(url: str, method: str = "GET") -> tuple[int, str]:
    """Status and body of a request, redirects followed, errors included."""
    try:
        with urllib.request.urlopen(urllib.request.Request(url, method=method), timeout=120) as reply:
            return reply.status, reply.read().decode(errors="replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")


def run_async(coroutine: Any) -> Any:
    """Run a coroutine to its end, in a thread of its own: Playwright's loop may be running in this one."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def stop(process: subprocess.Popen) -> None:
    """Stop a server we started: politely, then firmly."""
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()


def wait_until_up(url: str, process: subprocess.Popen, log: Path, name: str, timeout: float = 120) -> None:
    """Wait for a Jupyter server we started to answer /api/status; fail with its log if it dies or never does."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            urllib.request.urlopen(url + "/api/status", timeout=2)
            return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"{name} did not start:\n" + log.read_text(errors="replace")[-3000:])
            time.sleep(0.5)


@contextlib.contextmanager
def present(*args: str, cwd: Path = ROOT, timeout: float = 90) -> Iterator[Server]:
    """Run `mastery present ARGS --port P --no-browser` and wait until it prints its addresses.

    A test's requests all come from 127.0.0.1, one device to the server: it may hold 100 kernels, unless
    ARGS say otherwise (tests/test_guards.py tests the limit per device with addresses of their own).
    """
    port = _free_port()
    log_path = ARTEFACTS.parent / f".voila-{port}.log"
    log = open(log_path, "w")  # noqa: SIM115
    if args and Path(args[0]) == ROOT:  # the repository's own test notebooks, served beside its curriculum
        args = (*args, *(option for folder in TEST_NOTEBOOKS for option in ("--also", folder)))
    server = subprocess.Popen(
        [sys.executable, "-m", "lessons.cli", "present", "--kernels-per-client", "100", *args]
        + ["--port", str(port), "--no-browser"],
        cwd=cwd,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + timeout
    try:
        while True:
            printed = re.search(r"lesson plans \(teacher\): +(http://\S+?)/\S*\?token=(\S+)", log_path.read_text())
            if printed:
                try:
                    urllib.request.urlopen(printed.group(1) + "/", timeout=5)
                    break
                except OSError:
                    pass
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail("mastery present did not start:\n" + log_path.read_text()[-3000:])
            time.sleep(0.3)
        yield Server(printed.group(1), printed.group(2), log_path, server)
    finally:
        stop(server)
        log.close()
        log_path.unlink(missing_ok=True)


@pytest.fixture(scope="session")
def voila_url() -> Iterator[str]:
    """A real classroom server (Voila with the classroom template) serving the repository on loopback."""
    with present(str(ROOT)) as server:
        yield server.url


@pytest.fixture(scope="session")
def classroom() -> Iterator[Server]:
    """A real classroom server on the fixture curriculum (tests/fixtures/curriculum), from its root."""
    with present(str(FIXTURE_CURRICULUM)) as server:
        yield server


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A real PostgreSQL server of the tests' own (tests/postgres.py): the URL of its `postgres` database."""
    from postgres import PostgresMissing, postgres_server

    with contextlib.ExitStack() as running:
        try:
            url = running.enter_context(postgres_server())
        except PostgresMissing as missing:
            if os.environ.get("CI") == "true":
                pytest.fail(str(missing))  # in CI a missing PostgreSQL is a failure, never a skip
            pytest.skip(str(missing))
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path) -> Iterator[str]:
    """The address of an empty class store: a SQLite file, then a database on the tests' PostgreSQL server."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'classes.sqlite'}"
        return
    from postgres import fresh_database

    with fresh_database(request.getfixturevalue("postgres_url")) as url:
        yield url


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """Debian's Chromium: Playwright cannot download its own browser here."""
    if not CHROMIUM.exists():
        message = f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)  # in CI a missing browser is a failure, never a skip
        pytest.skip(message)
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    return {**browser_context_args, "viewport": {"width": 1920, "height": 1080}}


@pytest.fixture
def watched(page):
    """The page, failing the test if it asks another computer for anything or raises.

    The classroom works offline: any request that leaves this computer is a failure.
    """
    outside: list[str] = []
    errors: list[str] = []
    page.on(
        "request",
        lambda r: r.url.startswith(("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:")) or outside.append(r.url),
    )
    page.on("pageerror", lambda e: errors.append(str(e)))
    yield page
    assert not outside, f"the page asked the network for {outside}"
    assert not errors, f"the page raised {errors}"


@pytest.fixture
def open_notebook(watched, voila_url):
    """Open a notebook of the repository in the classroom app (a `watched` page) and wait for its first board."""
    page = watched

    def open_(relpath: str, wait_for: str = ".mn-board .mn-svg"):
        page.goto(f"{voila_url}/voila/render/{relpath}")
        page.wait_for_selector(wait_for, timeout=60_000)
        return page

    return open_


def teacher_lines(notebook: Path) -> list[str]:
    """Distinctive lines of a lesson's teacher-only cells: none may reach a pupil's page.

    A line the pupils' cells also hold (a true/false statement the notes discuss) is no secret."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    pupils = "\n".join(text(cell) for cell in cells if not is_teacher_only(cell))
    lines = (line.strip("#*-> ").strip() for cell in cells if is_teacher_only(cell) for line in text(cell).splitlines())
    return [line for line in lines if len(line) > 25 and line not in pupils]


def save_screenshot(page, name: str) -> Path:
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTEFACTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path


def mouse_drag(page, start: tuple[float, float], end: tuple[float, float], steps: int = 15) -> None:
    """The mouse pressed at `start`, moved in steps to `end`, and let go there."""
    page.mouse.move(*start)
    page.mouse.down()
    for step in range(1, steps + 1):
        page.mouse.move(start[0] + (end[0] - start[0]) * step / steps, start[1] + (end[1] - start[1]) * step / steps)
    page.mouse.up()


def touch_drag(page, start: tuple[float, float], end: tuple[float, float], steps: int = 15) -> None:
    """One finger from `start` to `end` on the screen, as Chromium's touch events (through CDP)."""
    touch = page.context.new_cdp_session(page)
    touch.send("Emulation.setTouchEmulationEnabled", {"enabled": True, "maxTouchPoints": 5})

    def finger(kind: str, x: float, y: float) -> None:
        points = [] if kind == "touchEnd" else [{"x": x, "y": y, "id": 1}]
        touch.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})

    finger("touchStart", *start)
    for step in range(1, steps + 1):
        finger(
            "touchMove", start[0] + (end[0] - start[0]) * step / steps, start[1] + (end[1] - start[1]) * step / steps
        )
    finger("touchEnd", *end)


def assert_touch_targets(board) -> None:
    """Every button of a board's toolbar takes a finger: at least 44 px each way."""
    for button in board.locator(".mn-tool").all():
        box = button.bounding_box()
        assert box["width"] >= 44 and box["height"] >= 44, "touch targets are at least 44 px"
