"""The classroom server: Voila serving the curriculum, with a home page and the teacher's lesson plans.

`Classroom` is Voila's app with four changes:

- every notebook reaches Voila as its pupil edition (teacher-only cells gone) with the curriculum's
  title, unit and previous/next lesson in ``metadata["mastery"]`` for the classroom template;
- a pupil cannot switch template, fetch notebooks or unit.toml files, or see a traceback, and a
  failing cell does not stop the rest of the lesson;
- the kernel websocket turns Nagle's algorithm off, so a widget update is not held back, and the
  browser keeps the widget libraries (labextensions) whose names carry a content hash;
- pre-heated kernels suit a class arriving at once (`PoolRefills`);
- ``/`` is the curriculum's home page and ``/mastery/plan/<lesson>?token=...`` the whole lesson,
  teacher notes and all, for the teacher who holds the token.

`HomeHandler` and `PlanHandler` take everything they need as arguments, so a plain Jupyter Server
(Binder) can mount them too.
"""

from __future__ import annotations

import asyncio
import base64
import copy
import hmac
import html
import itertools
import os
import re
import secrets
import socket
import threading
import time
import weakref
import webbrowser
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import bleach
import jinja2
import nbformat
import tornado.ioloop
from jupyter_server.base.handlers import FileFindHandler, JupyterHandler
from jupyter_server.services.contents.largefilemanager import LargeFileManager
from jupyter_server.utils import url_escape, url_path_join
from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath
from tornado import web
from traitlets import Dict, Float, Unicode, default
from voila.app import Voila
from voila.tornado.handler import TornadoVoilaHandler
from voila.tornado.kernel_websocket_handler import VoilaKernelWebsocketHandler
from voila.tornado.treehandler import TornadoVoilaTreeHandler

from lessons import guards
from lessons.curriculum import UNIT_FILE, UNITS, Lesson, Unit, UnitError, read_curriculum
from lessons.format import ROLES, is_teacher_only, pupil_edition, role, tags, text

SHARE = Path(__file__).parent / "share" / "jupyter"  # the classroom template, found through JUPYTER_PATH
WEB = Path(__file__).parent / "web"  # the home and plan pages
TOOLBOX = "notebooks"  # the teacher's free boards, listed on the home page
DEFAULT_LAB_URL = "http://127.0.0.1:8888"
THEMES = ("light", "dark")
# What /voila/files/ may hand out: pictures a lesson shows, never a notebook, unit.toml, code or hidden file.
FILE_ALLOWLIST = [r".*\.(png|jpe?g|gif|svg|webp)"]
FILE_DENYLIST = [r".*\.(ipynb|toml|py|pyc|json|md|txt|cfg|ini|yml|yaml)", r"(.*[/\\])?\..*"]


# --- the curriculum, as the pages and the template need it -----------------------------------------------


def _relative(root: Path, path: Path) -> str | None:
    """path relative to root with forward slashes, or None when it lies outside root."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return None


def notebook_title(notebook: dict[str, Any], fallback: str) -> str:
    """The text of the notebook's first markdown heading, else the fallback."""
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") != "markdown":
            continue
        for line in text(cell).splitlines():
            if line.lstrip().startswith("#"):
                title = line.strip().lstrip("#").strip()
                if title:
                    return title
    return fallback


def _file_title(path: Path) -> str:
    fallback = path.stem.replace("-", " ").replace("_", " ").strip().capitalize()
    try:
        return notebook_title(nbformat.read(path, as_version=4), fallback)
    except Exception:  # an unreadable notebook still gets a line on the home page
        return fallback


@dataclass
class _Urls:
    """Where things live on the server: lessons, plans, the home page, JupyterLab."""

    lesson_prefix: str = "/voila/render/"
    home: str = "/"
    plan_prefix: str = "/mastery/plan/"
    lab_tree: str = DEFAULT_LAB_URL + "/lab/tree/"  # JupyterLab's file browser, up to the path

    def lesson(self, relpath: str) -> str:
        return url_path_join(self.lesson_prefix, url_escape(relpath))

    def unit(self, slug: str) -> str:
        return f"{self.home}#{slug}"

    def plan(self, relpath: str, token: str | None) -> str:
        url = url_path_join(self.plan_prefix, url_escape(relpath))
        return f"{url}?token={url_escape(token)}" if token else url

    def lab(self, relpath: str) -> str:
        return url_path_join(self.lab_tree, url_escape(relpath))


