"""Figures: published numbers per district, metric and period."""

from __future__ import annotations

from tinydb import where

from storage.database import Database
from storage.models import Figure


class FigureRepository:
    """Figures, decoded once per change of the figures file (every /figures reads them all)."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._cache_version: tuple[str, int] | None = None
        self._cache: list[Figure] = []

    def all(self) -> list[Figure]:
        version = self._db.version_of("figures")
        if version != self._cache_version:
            self._cache = [Figure.from_doc(d) for d in self._db.table("figures").all()]
            self._cache_version = version
        return list(self._cache)

    def replace_source(self, source: str, figures: list[Figure]) -> int:
        """Replace every figure of `source` with `figures` (a re-import never doubles)."""
        table = self._db.table("figures")
        table.remove(where("source") == source)
        table.insert_multiple(f.to_doc() for f in figures)
        return len(figures)

    def dump(self) -> list[dict]:
        return [dict(d) for d in self._db.table("figures").all()]

    def load(self, docs: list[dict]) -> None:
        self._db.table("figures").insert_multiple(docs)
