"""`govbot migrate --to URL` copies the register to another database; `govbot verify --against`
compares."""

from __future__ import annotations

import argparse

from bot.services import Services
from storage.copying import copy_store, differences
from storage.errors import StorageError
from storage.store import Store, open_store


def add_parsers(sub: argparse._SubParsersAction) -> None:
    migrate = sub.add_parser(
        "migrate", help="copy the register (GOVBOT_DB) into an empty database, then verify it"
    )
    migrate.add_argument("--to", required=True, help="postgresql://user@host:port/dbname")


def cmd_migrate(services: Services, args: argparse.Namespace) -> int:
    source = services.store
    target = open_store(args.to)
    try:
        if target.describe() == source.describe():
            raise StorageError("--to names GOVBOT_DB itself: give another database")
        copied = copy_store(source, target)
        print(f"Copied {source.describe()} to {target.describe()}:")
        for name, count in copied.items():
            print(f"  {name}: {count}")
        return _report(differences(source, target))
    finally:
        target.close()


def compare_with(store: Store, location: str) -> int:
    """Print how the register at `location` differs from `store`; 1 if it does, else 0."""
    other = open_store(location)
    try:
        return _report(differences(store, other))
    finally:
        other.close()


def _report(found: list[str]) -> int:
    if found:
        print("DIFFERENT:")
        for line in found:
            print(f"  {line}")
        return 1
    print("Verified: every repository holds the same records.")
    return 0
