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
from slack_sdk.errors import SlackApiError

from bot.config import SETTING_NAMES, Config
from bot.reminder_receipts import already_posted, receipt
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
    # posted by a sweep that died before recording it: found in Slack, recorded, not posted again
    recovered: list[Delivery] = field(default_factory=list)
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
    claim = claim_deliveries(store, message, services.clock)
    claimed = claim.deliveries
    taken = {d.key for d in claimed}
    report.busy += [d for d in message.deliveries if d.key not in taken]
    if claim.unsure:
        found = _recover(services, client, replace(message, deliveries=claim.unsure))
        report.recovered += found
        claimed = tuple(d for d in claimed if d not in found)
    if not claimed:
        return
    mine = replace(message, deliveries=claimed)
    try:
        response = _post(client, mine)
    except SlackApiError as err:  # Slack answered no: try them all again next sweep
        release_deliveries(store, claimed)
        _failed(report, mine, err)
        return
    except Exception as err:
        # No answer: Slack may have posted it. The claims stay; once they time out, the next
        # sweep looks for the message in Slack before posting it again.
        _failed(report, mine, err)
        return
    mark_posted(store, mine, response["channel"], response["ts"], services.clock)
    report.sent += claimed
    report.messages.append(mine)


def _recover(services: Services, client: WebClient, unsure: Message) -> list[Delivery]:
    """Record as sent the unsure deliveries Slack already shows; returns them."""
    keys = {d.key for d in unsure.deliveries}
    found = already_posted(client, unsure.destination, keys)
    recovered: list[Delivery] = []
    for channel, ts in sorted(set(found.values())):
        posted = tuple(d for d in unsure.deliveries if found.get(d.key) == (channel, ts))
        mark_posted(services.store, replace(unsure, deliveries=posted), channel, ts, services.clock)
        recovered += posted
    if recovered:
        log.info("%d reminder(s) to %s were already posted", len(recovered), unsure.destination)
    return recovered


def _failed(report: SweepReport, message: Message, err: Exception) -> None:
    log.warning("reminders to %s not sent: %s", message.destination, _reason(err))
    report.failed += [(d, _reason(err)) for d in message.deliveries]


def _post(client: WebClient, message: Message) -> dict[str, Any]:
    payload = render_message(message)
    response = client.chat_postMessage(
        channel=message.destination,
        text=payload["text"],
        blocks=payload["blocks"],
        metadata=receipt(d.key for d in message.deliveries),
        unfurl_links=False,
    )
    return {"channel": response["channel"], "ts": response["ts"]}


def _reason(err: Exception) -> str:
    response = getattr(err, "response", None)
    if response is not None and hasattr(response, "get"):
        code = response.get("error")
        status = getattr(response, "status_code", "")
        return f"Slack error {code} (HTTP {status})" if code else f"Slack HTTP {status}"
    return f"{type(err).__name__}: {err}"
