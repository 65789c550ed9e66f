"""The research lesson's record: pupils' work against the plan's anticipated responses, after the lesson.

- **Offline classification** (`classify`): the lesson runs top to bottom in a kernel of its own, teacher
  cells included, so its plan (widgets.study's `anticipate` calls) is the one the lesson holds; then each
  pupil's latest board is classified there, as the classroom classifies it live. A lesson that cannot be
  run leaves every board "not classified", with a note saying why: the record is still written.
- **The record** (`record`): one self-contained HTML page (inline CSS and SVG, no script, nothing fetched)
  for the post-lesson discussion: the plan, per response the pupils whose work matched (counts and
  thumbnails), the boards that matched none, the sequence shown and observers' notes when the class kept
  them, and the exit-ticket results. Pupils are "Pupil 1", "Pupil 2", … (in the order they joined) unless
  the teacher asks for names.
- `mastery record CLASS [--names] [--out FILE] [--db URL]` (`command`).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import jinja2

from lessons import thumbnails

WEB = Path(__file__).parent / "web"  # the record's page, beside the classroom's
_MARK = "mastery-study-result:"  # the line the classifying cell prints its answer on
_XMLNS = re.compile(r'\s+xmlns(:[a-z]+)?="[^"]*"')  # inline SVG needs no namespace (and names no address)

_pages = jinja2.Environment(
    loader=jinja2.FileSystemLoader(str(WEB)), autoescape=True, trim_blocks=True, lstrip_blocks=True
)


@dataclass
class Classified:
    """What the lesson's kernel said: the plan, each board's matches (in the order asked), and the exit tickets."""

    plan: list[dict[str, Any]] = field(default_factory=list)
    found: list[list[str]] = field(default_factory=list)
    exit_tickets: list[str] = field(default_factory=list)
    note: str = ""  # why nothing was classified, when the lesson could not be run


# Run after the lesson, in its kernel: the plan, each board's matches, and the exit tickets (by their title,
# "Exit ticket" or "Exit ticket: ...", as the lesson template writes them).
_CLASSIFY = """\
import json as _json
from widgets import _session as _mn_session, study as _mn_study

