"""The kit beside other Jupyter applications: its server extension (enabled for every Jupyter Server in the
environment) mounts the lesson index and changes no other application's settings.

Jupyter Notebook 7 is installed beside the kit (pyproject's test extra); it answered HTTP 500 on every page
when the extension set the server-wide `mathjax_url` to None.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ROOT, _free_port, fetch, stop, wait_until_up

NOTEBOOK = "notebooks/counters.ipynb"


@contextlib.contextmanager
def notebook_server(home: Path, *options: str) -> Iterator[str]:
    """Jupyter Notebook 7 from this environment on loopback, with the extensions enabled as installed."""
    env = {**os.environ, "HOME": str(home), "JUPYTER_CONFIG_DIR": str(home / ".jupyter")}
    env.pop("JUPYTER_PATH", None)
    port = _free_port()
    log_path = home / f"notebook-{port}.log"
    log = open(log_path, "w")  # noqa: SIM115
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "notebook",
            "--no-browser",
            f"--port={port}",
            "--ServerApp.ip=127.0.0.1",
            "--ServerApp.port_retries=0",
            "--IdentityProvider.token=",
            "--ServerApp.password=",
            "--allow-root",
            f"--ServerApp.root_dir={ROOT}",
            *options,
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url, server, log_path, "Jupyter Notebook")
        yield url
    finally:
        stop(server)
        log.close()


@pytest.fixture(scope="module")
def notebook7(tmp_path_factory) -> Iterator[str]:
    pytest.importorskip("notebook", minversion="7")
    with notebook_server(tmp_path_factory.mktemp("home")) as url:
        yield url


def test_the_kits_extension_is_loaded_beside_notebook_7(notebook7):
    status, page = fetch(f"{notebook7}/mastery/")
    assert status == 200 and "Mastery Notebooks" in page


@pytest.mark.parametrize("path", ["tree", f"notebooks/{NOTEBOOK}"])
def test_notebook_7_pages_answer_beside_the_kit(notebook7, path):
    status, page = fetch(f"{notebook7}/{path}")
    assert status == 200, f"/{path} answered {status}: {page[:300]}"


def errors_opening(page, url: str) -> list[str]:
    """The errors a notebook's page raises in Chromium while it opens and draws its cells."""
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{url}/notebooks/{NOTEBOOK}")
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)
    page.wait_for_function("document.title.startsWith('counters')", timeout=30_000)  # the notebook's own page
    page.wait_for_timeout(2000)  # settings and extensions load after the first cells are drawn
    return sorted(set(errors))


@pytest.mark.browser
def test_a_notebook_opens_in_notebook_7_and_the_kit_adds_no_error(notebook7, page, tmp_path):
    """The page opens and draws the notebook; any error it raises, Notebook 7 raises without the kit too.

    (Notebook 7.6.5 beside JupyterLab 4.6.6 raises one of its own while loading settings, kit or no kit.)
    """
    with_kit = errors_opening(page, notebook7)
    with notebook_server(tmp_path, "--ServerApp.jpserver_extensions=lessons=False") as url:
        assert fetch(f"{url}/mastery/")[0] == 404  # the kit is really off here
        without_kit = errors_opening(page.context.new_page(), url)
    assert not set(with_kit) - set(without_kit), f"the kit adds errors to Notebook 7's page: {with_kit}"
