"""The class over the wire: roles enforced by the server and the kernel, pupils' work recorded and given back.

A real classroom server (`mastery present LESSON --class`) on a SQLite file, pupils joining through the
join form and talking to their kernels over the raw websocket, as a hostile page could.
The lesson: tests/notebooks/class_lesson.ipynb (a counters board "pairs", Questions "check", an unnamed
counters board).
"""

from __future__ import annotations

import asyncio
import http.cookiejar
import json
import re
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from lessons.store import Store
from tests.conftest import ROOT, Server, present, run_async

LESSON = "tests/notebooks/class_lesson.ipynb"
TEACHER_ONLY = "Only your teacher can do that."


@dataclass
class Class:
    server: Server
    code: str
    db: Path | str  # a SQLite file, or a PostgreSQL URL

    @property
    def lesson(self) -> str:
        return f"{self.server.url}/voila/render/{LESSON}"


@pytest.fixture(scope="module")
def klass(tmp_path_factory) -> Iterator[Class]:
    db = tmp_path_factory.mktemp("class") / "class.sqlite"
    with present(str(ROOT / LESSON), "--class", "--db", str(db), "--pool", "0") as server:
        code = re.search(r"pupils join at +\S+ +code (\w+)", server.log_text()).group(1)
        yield Class(server, code, db)


class Browser:
    """A device: its own cookies, as a pupil's laptop keeps them."""

    def __init__(self) -> None:
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, url: str) -> tuple[int, str]:
        try:
            with self.opener.open(url, timeout=120) as reply:
                return reply.status, reply.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def post(self, url: str, fields: dict[str, str]) -> tuple[int, str]:
        xsrf = next((c.value for c in self.jar if c.name == "_xsrf"), "")
        body = urllib.parse.urlencode({**fields, "_xsrf": xsrf}).encode()
        try:
            with self.opener.open(urllib.request.Request(url, body, method="POST"), timeout=120) as reply:
                return reply.status, reply.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def cookie_header(self) -> str:
        return "; ".join(f"{c.name}={c.value}" for c in self.jar)


def join(klass: Class, name: str) -> tuple[Browser, str]:
    """A pupil joins by name; returns their device and their lesson page."""
    device = Browser()
    assert device.get(f"{klass.server.url}/class")[0] == 200
    status, page = device.post(f"{klass.server.url}/class", {"code": klass.code.lower(), "name": name})
    assert status == 200 and '"kernelId"' in page, page[-500:]
    return device, page


def kernel_of(page: str) -> str:
    return re.search(r'"kernelId": "([^"]+)"', page).group(1)


def models_of(page: str) -> list[str]:
    return re.findall(r'"model_id": "([0-9a-f]+)"', page)


async def _talk(klass: Class, device: Browser, kernel_id: str, messages: list[dict], until) -> list[dict]:
    """Open a kernel websocket as `device`, send comm messages, and read what comes back until `until(got)`."""
    from tornado.httpclient import HTTPRequest
    from tornado.websocket import websocket_connect

    session = uuid.uuid4().hex
    url = f"{klass.server.url.replace('http', 'ws', 1)}/api/kernels/{kernel_id}/channels?session_id={session}"
    socket = await websocket_connect(HTTPRequest(url, headers={"Cookie": device.cookie_header()}))
    got: list[dict] = []
    try:
        for content in messages:
            socket.write_message(
                json.dumps(
                    {
                        "header": {
                            "msg_id": uuid.uuid4().hex,
                            "msg_type": "comm_msg",
                            "session": session,
                            "username": "",
                            "date": "",
                            "version": "5.3",
                        },
                        "parent_header": {},
                        "metadata": {},
                        "content": content,
                        "channel": "shell",
                        "buffers": [],
                    }
                )
            )
        deadline = time.monotonic() + 30
        while not until(got):
            left = deadline - time.monotonic()
            assert left > 0, f"the kernel never answered as expected: {got[-5:]}"
            message = await asyncio.wait_for(socket.read_message(), left)
            assert message is not None, "the server closed the websocket"
            if isinstance(message, str):
                got.append(json.loads(message))
    finally:
        socket.close()
    return got


