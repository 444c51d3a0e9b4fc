"""Which items a /recs filter selects, in the order the filter implies."""

from __future__ import annotations

from datetime import date, timedelta

from commands.context import Context
from commands.errors import UnknownItem
from commands.recs_parse import Filters
from commands.register_index import RegisterIndex, register_index
from storage.models import Item


def matching_items(ctx: Context, filters: Filters) -> list[Item]:
    """Items that pass every filter, in the order the filters imply."""
    return selected_items(current_index(ctx), filters, ctx)


def current_index(ctx: Context) -> RegisterIndex:
    """The index of the register as it stands."""
    return register_index(all_items(ctx))


def all_items(ctx: Context) -> list[Item]:
    """Every item in the register."""
    with ctx.store.transaction() as store:
        return store.items.all()


def selected_items(index: RegisterIndex, filters: Filters, ctx: Context) -> list[Item]:
    """The items of `index` that pass every filter, in the order the filters imply."""
    known_sources = index.source_ids
    for source in filters.sources:
        if source not in known_sources:
            raise UnknownItem(
                f"No source “{source}”. Sources: {', '.join(sorted(known_sources)) or 'none yet'}."
            )
    today = ctx.today
    if filters.overdue or filters.due_within is not None:
        # open and dated, already by (due, id): only the dates the filters allow are looked at
        first, last = None, None
        if filters.overdue:
            last = today - timedelta(days=1)
        if filters.due_within is not None:
            first, end = today, _days_after(today, filters.due_within)
            last = end if last is None else min(last, end)
        candidates = index.open_due_between(first, last)
    else:
        candidates = index.items
    leads = set(filters.leads) | ({ctx.user} if filters.mine else set())
    statuses = filters.statuses
    districts = set(filters.districts)
    sources = filters.sources
    words = filters.words
    if not (leads or statuses or districts or sources or words):
        return list(candidates)
    selected = []
    for item in candidates:
        if leads and leads.isdisjoint(item.leads):
            continue
        if statuses and item.status not in statuses:
            continue
        # only items that name the district: force-wide ones would drown them
        if districts and districts.isdisjoint(item.districts):
            continue
        if sources and item.source not in sources:
            continue
        if words and not all(w in index.search_text(item) for w in words):
            continue
        selected.append(item)
    return selected


def _days_after(today: date, days: int) -> date:
    try:
        return today + timedelta(days=days)
    except OverflowError:  # `due 999999 years`: every later date
        return date.max
