"""The curriculum as the tooling and the server hold it: light to import, read once, a broken unit hidden alone."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
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


# --- the year map: term, weeks and builds_on in unit.toml ---------------------------------------------------


def year_unit(folder: Path, fields: str, lessons: str = "lessons = []") -> Path:
    """A unit.toml with the year map's fields as given, and no lessons yet (a unit still being written)."""
    folder.mkdir(parents=True, exist_ok=True)
    head = f'title = "Unit {folder.name}"\nyear = 7\nbig_idea = "An idea"\nobjectives = ["o"]\nvocabulary = ["v"]\n'
    (folder / "unit.toml").write_text(head + "prerequisites = []\n" + fields + "\n" + lessons + "\n")
    return folder


def test_a_unit_says_its_term_its_weeks_and_the_units_it_builds_on(tmp_path):
    from lessons.curriculum import read_unit

    year_unit(tmp_path / "units" / "y7-01-first", 'term = "Autumn 1"\nweeks = 2')
    unit = read_unit(
        year_unit(tmp_path / "units" / "y7-02-second", 'term = "Autumn 1"\nweeks = 3\nbuilds_on = ["y7-01-first"]')
    )
    assert (unit.term, unit.weeks, unit.builds_on, unit.lessons) == ("Autumn 1", 3, ["y7-01-first"], [])


@pytest.mark.parametrize(
    ("fields", "line", "problem", "fix"),
    [
        ('term = "autumn  1"', 7, "'term' must be the half term", 'write term = "Autumn 1"'),
        ('term = "Winter"', 7, "'term' must be the half term", "write one of Autumn 1, Autumn 2, Spring 1"),
        ("weeks = 0", 7, "'weeks' must be the number of teaching weeks", "a whole number from 1 to 15"),
        ('weeks = "two"', 7, "'weeks' must be", "weeks = 3"),
        ('builds_on = "y7-01-first"', 7, "'builds_on' must be a list of earlier units", 'builds_on = ["y7-01'),
        ('weeks = 2\nbuilds_on = ["y7-02-second"]', 8, "builds_on names this unit itself", "earlier units"),
    ],
)
def test_a_broken_year_map_field_names_the_file_the_line_and_the_fix_and_hides_only_its_unit(
    tmp_path, fields, line, problem, fix
):
    from lessons.curriculum import read_curriculum

    year_unit(tmp_path / "units" / "y7-01-first", 'term = "Autumn 1"')
    year_unit(tmp_path / "units" / "y7-02-second", fields)
    units, errors = read_curriculum(tmp_path)
    assert [unit.slug for unit in units] == ["y7-01-first"]
    [error] = errors
    assert error.file == tmp_path / "units" / "y7-02-second" / "unit.toml" and error.line == line
    assert problem in error.problem and fix in error.fix


def test_check_names_a_unit_built_on_that_is_missing_or_taught_later(tmp_path, monkeypatch):
    from lessons.check import check

    monkeypatch.chdir(tmp_path)  # the checker names files relative to where it runs, as an author typed them
    year_unit(tmp_path / "units" / "y7-01-first", 'builds_on = ["y7-01-frist"]')
    year_unit(tmp_path / "units" / "y7-02-second", 'term = "Autumn 1"\nbuilds_on = ["y7-01-first", "y7-03-third"]')
    year_unit(tmp_path / "units" / "y7-03-third", "")
    # In a thread: a worker that has run a browser test keeps an event loop running, and check() runs its own.
    with ThreadPoolExecutor(max_workers=1) as pool:
        report = pool.submit(check, tmp_path, run=False).result()
    said = [str(problem) for problem in report.problems]
    assert said == [
        "units/y7-01-first/unit.toml, line 7: builds_on names 'y7-01-frist', which is not a unit's folder in units/."
        ' Fix: write the folder name of an earlier unit exactly, like "y7-02-algebraic-notation"',
        "units/y7-02-second/unit.toml, line 8: builds_on names 'y7-03-third', which is taught after this unit."
        " Fix: a unit builds only on units before it: remove it, or renumber the folders",
    ]


def test_the_course_is_the_year_in_its_teaching_order_every_unit_on_the_map():
    """Fourteen units in the order of the scheme the course follows, each with its term and weeks."""
    from lessons.curriculum import TERMS, read_curriculum

    units, errors = read_curriculum(ROOT)
    assert not errors
    assert [unit.slug for unit in units] == [
        "y7-01-sequences",
        "y7-02-algebraic-notation",
        "y7-03-equality-and-equivalence",
        "y7-04-place-value-and-ordering",
        "y7-05-fractions-decimals-and-percentages",
        "y7-06-addition-and-subtraction",
        "y7-07-multiplication-and-division",
        "y7-08-fractions-and-percentages-of-amounts",
        "y7-09-directed-number",
        "y7-10-adding-and-subtracting-fractions",
        "y7-11-primes-factors-and-multiples",
        "y8-01-ratio-and-proportion",
        "y8-02-brackets",
        "y8-03-solving-equations",
    ]
    assert all(unit.term and unit.weeks for unit in units)
    order = [(unit.year, TERMS.index(unit.term)) for unit in units]
    assert order == sorted(order), "a unit stands in a term before the unit above it"
