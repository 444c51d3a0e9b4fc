"""One message per destination per sweep: a sweep's deliveries gathered by where they go.

The sent-ledger still records each delivery (reminder key and destination); only the posting is
combined, so a channel or a person gets one top-level message per sweep however much is due.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby

from commands.sweep_plan import DIGEST_KINDS, Delivery
from storage.models import Item

DIRECT_AUDIENCES = frozenset({"lead", "snoozer"})


@dataclass(frozen=True)
class Message:
    """Everything one destination receives in one sweep."""

    destination: str  # a channel id, or a user id for a DM
    deliveries: tuple[Delivery, ...]
    # Items whose leads get a DM about them in this sweep: a channel lists them without
    # @-mentioning the lead a second time.
    told_directly: frozenset[str] = frozenset()

    @property
    def is_dm(self) -> bool:
        return self.destination[:1] in ("U", "W")

    @property
    def items(self) -> tuple[Item, ...]:
        """The items the message is about, each once, in delivery order."""
        seen: dict[str, Item] = {}
        for delivery in self.deliveries:
            if delivery.item is not None:
                seen.setdefault(delivery.item.id, delivery.item)
        return tuple(seen.values())

    @property
    def anchor(self) -> tuple[str, str]:
        """(item id, kind) for its thread: one item → "reminder"; a reply must name the item
        ("digest") when there are several or a digest; ("", "") when replies update nothing."""
        items = self.items
        has_digest = any(d.kind in DIGEST_KINDS for d in self.deliveries)
        if len(items) == 1 and not has_digest:
            return items[0].id, "reminder"
        return ("", "digest") if items or has_digest else ("", "")


def combine(deliveries: list[Delivery] | tuple[Delivery, ...]) -> list[Message]:
    """One message per destination, in the order destinations first appear."""
    told = frozenset(
        d.item.id for d in deliveries if d.item is not None and d.audience in DIRECT_AUDIENCES
    )
    order = {d.destination: n for n, d in reversed(list(enumerate(deliveries)))}
    ordered = sorted(deliveries, key=lambda d: order[d.destination])
    return [
        Message(
            destination,
            tuple(group),
            frozenset() if destination[:1] in ("U", "W") else told,
        )
        for destination, group in groupby(ordered, key=lambda d: d.destination)
    ]
