"""Schema v3's layout (issue 14): items, history and ledgers in small shards, history copied
into month logs; a v2 database moved over after a backup, finishing after a crash part-way."""

from __future__ import annotations

import json
import zlib
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

import storage.atomic_file
from commands.verify import check_event_ledger, check_history, check_sent_ledger, verify_store
from storage.database import (
    TRANSIENT_LOADED,
    Database,
    history_file_key,
    month_file_key,
    shard_key,
)
from storage.models import HistoryEntry, Item
from storage.schema import SCHEMA_VERSION
from storage.store import open_store

NOW = datetime(2014, 3, 3, 10, 0, tzinfo=UTC)
ITEMS = [
    Item(f"CSE13-{n:02d}", "CSE13", n, text=f"Recommendation {n}", status="in progress")
    for n in range(1, 41)
]


def _entries() -> list[HistoryEntry]:
    """Three entries per item over three months; CSE13-07's last one disagrees with it."""
    entries = []
    for n, item in enumerate(ITEMS):
        for k, change in enumerate(("import", "note", "status")):
            at = NOW - timedelta(days=70 - 30 * k, hours=n)
            new = "blocked" if item.id == "CSE13-07" and change == "status" else item.status
            key = f"msg:C0GOV:{1390000000 + n}.{k:06d}"
            entries.append(HistoryEntry(item.id, at, "ULEAD001", change, new=new, key=key))
    return entries


SENT = [
    {"key": f"due:CSE13-{n:02d}:2014-04-30:before-7:C0GOV", "state": "sent", "at": NOW.isoformat()}
    for n in range(1, 30)
]
EVENTS = [{"key": f"msg:C0GOV:{1390000100 + n}.000001", "at": NOW.isoformat()} for n in range(25)]


def _table(docs: list[dict]) -> dict[str, dict]:
    return {str(n): doc for n, doc in enumerate(docs, start=1)}


def write_v2_database(path: Path, *, events_in_ledger_file: bool = False) -> dict[str, bytes]:
    """The files a v2 govbot wrote (one items file, 16 history shards); returns them."""
    history: dict[int, list[dict]] = {}
    for entry in _entries():
        history.setdefault(zlib.crc32(entry.item_id.encode()) % 16, []).append(entry.to_doc())
    ledger = {"ledger": _table(SENT)}
    files = {
        "govbot.json": {
            "meta": _table([{"key": "schema_version", "value": 2}]),
            "sources": _table([{"id": "CSE13", "title": "CSE", "published": "2014-01-31"}]),
            "threads": _table(
                [{"channel": "C0GOV", "ts": "1.000001", "item_id": "CSE13-01", "kind": "item"}]
            ),
        },
        "govbot.items.json": {"items": _table([i.to_doc() for i in ITEMS])},
        "govbot.ledger.json": ledger,
        **{f"govbot.history-{n:02d}.json": {"history": _table(d)} for n, d in history.items()},
    }
    if events_in_ledger_file:  # before issue 10 the event ledger shared the sent-ledger's file
        ledger["events"] = _table(EVENTS)
    else:
        files["govbot.events.json"] = {"events": _table(EVENTS)}
    written = {name: json.dumps(data).encode() for name, data in files.items()}
    for name, raw in written.items():
        path.with_name(name).write_bytes(raw)
    return written


def expected_findings() -> list[str]:
    """What `govbot verify` said of the v2 database: its checks over the documents written."""
    return [
        *check_history(ITEMS, _entries()),
        *check_sent_ledger(SENT),
        *check_event_ledger(EVENTS),
    ]


def assert_all_kept(path: Path) -> None:
    store = open_store(path)
    result = verify_store(store)
    assert list(result.findings) == expected_findings() != []
    assert (result.items, result.entries, result.ledger_keys) == (40, 120, 54)
    with store.transaction():
        assert store.items.all() == ITEMS
        assert sorted(store.history.dump(), key=json.dumps) == sorted(
            (e.to_doc() for e in _entries()), key=json.dumps
        )
        assert sorted(d["key"] for d in store.sent.entries()) == sorted(d["key"] for d in SENT)
        assert all(store.events.seen(d["key"]) for d in EVENTS)
        assert store.threads.resolve("C0GOV", "1.000001").item_id == "CSE13-01"
        assert store.db.table("meta").all() == [{"key": "schema_version", "value": SCHEMA_VERSION}]
    names = {p.name for p in path.parent.iterdir()}
    assert not names & {"govbot.items.json", "govbot.ledger.json", "govbot.events.json"}
    assert not [name for name in names if name.startswith("govbot.history-") and len(name) == 20]


@pytest.fixture
def path(tmp_path) -> Path:
    return tmp_path / "govbot.json"


# Moving a v2 database


@pytest.mark.parametrize("events_in_ledger_file", [False, True])
def test_a_v2_database_keeps_everything_and_verify_agrees(path, events_in_ledger_file):
    originals = write_v2_database(path, events_in_ledger_file=events_in_ledger_file)
    assert_all_kept(path)
    backups = {p.name.split(".v2-")[0]: p.read_bytes() for p in path.parent.glob("*.bak")}
    assert backups == originals
    assert_all_kept(path)  # and opening it again changes nothing


