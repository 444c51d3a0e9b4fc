"""The database files (SPEC section 8): atomic writes, failed writes, unreadable files refused,
old schemas migrated with a backup, other writers noticed, one `govbot run` per database."""

from __future__ import annotations

import errno
import itertools
import json
import os
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

import storage.atomic_file
from storage.database import Database, history_file_key, shard_key
from storage.errors import DatabaseInUse, StorageError, UnreadableDatabase, WriteFailed
from storage.models import HistoryEntry, Item, Source
from storage.schema import SCHEMA_VERSION
from storage.store import Store, open_store

NOW = datetime(2014, 3, 3, 10, 0, tzinfo=UTC)
ITEMS = [Item(f"CSE13-{n:02d}", "CSE13", n, text=f"Recommendation {n}") for n in range(1, 6)]
ITEMS_FILE = f"govbot.{shard_key('items', 'CSE13-02')}.json"  # the shard CSE13-02 is kept in


@pytest.fixture
def path(tmp_path) -> Path:
    return tmp_path / "govbot.json"


@pytest.fixture
def store(path) -> Store:
    store = open_store(path)
    with store.transaction():
        store.sources.save(Source("CSE13", "SYP response to CSE", date(2014, 1, 31)))
        store.items.save_many(ITEMS)
    return store


def database_files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.suffix == ".json"}


def status_of(store: Store, item_id: str) -> str:
    with store.transaction():
        return store.items.get(item_id).status


def set_status(store: Store, item_id: str, status: str) -> None:
    with store.transaction():
        item = store.items.get(item_id)
        store.items.save(Item(**{**item.__dict__, "status": status}))


# Atomic writes


def test_every_file_is_whole_json_and_no_temporary_file_is_left(store, path):
    for status in ("in progress", "blocked", "implemented"):
        set_status(store, "CSE13-02", status)
    files = database_files(path.parent)
    assert {"govbot.json", ITEMS_FILE} <= set(files)
    for raw in files.values():
        assert isinstance(json.loads(raw), dict)
    assert [p.name for p in path.parent.iterdir() if p.suffix == ".tmp"] == []


def test_a_write_replaces_the_file_and_never_rewrites_it_in_place(store, path):
    items_file = path.with_name(ITEMS_FILE)
    with items_file.open("rb") as reader_before:
        set_status(store, "CSE13-02", "in progress")
        old = json.loads(reader_before.read())  # a reader mid-way keeps a whole old file
    assert {d["id"]: d["status"] for d in old["items"].values()}["CSE13-02"] == "not started"
    assert "in progress" in items_file.read_text()


def _cannot_write_directory(folder: Path) -> bool:
    probe = folder / ".probe"
    try:
        probe.touch()
    except PermissionError:
        return True
    probe.unlink()
    return False


@pytest.fixture
def failing_writes(path, monkeypatch):
    """The database folder turns read-only; as root (where chmod stops nothing) the disk fills."""
    folder = path.parent
    folder.chmod(0o500)
    if _cannot_write_directory(folder):
        yield "Permission denied"
        folder.chmod(0o700)
        return
    folder.chmod(0o700)

    def no_space(src, dst):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(storage.atomic_file.os, "replace", no_space)
    yield os.strerror(errno.ENOSPC)


def test_a_failed_write_is_a_clear_error_and_the_previous_file_stays(store, path, failing_writes):
    before = database_files(path.parent)
    with pytest.raises(WriteFailed) as raised:
        set_status(store, "CSE13-02", "in progress")
    assert str(raised.value) == f"cannot write {path.with_name(ITEMS_FILE)}: {failing_writes}"
    assert database_files(path.parent) == before
    assert status_of(store, "CSE13-02") == "not started"  # the in-memory copy was re-read
    with store.transaction():
        assert store.items.all() == ITEMS


def test_the_disk_filling_up_leaves_the_previous_file_and_no_temporary(store, path, monkeypatch):
    def no_space(src, dst):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    before = database_files(path.parent)
    monkeypatch.setattr(storage.atomic_file.os, "replace", no_space)
    with pytest.raises(WriteFailed, match="No space left on device"), store.transaction():
        store.sources.save(Source("NCP15", "review", date(2015, 3, 1)))
    monkeypatch.undo()
    assert database_files(path.parent) == before
    assert [p.name for p in path.parent.iterdir() if p.suffix == ".tmp"] == []
    with store.transaction():
        assert [s.id for s in store.sources.all()] == ["CSE13"]
    set_status(store, "CSE13-02", "in progress")  # and writing works again once there is room
    assert status_of(open_store(path), "CSE13-02") == "in progress"


# Transactions: all of their writes or none


