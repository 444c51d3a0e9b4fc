"""The govbot database: TinyDB tables in a few JSON files under one lock.

Tables that grow with use live in files of their own so a write rewrites only what changed:
items, figures, the sent-ledger, and item history split into shards by item id. What a
transaction writes reaches the files when it ends, all together: through a journal when
several files change (an update touches its item and its history), so a crash leaves all of
it or none.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tinydb import TinyDB
from tinydb.table import Table

from storage.atomic_file import CachedAtomicStorage, finish_commit, replace_files
from storage.errors import StorageError
from storage.locking import DatabaseLock, RunnerLock

HISTORY_SHARDS = 16
# Slack delivery keys apart from the sent-ledger: each thread update rewrites only the former.
_TABLE_FILES = {"items": "items", "figures": "figures", "ledger": "ledger", "events": "events"}


def history_file_key(item_id: str) -> str:
    """The history shard an item's entries are kept in."""
    return f"history-{zlib.crc32(item_id.encode('utf-8')) % HISTORY_SHARDS:02d}"


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

    def _sidecar(self, key: str) -> Path:
        return self.path.with_name(f"{self.path.stem}.{key}{self.path.suffix or '.json'}")

    def file_for(self, key: str) -> Path:
        """The JSON file a file key maps to ("main" is GOVBOT_DB itself)."""
        return self.path if key == "main" else self._sidecar(key)

    def all_file_keys(self) -> list[str]:
        shards = [f"history-{n:02d}" for n in range(HISTORY_SHARDS)]
        return ["main", *sorted(set(_TABLE_FILES.values())), *shards]

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
            self._commit()

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
        if key not in self._fresh:
            if storage.refresh() or key not in self._dbs:
                # A fresh TinyDB forgets table caches and next ids from before another
                # process's write.
                self._dbs[key] = TinyDB(storage=lambda: storage)
            self._fresh.add(key)
        return self._dbs[key]

    def table(self, name: str, file_key: str | None = None) -> Table:
        """A TinyDB table; call inside `transaction()`."""
        key = self._file_key(name, file_key)
        return self._tinydb(key).table(name, cache_size=0)

    def _file_key(self, name: str, file_key: str | None) -> str:
        # Checked per thread: another thread's transaction does not cover this one.
        if not self._lock.held_by_this_thread():
            raise StorageError("database access outside a transaction")
        return file_key or _TABLE_FILES.get(name, "main")

    def table_names(self, file_key: str) -> set[str]:
        """The tables a file holds; call inside `transaction()`."""
        self._file_key("", file_key)
        return self._tinydb(file_key).tables()

    def drop_table(self, name: str, file_key: str) -> None:
        self._file_key(name, file_key)
        self._tinydb(file_key).drop_table(name)

    def home_of(self, name: str) -> str:
        """The file key a table belongs in ("history" is sharded: see `history_file_key`)."""
        return _TABLE_FILES.get(name, "main")

    def history_table(self, item_id: str) -> Table:
        return self.table("history", history_file_key(item_id))

    def history_tables(self) -> Iterator[Table]:
        for n in range(HISTORY_SHARDS):
            yield self.table("history", f"history-{n:02d}")

    def version_of(self, name: str, file_key: str | None = None) -> tuple[str, int]:
        """Changes whenever the table's file was written or re-read: a key for decoded caches."""
        key = self._file_key(name, file_key)
        self._tinydb(key)
        return (key, self._storages[key].version)

    def check_readable(self) -> None:
        """Parse every existing file now; raises UnreadableDatabase instead of overwriting."""
        with self.transaction():
            for key in self.all_file_keys():
                if self.file_for(key).exists():
                    self._tinydb(key)

    def remove_stale_temporaries(self) -> list[Path]:
        """Delete temporary files a crashed writer left beside the database; returns them.

        Under the lock no write is under way, and the journal of an interrupted commit has
        already been finished, so every temporary left is garbage.
        """
        with self.transaction():
            names = [self.file_for(key).name for key in self.all_file_keys()]
            names.append(self._journal.name)
            stale = [p for name in names for p in self.path.parent.glob(f".{name}.*.tmp")]
            for path in stale:
                path.unlink(missing_ok=True)
        return stale

    def runner_lock(self) -> RunnerLock:
        return RunnerLock(self.path.with_name(self.path.name + ".run.lock"))
