"""What a sweep plans from: one consistent read of the register, its ledgers and the GAB."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from commands.context import Settings
from commands.errors import BadInput
from commands.gab_agenda import GabData, last_meeting_moment, load_gab, status_changes
from commands.sweep_plan import SweepData
from storage.store import Store

log = logging.getLogger("govbot")


def load_sweep_data(store: Store, settings: Settings, at: datetime) -> SweepData:
    """Everything a sweep plans from, read in one transaction."""
    local_now = at.astimezone(settings.tz).replace(tzinfo=None)
    with store.transaction():
        try:
            gab: GabData | None = load_gab(store, settings)
        except BadInput as err:  # a bad GOVBOT_GAB_SCHEDULE must not stop deadline reminders
            log.error("no GAB reminders: %s", err.message)
            gab = None
        # The weekly digest looks back a week, the GAB agenda to the last meeting.
        since = at - timedelta(days=8)
        if gab is not None:
            since = min(since, last_meeting_moment(gab, local_now, settings.tz))
        return SweepData(
            items=tuple(store.items.all()),
            sources=tuple(store.sources.all()),
            snoozed=store.snoozes.all(),
            prefs=store.reminder_prefs.all(),
            subscriptions=tuple(store.subscriptions.all()),
            gab=gab,
            changes=tuple(status_changes(store, since)),
        )
