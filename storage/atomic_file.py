"""Atomic file replacement (one file, or several through a journal) and a caching TinyDB storage."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any, BinaryIO

from tinydb.storages import Storage

from storage.errors import StorageError, UnreadableDatabase, WriteFailed

_Stat = tuple[int, int, int]  # inode, size, mtime_ns: enough to notice another process's write


def _stat(path: Path) -> _Stat | None:
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns)


def _is_tables(data: Any) -> bool:
    """True for TinyDB's layout: table name → document id → document."""
    return isinstance(data, dict) and all(
        isinstance(table, dict) and all(isinstance(doc, dict) for doc in table.values())
        for table in data.values()
    )


def fsync_directory(directory: Path) -> None:
    """Make a rename in `directory` durable."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_temporary(path: Path, payload: bytes) -> Path:
    """`payload` in a new fsynced file beside `path`, ready to be renamed over it."""
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as err:
        raise WriteFailed(f"cannot write {path}: {err.strerror or err}") from err
    try:
        with os.fdopen(fd, "wb") as tmp:
            tmp.write(payload)
            tmp.flush()
            os.fsync(tmp.fileno())
    except OSError as err:
        Path(tmp_name).unlink(missing_ok=True)
        raise WriteFailed(f"cannot write {path}: {err.strerror or err}") from err
    return Path(tmp_name)


def write_atomically(path: Path, payload: bytes) -> None:
    """Write `payload` to a temporary file, fsync it, rename it over `path`, fsync the directory."""
    tmp = _write_temporary(path, payload)
    try:
        os.replace(tmp, path)
        fsync_directory(path.parent)
    except OSError as err:
        tmp.unlink(missing_ok=True)
        raise WriteFailed(f"cannot write {path}: {err.strerror or err}") from err


def replace_files(journal: Path, payloads: dict[Path, bytes]) -> None:
    """Replace every file, or after a crash none: several files go through `journal`.

    The new files are written and fsynced first; then the journal, naming each rename, is
    written atomically: from that moment the commit will happen, if not now then when
    `finish_commit` next runs. All files must be in the journal's folder.
    """
    if len(payloads) == 1:
        [(path, payload)] = payloads.items()
        write_atomically(path, payload)
        return
    written: dict[Path, Path] = {}
    try:
        for path, payload in payloads.items():
            written[path] = _write_temporary(path, payload)
        renames = {tmp.name: path.name for path, tmp in written.items()}
        write_atomically(journal, json.dumps(renames).encode("utf-8"))
    except WriteFailed:
        for tmp in written.values():
            tmp.unlink(missing_ok=True)
        raise
    finish_commit(journal)


def finish_commit(journal: Path) -> None:
    """Do the renames `journal` lists, if it exists (a commit cut short by a crash), then drop it."""
    try:
        renames = json.loads(journal.read_bytes())
    except FileNotFoundError:
        return
    except (OSError, ValueError) as err:
        raise UnreadableDatabase(
            f"{journal} cannot be read ({err}); refusing to go on. Move it aside to continue "
            "without the last change it held."
        ) from err
    folder = journal.parent
    try:
        for tmp_name, target in renames.items():
            if (folder / tmp_name).exists():  # not yet renamed
                os.replace(folder / tmp_name, folder / target)
        fsync_directory(folder)
        journal.unlink()
    except OSError as err:
        raise StorageError(
            f"cannot finish writing {folder}: {err.strerror or err}; "
            "the change is kept and is finished at the next access"
        ) from err


class CachedAtomicStorage(Storage):
    """JSON storage with an in-memory copy, refreshed only when the file changes on disk.

    Callers hold the database lock around every read and write, so the copy is never stale
    within a transaction; `refresh()` notices writes made by another process. A `deferred`
    storage only marks itself dirty on write: its owner writes `payload()` at commit and then
    calls `committed()`, or `discard()` to drop the change.
    """

    def __init__(self, path: Path, *, deferred: bool = False) -> None:
        self.path = path
        self.deferred = deferred  # writes wait for the database's commit (see `replace_files`)
        self.dirty = False
        self._data: dict[str, Any] | None = None
        self._stat: _Stat | None = None
        # The file our copy came from, kept open: while it is, no other file can be given its
        # inode number, so a replacement with the same size and mtime (two writes within one
        # clock tick) still looks different.
        self._held: BinaryIO | None = None
        self._loaded = False
        self.version = 0  # bumped on every change, ours or another process's

    def refresh(self) -> bool:
        """Reload if the file changed since we last saw it; True when it did."""
        if self._loaded and _stat(self.path) == self._stat:
            return False
        self._load()
        self.version += 1
        return True

    def _load(self) -> None:
        try:
            handle = self.path.open("rb", buffering=0)
        except FileNotFoundError:
            self._keep(None, None)
            return
        except OSError as err:
            raise UnreadableDatabase(f"cannot read {self.path}: {err.strerror or err}") from err
        try:
            data = self._parse(handle.read())
        except BaseException:
            handle.close()
            raise
        self._keep(handle, data)

    def _keep(self, handle: BinaryIO | None, data: dict[str, Any] | None) -> None:
        if self._held is not None:
            self._held.close()
        self._held = handle
        self._data = data
        if handle is None:
            self._stat = None
        else:
            st = os.fstat(handle.fileno())
            self._stat = (st.st_ino, st.st_size, st.st_mtime_ns)
        self._loaded = True

    def _parse(self, raw: bytes) -> dict[str, Any]:
        if not raw.strip():
            raise UnreadableDatabase(f"{self.path} is empty; refusing to overwrite it")
        try:
            data = json.loads(raw)
        except (json.JSONDecodeError, UnicodeDecodeError) as err:
            raise UnreadableDatabase(
                f"{self.path} is not valid JSON ({err}); refusing to start. "
                "Restore it from a backup or move it aside."
            ) from err
        if not _is_tables(data):
            raise UnreadableDatabase(
                f"{self.path} is JSON but does not hold a govbot database; refusing to start. "
                "Restore it from a backup or move it aside."
            )
        return data

    def read(self) -> dict[str, Any] | None:
        if not self._loaded:
            self.refresh()
        elif self._data is None and self._held is not None:  # evicted: the same file again
            self._data = self._parse(os.pread(self._held.fileno(), self._stat[1], 0))
        return self._data

    def evict(self) -> None:
        """Drop the parsed copy but keep the file open: unless the file changes, the next read
        parses the same bytes again and `version` stays as it is."""
        if not self.dirty:
            self._data = None

    def payload(self) -> bytes:
        """The in-memory copy as the file's bytes."""
        return json.dumps(self._data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")

    def write(self, data: dict[str, Any]) -> None:
        self._data = data
        self.version += 1
        if self.deferred:
            self.dirty = True  # the database writes it when the transaction commits
            return
        try:
            write_atomically(self.path, self.payload())
        except WriteFailed:
            self.discard()
            raise
        self.committed()

    def committed(self) -> None:
        """The in-memory copy is now the file on disk."""
        self.dirty = False
        try:
            handle = self.path.open("rb", buffering=0)  # ours: the lock is still held
        except OSError:
            self._loaded = False  # the next read parses the file afresh
        else:
            self._keep(handle, self._data)

    def discard(self) -> None:
        """Drop changes not on disk (TinyDB changed our copy in place): the next read re-parses."""
        self.dirty = False
        self._loaded = False
        self._data = None

    def close(self) -> None:
        self._keep(None, None)
        self._loaded = False
