"""A pupil without a browser: the HTTP requests and widget messages a classroom page sends, over a real websocket.

A page in the classroom app (Voila) does this, and so does `Pupil`:

1. GET the lesson (the server runs it, or hands over a pre-heated kernel's rendering); the page names its kernel;
2. fetch the page's scripts and styles (a browser with an empty cache fetches every one);
3. open the kernel's websocket (protocol v1.kernel.websocket.jupyter.org, as @jupyterlab/services speaks it),
   ask kernel_info, open the `jupyter.widget.control` comm and ask `request_states`: every widget's state at once;
4. make changes: a comm_msg `update` with the new state, answered by the kernel's `update` with the readout.

What a change is depends on the page (`Play`): a flip of one counter on a Counters board, or a new value for the
floor page's slider. Every answer is checked against what the change should make, so a lost or wrong update is
counted, never silently timed.
"""

from __future__ import annotations

import asyncio
import json
import random
import re
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

from jupyter_server.services.kernels.connection.base import deserialize_msg_from_ws_v1, serialize_msg_to_ws_v1
from tornado.httpclient import AsyncHTTPClient, HTTPRequest
from tornado.websocket import websocket_connect

MINUS = "\u2212"
PROTOCOL = "v1.kernel.websocket.jupyter.org"
KERNEL_ID = re.compile(r'"kernelId": "([0-9a-f-]{36})"')


def signed(n: int) -> str:
    return f"{MINUS}{-n}" if n < 0 else str(n)


class ProtocolError(RuntimeError):
    """The server or kernel did not answer as a page expects."""


@dataclass
class Message:
    channel: str
    header: dict[str, Any]
    parent: dict[str, Any]
    content: dict[str, Any]
    at: float  # time.perf_counter() when it arrived
    size: int  # bytes on the wire

    @property
    def msg_type(self) -> str:
        return self.header.get("msg_type", "")


class KernelSocket:
    """One page's websocket to its kernel. Messages are matched to the request they answer."""

    def __init__(self, connection, session: str) -> None:
        self.connection = connection
        self.session = session
        self._waiting: dict[str, list[Message]] = {}  # request msg_id -> what came back for it
        self._events: dict[str, asyncio.Event] = {}
        self.received_bytes = 0
        self.closed = False
        self._reader = asyncio.ensure_future(self._read())

    @classmethod
    async def open(cls, base_url: str, kernel_id: str, address: str | None = None, cookie: str = "") -> KernelSocket:
        """cookie: a page's Cookie header (a pupil who joined a class carries theirs)."""
        session = str(uuid.uuid4())
        url = f"{base_url.replace('http', 'ws', 1)}/api/kernels/{kernel_id}/channels?session_id={session}"
        headers = {"Cookie": cookie} if cookie else None
        request = HTTPRequest(url, headers=headers, network_interface=address)  # address: the device, on loopback
        connection = await websocket_connect(request, subprotocols=[PROTOCOL], max_message_size=256 * 2**20)
        if connection.selected_subprotocol != PROTOCOL:
            raise ProtocolError(f"the server did not agree to {PROTOCOL}")
        return cls(connection, session)

    async def _read(self) -> None:
        while True:
            raw = await self.connection.read_message()
            if raw is None:
                self.closed = True
                for event in self._events.values():
                    event.set()
                return
            now = time.perf_counter()
            if isinstance(raw, str):
                continue  # the v1 protocol is binary only
            self.received_bytes += len(raw)
            channel, parts = deserialize_msg_from_ws_v1(raw)
            header, parent, _metadata, content = (json.loads(part) for part in parts[:4])
            message = Message(channel, header, parent, content, now, len(raw))
            asked = parent.get("msg_id")
            if asked in self._waiting:
                self._waiting[asked].append(message)
                self._events[asked].set()

    def send(self, channel: str, msg_type: str, content: dict, metadata: dict | None = None) -> tuple[str, float]:
        """Send a message; returns its id and the time it left."""
        msg_id = str(uuid.uuid4())
        header = {
            "date": time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime()),
            "msg_id": msg_id,
            "msg_type": msg_type,
            "session": self.session,
            "username": "",
            "version": "5.2",
        }
        message = {"header": header, "parent_header": {}, "metadata": metadata or {}, "content": content}
        self._waiting[msg_id] = []
        self._events[msg_id] = asyncio.Event()
        sent = time.perf_counter()
        self.connection.write_message(serialize_msg_to_ws_v1(message, channel, _pack), binary=True)
        return msg_id, sent

    async def answers(self, msg_id: str, until, timeout: float) -> list[Message]:
        """What came back for msg_id, once until(messages) holds (raises ProtocolError on time-out)."""
        got, event = self._waiting[msg_id], self._events[msg_id]
        deadline = time.perf_counter() + timeout
        try:
            while not until(got):
                if self.closed:
                    raise ProtocolError("the websocket closed")
                left = deadline - time.perf_counter()
                if left <= 0:
                    raise ProtocolError(f"no answer within {timeout:g} s")
                event.clear()
                try:
                    await asyncio.wait_for(event.wait(), left)
                except asyncio.TimeoutError:
                    pass
            return list(got)
        finally:
            if until(got) or self.closed:
                self.forget(msg_id)

    def forget(self, msg_id: str) -> None:
        self._waiting.pop(msg_id, None)
        self._events.pop(msg_id, None)

    def close(self) -> None:
        self._reader.cancel()
        self.connection.close()


