"""Item history: every change, who made it, when, with note, evidence and Slack link."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from datetime import datetime
from typing import Any

from storage.database import Database, month_file_key
from storage.models import HistoryEntry


# Plain functions as TinyDB conditions: a shard holds thousands of entries and a `where()`
# query costs about four times as much per entry checked.
def _of_item(item_id: str) -> Callable[[Mapping[str, Any]], bool]:
    return lambda doc: doc.get("item_id") == item_id


def _of_message(item_id: str, key: str) -> Callable[[Mapping[str, Any]], bool]:
    return lambda doc: doc.get("key") == key and doc.get("item_id") == item_id


def _at_or_after(stamp: str, change: str) -> Callable[[Mapping[str, Any]], bool]:
    # Filtered before decoding: of 200,000 entries a GAB agenda wants a few hundred.
    if change:
        return lambda doc: doc.get("at", "") >= stamp and doc.get("change") == change
    return lambda doc: doc.get("at", "") >= stamp


class HistoryRepository:
    """Append-only history, sharded by item id, each entry also in the log of its month."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def append(self, entry: HistoryEntry) -> None:
        doc = entry.to_doc()
        self._db.history_table(entry.item_id).insert(doc)
        self._db.table("history", month_file_key(doc)).insert(dict(doc))

    def for_item(self, item_id: str) -> list[HistoryEntry]:
        docs = self._db.history_table(item_id).search(_of_item(item_id))
        return sorted((HistoryEntry.from_doc(d) for d in docs), key=lambda e: e.at)

    def has_key(self, item_id: str, key: str) -> bool:
        if not key:
            return False
        table = self._db.history_table(item_id)
        return bool(table.search(_of_message(item_id, key)))

    def set_permalink(self, item_id: str, key: str, permalink: str) -> None:
        """Fill in the Slack permalink of the message that made a change, once.

        The one field written after an entry is appended: a link still empty is filled in;
        one already there is never replaced, and nothing else about the entry changes.
        """
        unlinked = _of_message(item_id, key)

        def still_unlinked(doc: Mapping[str, Any]) -> bool:
            return unlinked(doc) and not doc.get("permalink")

        table = self._db.history_table(item_id)
        months = {month_file_key(doc) for doc in table.search(still_unlinked)}
        table.update({"permalink": permalink}, still_unlinked)
        for month in sorted(months):
            self._db.table("history", month).update({"permalink": permalink}, still_unlinked)

    def since(self, moment: datetime, change: str = "") -> Iterator[HistoryEntry]:
        """Every entry at or after `moment` (only of kind `change` if given), in no particular
        order."""
        stamp = moment.isoformat()
        wanted = _at_or_after(stamp, change)
        for table in self._db.month_tables(stamp[:7], change):
            for doc in table.search(wanted):
                yield HistoryEntry.from_doc(doc)

    def dump(self) -> list[dict]:
        return [dict(d) for table in self._db.shards("history") for d in table.all()]

    def load(self, docs: list[dict]) -> None:
        by_file: dict[str, list[dict]] = {}
        for doc in docs:
            for key in self._db.homes_of("history", doc):
                by_file.setdefault(key, []).append(dict(doc))
        for key, group in sorted(by_file.items()):
            self._db.table("history", key).insert_multiple(group)
