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

Observers (colleagues watching a research lesson)
    `present` prints a second token, the observers'. Given in the query of ``/mastery/class/observe``, it is
    kept in a cookie of its own and opens the dashboard read-only: pupils are always "Pupil 3" there (the
    server never sends an observer a name), and a notes box keeps a short note on a pupil or a group in the
    store and shows it on the teacher's dashboard at once. An observer's page gets no lesson and no kernel,
    and the class socket refuses every teacher's action from it.

The dashboard (``/mastery/class/dashboard``, teacher only; 403 for anyone else)
    Roster, live thumbnails per board, per question right / not yet / not tried and the commonest
    wrong answers; pupils are "Pupil 1", "Pupil 2" (in the order they joined) unless the teacher
    shows names on their own screen. It is drawn from the store when it opens, so it survives a
    server restart, then kept live by pushes. Any pupil's board can be replayed there, state by state,
    from the store's history. The teacher picks boards into a discussion sequence (reordered, taken out,
    or suggested from the plan's sharing order); "Show next" puts the next one or two on the whiteboard,
    anonymised, with the anticipated response's name if the teacher asks, and each show is kept.

Lesson study (`lessons.study_live`)
    A lesson whose teacher-only cells anticipate pupils' responses (`widgets.study`) has its boards
    grouped live by them on the dashboard: a study kernel of the class's own runs the whole lesson and
    classifies each pupil's newest state of each planned board.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import hmac
import json
import secrets
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import quote

from tornado import web, websocket

from lessons import thumbnails
from lessons.guards import RECORD, Budget
from lessons.store import ClassRecord, Pupil, Store, join_code
from lessons.study_live import Grouping, StudyKernel

TEACHER_COOKIE = "mastery_teacher"
OBSERVER_COOKIE = "mastery_observer"
PUPIL_COOKIE = "mastery_pupil"
MAX_SOCKET_MESSAGE = 2048  # a page's message on the class socket: a few small fields
JOIN_CODE_LENGTH = 4
MAX_SEQUENCE = 40  # boards in the discussion sequence: a lesson's discussion shows a handful
MAX_REPLAY = 400  # states of a board sent for a replay: the newest, when a pupil made more
WEB = Path(__file__).parent / "web"