def _record_progress(store: Store, item_id: str) -> None:
    """An update as the bot makes it: a history entry and the item, in two files."""
    with store.transaction():
        item = store.items.get(item_id)
        store.history.append(
            HistoryEntry(item_id, NOW, "ULEAD001", "status", item.status, "in progress")
        )
        store.items.save(Item(**{**item.__dict__, "status": "in progress"}))


def _progress(store: Store, item_id: str) -> tuple[str, int]:
    with store.transaction():
        return store.items.get(item_id).status, len(store.history.for_item(item_id))


def test_a_transaction_that_fails_half_way_writes_nothing(store, path):
    before = database_files(path.parent)
    with pytest.raises(RuntimeError, match="the bot fell over"), store.transaction():
        _record_progress(store, "CSE13-02")
        raise RuntimeError("the bot fell over")
    assert database_files(path.parent) == before
    assert _progress(store, "CSE13-02") == ("not started", 0)


def test_a_full_disk_during_a_two_file_write_changes_neither(store, path, monkeypatch):
    real_replace = os.replace

    def journal_fails(src, dst):
        if str(dst).endswith(".journal"):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real_replace(src, dst)

    before = database_files(path.parent)
    monkeypatch.setattr(storage.atomic_file.os, "replace", journal_fails)
    with pytest.raises(WriteFailed, match="No space left on device"):
        _record_progress(store, "CSE13-02")
    monkeypatch.undo()
    assert database_files(path.parent) == before
    assert [p.name for p in path.parent.iterdir() if p.suffix in (".tmp", ".journal")] == []
    assert _progress(store, "CSE13-02") == ("not started", 0)


def test_a_commit_cut_short_after_its_journal_is_finished_by_the_next_reader(
    store, path, monkeypatch
):
    def crash(journal):
        raise KeyboardInterrupt  # the process dies here: new files and journal on disk

    monkeypatch.setattr(storage.atomic_file, "finish_commit", crash)
    with pytest.raises(KeyboardInterrupt):
        _record_progress(store, "CSE13-02")
    monkeypatch.undo()
    assert path.with_name("govbot.json.journal").exists()

    assert _progress(open_store(path), "CSE13-02") == ("in progress", 1)  # a restart
    assert _progress(store, "CSE13-02") == ("in progress", 1)  # and the survivor
    assert [p.name for p in path.parent.iterdir() if p.suffix in (".tmp", ".journal")] == []


# Unreadable files are refused, never overwritten


CORRUPT = {
    "garbage": b"\x00\x9c\xffPK\x03\x04 not json at all",
    "empty": b"",
    "blank": b"  \n",
    "a list": b'[{"id": "CSE13-01"}]',
    "truncated": b'{"items": {"1": {"id": "CSE13-01", "sta',
    "not tables": b'{"items": [1, 2, 3]}',
    "not documents": b'{"items": {"1": "CSE13-01"}}',
}


@pytest.mark.parametrize(
    "name",
    [
        "govbot.json",
        ITEMS_FILE,
        f"govbot.{history_file_key('CSE13-02')}.json",
        "govbot.month-2014-03-status-01.json",
        "govbot.history-03.json",  # of the v2 layout, not yet migrated
    ],
)
@pytest.mark.parametrize("content", CORRUPT.values(), ids=CORRUPT.keys())
def test_an_unreadable_file_is_refused_with_a_message_and_left_as_it_is(store, path, name, content):
    damaged = path.with_name(name)
    damaged.write_bytes(content)
    with pytest.raises(UnreadableDatabase) as raised:
        open_store(path)
    message = str(raised.value)
    assert message.startswith(str(damaged))
    assert "refusing" in message
    assert damaged.read_bytes() == content


def test_a_file_damaged_while_running_is_refused_not_overwritten(store, path):
    items_file = path.with_name(ITEMS_FILE)
    items_file.write_bytes(b"\x00\x00\x00")
    with pytest.raises(UnreadableDatabase):
        set_status(store, "CSE13-02", "in progress")
    assert items_file.read_bytes() == b"\x00\x00\x00"


def test_a_missing_folder_or_a_folder_as_database_is_named(tmp_path):
    with pytest.raises(StorageError, match="is a folder; GOVBOT_DB must name a file"):
        open_store(tmp_path)
    with pytest.raises(StorageError, match=f"folder {tmp_path / 'nowhere'} does not exist"):
        open_store(tmp_path / "nowhere" / "govbot.json")


# Schema versions


def _v1_item(number: int, lead: str) -> dict:
    return {
        "id": f"CSE13-{number:02d}",
        "source": "CSE13",
        "number": number,
        "text": f"Recommendation {number}",
        "due": "2014-01-31",
        "lead": lead,
        "status": "in progress" if lead else "not started",
    }


