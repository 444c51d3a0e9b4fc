"""Slack's Web API failing (5xx, 429 with Retry-After): retried, the bot keeps serving, and
the thread reply goes out exactly once."""

from __future__ import annotations

from dataclasses import replace

import pytest

from storage.threads import Anchor
from tests.conftest import import_cse13
from tests.harness import running_bot

LEAD, CHANNEL, THREAD = "ULEAD001", "C0GOV", "1393841000.000001"


@pytest.fixture
def store(stores):
    store = import_cse13(stores.new())
    with store.transaction():
        store.threads.remember(Anchor(CHANNEL, THREAD, "CSE13-04", "item"))
        store.items.save(replace(store.items.get("CSE13-04"), leads=(LEAD,)))
    return store


def _reply(ts: str) -> dict:
    return {
        "type": "message",
        "channel": CHANNEL,
        "user": LEAD,
        "ts": ts,
        "event_ts": ts,
        "thread_ts": THREAD,
        "text": "in progress: unit review started",
    }


@pytest.mark.parametrize(
    "fault",
    [dict(status=500, times=1), dict(status=429, times=1, retry_after=1)],
    ids=["server error", "rate limited"],
)
def test_a_failing_web_api_is_retried_and_the_reply_sent_once(tmp_path, fake_slack, store, fault):
    with running_bot(tmp_path, fake_slack, store=store) as bot:
        fake_slack.fail_next("chat.postMessage", **fault)
        assert bot.event(_reply("1393841000.000200")) == 200
        status, answer = bot.command("/recs summary")  # still serving while Slack fails
        assert status == 200 and "15 items" in answer["text"]
        bot.drain()
        replies = [
            c for c in fake_slack.calls("chat.postMessage") if c.args.get("thread_ts") == THREAD
        ]
        assert len(replies) == 1 and "not started → in progress" in replies[0].args["text"]
        assert [c.status for c in fake_slack.failed_calls] == [fault["status"]]
        with bot.store.transaction() as s:
            assert s.items.get("CSE13-04").status == "in progress"
            assert sum(e.change == "status" for e in s.history.for_item("CSE13-04")) == 1