@dataclass(frozen=True)
class Seat:
    """Who a request comes from: the teacher, an observer, or one joined pupil."""

    role: str  # "teacher", "observer" or "pupil"
    pupil: Pupil | None = None

    @property
    def key(self) -> str:
        return self.role if self.pupil is None else f"pupil:{self.pupil.id}"

    @property
    def watches(self) -> bool:
        """The dashboard's seats: the teacher's pages and the observers'."""
        return self.role in ("teacher", "observer")


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
    response: str = ""  # the anticipated response's name shown with them ("" for none)

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
        self.observer_token = secrets.token_urlsafe(24)  # fresh at each start, like the teacher's
        self.observers = 0  # observers' pages opened: each is "Observer N" unless they give a label
        self.sequence: list[tuple[str, int]] = []  # the discussion sequence: (board, pupil), in order
        self.grouping: Grouping | None = None  # the plan's anticipated responses, once the study kernel runs
        self.next_shown = 0  # the sequence's next place "Show next" shows
        self.log = log
        self.kernels: dict[str, _Kernel] = {}
        self.sockets: set[ClassSocket] = set()
        self.sections: dict[int, int] = {}  # pupil id -> the section their page shows
        self.pacing = Pacing()
        self.join_url = ""  # what pupils type, set once the server knows its address
        self._writer = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="mastery-store")
        self._latest: dict[tuple[int, str], str] = {}  # (pupil, board) -> svg, for the whiteboard's show
        self._frames: dict[str, list[float] | None] = {}  # board -> the frame its thumbnails were last cut to
        self._pupils: dict[str, Pupil] = {}  # key -> pupil: a pupil's seat asked on every request
        self.root: Path | None = None  # the served folder, where the record finds the lesson (set by the server)
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
        session = cls(store, record, teacher_token, log)
        session.take_up(store.teaching(record.id) or {})
        return session

    def teaching(self) -> dict[str, Any]:
        """What the teacher has set: the pacing, the whiteboard's show, the discussion sequence and its place."""
        return {
            "pacing": asdict(self.pacing),
            "sequence": [list(item) for item in self.sequence],
            "next": self.next_shown,
        }

    def take_up(self, kept: dict[str, Any]) -> None:
        """Go on from what the teacher had set (`teaching()`, as the store kept it); what does not fit is dropped."""
        pacing = kept.get("pacing") if isinstance(kept.get("pacing"), dict) else {}
        for name, default in asdict(Pacing()).items():
            value = pacing.get(name)
            if name == "shown":
                fits = isinstance(value, list) and len(value) <= 2 and all(_whole(p) for p in value)
            elif isinstance(default, bool):
                fits = isinstance(value, bool)
            else:
                fits = isinstance(value, type(default)) and not isinstance(value, bool)
            setattr(self.pacing, name, value if fits else default)
        items = kept.get("sequence") if isinstance(kept.get("sequence"), list) else []
        self.sequence = [
            (item[0], item[1])
            for item in items[:MAX_SEQUENCE]
            if isinstance(item, list) and len(item) == 2 and isinstance(item[0], str) and _whole(item[1])
        ]
        at = kept.get("next")
        self.next_shown = at if _whole(at) and 0 <= at <= len(self.sequence) else 0

    def qr(self) -> str:
        if not getattr(self, "_qr", ""):
            self._qr = qr_svg(f"{self.join_url}?code={self.record.code}")  # a phone's camera: the code typed too
        return self._qr

    # --- the store, off the event loop, one call at a time --------------------------------------------

    async def stored(self, method: str, *args: Any, **kwargs: Any) -> Any:
        call = getattr(self.store, method)
        return await asyncio.get_running_loop().run_in_executor(self._writer, lambda: call(*args, **kwargs))

    async def start_study(self, notebook: Path) -> None:
        """Start the class's study kernel (lessons.study_live) and group the boards already recorded."""
        self.grouping = Grouping(StudyKernel(notebook, self.log), self._grouped, self.log)
        try:
            latest = await self.stored("latest_boards", self.record.id)
            await self.grouping.start([(b.pupil_id, b.board, b.state) for b in latest])
        except Exception as error:  # never the class's end: grouping off, and why
            self.log.exception("mastery: the study kernel could not start")
            await self.grouping.off(f"the study kernel could not start ({type(error).__name__})")
        for board in self.grouping.boards:
            self._grouped(board)

    def _grouped(self, board: str) -> None:
        for message in self.groups(board):
            self.to_watchers(message)

    def groups(self, board: str | None = None) -> list[dict[str, Any]]:
        """The grouping of `board` (or of every planned board) for the dashboard, or why there is none."""
        grouping = self.grouping
        if grouping is None:
            return []
        if grouping.note:
            return [{"type": "study", "note": grouping.note}]
        return [grouping.groups(b) for b in ([board] if board else grouping.boards) if b]

    def responses_of(self, board: str, pupils: list[int]) -> str:
        """The anticipated responses these pupils' boards show, as the whiteboard names them ("" for none)."""
        if self.grouping is None:
            return ""
        names = [n for p in pupils for n in self.grouping.matched.get((p, board), [])]
        return " / ".join(dict.fromkeys(names))

    def close(self) -> None:
        if self.grouping is not None:
            self.grouping.kernel.kill()
        self._writer.shutdown(wait=True)  # every record queued is written before the store closes
        self.store.close()
        self.log.info("mastery: the class kept %s records; %s were refused", self.written, self.lost)

    # --- who is asking --------------------------------------------------------------------------------

    def is_token(self, given: str | None, token: str | None = None) -> bool:
        token = self.teacher_token if token is None else token
        return bool(given) and hmac.compare_digest(given.encode(), token.encode())

    def seat(self, handler: web.RequestHandler) -> Seat | None:
        """The teacher or an observer (their token in the query or their cookie), a joined pupil (their key's
        cookie), or None."""
        query = handler.get_query_argument("token", "")
        if self.is_token(query) or self.is_token(handler.get_cookie(TEACHER_COOKIE)):
            return Seat("teacher")
        if self.is_token(query, self.observer_token) or self.is_token(
            handler.get_cookie(OBSERVER_COOKIE), self.observer_token
        ):
            return Seat("observer")
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
        given = handler.get_query_argument("token", "")
        if self.is_token(given):
            handler.set_cookie(TEACHER_COOKIE, self.teacher_token, httponly=True, samesite="Strict", path="/")
        elif self.is_token(given, self.observer_token):
            handler.set_cookie(OBSERVER_COOKIE, self.observer_token, httponly=True, samesite="Strict", path="/")

    # --- a page's kernel: its role, a pupil's work put back, its records ------------------------------

    def kernel_refused(self, kernel_id: str, seat: Seat | None, lesson: str | None) -> bool:
        """A kernel websocket this seat may not open: another seat's kernel, or the class's lesson without a seat."""
        if seat is not None and seat.role == "observer":
            return True  # an observer's page watches the dashboard, it runs no lesson
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
            for message in self.thumbnails(board, pupil.id):
                self.to_watchers(message)
            if pupil.id in self.pacing.shown and board == self.pacing.board:
                self.to_watchers(self.shown())
        try:
            if isinstance(state, dict):
                await self.stored("record_board", self.record.id, pupil.id, board, state, svg, section=section, at=at)
                self.written += 1
                if self.grouping is not None:
                    self.grouping.changed(pupil.id, board, state)
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
                self.to_watchers(await self.results())
        except Exception as error:  # a record the store refused: counted and logged, the class goes on
            self.lost += 1
            self.log.warning("mastery: a record of pupil %s's %r was not kept: %s", pupil.id, board, error)

    def forget_gone(self, alive: set[str]) -> None:
        for kernel_id in list(self.kernels.keys() - alive):
            kernel = self.kernels.pop(kernel_id)
            if kernel.iopub is not None:
                kernel.iopub.close()

    # --- what the teacher's pages are sent -------------------------------------------------------------

    def to_watchers(self, message: dict[str, Any]) -> None:
        """To the dashboard's seats: the teacher's pages and the observers' (`ClassSocket.send` keeps names from
        an observer)."""
        for socket in list(self.sockets):
            if socket.seat.watches:
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
        for board in await self.stored("latest_boards", self.record.id):
            if board.svg:
                self._latest[(board.pupil_id, board.board)] = board.svg
        return [message for name in sorted({b for _, b in self._latest}) for message in self.thumbnails(name)]

    def thumbnails(self, board: str, pupil: int | None = None) -> list[dict[str, Any]]:
        """The dashboard's thumbnails of `board`: pupils' pictures cut to the frame that holds what each drew
        (lessons.thumbnails). Only `pupil`'s, unless the frame has changed: then every pupil's, cut again.
        A frame only grows during the lesson, so a class at work sends each picture once, not thirty."""
        pictures = {p: svg for (p, b), svg in self._latest.items() if b == board}
        box, before = thumbnails.frame(pictures.values()), self._frames.get(board)
        if box is not None and before is not None:
            box = thumbnails.enclosing(before, box)
        if board not in self._frames or before != box:
            self._frames[board], pupil = box, None
        chosen = pictures if pupil is None else {pupil: pictures[pupil]}
        return [
            {"type": "board", "pupil": p, "board": board, "svg": thumbnails.crop(svg, box)} for p, svg in chosen.items()
        ]

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
        pictures = [self._latest.get((pupil, self.pacing.board), "") for pupil in self.pacing.shown]
        box = thumbnails.frame(pictures)  # the two boards large, at one scale
        boards = [{"label": f"Board {'AB'[n]}", "svg": thumbnails.crop(svg, box)} for n, svg in enumerate(pictures)]
        return {"type": "show", "board": self.pacing.board, "boards": boards, "response": self.pacing.response}

    def sequenced(self) -> dict[str, Any]:
        """The discussion sequence as the dashboard lists it, and where "Show next" is."""
        items = [{"board": board, "pupil": pupil} for board, pupil in self.sequence]
        return {"type": "sequence", "items": items, "next": self.next_shown}

    async def notes(self) -> dict[str, Any]:
        return {"type": "notes", "notes": [_note(n) for n in await self.stored("notes", self.record.id)]}

    async def history(self, pupil: int, board: str) -> dict[str, Any]:
        """A pupil's board, state by state, for the dashboard's replay: each step's picture and time."""
        kept = [h for h in await self.stored("board_history", self.record.id, pupil, board) if h.svg][-MAX_REPLAY:]
        box = thumbnails.frame(h.svg for h in kept)  # every step at one scale: the path, not the paper
        steps = [{"at": h.at.isoformat(), "svg": thumbnails.crop(h.svg, box)} for h in kept]
        return {"type": "history", "pupil": pupil, "board": board, "steps": steps}

    async def show(self, board: str, pupils: list[int], response: str = "") -> None:
        """Put pupils' boards on the whiteboard (none: back to the lesson); each show is kept in the store."""
        self.pacing.board, self.pacing.shown, self.pacing.response = board, list(pupils), response
        self.to_watchers(self.shown())
        if board and pupils:
            try:
                await self.stored("record_show", self.record.id, board, list(pupils), response=response or None)
            except ValueError as error:  # a pupil id no longer in the class: shown, not kept
                self.log.warning("mastery: a show of %r was not kept: %s", board, error)

    # --- what pages ask ---------------------------------------------------------------------------------

    async def heard(self, socket: ClassSocket, message: dict[str, Any]) -> str:
        """A page's message on the class socket; returns "" when carried out, else why it was refused. What the
        teacher has set is kept in the store whenever it changes."""
        before = self.teaching()
        why = await self._carry_out(socket, message)
        now = self.teaching()
        if now != before:
            try:
                await self.stored("keep_teaching", self.record.id, now)
            except Exception:  # the class goes on as set; only a restart would not find it
                self.log.exception("mastery: what the teacher set was not kept")
        return why

    async def _carry_out(self, socket: ClassSocket, message: dict[str, Any]) -> str:
        kind = message.get("type")
        section = message.get("section")
        if kind == "history" and socket.seat.watches:
            pupil, board = message.get("pupil"), message.get("board")
            if not (_whole(pupil) and isinstance(board, str) and 0 < len(board) <= 200):
                return "A replay takes a pupil and a board's name."
            socket.send(await self.history(pupil, board))
            return ""
        if socket.seat.role == "observer":
            return await self.noted(socket, message) if kind == "note" else OBSERVERS_WATCH
        if kind == "section":
            if not isinstance(section, int) or isinstance(section, bool) or not 1 <= section <= 100:
                return "A section is a whole number from 1 to 100."
            if socket.seat.pupil is not None:
                self.sections[socket.seat.pupil.id] = section
                self.to_watchers({"type": "section", "pupil": socket.seat.pupil.id, "section": section})
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
            await self.show(board, pupils, self.responses_of(board, pupils) if message.get("named") is True else "")
            return ""
        elif kind in ("pick", "unpick", "move", "show_next", "restart", "suggest"):
            return await self.sequence_heard(kind, message)
        else:
            return "That is not something the class does."
        self.to_all(self.pacing.public())
        return ""

    async def sequence_heard(self, kind: str, message: dict[str, Any]) -> str:
        """The teacher's discussion sequence: pick a pupil's board into it, take one out, move one, show the
        next one or two on the whiteboard, or start again from the top."""
        board, pupil, at = message.get("board"), message.get("pupil"), message.get("at")
        if kind == "pick":
            if not (isinstance(board, str) and 0 < len(board) <= 200 and _whole(pupil)):
                return "Pick takes a board's name and a pupil."
            if (board, pupil) not in self.sequence:
                if len(self.sequence) >= MAX_SEQUENCE:
                    return f"The sequence holds at most {MAX_SEQUENCE} boards: take one out first."
                self.sequence.append((board, pupil))
        elif kind in ("unpick", "move"):
            if not (_whole(at) and 0 <= at < len(self.sequence)):
                return "That place is not in the sequence."
            item = self.sequence.pop(at)
            if at < self.next_shown:  # "Show next" goes on from the same board
                self.next_shown -= 1
            if kind == "move":
                to = message.get("to")
                place = max(0, min(to, len(self.sequence))) if _whole(to) else at
                self.sequence.insert(place, item)
                if place < self.next_shown:
                    self.next_shown += 1
        elif kind == "restart":
            self.next_shown = 0
        elif kind == "suggest":
            if self.grouping is None or self.grouping.note or board not in self.grouping.boards:
                return "The lesson's plan has no anticipated responses for this board."
            suggested: list[tuple[str, int]] = []
            for group in self.grouping.groups(board)["groups"]:  # in the plan's sharing order
                first = next((p for p in group["pupils"] if (board, p) not in suggested), None)
                if first is not None:
                    suggested.append((board, first))  # one board for each response seen
            self.sequence, self.next_shown = suggested, 0
        elif kind == "show_next":
            step = self.sequence[self.next_shown : self.next_shown + (2 if message.get("two") is True else 1)]
            if not step:
                return "The sequence is at its end: pick more boards, or start it again."
            step = [item for item in step if item[0] == step[0][0]]  # the whiteboard shows one board at a time
            self.next_shown += len(step)
            board, pupils = step[0][0], [pupil for _, pupil in step]
            await self.show(board, pupils, self.responses_of(board, pupils) if message.get("named") is True else "")
        self.to_watchers(self.sequenced())
        return ""

    async def noted(self, socket: ClassSocket, message: dict[str, Any]) -> str:
        """An observer's note on a pupil or a group: kept in the store, and on every dashboard at once."""
        text, pupil, group = message.get("text"), message.get("pupil"), message.get("group")
        label = _one_line(message.get("observer"), 40) or socket.label
        if not isinstance(text, str) or not text.strip() or len(text) > 500:
            return "A note is some words, at most 500 letters."
        if (pupil is None) == (group is None) or not (pupil is None or _whole(pupil)):
            return "Choose a pupil or a group for the note."
        if group is not None and _one_line(group, 200) is None:
            return "Choose a pupil or a group for the note."
        try:
            note = await self.stored("note", self.record.id, label, text, pupil_id=pupil, group=group)
        except ValueError as why:
            return f"The note was not kept: {why}."
        self.to_watchers({"type": "note", "note": _note(note)})
        return ""


