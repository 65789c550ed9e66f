"""The class: pupils join a lesson on their own devices, and the teacher sees every board and answer live.

`mastery present LESSON --class [--db URL]` opens a class in the store (`lessons.store`) and serves the
lesson as ever, with these parts added to the classroom server (`Classroom.class_lesson`):

Who is who (decided by the server, never by a page)
    The teacher holds the token `present` prints: given once in a page's query, it is kept in an
    HttpOnly cookie, so the whiteboard's lesson page and the dashboard carry it; a pupil's page never
    does. A pupil joins at ``/class`` with the join code and their name (or a pseudonym the kit gives);
    the store gives them a secret key, kept in an HttpOnly cookie, that brings them back on reload; the
    same name and code on another device makes the same pupil. The class's lesson is served only to the
    teacher and to joined pupils (anyone else is sent to the join page).

The kernels (one per page, as ever)
    Every kernel of a class starts with ``MASTERY_CLASS=1``, so it is a pupil's until told otherwise
    (`widgets._session`). When a page's websocket to its kernel opens, the server, before it lets the
    page's first message through, runs ``widgets._session.join(role, saved)`` in the kernel: the role
    (a page cannot run code: the websocket guard lets no execute request through) and, for a pupil,
    their boards and answers as the store last saw them, restored in Python through each widget's own
    validation. A pre-heated kernel has already run the lesson, so restoring at this moment works for
    it as for a fresh one. A kernel belongs to the first seat that connects to it; another pupil's
    websocket to it is refused (403), as is any page without a seat.

Recording (the server is the single writer)
    A pupil's kernel sends each accepted change as a ``mastery_record`` message on IOPub; the server
    listens on the kernel's IOPub itself (so a record does not depend on the page's connection), the
    websocket guard never forwards such a message to a page, and a page cannot send one. The server
    adds the pupil, the section they are on and the time, writes it to the store on one writer thread
    (in order, off the event loop) and pushes the board's SVG to the teacher's pages at once.

The class's own websocket (``/mastery/class/socket``)
    One per page of the class, pupils' and teacher's. The server pushes the pacing (hold pupils on the
    whiteboard's section, or let them move; "eyes on me" pauses every pupil's screen) to every page,
    and to the teacher's pages the roster, each board's latest SVG, the questions' results and the
    boards shown on the whiteboard. A pupil's page may only say which section it shows; every message
    is checked for size, shape and rate, and a refused one is answered with a sentence, never obeyed.
    The teacher's pages may change the pacing and what the whiteboard shows.

The dashboard (``/mastery/class/dashboard``, teacher only; 403 for anyone else)
    Roster, live thumbnails per board, per question right / not yet / not tried and the commonest
    wrong answers; pupils are "Pupil 1", "Pupil 2" (in the order they joined) unless the teacher
    shows names on their own screen. It is drawn from the store when it opens, so it survives a
    server restart, then kept live by pushes.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import hmac
import json
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import quote

from tornado import web, websocket

from lessons.guards import RECORD, Budget
from lessons.store import ClassRecord, Pupil, Store, join_code

TEACHER_COOKIE = "mastery_teacher"
PUPIL_COOKIE = "mastery_pupil"
MAX_SOCKET_MESSAGE = 2048  # a page's message on the class socket: a few small fields
JOIN_CODE_LENGTH = 4
WEB = Path(__file__).parent / "web"


@dataclass(frozen=True)
class Seat:
    """Who a request comes from: the teacher, or one joined pupil."""

    role: str  # "teacher" or "pupil"
    pupil: Pupil | None = None

    @property
    def key(self) -> str:
        return "teacher" if self.pupil is None else f"pupil:{self.pupil.id}"


@dataclass
class _Kernel:
    seat: Seat
    joined: asyncio.Future
    iopub: Any = None


@dataclass
class Pacing:
    hold: bool = False  # pupils kept on the whiteboard's section
    section: int = 1  # the section the whiteboard shows (from 1)
    paused: bool = False  # "eyes on me": every pupil's screen covered
    board: str = ""  # the board the whiteboard shows pupils' work of
    shown: list[int] = field(default_factory=list)  # the pupils whose boards it shows (at most two)

    def public(self) -> dict[str, Any]:
        return {"type": "pace", "hold": self.hold, "section": self.section, "paused": self.paused}


def _one_line(value: Any, most: int) -> str | None:
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())
    return value if 0 < len(value) <= most and value.isprintable() else None


class ClassSession:
    """One class being taught on this server: its record in the store, its kernels, pages and pacing."""

    def __init__(self, store: Store, record: ClassRecord, teacher_token: str, log: Any) -> None:
        self.store = store
        self.record = record
        self.teacher_token = teacher_token
        self.log = log
        self.kernels: dict[str, _Kernel] = {}
        self.sockets: set[ClassSocket] = set()
        self.sections: dict[int, int] = {}  # pupil id -> the section their page shows
        self.pacing = Pacing()
        self.join_url = ""  # what pupils type, set once the server knows its address
        self._writer = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="mastery-store")
        self._latest: dict[tuple[int, str], str] = {}  # (pupil, board) -> svg, for the whiteboard's show
        self._pupils: dict[str, Pupil] = {}  # key -> pupil: a pupil's seat asked on every request
        self.written = 0  # records the store has kept
        self.lost = 0  # records it refused (logged each time): a class should end with none

    @classmethod
    def open(cls, url: str | None, lesson: str, title: str, teacher_token: str, log: Any) -> ClassSession:
        """A new class of `lesson` in the store at `url`, with a join code no open class has."""
        store = Store(url)
        for _ in range(20):
            code = join_code(JOIN_CODE_LENGTH)
            if store.find_class(code) is None:
                break
        record = store.open_class(lesson, title, code=code)
        return cls(store, record, teacher_token, log)

    @classmethod
    def resume(cls, url: str | None, lesson: str, teacher_token: str, log: Any) -> ClassSession:
        """The newest open class of `lesson`, taken up again after the server stopped: the same join code, and
        pupils' cookies still name it, so a reload brings each pupil back to their boards."""
        store = Store(url)
        record = store.open_class_of(lesson)
        if record is None:
            store.close()
            raise ValueError(f"no class of {lesson} is open to take up again: start one with --class alone")
        return cls(store, record, teacher_token, log)

    def qr(self) -> str:
        if not getattr(self, "_qr", ""):
            self._qr = qr_svg(f"{self.join_url}?code={self.record.code}")  # a phone's camera: the code typed too
        return self._qr

    # --- the store, off the event loop, one call at a time --------------------------------------------

    async def stored(self, method: str, *args: Any, **kwargs: Any) -> Any:
        call = getattr(self.store, method)
        return await asyncio.get_running_loop().run_in_executor(self._writer, lambda: call(*args, **kwargs))

    def close(self) -> None:
        self._writer.shutdown(wait=True)  # every record queued is written before the store closes
        self.store.close()
        self.log.info("mastery: the class kept %s records; %s were refused", self.written, self.lost)

    # --- who is asking --------------------------------------------------------------------------------

    def is_token(self, given: str | None) -> bool:
        return bool(given) and hmac.compare_digest(given.encode(), self.teacher_token.encode())

    def seat(self, handler: web.RequestHandler) -> Seat | None:
        """The teacher (token in the query or the cookie), a joined pupil (their key's cookie), or None."""
        if self.is_token(handler.get_query_argument("token", "")) or self.is_token(handler.get_cookie(TEACHER_COOKIE)):
            return Seat("teacher")
        class_id, _, key = (handler.get_cookie(PUPIL_COOKIE) or "").partition(".")
        if class_id != str(self.record.id) or not key:
            return None
        pupil = self._pupils.get(key)
        if pupil is None:
            pupil = self.store.pupil(self.record.id, key)  # once per pupil: an indexed read, beside the writer
            if pupil is not None:
                self._pupils[key] = pupil
        return Seat("pupil", pupil) if pupil else None

    def remember_teacher(self, handler: web.RequestHandler) -> None:
        """The token given in the query, kept in a cookie the page's scripts cannot read."""
        if self.is_token(handler.get_query_argument("token", "")):
            handler.set_cookie(TEACHER_COOKIE, self.teacher_token, httponly=True, samesite="Strict", path="/")

    # --- a page's kernel: its role, a pupil's work put back, its records ------------------------------

    def kernel_refused(self, kernel_id: str, seat: Seat | None, lesson: str | None) -> bool:
        """A kernel websocket this seat may not open: another seat's kernel, or the class's lesson without a seat."""
        bound = self.kernels.get(kernel_id)
        if bound is not None:
            return seat is None or bound.seat.key != seat.key
        return seat is None and lesson == self.record.lesson

    async def enter(self, manager: Any, kernel_id: str, seat: Seat | None, lesson: str | None) -> None:
        """Tell a kernel whose it is, and give a pupil their work back, once, before its page is heard."""
        if seat is None or (seat.role == "pupil" and lesson != self.record.lesson):
            return  # a pupil's kernel of another lesson: a pupil's by its environment, recording nothing
        bound = self.kernels.get(kernel_id)
        if bound is None:
            bound = self.kernels[kernel_id] = _Kernel(seat, asyncio.get_running_loop().create_future())
            try:
                saved = {}
                if seat.pupil is not None:
                    saved = await self.stored("saved_boards", self.record.id, seat.pupil.id)
                    bound.iopub = self._listen(manager, kernel_id, seat.pupil)
                began = time.monotonic()
                said = await _run_in_kernel(manager, kernel_id, seat.role, saved)
                self.log.info(
                    "mastery: kernel %s is the %s's (%s) in %.0f ms: %s",
                    kernel_id,
                    seat.role,
                    seat.pupil.id if seat.pupil else "-",
                    1000 * (time.monotonic() - began),
                    said,
                )
            except Exception as error:
                self.log.warning("mastery: could not join kernel %s to the class: %s", kernel_id, error)
            finally:
                bound.joined.set_result(None)
        await bound.joined

    def _listen(self, manager: Any, kernel_id: str, pupil: Pupil) -> Any:
        kernel = manager.get_kernel(kernel_id)
        stream = kernel.connect_iopub()
        session = kernel.session

        def received(parts: list[bytes]) -> None:
            try:
                _, message = session.feed_identities(parts)
                if len(message) < 5 or b'"' + RECORD.encode() + b'"' not in message[1]:
                    return  # the cheap look: nearly every message is a widget update for the page
                read = session.deserialize(message)  # the kernel's signature checked
            except Exception:
                return
            if read["header"].get("msg_type") == RECORD:
                asyncio.ensure_future(self.recorded(pupil, read["content"]))

        stream.on_recv(received)
        return stream

    async def recorded(self, pupil: Pupil, content: Any) -> None:
        """A pupil's kernel recorded a change: pushed to the teacher's pages now, written to the store in order."""
        if not isinstance(content, dict) or not isinstance(content.get("board"), str) or not content["board"]:
            return
        board, state = content["board"], content.get("state")
        section = self.sections.get(pupil.id)
        at = datetime.now(timezone.utc)
        svg = content.get("svg") if isinstance(content.get("svg"), str) else ""
        if svg:
            self._latest[(pupil.id, board)] = svg
            self.to_teacher({"type": "board", "pupil": pupil.id, "board": board, "svg": svg})
            if pupil.id in self.pacing.shown and board == self.pacing.board:
                self.to_teacher(self.shown())
        try:
            if isinstance(state, dict):
                await self.stored("record_board", self.record.id, pupil.id, board, state, svg, section=section, at=at)
                self.written += 1
            if content.get("kind") == "answer":
                right = content.get("right")
                await self.stored(
                    "record_answer",
                    self.record.id,
                    pupil.id,
                    board,
                    content.get("item"),
                    content.get("answer"),
                    right if isinstance(right, bool) else None,
                    at=at,
                )
                self.written += 1
                self.to_teacher(await self.results())
        except Exception as error:  # a record the store refused: counted and logged, the class goes on
            self.lost += 1
            self.log.warning("mastery: a record of pupil %s's %r was not kept: %s", pupil.id, board, error)

    def forget_gone(self, alive: set[str]) -> None:
        for kernel_id in list(self.kernels.keys() - alive):
            kernel = self.kernels.pop(kernel_id)
            if kernel.iopub is not None:
                kernel.iopub.close()

    # --- what the teacher's pages are sent -------------------------------------------------------------

    def to_teacher(self, message: dict[str, Any]) -> None:
        for socket in list(self.sockets):
            if socket.seat.role == "teacher":
                socket.send(message)

    def to_all(self, message: dict[str, Any]) -> None:
        for socket in list(self.sockets):
            socket.send(message)

    async def roster(self) -> dict[str, Any]:
        pupils = await self.stored("pupils", self.record.id)
        connected = Counter(s.seat.pupil.id for s in self.sockets if s.seat.pupil is not None)
        return {
            "type": "roster",
            "pupils": [
                {
                    "id": p.id,
                    "name": p.name,
                    "label": f"Pupil {n}",
                    "connected": connected[p.id] > 0,
                    "section": self.sections.get(p.id),
                }
                for n, p in enumerate(pupils, 1)
            ],
        }

    async def boards(self) -> list[dict[str, Any]]:
        latest = await self.stored("latest_boards", self.record.id)
        found = []
        for board in latest:
            if board.svg:
                self._latest[(board.pupil_id, board.board)] = board.svg
                found.append({"type": "board", "pupil": board.pupil_id, "board": board.board, "svg": board.svg})
        return found

    async def results(self) -> dict[str, Any]:
        """Per question (board, item): who has it right, who not yet, and the commonest wrong answers."""
        last: dict[tuple[str, int, int], Any] = {}
        for answer in await self.stored("answers", self.record.id):  # oldest first: the last one stands
            last[(answer.board, answer.item, answer.pupil_id)] = answer
        questions: dict[tuple[str, int], dict[str, Any]] = {}
        for (board, item, pupil), answer in sorted(last.items()):
            q = questions.setdefault(
                (board, item), {"board": board, "item": item, "right": [], "wrong": [], "said": Counter()}
            )
            if answer.right:
                q["right"].append(pupil)
            else:
                q["wrong"].append(pupil)
                q["said"][answer.answer] += 1
        return {
            "type": "results",
            "questions": [
                {**q, "said": [[said, n] for said, n in q["said"].most_common(3)]} for q in questions.values()
            ],
        }

    def shown(self) -> dict[str, Any]:
        """The boards the whiteboard shows, large and anonymised: "Board A", "Board B"."""
        boards = [
            {"label": f"Board {'AB'[n]}", "svg": self._latest.get((pupil, self.pacing.board), "")}
            for n, pupil in enumerate(self.pacing.shown)
        ]
        return {"type": "show", "board": self.pacing.board, "boards": boards}

    # --- what pages ask ---------------------------------------------------------------------------------

    async def heard(self, socket: ClassSocket, message: dict[str, Any]) -> str:
        """A page's message on the class socket; returns "" when carried out, else why it was refused."""
        kind = message.get("type")
        section = message.get("section")
        if kind == "section":
            if not isinstance(section, int) or isinstance(section, bool) or not 1 <= section <= 100:
                return "A section is a whole number from 1 to 100."
            if socket.seat.pupil is not None:
                self.sections[socket.seat.pupil.id] = section
                self.to_teacher({"type": "section", "pupil": socket.seat.pupil.id, "section": section})
            elif message.get("whiteboard") is True:
                self.pacing.section = section
                self.to_all(self.pacing.public())
            return ""
        if socket.seat.role != "teacher":
            return "Only your teacher can change what the class sees."
        if kind == "pace" and isinstance(message.get("hold"), bool):
            self.pacing.hold = message["hold"]
        elif kind == "pause" and isinstance(message.get("paused"), bool):
            self.pacing.paused = message["paused"]
        elif kind == "show":
            board, pupils = message.get("board"), message.get("pupils")
            if not (
                isinstance(board, str)
                and len(board) <= 200
                and isinstance(pupils, list)
                and len(pupils) <= 2
                and all(isinstance(p, int) and not isinstance(p, bool) for p in pupils)
            ):
                return "Show takes a board's name and at most two pupils."
            self.pacing.board, self.pacing.shown = board, list(pupils)
            self.to_teacher(self.shown())
            return ""
        else:
            return "That is not something the class does."
        self.to_all(self.pacing.public())
        return ""


