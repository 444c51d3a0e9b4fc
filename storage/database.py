"""The govbot database: TinyDB tables in many small JSON files under one lock.

A write rewrites only small files: items, the sent-ledger and the event ledger are split into
shards by item id or delivery key, history into shards by item id, and each history entry is
copied into a log of its month (split by item id too) so "every change since" reads a month or
two, not the whole history. Figures have a file of their own; everything else is in the main
file. What a transaction writes reaches the files when it ends, all together: through a journal
when several files change (an update touches its item, its history and its month), so a crash
leaves all of it or none.

Memory: history shards and month logs are parsed only for the transaction that reads them (at
most `TRANSIENT_LOADED` at once); item shards keep their file open but not their parsed copy,
since `ItemRepository` keeps the decoded items.
"""

from __future__ import annotations

import re
import time
import zlib
from collections import OrderedDict
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from functools import cache
from glob import escape
from pathlib import Path
from typing import Any

from tinydb import TinyDB
from tinydb.table import Table

from storage.atomic_file import CachedAtomicStorage, finish_commit, fsync_directory, replace_files
from storage.errors import StorageError
from storage.locking import DatabaseLock, RunnerLock

ITEM_SHARDS = 64
HISTORY_SHARDS = 512
KEY_SHARDS = 16  # each of the sent-ledger and the event ledger
MONTH_SHARDS = 8
SHARDS = {
    "items": ITEM_SHARDS,
    "history": HISTORY_SHARDS,
    "ledger": KEY_SHARDS,
    "events": KEY_SHARDS,
}
# What decides a document's shard.
SHARD_FIELDS = {"items": "id", "history": "item_id", "ledger": "key", "events": "key"}
_OWN_FILES = {"figures": "figures"}
MONTH_PREFIX = "month-"
_MONTH = re.compile(r"[0-9]{4}-[0-9]{2}")
NO_MONTH = "0000-00"  # of an entry whose stamp is not ISO text
_TRANSIENT = ("history-", MONTH_PREFIX)  # parsed only while a transaction needs them
TRANSIENT_LOADED = 8
# The schema v2 layout, read only to move its tables to their v3 homes.
LEGACY_FILE_KEYS = ("items", "ledger", "events", *(f"history-{n:02d}" for n in range(16)))


def _shard(value: str, count: int) -> int:
    return zlib.crc32(value.encode("utf-8")) % count


def shard_key(table: str, value: str) -> str:
    """The file key of the shard of `table` a document with this id or key is kept in."""
    count = SHARDS[table]
    return f"{table}-{_shard(value, count):0{len(str(count - 1))}d}"


@cache
def shard_keys(table: str) -> tuple[str, ...]:
    """The file keys of every shard of `table`."""
    count = SHARDS[table]
    return tuple(f"{table}-{n:0{len(str(count - 1))}d}" for n in range(count))


def history_file_key(item_id: str) -> str:
    """The history shard an item's entries are kept in."""
    return shard_key("history", item_id)


def month_file_key(doc: Mapping[str, Any]) -> str:
    """The month log a history entry is copied into: by the month of its stamp (ISO text), its
    kind of change and its item."""
    kind = _kind(str(doc.get("change", "")))
    shard = _shard(str(doc.get("item_id", "")), MONTH_SHARDS)
    month = str(doc.get("at", ""))[:7]
    if not _MONTH.fullmatch(month):
        month = NO_MONTH  # safe in a file name; such a log is read by every `month_tables`
    return f"{MONTH_PREFIX}{month}-{kind}-{shard:02d}"


def _kind(change: str) -> str:
    """A kind of change as it may appear in a file name."""
    return change if change.isascii() and change.isalpha() and change.islower() else "other"


def _month_and_kind(key: str) -> tuple[str, str]:
    """("2014-03", "status") of "month-2014-03-status-02"."""
    rest = key.removeprefix(MONTH_PREFIX)
    return rest[:7], rest[8:].rpartition("-")[0]


