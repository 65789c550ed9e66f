"""The authoring kit: `mastery check` and `mastery new`, as an author meets them at the command line."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from lessons import format as fmt
from lessons.check import check_structure
from lessons.curriculum import read_curriculum, read_unit

ROOT = Path(__file__).resolve().parent.parent
BROKEN = ROOT / "tests" / "fixtures" / "broken" / "units"
TEMPLATE = ROOT / "notebooks" / "lesson-template.ipynb"


def mastery(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "lessons.cli", *args], cwd=cwd, capture_output=True, text=True, timeout=600
    )


def assert_calm(result: subprocess.CompletedProcess) -> None:
    """An author never meets a traceback."""
    assert "Traceback" not in result.stdout + result.stderr


def test_the_whole_curriculum_passes_check():
    """Everything check reads; the run it adds (no cell raises) is the notebook tests' (nbval on units/)."""
    units, errors = read_curriculum(ROOT)
    assert not errors
    assert len(units) >= 5 and sum(len(unit.lessons) for unit in units) >= 15
    result = mastery("check", "--no-run")
    assert_calm(result)
    assert result.returncode == 0, result.stdout
    assert "ready to teach" in result.stdout


@pytest.mark.parametrize(
    ("unit", "expected"),
    [
        ("01-bad-toml", ["01-bad-toml/unit.toml, line 4: is not valid TOML", "check the quotes"]),
        ("02-unknown-field", ["02-unknown-field/unit.toml, line 3: unknown field 'teacher'", "remove it"]),
        ("03-missing-lesson", ["lists 02-second.ipynb, which does not exist"]),
        (
            "04-untagged-teacher-notes",
            ['01-first.ipynb, cell 16 ("## Common misconceptions"): looks like teacher material', "tag it teacher-"],
        ),
        ("05-cell-raises", ['01-first.ipynb, cell 8 ("Counters(positive=5', "raises TypeError", "fix the cell"]),
        (
            "06-nul-in-a-name",
            ["06-nul-in-a-name/unit.toml, line 8: lesson 1's file 'a\\x00b.ipynb' has a control character", "Fix: "],
        ),
        ("07-deep-lists", ["07-deep-lists/unit.toml, line 6: has lists nested too deeply", "write a flat list"]),
        (
            "09-anticipated-unrecognised",
            [
                '01-first.ipynb, cell 19 ("# The sample is a board with no zero pairs',
                "the test of 'Adds zero pairs' does not recognise its own sample. Fix: change the sample",
            ],
        ),
    ],
)
def test_check_names_the_file_the_place_and_the_fix(unit, expected):
    result = mastery("check", str(BROKEN / unit))
    assert_calm(result)
    assert result.returncode == 1
    for text in expected:
        assert text in result.stdout


def test_check_knows_the_error_of_an_anticipated_response_by_its_name():
    from lessons.check import ANTICIPATED_ERROR
    from widgets.study import NotRecognised

    assert NotRecognised.__name__ == ANTICIPATED_ERROR


def test_check_points_out_latex_the_offline_classroom_cannot_draw():
    notebook = json.loads(TEMPLATE.read_text())
    talk = next(cell for cell in notebook["cells"] if fmt.role(cell) == "talk")
    talk["source"] = "Explain why $x^2 + 2x$ is not $3x^3$."
    problems = check_structure(TEMPLATE, notebook)
    assert [p.message for p in problems] == ["uses LaTeX ($x^2 + 2x$), which the classroom shows as typed"]
    assert "plain text: x²" in problems[0].fix


def test_check_points_out_two_widgets_of_one_name():
    notebook = json.loads(TEMPLATE.read_text())
    explore = next(cell for cell in notebook["cells"] if fmt.role(cell) == "explore" and cell["cell_type"] == "code")
    explore["source"] = 'Counters(positive=2, negative=0, name="practice")'
    problems = check_structure(TEMPLATE, notebook)
    assert len(problems) == 1
    assert problems[0].message.startswith("gives the name 'practice' again")
    assert problems[0].fix == "give each widget in the lesson its own name"


def test_check_on_nothing_says_what_to_give():
    result = mastery("check", "units/no-such-unit")
    assert_calm(result)
    assert result.returncode == 2
    assert "there is nothing at units/no-such-unit" in result.stdout


def test_check_refuses_a_notebook_that_is_not_json(tmp_path):
    lesson = tmp_path / "lesson.ipynb"
    lesson.write_text("{ not json")
    result = mastery("check", str(lesson))
    assert_calm(result)
    assert result.returncode == 1
    assert "is not a readable notebook" in result.stdout


