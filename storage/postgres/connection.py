"""Connections and transactions: one connection per thread, one DB transaction per unit of work.

No pool package: govbot's threads are few and long-lived (the HTTP server's, the background
workers', the scheduler's), so a connection kept per thread is what a pool would hand out anyway,
without another dependency or a checkout on every transaction.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
from psycopg.conninfo import conninfo_to_dict

from storage.errors import StorageError

_WRITES = ("INSERT", "UPDATE", "DELETE")
STREAM_ROWS = 1000  # rows per fetch of a streamed read


def describe_url(url: str) -> str:
    """The URL's host, port and database, never its password."""
    try:
        parts = conninfo_to_dict(url)
    except psycopg.ProgrammingError as err:
        raise StorageError(f"GOVBOT_DB is not a PostgreSQL URL: {err}") from None
    host = parts.get("host", "localhost")
    port = f":{parts['port']}" if parts.get("port") else ""
    return f"postgresql://{host}{port}/{parts.get('dbname', '')}"


def connect(url: str) -> psycopg.Connection:
    """A connection in autocommit mode: transactions are begun explicitly."""
    try:
        return psycopg.connect(url, autocommit=True)
    except psycopg.OperationalError as err:
        first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        raise StorageError(f"cannot connect to {describe_url(url)}: {first}") from None


class Database:
    """A PostgreSQL database shared by the threads of this process."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._local = threading.local()
        self._opened: list[psycopg.Connection] = []
        self._guard = threading.Lock()
        self._streams = itertools.count(1)  # server-side cursor names, unique per connection

    def _connection(self) -> psycopg.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None or conn.closed or conn.broken:
            conn = connect(self.url)
            self._local.conn = conn
            with self._guard:
                self._opened = [c for c in self._opened if not c.closed]
                self._opened.append(conn)
        return conn

    @contextmanager
    def transaction(self) -> Iterator[Database]:
        """One database transaction; nested calls on the same thread join the outer one."""
        if getattr(self._local, "depth", 0):
            self._local.depth += 1
            try:
                yield self
            finally:
                self._local.depth -= 1
            return
        conn = self._connection()
        self._local.depth = 1
        self._local.serial = getattr(self._local, "serial", 0) + 1
        self._local.wrote = False
        try:
            with conn.transaction():
                yield self
        except psycopg.OperationalError as err:
            raise StorageError(f"PostgreSQL at {describe_url(self.url)} failed: {err}") from err
        finally:
            self._local.depth = 0

    def transaction_id(self) -> tuple[int, int]:
        """Tells this thread's current transaction from every other one of this process."""
        return (threading.get_ident(), getattr(self._local, "serial", 0))

    def has_changes(self) -> bool:
        """True when this thread's transaction has inserted, updated or deleted a row."""
        return bool(getattr(self._local, "depth", 0) and self._local.wrote)

    def execute(self, sql: str, params: tuple[Any, ...] | dict[str, Any] = ()) -> psycopg.Cursor:
        """Run one statement in the current transaction."""
        if not getattr(self._local, "depth", 0):
            raise StorageError("database access outside a transaction")
        cur = self._local.conn.execute(sql, params)
        if sql.lstrip().startswith(_WRITES) and cur.rowcount > 0:
            self._local.wrote = True
        return cur

    def stream(
        self, sql: str, params: tuple[Any, ...] = (), size: int = STREAM_ROWS
    ) -> Iterator[tuple[Any, ...]]:
        """The rows of a large read, fetched `size` at a time through a server-side cursor:
        neither libpq nor Python holds the whole result at once (consume it in the transaction)."""
        if not getattr(self._local, "depth", 0):
            raise StorageError("database access outside a transaction")
        name = f"govbot_stream_{next(self._streams)}"
        with self._local.conn.cursor(name=name) as cur:
            cur.itersize = size
            cur.execute(sql, params)
            yield from cur

    def executemany(self, sql: str, rows: list[tuple[Any, ...]]) -> None:
        if not getattr(self._local, "depth", 0):
            raise StorageError("database access outside a transaction")
        if rows:
            with self._local.conn.cursor() as cur:
                cur.executemany(sql, rows)
            self._local.wrote = True  # only INSERTs and upserts are run many at a time

    def close(self) -> None:
        """Close every connection this process opened (threads reconnect if used again)."""
        with self._guard:
            opened, self._opened = self._opened, []
        for conn in opened:
            conn.close()
