"""Personal reminder settings (`/recs remind`) and channel subscriptions (`/recs subscribe`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from tinydb import where

from storage.database import Database

WORKING_WEEK = (0, 1, 2, 3, 4)  # Monday to Friday


@dataclass(frozen=True)
class ReminderPrefs:
    """One person's reminder settings; the defaults are what someone who set nothing gets."""

    user: str
    days: tuple[int, ...] = WORKING_WEEK  # weekdays they want reminders on, 0 = Monday
    muted_until: date | None = None  # no reminders up to and including this day
    only_mine: bool = False  # only items they lead

    def to_doc(self) -> dict:
        return {
            "user": self.user,
            "days": list(self.days),
            "muted_until": self.muted_until.isoformat() if self.muted_until else None,
            "only_mine": self.only_mine,
        }

    @classmethod
    def from_doc(cls, doc: dict) -> ReminderPrefs:
        muted = doc.get("muted_until")
        return cls(
            user=doc["user"],
            days=tuple(doc.get("days", WORKING_WEEK)),
            muted_until=date.fromisoformat(muted) if muted else None,
            only_mine=bool(doc.get("only_mine")),
        )


@dataclass(frozen=True)
class Subscription:
    """A channel that receives the reminders about items matching one filter."""

    channel: str
    field: str  # district | source | lead
    value: str  # a district name, a source id or a user id


class ReminderPrefsRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    def get(self, user: str) -> ReminderPrefs:
        doc = self._db.table("reminder_prefs").get(where("user") == user)
        return ReminderPrefs.from_doc(doc) if doc else ReminderPrefs(user)

    def save(self, prefs: ReminderPrefs) -> None:
        self._db.table("reminder_prefs").upsert(prefs.to_doc(), where("user") == prefs.user)

    def all(self) -> dict[str, ReminderPrefs]:
        docs = self._db.table("reminder_prefs").all()
        return {d["user"]: ReminderPrefs.from_doc(d) for d in docs}

    def dump(self) -> list[dict]:
        return [dict(d) for d in self._db.table("reminder_prefs").all()]

    def load(self, docs: list[dict]) -> None:
        self._db.table("reminder_prefs").insert_multiple(docs)


class SubscriptionRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    def add(self, sub: Subscription) -> bool:
        """Record `sub`; False when the channel already had it."""
        table = self._db.table("subscriptions")
        if table.contains(self._match(sub)):
            return False
        table.insert({"channel": sub.channel, "field": sub.field, "value": sub.value})
        return True

    def remove(self, sub: Subscription) -> bool:
        return bool(self._db.table("subscriptions").remove(self._match(sub)))

    def all(self) -> list[Subscription]:
        docs = self._db.table("subscriptions").all()
        subs = (Subscription(d["channel"], d["field"], d["value"]) for d in docs)
        return sorted(subs, key=lambda s: (s.channel, s.field, s.value))

    def dump(self) -> list[dict]:
        return [dict(d) for d in self._db.table("subscriptions").all()]

    def load(self, docs: list[dict]) -> None:
        self._db.table("subscriptions").insert_multiple(docs)

    @staticmethod
    def _match(sub: Subscription):  # noqa: ANN205 - a TinyDB query
        return (
            (where("channel") == sub.channel)
            & (where("field") == sub.field)
            & (where("value") == sub.value)
        )