def updates(got: list[dict]) -> list[dict]:
    """The widget state updates the kernel sent back."""
    return [
        m["content"]["data"]["state"]
        for m in got
        if m.get("msg_type") == "comm_msg" and m["content"].get("data", {}).get("method") == "update"
    ]


def states_of(klass: Class, device: Browser, page: str) -> list[dict]:
    """Every widget's state on a lesson page, asked of its kernel as the page's widgets ask on loading."""
    models = models_of(page)
    asks = [{"comm_id": m, "data": {"method": "request_state"}} for m in models]
    return run_async(_talk(klass, device, kernel_of(page), asks, lambda got: len(updates(got)) >= len(models)))


def custom(model: str, **content) -> dict:
    return {"comm_id": model, "data": {"method": "custom", "content": content}}


def test_a_pupils_page_cannot_reveal_answers_or_readouts_over_the_raw_websocket(klass):
    """The reveal a Reveal button would send, from a pupil's own connection: refused in the kernel, no answer sent."""
    device, page = join(klass, "Mallory")
    models = models_of(page)
    assert len(models) >= 3
    asked = [custom(model, action="reveal") for model in models] + [
        custom(model, action="reveal_readout") for model in models
    ]

    def refused_twice(got: list[dict]) -> bool:
        return sum(state.get("message") == TEACHER_ONLY for state in updates(got)) >= 2

    got = run_async(_talk(klass, device, kernel_of(page), asked, refused_twice))
    assert not any(state.get("answers") for state in updates(got)), "a pupil's page was sent the answers"
    assert "mastery_record" not in json.dumps(got), "a page was sent the class's records"


def test_the_dashboard_and_the_teachers_actions_are_the_teachers_alone(klass):
    device, page = join(klass, "Eve")
    dashboard = f"{klass.server.url}/mastery/class/dashboard"
    assert device.get(dashboard)[0] == 403
    assert Browser().get(dashboard)[0] == 403
    assert Browser().get(f"{dashboard}?token=wrong")[0] == 403
    status, body = Browser().get(f"{dashboard}?token={klass.server.token}")
    assert status == 200 and klass.code in body and "<svg" in body  # the code and its QR code
    # Somebody without a seat is sent to join, and a class kernel is not theirs to talk to.
    status, body = Browser().get(klass.lesson)
    assert status == 200 and "Join the class" in body

    assert run_async(_reach(klass, kernel_of(page), Browser())) == 403, "a page with no seat reached a pupil's kernel"
    other, _ = join(klass, "Trudy")
    run_async(_talk(klass, device, kernel_of(page), [], lambda got: True))  # Eve's own page takes her kernel
    assert run_async(_reach(klass, kernel_of(page), other)) == 403, "another pupil reached Eve's kernel"


async def _reach(klass: Class, kernel_id: str, device: Browser) -> int:
    """The status a device's websocket to a kernel gets: 101 when it opens."""
    from tornado.httpclient import HTTPClientError, HTTPRequest
    from tornado.websocket import websocket_connect

    url = f"{klass.server.url.replace('http', 'ws', 1)}/api/kernels/{kernel_id}/channels"
    try:
        socket = await websocket_connect(HTTPRequest(url, headers={"Cookie": device.cookie_header()}))
    except HTTPClientError as error:
        return error.code
    socket.close()
    return 101


async def _class_socket(klass: Class, device: Browser | None, sends: list, replies: int) -> list[dict]:
    from tornado.httpclient import HTTPRequest
    from tornado.websocket import websocket_connect

    url = f"{klass.server.url.replace('http', 'ws', 1)}/mastery/class/socket"
    headers = {"Cookie": device.cookie_header()} if device else {}
    socket = await websocket_connect(HTTPRequest(url, headers=headers))
    got = []
    try:
        for message in sends:
            socket.write_message(message if isinstance(message, str) else json.dumps(message))
        while len([m for m in got if m["type"] == "refused"]) < replies:
            got.append(json.loads(await asyncio.wait_for(socket.read_message(), 20)))
    finally:
        socket.close()
    return got


