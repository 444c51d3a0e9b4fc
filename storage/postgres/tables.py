"""A table's shape: the document plus the columns taken from it, and the SQL to write both."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from psycopg.types.json import Jsonb

from storage.postgres.connection import Database

Doc = dict[str, Any]


def timestamp(value: Any) -> datetime:
    """An ISO datetime from a document, for a timestamptz column."""
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)


@dataclass(frozen=True)
class Table:
    name: str
    key: tuple[str, ...]  # the unique columns an upsert matches on
    columns: tuple[tuple[str, Callable[[Doc], Any]], ...]  # column, value from the document
    on_update: str = ""  # more of an upsert's SET clause, e.g. "changed = pg_current_xact_id()"

    def row(self, doc: Doc) -> tuple[Any, ...]:
        return (*(get(doc) for _, get in self.columns), Jsonb(doc))

    def _insert(self) -> str:
        names = ", ".join(f'"{name}"' for name, _ in self.columns)
        marks = ", ".join(["%s"] * (len(self.columns) + 1))
        return f"INSERT INTO {self.name} ({names}, doc) VALUES ({marks})"

    def _conflict(self) -> str:
        return ", ".join(f'"{name}"' for name in self.key)

    def insert(self, db: Database, docs: list[Doc]) -> None:
        db.executemany(self._insert(), [self.row(d) for d in docs])

    def insert_new(self, db: Database, doc: Doc) -> bool:
        """Insert unless a row with the same key exists; True when this call inserted it."""
        sql = f"{self._insert()} ON CONFLICT ({self._conflict()}) DO NOTHING"
        return db.execute(sql, self.row(doc)).rowcount == 1

    def upsert(self, db: Database, docs: list[Doc]) -> None:
        """Insert, or merge the document into the row with the same key (as TinyDB's upsert)."""
        updates = ", ".join(
            f'"{name}" = EXCLUDED."{name}"' for name, _ in self.columns if name not in self.key
        )
        merge = "".join(f"{part}, " for part in (updates, self.on_update) if part)
        sql = (
            f"{self._insert()} ON CONFLICT ({self._conflict()}) DO UPDATE SET "
            f"{merge}doc = {self.name}.doc || EXCLUDED.doc"
        )
        db.executemany(sql, [self.row(d) for d in docs])

    def docs(self, db: Database, where: str = "", params: tuple[Any, ...] = ()) -> list[Doc]:
        """Documents in insertion order, optionally filtered by a WHERE clause."""
        clause = f" WHERE {where}" if where else ""
        sql = f"SELECT doc FROM {self.name}{clause} ORDER BY seq"
        return [row[0] for row in db.execute(sql, params)]
