"""The in-process scheduler: it only triggers sweeps; what to send and what was sent is in the store.

Jobs live in memory (a persisted job store pickles jobs and cannot be shared between processes),
and a sweep is idempotent, so a late, coalesced or repeated run is harmless.
"""

from __future__ import annotations

import logging
from datetime import datetime

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger
from slack_sdk import WebClient

from bot.errors import report_failure
from bot.services import Services
from bot.sweep import run_sweep
from commands.housekeeping import prune_ledgers

log = logging.getLogger("govbot")
SWEEP_JOB = "reminder-sweep"


def sweep_now(services: Services, client: WebClient) -> None:
    """One sweep as of the services' clock; errors are logged so the schedule carries on."""
    if not services.store.leads_sweeps():
        return  # another replica on the same PostgreSQL database sweeps
    now = services.clock()
    try:
        prune_ledgers(services.store, now)
        report = run_sweep(services, client, now)
    except Exception as err:
        report_failure(err, "reminder sweep")
        return
    if report.sent or report.failed:
        log.info("reminder sweep: %d sent, %d failed", len(report.sent), len(report.failed))
    for note in report.unaddressed:
        log.warning("reminder not addressed: %s", note)


def start_scheduler(services: Services, client: WebClient) -> BackgroundScheduler:
    """Sweep now (catching up what was missed while down), then every minute."""
    tz = services.config.tz
    scheduler = BackgroundScheduler(timezone=tz)
    scheduler.add_job(
        sweep_now,
        IntervalTrigger(minutes=1, timezone=tz),
        args=(services, client),
        id=SWEEP_JOB,
        coalesce=True,
        max_instances=1,
        misfire_grace_time=None,  # the default 1 s would silently skip a delayed sweep
        next_run_time=datetime.now(tz),
    )
    scheduler.start()
    return scheduler
