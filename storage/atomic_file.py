"""A TinyDB storage that parses its file once and replaces it atomically on every write."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any, BinaryIO

from tinydb.storages import Storage

from storage.errors import UnreadableDatabase, WriteFailed

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


def write_atomically(path: Path, payload: bytes) -> None:
    """Write `payload` to a temporary file, fsync it, rename it over `path`, fsync the directory."""
    directory = path.parent
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as err:
        raise WriteFailed(f"cannot write {path}: {err.strerror or err}") from err
    try:
        with os.fdopen(fd, "wb") as tmp:
            tmp.write(payload)
            tmp.flush()
            os.fsync(tmp.fileno())
        os.replace(tmp_name, path)
        fsync_directory(directory)
    except OSError as err:
        Path(tmp_name).unlink(missing_ok=True)
        raise WriteFailed(f"cannot write {path}: {err.strerror or err}") from err


class CachedAtomicStorage(Storage):
    """JSON storage with an in-memory copy, refreshed only when the file changes on disk.

    Callers hold the database lock around every read and write, so the copy is never stale
    within a transaction; `refresh()` notices writes made by another process.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
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
        return self._data

    def write(self, data: dict[str, Any]) -> None:
        payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        try:
            write_atomically(self.path, payload)
        except WriteFailed:
            # TinyDB changed our copy in place before calling write: drop it, re-read the disk.
            self._loaded = False
            self._data = None
            raise
        try:
            handle = self.path.open("rb", buffering=0)  # ours: we still hold the lock
        except OSError:
            self._loaded = False  # the next read parses the file afresh
        else:
            self._keep(handle, data)
        self.version += 1

    def close(self) -> None:
        self._keep(None, None)
        self._loaded = False
