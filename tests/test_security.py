"""The classroom server gives nothing away: a real `mastery present` on the repository, over loopback.

Lesson notebooks hold the teacher's notes and the answers; unit.toml and the .py files are the kit's own.
A pupil's browser may fetch a lesson page and talk to its widgets, nothing more: no route hands out a
file it should not, the kernel websocket runs no code, and no page shows a traceback or a server path.
The fixture notebooks are in tests/fixtures/faults/.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import sysconfig
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest
from conftest import ROOT, Server, fetch, present, run_async
from served import everything_in, text_of

FAULTS = "tests/fixtures/faults"
TICKET = f"{FAULTS}/exit-ticket.ipynb"  # Questions whose answers are 7919 and "quokka"
SLIP = f"{FAULTS}/slip.ipynb"  # a cell that warns and raises, naming the server's folder
UNREADABLE = f"{FAULTS}/unreadable.ipynb"  # not JSON
BAD_ID = f"{FAULTS}/bad-id.ipynb"  # a cell id with a '+', which nbformat's schema refuses
UNIT_TOML = "tests/fixtures/curriculum/units/01-zero-pairs/unit.toml"
# Text that must never leave the server, from the files the routes below aim at.
SECRETS = [
    "TICKET-TEACHER",  # a teacher note in exit-ticket.ipynb
    "7919",  # an answer kept in the kernel
    "quokka",  # the other answer
    '"nbformat"',  # any notebook's JSON
    "big_idea",  # any unit.toml
    "from __future__",  # any of the kit's .py files
    "SECRET-BROKEN",  # the unreadable notebook's bytes
    "root:x:0:0",  # /etc/passwd
    "[project]",  # pyproject.toml
]
SITE_PACKAGES = sysconfig.get_paths()["purelib"]


def assert_gives_nothing_away(body: str, where: str) -> None:
    """No secret, no traceback, no server path, no Python exception's name in what the browser got."""
    for secret in SECRETS:
        assert secret not in body, f"{where} gives away {secret!r}"
    assert "Traceback" not in body, f"{where} shows a traceback"
    assert str(ROOT) not in body and SITE_PACKAGES not in body, f"{where} shows a server path"
    named = re.findall(r"\b[A-Z]\w*(?:Error|Exception)\b", text_of(body))
    assert not named, f"{where} names {named}"


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    """The classroom server on the repository's root: the real units/ and the fixture notebooks."""
    with present(str(ROOT)) as running:
        yield running


def kernel_of(page: str) -> str:
    return re.search(r'"kernelId": "([^"]+)"', page).group(1)


