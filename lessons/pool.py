"""The kernel pool policy: pre-heated kernels for a class arriving at once (`PoolRefills`)."""

from __future__ import annotations

import asyncio
import time
import weakref
from typing import Any


def _started(item: asyncio.Future) -> bool:
    """A pool's kernel that has started: it is running its notebook, or has run it."""
    return item.done() and not item.cancelled() and item.exception() is None


def _rendered(item: asyncio.Future) -> bool:
    """A pool's kernel that has run its notebook: a page gets it at once."""
    return _started(item) and item.result()["task"].done()


class PoolRefills:
    """Pre-heated kernels for a class: the readiest handed out, replaced one at a time once arrivals pause.

    Voila refills a pool a second after each kernel is taken, every refill at once, and hands a page
    the next kernel in the pool even before that kernel has started. When a class of 30 arrives, 30
    new kernels start and run the lesson on the cores the pupils' own kernels need, and a pupil may
    wait for one of them. Here refills wait until no page has taken a kernel for `quiet` seconds, then
    start one at a time, and a page is given a kernel that has run its lesson, else one running it,
    else none (it starts its own, as without a pool). The first filling at start-up still runs all at
    once. The log says "mastery: N of M kernels ready for LESSON" as each finishes running the lesson.
    """

    def __init__(self, manager: Any, log: Any, quiet: float = 10.0) -> None:
        self.manager = manager
        self.log = log
        self.quiet = quiet
        self._last_taken = 0.0
        self._gate: asyncio.Semaphore | None = None  # made in the running loop
        self._watched: weakref.WeakSet = weakref.WeakSet()
        self._said: dict[str, int] = {}
        self._initialize = manager._initialize
        self._fill_if_needed = manager.fill_if_needed
        self._get_rendered_notebook = manager.get_rendered_notebook
        manager._initialize = self.initialize
        manager.fill_if_needed = self.fill_if_needed
        manager.get_rendered_notebook = self.get_rendered_notebook
        manager.get_pool_size = self.get_pool_size
        self.watch()

    def get_pool_size(self, notebook_name: str) -> int:
        return sum(map(_started, self.manager._pools.get(notebook_name, [])))

    async def get_rendered_notebook(self, notebook_name: str, *args: Any, **kwargs: Any) -> Any:
        pool = self.manager._pools.get(notebook_name, [])
        best = next((n for n, item in enumerate(pool) if _rendered(item)), None)
        best = next((n for n, item in enumerate(pool) if _started(item)), None) if best is None else best
        if best:
            pool.insert(0, pool.pop(best))  # Voila hands out the first: make it the readiest
        self._last_taken = time.monotonic()
        return await self._get_rendered_notebook(notebook_name, *args, **kwargs)

    async def initialize(self, notebook_path: str, kernel_id: str | None = None, **kwargs: Any) -> dict:
        if self._gate is None:
            self._gate = asyncio.Semaphore(1)
        async with self._gate:
            while (wait := self._last_taken + self.quiet - time.monotonic()) > 0:
                await asyncio.sleep(wait)
            content = await self._initialize(notebook_path, kernel_id, **kwargs)
            await asyncio.wait([content["task"]])  # the lesson has run in the new kernel
        return content

    def fill_if_needed(self, *args: Any, **kwargs: Any) -> None:
        self._fill_if_needed(*args, **kwargs)
        self.watch()

    def watch(self) -> None:
        for name, pool in self.manager._pools.items():
            for item in pool:
                if item not in self._watched:
                    self._watched.add(item)
                    item.add_done_callback(lambda started, name=name: self._on_started(name, started))

    def _on_started(self, name: str, started: asyncio.Future) -> None:
        if not started.cancelled() and started.exception() is None:
            started.result()["task"].add_done_callback(lambda _: self._ready(name))

    def _ready(self, name: str) -> None:
        pools = self.manager.kernel_pools_config
        size = pools.get(name, pools.get("default", {})).get("pool_size", 0)
        ready = sum(map(_rendered, self.manager._pools.get(name, [])))
        if self._said.get(name) != ready:
            self._said[name] = ready
            self.log.info("mastery: %s of %s kernels ready for %s", ready, size, name)
