"""A hostile pupil beside the class: what one laptop throws at the classroom server, and what came back.

From a loopback address of its own (a device of its own, to the server), `attack` does what was once enough to
take a class down:

1. opens the lesson as a page does, then asks for it 60 more times, 10 at a time (each page asked for
   once started a kernel of ~60 MB, kept 20 minutes);
2. opens an Output widget of its own and sends the widget control comm a method it does not know (the
   kernel answered with a traceback on stderr);
3. sends 2,000 small valid updates on its page's websocket as fast as it can (~0.7 s);
4. sends a 9.5 MB message (on a second websocket: the first is busy with the flood).

Meanwhile it counts the server's kernels every half second.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import json
import re
import time
import uuid

from tornado.httpclient import AsyncHTTPClient, HTTPRequest
from tornado.websocket import WebSocketClosedError

from benchmarks import servers
from benchmarks.protocol import KERNEL_ID, FlipCounters, KernelSocket, Pupil

ADDRESS = "127.0.0.250"
LIMITS = re.compile(r"mastery: at most (\d+) kernels, (\d+) per device")


def limits(server: servers.Server) -> tuple[int, int]:
    """(kernels in all, kernels per device) as the server said at start."""
    found = LIMITS.search(server.log_text())
    if not found:
        raise RuntimeError("the server did not say its kernel limits")
    return int(found.group(1)), int(found.group(2))


async def _count_kernels(server: servers.Server, seen: list[int], stop: asyncio.Event) -> None:
    while not stop.is_set():
        seen.append(len(await asyncio.to_thread(server.processes)) - 1)
        try:
            await asyncio.wait_for(stop.wait(), 0.5)
        except asyncio.TimeoutError:
            pass


async def attack(server: servers.Server, page_url: str, storm: int = 60, at_once: int = 10, flood: int = 2000) -> dict:
    """Do all four; returns what the server answered and the most kernels it held meanwhile."""
    seen: list[int] = []
    stop = asyncio.Event()
    counting = asyncio.ensure_future(_count_kernels(server, seen, stop))
    me = Pupil(server.url, page_url, FlipCounters("picture"), seed=250, address=ADDRESS)
    report: dict = {}
    try:
        await me.open()
        http = AsyncHTTPClient(force_instance=True, max_clients=at_once)
        request = HTTPRequest(page_url, request_timeout=300, connect_timeout=300, network_interface=ADDRESS)
        replies = await asyncio.gather(*(http.fetch(request, raise_error=False) for _ in range(storm)))
        http.close()
        report["storm"] = dict(collections.Counter(str(reply.code) for reply in replies))
        kernels = {m.group(1) for r in replies if r.code == 200 and (m := KERNEL_ID.search(r.body.decode()))}
        report["own_kernels"] = len(kernels | {me.visit.kernel_id})

        control = str(uuid.uuid4())
        output = {"comm_id": str(uuid.uuid4()), "target_name": "jupyter.widget", "data": {"state": {}}}
        poked = [
            me.socket.send("shell", "comm_open", output, {"version": "2.1.0"})[0],
            me.socket.send(
                "shell",
                "comm_open",
                {"comm_id": control, "target_name": "jupyter.widget.control", "data": {}},
                {"version": "1.0.0"},
            )[0],
            me.socket.send("shell", "comm_msg", {"comm_id": control, "data": {"method": "no-such-method"}})[0],
        ]
        await asyncio.sleep(3)
        answers = [m for msg_id in poked for m in me.socket._waiting.get(msg_id, [])]
        report["tracebacks_sent"] = sum(
            m.msg_type in ("error", "stream") or "Traceback" in json.dumps(m.content) for m in answers
        )

        began = time.perf_counter()
        for _ in range(flood):
            comm_id, state, _ = me.play.change(me.rng)
            update = {"comm_id": comm_id, "data": {"method": "update", "state": state, "buffer_paths": []}}
            me.socket.send("shell", "comm_msg", update)
        report["flood_seconds"] = round(time.perf_counter() - began, 2)

        # On a second socket: the first one's flood waits in line at the server, a minute long.
        second = await KernelSocket.open(server.url, me.visit.kernel_id, ADDRESS)
        with contextlib.suppress(WebSocketClosedError):  # closed by the server as it arrives
            await second.connection.write_message("x" * 9_500_000)
        for _ in range(20):
            if second.closed:
                break
            await asyncio.sleep(0.5)
        report["huge_message_closed_its_socket"] = second.closed
        second.close()
    finally:
        stop.set()
        await counting
        await me.close()
    report["most_kernels"] = max(seen) if seen else 0
    return report
