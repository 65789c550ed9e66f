"""The class's store: everything a class records, and nothing else in the kit speaks SQL.

A class is one run of one lesson, with a short join code. Pupils join it by name (or a pseudonym) and get a
secret key that brings them back on any device. Every board's state after every gesture and every answer
checked is kept, with its time, until the class's retention period has passed. So are what a lesson study team
adds: observers' notes (on a pupil or a group of pupils) and each show of pupils' boards on the whiteboard.

SQLite by default: one file in the user's data folder (``$MASTERY_DATA/classes.sqlite`` when MASTERY_DATA is
set, else ``<jupyter data dir>/mastery/classes.sqlite``), in WAL mode: readers (the dashboard, `mastery classes`)
never wait for the classroom server's writes, and writers take turns. PostgreSQL when given a URL
(``postgresql://user@host/db``), for a school's server shared by many classrooms. The same SQLAlchemy Core code
runs on both.

The schema is versioned: ``schema_version`` holds the version of the database, and MIGRATIONS lists the steps
from one version to the next, applied in one transaction when a store opens. A step, once released, never
changes: a new version is a new step at the end. (A list in this module rather than Alembic: a handful of
tables, no scripts or configuration to ship, and the steps run in-process on open.)

Bad input raises ValueError naming the thing and the fix; a database that cannot be opened raises StoreError.
Records are frozen dataclasses; every time is an aware datetime in UTC. Besides the records: `join_code()` makes
a code easy to read off a whiteboard, `Store.pseudonym(class_id)` a free friendly name, and `command()` is
`mastery classes`.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import random
import secrets
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection

__all__ = [
    "AnswerRecord",
    "BoardRecord",
    "ClassRecord",
    "NoteRecord",
    "Pupil",
    "ShowRecord",
    "Store",
    "StoreError",
    "default_url",
    "join_code",
]

DEFAULT_RETENTION_DAYS = 30
MAX_RETENTION_DAYS = 3650
MAX_NAME = 40  # a pupil's name: fits a roster's row and a thumbnail's caption
MAX_TITLE = 200
MAX_LESSON = 500  # a lesson's path inside the kit
MAX_BOARD = 200  # a board's name
MAX_ANSWER = 2000
MAX_STATE = 1_000_000  # characters of JSON; a board of a few hundred pieces is tens of kilobytes
MAX_SVG = 2_000_000
MAX_NOTE = 500  # an observer's note: a few sentences, written during the lesson
MAX_OBSERVER = 40  # an observer's label ("Observer 2", or the name they give)
MAX_GROUP = 200  # a group of pupils: an anticipated response's name, or "None of these"
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I/L: read off a whiteboard from the back row
CODE_LENGTHS = range(3, 17)


class StoreError(Exception):
    """The class's database cannot be used (unreachable, unreadable, or written by a newer kit)."""


# -- records -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClassRecord:
    id: int
    code: str
    lesson: str
    title: str
    opened: datetime
    ended: datetime | None
    retention_days: int

    @property
    def is_open(self) -> bool:
        return self.ended is None

    @property
    def expires(self) -> datetime:
        """When the class's records are deleted: its retention period after it ended (or opened, if never ended)."""
        return (self.ended or self.opened) + timedelta(days=self.retention_days)


@dataclass(frozen=True)
class Pupil:
    id: int
    class_id: int
    name: str
    key: str
    joined: datetime


@dataclass(frozen=True)
class BoardRecord:
    pupil_id: int
    board: str
    state: dict
    svg: str
    section: int | None
    at: datetime


@dataclass(frozen=True)
class AnswerRecord:
    pupil_id: int
    board: str
    item: int
    answer: str
    right: bool | None
    at: datetime


@dataclass(frozen=True)
class NoteRecord:
    """An observer's note, on one pupil (`pupil_id`) or on a group of pupils (`group`): exactly one of the two."""

    id: int
    observer: str
    pupil_id: int | None
    group: str | None
    text: str
    at: datetime


@dataclass(frozen=True)
class ShowRecord:
    """One show of pupils' boards on the whiteboard: `response` is the anticipated response's name when the
    whiteboard showed it too, else None."""

    board: str
    pupils: list[int]
    response: str | None
    at: datetime


# -- the schema ----------------------------------------------------------------------------------------------


