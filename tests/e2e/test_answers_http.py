"""Answers that fit Slack and a meeting: compact rows, paging in place, Post to channel (issue 12)."""

from __future__ import annotations

import json
from datetime import date, datetime
from itertools import count
from typing import Any

import pytest
from slack_sdk.models.blocks import Block

from bot.charts import charts_available
from bot.figure_files import import_figures_file
from bot.slack_client import make_client
from bot.sweep import run_sweep
from commands.districts import DEFAULT_DISTRICTS
from storage.models import HistoryEntry, Item, Source
from storage.store import Store
from tests.conftest import PANEL15, reference
from tests.harness import ADMIN, LONDON, Clock, answer_text, card_values, running_bot

_serial = count(1)
LETTERS = "ABCDEFGHIJ"
# five working days before the GAB of Tuesday 25 March 2014, the day its digest goes out
DIGEST_DAY = datetime(2014, 3, 18, 9, 5, tzinfo=LONDON)
LONG_TEXT = "The force should make sure that every officer " + "knows the procedure " * 20


@pytest.fixture
def big_store(stores) -> Store:
    """45 overdue items in one source, each with a long text (the clock says 2014-03-03)."""
    store = stores.new()
    with store.transaction() as s:
        s.sources.save(Source(id="BIG14", title="A big review", published=date(2013, 6, 1)))
        s.items.save_many(
            [
                Item(
                    id=f"BIG14-{n:02d}",
                    source="BIG14",
                    number=n,
                    text=f"{n}: {LONG_TEXT}",
                    due=date(2014, 1, 1) if n % 2 else date(2013, 12, 1),
                )
                for n in range(1, 46)
            ]
        )
    return store