def find_lesson(root: Path, path: Path) -> tuple[Unit, Lesson, list[Lesson]] | None:
    """The unit that lists the notebook at path, its entry, and the unit's lessons that exist; else None."""
    target = path.resolve()
    for unit in read_curriculum(root)[0]:
        present = [lesson for lesson in unit.lessons if lesson.file.is_file()]
        for lesson in unit.lessons:
            if lesson.file.resolve() == target:
                return unit, lesson, present
    return None


def lesson_metadata(root: Path, relpath: str, notebook: dict[str, Any], urls: _Urls) -> dict[str, Any]:
    """What the classroom template draws around a lesson: its title, its unit, previous and next lesson."""
    found = find_lesson(root, root / relpath)
    if found is None:
        fallback = Path(relpath).stem.replace("-", " ").replace("_", " ").capitalize()
        return {
            "title": notebook_title(notebook, fallback),
            "unit": None,
            "previous": None,
            "next": None,
            "home": urls.home,
        }
    unit, lesson, present = found

    def link(other: Lesson | None) -> dict[str, str] | None:
        if other is None:
            return None
        return {"title": other.title, "url": urls.lesson(_relative(root, other.file) or other.file.name)}

    index = present.index(lesson) if lesson in present else -1
    return {
        "title": lesson.title,
        "unit": {"title": unit.title, "url": urls.unit(unit.slug)},
        "previous": link(present[index - 1]) if index > 0 else None,
        "next": link(present[index + 1]) if 0 <= index < len(present) - 1 else None,
        "home": urls.home,
    }


class LessonHandler(TornadoVoilaHandler):
    """Voila's lesson page, with the _xsrf cookie its own "shut my kernel down" call needs when the page closes.

    Without it that call is refused (403) and every reload leaves a kernel behind until it is culled.
    """

    async def prepare(self) -> None:
        await super().prepare()
        self.xsrf_token  # noqa: B018 - reading it sets the cookie


class PupilContentsManager(LargeFileManager):
    """Hands every notebook out as its pupil edition: teacher-only cells never leave the server.

    Voila loads a notebook through the contents manager before it runs a cell or a template, for a
    request and for a pre-heated kernel alike, so this is the one place that covers both.
    """

    lesson_prefix = Unicode("/voila/render/", config=True, help="URL prefix of a lesson in the classroom app")
    home_url = Unicode("/", config=True, help="URL of the home page")

    def get(self, path: str, content: bool = True, type: str | None = None, format: str | None = None, **kwargs):
        try:
            model = super().get(path, content=content, type=type, format=format, **kwargs)
        except web.HTTPError as error:
            # Jupyter's message for an unreadable notebook names its absolute path and quotes its first bytes.
            if error.status_code == 400 or str(Path(self.root_dir).resolve()) in str(error.log_message):
                raise web.HTTPError(error.status_code, "This file cannot be opened.") from None
            raise
        if model.get("type") == "notebook" and model.get("content") is not None:
            notebook = nbformat.from_dict(pupil_edition(model["content"]))
            urls = _Urls(lesson_prefix=self.lesson_prefix, home=self.home_url)
            notebook.metadata["mastery"] = lesson_metadata(Path(self.root_dir), model["path"], notebook, urls)
            model["content"] = notebook
        return model

    def save(self, model: dict, path: str = "") -> dict:
        # What this manager hands out is an edition; saving it would lose the teacher's notes.
        raise web.HTTPError(405, "The classroom server does not save notebooks.")


class NodelayKernelWebsocketHandler(VoilaKernelWebsocketHandler):
    """Voila's kernel websocket (execute_input hidden, the same allowed messages), without Nagle's delay.

    Tornado leaves Nagle's algorithm on; with the browser's delayed ACKs a small widget update can wait
    40 ms for the one before it to be acknowledged.
    """

    async def open(self, kernel_id: str) -> None:  # type: ignore[override]
        self.set_nodelay(True)
        await super().open(kernel_id)


