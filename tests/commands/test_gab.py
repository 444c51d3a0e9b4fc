"""/gab (SPEC sections 2 "GAB" and 4): the next meeting, standing items, the schedule."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from bot.render.general import render
from bot.render.text import blocks_to_text
from commands.context import Context, Settings
from commands.errors import BadInput, NotAllowed, UnknownItem
from commands.gab import run_gab
from commands.replies import GabNext, GabSchedule
from commands.updates import UpdateRequest, apply_update
from tests.conftest import import_cse13
from tests.harness import ADMIN, LONDON, Clock, running_bot

PVP = "Protecting vulnerable people (including CSE) performance report"
LEAD = "ULEAD001"


@pytest.fixture
def store(stores):
    return import_cse13(stores.new())


def ctx(store, when: datetime, user: str = ADMIN) -> Context:
    return Context(store, when, user, Settings(admins=frozenset({ADMIN})))


def gab(store, when: datetime, text: str, user: str = ADMIN):
    return run_gab(ctx(store, when, user), text)


def as_text(reply) -> str:
    return blocks_to_text(render(reply))


AFTER_APRIL_GAB = datetime(2014, 4, 29, 14, 0, tzinfo=LONDON)  # the April meeting was at 10:00


def test_next_lists_the_standing_item_an_admin_added_and_the_items_due_before_it(store):
    added = gab(store, AFTER_APRIL_GAB, f"standing add {PVP}")
    assert added.ok and "GAB1" in added.text and "until further notice" in added.text

    reply = gab(store, AFTER_APRIL_GAB, "next")
    assert isinstance(reply, GabNext)
    assert reply.meeting == datetime(2014, 5, 27, 10, 0)  # the last Tuesday of May
    assert [s.title for s in reply.standing] == [PVP]
    assert [r.item.id for r in reply.due] == ["CSE13-06", "CSE13-07", "CSE13-08", "CSE13-09"]
    assert [r.item.id for r in reply.overdue] == [f"CSE13-0{n}" for n in range(1, 6)]
    text = as_text(reply)
    assert "Tuesday 27 May 2014 at 10:00" in text
    assert f"GAB1 {PVP}" in text and "until further notice" in text
    assert "CSE13-06 The force should review its internal communication" in text
    assert "awaiting allocation · due 2014-04-30" in text
    assert "since the last meeting (Tue 29 Apr 2014)" in text
    assert gab(store, AFTER_APRIL_GAB, "") == reply  # bare /gab is /gab next


def test_an_item_due_after_the_meeting_is_not_listed_as_due_before_it(store):
    reply = gab(store, datetime(2014, 4, 16, 9, 0, tzinfo=LONDON), "next")
    assert reply.meeting == datetime(2014, 4, 29, 10, 0)
    assert reply.due == ()  # CSE13-06..09 fall due on the 30th, the day after


def test_only_admins_add_or_end_standing_items(store):
    with pytest.raises(NotAllowed, match="Only a governance admin"):
        gab(store, AFTER_APRIL_GAB, f"standing add {PVP}", user=LEAD)
    gab(store, AFTER_APRIL_GAB, f"standing add {PVP}")
    with pytest.raises(NotAllowed):
        gab(store, AFTER_APRIL_GAB, "standing end GAB1", user=LEAD)
    assert "GAB1" in as_text(gab(store, AFTER_APRIL_GAB, "standing", user=LEAD))


def test_standing_add_reads_until_and_owner_and_refuses_a_duplicate(store):
    reply = gab(store, AFTER_APRIL_GAB, f"standing add {PVP} until 2014-12-31 owner @U0ACC01")
    assert reply.ok and "until 2014-12-31" in reply.text
    with store.transaction():
        [item] = store.gab.standing_items()
    assert (item.title, item.owner, item.since, item.until) == (
        PVP,
        "U0ACC01",
        date(2014, 4, 29),
        date(2014, 12, 31),
    )
    again = gab(store, AFTER_APRIL_GAB, f"standing add {PVP.upper()}")
    assert not again.ok and "already standing item GAB1" in again.text
    second = gab(store, AFTER_APRIL_GAB, "standing add Custody & detention")
    assert "GAB2: Custody & detention" in second.text
    with pytest.raises(BadInput, match="What is the standing item called"):
        gab(store, AFTER_APRIL_GAB, "standing add until 2014-12-31")


def test_an_ended_standing_item_leaves_the_agenda(store):
    gab(store, AFTER_APRIL_GAB, f"standing add {PVP}")
    gab(store, AFTER_APRIL_GAB, "standing add Custody review until 2014-05-01")
    ended = gab(store, AFTER_APRIL_GAB, "standing end gab1")
    assert ended.ok and "from 2014-04-29" in ended.text
    assert gab(store, AFTER_APRIL_GAB, "next").standing == ()  # GAB2 ends before 27 May too
    listing = as_text(gab(store, AFTER_APRIL_GAB, "standing"))
    assert "ended 2014-04-29" in listing and "until 2014-05-01" in listing
    with pytest.raises(UnknownItem, match="Standing items: GAB1, GAB2"):
        gab(store, AFTER_APRIL_GAB, "standing end GAB7")


def test_schedule_shows_a_cancellation_and_a_one_off_meeting(store):
    now = datetime(2014, 4, 16, 9, 0, tzinfo=LONDON)
    assert gab(store, now, "cancel 2014-05-27").ok
    assert gab(store, now, "add-meeting 2014-06-05 14:30").ok
    reply = gab(store, now, "schedule")
    assert isinstance(reply, GabSchedule)
    shown = [(m.at, m.cancelled, m.one_off) for m in reply.meetings]
    assert shown[:4] == [
        (datetime(2014, 4, 29, 10, 0), False, False),
        (datetime(2014, 5, 27, 10, 0), True, False),
        (datetime(2014, 6, 5, 14, 30), False, True),
        (datetime(2014, 6, 24, 10, 0), False, False),
    ]
    assert sum(not m.cancelled for m in reply.meetings) == 6
    text = as_text(reply)
    assert "~Tuesday 27 May 2014 at 10:00~ cancelled" in text
    assert "Thursday 5 June 2014 at 14:30 (one-off)" in text
    assert gab(store, AFTER_APRIL_GAB, "next").meeting == datetime(2014, 6, 5, 14, 30)


def test_cancel_and_add_meeting_check_their_dates(store):
    now = datetime(2014, 4, 16, 9, 0, tzinfo=LONDON)
    with pytest.raises(BadInput, match="no GAB meeting on 2014-05-20.*2014-05-27"):
        gab(store, now, "cancel 2014-05-20")
    with pytest.raises(BadInput, match="already a GAB meeting"):
        gab(store, now, "add-meeting 2014-05-27 14:00")
    with pytest.raises(BadInput, match="Give the date and the time"):
        gab(store, now, "add-meeting 2014-06-05")
    with pytest.raises(NotAllowed):
        gab(store, now, "cancel 2014-05-27", user=LEAD)
    gab(store, now, "add-meeting 2014-06-05 10:00")
    gab(store, now, "cancel 2014-06-05")  # a cancellation also cancels a one-off meeting
    assert all(m.at.date() != date(2014, 6, 5) for m in gab(store, now, "schedule").meetings)


def test_changes_since_the_last_meeting_come_from_the_histories(store):
    def set_status(item_id: str, status: str, when: datetime) -> None:
        apply_update(ctx(store, when), UpdateRequest(item_id, status, note="at GAB"))

    set_status("CSE13-07", "in progress", datetime(2014, 3, 20, 12, 0, tzinfo=LONDON))
    set_status("CSE13-06", "in progress", datetime(2014, 3, 25, 11, 0, tzinfo=LONDON))
    set_status("CSE13-06", "blocked", datetime(2014, 4, 10, 12, 0, tzinfo=LONDON))

    reply = gab(store, datetime(2014, 4, 16, 9, 0, tzinfo=LONDON), "next")
    assert reply.last_meeting == datetime(2014, 3, 25, 10, 0)
    assert [(e.item_id, e.old, e.new) for e in reply.changes] == [
        ("CSE13-06", "not started", "in progress"),
        ("CSE13-06", "in progress", "blocked"),
    ]
    assert "CSE13-06 in progress → blocked" in as_text(reply)


def test_held_records_the_items_discussed_and_resets_the_changes(store):
    apply_update(
        ctx(store, datetime(2014, 4, 10, 12, 0, tzinfo=LONDON)),
        UpdateRequest("CSE13-06", "in progress"),
    )
    held = gab(store, AFTER_APRIL_GAB, "held")
    assert held.ok and "2014-04-29" in held.text
    with store.transaction():
        [record] = store.gab.meetings_held()
    assert record.held_on == date(2014, 4, 29)
    assert record.items[:5] == tuple(f"CSE13-0{n}" for n in range(1, 6))  # overdue
    assert "CSE13-06" in record.items  # changed since March
    assert gab(store, AFTER_APRIL_GAB, "next").changes == ()
    with pytest.raises(BadInput, match="has not happened yet"):
        gab(store, AFTER_APRIL_GAB, "held 2014-05-27")


def test_unknown_words_get_the_choices(store):
    with pytest.raises(BadInput, match="Did you mean schedule"):
        gab(store, AFTER_APRIL_GAB, "shedule")
    assert "/gab standing add" in as_text(gab(store, AFTER_APRIL_GAB, "help"))


def test_gab_next_over_http_after_an_admin_adds_the_standing_item(tmp_path, fake_slack, store):
    with running_bot(tmp_path, fake_slack, Clock(AFTER_APRIL_GAB), store=store) as bot:
        status, answer = bot.command(f"/gab standing add {PVP}", user=LEAD)
        assert status == 200 and "Only a governance admin" in answer["text"]
        status, answer = bot.command(f"/gab standing add {PVP}")
        assert status == 200 and "Added standing item GAB1" in answer["text"]
        status, answer = bot.command("/gab next")
        assert status == 200 and answer["response_type"] == "ephemeral"
        text = blocks_to_text(answer)
        assert PVP in text and "CSE13-09" in text and "Tuesday 27 May 2014" in text
