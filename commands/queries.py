"""Which items a /recs filter selects, in the order the filter implies."""

from __future__ import annotations

from datetime import date

from commands.context import Context
from commands.deadlines import days_overdue
from commands.errors import UnknownItem
from commands.recs_parse import Filters
from storage.models import Item


def matching_items(ctx: Context, filters: Filters) -> list[Item]:
    """Items that pass every filter, in the order the filters imply."""
    with ctx.store.transaction() as store:
        items = store.items.all()
        known_sources = {i.source for i in items}
    for source in filters.sources:
        if source not in known_sources:
            raise UnknownItem(
                f"No source “{source}”. Sources: {', '.join(sorted(known_sources)) or 'none yet'}."
            )
    today = ctx.today
    leads = set(filters.leads) | ({ctx.user} if filters.mine else set())
    words = filters.words
    selected = []
    for item in items:
        if leads and not leads & set(item.leads):
            continue
        if filters.statuses and item.status not in filters.statuses:
            continue
        # only items that name the district: force-wide ones would drown them
        if filters.districts and not set(filters.districts) & set(item.districts):
            continue
        if filters.sources and item.source not in filters.sources:
            continue
        if words and not _matches_words(item, words):
            continue
        if (filters.overdue or filters.due_within is not None) and not item.is_open:
            continue
        if filters.overdue and days_overdue(item, today) <= 0:
            continue
        if filters.due_within is not None and not _due_within(item, today, filters.due_within):
            continue
        selected.append(item)
    if filters.overdue or filters.due_within is not None:
        selected.sort(key=lambda i: (i.due, i.id))
    return selected


def _due_within(item: Item, today: date, days: int) -> bool:
    return item.due is not None and 0 <= (item.due - today).days <= days


def _matches_words(item: Item, words: tuple[str, ...]) -> bool:
    haystack = f"{item.id} {item.area} {item.text}".lower()
    return all(w in haystack for w in words)
