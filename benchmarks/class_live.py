"""A class of 30 at work while the teacher's dashboard is open: how soon each gesture reaches the dashboard.

    .venv/bin/python -m benchmarks.class_live [--pupils 30] [--real 3] [--changes 10] [--postgresql]

A real `mastery present LESSON --class` server on a SQLite file (or, with --postgresql, a database on a
PostgreSQL server of the benchmark's own, as the tests start one). `--real` of the pupils are real pages in
Debian's Chromium: each joins with the join form as a pupil types, goes to the explore section and clicks the
board's Add buttons. The rest are protocol-level pupils: each joins through the same form, opens its lesson
page (a kernel of its own), opens the kernel's websocket with its cookie as a page does, and sends what the
Add buttons send. Once every pupil's page is loaded, every pupil makes `--changes` changes to the board
"pairs", 0.5 to 1.5 s apart. The dashboard is the teacher's class websocket. Measured:

- gesture -> thumbnail: from a pupil's message leaving (a real page's click) to that pupil's new SVG
  arriving at the dashboard (median, 95th percentile, worst), for the class and for the real pages alone;
- records: changes made, changes the store holds afterwards (`board_history`), lost (must be 0);
- CPU seconds and memory (RSS, MB) of the server, of the pupils' kernels together, and of PostgreSQL's
  processes (for SQLite the store runs inside the server). Chromium is the pupils' devices: not counted.

Speed is never a pass or fail: this prints figures. The lesson is tests/notebooks/class_lesson.ipynb.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

from benchmarks.page import Chromium
from benchmarks.protocol import KernelSocket, widget_states

ROOT = Path(__file__).resolve().parent.parent
LESSON = "tests/notebooks/class_lesson.ipynb"
PAIRS = ".mn-board:has(.mn-piece) >> nth=0"  # the explore section's board, on a real page
TICK = os.sysconf("SC_CLK_TCK")


def _cpu_and_rss(pid: int) -> tuple[float, float]:
    """(CPU seconds, RSS in MB) of one process, from /proc."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        rss = next(line for line in Path(f"/proc/{pid}/status").read_text().splitlines() if line.startswith("VmRSS"))
    except (OSError, StopIteration):
        return 0.0, 0.0
    return (int(stat[11]) + int(stat[12])) / TICK, int(rss.split()[1]) / 1024


def _children(pid: int) -> list[int]:
    found = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
    return [int(p) for p in found]


def _processes_of(user: str) -> list[int]:
    found = subprocess.run(["pgrep", "-u", user], capture_output=True, text=True).stdout.split()
    return [int(p) for p in found]


def _usage(pids: list[int]) -> tuple[float, float]:
    cpu = rss = 0.0
    for pid in pids:
        c, r = _cpu_and_rss(pid)
        cpu, rss = cpu + c, rss + r
    return cpu, rss


async def _join(base: str, code: str, name: str) -> tuple[str, str]:
    """A pupil's device joins and opens its lesson page; returns (cookie header, the page's kernel id)."""
    from tornado.httpclient import AsyncHTTPClient, HTTPRequest

    client = AsyncHTTPClient()
    first = await client.fetch(f"{base}/class", raise_error=False)
    cookies = {}
    for header in first.headers.get_list("Set-Cookie"):
        name_value = header.split(";", 1)[0]
        cookies[name_value.split("=", 1)[0]] = name_value.split("=", 1)[1]
    body = urllib.parse.urlencode({"code": code, "name": name, "_xsrf": cookies.get("_xsrf", "")})
    header = "; ".join(f"{k}={v}" for k, v in cookies.items())
    joined = await client.fetch(
        HTTPRequest(f"{base}/class", "POST", {"Cookie": header}, body, follow_redirects=False), raise_error=False
    )
    for set_cookie in joined.headers.get_list("Set-Cookie"):
        name_value = set_cookie.split(";", 1)[0]
        cookies[name_value.split("=", 1)[0]] = name_value.split("=", 1)[1]
    header = "; ".join(f"{k}={v}" for k, v in cookies.items())
    page = await client.fetch(
        HTTPRequest(f"{base}/voila/render/{LESSON}", headers={"Cookie": header}, request_timeout=300)
    )
    return header, re.search(r'"kernelId": "([^"]+)"', page.body.decode()).group(1)


