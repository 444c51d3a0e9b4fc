"""Figures: published numbers per district, metric and period."""

from __future__ import annotations

from tinydb import where

from storage.database import Database
from storage.models import Figure


class FigureRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    def all(self) -> list[Figure]:
        return [Figure.from_doc(d) for d in self._db.table("figures").all()]

    def replace_source(self, source: str, figures: list[Figure]) -> int:
        """Replace every figure of `source` with `figures` (a re-import never doubles)."""
        table = self._db.table("figures")
        table.remove(where("source") == source)
        table.insert_multiple(f.to_doc() for f in figures)
        return len(figures)
