"""Views of the register that many answers share, built once per change of the items.

At 10,000 items, sorting by due date, grouping by source and counting statuses on every request
cost more than the rest of the answer. Items are immutable and a store hands back the same
decoded objects until one changes, so an index is reused while a fresh `items.all()` holds the
very objects it was built from (checked one by one, by identity: exact, and cheap). When a few
items changed in place (an update: same id, same source, same position), the new index is the
old one patched; otherwise it is built again. Each replica of a shared deployment sees every
other replica's updates, so rebuilding 10,000 items per update elsewhere is what it would pay.
"""

from __future__ import annotations

import threading
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from operator import is_
from typing import Any

from commands.deadlines import rag
from storage.models import STATUSES, Item

# Beyond this many changed items a fresh build costs about as much as patching.
_PATCH_LIMIT = 64


class RegisterIndex:
    """One register's items, sorted and grouped the ways the answers read them."""

    def __init__(self, items: list[Item]) -> None:
        self.items: tuple[Item, ...] = tuple(items)  # in the store's order: source, number
        self.source_ids = frozenset(i.source for i in items)
        by_source: dict[str, list[Item]] = {}
        for item in items:
            by_source.setdefault(item.source, []).append(item)
        self.by_source = {s: tuple(group) for s, group in by_source.items()}
        self.status_counts = ordered_counts(Counter(i.status for i in items))
        self.source_status_counts = {
            s: ordered_counts(Counter(i.status for i in group))
            for s, group in self.by_source.items()
        }
        # Open items with a due date, by (due, id): what /recs overdue and due list, in order.
        self.open_by_due = tuple(
            sorted((i for i in items if i.is_open and i.due), key=lambda i: (i.due, i.id))
        )
        self._dues = [i.due for i in self.open_by_due]
        self.awaiting_allocation = Counter(i.source for i in items if i.is_open and not i.leads)
        self._rag_counts: dict[date, RagCounts] = {}
        self._search_texts: dict[str, str] | None = None
        self._lock = threading.Lock()

    def patched(self, items: list[Item]) -> RegisterIndex | None:
        """The index of `items` made from this one, when they are these items with a few changed
        in place; None when a fresh build is needed."""
        if len(items) != len(self.items):
            return None
        changed = [(old, new) for old, new in zip(self.items, items, strict=True) if old is not new]
        if len(changed) > _PATCH_LIMIT or any(
            (old.id, old.source) != (new.id, new.source) for old, new in changed
        ):
            return None
        index = object.__new__(RegisterIndex)
        index.items = tuple(items)
        index.source_ids = self.source_ids
        swapped = {id(old): new for old, new in changed}
        sources = {new.source for _, new in changed}
        index.by_source = dict(self.by_source)
        for source in sources:
            index.by_source[source] = tuple(swapped.get(id(i), i) for i in self.by_source[source])
        index.status_counts = _recounted(
            self.status_counts, [o.status for o, _ in changed], [n.status for _, n in changed]
        )
        index.source_status_counts = dict(self.source_status_counts)
        for source in sources:
            group = index.by_source[source]
            index.source_status_counts[source] = ordered_counts(Counter(i.status for i in group))
        index.open_by_due = _reordered(self.open_by_due, changed)
        index._dues = [i.due for i in index.open_by_due]
        index.awaiting_allocation = self.awaiting_allocation.copy()
        for old, new in changed:
            index.awaiting_allocation[old.source] -= _awaiting(old)
            index.awaiting_allocation[new.source] += _awaiting(new)
        index.awaiting_allocation = +index.awaiting_allocation  # no zero counts
        with self._lock:
            days = dict(self._rag_counts)
        index._rag_counts = {
            day: _rag_recounted(counts, index.by_source, sources, day)
            for day, counts in days.items()
        }
        index._search_texts = None
        if self._search_texts is not None:
            texts = dict(self._search_texts)
            texts.update({n.id: f"{n.id} {n.area} {n.text}".lower() for _, n in changed})
            index._search_texts = texts
        index._lock = threading.Lock()
        return index

    def is_of(self, items: list[Item]) -> bool:
        """Whether this index was built from these very item objects, in this order."""
        return len(items) == len(self.items) and all(map(is_, items, self.items))

    def open_due_between(self, first: date | None, last: date | None) -> tuple[Item, ...]:
        """Open items due from `first` to `last` inclusive (None: unbounded), by due date and id."""
        start = 0 if first is None else bisect_left(self._dues, first)
        end = len(self._dues) if last is None else bisect_right(self._dues, last)
        return self.open_by_due[start:end]

    def search_text(self, item: Item) -> str:
        """What `/recs search` looks in: the item's id, area and text, in lower case."""
        texts = self._search_texts
        if texts is None:  # lowered once per register, not once per item per search
            texts = {i.id: f"{i.id} {i.area} {i.text}".lower() for i in self.items}
            self._search_texts = texts
        return texts[item.id]

    def rag_counts(self, today: date) -> RagCounts:
        """How many open items are red, amber and green on `today`, per source and in all.

        Worked out once per day and register: a summary asked again costs nothing.
        """
        found = self._rag_counts.get(today)
        if found is None:
            per_source = {
                s: Counter(rag(i, today) for i in group if i.is_open)
                for s, group in self.by_source.items()
            }
            found = RagCounts(
                {s: ordered_counts(c) for s, c in per_source.items()},
                ordered_counts(sum(per_source.values(), Counter())),
            )
            with self._lock:
                if len(self._rag_counts) > 2:  # today, and yesterday around midnight
                    self._rag_counts.clear()
                self._rag_counts[today] = found
        return found


