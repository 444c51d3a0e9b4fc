"""The one object the rest of govbot holds: every repository over one database."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from storage.database import Database
from storage.figures import FigureRepository
from storage.gab import GabRepository
from storage.history import HistoryRepository
from storage.items import ItemRepository
from storage.ledger import EventLedger, SentLedger, Snoozes
from storage.meetings import MeetingLog
from storage.reminder_prefs import ReminderPrefsRepository, SubscriptionRepository
from storage.schema import ensure_schema
from storage.settings import SettingsRepository
from storage.sources import SourceRepository
from storage.threads import ThreadAnchors


class Store:
    """Repositories over one database; use `with store.transaction():` around each unit of work."""

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
    def transaction(self) -> Iterator[Store]:
        with self.db.transaction():
            yield self


def open_store(path: str | Path) -> Store:
    """Open (or create) the database at `path`: every file checked, the schema migrated."""
    db = Database(path)
    db.check_readable()
    ensure_schema(db)
    return Store(db)
