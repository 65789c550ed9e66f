"""What a classroom page holds, read as a curious pupil would: the checks the security and curriculum tests share."""

from __future__ import annotations

import re
from html import unescape

import nbformat
from conftest import ROOT

from lessons.format import is_teacher_only
from lessons.markup import markdown_html


def text_of(page: str) -> str:
    """What a reader sees: scripts, styles and tags gone, entities decoded, spaces squeezed."""
    page = re.sub(r"<(style|script)\b.*?</\1>", " ", page, flags=re.S | re.I)
    return squeeze(unescape(re.sub(r"<[^>]+>", " ", page)))


def squeeze(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def everything_in(page: str) -> str:
    """The page's raw text with entities and JSON \\u escapes decoded: what a curious pupil could read."""
    decoded = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), unescape(page))
    return squeeze(decoded.replace("\\n", " "))


def _plain_blocks(html: str) -> list[str]:
    """Each paragraph, list item, heading or cell of rendered markdown, as squeezed plain text."""
    pieces = re.split(r"</?(?:p|li|h[1-6]|td|th|pre|blockquote|ul|ol|tr|div|br|hr|dt|dd|summary)\b[^>]*>", html)
    return [text for text in (squeeze(unescape(re.sub(r"<[^>]+>", " ", piece))) for piece in pieces) if text]


def teacher_text(relpath: str) -> tuple[list[str], list[str], list[str]]:
    """(teacher-only cells' text as a reader would see it, their code lines, their cell ids) of a lesson.

    A line a pupil cell also holds is no secret and is left out, and so is anything under 16 characters.
    """
    notebook = nbformat.read(ROOT / relpath, as_version=4)
    folder = (ROOT / relpath).parent

    def blocks(cell) -> list[str]:
        if cell.cell_type == "markdown":
            return _plain_blocks(markdown_html(cell.source, folder, cell.get("attachments")))
        return [squeeze(line) for line in cell.source.splitlines() if line.strip()]

    pupil = " \n ".join(block for cell in notebook.cells if not is_teacher_only(cell) for block in blocks(cell))
    words, code, ids = [], [], []
    for cell in notebook.cells:
        if not is_teacher_only(cell):
            continue
        if cell.get("id"):
            ids.append(cell.id)
        found = [block for block in blocks(cell) if len(block) >= 16 and block not in pupil]
        (words if cell.cell_type == "markdown" else code).extend(found)
    return words, code, ids


def assert_keeps_teacher_cells_back(relpath: str, page: str) -> None:
    """No teacher-only cell's text, code or cell id is in the page the browser got; every pupil cell is."""
    words, code, ids = teacher_text(relpath)
    assert ids, f"{relpath} has no teacher-only cell to keep back"
    shown, raw = text_of(page), everything_in(page)
    leaked = [line for line in words if line in shown or line in raw] + [line for line in code if line in raw]
    assert not leaked, f"{relpath} shows teacher-only text: {leaked[:5]}"
    assert not [cell for cell in ids if f'id="cell-id={cell}"' in page], f"{relpath} renders a teacher-only cell"
    # The pupil cells are there, under the ids looked for above: the check looks in the right place.
    pupil = [c.id for c in nbformat.read(ROOT / relpath, as_version=4).cells if not is_teacher_only(c) and c.get("id")]
    missing = [cell for cell in pupil if f'id="cell-id={cell}"' not in page]
    assert pupil and not missing, f"{relpath}: pupil cells {missing} are not on the page"
