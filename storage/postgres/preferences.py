"""Personal reminder settings, channel subscriptions and named settings in PostgreSQL."""

from __future__ import annotations

from storage.postgres.connection import Database
from storage.postgres.tables import Doc, Table
from storage.reminder_prefs import ReminderPrefs, Subscription

REMINDER_PREFS = Table("reminder_prefs", ("user",), (("user", lambda d: d["user"]),))
SUBSCRIPTIONS = Table(
    "subscriptions",
    ("channel", "field", "value"),
    (
        ("channel", lambda d: d["channel"]),
        ("field", lambda d: d["field"]),
        ("value", lambda d: d["value"]),
    ),
)
SETTINGS = Table("settings", ("name",), (("name", lambda d: d["name"]),))


class ReminderPrefsRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    def get(self, user: str) -> ReminderPrefs:
        docs = REMINDER_PREFS.docs(self._db, '"user" = %s', (user,))
        return ReminderPrefs.from_doc(docs[0]) if docs else ReminderPrefs(user)

    def save(self, prefs: ReminderPrefs) -> None:
        REMINDER_PREFS.upsert(self._db, [prefs.to_doc()])

    def all(self) -> dict[str, ReminderPrefs]:
        return {d["user"]: ReminderPrefs.from_doc(d) for d in REMINDER_PREFS.docs(self._db)}

    def dump(self) -> list[Doc]:
        return REMINDER_PREFS.docs(self._db)

    def load(self, docs: list[Doc]) -> None:
        REMINDER_PREFS.insert(self._db, docs)


class SubscriptionRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    def add(self, sub: Subscription) -> bool:
        """Record `sub`; False when the channel already had it."""
        doc = {"channel": sub.channel, "field": sub.field, "value": sub.value}
        return SUBSCRIPTIONS.insert_new(self._db, doc)

    def remove(self, sub: Subscription) -> bool:
        cur = self._db.execute(
            "DELETE FROM subscriptions WHERE channel = %s AND field = %s AND value = %s",
            (sub.channel, sub.field, sub.value),
        )
        return cur.rowcount > 0

    def all(self) -> list[Subscription]:
        rows = self._db.execute(
            'SELECT channel, field, value FROM subscriptions ORDER BY channel COLLATE "C", '
            'field COLLATE "C", value COLLATE "C"'
        )
        return [Subscription(*row) for row in rows]

    def dump(self) -> list[Doc]:
        return SUBSCRIPTIONS.docs(self._db)

    def load(self, docs: list[Doc]) -> None:
        SUBSCRIPTIONS.insert(self._db, docs)


class SettingsRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    def get(self, name: str) -> str | None:
        docs = SETTINGS.docs(self._db, "name = %s", (name,))
        return docs[0]["value"] if docs else None

    def set(self, name: str, value: str) -> None:
        SETTINGS.upsert(self._db, [{"name": name, "value": value}])

    def clear(self, name: str) -> bool:
        """Forget a setting; True when there was one."""
        return self._db.execute("DELETE FROM settings WHERE name = %s", (name,)).rowcount > 0

    def dump(self) -> list[Doc]:
        return SETTINGS.docs(self._db)

    def load(self, docs: list[Doc]) -> None:
        SETTINGS.insert(self._db, docs)
