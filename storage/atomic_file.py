"""A TinyDB storage that parses its file once and replaces it atomically on every write."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from tinydb.storages import Storage

from storage.errors import UnreadableDatabase, WriteFailed

_Stat = tuple[int, int, int]  # inode, size, mtime_ns: enough to notice another process's write


def _stat(path: Path) -> _Stat | None:
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns)


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
        self._loaded = False
        self.version = 0  # bumped on every change, ours or another process's

    def refresh(self) -> bool:
        """Reload if the file changed since we last saw it; True when it did."""
        current = _stat(self.path)
        if self._loaded and current == self._stat:
            return False
        self._data = self._parse() if current is not None else None
        self._stat = current
        self._loaded = True
        self.version += 1
        return True

    def _parse(self) -> dict[str, Any]:
        try:
            raw = self.path.read_bytes()
        except OSError as err:
            raise UnreadableDatabase(f"cannot read {self.path}: {err.strerror or err}") from err
        if not raw.strip():
            raise UnreadableDatabase(f"{self.path} is empty; refusing to overwrite it")
        try:
            data = json.loads(raw)
        except (json.JSONDecodeError, UnicodeDecodeError) as err:
            raise UnreadableDatabase(
                f"{self.path} is not valid JSON ({err}); refusing to start. "
                "Restore it from a backup or move it aside."
            ) from err
        if not isinstance(data, dict):
            raise UnreadableDatabase(f"{self.path} does not hold a govbot database")
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
        self._data = data
        self._stat = _stat(self.path)
        self._loaded = True
        self.version += 1

    def close(self) -> None:
        self._data = None
        self._loaded = False
