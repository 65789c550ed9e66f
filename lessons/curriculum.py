"""The curriculum: units/ holds one folder per unit, each with a unit.toml and its lessons.

`read_unit` turns a unit.toml into a `Unit`, or raises `UnitError` naming the file, the line
and the fix; a broken unit hides only itself. `Curriculum` is what the server holds: read once,
and again only when a unit.toml or a folder changes, with every lesson found in one look-up.
Nothing here runs a lesson (check.py does) or imports Jupyter: the tooling stays quick to start.
"""

from __future__ import annotations

import json
import re
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

UNIT_FILE = "unit.toml"
UNITS = "units"
TOOLBOX = "notebooks"  # the teacher's free boards, listed on the home page

# A school year's half terms, in order: the year map groups units by these.
TERMS = ("Autumn 1", "Autumn 2", "Spring 1", "Spring 2", "Summer 1", "Summer 2")
MAX_WEEKS = 15

# unit.toml's schema: field -> (what it holds, required, the check).
_TEXT = "text in quotes"
_LIST = 'a list of texts, like ["one", "two"]'
UNIT_FIELDS: dict[str, tuple[str, bool]] = {
    "title": (_TEXT, True),
    "year": ("a year group, a whole number from 1 to 13", True),
    "big_idea": (_TEXT, True),
    "objectives": (_LIST, True),
    "vocabulary": (_LIST, True),
    "prerequisites": (_LIST, True),
    # The year map (optional: a unit without them is listed after the year's terms).
    "term": ("the half term it is taught in: " + ", ".join(f'"{t}"' for t in TERMS), False),
    "weeks": ("the number of teaching weeks, a whole number from 1 to 15", False),
    "builds_on": (
        'a list of earlier units\' folders it builds on, like ["y7-02-algebraic-notation"]',
        False,
    ),
    "lessons": ("[[lessons]] tables, one per lesson, in teaching order (lessons = [] while they are written)", True),
}
LESSON_FIELDS: dict[str, tuple[str, bool]] = {
    "file": ('the lesson\'s notebook in this folder, like "01-zero-pairs.ipynb"', True),
    "title": (_TEXT, True),
    "objective": (_TEXT, True),
}


@dataclass(frozen=True)
class Lesson:
    file: Path  # the notebook
    title: str
    objective: str


@dataclass(frozen=True)
class Unit:
    folder: Path
    title: str
    year: int
    big_idea: str
    objectives: list[str]
    vocabulary: list[str]
    prerequisites: list[str]
    lessons: list[Lesson]
    term: str | None = None  # one of TERMS
    weeks: int | None = None
    builds_on: list[str] = field(default_factory=list)  # earlier units' folder names

    @property
    def slug(self) -> str:
        return self.folder.name


class UnitError(ValueError):
    """A unit.toml that cannot be used, with where and how to fix it."""

    def __init__(self, file: Path, line: int | None, problem: str, fix: str):
        self.file, self.line, self.problem, self.fix = file, line, problem, fix
        where = f"{file}:{line}" if line else str(file)
        super().__init__(f"{where}: {problem}. Fix: {fix}")


def _lines_of(text: str, key: str) -> list[int]:
    """The line of each `key = ...` (or each `[[key]]`), in order: one pass over the text, for messages."""
    pattern = re.compile(rf"^[ \t]*(\[\[\s*{re.escape(key)}\s*\]\]|{re.escape(key)}\s*=)", re.M)
    lines, line, at = [], 1, 0
    for match in pattern.finditer(text):
        line += text.count("\n", at, match.start())
        at = match.start()
        lines.append(line)
    return lines


def _line_of(text: str, key: str, nth: int = 0) -> int | None:
    """The line where `key = ...` (or the nth `[[key]]`) appears, for messages."""
    lines = _lines_of(text, key)
    return lines[nth] if nth < len(lines) else None


def _check_fields(
    table: dict[str, Any], schema: dict[str, tuple[str, bool]], where: str, file: Path, text: str, nth: int = 0
) -> None:
    for key in table:
        if key not in schema:
            raise UnitError(
                file,
                _line_of(text, key, nth),
                f"unknown field {key!r} in {where}",
                f"remove it, or use one of: {', '.join(schema)}",
            )
    for key, (what, required) in schema.items():
        if required and key not in table:
            raise UnitError(file, None, f"{where} has no {key!r}", f"add {key} = ... ({what})")


def _text(value: Any) -> bool:
    return isinstance(value, str) and value.strip() != ""


