"""The static site (`mastery lite`): built once, served by a plain static file server, run in Chromium.

Python runs in the browser (Pyodide); the only computer the page may talk to is the static server on
this one. Every request to another host fails the test, and Chromium is given a proxy that does not exist,
so a request the route cannot see (a service worker's) fails too.
"""

from __future__ import annotations

import concurrent.futures
import json
import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import CHROMIUM_ARGS, ROOT, save_screenshot, teacher_lines
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from lessons.lite import PINS, PYODIDE, LiteError, Wheel, _check_anywidget, _read_pins, build, serve

pytestmark = pytest.mark.browser

LESSON = "units/y7-09-directed-number/01-zero-pairs.ipynb"
BOARD_TIMEOUT = 180_000  # Pyodide's first start on a busy two-core machine: half a minute, sometimes more


def _missing(what: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{what}: in CI the static site's test never skips")
    pytest.skip(what)


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The site, built once per session (about 20 s with pip's cache warm)."""
    if not (ROOT / PYODIDE / "pyodide-lock.json").exists():
        _missing(f"the Pyodide runtime is missing ({PYODIDE}): run `npm ci`")
    out = tmp_path_factory.mktemp("lite") / "site"
    try:
        # in a thread of its own: the build checks lessons with asyncio, and Playwright's loop may be running here
        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            pool.submit(build, ROOT, out, log=lambda *_: None).result()
    except LiteError as error:
        if "not installed" in str(error):
            _missing(str(error))
        raise
    return out


@pytest.fixture(scope="session")
def site_url(site) -> Iterator[str]:
    with serve(site) as url:
        yield url


@pytest.fixture
def offline_page(playwright, browser_type_launch_args, site_url):
    """A page in a Chromium whose every request to any host but the site's fails, and fails the test."""
    browser = playwright.chromium.launch(
        **{**browser_type_launch_args, "args": [*CHROMIUM_ARGS, "--proxy-server=http://127.0.0.1:9"]}
    )
    context = browser.new_context(viewport={"width": 1600, "height": 1000}, accept_downloads=True)
    outside: list[str] = []
    errors: list[str] = []

    def only_the_site(route) -> None:
        url = route.request.url
        if url.startswith((site_url + "/", "data:", "blob:")):
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    context.route("**/*", only_the_site)
    page = context.new_page()
    page.on("pageerror", lambda e: errors.append(str(e)))
    yield page
    context.close()
    browser.close()
    assert not outside, f"the site asked another host for {outside}"
    assert not errors, f"the page raised {errors}"


# Whether the browser's storage (IndexedDB, where JupyterLite keeps the pupil's files) holds the lesson
# with outputs: read as the browser holds it, whatever database and store JupyterLite names.
_SAVED_WITH_OUTPUTS = """async (path) => {
  const request = (r) => new Promise((ok) => { r.onsuccess = () => ok(r.result); r.onerror = () => ok(null); });
  for (const { name } of await indexedDB.databases()) {
    const db = await request(indexedDB.open(name));
    for (const store of db ? db.objectStoreNames : []) {
      const file = await request(db.transaction(store).objectStore(store).get(path));
      if (file && file.content && file.content.cells) {
        return file.content.cells.some((cell) => (cell.outputs || []).length > 0);
      }
    }
  }
  return false;
}"""


# Cells' prompts read [*] while queued or running and [n] once run: some ran, and none is waiting.
_STARTED = "() => [...document.querySelectorAll('.jp-InputPrompt')].some((n) => /\\[(\\*|\\d+)\\]/.test(n.textContent))"
_FINISHED = """() => {
  const prompts = [...document.querySelectorAll('.jp-InputPrompt')].map((n) => n.textContent);
  return prompts.some((t) => /\\[\\d+\\]/.test(t)) && !prompts.some((t) => t.includes('*'));
}"""


def _run_all(page) -> None:
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()


def _facts(board) -> dict[str, str]:
    rows = board.locator(".mn-fact").all()
    return {r.locator(".mn-fact-name").inner_text(): r.locator(".mn-fact-value").inner_text() for r in rows}


def _drag(page, source, target) -> None:
    a, b = source.bounding_box(), target.bounding_box()
    x0, y0 = a["x"] + a["width"] / 2, a["y"] + a["height"] / 2
    x1, y1 = b["x"] + b["width"] / 2, b["y"] + b["height"] / 2
    page.mouse.move(x0, y0)
    page.mouse.down()
    for step in range(1, 21):
        page.mouse.move(x0 + (x1 - x0) * step / 20, y0 + (y1 - y0) * step / 20)
    page.mouse.up()


def test_a_lesson_runs_in_the_browser_and_python_answers_a_drag(offline_page, site_url):
    page = offline_page
    page.goto(site_url + "/")
    expect(page.locator("h1")).to_have_text("Mastery Notebooks")
    page.locator(f'a.mp-lesson-link[href$="{LESSON}"]').click()
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)
    _run_all(page)
    try:
        page.wait_for_function(_STARTED, timeout=60_000)
    except PlaywrightTimeout:
        _run_all(page)  # the menu took the first click before it was ready
    page.wait_for_function(_FINISHED, timeout=BOARD_TIMEOUT)  # Pyodide has run the lesson

    # a board with counters of both signs, its readout written by Python in the browser
    board = page.locator(".mn-board", has=page.locator(".counter.positive")).filter(
        has=page.locator(".counter.negative")
    )
    # Run All leaves the notebook at its last cell, and JupyterLab draws only the cells near the screen:
    # back to the top, then down to the board.
    page.evaluate("document.querySelectorAll('.jp-WindowedPanel-outer').forEach((n) => (n.scrollTop = 0))")
    notebook = page.locator(".jp-Notebook").first.bounding_box()
    page.mouse.move(notebook["x"] + notebook["width"] / 2, notebook["y"] + notebook["height"] / 2)
    for _ in range(60):  # JupyterLab draws only the cells near the screen: scroll down to the board
        if board.count():
            break
        page.mouse.wheel(0, 400)
        page.wait_for_timeout(250)
    board.first.wait_for(timeout=30_000)
    board = board.first
    board.scroll_into_view_if_needed()
    hidden = board.locator(".mn-show-maths")
    if hidden.count():  # the lesson keeps this board's maths back until asked, as a pupil would ask
        hidden.click()
    expect(board.locator(".mn-fact", has_text="positive counters")).to_be_visible(timeout=30_000)
    before = _facts(board)
    positives = int(before["positive counters"])
    save_screenshot(page, "lite-lesson")

    _drag(
        page,
        board.locator(".mn-piece:has(.counter.positive)").first,
        board.locator(".mn-piece:has(.counter.negative)").first,
    )

    row = board.locator(".mn-fact", has_text="positive counters").locator(".mn-fact-value")
    expect(row).to_have_text(str(positives - 1), timeout=30_000)
    after = _facts(board)
    assert int(after["negative counters"]) == int(before["negative counters"]) - 1
    assert after["value"] == before["value"], "a zero pair is worth nothing"
    save_screenshot(page, "lite-lesson-after-drag")

    # one click keeps a copy of the pupil's notebook
    with page.expect_download() as download:
        page.get_by_role("button", name="Download").first.click()
    assert download.value.suggested_filename.endswith(Path(LESSON).name)
    copy = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert copy["cells"] and copy["metadata"]["mastery"]["title"], "the lesson itself, as a notebook"

    # the pupil's work stays in the browser: saved, reloaded, its outputs still there
    page.keyboard.press("Control+s")
    deadline = time.monotonic() + 30
    while not page.evaluate(_SAVED_WITH_OUTPUTS, LESSON):  # the save reaches the browser's storage (IndexedDB)
        assert time.monotonic() < deadline, "the saved lesson, with its outputs, is in the browser's storage"
        page.wait_for_timeout(250)
    page.reload()
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)
    expect(page.locator(".jp-OutputArea-output").first).to_be_attached(timeout=30_000)


