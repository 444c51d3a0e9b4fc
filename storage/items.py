"""Items: the register of recommendations, areas for improvement, actions and commitments."""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

from storage.database import Database
from storage.models import Item


class ItemRepository:
    """Items by id, decoded once and kept current by our own writes.

    The decoded items are reloaded only when the items file was changed by someone else
    (another process, a migration): re-decoding 10,000 items after each update of one cost
    more than the update itself.
    """

    def __init__(self, db: Database) -> None:
        self._db = db
        self._cache_version: tuple[str, int] | None = None
        self._cache: dict[str, Item] = {}
        self._doc_ids: dict[str, int] = {}
        self._order: list[str] | None = None  # ids in source, number order; None = unsorted
        self._ordered: list[Item] | None = None  # the items in that order; None = not yet listed

    def _decoded(self) -> dict[str, Item]:
        version = self._db.version_of("items")
        if version != self._cache_version:
            docs = self._db.table("items").all()
            self._cache = {doc["id"]: Item.from_doc(doc) for doc in docs}
            self._doc_ids = {doc["id"]: doc.doc_id for doc in docs}
            self._order = None
            self._ordered = None
            self._cache_version = version
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
        """Insert or replace each item by id: at most one write for the changed, one for the new."""
        table = self._db.table("items")
        known = self._decoded()
        changed = {i.id: i for i in items if i.id in known}
        new = {i.id: i for i in items if i.id not in known}
        docs = {item_id: item.to_doc() for item_id, item in (changed | new).items()}
        doc_ids = dict(self._doc_ids)
        if changed:

            def replace_fields(doc: MutableMapping[str, Any]) -> None:
                doc.update(docs[doc["id"]])

            table.update(replace_fields, doc_ids=[doc_ids[item_id] for item_id in changed])
        if new:
            inserted = table.insert_multiple(docs[item_id] for item_id in new)
            doc_ids.update(zip(new, inserted, strict=True))
        key, decoded_at = self._cache_version or ("", -1)
        writes = bool(changed) + bool(new)
        version = self._db.version_of("items")
        if version != (key, decoded_at + writes):
            return  # the file changed otherwise too: the next read decodes it afresh
        # Exactly our writes happened, under the lock: the file holds the cache plus these items.
        written = {item_id: Item.from_doc(doc) for item_id, doc in docs.items()}
        self._cache = {**self._cache, **written}
        self._ordered = None
        self._doc_ids = doc_ids
        if new or any(
            (written[i].source, written[i].number) != (known[i].source, known[i].number)
            for i in changed
        ):
            self._order = None
        self._cache_version = version

    def dump(self) -> list[dict]:
        return [dict(d) for d in self._db.table("items").all()]

    def load(self, docs: list[dict]) -> None:
        self._db.table("items").insert_multiple(docs)
