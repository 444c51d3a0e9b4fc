"""One reminder sweep: plan from the register, then post one message per destination.

Each message's deliveries are claimed in the sent-ledger before it is posted, then marked sent
or released (`commands.sweep_ledger` says how that keeps each reminder to one post).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from slack_sdk import WebClient

from bot.config import SETTING_NAMES, Config
from bot.render.reminders import render_message
from bot.services import Services
from commands.sweep_data import load_sweep_data
from commands.sweep_ledger import claim_deliveries, mark_posted, release_deliveries, sent_keys
from commands.sweep_messages import Message, combine
from commands.sweep_plan import Delivery, SweepSettings, plan_sweep

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


def run_sweep(
    services: Services, client: WebClient | None, at: datetime, dry_run: bool = False
) -> SweepReport:
    """Send every delivery due at `at` that the sent-ledger has not recorded."""
    store = services.store
    config = services.config
    plan = plan_sweep(load_sweep_data(store, config.settings(), at), sweep_settings(config), at)
    done = sent_keys(store)
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
    claimed = claim_deliveries(store, message, services.clock)
    taken = {d.key for d in claimed}
    report.busy += [d for d in message.deliveries if d.key not in taken]
    if not claimed:
        return
    mine = replace(message, deliveries=claimed)
    try:
        response = _post(client, mine.destination, render_message(mine))
    except Exception as err:  # Slack said no, or never answered: try them all again next sweep
        release_deliveries(store, claimed)
        log.warning("reminders to %s not sent: %s", mine.destination, _reason(err))
        report.failed += [(d, _reason(err)) for d in claimed]
        return
    mark_posted(store, mine, response["channel"], response["ts"], services.clock)
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
