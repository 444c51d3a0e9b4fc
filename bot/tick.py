"""`govbot tick --at YYYY-MM-DDTHH:MM [--dry-run]`: one sweep as if at that moment."""

from __future__ import annotations

import argparse
from datetime import datetime

from bot.config import ConfigError
from bot.services import Services
from bot.slack_client import make_client
from bot.sweep import run_sweep
from commands.calendar import local_moment
from commands.errors import BadInput
from commands.hygiene import check_plausible
from commands.sweep_plan import Delivery


def parse_moment(text: str, services: Services) -> datetime:
    """--at as local time in the configured zone; a bare date means the reminder time."""
    config = services.config
    if not text:
        return services.clock().astimezone(config.tz)
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise BadInput(
            f"--at {text!r}: write it as YYYY-MM-DDTHH:MM, e.g. 2014-04-16T09:00"
        ) from None
    check_plausible(moment.date(), "moment for --at")
    if moment.tzinfo is not None:
        return moment.astimezone(config.tz)
    at = config.remind_at if len(text.strip()) == 10 else moment.time()
    return local_moment(moment.date(), at, config.tz)


def delivery_line(delivery: Delivery) -> str:
    """“2014-04-16 09:00  due  CSE13-06 → #C0GOV  due in 14 days”."""
    target = delivery.destination
    where = f"@{target}" if target[:1] in ("U", "W") else f"#{target}"
    late = " (late)" if delivery.late else ""
    return (
        f"{delivery.scheduled:%Y-%m-%d %H:%M}  {delivery.kind}  {delivery.subject} → {where}  "
        f"{delivery.reminder.label}{late}"
    )


def cmd_tick(services: Services, args: argparse.Namespace) -> int:
    config = services.config
    at = parse_moment(args.at, services)
    if args.dry_run:
        report = run_sweep(services, None, at, dry_run=True)
        for message in report.messages:  # in the order they would be posted
            for delivery in message.deliveries:
                print(delivery_line(delivery))
        if not report.pending:
            print(f"{at:%Y-%m-%d %H:%M}  nothing to send")
        else:
            print(f"{len(report.pending)} reminder(s) in {len(report.messages)} message(s)")
        for note in report.unaddressed:
            print(f"not addressed: {note}")
        return 0
    if not config.bot_token:
        raise ConfigError(
            "missing setting SLACK_BOT_TOKEN (needed to send reminders; "
            "use --dry-run to preview without it)"
        )
    report = run_sweep(services, make_client(config), at)
    for delivery in report.sent:
        print(f"sent    {delivery_line(delivery)}")
    for delivery in report.recovered:
        print(f"found   {delivery_line(delivery)}  (posted by a sweep that stopped; now recorded)")
    for delivery in report.busy:
        print(f"skipped {delivery_line(delivery)}  (another sweep is sending it)")
    for delivery, reason in report.failed:
        print(f"FAILED  {delivery_line(delivery)}  ({reason})")
    for note in report.unaddressed:
        print(f"not addressed: {note}")
    print(
        f"{at:%Y-%m-%d %H:%M}: {len(report.sent)} sent in {len(report.messages)} message(s), "
        f"{len(report.failed)} failed"
    )
    return 1 if report.failed else 0