def test_a_pupils_class_socket_may_only_say_its_section_and_hostile_messages_are_refused(klass):
    device, _ = join(klass, "Oscar")
    hostile = [
        {"type": "pace", "hold": True},
        {"type": "pause", "paused": True},
        {"type": "show", "board": "pairs", "pupils": [1]},
        "not json",
        "x" * 5000,
        {"type": "section", "section": "3"},
        {"type": "section", "section": 10**9},
    ]
    got = run_async(_class_socket(klass, device, [*hostile, {"type": "section", "section": 2}], len(hostile)))
    said = [m["message"] for m in got if m["type"] == "refused"]
    assert said.count("Only your teacher can change what the class sees.") == 3
    assert "That message could not be read." in said and "A section is a whole number from 1 to 100." in said
    paces = [m for m in got if m["type"] == "pace"]
    assert paces and not any(p["hold"] or p["paused"] for p in paces), "a pupil changed the pacing"
    assert {"type": "you", "name": "Oscar"} in got, "the pupil's page is not told the name it joined by"
    # The class goes on: the teacher's socket still works, and holds the class.
    teacher = Browser()
    teacher.get(f"{klass.server.url}/mastery/class/dashboard?token={klass.server.token}")
    got = run_async(_class_socket(klass, teacher, [{"type": "pace", "hold": False}, {"type": "nonsense"}], 1))
    assert any(m["type"] == "roster" for m in got)
    assert not any(m["type"] == "you" for m in got), "the whiteboard would show a pupil's name"


def observer_token(klass: Class) -> str:
    return re.search(
        r"observer \(colleagues\): +\S+/mastery/class/observe\?token=(\S+)", klass.server.log_text()
    ).group(1)


async def _watch(klass: Class, device: Browser, sends: list, until) -> list[dict]:
    """A dashboard's class socket (the teacher's or an observer's): send, then read until `until(got)`."""
    from tornado.httpclient import HTTPRequest
    from tornado.websocket import websocket_connect

    url = f"{klass.server.url.replace('http', 'ws', 1)}/mastery/class/socket"
    socket = await websocket_connect(HTTPRequest(url, headers={"Cookie": device.cookie_header()}))
    got: list[dict] = []
    try:
        for message in sends:
            socket.write_message(json.dumps(message))
        while not until(got):
            # Long enough for the study kernel to start and run the lesson on a busy machine: a guard, not a timing.
            got.append(json.loads(await asyncio.wait_for(socket.read_message(), 90)))
    finally:
        socket.close()
    return got


def teacher_of(klass: Class) -> Browser:
    teacher = Browser()
    assert teacher.get(f"{klass.server.url}/mastery/class/dashboard?token={klass.server.token}")[0] == 200
    return teacher


def observer_of(klass: Class) -> Browser:
    observer = Browser()
    status, body = observer.get(f"{klass.server.url}/mastery/class/observe?token={observer_token(klass)}")
    assert status == 200 and "Your note" in body and klass.code not in body  # no join code: observers only watch
    return observer


def test_an_observer_watches_with_pseudonyms_and_every_teachers_action_is_refused(klass):
    """An observer's page over the raw class socket: every action of the teacher's refused, the pacing and the
    whiteboard unchanged, no pupil's name sent; and the observer's link opens neither the dashboard, a lesson
    nor a kernel."""
    device, page = join(klass, "Olga")
    observer = observer_of(klass)
    assert observer.get(f"{klass.server.url}/mastery/class/dashboard")[0] == 403
    assert Browser().get(f"{klass.server.url}/mastery/class/observe?token={klass.server.token}x")[0] == 403
    assert Browser().get(f"{klass.server.url}/mastery/class/observe")[0] == 403
    status, body = observer.get(klass.lesson)
    assert status == 200 and '"kernelId"' not in body and "Join the class" in body
    assert run_async(_reach(klass, kernel_of(page), observer)) == 403, "an observer reached a pupil's kernel"

    with Store(str(klass.db)) as store:
        olga = next(p for p in store.pupils(1) if p.name == "Olga")
        shows_before = len(store.shows(1))
    hostile = [
        {"type": "pace", "hold": True},
        {"type": "pause", "paused": True},
        {"type": "show", "board": "pairs", "pupils": [olga.id]},
        {"type": "pick", "board": "pairs", "pupil": olga.id},
        {"type": "show_next", "two": True},
        {"type": "restart"},
        {"type": "move", "at": 0, "to": 1},
        {"type": "unpick", "at": 0},
        {"type": "section", "section": 4, "whiteboard": True},
        {"type": "suggest", "board": "pairs"},
    ]
    got = run_async(_watch(klass, observer, hostile, lambda got: sum(m["type"] == "refused" for m in got) == 10))
    assert {m["message"] for m in got if m["type"] == "refused"} == {
        "Observers watch: only the teacher can change what the class sees."
    }
    assert "Olga" not in json.dumps(got), "an observer was sent a pupil's name"
    roster = next(m for m in got if m["type"] == "roster")
    assert [p["name"] for p in roster["pupils"]] == [p["label"] for p in roster["pupils"]] != []
    teacher = run_async(_watch(klass, teacher_of(klass), [], lambda got: any(m["type"] == "pace" for m in got)))
    pace = next(m for m in teacher if m["type"] == "pace")
    assert not pace["hold"] and not pace["paused"] and pace["section"] != 4, "an observer changed the pacing"
    assert next(m for m in teacher if m["type"] == "sequence")["items"] == [], "an observer changed the sequence"
    assert next(m for m in teacher if m["type"] == "show")["boards"] == [], "an observer changed the whiteboard"
    with Store(str(klass.db)) as store:
        assert len(store.shows(1)) == shows_before