# --- files: nothing but a lesson page and its pictures ---------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        # Voila's file route hands out pictures only.
        f"voila/files/{TICKET}",
        f"voila/files/{UNIT_TOML}",
        "voila/files/widgets/questions.py",
        "voila/files/lessons/server.py",
        "voila/files/pyproject.toml",
        f"voila/files/{TICKET.upper()}",
        f"voila/files/{TICKET.replace('/', '%2F')}",
        f"voila/files/{FAULTS}/%2e%2e/%2e%2e/{UNIT_TOML}",
        "voila/files/..%2F..%2F..%2Fetc%2Fpasswd",
        "voila/files/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "voila/files/.git/config",
        # The contents API lists names; it never gives a file's text.
        f"voila/api/contents/{UNIT_TOML}?content=1",
        "voila/api/contents/widgets/questions.py?content=1&format=text",
        "voila/api/contents/..%2F..%2Fetc%2Fpasswd?content=1&format=text",
        f"voila/api/contents/{UNREADABLE}",
        # Static and template routes serve the page's own assets, from their own folders.
        "voila/static/..%2F..%2F..%2F..%2Fpyproject.toml",
        "voila/static/%2e%2e/%2e%2e/%2e%2e/%2e%2e/pyproject.toml",
        "voila/static/..%2F..%2F..%2Fvoila%2Fapp.py",
        "voila/templates/classroom/static/..%2F..%2F..%2F..%2F..%2F..%2Fpyproject.toml",
        "voila/templates/..%2F..%2F..%2F..%2F/static/pyproject.toml",
        "voila/templates/lab/static/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/pyproject.toml",
        "voila/api/themes/..%2F..%2F..%2F..%2F..%2Fpyproject.toml",
        "voila/labextensions/..%2F..%2F..%2F..%2Fpyproject.toml",
        # The tree and render routes send anything that is not a notebook to voila/files (refused there).
        f"voila/tree/{UNIT_TOML}",
        f"voila/render/{UNIT_TOML}",
        "voila/render/widgets/questions.py",
        "voila/render/lessons/cli.py",
        "voila/render/..%2F..%2F..%2Fetc%2Fpasswd",
        f"voila/render/{UNIT_TOML.replace('/', '%2F')}",
        f"voila/render/{UNREADABLE}",
        # Jupyter Server's own routes are not mounted at all.
        f"api/contents/{TICKET}",
        f"api/contents/{UNIT_TOML}",
        f"files/{TICKET}",
        f"files/{UNIT_TOML}",
        f"nbconvert/html/{TICKET}",
        f"notebooks/{TICKET}",
        f"edit/{UNIT_TOML}",
        "api/kernels",
        "api/sessions",
        "api/terminals",
        "lab",
        "tree",
    ],
)
def test_no_route_hands_out_a_notebook_unit_toml_or_code(server, path):
    """No route (Voila's, Jupyter Server's, static, traversal with .., %2e%2e or %2F) gives a file's text."""
    status, body = fetch(f"{server.url}/{path}")
    assert status in (400, 403, 404, 405, 500), f"/{path} answered {status}"
    assert_gives_nothing_away(body, f"/{path}")


def test_the_contents_api_gives_a_lessons_name_but_never_its_cells(server):
    """The contents API, asked every way for a notebook's content, answers with its name and no content."""
    for query in ("", "?content=1", "?content=1&format=text", "?content=1&format=base64", "?type=file&content=1"):
        status, body = fetch(f"{server.url}/voila/api/contents/{TICKET}{query}")
        assert status == 200
        model = json.loads(body)
        assert model["name"] == "exit-ticket.ipynb" and model["content"] is None
        assert_gives_nothing_away(body, f"the contents API ({query})")


def test_an_unreadable_notebook_is_refused_without_its_path_or_its_bytes(server):
    """Jupyter's "Unreadable Notebook" error names the absolute path and quotes the file; the server's does not."""
    status, body = fetch(f"{server.url}/voila/api/contents/{UNREADABLE}")
    assert status == 400
    assert json.loads(body)["message"] == "This file cannot be opened."
    assert_gives_nothing_away(body, "the contents API on an unreadable notebook")


def test_a_notebook_that_breaks_the_format_is_refused_and_its_page_ends(server):
    """Voila would render part of it and send heartbeats for ever; the server refuses it before, in words."""
    status, body = fetch(f"{server.url}/voila/render/{BAD_ID}")
    assert status == 500
    assert "breaks the notebook format" in text_of(body) and "mastery check" in text_of(body)
    assert_gives_nothing_away(body, "a lesson page whose notebook breaks the format")


def test_a_picture_is_the_one_kind_of_file_served(server):
    """The file route is not simply closed: a lesson's picture comes through (so the refusals above mean it)."""
    picture = ROOT / "tests" / "fixtures" / "faults" / "picture.png"  # one orange pixel
    with urllib.request.urlopen(f"{server.url}/voila/files/{picture.relative_to(ROOT).as_posix()}") as reply:
        assert reply.status == 200 and reply.read(8) == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize(
    "path",
    [
        f"voila/files/{FAULTS}/answer-key.png",  # shown only by a teacher-notes cell of pictures.ipynb
        "voila/render/tests/fixtures/curriculum/units/01-zero-pairs/01-make-zero.ipynb",  # a fixture's lesson
        "voila/render/tests/fixtures/broken/units/08-after-the-broken-ones/01-first.ipynb",
        "voila/render/benchmarks/fixtures/floor.ipynb",  # a benchmark's notebook
        "voila/api/contents/tests/fixtures/curriculum/units/01-zero-pairs/01-make-zero.ipynb",
        "voila/api/contents/benchmarks/fixtures",
        "voila/api/contents/widgets",
        "voila/api/contents/lessons",
        "voila/api/contents/units/y7-09-directed-number/unit.toml",
    ],
)
def test_nothing_outside_the_curriculum_the_toolbox_and_what_was_named_is_served(server, path):
    """Test fixtures, benchmarks, the kit's folders and teacher-only pictures: as if they were not there."""
    status, body = fetch(f"{server.url}/{path}")
    assert status == 404, f"/{path} answered {status}"
    assert_gives_nothing_away(body, f"/{path}")


