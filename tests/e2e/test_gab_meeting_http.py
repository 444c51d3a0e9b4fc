"""A GAB meeting held in Slack, end to end over signed requests: digest → discussed → actions →
minutes → the actions reminded the next week, and the Panel report sent to an admin."""

from __future__ import annotations

import itertools
import zipfile
from datetime import datetime
from io import BytesIO

from docx import Document

from bot.slack_client import make_client
from bot.sweep import run_sweep
from tests.harness import ADMIN, LONDON, Clock, RunningBot, answer_text, running_bot

LEAD = "ULEAD001"
MEMBER = "UMEMBER01"
GAB = "C0GAB"
# The last Tuesday of December 2026; Christmas and the Boxing Day substitute (Monday 28th) make
# the digest, five working days before, go out on Friday 18 December.
DIGEST_DAY = datetime(2026, 12, 18, 9, 5, tzinfo=LONDON)
IN_MEETING = datetime(2026, 12, 29, 10, 20, tzinfo=LONDON)
AFTER_MEETING = datetime(2026, 12, 29, 15, 0, tzinfo=LONDON)
NEXT_WEEK = datetime(2027, 1, 5, 9, 5, tzinfo=LONDON)
_serial = itertools.count(1)


def _message(text: str, user: str, thread_ts: str = "") -> dict:
    ts = f"1798540000.{next(_serial):06d}"
    event = {"type": "message", "channel": GAB, "channel_type": "channel", "user": user}
    event |= {"text": text, "ts": ts, "event_ts": ts}
    return event | ({"thread_ts": thread_ts} if thread_ts else {})


def _press_discussed(item_id: str, message_ts: str) -> dict:
    return {
        "type": "block_actions",
        "team": {"id": "T0001", "domain": "govbot-test"},
        "user": {"id": MEMBER, "username": "member", "team_id": "T0001"},
        "api_app_id": "A0GOVBOT",
        "trigger_id": "77.1.trigger",
        "container": {"type": "message", "message_ts": message_ts, "channel_id": GAB},
        "channel": {"id": GAB, "name": "gab"},
        "message": {"type": "message", "ts": message_ts, "user": "UBOT", "bot_id": "BBOT"},
        "actions": [
            {
                "type": "button",
                "action_id": "gab_discussed",
                "block_id": "b1",
                "value": item_id,
                "action_ts": "1798540999.000001",
            }
        ],
    }


def _posts_to(bot: RunningBot, channel: str) -> list:
    return [c for c in bot.fake.calls("chat.postMessage") if c.args.get("channel") == channel]


def _uploaded(bot: RunningBot) -> dict[str, bytes]:
    """Uploaded bytes by file name."""
    names = {
        c.answer["file_id"]: c.args["filename"]
        for c in bot.fake.calls("files.getUploadURLExternal")
    }
    return {names[file_id]: data for file_id, data in bot.fake.uploads().items()}


