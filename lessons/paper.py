"""A lesson on paper: the pupils' worksheet with its answer sheet, and the teacher's printed plan.

The lesson is run here, in Python, cell by cell, and what its cells show is kept as it is: the
`Questions` of its practice and exit ticket (prompts, and answers the widgets computed), the boards
of its picture step and its problem. A worksheet prints them; the boards are drawn by the widgets'
own paper writer (`Board.to_figure`'s `widgets._paper.draw`), never here.

Versions: a lesson whose cells say how their numbers vary (the format's `vary`, see `lessons.format`)
prints as many versions as asked, each from numpy's random generator seeded with (seed, version), so
any one version can be printed again from its seed. Its answers are computed by running the lesson
with those numbers, never typed. A lesson without `vary` prints as it is, once.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lessons import format as fmt
from lessons.curriculum import name_title, notebook_title

PAPERS = {"a4": (8.27, 11.69), "letter": (8.5, 11.0)}  # inches
_MARGIN = 0.7
_TRIES = 50  # draws of a version's numbers before the lesson is said not to vary enough


class WorksheetError(Exception):
    """What stops a worksheet, with the file, the cell and the fix: shown to the author as it is."""


# --- running a lesson -------------------------------------------------------------------------------------


@dataclass
class Shown:
    """What one cell showed: its role, whether it waits behind Reveal, and the objects displayed."""

    index: int
    role: str | None
    reveal: bool
    teacher: bool
    objects: list[Any]


@dataclass
class Version:
    """One run of a lesson: its numbers (empty when they are the lesson's own) and what each cell showed."""

    number: int
    numbers: dict[str, Any]
    shown: list[Shown]
    seed: int | None = None

    def of(self, *roles: str) -> list[Any]:
        """The objects shown by pupil cells of these roles (not behind Reveal), in lesson order."""
        return [o for s in self.shown if s.role in roles and not s.teacher and not s.reveal for o in s.objects]

    def questions(self) -> list[Any]:
        from widgets import Questions

        return [o for o in self.of("practice", "exit-ticket") if isinstance(o, Questions)]

    def boards(self, *roles: str) -> list[Any]:
        from widgets._board import Board

        return [o for o in self.of(*roles) if isinstance(o, Board)]


def _compiled(source: str, pinned: dict[str, Any]) -> tuple[Any, Any | None]:
    """The cell's code compiled to run, and its last line compiled to evaluate when it is an expression
    (what a notebook shows). Each name in `pinned` is given its value straight after a line assigns it."""
    import ast

    tree = ast.parse(source)
    body: list[ast.stmt] = []
    for statement in tree.body:
        body.append(statement)
        for name in sorted(fmt.assigned_names(statement) & pinned.keys()):
            body += ast.parse(f"{name} = __numbers__[{name!r}]").body
    tree.body = body
    last = None
    if tree.body and isinstance(tree.body[-1], ast.Expr):
        last = ast.Expression(tree.body.pop().value)
    ast.fix_missing_locations(tree)
    return compile(tree, "<cell>", "exec"), (compile(last, "<cell>", "eval") if last else None)


@contextlib.contextmanager
def _displays(into: list[Any]) -> Iterator[Any]:
    """IPython's display() collects what it is given, as a notebook would show it; yields it, for the bare
    name `display` a kernel gives every cell."""
    import IPython.display
    from IPython.core import display_functions

    def collect(*objects: Any, **_: Any) -> None:
        into.extend(objects)

    saved = display_functions.display, IPython.display.display
    display_functions.display = IPython.display.display = collect
    try:
        yield collect
    finally:
        display_functions.display, IPython.display.display = saved


def _run(path: Path, notebook: dict[str, Any], numbers: dict[str, Any] | None = None) -> list[Shown]:
    """Run the lesson's code cells in order in one namespace (each of the numbers given replaces the
    lesson's own straight after the line of its `vary` cell that assigns it) and keep what each cell shows."""
    namespace: dict[str, Any] = {"__name__": "__main__", "__numbers__": numbers or {}}
    shown: list[Shown] = []
    here = Path.cwd()
    for index, cell in enumerate(notebook.get("cells", [])):
        role = fmt.role(cell)
        objects: list[Any] = []
        if cell.get("cell_type") == "code":
            try:
                spec = fmt.variation(cell) if numbers else {}
                body, last = _compiled(fmt.text(cell), {k: v for k, v in numbers.items() if k in spec} if spec else {})
                os.chdir(path.parent)
                with _displays(objects) as display, contextlib.redirect_stdout(io.StringIO()):
                    namespace["display"] = display
                    exec(body, namespace)  # noqa: S102 - the author's own lesson, as the classroom runs it
                    if last is not None:
                        value = eval(last, namespace)  # noqa: S307
                        if value is not None:
                            objects.append(value)
            except Exception as error:
                raise WorksheetError(
                    f"{path.name}, cell {index} ({fmt.first_line(cell)[:50]}): {type(error).__name__}: {error}".rstrip()
                ) from error
            finally:
                os.chdir(here)
        shown.append(Shown(index, role, fmt.is_revealed(cell), fmt.is_teacher_only(cell), objects))
    return shown


def _varied(notebook: dict[str, Any]) -> dict[str, Any]:
    """Every varied name of the lesson and how it varies, in the order the cells give them."""
    found: dict[str, Any] = {}
    for cell in notebook.get("cells", []):
        spec = fmt.variation(cell)
        if isinstance(spec, dict) and not fmt.variation_problems(cell):
            found.update(spec)
    return found


def _draw(varied: dict[str, Any], rng: Any) -> dict[str, Any]:
    numbers = {}
    for name, how in varied.items():
        if isinstance(how, dict):
            values = how[fmt.ONE_OF]
            numbers[name] = values[int(rng.integers(len(values)))]
        else:
            numbers[name] = int(rng.integers(how[0], how[1] + 1))
    return numbers


def versions(path: Path, notebook: dict[str, Any], count: int = 0, seed: int = 0) -> list[Version]:
    """The lesson's versions: with no `vary` (or count 0), one, as written; else `count`, each with its
    own numbers, drawn by numpy's generator seeded with (seed, version number), different from the
    others and each one a lesson that runs."""
    for index, cell in enumerate(notebook.get("cells", [])):
        for what, fix in fmt.variation_problems(cell):
            raise WorksheetError(f"{path.name}, cell {index} {what}: {fix}.")
    varied = _varied(notebook)
    as_written = Version(1, {}, _run(path, notebook))  # a lesson that fails as written fails at once
    if not varied or count < 1:
        return [as_written]
    import numpy as np

    made: list[Version] = []
    for number in range(1, count + 1):
        rng = np.random.default_rng([seed, number])
        why = ""
        for _ in range(_TRIES):
            numbers = _draw(varied, rng)
            if any(v.numbers == numbers for v in made):
                why = "the numbers it may take run out"
                continue
            try:
                made.append(Version(number, numbers, _run(path, notebook, numbers), seed))
                break
            except WorksheetError as error:  # these numbers do not make a lesson: draw again
                why = str(error)
        else:
            raise WorksheetError(
                f"{path.name}: no version {number} in {_TRIES} draws of its numbers ({why}). "
                'Widen the ranges in its "vary" metadata, or ask for fewer versions.'
            )
    return made


# --- words -----------------------------------------------------------------------------------------------


def _plain(markdown: str) -> str:
    """Markdown as the words on paper: no markers, no HTML; headings and list items on their own lines."""
    out = re.sub(r"<[^>]*>", "", markdown)
    out = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", out)
    out = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", out)
    out = re.sub(r"(\*\*|__|`)", "", out)
    out = re.sub(r"(?<![\w*])[*_](\S[^*_]*?)[*_](?![\w*])", r"\1", out)
    out = re.sub(r"^\s{0,3}#+\s*", "", out, flags=re.M)
    out = re.sub(r"^\s*[-*+]\s+", "• ", out, flags=re.M)
    return out.replace("$", r"\$")


def _paragraphs(markdown: str) -> list[str]:
    """Paragraphs of plain words (a list item is one), each joined onto one line for wrapping."""
    paragraphs, current = [], []
    for line in _plain(markdown).splitlines():
        if line.lstrip().startswith("|"):  # a table's row is a line of its own; its rule is left out
            if current:
                paragraphs.append(" ".join(current))
            current = []
            cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
            if not all(re.fullmatch(r":?-+:?", cell) for cell in cells):
                paragraphs.append("   ".join(cells))
            continue
        if not line.strip() or line.startswith("• ") or re.match(r"\s*\d+\.\s", line):
            if current:
                paragraphs.append(" ".join(current))
            current = []
        if line.strip():
            current.append(line.strip())
    if current:
        paragraphs.append(" ".join(current))
    return paragraphs


def _objective(notebook: dict[str, Any]) -> str:
    """The objective's sentence, from the objective cell's "Objective:" line (else its first paragraph)."""
    for cell in notebook.get("cells", []):
        if fmt.role(cell) == "objective":
            paragraphs = [p for p in _paragraphs(fmt.text(cell)) if p != notebook_title(notebook, "")]
            found = next((p for p in paragraphs if p.lower().startswith("objective")), "")
            return (found or (paragraphs[0] if paragraphs else "")).split(":", 1)[-1].strip()
    return ""


def answer_of(questions: Any, index: int) -> str:
    """Question `index`'s answer as the widget writes it (computed in Python when the lesson ran)."""
    return questions._answers[index].written


# --- the page: text and boards flowing down A4 or Letter ----------------------------------------------------


@dataclass
class _Page:
    """Pages of one size written into a PDF, with a cursor that moves down as blocks are placed."""

    pdf: Any
    size: tuple[float, float]
    footer: str
    figure: Any = None
    y: float = 0.0
    pages: int = 0
    kept: list[Any] = field(default_factory=list)

    @property
    def width(self) -> float:
        return self.size[0] - 2 * _MARGIN

    def new(self) -> None:
        from matplotlib.figure import Figure

        self.finish()
        self.figure = Figure(figsize=self.size)
        self.pages += 1
        self.y = _MARGIN

    def finish(self) -> None:
        if self.figure is not None:
            self._text(
                self.footer, self.size[1] - _MARGIN / 2, 8, colour="#444444"
            )  # last: a page's words start with its own
            self.pdf.savefig(self.figure)
            self.figure = None

    def room(self, height: float) -> None:
        """A new page unless `height` inches fit below the cursor."""
        if self.figure is None or self.y + height > self.size[1] - _MARGIN:
            self.new()

    def _text(self, words: str, top: float, size: float, *, x: float = _MARGIN, **how: Any) -> None:
        colour = how.pop("colour", "#000000")
        self.figure.text(
            x / self.size[0],
            1 - top / self.size[1],
            words,
            fontsize=size,
            va="top",
            color=colour,
            family="DejaVu Sans",
            **how,
        )

    def words(self, text: str, size: float = 11, *, indent: float = 0.0, gap: float = 0.08, **how: Any) -> None:
        """A paragraph, wrapped to the page's width (a new page first if it would not fit)."""
        per_line = max(20, int((self.width - indent) * 72 / (size * 0.55)))
        lines = textwrap.wrap(text, per_line) or [""]
        height = len(lines) * size * 1.35 / 72
        self.room(height + gap)
        self._text("\n".join(lines), self.y, size, x=_MARGIN + indent, linespacing=1.35, **how)
        self.y += height + gap

    def heading(self, text: str, size: float = 14) -> None:
        self.room(size * 2.6 / 72 + 0.9)  # a heading never ends a page alone
        self.y += 0.08
        self.words(text, size, weight="bold", gap=0.1)

    def space(self, height: float, lines: int = 0, *, least: float | None = None) -> None:
        """Room to write: `lines` ruled lines in `height` inches (or a clear space). With `least`, what
        is left of the page serves when it is at least that much (no page of lines alone)."""
        left = self.size[1] - _MARGIN - self.y if self.figure is not None else 0.0
        if least is not None and least <= left < height:
            lines, height = max(1, round(lines * left / height)), left
        self.room(height)
        if lines:
            from matplotlib.lines import Line2D

            for n in range(1, lines + 1):
                y = 1 - (self.y + n * height / lines) / self.size[1]
                x0, x1 = (_MARGIN + 0.3) / self.size[0], (self.size[0] - _MARGIN) / self.size[0]
                self.figure.add_artist(Line2D([x0, x1], [y, y], color="#9a9a9a", linewidth=0.6))
        self.y += height

    def board(
        self, board: Any, *, width: float | None = None, tallest: float = 3.6, caption: str = "", **how: Any
    ) -> None:
        """A board drawn on paper by its own writer, centred (under its caption, on the same page): at
        most `width` wide and `tallest` inches tall, and never much larger than when the whole board
        spans the page, so pieces keep one size from board to board."""
        from widgets._paper import draw, picture_size

        w, h = picture_size(board, how.get("readout", True), how.get("pieces", True))
        width = min(width or self.width, tallest * w / h, 1.1 * self.width * w / board.width)
        height = width * h / w
        self.room(height + 0.15 + (0.3 if caption else 0))
        if caption:
            self.words(caption, 10, gap=0.04)
        left = (self.size[0] - width) / 2
        ax = self.figure.add_axes(
            (left / self.size[0], 1 - (self.y + height) / self.size[1], width / self.size[0], height / self.size[1])
        )
        draw(ax, board, **how)
        self.y += height + 0.15


def _questions(page: _Page, questions: Any, start: int, *, answers: bool = False, under: str = "") -> int:
    """The questions, numbered from `start`, each with room to answer (or its answer), under their title
    (unless it is `under`, the heading already above them); the next number."""
    title = questions.title or "Questions"
    if title != under:
        page.heading(title, 12.5)
    for n, prompt in enumerate(questions.prompts):
        number = start + n
        block = [f"{number}.  {prompt}"]
        if questions.worked[n]:
            block.append(f"      {questions.worked[n]}")
        if questions.options[n]:
            block.append("      " + "     ".join(f"({chr(97 + i)}) {o}" for i, o in enumerate(questions.options[n])))
        if questions.reasons[n] and not answers:
            block.append(f"      {questions.reasons[n]}")
        page.room(0.55 + 0.2 * len(block))
        for line in block:
            page.words(line, 11, gap=0.04)
        if answers:
            page.words(f"Answer: {answer_of(questions, n)}", 11, indent=0.3, weight="bold", gap=0.1)
        else:
            page.space(0.5 if not questions.options[n] else 0.3, lines=1)
    return start + len(questions.prompts)


def _title_block(page: _Page, notebook: dict[str, Any], path: Path, version: Version, count: int) -> None:
    page.new()
    title = notebook_title(notebook, name_title(path))
    page.words(title, 18, weight="bold", gap=0.06)
    if count > 1:
        page.words(f"Version {version.number}", 11, weight="bold", gap=0.04)
    goal = _objective(notebook)
    if goal:
        page.words(f"Objective: {goal}", 11, gap=0.12)
    page.words("Name ______________________________     Class ________     Date ____________", 10.5, gap=0.15)


def _section_words(notebook: dict[str, Any], version: Version, role: str) -> list[str]:
    cells = notebook.get("cells", [])
    return [
        fmt.text(cells[s.index])
        for s in version.shown
        if s.role == role and not s.teacher and not s.reveal and cells[s.index].get("cell_type") == "markdown"
    ]


def _worksheet(page: _Page, notebook: dict[str, Any], path: Path, version: Version, count: int) -> None:
    _title_block(page, notebook, path, version, count)
    pictures = version.boards("pictorial")
    if pictures:
        page.heading("The picture")
        for source in _section_words(notebook, version, "pictorial"):
            for paragraph in _paragraphs(source)[1:] if source.lstrip().startswith("#") else _paragraphs(source):
                page.words(paragraph, 10.5)
        for board in pictures:
            page.board(board, readout=False)  # filled in: the board as the lesson shows it, its maths the pupils'
            if board.backdrop:  # a line, a mat or a frame: a blank one to draw on too
                page.board(board, pieces=False, readout=False, caption="Draw it yourself:")
    number = 1
    for questions in version.questions():
        number = _questions(page, questions, number)
    problem = _section_words(notebook, version, "problem")
    if problem:
        page.heading("Problem")
        for source in problem:
            for paragraph in _paragraphs(source)[1:] if source.lstrip().startswith("#") else _paragraphs(source):
                page.words(paragraph, 11)
        page.space(2.2, lines=6, least=0.8)


def _answer_sheet(page: _Page, notebook: dict[str, Any], path: Path, version: Version, count: int) -> None:
    page.new()
    title = notebook_title(notebook, name_title(path))
    page.words(f"Answers: {title}" + (f", version {version.number}" if count > 1 else ""), 16, weight="bold")
    if version.numbers:
        page.words(
            "This version's numbers: "
            + ", ".join(f"{k} = {v}" for k, v in version.numbers.items())
            + f" (seed {version.seed})",
            9,
            colour="#444444",
        )
    number = 1
    for questions in version.questions():
        number = _questions(page, questions, number, answers=True)
    pictures = version.boards("pictorial")
    if pictures:
        page.heading("The picture, read")
        for board in pictures:
            page.board(board, width=page.width * 0.6, tallest=2.6, readout=True)


def worksheet(
    path: Path, out: Path, *, variants: int = 0, seed: int = 0, paper: str = "a4"
) -> tuple[int, list[Version]]:
    """Write the lesson's worksheet (each version, then each version's answers) to `out` as a PDF: with
    `variants` 0, once, with the lesson's own numbers; else that many versions (see `versions`).

    Returns the number of pages and the versions printed."""
    notebook = read(path)
    made = versions(path, notebook, variants, seed)
    with _pdf(out) as pdf:
        page = _Page(pdf, PAPERS[paper], footer=f"{notebook_title(notebook, name_title(path))} · Mastery Notebooks")
        for version in made:
            _worksheet(page, notebook, path, version, len(made))
        for version in made:
            _answer_sheet(page, notebook, path, version, len(made))
        page.finish()
    return page.pages, made


def plan(path: Path, out: Path, *, paper: str = "a4") -> int:
    """Write the teacher's lesson plan to `out` as a PDF: every section in order (teacher notes too),
    its boards drawn on paper as the worksheet draws them, its questions with their answers."""
    from widgets import Questions
    from widgets._board import Board

    notebook = read(path)
    shown = {s.index: s for s in versions(path, notebook)[0].shown}
    cells = notebook.get("cells", [])
    with _pdf(out) as pdf:
        title = notebook_title(notebook, name_title(path))
        page = _Page(pdf, PAPERS[paper], footer=f"Lesson plan: {title} · Mastery Notebooks")
        page.new()
        page.words(f"Lesson plan: {title}", 18, weight="bold")
        for section in fmt.lesson_sections(cells):
            if section["hidden"]:
                continue
            page.heading(section["heading"] or "Untagged")
            for index in section["cells"]:
                cell = cells[index]
                if cell.get("cell_type") == "markdown":
                    source = fmt.text(cell)
                    first = source.lstrip().startswith("#")  # the section's own heading says it
                    for paragraph in _paragraphs(source)[1:] if first else _paragraphs(source):
                        page.words(paragraph, 10.5, indent=0.25 if paragraph.startswith("• ") else 0.0)
                    continue
                for thing in shown[index].objects:
                    if isinstance(thing, Board):
                        page.board(thing, width=page.width * 0.75)
                    elif isinstance(thing, Questions):
                        _questions(page, thing, 1, answers=True, under=section["heading"])
        page.finish()
    return page.pages


def read(path: Path) -> dict[str, Any]:
    import nbformat

    try:
        return nbformat.read(str(path), as_version=4)
    except FileNotFoundError:
        raise WorksheetError(f"{path}: no such lesson; give the path of a lesson's .ipynb.") from None
    except Exception as error:
        raise WorksheetError(f"{path}: not a notebook that can be read ({error}).") from None


@contextlib.contextmanager
def _pdf(out: Path) -> Iterator[Any]:
    from matplotlib.backends.backend_pdf import PdfPages

    out.parent.mkdir(parents=True, exist_ok=True)
    with PdfPages(out, metadata={"Creator": "Mastery Notebooks"}) as pdf:
        yield pdf


def command(lesson: str, *, variants: int, seed: int, paper: str, out: str | None, plan_only: bool) -> int:
    """`mastery worksheet`: write the PDF and say where; an author's mistake is told, never a traceback."""
    import sys

    path = Path(lesson)
    target = Path(out) if out else path.with_name(path.stem + ("-plan" if plan_only else "-worksheet") + ".pdf")
    try:
        if plan_only:
            pages = plan(path, target, paper=paper)
            print(f"Wrote the lesson plan ({pages} pages) to {target}")
        else:
            pages, made = worksheet(path, target, variants=variants, seed=seed, paper=paper)
            several = f"{len(made)} versions, " if len(made) > 1 else ""
            print(f"Wrote the worksheet ({several}{pages} pages, answers last) to {target}")
    except WorksheetError as error:
        print(f"mastery worksheet: {error}", file=sys.stderr)
        return 2
    return 0
