"""A report uploaded to the bot's DM, end to end: signed events and clicks, the fake Slack."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from typing import Any

import pytest

from bot.render.report_import import CANCEL, CHANGE, IMPORT
from commands.verify import verify_store
from storage.models import Item
from tests.documents import report_pdf, sample_report, scanned_pdf
from tests.fakes.signing import view_submission
from tests.harness import ADMIN, RunningBot, answer_text, running_bot

LEAD = "U0LEAD"
DM = "D" + ADMIN
_serial = itertools.count(1)
DETAILS = "source MISS25 published 2025-03-14 title Missing children"


@pytest.fixture
def bot(tmp_path, fake_slack, stores) -> Iterator[RunningBot]:
    with running_bot(tmp_path, fake_slack, store=stores.new()) as running:
        yield running


@pytest.fixture(scope="module")
def report() -> tuple[bytes, list[str]]:
    blocks, expected = sample_report(sections=3, filler=6)
    return report_pdf(blocks), expected


def upload(bot: RunningBot, name: str, data: bytes, text: str = "", user: str = ADMIN, **kw):
    shared = bot.fake.share_file(name, data, user=user, **kw)
    ts = f"1741950000.{next(_serial):06d}"
    event = {
        "type": "message",
        "subtype": "file_share",
        "text": text,
        "files": [shared],
        "upload": True,
        "user": user,
        "channel": "D" + user,
        "channel_type": "im",
        "ts": ts,
        "event_ts": ts,
    }
    assert bot.event(event) == 200
    bot.drain()
    return event


def click(bot: RunningBot, action_id: str, message: dict, user: str = ADMIN) -> None:
    button = next(e for b in message["blocks"] if b["type"] == "actions" for e in b["elements"])
    payload = {
        "type": "block_actions",
        "team": {"id": "T0001", "domain": "govbot-test"},
        "user": {"id": user, "username": f"user-{user.lower()}", "team_id": "T0001"},
        "api_app_id": "A0GOVBOT",
        "token": "fake-verification-token",
        "trigger_id": f"{next(_serial)}.1.trigger",
        "container": {
            "type": "message",
            "message_ts": message["ts"],
            "channel_id": message["channel"],
            "is_ephemeral": False,
        },
        "channel": {"id": message["channel"], "name": "directmessage"},
        "message": {"type": "message", "ts": message["ts"], "user": "UBOT", "bot_id": "BBOT"},
        "actions": [
            {
                "type": "button",
                "action_id": action_id,
                "block_id": "report_import_actions",
                "value": button["value"],
                "action_ts": f"1741950100.{next(_serial):06d}",
            }
        ],
    }
    assert bot.action(payload) == 200
    bot.drain()


def previews(bot: RunningBot) -> list[dict[str, Any]]:
    """Posted previews as the messages Slack would show: channel, ts, text and blocks."""
    return [
        {**call.args, "channel": call.answer["channel"], "ts": call.answer["ts"]}
        for call in bot.fake.calls("chat.postMessage")
        if any(b["type"] == "actions" for b in call.args.get("blocks") or ())
    ]


def posted_texts(bot: RunningBot) -> list[str]:
    return [answer_text(call.args) for call in bot.fake.calls("chat.postMessage")]


def items(bot: RunningBot, source: str = "MISS25") -> list[Item]:
    with bot.store.transaction() as store:
        return store.items.by_source(source)


def updates(bot: RunningBot) -> list[str]:
    return [answer_text(call.args) for call in bot.fake.calls("chat.update")]


def test_upload_preview_then_import_stores_the_items_once(bot, report):
    data, expected = report
    upload(bot, "missing-children.pdf", data, DETAILS)
    [preview] = previews(bot)
    assert preview["channel"] == DM
    shown = answer_text(preview)
    assert f"*{len(expected)} items* found in missing-children.pdf" in shown
    for detail in ("*Source id*\nMISS25", "*Title*\nMissing children", "14 March 2025", "HMIC"):
        assert detail in shown
    assert "guessed" not in shown.lower()
    assert "MISS25-12" in shown  # the preview lines list every item
    assert items(bot) == []  # a dry run
    assert [c.headers["authorization"] for c in bot.fake.calls("files.download")] == [
        "Bearer xoxb-test-token"
    ]

    click(bot, IMPORT, preview)
    stored = items(bot)
    assert len(stored) == len(expected) == 12
    assert "checks that return interviews in area 3" in stored[-2].text
    [done] = updates(bot)
    assert done.startswith("Imported 12 items as MISS25: 12 new, 0 updated, 0 unchanged.")
    [update] = bot.fake.calls("chat.update")
    assert update.args["ts"] == preview["ts"] and update.args["channel"] == DM
    assert not any(b["type"] == "actions" for b in update.args["blocks"])  # no buttons left

    click(bot, IMPORT, preview)  # a second press (or a stale client) imports nothing more
    assert len(items(bot)) == 12 and len(updates(bot)) == 1
    with bot.store.transaction() as store:
        assert len(store.history.for_item("MISS25-01")) == 1
    assert verify_store(bot.store).findings == ()  # the upload's ledger keys are known ones


def test_cancel_imports_nothing_and_a_later_import_press_is_ignored(bot, report):
    upload(bot, "missing-children.pdf", report[0], DETAILS)
    [preview] = previews(bot)
    click(bot, CANCEL, preview)
    assert updates(bot) == ["Cancelled — nothing imported.\nCancelled — nothing imported."]
    click(bot, IMPORT, preview)
    assert items(bot) == [] and len(updates(bot)) == 1
    with bot.store.transaction() as store:
        assert store.sources.get("MISS25") is None


def test_a_non_admin_is_refused_politely_and_nothing_changes(bot, report):
    upload(bot, "missing-children.pdf", report[0], DETAILS, user=LEAD)
    assert previews(bot) == []
    assert bot.fake.calls("files.info") == []  # not even downloaded
    assert posted_texts(bot) == [
        "Sorry, only a governance admin can import reports. Nothing was imported."
    ]

    upload(bot, "missing-children.pdf", report[0], DETAILS)  # an admin's preview…
    [preview] = previews(bot)
    click(bot, IMPORT, preview, user=LEAD)  # …that someone else presses
    assert items(bot) == [] and updates(bot) == []
    assert posted_texts(bot)[-1].startswith("Sorry, only a governance admin")


@pytest.mark.parametrize(
    ("name", "data", "size", "message"),
    [
        ("scan.pdf", scanned_pdf(), None, "scan.pdf: the PDF has no text layer"),
        ("slides.pptx", b"PK", None, "slides.pptx: unsupported file type '.pptx'"),
        ("figures.xlsx", b"PK", None, "figures.xlsx: not a readable .xlsx workbook"),
        ("huge.pdf", b"%PDF-", 30 * 1024 * 1024, "huge.pdf: 30 MB is too large; the limit is 25"),
        ("report.docx", b"PK\x03\x04 broken", None, "report.docx: not a readable .docx"),
    ],
)
def test_a_bad_file_gets_a_clear_message_and_nothing_changes(bot, name, data, size, message):
    upload(bot, name, data, DETAILS, size=size)
    assert previews(bot) == []
    [said] = posted_texts(bot)
    assert message in said and said.endswith("Nothing was imported.")
    assert "\n" not in said
    assert items(bot) == []
    if size:
        assert bot.fake.calls("files.download") == []  # refused before downloading


def test_a_report_with_no_items_says_so_and_import_still_records_its_source(bot):
    upload(bot, "notes.txt", b"Nothing to see here.", DETAILS)
    [preview] = previews(bot)
    shown = answer_text(preview)
    assert "*0 items* found in notes.txt" in shown
    assert "no items found; source MISS25 would be recorded all the same" in shown
    click(bot, IMPORT, preview)
    assert items(bot) == []
    with bot.store.transaction() as store:
        assert store.sources.get("MISS25").title == "Missing children"
    assert updates(bot)[0].startswith("Imported 0 items as MISS25")


def test_details_are_guessed_when_not_given_and_marked(bot, report):
    upload(bot, "2025_missing-children-northshire.pdf", report[0])
    [preview] = previews(bot)
    shown = answer_text(preview)
    assert "*Source id*\nMCN25 _(guessed)_" in shown
    assert (
        "*Title*\nMissing children: an inspection of Northshire Constabulary _(guessed)_" in shown
    )
    assert "*Published*\n14 March 2025 _(guessed)_" in shown
    assert "Guessed — check before importing:* source id, title, published" in shown


def test_change_details_reposts_the_preview_and_import_uses_them(bot, report):
    upload(bot, "missing-children.pdf", report[0])
    [preview] = previews(bot)
    click(bot, CHANGE, preview)
    [opened] = bot.fake.calls("views.open")
    view = opened.args["view"]
    assert [b["block_id"] for b in view["blocks"]] == ["source", "title", "published", "publisher"]

    answer = submit(bot, view, source="miss 25", title="", published="")
    assert answer["response_action"] == "errors"
    assert set(answer["errors"]) == {"source", "title", "published"}
    assert bot.fake.calls("chat.update") == []

    assert (
        submit(bot, view, source="MISS25", title="Missing children", published="2025-03-14") == {}
    )
    bot.drain()
    [update] = bot.fake.calls("chat.update")
    assert update.args["ts"] == preview["ts"]
    shown = answer_text(update.args)
    assert "*Source id*\nMISS25" in shown and "guessed" not in shown.lower()
    click(bot, IMPORT, {**update.args, "channel": DM, "ts": preview["ts"]})
    assert len(items(bot)) == 12
    with bot.store.transaction() as store:
        assert store.sources.get("MISS25").title == "Missing children"


def submit(bot: RunningBot, view: dict, source: str, title: str, published: str) -> dict:
    answers = {"source": source, "title": title, "published": published, "publisher": "HMICFRS"}
    status, answer = bot.interact(view_submission({**view, "id": "V0DETAILS"}, ADMIN, answers))
    assert status == 200
    return answer


def test_recs_import_says_where_to_upload(bot):
    status, answer = bot.command("/recs import", channel="C0GOV")
    assert status == 200 and answer["text"].startswith("Upload the report file here in my DM")
    bot.drain()
    assert [c.args["channel"] for c in bot.fake.calls("chat.postMessage")] == [ADMIN]
    status, answer = bot.command("/recs import", user=LEAD)
    assert "Only a governance admin can import reports." in answer["text"]
    status, answer = bot.command("/recs overdue")  # other /recs commands are untouched
    assert status == 200 and "upload" not in json.dumps(answer).lower()


def test_a_file_shared_in_a_thread_is_still_evidence_not_an_import(bot, report):
    shared = bot.fake.share_file("evidence.pdf", report[0], user=ADMIN)
    event = {
        "type": "message",
        "subtype": "file_share",
        "text": "done - see attached",
        "files": [shared],
        "user": ADMIN,
        "channel": DM,
        "channel_type": "im",
        "ts": "1741950000.900000",
        "thread_ts": "1741940000.000100",
    }
    assert bot.event(event) == 200
    bot.drain()
    assert bot.fake.calls("files.info") == [] and previews(bot) == []
