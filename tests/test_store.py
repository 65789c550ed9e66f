"""The class's store: what a class records, kept and given back, on SQLite and on PostgreSQL alike.

Every test taking `store` runs twice (tests/conftest.py's store_url): on a SQLite file and on a database of a
real PostgreSQL server started for the tests.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from conftest import ROOT

from lessons import store as store_module
from lessons.cli import main
from lessons.store import SCHEMA_VERSION, Store, StoreError, join_code

NOW = datetime(2026, 3, 2, 9, 15, tzinfo=timezone.utc)


@pytest.fixture
def store(store_url):
    with Store(store_url) as opened:
        yield opened


@pytest.fixture
def lesson(store):
    """An open class of a lesson, and two pupils in it."""
    record = store.open_class("units/y7-09-directed-number/01-zero-pairs.ipynb", "Zero pairs, 8B", code="K7QM")
    return record, store.join(record.id, "Ali"), store.join(record.id, "Bea")


def counters(*values: int) -> dict:
    return {"pieces": [{"id": f"c{i}", "kind": "counter", "x": i, "y": 0, "value": v} for i, v in enumerate(values)]}


def test_a_pupil_who_joins_twice_by_name_is_one_pupil(store, lesson):
    record, ali, bea = lesson
    again = store.join(record.id, "  ali ")  # another device, typed in a hurry
    assert again == ali
    assert again.name == "Ali"  # the name as first typed
    assert bea.id != ali.id and bea.key != ali.key
    assert [p.name for p in store.pupils(record.id)] == ["Ali", "Bea"]
    # the same name in another class is another pupil
    other = store.open_class("units/x.ipynb", "8C", code="ZZ99")
    assert store.join(other.id, "Ali").id != ali.id


def test_a_key_brings_a_pupil_back_and_only_in_their_class(store, lesson):
    record, ali, _ = lesson
    assert store.pupil(record.id, ali.key) == ali
    assert store.pupil(record.id, "not-a-key") is None
    assert store.pupil(record.id, "") is None
    other = store.open_class("units/x.ipynb", "8C", code="ZZ99")
    assert store.pupil(other.id, ali.key) is None


def test_a_pupil_coming_back_to_a_restarted_server_gets_their_boards(store_url, lesson):
    record, ali, bea = lesson
    with Store(store_url) as first:
        first.record_board(record.id, ali.id, "number line", counters(1), "<svg>1</svg>", section=1)
        first.record_board(record.id, ali.id, "number line", counters(1, -1), "<svg>2</svg>", section=2)
        first.record_board(record.id, ali.id, "exit ticket", {"pieces": []}, "<svg/>")
        first.record_board(record.id, bea.id, "number line", counters(5), "<svg>5</svg>")
    with Store(store_url) as restarted:
        back = restarted.pupil(record.id, ali.key)
        assert restarted.saved_boards(record.id, back.id) == {
            "number line": counters(1, -1),
            "exit ticket": {"pieces": []},
        }


SERVER_WRITING = """
import sys
from lessons.store import Store
store = Store(sys.argv[1])
for step in range(100_000):
    store.record_board(int(sys.argv[2]), int(sys.argv[3]), "bar", {"step": step}, "<svg/>")
    print(step, flush=True)
