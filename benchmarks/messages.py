"""The work of the heaviest messages a page may send that a board accepts: CPU time in the kernel.

Each is a change a hostile or unlucky page could send within every limit the board checks, so the
figure is the most one message can cost a pupil's kernel (and, on a busy server, the class).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from widgets import AlgebraTiles, BarModel, Counters
from widgets._board import MAX_PIECES
from widgets.bar_model import MAX_BRACES, MAX_PARTS, MAX_ROWS, MAX_UNKNOWNS


def _update(board, pieces) -> None:
    board._handle_msg({"content": {"data": {"method": "update", "state": {"pieces": pieces}}}, "buffers": []})


def _custom(board, content) -> None:
    board._handle_msg({"content": {"data": {"method": "custom", "content": content}}, "buffers": []})


def counters_all_moved() -> Callable[[], None]:
    """A board of 1000 counters, every one moved onto another: zero pairs and settling for all."""
    board = Counters()
    board.width, board.height = 3000, 3000
    board.add(1, MAX_PIECES // 2)
    board.add(-1, MAX_PIECES // 2)
    pieces = [{**p, "x": 72 + (n % 2) * 10, "y": 72} for n, p in enumerate(board.pieces)]
    return lambda: _update(board, pieces)


def bar_model_at_its_limits() -> Callable[[], None]:
    """The largest bar model the limits take: every row full, as many unknowns and braces as allowed."""
    names = [f"a{n}" for n in range(MAX_UNKNOWNS)]
    rows = {f"R{r}": [names[(r * MAX_PARTS + i) % MAX_UNKNOWNS] for i in range(MAX_PARTS)] for r in range(MAX_ROWS)}
    board = BarModel(rows)
    runs: dict[int, list[str]] = {}
    for s in sorted((p for p in board.pieces if p["kind"] == "segment"), key=lambda p: p["x"]):
        runs.setdefault(s["row"], []).append(s["id"])
    braces = [
        {"id": f"b{n}", "kind": "brace", "x": 10, "y": 10, "cover": runs[n % MAX_ROWS][n // MAX_ROWS :][:2],
         "value": 1 + (n * 7919) % 1000, "w": 100, "hidden": False, "answer": None}
        for n in range(MAX_BRACES)
    ]  # fmt: skip
    pieces = board.pieces + braces
    return lambda: _update(board, pieces)


def tiles_filled() -> Callable[[], None]:
    """A mat of 200 x tiles asked for 100 more at once (room for some, then it says it is full)."""
    mat = AlgebraTiles("200x")
    return lambda: _custom(mat, {"action": "add", "term": "1", "n": 100})


CASES = {
    "1000 counters moved at once": counters_all_moved,
    "bar model at its limits": bar_model_at_its_limits,
    "100 tiles onto a full mat": tiles_filled,
}


def message_costs(repeats: int = 3) -> dict[str, list[float]]:
    """CPU milliseconds of each heaviest message, each on a fresh board, `repeats` times."""
    costs: dict[str, list[float]] = {}
    for name, make in CASES.items():
        for _ in range(repeats):
            send = make()
            began = time.process_time()
            send()
            costs.setdefault(name, []).append((time.process_time() - began) * 1000)
    return costs
