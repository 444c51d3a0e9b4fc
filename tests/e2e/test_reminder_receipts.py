"""A reminder Slack posted but the sweep never recorded (it died, or the answer was lost) is found
in Slack by the sweep that takes over its claims, and not posted a second time."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from bot.services import Services
from bot.slack_client import make_client
from bot.sweep import run_sweep
from storage.store import Store
from tests.conftest import import_cse13
from tests.e2e.test_tick import start_tick, tick_env
from tests.harness import LONDON, Clock, make_config

FRIDAY = datetime(2014, 1, 17, 9, 0, tzinfo=LONDON)  # CSE13-01..05 are due in 14 days
LEAD = "ULEAD001"


def _with_register(store: Store) -> Store:
    import_cse13(store)
    with store.transaction():
        store.items.save(replace(store.items.get("CSE13-04"), leads=(LEAD,)))
    return store


def _services(store: Store, fake_slack, tmp_path, now: datetime) -> Services:
    config = make_config(tmp_path / "govbot.json", fake_slack)
    return Services(config, store, clock=Clock(now))


def _sent_keys(store: Store) -> set[str]:
    with store.transaction():
        return store.sent.sent_keys()


def _posts(fake_slack) -> list[str]:
    return [c.answer["channel"] for c in fake_slack.calls("chat.postMessage")]


def test_a_post_whose_answer_was_lost_is_found_in_slack_not_posted_again(
    stores, fake_slack, tmp_path
):
    store = _with_register(stores.new())
    services = _services(store, fake_slack, tmp_path, FRIDAY)
    impatient = make_client(services.config, timeout=1)
    fake_slack.hold_reply("chat.postMessage", 2)  # Slack posts, the answer comes too late
    first = run_sweep(services, impatient, FRIDAY)
    assert first.sent == [] and len(first.failed) == len(first.pending) > 0
    posted = _posts(fake_slack)
    assert sorted(posted) == sorted({"C0GOV", "DUADMIN01", "DULEAD001"})  # once each, no retry
    assert _sent_keys(store) == set()
    fake_slack.hold_reply("chat.postMessage", 0)

    # the claims stay while they may still be in flight...
    services.clock.now = FRIDAY + timedelta(minutes=1)
    assert len(run_sweep(services, impatient, services.clock.now).busy) == len(first.pending)
    # ...and the sweep that takes them over finds every message in Slack
    services.clock.now = FRIDAY + timedelta(minutes=11)
    later = run_sweep(services, impatient, services.clock.now)
    assert later.sent == [] and sorted(d.key for d in later.recovered) == sorted(
        d.key for d in first.pending
    )
    assert _posts(fake_slack) == posted
    assert _sent_keys(store) == {d.key for d in first.pending}
    # the recovered DM still anchors its thread: a reply there updates the item
    [dm] = fake_slack.messages(LEAD)
    with store.transaction():
        anchor = store.threads.resolve("DULEAD001", dm["ts"])
    assert anchor is not None and anchor.item_id == "CSE13-04"


def test_a_reminder_posted_by_a_sweep_killed_before_recording_it_is_not_posted_again(
    tmp_path, fake_slack, stores
):
    db = stores.location()
    services = _services(_with_register(stores.open(db)), fake_slack, tmp_path, FRIDAY)
    env = tick_env(db, fake_slack)
    fake_slack.hold_reply("chat.postMessage", 30)
    process = start_tick(env, tmp_path, "--at", "2014-01-17T09:00")
    try:
        fake_slack.wait_for("chat.postMessage", 1, timeout=30)
    finally:
        process.kill()  # after Slack posted, before the sweep heard back and recorded it
        process.communicate(timeout=30)
    fake_slack.hold_reply("chat.postMessage", 0)
    [first] = _posts(fake_slack)

    # its claims time out; a sweep taking them over finds that message and posts the rest
    services.clock.now = datetime.now(LONDON) + timedelta(minutes=11)
    report = run_sweep(services, make_client(services.config), FRIDAY)
    carried = {
        k
        for m in fake_slack.messages(first)
        for k in m["metadata"]["event_payload"]["keys"].split()
    }
    assert {d.key for d in report.recovered} == carried and carried
    assert sorted(_posts(fake_slack)) == sorted({"C0GOV", "DUADMIN01", "DULEAD001"})
    assert _sent_keys(services.store) == {d.key for d in report.pending}


@pytest.fixture(autouse=True)
def _no_hold(fake_slack):
    yield
    fake_slack.hold_reply("chat.postMessage", 0)
