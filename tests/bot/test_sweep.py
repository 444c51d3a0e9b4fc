"""Reminders are exactly-once (SPEC section 6): sweeps against the fake Slack Web API."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
from slack_sdk.http_retry.builtin_interval_calculators import FixedValueRetryIntervalCalculator

from bot.files import read_text
from bot.scheduler import SWEEP_JOB, start_scheduler
from bot.services import Services
from bot.slack_client import make_client
from bot.sweep import run_sweep
from commands.imports import import_report
from storage.models import HistoryEntry, Item
from storage.store import Store
from storage.threads import Anchor
from tests.conftest import CSE13, Stores, reference
from tests.harness import ADMIN, LONDON, Clock, answer_text, make_config

LEAD = "ULEAD001"
FRIDAY = datetime(2014, 1, 17, 9, 0, tzinfo=LONDON)  # CSE13-01..05 are due in 14 days


@pytest.fixture(scope="module")
def cse13_imported(module_stores) -> Store:
    """A register with CSE13 imported and a lead on CSE13-04, built once and copied per test."""
    store = module_stores.new()
    import_report(
        store,
        read_text(reference(CSE13)),
        file_name=CSE13.name,
        source_id="CSE13",
        title="SYP response to CSE",
        published=date(2014, 1, 31),
        now=datetime(2014, 1, 10, 9, 0, tzinfo=LONDON),
    )
    with store.transaction():
        store.items.save(replace(store.items.get("CSE13-04"), leads=(LEAD,)))
    return store


@pytest.fixture
def services(fake_slack, cse13_imported, stores):
    store = stores.copy(cse13_imported)
    config = make_config(stores.location_of(store), fake_slack)
    services = Services(config, store, clock=Clock(FRIDAY))
    yield services
    services.background.shutdown(wait=True)


def client_for(services: Services):
    """The production client, with server-error back-off cut to nothing to keep tests fast."""
    client = make_client(services.config)
    for handler in client.retry_handlers:
        if not isinstance(handler, RateLimitErrorRetryHandler):
            handler.interval_calculator = FixedValueRetryIntervalCalculator(0.0)
    return client


def restarted(services: Services, stores: Stores) -> Services:
    """A new process on the same database."""
    config = services.config
    return Services(config, stores.open(config.db_path), clock=services.clock)


def posted(fake_slack) -> list[tuple[str, str]]:
    return [(c.args["channel"], c.args["text"]) for c in fake_slack.calls("chat.postMessage")]


def test_two_sweeps_at_the_same_moment_send_each_delivery_once(services, fake_slack):
    client = client_for(services)
    first = run_sweep(services, client, FRIDAY)
    assert first.sent and not first.failed
    assert len(first.sent) == len({d.key for d in first.sent}) == 11
    # one message per destination: the channel, the lead's DM, the admin's DM
    channels = [channel for channel, _ in posted(fake_slack)]
    assert sorted(channels) == sorted({d.destination for d in first.sent}) == ["C0GOV", ADMIN, LEAD]
    [dm] = [text for channel, text in posted(fake_slack) if channel == LEAD]
    assert dm.startswith("CSE13-04 due in 14 days: The force should review the staffing")
    second = run_sweep(services, client, FRIDAY)
    assert second.pending == [] and second.sent == []
    assert len(posted(fake_slack)) == len(first.messages) == 3


def test_concurrent_sweeps_from_two_processes_send_each_delivery_once(services, fake_slack, stores):
    # What is due is taken before the race: each report's own `pending` depends on when it
    # read the ledger, so the one that read it after the other had sent some has fewer.
    due = {d.key for d in run_sweep(services, None, FRIDAY, dry_run=True).pending}
    other = restarted(services, stores)
    reports = []
    barrier = threading.Barrier(2)

    def sweep(svc: Services) -> None:
        client = client_for(svc)
        barrier.wait()
        reports.append(run_sweep(svc, client, FRIDAY))

    threads = [threading.Thread(target=sweep, args=(svc,)) for svc in (services, other)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    sent = [d.key for report in reports for d in report.sent]
    assert len(sent) == len(set(sent)) and set(sent) == due
    channels = [channel for channel, _ in posted(fake_slack)]
    assert len(channels) == len(set(channels)) == 3  # a destination's claims are taken together


def test_a_restart_between_sweeps_sends_nothing_again(services, fake_slack, stores):
    first = run_sweep(services, client_for(services), FRIDAY)
    again = restarted(services, stores)
    later = FRIDAY + timedelta(hours=3)
    assert run_sweep(again, client_for(again), later).sent == []
    assert len(posted(fake_slack)) == len(first.messages)


def test_a_post_slack_rejects_is_retried_on_the_next_sweep_once(services, fake_slack):
    fake_slack.fail_next("chat.postMessage", status=500, times=4)  # beyond the client's 3 retries
    client = client_for(services)
    first = run_sweep(services, client, FRIDAY)
    failed = [d.key for d, _ in first.failed]
    assert {d.destination for d, _ in first.failed} == {"C0GOV"} and len(failed) == 6
    assert all("internal_error" in reason for _, reason in first.failed)
    assert len(fake_slack.failed_calls) == 4
    with services.store.transaction() as store:
        assert not any(store.sent.is_sent(key) for key in failed)
    retry = run_sweep(services, client, FRIDAY + timedelta(minutes=1))
    assert [d.key for d in retry.sent] == failed  # all of them again, together
    assert run_sweep(services, client, FRIDAY + timedelta(minutes=2)).sent == []
    channels = [channel for channel, _ in posted(fake_slack)]
    assert sorted(channels) == sorted([ADMIN, LEAD, "C0GOV"])


def test_a_rate_limited_post_is_retried_by_the_client_and_sent_once(services, fake_slack):
    fake_slack.fail_next("chat.postMessage", status=429, retry_after=1)
    report = run_sweep(services, client_for(services), FRIDAY)
    assert report.failed == [] and len(fake_slack.failed_calls) == 1
    first_key = report.pending[0].key
    assert [d.key for d in report.sent].count(first_key) == 1
    assert len(report.sent) == len(report.pending)
    assert len(posted(fake_slack)) == len(report.messages) == 3


def test_a_reminder_missed_while_down_is_sent_once_the_next_day_marked_late(services, fake_slack):
    client = client_for(services)
    monday = FRIDAY + timedelta(days=3)  # the bot was down on Friday
    report = run_sweep(services, client, monday)
    late = [d for d in report.sent if d.key == "due:CSE13-04:2014-01-31:before-14:ULEAD001"]
    assert len(late) == 1 and late[0].late
    dm = [text for channel, text in posted(fake_slack) if channel == LEAD]
    assert dm == [late[0].text] and "(late)" in dm[0]
    assert run_sweep(services, client, monday + timedelta(hours=1)).sent == []
    seven_days = run_sweep(services, client, datetime(2014, 1, 24, 9, 0, tzinfo=LONDON))
    assert [(d.key, d.late) for d in seven_days.sent if d.destination == LEAD] == [
        ("due:CSE13-04:2014-01-31:before-7:ULEAD001", False)
    ]


def test_nothing_is_sent_before_the_reminder_time(services, fake_slack):
    assert run_sweep(services, client_for(services), FRIDAY - timedelta(minutes=1)).pending == []
    assert posted(fake_slack) == []


def test_a_claim_left_by_a_crashed_sweep_is_taken_over_after_it_times_out(services, fake_slack):
    key = "due:CSE13-04:2014-01-31:before-14:ULEAD001"
    with services.store.transaction() as store:
        assert store.sent.claim(key, FRIDAY)
    client = client_for(services)
    report = run_sweep(services, client, FRIDAY)
    assert [d.key for d in report.busy] == [key]
    services.clock.now = FRIDAY + timedelta(minutes=11)
    assert [d.key for d in run_sweep(services, client, services.clock.now).sent] == [key]


def test_reminders_carry_buttons_and_anchor_their_threads(services, fake_slack):
    run_sweep(services, client_for(services), FRIDAY)
    calls = fake_slack.calls("chat.postMessage")
    [dm] = [c for c in calls if c.args["channel"] == LEAD]
    [actions] = [b for b in dm.args["blocks"] if b["type"] == "actions"]
    assert [e["action_id"] for e in actions["elements"]] == [
        "set_in_progress",
        "set_done",
        "set_blocked",
        "snooze_3d",
    ]
    assert {e["value"] for e in actions["elements"]} == {"CSE13-04"}
    [digest] = [c for c in calls if "weekly digest" in c.args["text"].lower()]
    with services.store.transaction() as store:
        anchor = store.threads.resolve(dm.answer["channel"], dm.answer["ts"])
        assert anchor == Anchor("DULEAD001", dm.answer["ts"], "CSE13-04", "reminder")
        digest_anchor = store.threads.resolve("C0GOV", digest.answer["ts"])
        assert digest_anchor == Anchor("C0GOV", digest.answer["ts"], "", "digest")


def test_a_long_digest_is_one_message_under_fifty_blocks_sent_once(fake_slack, stores):
    # 70 items changed status since the March meeting: the April digest lists every change.
    digest_day = datetime(2014, 4, 22, 9, 0, tzinfo=LONDON)  # 5 working days before 29 April
    store = stores.new()
    config = make_config(stores.location_of(store), fake_slack)
    services = Services(config, store, clock=Clock(digest_day))
    changed = datetime(2014, 4, 10, 12, 0, tzinfo=LONDON)
    with services.store.transaction() as store:
        store.items.save_many(
            [
                Item(
                    id=f"BIG14-{n:02d}",
                    source="BIG14",
                    number=n,
                    status="in progress",
                    updated_at=changed,
                )
                for n in range(1, 71)
            ]
        )
        for n in range(1, 71):
            store.history.append(
                HistoryEntry(
                    f"BIG14-{n:02d}", changed, ADMIN, "status", "not started", "in progress"
                )
            )
    client = client_for(services)
    run_sweep(services, client, digest_day)
    run_sweep(services, client, digest_day + timedelta(minutes=1))
    [digest] = [c for c in fake_slack.calls("chat.postMessage") if c.args["channel"] == "C0GAB"]
    blocks = digest.args["blocks"]
    assert len(blocks) <= 50 and "more line(s)" not in answer_text(digest.args)
    # the changes as /gab's first page shows them: the source's label and 28 changes
    lines = "\n".join(b["text"]["text"] for b in blocks if b["type"] == "section").split("\n")
    assert sum(line.startswith("*BIG14-") for line in lines) == 28
    assert "42 more — `/gab next page 2`" in answer_text(digest.args)
    with services.store.transaction() as store:
        assert store.sent.is_sent("gab-digest:2014-04-29:C0GAB")
        assert store.threads.resolve("C0GAB", digest.answer["ts"]).kind == "digest"
    services.background.shutdown(wait=True)


def test_the_scheduler_sweeps_at_start_and_every_minute_in_memory(services, fake_slack):
    expected = len(run_sweep(services, None, FRIDAY, dry_run=True).messages)
    scheduler = start_scheduler(services, client_for(services))
    try:
        fake_slack.wait_for("chat.postMessage", count=expected, timeout=10)
        job = scheduler.get_job(SWEEP_JOB)
        assert job.trigger.interval == timedelta(minutes=1)
        assert (job.coalesce, job.max_instances, job.misfire_grace_time) == (True, 1, None)
        assert str(scheduler.timezone) == "Europe/London"
    finally:
        scheduler.shutdown(wait=True)
    assert len(posted(fake_slack)) == expected
    assert ADMIN in {channel for channel, _ in posted(fake_slack)}


def test_a_bad_gab_schedule_stops_gab_reminders_but_not_deadline_ones(services):
    broken = replace(services, config=replace(services.config, gab_schedule="fortnightly"))
    report = run_sweep(broken, None, FRIDAY, dry_run=True)
    assert {d.kind for d in report.pending} == {"due", "weekly_digest"}
