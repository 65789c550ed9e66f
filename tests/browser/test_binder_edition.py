"""Binder, without docker: a fresh environment built from binder/ alone serves the pupil edition.

As repo2docker would: a new virtual environment, `pip install -r binder/requirements.txt`, then
binder/postBuild, in a copy of the repository. Then JupyterLab (with Voila as its server extension,
as on Binder) serves a pupil-edition lesson in the classroom app: it opens without error, and no
teacher-only text is in the page.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest
from conftest import ROOT, _free_port, stop, teacher_lines, wait_until_up

from lessons.curriculum import read_curriculum
from lessons.format import is_teacher_only

LESSON = "units/y7-09-directed-number/01-zero-pairs.ipynb"


def _tracked_files() -> list[str]:
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return [line for line in listed.stdout.splitlines() if (ROOT / line).is_file()]


@pytest.fixture(scope="module")
def binder_server(tmp_path_factory):
    """JupyterLab from an environment made from binder/ alone, on a copy of the repository."""
    work = tmp_path_factory.mktemp("binder")
    repo, venv, home = work / "repo", work / "venv", work / "home"
    for name in _tracked_files():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, repo / name)
    home.mkdir()
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    env = {**os.environ, "HOME": str(home), "PATH": f"{venv / 'bin'}{os.pathsep}{os.environ['PATH']}"}
    env.pop("JUPYTER_PATH", None)
    env.pop("JUPYTER_CONFIG_DIR", None)
    env["VIRTUAL_ENV"] = str(venv)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*pip, "-r", "binder/requirements.txt"], cwd=repo, env=env, check=True, timeout=1200)
    postbuild = subprocess.run(
        ["bash", "binder/postBuild"], cwd=repo, env=env, capture_output=True, text=True, timeout=600
    )
    assert postbuild.returncode == 0, postbuild.stdout + postbuild.stderr

    port = _free_port()
    log = open(work / "lab.log", "w")  # noqa: SIM115
    server = subprocess.Popen(
        [
            str(venv / "bin" / "jupyter"),
            "lab",
            "--no-browser",
            f"--port={port}",
            "--ServerApp.ip=127.0.0.1",
            "--IdentityProvider.token=",
            "--ServerApp.password=",
            "--allow-root",  # CI may run as root
        ],
        cwd=repo,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url, server, work / "lab.log", "JupyterLab from binder/")
    except BaseException:
        stop(server)
        log.close()
        raise
    yield url, repo
    stop(server)
    log.close()


def test_binder_builds_a_pupil_edition_without_teacher_cells(binder_server):
    _, repo = binder_server
    units, _ = read_curriculum(ROOT)
    for unit in units:
        for lesson in unit.lessons:
            copy = repo / "pupil-edition" / lesson.file.relative_to(ROOT)
            assert copy.is_file(), f"{copy} missing from the pupil edition"
            assert not any(is_teacher_only(cell) for cell in json.loads(copy.read_text())["cells"])
            text = copy.read_text()
            assert all(line not in text for line in teacher_lines(lesson.file))


def test_a_pupil_opens_a_lesson_in_the_classroom_app_on_binder(binder_server, watched):
    url, page = binder_server[0], watched
    page.goto(f"{url}/mastery/")
    page.get_by_role("link", name="Zero pairs").first.click()
    page.wait_for_url("**/voila/render/pupil-edition/**")
    page.wait_for_selector(".mn-board .mn-svg", state="attached", timeout=90_000)
    assert page.locator(".mn-bar").is_visible(), "the classroom template (binder/voila.json) is not in use"
    content = page.content()
    assert all(line not in content for line in teacher_lines(ROOT / LESSON))
    assert "Traceback" not in content
    assert "Zero pairs" in page.title() or "Zero pairs" in content
