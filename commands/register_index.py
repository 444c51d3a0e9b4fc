"""Views of the register that many answers share, built once per change of the items.

At 10,000 items, sorting by due date, grouping by source and counting statuses on every request
cost more than the rest of the answer. Items are immutable and a store hands back the same
decoded objects until one changes, so an index is reused while a fresh `items.all()` holds the
very objects it was built from (checked one by one, by identity: exact, and cheap), and built
again otherwise.
"""

from __future__ import annotations

import threading
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from operator import is_

from commands.deadlines import rag
from storage.models import STATUSES, Item


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


_latest: RegisterIndex | None = None


def register_index(items: list[Item]) -> RegisterIndex:
    """The index of `items`: the last one built when the register has not changed since."""
    global _latest
    index = _latest
    if index is None or not index.is_of(items):
        index = RegisterIndex(items)
        _latest = index
    return index
