"""`mastery check`: is this lesson, unit or curriculum ready to teach?

Every problem names the file, the cell (its index and first line) or the TOML line, and the fix.
Broken input is reported, never raised: the checker is for authors, not for Python programmers.
"""

from __future__ import annotations

import asyncio
import json
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lessons import format as fmt
from lessons.curriculum import UNIT_FILE, Unit, UnitError, builds_on_errors, read_unit, unit_folders

ANTICIPATED_ERROR = "NotRecognised"  # widgets.study's error: named, not imported (check never imports the widgets)
CELL_TIMEOUT = 120  # seconds a lesson cell may run in the checker's kernel
# Every pupil's browser receives the whole lesson and every output: beyond these a class waits, or a tablet gives up.
NOTEBOOK_LIMIT = 10_000_000  # bytes of a lesson's file
OUTPUT_LIMIT = 2_000_000  # bytes one cell's outputs may hold
KNOWN_TAGS = {*fmt.ROLES, fmt.REVEAL}
# A cell that opens like this is teacher material, whatever its tags say.
_TEACHER_OPENING = re.compile(
    r"^\W*(teacher|notes? for (the )?teacher|(common )?misconceptions?|anticipated( pupil)? responses?)\b", re.I
)
_HEADING = re.compile(r"^#\s+(.+?)\s*#*\s*$", re.M)
_WIDGET_NAME = re.compile(r"""\bname\s*=\s*(["'])([^"'\n]+)\1""")  # name="..." given to a widget
_LATEX = re.compile(r"\$[^$\n]+\$")  # the classroom app runs offline, without MathJax
_CODE = re.compile(r"```.*?```|~~~.*?~~~|`[^`\n]*`", re.S)  # code shown as code: neither HTML nor a link
_RAW_HTML = re.compile(r"</?[a-zA-Z][a-zA-Z0-9-]*(\s[^<>]*)?/?>")
_REMOTE_PICTURE = re.compile(r"!\[[^\]]*\]\(\s*<?((?:[a-zA-Z][a-zA-Z0-9+.-]*:)?//[^)\s>]+)")
_REMOTE_LINK = re.compile(r"(?<!!)\[[^\]]*\]\(\s*<?((?:https?:)?//[^)\s>]+)|<(https?://[^>\s]+)>")


@dataclass(frozen=True)
class Problem:
    file: Path
    where: str  # "cell 4 (\"## Teacher notes\")", "line 7", or ""
    message: str
    fix: str

    def __str__(self) -> str:
        where = f", {self.where}" if self.where else ""
        return f"{self.file}{where}: {self.message}. Fix: {self.fix}"


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.0f} MB" if size >= 1_000_000 else f"{size / 1_000:.0f} kB"


def _output_size(cell: Any) -> int:
    """The bytes a cell's outputs take in the notebook, as they travel to the browser."""
    outputs = cell.get("outputs", []) if isinstance(cell, dict) else []
    return len(json.dumps(outputs, ensure_ascii=False).encode("utf-8", "surrogatepass")) if outputs else 0


def _cell_place(index: int, cell: dict[str, Any]) -> str:
    line = fmt.first_line(cell)
    return f'cell {index} ("{line[:60]}{"…" if len(line) > 60 else ""}")'


def _well_formed(cell: Any) -> bool:
    """A cell as nbformat writes it: a type, a metadata table, and its source as text or lines of text."""
    if not isinstance(cell, dict) or "cell_type" not in cell or not isinstance(cell.get("metadata", {}), dict):
        return False
    source = cell.get("source", "")
    return isinstance(source, str) or (isinstance(source, list) and all(isinstance(line, str) for line in source))


def read_notebook(path: Path) -> tuple[dict[str, Any] | None, list[Problem]]:
    """The notebook as a dict, or the problem that stops it being read."""
    try:
        notebook = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None, [
            Problem(path, "", "the lesson file does not exist", "create it with `mastery new`, or fix the name")
        ]
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        return None, [Problem(path, "", f"is not a readable notebook ({error})", "open and save it in JupyterLab")]
    if not isinstance(notebook, dict) or not isinstance(notebook.get("cells"), list):
        return None, [Problem(path, "", "is not a notebook (no list of cells)", "open and save it in JupyterLab")]
    bad = [i for i, c in enumerate(notebook["cells"]) if not _well_formed(c)]
    if bad:
        return None, [Problem(path, f"cell {bad[0]}", "is not a notebook cell", "open and save it in JupyterLab")]
    broken = fmt.format_error(notebook)
    if broken:  # Jupyter and the classroom refuse such a file: nothing else about it matters yet
        cell, message = broken
        fix = (
            "give the cell an id of 1 to 64 letters, digits, - or _, unique in the lesson"
            if "'id'" in message or "same id" in message
            else "open and save it in JupyterLab"
        )
        return None, [Problem(path, "" if cell is None else f"cell {cell}", message, fix)]
    return notebook, []