OBSERVERS_WATCH = "Observers watch: only the teacher can change what the class sees."


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _note(note: Any) -> dict[str, Any]:
    return {
        "observer": note.observer,
        "pupil": note.pupil_id,
        "group": note.group,
        "text": note.text,
        "at": note.at.isoformat(),
    }


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
        seat = self.session.seat(self)
        if seat is not None and seat.role != "observer":
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
        session.to_watchers(await session.roster())  # on the dashboard at once, before their lesson has loaded


class DashboardHandler(_ClassPage):
    """``/mastery/class/dashboard``: the teacher's view of the class; 403 for anyone else."""

    role = "teacher"

    def get(self) -> None:
        seat = self.session.seat(self)
        if seat is None or seat.role != self.role:
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
            observer=self.role == "observer",
        )


class RecordHandler(_ClassPage):
    """``/mastery/class/record``: the research lesson's record (`lessons.study.record`) as a file, for the teacher.

    Names only when the teacher asks (``?names=1``), as `mastery record --names`."""

    async def get(self) -> None:
        seat = self.session.seat(self)
        if seat is None or seat.role != "teacher":
            _page(self, "forbidden.html.j2", status=403, urls=None)
            return
        from lessons.study import record

        session = self.session
        names = self.get_query_argument("names", "") == "1"
        # It runs the lesson's plan in a kernel of its own: seconds, off the class's event loop.
        page = await asyncio.to_thread(record, session.store, session.record.id, names=names, root=session.root)
        self.set_header("Content-Type", "text/html; charset=UTF-8")
        self.set_header("Cache-Control", "no-store")
        self.set_header("Content-Disposition", f'attachment; filename="research-lesson-{session.record.id}.html"')
        self.finish(page)