async def _run_in_kernel(manager: Any, kernel_id: str, role: str, saved: dict[str, Any]) -> str:
    """Run widgets._session.join(role, saved) in the kernel, through the server's own connection to it."""
    saved_json = json.dumps(saved)
    code = f"__import__('widgets._session', fromlist=['join']).join({role!r}, __import__('json').loads({saved_json!r}))"
    client = manager.get_kernel(kernel_id).client()
    client.start_channels()
    try:
        reply = await client.execute_interactive(
            code,
            silent=True,
            store_history=False,
            allow_stdin=False,
            timeout=30,
            output_hook=lambda message: None,
        )
    finally:
        client.stop_channels()
    content = reply.get("content", {})
    if content.get("status") != "ok":
        raise RuntimeError(f"the kernel said {content.get('ename', 'no')}: {content.get('evalue', '')}")
    return f"{len(saved)} saved widget(s) given back"


# --- the pages ---------------------------------------------------------------------------------------------


def _page(handler: web.RequestHandler, template: str, status: int = 200, **context: Any) -> None:
    from markupsafe import Markup

    from lessons.pages import render_page

    handler.set_status(status)
    handler.set_header("Content-Type", "text/html; charset=UTF-8")
    handler.set_header("Cache-Control", "no-store")
    handler.set_header("Referrer-Policy", "no-referrer")
    handler.finish(render_page(template, xsrf=Markup(handler.xsrf_form_html()), **context))