class UTCDateTime(sa.TypeDecorator):
    """An aware UTC datetime, stored naive in UTC so that SQLite and PostgreSQL give back the same value."""

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"the time {value} has no time zone: give an aware datetime (e.g. in UTC)")
        return value.astimezone(timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return None if value is None else value.replace(tzinfo=timezone.utc)


metadata = sa.MetaData()

version_table = sa.Table("schema_version", metadata, sa.Column("version", sa.Integer, nullable=False))

class_table = sa.Table(
    "classes",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("code", sa.String(16), nullable=False),
    sa.Column("lesson", sa.String(MAX_LESSON), nullable=False),
    sa.Column("title", sa.String(MAX_TITLE), nullable=False),
    sa.Column("opened", UTCDateTime, nullable=False),
    sa.Column("ended", UTCDateTime),
    sa.Column("retention_days", sa.Integer, nullable=False),
)

pupil_table = sa.Table(
    "pupils",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("class_id", sa.Integer, sa.ForeignKey("classes.id"), nullable=False),
    sa.Column("name", sa.String(MAX_NAME), nullable=False),
    # the name as compared ("ali" is "Ali"); casefolding may lengthen it ("ß" is "ss")
    sa.Column("folded", sa.String(MAX_NAME * 3), nullable=False),
    sa.Column("key", sa.String(64), nullable=False, unique=True),
    sa.Column("joined", UTCDateTime, nullable=False),
    sa.UniqueConstraint("class_id", "folded", name="uq_pupils_name"),
    sa.UniqueConstraint("class_id", "id", name="uq_pupils_class"),
)


def _pupils_work(name: str, *columns: sa.Column, index: tuple[str, ...]) -> sa.Table:
    """A table of what pupils do: each row a pupil's, in a class, on a board, at a time."""
    return sa.Table(
        name,
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("class_id", sa.Integer, nullable=False),
        sa.Column("pupil_id", sa.Integer, nullable=False),
        sa.Column("board", sa.String(MAX_BOARD), nullable=False),
        *columns,
        sa.Column("at", UTCDateTime, nullable=False),
        # the pupil must be in this class: the database refuses a record that mixes two classes
        sa.ForeignKeyConstraint(["class_id", "pupil_id"], ["pupils.class_id", "pupils.id"], name=f"fk_{name}_pupil"),
        sa.Index(f"ix_{name}_class", "class_id", *index),
    )


board_table = _pupils_work(
    "boards",
    sa.Column("state", sa.Text, nullable=False),
    sa.Column("svg", sa.Text, nullable=False),
    sa.Column("section", sa.Integer),
    index=("pupil_id", "board", "at"),
)

answer_table = _pupils_work(
    "answers",
    sa.Column("item", sa.Integer, nullable=False),
    sa.Column("answer", sa.Text, nullable=False),
    sa.Column("right", sa.Boolean),
    index=("at",),
)

# Each pupil's newest state of each board, kept as it is recorded: the dashboard and a returning pupil read
# one row per pupil and board, however long the history behind it.
latest_table = sa.Table(
    "latest_boards",
    metadata,
    sa.Column("class_id", sa.Integer, primary_key=True),
    sa.Column("pupil_id", sa.Integer, primary_key=True),
    sa.Column("board", sa.String(MAX_BOARD), primary_key=True),
    sa.Column("board_id", sa.Integer, sa.ForeignKey("boards.id"), nullable=False),
    sa.Column("at", UTCDateTime, nullable=False),
)

# What an observer notes during the lesson, on a pupil or on a group ("group" is quoted in SQL: a keyword).
note_table = sa.Table(
    "notes",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("class_id", sa.Integer, sa.ForeignKey("classes.id"), nullable=False),
    sa.Column("observer", sa.String(MAX_OBSERVER), nullable=False),
    sa.Column("pupil_id", sa.Integer),
    sa.Column("group", sa.String(MAX_GROUP)),
    sa.Column("text", sa.String(MAX_NOTE), nullable=False),
    sa.Column("at", UTCDateTime, nullable=False),
    sa.ForeignKeyConstraint(["class_id", "pupil_id"], ["pupils.class_id", "pupils.id"], name="fk_notes_pupil"),
    sa.Index("ix_notes_class", "class_id", "at"),
)

# The whiteboard's sequence: each show of (at most two) pupils' boards, in time order.
show_table = sa.Table(
    "shows",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("class_id", sa.Integer, sa.ForeignKey("classes.id"), nullable=False),
    sa.Column("board", sa.String(MAX_BOARD), nullable=False),
    sa.Column("pupils", sa.Text, nullable=False),  # a JSON list of pupils' ids
    sa.Column("response", sa.String(MAX_GROUP)),
    sa.Column("at", UTCDateTime, nullable=False),
    sa.Index("ix_shows_class", "class_id", "at"),
)

# What the teacher has set, as one JSON document a class keeps: the pacing, the whiteboard's show and the
# discussion sequence (lessons.classroom). Kept after each change, so a class taken up again goes on from it.
teaching_table = sa.Table(
    "teaching",
    metadata,
    sa.Column("class_id", sa.Integer, sa.ForeignKey("classes.id"), primary_key=True),
    sa.Column("state", sa.Text, nullable=False),
    sa.Column("at", UTCDateTime, nullable=False),
)

# A join code names one open class; an ended class's code may be used again.
sa.Index(
    "uq_classes_open_code",
    class_table.c.code,
    unique=True,
    sqlite_where=class_table.c.ended.is_(None),
    postgresql_where=class_table.c.ended.is_(None),
)


# -- migrations: version N-1 -> N is MIGRATIONS[N-1]; released steps never change ---------------------------


def _version_1(conn: Connection) -> None:
    """Classes, pupils, boards (without their section) and answers, as first released."""
    v1 = sa.MetaData()
    sa.Table("schema_version", v1, sa.Column("version", sa.Integer, nullable=False))
    sa.Table(
        "classes",
        v1,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("code", sa.String(16), nullable=False),
        sa.Column("lesson", sa.String(500), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("opened", sa.DateTime, nullable=False),
        sa.Column("ended", sa.DateTime),
        sa.Column("retention_days", sa.Integer, nullable=False),
    )
    sa.Table(
        "pupils",
        v1,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("class_id", sa.Integer, sa.ForeignKey("classes.id"), nullable=False),
        sa.Column("name", sa.String(40), nullable=False),
        sa.Column("folded", sa.String(120), nullable=False),
        sa.Column("key", sa.String(64), nullable=False, unique=True),
        sa.Column("joined", sa.DateTime, nullable=False),
        sa.UniqueConstraint("class_id", "folded", name="uq_pupils_name"),
        sa.UniqueConstraint("class_id", "id", name="uq_pupils_class"),
    )
    for name, columns in (
        ("boards", [sa.Column("state", sa.Text, nullable=False), sa.Column("svg", sa.Text, nullable=False)]),
        (
            "answers",
            [
                sa.Column("item", sa.Integer, nullable=False),
                sa.Column("answer", sa.Text, nullable=False),
                sa.Column("right", sa.Boolean),
            ],
        ),
    ):
        sa.Table(
            name,
            v1,
            sa.Column("id", sa.Integer, primary_key=True),
            sa.Column("class_id", sa.Integer, nullable=False),
            sa.Column("pupil_id", sa.Integer, nullable=False),
            sa.Column("board", sa.String(200), nullable=False),
            *columns,
            sa.Column("at", sa.DateTime, nullable=False),
            sa.ForeignKeyConstraint(
                ["class_id", "pupil_id"], ["pupils.class_id", "pupils.id"], name=f"fk_{name}_pupil"
            ),
        )
    v1.create_all(conn)


def _version_2(conn: Connection) -> None:
    """The section a pupil was on when they changed a board (for pacing), and indexes for the dashboard."""
    for ddl in (
        "ALTER TABLE boards ADD COLUMN section INTEGER",
        "CREATE INDEX ix_boards_class ON boards (class_id, pupil_id, board, at)",
        "CREATE INDEX ix_answers_class ON answers (class_id, at)",
        "CREATE UNIQUE INDEX uq_classes_open_code ON classes (code) WHERE ended IS NULL",
    ):
        conn.execute(sa.text(ddl))


def _version_3(conn: Connection) -> None:
    """Each pupil's newest state of each board in a table of its own, filled from the history."""
    v3 = sa.MetaData()
    sa.Table("boards", v3, sa.Column("id", sa.Integer, primary_key=True))
    sa.Table(
        "latest_boards",
        v3,
        sa.Column("class_id", sa.Integer, primary_key=True),
        sa.Column("pupil_id", sa.Integer, primary_key=True),
        sa.Column("board", sa.String(200), primary_key=True),
        sa.Column("board_id", sa.Integer, sa.ForeignKey("boards.id"), nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
    ).create(conn)
    conn.execute(
        sa.text(
            "INSERT INTO latest_boards (class_id, pupil_id, board, board_id, at) "
            "SELECT class_id, pupil_id, board, id, at FROM ("
            " SELECT id, class_id, pupil_id, board, at, ROW_NUMBER() OVER"
            " (PARTITION BY class_id, pupil_id, board ORDER BY at DESC, id DESC) AS newest FROM boards"
            ") AS ranked WHERE newest = 1"
        )
    )


def _version_4(conn: Connection) -> None:
    """Lesson study: observers' notes and the whiteboard's sequence of shows."""
    v4 = sa.MetaData()
    sa.Table("classes", v4, sa.Column("id", sa.Integer, primary_key=True))
    sa.Table(
        "pupils",
        v4,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("class_id", sa.Integer),
        sa.UniqueConstraint("class_id", "id", name="uq_pupils_class"),
    )
    sa.Table(
        "notes",
        v4,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("class_id", sa.Integer, sa.ForeignKey("classes.id"), nullable=False),
        sa.Column("observer", sa.String(40), nullable=False),
        sa.Column("pupil_id", sa.Integer),
        sa.Column("group", sa.String(200)),
        sa.Column("text", sa.String(500), nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.ForeignKeyConstraint(["class_id", "pupil_id"], ["pupils.class_id", "pupils.id"], name="fk_notes_pupil"),
        sa.Index("ix_notes_class", "class_id", "at"),
    ).create(conn)
    sa.Table(
        "shows",
        v4,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("class_id", sa.Integer, sa.ForeignKey("classes.id"), nullable=False),
        sa.Column("board", sa.String(200), nullable=False),
        sa.Column("pupils", sa.Text, nullable=False),
        sa.Column("response", sa.String(200)),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Index("ix_shows_class", "class_id", "at"),
    ).create(conn)


def _version_5(conn: Connection) -> None:
    """What the teacher has set (pacing, the show, the discussion sequence), for a class taken up again."""
    v5 = sa.MetaData()
    sa.Table("classes", v5, sa.Column("id", sa.Integer, primary_key=True))
    sa.Table(
        "teaching",
        v5,
        sa.Column("class_id", sa.Integer, sa.ForeignKey("classes.id"), primary_key=True),
        sa.Column("state", sa.Text, nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
    ).create(conn)


MIGRATIONS: list[Callable[[Connection], None]] = [_version_1, _version_2, _version_3, _version_4, _version_5]
SCHEMA_VERSION = len(MIGRATIONS)


# -- where the store lives ----------------------------------------------------------------------------------


def default_path() -> Path:
    """The SQLite file used when no URL is given."""
    if os.environ.get("MASTERY_DATA"):
        return Path(os.environ["MASTERY_DATA"]).expanduser() / "classes.sqlite"
    from jupyter_core.paths import jupyter_data_dir

    return Path(jupyter_data_dir()) / "mastery" / "classes.sqlite"


def default_url() -> str:
    return f"sqlite:///{default_path()}"


def _url(url: str | None) -> sa.URL:
    """A SQLAlchemy URL for a user's URL or file path: PostgreSQL through psycopg 3, or a SQLite file."""
    text = default_url() if url is None else str(url).strip()
    if "://" not in text:  # a plain path to a SQLite file
        text = f"sqlite:///{Path(text).expanduser().resolve()}"
    try:
        parsed = sa.make_url(text)
    except sa.exc.ArgumentError:
        raise ValueError(
            f"{text!r} is not a database address: give postgresql://user@host/database or a SQLite file's path"
        ) from None
    backend = parsed.get_backend_name()
    if backend == "postgresql":
        return parsed.set(drivername="postgresql+psycopg")
    if backend == "sqlite":
        if not parsed.database or parsed.database == ":memory:":
            raise ValueError(f"{text!r} names no file: the class's records must outlive the server (give a path)")
        return parsed.set(drivername="sqlite+pysqlite")
    raise ValueError(f"{text!r}: the class's records are kept in SQLite or PostgreSQL (postgresql://...)")


def _where(url: sa.URL) -> str:
    """The database as a person would name it (never its password)."""
    if url.get_backend_name() == "sqlite":
        return str(url.database)
    return url.render_as_string(hide_password=True).replace("+psycopg", "")


# -- checking what callers give --------------------------------------------------------------------------------


def _typed(value: Any, kind: type, what: str, described: str) -> Any:
    if not isinstance(value, kind):
        raise ValueError(f"{what} must be {described}, not {type(value).__name__}")
    return value


def _text(value: Any, what: str, limit: int, fix: str) -> str:
    value = " ".join(_typed(value, str, f"the {what}", "text").split())
    if not value:
        raise ValueError(f"the {what} is empty: {fix}")
    if len(value) > limit:
        raise ValueError(f"the {what} {value[:30]!r}... is {len(value)} characters long: {fix} (at most {limit})")
    return value


def _name(name: Any) -> str:
    return _text(name, "pupil's name", MAX_NAME, "type a first name, or take the pseudonym offered")


def _code(code: Any) -> str:
    folded = "".join(_typed(code, str, "a join code", "text").split()).upper()
    if len(folded) not in CODE_LENGTHS or not folded.isalnum() or not folded.isascii():
        raise ValueError(
            f"{code!r} is not a join code: use {CODE_LENGTHS.start} to {CODE_LENGTHS.stop - 1} letters and digits"
        )
    return folded


def _id(value: Any, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"the {what} must be a whole number, not {value!r}")
    return value


def _board(board: Any) -> str:
    return _text(board, "board's name", MAX_BOARD, "give the name the lesson gives the board")


def _state(state: Any) -> str:
    _typed(state, dict, "a board's state", "a dict of JSON")
    try:
        text = json.dumps(state, allow_nan=False, separators=(",", ":"))
    except (TypeError, ValueError) as error:
        raise ValueError(
            f"a board's state is not JSON ({error}): keep to dicts, lists, text, numbers, booleans"
        ) from None
    if len(text) > MAX_STATE:
        raise ValueError(f"a board's state is {len(text)} characters of JSON: at most {MAX_STATE}")
    return text


def _time(at: datetime | None) -> datetime:
    if at is None:
        return datetime.now(timezone.utc)
    if not isinstance(at, datetime) or at.tzinfo is None:
        raise ValueError(f"the time {at!r} is not an aware datetime: give datetime.now(timezone.utc)")
    return at.astimezone(timezone.utc)


# -- pseudonyms and join codes ------------------------------------------------------------------------------

_COLOURS = (
    "Amber Blue Copper Coral Golden Green Indigo Jade Lemon Lilac Mint Olive Orange Pearl Plum Red Ruby Rust Sage "
    "Silver Sky Teal Violet White"
).split()
_ANIMALS = (
    "Badger Beaver Bee Crane Dolphin Eagle Falcon Fox Gecko Hare Hedgehog Heron Koala Lark Lynx Otter Owl Panda "
    "Puffin Robin Seal Swan Tiger Wren"
).split()


def join_code(length: int = 4) -> str:
    """A fresh random join code, easy to read off a whiteboard ("K7QM")."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


# -- the store -----------------------------------------------------------------------------------------------


class Store:
    """A class's records in SQLite (default) or PostgreSQL; migrated to the current schema, and expired, on open."""

    def __init__(self, url: str | None = None) -> None:
        self.url = _url(url)
        self.where = _where(self.url)
        self.sqlite = self.url.get_backend_name() == "sqlite"
        if self.sqlite:
            try:  # a folder of its own only the teacher's account can read: it holds pupils' names
                Path(self.url.database).parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            except OSError as error:
                raise StoreError(f"the class's database {self.where} cannot be made: {error.strerror}") from None
            # Seconds a writer waits for another process's write (the CLI beside a running classroom).
            self.engine = sa.create_engine(self.url, connect_args={"timeout": 30})
            sa.event.listen(self.engine, "connect", _sqlite_connect)
            sa.event.listen(self.engine, "begin", _sqlite_begin)
        else:
            # At most 15 connections (SQLAlchemy's pool): a school's server shares PostgreSQL between classrooms.
            self.engine = sa.create_engine(self.url, pool_pre_ping=True)
        # One writer at a time within this process: SQLite has one writer anyway, and waiting here is fairer
        # (first come, first served) than its busy loop.
        self._writer = threading.Lock() if self.sqlite else contextlib.nullcontext()
        try:
            self._migrate()
            self.expired = self.expire()  # classes deleted on opening, past their retention period
        except BaseException:
            self.engine.dispose()
            raise

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.engine.dispose()

    def __repr__(self) -> str:
        return f"Store({self.where!r})"

    # -- transactions ------------------------------------------------------------------------------------------

    @contextlib.contextmanager
    def _read(self) -> Iterator[Connection]:
        with self._failing(), self.engine.connect() as conn:
            yield conn

    @contextlib.contextmanager
    def _write(self) -> Iterator[Connection]:
        with self._failing(), self._writer, self.engine.connect().execution_options(mastery_write=True) as conn:
            with conn.begin():
                yield conn

    @contextlib.contextmanager
    def _failing(self) -> Iterator[None]:
        """A database that fails under us becomes a StoreError that says which database and why."""
        try:
            yield
        except sa.exc.IntegrityError:
            raise  # a constraint the caller's input broke: the caller says what it means
        except (sa.exc.DatabaseError, sa.exc.InterfaceError) as error:
            reason = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
            raise StoreError(f"the class's database {self.where} cannot be used: {reason}") from None

    def _migrate(self) -> None:
        with self._write() as conn:
            if not self.sqlite:  # two servers opening one database at once: one migrates, the other waits
                conn.execute(sa.text("SELECT pg_advisory_xact_lock(1887150309)"))
            found = 0
            if sa.inspect(conn).has_table("schema_version"):
                found = conn.execute(sa.select(sa.func.max(version_table.c.version))).scalar() or 0
            if found > SCHEMA_VERSION:
                raise StoreError(
                    f"the class's database {self.where} was written by a newer Mastery Notebooks (schema version "
                    f"{found}; this one knows up to {SCHEMA_VERSION}): upgrade the kit (pip install -U "
                    "mastery-notebooks), or give another database with --db"
                )
            for step in MIGRATIONS[found:]:
                step(conn)
            if found == 0:
                conn.execute(sa.insert(version_table).values(version=SCHEMA_VERSION))
            elif found < SCHEMA_VERSION:
                conn.execute(sa.update(version_table).values(version=SCHEMA_VERSION))

    def schema_version(self) -> int:
        with self._read() as conn:
            return conn.execute(sa.select(sa.func.max(version_table.c.version))).scalar_one()

    # -- classes -----------------------------------------------------------------------------------------------

    def open_class(
        self, lesson: str, title: str, *, code: str, retention_days: int = DEFAULT_RETENTION_DAYS
    ) -> ClassRecord:
        """Open a class of `lesson`; `code` (letters and digits, any case) must not name another open class."""
        lesson = _text(lesson, "lesson", MAX_LESSON, "give the lesson's path")
        title = _text(title, "class's title", MAX_TITLE, "give a short title, like 'Zero pairs, 8B'")
        code = _code(code)
        days = _id(retention_days, "retention period in days")
        if not 1 <= days <= MAX_RETENTION_DAYS:
            raise ValueError(f"a class is kept 1 to {MAX_RETENTION_DAYS} days, not {days}: give a number in that range")
        try:
            with self._write() as conn:
                row = conn.execute(
                    sa.insert(class_table)
                    .values(code=code, lesson=lesson, title=title, opened=_time(None), retention_days=days)
                    .returning(*class_table.c)
                ).one()
        except sa.exc.IntegrityError:
            raise ValueError(f"the join code {code} is in use by an open class: choose another code") from None
        return _class(row)

    def find_class(self, code: str) -> ClassRecord | None:
        """The open class with this join code (as a pupil types it: any case, spaces ignored)."""
        try:
            code = _code(code)
        except ValueError:
            return None  # a mistyped code finds no class
        with self._read() as conn:
            row = conn.execute(
                sa.select(class_table).where(class_table.c.code == code, class_table.c.ended.is_(None))
            ).first()
        return _class(row) if row else None

    def get_class(self, class_id: int) -> ClassRecord | None:
        with self._read() as conn:
            row = conn.execute(sa.select(class_table).where(class_table.c.id == _id(class_id, "class's id"))).first()
        return _class(row) if row else None

    def end_class(self, class_id: int) -> None:
        """End a class: pupils can no longer join it, its code is free again, its retention period starts."""
        self._known(class_id)
        with self._write() as conn:
            conn.execute(
                sa.update(class_table)
                .where(class_table.c.id == class_id, class_table.c.ended.is_(None))
                .values(ended=_time(None))
            )

    def classes(self) -> list[ClassRecord]:
        """Every class kept, newest first."""
        with self._read() as conn:
            rows = conn.execute(
                sa.select(class_table).order_by(class_table.c.opened.desc(), class_table.c.id.desc())
            ).all()
        return [_class(row) for row in rows]

    def open_class_of(self, lesson: str) -> ClassRecord | None:
        """The newest class of `lesson` still open: the one a restarted server takes up again."""
        with self._read() as conn:
            row = conn.execute(
                sa.select(class_table)
                .where(class_table.c.lesson == lesson, class_table.c.ended.is_(None))
                .order_by(class_table.c.opened.desc(), class_table.c.id.desc())
            ).first()
        return _class(row) if row else None

    def _known(self, class_id: Any) -> ClassRecord:
        found = self.get_class(_id(class_id, "class's id"))
        if found is None:
            raise ValueError(
                f"there is no class {class_id} (it may have been deleted): list them with mastery classes list"
            )
        return found

    # -- pupils ------------------------------------------------------------------------------------------------

    def join(self, class_id: int, name: str) -> Pupil:
        """The pupil of this name in this class: the one who joined before by this name, or a new one."""
        name = _name(name)
        folded = name.casefold()
        if not self._known(class_id).is_open:
            raise ValueError(f"class {class_id} has ended: ask your teacher for the code of today's class")
        mine = sa.select(pupil_table).where(pupil_table.c.class_id == class_id, pupil_table.c.folded == folded)
        new = sa.insert(pupil_table).values(
            class_id=class_id, name=name, folded=folded, key=secrets.token_urlsafe(18), joined=_time(None)
        )
        try:
            with self._write() as conn:
                row = conn.execute(mine).first() or conn.execute(new.returning(*pupil_table.c)).one()
        except sa.exc.IntegrityError:  # the same name joined at the same moment on another server's connection
            with self._read() as conn:
                row = conn.execute(mine).one()
        return _pupil(row)

    def pupil(self, class_id: int, key: str) -> Pupil | None:
        """The pupil whose secret key this is, if they are in this class."""
        if not isinstance(key, str) or not key:
            return None
        with self._read() as conn:
            row = conn.execute(
                sa.select(pupil_table).where(
                    pupil_table.c.class_id == _id(class_id, "class's id"), pupil_table.c.key == key
                )
            ).first()
        return _pupil(row) if row else None

    def pupils(self, class_id: int) -> list[Pupil]:
        """The class's pupils, in the order they joined."""
        with self._read() as conn:
            rows = conn.execute(
                sa.select(pupil_table)
                .where(pupil_table.c.class_id == _id(class_id, "class's id"))
                .order_by(pupil_table.c.id)
            ).all()
        return [_pupil(row) for row in rows]

    def pseudonym(self, class_id: int) -> str:
        """A friendly name nobody in the class has yet ("Blue Heron"), for a pupil who would rather not give theirs."""
        taken = {p.name.casefold() for p in self.pupils(class_id)}
        free = [f"{c} {a}" for c in _COLOURS for a in _ANIMALS if f"{c} {a}".casefold() not in taken]
        if free:
            return random.choice(free)
        number = 2  # a class of more than 576 pupils: numbered herons
        while f"blue heron {number}" in taken:
            number += 1
        return f"Blue Heron {number}"

    # -- what pupils do ----------------------------------------------------------------------------------------

    def record_board(
        self,
        class_id: int,
        pupil_id: int,
        board: str,
        state: dict,
        svg: str,
        *,
        section: int | None = None,
        at: datetime | None = None,
    ) -> None:
        """Keep a board's state (and its picture) after a pupil's gesture."""
        values = {
            "class_id": _id(class_id, "class's id"),
            "pupil_id": _id(pupil_id, "pupil's id"),
            "board": _board(board),
            "state": _state(state),
            "svg": _svg(svg),
            "section": None if section is None else _id(section, "section"),
            "at": _time(at),
        }
        with self._pupils_own(values), self._write() as conn:
            values["board_id"] = conn.execute(
                sa.insert(board_table).values(values).returning(board_table.c.id)
            ).scalar()
            keep = {name: values[name] for name in latest_table.c.keys()}
            newest = (sqlite_insert if self.sqlite else postgresql_insert)(latest_table).values(keep)
            conn.execute(  # a gesture that arrives late, with an older time, does not hide a newer one
                newest.on_conflict_do_update(
                    index_elements=list(latest_table.primary_key),
                    set_={"board_id": newest.excluded.board_id, "at": newest.excluded.at},
                    where=latest_table.c.at <= newest.excluded.at,
                )
            )

    def record_answer(
        self,
        class_id: int,
        pupil_id: int,
        board: str,
        item: int,
        answer: str,
        right: bool | None,
        *,
        at: datetime | None = None,
    ) -> None:
        """Keep an answer a pupil checked: `right` is None when the lesson does not mark it."""
        if right is not None and not isinstance(right, bool):
            raise ValueError(f"an answer is right (True), wrong (False) or not marked (None), not {right!r}")
        if len(_typed(answer, str, "an answer", "text")) > MAX_ANSWER:
            raise ValueError(f"an answer of {len(answer)} characters is too long: at most {MAX_ANSWER}")
        values = {
            "class_id": _id(class_id, "class's id"),
            "pupil_id": _id(pupil_id, "pupil's id"),
            "board": _board(board),
            "item": _id(item, "question's number"),
            "answer": answer,
            "right": right,
            "at": _time(at),
        }
        with self._pupils_own(values), self._write() as conn:
            conn.execute(sa.insert(answer_table).values(values))

    @contextlib.contextmanager
    def _pupils_own(self, values: dict) -> Iterator[None]:
        """A record of a pupil who is not in the class is refused by the database: say so."""
        try:
            yield
        except sa.exc.IntegrityError:
            raise ValueError(
                f"pupil {values['pupil_id']} is not in class {values['class_id']}: join the class first"
            ) from None

    def latest_boards(self, class_id: int, board: str | None = None) -> list[BoardRecord]:
        """Each pupil's latest state of each board (or of `board`), by pupil then board: the dashboard's thumbnails."""
        where = [latest_table.c.class_id == _id(class_id, "class's id")]
        if board is not None:
            where.append(latest_table.c.board == _board(board))
        return self._latest(where)

    def saved_boards(self, class_id: int, pupil_id: int) -> dict[str, dict]:
        """Board name -> the pupil's latest state of it: what restores a pupil who comes back."""
        where = [latest_table.c.class_id == _id(class_id, "class's id")]
        where.append(latest_table.c.pupil_id == _id(pupil_id, "pupil's id"))
        return {record.board: record.state for record in self._latest(where)}

    def _latest(self, where: list) -> list[BoardRecord]:
        query = (
            sa.select(board_table)
            .join(latest_table, latest_table.c.board_id == board_table.c.id)
            .where(*where)
            .order_by(latest_table.c.pupil_id, latest_table.c.board)
        )
        with self._read() as conn:
            return [_board_record(row) for row in conn.execute(query)]

    def board_history(self, class_id: int, pupil_id: int, board: str) -> list[BoardRecord]:
        """Every state a pupil's board went through, oldest first: to replay their work."""
        return self._history(
            board_table.c.class_id == _id(class_id, "class's id"),
            board_table.c.pupil_id == _id(pupil_id, "pupil's id"),
            board_table.c.board == _board(board),
        )

    def _history(self, *where: Any) -> list[BoardRecord]:
        query = sa.select(board_table).where(*where).order_by(board_table.c.at, board_table.c.id)
        with self._read() as conn:
            return [_board_record(row) for row in conn.execute(query)]

    def answers(self, class_id: int) -> list[AnswerRecord]:
        """Every answer checked in the class, oldest first."""
        query = (
            sa.select(answer_table)
            .where(answer_table.c.class_id == _id(class_id, "class's id"))
            .order_by(answer_table.c.at, answer_table.c.id)
        )
        with self._read() as conn:
            return [_answer(row) for row in conn.execute(query)]

    # -- what a lesson study team adds -------------------------------------------------------------------------

    def note(
        self,
        class_id: int,
        observer: str,
        text: str,
        *,
        pupil_id: int | None = None,
        group: str | None = None,
        at: datetime | None = None,
    ) -> NoteRecord:
        """Keep an observer's note on one pupil (`pupil_id`) or on a group of pupils (`group`)."""
        if (pupil_id is None) == (group is None):
            raise ValueError("a note is on one pupil or on one group: give pupil_id or group, not both or neither")
        values = {
            "class_id": _id(class_id, "class's id"),
            "observer": _text(observer, "observer's label", MAX_OBSERVER, "give a short label, like 'Observer 1'"),
            "pupil_id": None if pupil_id is None else _id(pupil_id, "pupil's id"),
            "group": None if group is None else _text(group, "group's name", MAX_GROUP, "give the response's name"),
            "text": _text(text, "note", MAX_NOTE, "write a shorter note, or two"),
            "at": _time(at),
        }
        self._known(class_id)
        with self._pupils_own(values), self._write() as conn:
            values["id"] = conn.execute(sa.insert(note_table).values(values).returning(note_table.c.id)).scalar()
        return NoteRecord(**{name: values[name] for name in NoteRecord.__dataclass_fields__})

    def notes(self, class_id: int) -> list[NoteRecord]:
        """Every observer's note in the class, oldest first."""
        query = (
            sa.select(note_table)
            .where(note_table.c.class_id == _id(class_id, "class's id"))
            .order_by(note_table.c.at, note_table.c.id)
        )
        with self._read() as conn:
            return [NoteRecord(r.id, r.observer, r.pupil_id, r.group, r.text, r.at) for r in conn.execute(query)]

    def record_show(
        self, class_id: int, board: str, pupils: list[int], *, response: str | None = None, at: datetime | None = None
    ) -> ShowRecord:
        """Keep a show of pupils' boards on the whiteboard (`response`: the name shown with them, if any)."""
        if not isinstance(pupils, list) or not 1 <= len(pupils) <= 2:
            raise ValueError(f"a show is of one or two pupils' boards, not {pupils!r}")
        shown = ShowRecord(
            _board(board),
            [_id(p, "pupil's id") for p in pupils],
            None if response is None else _text(response, "response's name", MAX_GROUP, "give the response's name"),
            _time(at),
        )
        self._known(class_id)
        with self._write() as conn:
            conn.execute(
                sa.insert(show_table).values(
                    class_id=class_id,
                    board=shown.board,
                    pupils=json.dumps(shown.pupils),
                    response=shown.response,
                    at=shown.at,
                )
            )
        return shown

    def shows(self, class_id: int) -> list[ShowRecord]:
        """The whiteboard's sequence: every show of pupils' boards in the class, oldest first."""
        query = (
            sa.select(show_table)
            .where(show_table.c.class_id == _id(class_id, "class's id"))
            .order_by(show_table.c.at, show_table.c.id)
        )
        with self._read() as conn:
            return [ShowRecord(r.board, json.loads(r.pupils), r.response, r.at) for r in conn.execute(query)]

    def keep_teaching(self, class_id: int, state: dict, *, at: datetime | None = None) -> None:
        """Keep what the teacher has set now (a JSON object), in place of what was kept before."""
        if not isinstance(state, dict):
            raise ValueError(f"what the teacher has set is a JSON object, not {type(state).__name__}")
        text = json.dumps(state, ensure_ascii=False, separators=(",", ":"))
        if len(text) > MAX_STATE:
            raise ValueError(f"what the teacher has set is {len(text)} characters: at most {MAX_STATE}")
        self._known(class_id)
        with self._write() as conn:
            conn.execute(sa.delete(teaching_table).where(teaching_table.c.class_id == class_id))
            conn.execute(sa.insert(teaching_table).values(class_id=class_id, state=text, at=_time(at)))

    def teaching(self, class_id: int) -> dict | None:
        """What the teacher last set in the class, or None when nothing was kept."""
        query = sa.select(teaching_table.c.state).where(teaching_table.c.class_id == _id(class_id, "class's id"))
        with self._read() as conn:
            text = conn.execute(query).scalar()
        return None if text is None else json.loads(text)

    # -- privacy -----------------------------------------------------------------------------------------------

    def export(self, class_id: int) -> dict:
        """Everything kept about a class, JSON-ready (times in ISO 8601, UTC). Pupils' keys are left out: a key
        lets whoever holds it act as the pupil."""
        record = self._known(class_id)
        return {
            "format": "mastery-notebooks class",
            "format_version": 1,
            "class": {**_plain(record), "expires": record.expires.isoformat()},
            "pupils": [{"id": p.id, "name": p.name, "joined": p.joined.isoformat()} for p in self.pupils(class_id)],
            "boards": [_plain(b) for b in self._history(board_table.c.class_id == class_id)],
            "answers": [_plain(a) for a in self.answers(class_id)],
            "notes": [_plain(n) for n in self.notes(class_id)],
            "shows": [_plain(s) for s in self.shows(class_id)],
            "teaching": self.teaching(class_id),
        }

    def delete(self, class_id: int) -> None:
        """Delete a class and everything its pupils did."""
        self._known(class_id)
        with self._write() as conn:
            _delete(conn, [class_id])

    def expire(self, now: datetime | None = None) -> int:
        """Delete every class whose retention period has passed; how many were deleted."""
        now = _time(now)
        with self._write() as conn:
            rows = conn.execute(sa.select(class_table)).all()
            old = [row.id for row in rows if _class(row).expires <= now]
            _delete(conn, old)
        return len(old)


# -- rows to records ------------------------------------------------------------------------------------------


def _class(row: Any) -> ClassRecord:
    return ClassRecord(row.id, row.code, row.lesson, row.title, row.opened, row.ended, row.retention_days)


def _pupil(row: Any) -> Pupil:
    return Pupil(row.id, row.class_id, row.name, row.key, row.joined)


def _board_record(row: Any) -> BoardRecord:
    return BoardRecord(row.pupil_id, row.board, json.loads(row.state), row.svg, row.section, row.at)


def _answer(row: Any) -> AnswerRecord:
    return AnswerRecord(row.pupil_id, row.board, row.item, row.answer, row.right, row.at)


def _plain(record: Any) -> dict:
    """A record as JSON: its fields, times in ISO 8601."""
    fields = dataclasses.asdict(record)
    return {name: value.isoformat() if isinstance(value, datetime) else value for name, value in fields.items()}


def _svg(svg: Any) -> str:
    if len(_typed(svg, str, "a board's picture", "SVG text")) > MAX_SVG:
        raise ValueError(f"a board's picture is {len(svg)} characters: at most {MAX_SVG}")
    return svg


def _delete(conn: Connection, ids: list[int]) -> None:
    if not ids:
        return
    for table in (teaching_table, note_table, show_table, answer_table, latest_table, board_table, pupil_table):
        conn.execute(sa.delete(table).where(table.c.class_id.in_(ids)))
    conn.execute(sa.delete(class_table).where(class_table.c.id.in_(ids)))


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # Transactions are begun by _sqlite_begin (below), not by the driver's guesswork.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")  # readers never wait for the writer, nor the writer for them
    cursor.execute("PRAGMA synchronous=NORMAL")  # safe with WAL: a power cut loses at most the last moments
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _sqlite_begin(conn: Connection) -> None:
    # A writer takes the write lock when it begins, so it never fails half-way on a lock a reader upgraded.
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("mastery_write") else "BEGIN")


# -- `mastery classes`: what a teacher or the school's data officer runs -----------------------------------------


def command(action: str, *, db: str | None = None, class_id: int | None = None, out: str | None = None) -> int:
    """`mastery classes list|export|delete|expire`: 0 when done, 2 (and a sentence on stderr) when not."""
    import sys

    try:
        with Store(db) as store:
            if action == "list":
                _list(store)
            elif action == "export":
                text = json.dumps(store.export(class_id), indent=1, ensure_ascii=False)
                if out is None:
                    print(text)
                else:
                    Path(out).write_text(text + "\n", encoding="utf-8")
                    print(f"wrote class {class_id} to {out}", file=sys.stderr)
            elif action == "delete":
                record = store._known(class_id)
                count = len(store.pupils(class_id))
                store.delete(class_id)
                print(
                    f"deleted class {record.id} ({record.title}, code {record.code}) and the work of {_pupils(count)}"
                )
            elif action == "expire":
                count = store.expired + store.expire()
                noun = "class" if count == 1 else "classes"
                print(f"deleted {count} {noun} past their retention period from {store.where}")
            else:
                raise ValueError(f"{action!r} is not a command: list, export, delete or expire")
    except (ValueError, StoreError, OSError) as error:
        print(f"mastery classes {action}: {error}", file=sys.stderr)
        return 2
    return 0


def _list(store: Store) -> None:
    kept = store.classes()
    print(f"{len(kept)} {'class' if len(kept) == 1 else 'classes'} kept in {store.where}")
    for record in kept:
        state = "open" if record.is_open else f"ended {record.ended:%Y-%m-%d %H:%M}"
        print(
            f"{record.id:>5}  {record.code:<6} {record.title}  ({record.lesson})  "
            f"opened {record.opened:%Y-%m-%d %H:%M} UTC, {state}, {_pupils(len(store.pupils(record.id)))}, "
            f"deleted after {record.expires:%Y-%m-%d}"
        )


def _pupils(count: int) -> str:
    return f"{count} pupil" if count == 1 else f"{count} pupils"