class Database:
    """Owns the files, the lock and one TinyDB per file; hand tables out inside transactions."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path).resolve()
        if self.path.is_dir():
            raise StorageError(f"{self.path} is a folder; GOVBOT_DB must name a file")
        if not self.path.parent.is_dir():
            raise StorageError(f"folder {self.path.parent} does not exist (from GOVBOT_DB)")
        self._lock = DatabaseLock(self.path.with_name(self.path.name + ".lock"))
        self._journal = self.path.with_name(self.path.name + ".journal")
        self._storages: dict[str, CachedAtomicStorage] = {}
        self._dbs: dict[str, TinyDB] = {}
        self._fresh: set[str] = set()
        self._recent: OrderedDict[str, None] = OrderedDict()  # transient, least recent first
        self._parsed: set[str] = set()  # transient files parsed in this transaction
        self._suffix = self.path.suffix or ".json"
        # the folder's mtime, when it was listed, and the month logs found
        self._month_listing: tuple[int, int, tuple[str, ...]] | None = None

    def _sidecar(self, key: str) -> Path:
        return self.path.with_name(f"{self.path.stem}.{key}{self._suffix}")

    def file_for(self, key: str) -> Path:
        """The JSON file a file key maps to ("main" is GOVBOT_DB itself)."""
        return self.path if key == "main" else self._sidecar(key)

    def month_keys(self) -> list[str]:
        """The month logs on disk or begun in this transaction, oldest first."""
        keys = set(self._months_on_disk())
        keys.update(k for k, s in self._storages.items() if k.startswith(MONTH_PREFIX) and s.dirty)
        return sorted(keys)

    def _months_on_disk(self) -> tuple[str, ...]:
        # Listing a folder of a thousand files costs more than the month logs a read wants:
        # list it again only when the folder changed (a file created, renamed or removed). A
        # listing made within a second of the folder's last change is not trusted, as a
        # coarse clock could give a later change the same stamp.
        folder = self.path.parent.stat().st_mtime_ns
        cached = self._month_listing
        if cached is None or cached[0] != folder or cached[1] - folder < 1_000_000_000:
            prefix = escape(f"{self.path.stem}.{MONTH_PREFIX}")
            names = (p.name for p in self.path.parent.glob(f"{prefix}*{escape(self._suffix)}"))
            found = tuple(name[len(self.path.stem) + 1 : -len(self._suffix)] for name in names)
            cached = self._month_listing = (folder, time.time_ns(), found)
        return cached[2]

    def all_file_keys(self) -> list[str]:
        sharded = [key for table in sorted(SHARDS) for key in shard_keys(table)]
        return ["main", *self.own_file_keys(), *sharded, *self.month_keys()]

    def own_file_keys(self) -> list[str]:
        """Files of a table of their own, not sharded."""
        return sorted(set(_OWN_FILES.values()))

    def legacy_file_keys(self) -> list[str]:
        """Files of an earlier layout still on disk."""
        return [key for key in LEGACY_FILE_KEYS if self.file_for(key).exists()]

    @contextmanager
    def transaction(self) -> Iterator[Database]:
        """Hold the lock; all or nothing of what the outermost transaction wrote reaches disk.

        The first access to each file inside re-reads it if another process changed it. An
        exception leaving the outermost transaction drops its changes.
        """
        with self._lock.held():
            if self._lock_depth() > 1:
                yield self
                return
            finish_commit(self._journal)  # one a crash interrupted, before anyone reads
            self._fresh.clear()
            try:
                yield self
            except BaseException:
                self._discard()
                raise
            else:
                self._commit()
            finally:
                self._forget_parsed()

    def _commit(self) -> None:
        changed = [s for s in self._storages.values() if s.dirty]
        if not changed:
            return
        try:
            replace_files(self._journal, {s.path: s.payload() for s in changed})
        except BaseException:
            self._discard()
            raise
        for storage in changed:
            storage.committed()

    def _forget_parsed(self) -> None:
        """Drop parsed copies nobody keeps between transactions (see the module's docstring)."""
        self._recent.clear()
        while self._parsed:
            self._close_transient(self._parsed.pop())
        for key in shard_keys("items"):
            storage = self._storages.get(key)
            if storage is not None:
                storage.evict()

    def _close_transient(self, key: str) -> None:
        self._storages[key].close()
        self._fresh.discard(key)
        self._dbs.pop(key, None)

    def has_changes(self) -> bool:
        """True when the transaction under way has written something not yet committed."""
        return any(s.dirty for s in self._storages.values())

    def _discard(self) -> None:
        for storage in self._storages.values():
            if storage.dirty:
                storage.discard()

    def _lock_depth(self) -> int:
        return self._lock._depth

    def _tinydb(self, key: str) -> TinyDB:
        storage = self._storages.get(key)
        if storage is None:
            storage = CachedAtomicStorage(self.file_for(key), deferred=True)
            self._storages[key] = storage
        if key.startswith(_TRANSIENT):
            self._note_transient(key)
        if key not in self._fresh:
            if storage.refresh() or key not in self._dbs:
                # A fresh TinyDB forgets table caches and next ids from before another
                # process's write.
                self._dbs[key] = TinyDB(storage=lambda: storage)
            self._fresh.add(key)
        return self._dbs[key]

    def _note_transient(self, key: str) -> None:
        """Keep at most TRANSIENT_LOADED unchanged ones parsed, dropping the least recent."""
        self._parsed.add(key)
        self._recent[key] = None
        self._recent.move_to_end(key)
        while len(self._recent) > TRANSIENT_LOADED:
            old, _ = self._recent.popitem(last=False)
            if not self._storages[old].dirty:  # a changed one stays parsed until the commit
                self._parsed.discard(old)
                self._close_transient(old)

    def table(self, name: str, file_key: str | None = None) -> Table:
        """A TinyDB table; call inside `transaction()`. Sharded tables need their file key."""
        key = self._file_key(name, file_key)
        return self._tinydb(key).table(name, cache_size=0)

    def _file_key(self, name: str, file_key: str | None) -> str:
        # Checked per thread: another thread's transaction does not cover this one.
        if not self._lock.held_by_this_thread():
            raise StorageError("database access outside a transaction")
        if file_key is None and name in SHARDS:
            raise StorageError(f"{name} is kept in shards: name the shard")
        return file_key or _OWN_FILES.get(name, "main")

    def shard(self, name: str, value: str) -> Table:
        """The shard of table `name` that documents with this id or key live in."""
        return self.table(name, shard_key(name, value))

    def shards(self, name: str) -> Iterator[Table]:
        """Every shard of table `name` (history: its per-item shards, not the month logs)."""
        for key in shard_keys(name):
            yield self.table(name, key)

    def history_table(self, item_id: str) -> Table:
        """The shard holding the history of `item_id`."""
        return self.shard("history", item_id)

    def month_tables(self, first_month: str = "", change: str = "") -> Iterator[Table]:
        """The history month logs from `first_month` ("YYYY-MM") on, of kind `change` if given."""
        for key in self.month_keys():
            month, kind = _month_and_kind(key)
            in_time = month >= first_month or month == NO_MONTH
            if in_time and (not change or kind == _kind(change)):
                yield self.table("history", key)

    def table_names(self, file_key: str) -> set[str]:
        """The tables a file holds; call inside `transaction()`."""
        self._file_key("", file_key)
        return self._tinydb(file_key).tables()

    def drop_table(self, name: str, file_key: str) -> None:
        self._file_key(name, file_key)
        self._tinydb(file_key).drop_table(name)

    def homes_of(self, name: str, doc: dict) -> list[str]:
        """The file keys a document of table `name` belongs in (history: shard and month)."""
        if name not in SHARDS:
            return [_OWN_FILES.get(name, "main")]
        value = str(doc.get(SHARD_FIELDS[name], ""))
        homes = [shard_key(name, value)]
        if name == "history":
            homes.append(month_file_key(doc))
        return homes

    def belongs_in(self, name: str, key: str) -> bool:
        """True when `key` is a home of table `name` (any shard of a sharded table)."""
        if name == "history" and key.startswith(MONTH_PREFIX):
            return True
        if name in SHARDS:
            return key in shard_keys(name)
        return key == _OWN_FILES.get(name, "main")

    def remove_file(self, key: str) -> None:
        """Delete a file of an earlier layout once its tables have moved; call inside
        `transaction()`."""
        self._file_key("", key)
        storage = self._storages.pop(key, None)
        if storage is not None:
            storage.close()
        self._dbs.pop(key, None)
        self._fresh.discard(key)
        self._recent.pop(key, None)
        self._parsed.discard(key)
        self.file_for(key).unlink(missing_ok=True)
        fsync_directory(self.path.parent)

    def evict(self, key: str) -> None:
        """Drop the parsed copy of a file now, unless changed: its reader decoded what it needs."""
        self._storages[key].evict()

    def version_of(self, name: str, file_key: str | None = None) -> tuple[str, int]:
        """Changes whenever the table's file was written or re-read: a key for decoded caches."""
        key = self._file_key(name, file_key)
        self._tinydb(key)
        return (key, self._storages[key].version)

    def check_readable(self) -> None:
        """Parse every existing file now; raises UnreadableDatabase instead of overwriting."""
        with self.transaction():
            for key in [*self.all_file_keys(), *self.legacy_file_keys()]:
                if self.file_for(key).exists():
                    self._tinydb(key)
                    self.evict(key)  # parsed to check it, not to keep

    def remove_stale_temporaries(self) -> list[Path]:
        """Delete temporary files a crashed writer left beside the database; returns them.

        Under the lock no write is under way, and the journal of an interrupted commit has
        already been finished, so every temporary left is garbage.
        """
        with self.transaction():
            keys = [*self.all_file_keys(), *LEGACY_FILE_KEYS]
            names = [self.file_for(key).name for key in keys]
            names.append(self._journal.name)
            stale = [p for name in names for p in self.path.parent.glob(f".{escape(name)}.*.tmp")]
            # A month log's first write may be what crashed: no file names it yet.
            stale += self.path.parent.glob(f".{escape(self.path.stem)}.{MONTH_PREFIX}*.tmp")
            for path in set(stale):
                path.unlink(missing_ok=True)
        return sorted(set(stale))

    def runner_lock(self) -> RunnerLock:
        return RunnerLock(self.path.with_name(self.path.name + ".run.lock"))


def dump_tagged(db: Database, tables: tuple[str, ...]) -> list[dict]:
    """Every record of several small tables, each tagged with its table (for `govbot migrate`)."""
    return [{"table": t, **d} for t in tables for d in db.table(t).all()]


def load_tagged(db: Database, docs: list[dict]) -> None:
    """Add records `dump_tagged` gave, each to its table."""
    for doc in docs:
        record = dict(doc)
        db.table(record.pop("table")).insert(record)
