"""The lesson format: what a cell's tags mean.

Every cell of a lesson carries one role tag. Pupil roles run in the order of a mastery lesson
and the classroom app shows each run of cells with the same role as one section. The ``reveal``
tag, beside a role, hides a cell behind a Reveal button until the teacher shows it.

Tags are read as an author might type them: case, spaces, underscores and hyphens do not matter
(``Do now``, ``do_now`` and ``DO-NOW`` are all ``do-now``); `check` asks for the written form.

Teacher-only, by one rule used by the classroom server, the pupil edition, the checker and the plan
(`is_teacher_only`): a cell is teacher-only when any of its tags, so read, has a word that is
"teacher" or starts with "teach", or is one slip of the keyboard from "teacher" (``techer``,
``teahcer``, ``teachr``), or is "misconception(s)" or "anticipated". Such a cell never reaches a
pupil: the classroom app and the pupil edition drop it before anything is executed or sent to a
browser. Erring towards hiding is deliberate; `check` (and so the pupil edition) refuses any tag it
does not know, so a misspelt tag is fixed before a lesson is published.

This module is plain data and small functions on notebook dicts (as nbformat reads them), so the
checker, the classroom server and the Binder build share one definition.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable
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
HIDDEN_ROLES = ("setup",)  # sections the classroom runs but does not show
TEACHER = "teacher"
_TEACHER_WORDS = ("misconception", "misconceptions", "anticipated")
_WORD_BREAKS = re.compile(r"[\W_]+")  # spaces, hyphens, underscores and any other punctuation


def canonical(tag: str) -> str:
    """A tag as the format writes it: lower case, words joined by one hyphen ("Teacher notes" -> "teacher-notes")."""
    return "-".join(word for word in _WORD_BREAKS.split(tag.casefold()) if word)


def tags(cell: Cell) -> list[str]:
    """The cell's tags as written (a lone string counts as one tag: the teacher-only rule must see it)."""
    metadata = cell.get("metadata")
    found = metadata.get("tags", []) if isinstance(metadata, dict) else []
    if isinstance(found, str):
        found = [found]
    return [tag for tag in found if isinstance(tag, str)] if isinstance(found, list) else []


def role(cell: Cell) -> str | None:
    """The cell's role, however its tag is spelt, or None when it has none (the checker says so)."""
    return next((name for name in map(canonical, tags(cell)) if name in ROLES), None)


def is_revealed(cell: Cell) -> bool:
    """The cell waits behind a Reveal button until the teacher shows it."""
    return REVEAL in map(canonical, tags(cell))


def _one_slip(word: str, target: str = TEACHER) -> bool:
    """word is target with at most one letter dropped, added or changed, or two neighbours swapped."""
    cut = range(len(target) + 1)
    return (
        any(target[:i] + target[i + 1 :] == word for i in cut)  # dropped
        or any(word[:i] + word[i + 1 :] == target for i in range(len(word)))  # added
        or (len(word) == len(target) and sum(a != b for a, b in zip(word, target, strict=True)) <= 1)  # changed
        or any(target[:i] + target[i + 1 : i + 2] + target[i] + target[i + 2 :] == word for i in cut[:-2])  # swapped
    )


def is_teacher_tag(tag: str) -> bool:
    """A tag an author could mean as teacher-only (see the module's docstring for the rule)."""
    return any(
        word.startswith("teach") or word in _TEACHER_WORDS or _one_slip(word) for word in canonical(tag).split("-")
    )


def is_teacher_only(cell: Cell) -> bool:
    """The one rule for keeping a cell from pupils: any tag an author could mean as teacher-only."""
    return any(map(is_teacher_tag, tags(cell)))


def pupil_edition(notebook: Notebook) -> Notebook:
    """A copy of the lesson without its teacher-only cells: what pupils and the classroom get."""
    edition = copy.deepcopy(notebook)
    edition["cells"] = [cell for cell in notebook.get("cells", []) if not is_teacher_only(cell)]
    return edition


def lesson_sections(cells: Iterable[Cell]) -> list[dict[str, Any]]:
    """A lesson's sections as data: each run of neighbouring cells with one role (and one side, pupil or teacher).

    Each section is a dict, in lesson order::

        {"role": "do-now" | None, "heading": "Do now" | "", "teacher": False, "hidden": False,
         "number": 2 | None, "cells": [3, 4]}

    ``cells`` are indices into the cells given; ``heading`` is the role's heading ("" for untagged
    cells, the role's heading or "Teacher only" for teacher-only ones); ``hidden`` sections (setup)
    run but are not shown and have no ``number``; the others are numbered from 1 as the classroom
    steps through them. Given a pupil edition, no section is teacher-only.
    """
    found: list[dict[str, Any]] = []
    shown = 0
    for index, cell in enumerate(cells):
        cell_role, teacher = role(cell), is_teacher_only(cell)
        last = found[-1] if found else None
        if last is not None and (last["role"], last["teacher"]) == (cell_role, teacher):
            last["cells"].append(index)
            continue
        hidden = cell_role in HIDDEN_ROLES and not teacher
        heading = ROLES.get(cell_role or "", "Teacher only" if teacher else "")
        shown += 0 if hidden else 1
        number = None if hidden else shown
        found.append({"role": cell_role, "heading": heading, "teacher": teacher, "hidden": hidden})
        found[-1].update(number=number, cells=[index])
    return found


