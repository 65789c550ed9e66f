"""The lesson format's one rule for teacher-only cells, seen through every door a lesson leaves by:
the classroom's contents manager, the pupil edition (and so Binder's postBuild), `check` and the plan."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from lessons import format as fmt

ROOT = Path(__file__).resolve().parent.parent
UNIT = ROOT / "units" / "y7-09-directed-number"
SECRET = "SECRET-TEACHER-WORDS: the answer is minus two"


def mastery(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "lessons.cli", *args], cwd=cwd, capture_output=True, text=True, timeout=300
    )


def cell(tags, source: str = SECRET) -> dict:
    return {"cell_type": "markdown", "id": "x", "metadata": {"tags": tags}, "source": source}


TEACHER_SPELLINGS = [
    "Teacher-notes",
    "Teacher notes",
    "teacher_notes",
    "TEACHER-NOTES",
    " teacher-notes ",
    "Teacher Misconceptions",
    "techer-notes",  # one letter dropped
    "teahcer-notes",  # two letters swapped
    "notes for the teacher",
    "misconceptions",
    "Anticipated responses",
    "teaching-notes",
]


@pytest.mark.parametrize("tag", TEACHER_SPELLINGS)
def test_any_spelling_a_lesson_could_mean_as_teacher_only_is_teacher_only(tag):
    assert fmt.is_teacher_only(cell([tag]))
    assert fmt.is_teacher_only(cell(["explore", tag]))
    edition = fmt.pupil_edition({"cells": [cell(["do-now"], "pupil"), cell([tag])]})
    assert [c["source"] for c in edition["cells"]] == ["pupil"]


@pytest.mark.parametrize("tags", [["explore"], ["do-now", "reveal"], ["Exit ticket"], ["practice"], [], ["reach"]])
def test_pupil_tags_are_not_teacher_only(tags):
    assert not fmt.is_teacher_only(cell(tags))


def test_a_lone_string_of_tags_is_still_read():
    """A hand-edited notebook may hold "tags": "Teacher-notes" (a string): that too stays with the teacher."""
    assert fmt.is_teacher_only(cell("Teacher-notes"))


def test_roles_are_read_however_the_tag_is_spelt():
    assert fmt.role(cell(["Do now"])) == "do-now"
    assert fmt.role(cell(["EXIT_TICKET"])) == "exit-ticket"
    assert fmt.role(cell(["Teacher notes"])) == "teacher-notes"
    assert fmt.role(cell(["nonsense"])) is None


def test_lesson_sections_give_each_run_of_a_role_its_heading_and_number():
    cells = [
        cell(["setup"]),
        cell(["objective"]),
        cell(["Do now"]),
        cell(["do-now", "reveal"]),
        cell(["Teacher notes"]),
        cell([]),
        cell(["explore"]),
    ]
    assert fmt.lesson_sections(cells) == [
        {"role": "setup", "heading": "Setup", "teacher": False, "hidden": True, "number": None, "cells": [0]},
        {"role": "objective", "heading": "Objective", "teacher": False, "hidden": False, "number": 1, "cells": [1]},
        {"role": "do-now", "heading": "Do now", "teacher": False, "hidden": False, "number": 2, "cells": [2, 3]},
        {"role": "teacher-notes", "heading": "Teacher notes", "teacher": True, "hidden": False, "number": 3}
        | {"cells": [4]},
        {"role": None, "heading": "", "teacher": False, "hidden": False, "number": 4, "cells": [5]},
        {"role": "explore", "heading": "Explore", "teacher": False, "hidden": False, "number": 5, "cells": [6]},
    ]


# --- through the tooling ---------------------------------------------------------------------------------


@pytest.fixture
def author_root(tmp_path) -> Path:
    """A copy of one real unit whose first lesson's teacher notes are tagged "Teacher-notes" (capital T)."""
    shutil.copytree(UNIT, tmp_path / "units" / UNIT.name)
    toml = tmp_path / "units" / UNIT.name / "unit.toml"  # alone, it builds on no unit beside it
    toml.write_text(re.sub(r"(?m)^builds_on = .*$", "builds_on = []", toml.read_text()))
    (tmp_path / "notebooks").mkdir()
    lesson = sorted((tmp_path / "units" / UNIT.name).glob("*.ipynb"))[0]
    notebook = json.loads(lesson.read_text())
    notes = next(c for c in notebook["cells"] if fmt.tags(c) == ["teacher-notes"])
    notes["metadata"]["tags"] = ["Teacher-notes"]
    notes["source"] = "## Teacher notes\n\n" + SECRET
    lesson.write_text(json.dumps(notebook, indent=1))
    return tmp_path


