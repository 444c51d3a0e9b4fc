"""One reminder sweep: plan from the register, then post one message per destination.

Each delivery is claimed in the sent-ledger before it is posted and marked sent only once Slack
accepted the message carrying it; a failed post releases every claim it carried so that the next
sweep tries them again, together. A destination's claims are taken in one transaction, so two
racing sweeps never split one person's reminders: one of them posts them all, the other none.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from slack_sdk import WebClient

from bot.config import SETTING_NAMES, Config
from bot.render.reminders import render_message
from bot.services import Services
from commands.errors import BadInput
from commands.gab_agenda import GabData, last_meeting_moment, load_gab, status_changes
from commands.sweep_messages import Message, combine
from commands.sweep_plan import Delivery, SweepData, SweepSettings, plan_sweep
from storage.store import Store
from storage.threads import Anchor

log = logging.getLogger("govbot")


@dataclass
class SweepReport:
    at: datetime
    dry_run: bool = False
    pending: list[Delivery] = field(default_factory=list)  # due and not yet sent
    sent: list[Delivery] = field(default_factory=list)
    failed: list[tuple[Delivery, str]] = field(default_factory=list)
    busy: list[Delivery] = field(default_factory=list)  # taken by another sweep meanwhile
    unaddressed: tuple[str, ...] = ()
    messages: list[Message] = field(default_factory=list)  # what was (or would be) posted


def sweep_settings(config: Config) -> SweepSettings:
    return SweepSettings(
        tz=config.tz,
        channel=config.channel,
        gab_channel=config.gab_channel,
        admins=config.admins,
        remind_at=config.remind_at,
        setting_names=SETTING_NAMES,
    )


def load_sweep_data(store: Store, config: Config, at: datetime) -> SweepData:
    """Everything a sweep plans from, read in one transaction."""
    settings = config.settings()
    local_now = at.astimezone(config.tz).replace(tzinfo=None)
    with store.transaction():
        try:
            gab: GabData | None = load_gab(store, settings)
        except BadInput as err:  # a bad GOVBOT_GAB_SCHEDULE must not stop deadline reminders
            log.error("no GAB reminders: %s", err.message)
            gab = None
        # The weekly digest looks back a week, the GAB agenda to the last meeting.
        since = at - timedelta(days=8)
        if gab is not None:
            since = min(since, last_meeting_moment(gab, local_now, config.tz))
        return SweepData(
            items=tuple(store.items.all()),
            sources=tuple(store.sources.all()),
            snoozed=store.snoozes.all(),
            prefs=store.reminder_prefs.all(),
            subscriptions=tuple(store.subscriptions.all()),
            gab=gab,
            changes=tuple(status_changes(store, since)),
        )


def run_sweep(
    services: Services, client: WebClient | None, at: datetime, dry_run: bool = False
) -> SweepReport:
    """Send every delivery due at `at` that the sent-ledger has not recorded."""
    store = services.store
    plan = plan_sweep(
        load_sweep_data(store, services.config, at), sweep_settings(services.config), at
    )
    with store.transaction():
        done = store.sent.sent_keys()
    report = SweepReport(at, dry_run, unaddressed=plan.unaddressed)
    report.pending = [d for d in plan.deliveries if d.key not in done]
    if dry_run:
        report.messages = combine(report.pending)
        return report
    if client is None:
        raise ValueError("a real sweep needs a Slack client")
    for message in combine(report.pending):
        _deliver(services, client, message, report)
    return report


def _deliver(services: Services, client: WebClient, message: Message, report: SweepReport) -> None:
    """Claim what is still free of the message's deliveries, then post those in one message."""
    store = services.store
    with store.transaction():
        now = services.clock()
        claimed = tuple(d for d in message.deliveries if store.sent.claim(d.key, now))
    taken = {d.key for d in claimed}
    report.busy += [d for d in message.deliveries if d.key not in taken]
    if not claimed:
        return
    mine = replace(message, deliveries=claimed)
    try:
        response = _post(client, mine.destination, render_message(mine))
    except Exception as err:  # Slack said no, or never answered: try them all again next sweep
        with store.transaction():
            for delivery in claimed:
                store.sent.release(delivery.key)
        log.warning("reminders to %s not sent: %s", mine.destination, _reason(err))
        report.failed += [(d, _reason(err)) for d in claimed]
        return
    with store.transaction():
        channel, ts = response["channel"], response["ts"]
        now = services.clock()
        for delivery in claimed:
            store.sent.mark_sent(delivery.key, now, channel=channel, ts=ts, late=delivery.late)
        item_id, kind = mine.anchor
        if kind:
            store.threads.remember(Anchor(channel, ts, item_id, kind))
    report.sent += claimed
    report.messages.append(mine)


def _post(client: WebClient, channel: str, payload: dict[str, Any]) -> dict[str, Any]:
    response = client.chat_postMessage(
        channel=channel, text=payload["text"], blocks=payload["blocks"], unfurl_links=False
    )
    return {"channel": response["channel"], "ts": response["ts"]}


def _reason(err: Exception) -> str:
    response = getattr(err, "response", None)
    if response is not None and hasattr(response, "get"):
        code = response.get("error")
        status = getattr(response, "status_code", "")
        return f"Slack error {code} (HTTP {status})" if code else f"Slack HTTP {status}"
    return f"{type(err).__name__}: {err}"
