"""Thread anchors: which bot message (channel, ts) a thread reply is about."""

from __future__ import annotations

from dataclasses import dataclass

from tinydb import where

from storage.database import Database


@dataclass(frozen=True)
class Anchor:
    channel: str
    ts: str
    item_id: str  # "" for a digest: replies there start with the item id
    kind: str  # "item" | "reminder" | "digest"


class ThreadAnchors:
    def __init__(self, db: Database) -> None:
        self._db = db

    def remember(self, anchor: Anchor) -> None:
        self._db.table("threads").upsert(
            {
                "channel": anchor.channel,
                "ts": anchor.ts,
                "item_id": anchor.item_id,
                "kind": anchor.kind,
            },
            (where("channel") == anchor.channel) & (where("ts") == anchor.ts),
        )

    def resolve(self, channel: str, thread_ts: str) -> Anchor | None:
        doc = self._db.table("threads").get(
            (where("channel") == channel) & (where("ts") == thread_ts)
        )
        if not doc:
            return None
        return Anchor(doc["channel"], doc["ts"], doc["item_id"], doc["kind"])

    def dump(self) -> list[dict]:
        return [dict(d) for d in self._db.table("threads").all()]

    def load(self, docs: list[dict]) -> None:
        self._db.table("threads").insert_multiple(docs)
