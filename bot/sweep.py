"""One reminder sweep: plan from the register, then post each delivery exactly once.

A delivery is claimed in the sent-ledger before it is posted and marked sent only once Slack
accepted it; a failed post releases the claim so that the next sweep tries again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from slack_sdk import WebClient

from bot.config import Config
from bot.render.reminders import render_delivery
from bot.services import Services
from commands.errors import BadInput
from commands.gab_agenda import GabData, last_meeting_moment, load_gab, status_changes
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


def sweep_settings(config: Config) -> SweepSettings:
    return SweepSettings(
        tz=config.tz,
        channel=config.channel,
        gab_channel=config.gab_channel,
        admins=config.admins,
        remind_at=config.remind_at,
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
            gab=gab,
            changes=tuple(status_changes(store, since)),
        )


def page_key(key: str, page: int) -> str:
    """The ledger key of page `page` (0-based) of a delivery."""
    return key if page == 0 else f"{key}:page{page + 1}"


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
        return report
    if client is None:
        raise ValueError("a real sweep needs a Slack client")
    for delivery in report.pending:
        outcome = _deliver(services, client, delivery, done)
        if outcome == "sent":
            report.sent.append(delivery)
        elif outcome == "busy":
            report.busy.append(delivery)
        else:
            report.failed.append((delivery, outcome))
    return report


def _deliver(services: Services, client: WebClient, delivery: Delivery, done: set[str]) -> str:
    """Post each page not yet sent: "sent", "busy", or the error that stopped it."""
    store = services.store
    posted_any = False
    for number, payload in enumerate(render_delivery(delivery)):
        key = page_key(delivery.key, number)
        if key in done:
            continue
        with store.transaction():
            if not store.sent.claim(key, services.clock()):
                return "sent" if posted_any else "busy"
        try:
            response = _post(client, delivery.destination, payload)
        except Exception as err:  # Slack said no, or never answered: try again next sweep
            with store.transaction():
                store.sent.release(key)
            log.warning("reminder %s not sent: %s", key, _reason(err))
            return _reason(err)
        with store.transaction():
            channel, ts = response["channel"], response["ts"]
            store.sent.mark_sent(key, services.clock(), channel=channel, ts=ts, late=delivery.late)
            if delivery.anchor_kind:
                item_id = delivery.item.id if delivery.item else ""
                store.threads.remember(Anchor(channel, ts, item_id, delivery.anchor_kind))
        posted_any = True
    return "sent"


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
