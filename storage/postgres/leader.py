"""Which replica sweeps: the one holding a session advisory lock on its own connection.

The lock lives as long as that connection: when the holder's process dies, PostgreSQL drops
the connection and the lock with it, and the next replica to ask (every minute, at its
scheduled sweep) takes it over.
"""

from __future__ import annotations

import threading

import psycopg

from storage.postgres.connection import connect

SWEEP_LOCK = 7_401_002  # pg_try_advisory_lock key of the reminder sweep


class SweepLeader:
    def __init__(self, url: str) -> None:
        self._url = url
        self._conn: psycopg.Connection | None = None
        self._held = False
        self._guard = threading.Lock()

    def held(self) -> bool:
        """True when this process holds the sweep lock, taking it if it is free."""
        with self._guard:
            try:
                if self._conn is None or self._conn.closed or self._conn.broken:
                    self._conn, self._held = connect(self._url), False
                if not self._held:
                    row = self._conn.execute("SELECT pg_try_advisory_lock(%s)", (SWEEP_LOCK,))
                    self._held = bool(row.fetchone()[0])
                else:
                    self._conn.execute("SELECT 1")  # still connected, so still the holder
            except psycopg.OperationalError:
                self._held = False
            return self._held

    def release(self) -> None:
        with self._guard:
            if self._conn is not None:
                self._conn.close()
            self._conn, self._held = None, False
