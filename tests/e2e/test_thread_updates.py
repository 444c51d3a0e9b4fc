"""Thread replies and buttons end to end: really signed Events API and interaction payloads."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from storage.threads import Anchor
from tests.fakes.signing import view_submission
from tests.harness import RunningBot, answer_text, running_bot

LEAD = "ULEAD001"
STRANGER = "USTRANGER1"
CHANNEL = "C0GOV"
INJECTION = "<!channel> <!here> <@U999> <https://evil.example|click me>"
FORBIDDEN = ("<!channel>", "<!here>", "<@U999>", "<https://evil")

_serial = itertools.count(1)


def _strings(value: Any) -> Iterator[str]:
    """Every string anywhere inside a call's arguments."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from _strings(v)


def _new_ts() -> str:
    return f"1393841000.{next(_serial):06d}"


def _reply(text: str, thread_ts: str, user: str = LEAD, ts: str | None = None) -> dict:
    ts = ts or _new_ts()
    return {
        "type": "message",
        "channel": CHANNEL,
        "channel_type": "channel",
        "user": user,
        "text": text,
        "ts": ts,
        "thread_ts": thread_ts,
        "event_ts": ts,
    }


def _thread_replies(bot: RunningBot, thread_ts: str) -> list[str]:
    return [
        c.args["text"]
        for c in bot.fake.calls("chat.postMessage")
        if c.args.get("thread_ts") == thread_ts
    ]


def _item(bot: RunningBot, item_id: str = "CSE13-04"):
    with bot.store.transaction() as store:
        return store.items.get(item_id), store.history.for_item(item_id)


@pytest.fixture
def posted(tmp_path, fake_slack, cse13_store) -> Iterator[tuple[RunningBot, str]]:
    """CSE13-04 assigned to LEAD and posted to the channel: the bot and the thread's ts."""
    with running_bot(tmp_path, fake_slack, store=cse13_store) as bot:
        _, answer = bot.command("/recs assign CSE13-04 <@ULEAD001|lead>")
        assert "lead set to" in answer_text(answer)
        bot.command("/recs post CSE13-04", channel=CHANNEL)
        fake_slack.wait_for("chat.postMessage")
        bot.drain()
        yield bot, fake_slack.calls("chat.postMessage")[0].answer["ts"]


def test_the_lead_updates_in_the_thread_and_a_stranger_cannot(posted):
    bot, thread = posted
    update = _reply(
        "in progress: vulnerability training rolled out to 1,700 frontline staff", thread
    )
    assert bot.event(update) == 200
    bot.drain()

    assert _thread_replies(bot, thread) == ["CSE13-04: not started → in progress, by <@ULEAD001>"]
    (reaction,) = bot.fake.calls("reactions.add")
    assert (reaction.args["channel"], reaction.args["timestamp"]) == (CHANNEL, update["ts"])
    assert reaction.args["name"] == "white_check_mark"
    permalink = bot.fake.calls("chat.getPermalink")[0].answer["permalink"]
    _, answer = bot.command("/recs CSE13-04", user=LEAD)
    text = answer_text(answer)
    assert "in progress" in text
    assert "vulnerability training rolled out to 1,700 frontline staff" in text
    assert f"<{permalink}|link>" in text

    bot.event(_reply("done", thread, user=STRANGER))
    bot.drain()
    item, history = _item(bot)
    assert item.status == "in progress" and all(e.by != STRANGER for e in history)
    refusal = _thread_replies(bot, thread)[-1]
    assert refusal.startswith("Sorry, CSE13-04 can only be updated by its lead (<@ULEAD001>)")
    assert "governance admin" in refusal and "Nothing was changed." in refusal
    assert len(bot.fake.calls("reactions.add")) == 1