def test_a_crash_after_the_migration_journal_is_finished_at_the_next_open(path, monkeypatch):
    write_v2_database(path)

    def crash(journal):
        raise KeyboardInterrupt  # the process dies: new files and journal on disk, no rename

    monkeypatch.setattr(storage.atomic_file, "finish_commit", crash)
    with pytest.raises(KeyboardInterrupt):
        open_store(path)
    monkeypatch.undo()
    assert path.with_name("govbot.json.journal").exists()
    assert path.with_name("govbot.items.json").exists()
    assert_all_kept(path)


def test_a_crash_while_writing_the_new_files_leaves_v2_and_the_next_open_migrates(
    path, monkeypatch
):
    originals = write_v2_database(path)
    real = storage.atomic_file._write_temporary
    written = []

    def dies_half_way(target, payload):
        if len(written) == 100:
            raise KeyboardInterrupt
        written.append(target)
        return real(target, payload)

    monkeypatch.setattr(storage.atomic_file, "_write_temporary", dies_half_way)
    with pytest.raises(KeyboardInterrupt):
        open_store(path)
    monkeypatch.undo()
    assert {name: path.with_name(name).read_bytes() for name in originals} == originals
    assert not path.with_name("govbot.json.journal").exists()
    assert_all_kept(path)


def test_a_crash_before_the_old_files_are_removed_removes_them_at_the_next_open(path, monkeypatch):
    write_v2_database(path)
    monkeypatch.setattr(Database, "remove_file", lambda self, key: _die())
    with pytest.raises(KeyboardInterrupt):
        open_store(path)
    monkeypatch.undo()
    assert json.loads(path.with_name("govbot.items.json").read_bytes()) == {}
    assert_all_kept(path)


def _die() -> None:
    raise KeyboardInterrupt


# The v3 layout


def _files(folder: Path) -> dict[str, tuple[int, int]]:
    return {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in folder.glob("*.json")}


def test_an_update_rewrites_only_the_items_shard_history_shard_and_month_log(path):
    store = open_store(path)
    with store.transaction():
        store.items.save_many(ITEMS)
        store.history.load([e.to_doc() for e in _entries()])
        store.events.load(EVENTS)
    before = _files(path.parent)
    entry = HistoryEntry("CSE13-05", NOW, "ULEAD001", "status", "in progress", "blocked")
    with store.transaction():
        store.items.save(Item(**{**ITEMS[4].__dict__, "status": "blocked"}))
        store.history.append(entry)
        store.events.record("msg:C0GOV:1.5", NOW)
    after = _files(path.parent)
    changed = {name for name in after if before.get(name) != after[name]}
    assert changed == {
        f"govbot.{shard_key('items', 'CSE13-05')}.json",
        f"govbot.{history_file_key('CSE13-05')}.json",
        f"govbot.{month_file_key(entry.to_doc())}.json",
        f"govbot.{shard_key('events', 'msg:C0GOV:1.5')}.json",
    }


def test_since_reads_the_month_logs_and_sees_another_process_append(path):
    store, other = open_store(path), open_store(path)
    with store.transaction():
        store.history.load([e.to_doc() for e in _entries()])
        cutoff = NOW - timedelta(days=11)
        expected = {e.item_id for e in _entries() if e.at >= cutoff}
        assert {e.item_id for e in store.history.since(cutoff)} == expected != set()
    late = HistoryEntry("CSE13-30", NOW + timedelta(days=40), "ULEAD001", "status", new="blocked")
    odd = HistoryEntry("CSE13-31", NOW + timedelta(days=41), "ULEAD001", "a/b kind", new="x")
    with other.transaction():
        other.history.append(late)
        other.history.append(odd)
    with store.transaction():
        assert list(store.history.since(NOW + timedelta(days=1), change="status")) == [late]
        assert list(store.history.since(NOW + timedelta(days=1), change="a/b kind")) == [odd]
        assert list(store.history.since(NOW + timedelta(days=1), change="note")) == []
        everything = sorted(e.to_doc()["at"] for e in store.history.since(datetime.min))
        assert everything == sorted(d["at"] for d in store.history.dump())
        assert len(everything) == 122


def test_a_permalink_is_filled_in_both_copies_of_an_entry(path):
    store = open_store(path)
    entry = _entries()[5]
    with store.transaction():
        store.history.load([e.to_doc() for e in _entries()])
        store.history.set_permalink(entry.item_id, entry.key, "https://slack.example/p1")
    with store.transaction():
        [in_shard] = [e for e in store.history.for_item(entry.item_id) if e.key == entry.key]
        [in_month] = [e for e in store.history.since(entry.at) if e.key == entry.key]
    assert in_shard.permalink == in_month.permalink == "https://slack.example/p1"


def test_a_transaction_keeps_few_history_files_parsed_and_none_after(path):
    store = open_store(path)
    with store.transaction():
        store.history.load([e.to_doc() for e in _entries()])
    storages = store.db._storages
    with store.transaction():
        assert len(store.history.dump()) == 120
        parsed = [k for k, s in storages.items() if k.startswith("history-") and s._data]
        assert 0 < len(parsed) <= TRANSIENT_LOADED
    assert [
        k for k, s in storages.items() if k.startswith(("history-", "month-")) and s._data
    ] == []