def _pack(obj: Any) -> bytes:
    return json.dumps(obj, ensure_ascii=False).encode()


def _idle(messages: list[Message]) -> bool:
    return any(m.msg_type == "status" and m.content.get("execution_state") == "idle" for m in messages)


def _comm_updates(messages: list[Message], comm_id: str) -> list[Message]:
    return [
        m
        for m in messages
        if m.msg_type == "comm_msg"
        and m.content.get("comm_id") == comm_id
        and m.content.get("data", {}).get("method") == "update"
    ]


# --- what a pupil changes, and what must come back ----------------------------------------------------------


class Play:
    """A kind of page: which widget a pupil changes, how, and what the kernel must answer."""

    ready_selector = ""  # the page's first widget, drawn

    def find(self, states: dict[str, dict]) -> None:
        raise NotImplementedError

    def asks_first(self) -> list[tuple[str, dict]]:
        """Custom messages (comm id, content) a pupil sends before working: a button pressed first."""
        return []

    def change(self, rng: random.Random) -> tuple[str, dict, str]:
        """(comm id, the state a page sends, the comm id whose update answers it)."""
        raise NotImplementedError

    def answered(self, updates: list[Message]) -> str | None:
        """None when the updates hold the right answer, else what is wrong."""
        raise NotImplementedError

    def settled(self, states: dict[str, dict]) -> str | None:
        """None when the kernel's state holds the last change, else what is missing."""
        raise NotImplementedError


class FlipCounters(Play):
    """Tap a counter on a Counters board (by name): its sign flips, and the value the kernel reads out follows."""

    def __init__(self, board: str) -> None:
        self.board = board
        self.comm_id = ""
        self.pieces: list[dict] = []
        self.expected = ""
        self.hidden = False

    def find(self, states: dict[str, dict]) -> None:
        for comm_id, model in states.items():
            state = model.get("state", {})
            if state.get("name") == self.board and isinstance(state.get("pieces"), list):
                self.comm_id, self.pieces = comm_id, state["pieces"]
                self.hidden = state.get("show_readout") is False
                return
        raise ProtocolError(f"no board named {self.board!r} on the page")

    def asks_first(self) -> list[tuple[str, dict]]:
        # A lesson may keep the board's maths back until asked: the pupil presses "Show the maths".
        return [(self.comm_id, {"action": "reveal_readout"})] if self.hidden else []

    def change(self, rng: random.Random) -> tuple[str, dict, str]:
        flip = rng.randrange(len(self.pieces))
        self.pieces = [{**p, "sign": -p["sign"]} if i == flip else p for i, p in enumerate(self.pieces)]
        self.expected = signed(sum(p["sign"] for p in self.pieces))
        return self.comm_id, {"pieces": self.pieces}, self.comm_id

    def answered(self, updates: list[Message]) -> str | None:
        for update in updates:
            state = update.content["data"].get("state", {})
            if state.get("message"):
                return f"refused: {state['message']}"
            facts = dict(map(tuple, state.get("readout", {}).get("facts", [])))
            if "value" in facts:
                return None if facts["value"] == self.expected else f"value {facts['value']}, not {self.expected}"
        return "no readout came back"

    def settled(self, states: dict[str, dict]) -> str | None:
        state = states.get(self.comm_id, {}).get("state", {})
        if state.get("pieces") != self.pieces:
            return "the kernel's pieces are not the last ones sent"
        facts = dict(map(tuple, state.get("readout", {}).get("facts", [])))
        return None if facts.get("value") == self.expected else "the kernel's readout is not the last one"


