"""/gab action, actions, discussed and minutes: the meeting window, dates, ids and permissions."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from bot.documents.markdown import minutes_markdown
from commands.context import Context, Settings
from commands.errors import BadInput, NotAllowed, UnknownItem
from commands.gab import run_gab
from commands.minutes import MinutesToPost
from commands.panel_report import panel_report
from commands.recs import run_recs
from commands.replies import ItemDetail, ItemList
from commands.thread_grammar import parse_update
from tests.conftest import contents, import_cse13
from tests.harness import ADMIN, LONDON

LEAD = "ULEAD001"
MEMBER = "UMEMBER01"
GAB = "C0GAB"
START = datetime(2026, 12, 29, 10, 0, tzinfo=LONDON)  # the last Tuesday of December


@pytest.fixture
def store(stores):
    return import_cse13(stores.new())


def gab(store, when: datetime, text: str, user: str = ADMIN, channel: str = GAB):
    settings = Settings(admins=frozenset({ADMIN}), gab_channel=GAB)
    return run_gab(Context(store, when, user, settings, channel=channel), text)


def at(hour: int, minute: int = 0, day: int = 29) -> datetime:
    return datetime(2026, 12, day, hour, minute, tzinfo=LONDON)


def snapshot(store) -> tuple:
    with store.transaction():
        return (store.items.ids(), [s.id for s in store.sources.all()], contents(store))


@pytest.mark.parametrize(
    ("moment", "allowed"),
    [
        (at(9, 29), False),
        (at(9, 30), True),  # 30 minutes before the start
        (at(13, 0), True),  # 3 hours after
        (at(13, 1), False),
        (at(10, 0, day=30), False),
    ],
)
def test_anyone_in_the_gab_channel_may_record_an_action_during_the_window(store, moment, allowed):
    line = f"action @{LEAD} Report to the PCC"
    if allowed:
        assert gab(store, moment, line, user=MEMBER).text.startswith("Recorded GAB-2026-12-29-01")
    else:
        with pytest.raises(NotAllowed, match="30 minutes before it starts to 3 hours after"):
            gab(store, moment, line, user=MEMBER)


def test_members_record_only_in_the_gab_channel_and_admins_afterwards(store):
    with pytest.raises(NotAllowed, match="in the GAB channel"):
        gab(store, at(10, 30), f"action @{LEAD} Report", user=MEMBER, channel="C0GOV")
    later = gab(store, at(10, 0, day=31), f"action @{LEAD} Report to the PCC", channel="D1")
    assert later.text.startswith("Recorded GAB-2026-12-29-01")  # the last meeting held


@pytest.mark.parametrize(
    ("by", "due"),
    [
        ("by 2027-03-31", date(2027, 3, 31)),
        ("by 31/03/2027", date(2027, 3, 31)),
        ("by 31 March 2027", date(2027, 3, 31)),
        ("BY 1st feb 2027", date(2027, 2, 1)),
        ("by next meeting", date(2027, 1, 26)),
        ("by the next meeting", date(2027, 1, 26)),
        ("", None),
    ],
)
def test_by_accepts_iso_uk_and_written_dates_and_the_next_meeting(store, by, due):
    gab(store, at(10, 30), f"action @{LEAD} A report to the Board {by}")
    with store.transaction():
        action = store.items.get("GAB-2026-12-29-01")
    assert (action.text, action.due, action.leads) == ("A report to the Board", due, (LEAD,))
    assert action.kind == "action" and action.source == "GAB-2026-12-29"


def test_a_by_that_is_words_stays_in_the_text(store):
    gab(store, at(10, 30), f"action @{LEAD} Review supported by the local authority")
    with store.transaction():
        action = store.items.get("GAB-2026-12-29-01")
    assert (action.text, action.due) == ("Review supported by the local authority", None)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (f"action @{LEAD} Report by 31/02/2027", "no such day"),
        (f"action @{LEAD} Report by 2026-12-01", "is in the past"),
        (f"action @{LEAD} Report by 99 Smarch 2027", "is not a date"),
        ("action Report to the PCC", "Start with the owner"),
        (f"action @{LEAD} by 31/03/2027", "What is the action?"),
    ],
)
def test_bad_actions_are_refused_and_change_nothing(store, line, message):
    before = snapshot(store)
    with pytest.raises(BadInput, match=message):
        gab(store, at(10, 30), line)
    assert snapshot(store) == before


def test_actions_are_numbered_in_order_and_not_recorded_twice(store):
    gab(store, at(10, 30), f"action @{LEAD} First")
    gab(store, at(10, 31), f"action @{MEMBER} Second & last")
    again = gab(store, at(10, 32), f"action @{LEAD} first")
    assert not again.ok and "already recorded as GAB-2026-12-29-01" in again.text
    with store.transaction():
        actions = store.items.by_source("GAB-2026-12-29")
        source = store.sources.get("GAB-2026-12-29")
    assert [(a.id, a.text) for a in actions] == [
        ("GAB-2026-12-29-01", "First"),
        ("GAB-2026-12-29-02", "Second & last"),
    ]
    assert (source.kind, source.published) == ("meeting", date(2026, 12, 29))


def test_action_ids_work_in_recs_and_in_thread_replies(store):
    gab(store, at(10, 30), f"action @{LEAD} Report to the PCC by 12/01/2027")
    settings = Settings(admins=frozenset({ADMIN}))
    detail = run_recs(Context(store, at(11), ADMIN, settings), "gab-2026-12-29-1")
    assert isinstance(detail, ItemDetail) and detail.item.id == "GAB-2026-12-29-01"
    listed = run_recs(Context(store, at(11), ADMIN, settings), "source GAB-2026-12-29")
    assert isinstance(listed, ItemList) and listed.total == 1
    done = run_recs(Context(store, at(11), LEAD, settings), "set GAB-2026-12-29-01 in progress")
    assert done.item.status == "in progress"
    parsed = parse_update("GAB-2026-12-29-01 done: reported", expect_id=True)
    assert parsed is not None and parsed.item_id == "GAB-2026-12-29-01"
    with pytest.raises(UnknownItem, match="GAB-2026-12-29"):
        run_recs(Context(store, at(11), ADMIN, settings), "GAB-2026-12-29-09")


def test_actions_lists_open_ones_or_one_meetings(store):
    gab(store, at(10, 30), f"action @{LEAD} First")
    gab(store, at(10, 31), f"action @{LEAD} Second")
    run_recs(
        Context(store, at(11), ADMIN, Settings(admins=frozenset({ADMIN}))),
        "set GAB-2026-12-29-02 superseded by the first",
    )
    every = gab(store, at(11), "actions")
    assert [r.item.id for r in every.rows] == ["GAB-2026-12-29-01", "GAB-2026-12-29-02"]
    assert [r.item.id for r in gab(store, at(11), "actions open").rows] == ["GAB-2026-12-29-01"]
    assert gab(store, at(11), "actions GAB-2026-12-29").total == 2
    assert gab(store, at(11), "actions 2026-12-29").total == 2
    with pytest.raises(BadInput, match="no GAB meeting on 30 December 2026"):
        gab(store, at(11), "actions GAB-2026-12-30")


def test_discussed_marks_items_once_with_the_note(store):
    reply = gab(store, at(10, 40), "discussed CSE13-04 cse13-6: to come back in January")
    assert reply.ok and "Marked CSE13-04, CSE13-06 as discussed at GAB-2026-12-29" in reply.text
    again = gab(store, at(10, 50), "discussed CSE13-04")
    assert not again.ok and "CSE13-04 already marked" in again.text
    with store.transaction():
        discussed = store.meetings.discussed("GAB-2026-12-29")
        held = store.gab.meetings_held()
    assert [(d.item_id, d.note) for d in discussed] == [
        ("CSE13-04", "to come back in January"),
        ("CSE13-06", "to come back in January"),
    ]
    assert [(h.held_on, h.items) for h in held] == [(date(2026, 12, 29), ("CSE13-04", "CSE13-06"))]
    before = snapshot(store)
    with pytest.raises(UnknownItem):
        gab(store, at(10, 55), "discussed CSE13-99")
    with pytest.raises(BadInput, match="Which items?"):
        gab(store, at(10, 55), "discussed nothing")
    assert snapshot(store) == before


def test_minutes_are_for_admins_and_for_meetings_that_happened(store):
    with pytest.raises(NotAllowed):
        gab(store, at(14), "minutes", user=MEMBER)
    with pytest.raises(BadInput, match="has not happened yet"):
        gab(store, at(14), "minutes GAB-2027-01-26")
    reply = gab(store, at(14), "minutes")
    assert isinstance(reply, MinutesToPost) and reply.channel == GAB
    assert reply.minutes.meeting == datetime(2026, 12, 29, 10, 0)
    assert reply.minutes.next_meeting == datetime(2027, 1, 26, 10, 0)


def test_the_last_by_is_the_date(store):
    gab(store, at(10, 30), f"action @{LEAD} Review supported by the LA by 31/03/2027")
    with store.transaction():
        action = store.items.get("GAB-2026-12-29-01")
    assert (action.text, action.due) == ("Review supported by the LA", date(2027, 3, 31))


def test_actions_are_reported_like_any_recommendation(store):
    gab(store, at(10, 30), f"action @{LEAD} Report to the PCC by 12/01/2027")
    report = panel_report(store, "gab-2026-12-29", date(2027, 1, 13))
    assert report.source.kind == "meeting" and report.response_due is None
    assert [(r.item.id, r.rag) for r in report.rows] == [("GAB-2026-12-29-01", "red")]
    assert report.totals == {"not started": 1}


def test_minutes_of_a_quiet_meeting_say_so(store):
    minutes = gab(store, at(14), "minutes 2026-11-24").minutes
    assert (minutes.meeting_id, minutes.attendees, minutes.discussed, minutes.actions) == (
        "GAB-2026-11-24",
        (),
        (),
        (),
    )
    text = minutes_markdown(minutes, {})
    assert "- No one posted during it." in text and "## Actions\n\n- None recorded." in text
    assert "- Tuesday 29 December 2026 at 10:00" in text  # the next meeting
