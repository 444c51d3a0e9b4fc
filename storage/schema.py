"""Schema version: recorded in every database, old ones migrated after a backup."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from datetime import UTC, datetime

from tinydb import where

from storage.database import Database, history_file_key
from storage.errors import StorageError

SCHEMA_VERSION = 2


def _v1_to_v2(db: Database) -> None:
    """v1 kept a single `lead` string per item; v2 keeps a list of `leads`."""

    def add_leads(doc: dict) -> None:
        lead = doc.get("lead") or ""
        doc["leads"] = [lead] if lead else []

    db.table("items").update(add_leads, ~where("leads").exists())  # one write, not one per item


MIGRATIONS: dict[int, Callable[[Database], None]] = {1: _v1_to_v2}


def _misplaced_tables(db: Database) -> list[tuple[str, str]]:
    """(table, file) pairs of tables kept in a file that is no longer their home: everything
    in GOVBOT_DB from before the split, and the event ledger from beside the sent-ledger."""
    files = [key for key in db.all_file_keys() if not key.startswith("history-")]
    return sorted(
        (name, key)
        for key in files
        for name in db.table_names(key)
        if name == "history" or db.home_of(name) != key
    )


def _move_to_own_files(db: Database, misplaced: list[tuple[str, str]]) -> None:
    """Copy each misplaced table to its file(s), then drop it from where it was.

    Documents already copied are skipped, so a move interrupted half-way can be run again.
    """
    for name, source in misplaced:
        by_file: dict[str | None, list[dict]] = {}
        for doc in db.table(name, source).all():
            key = history_file_key(doc.get("item_id", "")) if name == "history" else None
            by_file.setdefault(key, []).append(dict(doc))
        for key, docs in by_file.items():
            target = db.table(name, key)
            present = {_fingerprint(d) for d in target.all()}
            target.insert_multiple(d for d in docs if _fingerprint(d) not in present)
        db.drop_table(name, source)


def _fingerprint(doc: dict) -> str:
    return json.dumps(doc, sort_keys=True)


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
        misplaced = _misplaced_tables(db)
        if version is None:
            if misplaced or db.table("items").all() or db.table("sources").all():
                version = 1  # written before versions were recorded
            else:
                _write_version(db)
                return []
        if version > SCHEMA_VERSION:
            raise StorageError(
                f"{db.path} has schema version {version}, newer than this govbot "
                f"({SCHEMA_VERSION}); upgrade govbot"
            )
        if version == SCHEMA_VERSION and not misplaced:
            return []
        backups = _backup(db, version)
        _move_to_own_files(db, misplaced)
        for step in range(version, SCHEMA_VERSION):
            MIGRATIONS[step](db)
        _write_version(db)
        return backups


def _write_version(db: Database) -> None:
    db.table("meta").upsert(
        {"key": "schema_version", "value": SCHEMA_VERSION}, where("key") == "schema_version"
    )