def read_unit(folder: Path) -> Unit:
    """Read and check units/<folder>/unit.toml; anything wrong with it is a UnitError naming the file and the fix."""
    try:
        return _parse_unit(folder)
    except UnitError:
        raise
    except Exception as error:  # a malformed value no check foresaw: one unit never takes down the rest
        raise UnitError(
            folder / UNIT_FILE, None, f"cannot be read ({type(error).__name__})", "compare it with another unit's"
        ) from None


def _parse_unit(folder: Path) -> Unit:
    file = folder / UNIT_FILE
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UnitError(file, None, "the unit has no unit.toml", "copy one from another unit and edit it") from None
    except (OSError, UnicodeDecodeError) as error:
        raise UnitError(file, None, f"cannot be read ({error})", "save it as UTF-8 text") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        found = re.search(r"line (\d+)", str(error))
        raise UnitError(
            file,
            int(found.group(1)) if found else None,
            f"is not valid TOML ({error})",
            'check the quotes, brackets and "=" on that line',
        ) from None
    except RecursionError:  # the TOML reader recurses once per "[": thousands of them exhaust the stack
        deepest = max(enumerate(text.splitlines(), 1), key=lambda line: line[1].count("["), default=(None, ""))
        raise UnitError(
            file,
            deepest[0],
            "has lists nested too deeply to read",
            'write a flat list of texts, like prerequisites = ["one", "two"]',
        ) from None

    _check_fields(data, UNIT_FIELDS, "the unit", file, text)

    def wrong(key: str, fix: str) -> UnitError:
        return UnitError(file, _line_of(text, key), f"{key!r} must be {UNIT_FIELDS[key][0]}", fix)

    for key in ("title", "big_idea"):
        if not _text(data[key]):
            raise wrong(key, f'write it in quotes: {key} = "..."')
    year = data["year"]
    if isinstance(year, bool) or not isinstance(year, int) or not 1 <= year <= 13:
        raise wrong("year", "write the year group as a number: year = 7")
    for key in ("objectives", "vocabulary", "prerequisites"):
        value = data[key]
        if not isinstance(value, list) or not all(_text(item) for item in value):
            raise wrong(key, f'write a list of texts: {key} = ["...", "..."]')
        if key != "prerequisites" and not value:
            raise wrong(key, f"list at least one in {key}")

    term = data.get("term")
    if term is not None and term not in TERMS:
        near = next(
            (t for t in TERMS if isinstance(term, str) and t.casefold() == " ".join(term.split()).casefold()), None
        )
        raise wrong("term", f'write term = "{near}"' if near else f"write one of {', '.join(TERMS)}, in quotes")
    weeks = data.get("weeks")
    if weeks is not None and (isinstance(weeks, bool) or not isinstance(weeks, int) or not 1 <= weeks <= MAX_WEEKS):
        raise wrong("weeks", f"write the teaching weeks as a whole number from 1 to {MAX_WEEKS}: weeks = 3")
    builds_on = data.get("builds_on", [])
    if not isinstance(builds_on, list) or not all(_text(item) for item in builds_on):
        raise wrong("builds_on", 'write a list of unit folders: builds_on = ["y7-01-sequences"]')
    if any(earlier == folder.name for earlier in builds_on):
        raise UnitError(
            file, _line_of(text, "builds_on"), "builds_on names this unit itself", "name earlier units only"
        )

    raw_lessons = data["lessons"]
    if not isinstance(raw_lessons, list) or not all(isinstance(x, dict) for x in raw_lessons):
        raise wrong("lessons", "add a [[lessons]] table per lesson, with file, title and objective")
    lessons: list[Lesson] = []
    seen: set[str] = set()
    lines = _lines_of(text, "lessons")  # once: a unit of 2,000 lessons must not scan its text 2,000 times
    for index, entry in enumerate(raw_lessons):
        line = lines[index] if index < len(lines) else None
        _check_fields(entry, LESSON_FIELDS, f"lesson {index + 1}", file, text, index)
        for key in LESSON_FIELDS:
            if not _text(entry[key]):
                raise UnitError(
                    file, line, f"lesson {index + 1}'s {key!r} is empty", f'write it in quotes: {key} = "..."'
                )
        name = entry["file"]
        if any(ord(char) < 32 or ord(char) == 127 for char in name):
            raise UnitError(
                file,
                line,
                f"lesson {index + 1}'s file {name!r} has a control character in its name",
                'write the notebook\'s name with letters, digits and hyphens, like "01-zero-pairs.ipynb"',
            )
        if len(name.encode("utf-8", "surrogatepass")) > 200:
            raise UnitError(file, line, f"lesson {index + 1}'s file name is too long", "give it a shorter name")
        if "/" in name or "\\" in name or not name.endswith(".ipynb"):
            raise UnitError(
                file,
                line,
                f"lesson {index + 1}'s file {name!r} is not a notebook in this folder",
                'write "NN-name.ipynb"',
            )
        if name in seen:
            raise UnitError(file, line, f"{name} is listed twice", "list each lesson once")
        seen.add(name)
        lessons.append(Lesson(folder / name, entry["title"].strip(), entry["objective"].strip()))

    return Unit(
        folder=folder,
        title=data["title"].strip(),
        year=year,
        big_idea=data["big_idea"].strip(),
        objectives=list(data["objectives"]),
        vocabulary=list(data["vocabulary"]),
        prerequisites=list(data["prerequisites"]),
        lessons=lessons,
        term=term,
        weeks=weeks,
        builds_on=list(builds_on),
    )


