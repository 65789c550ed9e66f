"""The curriculum as the tooling and the server hold it: light to import, read once, a broken unit hidden alone."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("jupyter_server", "voila", "nbconvert", "nbformat", "tornado", "bleach", "jinja2", "nbclient")


@pytest.mark.parametrize(
    "module", ["lessons.edition", "lessons.check", "lessons.curriculum", "lessons.links", "lessons.present"]
)
def test_the_tooling_imports_no_server(module):
    """`mastery check`, `new`, `pupil-edition` and the start of `present` load no Jupyter machinery."""
    probe = f"import sys, {module}; print(sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r})))"
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=ROOT)
    assert loaded.stdout.strip() == "[]", f"{module} imports {loaded.stdout.strip()}"


def test_one_find_root_walks_up_to_the_folder_that_holds_units(tmp_path):
    from lessons.curriculum import find_root

    kit = tmp_path / "kit"
    lesson = kit / "units" / "01-a" / "01-x.ipynb"
    lesson.parent.mkdir(parents=True)
    lesson.write_text("{}")
    assert find_root(lesson) == kit.resolve()
    assert find_root(lesson.parent) == kit.resolve()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    assert find_root(elsewhere, cwd=elsewhere) == elsewhere.resolve()


def write_unit(folder: Path, lessons: int, prerequisites: str = "[]", file_name: str | None = None) -> None:
    """A unit.toml with `lessons` lessons (and their notebooks), as an author would write it."""
    folder.mkdir(parents=True, exist_ok=True)
    head = (
        f'title = "Unit {folder.name}"\nyear = 7\nbig_idea = "An idea"\nobjectives = ["o"]\nvocabulary = ["v"]\n'
        f"prerequisites = {prerequisites}\n"
    )
    entries = []
    for n in range(1, lessons + 1):
        name = file_name if file_name is not None and n == 1 else f"{n:04d}-lesson.ipynb"
        entries.append(f'[[lessons]]\nfile = "{name}"\ntitle = "Lesson {n}"\nobjective = "Objective {n}"\n')
        if file_name is None or n > 1:
            (folder / name).write_text(json.dumps({"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    (folder / "unit.toml").write_text(head + "\n".join(entries))
