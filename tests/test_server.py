"""The classroom server over HTTP: a real `mastery present` on the fixture curriculum (tests/fixtures/curriculum)."""

from __future__ import annotations

import asyncio
import base64
import json
import re
import statistics
import subprocess
import sys
import time
import uuid
from functools import cache
from html import unescape
from html.parser import HTMLParser

import nbformat
import pytest
from conftest import FIXTURE_CURRICULUM, ROOT, Server, fetch, present, run_async

from lessons.curriculum import read_curriculum, read_unit
from lessons.format import first_line, is_teacher_only, lesson_sections
from lessons.markup import markdown_html
from lessons.pages import render_home
from lessons.present import PresentError, plan_presentation
from lessons.server import PupilContentsManager

UNIT = "units/01-zero-pairs"
LESSON = f"{UNIT}/01-make-zero.ipynb"
FAILING = "units/02-bar-models/01-parts.ipynb"
BOARD = "notebooks/free-counters.ipynb"


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []  # (href, text)
        self._href: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self._href, self._text = dict(attrs).get("href"), []

    def handle_data(self, data):
        if self._href is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "a" and self._href is not None:
            self.links.append((self._href, "".join(self._text).strip()))
            self._href = None


def anchors(page: str) -> list[tuple[str, str]]:
    """The page's links as (text, href), in order."""
    parser = _Links()
    parser.feed(page)
    return [(text, href) for href, text in parser.links]


def links(page: str) -> dict[str, str]:
    """The page's links as text -> href (the last one wins)."""
    return dict(anchors(page))