def qr_svg(url: str) -> str:
    """The join address as a QR code, drawn here (no network): an SVG to put inline."""
    import segno

    return segno.make(url, error="m").svg_inline(scale=6, border=2, dark="#000", light="#fff")


class _ClassPage(web.RequestHandler):
    def initialize(self, session: ClassSession, lesson_url: str) -> None:
        self.session = session
        self.lesson_url = lesson_url


class JoinHandler(_ClassPage):
    """``/class``: the join code and a name (or a pseudonym), then the lesson; a joined pupil goes straight on."""

    budgets: dict[str, Budget] = {}

    def get(self) -> None:
        if self.session.seat(self) is not None:
            self.redirect(self.lesson_url)
            return
        _page(self, "join.html.j2", code=self.get_query_argument("code", "")[:16], typed="", error="")

    async def post(self) -> None:
        # A class behind one router shares an address: room for all of it to join at once, not for a flood.
        budget = self.budgets.setdefault(self.request.remote_ip or "", Budget(2, 40))
        code = (self.get_body_argument("code", "") or "").strip().upper()[:16]
        name = self.get_body_argument("name", "")[:200]
        error = ""
        if not budget.take(1):
            error = "Too many tries at once. Wait a moment, then press Join again."
        elif code != self.session.record.code:
            error = "That is not the code on the whiteboard. Check it and try again."
        elif self.get_body_argument("pseudonym", "") != "yes" and _one_line(name, 40) is None:
            error = "Type your name (up to 40 letters), or press “Give me a name”."
        if error:
            _page(self, "join.html.j2", status=400, code=code, typed=name, error=error)
            return
        session = self.session
        if self.get_body_argument("pseudonym", "") == "yes":
            name = await session.stored("pseudonym", session.record.id)
        try:
            pupil = await session.stored("join", session.record.id, _one_line(name, 40))
        except ValueError as why:
            _page(self, "join.html.j2", status=400, code=code, typed=name, error=str(why).capitalize() + ".")
            return
        self.set_cookie(PUPIL_COOKIE, f"{session.record.id}.{pupil.key}", httponly=True, samesite="Lax", path="/")
        self.redirect(self.lesson_url)
        session.to_teacher(await session.roster())  # on the dashboard at once, before their lesson has loaded


