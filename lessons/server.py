"""The classroom server: Voila serving the curriculum, with a home page and the teacher's lesson plans.

`Classroom` is Voila's app with these changes:

- every notebook reaches Voila as its pupil edition (teacher-only cells gone) with the curriculum's
  title, unit, previous/next lesson and sections in ``metadata["mastery"]`` for the classroom template
  (`PupilContentsManager`);
- a pupil cannot switch template, fetch notebooks or unit.toml files, or see a traceback, and a
  failing cell does not stop the rest of the lesson;
- the kernel websocket turns Nagle's algorithm off, so a widget update is not held back, and the
  browser keeps the widget libraries (labextensions) whose names carry a content hash;
- pre-heated kernels suit a class arriving at once (`lessons.pool.PoolRefills`);
- ``/`` is the curriculum's home page and ``/mastery/plan/<lesson>?token=...`` the whole lesson,
  teacher notes and all, for the teacher who holds the token (`lessons.pages`);
- with `class_lesson`, a class of that lesson: pupils join at ``/class``, their work is recorded and
  given back, and the teacher has a dashboard (`lessons.classroom`).

The curriculum is read once (`Curriculum`), and re-read off the event loop when a file changes.
Each wiring step is its own method (`init_settings` for the contents and kernel managers,
`init_handlers` for the routes), so a guard can wrap a handler class or the kernel manager there.
"""

from __future__ import annotations

import asyncio
import os
import re
import secrets
import socket
import threading
import webbrowser
from pathlib import Path
from typing import Any

import nbformat
import tornado.ioloop
from jupyter_server.base.handlers import FileFindHandler
from jupyter_server.services.contents.largefilemanager import LargeFileManager
from tornado import web
from traitlets import Bool, Dict, Float, Instance, List, Unicode, default
from voila.app import Voila
from voila.static_file_handler import AllowListFileHandler
from voila.tornado.handler import TornadoVoilaHandler
from voila.tornado.kernel_websocket_handler import VoilaKernelWebsocketHandler
from voila.tornado.treehandler import TornadoVoilaTreeHandler

from lessons import guards
from lessons.access import Access
from lessons.classroom import ClassKernelSocket, ClassLesson, ClassSession, class_handlers, lesson_url
from lessons.curriculum import Curriculum
from lessons.format import format_error, lesson_sections, pupil_edition, text
from lessons.links import DEFAULT_LAB_URL, Urls, lesson_metadata, url_join
from lessons.markup import classroom_markdown
from lessons.pages import page_handlers
from lessons.pool import PoolRefills

SHARE = Path(__file__).parent / "share" / "jupyter"  # the classroom template, found through JUPYTER_PATH
# What /voila/files/ may hand out: pictures a lesson shows, never a notebook, unit.toml, code or hidden file.
FILE_ALLOWLIST = [r".*\.(png|jpe?g|gif|svg|webp)"]
FILE_DENYLIST = [r".*\.(ipynb|toml|py|pyc|json|md|txt|cfg|ini|yml|yaml)", r"(.*[/\\])?\..*"]
CURRICULUM_CHECK_SECONDS = 2  # how soon a changed unit.toml or a new lesson shows


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
    curriculum = Instance(Curriculum, allow_none=True, help="The curriculum the app holds (else read from root_dir)")
    access = Instance(Access, allow_none=True, help="What may be handed out (else the curriculum and the toolbox)")
    class_lesson = Unicode("", config=True, help="The lesson a class is taking (relative to the root), if any")
    class_socket = Unicode("", config=True, help="The class's websocket, for the class lesson's pages")

    def _curriculum(self) -> Curriculum:
        if self.curriculum is None:
            self.curriculum = Curriculum(Path(self.root_dir))
        return self.curriculum

    def _access(self) -> Access:
        if self.access is None:
            self.access = Access(self._curriculum())
        return self.access

    def file_exists(self, path: str = "") -> bool:
        # Voila's markdown renderer asks this before inlining a picture: only those a pupil cell shows.
        return self._access().is_file(path) and super().file_exists(path)

    def dir_exists(self, path: str = "") -> bool:
        return self._access().is_folder(path) and super().dir_exists(path)

    def get(self, path: str, content: bool = True, type: str | None = None, format: str | None = None, **kwargs):
        access, path = self._access(), path.strip("/")
        if not access.allows(path):
            raise web.HTTPError(404, "There is no lesson here.")
        if content and type in (None, "directory") and access.is_folder(path) and self.dir_exists(path):
            # A folder lists only what is served in it (Jupyter's own listing would name every file).
            model = super().get(path, content=False, type="directory")
            names = sorted(os.listdir(self._get_os_path(path)))
            children = [f"{path}/{name}".lstrip("/") for name in names]
            listed = LargeFileManager.get  # a comprehension has no super() of its own
            model["content"] = [listed(self, child, content=False) for child in children if access.allows(child)]
            model["format"] = "json"
            return model
        try:
            model = super().get(path, content=content, type=type, format=format, **kwargs)
        except web.HTTPError as error:
            # Jupyter's message for an unreadable notebook names its absolute path and quotes its first bytes.
            if error.status_code == 400 or str(Path(self.root_dir).resolve()) in str(error.log_message):
                raise web.HTTPError(error.status_code, "This file cannot be opened.") from None
            raise
        if model.get("type") == "notebook" and model.get("content") is not None:
            if format_error(model["content"]):  # Voila would stop part-way through such a page and never end it
                raise web.HTTPError(  # the reason is what the page shows
                    500,
                    "%s breaks the notebook format: `mastery check` on it says where",
                    model["path"],
                    reason="This lesson cannot be shown: its file breaks the notebook format (see mastery check)",
                )
            notebook = nbformat.from_dict(pupil_edition(model["content"]))
            urls = Urls(lesson_prefix=self.lesson_prefix, home=self.home_url)
            # From memory: the app re-reads the curriculum off the loop when a file changes.
            mastery = lesson_metadata(self._curriculum().current(), model["path"], notebook, urls)
            folder = Path(self._get_os_path(model["path"])).parent
            for cell in notebook.cells:
                if cell.cell_type == "markdown":  # sanitised here, before any template sees it
                    cell.source = classroom_markdown(text(cell), folder, cell.get("attachments"))
            # The format's sections and headings, so the template keeps no copy of the rule.
            mastery["sections"] = lesson_sections(notebook.cells)
            if self.class_lesson and model["path"].strip("/") == self.class_lesson:
                mastery["class"] = {"socket": self.class_socket}  # the page follows the class's pacing
            notebook.metadata["mastery"] = mastery
            model["content"] = notebook
        return model

    def save(self, model: dict, path: str = "") -> dict:
        # What this manager hands out is an edition; saving it would lose the teacher's notes.
        raise web.HTTPError(405, "The classroom server does not save notebooks.")


