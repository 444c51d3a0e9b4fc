"""Which source and item each register row is, and what it changes: the planner of an import."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, time

from commands.deadlines import due_from_timescale, rag
from commands.item_edits import change_entries, shown
from commands.register_cells import RAG_WORDS, words
from commands.register_rows import RegisterRow, RowError
from storage.models import HistoryEntry, Item, Source

BY = "import"
_ITEM_ID = re.compile(r"^([A-Za-z0-9]+)-0*(\d{1,4})$")
_PLAIN_NUMBER = re.compile(r"^[A-Za-z#.\s]*?0*(\d{1,4})$")
# Fields a row may change on an item already in the register (original_due is govbot's own).
_CHANGEABLE = (
    "kind",
    "area",
    "text",
    "timescale",
    "due",
    "leads",
    "lead_role",
    "districts",
    "addressee",
    "force_delivers",
    "status",
)


@dataclass(frozen=True)
class RegisterState:
    """What the register holds already, as plain data for the planner."""

    sources: Mapping[str, Source]
    items: Mapping[str, Item]
    moved: frozenset[str]  # items whose due date an admin moved


class RowPlanner:
    """Row by row: find or create the source and the item, and what changes."""

    def __init__(
        self, state: RegisterState, name: str, now: datetime, today: date, grace: int
    ) -> None:
        self.state = state
        self.name = name
        self.now = now
        self.today = today
        self.grace = grace
        self.new_sources: dict[str, Source] = {}
        self.updates: list[tuple[Item, tuple[HistoryEntry, ...]]] = []
        self.seen: dict[str, int] = {}  # item id → the row that gave it
        self.numbers: dict[str, int] = {}  # source id → highest number so far
        self.notes: list[str] = []
        self._text_index: dict[tuple[str, str], str] | None = None
        self.created = self.updated = self.unchanged = 0

    def take(self, row: RegisterRow) -> None:
        source = self._source(row)
        item_id = self._item_id(row, source.id)
        if item_id in self.seen:
            raise RowError(row.line, f"{item_id} was already given on row {self.seen[item_id]}")
        self.seen[item_id] = row.line
        old = self.state.items.get(item_id)
        if old is None:
            item, entries = self._new_item(row, source, item_id)
            self.created += 1
        else:
            item, entries = self._changed_item(row, source, old)
            if not entries:
                self.unchanged += 1
            else:
                self.updated += 1
        if entries:
            self.updates.append((item, tuple(entries)))
        self._check_rag(row, item)
        if (
            item.is_open
            and not item.leads
            and "lead_role" in row.values
            and (old is None or entries)
        ):
            self.notes.append(
                f"row {row.line}: {item.id} lead “{item.lead_role}” is not a Slack user id: "
                "kept as the lead's role, awaiting allocation"
            )

    def _source(self, row: RegisterRow) -> Source:
        known = {**self.state.sources, **self.new_sources}
        by_title = {s.title.casefold(): s for s in known.values()}
        source_id = row.source_id.upper()
        if not source_id:
            report = row.report.strip()
            if report.upper() in known:
                return known[report.upper()]
            if report.casefold() in by_title:
                return by_title[report.casefold()]
            match = _ITEM_ID.match(row.ref)
            if match:
                source_id = match.group(1).upper()
            elif report:
                source_id = _unused_id(_id_from_title(report, row.published), known, row.line)
            else:
                raise RowError(
                    row.line, "which report is it from? Add a Report or Source id column"
                )
        if not source_id.isascii() or not source_id.isalnum():
            raise RowError(row.line, f"source id “{row.source_id}”: use letters and digits only")
        if source_id in known:
            return known[source_id]
        if row.published is None:
            raise RowError(
                row.line,
                f"new source {source_id} (“{row.report or source_id}”) needs its published date",
            )
        source = Source(
            id=source_id,
            title=row.report.strip() or source_id,
            published=row.published,
            publisher=row.publisher,
        )
        self.new_sources[source_id] = source
        self.notes.append(f"row {row.line}: new source {source_id} “{source.title}”")
        return source

    def _item_id(self, row: RegisterRow, source_id: str) -> str:
        match = _ITEM_ID.match(row.ref) or _PLAIN_NUMBER.match(row.ref)
        if match and (match.re is _PLAIN_NUMBER or match.group(1).upper() == source_id):
            number = int(match.groups()[-1])
        else:
            same_text = self._by_text().get((source_id, str(row.values["text"])))
            if same_text and same_text not in self.seen:
                return same_text
            number = self._highest(source_id) + 1
        if number < 1:
            raise RowError(row.line, f"ref “{row.ref}”: item numbers start at 1")
        self.numbers[source_id] = max(self._highest(source_id), number)
        return f"{source_id}-{number:02d}"

    def _by_text(self) -> dict[tuple[str, str], str]:
        """Items by source and text, made once: a register without refs is matched by text."""
        if self._text_index is None:
            self._text_index = {}
            for item in self.state.items.values():
                self._text_index.setdefault((item.source, item.text), item.id)
        return self._text_index

    def _highest(self, source_id: str) -> int:
        if source_id not in self.numbers:
            self.numbers[source_id] = max(
                (i.number for i in self.state.items.values() if i.source == source_id), default=0
            )
        return self.numbers[source_id]

    def _new_item(self, row: RegisterRow, source: Source, item_id: str) -> tuple[Item, list]:
        values = dict(row.values)
        if "due" not in values:
            values["due"] = due_from_timescale(
                source.published, str(values.get("timescale", "")), self.grace
            )
        number = int(item_id.rsplit("-", 1)[1])
        # The register's own "last changed" carries over, so an export imports back unchanged.
        changed_on = values.pop("last_changed", None)
        updated_at = changed_on and datetime.combine(changed_on, time(), self.now.tzinfo)
        item = Item(id=item_id, source=source.id, number=number, updated_at=updated_at, **values)
        note = f"imported from {self.name} row {row.line}" + (
            f": {row.update}" if row.update else ""
        )
        entries = [HistoryEntry(item_id, self.now, BY, "import", new=item.status, note=note)]
        if item.original_due and item.original_due != item.due:
            moved = f"moved from {item.original_due.isoformat()} before {self.name} was imported"
            entries.append(
                HistoryEntry(
                    item_id, self.now, BY, "due", shown(item.original_due), shown(item.due), moved
                )
            )
        return item, entries

    def _changed_item(self, row: RegisterRow, source: Source, old: Item) -> tuple[Item, list]:
        given = {k: v for k, v in row.values.items() if k in _CHANGEABLE}
        if "due" not in given and given.get("timescale", old.timescale) != old.timescale:
            given["due"] = due_from_timescale(source.published, str(given["timescale"]), self.grace)
        changed = {k: v for k, v in given.items() if v != getattr(old, k)}
        if row.values.get("has_evidence") and not old.has_evidence:
            changed["has_evidence"] = True  # evidence on record is never taken away
        note = f"from {self.name} row {row.line}"
        if "status" in changed and row.update:
            note += f": {row.update}"
        entries = change_entries(old, changed, self.now, BY, note=note)
        if "due" in changed:
            changed["original_due"] = old.original_due if old.id in self.state.moved else old.due
        if not entries:
            return old, []
        return replace(old, updated_at=self.now, **changed), entries

    def _check_rag(self, row: RegisterRow, item: Item) -> None:
        if not row.rag or not item.is_open:
            return  # RAG is about open items; a closed one's colour is the office's own habit
        given = RAG_WORDS.get(words(row.rag))
        derived = rag(item, self.today)
        if given is None:
            self.notes.append(
                f"row {row.line}: RAG “{row.rag}” not understood; govbot derives {derived}"
            )
        elif given != derived:
            due = shown(item.due) or "no due date"
            self.notes.append(
                f"row {row.line}: {item.id} RAG says {given}, govbot derives {derived} "
                f"({item.status}, due {due})"
            )


def _unused_id(source_id: str, known: Mapping[str, Source], line: int) -> str:
    """`source_id`, or with a letter after it when another report already has it."""
    for suffix in ("", *"BCDEFGHJKLMNPQRSTUVWXYZ"):
        if source_id + suffix not in known:
            return source_id + suffix
    raise RowError(line, f"too many reports would be called {source_id}: add a Source id column")


def _id_from_title(title: str, published: date | None) -> str:
    """A source id for a report a register names only by title: initials and the year."""
    initials = "".join(w[0] for w in re.findall(r"[A-Za-z0-9]+", title) if w[0].isalnum())
    year = f"{published.year % 100:02d}" if published else ""
    return (initials[:8] + year).upper()
