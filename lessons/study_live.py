"""The class's study kernel: the lesson's anticipated responses recognising pupils' boards while they work.

When a class starts, the server starts one more kernel for it, of its own (not the Jupyter server's, so no
page can reach it, and never culled): the lesson's whole notebook runs there, teacher-only cells too, in the
teacher's role, so the plan its ``teacher-anticipated`` cells write (`widgets.study`) is there. The class
then sends it each pupil's newest state of each planned board to classify (`widgets.study.classify`):
bursts coalesce (one state per pupil and board, the newest, whatever arrived while the kernel was busy),
and the kernel's work never holds the server's event loop. A kernel that fails to start, raises, hangs or
dies turns grouping off with a sentence for the dashboard; the class goes on without it.
"""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

CELL_SECONDS = 120  # one cell of the lesson, as `mastery check` allows
CLASSIFY_SECONDS = 30  # one batch of boards: a test that takes longer is a test gone wrong
MARK = "\x1emastery-study\x1e"  # what the kernel prints before its answer, so the lesson's own prints do not confuse


class StudyKernel:
    """A kernel that has run the lesson's whole notebook, asked for its plan and to classify boards."""

    def __init__(self, notebook: Path, log: Any, *, timeout: float = CLASSIFY_SECONDS) -> None:
        self.notebook = notebook
        self.log = log
        self.timeout = timeout  # seconds one batch of boards may take
        self.manager: Any = None
        self.client: Any = None
        self._asking = asyncio.Lock()  # one request at a time: each reads its own answer

    async def start(self) -> list[dict[str, Any]]:
        """Start the kernel, run the lesson in it (a cell that raises is logged, the rest run), and return its
        plan: [{board, name, share, note}] in sharing order per board."""
        import nbformat
        from jupyter_client.manager import AsyncKernelManager

        lesson = nbformat.read(self.notebook, as_version=4)
        env = {k: v for k, v in os.environ.items() if k != "MASTERY_CLASS"}  # the teacher's role: a plan's own run
        self.manager = AsyncKernelManager(kernel_name="python3")
        await self.manager.start_kernel(env=env, cwd=str(self.notebook.parent))
        self.client = self.manager.client()
        self.client.start_channels()
        await self.client.wait_for_ready(timeout=60)
        failed = 0
        for cell in lesson.cells:
            if cell.cell_type == "code" and cell.source.strip():
                reply = await self.client.execute_interactive(
                    cell.source, store_history=False, allow_stdin=False, timeout=CELL_SECONDS, output_hook=_ignore
                )
                failed += reply["content"].get("status") != "ok"
        if failed:
            self.log.warning("mastery: %s cell(s) of the lesson raised in the study kernel", failed)
        return await self._ask("__import__('widgets.study', fromlist=['plan']).plan()", CELL_SECONDS)

    async def classify(self, boards: list[tuple[str, dict]]) -> list[list[str]]:
        """The anticipated responses each (board, state) shows, in sharing order ([]: none of these)."""
        return await self._ask(
            "[__import__('widgets.study', fromlist=['classify']).classify(b, s) for b, s in "
            f"__import__('json').loads({json.dumps(boards)!r})]",
            self.timeout,
        )

    async def _ask(self, expression: str, timeout: float) -> Any:
        printed: list[str] = []

        def heard(message: dict[str, Any]) -> None:
            if message["header"]["msg_type"] == "stream" and message["content"].get("name") == "stdout":
                printed.append(message["content"].get("text", ""))

        code = f"print({MARK!r} + __import__('json').dumps({expression}))"
        async with self._asking:
            reply = await self.client.execute_interactive(
                code, silent=False, store_history=False, allow_stdin=False, timeout=timeout, output_hook=heard
            )
        content = reply["content"]
        if content.get("status") != "ok":
            raise RuntimeError(f"{content.get('ename', 'an error')}: {content.get('evalue', '')}")
        said = "".join(printed)
        if MARK not in said:
            raise RuntimeError("the study kernel gave no answer")
        return json.loads(said.rsplit(MARK, 1)[1])

    def kill(self) -> None:
        """Stop the kernel's process now, without the event loop (the server is stopping)."""
        process = getattr(getattr(self.manager, "provisioner", None), "process", None)
        if process is not None and process.poll() is None:
            process.kill()

    async def stop(self) -> None:
        if self.client is not None:
            self.client.stop_channels()
        if self.manager is not None and self.manager.has_kernel:
            await self.manager.shutdown_kernel(now=True)