def test_an_observers_note_is_kept_and_reaches_the_teachers_dashboard_at_once(klass):
    join(klass, "Nadia")
    with Store(str(klass.db)) as store:
        nadia = next(p for p in store.pupils(1) if p.name == "Nadia")
    observer, teacher = observer_of(klass), teacher_of(klass)

    async def both() -> tuple[list[dict], list[dict]]:
        watching = asyncio.ensure_future(
            _watch(klass, teacher, [], lambda got: sum(m["type"] == "note" for m in got) == 2)
        )
        await asyncio.sleep(1)  # the teacher's dashboard open before the notes are written
        said = await _watch(
            klass,
            observer,
            [
                {
                    "type": "note",
                    "pupil": nadia.id,
                    "text": "Nadia drew   the bars before any numbers.",
                    "observer": "Ms Kaur",
                },
                {"type": "note", "group": "None of these", "text": "Three of them counted in ones."},
                {"type": "note", "pupil": nadia.id, "text": "x" * 501},
                {"type": "note", "text": "about nobody"},
                {"type": "note", "pupil": 99999, "text": "a pupil of another class"},
            ],
            lambda got: sum(m["type"] == "refused" for m in got) == 3,
        )
        return await watching, said

    seen, said = run_async(both())
    refused = [m["message"] for m in said if m["type"] == "refused"]
    assert refused[0] == "A note is some words, at most 500 letters."
    assert refused[1] == "Choose a pupil or a group for the note."
    assert refused[2].startswith("The note was not kept: pupil 99999 is not in class")
    live = [m["note"] for m in seen if m["type"] == "note"]
    assert [(n["observer"], n["pupil"], n["group"], n["text"]) for n in live] == [
        ("Ms Kaur", nadia.id, None, "Nadia drew the bars before any numbers."),
        (
            re.match(r"Observer \d+$", live[1]["observer"]) and live[1]["observer"],
            None,
            "None of these",
            "Three of them counted in ones.",
        ),
    ]
    with Store(str(klass.db)) as store:
        kept = [(n.observer, n.pupil_id, n.group, n.text) for n in store.notes(1)][-2:]
    assert kept == [(n["observer"], n["pupil"], n["group"], n["text"]) for n in live]
    # A dashboard opened later gets the notes from the store.
    again = run_async(_watch(klass, teacher_of(klass), [], lambda got: any(m["type"] == "notes" for m in got)))
    assert [n["text"] for n in next(m for m in again if m["type"] == "notes")["notes"]][-2:] == [
        n["text"] for n in live
    ]


