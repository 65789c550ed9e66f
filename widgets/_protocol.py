"""The one guarded base for every widget the browser talks to (boards and Questions alike).

Whoever holds the page can send anything. Here, once, for every widget:
- which traits the browser may write (`_browser_writable`); any other write is refused whole;
- the actions it may ask for, declared with `@action` on a method whose annotations type its
  arguments; a message with the wrong details is refused before the method runs;
- a change is made whole or not at all, and a refusal is said in `message` (a sentence a pupil
  can read) while the browser is put back to the state Python kept;
- a malformed comm message is refused, never raised into the kernel's log;
- the comm (and the front end's code) goes to the browser only when the widget is first shown;
- snapshots: plain JSON of the declared state, with the widget's name and a version;
- in a class (`widgets._session`): an action declared ``teacher=True`` is refused in a pupil's
  kernel, and every accepted message is recorded for the teacher (`_record`).
"""

from __future__ import annotations

import contextlib
import copy
import inspect
import math
import re
import reprlib
import types
import typing
from collections.abc import Callable, Iterator
from typing import Any, ClassVar

import anywidget
import traitlets as t

from . import _session

SNAPSHOT_VERSION = 1
MAX_TEXT = 200  # the longest text any action takes
# One line of plain text: no control characters (C0, DEL, C1), no line or paragraph separators, and
# no lone surrogates (they cannot be encoded, and would break syncing the board).
_NOT_ONE_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


@contextlib.contextmanager
def _apart_from_the_cell() -> Iterator[None]:
    """Open a comm as its own message, not as the running cell's output.

    nbclient (so nbconvert, nbviewer, `--execute`) stores the state of every comm a cell opens, and
    an exported page then prefers the stored widget view, which needs a CDN, over the board's own
    picture (`image/svg+xml`): the board shows as an empty box. A comm_open without the cell's
    header is not stored, so the picture shows; live clients (JupyterLab, Notebook, Voila) take a
    comm_open from any parent. Only the opening goes apart: later updates keep their parent, which
    the browser needs to recognise the echoes of its own changes.
    """
    try:
        from ipykernel.kernelbase import Kernel
    except ImportError:  # not in a kernel: nothing is listening
        yield
        return
    kernel = Kernel.instance() if Kernel.initialized() else None
    parent = kernel.get_parent() if kernel is not None else {}
    if parent.get("header", {}).get("msg_type") != "execute_request":
        yield
        return
    kernel.get_parent = lambda channel=None: {}  # this instance, this call only
    try:
        yield
    finally:
        del kernel.get_parent


class Refused(t.TraitError, ValueError):
    """A change that would break a widget. Its message is shown to whoever made it."""


_REPR = reprlib.Repr()  # never deeper or longer than a message needs, however nested the value
_REPR.maxlevel, _REPR.maxstring, _REPR.maxother = 3, 30, 30


def short(value: Any) -> str:
    """A hostile value, cut short enough to name in a message."""
    text = _REPR.repr(value)
    return text if len(text) <= 24 else text[:21] + "..."


def _finite(value: float) -> bool:
    return isinstance(value, int) and abs(value) <= 10**9 or isinstance(value, float) and math.isfinite(value)


def one_line(value: Any, most: int) -> bool:
    """Whether a value is text of at most `most` characters on one line, safe to sync and show."""
    return isinstance(value, str) and len(value) <= most and not _NOT_ONE_LINE.search(value)


def action(method: Callable[..., Any] | None = None, *, name: str | None = None, teacher: bool = False) -> Any:
    """Mark a method as an action the browser may ask for, as {"action": name, ...arguments}.

    The method's annotated parameters are the action's typed arguments (str, int, bool, list[str],
    and `X | None`); a message whose details do not fit is refused before the method runs.
    `teacher=True`: an action that changes what pupils see, refused in a pupil's kernel in a class.
    """

    def mark(fn: Callable[..., Any]) -> Callable[..., Any]:
        fn._browser_action = name or fn.__name__.lstrip("_")  # type: ignore[attr-defined]
        fn._teacher_only = teacher  # type: ignore[attr-defined]
        return fn

    return mark(method) if method is not None else mark


