"""The kit's own pages: the curriculum's home page and the teacher's lesson plan.

`HomeHandler` and `PlanHandler` take everything they need as arguments (`page_handlers`), so the
classroom server and a plain Jupyter Server (Binder) mount the same pages. Every value in a page is
escaped as text; a lesson's own markdown goes through `lessons.markup`.
"""

from __future__ import annotations

import asyncio
import copy
import hmac
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
import nbformat
from jupyter_server.base.handlers import JupyterHandler
from tornado import web

from lessons.curriculum import TERMS, UNITS, Curriculum, Snapshot, Unit, UnitError, relative
from lessons.format import is_revealed, lesson_sections, text
from lessons.links import DEFAULT_LAB_URL, Urls, lesson_metadata, url_join
from lessons.markup import markdown_html, output_html

WEB = Path(__file__).parent / "web"  # the home and plan pages
THEMES = ("light", "dark")


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
    """The lesson in order, in the format's sections (teacher-only ones too, by the one rule), as HTML."""
    cells = notebook.get("cells", [])
    found: list[_PlanSection] = []
    for part in lesson_sections(cells):
        heading = part["heading"] or "Untagged"
        section = _PlanSection(part["role"], heading, part["teacher"])
        for cell in (cells[index] for index in part["cells"]):
            reveal = is_revealed(cell)
            if cell.get("cell_type") == "markdown":
                shown = markdown_html(text(cell), folder, cell.get("attachments"))
                section.cells.append(_PlanCell(shown, reveal, False))
            elif cell.get("cell_type") == "code":
                shown = "".join(output_html(output) for output in cell.get("outputs", []))
                if shown:
                    section.cells.append(_PlanCell(shown, reveal, True))
        if section.cells or section.teacher:
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
    term: str | None = None
    weeks: int | None = None
    builds_on: list[tuple[str, str | None]] = field(default_factory=list)  # (title or folder, anchor if a unit)
    steps: list[str] = field(default_factory=list)  # the unit's objectives: its small steps, while unwritten


def _unit_entry(curriculum: Snapshot, unit: Unit, titles: dict[str, str]) -> _UnitEntry:
    lessons = []
    for lesson in unit.lessons:
        relpath = relative(curriculum.root, lesson.file) or lesson.file.name
        lessons.append(_LessonEntry(lesson.title, lesson.objective, relpath, curriculum.exists.get(relpath, False)))
    builds_on = [(titles[slug], slug) if slug in titles else (slug, None) for slug in unit.builds_on]
    return _UnitEntry(
        unit.slug,
        unit.title,
        unit.year,
        unit.big_idea,
        lessons,
        unit.term,
        unit.weeks,
        builds_on,
        list(unit.objectives),
    )


@dataclass
class _Term:
    """One half term of the year map: its units in teaching order, and the weeks they take."""

    year: int
    term: str | None
    units: list[_UnitEntry] = field(default_factory=list)

    @property
    def heading(self) -> str:
        return f"Year {self.year} · {self.term}" if self.term else f"Year {self.year}"

    @property
    def column(self) -> int:
        """Its column on the map, counting from 1: the half term's place in the year (no term: after them)."""
        return TERMS.index(self.term) + 1 if self.term else len(TERMS) + 1

    @property
    def weeks(self) -> int:
        return sum(unit.weeks or 0 for unit in self.units)


def year_map(units: list[_UnitEntry]) -> list[_Term]:
    """The units as the year map shows them: by year, then half term in the school year's order.

    Units with no term come after their year's terms, in folder order."""
    terms: dict[tuple[int, str | None], _Term] = {}
    for unit in units:
        terms.setdefault((unit.year, unit.term), _Term(unit.year, unit.term)).units.append(unit)
    return sorted(terms.values(), key=lambda term: (term.year, term.column))


@dataclass
class _BrokenUnit:
    slug: str
    message: str


def _broken_unit(root: Path, error: UnitError) -> _BrokenUnit:
    """A broken unit.toml as the home page says it: the file (from the root), the line, the problem and the fix."""
    where = relative(root, error.file) or str(error.file)
    if error.line:
        where = f"{where}:{error.line}"
    return _BrokenUnit(error.file.parent.name, f"{where}: {error.problem}. Fix: {error.fix}")


def render_page(name: str, *, theme: str = "light", urls: Urls | None = None, **context: Any) -> str:
    """One of lessons/web's pages as HTML, its stylesheet inline; every value in it escaped as text."""
    css = (WEB / "mastery.css").read_text(encoding="utf-8")
    return _pages.get_template(name).render(css=css, theme=theme, urls=urls or Urls(), **context)


