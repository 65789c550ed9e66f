"""Measures taken inside a real page: Playwright driving Debian's Chromium, timed with performance.now().

`probe.js` is installed before the page's own scripts. It notes when the first widget is drawn, the time of
every pointerup (capture phase, before the widget sees it), each change of a readout's text (a
MutationObserver), and frame timings while a drag runs.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
from dataclasses import dataclass, field
from pathlib import Path

from playwright.async_api import Browser, BrowserContext, Page, async_playwright

PROBE = (Path(__file__).parent / "probe.js").read_text(encoding="utf-8")
CHROMIUM = Path(os.environ.get("MASTERY_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [  # as tests/conftest.py starts it
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # Nothing leaves this computer: any other host fails at once (stock Voila's lab template asks a CDN for
    # icons). Not Playwright's page.route, which would turn the browser's cache off.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]
VIEWPORT = {"width": 1920, "height": 1080}
LOOPBACK = ("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:")


@dataclass
class Kind:
    """A page to measure: where its first widget is, the readout Python computes, how a pupil changes it."""

    name: str
    hash: str  # the classroom template shows one section at a time: the section with the board
    drawn: str  # selector: the first widget drawn
    readout: str  # selector: text computed in Python
    first: str  # "zero-pair" (drag a + onto a -), "click" (the button), "tap" (flip a counter)
    tap: str  # selector of what a tap or click changes (a counter flips back and forth)
    handle: str = ""  # selector of what a drag moves
    pair: tuple[str, str] = ("", "")  # the first change on a lesson: drag this piece onto that one


LESSON_PAGE = Kind(
    "lesson",
    "#section-5",  # the pictorial section: the "picture" board, 5 positive and 2 negative counters
    "#mn-section-5 .mn-board .mn-piece",
    "#mn-section-5 .mn-headline",
    "zero-pair",
    "#mn-section-5 .mn-piece >> nth=0",
    pair=("#mn-section-5 .mn-piece:has(.counter.positive)", "#mn-section-5 .mn-piece:has(.counter.negative)"),
)
FLOOR_PAGE = Kind(
    "floor",
    "",
    ".widget-vbox > .widget-label",
    ".widget-vbox > .widget-label",
    "click",
    ".widget-button",
    ".noUi-handle",
)
MANY_PAGE = Kind(
    "many", "", ".mn-board .mn-piece", ".mn-board .mn-headline", "tap", ".mn-piece >> nth=250", ".mn-piece >> nth=250"
)


@dataclass
class PageVisit:
    drawn_ms: float = 0.0  # navigation -> first widget drawn
    first_ms: float = 0.0  # the first change (a drag or click) -> Python's readout on screen
    interactive_ms: float = 0.0  # drawn_ms + first_ms
    round_trips: list[float] = field(default_factory=list)
    # each round trip in three: pointerup -> message sent, sent -> answer received, received -> readout changed
    splits: list[tuple[float, float, float]] = field(default_factory=list)
    kernel_id: str = ""
    outside: list[str] = field(default_factory=list)  # requests that left this computer (refused)
    errors: list[str] = field(default_factory=list)
    assets: list[str] = field(default_factory=list)  # same-origin GETs after the page itself


class Chromium:
    """One headless Chromium for a run; contexts are pupils' browsers (each its own cache)."""

    def __init__(self) -> None:
        self._playwright = None
        self.browser: Browser | None = None

    async def __aenter__(self) -> Chromium:
        if not CHROMIUM.exists():
            raise RuntimeError(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
        self._playwright = await async_playwright().start()
        self.browser = await self._playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        return self

    async def __aexit__(self, *exc) -> None:
        await self.browser.close()
        await self._playwright.stop()

    async def context(self) -> BrowserContext:
        return await self.browser.new_context(viewport=VIEWPORT)


async def _centre(page: Page, selector: str) -> tuple[float, float]:
    box = await page.locator(selector).first.bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


async def _answer(page: Page, before: int, timeout: float = 30, splits: list | None = None) -> float:
    """Wait for the readout's next change; ms from the last pointerup to it."""
    await page.wait_for_function(f"window.__probe.changes.length > {before}", timeout=timeout * 1000, polling="raf")
    up, change = await page.evaluate("[__probe.lastPointerUp, __probe.changes[__probe.changes.length - 1]]")
    if splits is not None and change.get("sent") and change.get("received"):
        splits.append((change["sent"] - up, change["received"] - change["sent"], change["t"] - change["received"]))
    return change["t"] - up


async def _drag(page: Page, start: tuple[float, float], end: tuple[float, float], steps: int, pause: float = 0) -> None:
    (x0, y0), (x1, y1) = start, end
    await page.mouse.move(x0, y0)
    await page.mouse.down()
    for step in range(1, steps + 1):
        await page.mouse.move(x0 + (x1 - x0) * step / steps, y0 + (y1 - y0) * step / steps)
        if pause:
            await asyncio.sleep(pause)
    await page.mouse.up()


async def open_page(context: BrowserContext, url: str, kind: Kind, timeout: float = 180) -> tuple[Page, PageVisit]:
    """Navigate, wait for the first widget, make the first change: time to interactive, measured in the page."""
    visit = PageVisit()
    page = await context.new_page()
    origin = url.split("/", 3)[:3]
    same_origin = "/".join(origin)

    def request(r) -> None:
        if not r.url.startswith(LOOPBACK):
            visit.outside.append(r.url)
        elif r.url.startswith(same_origin) and r.method == "GET" and r.resource_type != "document":
            visit.assets.append(r.url)

    page.on("request", request)
    page.on("pageerror", lambda e: visit.errors.append(str(e)))
    await page.add_init_script(PROBE + f"\n__probe.waitDrawn({json.dumps(kind.drawn)});")
    await page.goto(url + kind.hash, wait_until="commit", timeout=timeout * 1000)
    await page.wait_for_function("window.__probe && window.__probe.drawn !== null", timeout=timeout * 1000)
    visit.drawn_ms = await page.evaluate("__probe.drawn")
    visit.kernel_id = await page.evaluate(
        "JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId"
    )
    # A lesson may keep a board's maths back until asked: the pupil presses "Show the maths" first.
    if await page.evaluate("[...document.querySelectorAll('.mn-show-maths')].map((b) => b.click()).length"):
        await page.wait_for_function(
            f"(document.querySelector({json.dumps(kind.readout)}) || {{}}).textContent", timeout=timeout * 1000
        )
    await page.evaluate(f"__probe.watchText({json.dumps(kind.readout)})")
    if kind.first == "zero-pair":
        await _drag(page, await _centre(page, kind.pair[0]), await _centre(page, kind.pair[1]), 10)
    else:
        await page.mouse.click(*await _centre(page, kind.tap))
    visit.first_ms = await _answer(page, 0, timeout)
    visit.interactive_ms = visit.drawn_ms + visit.first_ms
    return page, visit


async def round_trips(
    page: Page, kind: Kind, visit: PageVisit, n: int, rng: random.Random, think: tuple[float, float] = (0.05, 0.15)
) -> None:
    """n taps or clicks, each waited for: ms from the pointerup to Python's readout on screen."""
    for _ in range(n):
        await asyncio.sleep(rng.uniform(*think))
        before = await page.evaluate("__probe.changes.length")
        await page.mouse.click(*await _centre(page, kind.tap))
        visit.round_trips.append(await _answer(page, before, splits=visit.splits))


async def drag_frames(page: Page, kind: Kind, moves: int = 120, pause: float = 0.008) -> dict:
    """Frame timings while one piece (or the slider's handle) is dragged, then the drop's answer from Python."""
    await page.wait_for_timeout(500)  # let the page settle after its first draw
    x, y = await _centre(page, kind.handle)
    await page.evaluate("__probe.startFrames()")
    before = await page.evaluate("__probe.changes.length")
    await _drag(page, (x, y), (x + 240, y + 160), moves, pause)
    await page.wait_for_timeout(300)
    frames = await page.evaluate("__probe.stopFrames()")
    try:
        frames["drop_answer_ms"] = await _answer(page, before, 30)
    except Exception:  # a drop that changes nothing Python reads out has no answer to time
        frames["drop_answer_ms"] = None
    return frames