class DashboardHandler(_ClassPage):
    """``/mastery/class/dashboard``: the teacher's view of the class; 403 for anyone else."""

    def get(self) -> None:
        seat = self.session.seat(self)
        if seat is None or seat.role != "teacher":
            _page(self, "forbidden.html.j2", status=403, urls=None)
            return
        self.session.remember_teacher(self)
        record = self.session.record
        script = (WEB / "dashboard.js").read_text(encoding="utf-8")
        _page(
            self,
            "dashboard.html.j2",
            title=record.title,
            code=record.code,
            join_url=self.session.join_url,
            qr=self.session.qr(),
            script=script,
            lesson_url=self.lesson_url,
        )


class ClassSocket(websocket.WebSocketHandler):
    """``/mastery/class/socket``: pacing to every page of the class; the roster, boards and results to the teacher."""

    def initialize(self, session: ClassSession) -> None:
        self.session = session
        self.budget = Budget(5, 30)

    def get(self, *args: Any, **kwargs: Any) -> Any:
        seat = self.session.seat(self)
        if seat is None:
            raise web.HTTPError(403, "Join the class first.")
        self.seat = seat
        return super().get(*args, **kwargs)

    async def open(self) -> None:
        session = self.session
        session.sockets.add(self)
        self.set_nodelay(True)
        if self.seat.role == "teacher":
            record = session.record
            self.send({"type": "class", "code": record.code, "join": session.join_url, "qr": session.qr()})
            self.send(await session.roster())
            for board in await session.boards():
                self.send(board)
            self.send(await session.results())
            self.send(session.shown())
        else:
            # The pupil's own name on their own screen: a name the kit gave is how they join again elsewhere.
            self.send({"type": "you", "name": self.seat.pupil.name})
            session.to_teacher(await session.roster())
        self.send(session.pacing.public())

    async def on_message(self, message: str | bytes) -> None:
        if not self.budget.take(1):
            return self.send({"type": "refused", "message": "Too many messages: this page is sending too fast."})
        try:
            parsed = json.loads(message) if isinstance(message, str) and len(message) <= MAX_SOCKET_MESSAGE else None
        except ValueError:
            parsed = None
        if not isinstance(parsed, dict):
            return self.send({"type": "refused", "message": "That message could not be read."})
        why = await self.session.heard(self, parsed)
        if why:
            self.send({"type": "refused", "message": why})

    def on_close(self) -> None:
        self.session.sockets.discard(self)
        if self.seat.role == "pupil":
            asyncio.ensure_future(self._left())

    async def _left(self) -> None:
        self.session.to_teacher(await self.session.roster())

    def send(self, message: dict[str, Any]) -> None:
        try:
            self.write_message(json.dumps(message))
        except websocket.WebSocketClosedError:
            self.session.sockets.discard(self)


