"""What keeps one pupil, or one lesson, from taking the classroom down.

The classroom server hands every page a kernel and a websocket to it. Without limits a pupil's laptop
can start a kernel per request (~60 MB each, kept for the culling time), flood its websocket, send frames
of many megabytes, open widgets of its own, or hold connections open; a lesson whose cell never ends
pins a core after the pupil has gone. `install` puts these limits on a `Classroom`:

- kernels: at most `Limits.kernels_per_client` per pupil's device (remote address) and
  `Limits.max_kernels` in all (the pre-heated pool plus `MARGIN`). A device at its limit first gives
  back its own kernels that no page holds; a page refused gets a calm HTML page (429 or 503), never a
  traceback;
- time: a lesson's cell is interrupted after `Limits.cell_seconds` (the page shows the calm note for that
  cell and the rest of the lesson), and a kernel busy past that with no page attached is shut down; the
  culler takes busy kernels too;
- each page's websocket: a budget of messages (and bytes) per second, beyond which its messages wait
  (delayed, never dropped); a largest message; comm_open only for the widget control comm the page's
  widget manager opens; no stderr stream, error message, traceback or class record sent back to the page;
- HTTP: a request's headers must arrive within `Limits.header_seconds`; the teacher's token never
  reaches the log.
"""

from __future__ import annotations

import asyncio
import contextvars
import datetime
import functools
import html
import json
import logging
import re
import time
from dataclasses import dataclass, field
from typing import Any

from jupyter_server.services.kernels.connection.base import deserialize_msg_from_ws_v1, serialize_msg_to_ws_v1
from tornado import web
from tornado.ioloop import PeriodicCallback
from traitlets import Float, Integer
from traitlets.config import Configurable

MARGIN = 40  # kernels beyond the pre-heated pool: a class of 30 with a lesson each, the teacher, and spares
V1 = "v1.kernel.websocket.jupyter.org"
# What a classroom page's widget manager opens itself: the control comm it asks every widget's state on.
# The kit's widgets are all created by the kernel; a widget created from the browser is refused.
PAGE_COMM_TARGETS = frozenset({"jupyter.widget.control"})
MAX_CONTROL_COMMS = 16  # a page opens one each time it loads its widgets
RECORD = "mastery_record"  # a kernel's record of a pupil's work (widgets._session): never sent to a page


class Limits(Configurable):
    """The classroom's limits (`mastery present --kernels-per-client/--max-kernels/--cell-seconds`)."""

    starts_per_minute = Float(2, config=True, help="Kernels one device may start per minute, after a first handful")
    kernels_per_client = Integer(
        4, config=True, help="Kernels one device (remote address) may hold: a lesson, a free board, a spare tab"
    )
    max_kernels = Integer(0, config=True, help=f"Kernels in all; 0: the pre-heated pool plus {MARGIN}")
    cell_seconds = Float(30, config=True, help="A lesson cell running longer is interrupted; 0: no limit")
    grace_seconds = Float(10, config=True, help="A served page's kernel with no page attached after this is spare")
    messages_per_second = Float(20, config=True, help="A page's websocket messages per second, sustained")
    message_burst = Integer(100, config=True, help="Messages a page may send at once before they wait")
    max_message_bytes = Integer(2 * 2**20, config=True, help="The largest websocket message a page may send")
    header_seconds = Float(10, config=True, help="Time a connection has to send a request's headers")


# --- kernels: how many, and whose -----------------------------------------------------------------------


@dataclass
class _Visit:
    """One lesson request being served: who asked, and the kernel it got."""

    client: str
    lesson: str
    kernels: list[str] = field(default_factory=list)
    done: bool = False


@dataclass
class _Owned:
    client: str
    lesson: str
    served: float | None = None  # time.monotonic() when its page was served; None while the lesson runs


_visit: contextvars.ContextVar[_Visit | None] = contextvars.ContextVar("mastery_visit", default=None)


class Refused(Exception):
    """A lesson page the server will not start a kernel for now: the status and what the pupil reads."""

    def __init__(self, status: int, title: str, words: str, retry: int) -> None:
        super().__init__(title)
        self.status, self.title, self.words, self.retry = status, title, words, retry