def test_a_test_artefact_is_not_served(server):
    """A screenshot of the lesson plan (teacher notes and all) lies in tests/artefacts: it is no lesson's picture."""
    artefact = ROOT / "tests" / "artefacts" / "served-probe.png"
    artefact.parent.mkdir(exist_ok=True)
    artefact.write_bytes((ROOT / FAULTS / "picture.png").read_bytes())
    try:
        assert fetch(f"{server.url}/voila/files/tests/artefacts/served-probe.png")[0] == 404
    finally:
        artefact.unlink()


def test_the_contents_api_lists_only_the_way_to_what_is_served(server):
    def names(path: str) -> set[str]:
        status, body = fetch(f"{server.url}/voila/api/contents/{path}")
        assert status == 200, path
        return {item["name"] for item in json.loads(body)["content"]}

    assert names("") == {"units", "notebooks", "tests"}  # tests/: the test notebooks this server was given
    assert names("tests") == {"notebooks", "fixtures"} and names("tests/fixtures") == {"faults"}
    unit = ROOT / "units" / "y7-09-directed-number"
    assert names("units/y7-09-directed-number") == {path.name for path in unit.glob("*.ipynb")}


def test_an_authors_html_is_sanitised_before_the_classroom_page_is_drawn(server):
    """`# Smile <script>...` and friends in a lesson's markdown: shown as text, never run, nothing fetched."""
    status, page = fetch(f"{server.url}/voila/render/{FAULTS}/author-html.ipynb")
    assert status == 200
    assert "Smile" in text_of(page) and "<b>bold stays bold</b>" in page
    for bad in ("__pwned", "onerror", "example.org", "<iframe", "display:none"):
        assert bad not in page, f"the classroom page carries {bad!r} from the author's markdown"


# --- the lesson plan: the teacher's token, and only inside the root ----------------------------------------


def test_the_plan_view_needs_the_token_and_stays_inside_the_root(server, tmp_path):
    """Without the token no plan; with it, no notebook outside the root, however the path is spelt."""
    for query in ("", "?token=", f"?token={server.token[:-1]}", f"?TOKEN={server.token}"):
        status, body = fetch(f"{server.url}/mastery/plan/{TICKET}{query}")
        assert status == 403, query
        assert_gives_nothing_away(body, f"the plan without the token ({query})")
    outside = tmp_path / "secret.ipynb"  # a real lesson, outside the root, holding the same secrets
    nbformat.write(nbformat.read(ROOT / TICKET, as_version=4), outside)
    relative = os.path.relpath(outside, ROOT)
    assert relative.startswith("..")
    for path in (relative.replace("/", "%2F"), relative.replace("..", "%2e%2e"), str(outside).replace("/", "%2F")):
        status, body = fetch(f"{server.url}/mastery/plan/{path}?token={server.token}")
        assert status == 404, path
        assert_gives_nothing_away(body, f"the plan of {path}")
    # The token does open the plan of a lesson inside the root, secrets and all.
    status, body = fetch(f"{server.url}/mastery/plan/{TICKET}?token={server.token}")
    assert status == 200 and "TICKET-TEACHER" in body


