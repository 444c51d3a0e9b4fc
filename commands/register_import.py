"""Importing an office's spreadsheet register: every row checked, then all stored or none."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from commands.districts import DEFAULT_DISTRICTS, Districts
from commands.errors import BadInput
from commands.register_columns import ColumnMap, expected_headers, find_header
from commands.register_plan import RegisterState, RowPlanner
from commands.register_rows import RowError, read_rows
from commands.updates import record_batch
from storage.models import HistoryEntry, Item, Source
from storage.store import Store

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MAX_ERRORS_SHOWN = 5


@dataclass(frozen=True)
class RegisterPlan:
    """What an import would do: sources to create, items to store, and what to tell the admin."""

    sheet: str
    columns: ColumnMap
    new_sources: tuple[Source, ...]
    updates: tuple[tuple[Item, tuple[HistoryEntry, ...]], ...]
    created: int
    updated: int
    unchanged: int
    notes: tuple[str, ...] = field(default_factory=tuple)

    def summary(self) -> str:
        return f"{self.created} new, {self.updated} updated, {self.unchanged} unchanged"


def plan_register(
    sheets: Sequence[tuple[str, Sequence[Sequence[object]]]],
    state: RegisterState,
    *,
    name: str,
    now: datetime,
    today: date,
    grace_days: int = 0,
    districts: Districts = DEFAULT_DISTRICTS,
) -> RegisterPlan:
    """Map the sheet's columns, read every row, and work out each item; BadInput if any row is bad."""
    found = next(((title, rows, c) for title, rows in sheets if (c := find_header(rows))), None)
    if found is None:
        raise BadInput(
            f"{name}: no header row names the recommendation text ({expected_headers()})"
        )
    title, rows, columns = found
    read, problems = read_rows(rows, columns, districts)
    planner = RowPlanner(state, name, now, today, grace_days)
    for row in read:
        try:
            planner.take(row)
        except RowError as problem:
            problems.append(problem)
    if problems:
        problems.sort(key=lambda p: p.line)
        shown_lines = "; ".join(str(p) for p in problems[:MAX_ERRORS_SHOWN])
        more = len(problems) - MAX_ERRORS_SHOWN
        tail = f" (and {more} more bad rows)" if more > 0 else ""
        raise BadInput(f"{name}: {shown_lines}{tail}. Nothing was imported.")
    notes = [f"unknown column “{h}” not imported" for h in columns.unknown]
    notes += [f"column “{h}” repeats a column already read; not imported" for h in columns.repeated]
    return RegisterPlan(
        sheet=title,
        columns=columns,
        new_sources=tuple(planner.new_sources.values()),
        updates=tuple(planner.updates),
        created=planner.created,
        updated=planner.updated,
        unchanged=planner.unchanged,
        notes=tuple(notes + planner.notes),
    )


def register_state(store: Store) -> RegisterState:
    """The register as the planner needs it (call inside a transaction)."""
    items = {i.id: i for i in store.items.all()}
    # One pass over the history, not one search per item: a due date moved from none keeps
    # no original, so the history is what tells.
    moved = {e.item_id for e in store.history.since(_EPOCH, change="due")}
    moved |= {i for i, item in items.items() if item.original_due is not None}
    return RegisterState({s.id: s for s in store.sources.all()}, items, frozenset(moved))


def import_register(
    store: Store,
    sheets: Sequence[tuple[str, Sequence[Sequence[object]]]],
    *,
    name: str,
    now: datetime,
    today: date,
    grace_days: int = 0,
    dry_run: bool = False,
    districts: Districts = DEFAULT_DISTRICTS,
) -> RegisterPlan:
    """Plan the import and, unless a dry run, store it all in one transaction."""
    with store.transaction():
        plan = plan_register(
            sheets,
            register_state(store),
            name=name,
            now=now,
            today=today,
            grace_days=grace_days,
            districts=districts,
        )
        if not dry_run:
            for source in plan.new_sources:
                store.sources.save(source)
            record_batch(store, [(item, list(entries)) for item, entries in plan.updates])
    return plan