@pytest.mark.parametrize(
    "cell",
    [{"cell_type": "markdown", "metadata": "x", "source": "a"}, {"cell_type": "markdown", "source": [1, 2]}, "cell"],
)
def test_check_refuses_a_cell_that_is_not_a_notebook_cell(tmp_path, cell):
    lesson = tmp_path / "lesson.ipynb"
    lesson.write_text(json.dumps({"cells": [cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    result = mastery("check", str(lesson))
    assert_calm(result)
    assert result.returncode == 1
    assert "cell 0: is not a notebook cell. Fix: open and save it in JupyterLab" in result.stdout


@pytest.mark.parametrize(
    ("ids", "said"),
    [
        (["a", "problem+reveal-1"], "cell 1: breaks the notebook format (its 'id'): 'problem+reveal-1' does not match"),
        (["same", "same"], "cell 1: has the same id as cell 0 ('same')"),
    ],
)
def test_check_refuses_a_cell_id_that_jupyter_and_the_classroom_refuse(tmp_path, ids, said):
    """Such a file opens nowhere (Voila stops part-way through its page): check names the cell and the fix."""
    cells = [
        {"cell_type": "markdown", "id": cell_id, "metadata": {"tags": ["objective"]}, "source": "# A"}
        for cell_id in ids
    ]
    lesson = tmp_path / "lesson.ipynb"
    lesson.write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    result = mastery("check", str(lesson))
    assert_calm(result)
    assert result.returncode == 1
    assert said in result.stdout and "give the cell an id of 1 to 64 letters, digits, - or _" in result.stdout


def test_the_template_passes_check_as_it_stands():
    result = mastery("check", str(TEMPLATE.relative_to(ROOT)))
    assert_calm(result)
    assert result.returncode == 0, result.stdout


@pytest.fixture
def author_root(tmp_path) -> Path:
    """A copy of one unit and the template: an author's working tree."""
    (tmp_path / "notebooks").mkdir()
    shutil.copy(TEMPLATE, tmp_path / "notebooks")
    units, _ = read_curriculum(ROOT)
    shutil.copytree(units[0].folder, tmp_path / "units" / units[0].slug)
    return tmp_path


def test_new_makes_a_listed_lesson_that_passes_check(author_root):
    unit = next((author_root / "units").iterdir())
    before = len(read_unit(unit).lessons)
    result = mastery("new", f"units/{unit.name}", "Zero pairs on a number line", cwd=author_root)
    assert_calm(result)
    assert result.returncode == 0, result.stdout

    lessons = read_unit(unit).lessons
    assert len(lessons) == before + 1
    made = lessons[-1]
    assert made.title == "Zero pairs on a number line"
    assert made.file.name == f"{before + 1:02d}-zero-pairs-on-a-number-line.ipynb"
    notebook = json.loads(made.file.read_text())
    assert notebook["cells"][1]["source"].startswith("# Zero pairs on a number line")
    template_ids = {cell["id"] for cell in json.loads(TEMPLATE.read_text())["cells"]}
    assert template_ids.isdisjoint(cell["id"] for cell in notebook["cells"])

    checked = mastery("check", str(made.file), cwd=author_root)
    assert checked.returncode == 0, checked.stdout

    # The author fills it in as AUTHORING.md says: a bar model to explore, their own practice and exit ticket.
    for cell in notebook["cells"]:
        role = fmt.role(cell)
        if role == "explore" and cell["cell_type"] == "code":
            cell["source"] = 'BarModel.ratio({"Red": 2, "Blue": 3}, total=45, name="explore")'
        elif role == "setup":
            cell["source"] = "import random\n\nfrom widgets import BarModel, Questions"
        elif role in ("pictorial", "abstract") and cell["cell_type"] == "code":
            cell["source"] = f'BarModel.fraction("n", 5, shaded=3, shaded_total=36, name="{role}")'
        elif role == "practice":
            cell["source"] = (
                "rng = random.Random(3)\nwhole = rng.choice([20, 30, 40])\n"
                'Questions([(f"1/{d} of {whole * d}", whole) for d in (2, 3, 4, 5)], title="Practice", name="practice")'
            )
    made.file.write_text(json.dumps(notebook, indent=1))
    checked = mastery("check", str(made.file), cwd=author_root)
    assert checked.returncode == 0, checked.stdout


def test_new_refuses_a_broken_unit_and_writes_nothing(tmp_path):
    shutil.copytree(BROKEN / "02-unknown-field", tmp_path / "units" / "02-unknown-field")
    (tmp_path / "notebooks").mkdir()
    shutil.copy(TEMPLATE, tmp_path / "notebooks")
    toml = (tmp_path / "units" / "02-unknown-field" / "unit.toml").read_text()
    result = mastery("new", "units/02-unknown-field", "Another lesson", cwd=tmp_path)
    assert_calm(result)
    assert result.returncode == 2
    assert "unknown field 'teacher'" in result.stdout
    assert (tmp_path / "units" / "02-unknown-field" / "unit.toml").read_text() == toml
    assert sorted(p.name for p in (tmp_path / "units" / "02-unknown-field").glob("*.ipynb")) == ["01-first.ipynb"]


def test_new_refuses_a_folder_that_is_not_a_unit(tmp_path):
    result = mastery("new", str(tmp_path), "A lesson", cwd=tmp_path)
    assert_calm(result)
    assert result.returncode == 2
    assert "is not a unit" in result.stdout


def test_check_points_out_raw_html_and_other_computers_addresses_naming_the_cell_and_the_fix():
    notebook = json.loads(TEMPLATE.read_text())
    talk = next(cell for cell in notebook["cells"] if fmt.role(cell) == "talk")
    talk["source"] = (
        "# Smile <script>alert(1)</script>\n\nSee ![a graph](https://example.org/g.png) and [more](https://example.org)."
    )
    problems = check_structure(TEMPLATE, notebook)
    index = notebook["cells"].index(talk)
    assert [p.where for p in problems] == [f'cell {index} ("# Smile <script>alert(1)</script>")'] * 3
    assert [p.message for p in problems] == [
        "uses raw HTML (<script>), which the classroom strips out",
        "shows a picture from another computer (https://example.org/g.png), which an offline classroom cannot load",
        "links to another computer (https://example.org), which an offline classroom cannot reach",
    ]
    assert "![what it shows](picture.png)" in problems[1].fix
    # Code is shown as code: HTML and addresses inside backticks are fine.
    talk["source"] = "Type `<b>` or\n\n```\n<img src='https://example.org/x.png'>\n```"
    assert check_structure(TEMPLATE, notebook) == []


def test_check_points_out_a_huge_notebook_and_a_cell_that_prints_megabytes(tmp_path):
    """A 12 MB saved output (beyond both limits) and a cell that prints 30 MB when run: named, with the fix."""
    notebook = json.loads(TEMPLATE.read_text())
    cells = notebook["cells"]
    saved = next(i for i, cell in enumerate(cells) if cell["cell_type"] == "code" and fmt.role(cell) == "explore")
    cells[saved]["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "x" * 12_000_000}]
    cells[saved]["execution_count"] = 1
    loud = next(i for i, cell in enumerate(cells) if cell["cell_type"] == "code" and fmt.role(cell) == "pictorial")
    cells[loud]["source"] = "print('y' * 30_000_000)"
    lesson = tmp_path / "lesson.ipynb"
    lesson.write_text(json.dumps(notebook))
    result = mastery("check", str(lesson))
    assert_calm(result)
    assert result.returncode == 1
    assert "lesson.ipynb: is 12 MB, and every pupil's browser would receive all of it. Fix: clear its outputs" in (
        result.stdout
    )
    assert f"cell {saved} (" in result.stdout and "has 12 MB of saved output" in result.stdout
    assert f"cell {loud} (\"print('y' * 30_000_000)\"): prints 30 MB when it runs" in result.stdout


def test_new_gives_a_unit_still_being_written_its_first_lesson(tmp_path):
    """A unit planned on the year map with `lessons = []` takes its first lesson, and still reads."""
    (tmp_path / "notebooks").mkdir()
    shutil.copy(TEMPLATE, tmp_path / "notebooks")
    folder = tmp_path / "units" / "y7-01-planned"
    folder.mkdir(parents=True)
    (folder / "unit.toml").write_text(
        'title = "Planned"\nyear = 7\nterm = "Autumn 1"\nweeks = 2\nbig_idea = "An idea"\nobjectives = ["o"]\n'
        'vocabulary = ["v"]\nprerequisites = []\nlessons = []\n'
    )
    result = mastery("new", "units/y7-01-planned", "The first step", cwd=tmp_path)
    assert_calm(result)
    assert result.returncode == 0, result.stdout
    unit = read_unit(folder)
    assert [lesson.file.name for lesson in unit.lessons] == ["01-the-first-step.ipynb"]
    assert (unit.term, unit.weeks) == ("Autumn 1", 2)