class CachedLabextensionHandler(FileFindHandler):
    """Voila's labextension files, kept by the browser when their name carries a content hash.

    Voila serves them all with "no-cache", so each page load asks again for every one (about 20
    requests answered 304). A name like remoteEntry.698dcaf7.js changes whenever its content does.
    """

    HASHED = re.compile(r"[./][0-9a-f]{8,}\.(js|css|woff2?|svg)$")

    def set_headers(self) -> None:
        super().set_headers()
        if self.HASHED.search(self.request.path):
            self.set_header("Cache-Control", "public, max-age=31536000, immutable")


def _started(item: asyncio.Future) -> bool:
    """A pool's kernel that has started: it is running its notebook, or has run it."""
    return item.done() and not item.cancelled() and item.exception() is None


def _rendered(item: asyncio.Future) -> bool:
    """A pool's kernel that has run its notebook: a page gets it at once."""
    return _started(item) and item.result()["task"].done()


class PoolRefills:
    """Pre-heated kernels for a class: the readiest handed out, replaced one at a time once arrivals pause.

    Voila refills a pool a second after each kernel is taken, every refill at once, and hands a page
    the next kernel in the pool even before that kernel has started. When a class of 30 arrives, 30
    new kernels start and run the lesson on the cores the pupils' own kernels need, and a pupil may
    wait for one of them. Here refills wait until no page has taken a kernel for `quiet` seconds, then
    start one at a time, and a page is given a kernel that has run its lesson, else one running it,
    else none (it starts its own, as without a pool). The first filling at start-up still runs all at
    once. The log says "mastery: N of M kernels ready for LESSON" as each finishes running the lesson.
    """

    def __init__(self, manager: Any, log: Any, quiet: float = 10.0) -> None:
        self.manager = manager
        self.log = log
        self.quiet = quiet
        self._last_taken = 0.0
        self._gate: asyncio.Semaphore | None = None  # made in the running loop
        self._watched: weakref.WeakSet = weakref.WeakSet()
        self._said: dict[str, int] = {}
        self._initialize = manager._initialize
        self._fill_if_needed = manager.fill_if_needed
        self._get_rendered_notebook = manager.get_rendered_notebook
        manager._initialize = self.initialize
        manager.fill_if_needed = self.fill_if_needed
        manager.get_rendered_notebook = self.get_rendered_notebook
        manager.get_pool_size = self.get_pool_size
        self.watch()

    def get_pool_size(self, notebook_name: str) -> int:
        return sum(map(_started, self.manager._pools.get(notebook_name, [])))

    async def get_rendered_notebook(self, notebook_name: str, *args: Any, **kwargs: Any) -> Any:
        pool = self.manager._pools.get(notebook_name, [])
        best = next((n for n, item in enumerate(pool) if _rendered(item)), None)
        best = next((n for n, item in enumerate(pool) if _started(item)), None) if best is None else best
        if best:
            pool.insert(0, pool.pop(best))  # Voila hands out the first: make it the readiest
        self._last_taken = time.monotonic()
        return await self._get_rendered_notebook(notebook_name, *args, **kwargs)

    async def initialize(self, notebook_path: str, kernel_id: str | None = None, **kwargs: Any) -> dict:
        if self._gate is None:
            self._gate = asyncio.Semaphore(1)
        async with self._gate:
            while (wait := self._last_taken + self.quiet - time.monotonic()) > 0:
                await asyncio.sleep(wait)
            content = await self._initialize(notebook_path, kernel_id, **kwargs)
            await asyncio.wait([content["task"]])  # the lesson has run in the new kernel
        return content

    def fill_if_needed(self, *args: Any, **kwargs: Any) -> None:
        self._fill_if_needed(*args, **kwargs)
        self.watch()

    def watch(self) -> None:
        for name, pool in self.manager._pools.items():
            for item in pool:
                if item not in self._watched:
                    self._watched.add(item)
                    item.add_done_callback(lambda started, name=name: self._on_started(name, started))

    def _on_started(self, name: str, started: asyncio.Future) -> None:
        if not started.cancelled() and started.exception() is None:
            started.result()["task"].add_done_callback(lambda _: self._ready(name))

    def _ready(self, name: str) -> None:
        pools = self.manager.kernel_pools_config
        size = pools.get(name, pools.get("default", {})).get("pool_size", 0)
        ready = sum(map(_rendered, self.manager._pools.get(name, [])))
        if self._said.get(name) != ready:
            self._said[name] = ready
            self.log.info("mastery: %s of %s kernels ready for %s", ready, size, name)


# --- the teacher's lesson plan: the whole notebook, executed once for its pictures -----------------------


