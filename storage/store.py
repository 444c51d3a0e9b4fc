"""The one object the rest of govbot holds: every repository over one database.

`open_store` picks the backend from GOVBOT_DB: a `postgresql://` URL opens PostgreSQL
(`storage/postgres/`), anything else names the TinyDB file. `Store` is the interface both
provide (`storage/interface.py`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from storage.database import Database
from storage.figures import FigureRepository
from storage.gab import GabRepository
from storage.history import HistoryRepository
from storage.interface import Store
from storage.items import ItemRepository
from storage.ledger import EventLedger, SentLedger, Snoozes
from storage.locking import RunnerLock
from storage.meetings import MeetingLog
from storage.reminder_prefs import ReminderPrefsRepository, SubscriptionRepository
from storage.schema import ensure_schema
from storage.settings import SettingsRepository
from storage.sources import SourceRepository
from storage.threads import ThreadAnchors

__all__ = ["Store", "TinyStore", "is_postgres_url", "open_store"]

POSTGRES_SCHEMES = ("postgresql://", "postgres://")


class TinyStore:
    """Repositories over one TinyDB database; use `with store.transaction():` around each unit."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.items = ItemRepository(db)
        self.history = HistoryRepository(db)
        self.sources = SourceRepository(db)
        self.figures = FigureRepository(db)
        self.gab = GabRepository(db)
        self.sent = SentLedger(db)
        self.events = EventLedger(db)
        self.threads = ThreadAnchors(db)
        self.snoozes = Snoozes(db)
        self.meetings = MeetingLog(db)
        self.reminder_prefs = ReminderPrefsRepository(db)
        self.subscriptions = SubscriptionRepository(db)
        self.settings = SettingsRepository(db)

    @contextmanager
    def transaction(self) -> Iterator[TinyStore]:
        with self.db.transaction():
            yield self

    def has_changes(self) -> bool:
        return self.db.has_changes()

    def remove_stale_temporaries(self) -> list[Path]:
        return self.db.remove_stale_temporaries()

    def runner_lock(self) -> RunnerLock:
        """One `govbot run` per TinyDB file: its writes are not shared with other processes."""
        return self.db.runner_lock()

    def leads_sweeps(self) -> bool:
        return True  # the only runner

    def describe(self) -> str:
        return str(self.db.path)

    def close(self) -> None:
        """Nothing stays open between transactions."""


def is_postgres_url(location: str | Path) -> bool:
    return str(location).startswith(POSTGRES_SCHEMES)


def open_store(location: str | Path) -> Store:
    """Open (or create) the database GOVBOT_DB names: checked, its schema migrated."""
    if is_postgres_url(location):
        from storage.postgres.store import open_postgres_store  # psycopg only when used

        return open_postgres_store(str(location))
    db = Database(location)
    db.check_readable()
    ensure_schema(db)
    return TinyStore(db)
