"""What `mastery present PATH` serves: the curriculum's root, where the browser opens, what is kept warm.

No Jupyter import, so a mistyped PATH is answered at once, before the server is loaded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from lessons.curriculum import TOOLBOX, UNIT_FILE, UNITS, Curriculum, find_root, relative
from lessons.links import url_escape, url_join


class PresentError(ValueError):
    """A PATH that `present` cannot show; the message is one line for the teacher."""


@dataclass
class Presentation:
    root: Path  # the folder that holds units/
    start_path: str  # where the browser opens, relative to the server's base URL
    preheat: dict[str, int]  # notebook (relative to root) -> pool size
    also: list[str] = field(default_factory=list)  # notebooks or folders served beside the curriculum


def plan_presentation(
    path: str | Path | None,
    cwd: Path,
    pool: int = 1,
    preheat: list[str] | None = None,
    also: list[str] | None = None,
) -> Presentation:
    """What to serve for PATH: the root, where to open, and which lessons get pre-heated kernels.

    The classroom serves the curriculum and the toolbox; a notebook or folder given as PATH, --preheat
    or --also is served beside them (anything else under the root, such as tests or benchmarks, is not).
    """
    target = (cwd / path).resolve() if path is not None else cwd.resolve()
    if not target.exists():
        raise PresentError(
            f"there is no lesson or folder at {path}; give a lesson's .ipynb file, a unit folder or the kit's folder."
        )
    if target.is_file() and target.suffix != ".ipynb":
        raise PresentError(f"{path} is not a lesson; give a lesson's .ipynb file, a unit folder or the kit's folder.")
    root = find_root(target, cwd)
    relpath = relative(root, target) or ""
    pools: dict[str, int] = {}
    if target.is_file():
        start = url_join("voila/render", url_escape(relpath)).lstrip("/")
        if pool > 0:
            pools[relpath] = pool
    elif target.parent.resolve() == (root / UNITS).resolve() and (target / UNIT_FILE).is_file():
        start = f"#{target.name}"
        curriculum = Curriculum(root).current()
        for place in curriculum.places.values():
            if place.unit.folder.resolve() == target:
                pools.update({relative(root, lesson.file): 1 for lesson in place.present})
    elif relpath == TOOLBOX:
        start = "#toolbox"
    else:
        start = ""
    for extra in preheat or []:
        lesson = (cwd / extra).resolve()
        inside = relative(root, lesson)
        if inside is None or lesson.suffix != ".ipynb" or not lesson.is_file():
            raise PresentError(f"--preheat {extra}: there is no lesson notebook there inside {root}.")
        pools[inside] = max(pool, 1)
    named = [relpath] if relpath and relpath not in (UNITS, TOOLBOX) and not start.startswith("#") else []
    for extra in also or []:
        folder = (cwd / extra).resolve()
        inside = relative(root, folder)
        if inside is None or not (folder.is_dir() or (folder.suffix == ".ipynb" and folder.is_file())):
            raise PresentError(f"--also {extra}: there is no notebook or folder there inside {root}.")
        named.append(inside)
    return Presentation(root=root, start_path=start, preheat=pools, also=named)