class PlanPictures:
    """Runs a whole lesson once (in a worker thread) so its plan shows each board's picture; cached by mtime."""

    def __init__(self, timeout: int = 120):
        self.timeout = timeout
        self._cache: dict[Path, tuple[int, Any]] = {}
        self._locks: dict[Path, asyncio.Lock] = {}

    async def run(self, path: Path, notebook: Any) -> Any:
        """The notebook with outputs; raises when it cannot run at all (a cell's error is only an output)."""
        stamp = path.stat().st_mtime_ns
        cached = self._cache.get(path)
        if cached and cached[0] == stamp:
            return cached[1]
        lock = self._locks.setdefault(path, asyncio.Lock())
        async with lock:
            cached = self._cache.get(path)
            if cached and cached[0] == stamp:
                return cached[1]
            executed = await asyncio.to_thread(self._execute, path, copy.deepcopy(notebook))
            self._cache[path] = (stamp, executed)
            return executed

    def _execute(self, path: Path, notebook: Any) -> Any:
        from nbclient import NotebookClient

        kernel = notebook.get("metadata", {}).get("kernelspec", {}).get("name", "python3")
        client = NotebookClient(
            notebook,
            kernel_name=kernel,
            timeout=self.timeout,
            allow_errors=True,
            resources={"metadata": {"path": str(path.parent)}},
        )
        return client.execute()


_BLEACH_TAGS = {
    *bleach.sanitizer.ALLOWED_TAGS,
    *("p", "h1", "h2", "h3", "h4", "h5", "h6", "br", "hr", "pre", "span", "div", "img", "del", "s"),
    *("table", "thead", "tbody", "tr", "th", "td", "sup", "sub", "dl", "dt", "dd", "details", "summary"),
    *("kbd", "mark", "figure", "figcaption", "input"),
}


def _allowed_attribute(tag: str, name: str, value: str) -> bool:
    if name in ("class", "title", "alt", "id", "align", "colspan", "rowspan"):
        return True
    if tag == "a" and name == "href":
        return not value.strip().lower().startswith("data:")
    if tag == "img" and name == "src":
        return value.startswith("data:image/")  # a picture from the network would break the offline promise
    if tag == "img" and name in ("width", "height"):
        return True
    if tag == "input" and name in ("type", "checked", "disabled"):
        return True
    return False


class _PlanMarkdown(IPythonRenderer):
    """nbconvert's renderer, inlining a markdown image from the lesson's folder (its embed_images option
    also rewrites inline HTML, and breaks <b>bold</b> into <b></b>bold)."""

    def image(self, text: str, url: str, title: str | None = None) -> str:
        if not url.startswith("attachment:"):
            url = self._src_to_base64(url) or url  # None outside the lesson's folder: bleach drops it
        return super().image(text, url, title)


def markdown_html(source: str, folder: Path, attachments: dict | None = None) -> str:
    """A markdown cell as safe HTML: the lesson's own pictures inlined, no script, nothing fetched."""
    renderer = _PlanMarkdown(escape=False, exclude_anchor_links=True, path=str(folder), attachments=attachments or {})
    try:
        rendered = MarkdownWithMath(renderer=renderer).render(source)
    except Exception:  # a missing attachment, say: show the text rather than nothing
        rendered = f"<pre>{html.escape(source)}</pre>"
    return bleach.clean(
        rendered,
        tags=_BLEACH_TAGS,
        attributes=_allowed_attribute,
        protocols=["http", "https", "mailto", "data"],
        strip=True,
    )


def _text(value: Any) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def output_html(output: dict[str, Any]) -> str:
    """One output of a code cell: a picture when there is one, else its text; never the output's own HTML."""
    kind = output.get("output_type")
    if kind == "stream":
        if output.get("name") == "stderr":
            return ""  # warnings and logs name server paths and lines of code: for the author, not the class
        return f'<pre class="mp-text">{html.escape(_text(output.get("text", "")))}</pre>'
    if kind == "error":
        return '<p class="mp-note">This cell stopped with an error when the plan was drawn.</p>'
    data = output.get("data", {})
    if "image/svg+xml" in data:
        svg = base64.b64encode(_text(data["image/svg+xml"]).encode()).decode()
        return f'<img class="mp-picture" alt="board" src="data:image/svg+xml;base64,{svg}">'
    for mime in ("image/png", "image/jpeg"):
        if mime in data:
            picture = "".join(_text(data[mime]).split())
            return f'<img class="mp-picture" alt="picture" src="data:{mime};base64,{picture}">'
    if "text/markdown" in data:
        return markdown_html(_text(data["text/markdown"]), Path("/nonexistent"))
    if "application/vnd.jupyter.widget-view+json" in data:
        return ""  # a widget with no picture of itself: nothing to print
    if "text/plain" in data:
        return f'<pre class="mp-text">{html.escape(_text(data["text/plain"]))}</pre>'
    return ""


