"""The pupil edition: copies of the lessons without teacher-only cells, made when Binder builds.

Pupils on Binder open these in JupyterLab or in the classroom app. Each copy carries the same
``metadata["mastery"]`` the classroom server adds (title, unit, previous and next lesson), with
links relative to the lesson's own page, so they work under any Binder address.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path, PurePosixPath

from lessons.curriculum import TOOLBOX, UNIT_FILE, UNITS, Curriculum, Snapshot, find_root
from lessons.format import pupil_edition
from lessons.links import lesson_metadata, relative_urls
from lessons.new import TEMPLATE

EDITION = "pupil-edition"
HOME = "mastery/"  # the home page's path under the server's base URL (see lessons.binder)


def _write_lesson(curriculum: Snapshot, source: Path, out: Path, edition_root: PurePosixPath) -> None:
    relpath = source.relative_to(curriculum.root).as_posix()
    notebook = pupil_edition(json.loads(source.read_text(encoding="utf-8")))
    urls = relative_urls(edition_root, relpath, HOME)
    notebook.setdefault("metadata", {})["mastery"] = lesson_metadata(curriculum, relpath, notebook, urls)
    target = out / relpath
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(notebook, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


class Refused(ValueError):
    """The curriculum has problems `mastery check --no-run` reports: no edition is written."""

    def __init__(self, problems: list) -> None:
        self.problems = problems
        super().__init__("\n".join(map(str, problems)))


def build(root: Path, out: Path) -> int:
    """Write the pupil edition of root's curriculum and toolbox into out; return how many lessons.

    Refuses (raises `Refused`, writes nothing) whatever `mastery check --no-run` refuses: a lesson
    that check would not pass is not published to pupils, whatever its tags hide.
    """
    from lessons.check import check

    problems = check(root, run=False).problems
    if problems:
        raise Refused(problems)
    curriculum = Curriculum(root).current()
    if curriculum.errors:
        raise Refused(curriculum.errors)
    if out.exists():
        shutil.rmtree(out)
    edition_root = PurePosixPath(out.resolve().relative_to(curriculum.root).as_posix())
    count = 0
    for unit in curriculum.units:
        (out / UNITS / unit.slug).mkdir(parents=True)
        shutil.copy(unit.folder / UNIT_FILE, out / UNITS / unit.slug / UNIT_FILE)
        for lesson in unit.lessons:
            _write_lesson(curriculum, lesson.file, out, edition_root)
            count += 1
    for board in sorted((curriculum.root / TOOLBOX).glob("*.ipynb")):
        if board.name != TEMPLATE.name:  # the template is for authors
            _write_lesson(curriculum, board, out, edition_root)
    return count


def command(out: str) -> int:
    """`mastery pupil-edition [OUT]`: build the edition, or say why not."""
    root = find_root(Path.cwd())
    target = Path(out).resolve()
    try:
        target.relative_to(root)
    except ValueError:
        print(f"mastery pupil-edition: {out} must be a folder inside {root}, so the server can show it.")
        return 2
    try:
        count = build(root, target)
    except Refused as refused:
        for problem in refused.problems:
            print(problem)
        print(
            f"mastery pupil-edition: wrote nothing: fix the {len(refused.problems)} problem(s) above "
            "(`mastery check --no-run` lists them too)."
        )
        return 1
    except (ValueError, OSError) as error:
        print(f"mastery pupil-edition: {error}")
        return 1
    print(f"Wrote the pupil edition of {count} lessons to {target.relative_to(root)}/ (no teacher-only cells).")
    return 0
