"""axe-core over the kit's pages: the home page and a lesson in the classroom app.

axe-core comes from npm (package.json, installed into node_modules/ by `./run tests`). Any serious or
critical violation fails the suite, and so does content outside a landmark or two landmarks of one
name (axe's `region` and `landmark-unique`: a screen reader's user moves by landmarks). The lesson is
checked stepped to one section, as a teacher meets it, and with every section shown (Show all).
"""

from __future__ import annotations

import json
import os

import pytest
from conftest import ROOT
from playwright.sync_api import Page

pytestmark = pytest.mark.browser

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
LESSON = "units/y7-09-directed-number/01-zero-pairs.ipynb"
SERIOUS = {"serious", "critical"}
ALSO = {"region", "landmark-unique"}  # rules that fail the suite whatever their impact


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE.exists():
        message = f"axe-core is not installed at {AXE.relative_to(ROOT)} (./run tests installs it with npm)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)  # in CI a missing axe is a failure, never a skip
        pytest.skip(message)
    return AXE.read_text(encoding="utf-8")


def violations(page: Page, source: str, exclude: list[list[str]] | None = None) -> list[str]:
    """axe's serious and critical violations (and ALSO's) on the page as it is, one line each, naming the elements."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.add_script_tag(content=source)
    context = {"include": [["html"]], "exclude": exclude or []}
    result = page.evaluate("context => axe.run(context, { resultTypes: ['violations'] })", context)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {json.dumps([n['target'] for n in v['nodes']][:6])}"
        for v in result["violations"]
        if v["impact"] in SERIOUS or v["id"] in ALSO
    ]


def test_the_home_page_has_no_serious_violations(page: Page, classroom, axe_source):
    for address in [f"{classroom.url}/", f"{classroom.url}/?theme=dark&token={classroom.token}"]:
        page.goto(address)
        found = violations(page, axe_source)
        assert not found, f"{address}:\n" + "\n".join(found)


def test_a_lesson_and_its_boards_have_no_serious_violations(open_notebook, axe_source):
    page = open_notebook(LESSON + "#section-3", wait_for=".mn-bar [data-mn='all']:enabled")
    page.wait_for_function(
        "() => !document.querySelector('script[type*=\"widget-view\"]') && document.querySelector('.mn-board')",
        timeout=60_000,
    )
    found = ["stepped to section 3: " + v for v in violations(page, axe_source)]
    page.get_by_role("button", name="Show all").click()
    found += ["every section shown: " + v for v in violations(page, axe_source)]
    assert not found, "\n".join(found)