def text_of(page: str) -> str:
    """What a reader sees: tags gone, entities decoded, spaces squeezed."""
    page = re.sub(r"<(style|script)\b.*?</\1>", " ", page, flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", page)))


def cells(relpath: str) -> list[dict]:
    return nbformat.read(FIXTURE_CURRICULUM / relpath, as_version=4).cells


def lines(relpath: str, teacher: bool | None = None) -> list[str]:
    """The first line of each markdown cell as a reader sees it (no "#"), all or only teacher/pupil ones."""
    return [
        first_line(cell).lstrip("# ")
        for cell in cells(relpath)
        if cell.cell_type == "markdown" and teacher in (None, is_teacher_only(cell))
    ]


def teacher_lines(relpath: str) -> list[str]:
    return lines(relpath, teacher=True)


def pupil_lines(relpath: str) -> list[str]:
    return lines(relpath, teacher=False)


TEACHER_OUTPUT = "Anticipated answer drawn for the teacher"  # printed by a teacher-only code cell


@pytest.fixture(scope="module")
def render(classroom: Server):
    """A lesson as the classroom app serves it (each render starts a kernel: done once per lesson)."""

    @cache
    def render_(relpath: str, query: str = "") -> tuple[int, str]:
        return fetch(f"{classroom.url}/voila/render/{relpath}{query}")

    return render_


# --- the home page ------------------------------------------------------------------------------------


def test_home_lists_every_unit_and_lesson_with_working_links(classroom, render):
    status, home = fetch(classroom.url + "/")
    assert status == 200
    shown, seen = links(home), text_of(home)
    units, _ = read_curriculum(FIXTURE_CURRICULUM)
    assert [unit.title for unit in units] == ["Directed numbers with counters", "Bar models for problems"]
    for unit in units:
        assert unit.title in seen and f"Year {unit.year}" in seen and unit.big_idea in seen
        assert f'id="{unit.slug}"' in home  # the anchor a unit's "back to unit" link lands on
        for lesson in unit.lessons:
            relpath = lesson.file.relative_to(FIXTURE_CURRICULUM).as_posix()
            assert lesson.title in seen and lesson.objective in seen
            if not lesson.file.exists():  # listed in unit.toml, not written yet: no dead link
                assert lesson.title not in shown and f"not written yet ({relpath})" in seen
                continue
            assert shown[lesson.title] == f"/voila/render/{relpath}"
            assert f'href="http://127.0.0.1:8888/lab/tree/{relpath}">open in JupyterLab' in home
            status, page = render(relpath)
            assert status == 200 and pupil_lines(relpath)[0] in text_of(page)
    # the teacher's toolbox: the free boards in notebooks/
    assert shown["Counters: a free board"] == f"/voila/render/{BOARD}"
    assert "lesson plan" not in shown  # plans only with the teacher's token


def test_a_broken_unit_toml_names_its_file_and_fix_and_the_rest_still_shows(classroom):
    home = text_of(fetch(classroom.url + "/")[1])
    with pytest.raises(ValueError) as broken:
        read_unit(FIXTURE_CURRICULUM / "units" / "03-broken")
    error = broken.value
    assert f"units/03-broken/unit.toml:{error.line}: {error.problem}. Fix: {error.fix}" in home
    assert "Directed numbers with counters" in home and "Bar models for problems" in home
    # in folder order: the broken unit between the second unit and the toolbox
    assert home.rindex("Bar models for problems") < home.index("units/03-broken") < home.rindex("Free boards")


def test_home_shows_lesson_plan_links_only_with_the_teacher_token(classroom):
    teacher = fetch(f"{classroom.url}/?token={classroom.token}")[1]
    plans = [href for text, href in anchors(teacher) if text == "lesson plan"]
    assert f"/mastery/plan/{LESSON}?token={classroom.token}" in plans
    assert len(plans) == 3  # every written lesson of a readable unit, none for a free board
    assert fetch(classroom.url + plans[-1])[0] == 200
    wrong_page = fetch(f"{classroom.url}/?token=not-the-token")[1]
    assert "lesson plan" not in links(wrong_page) and classroom.token not in wrong_page
    assert "not the one this server printed" in text_of(wrong_page)


# --- the lesson plan ------------------------------------------------------------------------------------


def test_lesson_plan_needs_the_teacher_token(classroom):
    for query in ("", "?token=", "?token=not-the-token", f"?token={classroom.token}x"):
        status, page = fetch(f"{classroom.url}/mastery/plan/{LESSON}{query}")
        assert status == 403
        assert "Lesson plans are for the teacher" in page
        assert not any(line in page for line in teacher_lines(LESSON) + pupil_lines(LESSON))


def test_lesson_plan_shows_the_whole_lesson_in_order_teacher_sections_boxed(classroom):
    status, page = fetch(f"{classroom.url}/mastery/plan/{LESSON}?token={classroom.token}")
    assert status == 200
    seen = text_of(page)
    at = 0
    for line in lines(LESSON):  # each markdown cell, teacher ones too, after the one before it
        at = seen.find(line, at) + 1
        assert at > 0, f"{line!r} is missing from the plan, or out of order"
    teacher_sections = re.findall(r'<section class="mp-role mp-teacher">(.*?)</section>', page, re.S)
    assert len(teacher_sections) == 4 and all("Teacher only" in section for section in teacher_sections)
    assert all(any(line in text_of(s) for s in teacher_sections) for line in teacher_lines(LESSON))
    assert TEACHER_OUTPUT in seen  # a teacher-only code cell's output, run for the plan
    # the board, drawn by running the lesson once, as a picture of its own
    pictures = re.findall(r'src="data:image/svg\+xml;base64,([^"]+)"', page)
    # the picture says what it shows, in words, for a screen reader: Python's words for the board
    assert (
        pictures
        and "Counters board: 3 positive and 3 negative counters, 3 zero pairs, worth 0"
        in base64.b64decode(pictures[0]).decode()
    )
    # offline, and nothing runs but the print button
    assert not re.search(r"<(script|link|iframe)\b", page) and "//cdn" not in page
    assert "@media print" in page


def test_lesson_plan_refuses_paths_outside_the_curriculum(classroom):
    for path in ("..%2F..%2Fetc%2Fpasswd", "units/01-zero-pairs/unit.toml", "units/nowhere.ipynb", "%2Fetc%2Fhosts"):
        status, page = fetch(f"{classroom.url}/mastery/plan/{path}?token={classroom.token}")
        assert status == 404 and "root:" not in page and "big_idea" not in page


# --- the classroom app: what a pupil's browser can get --------------------------------------------------


@pytest.mark.parametrize("relpath", [LESSON, f"{UNIT}/02-add-negatives.ipynb", FAILING])
def test_classroom_page_has_no_teacher_only_text(render, relpath):
    status, page = render(relpath)
    assert status == 200
    seen = text_of(page)
    assert all(line in seen for line in pupil_lines(relpath))
    leaked = [line for line in teacher_lines(relpath) if line in page or line in seen]
    assert not leaked and TEACHER_OUTPUT not in page


def test_a_failing_cell_does_not_stop_the_lesson(render):
    status, page = render(FAILING)
    assert status == 200
    assert "After the slip, this line still ran." in page  # the cell after the error ran
    assert "Traceback" not in page and "ZeroDivisionError" not in page and "division by zero" not in page


def test_a_pupil_cannot_switch_the_template(render):
    # The lab template asks a CDN for its icons, the reveal template for reveal.js: neither may be chosen.
    for template in ("lab", "reveal"):
        status, page = render(LESSON, f"?template={template}")
        assert status == 200 and "cdn.jsdelivr.net" not in page and "reveal.js" not in page


@pytest.mark.parametrize(
    "path",
    [
        f"voila/files/{LESSON}",
        f"voila/files/{UNIT}/unit.toml",
        f"voila/files/{UNIT}/../01-zero-pairs/unit.toml",
        f"voila/api/contents/{UNIT}/unit.toml",
        f"voila/render/{UNIT}/unit.toml",
    ],
)
def test_notebooks_and_unit_files_cannot_be_downloaded(classroom, path):
    status, body = fetch(f"{classroom.url}/{path}")
    assert status in (403, 404)
    assert "big_idea" not in body and "Teacher note" not in body


def test_the_contents_api_lists_but_never_hands_out_a_notebook(classroom):
    for query in ("", "?content=1", "?content=1&format=text"):
        status, body = fetch(f"{classroom.url}/voila/api/contents/{LESSON}{query}")
        assert status == 200
        assert json.loads(body)["content"] is None and "Teacher note" not in body and "Pupil objective" not in body
    listing = json.loads(fetch(f"{classroom.url}/voila/api/contents/{UNIT}")[1])
    assert sorted(item["name"] for item in listing["content"]) == ["01-make-zero.ipynb", "02-add-negatives.ipynb"]


# --- the kernel websocket -------------------------------------------------------------------------------


def _message(msg_type: str, content: dict) -> tuple[str, str]:
    msg_id = uuid.uuid4().hex
    header = {"msg_id": msg_id, "msg_type": msg_type, "username": "", "session": "t", "date": "", "version": "5.3"}
    body = {"header": header, "parent_header": {}, "metadata": {}, "content": content, "channel": "shell"}
    return msg_id, json.dumps({**body, "buffers": []})


async def _talk_to_kernel(url: str, kernel_id: str) -> tuple[float, list[str]]:
    """Median round trip of kernel_info_request (ms), and what came back for an execute_request."""
    from tornado.websocket import websocket_connect

    socket = await websocket_connect(f"{url.replace('http', 'ws')}/api/kernels/{kernel_id}/channels?session_id=t")
    times = []
    for _ in range(30):
        msg_id, message = _message("kernel_info_request", {})
        start = time.perf_counter()
        await socket.write_message(message)
        while True:  # the kernel answers busy, the reply, then idle: three writes from the server
            reply = json.loads(await socket.read_message())
            if reply["parent_header"].get("msg_id") == msg_id and reply["content"].get("execution_state") == "idle":
                break
        times.append((time.perf_counter() - start) * 1000)
    code = {"code": "print('ran')", "silent": False, "store_history": False, "user_expressions": {}}
    msg_id, message = _message("execute_request", {**code, "allow_stdin": False, "stop_on_error": True})
    await socket.write_message(message)
    answers = []
    try:
        while True:
            reply = json.loads(await asyncio.wait_for(socket.read_message(), 3))
            if reply["parent_header"].get("msg_id") == msg_id:
                answers.append(reply["msg_type"])
    except asyncio.TimeoutError:
        pass
    socket.close()
    return statistics.median(times), answers


def test_kernel_websocket_refuses_code_and_does_not_hold_back_small_messages(classroom, render):
    kernel_id = re.search(r'"kernelId": "([^"]+)"', render(BOARD)[1]).group(1)
    median_ms, answers = run_async(_talk_to_kernel(classroom.url, kernel_id))
    assert answers == []  # execute_request is dropped: a pupil's browser cannot run code
    assert median_ms > 0  # and small messages are answered (how fast is the benchmark's figure, not a bound here)


def test_the_kernel_websocket_turns_nagles_delay_off(monkeypatch):
    # With Nagle's algorithm on, a small widget update can wait ~40 ms for a delayed ACK (benchmarks/README.md
    # measures the round trip); the classroom's socket asks the OS not to hold small messages back.
    from lessons.server import NodelayKernelWebsocketHandler, VoilaKernelWebsocketHandler

    order = []

    async def opened(self, kernel_id):
        order.append(("open", kernel_id))

    monkeypatch.setattr(VoilaKernelWebsocketHandler, "open", opened)
    handler = NodelayKernelWebsocketHandler.__new__(NodelayKernelWebsocketHandler)
    handler.set_nodelay = lambda on: order.append(("nodelay", on))
    run_async(handler.open("k1"))
    assert order == [("nodelay", True), ("open", "k1")]  # before the first message can be held back


def test_the_root_preheats_nothing(classroom, render):
    render(LESSON)
    assert "pre-heated" not in classroom.log_text() and "Kernel pool" not in classroom.log_text()


# --- the pupil edition and the metadata the template reads ----------------------------------------------


def test_contents_manager_gives_the_pupil_edition_with_the_lessons_place_in_its_unit():
    manager = PupilContentsManager(root_dir=str(FIXTURE_CURRICULUM))
    first = manager.get(LESSON)["content"]
    assert not any(is_teacher_only(cell) for cell in first.cells)
    # Markdown arrives already rendered and sanitised (see test_security), its words intact.
    shown = [text_of(c.source).strip() for c in first.cells if c.cell_type == "markdown"]
    assert [line for line, cell in zip(pupil_lines(LESSON), shown, strict=True) if cell.startswith(line)] == (
        pupil_lines(LESSON)
    )
    unit = {"title": "Directed numbers with counters", "url": "/#01-zero-pairs"}
    # The format's sections, for the template: the first is the objective, numbered 1; no teacher section.
    sections = first.metadata["mastery"].pop("sections")
    assert sections == lesson_sections(first.cells) and sections[0]["heading"] == "Objective"
    assert not any(section["teacher"] for section in sections)
    assert first.metadata["mastery"] == {
        "title": "Making zero",
        "unit": unit,
        "previous": None,
        "next": {"title": "Adding a negative", "url": f"/voila/render/{UNIT}/02-add-negatives.ipynb"},
        "home": "/",
    }
    second = manager.get(f"{UNIT}/02-add-negatives.ipynb")["content"].metadata["mastery"]
    assert second["previous"] == {"title": "Making zero", "url": f"/voila/render/{LESSON}"}
    assert second["next"] is None  # lesson 3 is listed but not written: no link to nowhere
    board = manager.get(BOARD)["content"].metadata["mastery"]
    board.pop("sections")
    assert board == {"title": "Counters: a free board", "unit": None, "previous": None, "next": None, "home": "/"}
    with pytest.raises(Exception, match="does not save"):
        manager.save({"type": "notebook", "content": first}, LESSON)


# --- `mastery present PATH` ---------------------------------------------------------------------------


def test_present_serves_the_root_of_the_curriculum_and_opens_what_was_asked():
    root = FIXTURE_CURRICULUM
    lesson = plan_presentation(LESSON, root, pool=2)
    assert (lesson.root, lesson.start_path, lesson.preheat) == (root, f"voila/render/{LESSON}", {LESSON: 2})
    unit = plan_presentation(root / UNIT, ROOT)
    assert unit.root == root and unit.start_path == "#01-zero-pairs"
    assert unit.preheat == {LESSON: 1, f"{UNIT}/02-add-negatives.ipynb": 1}  # the written lessons
    home = plan_presentation(None, root)
    assert (home.root, home.start_path, home.preheat) == (root, "", {})
    chosen = plan_presentation(".", root, preheat=[FAILING])
    assert chosen.preheat == {FAILING: 1} and chosen.also == []
    # Only the curriculum and the toolbox are served, and what the teacher names beside them.
    outside = plan_presentation(ROOT / "tests" / "notebooks" / "classroom_plain.ipynb", ROOT, also=["benchmarks"])
    assert outside.root == ROOT and outside.also == ["tests/notebooks/classroom_plain.ipynb", "benchmarks"]
    for bad in ("units/nowhere", f"{UNIT}/unit.toml"):
        with pytest.raises(PresentError):
            plan_presentation(bad, root)


def test_present_with_a_bad_path_says_so_in_one_line():
    done = subprocess.run(
        [sys.executable, "-m", "lessons.cli", "present", "units/no-such-unit", "--no-browser"],
        cwd=FIXTURE_CURRICULUM,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "units/no-such-unit" in done.stderr and "Traceback" not in done.stderr


# --- a lesson given to `present`: pre-heated, and its kernel culled once abandoned ----------------------


@pytest.fixture(scope="module")
def preheated() -> Server:
    with present(str(FIXTURE_CURRICULUM / LESSON), "--cull-minutes", "0.1") as server:
        deadline = time.monotonic() + 120
        while "Kernel pool of" not in server.log_text():
            assert time.monotonic() < deadline, server.log_text()[-2000:]
            time.sleep(0.3)
        yield server


def test_a_preheated_lesson_is_still_the_pupil_edition(preheated):
    status, page = fetch(f"{preheated.url}/voila/render/{LESSON}")
    assert status == 200 and "Using pre-heated kernel" in preheated.log_text()
    assert all(line in text_of(page) for line in pupil_lines(LESSON))
    assert not any(line in page for line in teacher_lines(LESSON)) and TEACHER_OUTPUT not in page


def test_an_abandoned_lessons_kernel_is_shut_down(preheated):
    kernel_id = re.search(r'"kernelId": "([^"]+)"', fetch(f"{preheated.url}/voila/render/{LESSON}")[1]).group(1)
    assert fetch(f"{preheated.url}/api/kernels/{kernel_id}")[0] == 200
    deadline = time.monotonic() + 60  # idle 6 s, checked every 3 s: culled well within a minute
    while fetch(f"{preheated.url}/api/kernels/{kernel_id}")[0] == 200:
        assert time.monotonic() < deadline, "the idle kernel was never shut down"
        time.sleep(1)
    assert fetch(f"{preheated.url}/api/kernels/{kernel_id}")[0] == 404


# --- what the pages put in HTML -------------------------------------------------------------------------


def test_plan_markdown_keeps_the_lessons_pictures_and_drops_what_would_run_or_go_online(tmp_path):
    (tmp_path / "dot.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>')
    source = (
        "**Bold** and <b>raw bold</b> ![a dot](dot.svg) ![far](https://cdn.example/x.png) ![up](../secret.png)\n\n"
        '<script src="https://cdn.example/x.js"></script><link rel="stylesheet" href="https://cdn.example/x.css">\n\n'
        "[home](https://example.org) [trap](javascript:alert(1))"
    )
    shown = markdown_html(source, tmp_path)
    assert "<strong>Bold</strong>" in shown and "<b>raw bold</b>" in shown
    assert re.search(r'<img src="data:image/svg\+xml;base64,[^"]+" alt="a dot">', shown)
    assert "cdn.example" not in shown and "<script" not in shown and "<link" not in shown
    assert "javascript:" not in shown and '<a href="https://example.org">home</a>' in shown


def test_home_shows_a_units_words_as_text_never_as_html(tmp_path):
    unit = tmp_path / "units" / "01-x"
    unit.mkdir(parents=True)
    (unit / "unit.toml").write_text(
        'title = "<img src=x onerror=alert(1)>"\nyear = 7\nbig_idea = "<script>alert(2)</script>"\n'
        'objectives = ["o"]\nvocabulary = ["v"]\nprerequisites = []\n'
        '[[lessons]]\nfile = "01-a.ipynb"\ntitle = "<b>A</b>"\nobjective = "<i>o</i>"\n'
    )
    page = render_home(tmp_path)
    assert "<img src=x" not in page and "<script>alert" not in page and "<b>A</b>" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page and "&lt;b&gt;A&lt;/b&gt;" in page


# --- a broken unit hides only itself ---------------------------------------------------------------------

BROKEN = ROOT / "tests" / "fixtures" / "broken"  # units broken one way each; 08 is sound and comes after them
AFTER = "units/08-after-the-broken-ones/01-first.ipynb"


def test_units_that_cannot_be_read_hide_only_themselves():
    """A NUL in a lesson's name, 2,000 nested lists: the home page, later units' lessons and plans still work."""
    with present(str(BROKEN)) as server:
        status, home = fetch(f"{server.url}/")
        assert status == 200
        seen = text_of(home)
        assert "units/06-nul-in-a-name/unit.toml:8: lesson 1's file" in seen
        assert "units/07-deep-lists/unit.toml:6: has lists nested too deeply to read" in seen
        assert seen.count("This unit could not be read") >= 3 and "After the broken ones" in seen
        assert "Traceback" not in home and "RecursionError" not in home
        status, page = fetch(f"{server.url}/voila/render/{AFTER}")
        assert status == 200 and "Pupil objective" in text_of(page)
        assert fetch(f"{server.url}/mastery/plan/{AFTER}?token={server.token}")[0] == 200


def test_a_large_unit_is_read_once_not_for_every_request(tmp_path):
    """2,000 lessons: every request used to re-read (quadratically) on the event loop; now once, then on change."""
    from test_curriculum import write_unit

    write_unit(tmp_path / "units" / "01-big", 2000)
    with present(str(tmp_path)) as server:
        for _ in range(3):
            assert "Lesson 2000" in fetch(f"{server.url}/")[1]
        for n in (1, 1000, 2000):
            assert fetch(f"{server.url}/voila/api/contents/units/01-big/{n:04d}-lesson.ipynb")[0] == 200
        assert server.log_text().count("mastery: read the curriculum") == 1
        toml = tmp_path / "units" / "01-big" / "unit.toml"
        toml.write_text(toml.read_text().replace("Unit 01-big", "A renamed unit"))
        deadline = time.monotonic() + 30
        while "A renamed unit" not in fetch(f"{server.url}/")[1]:
            assert time.monotonic() < deadline, "a changed unit.toml was never read again"
            time.sleep(0.5)
        assert server.log_text().count("mastery: read the curriculum") == 2