class KernelCaps:
    """Counts kernels per device and in all, and says which a new lesson page may take.

    A kernel belongs to the device whose request started it (or took it from the pool). Kernels of the
    pool that no page has taken belong to nobody and count only in the total.
    """

    def __init__(self, manager: Any, limits: Limits, total: int, log: logging.Logger) -> None:
        self.manager = manager
        self.limits = limits
        self.total = total
        self.log = log
        self.owned: dict[str, _Owned] = {}
        self.visits: list[_Visit] = []
        self.starts: dict[str, Budget] = {}  # per device: reloads in a loop churn kernels, each a second of CPU
        self._start_kernel = manager.start_kernel
        manager.start_kernel = self.start_kernel
        self._get_rendered_notebook = getattr(manager, "get_rendered_notebook", None)  # with a pool only
        if self._get_rendered_notebook is not None:
            manager.get_rendered_notebook = self.get_rendered_notebook

    async def start_kernel(self, *args: Any, **kwargs: Any) -> str:
        kernel_id = await self._start_kernel(*args, **kwargs)
        visit = _visit.get()
        # A pool's refill may start inside a request's context, after the request has its kernel.
        if visit is not None and not visit.done and not visit.kernels:
            self._own(visit, kernel_id)
        return kernel_id

    async def get_rendered_notebook(self, *args: Any, **kwargs: Any) -> Any:
        rendered = await self._get_rendered_notebook(*args, **kwargs)
        visit = _visit.get()
        if visit is not None and not visit.kernels:
            self._own(visit, rendered[2])  # (render task, rendered cells, kernel id)
        return rendered

    def _own(self, visit: _Visit, kernel_id: str) -> None:
        visit.kernels.append(kernel_id)
        self.owned[kernel_id] = _Owned(visit.client, visit.lesson)

    def _alive(self) -> list[str]:
        alive = set(self.manager.list_kernel_ids())
        for gone in self.owned.keys() - alive:
            del self.owned[gone]
        return list(alive)

    def _spare(self, kernel_id: str, now: float) -> bool:
        """A kernel whose page was served a while ago and that no page holds: a closed or abandoned tab."""
        owned = self.owned.get(kernel_id)
        return (
            owned is not None
            and owned.served is not None
            and now - owned.served > self.limits.grace_seconds
            and self.manager._kernel_connections.get(kernel_id, 0) == 0
        )

    def _waiting(self, client: str | None = None) -> int:
        return sum(1 for v in self.visits if not v.kernels and (client is None or v.client == client))

    async def admit(self, client: str, lesson: str) -> _Visit:
        """A place for a new lesson page of this device, giving back its spare kernels first; else Refused."""
        per_client = self.limits.kernels_per_client
        while True:
            alive, now = self._alive(), time.monotonic()
            mine = [k for k in alive if k in self.owned and self.owned[k].client == client]
            if len(mine) + self._waiting(client) >= per_client:
                spare = [k for k in mine if self._spare(k, now)]
                if not spare:
                    self.log.warning(
                        "mastery: refused a lesson to %s: %s kernels already open there", client, per_client
                    )
                    raise Refused(
                        429,
                        "This device has enough lessons open",
                        f"This device already has {per_client} lessons open on the classroom server. "
                        "Close a lesson tab you no longer need, then reload this page.",
                        30,
                    )
                await self._shut_down(min(spare, key=lambda k: (self.owned[k].lesson != lesson, self.owned[k].served)))
                continue
            if len(alive) + self._waiting() >= self.total:
                spare = [k for k in alive if self._spare(k, now)]
                if not spare:
                    self.log.warning("mastery: refused a lesson to %s: all %s kernels in use", client, self.total)
                    raise Refused(
                        503,
                        "The classroom is full for a moment",
                        "Every place on the classroom server is taken just now. Wait a minute and reload this "
                        "page; if it happens again, tell your teacher.",
                        60,
                    )
                await self._shut_down(min(spare, key=lambda k: self.owned[k].served))
                continue
            starts = self.starts.setdefault(client, Budget(self.limits.starts_per_minute / 60, 2 * per_client + 2))
            if not starts.take(1):
                self.log.warning("mastery: refused a lesson to %s: too many new lessons in a minute", client)
                raise Refused(
                    429,
                    "Too many new lessons at once",
                    "This device has opened many lessons in the last few minutes. Wait a minute, then reload "
                    "this page.",
                    60,
                )
            visit = _Visit(client, lesson)
            self.visits.append(visit)
            return visit

    def served(self, visit: _Visit) -> None:
        visit.done = True
        self.visits.remove(visit)
        for kernel_id in visit.kernels:
            if kernel_id in self.owned:
                self.owned[kernel_id].served = time.monotonic()

    async def _shut_down(self, kernel_id: str) -> None:
        owned = self.owned.pop(kernel_id, None)
        if owned is None:
            return  # another page's request is shutting it down
        self.log.info(
            "mastery: shutting down %s's spare kernel %s (%s) for a new page", owned.client, kernel_id, owned.lesson
        )
        try:
            await self.manager.shutdown_kernel(kernel_id)
        except Exception as error:  # already gone: its place is free all the same
            self.log.info("mastery: kernel %s was already gone: %s", kernel_id, error)