def test_the_teachers_sequence_shows_boards_in_order_and_each_show_is_kept(klass):
    """Boards picked into the discussion sequence, reordered, one taken out; "Show next" puts them on the
    whiteboard one or two at a time, in the sequence's order, each show kept in the store; a replay gives
    a pupil's board state by state."""
    from widgets import Counters

    names = ["Sam", "Tia", "Uma"]
    for name in names:
        join(klass, name)
    with Store(str(klass.db)) as store:
        ids = {p.name: p.id for p in store.pupils(1) if p.name in names}
        for n, name in enumerate(names):
            for step in range(n + 1):  # Sam's board one state, Tia's two, Uma's three
                board = Counters(positive=3 + step, negative=5, name="pairs")
                store.record_board(1, ids[name], "pairs", board.snapshot(), board.to_svg() + f"<!-- {name} {step} -->")
        shows_before = len(store.shows(1))
    teacher = teacher_of(klass)
    sam, tia, uma = (ids[name] for name in names)
    asked = [
        {"type": "pick", "board": "pairs", "pupil": uma},
        {"type": "pick", "board": "pairs", "pupil": sam},
        {"type": "pick", "board": "pairs", "pupil": tia},
        {"type": "pick", "board": "pairs", "pupil": tia},  # picked once only
        {"type": "move", "at": 2, "to": 0},  # Tia first
        {"type": "unpick", "at": 1},  # Uma out
        {"type": "pick", "board": "pairs", "pupil": uma},
        {"type": "show_next", "two": True},
        {"type": "show_next"},
        {"type": "show_next"},
        {"type": "history", "pupil": uma, "board": "pairs"},
    ]
    got = run_async(_watch(klass, teacher, asked, lambda got: any(m["type"] == "history" for m in got)))
    sequences = [[i["pupil"] for i in m["items"]] for m in got if m["type"] == "sequence"]
    assert sequences[-1] == [tia, sam, uma]
    shows = [m for m in got if m["type"] == "show"][1:]  # after the one a dashboard gets on opening
    assert [[b["label"] for b in m["boards"]] for m in shows] == [["Board A", "Board B"], ["Board A"]]
    assert "<!-- Tia 1 -->" in shows[0]["boards"][0]["svg"] and "<!-- Sam 0 -->" in shows[0]["boards"][1]["svg"]
    assert "<!-- Uma 2 -->" in shows[1]["boards"][0]["svg"]
    assert "Tia" not in json.dumps([m["boards"] for m in shows]).replace("<!-- Tia", "")  # anonymised
    assert [m["message"] for m in got if m["type"] == "refused"] == [
        "The sequence is at its end: pick more boards, or start it again."
    ]
    history = next(m for m in got if m["type"] == "history")
    assert [step["svg"].rsplit("<!--", 1)[1] for step in history["steps"]] == [f" Uma {n} -->" for n in range(3)]
    assert [step["at"] for step in history["steps"]] == sorted(step["at"] for step in history["steps"])
    views = {re.search(r'viewBox="([^"]*)"', step["svg"]).group(1) for step in history["steps"]}
    whole = re.search(r'viewBox="([^"]*)"', Counters(positive=3, negative=5).to_svg()).group(1)
    assert len(views) == 1 and views != {whole}, "a replay's steps are cut to one frame of what was drawn"
    with Store(str(klass.db)) as store:
        kept = store.shows(1)[shows_before:]
    assert [(s.board, s.pupils, s.response) for s in kept] == [("pairs", [tia, sam], None), ("pairs", [uma], None)]
    # The observers see the same show, and a replay (without names) too.
    watched = run_async(
        _watch(
            klass,
            observer_of(klass),
            [{"type": "history", "pupil": tia, "board": "pairs"}],
            lambda got: any(m["type"] == "history" for m in got),
        )
    )
    assert len(next(m for m in watched if m["type"] == "history")["steps"]) == 2
    assert [b["label"] for b in next(m for m in watched if m["type"] == "show")["boards"]] == ["Board A"]


STUDY_LESSON = "tests/notebooks/study_lesson.ipynb"  # class_lesson with a plan for "pairs" in a teacher-only cell


