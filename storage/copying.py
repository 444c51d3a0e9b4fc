"""Copy a whole register from one store to another, and check that two stores hold the same."""

from __future__ import annotations

import json
from typing import Any

from storage.errors import StorageError
from storage.interface import REPOSITORIES, Portable, Store


def _repository(store: Store, name: str) -> Portable:
    return getattr(store, name)


def counts(store: Store) -> dict[str, int]:
    """How many records each repository holds."""
    with store.transaction():
        return {name: len(_repository(store, name).dump()) for name in REPOSITORIES}


def copy_store(source: Store, target: Store) -> dict[str, int]:
    """Copy every record of `source` into the empty `target`, in one target transaction."""
    with source.transaction():
        dumps = {name: _repository(source, name).dump() for name in REPOSITORIES}
    with target.transaction():
        filled = [name for name in REPOSITORIES if _repository(target, name).dump()]
        if filled:
            raise StorageError(
                f"{target.describe()} already holds {', '.join(filled)}: copy only into an empty one"
            )
        for name, docs in dumps.items():
            _repository(target, name).load(docs)
    return {name: len(docs) for name, docs in dumps.items()}


def _canonical(docs: list[dict[str, Any]]) -> list[str]:
    return sorted(json.dumps(d, sort_keys=True) for d in docs)


def differences(first: Store, second: Store) -> list[str]:
    """One line per repository whose records differ between the two stores (none: the same)."""
    with first.transaction():
        left = {name: _canonical(_repository(first, name).dump()) for name in REPOSITORIES}
    with second.transaction():
        right = {name: _canonical(_repository(second, name).dump()) for name in REPOSITORIES}
    found = []
    for name in REPOSITORIES:
        if left[name] != right[name]:
            missing = len(set(left[name]) - set(right[name]))
            extra = len(set(right[name]) - set(left[name]))
            found.append(
                f"{name}: {len(left[name])} vs {len(right[name])} records "
                f"({missing} only in the first, {extra} only in the second)"
            )
    return found