def _fits(value: Any, hint: Any) -> bool:
    """Whether a value from the browser has the type an action's parameter declares."""
    if hint is Any:
        return True
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        return any(_fits(value, h) for h in typing.get_args(hint))
    if hint is type(None):
        return value is None
    if hint is bool:
        return isinstance(value, bool)
    if hint is float:
        return isinstance(value, (int, float)) and not isinstance(value, bool) and _finite(value)
    if hint is int:
        return isinstance(value, int) and not isinstance(value, bool) and abs(value) <= 10**9
    if hint is str:
        return one_line(value, MAX_TEXT)
    if typing.get_origin(hint) is list:
        (item,) = typing.get_args(hint) or (Any,)
        return isinstance(value, list) and len(value) <= 1000 and all(_fits(v, item) for v in value)
    return False


class Guarded(anywidget.AnyWidget):
    """A widget whose every message from the browser is checked here, once."""

    message = t.Unicode("").tag(sync=True)  # why the last message from the browser was refused
    # The teacher's actions this kernel refuses (a pupil's, in a class): the page hides their buttons.
    teacher_only = t.List(t.Unicode()).tag(sync=True)

    _browser_writable: ClassVar[frozenset[str]] = frozenset()
    _actions: ClassVar[dict[str, str]] = {}  # action name -> method name, gathered from @action
    _teacher_actions: ClassVar[frozenset[str]] = frozenset()  # those declared teacher=True
    _action_hints: ClassVar[dict[str, dict[str, Any]]] = {}
    _snapshot_traits: ClassVar[tuple[str, ...]] = ()  # the declared state a snapshot holds
    _refusal = "That change was refused."  # the message for a write the browser may not make

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        actions, teacher = {}, set()
        for klass in reversed(cls.__mro__):
            for attr, fn in vars(klass).items():
                name = getattr(fn, "_browser_action", None)
                if name:
                    actions[name] = attr
                    (teacher.add if getattr(fn, "_teacher_only", False) else teacher.discard)(name)
        cls._actions = actions
        cls._teacher_actions = frozenset(teacher)
        cls._action_hints = {}  # each action's typed parameters, read when the page first asks for it

    @classmethod
    def _parameters(cls, name: str) -> dict[str, tuple[Any, bool]]:
        """An action's parameters: each one's declared type, and whether it must be sent."""
        if name not in cls._action_hints:
            fn = getattr(cls, cls._actions[name])
            params = list(inspect.signature(fn).parameters.values())[1:]
            types_ = typing.get_type_hints(fn)  # compiles the annotations: once, on first use, not at import
            cls._action_hints[name] = {p.name: (types_.get(p.name, Any), p.default is p.empty) for p in params}
        return cls._action_hints[name]

    # --- state from the browser ----------------------------------------------------------------

    def set_state(self, sync_data: Any) -> None:
        """A state update from the browser: accepted whole, or refused whole with a message."""
        with self._answering(Refused, "That change could not be read."):
            if not isinstance(sync_data, dict) or not sync_data or not sync_data.keys() <= self._browser_writable:
                raise Refused(self._refusal)
            self._accept_state(sync_data)
            self._accepted(None, sync_data)

    @contextlib.contextmanager
    def _answering(self, said: type[Exception], fault: str) -> Iterator[None]:
        """Carry out one message from the page. A refusal (`said`) is shown with its reason; a wrong
        type is refused calmly; a fault in our own code goes to the log, and the page is told calmly."""
        try:
            yield
        except said as why:
            self._refuse(str(why))
        except (t.TraitError, TypeError, ValueError):
            self._refuse(fault)
        except Exception:
            self.log.warning("A message from the page could not be carried out.", exc_info=True)
            self._refuse(fault)
        else:
            self.message = ""

    def _accept_state(self, sync_data: dict[str, Any]) -> None:
        with self._all_or_nothing():
            super().set_state(sync_data)

    def _handle_msg(self, msg: dict[str, Any]) -> None:
        content = msg.get("content") if isinstance(msg, dict) else None
        data = content.get("data") if isinstance(content, dict) else None
        method = data.get("method") if isinstance(data, dict) else None
        if method not in ("update", "request_state", "custom") or (  # a tuple: a method may be unhashable
            method == "update" and (not isinstance(data.get("state"), dict) or data.get("buffer_paths", []) != [])
        ):
            self._refuse("A message from the page could not be read.")
            return
        super()._handle_msg({**msg, "buffers": []})  # no trait of ours is binary

    def _handle_custom_msg(self, content: Any, buffers: Any) -> None:
        """An action asked for by the page, such as {"action": "reset"}; an action refuses with a ValueError."""
        with self._answering(ValueError, "That could not be done."):
            name = content.get("action") if isinstance(content, dict) else None
            if not isinstance(name, str) or name not in self._actions:
                raise Refused("That action is not one this widget knows.")
            if not _session.allows(name in self._teacher_actions):
                raise Refused(_session.TEACHER_ONLY)
            args = {k: v for k, v in content.items() if k != "action"}
            hints = self._parameters(name)
            missing = [p for p, (_, required) in hints.items() if required and p not in args]
            if args.keys() - hints.keys() or missing or not all(_fits(v, hints[k][0]) for k, v in args.items()):
                raise Refused(f"The {name} action was sent with details it does not take.")
            with self._all_or_nothing():
                getattr(self, self._actions[name])(**args)
            self._accepted(name, args)

    # --- a class: what the teacher sees of each accepted change, and a pupil's work put back ----

    def _record(self, action: str | None, args: dict[str, Any]) -> dict[str, Any] | None:
        """What an accepted message from the page changed, for the class's record; None: nothing to keep."""
        return None

    def _accepted(self, action: str | None, args: dict[str, Any]) -> None:
        try:
            _session.accepted(self, self._record(action, args))
        except Exception:  # the pupil's change stands; only its record is missing, and the log says so
            self.log.warning("A record of the page's change could not be sent.", exc_info=True)

    def _restore(self, snap: Any) -> None:
        """Put this widget back as a snapshot of it says, in place (the page follows); ValueError if it does not fit."""
        raise ValueError(f"A {type(self).__name__} cannot be restored.")

    def _kept(self) -> tuple[str, ...]:
        """The traits a failed change puts back."""
        return self._snapshot_traits

    @contextlib.contextmanager
    def _all_or_nothing(self) -> Iterator[None]:
        """A change made whole or not at all: if it fails, the widget goes back as it was."""
        kept = {key: getattr(self, key) for key in self._kept()}
        try:
            yield
        except Exception:
            for key, value in kept.items():  # traits are replaced, never changed in place
                if getattr(self, key) is not value:
                    setattr(self, key, value)
            raise

    def _refuse(self, why: str) -> None:
        """Say why in the widget, and put the browser back to the state Python kept."""
        self.message = why
        self.send_state(sorted(self._resent()))

    def _resent(self) -> set[str]:
        return set(self._browser_writable) | set(self._snapshot_traits) & set(self.keys)

    # --- the lazy comm: a widget computed but never shown costs the page nothing -----------------

    _needed = False

    def open(self) -> None:
        if self._needed:
            super().open()

    @property
    def model_id(self) -> str:
        if self.comm is None:
            self._needed = True
            with _apart_from_the_cell():
                super().open()
            _session.shown(self)
        return self.comm.comm_id

    # --- snapshots ---------------------------------------------------------------------------------

    def _snapshot(self) -> dict[str, Any]:
        snap: dict[str, Any] = {"widget": type(self).__name__, "version": SNAPSHOT_VERSION}
        snap.update({key: copy.deepcopy(getattr(self, key)) for key in self._snapshot_traits})
        return snap

    @classmethod
    def _read_snapshot(cls, snap: Any, fields: tuple[str, ...] | None = None) -> dict[str, Any]:
        """The declared fields of a snapshot of this widget; anything else refused with a reason."""
        if not isinstance(snap, dict) or snap.get("widget") != cls.__name__:
            raise ValueError(f"This is not a snapshot of a {cls.__name__}.")
        if snap.get("version") != SNAPSHOT_VERSION:
            version = short(snap.get("version"))
            raise ValueError(f"Snapshot version {version} is not one this kit reads (it reads {SNAPSHOT_VERSION}).")
        fields = cls._snapshot_traits if fields is None else fields
        unknown = snap.keys() - {"widget", "version", *fields}
        if unknown:
            raise ValueError(f"A {cls.__name__} snapshot has no field {', '.join(sorted(map(short, unknown)))}.")
        return {key: snap[key] for key in fields if key in snap}
