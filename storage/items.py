"""Items: the register of recommendations, areas for improvement, actions and commitments."""

from __future__ import annotations

from collections.abc import MutableMapping
from dataclasses import dataclass, field
from typing import Any

from storage.database import Database, shard_key, shard_keys
from storage.models import Item


@dataclass
class _Shard:
    """One items file decoded: valid while the file's version is `version`."""

    version: tuple[str, int]
    items: dict[str, Item] = field(default_factory=dict)
    doc_ids: dict[str, int] = field(default_factory=dict)


class ItemRepository:
    """Items by id, sharded by id, decoded once and kept current by our own writes.

    A shard is decoded again only when its file was changed by someone else (another process,
    a migration): re-decoding 10,000 items after each update of one cost more than the update.
    """

    def __init__(self, db: Database) -> None:
        self._db = db
        self._shards: dict[str, _Shard] = {}
        self._cache: dict[str, Item] | None = None  # every shard's items together
        self._order: list[str] | None = None  # ids in source, number order; None = unsorted
        self._ordered: list[Item] | None = None  # the items in that order; None = not yet listed

    def _decoded(self) -> dict[str, Item]:
        for key in shard_keys("items"):
            version = self._db.version_of("items", key)
            shard = self._shards.get(key)
            if shard is None or shard.version != version:
                shard = _Shard(version)
                for doc in self._db.table("items", key).all():
                    shard.items[doc["id"]] = Item.from_doc(doc)
                    shard.doc_ids[doc["id"]] = doc.doc_id
                self._db.evict(key)  # one shard's documents at a time in memory, not all 64
                self._shards[key] = shard
                self._cache = None
        if self._cache is None:
            self._cache = {i: item for s in self._shards.values() for i, item in s.items.items()}
            self._order = None
            self._ordered = None
        return self._cache

    def all(self) -> list[Item]:
        """Every item, in source then number order."""
        items = self._decoded()
        if self._order is None:
            self._ordered = sorted(items.values(), key=lambda i: (i.source, i.number))
            self._order = [i.id for i in self._ordered]
        elif self._ordered is None:
            self._ordered = [items[item_id] for item_id in self._order]
        return list(self._ordered)

    def get(self, item_id: str) -> Item | None:
        return self._decoded().get(item_id)

    def ids(self) -> list[str]:
        return list(self._decoded())

    def by_source(self, source_id: str) -> list[Item]:
        return [i for i in self.all() if i.source == source_id]

    def save(self, item: Item) -> None:
        """Insert or replace the item with this id."""
        self.save_many([item])

    def save_many(self, items: list[Item]) -> None:
        """Insert or replace each item by id: per shard, one write for the changed, one for the
        new."""
        known = self._decoded()
        by_shard: dict[str, dict[str, Item]] = {}
        for item in items:
            by_shard.setdefault(shard_key("items", item.id), {})[item.id] = item
        written: dict[str, Item] = {}
        for key, group in by_shard.items():
            written |= self._save_shard(key, group, known)
        if self._cache is None:
            return
        self._cache = {**self._cache, **written}
        self._ordered = None
        if any(
            i not in known or (item.source, item.number) != (known[i].source, known[i].number)
            for i, item in written.items()
        ):
            self._order = None

    def _save_shard(self, key: str, items: dict[str, Item], known: dict[str, Item]) -> dict:
        """Write `items` to shard `key`; returns them decoded, or none if the cache is stale."""
        table = self._db.table("items", key)
        shard = self._shards[key]
        docs = {item_id: item.to_doc() for item_id, item in items.items()}
        changed = [i for i in docs if i in known]
        new = [i for i in docs if i not in known]
        doc_ids = dict(shard.doc_ids)
        if changed:

            def replace_fields(doc: MutableMapping[str, Any]) -> None:
                doc.update(docs[doc["id"]])

            table.update(replace_fields, doc_ids=[doc_ids[item_id] for item_id in changed])
        if new:
            inserted = table.insert_multiple(docs[item_id] for item_id in new)
            doc_ids.update(zip(new, inserted, strict=True))
        key_, decoded_at = shard.version
        version = self._db.version_of("items", key)
        if version != (key_, decoded_at + bool(changed) + bool(new)):
            self._cache = None  # the file changed otherwise too: the next read decodes it afresh
            del self._shards[key]
            return {}
        # Exactly our writes happened, under the lock: the file holds the cache plus these items.
        decoded = {item_id: Item.from_doc(doc) for item_id, doc in docs.items()}
        self._shards[key] = _Shard(version, {**shard.items, **decoded}, doc_ids)
        return decoded

    def dump(self) -> list[dict]:
        return [dict(d) for table in self._db.shards("items") for d in table.all()]

    def load(self, docs: list[dict]) -> None:
        by_shard: dict[str, list[dict]] = {}
        for doc in docs:
            by_shard.setdefault(shard_key("items", doc["id"]), []).append(doc)
        for key, group in by_shard.items():
            self._db.table("items", key).insert_multiple(group)
