"""Schema version: recorded in every database, old ones migrated after a backup."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import UTC, datetime

from tinydb import where

from storage.database import Database
from storage.errors import StorageError

SCHEMA_VERSION = 2


def _v1_to_v2(db: Database) -> None:
    """v1 kept a single `lead` string per item; v2 keeps a list of `leads`."""
    table = db.table("items")
    for doc in table.all():
        if "leads" not in doc:
            lead = doc.get("lead") or ""
            table.update({"leads": [lead] if lead else []}, where("id") == doc["id"])


MIGRATIONS: dict[int, Callable[[Database], None]] = {1: _v1_to_v2}


def read_version(db: Database) -> int | None:
    doc = db.table("meta").get(where("key") == "schema_version")
    return int(doc["value"]) if doc else None


def _backup(db: Database, version: int) -> list[str]:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    copies = []
    for key in db.all_file_keys():
        path = db.file_for(key)
        if path.exists():
            target = path.with_name(f"{path.name}.v{version}-{stamp}.bak")
            shutil.copy2(path, target)
            copies.append(str(target))
    return copies


def ensure_schema(db: Database) -> list[str]:
    """Record the version in a new database or migrate an old one; returns backup paths made."""
    with db.transaction():
        version = read_version(db)
        if version is None:
            if db.table("items").all() or db.table("sources").all():
                version = 1  # written before versions were recorded
            else:
                _write_version(db)
                return []
        if version > SCHEMA_VERSION:
            raise StorageError(
                f"{db.path} has schema version {version}, newer than this govbot "
                f"({SCHEMA_VERSION}); upgrade govbot"
            )
        if version == SCHEMA_VERSION:
            return []
        backups = _backup(db, version)
        for step in range(version, SCHEMA_VERSION):
            MIGRATIONS[step](db)
        _write_version(db)
        return backups


def _write_version(db: Database) -> None:
    db.table("meta").upsert(
        {"key": "schema_version", "value": SCHEMA_VERSION}, where("key") == "schema_version"
    )
