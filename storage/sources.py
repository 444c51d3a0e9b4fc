"""Sources: the reports, reviews and meetings items come from."""

from __future__ import annotations

from tinydb import where

from storage.database import Database
from storage.models import Source


class SourceRepository:
    """Sources, decoded once per change of their file (every /recs summary reads them all)."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._cache_version: tuple[str, int] | None = None
        self._cache: list[Source] = []

    def all(self) -> list[Source]:
        version = self._db.version_of("sources")
        if version != self._cache_version:
            docs = self._db.table("sources").all()
            self._cache = sorted((Source.from_doc(d) for d in docs), key=lambda s: s.published)
            self._cache_version = version
        return list(self._cache)

    def get(self, source_id: str) -> Source | None:
        doc = self._db.table("sources").get(where("id") == source_id)
        return Source.from_doc(doc) if doc else None

    def save(self, source: Source) -> None:
        self._db.table("sources").upsert(source.to_doc(), where("id") == source.id)

    def dump(self) -> list[dict]:
        return [dict(d) for d in self._db.table("sources").all()]

    def load(self, docs: list[dict]) -> None:
        self._db.table("sources").insert_multiple(docs)