class MoveSlider(Play):
    """The floor page: move the IntSlider; the Label, computed in Python, follows."""

    def __init__(self) -> None:
        self.slider = self.label = ""
        self.value = 0
        self.expected = ""

    def find(self, states: dict[str, dict]) -> None:
        for comm_id, model in states.items():
            if model.get("model_name") == "IntSliderModel":
                self.slider, self.value = comm_id, model["state"]["value"]
            if model.get("model_name") == "LabelModel":
                self.label = comm_id
        if not (self.slider and self.label):
            raise ProtocolError("no slider and label on the page")

    def change(self, rng: random.Random) -> tuple[str, dict, str]:
        self.value = rng.choice([v for v in range(101) if v != self.value])
        self.expected = f"{self.value} squared is {self.value**2}"
        return self.slider, {"value": self.value}, self.label

    def answered(self, updates: list[Message]) -> str | None:
        for update in updates:
            value = update.content["data"].get("state", {}).get("value")
            if value is not None:
                return None if value == self.expected else f"label {value!r}, not {self.expected!r}"
        return "no label came back"

    def settled(self, states: dict[str, dict]) -> str | None:
        value = states.get(self.label, {}).get("state", {}).get("value")
        return None if value == self.expected else f"the kernel's label is {value!r}, not {self.expected!r}"


# --- a pupil ------------------------------------------------------------------------------------------------


@dataclass
class Visit:
    """What one protocol-level pupil saw."""

    page_ms: float = 0.0  # GET of the lesson until its last byte
    assets_ms: float = 0.0  # the page's scripts and styles (an empty cache)
    states_ms: float = 0.0  # from navigation until every widget's state is in: the page can draw
    interactive_ms: float = 0.0  # states_ms + the first change answered
    state_bytes: int = 0  # size of the request_states answer
    round_trips: list[float] = field(default_factory=list)  # ms, each change to its answer
    errors: list[str] = field(default_factory=list)
    lost: int = 0  # changes not answered, or answered wrong
    changes: int = 0
    kernel_id: str = ""


async def widget_states(socket: KernelSocket, timeout: float = 60) -> tuple[dict[str, dict], int]:
    """Every widget's state by comm id, and the answer's size in bytes: as a page asks on loading, one
    request_states on the control comm."""
    comm_id = str(uuid.uuid4())
    socket.send(
        "shell",
        "comm_open",
        {"comm_id": comm_id, "target_name": "jupyter.widget.control", "data": {}},
        {"version": "1.0.0"},
    )
    msg_id, _ = socket.send("shell", "comm_msg", {"comm_id": comm_id, "data": {"method": "request_states"}})

    def has_states(got: list[Message]) -> bool:
        return any(m.msg_type == "comm_msg" and m.content["data"].get("method") == "update_states" for m in got)

    got = await socket.answers(msg_id, has_states, timeout)
    answer = next(m for m in got if m.msg_type == "comm_msg")
    socket.send("shell", "comm_close", {"comm_id": comm_id, "data": {}})
    return answer.content["data"]["states"], answer.size