def _ignore(message: dict[str, Any]) -> None:
    pass


class Grouping:
    """Pupils' boards grouped by the plan's anticipated responses, kept up to date as pupils work.

    `changed(pupil, board, state)` takes a newly recorded state (kept until the kernel is free: the newest
    per pupil and board); `publish(board)` is called with each board whose groups changed; `groups(board)`
    gives them as the dashboard draws them. `note` says why grouping is off, if it is.
    """

    def __init__(self, kernel: StudyKernel, publish: Callable[[str], Awaitable[None] | None], log: Any) -> None:
        self.kernel = kernel
        self.publish = publish
        self.log = log
        self.plan: list[dict[str, Any]] = []
        self.note = ""
        self.matched: dict[tuple[int, str], list[str]] = {}  # (pupil, board) -> the names their board shows
        self._waiting: dict[tuple[int, str], dict] = {}
        self._ready = False  # the plan known: until then every change waits (the lesson takes seconds to run)
        self._wake = asyncio.Event()
        self._worker: asyncio.Task | None = None

    @property
    def boards(self) -> list[str]:
        return list(dict.fromkeys(r["board"] for r in self.plan))

    async def start(self, latest: list[tuple[int, str, dict]]) -> None:
        """Run the lesson in the kernel, then classify the boards already recorded (a class taken up again)."""
        try:
            self.plan = await self.kernel.start()
        except Exception as error:
            return await self.off(f"the lesson could not be run for its anticipated responses ({_why(error)})")
        if not self.plan:
            await self.kernel.stop()  # a lesson without a plan needs no study kernel
            return None
        self.log.info("mastery: the study kernel holds %s anticipated responses", len(self.plan))
        planned = set(self.boards)
        for pupil, board, state in latest:
            self._waiting.setdefault((pupil, board), state)  # a change heard while the lesson ran is newer
        self._waiting = {key: state for key, state in self._waiting.items() if key[1] in planned}
        self._ready = True
        self._wake.set()
        self._worker = asyncio.ensure_future(self._work())
        return None

    def changed(self, pupil: int, board: str, state: dict) -> None:
        if self.note or (self._ready and board not in self.boards):
            return
        self._waiting[(pupil, board)] = state
        self._wake.set()

    async def _work(self) -> None:
        while not self.note:
            await self._wake.wait()
            self._wake.clear()
            batch, self._waiting = self._waiting, {}
            if not batch:
                continue
            try:
                found = await self.kernel.classify([(board, state) for (_, board), state in batch.items()])
            except Exception as error:
                await self.off(f"the study kernel stopped answering ({_why(error)})")
                return
            for key, names in zip(batch, found, strict=True):
                self.matched[key] = names
            for board in dict.fromkeys(board for _, board in batch):
                await _maybe(self.publish(board))

    async def off(self, why: str) -> None:
        self.note = f"Grouping is off: {why}. The class goes on."
        self.log.warning("mastery: %s", self.note)
        self._waiting.clear()
        for board in self.boards or [""]:
            await _maybe(self.publish(board))
        await self.stop()

    def groups(self, board: str) -> dict[str, Any]:
        """The board's groups in sharing order (pupils in the order they joined), and "none of these"."""
        responses = [r for r in self.plan if r["board"] == board] if not self.note else []
        found = {p: names for (p, b), names in sorted(self.matched.items()) if b == board}
        return {
            "type": "groups",
            "board": board,
            "groups": [{**r, "pupils": [p for p, names in found.items() if r["name"] in names]} for r in responses],
            "none": [p for p, names in found.items() if not names] if responses else [],
        }

    async def stop(self) -> None:
        worker, self._worker = self._worker, None
        if worker is not None and worker is not asyncio.current_task():
            worker.cancel()
        try:
            await self.kernel.stop()
        except Exception as error:  # a kernel already gone
            self.log.info("mastery: the study kernel stopped: %s", error)


def _why(error: BaseException) -> str:
    said = str(error).strip().splitlines()
    return f"{type(error).__name__}: {said[0][:200]}" if said else type(error).__name__


async def _maybe(result: Awaitable[None] | None) -> None:
    if result is not None:
        await result