# --- the lesson page and its kernel's websocket, in a class --------------------------------------------------


class ClassLesson:
    """The class's lesson is served to the teacher and to joined pupils; anyone else is sent to join."""

    async def get(self, path: str | None = None) -> None:
        session: ClassSession | None = self.settings.get("mastery_class")
        if session is not None and (path or "").strip("/") == session.record.lesson:
            session.remember_teacher(self)
            if session.seat(self) is None:
                self.redirect(self.settings["mastery_join_url"])
                return
        await super().get(path)


class ClassKernelSocket:
    """A page's kernel websocket in a class: only its own seat's, and heard only once the server has joined it."""

    def _lesson(self, kernel_id: str) -> str | None:
        owned = self.settings["mastery_kernel_caps"].owned.get(kernel_id)
        return owned.lesson.strip("/") if owned is not None else None

    async def get(self, kernel_id: str, *args: Any, **kwargs: Any) -> None:
        session: ClassSession | None = self.settings.get("mastery_class")
        if session is not None:
            self._seat = session.seat(self)
            if session.kernel_refused(kernel_id, self._seat, self._lesson(kernel_id)):
                raise web.HTTPError(403, "This lesson's kernel is not yours.")
        await super().get(kernel_id, *args, **kwargs)

    async def open(self, kernel_id: str, *args: Any, **kwargs: Any) -> None:
        session: ClassSession | None = self.settings.get("mastery_class")
        if session is not None:
            # Tornado hears none of the page's messages until open() returns: the join runs first.
            await session.enter(self.kernel_manager, kernel_id, self._seat, self._lesson(kernel_id))
        await super().open(kernel_id, *args, **kwargs)


def class_handlers(base_url: str, session: ClassSession, lesson_url: str) -> list[tuple]:
    from lessons.links import url_join

    options = {"session": session, "lesson_url": lesson_url}
    return [
        (url_join(base_url, "/class"), JoinHandler, options),
        (url_join(base_url, "/mastery/class/dashboard"), DashboardHandler, options),
        (url_join(base_url, "/mastery/class/socket"), ClassSocket, {"session": session}),
    ]


def lesson_url(base_url: str, lesson: str) -> str:
    from lessons.links import url_join

    return url_join(base_url, "voila/render/" + quote(lesson))
