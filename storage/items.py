"""Items: the register of recommendations, areas for improvement, actions and commitments."""

from __future__ import annotations

from tinydb import where

from storage.database import Database
from storage.models import Item


class ItemRepository:
    """Items by id; the decoded list is cached until the items file changes."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._cache_version: tuple[str, int] | None = None
        self._cache: dict[str, Item] = {}

    def _decoded(self) -> dict[str, Item]:
        version = self._db.version_of("items")
        if version != self._cache_version:
            docs = self._db.table("items").all()
            self._cache = {doc["id"]: Item.from_doc(doc) for doc in docs}
            self._cache_version = version
        return self._cache

    def all(self) -> list[Item]:
        """Every item, in source then number order."""
        return sorted(self._decoded().values(), key=lambda i: (i.source, i.number))

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
        table = self._db.table("items")
        known = self._decoded()
        new_docs = [i.to_doc() for i in items if i.id not in known]
        for item in items:
            if item.id in known:
                table.update(item.to_doc(), where("id") == item.id)
        if new_docs:
            table.insert_multiple(new_docs)
