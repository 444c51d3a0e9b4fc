"""A sweep's side of the sent-ledger: claim a message's deliveries, then mark them sent or release.

Each delivery is claimed before it is posted and marked sent only once Slack accepted the message
carrying it; a failed post releases every claim it carried so that the next sweep tries them
again, together. A message's claims are taken in one transaction, so two racing sweeps never
split one person's reminders: one of them posts them all, the other none.

A claim left by a sweep that died (or lost Slack's answer) between posting and recording is
taken over once it times out, but Slack may already show that message: such deliveries come
back as `unsure`, for the sweep to look for in Slack before posting them again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from commands.anchors import remember_thread
from commands.sweep_messages import Message
from commands.sweep_plan import Delivery
from storage.store import Store


def sent_keys(store: Store) -> set[str]:
    """The keys of every delivery already sent."""
    with store.transaction():
        return store.sent.sent_keys()


@dataclass(frozen=True)
class Claimed:
    """What a sweep took of a message's deliveries."""

    deliveries: tuple[Delivery, ...]
    unsure: tuple[Delivery, ...] = ()  # taken over from a sweep that never recorded the outcome


def claim_deliveries(store: Store, message: Message, clock: Callable[[], datetime]) -> Claimed:
    """The message's deliveries still free, now claimed by this sweep (in one transaction)."""
    with store.transaction():
        now = clock()
        taken: list[Delivery] = []
        unsure: list[Delivery] = []
        for delivery in message.deliveries:
            earlier = store.sent.claimed_at(delivery.key)
            if store.sent.claim(delivery.key, now):
                taken.append(delivery)
                if earlier is not None:
                    unsure.append(delivery)
        return Claimed(tuple(taken), tuple(unsure))


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