def test_boards_are_grouped_live_by_the_plans_responses_and_the_sequence_suggested_from_it(tmp_path):
    """Three pupils work on the planned board over the wire: the dashboard's groups follow them (the study
    kernel ran the lesson's teacher-only plan); "Suggest" orders the sequence by the plan's sharing order,
    and a show names the response when asked, in the store too."""
    db = tmp_path / "class.sqlite"
    with present(str(ROOT / STUDY_LESSON), "--class", "--db", str(db), "--pool", "0") as server:
        code = re.search(r"pupils join at +\S+ +code (\w+)", server.log_text()).group(1)
        klass = Class(server, code, db)
        teacher = teacher_of(klass)
        ids = {}
        for name, actions in (
            ("Ada", [{"action": "add", "sign": 1, "n": 1}]),  # -1: adds a counter instead of pairing
            ("Bo", [{"action": "cancel_zero_pairs"}]),  # -2, no pairs left: takes off the zero pairs
            ("Cy", [{"action": "add", "sign": 1, "n": 2}]),  # 0: none of these
        ):
            device, page = join(klass, name)
            pairs = models_of(page)[0]  # the explore board, the lesson's first widget
            run_async(
                _talk(klass, device, kernel_of(page), [custom(pairs, **a) for a in actions], lambda got: updates(got))
            )
            with Store(str(db)) as store:
                ids[name] = next(p.id for p in store.pupils(1) if p.name == name)

        def grouped(got: list[dict]) -> bool:
            last = [m for m in got if m["type"] == "groups" and m["board"] == "pairs"][-1:]
            seen = [[g["pupils"] for g in last[0]["groups"]], last[0]["none"]] if last else []
            return seen == [[[ids["Bo"]], [ids["Ada"]]], [ids["Cy"]]]  # each pupil's last change classified

        got = run_async(_watch(klass, teacher, [], grouped))
        groups = [m for m in got if m["type"] == "groups"][-1]
        assert [(g["name"], g["share"]) for g in groups["groups"]] == [
            ("Takes off the zero pairs", 1),
            ("Adds a counter instead of pairing", 2),
        ]
        assert groups["none"] == [ids["Cy"]]
        assert groups["groups"][0]["note"] == "Ask: why is the value still −2?"
        got = run_async(
            _watch(
                klass,
                teacher,
                [{"type": "suggest", "board": "pairs"}, {"type": "show_next", "two": True, "named": True}],
                lambda got: len([m for m in got if m["type"] == "show"]) == 2,
            )
        )
        suggested = [m for m in got if m["type"] == "sequence"][-1]
        assert [i["pupil"] for i in suggested["items"]] == [ids["Bo"], ids["Ada"]]
        shown = [m for m in got if m["type"] == "show"][-1]
        assert shown["response"] == "Takes off the zero pairs / Adds a counter instead of pairing"
        assert [b["label"] for b in shown["boards"]] == ["Board A", "Board B"]
        deadline = time.monotonic() + 20  # the whiteboard is told first, then the show is kept
        while not (kept := _shows(db)):
            assert time.monotonic() < deadline, "the show never reached the store"
            time.sleep(0.2)
        assert [(k.pupils, k.response) for k in kept] == [([ids["Bo"], ids["Ada"]], shown["response"])]


def test_every_change_and_answer_reaches_the_store_and_comes_back_in_a_new_kernel(klass):
    """A pupil adds counters and checks answers over the wire; each is in the store with Python's marking;
    a new page (a reload, or another device by the same name) gets the board and answers back from it."""
    recorded_and_given_back(klass)


def test_a_class_on_postgresql_records_and_gives_back_the_same(postgres_url):
    """The same class on PostgreSQL (a school's shared server): the same records, the same work given back."""
    from postgres import fresh_database

    with (
        fresh_database(postgres_url) as url,
        present(str(ROOT / LESSON), "--class", "--db", url, "--pool", "0") as server,
    ):
        code = re.search(r"pupils join at +\S+ +code (\w+)", server.log_text()).group(1)
        assert "postgresql://" in server.log_text()
        recorded_and_given_back(Class(server, code, url))


