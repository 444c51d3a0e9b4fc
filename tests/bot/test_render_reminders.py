"""A sweep's message to one destination as Block Kit: within Slack's limits, buttons while they
fit, "N more" beyond them, no second @mention of a lead already told by DM."""

from __future__ import annotations

import json
from datetime import date, datetime

from bot.render.reminders import render_message
from commands.sweep_messages import combine
from commands.sweep_plan import SweepData, SweepSettings, plan_sweep
from storage.models import Item
from tests.harness import LONDON

SETTINGS = SweepSettings(tz=LONDON, channel="C0GOV", admins=frozenset({"UADM1"}))
MONDAY = date(2014, 4, 14)


def item(n: int, due: date, leads=("ULEAD1",)) -> Item:
    return Item(
        id=f"CSE13-{n:02d}",
        source="CSE13",
        number=n,
        text=f"Recommendation number {n} about <!channel> safeguarding",
        due=due,
        leads=leads,
        status="in progress",
        updated_at=datetime(2014, 4, 1, 12, 0, tzinfo=LONDON),
    )


def messages(day: date, *items: Item) -> dict[str, dict]:
    data = SweepData(items=items)
    at = datetime(day.year, day.month, day.day, 9, 0, tzinfo=LONDON)
    plan = plan_sweep(data, SETTINGS, at)
    return {m.destination: render_message(m) for m in combine(plan.deliveries)}


def texts(payload: dict) -> str:
    return json.dumps(payload["blocks"], ensure_ascii=False)


def test_a_lead_gets_one_message_with_each_items_line_and_buttons():
    due_soon = [item(n, date(2014, 4, 28)) for n in (1, 2, 3)]
    overdue = item(4, date(2014, 4, 1))  # 13 days overdue: Monday's overdue reminder
    dm = messages(MONDAY, *due_soon, overdue)["ULEAD1"]
    blocks = dm["blocks"]
    assert blocks[0]["type"] == "header" and "Your reminders for Monday 14 April 2014" in texts(dm)
    actions = [b for b in blocks if b["type"] == "actions"]
    assert [b["block_id"] for b in actions] == [f"item:CSE13-0{n}" for n in (4, 1, 2, 3)]
    lines = [b["text"]["text"] for b in blocks if b["type"] == "section"]
    assert lines[:2] == [
        "🔴 *Overdue* (1)",
        "• *CSE13-04* · Recommendation number 4 about &lt;!channel&gt; safeguarding · "
        "<@ULEAD1> · 13 days overdue",
    ]
    assert "⏰ *Due soon* (3)" in lines
    assert dm["text"].startswith("4 reminders: CSE13-04 13 days overdue; CSE13-01 due in 14 days")
    assert "starting with the item's id to update it, e.g. “CSE13-01 in progress" in texts(dm)


def test_the_channel_does_not_mention_leads_told_by_dm_and_the_digest_replaces_overdue():
    found = messages(MONDAY, item(1, date(2014, 4, 28)), item(4, date(2014, 4, 1)))
    channel = found["C0GOV"]
    body = texts(channel)
    assert "<@ULEAD1>" not in body and "lead reminded by DM" in body
    assert "Weekly digest: week of 14 April 2014" in body
    assert "🔴 *Overdue*" not in body  # the digest's overdue list stands for it
    assert "CSE13-04" in body and "*13 days overdue*" in body


def test_an_item_without_a_lead_is_shown_as_awaiting_allocation():
    channel = messages(date(2014, 4, 15), item(1, date(2014, 4, 29), leads=()))["C0GOV"]
    assert "_awaiting allocation_" in texts(channel)


def test_many_reminders_drop_the_buttons_and_pack_the_lines_into_one_message():
    many = [item(n, date(2014, 4, 28)) for n in range(1, 100)]
    dm = messages(MONDAY, *many)["ULEAD1"]
    assert len(dm["blocks"]) <= 50
    assert not [b for b in dm["blocks"] if b["type"] == "actions"]
    assert texts(dm).count("• *CSE13-") == 99
    assert all(len(b["text"]["text"]) <= 3000 for b in dm["blocks"] if b["type"] == "section")