V1_SOURCES = {"1": {"id": "CSE13", "title": "SYP response to CSE", "published": "2014-01-31"}}
V1_ITEMS = {"1": _v1_item(1, "ULEAD001"), "2": _v1_item(2, "")}


def _assert_migrated(path: Path, originals: dict[str, bytes]) -> None:
    store = open_store(path)
    with store.transaction():
        items = store.items.all()
        meta = store.db.table("meta").all()
    assert [(i.id, i.leads, i.status) for i in items] == [
        ("CSE13-01", ("ULEAD001",), "in progress"),
        ("CSE13-02", (), "not started"),
    ]
    assert meta == [{"key": "schema_version", "value": SCHEMA_VERSION}]
    backups = {p.name.split(".v1-")[0]: p for p in path.parent.glob("*.bak")}
    assert set(backups) == set(originals)
    assert all(backups[name].read_bytes() == raw for name, raw in originals.items())


@pytest.mark.parametrize("meta", [{"1": {"key": "schema_version", "value": 1}}, None])
def test_a_v1_database_is_migrated_to_leads_after_a_backup(path, meta):
    main = {"sources": V1_SOURCES, **({"meta": meta} if meta else {})}
    originals = {
        "govbot.json": json.dumps(main).encode(),
        "govbot.items.json": json.dumps({"items": V1_ITEMS}).encode(),
    }
    for name, raw in originals.items():
        path.with_name(name).write_bytes(raw)

    _assert_migrated(path, originals)
    _assert_migrated(path, originals)  # once only: no second backup


def test_a_v1_database_in_one_file_is_migrated_after_a_backup(path):
    """Before the register was split into files, every table lived in GOVBOT_DB."""
    entry = {"item_id": "CSE13-01", "at": "2014-02-01T09:00:00+00:00", "by": "import"}
    history = {"1": {**entry, "change": "import"}}
    main = {"sources": V1_SOURCES, "items": V1_ITEMS, "history": history}
    originals = {"govbot.json": json.dumps(main).encode()}
    path.write_bytes(originals["govbot.json"])

    _assert_migrated(path, originals)
    store = open_store(path)
    with store.transaction():
        assert [e.by for e in store.history.for_item("CSE13-01")] == ["import"]
        assert "items" not in json.loads(path.read_bytes())


def test_a_newer_schema_is_refused(path):
    path.write_text(json.dumps({"meta": {"1": {"key": "schema_version", "value": 99}}}))
    with pytest.raises(StorageError, match="schema version 99, newer than this govbot"):
        open_store(path)


def test_a_new_database_records_the_current_version(path):
    store = open_store(path)
    with store.transaction():
        assert store.db.table("meta").all() == [{"key": "schema_version", "value": SCHEMA_VERSION}]
    assert list(path.parent.glob("*.bak")) == []


# Other writers


def test_another_writer_is_seen_at_once(store, path):
    other = open_store(path)
    set_status(other, "CSE13-03", "blocked")
    assert status_of(store, "CSE13-03") == "blocked"
    set_status(store, "CSE13-03", "in progress")
    assert status_of(other, "CSE13-03") == "in progress"


def test_a_replaced_file_is_noticed_even_with_the_same_size_and_mtime(store, path):
    """Two same-size writes within one clock tick, and the file system may reuse the inode."""
    reader = open_store(path)
    items_file = path.with_name(f"govbot.{shard_key('items', 'CSE13-04')}.json")
    statuses = itertools.cycle(["in progress", "implemented", "not started"])  # same length
    expected = "not started"
    for _ in range(10):
        assert status_of(reader, "CSE13-04") == expected  # the reader has parsed this file
        seen = items_file.stat()
        for _ in range(2):
            expected = next(statuses)
            set_status(store, "CSE13-04", expected)
        os.utime(items_file, ns=(seen.st_atime_ns, seen.st_mtime_ns))
        assert items_file.stat().st_size == seen.st_size
        assert status_of(reader, "CSE13-04") == expected


# One `govbot run` per database


def test_a_second_runner_is_refused_and_told_who_runs(path):
    db = Database(path)
    first = db.runner_lock()
    first.acquire("pid 4242 on govbot-host")
    with pytest.raises(DatabaseInUse) as raised:
        Database(path).runner_lock().acquire("pid 4343 on govbot-host")
    assert str(raised.value) == (
        "govbot is already running on this database: pid 4242 on govbot-host"
    )
    first.release()
    second = Database(path).runner_lock()
    second.acquire("pid 4343 on govbot-host")
    second.release()
