"""The sent-ledger, the event ledger, thread anchors and personal snoozes in PostgreSQL.

The ledgers are exactly-once across processes by their primary keys: a claim is one
`INSERT … ON CONFLICT … DO UPDATE … WHERE` whose row count says who won, and a Slack
delivery's key is locked for the transaction before it is looked up, so a second process
handling the same delivery waits for the first and then sees it recorded.
"""

from __future__ import annotations

from datetime import date, datetime

from psycopg.types.json import Jsonb

from storage.ledger import CLAIM_TIMEOUT
from storage.postgres.connection import Database
from storage.postgres.tables import Doc, Table, timestamp
from storage.threads import Anchor

SENT = Table(
    "sent_ledger",
    ("key",),
    (
        ("key", lambda d: d["key"]),
        ("state", lambda d: d["state"]),
        ("at", lambda d: timestamp(d["at"])),
    ),
)
EVENTS = Table(
    "events", ("key",), (("key", lambda d: d["key"]), ("at", lambda d: timestamp(d["at"])))
)
THREADS = Table(
    "threads", ("channel", "ts"), (("channel", lambda d: d["channel"]), ("ts", lambda d: d["ts"]))
)
SNOOZES = Table(
    "snoozes",
    ("user", "item_id"),
    (("user", lambda d: d.get("user", "")), ("item_id", lambda d: d["item_id"])),
)


class SentLedger:
    def __init__(self, db: Database) -> None:
        self._db = db

    def is_sent(self, key: str) -> bool:
        row = self._db.execute(
            "SELECT 1 FROM sent_ledger WHERE key = %s AND state = 'sent'", (key,)
        )
        return row.fetchone() is not None

    def sent_keys(self) -> set[str]:
        return {r[0] for r in self._db.execute("SELECT key FROM sent_ledger WHERE state = 'sent'")}

    def claim(self, key: str, now: datetime) -> bool:
        """Take the right to send `key`; False if sent, or claimed by a sweep still running."""
        doc = {"key": key, "state": "claimed", "at": now.isoformat()}
        cur = self._db.execute(
            "INSERT INTO sent_ledger (key, state, at, doc) VALUES (%s, 'claimed', %s, %s) "
            "ON CONFLICT (key) DO UPDATE SET state = 'claimed', at = EXCLUDED.at, "
            "doc = sent_ledger.doc || EXCLUDED.doc "
            "WHERE sent_ledger.state = 'claimed' AND sent_ledger.at <= %s",
            (key, now, Jsonb(doc), now - CLAIM_TIMEOUT),
        )
        return cur.rowcount == 1

    def claimed_at(self, key: str) -> datetime | None:
        """When a sweep claimed `key` without marking it sent; None if sent or never claimed."""
        row = self._db.execute(
            "SELECT at FROM sent_ledger WHERE key = %s AND state = 'claimed'", (key,)
        ).fetchone()
        return row[0] if row else None

    def mark_sent(
        self, key: str, now: datetime, *, channel: str = "", ts: str = "", late: bool = False
    ) -> None:
        doc = {"key": key, "state": "sent", "at": now.isoformat()}
        SENT.upsert(self._db, [doc | {"channel": channel, "ts": ts, "late": late}])

    def release(self, key: str) -> None:
        """Slack did not accept it: let the next sweep try again."""
        self._db.execute("DELETE FROM sent_ledger WHERE key = %s AND state = 'claimed'", (key,))

    def prune(self, before: datetime) -> int:
        """Forget reminders sent (or claims abandoned) before `before`; returns how many."""
        return self._db.execute("DELETE FROM sent_ledger WHERE at < %s", (before,)).rowcount

    def entries(self) -> list[Doc]:
        return self.dump()

    def dump(self) -> list[Doc]:
        return SENT.docs(self._db)

    def load(self, docs: list[Doc]) -> None:
        SENT.insert(self._db, docs)


class EventLedger:
    def __init__(self, db: Database) -> None:
        self._db = db

    def seen(self, key: str) -> bool:
        """Whether `key` was handled; holds the key until this transaction ends."""
        self._db.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", (key,))
        return (
            self._db.execute("SELECT 1 FROM events WHERE key = %s", (key,)).fetchone() is not None
        )

    def record(self, key: str, now: datetime) -> None:
        EVENTS.insert_new(self._db, {"key": key, "at": now.isoformat()})

    def prune(self, before: datetime) -> int:
        """Forget keys recorded before `before`; returns how many."""
        return self._db.execute("DELETE FROM events WHERE at < %s", (before,)).rowcount

    def entries(self) -> list[Doc]:
        return self.dump()

    def dump(self) -> list[Doc]:
        return EVENTS.docs(self._db)

    def load(self, docs: list[Doc]) -> None:
        EVENTS.insert(self._db, docs)


class ThreadAnchors:
    def __init__(self, db: Database) -> None:
        self._db = db

    def remember(self, anchor: Anchor) -> None:
        doc = {
            "channel": anchor.channel,
            "ts": anchor.ts,
            "item_id": anchor.item_id,
            "kind": anchor.kind,
        }
        THREADS.upsert(self._db, [doc])

    def resolve(self, channel: str, thread_ts: str) -> Anchor | None:
        found = self._db.execute(
            "SELECT doc FROM threads WHERE channel = %s AND ts = %s", (channel, thread_ts)
        ).fetchone()
        if not found:
            return None
        doc = found[0]
        return Anchor(doc["channel"], doc["ts"], doc["item_id"], doc["kind"])

    def dump(self) -> list[Doc]:
        return THREADS.docs(self._db)

    def load(self, docs: list[Doc]) -> None:
        THREADS.insert(self._db, docs)


class Snoozes:
    def __init__(self, db: Database) -> None:
        self._db = db

    def snooze(self, user: str, item_id: str, until: date) -> None:
        doc = {"user": user, "item_id": item_id, "until": until.isoformat()}
        SNOOZES.upsert(self._db, [doc])

    def all(self) -> dict[tuple[str, str], date]:
        docs = SNOOZES.docs(self._db, "\"user\" <> ''")
        return {(d["user"], d["item_id"]): date.fromisoformat(d["until"]) for d in docs}

    def dump(self) -> list[Doc]:
        return SNOOZES.docs(self._db)

    def load(self, docs: list[Doc]) -> None:
        SNOOZES.insert(self._db, docs)
