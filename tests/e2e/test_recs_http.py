"""/recs end to end: really signed slash commands over HTTP to a running bot."""

from __future__ import annotations

import time
from datetime import datetime

import pytest

from tests.fakes.signing import post_signed, slash_command_body
from tests.harness import ADMIN, LONDON, SECRET, Clock, answer_text, running_bot


def test_summary_overdue_due_and_one_item(tmp_path, fake_slack, cse13_store):
    clock = Clock(datetime(2014, 3, 3, 10, 0, tzinfo=LONDON))
    with running_bot(tmp_path, fake_slack, clock, store=cse13_store) as bot:
        status, answer = bot.command("/recs summary")
        assert status == 200
        text = answer_text(answer)
        assert "15 items" in text and "not started 15" in text
        assert "Open: 🔴 5 🟢 10" in text  # the three-month items are 58 days away: green

        status, answer = bot.command("/recs overdue")
        text = answer_text(answer)
        assert status == 200 and answer["response_type"] == "ephemeral"
        assert "5 item(s)" in text
        for n in range(1, 6):
            assert f"CSE13-0{n}" in text
        assert "31 days overdue" in text  # 2014-01-31 → 2014-03-03
        assert "CSE13-06" not in text

        _, answer = bot.command("/recs due 90")
        text = answer_text(answer)
        assert "4 item(s)" in text and "CSE13-06" in text and "CSE13-10" not in text

        _, answer = bot.command("/recs cse13-4")
        text = answer_text(answer)
        assert "Hi-Tech Crime Unit" in text and "Processes" in text
        assert "2014-01-31" in text and "awaiting allocation" in text and "red" in text


def test_bad_words_get_help_not_a_stack_trace(tmp_path, fake_slack, cse13_store):
    with running_bot(tmp_path, fake_slack, store=cse13_store) as bot:
        _, answer = bot.command("/recs district rotheram")
        assert "Did you mean Rotherham?" in answer_text(answer)
        _, answer = bot.command("/recs CSE13-99")
        assert "No item “CSE13-99”" in answer_text(answer)
        _, answer = bot.command("/recs status finished")
        assert "Unknown status" in answer_text(answer)


def test_leads_change_their_items_and_admins_assign(tmp_path, fake_slack, cse13_store):
    with running_bot(tmp_path, fake_slack, store=cse13_store) as bot:
        _, answer = bot.command("/recs set CSE13-04 in progress started", user="ULEAD001")
        assert "can only be updated by" in answer_text(answer)
        _, answer = bot.command("/recs assign CSE13-04 <@ULEAD001|lead>", user="ULEAD001")
        assert "Only a governance admin" in answer_text(answer)

        _, answer = bot.command("/recs assign CSE13-04 <@ULEAD001|lead>")
        assert "lead set to @ULEAD001" in answer_text(answer)
        _, answer = bot.command("/recs set CSE13-04 in progress: review started", user="ULEAD001")
        assert "not started → in progress" in answer_text(answer)
        _, answer = bot.command("/recs mine", user="ULEAD001")
        assert "CSE13-04" in answer_text(answer) and "1 item(s)" in answer_text(answer)
        with bot.store.transaction() as store:
            item = store.items.get("CSE13-04")
            assert item.status == "in progress" and item.leads == ("ULEAD001",)
            notes = [e.note for e in store.history.for_item("CSE13-04")]
        assert "review started" in notes


def test_due_date_move_keeps_the_original(tmp_path, fake_slack, cse13_store):
    with running_bot(tmp_path, fake_slack, store=cse13_store) as bot:
        _, answer = bot.command("/recs due-date CSE13-04 2014-06-30")
        assert "Give a reason" in answer_text(answer)
        _, answer = bot.command("/recs due-date CSE13-04 2014-06-30 agreed at GAB, new unit")
        assert "originally 2014-01-31" in answer_text(answer)
        _, answer = bot.command("/recs CSE13-04")
        assert "2014-06-30 (originally 2014-01-31)" in answer_text(answer)


