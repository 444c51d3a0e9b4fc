"""Updates over signed HTTP (issue 10): repeated clicks record once, stored text is clean,
evidence is a web link or plain text, and a lone surrogate is no reason for a 500."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from tests.e2e.test_thread_updates import CHANNEL, LEAD, _block_action, _item, _new_ts, _reply
from tests.fakes.signing import JSON, event_body, post_signed
from tests.harness import SECRET, RunningBot, answer_text, running_bot


@pytest.fixture
def posted(tmp_path, fake_slack, cse13_store) -> Iterator[tuple[RunningBot, str]]:
    """CSE13-04 led by LEAD and posted: the bot and the thread's ts."""
    with running_bot(tmp_path, fake_slack, store=cse13_store) as bot:
        bot.command("/recs assign CSE13-04 <@ULEAD001|lead>")
        bot.command("/recs post CSE13-04", channel=CHANNEL)
        fake_slack.wait_for("chat.postMessage")
        bot.drain()
        yield bot, fake_slack.calls("chat.postMessage")[0].answer["ts"]


def test_ten_done_clicks_record_one_change_and_say_so(posted):
    bot, thread = posted
    _, before = _item(bot)
    for _ in range(10):
        assert bot.action(_block_action("set_done", LEAD, thread)) == 200
    bot.drain()
    item, history = _item(bot)
    assert item.status == "implemented"
    assert [e.change for e in history[len(before) :]] == ["status"]
    told = [c.args["text"] for c in bot.fake.calls("chat.postEphemeral")]
    assert len(told) == 9 and all("already implemented" in t for t in told)


def test_a_repeated_status_reply_without_a_note_records_nothing(posted):
    bot, thread = posted
    bot.event(_reply("in progress: started", thread))
    bot.event(_reply("in progress", thread))
    bot.drain()
    _, history = _item(bot)
    assert [e.change for e in history].count("note") == 0
    replies = [c.args["text"] for c in bot.fake.calls("chat.postMessage")]
    assert "already in progress" in replies[-1]


def test_control_characters_are_not_stored(posted):
    bot, thread = posted
    bot.event(_reply("in progress: training \x1b[2J\x1b]0;owned\x07booked\x00 today", thread))
    bot.drain()
    _, history = _item(bot)
    assert history[-1].note == "training [2J]0;ownedbooked today"


def test_a_lone_surrogate_in_an_event_is_dropped_not_a_500(posted):
    bot, thread = posted
    ts = _new_ts()
    reply = _reply("in progress: plan agreed", thread, ts=ts)
    body = event_body(reply).replace("plan agreed", "plan \\ud800agreed")
    status, _, _ = post_signed(bot.url + "/slack/events", body, SECRET, content_type=JSON)
    assert status == 200
    bot.drain()
    _, history = _item(bot)
    assert history[-1].note == "plan agreed"
    json.dumps(history[-1].to_doc()).encode("utf-8")  # the register stays writable


@pytest.mark.parametrize(
    "evidence",
    [
        "javascript:alert(document.cookie)",
        "JavaScript:void(0)",
        "data:text/html,<b>x</b>",
        "ftp://files.example/report.pdf",
        "file:///etc/passwd",
    ],
)
def test_evidence_that_is_not_a_web_link_is_refused(posted, evidence):
    bot, thread = posted
    _, before = _item(bot)
    _, answer = bot.command(f"/recs evidence CSE13-04 {evidence}")
    assert "http(s) link or plain text" in answer_text(answer)
    assert len(_item(bot)[1]) == len(before)


@pytest.mark.parametrize(
    "evidence", ["https://intranet.example/minutes.pdf", "Minutes of GAB, item 4: agreed"]
)
def test_evidence_as_a_web_link_or_plain_text_is_kept(posted, evidence):
    bot, _ = posted
    bot.command(f"/recs evidence CSE13-04 {evidence}")
    _, history = _item(bot)
    assert history[-1].evidence == evidence


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "1066-10-14"])
def test_a_due_date_outside_a_sane_range_is_refused_in_one_line(posted, day):
    bot, _ = posted
    _, answer = bot.command(f"/recs due-date CSE13-04 {day} board agreed")
    assert "not a plausible due date" in answer["text"] and "\n" not in answer["text"]
    with bot.store.transaction() as store:
        assert str(store.items.get("CSE13-04").due) != day
