"""The App Home tab: what a lead and an admin see, within Slack's 100 blocks."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest

from bot.render.home import HOME_BLOCK_LIMIT, home_sections, home_view, rows_that_fit
from storage.models import HistoryEntry, Item
from tests.harness import ADMIN, LONDON, running_bot

LEAD = "ULEAD001"
NOW = datetime(2014, 3, 3, 10, 0, tzinfo=LONDON)
TODAY = NOW.date()


def _item(n: int, *, leads: tuple[str, ...] = (), status: str = "not started", **kw) -> Item:
    return Item(
        id=f"CSE13-{n:02d}",
        source="CSE13",
        number=n,
        text=kw.pop("text", f"Recommendation {n}"),
        due=kw.pop("due", date(2014, 4, 30)),
        leads=leads,
        status=status,
        **kw,
    )


def _view(user: str, is_admin: bool, items: list[Item], last: dict | None = None) -> dict:
    sections = home_sections(user, is_admin, items, TODAY)
    return home_view(sections, last or {}, TODAY, NOW)


def _texts(view: dict) -> list[str]:
    texts = []
    for block in view["blocks"]:
        if "text" in block:
            texts.append(block["text"]["text"])
        texts += [e["text"] for e in block.get("elements", []) if e.get("type") == "mrkdwn"]
    return texts


def _titles(view: dict) -> list[str]:
    return [b["text"]["text"] for b in view["blocks"] if b["type"] == "header"]


REGISTER = [
    _item(1, leads=(LEAD,), due=date(2014, 4, 30)),
    _item(2, leads=(LEAD,), due=date(2014, 1, 31), status="in progress"),  # red
    _item(3, leads=(LEAD,), status="closed"),
    _item(4),  # awaiting allocation
    _item(5, leads=("UOTHER01",), status="implemented"),  # awaiting sign-off
    _item(6, leads=("UOTHER01",)),
]


def test_a_lead_sees_their_open_items_most_urgent_first_with_buttons():
    update = HistoryEntry(
        "CSE13-02",
        NOW,
        LEAD,
        "status",
        "not started",
        "in progress",
        note="training delivered",
        permalink="https://govbot-test.slack.com/archives/C0GOV/p1",
    )
    view = _view(LEAD, False, REGISTER, {"CSE13-02": update})
    assert view["type"] == "home"
    assert _titles(view) == ["Recommendations", "Your open items"]
    rows = [t for t in _texts(view) if t.startswith(("🔴", "🟠", "🟢"))]
    assert [r.split("*")[1] for r in rows] == ["CSE13-02", "CSE13-01"]
    assert "31 days overdue" in rows[0]
    assert "training delivered" in rows[0] and "<https://govbot-test.slack.com/" in rows[0]
    assert "No updates yet" in rows[1]
    actions = [b for b in view["blocks"] if b["type"] == "actions"]
    assert [b["block_id"] for b in actions] == ["home:CSE13-02", "home:CSE13-01"]
    assert [e["action_id"] for e in actions[0]["elements"]] == [
        "set_in_progress",
        "set_done",
        "set_blocked",
    ]


def test_an_admin_also_sees_allocation_and_sign_off():
    view = _view(ADMIN, True, REGISTER)
    assert _titles(view) == [
        "Recommendations",
        "Your open items",
        "Awaiting allocation",
        "Awaiting sign-off",
    ]
    text = "\n".join(_texts(view))
    assert "You lead no open items." in text
    allocation, signoff = text.split("Assign a lead")[1].split("Leads said these are done")
    assert "CSE13-04" in allocation and "CSE13-06" not in allocation
    assert "CSE13-05" in signoff and "<@UOTHER01>" in signoff
    assert "CSE13-03" not in text  # closed


def test_someone_with_nothing_sees_a_friendly_empty_home():
    view = _view("UNOBODY1", False, REGISTER)
    assert "You lead no open items." in _texts(view)
    assert not [b for b in view["blocks"] if b["type"] == "actions"]


@pytest.mark.parametrize("mine, unallocated, signoff", [(60, 0, 0), (60, 50, 40), (3, 200, 200)])
def test_long_lists_stay_within_100_blocks_and_say_where_the_rest_is(mine, unallocated, signoff):
    items = [_item(n, leads=(ADMIN,)) for n in range(1, mine + 1)]
    items += [_item(100 + n) for n in range(unallocated)]
    items += [_item(400 + n, leads=(LEAD,), status="implemented") for n in range(signoff)]
    view = _view(ADMIN, True, items)
    assert len(view["blocks"]) <= HOME_BLOCK_LIMIT
    text = "\n".join(_texts(view))
    buttons = [b for b in view["blocks"] if b["type"] == "actions"]
    if mine > 20:
        shown = len(buttons)
        assert f"…and {mine - shown} more — use `/recs mine`" in text
    else:
        assert "/recs mine" not in text and len(buttons) == mine
    if signoff:
        assert "more — use `/recs status implemented`" in text
    block_ids = [b["block_id"] for b in view["blocks"] if "block_id" in b]
    assert len(block_ids) == len(set(block_ids))


def test_item_text_and_notes_are_escaped():
    evil = "<!channel> <@U999> <https://evil.example|click me> & more"
    items = [_item(1, leads=(LEAD,), text=evil)]
    update = HistoryEntry("CSE13-01", NOW, LEAD, "note", note=evil, evidence=evil)
    dumped = json.dumps(_view(LEAD, False, items, {"CSE13-01": update}))
    for forbidden in ("<!channel>", "<@U999>", "<https://evil"):
        assert forbidden not in dumped
    assert "&lt;!channel&gt;" in dumped and "&amp; more" in dumped


def test_opening_the_home_tab_publishes_it(tmp_path, fake_slack, stores):
    with running_bot(tmp_path, fake_slack, store=stores.new()) as bot:
        with bot.store.transaction() as store:
            for item in REGISTER:
                store.items.save(item)
        opened = {"type": "app_home_opened", "user": LEAD, "channel": "D0LEAD", "tab": "home"}
        assert bot.event({**opened, "tab": "messages"}) == 200
        assert bot.event(opened) == 200
        bot.drain()
        (call,) = fake_slack.calls("views.publish")
        assert call.args["user_id"] == LEAD
        text = "\n".join(_texts(call.args["view"]))
        assert "CSE13-01" in text and "CSE13-02" in text and "CSE13-04" not in text

        assert bot.event({**opened, "user": ADMIN}) == 200
        bot.drain()
        admin_view = fake_slack.calls("views.publish")[-1]
        assert admin_view.args["user_id"] == ADMIN
        assert "Awaiting allocation" in json.dumps(admin_view.args["view"])


def test_trimming_takes_from_the_longest_list_first():
    items = [_item(n, leads=(ADMIN,)) for n in range(1, 61)]
    items += [_item(100 + n) for n in range(50)]
    items += [_item(400 + n, leads=(LEAD,), status="implemented") for n in range(40)]
    sections = home_sections(ADMIN, True, items, TODAY)
    assert rows_that_fit(sections) == [20, 20, 20]  # 94 blocks: no trimming needed
    # the lists shrink evenly; on a tie the person's own list keeps its row
    assert rows_that_fit(sections, limit=60) == [12, 11, 11]