def check_structure(path: Path, notebook: dict[str, Any], title: str | None = None) -> list[Problem]:
    """Tags, roles, teacher-only material and saved outputs: everything but running it."""
    problems: list[Problem] = []
    cells: list[dict[str, Any]] = notebook["cells"]
    roles = ", ".join(fmt.ROLES)
    for index, cell in enumerate(cells):
        place = _cell_place(index, cell)
        tags = fmt.tags(cell)
        unknown = [tag for tag in tags if fmt.canonical(tag) not in KNOWN_TAGS]
        if unknown and fmt.is_teacher_tag(unknown[0]):
            problems.append(
                Problem(
                    path,
                    place,
                    f"has unknown tag {unknown[0]!r} (kept from pupils, as it looks like teacher material)",
                    f"use one of: {', '.join(fmt.TEACHER_ROLES)}",
                )
            )
        elif unknown:
            problems.append(Problem(path, place, f"has unknown tag {unknown[0]!r}", f"use one of: {roles}, reveal"))
        for tag in tags:
            if tag not in unknown and tag != fmt.canonical(tag):
                problems.append(
                    Problem(path, place, f"writes the tag {tag!r} its own way", f"write it {fmt.canonical(tag)}")
                )
        cell_roles = [fmt.canonical(tag) for tag in tags if fmt.canonical(tag) in fmt.ROLES]
        if not cell_roles and not unknown:
            problems.append(Problem(path, place, "has no role tag", f"add one of these tags: {roles}"))
        elif len(cell_roles) > 1:
            problems.append(
                Problem(path, place, f"has two roles ({', '.join(cell_roles)})", "keep one role tag; split the cell")
            )
        if not fmt.is_teacher_only(cell) and _TEACHER_OPENING.match(fmt.first_line(cell).lstrip("#* ")):
            problems.append(
                Problem(
                    path,
                    place,
                    "looks like teacher material but pupils would see it",
                    "tag it teacher-notes, teacher-misconceptions or teacher-anticipated",
                )
            )
        if cell.get("cell_type") == "markdown" and _LATEX.search(fmt.text(cell)):
            problems.append(
                Problem(
                    path,
                    place,
                    f"uses LaTeX ({_LATEX.search(fmt.text(cell)).group()[:30]}), which the classroom shows as typed",
                    "write the maths in plain text: x², 3 × 4, −2, ½ (see AUTHORING.md)",
                )
            )
        if cell.get("cell_type") == "code" and _output_size(cell) > OUTPUT_LIMIT:
            problems.append(
                Problem(
                    path,
                    place,
                    f"has {_megabytes(_output_size(cell))} of saved output, sent to every pupil's browser",
                    "clear its outputs and save (Edit > Clear Outputs of All Cells in JupyterLab)",
                )
            )
        problems += [Problem(path, place, what, fix) for what, fix in fmt.variation_problems(cell)]
        if cell.get("cell_type") == "markdown":
            problems += _author_markup(path, place, fmt.text(cell), teacher=fmt.is_teacher_only(cell))
        for output in cell.get("outputs", []) if cell.get("cell_type") == "code" else []:
            if isinstance(output, dict) and output.get("output_type") == "error":
                problems.append(
                    Problem(path, place, "has a saved error output", "fix the cell, then clear outputs and save")
                )
                break
    named: dict[str, int] = {}
    for index, cell in enumerate(cells):
        for match in _WIDGET_NAME.finditer(fmt.text(cell)) if cell.get("cell_type") == "code" else ():
            name = match.group(2)
            if name in named:
                problems.append(
                    Problem(
                        path,
                        _cell_place(index, cell),
                        f"gives the name {name!r} again (cell {named[name]} has it): "
                        "two boards of one name share their saved work",
                        "give each widget in the lesson its own name",
                    )
                )
            named.setdefault(name, index)
    present = {fmt.role(cell) for cell in cells}
    for role in fmt.REQUIRED_ROLES:
        if role not in present:
            problems.append(
                Problem(path, "", f"has no {fmt.ROLES[role]!r} cell", f"add a cell tagged {role} (see the template)")
            )
    objective = next((cell for cell in cells if fmt.role(cell) == "objective"), None)
    if objective is not None and title is not None:
        heading = _HEADING.search(fmt.text(objective))
        if heading is None or heading.group(1).strip() != title:
            found = repr(heading.group(1).strip()) if heading else "no '# ' heading"
            problems.append(
                Problem(
                    path,
                    _cell_place(cells.index(objective), objective),
                    f"the objective cell's title is {found}, but unit.toml calls the lesson {title!r}",
                    f"start the cell with '# {title}', or change the title in {UNIT_FILE}",
                )
            )
    return problems


