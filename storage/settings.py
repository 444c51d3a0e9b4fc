"""Settings kept with the register (they win over the environment): plain text by name."""

from __future__ import annotations

from tinydb import where

from storage.database import Database


class SettingsRepository:
    """Named settings stored as text, e.g. "districts"."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def get(self, name: str) -> str | None:
        doc = self._db.table("settings").get(where("name") == name)
        return doc["value"] if doc else None

    def set(self, name: str, value: str) -> None:
        self._db.table("settings").upsert({"name": name, "value": value}, where("name") == name)

    def clear(self, name: str) -> bool:
        """Forget a setting; True when there was one."""
        return bool(self._db.table("settings").remove(where("name") == name))

    def dump(self) -> list[dict]:
        return [dict(d) for d in self._db.table("settings").all()]

    def load(self, docs: list[dict]) -> None:
        self._db.table("settings").insert_multiple(docs)
