"""The curriculum as the tooling and the server hold it: light to import, read once, a broken unit hidden alone."""

from __future__ import annotations

import json
import os
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


# --- read once, again only when a file changes, linear in lessons -----------------------------------------


def test_the_curriculum_is_read_once_and_again_only_when_a_file_changes(tmp_path):
    from lessons.curriculum import Curriculum

    write_unit(tmp_path / "units" / "01-a", 3)
    curriculum = Curriculum(tmp_path)
    for _ in range(50):
        snapshot = curriculum.refresh()
    assert curriculum.reads == 1 and [unit.title for unit in snapshot.units] == ["Unit 01-a"]
    toml = tmp_path / "units" / "01-a" / "unit.toml"
    toml.write_text(toml.read_text().replace("Unit 01-a", "Renamed"))
    os.utime(toml, ns=(toml.stat().st_atime_ns, toml.stat().st_mtime_ns + 10**9))
    assert [unit.title for unit in curriculum.refresh().units] == ["Renamed"] and curriculum.reads == 2
    (tmp_path / "units" / "01-a" / "0001-lesson.ipynb").unlink()  # a lesson's file gone: its folder changed
    os.utime(tmp_path / "units" / "01-a", ns=(0, (tmp_path / "units" / "01-a").stat().st_mtime_ns + 10**9))
    assert curriculum.refresh().exists["units/01-a/0001-lesson.ipynb"] is False and curriculum.reads == 3
    assert curriculum.current() is curriculum.refresh() and curriculum.reads == 3


def test_reading_a_unit_scans_its_text_the_same_few_times_for_2000_lessons_as_for_2(tmp_path, monkeypatch):
    """Each lesson's line used to be found by scanning the whole unit.toml again: quadratic in lessons."""
    from lessons import curriculum

    scans = []
    original = curriculum._lines_of
    monkeypatch.setattr(curriculum, "_lines_of", lambda *args: scans.append(args[1]) or original(*args))
    counts = []
    for lessons in (2, 2000):
        write_unit(tmp_path / str(lessons) / "units" / "01-a", lessons)
        scans.clear()
        read = curriculum.Curriculum(tmp_path / str(lessons)).current()
        assert len(read.places) == lessons and not read.errors
        counts.append(len(scans))
    assert counts[0] == counts[1] <= 2, counts


def test_a_lessons_place_is_one_look_up(tmp_path):
    from lessons.curriculum import Curriculum
    from lessons.links import Urls, lesson_metadata

    write_unit(tmp_path / "units" / "01-a", 2000)
    snapshot = Curriculum(tmp_path).current()
    middle = lesson_metadata(snapshot, "units/01-a/1000-lesson.ipynb", {}, Urls())
    assert middle["previous"]["url"] == "/voila/render/units/01-a/0999-lesson.ipynb"
    assert middle["next"]["title"] == "Lesson 1001" and middle["unit"]["title"] == "Unit 01-a"