@dataclass
class _PlanCell:
    html: str
    reveal: bool
    code: bool


@dataclass
class _PlanSection:
    role: str | None
    heading: str
    teacher: bool
    cells: list[_PlanCell] = field(default_factory=list)


def plan_sections(notebook: Any, folder: Path) -> list[_PlanSection]:
    """The lesson in order, in runs of one role (a misspelt teacher tag still counts as teacher-only), as HTML."""
    found: list[_PlanSection] = []
    runs = itertools.groupby(notebook.get("cells", []), key=lambda cell: (role(cell), is_teacher_only(cell)))
    for (cell_role, teacher), cells in runs:
        heading = ROLES.get(cell_role or "", "Teacher only" if teacher else "Untagged")
        section = _PlanSection(cell_role, heading, teacher)
        for cell in cells:
            reveal = "reveal" in tags(cell)
            if cell.get("cell_type") == "markdown":
                section.cells.append(
                    _PlanCell(
                        markdown_html(_text(cell.get("source", "")), folder, cell.get("attachments")), reveal, False
                    )
                )
            elif cell.get("cell_type") == "code":
                shown = "".join(output_html(output) for output in cell.get("outputs", []))
                if shown:
                    section.cells.append(_PlanCell(shown, reveal, True))
        if section.cells or teacher:
            found.append(section)
    return found


# --- the pages ------------------------------------------------------------------------------------------

_pages = jinja2.Environment(
    loader=jinja2.FileSystemLoader(str(WEB)), autoescape=True, trim_blocks=True, lstrip_blocks=True
)


@dataclass
class _LessonEntry:
    title: str
    objective: str
    relpath: str
    exists: bool


@dataclass
class _UnitEntry:
    slug: str
    title: str
    year: int
    big_idea: str
    lessons: list[_LessonEntry]


def _unit_entry(root: Path, unit: Unit) -> _UnitEntry:
    lessons = [
        _LessonEntry(
            lesson.title, lesson.objective, _relative(root, lesson.file) or lesson.file.name, lesson.file.is_file()
        )
        for lesson in unit.lessons
    ]
    return _UnitEntry(unit.slug, unit.title, unit.year, unit.big_idea, lessons)


@dataclass
class _BrokenUnit:
    slug: str
    message: str


def _broken_unit(root: Path, error: UnitError) -> _BrokenUnit:
    """A broken unit.toml as the home page says it: the file (from the root), the line, the problem and the fix."""
    where = _relative(root, error.file) or str(error.file)
    if error.line:
        where = f"{where}:{error.line}"
    return _BrokenUnit(error.file.parent.name, f"{where}: {error.problem}. Fix: {error.fix}")


def render_page(name: str, *, theme: str = "light", urls: _Urls | None = None, **context: Any) -> str:
    """One of lessons/web's pages as HTML, its stylesheet inline; every value in it escaped as text."""
    css = (WEB / "mastery.css").read_text(encoding="utf-8")
    return _pages.get_template(name).render(css=css, theme=theme, urls=urls or _Urls(), **context)


def _home_context(root: Path) -> dict[str, Any]:
    units, errors = read_curriculum(root)
    entries = [_unit_entry(root, unit) for unit in units] + [_broken_unit(root, error) for error in errors]
    toolbox = sorted((root / TOOLBOX).glob("*.ipynb")) if (root / TOOLBOX).is_dir() else []
    return {
        "units": [entry for entry in entries if isinstance(entry, _UnitEntry)],
        "entries": sorted(entries, key=lambda entry: entry.slug),  # folder order, broken units in their place
        "has_units_folder": (root / UNITS).is_dir(),
        "toolbox": [(_file_title(path), _relative(root, path)) for path in toolbox],
    }


