"""What the classroom may hand out, and nothing else.

The curriculum's lessons that exist, the toolbox's notebooks (notebooks/), and the notebooks the
teacher named when starting the server (`mastery present PATH`, `--preheat`, `--also`); the pictures
that the pupil-visible cells of those notebooks show; and the folders on the way to them, listing only
those. A teacher-only picture, a test's screenshot, a benchmark's notebook or a fixture is not served,
whatever its name. No Jupyter import: the server asks, this module knows.
"""

from __future__ import annotations

import json
import posixpath
import re
import threading
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

from lessons.curriculum import Curriculum
from lessons.format import is_teacher_only, text

PICTURES = (".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp")
# Where a markdown cell names a file: ![alt](url), <img src="url">, and [ref]: url lines.
_REFERENCES = re.compile(
    r"""!\[[^\]]*\]\(\s*<?([^)\s>]+)|<img\b[^>]*?\bsrc\s*=\s*["']?([^"'\s>]+)|^\s*\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)""",
    re.I | re.M,
)


def pupil_files(notebook: dict, folder: str) -> set[str]:
    """The files (relative to the root, forward slashes) that a lesson's pupil-visible markdown shows."""
    found: set[str] = set()
    for cell in notebook.get("cells", []) if isinstance(notebook.get("cells"), list) else []:
        if not isinstance(cell, dict) or cell.get("cell_type") != "markdown" or is_teacher_only(cell):
            continue
        for match in _REFERENCES.finditer(text(cell)):
            url = next(group for group in match.groups() if group)
            parts = urlsplit(url)
            if parts.scheme or parts.netloc or url.startswith("/"):
                continue  # another computer's, an attachment or data: never a file of this server
            path = posixpath.normpath(posixpath.join(folder, unquote(parts.path)))
            if not path.startswith("../") and path != "..":
                found.add(path)
    return found


class Access:
    """Which paths (relative to the root) the classroom serves; pictures worked out per lesson, by mtime."""

    def __init__(self, curriculum: Curriculum, also: list[str] = ()) -> None:
        self.curriculum = curriculum
        self.root = curriculum.root
        self.also = [PurePosixPath(path.strip("/")) for path in also if path.strip("/") not in ("", ".")]
        self._files: dict[str, tuple[int, set[str]]] = {}  # notebook -> (mtime, pictures its pupil cells show)
        self._lock = threading.Lock()
        self._served: tuple[object, set[str]] | None = None

    def notebooks(self) -> set[str]:
        """Every notebook served: the curriculum's lessons, the toolbox, and the notebooks named at start.

        Worked out again only when the curriculum is re-read (a folder named with --also is looked through then).
        """
        snapshot = self.curriculum.current()
        if self._served is not None and self._served[0] is snapshot:
            return self._served[1]
        served = snapshot.lesson_paths()
        for named in self.also:
            path = self.root / named
            if path.suffix == ".ipynb" and path.is_file():
                served.add(named.as_posix())
            elif path.is_dir():
                served.update(nb.relative_to(self.root).as_posix() for nb in sorted(path.rglob("*.ipynb")))
        served = {path for path in served if not any(part.startswith(".") for part in path.split("/"))}
        self._served = (snapshot, served)
        return served

    def is_notebook(self, path: str) -> bool:
        return path.strip("/") in self.notebooks()

    def is_folder(self, path: str) -> bool:
        """A folder on the way to a served notebook (the root is one)."""
        path = path.strip("/")
        return not path or any(served.startswith(path + "/") for served in self.notebooks())

    def is_file(self, path: str) -> bool:
        """A picture that a served notebook's pupil-visible cells show."""
        path = path.strip("/")
        if not path.lower().endswith(PICTURES):
            return False
        return any(path in self._pupil_files(notebook) for notebook in self.notebooks())

    def allows(self, path: str) -> bool:
        return self.is_notebook(path) or self.is_folder(path) or self.is_file(path)

    def _pupil_files(self, notebook: str) -> set[str]:
        file = self.root / notebook
        try:
            stamp = file.stat().st_mtime_ns
        except OSError:
            return set()
        with self._lock:
            cached = self._files.get(notebook)
            if cached is None or cached[0] != stamp:
                try:
                    found = pupil_files(json.loads(file.read_text(encoding="utf-8")), posixpath.dirname(notebook))
                except (OSError, ValueError, AttributeError):
                    found = set()
                cached = self._files[notebook] = (stamp, found)
        return cached[1]