def _docx_text(data: bytes) -> str:
    document = Document(BytesIO(data))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_a_meeting_in_slack_leaves_tracked_actions_and_minutes(tmp_path, fake_slack, cse13_store):
    clock = Clock(DIGEST_DAY)
    with running_bot(tmp_path, fake_slack, clock=clock, store=cse13_store) as bot:
        bot.command(f"/recs assign CSE13-06 <@{LEAD}|lead>")
        fake_slack.set_title(LEAD, "Head of Public Protection")

        # 1. the digest goes to the GAB channel five working days before
        report = run_sweep(bot.services, make_client(bot.services.config), DIGEST_DAY)
        digests = [d for d in report.sent if d.kind == "gab_digest"]
        assert digests and digests[0].destination == GAB
        digest_ts = _posts_to(bot, GAB)[0].answer["ts"]

        # 2. during the meeting: people speak, a lead updates from the digest thread
        clock.now = IN_MEETING
        assert bot.event(_message("Morning all, apologies from Doncaster", MEMBER)) == 200
        integration = _message("Build finished", "UINTEGRATION") | {"bot_id": "BOTHER"}
        assert bot.event(integration) == 200  # bots do not attend
        reply = _message("CSE13-06 in progress: comms plan agreed", LEAD, thread_ts=digest_ts)
        assert bot.event(reply) == 200
        bot.drain()
        with bot.store.transaction() as store:
            assert store.items.get("CSE13-06").status == "in progress"

        # 3. items discussed: a member can in the GAB channel, not elsewhere
        _, refused = bot.command("/gab discussed CSE13-01", user=MEMBER, channel="C0GOV")
        assert "GAB channel" in answer_text(refused)
        _, done = bot.command(
            "/gab discussed cse13-6: force to report back on staffing", user=MEMBER, channel=GAB
        )
        assert "Marked CSE13-06 as discussed at GAB-2026-12-29" in answer_text(done)
        # …or with the button on the digest's agenda line
        digest_blocks = _posts_to(bot, GAB)[0].args["blocks"]
        buttons = [b["accessory"] for b in digest_blocks if "accessory" in b]
        assert {"action_id": "gab_discussed", "value": "CSE13-01"}.items() <= buttons[0].items()
        assert bot.action(_press_discussed(buttons[0]["value"], digest_ts)) == 200
        bot.drain()
        told = fake_slack.calls("chat.postEphemeral")[-1].args
        assert told["user"] == MEMBER and "Marked CSE13-01 as discussed" in told["text"]

        # 4. two actions, numbered in order, owner as lead, date as due
        _, first = bot.command(
            f"/gab action <@{LEAD}|lead> Chief Constable to report urgently to the PCC "
            "by 12/01/2027",
            user=MEMBER,
            channel=GAB,
        )
        assert "Recorded GAB-2026-12-29-01" in answer_text(first)
        _, second = bot.command(
            f"/gab action <@{ADMIN}|gov> A report to the next meeting on CSE staffing "
            "by next meeting",
            channel=GAB,
        )
        assert "Recorded GAB-2026-12-29-02" in answer_text(second)
        with bot.store.transaction() as store:
            action = store.items.get("GAB-2026-12-29-01")
            later = store.items.get("GAB-2026-12-29-02")
            source = store.sources.get("GAB-2026-12-29")
        assert (action.kind, action.leads, action.due.isoformat()) == (
            "action",
            (LEAD,),
            "2027-01-12",
        )
        assert later.due.isoformat() == "2027-01-26"  # the next GAB
        assert source.kind == "meeting"
        _, detail = bot.command("/recs gab-2026-12-29-1")
        assert "Chief Constable to report urgently" in answer_text(detail)
        _, listed = bot.command("/gab actions open")
        assert "GAB-2026-12-29-01" in answer_text(listed)
        assert "GAB-2026-12-29-02" in answer_text(listed)

        # 5. after the meeting only admins record; the minutes are drafted and posted
        clock.now = AFTER_MEETING
        _, late = bot.command(f"/gab action <@{LEAD}|l> Something else", user=MEMBER, channel=GAB)
        assert "Only a governance admin" in answer_text(late)
        before = len(_posts_to(bot, GAB))
        _, ack = bot.command("/gab minutes")
        assert "Posting the minutes of GAB-2026-12-29" in answer_text(ack)
        bot.drain()
        minutes_post = _posts_to(bot, GAB)[before]
        posted = answer_text(minutes_post.args)
        assert f"<@{MEMBER}>" in posted and f"<@{LEAD}>" in posted  # attendance
        assert "UINTEGRATION" not in posted
        assert "force to report back on staffing" in posted
        assert "not started → *in progress*" in posted
        assert "GAB-2026-12-29-01" in posted and "12 January 2027" in posted
        assert "Tuesday 26 January 2027 at 10:00" in posted
        files = _uploaded(bot)
        markdown = files["GAB-2026-12-29-minutes.md"].decode()
        word = _docx_text(files["GAB-2026-12-29-minutes.docx"])
        for text in (markdown, word):
            assert "User ULEAD001, Head of Public Protection" in text
            assert "Chief Constable to report urgently to the PCC" in text
            assert "26 January 2027" in text
        completes = fake_slack.calls("files.completeUploadExternal")
        assert completes[-1].args["thread_ts"] == minutes_post.answer["ts"]

        # 6. the next week's sweep reminds the action's owner, who updates it in the thread
        clock.now = NEXT_WEEK
        report = run_sweep(bot.services, make_client(bot.services.config), NEXT_WEEK)
        to_lead = [d for d in report.sent if d.destination == LEAD]
        assert any(d.subject == "GAB-2026-12-29-01" for d in to_lead)
        dm = [c for c in _posts_to(bot, LEAD) if "GAB-2026-12-29-01" in answer_text(c.args)]
        assert dm
        update = _message("GAB-2026-12-29-01 done: reported to the PCC on 4 January", LEAD)
        update |= {"channel": dm[0].answer["channel"], "thread_ts": dm[0].answer["ts"]}
        assert bot.event(update) == 200
        bot.drain()
        with bot.store.transaction() as store:
            assert store.items.get("GAB-2026-12-29-01").status == "implemented"


def test_an_admin_gets_the_panel_report_in_three_formats(tmp_path, fake_slack, cse13_store):
    clock = Clock(datetime(2014, 5, 1, 10, 0, tzinfo=LONDON))
    with running_bot(tmp_path, fake_slack, clock=clock, store=cse13_store) as bot:
        _, refused = bot.command("/recs report CSE13", user=LEAD)
        assert "Only a governance admin" in answer_text(refused)
        _, unknown = bot.command("/recs report NOPE")
        assert "No source “NOPE”. Sources: CSE13." in answer_text(unknown)
        _, ack = bot.command("/recs report cse13")
        assert "Preparing the CSE13 progress report" in answer_text(ack)
        bot.drain()
        files = _uploaded(bot)
        assert sorted(files) == [
            "CSE13-progress-report.docx",
            "CSE13-progress-report.html",
            "CSE13-progress-report.md",
        ]
        assert zipfile.is_zipfile(BytesIO(files["CSE13-progress-report.docx"]))
        assert "<table" in files["CSE13-progress-report.html"].decode()
        complete = fake_slack.calls("files.completeUploadExternal")[-1]
        assert complete.args["channel_id"] == f"D{ADMIN}"
