"""Bringing reports and figure tables into the register: parse, check, then store all at once."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path

from commands.deadlines import due_from_timescale
from commands.districts import DEFAULT_DISTRICTS, Districts
from commands.errors import BadInput
from commands.importing.figures_parser import FiguresParseError, check_totals, parse_figures
from commands.importing.figures_wide import TableSummary
from commands.importing.report_items import Candidate, Passed
from commands.importing.report_parser import extract_items
from commands.updates import due_was_moved
from storage.models import Figure, HistoryEntry, Item, Source
from storage.store import Store


@dataclass(frozen=True)
class ReportImport:
    source: Source
    items: tuple[Item, ...]
    created: int
    updated: int
    unchanged: int
    dry_run: bool
    found: tuple[Candidate, ...] = ()  # what the report gives, parallel to items
    passed: tuple[Passed, ...] = ()  # what looked like a recommendation but was not taken
    file_name: str = ""

    def counts_by_timescale(self) -> dict[str, int]:
        return dict(Counter(i.timescale or "no timescale" for i in self.items))


@dataclass(frozen=True)
class FiguresImport:
    source: str
    figures: tuple[Figure, ...]
    replaced: int
    mismatches: tuple[str, ...]
    dry_run: bool
    file_name: str = ""
    tables: tuple[TableSummary, ...] = ()  # wide tables read, for the preview
    skipped: tuple[str, ...] = ()  # sheets or blocks that held no table


def districts_named(text: str, districts: Districts = DEFAULT_DISTRICTS) -> tuple[str, ...]:
    """The districts a recommendation applies to; none means force-wide (Districts.applies_to)."""
    return districts.applies_to(text)


def import_report(
    store: Store,
    text: str,
    *,
    file_name: str,
    source_id: str,
    title: str,
    published: date,
    now: datetime,
    publisher: str = "HMIC",
    kind: str = "inspection",
    grace_days: int = 0,
    dry_run: bool = False,
    districts: Districts = DEFAULT_DISTRICTS,
) -> ReportImport:
    """Extract every item from a report's text and store it with its source (idempotently).

    A report with no items still records its source, so the PCC's response clock starts.
    """
    source_id = source_id.strip().upper()
    if not source_id.isalnum():
        raise BadInput(f"--source {source_id!r}: use letters and digits only, e.g. CSE13")
    extraction = extract_items(text)
    source = Source(id=source_id, title=title, published=published, publisher=publisher, kind=kind)
    fresh = [
        Item(
            id=f"{source_id}-{c.number:02d}",
            source=source_id,
            number=c.number,
            kind=c.kind,
            area=c.area,
            text=c.text,
            timescale=c.timescale,
            due=c.deadline or due_from_timescale(published, c.timescale, grace_days),
            districts=districts_named(c.text, districts),
            addressee=c.addressee,
            force_delivers=c.force_delivers,
        )
        for c in extraction.items
    ]
    with store.transaction():
        existing = {i.id: i for i in store.items.by_source(source_id)}
        moved = {i.id for i in existing.values() if due_was_moved(store, i)}
        merged, created, updated = _merge(fresh, existing, moved)
        if not dry_run:
            old_source = store.sources.get(source_id)
            if old_source is not None:
                source = replace(source, response_published=old_source.response_published)
            store.sources.save(source)
            changed = [m for m in merged if existing.get(m.id) != m]
            for item in changed:
                if item.id not in existing:
                    store.history.append(
                        HistoryEntry(
                            item.id,
                            now,
                            "import",
                            "import",
                            new=item.status,
                            note=f"imported from {file_name}",
                        )
                    )
            store.items.save_many(changed)
    unchanged = len(merged) - created - updated
    return ReportImport(
        source,
        tuple(merged),
        created,
        updated,
        unchanged,
        dry_run,
        found=extraction.items,
        passed=extraction.passed,
        file_name=file_name,
    )


def _merge(
    fresh: list[Item], existing: dict[str, Item], moved: set[str]
) -> tuple[list[Item], int, int]:
    """Report fields from the new parse; status, leads, history and moved due dates kept."""
    merged, created, updated = [], 0, 0
    for item in fresh:
        old = existing.get(item.id)
        if old is None:
            merged.append(item)
            created += 1
            continue
        due = old.due if item.id in moved else item.due
        original = item.due if item.id in moved else None
        new = replace(
            old,
            kind=item.kind,
            addressee=item.addressee,
            force_delivers=item.force_delivers,
            area=item.area,
            text=item.text,
            timescale=item.timescale,
            due=due,
            original_due=original,
            number=item.number,
            districts=item.districts,
        )
        updated += new != old
        merged.append(new)
    return merged, created, updated


def import_figures(
    store: Store,
    text: str,
    *,
    file_name: str,
    source_id: str = "",
    dry_run: bool = False,
    districts: Districts = DEFAULT_DISTRICTS,
) -> FiguresImport:
    """District figures from the text of a long-form CSV/TSV or of a report's tables replace the
    source's figures; messages name the file as `file_name` does (the path it was read from)."""
    source = (source_id or Path(file_name).stem).strip()
    try:
        parse = parse_figures(text, districts)
    except FiguresParseError as err:
        raise BadInput(f"{file_name}: line {err.line}: {err.message}") from None
    figures = tuple(
        Figure(district=f.district, metric=f.metric, period=f.period, value=f.value, source=source)
        for f in parse.figures
    )
    mismatches = tuple(f"{file_name}: {m.describe()}" for m in check_totals(parse))
    replaced = store_figures(store, source, figures, dry_run=dry_run)
    name = Path(file_name).name
    return FiguresImport(source, figures, replaced, mismatches, dry_run, file_name=name)


def store_figures(store: Store, source: str, figures: tuple[Figure, ...], *, dry_run: bool) -> int:
    """Replace every figure of `source` (unless a dry run); how many were there before."""
    with store.transaction():
        replaced = sum(1 for f in store.figures.all() if f.source == source)
        if not dry_run:
            store.figures.replace_source(source, list(figures))
    return replaced
