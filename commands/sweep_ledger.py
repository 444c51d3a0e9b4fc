"""A sweep's side of the sent-ledger: claim a message's deliveries, then mark them sent or release.

Each delivery is claimed before it is posted and marked sent only once Slack accepted the message
carrying it; a failed post releases every claim it carried so that the next sweep tries them
again, together. A message's claims are taken in one transaction, so two racing sweeps never
split one person's reminders: one of them posts them all, the other none.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime

from commands.anchors import remember_thread
from commands.sweep_messages import Message
from commands.sweep_plan import Delivery
from storage.store import Store


def sent_keys(store: Store) -> set[str]:
    """The keys of every delivery already sent."""
    with store.transaction():
        return store.sent.sent_keys()


def claim_deliveries(
    store: Store, message: Message, clock: Callable[[], datetime]
) -> tuple[Delivery, ...]:
    """The message's deliveries still free, now claimed by this sweep (in one transaction)."""
    with store.transaction():
        now = clock()
        return tuple(d for d in message.deliveries if store.sent.claim(d.key, now))


def release_deliveries(store: Store, deliveries: Iterable[Delivery]) -> None:
    """Give back claims whose post failed: the next sweep tries them again."""
    with store.transaction():
        for delivery in deliveries:
            store.sent.release(delivery.key)


def mark_posted(
    store: Store, message: Message, channel: str, ts: str, clock: Callable[[], datetime]
) -> None:
    """Slack accepted `message` as `channel`/`ts`: its deliveries are sent, its thread remembered."""
    with store.transaction():
        now = clock()
        for delivery in message.deliveries:
            store.sent.mark_sent(delivery.key, now, channel=channel, ts=ts, late=delivery.late)
        item_id, kind = message.anchor
        if kind:
            remember_thread(store, channel, ts, item_id, kind)
