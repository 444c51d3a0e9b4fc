"""The PostgreSQL store: the repositories of `storage/interface.py` over one database."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from storage.postgres.connection import Database, connect, describe_url
from storage.postgres.gab import GabRepository, MeetingLog
from storage.postgres.leader import SweepLeader
from storage.postgres.ledgers import EventLedger, SentLedger, Snoozes, ThreadAnchors
from storage.postgres.migrations import migrate
from storage.postgres.preferences import (
    ReminderPrefsRepository,
    SettingsRepository,
    SubscriptionRepository,
)
from storage.postgres.records import (
    FigureRepository,
    HistoryRepository,
    ItemRepository,
    SourceRepository,
)


class Replicas:
    """Any number of `govbot run` share a PostgreSQL database: nothing to refuse."""

    def acquire(self, description: str) -> None:
        """Replicas are welcome; the sweep is shared out by `leads_sweeps`."""

    def release(self) -> None:
        """Nothing was taken."""


class PostgresStore:
    def __init__(self, url: str) -> None:
        self.url = url
        self.db = Database(url)
        self.items = ItemRepository(self.db)
        self.history = HistoryRepository(self.db)
        self.sources = SourceRepository(self.db)
        self.figures = FigureRepository(self.db)
        self.gab = GabRepository(self.db)
        self.sent = SentLedger(self.db)
        self.events = EventLedger(self.db)
        self.threads = ThreadAnchors(self.db)
        self.snoozes = Snoozes(self.db)
        self.meetings = MeetingLog(self.db)
        self.reminder_prefs = ReminderPrefsRepository(self.db)
        self.subscriptions = SubscriptionRepository(self.db)
        self.settings = SettingsRepository(self.db)
        self._leader = SweepLeader(url)

    @contextmanager
    def transaction(self) -> Iterator[PostgresStore]:
        with self.db.transaction():
            yield self

    def has_changes(self) -> bool:
        return self.db.has_changes()

    def remove_stale_temporaries(self) -> list[Path]:
        """Nothing to tidy: PostgreSQL recovers its own interrupted writes."""
        return []

    def runner_lock(self) -> Replicas:
        return Replicas()

    def leads_sweeps(self) -> bool:
        return self._leader.held()

    def describe(self) -> str:
        return describe_url(self.url)

    def close(self) -> None:
        self._leader.release()
        self.db.close()


def open_postgres_store(url: str) -> PostgresStore:
    """Connect, bring the schema up to date, and return the store."""
    conn = connect(url)
    try:
        migrate(conn)
    finally:
        conn.close()
    return PostgresStore(url)