def refusal_page(refused: Refused) -> str:
    """A page a pupil can read: what happened and what to do, in words, with nothing of the server in it."""
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(refused.title)}</title><style>"
        "body{font:1.25rem/1.5 system-ui,sans-serif;max-width:36rem;margin:15vh auto;padding:0 1.5rem;color:#1f2933}"
        "h1{font-size:1.75rem}@media (prefers-color-scheme:dark){body{background:#1f2933;color:#f5f7fa}}"
        f"</style></head><body><main><h1>{html.escape(refused.title)}</h1><p>{html.escape(refused.words)}</p>"
        "</main></body></html>"
    )


# Voila sends this while a cell or a kernel's start is slow, to keep the connection alive. A kernel that starts
# slowly on a busy server makes it come before the page's head has defined the function: a page error.
HEARTBEAT = "<script>window.voila_heartbeat()</script>\n"
KEEP_ALIVE = "<!-- still working -->\n"
START_SECONDS = 120  # beyond the cell limit, what a kernel may take to start and a lesson to lay out on a busy server
# Over whatever part of the page has arrived (which Voila keeps hidden until the end): words, not a spinner.
STOPPED = (
    '<div role="alert" style="position:fixed;inset:0;z-index:10000;display:flex;align-items:center;'
    "justify-content:center;padding:2rem;text-align:center;background:#fff;color:#1f2933;"
    'font:1.5rem/1.5 system-ui,sans-serif"><p>This lesson stopped before it was ready. Reload the page to try '
    "again; if it stops again, tell your teacher.</p></div>\n"
)


class CappedLesson:
    """A lesson page that asks `KernelCaps` for a place before Voila starts (or hands out) its kernel."""

    async def get_generator(self, path: str | None = None) -> Any:
        # Voila renders in a task of its own; if that task fails it sends heartbeats for ever, and the page
        # never ends. A page that has had nothing but heartbeats for longer than a lesson may take is ended.
        caps: KernelCaps = self.settings["mastery_kernel_caps"]
        cell = caps.limits.cell_seconds
        stall = cell + START_SECONDS if cell > 0 else None
        last = time.monotonic()
        async for chunk in super().get_generator(path):
            if chunk != HEARTBEAT:
                last = time.monotonic()
                yield chunk
            elif stall is not None and time.monotonic() - last > stall:
                caps.log.warning("mastery: ended the page of %s: nothing came for %.0f s", path, stall)
                yield STOPPED
                return
            else:
                yield KEEP_ALIVE

    @web.authenticated
    async def get(self, path: str | None = None) -> None:
        caps: KernelCaps = self.settings["mastery_kernel_caps"]
        try:
            visit = await caps.admit(self.request.remote_ip or "", path or "")
        except Refused as refused:
            self.set_status(refused.status)
            self.set_header("Content-Type", "text/html; charset=UTF-8")
            self.set_header("Cache-Control", "no-store")
            self.set_header("Retry-After", str(refused.retry))
            self.finish(refusal_page(refused))
            return
        token = _visit.set(visit)
        try:
            await super().get(path)
        finally:
            _visit.reset(token)
            caps.served(visit)


class BusyReaper:
    """Shuts down a kernel busy past the cell limit with no page attached (a cell that never ends)."""

    def __init__(self, manager: Any, seconds: float, log: logging.Logger) -> None:
        self.manager, self.seconds, self.log = manager, seconds, log
        self.timer = PeriodicCallback(self.reap, 1000 * max(1.0, min(10.0, seconds / 3)))
        self.timer.start()

    async def reap(self) -> None:
        now = datetime.datetime.now(datetime.timezone.utc)
        for kernel_id in list(self.manager.list_kernel_ids()):
            try:
                kernel = self.manager.get_kernel(kernel_id)
            except KeyError:
                continue
            # A cell printing or drawing sends messages; one that loops silently sends none.
            silent = (now - kernel.last_activity).total_seconds()
            attached = self.manager._kernel_connections.get(kernel_id, 0)
            if kernel.execution_state == "busy" and silent > self.seconds and not attached:
                self.log.warning(
                    "mastery: shutting down kernel %s: busy %.0f s with no page attached", kernel_id, silent
                )
                try:
                    await self.manager.shutdown_kernel(kernel_id, now=True)
                except Exception as error:
                    self.log.info("mastery: kernel %s was already gone: %s", kernel_id, error)


