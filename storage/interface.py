"""What govbot asks of a store: the repositories and the transaction, whichever database is behind.

Every backend (TinyDB in `storage/store.py`, PostgreSQL in `storage/postgres/`) provides these.
Call repository methods only inside `with store.transaction():`; nested calls join the outer
transaction, and an exception leaving the outermost one undoes all it wrote.

`dump()` and `load()` on each repository move its records between backends (`govbot migrate`):
a dump is a list of plain documents in the TinyDB shape; `load` adds them to an empty repository.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager
from datetime import date, datetime
from pathlib import Path
from typing import Any, Protocol

from storage.models import (
    Discussion,
    Figure,
    HistoryEntry,
    Item,
    MeetingRecord,
    Source,
    StandingItem,
)
from storage.reminder_prefs import ReminderPrefs as ReminderPrefsRecord
from storage.reminder_prefs import Subscription
from storage.threads import Anchor

Doc = dict[str, Any]


class Portable(Protocol):
    """A repository whose records can be copied to another backend."""

    def dump(self) -> list[Doc]: ...

    def load(self, docs: list[Doc]) -> None: ...


class Items(Portable, Protocol):
    def all(self) -> list[Item]:
        """Every item, in source then number order."""

    def get(self, item_id: str) -> Item | None: ...

    def ids(self) -> list[str]: ...

    def by_source(self, source_id: str) -> list[Item]: ...

    def save(self, item: Item) -> None:
        """Insert or replace the item with this id."""

    def save_many(self, items: list[Item]) -> None:
        """Insert or replace each item by id."""


class History(Portable, Protocol):
    def append(self, entry: HistoryEntry) -> None: ...

    def for_item(self, item_id: str) -> list[HistoryEntry]:
        """The item's entries, oldest first."""

    def has_key(self, item_id: str, key: str) -> bool:
        """True when message `key` already changed the item ("" never has)."""

    def set_permalink(self, item_id: str, key: str, permalink: str) -> None:
        """Fill in the link of the entries message `key` made, where still empty (append-only:
        nothing else about an entry ever changes)."""

    def since(self, moment: datetime, change: str = "") -> Iterator[HistoryEntry]:
        """Every entry at or after `moment` (only of kind `change` if given), in no particular
        order."""


class Sources(Portable, Protocol):
    def all(self) -> list[Source]:
        """Every source, by publication date."""

    def get(self, source_id: str) -> Source | None: ...

    def save(self, source: Source) -> None: ...


class Figures(Portable, Protocol):
    def all(self) -> list[Figure]: ...

    def replace_source(self, source: str, figures: list[Figure]) -> int:
        """Replace every figure of `source` with `figures`; returns how many were stored."""


class Gab(Portable, Protocol):
    def standing_items(self) -> list[StandingItem]: ...

    def next_standing_id(self) -> str: ...

    def save_standing(self, item: StandingItem) -> None: ...

    def meetings_held(self) -> list[MeetingRecord]: ...

    def record_meeting(self, record: MeetingRecord) -> None: ...

    def extra_meetings(self) -> list[datetime]: ...

    def add_extra_meeting(self, at: datetime) -> None: ...

    def cancellations(self) -> list[date]: ...

    def cancel(self, on: date) -> None: ...


class SentLedger(Portable, Protocol):
    """Reminders: claimed before posting, marked sent once Slack accepted them.

    `claim` is the exactly-once gate: of any number of sweeps, in any processes, one gets True.
    """

    def is_sent(self, key: str) -> bool: ...

    def sent_keys(self) -> set[str]: ...

    def claim(self, key: str, now: datetime) -> bool: ...

    def claimed_at(self, key: str) -> datetime | None:
        """When a sweep claimed `key` without marking it sent; None if sent or never claimed."""

    def mark_sent(
        self, key: str, now: datetime, *, channel: str = "", ts: str = "", late: bool = False
    ) -> None: ...

    def release(self, key: str) -> None: ...

    def prune(self, before: datetime) -> int:
        """Forget reminders sent (or claims abandoned) before `before`; returns how many."""

    def entries(self) -> list[Doc]:
        """Every ledger document as stored (for `govbot verify`)."""


class EventLedger(Portable, Protocol):
    """Slack deliveries handled: `seen` then `record` in one transaction handles a key once."""

    def seen(self, key: str) -> bool: ...

    def record(self, key: str, now: datetime) -> None: ...

    def prune(self, before: datetime) -> int:
        """Forget keys recorded before `before`; returns how many."""

    def entries(self) -> list[Doc]:
        """Every delivery key as stored (for `govbot verify`)."""


class Threads(Portable, Protocol):
    def remember(self, anchor: Anchor) -> None: ...

    def resolve(self, channel: str, thread_ts: str) -> Anchor | None: ...


class Snoozes(Portable, Protocol):
    def snooze(self, user: str, item_id: str, until: date) -> None:
        """`user`'s reminders about the item resume on `until`."""

    def all(self) -> dict[tuple[str, str], date]:
        """(user id, item id) → the day reminders resume; snoozes that name nobody are left out."""


class Meetings(Portable, Protocol):
    def record_speaker(self, meeting: str, user: str, at: datetime) -> None: ...

    def speakers(self, meeting: str) -> list[str]: ...

    def record_discussed(self, discussion: Discussion) -> bool: ...

    def discussed(self, meeting: str) -> list[Discussion]: ...


class ReminderPrefs(Portable, Protocol):
    def get(self, user: str) -> ReminderPrefsRecord:
        """The user's settings, or the defaults when they set none."""

    def save(self, prefs: ReminderPrefsRecord) -> None: ...

    def all(self) -> dict[str, ReminderPrefsRecord]: ...


class Subscriptions(Portable, Protocol):
    def add(self, sub: Subscription) -> bool:
        """Record `sub`; False when the channel already had it."""

    def remove(self, sub: Subscription) -> bool: ...

    def all(self) -> list[Subscription]:
        """Every subscription, by channel, field and value."""


class Settings(Portable, Protocol):
    def get(self, name: str) -> str | None: ...

    def set(self, name: str, value: str) -> None: ...

    def clear(self, name: str) -> bool:
        """Forget a setting; True when there was one."""


class RunnerGuard(Protocol):
    """Held for the life of `govbot run`: refuses a second runner where the backend needs one."""

    def acquire(self, description: str) -> None: ...

    def release(self) -> None: ...


class Store(Protocol):
    items: Items
    history: History
    sources: Sources
    figures: Figures
    gab: Gab
    sent: SentLedger
    events: EventLedger
    threads: Threads
    snoozes: Snoozes
    meetings: Meetings
    reminder_prefs: ReminderPrefs
    subscriptions: Subscriptions
    settings: Settings

    def transaction(self) -> AbstractContextManager[Store]: ...

    def has_changes(self) -> bool:
        """True when the transaction under way has written something not yet committed."""

    def remove_stale_temporaries(self) -> list[Path]:
        """Delete what an interrupted write left beside the database; returns what went."""

    def runner_lock(self) -> RunnerGuard: ...

    def leads_sweeps(self) -> bool:
        """True when this process should run the scheduled sweep (one process at a time)."""

    def describe(self) -> str:
        """Where the data lives, for messages (a path, or a URL without its password)."""

    def close(self) -> None: ...


REPOSITORIES: tuple[str, ...] = (
    "items",
    "history",
    "sources",
    "figures",
    "gab",
    "sent",
    "events",
    "threads",
    "snoozes",
    "meetings",
    "reminder_prefs",
    "subscriptions",
    "settings",
)