def test_the_plan_shows_no_warning_path_or_code_from_a_cell(server):
    """A cell's warning (stderr: a server path and a line of code) stays out of the teacher's plan."""
    status, body = fetch(f"{server.url}/mastery/plan/{SLIP}?token={server.token}")
    assert status == 200
    assert "This cell stopped with an error when the plan was drawn." in body  # the cell did run, and fail
    assert "SLIP-WARNING" not in body and "SLIP-ERROR" not in body and "warnings.warn" not in body
    assert str(ROOT) not in body and "Traceback" not in body


# --- the kernel websocket: widgets talk, nothing runs ------------------------------------------------------


def _message(msg_type: str, content: dict, channel: str) -> dict:
    header = {
        "msg_id": uuid.uuid4().hex,
        "msg_type": msg_type,
        "username": "pupil",
        "session": uuid.uuid4().hex,
        "date": "",
        "version": "5.3",
    }
    return {"header": header, "parent_header": {}, "metadata": {}, "content": content, "channel": channel}


def _execute(code: str, channel: str = "shell") -> dict:
    content = {"code": code, "silent": False, "store_history": True, "user_expressions": {}, "allow_stdin": False}
    return _message("execute_request", {**content, "stop_on_error": False}, channel)


async def _send_refused_then_ask(url: str, kernel_id: str, marker: Path, binary: bool) -> tuple[set[str], list[str]]:
    """Send what a pupil must not, then a kernel_info_request; what answered each (by parent msg_id)."""
    from jupyter_server.services.kernels.connection.base import (
        deserialize_msg_from_ws_v1,
        serialize_msg_to_ws_v1,
    )
    from tornado.websocket import websocket_connect

    protocols = ["v1.kernel.websocket.jupyter.org"] if binary else None
    address = f"{url.replace('http', 'ws', 1)}/api/kernels/{kernel_id}/channels?session_id={uuid.uuid4().hex}"
    socket = await websocket_connect(address, subprotocols=protocols)
    assert socket.selected_subprotocol == (protocols[0] if binary else None)
    write = f"open({str(marker)!r}, 'w').write('ran')"
    refused = [
        _execute(write),
        _execute(write, channel="control"),
        _message("inspect_request", {"code": "open", "cursor_pos": 4, "detail_level": 1}, "shell"),
        _message("complete_request", {"code": "impo", "cursor_pos": 4}, "shell"),
        _message("history_request", {"output": True, "raw": True, "hist_access_type": "tail", "n": 10}, "shell"),
        _message("input_reply", {"value": write, "status": "ok"}, "stdin"),
        _message("is_complete_request", {"code": write}, "shell"),
        _message("debug_request", {"seq": 1, "type": "request", "command": "evaluate"}, "control"),
    ]
    asked = _message("kernel_info_request", {}, "shell")
    for message in [*refused, asked]:
        if binary:
            parts = {key: value for key, value in message.items() if key != "channel"}
            await socket.write_message(
                serialize_msg_to_ws_v1(parts, message["channel"], lambda m: json.dumps(m).encode()), binary=True
            )
        else:
            await socket.write_message(json.dumps({**message, "buffers": []}))
    answered: dict[str, list[str]] = {}
    waited_for = asked["header"]["msg_id"]
    deadline = asyncio.get_running_loop().time() + 20
    idle_after_info = None
    # Read until the kernel_info_request is answered and then half a second more: the kernel takes shell
    # messages in order, so a forwarded execute_request would have run (and written the file) by then.
    while True:
        timeout = (idle_after_info or deadline) - asyncio.get_running_loop().time()
        try:
            frame = await asyncio.wait_for(socket.read_message(), max(timeout, 0.01))
        except asyncio.TimeoutError:
            break
        if frame is None:
            break
        if isinstance(frame, bytes):
            _, parts = deserialize_msg_from_ws_v1(frame)
            reply = {"header": json.loads(parts[0]), "parent_header": json.loads(parts[1])}
        else:
            reply = json.loads(frame)
        parent = reply["parent_header"].get("msg_id", "")
        answered.setdefault(parent, []).append(reply["header"]["msg_type"])
        if parent == waited_for and reply["header"]["msg_type"] == "kernel_info_reply" and idle_after_info is None:
            idle_after_info = asyncio.get_running_loop().time() + 0.5
    socket.close()
    refused_ids = {message["header"]["msg_id"] for message in refused}
    return {msg_type for parent in refused_ids for msg_type in answered.get(parent, [])}, answered.get(waited_for, [])