# --- a page's websocket ------------------------------------------------------------------------------------


class Budget:
    """A token bucket: `rate` units a second, up to `burst` at once."""

    def __init__(self, rate: float, burst: float) -> None:
        self.rate, self.burst = rate, burst
        self.tokens, self.at = burst, time.monotonic()

    def _refill(self) -> None:
        now = time.monotonic()
        self.tokens = min(self.burst, self.tokens + (now - self.at) * self.rate)
        self.at = now

    def take(self, cost: float) -> bool:
        """Takes `cost` when there is that much now; else takes nothing."""
        self._refill()
        if self.tokens < cost:
            return False
        self.tokens -= cost
        return True

    def wait_for(self, cost: float) -> float:
        """Seconds until `cost` is affordable (0: now); the cost is taken either way."""
        self._refill()
        self.tokens -= cost
        return 0.0 if self.tokens >= 0 else -self.tokens / self.rate


UNIT_BYTES = 64 * 1024  # a message costs one unit, and one more for each 64 KB it carries


def _v1_msg_type(message: bytes) -> str | None:
    """The msg_type in a v1 binary message's header, reading nothing else; None when unreadable."""
    try:
        count = int.from_bytes(message[:8], "little")
        if not 3 <= count <= 1024:
            return None
        start, end = (int.from_bytes(message[8 * n : 8 * n + 8], "little") for n in (2, 3))
        return json.loads(message[start:end]).get("msg_type")
    except Exception:
        return None


def _header_and_content(message: str | bytes, protocol: str | None) -> tuple[dict, Any, Any] | None:
    """(header, content, parts) of a kernel message as the websocket carries it; None when unreadable."""
    try:
        if isinstance(message, bytes):
            if protocol != V1:
                return None  # the older binary form carries buffers only alongside widget updates
            channel, parts = deserialize_msg_from_ws_v1(message)
            return json.loads(parts[0]), (lambda: json.loads(parts[3])), (channel, parts)
        parsed = json.loads(message)
        return parsed.get("header") or {}, (lambda: parsed.get("content") or {}), parsed
    except Exception:
        return None


