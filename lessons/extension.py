"""The home page inside a plain Jupyter Server (Binder), at <base>/mastery/.

On Binder, Voila runs as JupyterLab's server extension, so the classroom server's home page is
mounted here instead. It lists the pupil edition (written by `mastery pupil-edition`), so every
link opens a lesson without its teacher-only cells; the lesson-plan view is not offered.

This extension is enabled for every Jupyter Server in the environment (JupyterLab, Notebook 7, ...),
so it adds its own routes and changes no setting of the server or of another application: the one
thing it asks of Voila (no MathJax from a CDN on its pages) goes through Voila's own page-config hook.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jupyter_server.utils import url_path_join

from lessons.curriculum import Curriculum
from lessons.edition import EDITION, HOME
from lessons.pages import HomeHandler, page_handlers


def offline_page_config(page_config: dict[str, Any], **_: Any) -> dict[str, Any]:
    """Voila's page config without a MathJax address: its pages would otherwise fetch MathJax from a CDN."""
    page_config["fullMathjaxUrl"] = None
    page_config["mathjaxConfig"] = None
    return page_config


def _load_jupyter_server_extension(server_app: Any) -> None:
    root = Path(server_app.root_dir).resolve()
    site = root / EDITION if (root / EDITION).is_dir() else root
    folder = site.relative_to(root).as_posix()
    base = server_app.base_url
    routes = page_handlers(
        url_path_join(base, HOME),
        Curriculum(site),
        lesson_prefix=url_path_join(base, "voila/render", folder, "/"),
        lab_tree=url_path_join(base, "lab/tree", folder, "/"),
    )
    server_app.web_app.add_handlers(".*$", [route for route in routes if route[1] is HomeHandler])
    # Extensions load in name order, so Voila's reads this after us; a hook configured on purpose is kept.
    voila = server_app.config.VoilaConfiguration
    if "page_config_hook" not in voila:
        voila.page_config_hook = offline_page_config
    server_app.log.info("Mastery Notebooks: the lesson index is at %s", url_path_join(base, HOME))
