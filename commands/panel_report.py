"""/recs report SOURCE: the progress report the Police and Crime Panel reads, as plain data."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType

from commands.context import Context
from commands.deadlines import rag, response_due
from commands.errors import UnknownItem
from commands.permissions import check_admin
from commands.updates import SYSTEM_AUTHORS
from storage.models import STATUSES, HistoryEntry, Item, Source
from storage.store import Store

_PEOPLE_CHANGES = frozenset({"status", "note", "evidence"})
_URL = re.compile(r"https?://[^\s<>\"]+")


@dataclass(frozen=True)
class ReportRow:
    """One item as the Panel sees it."""

    item: Item
    rag: str
    latest_update: HistoryEntry | None  # the last progress a person reported
    evidence: tuple[str, ...]  # links or descriptions, oldest first


@dataclass(frozen=True)
class PanelReport:
    """A source's items with their progress, and totals by status, as of a day."""

    source: Source
    response_due: date | None
    rows: tuple[ReportRow, ...]
    as_of: date
    # Slack user id → "Name, role"; filled in by whoever can ask Slack (ids are shown otherwise)
    people: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def totals(self) -> dict[str, int]:
        """Items by status, in the register's status order, only the statuses present."""
        counts = Counter(row.item.status for row in self.rows)
        return {status: counts[status] for status in STATUSES if counts[status]}

    @property
    def lead_ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(lead for row in self.rows for lead in row.item.leads))

    def leads_of(self, item: Item) -> str:
        """The item's leads by name and role, or “Awaiting allocation”."""
        names = [self.people.get(lead, lead) for lead in item.leads]
        return "; ".join(names) or "Awaiting allocation"

    @property
    def filename_stem(self) -> str:
        return f"{self.source.id}-progress-report"


@dataclass(frozen=True)
class ReportDocuments:
    """Send the report as DOCX, HTML and Markdown to the person who asked."""

    report: PanelReport


def panel_report(store: Store, source_id: str, today: date) -> PanelReport:
    """The report for `source_id` as the register stands on `today`."""
    with store.transaction():
        source = store.sources.get(source_id.upper())
        if source is None:
            names = ", ".join(s.id for s in store.sources.all()) or "none yet"
            raise UnknownItem(f"No source “{source_id}”. Sources: {names}.")
        rows = tuple(
            _row(item, store.history.for_item(item.id), today)
            for item in store.items.by_source(source.id)
        )
    return PanelReport(source, response_due(source), rows, today)


def run_report(ctx: Context, source_id: str) -> ReportDocuments:
    """`/recs report SOURCE` (admins)."""
    check_admin(ctx.user, ctx.settings.admins, "produce the Panel progress report")
    return ReportDocuments(panel_report(ctx.store, source_id, ctx.today))


def _row(item: Item, history: list[HistoryEntry], today: date) -> ReportRow:
    by_people = [e for e in history if e.by not in SYSTEM_AUTHORS and e.change in _PEOPLE_CHANGES]
    evidence: list[str] = []
    for entry in history:
        found = _URL.findall(entry.evidence) or ([entry.evidence.strip()] if entry.evidence else [])
        evidence += [e for e in found if e not in evidence]
    return ReportRow(item, rag(item, today), by_people[-1] if by_people else None, tuple(evidence))