def _author_markup(path: Path, place: str, source: str, teacher: bool) -> list[Problem]:
    """Raw HTML and other computers' addresses in a markdown cell: lessons are shared, and the classroom is offline."""
    prose = _CODE.sub("", source)
    problems = []
    tag = _RAW_HTML.search(prose)
    if tag:
        problems.append(
            Problem(
                path,
                place,
                f"uses raw HTML ({tag.group()[:40]}), which the classroom strips out",
                "write it in markdown: **bold**, *italic*, lists, ![a picture](picture.png)",
            )
        )
    picture = _REMOTE_PICTURE.search(prose)
    if picture:
        problems.append(
            Problem(
                path,
                place,
                f"shows a picture from another computer ({picture.group(1)[:60]}), which an offline classroom "
                "cannot load",
                "save the picture beside the lesson and write ![what it shows](picture.png)",
            )
        )
    link = None if teacher else _REMOTE_LINK.search(prose)  # a teacher may link to a resource
    if link:
        problems.append(
            Problem(
                path,
                place,
                f"links to another computer ({(link.group(1) or link.group(2))[:60]}), which an offline classroom "
                "cannot reach",
                "put what pupils need in the lesson itself, or move the link to a teacher-notes cell",
            )
        )
    return problems


async def _run(path: Path, notebook: dict[str, Any]) -> list[Problem]:
    """Run the lesson top to bottom in a real kernel; every cell that raises is a problem."""
    import nbformat  # the kernel machinery is imported only when a lesson is run
    from nbclient import NotebookClient

    node = nbformat.reads(json.dumps(notebook), as_version=4)
    for cell in node.cells:
        if cell.cell_type == "code":
            cell.outputs = []
    client = NotebookClient(
        node,
        kernel_name="python3",
        timeout=CELL_TIMEOUT,
        allow_errors=True,
        resources={"metadata": {"path": str(path.parent)}},
    )
    try:
        await client.async_execute(stderr=subprocess.DEVNULL)  # the kernel's own start-up chatter is not the author's
    except Exception as error:  # the kernel died or would not start: say so, never raise
        return [Problem(path, "", f"could not be run ({type(error).__name__}: {error})", "run it in JupyterLab")]
    problems = []
    for index, cell in enumerate(node.cells):
        if cell.cell_type == "code" and _output_size(cell) > OUTPUT_LIMIT:
            problems.append(
                Problem(
                    path,
                    _cell_place(index, cell),
                    f"prints {_megabytes(_output_size(cell))} when it runs, sent to every pupil's browser",
                    "print a summary instead, or show a board",
                )
            )
        for output in cell.get("outputs", []) if cell.cell_type == "code" else []:
            if output.get("output_type") == "error" and output.get("ename") == ANTICIPATED_ERROR:
                # an anticipated response whose test fails its own sample: the error says what is wrong and the fix
                wrong, _, fix = str(output.get("evalue", "")).partition(" Fix: ")
                message = wrong[:1].lower() + wrong[1:].rstrip(".")  # "the test of 'Adds zero pairs' does not ..."
                problems.append(Problem(path, _cell_place(index, cell), message, fix.rstrip(".") or "fix the test"))
            elif output.get("output_type") == "error":
                message = f"raises {output.get('ename', 'an error')}: {output.get('evalue', '')}".rstrip(": ")
                problems.append(Problem(path, _cell_place(index, cell), message, "fix the cell so Run All is clean"))
    return problems


