"""A class of 30 at work while the teacher's dashboard is open: how soon each gesture reaches the dashboard.

    .venv/bin/python -m benchmarks.class_live [--pupils 30] [--changes 10] [--postgresql]

A real `mastery present LESSON --class` server on a SQLite file (or, with --postgresql, a database on a
PostgreSQL server of the benchmark's own, as the tests start one). Protocol-level pupils: each joins
through the join form, opens its lesson page (a kernel of its own), opens the kernel's websocket with its
cookie as a page does, and makes `--changes` changes to the board "pairs" (an action, as the board's
Add button sends), 0.5 to 1.5 s apart. The dashboard is the teacher's class websocket. Measured:

- gesture -> thumbnail: from a pupil's message leaving to that pupil's new SVG arriving at the dashboard
  (median, 95th percentile, worst);
- records: changes accepted, changes the store holds afterwards (`board_history`), lost (must be 0);
- CPU seconds and memory (RSS, MB) of the server, of the pupils' kernels together, and of PostgreSQL's
  processes (for SQLite the store runs inside the server).

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
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LESSON = "tests/notebooks/class_lesson.ipynb"
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


async def _join(base: str, code: str, name: str):
    """A pupil's device joins; returns (cookie header, kernel id, the "pairs" board's comm id)."""
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
    text = page.body.decode()
    kernel = re.search(r'"kernelId": "([^"]+)"', text).group(1)
    return header, kernel, re.findall(r'"model_id": "([0-9a-f]+)"', text)


def _comm(session: str, comm_id: str, data: dict) -> str:
    header = {
        "msg_id": uuid.uuid4().hex,
        "msg_type": "comm_msg",
        "session": session,
        "username": "",
        "date": "",
        "version": "5.3",
    }
    return json.dumps(
        {
            "header": header,
            "parent_header": {},
            "metadata": {},
            "content": {"comm_id": comm_id, "data": data},
            "channel": "shell",
            "buffers": [],
        }
    )


class Pupil:
    def __init__(self, n: int) -> None:
        self.n = n
        self.sent: list[float] = []  # when each change left
        self.seen = 0  # thumbnails the dashboard has had of this pupil's "pairs"
        self.latencies: list[float] = []
        self.id: int | None = None

    async def work(self, base: str, code: str, changes: int, rng: random.Random, start: asyncio.Event) -> None:
        from tornado.httpclient import HTTPRequest
        from tornado.websocket import websocket_connect

        await asyncio.sleep(rng.uniform(0, 10))  # a class arriving over ten seconds
        cookie, kernel, models = await _join(base, code, f"Pupil {self.n:02}")
        session = uuid.uuid4().hex
        url = f"{base.replace('http', 'ws', 1)}/api/kernels/{kernel}/channels?session_id={session}"
        socket = await websocket_connect(HTTPRequest(url, headers={"Cookie": cookie}))
        for model in models:
            socket.write_message(_comm(session, model, {"method": "request_state"}))
        pairs = None
        while pairs is None:  # the board named "pairs", by its state
            message = json.loads(await socket.read_message())
            state = message.get("content", {}).get("data", {}).get("state", {})
            if message.get("msg_type") == "comm_msg" and state.get("name") == "pairs":
                pairs = message["content"]["comm_id"]
        reader = asyncio.ensure_future(self._drain(socket))
        await start.wait()
        for k in range(changes):
            await asyncio.sleep(rng.uniform(0.5, 1.5))
            self.sent.append(time.monotonic())
            socket.write_message(
                _comm(
                    session,
                    pairs,
                    {"method": "custom", "content": {"action": "add", "sign": 1 if k % 2 else -1, "n": 1}},
                )
            )
        while self.seen < len(self.sent) and time.monotonic() - self.sent[-1] < 60:  # every thumbnail, or a minute
            await asyncio.sleep(0.2)
        reader.cancel()
        socket.close()

    async def _drain(self, socket) -> None:
        while await socket.read_message() is not None:
            pass


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
            if pupil.seen < len(pupil.sent):
                pupil.latencies.append(time.monotonic() - pupil.sent[pupil.seen])
                pupil.seen += 1


async def _run(base: str, token: str, code: str, count: int, changes: int) -> list[Pupil]:
    from tornado.httpclient import AsyncHTTPClient

    AsyncHTTPClient.configure(None, max_clients=count + 4)  # every pupil's page at once, as their devices would
    rng = random.Random(17)
    pupils = {f"Pupil {n:02}": Pupil(n) for n in range(count)}
    names: dict[int, Pupil] = {}
    dashboard = asyncio.ensure_future(_dashboard(base, token, pupils, names))
    start = asyncio.Event()
    work = [asyncio.ensure_future(p.work(base, code, changes, rng, start)) for p in pupils.values()]
    while len(names) < count:  # every pupil joined and seen on the roster
        await asyncio.sleep(0.5)
        for task in work:
            if task.done() and task.exception():
                raise task.exception()
    start.set()
    await asyncio.gather(*work)
    dashboard.cancel()
    return list(pupils.values())


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


def measure(db: str, count: int, changes: int, postgres: bool, pool: int = 0) -> dict:
    from lessons.store import Store

    process, base, token, code, log = _serve(db, pool)
    try:
        before_server = _cpu_and_rss(process.pid)[0]
        before_pg = _usage(_processes_of("postgres"))[0] if postgres else 0.0
        pupils = asyncio.run(_run(base, token, code, count, changes))
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
    latencies = sorted(ms * 1000 for p in pupils for ms in p.latencies)
    # The server's own words: how long telling each kernel its role and giving a pupil's work back took.
    joins = sorted(float(ms) for ms in re.findall(r"is the pupil's \(\d+\) in (\d+) ms", log.read_text()))
    sent = sum(len(p.sent) for p in pupils)
    return {
        "database": "PostgreSQL" if postgres else "SQLite",
        "pupils": count,
        "changes sent": sent,
        "thumbnails seen": len(latencies),
        "gesture to thumbnail ms (median, p95, worst)": [
            round(statistics.median(latencies), 1),
            round(latencies[int(0.95 * (len(latencies) - 1))], 1),
            round(latencies[-1], 1),
        ],
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
    parser.add_argument("--postgresql", action="store_true", help="also on a PostgreSQL server of its own")
    parser.add_argument("--pool", type=int, default=0, help="kernels pre-heated for the lesson (default 0)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        print(
            json.dumps(
                measure(f"{folder}/class.sqlite", args.pupils, args.changes, False, args.pool), ensure_ascii=False
            )
        )
    if args.postgresql:
        sys.path.insert(0, str(ROOT / "tests"))
        from postgres import fresh_database, postgres_server

        with contextlib.ExitStack() as stack:
            url = stack.enter_context(fresh_database(stack.enter_context(postgres_server())))
            print(json.dumps(measure(url, args.pupils, args.changes, True, args.pool), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
