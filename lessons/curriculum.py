"""The curriculum: units/ holds one folder per unit, each with a unit.toml and its lessons.

`read_unit` turns a unit.toml into a `Unit`, or raises `UnitError` naming the file, the line
and the fix. Nothing here runs a lesson; the checker (check.py) does that.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

UNIT_FILE = "unit.toml"
UNITS = "units"

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
    "lessons": ("[[lessons]] tables, one per lesson, in teaching order", True),
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

    @property
    def slug(self) -> str:
        return self.folder.name


class UnitError(ValueError):
    """A unit.toml that cannot be used, with where and how to fix it."""

    def __init__(self, file: Path, line: int | None, problem: str, fix: str):
        self.file, self.line, self.problem, self.fix = file, line, problem, fix
        where = f"{file}:{line}" if line else str(file)
        super().__init__(f"{where}: {problem}. Fix: {fix}")


def _line_of(text: str, key: str, nth: int = 0) -> int | None:
    """The line where `key = ...` (or the nth `[[key]]`) first appears, for messages."""
    pattern = re.compile(rf"^\s*(\[\[\s*{re.escape(key)}\s*\]\]|{re.escape(key)}\s*=)", re.M)
    matches = list(pattern.finditer(text))
    if len(matches) <= nth:
        return None
    return text.count("\n", 0, matches[nth].start()) + 1


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
    """Read and check units/<folder>/unit.toml."""
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

    raw_lessons = data["lessons"]
    if not isinstance(raw_lessons, list) or not raw_lessons or not all(isinstance(x, dict) for x in raw_lessons):
        raise wrong("lessons", "add a [[lessons]] table per lesson, with file, title and objective")
    lessons: list[Lesson] = []
    seen: set[str] = set()
    for index, entry in enumerate(raw_lessons):
        line = _line_of(text, "lessons", index)
        _check_fields(entry, LESSON_FIELDS, f"lesson {index + 1}", file, text, index)
        for key in LESSON_FIELDS:
            if not _text(entry[key]):
                raise UnitError(
                    file, line, f"lesson {index + 1}'s {key!r} is empty", f'write it in quotes: {key} = "..."'
                )
        name = entry["file"]
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
    )


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


def find_root(path: Path) -> Path:
    """The curriculum's root: the nearest folder at or above path that holds units/ (else the current folder)."""
    path = path.resolve()
    for folder in [path, *path.parents]:
        if (folder / UNITS).is_dir():
            return folder
    return Path.cwd().resolve()