def render_home(root: Path, *, urls: _Urls | None = None, token: str | None = None, theme: str = "light") -> str:
    """The home page for the curriculum under root (with lesson-plan links when given the token)."""
    return render_page("home.html.j2", theme=theme, urls=urls, **_home_context(root), token=token, wrong_token=False)


class _Page(JupyterHandler):
    """A page of the kit: Jupyter's auth and headers, our own templates, text always escaped."""

    def initialize(
        self,
        root_dir: str,
        lesson_prefix: str = "/voila/render/",
        lab_tree: str = DEFAULT_LAB_URL + "/lab/tree/",
        teacher_token: str = "",
        home_url: str = "/",
        plan_prefix: str = "/mastery/plan/",
        theme: str = "light",
        pictures: PlanPictures | None = None,
    ) -> None:
        self.root = Path(root_dir).resolve()
        self.urls = _Urls(lesson_prefix=lesson_prefix, home=home_url, plan_prefix=plan_prefix, lab_tree=lab_tree)
        self.teacher_token = teacher_token
        self.default_theme = theme if theme in THEMES else "light"
        self.pictures = pictures

    def page_theme(self) -> str:
        wanted = self.get_query_argument("theme", "")
        return wanted if wanted in THEMES else self.default_theme

    def is_teacher(self) -> bool:
        """The request carries the teacher's token (compared in constant time)."""
        given = self.get_query_argument("token", "")
        return bool(self.teacher_token) and hmac.compare_digest(given.encode(), self.teacher_token.encode())

    def page(self, name: str, status: int = 200, **context: Any) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "text/html; charset=UTF-8")
        self.set_header("Cache-Control", "no-store")
        self.set_header("Referrer-Policy", "no-referrer")  # the token must not travel in a Referer header
        self.finish(render_page(name, theme=self.page_theme(), urls=self.urls, **context))


class HomeHandler(_Page):
    """The curriculum index: every unit and its lessons, the free boards; plan links for the teacher."""

    @web.authenticated
    def get(self) -> None:
        teacher = self.is_teacher()
        self.page(
            "home.html.j2",
            **_home_context(self.root),
            token=self.teacher_token if teacher else None,
            wrong_token=bool(self.get_query_argument("token", "")) and not teacher,
        )


class PlanHandler(_Page):
    """The whole lesson, teacher-only cells boxed, for the teacher's screen or paper; needs the token."""

    @web.authenticated
    async def get(self, relpath: str) -> None:
        if not self.is_teacher():
            self.page("forbidden.html.j2", status=403)
            return
        path = (self.root / relpath).resolve()
        inside = _relative(self.root, path)
        if (
            inside is None
            or path.suffix != ".ipynb"
            or any(part.startswith(".") for part in Path(inside).parts)
            or not path.is_file()
        ):
            self.page("missing.html.j2", status=404, relpath=relpath, token=self.teacher_token)
            return
        try:
            notebook = nbformat.read(path, as_version=4)
        except Exception as error:
            self.log.warning("Cannot read %s for its plan: %s", path, error)
            self.page("missing.html.j2", status=404, relpath=inside, token=self.teacher_token, unreadable=True)
            return
        note = ""
        if self.pictures is not None:
            try:
                notebook = await self.pictures.run(path, notebook)
            except Exception as error:  # the words still make a plan
                self.log.warning("Could not run %s for its plan's pictures: %s", path, error)
                note = "The boards could not be drawn for this plan; the words are all here."
        found = find_lesson(self.root, path)
        self.page(
            "plan.html.j2",
            title=lesson_metadata(self.root, inside, notebook, self.urls)["title"],
            unit=found[0] if found else None,
            objective=found[1].objective if found else "",
            relpath=inside,
            sections=plan_sections(notebook, path.parent),
            note=note,
            token=self.teacher_token,
        )


def page_handlers(
    base_url: str,
    root_dir: str,
    *,
    lesson_prefix: str,
    lab_tree: str = DEFAULT_LAB_URL + "/lab/tree/",
    teacher_token: str = "",
    theme: str = "light",
    pictures: PlanPictures | None = None,
) -> list[tuple]:
    """The home page and the plan view, as tornado routes under base_url (for Voila or a Jupyter Server)."""
    plan_prefix = url_path_join(base_url, "mastery/plan/")
    options = {
        "root_dir": root_dir,
        "lesson_prefix": lesson_prefix,
        "lab_tree": lab_tree,
        "teacher_token": teacher_token,
        "home_url": url_path_join(base_url, "/"),
        "plan_prefix": plan_prefix,
        "theme": theme,
        "pictures": pictures if pictures is not None else PlanPictures(),
    }
    return [
        (url_path_join(base_url, "/"), HomeHandler, options),
        (url_path_join(base_url, r"/mastery/plan/(.+)"), PlanHandler, options),
    ]