class Pupil:
    """One pupil's page, at the protocol level: open the lesson, then make changes.

    assets: the same-origin URLs a real page fetched after the page itself (an empty cache fetches them all).
    """

    def __init__(
        self, base_url: str, page_url: str, play: Play, *, assets: list[str] = (), seed: int = 0, address: str = ""
    ) -> None:
        self.base_url = base_url.rstrip("/")  # the server: http://127.0.0.1:PORT
        self.address = address or None  # the loopback address this pupil's device connects from (127.0.0.N)
        self.page_url = page_url
        self.play = play
        self.assets = list(assets)
        self.rng = random.Random(seed)
        self.visit = Visit()
        self.socket: KernelSocket | None = None
        self._xsrf = uuid.uuid4().hex  # a POST carries the same token in a cookie and a header
        self._http = AsyncHTTPClient(force_instance=True, max_clients=6)  # a browser's connections per host

    async def open(self, timeout: float = 180) -> Visit:
        """Load the page and its widgets, then make the first change; times from navigation."""
        start = time.perf_counter()
        reply = await self._http.fetch(self._request(self.page_url, timeout))
        html = reply.body.decode(errors="replace")
        for cookie in reply.headers.get_list("Set-Cookie"):
            if cookie.startswith("_xsrf="):
                self._xsrf = cookie.split(";", 1)[0].split("=", 1)[1]
        self.visit.page_ms = (time.perf_counter() - start) * 1000
        found = KERNEL_ID.search(html)
        if not found:
            raise ProtocolError("the page names no kernel")
        self.visit.kernel_id = found.group(1)
        if self.assets:
            fetched = time.perf_counter()
            await asyncio.gather(*(self._fetch(url, timeout) for url in self.assets))
            self.visit.assets_ms = (time.perf_counter() - fetched) * 1000
        self.socket = await KernelSocket.open(self.base_url, self.visit.kernel_id, self.address)
        msg_id, _ = self.socket.send("shell", "kernel_info_request", {})
        await self.socket.answers(
            msg_id, lambda got: _idle(got) and any(m.msg_type == "kernel_info_reply" for m in got), timeout
        )
        states = await self.states(timeout)
        self.visit.states_ms = (time.perf_counter() - start) * 1000
        self.play.find(states)
        for comm_id, content in self.play.asks_first():
            msg_id, _ = self.socket.send(
                "shell", "comm_msg", {"comm_id": comm_id, "data": {"method": "custom", "content": content}}
            )
            await self.socket.answers(msg_id, _idle, timeout)
        first = await self.change(timeout)
        if first is None:
            raise ProtocolError("the first change was not answered: " + "; ".join(self.visit.errors))
        self.visit.interactive_ms = self.visit.states_ms + first
        return self.visit

    def _request(self, url: str, timeout: float) -> HTTPRequest:
        return HTTPRequest(url, request_timeout=timeout, connect_timeout=timeout, network_interface=self.address)

    async def _fetch(self, url: str, timeout: float) -> None:
        # As a browser does, a missing file (Voila's pages ask for a few) does not stop the page.
        await self._http.fetch(self._request(url, timeout), raise_error=False)

    async def states(self, timeout: float = 60) -> dict[str, dict]:
        """Every widget's state, as the page asks for them."""
        states, self.visit.state_bytes = await widget_states(self.socket, timeout)
        return states

    async def change(self, timeout: float = 30) -> float | None:
        """One change, as a page sends it; the ms until its answer, or None when it was lost or wrong."""
        comm_id, state, answer_from = self.play.change(self.rng)
        self.visit.changes += 1
        msg_id, sent = self.socket.send(
            "shell", "comm_msg", {"comm_id": comm_id, "data": {"method": "update", "state": state, "buffer_paths": []}}
        )
        try:
            got = await self.socket.answers(msg_id, _idle, timeout)
        except ProtocolError as error:
            self.visit.lost += 1
            self.visit.errors.append(f"change {self.visit.changes}: {error}")
            return None
        updates = _comm_updates(got, answer_from)
        wrong = self.play.answered(updates)
        if wrong:
            self.visit.lost += 1
            self.visit.errors.append(f"change {self.visit.changes}: {wrong}")
            return None
        took = (updates[0].at - sent) * 1000
        self.visit.round_trips.append(took)
        return took

    async def check_settled(self, timeout: float = 60) -> None:
        """Ask for every state again: the kernel must hold the last change this pupil made."""
        wrong = self.play.settled(await self.states(timeout))
        if wrong:
            self.visit.lost += 1
            self.visit.errors.append(f"at the end: {wrong}")

    async def close(self, shutdown: bool = True) -> None:
        if self.socket is not None:
            self.socket.close()
        if shutdown and self.visit.kernel_id:
            try:  # as Voila's page does when it is closed
                await self._http.fetch(
                    HTTPRequest(
                        f"{self.base_url}/voila/api/shutdown/{self.visit.kernel_id}",
                        method="POST",
                        body=b"",
                        headers={"Cookie": f"_xsrf={self._xsrf}", "X-XSRFToken": self._xsrf},
                        request_timeout=30,
                    )
                )
            except Exception:  # the server may be going away; the kernel is culled or stopped with it
                pass
        self._http.close()