@dataclass(frozen=True)
class RagCounts:
    """Open items by RAG on one day: per source id, and over the whole register."""

    by_source: Mapping[str, Mapping[str, int]]
    total: Mapping[str, int]


_COUNT_ORDER = (*STATUSES, "red", "amber", "green")


def ordered_counts(counts: Counter[str]) -> dict[str, int]:
    """How often each status or RAG occurs, in status order then red, amber, green."""
    return {k: counts[k] for k in _COUNT_ORDER if k in counts}


def _recounted(counts: Mapping[str, int], gone: list[str], added: list[str]) -> dict[str, int]:
    tally = Counter(counts)
    tally.subtract(gone)
    tally.update(added)
    return ordered_counts(+tally)


def _rag_recounted(
    counts: RagCounts, by_source: Mapping[str, tuple[Item, ...]], sources: set[str], day: date
) -> RagCounts:
    """`counts` with the changed sources' open items counted again."""
    per_source = dict(counts.by_source)
    total = Counter(counts.total)
    for source in sources:
        total.subtract(per_source.get(source, {}))
        fresh = ordered_counts(Counter(rag(i, day) for i in by_source[source] if i.is_open))
        per_source[source] = fresh
        total.update(fresh)
    return RagCounts(per_source, ordered_counts(+total))


def _awaiting(item: Item) -> int:
    return int(item.is_open and not item.leads)


def _due_key(item: Item) -> tuple[Any, str]:
    return (item.due, item.id)


def _reordered(by_due: tuple[Item, ...], changed: list[tuple[Item, Item]]) -> tuple[Item, ...]:
    """`by_due` with each changed item's old version taken out and its new one put in place."""
    listed = list(by_due)
    keys = [_due_key(i) for i in listed]
    for old, new in changed:
        if old.is_open and old.due:
            at = bisect_left(keys, _due_key(old))
            del listed[at], keys[at]
        if new.is_open and new.due:
            at = bisect_left(keys, _due_key(new))
            listed.insert(at, new)
            keys.insert(at, _due_key(new))
    return tuple(listed)


_latest: RegisterIndex | None = None


def register_index(items: list[Item]) -> RegisterIndex:
    """The index of `items`: the last one built when the register has not changed since."""
    global _latest
    index = _latest
    if index is None or not index.is_of(items):
        index = (index and index.patched(items)) or RegisterIndex(items)
        _latest = index
    return index
