"""Slack deliveries handled once: the ledger key of each kind of delivery, checked and recorded.

Slack retries a delivery it thinks was lost and two processes may each receive one copy, so
whatever acts on a delivery records its key in the same transaction as the change it makes:
any later copy finds the key and does nothing.
"""

from __future__ import annotations

from datetime import datetime

from storage.store import Store

KEY_PREFIXES = ("msg:", "trigger:", "upload:", "view:", "report-import:")


def message_key(channel: str, ts: str) -> str:
    """A message people wrote (a thread reply); also the key of the update it made."""
    return f"msg:{channel}:{ts}"


def trigger_key(trigger_id: str) -> str:
    """A slash command, by its trigger id; "" when Slack sent none (nothing to remember)."""
    return f"trigger:{trigger_id}" if trigger_id else ""


def upload_key(channel: str, ts: str) -> str:
    """A file shared in the bot's DM."""
    return f"upload:{channel}:{ts}"


def view_key(view_id: str, view_hash: str) -> str:
    """A submitted modal: submitted once, so a second copy is Slack's retry."""
    return f"view:{view_id}:{view_hash}"


def preview_key(channel: str, ts: str) -> str:
    """An import preview's message: its first Import or Cancel is the only one that counts."""
    return f"report-import:{channel}:{ts}"


def already_handled(store: Store, key: str) -> bool:
    """Whether the delivery `key` was handled, in this process or another."""
    with store.transaction():
        return store.events.seen(key)


def mark_handled(store: Store, key: str, now: datetime) -> None:
    """Record the delivery `key` as handled (in the caller's transaction, where there is one)."""
    with store.transaction():
        store.events.record(key, now)


def handle_once(store: Store, key: str, now: datetime) -> bool:
    """True for the first copy of the delivery `key`, now recorded; False for any other copy."""
    with store.transaction():
        if store.events.seen(key):
            return False
        store.events.record(key, now)
        return True
