"""The static site (`mastery lite`): its build time, its size, and its time to interactive in Chromium.

The site is built once into a temporary folder and served by Python's plain static file server on
loopback. A visit: open the lesson in Jupyter Notebook, choose Run > Run All Cells as a pupil would, wait
for the first board with counters of both signs, drag a +1 onto a -1 and wait for Python's readout to
change. Time to interactive runs from navigation to that answer, measured in the page (probe.js). First
visit: a new browser context each time (an empty cache). With the cache: one context, its first visit
uncounted, then the same lesson again (the browser's cache and compiled WebAssembly kept; Pyodide still
starts afresh on every visit, as it does for a pupil).
"""

from __future__ import annotations

import asyncio
import json
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.page import PROBE, Chromium, _answer, _centre, _drag
from benchmarks.servers import LESSON, ROOT
from lessons.lite import build, serve

BOARD = ".mn-board:has(.counter.positive):has(.counter.negative)"  # the lesson's first such board
TIMEOUT_S = 300


@dataclass
class LiteRun:
    build_s: float = 0.0
    size_mb: float = 0.0
    files: int = 0
    cold_ms: list[float] = field(default_factory=list)
    warm_ms: list[float] = field(default_factory=list)
    drawn_cold_ms: list[float] = field(default_factory=list)  # navigation -> the board drawn
    outside: list[str] = field(default_factory=list)


async def _visit(context, url: str, run: LiteRun) -> tuple[float, float]:
    """One visit: (navigation -> board drawn, navigation -> the drag answered), in ms."""
    page = await context.new_page()
    page.on("request", lambda r: None if r.url.startswith((url, "data:", "blob:")) else run.outside.append(r.url))
    await page.add_init_script(PROBE + f"\n__probe.waitDrawn({json.dumps(BOARD + ' .mn-piece')});")
    await page.goto(f"{url}/notebooks/index.html?path={LESSON}", timeout=TIMEOUT_S * 1000)
    await page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=TIMEOUT_S * 1000)
    await page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    await page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
    await page.wait_for_function("window.__probe.drawn !== null", timeout=TIMEOUT_S * 1000)
    drawn = await page.evaluate("__probe.drawn")
    await page.locator(BOARD).first.scroll_into_view_if_needed()
    await page.evaluate(f"__probe.watchText({json.dumps(BOARD + ' .mn-headline')})")
    positive, negative = BOARD + " .mn-piece:has(.counter.positive)", BOARD + " .mn-piece:has(.counter.negative)"
    await _drag(page, await _centre(page, positive), await _centre(page, negative), 10)
    answered = await _answer(page, 0, timeout=60)
    up = await page.evaluate("__probe.lastPointerUp")
    await page.close()
    return drawn, up + answered


async def measure_lite(chromium: Chromium, visits: int, say) -> LiteRun:
    run = LiteRun()
    with tempfile.TemporaryDirectory(prefix="mastery-lite-bench-") as tmp:
        site = Path(tmp) / "site"
        say("lite: building the static site")
        began = time.perf_counter()
        # the build checks the lessons with asyncio.run: not on this running loop
        await asyncio.to_thread(build, ROOT, site, log=lambda *_: None)
        run.build_s = time.perf_counter() - began
        files = [p for p in site.rglob("*") if p.is_file()]
        run.files, run.size_mb = len(files), sum(p.stat().st_size for p in files) / 1e6
        with serve(site) as url:
            say(f"lite: {visits} first visits, each in a fresh browser context")
            for _ in range(visits):
                context = await chromium.context()
                drawn, interactive = await _visit(context, url, run)
                await context.close()
                run.drawn_cold_ms.append(drawn)
                run.cold_ms.append(interactive)
            say(f"lite: {visits} visits with the browser's cache (one context, its first visit uncounted)")
            context = await chromium.context()
            await _visit(context, url, run)
            for _ in range(visits):
                run.warm_ms.append((await _visit(context, url, run))[1])
            await context.close()
    return run