@pytest.mark.parametrize("binary", [False, True], ids=["json-protocol", "v1-binary-protocol"])
def test_a_lessons_kernel_websocket_runs_no_code(server, tmp_path, binary):
    """execute (shell and control), inspect, complete, history, input_reply, is_complete, debug: all dropped.

    The same socket answers kernel_info_request, so the refusals are the server's, not a dead line; the
    code would write a file, and the file is not there.
    """
    status, page = fetch(f"{server.url}/voila/render/{TICKET}")
    assert status == 200
    marker = tmp_path / "pupil-ran-code.txt"
    answers, info = run_async(_send_refused_then_ask(server.url, kernel_of(page), marker, binary))
    assert "kernel_info_reply" in info, f"the kernel never answered kernel_info_request: {info}"
    assert answers == set(), f"the kernel answered refused requests with {sorted(answers)}"
    assert not marker.exists(), "a pupil's execute_request ran code in the kernel"
    for msg_type in ("execute_request", "inspect_request", "complete_request", "history_request", "input_reply"):
        assert f'Received message of type "{msg_type}", which is not allowed' in server.log_text()


# --- the pages: no teacher-only text, no answers, no tracebacks --------------------------------------------


def test_an_exit_tickets_answers_stay_in_the_kernel(server):
    """A Questions widget's page holds its prompts but not its answers (7919, "quokka") nor the teacher note."""
    status, page = fetch(f"{server.url}/voila/render/{TICKET}")
    assert status == 200
    raw = everything_in(page)
    # The widget's text stand-in is in the page: an answer written into it would be found here.
    assert "What is the thousandth prime number?" in raw and "Which animal did the class adopt?" in raw
    assert "7919" not in raw and "quokka" not in raw.lower() and "TICKET-TEACHER" not in raw


@pytest.mark.parametrize(
    "path",
    [
        "voila/render/nowhere.ipynb",
        "voila/render/%ff.ipynb",
        "voila/tree/nowhere",
        "voila/tree/%ff",
        "voila/static/nowhere.js",
        "voila/files/nowhere.png",
        "voila/api/contents/%ff",
        "voila/api/contents/nowhere.ipynb",
        "voila/templates/classroom/index.html.j2",  # Voila's template route fails an assert: a plain 500
        "voila/query/00000000-0000-0000-0000-000000000000",
        "api/kernels/00000000-0000-0000-0000-000000000000",
        "api/kernels/00000000-0000-0000-0000-000000000000/channels",
        "mastery/plan/nowhere.ipynb?token={token}",
        "mastery/plan/%ff?token={token}",
        f"mastery/plan/{UNREADABLE}?token={{token}}",
        "?token=%ff",
        "?theme=%3Cscript%3Ealert(1)%3C/script%3E",
        f"voila/render/{TICKET}?%ff=%ff",
        f"voila/render/{TICKET}?theme=%00",
        f"voila/render/{TICKET}?template=..%2F..%2F..%2Fetc",
        f"voila/render/{TICKET}?theme=..%2F..%2F..%2Fetc",
        f"voila/render/{SLIP}",
        "x" * 3000,
    ],
)
def test_error_pages_and_bad_queries_show_no_traceback_or_server_path(server, path):
    """404, 403, 400 and 500 pages, a bad query string and a lesson whose cell raises: all calm.

    No "Traceback", no path of the repository or of site-packages, no Python exception's name.
    """
    status, body = fetch(f"{server.url}/{path.format(token=server.token)}")
    assert status in (200, 400, 403, 404, 500), f"/{path} answered {status}"
    assert_gives_nothing_away(body, f"/{path} ({status})")
    assert "<script>alert(1)" not in body