class ObserveHandler(DashboardHandler):
    """``/mastery/class/observe``: the dashboard read-only, pupils as pseudonyms, with a notes box; observers'."""

    role = "observer"


class ClassSocket(websocket.WebSocketHandler):
    """``/mastery/class/socket``: pacing to every page of the class; the roster, boards and results to the teacher."""

    def initialize(self, session: ClassSession) -> None:
        self.session = session
        self.budget = Budget(5, 30)
        self.label = ""  # an observer's: "Observer 2"

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
        if self.seat.role == "observer":
            session.observers += 1
            self.label = f"Observer {session.observers}"
            self.send({"type": "observer", "label": self.label})
        if self.seat.watches:
            record = session.record
            if self.seat.role == "teacher":  # the whiteboard's join box: the lesson page knows it is the teacher's
                self.send({"type": "class", "code": record.code, "join": session.join_url, "qr": session.qr()})
            self.send(await session.roster())
            for board in await session.boards():
                self.send(board)
            self.send(await session.results())
            self.send(session.shown())
            self.send(session.sequenced())
            self.send(await session.notes())
            for message in session.groups():
                self.send(message)
        else:
            # The pupil's own name on their own screen: a name the kit gave is how they join again elsewhere.
            self.send({"type": "you", "name": self.seat.pupil.name})
            session.to_watchers(await session.roster())
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
        self.session.to_watchers(await self.session.roster())

    def send(self, message: dict[str, Any]) -> None:
        if self.seat.role == "observer" and message.get("type") == "roster":
            # Observers see pseudonyms only: the names never leave the server for their pages.
            message = {**message, "pupils": [{**p, "name": p["label"]} for p in message["pupils"]]}
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
            seat = session.seat(self)
            if seat is None or seat.role == "observer":  # an observer watches from the observer's page
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
        (url_join(base_url, "/mastery/class/observe"), ObserveHandler, options),
        (url_join(base_url, "/mastery/class/record"), RecordHandler, options),
        (url_join(base_url, "/mastery/class/socket"), ClassSocket, {"session": session}),
    ]


def lesson_url(base_url: str, lesson: str) -> str:
    from lessons.links import url_join

    return url_join(base_url, "voila/render/" + quote(lesson))