class Pupil:
    """A protocol-level pupil: joins through the form, opens its page's kernel websocket with its cookie, and
    sends the changes the board's Add buttons send."""

    def __init__(self, n: int) -> None:
        self.name = f"Pupil {n:02}"
        self.sent: list[float] = []  # when each change left (time.perf_counter)
        self.seen = 0  # thumbnails the dashboard has had of this pupil's "pairs"
        self.latencies: list[float] = []
        self.errors: list[str] = []
        self.id: int | None = None  # the store's, from the dashboard's roster
        self.ready = False  # its page is loaded and its board found: it waits for the class to start
        self.last_said = ""  # what its last thumbnail on the dashboard said of the board

    async def work(self, base: str, code: str, changes: int, rng: random.Random, start: asyncio.Event) -> None:
        await asyncio.sleep(rng.uniform(0, 10))  # a class arriving over ten seconds
        cookie, kernel = await _join(base, code, self.name)
        socket = await KernelSocket.open(base, kernel, cookie=cookie)
        states, _ = await widget_states(socket)
        pairs = next(comm for comm, model in states.items() if model["state"].get("name") == "pairs")
        self.ready = True
        await start.wait()
        for k in range(changes):
            await asyncio.sleep(rng.uniform(0.5, 1.5))
            content = {"action": "add", "sign": 1 if k % 2 else -1, "n": 1}
            msg_id, sent = socket.send(
                "shell", "comm_msg", {"comm_id": pairs, "data": {"method": "custom", "content": content}}
            )
            socket.forget(msg_id)  # its answer is the dashboard's thumbnail, not the kernel's reply
            self.sent.append(sent)
        await self._all_seen()
        socket.close()

    async def _all_seen(self) -> None:
        while self.seen < len(self.sent) and time.perf_counter() - self.sent[-1] < 60:  # every thumbnail, or a minute
            await asyncio.sleep(0.2)