def builds_on_errors(unit: Unit) -> list[UnitError]:
    """Each unit a unit says it builds on that is not an earlier unit beside it (for `check`, not for reading:
    a unit copied on its own must still show)."""
    file = unit.folder / UNIT_FILE
    errors = []
    for earlier in unit.builds_on:
        if not (unit.folder.parent / earlier / UNIT_FILE).is_file():
            problem = f"builds_on names {earlier!r}, which is not a unit's folder in {unit.folder.parent.name}/"
            fix = 'write the folder name of an earlier unit exactly, like "y7-02-algebraic-notation"'
        elif earlier > unit.slug:
            problem = f"builds_on names {earlier!r}, which is taught after this unit"
            fix = "a unit builds only on units before it: remove it, or renumber the folders"
        else:
            continue
        try:
            line = _line_of(file.read_text(encoding="utf-8"), "builds_on")
        except (OSError, UnicodeDecodeError):
            line = None
        errors.append(UnitError(file, line, problem, fix))
    return errors


def unit_folders(root: Path) -> list[Path]:
    """The unit folders under root/units, in their order (folders are numbered)."""
    units = root / UNITS
    return (
        sorted(p for p in units.iterdir() if p.is_dir() and not p.name.startswith((".", "_"))) if units.is_dir() else []
    )


def read_curriculum(root: Path) -> tuple[list[Unit], list[UnitError]]:
    """Every unit that reads cleanly, and the errors of those that do not (a broken unit hides only itself)."""
    units: list[Unit] = []
    errors: list[UnitError] = []
    for folder in unit_folders(root):
        try:
            units.append(read_unit(folder))
        except UnitError as error:
            errors.append(error)
    return units, errors


def relative(root: Path, path: Path) -> str | None:
    """path relative to root with forward slashes ("" for root itself), or None when it lies outside root."""
    try:
        inside = path.resolve().relative_to(root.resolve()).as_posix()
    except (ValueError, OSError):
        return None
    return "" if inside == "." else inside


def find_root(path: Path, cwd: Path | None = None) -> Path:
    """The curriculum's root: the nearest folder at or above path that holds units/.

    Else the current folder when path lies inside it, else path's own folder.
    """
    path = path.resolve()
    cwd = (cwd or Path.cwd()).resolve()
    start = path if path.is_dir() else path.parent
    for folder in (start, *start.parents):
        if (folder / UNITS).is_dir():
            return folder
    return cwd if relative(cwd, path) is not None else start


def notebook_title(notebook: dict[str, Any], fallback: str) -> str:
    """The text of the notebook's first markdown heading, else the fallback."""
    from lessons.format import text

    cells = notebook.get("cells", []) if isinstance(notebook, dict) else []
    for cell in cells if isinstance(cells, list) else []:
        if not isinstance(cell, dict) or cell.get("cell_type") != "markdown":
            continue
        for line in text(cell).splitlines():
            if line.lstrip().startswith("#"):
                title = _words(line.strip().lstrip("#")).strip()
                if title:
                    return title
    return fallback


def _words(line: str) -> str:
    """A heading's words: any HTML in it gone, a script or style with its content (a title is text)."""
    line = re.sub(r"<(script|style)\b.*?(</\1\s*>|$)", "", line, flags=re.I)
    return re.sub(r"<[^>]*>", "", line)


