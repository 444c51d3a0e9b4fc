"""Schema version: recorded in every database, old ones migrated after a backup."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from datetime import UTC, datetime

from tinydb import where

from storage.database import Database
from storage.errors import StorageError

SCHEMA_VERSION = 3


def _v1_to_v2(db: Database) -> None:
    """v1 kept a single `lead` string per item; v2 keeps a list of `leads`."""

    def add_leads(doc: dict) -> None:
        lead = doc.get("lead") or ""
        doc["leads"] = [lead] if lead else []

    for table in db.shards("items"):  # one write per shard, not one per item
        table.update(add_leads, ~where("leads").exists())


# v2 → v3 changed only where tables live (shards and month logs): `_move_to_own_files`.
MIGRATIONS: dict[int, Callable[[Database], None]] = {1: _v1_to_v2}


def _misplaced_tables(db: Database) -> list[tuple[str, str]]:
    """(table, file) pairs of tables kept in a file that is no longer their home: everything
    in GOVBOT_DB from before the first split, the event ledger from beside the sent-ledger,
    and the whole v2 layout (one items file, 16 history shards, no month logs)."""
    # Shards hold only their own table: the files to look in are these.
    keys = ["main", *db.own_file_keys(), *db.legacy_file_keys()]
    return sorted(
        (name, key) for key in keys for name in db.table_names(key) if not db.belongs_in(name, key)
    )


def _move_to_own_files(db: Database, misplaced: list[tuple[str, str]]) -> None:
    """Copy each misplaced table's documents to their homes, then drop it from where it was.

    Documents already in a home are skipped, so a move that did not finish can be run again.
    """
    by_home: dict[tuple[str, str], list[dict]] = {}
    for name, source in misplaced:
        for doc in db.table(name, source).all():
            for key in db.homes_of(name, dict(doc)):
                by_home.setdefault((name, key), []).append(dict(doc))
    for (name, key), docs in sorted(by_home.items()):
        target = db.table(name, key)
        present = {_fingerprint(d) for d in target.all()}
        target.insert_multiple(d for d in docs if not present or _fingerprint(d) not in present)
    for name, source in misplaced:
        db.drop_table(name, source)


def _remove_emptied_legacy_files(db: Database) -> None:
    """Delete files of the v2 layout whose tables have all moved (after the move committed)."""
    with db.transaction():
        for key in db.legacy_file_keys():
            if not db.table_names(key):
                db.remove_file(key)


def _fingerprint(doc: dict) -> str:
    return json.dumps(doc, sort_keys=True)


def read_version(db: Database) -> int | None:
    doc = db.table("meta").get(where("key") == "schema_version")
    return int(doc["value"]) if doc else None


def _backup(db: Database, version: int) -> list[str]:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    copies = []
    for key in [*db.all_file_keys(), *db.legacy_file_keys()]:
        path = db.file_for(key)
        if path.exists():
            target = path.with_name(f"{path.name}.v{version}-{stamp}.bak")
            shutil.copy2(path, target)
            copies.append(str(target))
    return copies


def ensure_schema(db: Database) -> list[str]:
    """Record the version in a new database or migrate an old one; returns backup paths made."""
    backups = _migrate(db)
    _remove_emptied_legacy_files(db)
    return backups


def _migrate(db: Database) -> list[str]:
    """All in one transaction: a crash part-way leaves the old database as it was."""
    with db.transaction():
        version = read_version(db)
        misplaced = _misplaced_tables(db)
        if version is None:
            if misplaced or any(t.all() for t in db.shards("items")) or db.table("sources").all():
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
            if step in MIGRATIONS:
                MIGRATIONS[step](db)
        _write_version(db)
        return backups


def _write_version(db: Database) -> None:
    db.table("meta").upsert(
        {"key": "schema_version", "value": SCHEMA_VERSION}, where("key") == "schema_version"
    )