def _home_context(curriculum: Snapshot) -> dict[str, Any]:
    root = curriculum.root
    titles = {unit.slug: unit.title for unit in curriculum.units}
    units = [_unit_entry(curriculum, unit, titles) for unit in curriculum.units]
    terms = year_map(units)
    # A broken unit stands in the map's sections at its folder's place: after the unit before it.
    broken = sorted((_broken_unit(root, error) for error in curriculum.errors), key=lambda entry: entry.slug)
    sections: list[tuple[_Term | None, list[_UnitEntry | _BrokenUnit]]] = [(term, list(term.units)) for term in terms]
    for entry in broken:
        before = [(index, unit) for index, (_, part) in enumerate(sections) for unit in part if unit.slug < entry.slug]
        if before:
            index, unit = max(before, key=lambda found: found[1].slug)
            part = sections[index][1]
            part.insert(part.index(unit) + 1, entry)
        elif sections:
            sections[0][1].insert(0, entry)
        else:
            sections.append((None, [entry]))
    return {
        "units": units,
        "terms": terms,
        "mapped": any(term.term for term in terms),  # the year map shows only when units say their terms
        "sections": sections,
        "has_units_folder": (root / UNITS).is_dir(),
        "toolbox": curriculum.toolbox,
    }


def render_home(root: Path, *, urls: Urls | None = None, token: str | None = None, theme: str = "light") -> str:
    """The home page for the curriculum under root (with lesson-plan links when given the token)."""
    context = _home_context(Curriculum(root).current())
    return render_page("home.html.j2", theme=theme, urls=urls, **context, token=token, wrong_token=False)


class _Page(JupyterHandler):
    """A page of the kit: Jupyter's auth and headers, our own templates, text always escaped."""

    def initialize(
        self,
        curriculum: Curriculum,
        lesson_prefix: str = "/voila/render/",
        lab_tree: str = DEFAULT_LAB_URL + "/lab/tree/",
        teacher_token: str = "",
        home_url: str = "/",
        plan_prefix: str = "/mastery/plan/",
        theme: str = "light",
        pictures: PlanPictures | None = None,
    ) -> None:
        self.curriculum = curriculum
        self.root = curriculum.root
        self.urls = Urls(lesson_prefix=lesson_prefix, home=home_url, plan_prefix=plan_prefix, lab_tree=lab_tree)
        self.teacher_token = teacher_token
        self.default_theme = theme if theme in THEMES else "light"
        self.pictures = pictures

    async def fresh(self) -> Snapshot:
        """The curriculum as on disk, its modification times checked (and any re-reading done) off the loop."""
        return await asyncio.to_thread(self.curriculum.refresh)

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
    async def get(self) -> None:
        teacher = self.is_teacher()
        self.page(
            "home.html.j2",
            **_home_context(await self.fresh()),
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
        try:
            path = (self.root / relpath).resolve()
        except (OSError, ValueError):
            path = self.root / ".missing"
        inside = relative(self.root, path)
        if (
            inside is None
            or path.suffix != ".ipynb"
            or any(part.startswith(".") for part in Path(inside).parts)
            or not path.is_file()
        ):
            self.page("missing.html.j2", status=404, relpath=relpath, token=self.teacher_token)
            return
        try:
            notebook = await asyncio.to_thread(nbformat.read, path, as_version=4)
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
        curriculum = await self.fresh()
        place = curriculum.place(inside)
        self.page(
            "plan.html.j2",
            title=lesson_metadata(curriculum, inside, notebook, self.urls)["title"],
            unit=place.unit if place else None,
            objective=place.lesson.objective if place else "",
            relpath=inside,
            sections=plan_sections(notebook, path.parent),
            note=note,
            token=self.teacher_token,
        )


def page_handlers(
    base_url: str,
    curriculum: Curriculum,
    *,
    lesson_prefix: str,
    lab_tree: str = DEFAULT_LAB_URL + "/lab/tree/",
    teacher_token: str = "",
    theme: str = "light",
    pictures: PlanPictures | None = None,
) -> list[tuple]:
    """The home page and the plan view, as tornado routes under base_url (for Voila or a Jupyter Server)."""
    options = {
        "curriculum": curriculum,
        "lesson_prefix": lesson_prefix,
        "lab_tree": lab_tree,
        "teacher_token": teacher_token,
        "home_url": url_join(base_url, "/"),
        "plan_prefix": url_join(base_url, "mastery/plan/"),
        "theme": theme,
        "pictures": pictures if pictures is not None else PlanPictures(),
    }
    return [
        (url_join(base_url, "/"), HomeHandler, options),
        (url_join(base_url, r"/mastery/plan/(.+)"), PlanHandler, options),
    ]
