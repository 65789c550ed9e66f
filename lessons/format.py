"""The lesson format: what a cell's tags mean.

Every cell of a lesson carries one role tag. Pupil roles run in the order of a mastery lesson
and the classroom app shows each run of cells with the same role as one section. A role whose
name starts with ``teacher`` marks the cell teacher-only: the classroom app and the pupil
edition drop it before anything is executed or sent to a browser. The ``reveal`` tag, beside a
role, hides a cell behind a Reveal button until the teacher shows it.

This module is plain data and small functions on notebook dicts (as nbformat reads them), so the
checker, the classroom server and the Binder build share one definition.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Iterator
from typing import Any

Cell = dict[str, Any]
Notebook = dict[str, Any]

# Pupil roles, in a lesson's order: tag -> the section's heading in the classroom app.
PUPIL_ROLES: dict[str, str] = {
    "setup": "Setup",  # code that prepares the lesson (imports); shows nothing
    "objective": "Objective",
    "do-now": "Do now",
    "explore": "Explore",
    "talk": "Talk task",
    "pictorial": "Pictorial",
    "abstract": "Abstract",
    "problem": "Problem",
    "practice": "Practice",
    "exit-ticket": "Exit ticket",
}
# Teacher-only roles: never shown in the classroom app, never in the pupil edition.
TEACHER_ROLES: dict[str, str] = {
    "teacher-notes": "Teacher notes",
    "teacher-misconceptions": "Common misconceptions",
    "teacher-anticipated": "Anticipated responses",
}
ROLES: dict[str, str] = {**PUPIL_ROLES, **TEACHER_ROLES}
# Roles every lesson must have ("setup" is optional: a lesson may have no code to prepare).
REQUIRED_ROLES: tuple[str, ...] = tuple(role for role in ROLES if role != "setup")
REVEAL = "reveal"
TEACHER_PREFIX = "teacher"


def tags(cell: Cell) -> list[str]:
    metadata = cell.get("metadata")
    found = metadata.get("tags", []) if isinstance(metadata, dict) else []
    return [tag for tag in found if isinstance(tag, str)] if isinstance(found, list) else []


def role(cell: Cell) -> str | None:
    """The cell's role tag, or None when it has none (the checker says so)."""
    return next((tag for tag in tags(cell) if tag in ROLES), None)


def is_teacher_only(cell: Cell) -> bool:
    """Any tag beginning with "teacher" keeps the cell from pupils, even a misspelt one."""
    return any(tag.startswith(TEACHER_PREFIX) for tag in tags(cell))


def pupil_edition(notebook: Notebook) -> Notebook:
    """A copy of the lesson without its teacher-only cells: what pupils and the classroom get."""
    edition = copy.deepcopy(notebook)
    edition["cells"] = [cell for cell in notebook.get("cells", []) if not is_teacher_only(cell)]
    return edition


def sections(cells: Iterable[Cell]) -> Iterator[tuple[str | None, list[Cell]]]:
    """Runs of neighbouring cells that share a role, in order."""
    current: str | None = None
    run: list[Cell] = []
    for cell in cells:
        cell_role = role(cell)
        if run and cell_role != current:
            yield current, run
            run = []
        current = cell_role
        run.append(cell)
    if run:
        yield current, run


def text(cell: Cell) -> str:
    """A cell's source as one string (a notebook file may hold it as a list of lines)."""
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def first_line(cell: Cell) -> str:
    """The first non-blank line of a cell's source, for messages that name a cell."""
    return next((line.strip() for line in text(cell).splitlines() if line.strip()), "(empty cell)")