def test_a_class_taken_up_again_after_the_server_stopped_gives_each_pupil_their_boards(tmp_path):
    """The server stops mid-lesson; `--class --resume` takes the same class up again, with the same join code,
    and a pupil who reloads (their device's cookie) is back in the class with their boards."""
    db = tmp_path / "class.sqlite"
    with present(str(ROOT / LESSON), "--class", "--db", str(db), "--pool", "0") as server:
        code = re.search(r"pupils join at +\S+ +code (\w+)", server.log_text()).group(1)
        first = Class(server, code, db)
        device, page = join(first, "Rosalind")
        models = models_of(page)
        run_async(
            _talk(
                first,
                device,
                kernel_of(page),
                [custom(m, action="add", sign=1, n=4) for m in models],
                lambda got: any(sum(p["sign"] == 1 for p in s.get("pieces", [])) == 7 for s in updates(got)),
            )
        )
        deadline = time.monotonic() + 20
        while not _saved_positives(db, "Rosalind") == 7:
            assert time.monotonic() < deadline, "the change never reached the store"
            time.sleep(0.2)
        # The teacher holds the class on the whiteboard's section and picks Rosalind's board for the discussion.
        with Store(str(db)) as store:
            rosalind = next(p.id for p in store.pupils(1) if p.name == "Rosalind")
        set_up = [{"type": "pace", "hold": True}, {"type": "pick", "board": "pairs", "pupil": rosalind}]
        run_async(_watch(first, teacher_of(first), set_up, lambda got: _picked(got, rosalind)))
        deadline = time.monotonic() + 20  # kept just after the dashboards are told
        while not _kept_sequence(db) == [["pairs", rosalind]]:
            assert time.monotonic() < deadline, "the sequence never reached the store"
            time.sleep(0.2)
    with present(str(ROOT / LESSON), "--class", "--resume", "--db", str(db), "--pool", "0") as server:
        assert re.search(r"pupils join at +\S+ +code (\w+)", server.log_text()).group(1) == code
        again = Class(server, code, db)
        status, page = device.get(again.lesson)  # a reload: nothing typed again
        assert status == 200 and '"kernelId"' in page
        got = states_of(again, device, page)
        assert any(s.get("name") == "pairs" and sum(p["sign"] == 1 for p in s["pieces"]) == 7 for s in updates(got))
        # The teacher's dashboard, opened again: the class still held, the discussion sequence still there.
        paced = lambda got: _picked(got, rosalind) and any(m["type"] == "pace" for m in got)  # noqa: E731
        got = run_async(_watch(again, teacher_of(again), [], paced))
        assert next(m for m in got if m["type"] == "pace")["hold"] is True
        with Store(str(db)) as store:
            assert [c.id for c in store.classes()] == [1], "the class was taken up again, not a new one opened"


def test_what_the_teacher_set_round_trips_and_a_bad_record_of_it_is_dropped(tmp_path):
    import logging

    from lessons.classroom import ClassSession

    url = str(tmp_path / "class.sqlite")
    first = ClassSession.open(url, LESSON, "8B", "token", logging.getLogger("test"))
    first.pacing.hold, first.pacing.section, first.pacing.board, first.pacing.shown = True, 3, "pairs", [2, 1]
    first.sequence, first.next_shown = [("pairs", 2), ("pairs", 1), ("check", 1)], 2
    first.store.keep_teaching(first.record.id, first.teaching())
    first.store.close()
    again = ClassSession.resume(url, LESSON, "token", logging.getLogger("test"))
    assert again.teaching() == first.teaching()
    again.take_up(
        {"pacing": {"hold": "yes", "section": True, "shown": [1, 2, 3]}, "sequence": [["pairs", "Ali"], 7], "next": 5}
    )
    fresh = ClassSession.open(url, LESSON, "8C", "token", logging.getLogger("test"))
    assert again.teaching() == fresh.teaching(), "what does not fit is dropped for what a new class starts with"
    again.store.close()
    fresh.store.close()


