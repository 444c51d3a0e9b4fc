"""`govbot verify`: is the register consistent with its append-only history and ledgers?

Pure checks over what the store holds; each finding is one line naming what is wrong.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from commands.deliveries import KEY_PREFIXES
from storage.models import STATUSES, HistoryEntry, Item
from storage.store import Store

SENT_STATES = frozenset({"claimed", "sent"})
_STATUS_SETTERS = frozenset({"import", "status"})


@dataclass(frozen=True)
class Verification:
    findings: tuple[str, ...]
    items: int
    entries: int
    ledger_keys: int

    @property
    def ok(self) -> bool:
        return not self.findings


def verify_store(store: Store) -> Verification:
    """Read everything in one transaction and check it."""
    with store.transaction():
        items = store.items.all()
        entries = list(store.history.since(datetime.min))
        sent = store.sent.entries()
        events = store.events.entries()
    findings = [
        *check_history(items, entries),
        *check_sent_ledger(sent),
        *check_event_ledger(events),
    ]
    return Verification(tuple(findings), len(items), len(entries), len(sent) + len(events))


def check_history(items: Iterable[Item], entries: Iterable[HistoryEntry]) -> list[str]:
    """Each item agrees with the last change of each kind in its history."""
    by_item: dict[str, list[HistoryEntry]] = {}
    for entry in sorted(entries, key=lambda e: e.at):
        by_item.setdefault(entry.item_id, []).append(entry)
    known = {item.id: item for item in items}
    findings = [
        f"history has {len(found)} entries for {item_id}, which is not in the register"
        for item_id, found in sorted(by_item.items())
        if item_id not in known
    ]
    for item_id, item in sorted(known.items()):
        findings += _check_item(item, by_item.get(item_id, []))
    return findings


def _check_item(item: Item, entries: list[HistoryEntry]) -> list[str]:
    found = []
    if item.status not in STATUSES:
        found.append(f"{item.id}: status {item.status!r} is not a known status")
    last_status = _last(entries, _STATUS_SETTERS)
    if last_status is not None and last_status.new != item.status:
        found.append(
            f"{item.id}: status is {item.status!r} but its last status change "
            f"({last_status.at:%Y-%m-%d %H:%M}) says {last_status.new!r}"
        )
    dues = [e for e in entries if e.change == "due"]
    if dues:
        recorded = item.due.isoformat() if item.due else "none"
        if dues[-1].new != recorded:
            found.append(f"{item.id}: due {recorded} but its last due change says {dues[-1].new}")
        first_old = dues[0].old
        original = item.original_due.isoformat() if item.original_due else "none"
        if first_old != "none" and original != first_old:
            found.append(
                f"{item.id}: original due {original} but it was {first_old} when first moved"
            )
    elif item.original_due is not None and item.original_due != item.due:
        found.append(f"{item.id}: has an original due date but no due-date change in its history")
    last_lead = _last(entries, frozenset({"lead"}))
    if last_lead is not None and last_lead.new != ",".join(item.leads):
        found.append(
            f"{item.id}: leads {item.leads} but its last lead change says {last_lead.new!r}"
        )
    keys = {e.key for e in entries if e.key and e.change != "amend"}
    for entry in entries:
        if entry.change == "amend" and entry.key.split(":amend:")[0] not in keys:
            found.append(f"{item.id}: a note amendment refers to no recorded update ({entry.key})")
    duplicated = [k for k, n in Counter(e.key for e in entries if e.key).items() if n > 1]
    found += [f"{item.id}: key {k} made {item.id} change more than once" for k in duplicated]
    return found


def _last(entries: list[HistoryEntry], changes: frozenset[str]) -> HistoryEntry | None:
    return next((e for e in reversed(entries) if e.change in changes), None)


def check_sent_ledger(docs: Iterable[Mapping[str, Any]]) -> list[str]:
    """Every sent-ledger entry has a key, a known state and a timestamp; no key twice."""
    findings = []
    keys = Counter()
    for doc in docs:
        key = doc.get("key")
        keys[key] += 1
        if not isinstance(key, str) or ":" not in key:
            findings.append(f"sent-ledger: malformed key {key!r}")
        if doc.get("state") not in SENT_STATES:
            findings.append(f"sent-ledger: {key}: unknown state {doc.get('state')!r}")
        if not _is_timestamp(doc.get("at")):
            findings.append(f"sent-ledger: {key}: bad timestamp {doc.get('at')!r}")
    findings += [f"sent-ledger: key {k} recorded {n} times" for k, n in keys.items() if n > 1]
    return findings


def check_event_ledger(docs: Iterable[Mapping[str, Any]]) -> list[str]:
    """Every delivery key is one we write (a message or a slash command) with a timestamp."""
    findings = []
    for doc in docs:
        key = doc.get("key")
        if not isinstance(key, str) or not key.startswith(KEY_PREFIXES):
            findings.append(f"event ledger: malformed key {key!r}")
        if not _is_timestamp(doc.get("at")):
            findings.append(f"event ledger: {key}: bad timestamp {doc.get('at')!r}")
    return findings


def _is_timestamp(value: Any) -> bool:
    try:
        datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return False
    return True
