"""Adding and editing items by hand (/recs add, /recs edit, govbot add and edit)."""

from __future__ import annotations

import re
from dataclasses import dataclass, fields, replace
from datetime import date, datetime

from commands.context import Context, Settings
from commands.deadlines import due_from_timescale
from commands.errors import BadInput
from commands.hygiene import check_plausible, clean_text
from commands.items import find_item
from commands.permissions import check_admin
from commands.updates import due_was_moved, record_changes
from storage.models import ITEM_KINDS, SOURCE_KINDS, HistoryEntry, Item, Source
from storage.store import Store

USER_ID = re.compile(r"^[UW][A-Z0-9]{5,}$")
MAX_TEXT = 4000  # a modal's text input holds 3,000; a CLI argument or register cell a little more


class BadField(BadInput):
    """A value that was refused, with the field it belongs to (a modal shows it there)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class NewSource:
    """A source named while adding an item: a report, review or meeting not yet in the register."""

    id: str
    title: str
    published: date | None
    kind: str = "inspection"
    publisher: str = ""


@dataclass(frozen=True)
class ItemFields:
    """What someone gave for an item; None = not given (an edit leaves it as it is)."""

    kind: str | None = None
    text: str | None = None
    timescale: str | None = None
    due: date | None = None  # given: wins over the timescale; not given: counted from it
    area: str | None = None
    leads: tuple[str, ...] | None = None
    districts: tuple[str, ...] | None = None
    addressee: str | None = None
    force_delivers: bool | None = None


@dataclass(frozen=True)
class EditResult:
    item: Item
    entries: tuple[HistoryEntry, ...]
    new_source: Source | None = None

    def describe(self) -> str:
        """One line for the admin: what was added or which fields changed."""
        if any(e.change == "add" for e in self.entries):
            made = f"{self.item.id} added"
            if self.new_source is not None:
                made += f" (new source {self.new_source.id})"
            return f"{made}: {self.item.text[:120]}"
        if not self.entries:
            return f"{self.item.id}: nothing changed."
        changed = ", ".join(e.field or e.change for e in self.entries)
        return f"{self.item.id} edited: {changed}."


def check_new_source(store: Store, new: NewSource) -> Source:
    """The source to create, or BadField naming what is missing or wrong."""
    source_id = new.id.strip().upper()
    if not source_id.isascii() or not source_id.isalnum():
        raise BadField(
            "source_id", f"Source id “{new.id}”: use letters and digits only, e.g. CSE13."
        )
    if store.sources.get(source_id) is not None:
        raise BadField("source_id", f"Source {source_id} already exists: choose it from the list.")
    if not new.title.strip():
        raise BadField("source_title", f"Give the title of {source_id}.")
    if new.published is None:
        raise BadField("source_published", f"Give the date {source_id} was published.")
    try:
        check_plausible(new.published, "publication date")
    except BadInput as err:
        raise BadField("source_published", err.message) from None
    if new.kind not in SOURCE_KINDS:
        raise BadField("source_kind", f"Source kind: one of {', '.join(SOURCE_KINDS)}.")
    return Source(
        id=source_id,
        title=new.title.strip(),
        published=new.published,
        publisher=new.publisher.strip(),
        kind=new.kind,
    )


def add_item(ctx: Context, source: str | NewSource, given: ItemFields) -> EditResult:
    """Admins: a new item, numbered next in its source, its due date counted from publication."""
    check_admin(ctx.user, ctx.settings.admins, "add items")
    if not (given.text or "").strip():
        raise BadField("text", "Give the text of the recommendation.")
    with ctx.store.transaction() as store:
        new_source = check_new_source(store, source) if isinstance(source, NewSource) else None
        found = new_source or _existing_source(store, str(source))
        number = next_number(store, found.id)
        blank = Item(id=f"{found.id}-{number:02d}", source=found.id, number=number)
        values = _checked(given, blank, found, ctx.settings)
        item = replace(blank, **values)
        entries = [
            HistoryEntry(item.id, ctx.now, ctx.user, "add", new=shown(value), field=name)
            for name, value in values.items()
            if value != getattr(blank, name)
        ]
        if new_source is not None:
            store.sources.save(new_source)
        saved = record_changes(store, item, entries)
    return EditResult(saved, tuple(entries), new_source)


def edit_item(ctx: Context, item_id: str, given: ItemFields, reason: str = "") -> EditResult:
    """Admins: change what was given; one history entry per changed field, appended."""
    check_admin(ctx.user, ctx.settings.admins, "edit items")
    with ctx.store.transaction() as store:
        item = find_item(store, item_id)
        source = _existing_source(store, item.source)
        values = _checked(given, item, source, ctx.settings)
        changed = {k: v for k, v in values.items() if v != getattr(item, k)}
        if "due" in changed and not reason.strip():
            raise BadField(
                "reason",
                f"The due date of {item.id} would change from {shown(item.due) or 'none'} to "
                f"{shown(changed['due']) or 'none'}: give a reason (it goes in the history).",
            )
        entries = change_entries(item, changed, ctx.now, ctx.user, note=reason.strip())
        if "due" in changed:
            changed["original_due"] = item.original_due if due_was_moved(store, item) else item.due
        if not entries:
            return EditResult(item, ())
        saved = record_changes(store, item, entries, **changed)
    return EditResult(saved, tuple(entries))


def change_entries(
    item: Item, changed: dict[str, object], at: datetime, by: str, note: str = ""
) -> list[HistoryEntry]:
    """One entry per changed field: lead, due and status as their own kinds, the rest "edit"."""
    entries = []
    for name, value in changed.items():
        old = getattr(item, name)
        if name == "leads":
            change, old_text, new_text = "lead", ",".join(old), ",".join(value)
        elif name == "due":
            change, old_text, new_text = "due", shown(old) or "none", shown(value) or "none"
        elif name == "status":
            change, old_text, new_text = "status", str(old), str(value)
        else:
            change, old_text, new_text = "edit", shown(old), shown(value)
        entries.append(
            HistoryEntry(item.id, at, by, change, old_text, new_text, note=note, field=name)
        )
    return entries


def shown(value: object) -> str:
    """A field's value as history text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return ", ".join(value)
    return str(value)


