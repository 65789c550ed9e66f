"""Shared fixtures: the repository's paths, a real Voila server, and Debian's Chromium."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

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


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def voila_url() -> str:
    """A real Voila server with the classroom template, serving the repository on loopback."""
    port = _free_port()
    log = open(ARTEFACTS.parent / f".voila-{port}.log", "w")  # noqa: SIM115
    server = subprocess.Popen(
        [sys.executable, "-m", "lessons.cli", "present", str(ROOT), "--port", str(port), "--no-browser"],
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            urllib.request.urlopen(url + "/", timeout=2)
            break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                log.close()
                pytest.fail("Voila did not start:\n" + Path(log.name).read_text()[-3000:])
            time.sleep(0.3)
    yield url
    server.terminate()
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.kill()
    log.close()
    Path(log.name).unlink(missing_ok=True)


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
def open_notebook(page, voila_url):
    """Open a notebook of the repository in the classroom app and wait for its first board.

    Any request that leaves this computer fails the test: the classroom works offline.
    """
    outside: list[str] = []
    errors: list[str] = []
    page.on(
        "request",
        lambda r: r.url.startswith(("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:")) or outside.append(r.url),
    )
    page.on("pageerror", lambda e: errors.append(str(e)))

    def open_(relpath: str, wait_for: str = ".mn-board .mn-svg"):
        page.goto(f"{voila_url}/voila/render/{relpath}")
        page.wait_for_selector(wait_for, timeout=60_000)
        return page

    yield open_
    assert not outside, f"the page asked the network for {outside}"
    assert not errors, f"the page raised {errors}"


def save_screenshot(page, name: str) -> Path:
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTEFACTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path
