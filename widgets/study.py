"""Anticipated responses that recognise pupils' work: the lesson study plan, as Python.

In a lesson's teacher-only cells (tag ``teacher-anticipated``) an author writes down how pupils are
likely to answer the lesson's rich problem, each response with a test over a pupil's board::

    anticipate(
        "Counts on by the first term",
        board="Sequence",
        when=lambda board: board.rule == "n + 4",
        share=1,
        sample=NumberLine(...),  # a board as such a pupil leaves it (no name: it is never shown)
        note="Ask: what is the 10th term? Does your rule agree?",
    )

- **The plan**: each response belongs to a board (its key in the class, as `_session.key_of` gives:
  the widget's ``name``), in sharing order (``share``, then the order written). Running the cell again
  replaces a response of the same name, so a re-run lesson keeps one plan.
- **The sample** is checked at once: `anticipate` runs ``when(sample)`` and refuses (`NotRecognised`,
  a ValueError naming the response) a test that does not recognise the work it is meant for, so a
  wrong test stops the lesson's Run All, and `mastery check` names the cell.
- **Classify**: `classify(board, snapshot)` restores a pupil's snapshot into a scratch widget of the
  lesson's board (the widget's own ``from_snapshot``, every field checked) and returns the names of the
  responses it matches, in sharing order; ``[]`` is "none of these". A test that raises, or a snapshot
  that does not fit, counts as not matched and is logged: a wrong test never stops a class.

No import of Jupyter's server or of the lesson tooling: this runs in the lesson's kernel.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from . import _session

log = logging.getLogger(__name__)

MAX_NAME = 80  # a response's name is a heading on the dashboard and in the record
MAX_NOTE = 500


class NotRecognised(ValueError):
    """An anticipated response's test does not recognise its own sample (the message ends ". Fix: ...")."""


@dataclass
class Anticipated:
    """One anticipated response: a name, the board it reads, the test that recognises it, and when to share it."""

    name: str
    board: str
    when: Callable[[Any], Any] = field(repr=False)
    share: int = 0
    note: str = ""
    kind: type | None = field(default=None, repr=False)  # the sample's class: a board to restore into

    def matches(self, widget: Any) -> bool:
        """Whether this pupil's work shows the response; a test that raises is "not matched" (and logged)."""
        try:
            return _verdict(self, self.when(widget))
        except Exception:
            log.warning("The test of the anticipated response %r failed on a pupil's board.", self.name, exc_info=True)
            return False


_plan: list[Anticipated] = []  # in the order written; `plan()` orders it for sharing


def _kind(widget: Any) -> type:
    """The widget's class as written (a widget given traits of its own is an instance of a copy of its class)."""
    kind = type(widget)
    while kind.__bases__ and kind.__bases__[0].__name__ == kind.__name__:
        kind = kind.__bases__[0]
    return kind


def _verdict(response: Anticipated, result: Any) -> bool:
    if result not in (True, False):
        raise TypeError(f"The test of {response.name!r} gave {result!r}: it must give True or False.")
    return bool(result)


def _text(value: Any, what: str, limit: int, *, required: bool) -> str:
    if not isinstance(value, str) or (required and not value.strip()) or len(value) > limit or "\n" in value.strip():
        need = "one line of text" if required else "text"
        raise ValueError(f"An anticipated response's {what} must be {need}, at most {limit} characters.")
    return value.strip()


def anticipate(
    name: str,
    *,
    board: str,
    when: Callable[[Any], Any],
    share: int = 0,
    sample: Any = None,
    note: str = "",
) -> Anticipated:
    """Add an anticipated response to the lesson's plan (see the module's docstring); returns it.

    `when(widget)` gets a widget of the board's kind holding a pupil's work and returns True when the
    work shows this response. `sample`, a widget in the state such a pupil leaves it, must be recognised.
    """
    name = _text(name, "name", MAX_NAME, required=True)
    board = _text(board, "board (the name= given to the widget)", MAX_NAME, required=True)
    note = _text(note, "note", MAX_NOTE, required=False)
    if not callable(when):
        raise TypeError(f"The test of {name!r} (when=) must be a function of a board, such as lambda board: ...")
    if isinstance(share, bool) or not isinstance(share, int):
        raise TypeError(f"The sharing order of {name!r} (share=) must be a whole number, such as 1, 2, 3.")
    response = Anticipated(name, board, when, share, note, None if sample is None else _kind(sample))
    if sample is not None:
        shown = _session.widgets().get(board)
        if shown is not None and not isinstance(sample, _kind(shown)):
            raise NotRecognised(
                f"The sample of {name!r} is a {_kind(sample).__name__}, but the board {board!r} is a "
                f"{_kind(shown).__name__}. Fix: build the sample as the same kind of widget."
            )
        try:
            recognised = _verdict(response, when(sample))
        except Exception as error:
            raise NotRecognised(
                f"The test of {name!r} fails on its own sample ({type(error).__name__}: {error}). "
                "Fix: make the test (when=) read the board as the sample holds it."
            ) from error
        if not recognised:
            raise NotRecognised(
                f"The test of {name!r} does not recognise its own sample. Fix: change the sample to "
                "show the response, or the test (when=) to recognise it."
            )
    kept = next((i for i, r in enumerate(_plan) if (r.board, r.name) == (board, name)), None)
    if kept is None:
        _plan.append(response)
    else:
        _plan[kept] = response  # the cell was run again
    return response


def _responses(board: str) -> list[Anticipated]:
    return sorted((r for r in _plan if r.board == board), key=lambda r: r.share)  # stable: ties keep written order


def plan() -> list[dict[str, Any]]:
    """The plan as data: each response's board, name, share and note; boards in the order first named."""
    boards = list(dict.fromkeys(r.board for r in _plan))
    return [{"board": r.board, "name": r.name, "share": r.share, "note": r.note} for b in boards for r in _responses(b)]


def forget() -> None:
    """Start an empty plan (a lesson run again from the top in the same kernel)."""
    _plan.clear()


def _scratch(board: str, snapshot: Any, responses: list[Anticipated]) -> Any:
    """A new widget of the board's kind holding the snapshot; never the lesson's (or a pupil's) own widget."""
    model = _session.widgets().get(board)
    kind = _kind(model) if model is not None else next((r.kind for r in responses if r.kind is not None), None)
    if kind is None:
        raise ValueError(f"The lesson shows no board {board!r}, and its responses give no sample to read it by.")
    answers = getattr(model, "_answers", None)  # questions restored with their answers can be marked again
    return kind.from_snapshot(snapshot, answers=answers) if answers is not None else kind.from_snapshot(snapshot)


def classify(board: str, snapshot: Any) -> list[str]:
    """The names of the anticipated responses this pupil's board shows, in sharing order ([]: none of these)."""
    responses = _responses(board)
    if not responses:
        return []
    try:
        scratch = _scratch(board, snapshot, responses)
    except Exception:
        log.warning("A pupil's board %r could not be read to classify it.", board, exc_info=True)
        return []
    try:
        return [r.name for r in responses if r.matches(scratch)]
    finally:
        close = getattr(scratch, "close", None)
        if close is not None:
            close()  # the scratch widget leaves no comm behind
