"""The kit beside other Jupyter applications: its server extension (enabled for every Jupyter Server in the
environment) mounts the lesson index and changes no other application's settings.

Jupyter Notebook 7 is installed beside the kit (pyproject's test extra); it answered HTTP 500 on every page
when the extension set the server-wide `mathjax_url` to None. Boards work live in Notebook 7 and
JupyterLab, and an exported notebook (nbconvert's HTML) shows them as pictures.
"""

from __future__ import annotations

import contextlib
import json
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


def run_all_cells(page) -> None:
    """Run the open notebook as a teacher would: the Run menu's Run All Cells."""
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_role("menuitem", name="Run All Cells", exact=True).click()


@pytest.mark.browser
@pytest.mark.parametrize("client", ["notebooks", "lab/tree"])
def test_boards_work_live_in_notebook_7_and_jupyterlab(notebook7, page, client):
    """A board opened in Jupyter's own clients draws its pieces and answers a gesture with Python's readout.

    The board's comm opens apart from the cell (so exported pages keep its picture): the live clients
    must still take it."""
    page.goto(f"{notebook7}/{client}/{NOTEBOOK}")
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)
    page.wait_for_timeout(1000)  # the kernel and the menus settle after the first cells are drawn
    run_all_cells(page)
    board = page.locator(".mn-board").first
    board.locator(".mn-svg").wait_for(timeout=60_000)
    pieces = board.locator(".mn-piece")
    pieces.first.wait_for(timeout=30_000)
    before = board.locator(".mn-headline").inner_text()
    board.get_by_role("button", name="Add a positive counter").click()
    page.wait_for_function(
        "([el, before]) => el.querySelector('.mn-headline').textContent !== before",
        arg=[board.element_handle(), before],
        timeout=30_000,
    )


def test_an_exported_notebook_shows_its_boards_as_pictures(tmp_path):
    """An executed, exported notebook (nbconvert's HTML, as nbviewer shows it) shows every board as its
    picture, not an empty box waiting for a widget library from a CDN."""
    notebook = tmp_path / "counters.ipynb"
    notebook.write_text((ROOT / NOTEBOOK).read_text())
    env = {**os.environ, "HOME": str(tmp_path)}

    def nbconvert(*args: str) -> None:
        command = [sys.executable, "-m", "jupyter", "nbconvert", *args]
        subprocess.run(command, check=True, capture_output=True, env=env, timeout=240, cwd=tmp_path)

    nbconvert("--to", "notebook", "--execute", "--output", "executed.ipynb", str(notebook))
    executed = json.loads((tmp_path / "executed.ipynb").read_text())
    outputs = [output for cell in executed["cells"] for output in cell.get("outputs", [])]
    boards = [output for output in outputs if "image/svg+xml" in output.get("data", {})]
    assert boards, "the notebook shows no board"
    nbconvert("--to", "html", "executed.ipynb")
    html = (tmp_path / "executed.html").read_text()
    assert html.count('data-mime-type="image/svg+xml"') == len(boards), "a board is missing its picture"
    assert "widget-view+json" not in html, "the exported page waits for a widget library instead"
