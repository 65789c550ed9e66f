"""The class's study kernel (lessons.study_live): the lesson's plan run in a kernel of its own, pupils' boards
grouped by the anticipated responses they show, and a kernel that fails turning grouping off, not the class."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

from conftest import ROOT, run_async

from lessons.study_live import Grouping, StudyKernel
from widgets import Counters

LESSON = ROOT / "tests/notebooks/study_lesson.ipynb"
TAKES_OFF, ADDS = "Takes off the zero pairs", "Adds a counter instead of pairing"
log = logging.getLogger("test")


def board(positive: int, negative: int) -> dict:
    return Counters(positive=positive, negative=negative, name="pairs").snapshot()


def test_the_study_kernel_runs_the_lessons_plan_and_classifies_boards():
    async def run() -> tuple[list, list]:
        kernel = StudyKernel(LESSON, log)
        try:
            plan = await kernel.start()
            found = await kernel.classify(
                [("pairs", board(0, 2)), ("pairs", board(4, 5)), ("pairs", board(5, 5)), ("check", {"x": 1})]
            )
        finally:
            await kernel.stop()
        return plan, found

    plan, found = run_async(run())
    assert [(r["board"], r["name"], r["share"]) for r in plan] == [("pairs", TAKES_OFF, 1), ("pairs", ADDS, 2)]
    assert plan[0]["note"] == "Ask: why is the value still −2?"
    assert found == [[TAKES_OFF], [ADDS], [], []]


class FakeKernel:
    """A study kernel that answers from a table, or fails as told; it counts what it was asked."""

    def __init__(self, fail: Exception | None = None) -> None:
        self.fail = fail
        self.asked: list[list] = []
        self.stopped = False
        self.release = asyncio.Event()

    async def start(self) -> list[dict]:
        return [
            {"board": "pairs", "name": TAKES_OFF, "share": 1, "note": ""},
            {"board": "pairs", "name": ADDS, "share": 2, "note": ""},
        ]

    async def classify(self, boards: list) -> list[list[str]]:
        self.asked.append(boards)
        await self.release.wait()
        if self.fail:
            raise self.fail
        return [{-2: [TAKES_OFF], -1: [ADDS]}.get(state["value"], []) for _, state in boards]

    async def stop(self) -> None:
        self.stopped = True


def test_boards_are_grouped_in_sharing_order_and_a_burst_is_classified_once_per_pupil():
    async def run() -> tuple[FakeKernel, Grouping, list[str]]:
        kernel, published = FakeKernel(), []
        grouping = Grouping(kernel, published.append, log)
        grouping.changed(3, "pairs", {"value": -2})  # heard while the lesson was still running in the kernel
        await grouping.start([(3, "pairs", {"value": -5}), (9, "check", {"value": -2})])  # older, and unplanned
        await asyncio.sleep(0)
        for value in (-5, -4, -3, -1):  # a pupil working fast while the kernel is busy
            grouping.changed(7, "pairs", {"value": value})
        grouping.changed(5, "pairs", {"value": 0})
        grouping.changed(5, "check", {"value": 0})  # not a planned board
        kernel.release.set()
        while len(kernel.asked) < 2 or grouping._waiting:
            await asyncio.sleep(0.01)
        await asyncio.sleep(0.01)
        return kernel, grouping, published

    kernel, grouping, published = run_async(run())
    assert kernel.asked == [
        [("pairs", {"value": -2})],
        [("pairs", {"value": -1}), ("pairs", {"value": 0})],  # the newest of pupil 7's burst, then pupil 5's
    ]
    assert published == ["pairs", "pairs"]
    groups = grouping.groups("pairs")
    assert [(g["name"], g["pupils"]) for g in groups["groups"]] == [(TAKES_OFF, [3]), (ADDS, [7])]
    assert groups["none"] == [5]


def test_a_study_kernel_that_fails_turns_grouping_off_with_a_sentence_and_the_class_goes_on():
    async def run() -> tuple[FakeKernel, Grouping, list[str]]:
        kernel, published = FakeKernel(fail=TimeoutError("no reply in 30 s")), []
        grouping = Grouping(kernel, published.append, log)
        await grouping.start([])
        grouping.changed(3, "pairs", {"value": -2})
        kernel.release.set()
        while not grouping.note:
            await asyncio.sleep(0.01)
        grouping.changed(4, "pairs", {"value": -2})  # heard, and ignored
        return kernel, grouping, published

    kernel, grouping, published = run_async(run())
    assert (
        grouping.note
        == "Grouping is off: the study kernel stopped answering (TimeoutError: no reply in 30 s). The class goes on."
    )
    assert kernel.stopped and published == ["pairs"] and len(kernel.asked) == 1
    assert grouping.groups("pairs") == {"type": "groups", "board": "pairs", "groups": [], "none": []}


def test_a_lesson_that_cannot_be_run_turns_grouping_off(tmp_path: Path):
    missing = StudyKernel(tmp_path / "gone.ipynb", log)
    published: list[str] = []
    grouping = Grouping(missing, published.append, log)
    run_async(grouping.start([]))
    assert grouping.note.startswith("Grouping is off: the lesson could not be run for its anticipated responses (")
    assert published == [""]


def test_a_study_kernel_that_dies_mid_class_turns_grouping_off():
    """The real kernel, killed as a crash would: the next board's classification hears nothing back, and
    grouping goes off with a sentence; the boards grouped before stay out of a grouping that is off."""

    async def run() -> tuple[Grouping, list[str]]:
        published: list[str] = []
        grouping = Grouping(StudyKernel(LESSON, log, timeout=3), published.append, log)
        await grouping.start([(1, "pairs", board(0, 2))])
        while not published:
            await asyncio.sleep(0.05)
        assert grouping.groups("pairs")["groups"][0]["pupils"] == [1]
        grouping.kernel.kill()
        grouping.changed(2, "pairs", board(4, 5))
        while not grouping.note:
            await asyncio.sleep(0.05)
        return grouping, published

    grouping, published = run_async(run())
    assert grouping.note.startswith("Grouping is off: the study kernel stopped answering (")
    assert grouping.groups("pairs")["groups"] == [] and published[-1] == "pairs"