def text(cell: Cell) -> str:
    """A cell's source as one string (a notebook file may hold it as a list of lines)."""
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def first_line(cell: Cell) -> str:
    """The first non-blank line of a cell's source, for messages that name a cell."""
    return next((line.strip() for line in text(cell).splitlines() if line.strip()), "(empty cell)")


# --- how a lesson's numbers vary, for printed worksheets ------------------------------------------------

# A code cell may say which of the names it assigns are the lesson's numbers, and how they may vary, in
# its metadata: {"vary": {"start": [1, 9], "shape": {"one of": ["square", "hexagon"]}}}. [low, high] is
# a whole number from low to high (both included); {"one of": [...]} one of the values listed. The
# classroom runs the cell as written; a worksheet's version runs it with each such name given its drawn
# value straight after the line that assigns it, so everything computed from it (in the same cell and
# after: questions, answers, boards) is computed from the new number.
VARY = "vary"
ONE_OF = "one of"


def variation(cell: Cell) -> Any:
    """The cell's `vary` metadata as written ({} when the cell's numbers do not vary)."""
    metadata = cell.get("metadata")
    return metadata.get(VARY, {}) if isinstance(metadata, dict) else {}


def assigned_names(statement: Any) -> set[str]:
    """The names one statement (an `ast` node) assigns: `a = ...`, `a, b = ...`, `a: int = ...`, `a += ...`."""
    import ast

    if isinstance(statement, ast.Assign):
        targets = statement.targets
    elif isinstance(statement, (ast.AnnAssign, ast.AugAssign)):
        targets = [statement.target]
    else:
        return set()
    return {node.id for target in targets for node in ast.walk(target) if isinstance(node, ast.Name)}


def _assigned(source: str) -> set[str]:
    """The names a cell's code assigns at its top level (none when it is not Python)."""
    import ast

    try:
        return {name for statement in ast.parse(source).body for name in assigned_names(statement)}
    except SyntaxError:
        return set()


def variation_problems(cell: Cell) -> list[tuple[str, str]]:
    """What is wrong with a cell's `vary` metadata, each as (what, the fix); [] when it is right or absent."""
    spec = variation(cell)
    if not spec:
        return []
    if not isinstance(spec, dict):
        return [('has "vary" metadata that is not a table of names', 'write it like {"start": [1, 9]}')]
    if cell.get("cell_type") != "code":
        return [('has "vary" metadata on a markdown cell', "put it on the code cell that assigns the numbers")]
    problems = []
    assigned = _assigned(text(cell))
    for name, how in spec.items():
        if not name.isidentifier():
            problems.append((f"varies {name!r}, which is not a Python name", "name a variable the cell assigns"))
            continue
        if name not in assigned:
            problems.append((f"varies {name}, but does not assign it", f"write {name} = ... in this cell"))
        whole = [isinstance(v, int) and not isinstance(v, bool) for v in how] if isinstance(how, list) else []
        if isinstance(how, dict):
            values = how.get(ONE_OF)
            if set(how) != {ONE_OF} or not isinstance(values, list) or len(values) < 2:
                problems.append((f"varies {name} by {how!r}", 'write {"one of": [a, b, ...]}, two values or more'))
        elif not (len(whole) == 2 and all(whole) and how[0] < how[1]):
            problems.append((f"varies {name} by {how!r}", "write [low, high]: two whole numbers, low below high"))
    return problems


def format_error(notebook: Notebook) -> tuple[int | None, str] | None:
    """The first way a notebook breaks nbformat's schema, which Jupyter and Voila refuse: (cell, words), or None."""
    import nbformat  # loaded only when a notebook is checked or served

    first: dict[Any, int] = {}
    for index, cell in enumerate(notebook.get("cells", [])):
        if isinstance(cell, dict) and isinstance(cell.get("id"), str):
            if cell["id"] in first:  # nbformat would quietly renumber it: the file would stay wrong
                return index, f"has the same id as cell {first[cell['id']]} ({cell['id']!r})"
            first[cell["id"]] = index
    try:
        nbformat.validate(copy.deepcopy(notebook), version=4)
    except nbformat.ValidationError as error:
        where = list(getattr(error, "absolute_path", []) or [])
        cell = where[1] if len(where) > 1 and where[0] == "cells" and isinstance(where[1], int) else None
        field = f" (its {where[2]!r})" if cell is not None and len(where) > 2 else ""
        return cell, f"breaks the notebook format{field}: {error.message}"
    return None
