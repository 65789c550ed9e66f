"""`mastery new UNIT "Title"`: a new lesson from the template, listed in its unit."""

from __future__ import annotations

import json
import re
import uuid
from pathlib import Path

from lessons import format as fmt
from lessons.curriculum import UNIT_FILE, UnitError, read_unit

TEMPLATE = Path("notebooks") / "lesson-template.ipynb"
TEMPLATE_TITLE = "# Lesson title"
OBJECTIVE = "(write the objective: what every pupil will be able to do by the end)"


class NewLessonError(ValueError):
    """Why a lesson could not be made, and what to do instead."""


def _slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:40].strip("-") or "lesson"


def _toml_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid TOML basic string


def new_lesson(unit_folder: Path, title: str, root: Path) -> Path:
    """Copy the template into the unit as its next lesson, titled, and list it in unit.toml."""
    title = title.strip()
    if not title or "\n" in title or len(title) > 80:
        raise NewLessonError("the title must be one line of at most 80 characters")
    if not (unit_folder / UNIT_FILE).exists():
        raise NewLessonError(f"{unit_folder} is not a unit (it has no {UNIT_FILE}); give a folder under units/")
    unit = read_unit(unit_folder)  # a broken unit.toml is reported as it is, before anything is written
    template = root / TEMPLATE
    try:
        notebook = json.loads(template.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise NewLessonError(f"cannot read the lesson template {template} ({error})") from None

    numbers = [int(m.group()) for lesson in unit.lessons if (m := re.match(r"\d+", lesson.file.name))]
    path = unit_folder / f"{max(numbers, default=0) + 1:02d}-{_slug(title)}.ipynb"
    if path.exists():
        raise NewLessonError(f"{path} already exists; choose another title")

    for cell in notebook["cells"]:
        cell["id"] = uuid.uuid4().hex[:8]  # ids unique to this lesson, not shared with the template
        if fmt.role(cell) == "objective":
            cell["source"] = fmt.text(cell).replace(TEMPLATE_TITLE, f"# {title}", 1)

    toml = unit_folder / UNIT_FILE
    before = toml.read_text(encoding="utf-8")
    # A unit planned with `lessons = []` gets its first [[lessons]] table instead (TOML allows only one of them).
    listed = before if unit.lessons else re.sub(r"(?m)^[ \t]*lessons[ \t]*=[ \t]*\[[ \t]*\][ \t]*(#.*)?\n?", "", before)
    entry = (
        f"\n[[lessons]]\nfile = {_toml_string(path.name)}\ntitle = {_toml_string(title)}\n"
        f"objective = {_toml_string(OBJECTIVE)}\n"
    )
    path.write_text(json.dumps(notebook, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    toml.write_text(listed.rstrip("\n") + "\n" + entry, encoding="utf-8")
    try:
        read_unit(unit_folder)
    except UnitError:  # never leave a unit broken: put it back as it was
        toml.write_text(before, encoding="utf-8")
        path.unlink()
        raise
    return path


def command(unit: str, title: str) -> int:
    """`mastery new`: make the lesson and say where it is and what comes next."""
    from lessons.curriculum import UNITS, find_root

    folder = Path(unit)
    if not folder.exists() and (Path(UNITS) / unit).exists():
        folder = Path(UNITS) / unit  # `mastery new y7-09-directed-number "..."` from the root
    try:
        path = new_lesson(folder, title, find_root(folder if folder.exists() else Path.cwd()))
    except (NewLessonError, UnitError) as error:
        print(f"mastery new: {error}")
        return 2
    print(f"Made {path} and listed it in {folder / UNIT_FILE}.")
    print(f"Next: write the lesson (see AUTHORING.md), set its objective in {UNIT_FILE}, then: mastery check {path}")
    return 0