def test_a_thumbnail_goes_alone_unless_the_frame_of_its_board_changes(tmp_path):
    """The dashboard gets one pupil's new thumbnail after a gesture; when it needs a larger frame, every
    pupil's thumbnail of that board comes again, cut to the new frame. A frame never shrinks mid-lesson."""
    import logging

    from lessons.classroom import ClassSession
    from widgets import Counters

    session = ClassSession.open(str(tmp_path / "class.sqlite"), LESSON, "8B", "token", logging.getLogger("test"))
    try:
        for pupil, board in ((1, Counters(positive=6)), (2, Counters(positive=4))):
            session._latest[(pupil, "pairs")] = board.to_svg()
        first = session.thumbnails("pairs")
        assert [m["pupil"] for m in first] == [1, 2]
        session._latest[(2, "pairs")] = Counters(positive=5).to_svg()  # inside pupil 1's row: the same frame
        assert [m["pupil"] for m in session.thumbnails("pairs", 2)] == [2]
        session._latest[(2, "pairs")] = Counters(positive=6, negative=3).to_svg()  # a second row: a taller frame
        again = session.thumbnails("pairs", 2)
        assert [m["pupil"] for m in again] == [1, 2]
        assert again[0]["svg"] != first[0]["svg"], "pupil 1's thumbnail was not cut to the new frame"
        session._latest[(2, "pairs")] = Counters(positive=2).to_svg()  # back to one row: the frame stays
        assert [m["pupil"] for m in session.thumbnails("pairs", 2)] == [2]
    finally:
        session.store.close()


def test_resume_without_an_open_class_says_so_and_starts_nothing(tmp_path):
    command = ["present", str(ROOT / LESSON), "--class", "--resume", "--db", str(tmp_path / "none.sqlite")]
    result = subprocess.run([sys.executable, "-m", "lessons.cli", *command], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 2
    assert "no class of tests/notebooks/class_lesson.ipynb is open to take up again" in result.stderr


def _picked(got: list[dict], pupil: int) -> bool:
    """Whether the dashboard's socket said the discussion sequence holds `pupil`'s board "pairs"."""
    return any(m["type"] == "sequence" and {"board": "pairs", "pupil": pupil} in m["items"] for m in got)


def _shows(db: Path) -> list:
    with Store(str(db)) as store:
        return store.shows(1)


def _kept_sequence(db: Path) -> list | None:
    with Store(str(db)) as store:
        return (store.teaching(1) or {}).get("sequence")


def _saved_positives(db: Path, name: str) -> int:
    with Store(str(db)) as store:
        pupil = next((p for p in store.pupils(1) if p.name == name), None)
        saved = store.saved_boards(1, pupil.id) if pupil else {}
    return sum(p["sign"] == 1 for p in saved.get("pairs", {}).get("pieces", []))


def recorded_and_given_back(klass: Class) -> None:
    device, page = join(klass, "Peggy")
    with Store(str(klass.db)) as store:
        pupil = next(p for p in store.pupils(1) if p.name == "Peggy")
    models = models_of(page)
    asked = [custom(m, action="add", sign=1, n=2) for m in models]
    asked += [custom(m, action="check", index=0, attempt="-3") for m in models]
    asked += [custom(m, action="check", index=1, attempt="2") for m in models]

    def answered(got: list[dict]) -> bool:
        return any(s.get("summary") == "1 of 2 right" for s in updates(got))

    run_async(_talk(klass, device, kernel_of(page), asked, answered))
    deadline = time.monotonic() + 20
    with Store(str(klass.db)) as store:
        while len([a for a in store.answers(1) if a.pupil_id == pupil.id]) < 2:
            assert time.monotonic() < deadline, "the answers never reached the store"
            time.sleep(0.2)
        answers = sorted((a.board, a.item, a.answer, a.right) for a in store.answers(1) if a.pupil_id == pupil.id)
        assert answers == [("check", 0, "-3", True), ("check", 1, "2", False)]
        saved = store.saved_boards(1, pupil.id)
        assert {"pairs", "Counters 2", "check"} <= saved.keys()
        assert sum(p["sign"] == 1 for p in saved["pairs"]["pieces"]) == 5  # 3 + 2 added
        latest = {b.board: b for b in store.latest_boards(1) if b.pupil_id == pupil.id}
        assert latest["pairs"].svg.startswith("<svg") and latest["pairs"].state == saved["pairs"]

    # Another device, the same name: the same pupil, and the boards come back in a new kernel.
    again = Browser()
    again.get(f"{klass.server.url}/class")
    status, page = again.post(f"{klass.server.url}/class", {"code": klass.code, "name": "peggy"})
    assert status == 200
    state = states_of(klass, again, page)
    states = updates(state)
    assert any(s.get("name") == "pairs" and sum(p["sign"] == 1 for p in s["pieces"]) == 5 for s in states)
    assert any(s.get("attempts") == ["-3", "2"] and s.get("results") == [True, False] for s in states)