"""


def test_a_server_killed_mid_lesson_loses_nothing_it_recorded(store, store_url, lesson):
    record, ali, _ = lesson
    server = subprocess.Popen(
        [sys.executable, "-c", SERVER_WRITING, store_url, str(record.id), str(ali.id)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        for line in server.stdout:
            if int(line) == 40:
                break
    finally:
        server.kill()  # no goodbye: a power cut of the process
        server.wait()
    recorded = [h.state["step"] for h in store.board_history(record.id, ali.id, "bar")]
    assert recorded[:41] == list(range(41))  # every write the server saw finish, in order
    assert store.saved_boards(record.id, ali.id) == {"bar": {"step": recorded[-1]}}


def test_a_boards_history_replays_in_order(store, lesson):
    record, ali, bea = lesson
    for step in range(5):
        store.record_board(
            record.id, ali.id, "bar", counters(step), f"<svg>{step}</svg>", at=NOW + timedelta(seconds=step)
        )
    store.record_board(record.id, bea.id, "bar", counters(99), "<svg/>", at=NOW)
    # a gesture recorded late, with the time it was made, takes its place in the replay
    store.record_board(record.id, ali.id, "bar", counters(-1), "<svg>late</svg>", at=NOW - timedelta(seconds=1))
    history = store.board_history(record.id, ali.id, "bar")
    assert [h.state for h in history] == [counters(-1)] + [counters(step) for step in range(5)]
    assert [h.at for h in history] == sorted(h.at for h in history)
    assert {h.pupil_id for h in history} == {ali.id}
    assert store.saved_boards(record.id, ali.id) == {"bar": counters(4)}  # the late gesture hides nothing


def test_latest_boards_give_each_pupils_newest_state(store, lesson):
    record, ali, bea = lesson
    store.record_board(record.id, ali.id, "bar", counters(1), "<svg>a1</svg>", section=1, at=NOW)
    store.record_board(record.id, ali.id, "bar", counters(2), "<svg>a2</svg>", section=2, at=NOW + timedelta(1))
    store.record_board(record.id, bea.id, "bar", counters(3), "<svg>b</svg>", at=NOW)
    store.record_board(record.id, bea.id, "tiles", counters(4), "<svg>t</svg>", at=NOW)
    other = store.open_class("units/x.ipynb", "8C", code="ZZ99")
    store.record_board(other.id, store.join(other.id, "Cy").id, "bar", counters(9), "<svg/>")

    latest = store.latest_boards(record.id, "bar")
    assert [(b.pupil_id, b.state, b.svg, b.section) for b in latest] == [
        (ali.id, counters(2), "<svg>a2</svg>", 2),
        (bea.id, counters(3), "<svg>b</svg>", None),
    ]
    assert {(b.pupil_id, b.board) for b in store.latest_boards(record.id)} == {
        (ali.id, "bar"),
        (bea.id, "bar"),
        (bea.id, "tiles"),
    }
    assert store.latest_boards(record.id, "no such board") == []


def test_an_answer_is_recorded_with_its_mark(store, lesson):
    record, ali, bea = lesson
    store.record_answer(record.id, ali.id, "exit ticket", 1, "-3", False, at=NOW)
    store.record_answer(record.id, ali.id, "exit ticket", 1, "3", True, at=NOW + timedelta(seconds=5))
    store.record_answer(record.id, bea.id, "explain", 2, "zero pairs cancel", None, at=NOW + timedelta(seconds=7))
    assert [(a.pupil_id, a.board, a.item, a.answer, a.right, a.at) for a in store.answers(record.id)] == [
        (ali.id, "exit ticket", 1, "-3", False, NOW),
        (ali.id, "exit ticket", 1, "3", True, NOW + timedelta(seconds=5)),
        (bea.id, "explain", 2, "zero pairs cancel", None, NOW + timedelta(seconds=7)),
    ]


def test_nothing_is_lost_under_30_pupils_writing_at_once(store, lesson):
    record = lesson[0]
    pupils = [store.join(record.id, f"Pupil {n}") for n in range(30)]
    gestures = 20
    errors: list[BaseException] = []
    start = threading.Barrier(len(pupils))

    def pupil_works(pupil) -> None:
        try:
            start.wait()
            for step in range(gestures):
                store.record_board(record.id, pupil.id, "bar", counters(pupil.id, step), f"<svg>{step}</svg>")
            store.record_answer(record.id, pupil.id, "exit ticket", 1, str(pupil.id), True)
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)

    threads = [threading.Thread(target=pupil_works, args=(p,)) for p in pupils]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    for pupil in pupils:
        history = store.board_history(record.id, pupil.id, "bar")
        assert [h.state for h in history] == [counters(pupil.id, step) for step in range(gestures)]
    assert sorted(a.pupil_id for a in store.answers(record.id)) == sorted(p.id for p in pupils)
    assert {b.pupil_id: b.state for b in store.latest_boards(record.id, "bar")} == {
        p.id: counters(p.id, gestures - 1) for p in pupils
    }


def test_the_same_name_joining_at_once_from_many_devices_is_one_pupil(store, lesson):
    record = lesson[0]
    joined: list = []
    start = threading.Barrier(10)

    def join() -> None:
        start.wait()
        joined.append(store.join(record.id, "Dev"))

    threads = [threading.Thread(target=join) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(joined) == 10 and len({p.id for p in joined}) == 1
    assert [p.name for p in store.pupils(record.id)].count("Dev") == 1


def test_export_has_everything_and_is_json(store, lesson):
    record, ali, bea = lesson
    store.record_board(record.id, ali.id, "bar", counters(1), "<svg>1</svg>", section=1, at=NOW)
    store.record_board(record.id, ali.id, "bar", counters(2), "<svg>2</svg>", section=1, at=NOW + timedelta(1))
    store.record_answer(record.id, bea.id, "exit ticket", 1, "−3", False, at=NOW)
    exported = json.loads(json.dumps(store.export(record.id)))
    assert exported["class"]["title"] == "Zero pairs, 8B"
    assert exported["class"]["code"] == "K7QM"
    assert exported["class"]["retention_days"] == 30
    assert [p["name"] for p in exported["pupils"]] == ["Ali", "Bea"]
    assert [(b["pupil_id"], b["state"], b["svg"], b["section"]) for b in exported["boards"]] == [
        (ali.id, counters(1), "<svg>1</svg>", 1),
        (ali.id, counters(2), "<svg>2</svg>", 1),
    ]
    assert exported["answers"] == [
        {"pupil_id": bea.id, "board": "exit ticket", "item": 1, "answer": "−3", "right": False, "at": NOW.isoformat()}
    ]
    assert ali.key not in json.dumps(exported)  # a key would let the reader act as the pupil
    assert exported["notes"] == [] and exported["shows"] == []


def test_observers_notes_are_kept_in_time_order_on_a_pupil_or_a_group(store, lesson):
    record, ali, bea = lesson
    later = store.note(
        record.id, "Observer 2", "Most of the room  added the tops and bottoms.", group="Adds both", at=NOW
    )
    first = store.note(record.id, "Observer 1", "Ali drew the bars first.", pupil_id=ali.id, at=NOW - timedelta(1))
    store.note(store.open_class("units/x.ipynb", "8C", code="ZZ99").id, "Observer 1", "another class", group="All")
    notes = store.notes(record.id)
    assert [(n.observer, n.pupil_id, n.group, n.text, n.at) for n in notes] == [
        ("Observer 1", ali.id, None, "Ali drew the bars first.", NOW - timedelta(1)),
        ("Observer 2", None, "Adds both", "Most of the room added the tops and bottoms.", NOW),
    ]
    assert [n.id for n in notes] == [first.id, later.id]
    exported = json.loads(json.dumps(store.export(record.id)))
    assert [(n["observer"], n["pupil_id"], n["group"], n["at"]) for n in exported["notes"]] == [
        ("Observer 1", ali.id, None, (NOW - timedelta(1)).isoformat()),
        ("Observer 2", None, "Adds both", NOW.isoformat()),
    ]


def test_the_whiteboards_sequence_of_shows_is_kept(store, lesson):
    record, ali, bea = lesson
    store.record_show(record.id, "bar", [bea.id, ali.id], response="Adds both", at=NOW + timedelta(seconds=30))
    store.record_show(record.id, "bar", [ali.id], at=NOW)
    shows = store.shows(record.id)
    assert [(s.board, s.pupils, s.response, s.at) for s in shows] == [
        ("bar", [ali.id], None, NOW),
        ("bar", [bea.id, ali.id], "Adds both", NOW + timedelta(seconds=30)),
    ]
    exported = json.loads(json.dumps(store.export(record.id)))
    assert exported["shows"] == [
        {"board": "bar", "pupils": [ali.id], "response": None, "at": NOW.isoformat()},
        {
            "board": "bar",
            "pupils": [bea.id, ali.id],
            "response": "Adds both",
            "at": (NOW + timedelta(seconds=30)).isoformat(),
        },
    ]


def test_what_the_teacher_set_is_kept_in_place_of_the_last(store, lesson):
    record, ali, bea = lesson
    assert store.teaching(record.id) is None
    store.keep_teaching(record.id, {"sequence": [["bar", ali.id]], "next": 0}, at=NOW)
    store.keep_teaching(record.id, {"sequence": [["bar", ali.id], ["bar", bea.id]], "next": 1}, at=NOW)
    assert store.teaching(record.id) == {"sequence": [["bar", ali.id], ["bar", bea.id]], "next": 1}
    assert json.loads(json.dumps(store.export(record.id)))["teaching"] == store.teaching(record.id)
    other = store.open_class("units/x.ipynb", "8C", code="ZZ99")
    assert store.teaching(other.id) is None, "one class's settings are not another's"
    with pytest.raises(ValueError, match="a JSON object, not list"):
        store.keep_teaching(record.id, [1, 2])
    with pytest.raises(ValueError, match="no class"):
        store.keep_teaching(record.id + 100, {})
    assert store.teaching(record.id)["next"] == 1, "a refused write keeps what was kept"


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda s, c, p: s.note(c.id, "Observer 1", "both", pupil_id=p.id, group="Adds both"), "not both or neither"),
        (lambda s, c, p: s.note(c.id, "Observer 1", "neither"), "not both or neither"),
        (lambda s, c, p: s.note(c.id, "Observer 1", "x" * 501, pupil_id=p.id), "at most 500"),
        (lambda s, c, p: s.note(c.id, "Observer 1", "   ", pupil_id=p.id), "note is empty"),
        (lambda s, c, p: s.note(c.id, "", "a note", pupil_id=p.id), "observer's label is empty"),
        (lambda s, c, p: s.note(c.id, "Observer 1", "a note", pupil_id=p.id + 100), "not in class"),
        (lambda s, c, p: s.note(c.id + 100, "Observer 1", "a note", group="All"), "no class"),
        (lambda s, c, p: s.record_show(c.id, "bar", []), "one or two pupils"),
        (lambda s, c, p: s.record_show(c.id, "bar", [p.id, p.id, p.id]), "one or two pupils"),
        (lambda s, c, p: s.record_show(c.id, "", [p.id]), "board's name is empty"),
        (lambda s, c, p: s.record_show(c.id + 100, "bar", [p.id]), "no class"),
    ],
)
def test_a_bad_note_or_show_is_refused_with_the_fix_and_keeps_nothing(store, lesson, call, message):
    record, ali, _ = lesson
    with pytest.raises(ValueError, match=message):
        call(store, record, ali)
    assert store.notes(record.id) == [] and store.shows(record.id) == []


def rows_of(store: Store, class_id: int) -> int:
    """Rows anywhere in the database that belong to the class."""
    with store.engine.connect() as conn:
        tables = [store_module.class_table, store_module.pupil_table, store_module.board_table]
        tables += [store_module.latest_table, store_module.answer_table]
        tables += [store_module.note_table, store_module.show_table, store_module.teaching_table]
        return sum(
            conn.execute(
                sa.select(sa.func.count()).where((t.c.id if t.name == "classes" else t.c.class_id) == class_id)
            ).scalar_one()
            for t in tables
        )


def test_delete_leaves_nothing_of_the_class(store, lesson):
    record, ali, bea = lesson
    other = store.open_class("units/x.ipynb", "8C", code="ZZ99")
    cy = store.join(other.id, "Cy")
    for class_id, pupil in ((record.id, ali), (record.id, bea), (other.id, cy)):
        store.record_board(class_id, pupil.id, "bar", counters(1), "<svg/>")
        store.record_answer(class_id, pupil.id, "exit ticket", 1, "1", True)
        store.note(class_id, "Observer 1", "counted on", pupil_id=pupil.id)
        store.note(class_id, "Observer 1", "all at once", group="None of these")
        store.record_show(class_id, "bar", [pupil.id], response="Counts on")
        store.keep_teaching(class_id, {"sequence": [["bar", pupil.id]], "next": 0})
    kept_before = rows_of(store, other.id)
    assert kept_before == 9  # the class, its pupil, a board (and its latest), an answer, two notes, a show, settings

    store.delete(record.id)
    assert rows_of(store, record.id) == 0
    assert store.get_class(record.id) is None and store.find_class("K7QM") is None
    assert store.pupil(record.id, ali.key) is None
    assert rows_of(store, other.id) == kept_before  # another class untouched
    with pytest.raises(ValueError, match=f"no class {record.id}"):
        store.delete(record.id)


def test_expiry_deletes_only_classes_past_their_retention(store):
    week = store.open_class("units/a.ipynb", "kept a week", code="AAA1", retention_days=7)
    month = store.open_class("units/b.ipynb", "kept a month", code="BBB2")
    ali = store.join(week.id, "Ali")
    store.note(week.id, "Observer 1", "quiet start", pupil_id=ali.id)
    store.record_show(week.id, "bar", [ali.id])
    store.end_class(week.id)
    week = store.get_class(week.id)
    assert store.expire() == 0
    assert store.expire(week.ended + timedelta(days=6)) == 0
    assert store.expire(week.ended + timedelta(days=7, seconds=1)) == 1
    assert [c.id for c in store.classes()] == [month.id]
    assert rows_of(store, week.id) == 0  # its notes and shows with it
    assert store.expire(month.opened + timedelta(days=30, seconds=1)) == 1
    assert store.classes() == []


def test_a_store_opening_deletes_expired_classes(store_url):
    with Store(store_url) as first:
        old = first.open_class("units/a.ipynb", "last term", code="OLD1")
        new = first.open_class("units/b.ipynb", "today", code="NEW1")
        with first.engine.begin() as conn:  # as if it had opened 31 days ago
            table = store_module.class_table
            conn.execute(sa.update(table).where(table.c.id == old.id).values(opened=old.opened - timedelta(days=31)))
    with Store(store_url) as reopened:
        assert reopened.expired == 1
        assert [c.id for c in reopened.classes()] == [new.id]


def test_a_version_1_database_is_migrated_on_open_and_keeps_its_records(store_url):
    yesterday = datetime.now(timezone.utc).replace(microsecond=0) - timedelta(days=1)  # within its retention
    engine = sa.create_engine(store_url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.begin() as conn:  # a database as the first release of the store left it
        store_module.MIGRATIONS[0](conn)
        conn.execute(sa.text("INSERT INTO schema_version (version) VALUES (1)"))
        conn.execute(
            sa.text(
                "INSERT INTO classes (id, code, lesson, title, opened, retention_days) "
                "VALUES (1, 'OLD1', 'units/a.ipynb', 'before', :at, 30)"
            ),
            {"at": yesterday.replace(tzinfo=None)},
        )
        conn.execute(
            sa.text(
                "INSERT INTO pupils (id, class_id, name, folded, key, joined) VALUES (1, 1, 'Ali', 'ali', 'k1', :at)"
            ),
            {"at": yesterday.replace(tzinfo=None)},
        )
        conn.execute(
            sa.text(
                "INSERT INTO boards (class_id, pupil_id, board, state, svg, at) VALUES (1, 1, 'bar', :s, '<svg/>', :at)"
            ),
            {"s": json.dumps(counters(7)), "at": yesterday.replace(tzinfo=None)},
        )
        conn.execute(  # an older state, recorded after it
            sa.text("INSERT INTO boards (class_id, pupil_id, board, state, svg, at) VALUES (1, 1, 'bar', :s, '', :at)"),
            {"s": json.dumps(counters(6)), "at": (yesterday - timedelta(hours=1)).replace(tzinfo=None)},
        )
    engine.dispose()

    with Store(store_url) as migrated:
        assert migrated.schema_version() == SCHEMA_VERSION
        (record,) = migrated.classes()
        assert (record.code, record.title, record.opened) == ("OLD1", "before", yesterday)
        ali = migrated.pupil(record.id, "k1")
        assert migrated.saved_boards(record.id, ali.id) == {"bar": counters(7)}
        assert [b.state for b in migrated.board_history(record.id, ali.id, "bar")] == [counters(6), counters(7)]
        migrated.record_board(record.id, ali.id, "bar", counters(8), "<svg/>", section=3)
        assert [(b.state, b.section) for b in migrated.latest_boards(record.id)] == [(counters(8), 3)]
        # the migrated database has exactly the tables and columns of a new one
        with migrated.engine.connect() as conn:
            found = sa.inspect(conn)
            for table in store_module.metadata.sorted_tables:
                assert {c["name"] for c in found.get_columns(table.name)} == set(table.c.keys()), table.name
            for table in (store_module.board_table, store_module.answer_table, store_module.class_table):
                assert {i["name"] for i in found.get_indexes(table.name)} == {i.name for i in table.indexes}
            for table in (store_module.note_table, store_module.show_table):
                assert {i["name"] for i in found.get_indexes(table.name)} == {i.name for i in table.indexes}
    with Store(store_url) as again:  # opening a current database changes nothing
        assert again.schema_version() == SCHEMA_VERSION and len(again.classes()) == 1


def test_a_database_of_a_newer_kit_is_refused_clearly(store_url):
    with Store(store_url) as current, current.engine.begin() as conn:
        conn.execute(sa.update(store_module.version_table).values(version=SCHEMA_VERSION + 1))
    with pytest.raises(StoreError, match=f"newer Mastery Notebooks \\(schema version {SCHEMA_VERSION + 1}") as refused:
        Store(store_url)
    assert "upgrade the kit" in str(refused.value)
    assert "password" not in str(refused.value)


def test_join_codes_name_one_open_class(store):
    first = store.open_class("units/a.ipynb", "8B", code="k7qm")
    assert first.code == "K7QM"
    assert store.find_class(" k7 qm ") == first
    with pytest.raises(ValueError, match="K7QM is in use by an open class: choose another code"):
        store.open_class("units/b.ipynb", "8C", code="K7QM")
    store.end_class(first.id)
    assert store.find_class("K7QM") is None  # an ended class is found by id, not by code
    assert store.get_class(first.id).ended is not None
    second = store.open_class("units/b.ipynb", "8C", code="K7QM")
    assert store.find_class("K7QM") == second
    assert store.find_class("no!") is None
    with pytest.raises(ValueError, match="has ended"):
        store.join(first.id, "Ali")
    assert all(c in store_module.CODE_ALPHABET for c in join_code())


def test_classes_are_listed_newest_first_with_utc_times(store):
    opened = [store.open_class(f"units/{n}.ipynb", f"class {n}", code=f"CODE{n}") for n in range(3)]
    assert [c.id for c in store.classes()] == [c.id for c in reversed(opened)]
    for record in store.classes():
        assert record.opened.tzinfo == timezone.utc
        assert abs(record.opened - datetime.now(timezone.utc)) < timedelta(minutes=5)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda s, c, p: s.join(c.id, ""), "pupil's name is empty: type a first name"),
        (lambda s, c, p: s.join(c.id, "x" * 41), "40 characters|at most 40"),
        (lambda s, c, p: s.join(c.id + 100, "Ali"), "no class"),
        (lambda s, c, p: s.record_board(c.id, p.id, "bar", {"pieces": {1, 2}}, ""), "not JSON"),
        (lambda s, c, p: s.record_board(c.id, p.id, "bar", {"x": float("nan")}, ""), "not JSON"),
        (lambda s, c, p: s.record_board(c.id, p.id, "bar", "[]", ""), "must be a dict"),
        (lambda s, c, p: s.record_board(c.id, p.id, "", {}, ""), "board's name is empty"),
        (lambda s, c, p: s.record_board(c.id, p.id + 100, "bar", {}, ""), "not in class"),
        (lambda s, c, p: s.record_board(c.id + 100, p.id, "bar", {}, ""), "not in class"),
        (lambda s, c, p: s.record_answer(c.id, p.id, "bar", 1, "3", "yes"), "right \\(True\\), wrong"),
        (lambda s, c, p: s.record_board(c.id, p.id, "bar", {}, "", at=datetime(2026, 1, 1)), "not an aware datetime"),
        (lambda s, c, p: s.open_class("units/a.ipynb", "8B", code="AB"), "not a join code"),
        (lambda s, c, p: s.open_class("units/a.ipynb", "8B", code="XYZ9", retention_days=0), "1 to 3650 days"),
    ],
)
def test_bad_input_is_refused_with_the_fix_and_loses_nothing(store, lesson, call, message):
    record, ali, _ = lesson
    store.record_board(record.id, ali.id, "bar", counters(1), "<svg>1</svg>")
    with pytest.raises(ValueError, match=message):
        call(store, record, ali)
    assert store.saved_boards(record.id, ali.id) == {"bar": counters(1)}
    assert [p.name for p in store.pupils(record.id)] == ["Ali", "Bea"]
    assert [c.title for c in store.classes()] == ["Zero pairs, 8B"]


def test_a_pseudonym_is_friendly_and_unused(store, lesson):
    record = lesson[0]
    for _ in range(30):  # a class of them
        name = store.pseudonym(record.id)
        assert len(name.split()) == 2 and name.istitle()
        assert name not in {p.name for p in store.pupils(record.id)}
        store.join(record.id, name)
    assert len(store.pupils(record.id)) == 32


def test_a_database_that_cannot_be_reached_is_a_clear_error(tmp_path):
    with pytest.raises(StoreError, match="127.0.0.1:1/school cannot be used: .*refused"):
        Store("postgresql://teacher:secret@127.0.0.1:1/school")
    (tmp_path / "notes.txt").write_text("not a database " * 1000)
    with pytest.raises(StoreError, match="notes.txt cannot be used"):
        Store(str(tmp_path / "notes.txt"))
    with pytest.raises(StoreError, match="cannot be made"):
        Store(str(tmp_path / "notes.txt" / "classes.sqlite"))
    with pytest.raises(ValueError, match="SQLite or PostgreSQL"):
        Store("mysql://school/classes")


def test_the_default_store_is_a_file_in_the_data_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("MASTERY_DATA", str(tmp_path / "data"))
    with Store() as default:
        default.open_class("units/a.ipynb", "8B", code="K7QM")
    assert (tmp_path / "data" / "classes.sqlite").exists()
    assert (tmp_path / "data").stat().st_mode & 0o777 == 0o700  # pupils' names: the teacher's account only
    with Store(str(tmp_path / "data" / "classes.sqlite")) as same:
        assert [c.title for c in same.classes()] == ["8B"]


def test_the_classes_commands_list_export_delete_and_expire(tmp_path, capsys):
    db = str(tmp_path / "classes.sqlite")
    with Store(db) as store:
        record = store.open_class("units/a.ipynb", "Zero pairs, 8B", code="K7QM")
        ali = store.join(record.id, "Ali")
        store.record_answer(record.id, ali.id, "exit ticket", 1, "3", True)
        short = store.open_class("units/b.ipynb", "Kept a day", code="DAY1", retention_days=1)
        with store.engine.begin() as conn:
            table = store_module.class_table
            conn.execute(sa.update(table).where(table.c.id == short.id).values(opened=NOW - timedelta(days=400)))

    assert main(["classes", "expire", "--db", db]) == 0
    assert "deleted 1 class past their retention period" in capsys.readouterr().out
    assert main(["classes", "list", "--db", db]) == 0
    listed = capsys.readouterr().out
    assert "1 class kept" in listed and "Kept a day" not in listed
    assert "Zero pairs, 8B" in listed and "K7QM" in listed and "1 pupil," in listed

    assert main(["classes", "export", str(record.id), "--db", db, "--out", str(tmp_path / "8b.json")]) == 0
    exported = json.loads((tmp_path / "8b.json").read_text())
    assert exported["pupils"][0]["name"] == "Ali" and exported["answers"][0]["answer"] == "3"
    assert main(["classes", "export", str(record.id), "--db", db]) == 0
    assert json.loads(capsys.readouterr().out) == exported

    assert main(["classes", "delete", str(record.id), "--db", db]) == 0
    assert "deleted class" in capsys.readouterr().out
    assert main(["classes", "delete", str(record.id), "--db", db]) == 2
    assert f"no class {record.id}" in capsys.readouterr().err
    assert main(["classes", "list", "--db", db]) == 0
    assert "0 classes kept" in capsys.readouterr().out


def test_a_refused_database_is_a_sentence_not_a_traceback(capsys):
    assert main(["classes", "list", "--db", "postgresql://teacher:secret@127.0.0.1:1/school"]) == 2
    said = capsys.readouterr().err
    assert said.startswith("mastery classes list: the class's database") and "Traceback" not in said
    assert "secret" not in said