# --- the app -------------------------------------------------------------------------------------------


class Classroom(Voila):
    """Voila serving a curriculum to a classroom: see the module's docstring."""

    description = Unicode("mastery present: the classroom server")
    teacher_token = Unicode(config=True, help="The token that opens lesson plans (made fresh at each start)")
    lab_url = Unicode(DEFAULT_LAB_URL, config=True, help="JupyterLab's address, for the 'open in JupyterLab' links")
    start_path = Unicode("", config=True, help="Where the browser opens, relative to the base URL")
    preheat = Dict(config=True, help="Notebook (relative to the root) -> how many kernels to keep pre-heated")
    cull_minutes = Float(20, config=True, help="Shut down a kernel idle (and not connected) this long; 0: never")

    @default("teacher_token")
    def _default_teacher_token(self) -> str:
        return secrets.token_urlsafe(24)

    def initialize(self, argv: list[str] | None = None) -> None:
        os.environ["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(SHARE), os.environ.get("JUPYTER_PATH")]))
        self.config.VoilaConfiguration.setdefault("template", "classroom")
        self.config.VoilaExecutor.allow_errors = True  # a failing cell leaves the rest of the lesson working
        super().initialize(argv)
        settings = self.voila_configuration
        settings.allow_template_override = "NO"  # a pupil cannot swap the template by query string
        settings.show_tracebacks = False
        settings.file_allowlist = FILE_ALLOWLIST
        settings.file_denylist = FILE_DENYLIST
        if self.preheat:
            # Only the notebooks named get kernels; "default" 0 keeps every other notebook cold.
            settings.preheat_kernel = True
            settings.default_pool_size = 0
            pools = {"default": {"pool_size": 0}}
            pools.update({path: {"pool_size": int(size)} for path, size in self.preheat.items()})
            self.config.VoilaKernelManager.kernel_pools_config = pools
        if self.cull_minutes > 0:
            seconds = max(1, round(self.cull_minutes * 60))
            self.config.MappingKernelManager.cull_idle_timeout = seconds
            self.config.MappingKernelManager.cull_interval = max(1, min(60, seconds // 2))

    def init_settings(self) -> dict:
        settings = super().init_settings()
        # Replace Voila's plain file manager before any kernel is pre-heated (that waits for the loop).
        self.contents_manager = PupilContentsManager(
            parent=self,
            root_dir=self.root_dir,
            lesson_prefix=url_path_join(self.base_url, "voila/render/"),
            home_url=url_path_join(self.base_url, "/"),
        )
        settings["contents_manager"] = self.contents_manager
        if self.voila_configuration.preheat_kernel:
            PoolRefills(self.kernel_manager, self.log)
        return settings

    def init_handlers(self) -> list:
        handlers = []
        for route in super().init_handlers():
            if route[1] is VoilaKernelWebsocketHandler:
                route = (route[0], NodelayKernelWebsocketHandler, *route[2:])
            if route[1] is TornadoVoilaHandler:
                route = (route[0], LessonHandler, *route[2:])
            if route[1] is FileFindHandler and route[0].endswith("/voila/labextensions/(.*)"):
                route = (route[0], CachedLabextensionHandler, *route[2:])
            if route[1] is TornadoVoilaTreeHandler:
                if route[0] != self.server_url:  # Voila's file tree asks a CDN for a font; the home page lists lessons
                    handlers.append((route[0], web.ErrorHandler, {"status_code": 404}))
                continue  # the home page takes "/"
            handlers.append(route)
        pages = page_handlers(
            self.server_url,
            self.root_dir,
            lesson_prefix=url_path_join(self.base_url, "voila/render/"),
            lab_tree=url_path_join(self.lab_url, "lab/tree/"),
            teacher_token=self.teacher_token,
            theme=self.voila_configuration.theme,
        )
        return guards.install(self, pages + handlers, lesson=LessonHandler, socket=NodelayKernelWebsocketHandler)

    def start(self) -> None:
        # Runs once the loop starts, after listen() has bound the port (Voila may have moved it).
        tornado.ioloop.IOLoop.current().add_callback(self._announce)
        super().start()

    def address(self, host: str | None = None) -> str:
        return f"http://{host or self._host()}:{self.port}{self.base_url}"

    def _host(self) -> str:
        if self.ip not in ("", "0.0.0.0", "::"):
            return self.ip
        try:  # the address other computers on the network reach us at (no packet is sent)
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
                probe.connect(("10.255.255.255", 1))
                return probe.getsockname()[0]
        except OSError:
            return socket.gethostname()

    def plan_address(self) -> str:
        start = self.start_path.split("#")[0]
        voila_render = "voila/render/"
        if start.startswith(voila_render):
            return self.address() + f"mastery/plan/{start[len(voila_render) :]}?token={self.teacher_token}"
        return self.address() + f"?token={self.teacher_token}"

    def _announce(self) -> None:
        print(f"mastery: the classroom is at      {self.address()}{self.start_path}", flush=True)
        print(f"mastery: lesson plans (teacher):  {self.plan_address()}", flush=True)
        print("mastery: keep the lesson-plan address to yourself. Ctrl+C stops the server.", flush=True)

    def launch_browser(self) -> None:
        url = self.address(None if self.ip not in ("", "0.0.0.0", "::") else "127.0.0.1") + self.start_path
        try:
            browser = webbrowser.get(self.browser or None)
        except webbrowser.Error as error:
            self.log.warning("No web browser found: %s.", error)
            return
        threading.Thread(
            target=browser.open, args=(url,), kwargs={"new": self.webbrowser_open_new}, daemon=True
        ).start()


# --- what `mastery present PATH` serves ------------------------------------------------------------------


class PresentError(ValueError):
    """A PATH that `present` cannot show; the message is one line for the teacher."""


@dataclass
class Presentation:
    root: Path  # the folder that holds units/
    start_path: str  # where the browser opens, relative to the server's base URL
    preheat: dict[str, int]  # notebook (relative to root) -> pool size


def find_root(path: Path, cwd: Path) -> Path:
    """The folder holding units/, walking up from path; else cwd (or path's own folder when outside cwd)."""
    start = path if path.is_dir() else path.parent
    for folder in (start, *start.parents):
        if (folder / UNITS).is_dir():
            return folder
    if _relative(cwd, path) is not None:
        return cwd.resolve()
    return start.resolve()


def plan_presentation(
    path: str | Path | None, cwd: Path, pool: int = 1, preheat: list[str] | None = None
) -> Presentation:
    """What to serve for PATH: the root, where to open, and which lessons get pre-heated kernels."""
    target = (cwd / path).resolve() if path is not None else cwd.resolve()
    if not target.exists():
        raise PresentError(
            f"there is no lesson or folder at {path}; give a lesson's .ipynb file, a unit folder or the kit's folder."
        )
    if target.is_file() and target.suffix != ".ipynb":
        raise PresentError(f"{path} is not a lesson; give a lesson's .ipynb file, a unit folder or the kit's folder.")
    root = find_root(target, cwd)
    relpath = _relative(root, target) or ""
    pools: dict[str, int] = {}
    if target.is_file():
        start = url_path_join("voila/render", url_escape(relpath)).lstrip("/")
        if pool > 0:
            pools[relpath] = pool
    elif target.parent.resolve() == (root / UNITS).resolve() and (target / UNIT_FILE).is_file():
        start = f"#{target.name}"
        units, _ = read_curriculum(root)
        for unit in units:
            if unit.folder.resolve() == target:
                pools.update({_relative(root, lesson.file): 1 for lesson in unit.lessons if lesson.file.is_file()})
    elif relpath == TOOLBOX:
        start = "#toolbox"
    else:
        start = ""
    for extra in preheat or []:
        lesson = (cwd / extra).resolve()
        inside = _relative(root, lesson)
        if inside is None or lesson.suffix != ".ipynb" or not lesson.is_file():
            raise PresentError(f"--preheat {extra}: there is no lesson notebook there inside {root}.")
        pools[inside] = max(pool, 1)
    return Presentation(root=root, start_path=start, preheat=pools)