def name_title(path: str | Path) -> str:
    """A title made from a file's name: "free-counters.ipynb" -> "Free counters"."""
    return Path(path).stem.replace("-", " ").replace("_", " ").strip().capitalize()


def file_title(path: Path) -> str:
    try:
        return notebook_title(json.loads(path.read_text(encoding="utf-8")), name_title(path))
    except Exception:  # an unreadable notebook still gets a line on the home page
        return name_title(path)


# --- the curriculum as the server holds it ---------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    """Where a lesson stands: its unit, its entry, and the unit's lessons that exist (for previous and next)."""

    unit: Unit
    lesson: Lesson
    present: list[Lesson]
    index: int  # in present, or -1 when the lesson's file does not exist


@dataclass
class Snapshot:
    """The curriculum as read at one moment: units (broken ones as errors), the toolbox, each lesson's place."""

    root: Path
    units: list[Unit] = field(default_factory=list)
    errors: list[UnitError] = field(default_factory=list)
    toolbox: list[tuple[str, str]] = field(default_factory=list)  # (title, relpath) of the free boards
    places: dict[str, Place] = field(default_factory=dict)  # relpath -> place
    exists: dict[str, bool] = field(default_factory=dict)  # lesson relpath -> its file exists

    def place(self, relpath: str) -> Place | None:
        return self.places.get(relpath)

    def lesson_paths(self) -> set[str]:
        """Every lesson that exists and the toolbox's notebooks, as relpaths: what the classroom shows."""
        return {path for path, there in self.exists.items() if there} | {path for _, path in self.toolbox}


def _stamp(path: Path) -> int | None:
    try:
        return path.stat().st_mtime_ns
    except (OSError, ValueError):
        return None


class Curriculum:
    """The curriculum under root, read once and again only when a unit.toml or a folder in it changes.

    `current()` answers from memory after checking a few modification times (one per unit, never one
    per lesson); `refresh()` re-reads when one changed, and is what a server runs off its event loop.
    `reads` counts the readings, so a test can see that a thousand requests read the curriculum once.
    """

    def __init__(self, root: Path, on_read: Callable[[Snapshot], None] | None = None) -> None:
        self.root = root.resolve()
        self.reads = 0
        self.on_read = on_read  # told of each reading (the server logs it)
        self._stamps: tuple | None = None
        self._snapshot: Snapshot | None = None
        self._lock = threading.Lock()

    def _stamps_now(self) -> tuple:
        units, toolbox = self.root / UNITS, self.root / TOOLBOX
        folders = unit_folders(self.root)
        return (
            _stamp(units),
            tuple((folder.name, _stamp(folder), _stamp(folder / UNIT_FILE)) for folder in folders),
            _stamp(toolbox),
            tuple((p.name, _stamp(p)) for p in sorted(toolbox.glob("*.ipynb"))) if toolbox.is_dir() else (),
        )

    def refresh(self) -> Snapshot:
        """The curriculum as it is on disk now: re-read only when something in it changed."""
        with self._lock:
            stamps = self._stamps_now()
            if self._snapshot is None or stamps != self._stamps:
                self._snapshot = self._read()
                self._stamps = stamps
                if self.on_read is not None:
                    self.on_read(self._snapshot)
            return self._snapshot

    def current(self) -> Snapshot:
        """The last reading (made now if there is none): never touches the disk after the first."""
        return self._snapshot if self._snapshot is not None else self.refresh()

    def _read(self) -> Snapshot:
        self.reads += 1
        units, errors = read_curriculum(self.root)
        snapshot = Snapshot(self.root, units, errors)
        for unit in units:
            exists = {lesson.file: _is_file(lesson.file) for lesson in unit.lessons}
            present = [lesson for lesson in unit.lessons if exists[lesson.file]]
            at = {lesson.file: index for index, lesson in enumerate(present)}
            for lesson in unit.lessons:
                relpath = relative(self.root, lesson.file)
                if relpath is not None and relpath not in snapshot.places:
                    snapshot.places[relpath] = Place(unit, lesson, present, at.get(lesson.file, -1))
                    snapshot.exists[relpath] = exists[lesson.file]
        toolbox = self.root / TOOLBOX
        for path in sorted(toolbox.glob("*.ipynb")) if toolbox.is_dir() else []:
            if not path.name.startswith("."):
                snapshot.toolbox.append((file_title(path), f"{TOOLBOX}/{path.name}"))
        return snapshot


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False
