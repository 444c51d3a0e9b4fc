"""The one update path: status, evidence, lead and due-date changes, each with its history."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date

from commands.context import Context
from commands.errors import BadInput
from commands.hygiene import check_evidence, clean_text
from commands.items import find_item
from commands.permissions import check_admin, check_may_update
from storage.models import HistoryEntry, Item
from storage.store import Store

SYSTEM_AUTHORS = frozenset({"import", "system"})  # history entries no person made
_NEEDS_REASON = {
    "blocked": "what it is blocked on",
    "superseded": "a reason",
    "not accepted": "the reason the force gave",
}


@dataclass(frozen=True)
class UpdateRequest:
    item_id: str
    status: str | None  # None: evidence or a note only
    note: str = ""
    evidence: str = ""
    key: str = ""  # the Slack message or request that asked for it, for exactly-once
    channel: str = ""
    ts: str = ""
    permalink: str = ""


@dataclass(frozen=True)
class UpdateResult:
    item: Item
    old_status: str
    entry: HistoryEntry
    duplicate: bool = False

    def describe(self) -> str:
        """“CSE13-04: not started → in progress, by @U123” as plain text."""
        if self.entry.change == "status":
            change = f"{self.old_status} → {self.item.status}"
        elif self.entry.change == "evidence":
            change = "evidence added"
        else:
            change = f"note added ({self.item.status})"
        return f"{self.item.id}: {change}, by @{self.entry.by}"


def apply_update(ctx: Context, req: UpdateRequest) -> UpdateResult:
    """Check, record in the history, then change the item; a repeated key changes nothing."""
    req = replace(req, note=clean_text(req.note).strip(), evidence=check_evidence(req.evidence))
    with ctx.store.transaction() as store:
        item = find_item(store, req.item_id)
        if req.key:
            for entry in reversed(store.history.for_item(item.id)):
                if entry.key == req.key:
                    return UpdateResult(item, entry.old or item.status, entry, duplicate=True)
        check_may_update(ctx.user, item, req.status, ctx.settings.admins)
        _check_rules(item, req)
        change = _change_kind(item, req)
        entry = HistoryEntry(
            item_id=item.id,
            at=ctx.now,
            by=ctx.user,
            change=change,
            old=item.status,
            new=req.status or item.status,
            note=req.note,
            evidence=req.evidence,
            permalink=req.permalink,
            channel=req.channel,
            ts=req.ts,
            key=req.key,
        )
        return _record(
            store,
            item,
            entry,
            status=req.status or item.status,
            has_evidence=item.has_evidence or bool(req.evidence),
        )


def _record(store: Store, item: Item, entry: HistoryEntry, **changes: object) -> UpdateResult:
    """The one way a change is written: the history entry first, then the item."""
    store.history.append(entry)
    updated = replace(item, updated_at=entry.at, **changes)
    store.items.save(updated)
    return UpdateResult(updated, item.status, entry)


def _check_rules(item: Item, req: UpdateRequest) -> None:
    if req.status is None and not (req.evidence or req.note):
        raise BadInput(f"Nothing to record for {item.id}: add a note or evidence.")
    if req.status == item.status and not (req.evidence or req.note):
        raise BadInput(f"{item.id} is already {item.status}; nothing new was recorded.")
    if req.status in _NEEDS_REASON and not req.note.strip():
        raise BadInput(
            f"Please say {_NEEDS_REASON[req.status]}: e.g. “{req.status}: …” — {item.id} "
            "was not changed."
        )
    if req.status == "closed" and not (item.has_evidence or req.evidence):
        raise BadInput(
            f"{item.id} has no evidence on record. Add it first "
            f"(“evidence: https://…” in its thread, or `/recs evidence {item.id} …`)."
        )


def _change_kind(item: Item, req: UpdateRequest) -> str:
    if req.status is not None and req.status != item.status:
        return "status"
    return "evidence" if req.evidence and (req.status is None or not req.note) else "note"


def amend_note(
    ctx: Context, item_id: str, key: str, note: str, edit_stamp: str
) -> HistoryEntry | None:
    """An edited update adds a “note amended” entry (old → new); no entry is ever rewritten.

    `key` names the message that made the update and only its author may amend it;
    `edit_stamp` (Slack's edit time) makes a redelivered edit a no-op. None: nothing to add.
    """
    note = clean_text(note).strip()
    with ctx.store.transaction() as store:
        entries = store.history.for_item(item_id)
        made = [e for e in entries if e.key == key]
        if not made or made[-1].by != ctx.user:
            return None  # an edit never makes an update, nor changes someone else's
        amend_key = f"{key}:amend:{edit_stamp}"
        amendments = [e for e in entries if e.key.startswith(f"{key}:amend:")]
        current = amendments[-1].new if amendments else made[-1].note
        if note == current or any(e.key == amend_key for e in amendments):
            return None
        entry = HistoryEntry(
            item_id=item_id,
            at=ctx.now,
            by=ctx.user,
            change="amend",
            old=current,
            new=note,
            note=f"{current or '(no note)'} → {note or '(no note)'}",
            channel=made[-1].channel,
            ts=made[-1].ts,
            key=amend_key,
        )
        store.history.append(entry)
        return entry


def assign_leads(ctx: Context, item_id: str, leads: tuple[str, ...], key: str = "") -> UpdateResult:
    """Admins only: make `leads` the item's lead(s)."""
    check_admin(ctx.user, ctx.settings.admins, "assign leads")
    if not leads:
        raise BadInput("Name the lead: `/recs assign CSE13-04 @user`.")
    with ctx.store.transaction() as store:
        item = find_item(store, item_id)
        entry = HistoryEntry(
            item_id=item.id,
            at=ctx.now,
            by=ctx.user,
            change="lead",
            old=",".join(item.leads),
            new=",".join(leads),
            key=key,
        )
        return _record(store, item, entry, leads=leads)


def move_due_date(ctx: Context, item_id: str, new_due: date, reason: str) -> UpdateResult:
    """Admins only: move the due date, keeping the original beside it, with a reason."""
    check_admin(ctx.user, ctx.settings.admins, "move due dates")
    if not reason.strip():
        raise BadInput("Give a reason: `/recs due-date CSE13-04 2026-12-31 reason…`.")
    with ctx.store.transaction() as store:
        item = find_item(store, item_id)
        entry = HistoryEntry(
            item_id=item.id,
            at=ctx.now,
            by=ctx.user,
            change="due",
            old=item.due.isoformat() if item.due else "none",
            new=new_due.isoformat(),
            note=reason.strip(),
        )
        original = item.original_due if due_was_moved(store, item) else item.due
        return _record(store, item, entry, due=new_due, original_due=original)


def due_was_moved(store: Store, item: Item) -> bool:
    """True once an admin has moved the item's due date (even from none, which keeps no original)."""
    if item.original_due is not None:
        return True
    return any(e.change == "due" for e in store.history.for_item(item.id))


def record_changes(
    store: Store, item: Item, entries: list[HistoryEntry], **changes: object
) -> Item:
    """Several changes to one item at once (an edit, a register row): history first, then item."""
    for entry in entries:
        store.history.append(entry)
    at = entries[-1].at if entries else item.updated_at
    updated = replace(item, updated_at=at, **changes)
    store.items.save(updated)
    return updated


def record_batch(store: Store, updates: list[tuple[Item, list[HistoryEntry]]]) -> None:
    """Many items changed at once (a register import): every entry first, then the items."""
    for _, entries in updates:
        for entry in entries:
            store.history.append(entry)
    store.items.save_many([item for item, _ in updates])


def link_message(store: Store, item_id: str, key: str, permalink: str) -> None:
    """The history entry recorded under `key` links to the Slack message behind it."""
    with store.transaction():
        store.history.set_permalink(item_id, key, permalink)


def last_updates(store: Store, item_ids: Iterable[str]) -> dict[str, HistoryEntry]:
    """Each item's latest change a person made (imports are not updates), where it has one."""
    with store.transaction():
        return {
            item_id: entry
            for item_id in item_ids
            if (entry := _last_by_a_person(store.history.for_item(item_id))) is not None
        }


def _last_by_a_person(history: list[HistoryEntry]) -> HistoryEntry | None:
    return next((e for e in reversed(history) if e.by not in SYSTEM_AUTHORS), None)