def test_retries_and_duplicate_deliveries_record_once_and_reply_once(posted):
    bot, thread = posted
    update = _reply("done - review of PPU workloads completed", thread)
    assert bot.event(update, event_id="Ev0RETRY01") == 200
    retry = {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
    assert bot.event(update, event_id="Ev0RETRY01", headers=retry) == 200
    assert bot.event(update, event_id="Ev0DUPLICATE") == 200
    bot.drain()

    item, history = _item(bot)
    assert item.status == "implemented"
    assert [e.note for e in history if e.by == LEAD] == ["review of PPU workloads completed"]
    assert _thread_replies(bot, thread) == ["CSE13-04: not started → implemented, by <@ULEAD001>"]
    assert len(bot.fake.calls("reactions.add")) == 1

    refused = _reply("closed", thread, user=STRANGER)
    bot.event(refused, event_id="Ev0RETRY02")
    bot.event(refused, event_id="Ev0RETRY02", headers=retry)
    bot.drain()
    assert len(_thread_replies(bot, thread)) == 2  # one polite refusal, not two


def test_two_bots_on_one_database_record_a_delivery_once(tmp_path, fake_slack, cse13_store, stores):
    with running_bot(tmp_path, fake_slack, store=cse13_store) as first:
        first.command("/recs assign CSE13-04 <@ULEAD001|lead>")
        with first.store.transaction() as store:
            store.threads.remember(Anchor(CHANNEL, "1393840600.000100", "CSE13-04", "item"))
        second_store = stores.open(stores.location_of(cse13_store))
        with running_bot(tmp_path, fake_slack, store=second_store) as second:
            update = _reply("in progress: started", "1393840600.000100")
            with ThreadPoolExecutor(max_workers=2) as pool:
                statuses = list(pool.map(lambda bot: bot.event(update), (first, second)))
            assert statuses == [200, 200]
            first.drain()
            second.drain()
    _, history = _item(first)
    assert [e.note for e in history if e.by == LEAD] == ["started"]
    assert len(_thread_replies(first, "1393840600.000100")) == 1


def test_conversation_bots_and_deletions_are_ignored(posted):
    bot, thread = posted
    bot.event(_reply("thanks all, see you at GAB", thread))
    bot.event({**_reply("done", thread, user="UBOT"), "bot_id": "BBOT"})
    bot.event({**_reply("done", thread, user="UOTHERBOT"), "bot_id": "B0THER"})
    bot.event({**_reply("done", thread), "subtype": "bot_message", "bot_id": "B0HOOK"})
    bot.event(_reply("done", thread, user="UBOT"))  # our own user id, without bot_id
    bot.event(
        {
            "type": "message",
            "subtype": "message_deleted",
            "channel": CHANNEL,
            "ts": _new_ts(),
            "deleted_ts": _new_ts(),
            "hidden": True,
            "previous_message": _reply("done", thread),
        }
    )
    bot.event(_reply("done", "1393840000.000001"))  # a thread the bot did not start
    bot.drain()
    item, _ = _item(bot)
    assert item.status == "not started"
    assert _thread_replies(bot, thread) == []
    assert bot.fake.calls("reactions.add") == []


def test_blocked_needs_a_note_and_changes_nothing_without_one(posted):
    bot, thread = posted
    bot.event(_reply("blocked", thread))
    bot.drain()
    item, _ = _item(bot)
    assert item.status == "not started"
    (answer,) = _thread_replies(bot, thread)
    assert "what it is blocked on" in answer and "was not changed" in answer
    assert bot.fake.calls("reactions.add") == []

    bot.event(_reply("blocked: waiting for the local authority data-sharing agreement", thread))
    bot.drain()
    item, history = _item(bot)
    assert item.status == "blocked"
    assert history[-1].note == "waiting for the local authority data-sharing agreement"


def test_an_edit_adds_an_amendment_and_rewrites_nothing(posted):
    bot, thread = posted
    update = _reply("in progress: training rolled out to 1,700 staff", thread)
    bot.event(update)
    bot.drain()
    replies_before = len(bot.fake.calls("chat.postMessage"))
    edited = {**update, "text": "done: training rolled out to 1,800 frontline staff"}
    edited["edited"] = {"user": LEAD, "ts": _new_ts()}
    edit_ts = _new_ts()
    edit_event = {
        "type": "message",
        "subtype": "message_changed",
        "hidden": True,
        "channel": CHANNEL,
        "ts": edit_ts,
        "event_ts": edit_ts,
        "message": edited,
        "previous_message": update,
    }
    bot.event(edit_event)
    bot.drain()
    item, history = _item(bot)
    assert item.status == "in progress"
    original, amendment = history[-2:]
    assert original.note == "training rolled out to 1,700 staff"  # never rewritten
    assert original.permalink.startswith("https://")
    assert (amendment.change, amendment.by) == ("amend", LEAD)
    assert amendment.old == "training rolled out to 1,700 staff"
    assert amendment.new == "training rolled out to 1,800 frontline staff"
    assert len(bot.fake.calls("chat.postMessage")) == replies_before
    bot.event(edit_event)  # Slack delivers the same edit again: nothing more is added
    bot.drain()
    assert len(_item(bot)[1]) == len(history)


def test_a_digest_thread_takes_the_item_id_first(posted):
    bot, _ = posted
    digest_ts = "1393840500.000100"
    with bot.store.transaction() as store:
        store.threads.remember(Anchor(CHANNEL, digest_ts, "", "digest"))
    bot.event(_reply("done - review completed", digest_ts))  # which item? ignored
    bot.event(_reply("CSE13-04 done - review completed", digest_ts))
    bot.drain()
    item, history = _item(bot)
    assert item.status == "implemented" and history[-1].note == "review completed"
    assert _thread_replies(bot, digest_ts) == [
        "CSE13-04: not started → implemented, by <@ULEAD001>"
    ]


def test_admin_only_words_are_refused_for_a_lead(posted):
    bot, thread = posted
    bot.event(_reply("closed: all done", thread))
    bot.drain()
    item, _ = _item(bot)
    assert item.status == "not started"
    (answer,) = _thread_replies(bot, thread)
    assert "Only a governance admin can mark CSE13-04 closed" in answer


def test_an_injection_comes_out_as_text_everywhere(posted):
    bot, thread = posted
    bot.event(_reply(f"in progress: {INJECTION}", thread))
    bot.event(_reply(f"done {INJECTION}", thread, user=STRANGER))
    bot.event(_reply(f"CSE13-04 blocked: {INJECTION}", thread))
    bot.event({"type": "app_home_opened", "user": LEAD, "channel": "D0LEAD", "tab": "home"})
    bot.drain()
    _, answer = bot.command("/recs CSE13-04", user=LEAD)
    _, history = _item(bot)
    assert history[-1].note == "@channel @here @U999 https://evil.example (click me)"
    assert bot.fake.calls("views.publish") and len(bot.fake.calls("reactions.add")) == 2

    texts = [s for call in bot.fake.calls() for s in _strings(call.args)]
    texts += list(_strings(answer))
    assert any("evil.example" in t for t in texts)  # the note did go out…
    for text in texts:  # …but only as text
        for forbidden in FORBIDDEN:
            assert forbidden not in text


def _block_action(
    action_id: str, user: str, message_ts: str = "", channel: str = CHANNEL
) -> dict[str, Any]:
    serial = next(_serial)
    payload: dict[str, Any] = {
        "type": "block_actions",
        "team": {"id": "T0001", "domain": "govbot-test"},
        "user": {"id": user, "username": f"user-{user.lower()}", "team_id": "T0001"},
        "api_app_id": "A0GOVBOT",
        "token": "fake-verification-token",
        "trigger_id": f"{serial}.1.trigger",
        "actions": [
            {
                "type": "button",
                "action_id": action_id,
                "block_id": "item:CSE13-04",
                "value": "CSE13-04",
                "action_ts": f"1393841500.{serial:06d}",
            }
        ],
    }
    if channel:
        payload["container"] = {
            "type": "message",
            "message_ts": message_ts,
            "channel_id": channel,
            "is_ephemeral": False,
        }
        payload["channel"] = {"id": channel, "name": "governance"}
        payload["message"] = {"type": "message", "ts": message_ts, "user": "UBOT", "bot_id": "BBOT"}
    else:
        payload["container"] = {"type": "view", "view_id": "V0HOME"}
        payload["view"] = {"id": "V0HOME", "type": "home"}
    return payload


def _submit_blocked(bot: RunningBot, user: str, view: dict, note: str) -> dict:
    modal = {**view, "id": view.get("id", "V0MODAL")}
    status, answer = bot.interact(view_submission(modal, user, {"note": note}))
    assert status == 200
    return answer


def test_in_progress_and_done_buttons_update_under_the_same_rules(posted):
    bot, thread = posted
    assert bot.action(_block_action("set_in_progress", LEAD, thread)) == 200
    bot.drain()
    item, history = _item(bot)
    assert item.status == "in progress" and history[-1].by == LEAD
    assert _thread_replies(bot, thread) == ["CSE13-04: not started → in progress, by <@ULEAD001>"]
    assert history[-1].permalink.startswith("https://")

    bot.action(_block_action("set_done", STRANGER, thread))
    bot.drain()
    item, _ = _item(bot)
    assert item.status == "in progress"
    (refusal,) = bot.fake.calls("chat.postEphemeral")
    assert refusal.args["user"] == STRANGER and "can only be updated by" in refusal.args["text"]

    bot.action(_block_action("set_done", LEAD, thread))
    bot.drain()
    item, _ = _item(bot)
    assert item.status == "implemented"
    assert _thread_replies(bot, thread)[-1] == (
        "CSE13-04: in progress → implemented, by <@ULEAD001>"
    )


def test_the_blocked_button_asks_for_a_note_in_a_modal(posted):
    bot, thread = posted
    bot.action(_block_action("set_blocked", LEAD, thread))
    (opened,) = bot.fake.calls("views.open")
    view = opened.answer["view"]
    assert view["callback_id"] == "blocked_note"
    assert view["blocks"][0]["block_id"] == "note"

    answer = _submit_blocked(bot, LEAD, view, "   ")
    assert answer["response_action"] == "errors" and "note" in answer["errors"]
    item, _ = _item(bot)
    assert item.status == "not started"

    answer = _submit_blocked(bot, LEAD, view, f"waiting for the data-sharing agreement {INJECTION}")
    assert answer.get("response_action") is None
    bot.drain()
    item, history = _item(bot)
    assert item.status == "blocked"
    assert history[-1].note.startswith("waiting for the data-sharing agreement")
    assert _thread_replies(bot, thread) == ["CSE13-04: not started → blocked, by <@ULEAD001>"]
    for call in bot.fake.calls():
        for text in _strings(call.args):
            assert not any(forbidden in text for forbidden in FORBIDDEN)


def test_a_stranger_gets_no_modal_for_blocked(posted):
    bot, thread = posted
    bot.action(_block_action("set_blocked", STRANGER, thread))
    bot.drain()
    assert bot.fake.calls("views.open") == []
    (refusal,) = bot.fake.calls("chat.postEphemeral")
    assert "can only be updated by" in refusal.args["text"]


def test_a_button_on_the_home_tab_refreshes_it(posted):
    bot, _ = posted
    bot.action(_block_action("set_in_progress", LEAD, channel=""))
    bot.drain()
    item, _ = _item(bot)
    assert item.status == "in progress"
    (published,) = bot.fake.calls("views.publish")
    assert published.args["user_id"] == LEAD
    assert "in progress" in json.dumps(published.args["view"])