def test_the_site_holds_everything_it_loads(site):
    """Pyodide's lock names only wheels in the site, and the kernel is told never to look elsewhere."""
    lock = json.loads((site / "static/pyodide/pyodide-lock.json").read_text())
    missing = [
        p["file_name"] for p in lock["packages"].values() if not (site / "static/pyodide" / p["file_name"]).exists()
    ]
    assert not missing, f"the lock names wheels the site lacks: {missing}"
    for name in ("micropip", "ipython", "anywidget", "ipywidgets", "mastery-notebooks", "pyodide-kernel"):
        assert name in lock["packages"]
    config = json.loads((site / "jupyter-lite.json").read_text())["jupyter-config-data"]
    kernel = config["litePluginSettings"]["@jupyterlite/pyodide-kernel-extension:kernel"]
    assert kernel["disablePyPIFallback"] is True
    assert kernel["pyodideUrl"].startswith("./")
    assert sorted(kernel["loadPyodideOptions"]["packages"]) == sorted(lock["packages"])


def test_anywidget_in_the_site_is_the_pinned_one_on_both_sides(site):
    lock = json.loads((site / "static/pyodide/pyodide-lock.json").read_text())
    front = json.loads((site / "extensions/anywidget/package.json").read_text())["version"]
    pinned = _read_pins(ROOT)["anywidget"]
    assert lock["packages"]["anywidget"]["version"] == front == pinned, f"one anywidget, as {PINS} pins it"


def test_the_build_refuses_an_anywidget_whose_front_end_differs(site, tmp_path):
    wheel = Wheel.read(next((site / "static/pyodide").glob("anywidget-*.whl")))
    (tmp_path / "extensions/anywidget").mkdir(parents=True)
    (tmp_path / "extensions/anywidget/package.json").write_text(json.dumps({"version": "0.9.21"}))
    with pytest.raises(LiteError, match=rf"{wheel.version} in Python but 0\.9\.21 in the browser"):
        _check_anywidget(tmp_path, {"anywidget": wheel})


def test_pupils_get_no_teacher_only_cells(site):
    lines = teacher_lines(ROOT / LESSON)
    assert lines, "the lesson has teacher-only material to leave out"
    published = (site / "files" / LESSON).read_text(encoding="utf-8")
    assert not [line for line in lines if line in published]


def test_the_build_never_replaces_a_folder_that_is_not_a_site(tmp_path):
    (tmp_path / "homework.ipynb").write_text("{}")
    with pytest.raises(LiteError, match="other files in it"):
        build(ROOT, tmp_path)
    assert (tmp_path / "homework.ipynb").read_text() == "{}", "nothing of the folder is lost"
