"""The sent-ledger (reminders Slack accepted) and the event ledger (Slack deliveries seen)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from tinydb import where

from storage.database import Database

CLAIM_TIMEOUT = timedelta(minutes=10)


class SentLedger:
    """A reminder key is claimed before posting and marked sent only once Slack accepted it."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def is_sent(self, key: str) -> bool:
        doc = self._db.table("ledger").get(where("key") == key)
        return bool(doc and doc.get("state") == "sent")

    def sent_keys(self) -> set[str]:
        return {d["key"] for d in self._db.table("ledger").all() if d.get("state") == "sent"}

    def claim(self, key: str, now: datetime) -> bool:
        """Take the right to send `key`; False if sent, or claimed by a sweep still running."""
        table = self._db.table("ledger")
        doc = table.get(where("key") == key)
        if doc:
            if doc["state"] == "sent":
                return False
            claimed = datetime.fromisoformat(doc["at"])
            if doc["state"] == "claimed" and now - claimed < CLAIM_TIMEOUT:
                return False
            table.update({"state": "claimed", "at": now.isoformat()}, where("key") == key)
            return True
        table.insert({"key": key, "state": "claimed", "at": now.isoformat()})
        return True

    def mark_sent(
        self, key: str, now: datetime, *, channel: str = "", ts: str = "", late: bool = False
    ) -> None:
        self._db.table("ledger").upsert(
            {
                "key": key,
                "state": "sent",
                "at": now.isoformat(),
                "channel": channel,
                "ts": ts,
                "late": late,
            },
            where("key") == key,
        )

    def release(self, key: str) -> None:
        """Slack did not accept it: let the next sweep try again."""
        self._db.table("ledger").remove((where("key") == key) & (where("state") == "claimed"))

    def dump(self) -> list[dict]:
        return [dict(d) for d in self._db.table("ledger").all()]

    def load(self, docs: list[dict]) -> None:
        self._db.table("ledger").insert_multiple(docs)


class EventLedger:
    """Slack event ids and message keys already handled, so retries are not processed twice."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def seen(self, key: str) -> bool:
        return self._db.table("events").contains(where("key") == key)

    def record(self, key: str, now: datetime) -> None:
        self._db.table("events").insert({"key": key, "at": now.isoformat()})

    def prune(self, before: datetime) -> int:
        return len(self._db.table("events").remove(where("at") < before.isoformat()))

    def dump(self) -> list[dict]:
        return [dict(d) for d in self._db.table("events").all()]

    def load(self, docs: list[dict]) -> None:
        self._db.table("events").insert_multiple(docs)


class Snoozes:
    """“Remind me in 3 days”: item id → the date reminders resume."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def snooze(self, item_id: str, until: date) -> None:
        self._db.table("snoozes").upsert(
            {"item_id": item_id, "until": until.isoformat()}, where("item_id") == item_id
        )

    def all(self) -> dict[str, date]:
        return {
            d["item_id"]: date.fromisoformat(d["until"]) for d in self._db.table("snoozes").all()
        }

    def dump(self) -> list[dict]:
        return [dict(d) for d in self._db.table("snoozes").all()]

    def load(self, docs: list[dict]) -> None:
        self._db.table("snoozes").insert_multiple(docs)
