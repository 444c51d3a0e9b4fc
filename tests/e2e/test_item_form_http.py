"""/recs add and /recs edit end to end: a signed command opens the modal, a signed submission saves."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from bot.spreadsheets import read_sheets
from commands.register_import import import_register
from commands.verify import verify_store
from tests.commands.test_register_import import NOW
from tests.fakes.signing import post_signed, view_submission_body
from tests.harness import ADMIN, SECRET, RunningBot, answer_text, running_bot

LEAD = "ULEAD001"


def open_form(bot: RunningBot, line: str) -> dict[str, Any]:
    status, answer = bot.command(line)
    assert status == 200, answer
    bot.drain()
    opened = bot.fake.calls("views.open")[-1]
    assert opened.args["trigger_id"].startswith("trig.")  # the command's own trigger
    return opened.answer["view"]


def submit(bot: RunningBot, view: dict[str, Any], answers: dict[str, Any], user: str = ADMIN):
    status, raw, _ = post_signed(
        bot.url + "/slack/events",
        view_submission_body(view, user, answers),
        SECRET,
        content_type="application/x-www-form-urlencoded",
    )
    assert status == 200
    bot.drain()
    return json.loads(raw) if raw.strip() else {}


def test_an_admin_adds_an_item_in_the_modal(tmp_path, fake_slack, cse13_store):
    with running_bot(tmp_path, fake_slack, store=cse13_store) as bot:
        view = open_form(bot, "/recs add")
        assert view["callback_id"] == "item_form" and view["title"]["text"] == "Add an item"
        blocks = {b.get("block_id"): b for b in view["blocks"]}
        assert blocks["lead"]["element"]["type"] == "users_select"
        assert [o["value"] for o in blocks["districts"]["element"]["options"]] == [
            "Barnsley",
            "Doncaster",
            "Rotherham",
            "Sheffield",
        ]
        assert [o["value"] for o in blocks["source"]["element"]["options"]] == ["CSE13"]

        answer = submit(bot, view, {"text": "Brief every district on the CSE flag"})
        assert answer["response_action"] == "errors"
        assert "Choose the source" in answer["errors"]["source"]

        answer = submit(
            bot, view, {"source": "CSE13", "text": "Brief every district", "timescale": "soonish"}
        )
        assert "not a timescale" in answer["errors"]["timescale"]

        answer = submit(
            bot,
            view,
            {
                "source": "CSE13",
                "kind": "afi",
                "text": "Brief every district on the CSE flag <!channel>",
                "timescale": "within three months",
                "lead": LEAD,
                "districts": ["Doncaster", "Barnsley"],
                "addressee": "the chief constable",
            },
        )
        assert answer.get("response_action") is None
        with bot.store.transaction() as store:
            item = store.items.get("CSE13-16")
            entries = store.history.for_item("CSE13-16")
        assert (item.kind, item.due, item.leads, item.districts) == (
            "afi",
            date(2014, 4, 30),
            (LEAD,),
            ("Barnsley", "Doncaster"),
        )
        assert {e.change for e in entries} == {"add"} and {e.by for e in entries} == {ADMIN}
        (confirmation,) = bot.fake.calls("chat.postEphemeral")
        assert confirmation.args["user"] == ADMIN and confirmation.args["channel"] == "C0GOV"
        assert confirmation.args["text"].startswith("CSE13-16 added")
        assert "<!channel>" not in confirmation.args["text"]


def test_a_new_source_from_the_modal(tmp_path, fake_slack, cse13_store):
    with running_bot(tmp_path, fake_slack, store=cse13_store) as bot:
        view = open_form(bot, "/recs add")
        answers = {"source_id": "gab1403", "text": "Report back on training", "kind": "action"}
        answer = submit(bot, view, answers)
        assert "title" in answer["errors"]["source_title"]
        answers |= {
            "source_title": "GAB March 2014",
            "source_published": "2014-03-25",
            "source_kind": "meeting",
            "due": "2014-04-29",
        }
        assert submit(bot, view, answers | {"source": "CSE13"})["errors"]["source_id"].startswith(
            "Choose an existing source or name a new one, not both"
        )
        assert submit(bot, view, answers) == {}
        with bot.store.transaction() as store:
            assert store.items.get("GAB1403-01").due == date(2014, 4, 29)
            assert store.sources.get("GAB1403").kind == "meeting"


def test_an_admin_edits_an_item_in_the_modal_filled_in(tmp_path, fake_slack, cse13_store):
    with running_bot(tmp_path, fake_slack, store=cse13_store) as bot:
        bot.command(f"/recs assign CSE13-04 <@{LEAD}|lead> <@ULEAD002|second>")
        view = open_form(bot, "/recs edit cse13-4")
        blocks = {b.get("block_id"): b for b in view["blocks"]}
        assert view["title"]["text"] == "Edit CSE13-04"
        assert blocks["timescale"]["element"]["initial_value"] == "immediately"
        assert "initial_date" not in blocks["due"]["element"]  # the timescale gives it
        assert blocks["lead"]["element"]["initial_user"] == LEAD
        with bot.store.transaction() as store:
            before = store.history.for_item("CSE13-04")

        assert submit(bot, view, {}) == {}  # saved as shown: nothing changes
        view = open_form(bot, "/recs edit cse13-4")  # a saved modal closes: open it again
        answer = submit(bot, view, {"timescale": "within three months", "addressee": "the PCC"})
        assert "give a reason" in answer["errors"]["reason"]
        answer = submit(
            bot,
            view,
            {"timescale": "within three months", "addressee": "the PCC", "reason": "agreed at GAB"},
        )
        assert answer == {}
        with bot.store.transaction() as store:
            item = store.items.get("CSE13-04")
            after = store.history.for_item("CSE13-04")
        assert (item.due, item.original_due, item.addressee, item.leads) == (
            date(2014, 4, 30),
            date(2014, 1, 31),
            "the PCC",
            (LEAD, "ULEAD002"),  # the form shows one lead; the other is kept
        )
        assert after[: len(before)] == before
        assert sorted(e.field for e in after[len(before) :]) == ["addressee", "due", "timescale"]
        confirmations = [c.args["text"] for c in bot.fake.calls("chat.postEphemeral")]
        assert confirmations[-1] == "CSE13-04 edited: timescale, addressee, due."

        _, answer = bot.command("/recs CSE13-04")
        assert "edit addressee: the force → the PCC" in answer_text(answer)


def test_only_admins_get_the_form_or_save_it(tmp_path, fake_slack, cse13_store):
    with running_bot(tmp_path, fake_slack, store=cse13_store) as bot:
        _, answer = bot.command("/recs add", user=LEAD)
        assert "Only a governance admin can add items" in answer_text(answer)
        _, answer = bot.command("/recs edit CSE13-04", user=LEAD)
        assert "Only a governance admin can edit items" in answer_text(answer)
        bot.drain()
        assert bot.fake.calls("views.open") == []

        view = open_form(bot, "/recs edit CSE13-04")
        answer = submit(bot, view, {"area": "Taken over"}, user=LEAD)
        assert "Only a governance admin can edit items" in answer["errors"]["text"]
        with bot.store.transaction() as store:
            assert store.items.get("CSE13-04").area != "Taken over"


def test_recs_export_xlsx_uploads_a_workbook_that_imports_back(
    tmp_path, fake_slack, cse13_store, stores
):
    with running_bot(tmp_path, fake_slack, store=cse13_store) as bot:
        _, answer = bot.command("/recs export xlsx")
        assert "govbot-register-2014-03-03.xlsx" in answer["text"]
        fake_slack.wait_for("files.completeUploadExternal")
        (data,) = fake_slack.uploads().values()
        with bot.store.transaction() as store:
            items = store.items.all()
    sheets = [(s.name, s.rows) for s in read_sheets(Path("register.xlsx"), data)]
    fresh = stores.new()
    plan = import_register(fresh, sheets, name="register.xlsx", now=NOW, today=NOW.date())
    assert plan.created == 15 and plan.notes == ("row 2: new source CSE13 “SYP response to CSE”",)
    with fresh.transaction():
        assert [replace(i, updated_at=None) for i in fresh.items.all()] == [
            replace(i, updated_at=None) for i in items
        ]


def test_a_text_too_long_for_the_form_is_left_alone(tmp_path, fake_slack, cse13_store):
    long_text = "The force should " + "review its processes, " * 150
    with cse13_store.transaction() as store:
        store.items.save(replace(store.items.get("CSE13-04"), text=long_text))
    with running_bot(tmp_path, fake_slack, store=cse13_store) as bot:
        view = open_form(bot, "/recs edit CSE13-04")
        assert "text" not in {b.get("block_id") for b in view["blocks"]}
        assert "govbot edit CSE13-04 --text" in json.dumps(view)
        assert submit(bot, view, {"area": "Long reads"}) == {}
        with bot.store.transaction() as store:
            item = store.items.get("CSE13-04")
        assert (item.text, item.area) == (long_text, "Long reads")


def test_a_submission_delivered_twice_adds_one_item(tmp_path, fake_slack, cse13_store):
    with running_bot(tmp_path, fake_slack, store=cse13_store) as bot:
        view = open_form(bot, "/recs add")
        answers = {"source": "CSE13", "text": "Brief every district", "timescale": "immediately"}
        submit(bot, view, answers)
        submit(bot, view, answers)
        other = open_form(bot, "/recs add")
        submit(bot, other, {**answers, "text": "Brief every partner agency"})
        with bot.store.transaction() as store:
            added = [i.text for i in store.items.by_source("CSE13") if i.number > 15]
        assert added == ["Brief every district", "Brief every partner agency"]
        assert verify_store(bot.store).findings == ()
