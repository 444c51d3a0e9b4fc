"""Sources: the reports, reviews and meetings items come from."""

from __future__ import annotations

from tinydb import where

from storage.database import Database
from storage.models import Source


class SourceRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    def all(self) -> list[Source]:
        return sorted(
            (Source.from_doc(d) for d in self._db.table("sources").all()), key=lambda s: s.published
        )

    def get(self, source_id: str) -> Source | None:
        doc = self._db.table("sources").get(where("id") == source_id)
        return Source.from_doc(doc) if doc else None

    def save(self, source: Source) -> None:
        self._db.table("sources").upsert(source.to_doc(), where("id") == source.id)