def buttons(answer: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The answer's buttons by label."""
    return {
        e["text"]["text"]: e
        for b in answer.get("blocks", [])
        if b["type"] == "actions"
        for e in b["elements"]
    }


def press(bot: Any, button: dict[str, Any], user: str = ADMIN, channel: str = "C0GOV") -> int:
    serial = next(_serial)
    return bot.action(
        {
            "type": "block_actions",
            "team": {"id": "T0001", "domain": "govbot-test"},
            "user": {"id": user, "username": "someone", "team_id": "T0001"},
            "api_app_id": "A0GOVBOT",
            "token": "fake-verification-token",
            "trigger_id": f"{serial}.2.trigger",
            "container": {"type": "message", "channel_id": channel, "is_ephemeral": True},
            "channel": {"id": channel, "name": "governance"},
            "response_url": bot.fake.response_url(f"press{serial}"),
            "actions": [
                {
                    "type": "button",
                    "action_id": button["action_id"],
                    "block_id": "answer_buttons",
                    "value": button["value"],
                    "action_ts": f"1393841500.{serial:06d}",
                }
            ],
        }
    )


def responses(bot: Any, count_: int) -> list[dict[str, Any]]:
    bot.drain()
    return [c.args for c in bot.fake.wait_for("response_url", count_)]


def test_overdue_is_one_short_line_per_item_and_pages_in_place(tmp_path, fake_slack, big_store):
    with running_bot(tmp_path, fake_slack, store=big_store) as bot:
        status, answer = bot.command("/recs overdue")
        assert status == 200
        text = answer_text(answer)
        assert "20 of 45 item(s) · page 1 of 3" in text and "/recs ID" in text
        rows = [line for line in text.splitlines() if "BIG14-" in line]
        assert len(rows) == 20
        assert all(len(line) < 200 for line in rows), max(rows, key=len)
        assert "BIG14-02" in rows[0] and "92 days overdue" in rows[0]  # most overdue first
        assert len(json.dumps(answer)) < 8000
        assert set(buttons(answer)) == {"Next ▶", "Post to channel"}

        assert press(bot, buttons(answer)["Next ▶"]) == 200
        (page2,) = responses(bot, 1)
        assert page2["replace_original"] is True
        text2 = answer_text(page2)
        assert "page 2 of 3" in text2 and rows[0].split("*")[1] not in text2
        assert set(buttons(page2)) == {"◀ Previous", "Next ▶", "Post to channel"}

        press(bot, buttons(page2)["Next ▶"])
        page3 = responses(bot, 2)[-1]
        assert "5 of 45 item(s) · page 3 of 3" in answer_text(page3)
        assert set(buttons(page3)) == {"◀ Previous", "Post to channel"}


def test_a_search_pages_too(tmp_path, fake_slack, big_store):
    with running_bot(tmp_path, fake_slack, store=big_store) as bot:
        _, answer = bot.command("/recs search procedure")
        press(bot, buttons(answer)["Next ▶"])
        (page2,) = responses(bot, 1)
        assert "page 2 of 3" in answer_text(page2)


def test_post_to_channel_shares_the_answer_with_who_shared_it(tmp_path, fake_slack, big_store):
    with running_bot(tmp_path, fake_slack, store=big_store) as bot:
        _, answer = bot.command("/recs BIG14-07", user="ULEAD001")
        assert "Post to channel" in buttons(answer)
        press(bot, buttons(answer)["Post to channel"], user="ULEAD001")
        (posted,) = bot.fake.wait_for("chat.postMessage")
        assert posted.args["channel"] == "C0GOV"
        shared = answer_text(posted.args)
        assert "BIG14-07" in shared and "shared by <@ULEAD001>" in shared
        assert "Post to channel" not in buttons(posted.args)

        _, summary = bot.command("/recs overdue page 2")
        press(bot, buttons(summary)["Post to channel"])
        posted = bot.fake.wait_for("chat.postMessage", 2)[-1]
        assert "page 2 of 3" in answer_text(posted.args)
        assert not {"Next ▶", "◀ Previous"} & set(buttons(posted.args))


def test_changes_are_not_shareable(tmp_path, fake_slack, big_store):
    with running_bot(tmp_path, fake_slack, store=big_store) as bot:
        _, answer = bot.command("/recs set BIG14-01 in progress started")
        assert "in progress" in answer_text(answer) and not buttons(answer)


@pytest.mark.parametrize("error", ["not_in_channel", "channel_not_found"])
def test_sharing_where_the_bot_cannot_post_says_how_to_fix_it(
    tmp_path, fake_slack, big_store, error
):
    with running_bot(tmp_path, fake_slack, store=big_store) as bot:
        _, answer = bot.command("/recs overdue", channel="C0PRIVATE")
        fake_slack.fail_next("chat.postMessage", status=200, error=error)
        press(bot, buttons(answer)["Post to channel"], channel="C0PRIVATE")
        (said,) = responses(bot, 1)
        assert "/invite @govbot" in said["text"] and error in said["text"]
        assert said["response_type"] == "ephemeral"


def test_recs_post_where_the_bot_cannot_post_or_hear_says_so(tmp_path, fake_slack, big_store):
    with running_bot(tmp_path, fake_slack, store=big_store) as bot:
        fake_slack.fail_next("chat.postMessage", status=200, error="not_in_channel")
        bot.command("/recs post BIG14-03", channel="C0PRIVATE")
        (said,) = responses(bot, 1)
        assert "/invite @govbot" in said["text"]
        assert not fake_slack.calls("chat.postMessage")

        fake_slack.outside.add("C0PUBLIC")
        bot.command("/recs post BIG14-03", channel="C0PUBLIC")
        said = responses(bot, 2)[-1]
        assert "Posted BIG14-03" in said["text"] and "will not hear replies" in said["text"]

        bot.command("/recs post BIG14-04", channel="C0GOV")
        bot.drain()
        assert len(fake_slack.calls("response_url")) == 2  # a member: nothing to warn about


def test_gab_next_post_puts_the_agenda_in_front_of_the_board(tmp_path, fake_slack, big_store):
    with running_bot(tmp_path, fake_slack, store=big_store) as bot:
        _, private = bot.command("/gab", channel="C0GAB")
        assert "Post to channel" in buttons(private)
        _, answer = bot.command("/gab next post", channel="C0GAB")
        assert answer["response_type"] == "ephemeral" and "Posting" in answer_text(answer)
        (posted,) = bot.fake.wait_for("chat.postMessage")
        assert posted.args["channel"] == "C0GAB"
        text = answer_text(posted.args)
        assert "Overdue" in text and "BIG14-02" in text and "shared by <@UADMIN01>" in text
        _, refused = bot.command("/gab next please")
        assert "takes only `post`" in answer_text(refused)


@pytest.mark.parametrize(
    ("written", "due", "reason"),
    [
        ("31/03/2016 agreed at GAB", "2016-03-31", "agreed at GAB"),
        ("31 March 2016 agreed at GAB", "2016-03-31", "agreed at GAB"),
        ("March 2016 new unit", "2016-03-31", "new unit"),
        ("07/2015 new unit", "2015-07-31", "new unit"),
        ("2015-12-15 new unit", "2015-12-15", "new unit"),
    ],
)
def test_due_dates_as_people_write_them(tmp_path, fake_slack, big_store, written, due, reason):
    with running_bot(tmp_path, fake_slack, store=big_store) as bot:
        _, answer = bot.command(f"/recs due-date BIG14-01 {written}")
        assert f"due date moved to {due}" in answer_text(answer)
        with bot.store.transaction() as store:
            assert store.items.get("BIG14-01").due.isoformat() == due
            assert store.history.for_item("BIG14-01")[-1].note == reason


def test_impossible_dates_are_refused_and_change_nothing(tmp_path, fake_slack, big_store):
    with running_bot(tmp_path, fake_slack, store=big_store) as bot:
        _, answer = bot.command("/recs due-date BIG14-01 31/02/2016 agreed")
        assert "no such day" in answer_text(answer)
        with bot.store.transaction() as store:
            assert store.items.get("BIG14-01").due == date(2014, 1, 1)


def test_standing_items_keep_until_off_their_title(tmp_path, fake_slack, big_store):
    with running_bot(tmp_path, fake_slack, store=big_store) as bot:
        _, answer = bot.command("/gab standing add Vetting backlog until 31 March 2016")
        assert "until 2016-03-31" in answer_text(answer)
        bot.command("/gab standing add Custody review until jul owner <@ULEAD001|lead>")
        bot.command("/gab standing add Backlog until cleared")
        with bot.store.transaction() as store:
            items = {s.title: s for s in store.gab.standing_items()}
        assert items["Vetting backlog"].until == date(2016, 3, 31)
        assert items["Custody review"].until == date(2014, 7, 31)  # the clock says March 2014
        assert items["Custody review"].owner == "ULEAD001"
        assert items["Backlog until cleared"].until is None


def test_due_next_month_is_understood(tmp_path, fake_slack, big_store):
    with running_bot(tmp_path, fake_slack, store=big_store) as bot:
        _, answer = bot.command("/recs due next month")
        assert "Due in the next 31 days" in answer_text(answer)
        _, answer = bot.command("/recs due next fortnight")
        text = answer_text(answer)
        assert "export" not in text and "/recs due next month" in text


def test_districts_are_those_an_item_applies_to_and_admins_correct_them(
    tmp_path, fake_slack, cse13_store
):
    with cse13_store.transaction() as store:
        assert store.items.get("CSE13-11").districts == ()  # "all four districts", Sheffield cited
        assert store.items.get("CSE13-03").districts == ("Rotherham",)
    with running_bot(tmp_path, fake_slack, store=cse13_store) as bot:
        _, answer = bot.command("/recs district rotherham")
        text = answer_text(answer)
        assert "CSE13-03" in text and "+13 force-wide item(s)" in text

        _, refused = bot.command("/recs districts CSE13-11 Sheffield", user="ULEAD001")
        assert "Only a governance admin" in answer_text(refused)
        _, answer = bot.command("/recs districts CSE13-11 sheffield, Rotherham")
        assert "districts set to Rotherham, Sheffield" in answer_text(answer)
        _, answer = bot.command("/recs district rotherham")
        assert "CSE13-11" in answer_text(answer) and "+12 force-wide" in answer_text(answer)
        _, answer = bot.command("/recs districts CSE13-11 rotheram")
        assert "Did you mean Rotherham?" in answer_text(answer)
        bot.command("/recs districts CSE13-11 force-wide")
        with bot.store.transaction() as store:
            assert store.items.get("CSE13-11").districts == ()
            changes = [e for e in store.history.for_item("CSE13-11") if e.field == "districts"]
        assert len(changes) == 2


def test_gab_shows_changes_first_by_source_compact_and_paged(tmp_path, fake_slack, big_store):
    with big_store.transaction() as store:
        store.sources.save(Source(id="ALT14", title="Another review", published=date(2013, 6, 1)))
        store.items.save(Item(id="ALT14-01", source="ALT14", number=1, text="Train staff."))
    with running_bot(tmp_path, fake_slack, store=big_store) as bot:
        for item in ("BIG14-05", "ALT14-01", "BIG14-09"):
            bot.command(f"/recs set {item} in progress: work has started")
        _, answer = bot.command("/gab", channel="C0GAB")
        text = answer_text(answer)
        order = [text.index(s) for s in ("Status changes", "ALT14-01", "BIG14-05", "Overdue")]
        assert order == sorted(order)  # changes first, by source, before the long lists
        assert "page 1 of 2" in text and "Next ▶" in buttons(answer)
        assert max(len(line) for line in text.splitlines()) < 220
        press(bot, buttons(answer)["Next ▶"], channel="C0GAB")
        (page2,) = responses(bot, 1)
        assert "page 2 of 2" in answer_text(page2) and "BIG14-45" in answer_text(page2)
        assert set(buttons(page2)) == {"◀ Previous", "Post to channel"}


def within_block_kit_limits(payload: dict[str, Any]) -> None:
    """Slack's own models check each block; the message as a whole is checked here."""
    blocks = payload["blocks"]
    assert 0 < len(blocks) <= 50
    for block in blocks:
        Block.parse(block).validate_json()
        for element in block.get("elements", []):
            assert len(element.get("value", "")) <= 2000
    assert len(payload["text"]) <= 4000


@pytest.fixture
def register_of_1000(stores) -> Store:
    """1,000 open items over ten sources, every one overdue, with long texts and changes."""
    store = stores.new()
    with store.transaction() as s:
        for n in range(10):
            s.sources.save(
                Source(
                    id=f"R{'ABCDEFGHIJ'[n]}X", title=f"Review {n} " * 20, published=date(2013, 1, 1)
                )
            )
        s.items.save_many(
            [
                Item(
                    id=f"R{'ABCDEFGHIJ'[n // 100]}X-{n % 100 + 1:02d}",
                    source=f"R{'ABCDEFGHIJ'[n // 100]}X",
                    number=n % 100 + 1,
                    text=f"<&> {LONG_TEXT}",
                    due=date(2013, 12, 1),
                    leads=("ULEAD001", "ULEAD002"),
                    districts=("Rotherham",) if n % 3 else (),
                )
                for n in range(1000)
            ]
        )
    return store


def test_the_largest_answers_of_a_1000_item_register_fit_one_message(
    tmp_path, fake_slack, register_of_1000
):
    with running_bot(tmp_path, fake_slack, store=register_of_1000) as bot:
        for n in range(0, 300, 3):
            item = f"R{'ABCDEFGHIJ'[n // 100]}X-{n % 100 + 1:02d}"
            _, said = bot.command(f"/recs set {item} in progress: {'a long note ' * 30}")
            assert "in progress" in answer_text(said), answer_text(said)
        for line in (
            "/recs",
            "/recs overdue",
            "/recs district rotherham",
            "/recs search procedure page 50",
            "/recs RAX-01",
            "/gab",
            "/gab next page 9",
        ):
            _, answer = bot.command(line, channel="C0GAB")
            within_block_kit_limits(answer)
            assert len(json.dumps(answer)) < 16000, line
            assert "more than fits" not in answer_text(answer), line
        _, answer = bot.command("/gab")
        assert "100 change(s)" in answer_text(answer)


def test_figures_fit_a_phone_and_the_chart_is_one_tap_away(tmp_path, fake_slack, stores):
    store = stores.new()
    import_figures_file(store, reference(PANEL15), districts=DEFAULT_DISTRICTS, source_id="PANEL15")
    with running_bot(tmp_path, fake_slack, store=store) as bot:
        for line in ("/figures", "/figures referrals", "/figures rotherham", "/figures jul"):
            _, answer = bot.command(line)
            for block in answer["blocks"]:
                text = block.get("text", {}).get("text", "")
                if text.startswith("```"):  # a code block does not wrap: it must be narrow
                    assert max(len(row) for row in text.strip("`").splitlines()) <= 40, line
                else:
                    assert "```" not in text

        _, answer = bot.command("/figures rotherham referrals")
        assert "Rotherham: referrals by month" in answer_text(answer)
        assert card_values(answer, "referrals")[:4] == ["20", "27", "15", "31"]
        assert "offences" not in answer_text(answer)
        _, answer = bot.command("/figures rotherham jul")
        assert card_values(answer, "Rotherham")[:2] == ["31", "5"]
        assert "Barnsley" not in answer_text(answer)

        _, answer = bot.command("/figures rotherham")
        press(bot, buttons(answer)["📈 Chart"])
        if not charts_available():
            (said,) = responses(bot, 1)
            assert "plotting extra" in said["text"]
            return
        fake_slack.wait_for("files.completeUploadExternal")
        (png,) = fake_slack.uploads().values()
        assert png.startswith(b"\x89PNG")


def test_slack_markup_is_made_plain_before_the_command_sees_it(tmp_path, fake_slack, big_store):
    with running_bot(tmp_path, fake_slack, store=big_store) as bot:
        _, answer = bot.command("/recs assign BIG14-01 <@ULEAD001|lee>")
        assert "lead set to @ULEAD001" in answer_text(answer)
        _, answer = bot.command("/recs lead <@ULEAD001|lee>")
        assert "BIG14-01" in answer_text(answer)
        bot.command("/gab standing add Custody &amp; detention owner <@ULEAD001|lee>")
        with bot.store.transaction() as store:
            (standing,) = store.gab.standing_items()
        assert (standing.title, standing.owner) == ("Custody & detention", "ULEAD001")


def test_the_gab_digest_of_a_1000_item_register_is_one_compact_message(
    tmp_path, fake_slack, register_of_1000
):
    with register_of_1000.transaction() as store:
        for n in range(0, 1000, 8):  # 125 status changes since the February meeting
            store.history.append(
                HistoryEntry(
                    item_id=f"R{'ABCDEFGHIJ'[n // 100]}X-{n % 100 + 1:02d}",
                    at=datetime(2014, 3, 3, 9, 0, tzinfo=LONDON),
                    by="ULEAD001",
                    change="status",
                    old="not started",
                    new="in progress",
                    note="a long note " * 30,
                )
            )
    clock = Clock(DIGEST_DAY)
    with running_bot(tmp_path, fake_slack, clock=clock, store=register_of_1000) as bot:
        report = run_sweep(bot.services, make_client(bot.services.config), DIGEST_DAY)
        assert [d.destination for d in report.sent if d.kind == "gab_digest"] == ["C0GAB"]
        [digest] = [
            c.args for c in fake_slack.calls("chat.postMessage") if c.args["channel"] == "C0GAB"
        ]
        within_block_kit_limits(digest)
        text = answer_text(digest)
        # changes first, each section kept, what is left out said with where /gab lists it
        headings = [
            "*Status changes since",
            "*Standing items*",
            "*Due by the meeting*",
            "*Overdue*",
        ]
        assert sorted(headings, key=text.index) == headings
        assert "125 change(s)" in text and "more than fits" not in text
        # the changes as /gab's first page shows them (26 under three sources' labels)…
        assert "99 more — `/gab next page 2`" in text
        assert "*RCX-01* not started" in text and "*RCX-09*" not in text
        # …and the page named is where the rest begin
        _, page2 = bot.command("/gab next page 2", channel="C0GAB")
        assert "*RCX-09* not started" in answer_text(page2)
        assert "*RCX-01*" not in answer_text(page2)
        assert "985 more — `/gab next page 6`" in text and "*RAX-15* &lt;&amp;&gt;" in text
        assert len(json.dumps(digest)) < 20000
        assert "*RAX-01* not started → *in progress*" in text
        menus = [e for b in digest["blocks"] if b["type"] == "actions" for e in b["elements"]]
        assert [m["type"] for m in menus] == ["static_select", "static_select"]
        assert {m["action_id"] for m in menus} == {"gab_discussed"}
        chosen = menus[0]["options"][1]["value"]
        assert bot.action(choose(bot, menus[0], chosen, digest["channel"])) == 200
        bot.drain()
        told = fake_slack.calls("chat.postEphemeral")[-1].args
        assert f"Marked {chosen} as discussed" in told["text"], told["text"]


def choose(bot: Any, menu: dict[str, Any], value: str, channel: str) -> dict[str, Any]:
    """Someone in the channel picks `value` from a menu on a posted message."""
    option = next(o for o in menu["options"] if o["value"] == value)
    return {
        "type": "block_actions",
        "team": {"id": "T0001", "domain": "govbot-test"},
        "user": {"id": ADMIN, "username": "admin", "team_id": "T0001"},
        "api_app_id": "A0GOVBOT",
        "trigger_id": "88.1.trigger",
        "container": {"type": "message", "message_ts": "1395133500.000100", "channel_id": channel},
        "channel": {"id": channel, "name": "gab"},
        "message": {"type": "message", "ts": "1395133500.000100", "user": "UBOT", "bot_id": "B1"},
        "actions": [
            {
                "type": "static_select",
                "action_id": menu["action_id"],
                "block_id": "menu",
                "selected_option": option,
                "action_ts": "1395133501.000001",
            }
        ],
    }