_mn_found = [_mn_study.classify(board, state) for board, state in _json.loads({boards!r})]
_mn_tickets = [k for k, w in _mn_session.widgets().items() if str(getattr(w, "title", "")).startswith("Exit ticket")]
print({mark!r} + _json.dumps({{"plan": _mn_study.plan(), "found": _mn_found, "exit_tickets": _mn_tickets}}))
"""


def _classifying_cell(boards: list[tuple[str, dict]]) -> str:
    return _CLASSIFY.format(boards=json.dumps([[board, state] for board, state in boards]), mark=_MARK)


def classify(lesson: Path, boards: list[tuple[str, dict]]) -> Classified:
    """Run the lesson (teacher cells too) in a kernel and classify each (board, snapshot) there."""
    import nbformat  # the kernel machinery is imported only when a record is made

    from lessons.check import lesson_client

    try:
        node = nbformat.read(str(lesson), as_version=4)
    except (OSError, ValueError) as error:
        return Classified(note=f"The lesson {lesson} could not be read ({error}), so no board is classified.")
    node.cells.append(nbformat.v4.new_code_cell(_classifying_cell(boards)))
    client = lesson_client(node, lesson.parent)
    try:
        client.execute(stderr=subprocess.DEVNULL)
    except Exception as error:  # the kernel died or would not start: the record is written without groups
        return Classified(note=f"The lesson could not be run ({type(error).__name__}), so no board is classified.")
    for output in node.cells[-1].outputs:
        for line in str(output.get("text", "")).splitlines():
            if line.startswith(_MARK):
                said = json.loads(line[len(_MARK) :])
                return Classified(said["plan"], said["found"], said["exit_tickets"])
    return Classified(note="The lesson stopped before its boards could be classified: run `mastery check` on it.")


# --- the record -----------------------------------------------------------------------------------------------


def _svg(svg: str) -> str:
    return _XMLNS.sub("", svg or "")


def _lesson_file(lesson: str, root: Path | None) -> Path:
    for base in (root, Path.cwd(), Path(__file__).resolve().parent.parent):
        if base is not None and (base / lesson).is_file():
            return base / lesson
    return (root or Path.cwd()) / lesson


def record(store: Any, class_id: int, *, names: bool = False, root: Path | None = None) -> str:
    """The research lesson's record of a class, as one self-contained HTML page."""
    kept = store.get_class(class_id)
    if kept is None:
        raise ValueError(f"there is no class {class_id} (it may have been deleted): see mastery classes list")
    pupils = store.pupils(class_id)
    called = {p.id: (p.name if names else f"Pupil {n}") for n, p in enumerate(pupils, 1)}
    latest = [b for b in store.latest_boards(class_id) if b.pupil_id in called]
    classified = classify(_lesson_file(kept.lesson, root), [(b.board, b.state) for b in latest])
    found = dict(zip(((b.pupil_id, b.board) for b in latest), classified.found, strict=False))

    boards = []
    for board in dict.fromkeys(r["board"] for r in classified.plan):
        work = [b for b in latest if b.board == board]
        box = thumbnails.frame(b.svg for b in work)  # what every pupil drew, at one scale
        groups = []
        for response in (r for r in classified.plan if r["board"] == board):
            matched = [b for b in work if response["name"] in found.get((b.pupil_id, board), [])]
            groups.append({**response, "boards": [_thumb(b, called, box) for b in matched]})
        unmatched = [_thumb(b, called, box) for b in work if not found.get((b.pupil_id, board))]
        boards.append({"board": board, "groups": groups, "unmatched": unmatched, "count": len(work)})

    answers = [a for a in store.answers(class_id) if a.board in classified.exit_tickets and a.pupil_id in called]
    last: dict[tuple[int, str, int], Any] = {}
    for answer in answers:  # in time order: the last try at each question is the pupil's answer
        last[(answer.pupil_id, answer.board, answer.item)] = answer
    tickets = []
    for pupil in pupils:
        mine = [a for (pid, _, _), a in last.items() if pid == pupil.id]
        if mine:
            right = sum(a.right is True for a in mine)
            tickets.append({"pupil": called[pupil.id], "right": right, "tried": len(mine)})

    return _pages.get_template("record.html.j2").render(
        title=kept.title,
        lesson=kept.lesson,
        opened=kept.opened.astimezone(),  # the school's clock (this computer's), as the teacher read it
        made=datetime.now(timezone.utc).astimezone(),
        pupils=len(pupils),
        names=names,
        note=classified.note,
        boards=boards,
        sequence=[
            {
                "at": s.at.astimezone(),
                "board": s.board,
                "pupils": [called.get(p, "a pupil") for p in s.pupils],
                "response": s.response,
            }
            for s in store.shows(class_id)
        ],
        notes=[
            {
                "at": n.at.astimezone(),
                "observer": n.observer,
                "about": called.get(n.pupil_id, "") if n.pupil_id else n.group or "",
                "text": n.text,
            }
            for n in store.notes(class_id)
        ],
        tickets=tickets,
    )


def _thumb(board: Any, called: dict[int, str], box: list[float] | None) -> dict[str, Any]:
    return {"pupil": called[board.pupil_id], "svg": _svg(thumbnails.crop(board.svg, box)), "at": board.at}


def command(class_id: int, *, names: bool = False, out: str | None = None, db: str | None = None) -> int:
    """`mastery record CLASS`: 0 when written, 2 (and a sentence on stderr) when not."""
    from lessons.store import Store, StoreError

    try:
        with Store(db) as store:
            page = record(store, class_id, names=names)
        target = Path(out or f"record-{class_id}.html")
        target.write_text(page, encoding="utf-8")
    except (ValueError, StoreError, OSError) as error:
        print(f"mastery record: {error}", file=sys.stderr)
        return 2
    print(f"wrote the record of class {class_id} to {target}" + ("" if names else " (pupils as Pupil 1, 2, …)"))
    return 0
