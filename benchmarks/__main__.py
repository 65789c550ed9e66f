"""`python -m benchmarks`: how fast the classroom is, beside the floor of the stack, in one run on loopback.

Prints a table (median, p95, goal) and writes benchmarks/results.json. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import psutil

from benchmarks import page as pages
from benchmarks import percentile, servers
from benchmarks.lite import LiteRun, measure_lite
from benchmarks.messages import message_costs
from benchmarks.page import FLOOR_PAGE, LESSON_PAGE, MANY_PAGE, Chromium, Kind, PageVisit
from benchmarks.protocol import FlipCounters, MoveSlider, Play, Pupil, Visit
from benchmarks.servers import FLOOR, LESSON, MANY, ROOT, Server

RESULTS = Path(__file__).parent / "results.json"
OURS, STOCK = "ours", "stock Voila"
FRAME_MS = 1000 / 60
SPLIT = "medians: pointerup to sent {:.1f} ms, sent to answer {:.1f} ms, answer to readout {:.1f} ms"


@dataclass
class Settings:
    visits: int = 5  # page loads per cold or warm measure
    taps: int = 10  # round trips per warm visit
    pupils: int = 30  # the class
    real: int = 3  # of them, real Chromium pages; the rest speak the protocol
    spread: float = 10.0  # seconds within which the class opens the lesson
    changes: int = 10  # each pupil's changes in the class
    think: tuple[float, float] = (0.5, 1.5)  # seconds between a pupil's changes
    pool: int = 2  # pre-heated kernels per notebook for the single-page measures
    imports: int = 5  # fresh interpreters per import measured
    drag_moves: int = 120
    first_visit_uncounted: bool = True  # the browser's and server's very first page (profile, templates)
    every_import: bool = True  # anywidget, ipywidgets, numpy, matplotlib, and in a kernel, not only widgets
    our_floor: bool = True  # the floor page on our server too (beside stock Voila's)
    stock: bool = True
    seed: int = 8


QUICK = Settings(
    visits=1,
    taps=3,
    pupils=2,
    real=1,
    spread=1.0,
    changes=2,
    think=(0.1, 0.3),
    pool=2,
    imports=1,
    drag_moves=20,
    first_visit_uncounted=False,
    every_import=False,
    our_floor=False,
)


# --- statistics and the table -------------------------------------------------------------------------------


@dataclass
class Row:
    measure: str
    page: str
    server: str
    values: list[float]
    unit: str = "ms"
    goal: str = ""
    check: Callable[[float, float], bool] | None = field(default=None, repr=False)  # (median, p95) -> met
    note: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.values) if self.values else float("nan")

    @property
    def p95(self) -> float:
        return percentile(self.values, 95)

    @property
    def met(self) -> bool | None:
        if self.check is None:
            return None
        return bool(self.values) and self.check(self.median, self.p95)

    def as_json(self) -> dict:
        return {
            "measure": self.measure,
            "page": self.page,
            "server": self.server,
            "unit": self.unit,
            "n": len(self.values),
            "median": round(self.median, 2),
            "p95": round(self.p95, 2),
            "goal": self.goal,
            "met": self.met,
            "note": self.note,
            "values": [round(v, 2) for v in self.values],
        }


def table(rows: list[Row]) -> str:
    head = ["measure", "page", "server", "n", "median", "p95", "goal", "met"]
    lines = []
    for row in rows:
        met = {None: "", True: "yes", False: "NO"}[row.met]
        unit = f" {row.unit}" if row.unit else ""
        lines.append(
            [
                row.measure,
                row.page,
                row.server,
                str(len(row.values)),
                f"{row.median:.1f}{unit}",
                f"{row.p95:.1f}{unit}",
                row.goal,
                met,
            ]
        )
    widths = [max(len(h), *(len(line[i]) for line in lines)) for i, h in enumerate(head)]
    out = [" | ".join(h.ljust(w) for h, w in zip(head, widths, strict=True)), "-|-".join("-" * w for w in widths)]
    out += [" | ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)) for line in lines]
    return "\n".join(out)


def say(text: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {text}", flush=True)


# --- single pages: time to interactive, round trip, drag, kernel memory ------------------------------------


@dataclass
class PageRun:
    visits: list[PageVisit] = field(default_factory=list)
    kernel_mb: list[float] = field(default_factory=list)
    frames: dict | None = None
    assets: list[str] = field(default_factory=list)
    preheated: int = 0  # visits that were handed a pre-heated kernel


async def cold_visits(
    chromium: Chromium, server: Server, relpath: str, kind: Kind, n: int, uncounted: int = 1
) -> PageRun:
    """Each visit a fresh browser (empty cache) and a server with no kernel waiting: it starts one.

    The first visit is not counted: it is the browser's and the server's first of the run (profile, templates).
    """
    run = PageRun()
    for i in range(n + uncounted):
        context = await chromium.context()
        page, visit = await pages.open_page(context, server.page(relpath), kind)
        if i >= uncounted:
            run.visits.append(visit)
        run.assets = run.assets or [a.split("/", 3)[3] for a in visit.assets if "/api/" not in a]
        await context.close()
        server.shutdown(visit.kernel_id)
    return run


async def warm_visits(
    chromium: Chromium, server: Server, relpath: str, kind: Kind, s: Settings, rng: random.Random, drag: bool = False
) -> PageRun:
    """A browser that has seen the page before (warm cache) and a pre-heated kernel for each visit.

    The first visit only fills the browser's cache. When every pre-heated kernel has been taken, the next
    visit waits until the pool is full again and its kernels have run the notebook.
    """
    run = PageRun()
    context = await chromium.context()
    said = f"{Path(relpath).name} is filled"  # Voila says so once for each kernel it puts back
    taken, filled = 0, server.count(said)
    for n in range(s.visits + 1):
        if taken == s.pool:
            await asyncio.to_thread(server.wait_for, said, filled + taken, 600)
            await asyncio.to_thread(server.wait_quiet)
            taken, filled = 0, server.count(said)
        page, visit = await pages.open_page(context, server.page(relpath), kind)
        taken += 1
        if n:
            run.visits.append(visit)
            run.preheated += f"Using pre-heated kernel: {visit.kernel_id}" in server.log_text()
            if drag and run.frames is None:  # first, while the 500 counters are still an array the drop breaks
                run.frames = await pages.drag_frames(page, kind, s.drag_moves)
            await pages.round_trips(page, kind, visit, s.taps, rng)
            proc = server.kernel_process(visit.kernel_id)
            if proc is not None:
                run.kernel_mb.append(proc.memory_info().rss / 2**20)
        await page.close()
        server.shutdown(visit.kernel_id)
    await context.close()
    return run


# --- a class: many pupils at once ---------------------------------------------------------------------------


@dataclass
class ClassRun:
    protocol: list[Visit] = field(default_factory=list)
    real: list[PageVisit] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    memory: list[dict] = field(default_factory=list)  # samples while the class works
    memory_end: dict = field(default_factory=dict)
    seconds: float = 0.0


async def a_class(
    chromium: Chromium,
    server: Server,
    relpath: str,
    kind: Kind,
    play: Callable[[], Play],
    assets: list[str],
    s: Settings,
) -> ClassRun:
    """s.pupils open the page within s.spread seconds and each make s.changes changes; s.real of them are pages."""
    rng = random.Random(s.seed)
    run = ClassRun()
    starts = sorted(rng.uniform(0, s.spread) for _ in range(s.pupils))
    real = {round(i * s.pupils / s.real + s.pupils / (2 * s.real)) for i in range(s.real)} if s.real else set()
    url = server.page(relpath)
    opened: list[Pupil] = []
    contexts = []
    done = asyncio.Event()

    async def protocol_pupil(n: int) -> None:
        await asyncio.sleep(starts[n])
        pupil = Pupil(server.url, url, play(), assets=[f"{server.url}/{a}" for a in assets], seed=n)
        opened.append(pupil)
        try:
            await pupil.open()
            for _ in range(s.changes):
                await asyncio.sleep(rng.uniform(*s.think))
                await pupil.change()
        except Exception as error:
            run.failures.append(f"pupil {n}: {type(error).__name__}: {error}")
        run.protocol.append(pupil.visit)

    async def page_pupil(n: int) -> None:
        await asyncio.sleep(starts[n])
        context = await chromium.context()
        contexts.append(context)
        try:
            page, visit = await pages.open_page(context, url, kind)
            await pages.round_trips(page, kind, visit, s.changes, rng, s.think)
            run.real.append(visit)
        except Exception as error:
            run.failures.append(f"page {n}: {type(error).__name__}: {error}")

    async def sample() -> None:
        while not done.is_set():
            run.memory.append(await asyncio.to_thread(server.memory))
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(done.wait(), 1.0)

    say(f"  {s.pupils} pupils ({len(real)} in Chromium) open {relpath} within {s.spread:g} s")
    began = time.perf_counter()
    sampler = asyncio.ensure_future(sample())
    await asyncio.gather(*(page_pupil(n) if n in real else protocol_pupil(n) for n in range(s.pupils)))
    run.seconds = time.perf_counter() - began
    say(f"  done in {run.seconds:.0f} s; {len(run.failures)} failed")
    run.memory_end = await asyncio.to_thread(server.memory)  # every pupil's kernel still running
    done.set()
    await sampler
    for context in contexts:
        await context.close()
    for pupil in opened:
        await pupil.close()
    return run


# --- what an import costs -----------------------------------------------------------------------------------

_IMPORT = """
import json, sys, time
def rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * __import__("os").sysconf("SC_PAGE_SIZE") / 2**20
{before}
r0, t0 = rss(), time.perf_counter()
import {module}
print(json.dumps({{"ms": (time.perf_counter() - t0) * 1000, "mb": rss() - r0, "rss": rss()}}))
"""


def import_cost(module: str, before: str = "", repeats: int = 5) -> dict[str, list[float]]:
    """ms and MB of `import module` in fresh interpreters (after `before`, as in a kernel)."""
    ms, mb = [], []
    # Compiled as an installed kit is: a machine that writes no bytecode would time the compiler instead.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    code = _IMPORT.format(module=module, before=before)
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, env=env, check=True)
    for _ in range(repeats):
        out = subprocess.run(
            [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, env=env, check=True
        )
        got = json.loads(out.stdout.strip().splitlines()[-1])
        ms.append(got["ms"])
        mb.append(got["mb"])
    return {"ms": ms, "mb": mb}


# --- the whole run ------------------------------------------------------------------------------------------


def _ms(visits: list, attr: str) -> list[float]:
    return [getattr(v, attr) for v in visits]


def _trips(visits: list) -> list[float]:
    return [t for v in visits for t in v.round_trips]


PARTS = ("imports", "messages", "pages", "class", "lite")
QUICK_PARTS = PARTS[:-1]  # the static site takes minutes to build and start: `--only lite` runs it


async def measure(s: Settings, parts: tuple[str, ...] = PARTS) -> tuple[list[Row], dict]:
    rng = random.Random(s.seed)
    detail: dict = {}
    cold: dict[tuple[str, str], PageRun] = {}
    warm: dict[tuple[str, str], PageRun] = {}
    classes: dict[tuple[str, str], ClassRun] = {}
    imports: dict[str, dict] = {}
    lesson_assets: list[str] = []
    floor_assets: list[str] = []

    if "imports" in parts:
        say("imports: fresh interpreters")
        imports = {"widgets": import_cost("widgets", repeats=s.imports)}
        if s.every_import:
            imports["widgets, in a kernel (after ipykernel)"] = import_cost(
                "widgets", "import ipykernel.kernelapp, ipywidgets", repeats=s.imports
            )
            for module in ("anywidget", "ipywidgets", "numpy", "matplotlib.pyplot"):
                imports[module] = import_cost(module, repeats=s.imports)
        detail["imports"] = imports

    messages: dict[str, list[float]] = {}
    if "messages" in parts:
        say("messages: the heaviest changes a board accepts, CPU time in this process")
        messages = message_costs(repeats=s.imports)
        detail["messages"] = messages

    first = int(s.first_visit_uncounted)
    lite: LiteRun | None = None
    async with Chromium() as chromium:
        if "lite" in parts:
            lite = await measure_lite(chromium, s.visits, say)
        if "pages" in parts:
            say("cold: our server, nothing pre-heated, a fresh browser each visit")
            with servers.classroom() as server:
                cold[OURS, "lesson"] = await cold_visits(chromium, server, LESSON, LESSON_PAGE, s.visits, first)
                if s.our_floor:
                    cold[OURS, "floor"] = await cold_visits(chromium, server, FLOOR, FLOOR_PAGE, s.visits, first)
            lesson_assets = cold[OURS, "lesson"].assets

            say(f"warm: our server, {s.pool} kernels pre-heated per notebook, the browser's cache warm")
            with servers.classroom([LESSON, FLOOR, MANY] if s.our_floor else [LESSON, MANY], pool=s.pool) as server:
                warm[OURS, "lesson"] = await warm_visits(chromium, server, LESSON, LESSON_PAGE, s, rng)
                if s.our_floor:
                    warm[OURS, "floor"] = await warm_visits(chromium, server, FLOOR, FLOOR_PAGE, s, rng)
                say("drag: 500 counters")
                once = Settings(**{**asdict(s), "visits": 1})
                warm[OURS, "many"] = await warm_visits(chromium, server, MANY, MANY_PAGE, once, rng, drag=True)
                if "class" in parts and s.pupils <= s.pool:  # a small class (--quick): this server will do
                    classes[OURS, "lesson"] = await a_class(
                        chromium, server, LESSON, LESSON_PAGE, lambda: FlipCounters("picture"), lesson_assets, s
                    )

            if s.stock:
                say("cold: stock Voila, the floor page")
                with servers.stock_voila(FLOOR) as server:
                    cold[STOCK, "floor"] = await cold_visits(chromium, server, FLOOR, FLOOR_PAGE, s.visits, first)
                floor_assets = cold[STOCK, "floor"].assets
                say("warm: stock Voila, the floor page pre-heated")
                with servers.stock_voila(FLOOR, pool=s.pool) as server:
                    warm[STOCK, "floor"] = await warm_visits(chromium, server, FLOOR, FLOOR_PAGE, s, rng, drag=True)
                    if "class" in parts and s.pupils <= s.pool:
                        classes[STOCK, "floor"] = await a_class(
                            chromium, server, FLOOR, FLOOR_PAGE, MoveSlider, floor_assets, s
                        )

        if "class" in parts and (OURS, "lesson") not in classes:
            if not lesson_assets:
                lesson_assets = await assets_of(chromium, servers.classroom(), LESSON, LESSON_PAGE)
            say(f"a class of {s.pupils}: our server with a pool of {s.pupils} for the lesson (filling takes a while)")
            with servers.classroom([LESSON], pool=s.pupils) as server:
                classes[OURS, "lesson"] = await a_class(
                    chromium, server, LESSON, LESSON_PAGE, lambda: FlipCounters("picture"), lesson_assets, s
                )
            if s.stock and (STOCK, "floor") not in classes:
                if not floor_assets:
                    floor_assets = await assets_of(chromium, servers.stock_voila(FLOOR), FLOOR, FLOOR_PAGE)
                say(f"a class of {s.pupils}: stock Voila, the floor page, a pool of {s.pupils}")
                with servers.stock_voila(FLOOR, pool=s.pupils) as server:
                    classes[STOCK, "floor"] = await a_class(
                        chromium, server, FLOOR, FLOOR_PAGE, MoveSlider, floor_assets, s
                    )

    rows = _rows(s, cold, warm, classes, imports)
    if lite is not None:
        rows += _lite_rows(lite)
        detail["lite"] = asdict(lite)
    rows += [
        Row(f"CPU of one message: {name}", "", "", cost, goal="p95 <= 250 ms", check=lambda median, p95: p95 <= 250)
        for name, cost in messages.items()
    ]
    detail["cold"] = {f"{k[0]}: {k[1]}": _run_detail(v) for k, v in cold.items()}
    detail["warm"] = {f"{k[0]}: {k[1]}": _run_detail(v) for k, v in warm.items()}
    detail["class"] = {
        f"{k[0]}: {k[1]}": {
            "seconds": round(v.seconds, 1),
            "failures": v.failures,
            "memory_end": v.memory_end,
            "memory_samples": v.memory,
            "protocol": [_visit(x) for x in v.protocol],
            "pages": [_visit(x) for x in v.real],
        }
        for k, v in classes.items()
    }
    return rows, detail


async def assets_of(chromium: Chromium, serving, relpath: str, kind: Kind) -> list[str]:
    """The same-origin files a page with an empty cache fetches (for protocol-level pupils to fetch too)."""
    with serving as server:
        run = await cold_visits(chromium, server, relpath, kind, 0)
    return run.assets


def _rows(s: Settings, cold: dict, warm: dict, classes: dict, imports: dict) -> list[Row]:
    rows: list[Row] = []
    floor_cold = cold.get((STOCK, "floor")) or cold.get((OURS, "floor"))
    floor_cold_median = statistics.median(_ms(floor_cold.visits, "interactive_ms")) if floor_cold else float("nan")
    floor_name = STOCK if (STOCK, "floor") in cold else OURS
    for (server, name), run in cold.items():
        check = goal = None
        if name == "lesson":
            goal = f"median <= 1.2 x floor ({floor_name}: {1.2 * floor_cold_median:.0f} ms)"
            check = lambda median, p95: median <= 1.2 * floor_cold_median  # noqa: E731
        rows.append(
            Row("interactive, cold", name, server, _ms(run.visits, "interactive_ms"), goal=goal or "", check=check)
        )
    for (server, name), run in warm.items():
        if name == "many":
            continue
        lesson = name == "lesson"
        rows.append(
            Row(
                "interactive, warm",
                name,
                server,
                _ms(run.visits, "interactive_ms"),
                goal="median <= 800 ms" if lesson else "",
                check=(lambda median, p95: median <= 800) if lesson else None,
                note=f"{run.preheated}/{len(run.visits)} visits had a pre-heated kernel",
            )
        )
    for (server, name), run in warm.items():
        if name == "many":
            continue
        lesson = name == "lesson"
        splits = [split for v in run.visits for split in v.splits]
        parts = [statistics.median(part) for part in zip(*splits, strict=True)] if splits else []
        rows.append(
            Row(
                "round trip (page)",
                name,
                server,
                _trips(run.visits),
                goal="median <= 8 ms, p95 <= 15 ms" if lesson else "",
                check=(lambda median, p95: median <= 8 and p95 <= 15) if lesson else None,
                note=SPLIT.format(*parts) if parts else "",
            )
        )
    for (server, name), run in warm.items():
        if run.frames is None:
            continue
        board = name == "many"
        label = "500 counters" if board else "slider"
        rows.append(
            Row(
                "drag: main-thread work per frame",
                label,
                server,
                run.frames["work"],
                goal="p95 <= 16.7 ms" if board else "",
                check=(lambda median, p95: p95 <= FRAME_MS) if board else None,
                note=f"{run.frames['moves']} pointer moves",
            )
        )
        intervals = run.frames["intervals"]
        dropped = sum(1 for i in intervals if i > 1.5 * FRAME_MS)
        rows.append(
            Row(
                "drag: interval between frames",
                label,
                server,
                intervals,
                note=f"{dropped} of {len(intervals)} frames late (over 1.5 x 16.7 ms)",
            )
        )
        if board and run.frames.get("drop_answer_ms") is not None:
            rows.append(Row("drop: pointerup to readout", label, server, [run.frames["drop_answer_ms"]]))
    for (server, name), run in warm.items():
        if name == "many":
            continue
        lesson = name == "lesson"
        rows.append(
            Row(
                "kernel memory after the page ran",
                name,
                server,
                run.kernel_mb,
                unit="MB",
                goal="<= 90 MB" if lesson else "",
                check=(lambda median, p95: median <= 90) if lesson else None,
            )
        )
    for name, cost in imports.items():
        first = name == "widgets"
        rows.append(
            Row(
                f"import {name}",
                "",
                "",
                cost["ms"],
                goal="<= 150 ms" if first else "",
                check=(lambda median, p95: median <= 150) if first else None,
            )
        )
        rows.append(Row(f"import {name}", "", "", cost["mb"], unit="MB"))
    for (server, name), run in classes.items():
        who = f"class of {s.pupils}"
        everyone = [*run.protocol, *run.real]
        interactive = [v for v in everyone if v.interactive_ms > 0]
        ours = server == OURS
        rows.append(
            Row(
                f"{who}: pupils interactive",
                name,
                server,
                [float(len(interactive))],
                unit="",
                goal=f"all {s.pupils}" if ours else "",
                check=(lambda median, p95: median >= s.pupils) if ours else None,
                note="; ".join(run.failures[:3]),
            )
        )
        for label, visits in (("pages", run.real), ("protocol", run.protocol)):
            if not visits:
                continue
            rows.append(
                Row(
                    f"{who}: interactive ({label})",
                    name,
                    server,
                    [v.interactive_ms for v in visits if v.interactive_ms > 0],
                    goal="p95 <= 3000 ms" if ours else "",
                    check=(lambda median, p95: p95 <= 3000) if ours else None,
                )
            )
            rows.append(
                Row(
                    f"{who}: round trip ({label})",
                    name,
                    server,
                    _trips(visits),
                    goal="p95 <= 100 ms" if ours else "",
                    check=(lambda median, p95: p95 <= 100) if ours else None,
                )
            )
        lost = sum(v.lost for v in run.protocol)
        rows.append(Row(f"{who}: lost updates (protocol)", name, server, [float(lost)], unit=""))
        peak = max((m["total_pss_mb"] for m in run.memory), default=float("nan"))
        rows.append(
            Row(
                f"{who}: server + kernels memory (PSS)",
                name,
                server,
                [run.memory_end.get("total_pss_mb", float("nan"))],
                unit="MB",
                note=f"peak {peak:.0f} MB PSS; RSS summed {run.memory_end.get('total_rss_mb', 0):.0f} MB; "
                f"{run.memory_end.get('kernels', 0)} kernels",
            )
        )

    return rows


def _lite_rows(run: LiteRun) -> list[Row]:
    site = "static site"
    return [
        Row("lite: build (mastery lite)", "", site, [run.build_s], unit="s", note="pip's cache warm"),
        Row("lite: size", "", site, [run.size_mb], unit="MB", note=f"{run.files} files"),
        Row("lite: board drawn, first visit", "lesson", site, run.drawn_cold_ms, note="Run All, Pyodide's start"),
        Row("lite: interactive, first visit", "lesson", site, run.cold_ms, note="an empty cache"),
        Row("lite: interactive, with the cache", "lesson", site, run.warm_ms, note="Pyodide still starts afresh"),
        Row("lite: requests to another host", "lesson", site, [float(len(run.outside))], unit=""),
    ]


def _visit(v) -> dict:
    d = asdict(v)
    d.pop("assets", None)
    return {k: (round(x, 2) if isinstance(x, float) else x) for k, x in d.items()}


def _run_detail(run: PageRun) -> dict:
    return {
        "visits": [_visit(v) for v in run.visits],
        "kernel_mb": [round(x, 1) for x in run.kernel_mb],
        "frames": run.frames,
        "preheated": run.preheated,
        "assets": len(run.assets),
    }


def machine() -> dict:
    try:
        chromium = subprocess.run([str(pages.CHROMIUM), "--version"], capture_output=True, text=True).stdout.strip()
    except OSError:
        chromium = "missing"
    return {
        "cores": os.cpu_count(),
        "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "python": platform.python_version(),
        "chromium": chromium,
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a tiny run that only checks the benchmark still works")
    parser.add_argument("--pupils", type=int, help="the class size (default 30)")
    parser.add_argument("--visits", type=int, help="page loads per cold or warm measure (default 5)")
    parser.add_argument("--no-stock", dest="stock", action="store_false", help="skip stock Voila")
    parser.add_argument(
        "--only", choices=PARTS, action="append", help="measure only this part (repeatable; default: all)"
    )
    parser.add_argument("--out", type=Path, default=RESULTS, help=f"where to write the results (default {RESULTS})")
    args = parser.parse_args(argv)
    s = Settings(**asdict(QUICK)) if args.quick else Settings()
    if args.pupils is not None:
        s.pupils = max(1, args.pupils)
        s.real = min(s.real, s.pupils)
    if args.visits is not None:
        s.visits = max(1, args.visits)
    s.stock = args.stock
    began = time.perf_counter()
    about = machine()
    rows, detail = asyncio.run(measure(s, tuple(args.only or (QUICK_PARTS if args.quick else PARTS))))
    print()
    print(table(rows))
    results = {
        "machine": about,
        "settings": asdict(s),
        "seconds": round(time.perf_counter() - began, 1),
        "rows": [row.as_json() for row in rows],
        "detail": detail,
    }
    args.out.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nwrote {args.out} in {results['seconds']:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
