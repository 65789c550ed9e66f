"""What a lesson links to: the addresses of the server's pages, and a lesson's place in its unit.

No Jupyter import: the pupil edition (Binder) and the server share this, and the tooling stays quick.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import quote

from lessons.curriculum import Lesson, Snapshot, name_title, notebook_title, relative

DEFAULT_LAB_URL = "http://127.0.0.1:8888"


def url_join(*pieces: str) -> str:
    """Join URL path pieces with single slashes, keeping a leading and a trailing one (as Jupyter's own)."""
    initial, final = pieces[0].startswith("/"), pieces[-1].endswith("/")
    joined = "/".join(piece.strip("/") for piece in pieces if piece.strip("/"))
    joined = ("/" if initial else "") + joined + ("/" if final and joined else "")
    return joined or "/"


def url_escape(path: str) -> str:
    """A relative path made safe for a URL, its slashes kept."""
    return quote(path, safe="/")


@dataclass
class Urls:
    """Where things live on the server: lessons, plans, the home page, JupyterLab."""

    lesson_prefix: str = "/voila/render/"
    home: str = "/"
    plan_prefix: str = "/mastery/plan/"
    lab_tree: str = DEFAULT_LAB_URL + "/lab/tree/"  # JupyterLab's file browser, up to the path

    def lesson(self, relpath: str) -> str:
        return url_join(self.lesson_prefix, url_escape(relpath))

    def unit(self, slug: str) -> str:
        return f"{self.home}#{slug}"

    def plan(self, relpath: str, token: str | None) -> str:
        url = url_join(self.plan_prefix, url_escape(relpath))
        return f"{url}?token={quote(token, safe='')}" if token else url

    def lab(self, relpath: str) -> str:
        return url_join(self.lab_tree, url_escape(relpath))


def relative_urls(edition_root: PurePosixPath, relpath: str, home: str) -> Urls:
    """Links from a lesson's page, base/voila/render/<edition_root>/<relpath>, to other pages of the server."""
    up = "../" * (len(edition_root.parts) + relpath.count("/") + 2)  # the page's folders, then voila/render/
    return Urls(lesson_prefix=f"{up}voila/render/{edition_root}/", home=f"{up}{home}")


def lesson_metadata(curriculum: Snapshot, relpath: str, notebook: dict[str, Any], urls: Urls) -> dict[str, Any]:
    """What the classroom template draws around a lesson: its title, its unit, previous and next lesson."""
    place = curriculum.place(relpath)
    if place is None:
        return {
            "title": notebook_title(notebook, name_title(relpath)),
            "unit": None,
            "previous": None,
            "next": None,
            "home": urls.home,
        }

    def link(other: Lesson) -> dict[str, str]:
        return {"title": other.title, "url": urls.lesson(relative(curriculum.root, other.file) or other.file.name)}

    index, present = place.index, place.present
    return {
        "title": place.lesson.title,
        "unit": {"title": place.unit.title, "url": urls.unit(place.unit.slug)},
        "previous": link(present[index - 1]) if index > 0 else None,
        "next": link(present[index + 1]) if 0 <= index < len(present) - 1 else None,
        "home": urls.home,
    }
