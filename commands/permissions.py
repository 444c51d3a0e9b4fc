"""Who may change what: one check for slash commands, thread replies and buttons alike."""

from __future__ import annotations

from collections.abc import Collection

from commands.errors import NotAllowed
from storage.models import ADMIN_ONLY_STATUSES, Item


def is_admin(user: str, admins: Collection[str]) -> bool:
    return user in admins


def who_can_update(item: Item) -> str:
    """Plain words naming who may update `item`."""
    if item.leads:
        leads = " or ".join(f"@{lead}" for lead in item.leads)
        return f"its lead ({leads}) or a governance admin"
    return "a governance admin (it is awaiting allocation)"


def check_may_update(
    user: str, item: Item, new_status: str | None, admins: Collection[str]
) -> None:
    """Raise NotAllowed unless `user` may set `item` to `new_status` (None = evidence/note)."""
    if is_admin(user, admins):
        return
    if new_status in ADMIN_ONLY_STATUSES:
        raise NotAllowed(
            f"Only a governance admin can mark {item.id} {new_status}. "
            "Say “done” to propose it for closure."
        )
    if user not in item.leads:
        raise NotAllowed(f"Sorry, {item.id} can only be updated by {who_can_update(item)}.")
    if item.status in ADMIN_ONLY_STATUSES and new_status is not None:
        raise NotAllowed(
            f"{item.id} is {item.status} (signed off by an admin); only a governance admin "
            "can reopen it. Evidence and notes are still welcome."
        )


def check_admin(user: str, admins: Collection[str], action: str) -> None:
    if not is_admin(user, admins):
        raise NotAllowed(f"Only a governance admin can {action}.")
