"""The kernel's side of a class: whose kernel this is, the widgets it shows by name, and what it records.

A classroom server running a class starts every kernel with ``MASTERY_CLASS=1`` in its environment, so
a kernel is a pupil's until the server says otherwise (it fails closed: a page that reaches a kernel
before the server has spoken gets no teacher's action). The server, never the page, then runs
`join(role, saved)` in the kernel (a page cannot run code: the classroom's websocket guard lets no
execute request through). Outside a class (a notebook in JupyterLab, a lesson presented without a
class) every action is the one person's at the screen, as before.

- **Roles**: an action declared ``@action(teacher=True)`` (Questions' reveal, a board's
  reveal_readout) is refused in a pupil's kernel, with a sentence the pupil can read.
- **Names**: each widget shown is registered in the order it is shown; its key in the class is its
  ``name`` when the author gave one, else its kind and place among the shown widgets of that kind
  ("Counters 2"), stable from one run of the lesson to the next.
- **Records**: after every message from the page a pupil's kernel accepts, it sends the widget's
  `record` (its snapshot and SVG, or an answer checked and Python's marking) as a ``mastery_record``
  message on IOPub. Only the server reads it (the guard never forwards it to a page), so a page cannot
  forge one, and the server writes it to the store with the pupil, the time and the section.
- **Restore**: `join` puts each saved widget back from its snapshot, validated by the widget's own
  ``from_snapshot`` and applied in place (the page's views follow); a snapshot that does not fit is
  skipped, and the lesson's own start kept.

No import of the lesson tooling or of Jupyter's server: this module speaks only to the widgets and,
when it records, to the running kernel.
"""

from __future__ import annotations

import os
import weakref
from typing import Any

CLASS_ENV = "MASTERY_CLASS"  # set by the classroom server for every kernel of a class
RECORD = "mastery_record"  # the IOPub message type only the server reads (lessons.guards.RECORD)
TEACHER, PUPIL = "teacher", "pupil"
TEACHER_ONLY = "Only your teacher can do that."

_role = PUPIL if os.environ.get(CLASS_ENV) == "1" else TEACHER
_recording = False  # a pupil's kernel records once the server has joined it to the class
_shown: list[weakref.ReferenceType] = []  # widgets in the order they were first shown


def role() -> str:
    """This kernel's role: "teacher" or "pupil"."""
    return _role


def allows(teacher_only: bool) -> bool:
    """Whether an action may run in this kernel."""
    return not teacher_only or _role == TEACHER


def shown(widget: Any) -> None:
    """A widget is shown for the first time: it takes its place in the lesson's order."""
    _shown.append(weakref.ref(widget))


def widgets() -> dict[str, Any]:
    """Every widget shown and still alive, by its key in the class."""
    found: dict[str, Any] = {}
    counts: dict[str, int] = {}
    for ref in _shown:
        widget = ref()
        if widget is None:
            continue
        kind = type(widget).__name__
        counts[kind] = counts.get(kind, 0) + 1
        key = getattr(widget, "name", "") or f"{kind} {counts[kind]}"
        found.setdefault(key, widget)
    return found


def key_of(widget: Any) -> str:
    return next((key for key, found in widgets().items() if found is widget), "")


def accepted(widget: Any, record: dict[str, Any] | None) -> None:
    """A message from the page was accepted: send what it changed to the server (a pupil's kernel only)."""
    if not (_recording and record):
        return
    from ipykernel.kernelbase import Kernel  # only a kernel records

    if not Kernel.initialized():
        return
    kernel = Kernel.instance()
    kernel.session.send(kernel.iopub_socket, RECORD, {"board": key_of(widget), **record}, parent=kernel.get_parent())


def join(role: str, saved: dict[str, Any]) -> dict[str, list[str]]:
    """The server says whose kernel this is, and gives back a pupil's saved widgets (key -> snapshot).

    Returns the keys restored and those skipped, for the server's log.
    """
    global _role, _recording
    if role not in (TEACHER, PUPIL):
        raise ValueError(f"A role is {TEACHER!r} or {PUPIL!r}, not {role!r}.")
    _role, _recording = role, role == PUPIL
    restored, skipped = [], []
    by_key = widgets()
    for widget in by_key.values():
        widget.teacher_only = sorted(widget._teacher_actions) if role == PUPIL else []
    for key, snap in (saved or {}).items():
        widget = by_key.get(key)
        try:
            if widget is None:
                raise ValueError(f"no widget {key!r} in this lesson")
            widget._restore(snap)
            restored.append(key)
        except (ValueError, TypeError, AttributeError):
            skipped.append(key)
    return {"restored": restored, "skipped": skipped}