def test_check_asks_for_the_written_spelling_of_a_tag(author_root):
    result = mastery("check", "--no-run", cwd=author_root)
    assert result.returncode == 1
    assert "writes the tag 'Teacher-notes' its own way. Fix: write it teacher-notes" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_check_says_a_misspelt_teacher_tag_is_kept_from_pupils_and_how_to_fix_it(author_root):
    lesson = sorted((author_root / "units" / UNIT.name).glob("*.ipynb"))[0]
    notebook = json.loads(lesson.read_text())
    next(c for c in notebook["cells"] if fmt.tags(c) == ["Teacher-notes"])["metadata"]["tags"] = ["techer-notes"]
    lesson.write_text(json.dumps(notebook))
    result = mastery("check", "--no-run", str(lesson), cwd=author_root)
    assert result.returncode == 1
    assert "has unknown tag 'techer-notes' (kept from pupils" in result.stdout
    assert "Fix: use one of: teacher-notes, teacher-misconceptions, teacher-anticipated" in result.stdout


def test_the_pupil_edition_refuses_what_check_refuses_and_writes_nothing(author_root):
    result = mastery("pupil-edition", "pupil-edition", cwd=author_root)
    assert result.returncode == 1
    assert "writes the tag 'Teacher-notes' its own way" in result.stdout
    assert "wrote nothing" in result.stdout and "Traceback" not in result.stdout + result.stderr
    assert not (author_root / "pupil-edition").exists()


def test_the_pupil_edition_of_a_checked_lesson_has_no_teacher_cell(author_root):
    lesson = sorted((author_root / "units" / UNIT.name).glob("*.ipynb"))[0]
    lesson.write_text(lesson.read_text().replace('"Teacher-notes"', '"teacher-notes"'))
    result = mastery("pupil-edition", "pupil-edition", cwd=author_root)
    assert result.returncode == 0, result.stdout
    copy = author_root / "pupil-edition" / lesson.relative_to(author_root)
    assert SECRET not in copy.read_text() and '"objective"' in copy.read_text()


def test_binder_postbuild_fails_loudly_on_a_lesson_check_refuses(author_root, tmp_path_factory):
    """postBuild stops, with the problem in its output, before Voila is configured (pip stubbed out)."""
    shutil.copytree(ROOT / "binder", author_root / "binder")
    stubs, prefix = tmp_path_factory.mktemp("stubs"), tmp_path_factory.mktemp("prefix")
    (stubs / "python").write_text(f'#!/bin/sh\ncase "$1" in -m) exit 0;; -c) echo "{prefix}";; esac\n')
    (stubs / "mastery").write_text(f'#!/bin/sh\nexec "{sys.executable}" -m lessons.cli "$@"\n')
    for stub in stubs.iterdir():
        stub.chmod(0o755)
    env = {**os.environ, "PATH": f"{stubs}{os.pathsep}{os.environ['PATH']}"}
    done = subprocess.run(
        ["bash", "binder/postBuild"], cwd=author_root, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode != 0
    assert "writes the tag 'Teacher-notes' its own way" in done.stdout
    assert not (author_root / "pupil-edition").exists() and not (prefix / "etc").exists()


def test_the_classroom_hands_out_no_cell_whatever_the_teacher_tags_spelling(author_root):
    from lessons.server import PupilContentsManager

    manager = PupilContentsManager(root_dir=str(author_root))
    lesson = sorted((author_root / "units" / UNIT.name).glob("*.ipynb"))[0]
    served = manager.get(lesson.relative_to(author_root).as_posix())["content"]
    assert SECRET not in json.dumps(served)


def test_the_plan_boxes_a_teacher_cell_whatever_its_tags_spelling(author_root):
    from lessons.pages import plan_sections

    notebook = {"cells": [cell(["objective"], "# A lesson"), cell(["Teacher notes"]), cell(["techer-notes"])]}
    sections = plan_sections(notebook, author_root)
    assert [(s.heading, s.teacher) for s in sections] == [
        ("Objective", False),
        ("Teacher notes", True),
        ("Teacher only", True),
    ]
    assert all(SECRET in s.cells[0].html for s in sections[1:])
