"""What the bot forgets, and when: ledgers kept short so an update costs the same at any age.

Retention (README, "Housekeeping"): a delivery key is kept 7 days — Slack retries within
minutes, a signed request is refused after 5 minutes, and an update made by a message is
also found by its key in the item's history; a sent-reminder key is kept 90 days — a
reminder is only planned up to 7 days late (GAB reminders up to their meeting), so a key
older than that can never be asked about again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from storage.store import Store

EVENT_MEMORY = timedelta(days=7)
SENT_MEMORY = timedelta(days=90)


@dataclass(frozen=True)
class Tidied:
    events: int
    sent: int


def prune_ledgers(store: Store, now: datetime) -> Tidied:
    """Forget delivery keys and sent reminders past their retention."""
    with store.transaction():
        return Tidied(
            events=store.events.prune(now - EVENT_MEMORY),
            sent=store.sent.prune(now - SENT_MEMORY),
        )
