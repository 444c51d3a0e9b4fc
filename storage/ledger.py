"""The sent-ledger (reminders Slack accepted) and the event ledger (Slack deliveries seen)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from tinydb import where
from tinydb.table import Table

from storage.database import Database, shard_key

CLAIM_TIMEOUT = timedelta(minutes=10)


def _remove_older(table: Table, before: datetime) -> int:
    """Remove documents stamped before `before`; a table with none to remove is not rewritten."""
    stamp = before.isoformat()
    old = [doc.doc_id for doc in table if str(doc.get("at", "")) < stamp]
    if old:
        table.remove(doc_ids=old)
    return len(old)


def _load_sharded(db: Database, name: str, docs: list[dict]) -> None:
    """Add documents keyed by "key" to their shards: one write per shard."""
    by_shard: dict[str, list[dict]] = {}
    for doc in docs:
        by_shard.setdefault(shard_key(name, doc["key"]), []).append(doc)
    for key, group in sorted(by_shard.items()):
        db.table(name, key).insert_multiple(group)


class SentLedger:
    """A reminder key is claimed before posting and marked sent only once Slack accepted it."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def is_sent(self, key: str) -> bool:
        doc = self._db.shard("ledger", key).get(where("key") == key)
        return bool(doc and doc.get("state") == "sent")

    def sent_keys(self) -> set[str]:
        return {
            d["key"] for t in self._db.shards("ledger") for d in t.all() if d.get("state") == "sent"
        }

    def claim(self, key: str, now: datetime) -> bool:
        """Take the right to send `key`; False if sent, or claimed by a sweep still running."""
        table = self._db.shard("ledger", key)
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

    def claimed_at(self, key: str) -> datetime | None:
        """When a sweep claimed `key` without marking it sent; None if sent or never claimed."""
        doc = self._db.shard("ledger", key).get(where("key") == key)
        return datetime.fromisoformat(doc["at"]) if doc and doc["state"] == "claimed" else None

    def mark_sent(
        self, key: str, now: datetime, *, channel: str = "", ts: str = "", late: bool = False
    ) -> None:
        self._db.shard("ledger", key).upsert(
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

    def prune(self, before: datetime) -> int:
        """Forget reminders sent (or claims abandoned) before `before`; returns how many."""
        return sum(_remove_older(table, before) for table in self._db.shards("ledger"))

    def entries(self) -> list[dict]:
        """Every ledger document as stored (for `govbot verify`)."""
        return [dict(d) for table in self._db.shards("ledger") for d in table.all()]

    def release(self, key: str) -> None:
        """Slack did not accept it: let the next sweep try again."""
        table = self._db.shard("ledger", key)
        table.remove((where("key") == key) & (where("state") == "claimed"))

    def dump(self) -> list[dict]:
        return self.entries()

    def load(self, docs: list[dict]) -> None:
        _load_sharded(self._db, "ledger", docs)


class EventLedger:
    """Slack event ids and message keys already handled, so retries are not processed twice."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def seen(self, key: str) -> bool:
        return self._db.shard("events", key).contains(where("key") == key)

    def record(self, key: str, now: datetime) -> None:
        self._db.shard("events", key).insert({"key": key, "at": now.isoformat()})

    def prune(self, before: datetime) -> int:
        """Forget keys recorded before `before`; returns how many."""
        return sum(_remove_older(table, before) for table in self._db.shards("events"))

    def entries(self) -> list[dict]:
        """Every delivery key as stored (for `govbot verify`)."""
        return [dict(d) for table in self._db.shards("events") for d in table.all()]

    def dump(self) -> list[dict]:
        return self.entries()

    def load(self, docs: list[dict]) -> None:
        _load_sharded(self._db, "events", docs)


class Snoozes:
    """“Remind me in 3 days”, per person: (user id, item id) → the date their reminders resume."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def snooze(self, user: str, item_id: str, until: date) -> None:
        self._db.table("snoozes").upsert(
            {"user": user, "item_id": item_id, "until": until.isoformat()},
            (where("user") == user) & (where("item_id") == item_id),
        )

    def all(self) -> dict[tuple[str, str], date]:
        # A snooze from before snoozes were personal names nobody: it lapses within 3 days.
        return {
            (d["user"], d["item_id"]): date.fromisoformat(d["until"])
            for d in self._db.table("snoozes").all()
            if d.get("user")
        }

    def dump(self) -> list[dict]:
        return [dict(d) for d in self._db.table("snoozes").all()]

    def load(self, docs: list[dict]) -> None:
        self._db.table("snoozes").insert_multiple(docs)