def next_number(store: Store, source_id: str) -> int:
    """The number the next item of a source gets."""
    return max((i.number for i in store.items.by_source(source_id)), default=0) + 1


def _existing_source(store: Store, source_id: str) -> Source:
    source = store.sources.get(source_id.strip().upper())
    if source is None:
        names = ", ".join(s.id for s in store.sources.all()) or "none yet"
        raise BadField("source", f"No source “{source_id}”. Sources: {names}.")
    return source


def _checked(
    given: ItemFields, item: Item, source: Source, settings: Settings
) -> dict[str, object]:
    """The given fields, checked and tidied, with the due date they imply."""
    values: dict[str, object] = {}
    for f in fields(ItemFields):
        value = getattr(given, f.name)
        if value is not None and f.name != "due":
            values[f.name] = clean_text(value).strip() if isinstance(value, str) else value
    if "text" in values:
        text = str(values["text"])
        if not text:
            raise BadField("text", "The text cannot be empty.")
        if len(text) > MAX_TEXT:
            raise BadField("text", f"The text is {len(text)} characters; at most {MAX_TEXT}.")
    if "kind" in values and values["kind"] not in ITEM_KINDS:
        raise BadField("kind", f"Kind “{values['kind']}”: one of {', '.join(ITEM_KINDS)}.")
    for lead in values.get("leads") or ():
        if not USER_ID.match(str(lead)):
            raise BadField("lead", f"Lead “{lead}” is not a Slack user id like U012AB3CD.")
    if "districts" in values:
        named = set(values["districts"])  # type: ignore[arg-type]
        districts = settings.districts.names
        for district in sorted(named - set(districts)):
            raise BadField(
                "districts", f"Unknown district “{district}”. Districts: {', '.join(districts)}."
            )
        values["districts"] = tuple(d for d in districts if d in named)
    if given.due is not None:
        try:
            values["due"] = check_plausible(given.due, "due date")
        except BadInput as err:
            raise BadField("due", err.message) from None
    elif given.timescale is not None:
        timescale = str(values["timescale"])
        due = due_from_timescale(source.published, timescale, settings.immediate_grace_days)
        if timescale and due is None:
            raise BadField(
                "timescale",
                f"“{timescale}” is not a timescale I can count from: write “immediately” or "
                "“within N months”, or give a due date.",
            )
        values["due"] = due
    return values
