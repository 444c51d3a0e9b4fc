"""Combined reminders end to end (SPEC section 10): a sweep against the fake Slack Web API, then
really signed events and button presses from the leads who received them."""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any

import pytest

from bot.slack_client import make_client
from bot.sweep import run_sweep
from tests.harness import ADMIN, LONDON, Clock, RunningBot, answer_text, running_bot

LEAD = "ULEAD001"  # leads CSE13-01, -02 and -03
SOLO = "ULEAD002"  # leads CSE13-04 only
FRIDAY = datetime(2014, 1, 17, 9, 0, tzinfo=LONDON)  # CSE13-01..05 are due in 14 days
_serial = itertools.count(1)


@pytest.fixture
def bot(tmp_path, fake_slack, cse13_store):
    with cse13_store.transaction() as store:
        for n, leads in ((1, (LEAD,)), (2, (LEAD,)), (3, (LEAD,)), (4, (SOLO,))):
            item = store.items.get(f"CSE13-0{n}")
            store.items.save(replace(item, leads=leads))
    with running_bot(tmp_path, fake_slack, clock=Clock(FRIDAY), store=cse13_store) as running:
        yield running


def sweep(bot: RunningBot, at: datetime):
    bot.clock.now = at
    return run_sweep(bot.services, make_client(bot.services.config), at)


def top_level(bot: RunningBot, channel: str) -> list[Any]:
    return [
        c
        for c in bot.fake.calls("chat.postMessage")
        if c.args["channel"] == channel and not c.args.get("thread_ts")
    ]


def reply(bot: RunningBot, user: str, thread_ts: str, text: str) -> None:
    ts = f"1390000000.{next(_serial):06d}"
    event = {
        "type": "message",
        "channel": f"D{user}",
        "channel_type": "im",
        "user": user,
        "text": text,
        "ts": ts,
        "thread_ts": thread_ts,
        "event_ts": ts,
    }
    assert bot.event(event, event_id=f"Ev{ts}") == 200
    bot.drain()


def status(bot: RunningBot, item_id: str) -> str:
    with bot.store.transaction() as store:
        return store.items.get(item_id).status


def test_one_message_per_recipient_and_a_lead_updates_an_item_from_the_dm_thread(bot):
    report = sweep(bot, FRIDAY)
    assert len(report.messages) == 4 and not report.failed  # channel, two leads, one admin
    for destination in ("C0GOV", LEAD, SOLO, ADMIN):
        assert len(top_level(bot, destination)) == 1, destination
    [dm] = top_level(bot, LEAD)
    body = answer_text(dm.args)
    assert all(f"CSE13-0{n}" in body for n in (1, 2, 3)) and "CSE13-04" not in body
    channel = answer_text(top_level(bot, "C0GOV")[0].args)
    assert f"<@{LEAD}>" not in channel and "lead reminded by DM" in channel

    thread = dm.answer["ts"]
    reply(bot, LEAD, thread, "CSE13-02 in progress: training booked for March")
    assert [status(bot, f"CSE13-0{n}") for n in (1, 2, 3)] == [
        "not started",
        "in progress",
        "not started",
    ]
    [confirmation] = [
        c.args["text"]
        for c in bot.fake.calls("chat.postMessage")
        if c.args.get("thread_ts") == thread
    ]
    assert "CSE13-02" in confirmation and "in progress" in confirmation

    # in a thread of several items an update without the id is a near miss: a private hint
    reply(bot, LEAD, thread, "done: all three finished")
    [hint] = bot.fake.calls("chat.postEphemeral")
    assert hint.args["user"] == LEAD and hint.args["thread_ts"] == thread
    assert "ITEM-ID done: all three finished" in hint.args["text"]
    # conversation gets no answer at all
    calls = len(bot.fake.calls())
    reply(bot, LEAD, thread, "done what we can but more is needed")
    assert len(bot.fake.calls()) == calls
    assert [status(bot, f"CSE13-0{n}") for n in (1, 3)] == ["not started", "not started"]


def test_with_one_item_in_the_dm_the_reply_may_leave_out_the_id(bot):
    sweep(bot, FRIDAY)
    [dm] = top_level(bot, SOLO)
    reply(bot, SOLO, dm.answer["ts"], "in progress – first workshop held")
    assert status(bot, "CSE13-04") == "in progress"
    reply(bot, SOLO, dm.answer["ts"], "Status: done")
    [hint] = bot.fake.calls("chat.postEphemeral")
    assert "“done”" in hint.args["text"] and "Nothing was changed" in hint.args["text"]
    assert status(bot, "CSE13-04") == "in progress"


def test_remind_me_in_3_days_snoozes_the_item_for_the_person_who_pressed_it(bot):
    sweep(bot, FRIDAY)
    [dm] = top_level(bot, LEAD)
    payload = {
        "type": "block_actions",
        "team": {"id": "T0001", "domain": "govbot-test"},
        "user": {"id": LEAD, "username": "lead", "team_id": "T0001"},
        "api_app_id": "A0GOVBOT",
        "token": "fake-verification-token",
        "trigger_id": "1.1.trigger",
        "container": {
            "type": "message",
            "message_ts": dm.answer["ts"],
            "channel_id": f"D{LEAD}",
            "is_ephemeral": False,
        },
        "channel": {"id": f"D{LEAD}", "name": "directmessage"},
        "message": {"type": "message", "ts": dm.answer["ts"], "user": "UBOT", "bot_id": "BBOT"},
        "actions": [
            {
                "type": "button",
                "action_id": "snooze_3d",
                "block_id": "item:CSE13-02",
                "value": "CSE13-02",
                "action_ts": "1390000100.000001",
            }
        ],
    }
    assert bot.action(payload) == 200
    bot.drain()
    with bot.store.transaction() as store:
        assert store.snoozes.all() == {(LEAD, "CSE13-02"): date(2014, 1, 20)}
    # the 7-day reminders on Friday 24 January: the snooze has woken by then, so the lead
    # hears about CSE13-02 again; on Monday 20th it wakes with a reminder to that lead only
    monday = sweep(bot, FRIDAY + timedelta(days=3))
    woken = [(d.key, d.destination) for d in monday.sent if d.key.startswith("snooze:")]
    assert woken == [(f"snooze:CSE13-02:2014-01-20:{LEAD}", LEAD)]
    assert len(top_level(bot, LEAD)) == 2 and len(top_level(bot, SOLO)) == 1


def test_a_subscribed_channel_gets_one_message_with_its_items(bot):
    status_code, answer = bot.command("/recs subscribe lead <@ULEAD002|solo>", channel="C0SOLO")
    assert status_code == 200 and "now receives" in answer_text(answer)
    sweep(bot, FRIDAY)
    [message] = top_level(bot, "C0SOLO")
    body = answer_text(message.args)
    assert "CSE13-04" in body and "CSE13-01" not in body
    assert len(top_level(bot, "C0GOV")) == 1
