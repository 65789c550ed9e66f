"""Paper (issue 21): boards drawn with matplotlib from their looks, worksheets, answer sheets and the plan.

Pages are checked as a printer would make them: the PDF rendered to PNG by poppler's pdftoppm, its words
read back by pdftotext (Debian's poppler-utils; in CI a missing one is a failure, never a skip).
"""

from __future__ import annotations

import copy
import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import pytest
from PIL import Image
from test_fuzz_comm import BOARDS

from lessons import paper
from lessons.check import check_structure
from lessons.cli import main
from maths.printing import MINUS
from widgets import AlgebraTiles, Counters, Questions
from widgets import _look as look
from widgets._board import Board

ROOT = Path(__file__).resolve().parent.parent
LESSON = ROOT / "tests" / "fixtures" / "paper" / "paper_lesson.ipynb"


def _poppler(tool: str) -> str:
    found = shutil.which(tool)
    if found is None:
        message = f"{tool} (Debian's poppler-utils) is not installed: apt-get install poppler-utils"
        if os.environ.get("CI") == "true":
            pytest.fail(message)  # in CI a missing tool is a failure, never a skip
        pytest.skip(message)
    return found


def pages_text(pdf: Path) -> list[str]:
    """Each page's words, as pdftotext reads them, with runs of white space made one space."""
    tool = _poppler("pdftotext")
    whole = subprocess.run([tool, "-raw", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return [" ".join(page.split()) for page in whole.split("\f")[:-1]]


def pages_png(pdf: Path, out: Path, dpi: int = 60, grey: bool = False) -> list[Path]:
    tool = _poppler("pdftoppm")
    args = [tool, "-r", str(dpi), "-png", *(["-gray"] if grey else []), str(pdf), str(out / pdf.stem)]
    subprocess.run(args, check=True, capture_output=True)
    return sorted(out.glob(pdf.stem + "-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))


def one_line(words: str) -> str:
    return " ".join(words.split())


# --- boards on paper --------------------------------------------------------------------------------------


def _texts(shapes: list[look.Shape]) -> list[str]:
    found = []
    for node in shapes:
        if node["shape"] == "group":
            found += _texts(node["children"])
        elif node["shape"] == "text":
            found.append(node["text"])
    return found


@pytest.mark.parametrize("name", list(BOARDS))
def test_every_board_draws_on_paper_and_shows_its_words(name: str, tmp_path: Path) -> None:
    board = BOARDS[name]()
    pdf = tmp_path / "board.pdf"
    board.to_pdf(pdf)
    (words,) = pages_text(pdf)
    shown = [*_texts(board.backdrop), *(t for drawn in board.looks for t in _texts(drawn["shapes"]))]
    wanted = {t for t in shown if any(c.isalnum() for c in t)}  # signs and glyphs are drawn, not read
    for label in wanted:
        assert one_line(label) in words, f"{name}: {label!r} is not on paper"
    assert one_line(board.readout["headline"]) in words
    (png,) = pages_png(pdf, tmp_path, dpi=40)
    rgb = np.asarray(Image.open(png).convert("RGB"), dtype=int)
    assert (np.ptp(rgb, axis=2) <= 2).all(), f"{name} prints in colour, not black and white"


class _Stranger(Board):
    """A board the paper writer has never heard of: its own classes, no stylesheet of its own."""

    _kinds: ClassVar[dict[str, Any]] = {"blob": {}}

    def _look(self, piece: dict[str, Any]) -> list[look.Shape]:
        return [
            look.group(
                "stranger negative",
                look.box(80, 40, rx=6),
                look.path("M-30 10 Q0 -30 30 10 Z"),
                look.line(-40, 0, 40, 0),
                look.text("blob", y=30),
            )
        ]


def test_a_board_it_has_never_met_draws_from_its_description_alone(tmp_path: Path) -> None:
    board = _Stranger([{"id": "a", "kind": "blob", "x": 100, "y": 100}])
    pdf = tmp_path / "stranger.pdf"
    board.to_pdf(pdf, width=3)
    assert "blob" in pages_text(pdf)[0]


def _ink_pattern(board: Board, tmp_path: Path) -> tuple[float, float]:
    """The board printed in greyscale, as a photocopier would: the mean grey of the middle of its one
    piece, and how often the grey changes from light to dark along its rows (a pattern's mark)."""
    pdf = tmp_path / f"{id(board)}.pdf"
    board.to_pdf(pdf, width=2, readout=False)
    (png,) = pages_png(pdf, tmp_path, dpi=300, grey=True)
    pixels = np.asarray(Image.open(png).convert("L"), dtype=float)
    h, w = pixels.shape
    middle = pixels[h // 4 : 3 * h // 4, w // 4 : 3 * w // 4]
    dark = middle < 128
    changes = np.count_nonzero(dark[:, 1:] != dark[:, :-1]) / middle.shape[0]
    return float(middle.mean()), changes


@pytest.mark.parametrize(
    "make",
    [
        lambda sign: Counters(positive=1) if sign > 0 else Counters(negative=1),
        lambda sign: AlgebraTiles("x^2" if sign > 0 else "-x^2"),
    ],
    ids=["counter", "tile"],
)
def test_in_black_and_white_positive_and_negative_differ_in_pattern_and_grey(make: Any, tmp_path: Path) -> None:
    positive_grey, positive_changes = _ink_pattern(make(1), tmp_path)
    negative_grey, negative_changes = _ink_pattern(make(-1), tmp_path)
    assert positive_grey - negative_grey > 30  # darker in greyscale...
    assert negative_changes > 3 * positive_changes + 4  # ...and striped: hatched, where positive is plain


def test_interaction_handles_stay_off_paper(tmp_path: Path) -> None:
    from widgets import NumberLine

    line = NumberLine(-5, 5)
    line.jump(-2, 3)
    pdf = tmp_path / "line.pdf"
    line.to_pdf(pdf)
    assert "\u21b7" in json.dumps(line.looks, ensure_ascii=False)  # the grip is in the live board's look
    assert "\u21b7" not in pages_text(pdf)[0]  # and not on paper


# --- worksheets -------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The fixture lesson printed in three versions from seed 5, its pages read back."""
    folder = tmp_path_factory.mktemp("worksheet")
    pdf = folder / "three.pdf"
    pages, made = paper.worksheet(LESSON, pdf, variants=3, seed=5)
    return {"pdf": pdf, "pages": pages, "versions": made, "text": pages_text(pdf), "folder": folder}


def _answer_pages(text: list[str]) -> list[int]:
    return [n for n, page in enumerate(text) if "Answers: Paper practice" in page]


def _worksheet_pages(text: list[str]) -> list[int]:
    """The first page of each version's worksheet: the one with the objective and a line for the name."""
    return [n for n, page in enumerate(text) if "Objective: Read a board's value" in page and "Name __" in page]


def test_the_page_count_is_every_version_then_its_answers(printed: dict[str, Any]) -> None:
    pngs = pages_png(printed["pdf"], printed["folder"], dpi=20)
    assert len(pngs) == printed["pages"] == len(printed["text"])
    answers = _answer_pages(printed["text"])
    assert len(answers) == 3  # one answer sheet a version, after every worksheet
    assert len(_worksheet_pages(printed["text"])) == 3
    assert max(_worksheet_pages(printed["text"])) < answers[0]


def test_every_question_is_in_the_text_of_its_version(printed: dict[str, Any]) -> None:
    text = printed["text"]
    starts = _worksheet_pages(text) + [_answer_pages(text)[0]]
    for version, (a, b) in zip(printed["versions"], zip(starts, starts[1:], strict=False), strict=True):
        words = " ".join(text[a:b])
        prompts = [p for q in version.questions() for p in q.prompts]
        assert len(prompts) == 6
        for prompt in prompts:
            assert one_line(prompt) in words
        assert "Use exactly 7 counters" in words  # the problem
        assert f"Version {version.number}" in text[a]


def test_the_answer_sheet_gives_the_answers_the_lesson_computes(printed: dict[str, Any]) -> None:
    text = printed["text"]
    answer_pages = _answer_pages(text) + [len(text)]
    for version, (a, b) in zip(printed["versions"], zip(answer_pages, answer_pages[1:], strict=False), strict=True):
        sheet = " ".join(text[a:b])
        written = [paper.answer_of(q, n) for q in version.questions() for n in range(len(q.prompts))]
        for answer in written:
            assert f"Answer: {answer}" in sheet
        n = version.numbers  # and from the numbers themselves, as a teacher would check
        assert written[0] == str(n["positive"] - n["negative"]).replace("-", MINUS)
        assert written[1] == str(min(n["positive"], n["negative"]))
        assert written[2] == str(n["start"] + n["step"]).replace("-", MINUS)


def test_a_board_is_read_on_the_answer_sheet_not_on_the_worksheet(printed: dict[str, Any]) -> None:
    text = printed["text"]
    first_answers = _answer_pages(text)[0]
    for version in printed["versions"]:
        (counters, *_) = version.boards("pictorial")
        headline = one_line(counters.readout["headline"])
        assert headline in " ".join(text[first_answers:])
        assert headline not in " ".join(text[:first_answers])


def test_versions_differ_and_each_prints_again_from_its_seed(printed: dict[str, Any], tmp_path: Path) -> None:
    numbers = [v.numbers for v in printed["versions"]]
    assert len({json.dumps(n, sort_keys=True) for n in numbers}) == 3
    prompts = [tuple(q.prompts[0] for q in v.questions()) for v in printed["versions"]]
    assert len(set(prompts)) == 3  # different numbers, different questions
    paper.worksheet(LESSON, tmp_path / "again.pdf", variants=3, seed=5)
    assert pages_text(tmp_path / "again.pdf") == printed["text"]
    more = paper.versions(LESSON, paper.read(LESSON), 5, seed=5)
    assert [v.numbers for v in more[:3]] == numbers  # version k is the same, however many are printed
    other = paper.versions(LESSON, paper.read(LESSON), 3, seed=6)
    assert [v.numbers for v in other] != numbers


def test_a_lesson_whose_numbers_do_not_vary_prints_as_it_is(tmp_path: Path) -> None:
    notebook = json.loads(LESSON.read_text())
    for cell in notebook["cells"]:
        cell["metadata"].pop("vary", None)
    plain = tmp_path / "plain.ipynb"
    plain.write_text(json.dumps(notebook))
    pages, made = paper.worksheet(plain, tmp_path / "plain.pdf", variants=4, seed=1)
    assert len(made) == 1 and made[0].numbers == {}
    words = " ".join(pages_text(tmp_path / "plain.pdf"))
    assert "A board has 6 positive and 2 negative counters. What is it worth?" in words  # the lesson's own
    assert "Version" not in words


def test_letter_paper_is_letter_and_a4_is_a4_and_the_lessons_own_numbers_print_by_default(
    printed: dict[str, Any], tmp_path: Path
) -> None:
    assert main(["worksheet", str(LESSON), "--paper", "letter", "--out", str(tmp_path / "us.pdf")]) == 0
    words = " ".join(pages_text(tmp_path / "us.pdf"))
    assert "A board has 6 positive and 2 negative counters." in words  # without --variants, the lesson's own
    (us, *_) = pages_png(tmp_path / "us.pdf", tmp_path, dpi=20)
    (a4, *_) = pages_png(printed["pdf"], printed["folder"], dpi=20)
    width, height = Image.open(us).size
    assert (width, height) == (170, 220)  # 8.5 by 11 inches
    width, height = Image.open(a4).size
    assert abs(width - 210 / 25.4 * 20) <= 1 and abs(height - 297 / 25.4 * 20) <= 1  # 210 by 297 mm


def _with_vary(spec: Any) -> dict[str, Any]:
    notebook = json.loads(LESSON.read_text())
    setup = copy.deepcopy(notebook)
    setup["cells"][0]["metadata"]["vary"] = spec
    return setup


@pytest.mark.parametrize(
    ("spec", "said"),
    [
        ({"nothing": [1, 5]}, "varies nothing, but does not assign it"),
        ({"positive": [5, 1]}, "write [low, high]"),
        ({"positive": [1.5, 3]}, "write [low, high]"),
        ({"share": {"one of": [4]}}, "two values or more"),
        ([1, 2], "not a table of names"),
    ],
)
def test_check_names_a_vary_it_cannot_use_and_the_fix(spec: Any, said: str, tmp_path: Path) -> None:
    notebook = _with_vary(spec)
    problems = check_structure(tmp_path / "lesson.ipynb", notebook)
    assert any(said in str(p) and "cell 0" in str(p) for p in problems), problems
    broken = tmp_path / "broken.ipynb"
    broken.write_text(json.dumps(notebook))
    with pytest.raises(paper.WorksheetError, match="cell 0"):
        paper.worksheet(broken, tmp_path / "broken.pdf", variants=2)


def test_the_fixture_lesson_passes_check(tmp_path: Path) -> None:
    assert check_structure(LESSON, json.loads(LESSON.read_text())) == []


def test_a_lesson_that_fails_is_named_with_its_cell_and_no_traceback(tmp_path: Path, capsys: Any) -> None:
    notebook = json.loads(LESSON.read_text())
    notebook["cells"][7]["source"] = "picture = Counters(positive=1, negative=1, colour='red')"
    broken = tmp_path / "broken.ipynb"
    broken.write_text(json.dumps(notebook))
    assert main(["worksheet", str(broken), "--out", str(tmp_path / "b.pdf")]) == 2
    said = capsys.readouterr().err
    assert "broken.ipynb, cell 7 (picture = Counters" in said and "Traceback" not in said
    assert not (tmp_path / "b.pdf").exists() or (tmp_path / "b.pdf").stat().st_size == 0


def test_a_board_shown_with_the_bare_display_of_a_kernel_is_on_paper(tmp_path: Path) -> None:
    """A cell may show a board with display(...), as a kernel lets it: the paper runs it and keeps the board."""
    notebook = json.loads(LESSON.read_text())
    notebook["cells"][7]["source"] = "picture = Counters(positive=4, negative=1)\ndisplay(picture)"
    shows = tmp_path / "shows.ipynb"
    shows.write_text(json.dumps(notebook))
    (version,) = paper.versions(shows, paper.read(shows))
    assert [b.positive for b in version.boards("pictorial") if isinstance(b, Counters)] == [4]


def test_numbers_that_cannot_make_enough_versions_are_refused_with_the_fix(tmp_path: Path) -> None:
    notebook = _with_vary({"share": {"one of": [20, 30]}})
    narrow = tmp_path / "narrow.ipynb"
    narrow.write_text(json.dumps(notebook))
    with pytest.raises(paper.WorksheetError, match="Widen the ranges"):
        paper.versions(narrow, notebook, 3)


# --- the plan ------------------------------------------------------------------------------------------------


def test_the_plan_prints_every_section_with_its_boards_and_answers(tmp_path: Path) -> None:
    out = tmp_path / "plan.pdf"
    assert main(["worksheet", str(LESSON), "--plan", "--out", str(out)]) == 0
    words = " ".join(pages_text(out))
    for heading in ("Objective", "Explore", "Pictorial", "Practice", "Teacher notes", "Anticipated responses"):
        assert heading in words
    (version,) = paper.versions(LESSON, paper.read(LESSON))
    for board in version.boards("pictorial"):
        assert one_line(board.readout["headline"]) in words  # the teacher's copy reads each board
    questions = [q for s in version.shown for q in s.objects if isinstance(q, Questions)]
    assert f"Answer: {paper.answer_of(questions[0], 0)}" in words


def test_a_number_varies_from_the_line_that_assigns_it_in_its_own_cell(tmp_path: Path) -> None:
    from nbformat.v4 import new_code_cell, new_notebook

    source = 'from widgets import Questions\nwhole = 30\nhalf = whole // 2\nQuestions([(f"Half of {whole}", half)])'
    cell = new_code_cell(source, metadata={"tags": ["practice"], "vary": {"whole": {"one of": [40, 50, 60]}}})
    notebook = new_notebook(cells=[cell])
    made = paper.versions(tmp_path / "half.ipynb", notebook, 3, seed=2)
    assert sorted(v.numbers["whole"] for v in made) == [40, 50, 60]
    for version in made:
        (questions,) = version.questions()
        assert questions.prompts == [f"Half of {version.numbers['whole']}"]
        assert paper.answer_of(questions, 0) == str(version.numbers["whole"] // 2)


def test_the_command_names_a_lesson_that_is_not_there_and_a_wrong_count(tmp_path: Path, capsys: Any) -> None:
    assert main(["worksheet", str(tmp_path / "nowhere.ipynb")]) == 2
    assert "nowhere.ipynb: no such lesson" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["worksheet", str(LESSON), "--variants", "0"])
    assert "is not a number of versions (1 to 60)" in capsys.readouterr().err
