"""A research lesson in real pages: the teacher's dashboard and whiteboard, an observer, pupils on their own devices.

A real classroom server (`mastery present LESSON --class`) on a SQLite file. The lesson is
tests/notebooks/study_lesson.ipynb: the class lesson (the explore board "pairs" starts at 3 positive and
5 negative counters) with a teacher-only plan for "pairs": 1 "Takes off the zero pairs" (−2, no pairs
left), 2 "Adds a counter instead of pairing" (−1, pairs left). Pupils whose boards show neither are
"None of these".
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_accessibility_in_browser import axe_source, violations  # noqa: F401 (a fixture)
from tests.browser.test_class_in_browser import PAIRS, WAIT, device, join, to_section
from tests.conftest import ROOT, present, save_screenshot

LESSON = "tests/notebooks/study_lesson.ipynb"
TAKES_OFF, ADDS = "Takes off the zero pairs", "Adds a counter instead of pairing"


@pytest.fixture(scope="module")
def klass(tmp_path_factory) -> Iterator[dict]:
    db = tmp_path_factory.mktemp("class") / "class.sqlite"
    with present(str(ROOT / LESSON), "--class", "--db", str(db), "--pool", "0") as server:
        log = server.log_text()
        code = re.search(r"pupils join at +\S+ +code (\w+)", log).group(1)
        observer = re.search(r"observer \(colleagues\): +\S+\?token=(\S+)", log).group(1)
        yield {"url": server.url, "token": server.token, "observer": observer, "code": code, "db": db}


def group(page: Page, name: str):
    return page.locator(f'.mp-dash-group[data-group="{name}"]')


def press(page: Page, button: str, times: int = 1) -> None:
    for _ in range(times):
        page.locator(PAIRS).get_by_role("button", name=button).click()


def test_a_research_lesson_grouped_observed_sequenced_and_replayed(klass, browser, axe_source):  # noqa: F811
    dashboard = device(browser, 1920, 1080)
    dashboard.goto(f"{klass['url']}/mastery/class/dashboard?token={klass['token']}")
    whiteboard = device(browser, 1920, 1080)
    whiteboard.goto(f"{klass['url']}/voila/render/{LESSON}?token={klass['token']}")
    expect(whiteboard.locator(".mn-class-join-code")).to_have_text(klass["code"], timeout=WAIT)
    observer = device(browser, 1366, 768)  # a colleague's laptop
    observer.goto(f"{klass['url']}/mastery/class/observe?token={klass['observer']}")
    expect(observer.get_by_role("heading", name="Your note")).to_be_visible()

    # Four pupils make 3 + (−5): two ways the plan anticipated, and one it did not.
    pupils = {}
    for name, button, times in (
        ("Adaeze", "Add a positive counter", 1),  # −1, pairs left
        ("Bongani", "Take every zero pair off the board", 1),  # −2, none left
        ("Cyrus", "Add a positive counter", 2),  # 0: none of these
        ("Delphine", "Take every zero pair off the board", 1),
    ):
        page = pupils[name] = device(browser)
        join(klass, page, name)
        to_section(page, 2)
        press(page, button, times)
    expect(pupils["Cyrus"].locator(PAIRS).locator(".mn-piece")).to_have_count(10)

    # The dashboard groups the boards under each response, in the plan's sharing order, then "None of these".
    dashboard.get_by_role("tab", name="pairs").click()
    expect(dashboard.locator(".mp-dash-group h3")).to_have_text(
        [f"{TAKES_OFF} 2", f"{ADDS} 1", "None of these 1"], timeout=WAIT
    )
    expect(group(dashboard, TAKES_OFF).locator(".mp-dash-name")).to_have_text(["Pupil 2", "Pupil 4"])
    expect(group(dashboard, ADDS).locator(".mp-dash-name")).to_have_text(["Pupil 1"])
    expect(group(dashboard, "None of these").locator(".mp-dash-name")).to_have_text(["Pupil 3"])
    expect(group(dashboard, TAKES_OFF)).to_contain_text("Ask: why is the value still −2?")
    # Updated as pupils work: Ada takes her pairs off too, and moves group.
    press(pupils["Adaeze"], "Add a negative counter")
    press(pupils["Adaeze"], "Take every zero pair off the board")
    expect(group(dashboard, TAKES_OFF).locator(".mp-dash-name")).to_have_text(["Pupil 1", "Pupil 2", "Pupil 4"])
    expect(group(dashboard, ADDS).locator(".mp-dash-card")).to_have_count(0)
    save_screenshot(dashboard, "study-dashboard-grouped")

    # The observer sees the same groups, pupils only as pseudonyms, and writes notes the teacher sees at once.
    observer.get_by_role("tab", name="pairs").click()
    expect(observer.locator(".mp-dash-group h3")).to_have_text([f"{TAKES_OFF} 3", f"{ADDS} 0", "None of these 1"])
    for name in pupils:
        assert name not in observer.locator("main").inner_text(), "an observer saw a pupil's name"
    observer.get_by_label("About").select_option(label="Pupil 3")
    observer.get_by_label("Note", exact=True).fill(
        "Pupil 3 added positives until the value was 0: reads 'make' as 'make zero'."
    )
    observer.get_by_label("You are").fill("Ms Kaur")
    observer.get_by_role("button", name="Save the note").click()
    observer.get_by_label("About").select_option(label=f"Group: {TAKES_OFF}")
    observer.get_by_label("Note", exact=True).fill(
        "All three took the pairs off in one press: none counted them first."
    )
    observer.get_by_role("button", name="Save the note").click()
    notes = dashboard.locator(".mp-dash-notes li")
    expect(notes).to_have_count(2)
    expect(notes.first).to_contain_text("Ms Kaur on Pupil 3: Pupil 3 added positives until the value was 0")
    expect(notes.nth(1)).to_contain_text(f"on {TAKES_OFF}: All three took the pairs off")
    expect(observer.locator(".mp-dash-notes li")).to_have_count(2)
    assert not observer.get_by_role("button", name="Eyes on me").count(), "an observer was given the teacher's controls"

    found = [f"dashboard: {v}" for v in violations(dashboard, axe_source)]
    found += [f"observer's page: {v}" for v in violations(observer, axe_source)]
    assert not found, "\n".join(found)

    # The sequence: suggested from the plan's sharing order, Cyrus's board added and moved up, shown with names.
    dashboard.get_by_role("button", name="Suggest from the plan").click()
    sequence = dashboard.locator(".mp-dash-sequence li .mp-dash-seq-what")
    expect(sequence).to_have_text([f"Pupil 1, pairs ({TAKES_OFF})"])  # nobody shows the second response now
    group(dashboard, "None of these").get_by_role("button", name="Add to sequence: Pupil 3's board").click()
    group(dashboard, TAKES_OFF).get_by_role("button", name="Add to sequence: Pupil 2's board").click()
    expect(sequence).to_have_count(3)
    dashboard.get_by_role("button", name="Move Pupil 3 up").click()
    expect(sequence).to_have_text(["Pupil 3, pairs", f"Pupil 1, pairs ({TAKES_OFF})", f"Pupil 2, pairs ({TAKES_OFF})"])
    dashboard.get_by_label("name the response").check()
    dashboard.get_by_role("button", name="Show next").click()
    shown = whiteboard.locator(".mn-class-shown figure")
    expect(shown.locator("figcaption")).to_have_text(["Board A"])
    expect(whiteboard.locator(".mn-class-shown-response")).to_have_count(0)  # none of these: no name to show
    dashboard.get_by_label("two at a time").check()
    dashboard.get_by_role("button", name="Show next").click()
    expect(shown.locator("figcaption")).to_have_text(["Board A", "Board B"])
    expect(shown.locator("img")).to_have_count(2)
    expect(whiteboard.locator(".mn-class-shown-response")).to_have_text(TAKES_OFF)
    text = whiteboard.locator("body").inner_text()
    assert not any(name in text for name in pupils), "the whiteboard named a pupil"
    save_screenshot(whiteboard, "study-whiteboard-sequence")
    expect(dashboard.get_by_role("button", name="Show next")).to_be_disabled()

    # Replay: Cyrus's board, step by step, on the dashboard and on the observer's page.
    for page in (dashboard, observer):
        group(page, "None of these").get_by_role("button", name="Replay Pupil 3's board").click()
        at = page.locator(".mp-dash-replay-at")
        expect(at).to_have_text(re.compile(r"^Step 1 of 2, \d\d:\d\d:\d\d$"))
        first = page.locator(".mp-dash-replay-board").get_attribute("src")
        page.get_by_role("button", name="Next", exact=True).click()
        expect(at).to_have_text(re.compile(r"^Step 2 of 2, "))
        assert page.locator(".mp-dash-replay-board").get_attribute("src") != first
        expect(page.get_by_role("button", name="Next", exact=True)).to_be_disabled()
        page.get_by_role("button", name="First").click()
        expect(at).to_have_text(re.compile(r"^Step 1 of 2, "))
        page.get_by_role("button", name="Last").click()
        page.get_by_role("button", name="Previous").click()
        expect(at).to_have_text(re.compile(r"^Step 1 of 2, "))
    save_screenshot(observer, "study-observer-replay")

    from lessons.store import Store

    with Store(str(klass["db"])) as store:
        record = store.find_class(klass["code"])
        ids = {p.name: p.id for p in store.pupils(record.id)}
        shows = store.shows(record.id)
        kept = store.notes(record.id)
    assert [(s.pupils, s.response) for s in shows] == [
        ([ids["Cyrus"]], None),
        ([ids["Adaeze"], ids["Bongani"]], TAKES_OFF),
    ]
    assert [(n.observer, n.pupil_id, n.group) for n in kept] == [
        ("Ms Kaur", ids["Cyrus"], None),
        ("Ms Kaur", None, TAKES_OFF),
    ]

    # The research lesson's record, from the dashboard's link: the notes in time order, the sequence shown, no
    # pupil named and nothing fetched from elsewhere when it is opened. An observer cannot take it.
    with dashboard.expect_download() as download:
        dashboard.get_by_role("link", name="The research lesson's record").click()
    page = Path(download.value.path()).read_text(encoding="utf-8")
    assert page.index("Ms Kaur on Pupil 3: Pupil 3 added positives") < page.index(f"Ms Kaur on {TAKES_OFF}")
    assert TAKES_OFF in re.search(r"<h2>The sequence shown</h2>(.*?)<h2>", page, re.S).group(1)
    assert not re.search(r"https?:", page) and "<script" not in page
    for name in ids:
        assert name not in page, f"the record names {name}"
    assert observer.request.get(f"{klass['url']}/mastery/class/record").status == 403
    reader = browser.new_page(viewport={"width": 1920, "height": 1080})  # opened as a file, offline
    reader.set_content(page)
    save_screenshot(reader, "study-record")
    reader.close()

    for page in (dashboard, whiteboard, observer, *pupils.values()):
        assert not page.errors, page.errors  # type: ignore[attr-defined]
