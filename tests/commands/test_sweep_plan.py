"""What a sweep sends (SPEC section 6): deliveries per destination, at the reminder time of day."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from commands.calendar import parse_schedule
from commands.gab_agenda import GabData
from commands.sweep_messages import combine
from commands.sweep_plan import SweepData, SweepSettings, plan_sweep
from storage.models import Item, Source, StandingItem
from tests.harness import LONDON

SETTINGS = SweepSettings(
    tz=LONDON, channel="C0GOV", gab_channel="C0GAB", admins=frozenset({"UADM2", "UADM1"})
)
SOURCE = Source("CSE13", "SYP response to CSE", date(2014, 1, 31), kind="review")
GAB = GabData(
    parse_schedule("last Tuesday of each month at 10:00"),
    standing=(StandingItem("GAB1", "PVP performance report", since=date(2014, 3, 1)),),
)


def item(due: date, leads=("ULEAD1", "ULEAD2"), id="CSE13-06", status="in progress") -> Item:
    return Item(
        id=id,
        source="CSE13",
        number=int(id[-2:]),
        text="Review internal communication",
        due=due,
        leads=leads,
        status=status,
        updated_at=datetime(2014, 4, 1, 12, 0, tzinfo=LONDON),
    )


def plan(at: datetime, *items: Item, settings=SETTINGS, gab=None):
    data = SweepData(items=items, sources=(SOURCE,), gab=gab)
    return plan_sweep(data, settings, at).deliveries


def of_kind(deliveries, kind: str = "due"):
    return [d for d in deliveries if d.kind == kind]


def at(day: date, hour: int = 9, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=LONDON)


WEDNESDAY = date(2014, 4, 16)  # 14 days before 30 April


def test_a_due_reminder_goes_to_each_lead_by_dm_and_to_the_channel():
    deliveries = of_kind(plan(at(WEDNESDAY), item(date(2014, 4, 30))))
    assert [(d.audience, d.destination, d.key) for d in deliveries] == [
        ("lead", "ULEAD1", "due:CSE13-06:2014-04-30:before-14:ULEAD1"),
        ("lead", "ULEAD2", "due:CSE13-06:2014-04-30:before-14:ULEAD2"),
        ("channel", "C0GOV", "due:CSE13-06:2014-04-30:before-14:C0GOV"),
    ]
    first = deliveries[0]
    assert first.text == "CSE13-06 due in 14 days: Review internal communication"
    assert not first.late and combine([first])[0].anchor == ("CSE13-06", "reminder")
    assert first.scheduled == at(WEDNESDAY)


def test_an_item_with_no_lead_goes_to_the_channel_and_every_admin():
    deliveries = plan(at(WEDNESDAY), item(date(2014, 4, 30), leads=()))
    assert [d.destination for d in deliveries if d.kind == "due"] == ["C0GOV", "UADM1", "UADM2"]


def test_nothing_before_the_reminder_time_and_everything_due_from_it():
    due_soon = item(date(2014, 4, 30))
    assert plan(at(WEDNESDAY, 8, 59), due_soon) == ()
    assert len(of_kind(plan(at(WEDNESDAY, 9, 0), due_soon))) == 3
    assert len(of_kind(plan(at(WEDNESDAY, 17, 45), due_soon))) == 3
    later = SweepSettings(tz=LONDON, channel="C0GOV", remind_at=time(10, 30))
    assert plan(at(WEDNESDAY, 10, 29), due_soon, settings=later) == ()
    assert len(of_kind(plan(at(WEDNESDAY, 10, 30), due_soon, settings=later))) == 3


def test_a_missed_reminder_is_planned_the_next_day_marked_late():
    late = of_kind(plan(at(date(2014, 4, 17)), item(date(2014, 4, 30))))[0]
    assert late.key == "due:CSE13-06:2014-04-30:before-14:ULEAD1"  # the same key: sent once
    assert late.late and late.text.startswith("CSE13-06 due in 13 days (late)")
    assert late.scheduled == at(WEDNESDAY)


def test_the_weekly_digest_goes_to_the_channel_on_monday_at_nine_across_the_clock_change():
    # Clocks went forward on Sunday 30 March 2014: 09:00 BST on the Monday is 08:00 UTC.
    monday = date(2014, 3, 31)
    assert plan(datetime(2014, 3, 31, 7, 59, tzinfo=UTC)) == ()
    [digest] = plan(datetime(2014, 3, 31, 8, 0, tzinfo=UTC))
    assert (digest.kind, digest.key, digest.destination) == (
        "weekly_digest",
        f"weekly:{monday}:C0GOV",
        "C0GOV",
    )
    assert combine([digest])[0].anchor == ("", "digest") and digest.weekly is not None
    # Clocks went back on Sunday 26 October 2014: 09:00 GMT is 09:00 UTC.
    assert plan(datetime(2014, 10, 27, 8, 59, tzinfo=UTC)) == ()
    assert len(plan(datetime(2014, 10, 27, 9, 0, tzinfo=UTC))) == 1


def test_the_weekly_digest_lists_overdue_and_soon_due_items():
    overdue = item(date(2014, 3, 28), id="CSE13-01")
    soon = item(date(2014, 4, 11), id="CSE13-02", leads=())
    later = item(date(2014, 7, 31), id="CSE13-10")
    [digest] = [d for d in plan(at(date(2014, 3, 31)), overdue, soon, later) if d.weekly]
    weekly = digest.weekly
    assert [r.item.id for r in weekly.overdue] == ["CSE13-01"]
    assert [r.item.id for r in weekly.due_soon] == ["CSE13-02"]
    assert (weekly.open_count, weekly.awaiting_allocation) == (3, 1)


def test_the_gab_digest_goes_to_the_gab_channel_five_working_days_before_the_meeting():
    # Tuesday 29 April 2014: five working days back over Easter Monday is Tuesday 22 April.
    deliveries = plan(at(date(2014, 4, 22)), item(date(2014, 4, 25)), gab=GAB)
    [digest] = [d for d in deliveries if d.kind == "gab_digest"]
    assert (digest.key, digest.destination) == ("gab-digest:2014-04-29:C0GAB", "C0GAB")
    assert combine([digest])[0].anchor == ("", "digest") and digest.subject == "GAB"
    assert [s.id for s in digest.agenda.standing] == ["GAB1"]
    assert [r.item.id for r in digest.agenda.due] == ["CSE13-06"]
    [eve] = [d for d in plan(at(date(2014, 4, 28)), gab=GAB) if d.kind == "gab_eve"]
    assert eve.key == "gab-eve:2014-04-29:C0GAB"


def test_without_a_gab_channel_gab_reminders_go_to_the_governance_channel():
    settings = SweepSettings(tz=LONDON, channel="C0GOV")
    deliveries = plan(at(date(2014, 4, 22)), settings=settings, gab=GAB)
    assert [d.destination for d in deliveries if d.kind == "gab_digest"] == ["C0GOV"]


def test_a_missing_channel_is_reported_not_silently_dropped():
    data = SweepData(items=(item(date(2014, 4, 30)),), sources=(SOURCE,))
    result = plan_sweep(data, SweepSettings(tz=LONDON), at(WEDNESDAY))
    assert [d.destination for d in result.deliveries] == ["ULEAD1", "ULEAD2"]
    assert result.unaddressed == (
        "weekly:2014-04-14: the channel setting is not set",  # the week's digest, not yet sent
        "due:CSE13-06:2014-04-30:before-14: the channel setting is not set",
    )


def test_the_pcc_response_reminder_goes_to_the_admins():
    inspection = Source("CSE13", "SYP response to CSE", date(2014, 1, 31))  # response 28 March
    data = SweepData(sources=(inspection,))
    deliveries = of_kind(plan_sweep(data, SETTINGS, at(date(2014, 3, 7))).deliveries, "response")
    assert [(d.key, d.audience) for d in deliveries] == [
        ("response:CSE13:before-21:UADM1", "admins"),
        ("response:CSE13:before-21:UADM2", "admins"),
    ]
    assert deliveries[0].text == "CSE13 PCC response due in 21 days: SYP response to CSE"
    assert combine(deliveries)[0].anchor == ("", "")


def test_closed_items_get_no_reminders():
    deliveries = plan(at(WEDNESDAY), item(date(2014, 4, 30), status="closed"))
    assert [d.kind for d in deliveries] == ["weekly_digest"]