class GuardedSocket:
    """A page's kernel websocket: paced, refused widgets from the browser, and nothing of the server sent back."""

    def open(self, *args: Any, **kwargs: Any) -> Any:
        limits: Limits = self.settings["mastery_limits"]
        self._budget = Budget(limits.messages_per_second, limits.message_burst)
        return super().open(*args, **kwargs)

    async def on_message(self, message: str | bytes) -> None:
        delay = self._budget.wait_for(1 + len(message) // UNIT_BYTES)
        if delay:
            # Tornado reads this page's next frame only after this returns: a flood waits in its own socket.
            await asyncio.sleep(delay)
        if self._refused(message):
            return None
        return super().on_message(message)

    def _refused(self, message: str | bytes) -> bool:
        """A comm the page may not open, or a control comm message other than request_states (logged)."""
        controls: set[str] = self.__dict__.setdefault("_controls", set())  # this page's widget control comms
        # The cheap look first: most messages are widget updates, and need no parsing here.
        if isinstance(message, str):
            if "comm_open" not in message and not any(comm_id in message for comm_id in controls):
                return False
        elif self.selected_subprotocol == V1:
            kind = _v1_msg_type(message)
            if kind != "comm_open" and not (kind == "comm_msg" and any(c.encode() in message for c in controls)):
                return False
        else:
            return False  # the older binary form: widget buffers, never a comm_open
        read = _header_and_content(message, self.selected_subprotocol)
        if read is None:
            return True  # it named a comm_open or a control comm, and cannot be read: the kernel need not try
        kind, content = read[0].get("msg_type"), read[1]()
        if kind == "comm_open":
            target = content.get("target_name")
            if target in PAGE_COMM_TARGETS and len(controls) < MAX_CONTROL_COMMS:
                controls.add(str(content.get("comm_id")))
                return False
            self.log.warning("mastery: refused a page's comm_open for %r", target)
            return True
        if kind == "comm_msg" and content.get("comm_id") in controls:
            method = (content.get("data") or {}).get("method")
            if method != "request_states":
                self.log.warning("mastery: refused a page's widget control message %r", method)
                return True
        return False

    def write_message(self, message: Any, binary: bool = False) -> Any:
        message = self._for_the_page(message)
        if message is None:
            return None
        return super().write_message(message, binary)

    def _for_the_page(self, message: Any) -> Any:
        """The message as a pupil's page may have it: no stderr, no error, no traceback; else None."""
        # The cheap look first: widget updates and status messages, most of what a page gets, pass unread.
        if isinstance(message, str):
            if not any(word in message for word in ('"stream"', '"error"', '"traceback"', f'"{RECORD}"')):
                return message
        elif isinstance(message, bytes) and self.selected_subprotocol == V1:
            kind = _v1_msg_type(message) or ""
            if kind not in ("error", "stream", RECORD) and not kind.endswith("_reply"):
                return message
        else:
            return message  # the older binary form: a message with widget buffers
        read = _header_and_content(message, self.selected_subprotocol)
        if read is None:
            return message
        header, content, whole = read
        kind = header.get("msg_type", "")
        if kind == RECORD:  # a class's record: for the server, which reads it from the kernel itself
            return None
        if kind == "error" or (kind == "stream" and content().get("name") == "stderr"):
            return None
        if kind.endswith("_reply") and content().get("status") == "error":
            calm = {"status": "error", "ename": "", "evalue": "", "traceback": []}
            if isinstance(whole, dict):
                return json.dumps({**whole, "content": calm})
            channel, parts = whole
            return serialize_msg_to_ws_v1([*parts[:3], json.dumps(calm).encode(), *parts[4:]], channel)
        return message


# --- the log -------------------------------------------------------------------------------------------------


class HideToken(logging.Filter):
    """Writes the teacher's token (and any token or _xsrf in a URL) as [hidden] in every log line."""

    PARAM = re.compile(r"((?:[?&;]|%3F|%26)(?:token|_xsrf)(?:=|%3D))[^&;\s\"'#]+", re.I)

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            said = record.getMessage()
        except Exception:
            return True
        hidden = self.PARAM.sub(r"\1[hidden]", said)
        if self.token:
            hidden = hidden.replace(self.token, "[hidden]")
        if hidden != said:
            record.msg, record.args = hidden, None
        return True


def _hide_token_everywhere(token: str, *loggers: logging.Logger) -> None:
    hide = HideToken(token)
    seen: set[int] = set()
    for logger in (logging.getLogger(), *loggers):
        for handler in logger.handlers:
            if id(handler) not in seen:
                seen.add(id(handler))
                handler.addFilter(hide)
        logger.addFilter(hide)  # records logged on this logger itself, whatever handler takes them


# --- putting it on the app -----------------------------------------------------------------------------------


def guarded(handler: type, mixin: type) -> type:
    """handler with mixin's methods in front of its own (one class per handler, made once)."""
    return type(handler.__name__, (mixin, handler), {"__doc__": f"{handler.__doc__ or ''}\n\n{mixin.__doc__}"})


def install(app: Any, routes: list[tuple], *, lesson: type, socket: type) -> list[tuple]:
    """Puts the classroom's limits on a started Voila app (its tornado app made, not yet listening).

    Returns the routes with the lesson page and kernel websocket handlers guarded.
    """
    limits = Limits(parent=app)
    manager = app.kernel_manager
    pool = sum(int(size) for size in (getattr(app, "preheat", None) or {}).values())
    caps = KernelCaps(manager, limits, limits.max_kernels or pool + MARGIN, app.log)
    app.app.settings.update(
        mastery_limits=limits,
        mastery_kernel_caps=caps,
        websocket_max_message_size=limits.max_message_bytes,
    )
    if limits.cell_seconds > 0:
        executor = app.config.VoilaExecutor
        executor.timeout = max(1, round(limits.cell_seconds))
        executor.interrupt_on_timeout = True  # the rest of the lesson still runs
        executor.error_on_timeout = {"ename": "CellTimeout", "evalue": "", "traceback": []}
        app._mastery_reaper = BusyReaper(manager, limits.cell_seconds + 5, app.log)
    # The culler takes busy kernels too, but never one whose cell is still within its time.
    manager.cull_busy = not limits.cell_seconds or manager.cull_idle_timeout > limits.cell_seconds
    app.app.listen = functools.partial(
        app.app.listen, idle_connection_timeout=limits.header_seconds, body_timeout=limits.header_seconds
    )
    _hide_token_everywhere(
        getattr(app, "teacher_token", ""),
        app.log,
        *map(logging.getLogger, ("tornado.access", "tornado.application", "tornado.general")),
    )
    app.log.info(
        "mastery: at most %s kernels, %s per device; a lesson cell may run %g s",
        caps.total,
        limits.kernels_per_client,
        limits.cell_seconds,
    )
    swaps = {lesson: guarded(lesson, CappedLesson), socket: guarded(socket, GuardedSocket)}
    return [(route[0], swaps.get(route[1], route[1]), *route[2:]) for route in routes]