class LessonFileHandler(AllowListFileHandler):
    """Voila's file route (pictures only, by name), further kept to the pictures a served lesson's pupil cells show."""

    def initialize(self, access: Access, **kwargs: Any) -> None:
        self.access = access
        super().initialize(**kwargs)

    async def get(self, path: str, include_body: bool = True) -> None:
        if not await asyncio.to_thread(self.access.is_file, path):
            raise web.HTTPError(404, "There is no picture of a lesson here.")
        await super().get(path, include_body)


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


# --- the app -------------------------------------------------------------------------------------------


class Classroom(Voila):
    """Voila serving a curriculum to a classroom: see the module's docstring."""

    description = Unicode("mastery present: the classroom server")
    teacher_token = Unicode(config=True, help="The token that opens lesson plans (made fresh at each start)")
    lab_url = Unicode(DEFAULT_LAB_URL, config=True, help="JupyterLab's address, for the 'open in JupyterLab' links")
    start_path = Unicode("", config=True, help="Where the browser opens, relative to the base URL")
    preheat = Dict(config=True, help="Notebook (relative to the root) -> how many kernels to keep pre-heated")
    cull_minutes = Float(20, config=True, help="Shut down a kernel idle (and not connected) this long; 0: never")
    also = List(Unicode(), config=True, help="Notebooks or folders (relative to the root) served beside the curriculum")
    class_lesson = Unicode(
        "", config=True, help="Run a class of this lesson (relative to the root): see lessons.classroom"
    )
    class_db = Unicode(None, allow_none=True, config=True, help="The class's database URL (default: the SQLite file)")
    class_resume = Bool(False, config=True, help="Take up the lesson's newest open class again, not a new one")
    class_session = Instance(ClassSession, allow_none=True)

    @default("teacher_token")
    def _default_teacher_token(self) -> str:
        return secrets.token_urlsafe(24)

    def initialize(self, argv: list[str] | None = None) -> None:
        os.environ["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(SHARE), os.environ.get("JUPYTER_PATH")]))
        if self.class_lesson:
            os.environ["MASTERY_CLASS"] = "1"  # every kernel a pupil's until the server says otherwise
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
        self.curriculum = Curriculum(Path(self.root_dir), on_read=self._said_read)
        self.curriculum.refresh()  # the first reading, before the loop serves anyone
        self.access = Access(self.curriculum, [*self.also, *self.preheat])
        # Replace Voila's plain file manager before any kernel is pre-heated (that waits for the loop).
        self.contents_manager = PupilContentsManager(
            parent=self,
            root_dir=self.root_dir,
            lesson_prefix=url_join(self.base_url, "voila/render/"),
            home_url=url_join(self.base_url, "/"),
            curriculum=self.curriculum,
            access=self.access,
            class_lesson=self.class_lesson,
            class_socket=url_join(self.base_url, "mastery/class/socket"),
        )
        if self.class_lesson:
            title = self.curriculum.current().place(self.class_lesson)
            title = title.lesson.title if title else Path(self.class_lesson).stem.replace("_", " ")
            if self.class_resume:
                self.class_session = ClassSession.resume(self.class_db, self.class_lesson, self.teacher_token, self.log)
            else:
                self.class_session = ClassSession.open(
                    self.class_db, self.class_lesson, title, self.teacher_token, self.log
                )
        settings["contents_manager"] = self.contents_manager
        if self.voila_configuration.preheat_kernel:
            PoolRefills(self.kernel_manager, self.log)
        return settings

    def init_handlers(self) -> list:
        handlers = []
        lesson_handler, socket_handler = LessonHandler, NodelayKernelWebsocketHandler
        if self.class_lesson:  # the class's seats on the lesson page and its kernel's websocket
            lesson_handler = guards.guarded(lesson_handler, ClassLesson)
            socket_handler = guards.guarded(socket_handler, ClassKernelSocket)
        for route in super().init_handlers():
            if route[1] is VoilaKernelWebsocketHandler:
                route = (route[0], socket_handler, *route[2:])
            if route[1] is TornadoVoilaHandler:
                route = (route[0], lesson_handler, *route[2:])
            if route[1] is AllowListFileHandler:
                route = (route[0], LessonFileHandler, {**route[2], "access": self.access})
            if route[1] is FileFindHandler and route[0].endswith("/voila/labextensions/(.*)"):
                route = (route[0], CachedLabextensionHandler, *route[2:])
            if route[1] is TornadoVoilaTreeHandler:
                if route[0] != self.server_url:  # Voila's file tree asks a CDN for a font; the home page lists lessons
                    handlers.append((route[0], web.ErrorHandler, {"status_code": 404}))
                continue  # the home page takes "/"
            handlers.append(route)
        pages = page_handlers(
            self.server_url,
            self.curriculum,
            lesson_prefix=url_join(self.base_url, "voila/render/"),
            lab_tree=url_join(self.lab_url, "lab/tree/"),
            teacher_token=self.teacher_token,
            theme=self.voila_configuration.theme,
        )
        session = self.class_session
        if session is not None:
            self.app.settings.update(mastery_class=session, mastery_join_url=url_join(self.base_url, "class"))
            pages += class_handlers(self.base_url, session, lesson_url(self.base_url, self.class_lesson))
        return guards.install(self, pages + handlers, lesson=lesson_handler, socket=socket_handler)

    def start(self) -> None:
        loop = tornado.ioloop.IOLoop.current()
        # Runs once the loop starts, after listen() has bound the port (Voila may have moved it).
        loop.add_callback(self._announce)
        # A few modification times every couple of seconds, in a worker thread; a changed file is re-read there.
        watch = tornado.ioloop.PeriodicCallback(
            lambda: loop.run_in_executor(None, self.curriculum.refresh), CURRICULUM_CHECK_SECONDS * 1000
        )
        watch.start()
        try:
            super().start()
        finally:
            if self.class_session is not None:
                self.class_session.close()

    def _said_read(self, curriculum: Any) -> None:
        lessons = sum(len(unit.lessons) for unit in curriculum.units)
        self.log.info(
            "mastery: read the curriculum: %s units, %s lessons, %s unit(s) that cannot be read",
            len(curriculum.units),
            lessons,
            len(curriculum.errors),
        )

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
        if self.class_session is not None:
            session, token = self.class_session, self.teacher_token
            session.join_url = self.address() + "class"  # the port is bound by now
            session.root = Path(self.root_dir)
            # The study kernel runs the lesson's plan beside the class (Voila's start made the session).
            tornado.ioloop.IOLoop.current().add_callback(session.start_study, Path(self.root_dir) / self.class_lesson)
            # A kernel gone (culled, crashed) stops being listened to; its pupil's records are already kept.
            self._alive = tornado.ioloop.PeriodicCallback(
                lambda: session.forget_gone(set(self.kernel_manager.list_kernel_ids())), 5000
            )
            self._alive.start()
            said = [
                f"pupils join at            {session.join_url}  code {session.record.code}",
                f"the whiteboard (teacher): {self.address()}{self.start_path}?token={token}",
                f"dashboard (teacher):      {self.address()}mastery/class/dashboard?token={token}",
                f"observer (colleagues):    {self.address()}mastery/class/observe?token={session.observer_token}",
                f"the class's records:      {session.store!r} (class {session.record.id})",
            ]
            if self.class_resume:
                said.append(f"taken up again: class {session.record.id}, opened {session.record.opened:%d %b %H:%M}")
            else:
                said.append("if the server stops, the same command with --resume takes this class up again")
            for line in said:
                print(f"mastery: {line}", flush=True)
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
