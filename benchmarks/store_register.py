"""The benchmark's register written into any store through the storage interface (no TinyDB
internals), so a PostgreSQL database can be filled without a TinyDB copy first."""

from __future__ import annotations

import random

from benchmarks.workload import (
    CHANNEL,
    ITEMS_PER_SOURCE,
    _figures,
    _history,
    _items,
    _sources,
    anchor_ts,
)
from storage.interface import Store
from tests.harness import Clock

BATCH = 500  # items whose history goes in one transaction


def fill_store(store: Store, items: int, history_per_item: int, seed: int = 6) -> list[tuple]:
    """Write the register; returns (item id, lead, anchor ts) of the open items a lead may update."""
    rng = random.Random(seed)
    now = Clock().now
    sources = _sources(-(-items // ITEMS_PER_SOURCE), now)
    register = _items(rng, sources, items, now)
    with store.transaction() as tx:
        tx.sources.load([s.to_doc() for s in sources])
        tx.items.save_many(register)
        tx.threads.load(
            [
                {"channel": CHANNEL, "ts": anchor_ts(n), "item_id": item.id, "kind": "item"}
                for n, item in enumerate(register)
            ]
        )
        tx.figures.replace_source("BENCH", _figures(rng))
    for start in range(0, len(register), BATCH):
        docs = [
            entry.to_doc()
            for item in register[start : start + BATCH]
            for entry in _history(rng, item, history_per_item, now)
        ]
        with store.transaction() as tx:
            tx.history.load(docs)
    return [
        (item.id, item.leads[0], anchor_ts(n))
        for n, item in enumerate(register)
        if item.leads and item.is_open
    ]
