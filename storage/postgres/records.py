"""Items, history, sources and figures in PostgreSQL."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import date, datetime
from typing import Any

from psycopg.types.json import Jsonb

from storage.models import Figure, HistoryEntry, Item, Source
from storage.postgres.connection import Database
from storage.postgres.tables import Doc, Table, timestamp

ITEMS = Table(
    "items",
    ("id",),
    (
        ("id", lambda d: d["id"]),
        ("source", lambda d: d["source"]),
        ("number", lambda d: d["number"]),
        ("status", lambda d: d.get("status", "not started")),
        ("due", lambda d: date.fromisoformat(d["due"]) if d.get("due") else None),
    ),
    on_update="changed = pg_current_xact_id()",
)
HISTORY = Table(
    "history",
    (),
    (
        ("item_id", lambda d: d["item_id"]),
        ("at", lambda d: timestamp(d["at"])),
        ("key", lambda d: d.get("key", "")),
    ),
)
SOURCES = Table(
    "sources",
    ("id",),
    (("id", lambda d: d["id"]), ("published", lambda d: date.fromisoformat(d["published"]))),
    on_update="changed = pg_current_xact_id()",
)
FIGURES = Table("figures", (), (("source", lambda d: d.get("source", "")),))


class RowCache:
    """A table's decoded rows, kept current by re-reading only the rows written since last time.

    A row's `changed` is the id of the transaction that last wrote it. Every transaction with an
    id below a snapshot's xmin had ended when the snapshot was taken, so the rows to re-read are
    those with `changed >=` the xmin of the last look: the ones written since, and a few already
    seen. Looks are taken one at a time, so their snapshots only move forward. Rows of these
    tables are never deleted, so nothing else can change.
    """

    def __init__(
        self, table: str, decode: Callable[[Doc], Any], order: Callable[[int, Any], Any]
    ) -> None:
        self._table = table
        self._decode = decode
        self._order = order  # sort key from a row's seq and its decoded record
        self._lock = threading.Lock()
        self._rows: dict[str, tuple[Any, Any]] = {}  # id → (sort key, record)
        self._ordered: list[Any] | None = None
        self._position: dict[str, int] = {}  # id → index in `_ordered`
        self._xmin: str | None = None

    def all(self, db: Database) -> list[Any]:
        with self._lock:
            xmin = db.execute("SELECT pg_snapshot_xmin(pg_current_snapshot())::text").fetchone()[0]
            if self._xmin is None:  # the first look reads the whole table: a chunk at a time
                rows = db.stream(f"SELECT id, seq, doc FROM {self._table}")
            else:
                rows = db.execute(
                    f"SELECT id, seq, doc FROM {self._table} WHERE changed >= %s::xid8",
                    (self._xmin,),
                )
            for row_id, seq, doc in rows:
                self._take(row_id, seq, self._decode(doc))
            self._xmin = xmin
            if self._ordered is None:
                ranked = sorted(self._rows.items(), key=lambda row: row[1][0])
                self._ordered = [record for _, (_, record) in ranked]
                self._position = {row_id: n for n, (row_id, _) in enumerate(ranked)}
            return list(self._ordered)

    def _take(self, row_id: str, seq: int, record: Any) -> None:
        """Remember a row read; an update that keeps its place (a status, a note) is put in
        that place, so 10,000 rows are not sorted again for it."""
        key = self._order(seq, record)
        known = self._rows.get(row_id)
        if known == (key, record):
            return
        self._rows[row_id] = (key, record)
        if known is not None and known[0] == key and self._ordered is not None:
            self._ordered[self._position[row_id]] = record
        else:
            self._ordered = None


class CachedReads:
    """Every row of a cached table, from the cache unless this transaction wrote the table."""

    def __init__(self, db: Database, cache: RowCache) -> None:
        self._db = db
        self._cache = cache
        self._written = threading.local()  # the transaction this thread last wrote the table in

    def wrote(self) -> None:
        self._written.tx = self._db.transaction_id()

    def all(self, uncached: Callable[[], list[Any]]) -> list[Any]:
        if getattr(self._written, "tx", None) == self._db.transaction_id():
            # this transaction's own writes may yet be rolled back: keep them out of the cache
            return uncached()
        return self._cache.all(self._db)


class ItemRepository:
    def __init__(self, db: Database) -> None:
        self._db = db
        cache = RowCache("items", Item.from_doc, lambda seq, i: (i.source, i.number, seq))
        self._reads = CachedReads(db, cache)

    def all(self) -> list[Item]:
        """Every item, in source then number order."""
        return self._reads.all(self._read_all)

    def _read_all(self) -> list[Item]:
        rows = self._db.execute('SELECT doc FROM items ORDER BY source COLLATE "C", number, seq')
        return [Item.from_doc(row[0]) for row in rows]

    def get(self, item_id: str) -> Item | None:
        """The item, its row locked to this transaction: a read-modify-write by another
        process waits rather than losing one of the two updates."""
        row = self._db.execute("SELECT doc FROM items WHERE id = %s FOR UPDATE", (item_id,))
        found = row.fetchone()
        return Item.from_doc(found[0]) if found else None

    def ids(self) -> list[str]:
        return [row[0] for row in self._db.execute("SELECT id FROM items ORDER BY seq")]

    def by_source(self, source_id: str) -> list[Item]:
        rows = self._db.execute(
            "SELECT doc FROM items WHERE source = %s ORDER BY number, seq", (source_id,)
        )
        return [Item.from_doc(row[0]) for row in rows]

    def save(self, item: Item) -> None:
        """Insert or replace the item with this id."""
        self.save_many([item])

    def save_many(self, items: list[Item]) -> None:
        """Insert or replace each item by id."""
        self._reads.wrote()
        ITEMS.upsert(self._db, [i.to_doc() for i in items])

    def dump(self) -> list[Doc]:
        return ITEMS.docs(self._db)

    def load(self, docs: list[Doc]) -> None:
        self._reads.wrote()
        ITEMS.insert(self._db, docs)


class HistoryRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    def append(self, entry: HistoryEntry) -> None:
        HISTORY.insert(self._db, [entry.to_doc()])

    def for_item(self, item_id: str) -> list[HistoryEntry]:
        rows = self._db.execute(
            "SELECT doc FROM history WHERE item_id = %s ORDER BY at, seq", (item_id,)
        )
        return [HistoryEntry.from_doc(row[0]) for row in rows]

    def has_key(self, item_id: str, key: str) -> bool:
        if not key:
            return False
        row = self._db.execute(
            "SELECT 1 FROM history WHERE item_id = %s AND key = %s LIMIT 1", (item_id, key)
        )
        return row.fetchone() is not None

    def set_permalink(self, item_id: str, key: str, permalink: str) -> None:
        """Fill in the Slack permalink of the message that made a change, once: a link
        already there is never replaced."""
        self._db.execute(
            "UPDATE history SET doc = doc || %s WHERE item_id = %s AND key = %s"
            " AND coalesce(doc->>'permalink', '') = ''",
            (Jsonb({"permalink": permalink}), item_id, key),
        )

    def since(self, moment: datetime, change: str = "") -> Iterator[HistoryEntry]:
        """Every entry at or after `moment` (only of kind `change` if given), in no particular
        order."""
        if change:
            rows = self._db.stream(
                "SELECT doc FROM history WHERE at >= %s AND doc->>'change' = %s", (moment, change)
            )
        else:
            rows = self._db.stream("SELECT doc FROM history WHERE at >= %s", (moment,))
        return iter([HistoryEntry.from_doc(row[0]) for row in rows])

    def dump(self) -> list[Doc]:
        return HISTORY.docs(self._db)

    def load(self, docs: list[Doc]) -> None:
        HISTORY.insert(self._db, docs)


class SourceRepository:
    def __init__(self, db: Database) -> None:
        self._db = db
        cache = RowCache("sources", Source.from_doc, lambda seq, s: (s.published, seq))
        self._reads = CachedReads(db, cache)

    def all(self) -> list[Source]:
        """Every source, by publication date."""
        return self._reads.all(self._read_all)

    def _read_all(self) -> list[Source]:
        rows = self._db.execute("SELECT doc FROM sources ORDER BY published, seq")
        return [Source.from_doc(row[0]) for row in rows]

    def get(self, source_id: str) -> Source | None:
        found = self._db.execute("SELECT doc FROM sources WHERE id = %s", (source_id,)).fetchone()
        return Source.from_doc(found[0]) if found else None

    def save(self, source: Source) -> None:
        self._reads.wrote()
        SOURCES.upsert(self._db, [source.to_doc()])

    def dump(self) -> list[Doc]:
        return SOURCES.docs(self._db)

    def load(self, docs: list[Doc]) -> None:
        self._reads.wrote()
        SOURCES.insert(self._db, docs)


class FigureRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    def all(self) -> list[Figure]:
        return [Figure.from_doc(d) for d in FIGURES.docs(self._db)]

    def replace_source(self, source: str, figures: list[Figure]) -> int:
        """Replace every figure of `source` with `figures` (a re-import never doubles)."""
        self._db.execute("DELETE FROM figures WHERE source = %s", (source,))
        FIGURES.insert(self._db, [f.to_doc() for f in figures])
        return len(figures)

    def dump(self) -> list[Doc]:
        return FIGURES.docs(self._db)

    def load(self, docs: list[Doc]) -> None:
        FIGURES.insert(self._db, docs)
