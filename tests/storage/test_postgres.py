"""What only the PostgreSQL backend promises: versioned migrations, exactly-once ledgers across
connections (each a process as far as the server knows), and the sweep lock moving on."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from dataclasses import replace
from datetime import UTC, date, datetime

import psycopg
import pytest
from psycopg.types.json import Jsonb

from storage.errors import StorageError
from storage.models import Item, Source
from storage.postgres.migrations import MIGRATIONS
from storage.store import open_store

NOW = datetime(2014, 1, 17, 9, 0, tzinfo=UTC)


def _versions(pg_url: str) -> list[int]:
    with psycopg.connect(pg_url) as conn:
        return [r[0] for r in conn.execute("SELECT version FROM schema_migrations ORDER BY 1")]


def test_the_schema_is_migrated_once_and_a_newer_one_refused(pg_url, pg_stores):
    pg_stores()
    pg_stores()
    assert _versions(pg_url) == list(range(1, len(MIGRATIONS) + 1))
    with psycopg.connect(pg_url) as conn:
        conn.execute("INSERT INTO schema_migrations (version) VALUES (99)")
    try:
        with pytest.raises(StorageError, match="schema version 99, newer than this govbot"):
            open_store(pg_url)
    finally:
        with psycopg.connect(pg_url) as conn:
            conn.execute("DELETE FROM schema_migrations WHERE version = 99")


def test_a_version_2_database_keeps_its_snoozes_which_name_nobody_and_lapse(pg_url, pg_stores):
    with psycopg.connect(pg_url) as conn:
        migrate_to(conn, 2)
        conn.execute(
            "INSERT INTO snoozes (item_id, doc) VALUES ('CSE13-02', %s)",
            (Jsonb({"item_id": "CSE13-02", "until": "2014-02-01"}),),
        )
    store = pg_stores()
    assert _versions(pg_url) == list(range(1, len(MIGRATIONS) + 1))
    with store.transaction():
        store.snoozes.snooze("U1", "CSE13-02", date(2014, 2, 3))
        store.snoozes.snooze("U2", "CSE13-02", date(2014, 2, 4))
        assert store.snoozes.all() == {
            ("U1", "CSE13-02"): date(2014, 2, 3),
            ("U2", "CSE13-02"): date(2014, 2, 4),
        }
        assert {"user" in d for d in store.snoozes.dump()} == {True, False}
        store.settings.set("districts", "Sheffield")
        assert store.settings.get("districts") == "Sheffield"


def migrate_to(conn: psycopg.Connection, version: int) -> None:
    """The schema as a govbot that knew only the first `version` steps left it."""
    conn.execute("DROP SCHEMA public CASCADE")
    conn.execute("CREATE SCHEMA public")
    conn.execute(
        "CREATE TABLE schema_migrations (version integer PRIMARY KEY,"
        " applied_at timestamptz NOT NULL DEFAULT now())"
    )
    for number, sql in enumerate(MIGRATIONS[:version], start=1):
        conn.execute(sql)
        conn.execute("INSERT INTO schema_migrations (version) VALUES (%s)", (number,))


def test_an_unreachable_server_is_one_clear_line(pg_cluster):
    with pytest.raises(StorageError) as raised:
        open_store(f"postgresql://postgres:secret@127.0.0.1:{pg_cluster.port}/no_such_db")
    message = str(raised.value)
    assert message.startswith(f"cannot connect to postgresql://127.0.0.1:{pg_cluster.port}/no_such")
    assert "secret" not in message and "\n" not in message


def _race(workers: int, work) -> list:
    """Run `work(n)` on `workers` threads released at once; their results."""
    barrier = threading.Barrier(workers)
    results: list = [None] * workers

    def run(n: int) -> None:
        barrier.wait()
        results[n] = work(n)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_three_stores_claiming_the_same_reminders_each_get_a_share_once(pg_stores):
    stores = [pg_stores() for _ in range(3)]
    keys = [f"deadline:CSE13-{n:02d}" for n in range(40)]

    def claim_all(n: int) -> list[str]:
        won = []
        for key in keys:
            with stores[n].transaction() as store:
                if store.sent.claim(key, NOW):
                    won.append(key)
        return won

    claimed = [key for won in _race(3, claim_all) for key in won]
    assert sorted(claimed) == sorted(keys)


def test_a_slack_delivery_seen_by_two_stores_at_once_is_handled_once(pg_stores):
    stores = [pg_stores() for _ in range(2)]
    handled = []

    def handle(n: int) -> None:
        with stores[n].transaction() as store:
            if store.events.seen("C0GOV:1700000000.000100"):
                return
            time.sleep(0.2)  # the other is now waiting on the same key
            handled.append(n)
            store.events.record("C0GOV:1700000000.000100", NOW)

    _race(2, handle)
    assert len(handled) == 1


def test_two_stores_updating_one_item_lose_neither_update(pg_stores):
    stores = [pg_stores() for _ in range(2)]
    with stores[0].transaction() as store:
        store.items.save(Item("CSE13-01", "CSE13", 1))

    def add_lead(n: int) -> None:
        with stores[n].transaction() as store:
            item = store.items.get("CSE13-01")
            time.sleep(0.2)
            store.items.save(Item("CSE13-01", "CSE13", 1, leads=(*item.leads, f"U{n}")))

    _race(2, add_lead)
    with stores[0].transaction() as store:
        assert sorted(store.items.get("CSE13-01").leads) == ["U0", "U1"]


HOLDER = """
import sys, time
from storage.store import open_store
store = open_store(sys.argv[1])
print("leads" if store.leads_sweeps() else "follows", flush=True)
time.sleep(120)
"""


def test_the_sweep_lock_moves_to_another_process_when_its_holder_dies(pg_url, pg_stores):
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, pg_url], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout.readline().strip() == "leads"
        follower = pg_stores()
        assert not follower.leads_sweeps()
        assert not follower.leads_sweeps()
        holder.kill()
        holder.wait(10)
        deadline = time.monotonic() + 60  # the scheduler asks once a minute
        while not follower.leads_sweeps():
            assert time.monotonic() < deadline, "no process took the sweep over"
            time.sleep(0.1)
        assert follower.leads_sweeps()  # and keeps it
        assert not pg_stores().leads_sweeps()
    finally:
        holder.kill()
        holder.wait(10)


def test_a_process_sees_items_another_wrote_even_while_it_was_reading(pg_stores):
    reader, writer, quick = pg_stores(), pg_stores(), pg_stores()
    with writer.transaction() as store:
        store.items.save_many([Item(f"CSE13-{n:02d}", "CSE13", n) for n in range(1, 4)])
    with reader.transaction() as store:
        assert [i.status for i in store.items.all()] == ["not started"] * 3
    written, read = threading.Event(), threading.Event()

    def write_slowly() -> None:
        with writer.transaction() as store:
            store.items.save(Item("CSE13-02", "CSE13", 2, status="blocked"))
            written.set()
            read.wait(10)  # commits after the reader's look

    thread = threading.Thread(target=write_slowly)
    thread.start()
    written.wait(10)
    with quick.transaction() as store:  # a later transaction, committed first
        store.items.save(Item("CSE13-03", "CSE13", 3, status="in progress"))
    with reader.transaction() as store:
        assert [i.status for i in store.items.all()] == ["not started"] * 2 + ["in progress"]
    read.set()
    thread.join(10)
    with reader.transaction() as store:
        assert [i.status for i in store.items.all()] == ["not started", "blocked", "in progress"]


def test_items_saved_in_a_transaction_rolled_back_are_not_remembered(pg_stores):
    store = pg_stores()
    with store.transaction():
        store.items.save(Item("CSE13-01", "CSE13", 1))
    with pytest.raises(RuntimeError), store.transaction():
        store.items.save(Item("CSE13-01", "CSE13", 1, status="closed"))
        assert store.items.all()[0].status == "closed"
        raise RuntimeError("undone")
    with store.transaction():
        assert store.items.all()[0].status == "not started"


def test_sources_another_process_saves_are_seen_and_a_rolled_back_save_is_not(pg_stores):
    reader, writer = pg_stores(), pg_stores()
    first = Source("CSE13", "SYP response to CSE", date(2014, 1, 31))
    with writer.transaction() as store:
        store.sources.save(first)
    with reader.transaction() as store:
        assert store.sources.all() == [first]  # now cached
    renamed = replace(first, title="Renamed", response_published=date(2014, 6, 1))
    earlier = Source("NCP13", "Earlier review", date(2013, 5, 1))
    with writer.transaction() as store:
        store.sources.save(renamed)
        store.sources.save(earlier)
    with reader.transaction() as store:
        assert store.sources.all() == [earlier, renamed]  # by publication date
    later = replace(earlier, published=date(2015, 1, 1))
    with writer.transaction() as store:
        store.sources.save(later)  # its date corrected: it moves
    with reader.transaction() as store:
        assert store.sources.all() == [renamed, later]
    with pytest.raises(RuntimeError), reader.transaction() as store:
        store.sources.save(replace(later, title="Undone"))
        assert store.sources.all()[1].title == "Undone"  # its own write, inside
        raise RuntimeError("undone")
    with reader.transaction() as store:
        assert store.sources.all() == [renamed, later]


def test_a_cached_register_keeps_its_order_as_items_change_and_arrive(pg_stores):
    reader, writer = pg_stores(), pg_stores()
    with writer.transaction() as store:
        store.items.save_many([Item(f"CSE13-{n:02d}", "CSE13", n) for n in (1, 3)])
    with reader.transaction() as store:
        assert [i.id for i in store.items.all()] == ["CSE13-01", "CSE13-03"]
    with writer.transaction() as store:
        store.items.save(Item("CSE13-03", "CSE13", 3, status="blocked"))  # keeps its place
    with reader.transaction() as store:
        assert [(i.id, i.status) for i in store.items.all()] == [
            ("CSE13-01", "not started"),
            ("CSE13-03", "blocked"),
        ]
    with writer.transaction() as store:
        store.items.save(Item("CSE13-02", "CSE13", 2))  # arrives between the two
        store.items.save(Item("CSE13-01", "CSE13", 1, status="closed"))
        store.items.save(Item("AAA14-01", "AAA14", 1))  # a source sorted first
    with reader.transaction() as store:
        assert [(i.id, i.status) for i in store.items.all()] == [
            ("AAA14-01", "not started"),
            ("CSE13-01", "closed"),
            ("CSE13-02", "not started"),
            ("CSE13-03", "blocked"),
        ]