def test_post_puts_the_item_in_the_channel_and_remembers_the_thread(
    tmp_path, fake_slack, cse13_store
):
    with running_bot(tmp_path, fake_slack, store=cse13_store) as bot:
        status, answer = bot.command("/recs post CSE13-04", channel="C0GOV")
        assert status == 200 and "Posting CSE13-04" in answer["text"]
        call = fake_slack.wait_for("chat.postMessage")[0]
        assert call.args["channel"] == "C0GOV" and "CSE13-04" in call.args["text"]
        bot.drain()
        posted_ts = fake_slack.calls("chat.postMessage")[0].answer["ts"]
        with bot.store.transaction() as store:
            anchor = store.threads.resolve("C0GOV", posted_ts)
        assert anchor is not None and anchor.item_id == "CSE13-04" and anchor.kind == "item"


def test_export_is_admins_only_and_uploads_csv(tmp_path, fake_slack, cse13_store):
    with running_bot(tmp_path, fake_slack, store=cse13_store) as bot:
        _, answer = bot.command("/recs export", user="ULEAD001")
        assert "Only a governance admin" in answer_text(answer)
        _, answer = bot.command("/recs export")
        assert "govbot-register-" in answer["text"]
        fake_slack.wait_for("files.completeUploadExternal")
        (data,) = fake_slack.uploads().values()
        lines = data.decode().splitlines()
        assert lines[0].startswith("Ref,Source id,Report,Published,Publisher,Kind,Area,")
        assert len(lines) == 16


@pytest.mark.parametrize(
    "signature, age",
    [("v0=" + "0" * 64, 0), (None, 600), ("", 0)],
    ids=["bad signature", "stale timestamp", "missing signature"],
)
def test_unsigned_or_stale_requests_are_refused_and_change_nothing(
    tmp_path, fake_slack, cse13_store, signature, age
):
    with running_bot(tmp_path, fake_slack, store=cse13_store) as bot:
        body = slash_command_body("/recs", "assign CSE13-04 <@UX|x>", user_id=ADMIN)
        status, _, _ = post_signed(
            bot.url + "/slack/events",
            body,
            SECRET,
            content_type="application/x-www-form-urlencoded",
            timestamp=int(time.time()) - age,
            signature=signature,
        )
        assert status == 401
        with bot.store.transaction() as store:
            assert store.items.get("CSE13-04").leads == ()


def test_requests_from_another_workspace_are_refused(tmp_path, fake_slack, cse13_store):
    with running_bot(tmp_path, fake_slack, store=cse13_store, team_id="T0001") as bot:
        status, _ = bot.command("/recs summary")
        assert status == 200
        status, _ = bot.command("/recs assign CSE13-04 <@UX|x>", team_id="T0EVIL")
        assert status == 401
        with bot.store.transaction() as store:
            assert store.items.get("CSE13-04").leads == ()


def test_a_replayed_change_acts_once_and_a_replayed_read_answers_each_time(
    tmp_path, fake_slack, cse13_store
):
    clock = Clock(datetime(2014, 3, 3, 10, 0, tzinfo=LONDON))
    with running_bot(tmp_path, fake_slack, clock, store=cse13_store) as bot:
        for _ in range(2):  # a read records no trigger, whichever backend answers
            _, answer = bot.command("/recs CSE13-04", trigger_id="7.1.trig")
            assert "CSE13-04" in answer_text(answer) and "already" not in answer_text(answer)
        _, first = bot.command("/recs assign CSE13-04 <@ULEAD001|lead>", trigger_id="7.2.trig")
        _, again = bot.command("/recs assign CSE13-04 <@ULEAD001|lead>", trigger_id="7.2.trig")
        assert "lead set to" in answer_text(first)
        assert "already carried out" in answer_text(again)
        with cse13_store.transaction() as store:
            assert [e.change for e in store.history.for_item("CSE13-04")].count("lead") == 1