async def _check_lessons(lessons: list[tuple[Path, str | None]], run: bool, jobs: int) -> list[Problem]:
    slots = asyncio.Semaphore(max(1, jobs))

    async def one(path: Path, title: str | None) -> list[Problem]:
        notebook, problems = read_notebook(path)
        if notebook is None:
            return problems
        problems = check_structure(path, notebook, title)
        size = path.stat().st_size
        if size > NOTEBOOK_LIMIT:
            problems.insert(
                0,
                Problem(
                    path,
                    "",
                    f"is {_megabytes(size)}, and every pupil's browser would receive all of it",
                    "clear its outputs, and keep its pictures small (a few hundred kB each)",
                ),
            )
        if run:
            async with slots:
                problems += await _run(path, notebook)
        return problems

    results = await asyncio.gather(*(one(path, title) for path, title in lessons))
    return [problem for found in results for problem in found]


def _unit_problem(error: UnitError) -> Problem:
    return Problem(error.file, f"line {error.line}" if error.line else "", error.problem, error.fix)


def _read_unit(folder: Path) -> tuple[Unit | None, list[Problem]]:
    try:
        return read_unit(folder), []
    except UnitError as error:
        return None, [_unit_problem(error)]


def _not_listed(notebook: Path) -> Problem:
    return Problem(notebook, "", f"is not listed in {UNIT_FILE}", "add a [[lessons]] entry for it, or remove it")


def _listing_problems(unit: Unit) -> list[Problem]:
    """Lessons listed must exist, and notebooks in the folder must be listed."""
    listed = {lesson.file.name for lesson in unit.lessons}
    missing = [
        Problem(
            unit.folder / UNIT_FILE, "", f"lists {lesson.file.name}, which does not exist", "create it or unlist it"
        )
        for lesson in unit.lessons
        if not lesson.file.exists()
    ]
    return missing + [_not_listed(nb) for nb in sorted(unit.folder.glob("*.ipynb")) if nb.name not in listed]


@dataclass
class Report:
    problems: list[Problem]
    lessons: int
    units: int


def check(path: Path, run: bool = True, jobs: int = 2) -> Report:
    """Check a lesson (.ipynb), a unit folder, or (root or units/) the whole curriculum."""
    path = path.resolve()
    problems: list[Problem] = []
    lessons: list[tuple[Path, str | None]] = []
    if path.suffix == ".ipynb":
        title = None
        if (path.parent / UNIT_FILE).exists():  # a lesson of a unit: its unit.toml must read, and list it
            unit, problems = _read_unit(path.parent)
            titles = {lesson.file: lesson.title for lesson in unit.lessons} if unit else {}
            title = titles.get(path)
            if unit and path not in titles:
                problems.append(_not_listed(path))
        lessons.append((path, title))
        units = 0
    else:
        folders = [path] if (path / UNIT_FILE).exists() else unit_folders(path if path.name != "units" else path.parent)
        if not folders:
            problems.append(
                Problem(
                    path, "", "holds no units (folders with a unit.toml)", "give a lesson, a unit folder or the root"
                )
            )
        for folder in folders:
            unit, found = _read_unit(folder)
            problems += found
            if unit:
                problems += _listing_problems(unit) + [_unit_problem(error) for error in builds_on_errors(unit)]
                lessons += [(lesson.file, lesson.title) for lesson in unit.lessons if lesson.file.exists()]
        units = len(folders)
    problems += asyncio.run(_check_lessons(lessons, run, jobs))
    return Report([_relative(p) for p in problems], len(lessons), units)


def _relative(problem: Problem) -> Problem:
    """Paths as the author typed them: relative to where the command runs, when inside it."""
    try:
        return Problem(problem.file.resolve().relative_to(Path.cwd()), problem.where, problem.message, problem.fix)
    except ValueError:
        return problem


def command(path: Path, run: bool = True, jobs: int = 2) -> int:
    """`mastery check`: print every problem (or a short all-clear) and return the exit status."""
    if not path.exists():
        print(f"mastery check: there is nothing at {path}; give a lesson (.ipynb), a unit folder or the root.")
        return 2
    report = check(path, run=run, jobs=jobs)
    for problem in report.problems:
        print(problem)
    lessons = f"{report.lessons} lesson{'s' if report.lessons != 1 else ''}"
    units = f" in {report.units} unit{'s' if report.units != 1 else ''}" if report.units else ""
    ran = "" if run else " (not run: --no-run)"
    if report.problems:
        count = len(report.problems)
        print(f"✗ {count} problem{'s' if count != 1 else ''} in {lessons}{units}{ran}.")
        return 1
    print(f"✓ {lessons}{units} checked: ready to teach{ran}.")
    return 0