class PagePupil(Pupil):
    """A real pupil's page in Chromium: joins with the form as a pupil types, and clicks the board's Add buttons.
    Its time runs from the click leaving this process to the thumbnail reaching the dashboard."""

    def __init__(self, n: int, chromium: Chromium) -> None:
        super().__init__(n)
        self.name = f"Page pupil {n:02}"
        self.chromium = chromium

    async def work(self, base: str, code: str, changes: int, rng: random.Random, start: asyncio.Event) -> None:
        await asyncio.sleep(rng.uniform(0, 10))
        context = await self.chromium.context()
        page = await context.new_page()
        page.on("pageerror", lambda e: self.errors.append(f"{self.name}: {e}"))
        await page.goto(f"{base}/class")
        await page.get_by_label("Code").fill(code.lower())
        await page.get_by_label("Your name").fill(self.name)
        await page.get_by_role("button", name="Join", exact=True).click()
        await page.wait_for_selector(".mn-board .mn-piece", state="attached", timeout=180_000)
        await page.evaluate("window.location.hash = '#section-2'")  # the explore section: the board "pairs"
        board = page.locator(PAIRS)
        await board.locator(".mn-piece").first.wait_for(timeout=60_000)
        buttons = {}
        for sign, label in ((1, "Add a positive counter"), (-1, "Add a negative counter")):
            box = await board.get_by_role("button", name=label).bounding_box()
            buttons[sign] = (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        self.ready = True
        await start.wait()
        for k in range(changes):
            await asyncio.sleep(rng.uniform(0.5, 1.5))
            self.sent.append(time.perf_counter())
            await page.mouse.click(*buttons[1 if k % 2 else -1])
        await self._all_seen()
        await context.close()


async def _dashboard(base: str, token: str, pupils: dict[str, Pupil], names: dict[int, Pupil]) -> None:
    from tornado.httpclient import HTTPRequest
    from tornado.websocket import websocket_connect

    url = f"{base.replace('http', 'ws', 1)}/mastery/class/socket?token={token}"
    socket = await websocket_connect(HTTPRequest(url))
    while (raw := await socket.read_message()) is not None:
        message = json.loads(raw)
        if message["type"] == "roster":
            for entry in message["pupils"]:
                pupil = pupils.get(entry["name"])
                if pupil is not None:
                    pupil.id = entry["id"]
                    names[entry["id"]] = pupil
        elif message["type"] == "board" and message["board"] == "pairs" and message["pupil"] in names:
            pupil = names[message["pupil"]]
            # A frame that grows sends every pupil's thumbnail again, cut anew: the same board, not a change.
            # Each change adds a counter, so a new picture says a new count.
            said = re.search(r'aria-label="([^"]*)"', message["svg"]).group(1)
            if said != pupil.last_said and pupil.seen < len(pupil.sent):
                pupil.latencies.append(time.perf_counter() - pupil.sent[pupil.seen])
                pupil.seen += 1
            pupil.last_said = said


async def _run(base: str, token: str, code: str, count: int, changes: int, real: int) -> list[Pupil]:
    from tornado.httpclient import AsyncHTTPClient

    AsyncHTTPClient.configure(None, max_clients=count + 4)  # every pupil's page at once, as their devices would
    rng = random.Random(17)
    async with Chromium() as chromium:
        class_ = [PagePupil(n, chromium) for n in range(real)] + [Pupil(n) for n in range(real, count)]
        pupils = {p.name: p for p in class_}
        names: dict[int, Pupil] = {}
        dashboard = asyncio.ensure_future(_dashboard(base, token, pupils, names))
        start = asyncio.Event()
        work = [asyncio.ensure_future(p.work(base, code, changes, rng, start)) for p in class_]
        # The class works once every page is loaded: thirty kernels starting would weigh on the first changes.
        while len(names) < count or not all(p.ready for p in class_):  # all on the roster, and ready
            await asyncio.sleep(0.5)
            for task in work:
                if task.done() and task.exception():
                    raise task.exception()
        start.set()
        await asyncio.gather(*work)
        dashboard.cancel()
    return class_


def _serve(db: str, pool: int) -> tuple[subprocess.Popen, str, str, str, Path]:
    port = 18000 + random.randrange(2000)
    log = Path(tempfile.mkdtemp()) / "server.log"
    process = subprocess.Popen(
        [sys.executable, "-m", "lessons.cli", "present", LESSON, "--class", "--db", db, "--pool", str(pool)]
        + ["--kernels-per-client", "100", "--port", str(port), "--no-browser"],
        cwd=ROOT,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 120
    while not (found := re.search(r"pupils join at +(http://\S+?)/class +code (\w+)", log.read_text())):
        if process.poll() is not None or time.monotonic() > deadline:
            raise SystemExit("the class server did not start:\n" + log.read_text()[-2000:])
        time.sleep(0.3)
    token = re.search(r"token=(\S+)", log.read_text()).group(1)
    return process, found.group(1), token, found.group(2), log


def _spread(seconds: list[float]) -> list[float] | None:
    """[median, p95, worst] in ms."""
    ms = sorted(s * 1000 for s in seconds)
    return [round(statistics.median(ms), 1), round(ms[int(0.95 * (len(ms) - 1))], 1), round(ms[-1], 1)] if ms else None


def measure(db: str, count: int, changes: int, postgres: bool, pool: int = 0, real: int = 3) -> dict:
    from lessons.store import Store

    process, base, token, code, log = _serve(db, pool)
    try:
        before_server = _cpu_and_rss(process.pid)[0]
        before_pg = _usage(_processes_of("postgres"))[0] if postgres else 0.0
        pupils = asyncio.run(_run(base, token, code, count, changes, real))
        kernels = [pid for pid in _children(process.pid)]
        server_cpu, server_rss = _cpu_and_rss(process.pid)
        kernels_cpu, kernels_rss = _usage(kernels)
        pg_cpu, pg_rss = _usage(_processes_of("postgres")) if postgres else (0.0, 0.0)
        with Store(db) as store:  # a loaded machine may still be working: kept is counted once it settles
            record = store.find_class(code)
            kept, settled = -1, time.monotonic() + 120
            while time.monotonic() < settled:
                now = sum(len(store.board_history(record.id, p.id, "pairs")) for p in pupils)
                if now == kept:
                    break
                kept = now
                time.sleep(5)
    finally:
        process.terminate()
        process.wait(30)
    # The server's own words: how long telling each kernel its role and giving a pupil's work back took.
    joins = sorted(float(ms) for ms in re.findall(r"is the pupil's \(\d+\) in (\d+) ms", log.read_text()))
    sent = sum(len(p.sent) for p in pupils)
    return {
        "database": "PostgreSQL" if postgres else "SQLite",
        "pupils": count,
        "of them, real pages in Chromium": real,
        "changes sent": sent,
        "thumbnails seen": sum(len(p.latencies) for p in pupils),
        "gesture to thumbnail ms (median, p95, worst)": _spread([t for p in pupils for t in p.latencies]),
        "real pages' click to thumbnail ms (median, p95, worst)": _spread(
            [t for p in pupils if isinstance(p, PagePupil) for t in p.latencies]
        ),
        "errors on the real pages": [e for p in pupils for e in p.errors],
        "pre-heated kernels": pool,
        "kernel joined to the class ms (median, worst)": [statistics.median(joins), joins[-1]] if joins else None,
        "records kept": kept,
        "records lost": sent - kept,
        "server CPU s, RSS MB": [round(server_cpu - before_server, 1), round(server_rss)],
        "kernels CPU s, RSS MB": [round(kernels_cpu, 1), round(kernels_rss)],
        "PostgreSQL CPU s, RSS MB": [round(pg_cpu - before_pg, 1), round(pg_rss)] if postgres else None,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="benchmarks.class_live", description=__doc__.split("\n\n")[0])
    parser.add_argument("--pupils", type=int, default=30)
    parser.add_argument("--changes", type=int, default=10)
    parser.add_argument("--real", type=int, default=3, help="of the pupils, real pages in Chromium (default 3)")
    parser.add_argument("--postgresql", action="store_true", help="also on a PostgreSQL server of its own")
    parser.add_argument("--pool", type=int, default=0, help="kernels pre-heated for the lesson (default 0)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        print(
            json.dumps(
                measure(f"{folder}/class.sqlite", args.pupils, args.changes, False, args.pool, args.real),
                ensure_ascii=False,
            )
        )
    if args.postgresql:
        sys.path.insert(0, str(ROOT / "tests"))
        from postgres import fresh_database, postgres_server

        with contextlib.ExitStack() as stack:
            url = stack.enter_context(fresh_database(stack.enter_context(postgres_server())))
            print(json.dumps(measure(url, args.pupils, args.changes, True, args.pool, args.real), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
