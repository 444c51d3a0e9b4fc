"""Who gets what in one sweep (SPEC section 10): one message per destination, personal
settings and snoozes for DMs, channel subscriptions, escalations never muted."""

from __future__ import annotations

from datetime import date, datetime

from commands.sweep_messages import combine
from commands.sweep_plan import SweepData, SweepSettings, plan_sweep
from storage.models import Item, Source
from storage.reminder_prefs import ReminderPrefs, Subscription
from tests.harness import LONDON

SETTINGS = SweepSettings(
    tz=LONDON, channel="C0GOV", gab_channel="C0GAB", admins=frozenset({"UADM1"})
)
SOURCE = Source("CSE13", "SYP response to CSE", date(2014, 1, 31), kind="review")
WEDNESDAY = date(2014, 4, 16)  # 14 days before 30 April


def item(n: int, due: date = date(2014, 4, 30), leads=("ULEAD1",), districts=()) -> Item:
    return Item(
        id=f"CSE13-{n:02d}",
        source="CSE13",
        number=n,
        text=f"Recommendation number {n}",
        due=due,
        leads=leads,
        districts=districts,
        status="in progress",
        updated_at=datetime(2014, 4, 1, 12, 0, tzinfo=LONDON),
    )


def at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 9, 0, tzinfo=LONDON)


def deliveries(day: date, *items: Item, **data):
    return plan_sweep(
        SweepData(items=items, sources=(SOURCE,), **data), SETTINGS, at(day)
    ).deliveries


def where(found, destination: str) -> list[tuple[str, str]]:
    """(kind, item) of what goes to `destination`, leaving out the week's digest."""
    return [
        (d.kind, d.reminder.item_id)
        for d in found
        if d.destination == destination and d.kind != "weekly_digest"
    ]


def test_everything_due_for_a_destination_is_one_message():
    overdue = item(1, due=date(2014, 4, 2))  # 14 days overdue today: escalated too
    found = deliveries(WEDNESDAY, item(2), item(3), overdue)
    messages = combine(found)
    assert [m.destination for m in messages] == ["ULEAD1", "C0GOV", "UADM1"]
    lead = messages[0]
    assert {d.reminder.item_id for d in lead.deliveries} == {"CSE13-01", "CSE13-02", "CSE13-03"}
    assert lead.anchor == ("", "digest")  # several items: a reply names the one it is about
    assert sum(len(m.deliveries) for m in messages) == len(found)
    # the channel lists the items whose lead was told by DM without mentioning the lead again
    assert messages[1].told_directly == {"CSE13-01", "CSE13-02", "CSE13-03"}
    assert messages[0].told_directly == frozenset()
    assert where(found, "UADM1") == [("escalation", "CSE13-01")]


def test_a_message_about_one_item_is_that_items_thread():
    [channel, lead] = combine(deliveries(WEDNESDAY, item(2)))
    assert lead.anchor == ("CSE13-02", "reminder") and lead.is_dm
    # the channel's message also carries the week's digest: replies there name the item
    assert {d.kind for d in channel.deliveries} == {"due", "weekly_digest"}
    assert channel.anchor == ("", "digest") and not channel.is_dm


def test_a_snooze_silences_only_the_person_who_pressed_it():
    shared = item(2, leads=("ULEAD1", "ULEAD2"))
    snoozed = {("ULEAD1", "CSE13-02"): date(2014, 4, 18)}  # pressed on Tuesday 15 April
    found = deliveries(WEDNESDAY, shared, snoozed=snoozed)
    assert where(found, "ULEAD1") == []
    assert where(found, "ULEAD2") == [("due", "CSE13-02")]
    assert where(found, "C0GOV") == [("due", "CSE13-02")]
    # it wakes on Friday 18 April (Good Friday is a bank holiday: Tuesday 22 April), for them only
    woken = deliveries(date(2014, 4, 22), shared, snoozed=snoozed)
    wake = [d for d in woken if d.key.startswith("snooze:")]
    assert [(d.key, d.destination) for d in wake] == [
        ("snooze:CSE13-02:2014-04-18:ULEAD1", "ULEAD1")
    ]


def test_a_snooze_never_holds_back_the_escalation_to_admins():
    overdue = item(1, due=date(2014, 4, 2), leads=("UADM1",))  # an admin leads it and snoozes it
    found = deliveries(WEDNESDAY, overdue, snoozed={("UADM1", "CSE13-01"): date(2014, 4, 18)})
    assert where(found, "UADM1") == [("escalation", "CSE13-01")]


def test_a_person_chooses_the_days_they_hear_from_the_bot():
    def to_lead(day: date, days: tuple[int, ...]):
        prefs = {"ULEAD1": ReminderPrefs("ULEAD1", days=days)}
        return [
            (d.kind, d.late)
            for d in deliveries(day, item(2), prefs=prefs)
            if d.destination == "ULEAD1"
        ]

    assert to_lead(WEDNESDAY, (0, 4)) == []  # Mondays and Fridays only
    assert to_lead(WEDNESDAY, (2,)) == [("due", False)]
    # not lost: still due on their next day (Tuesday after Easter), marked late
    assert to_lead(date(2014, 4, 22), (1,)) == [("due", True)]
    prefs = {"ULEAD1": ReminderPrefs("ULEAD1", days=(0, 4))}
    assert where(deliveries(WEDNESDAY, item(2), prefs=prefs), "C0GOV") == [("due", "CSE13-02")]


def test_muting_until_a_date_stops_dms_but_never_escalations():
    overdue = item(1, due=date(2014, 4, 2), leads=("UADM1",))
    prefs = {"UADM1": ReminderPrefs("UADM1", muted_until=date(2014, 4, 20))}
    found = deliveries(WEDNESDAY, overdue, item(2, leads=("UADM1",)), prefs=prefs)
    assert where(found, "UADM1") == [("escalation", "CSE13-01")]
    after = deliveries(date(2014, 4, 23), item(2, leads=("UADM1",)), prefs=prefs)
    assert where(after, "UADM1") == [("due", "CSE13-02")]


def test_only_items_i_lead_drops_the_admin_copies_of_other_items():
    unled = item(3, leads=())  # goes to the channel and every admin
    prefs = {"UADM1": ReminderPrefs("UADM1", only_mine=True)}
    assert where(deliveries(WEDNESDAY, unled), "UADM1") == [("due", "CSE13-03")]
    assert where(deliveries(WEDNESDAY, unled, prefs=prefs), "UADM1") == []


def test_a_subscribed_channel_gets_the_reminders_of_matching_items_in_one_message():
    rotherham = item(2, districts=("Rotherham",))
    sheffield = item(3, districts=("Sheffield",))
    subs = (
        Subscription("C0ROTH", "district", "rotherham"),
        Subscription("C0LEAD", "lead", "ULEAD1"),
        Subscription("C0CSE", "source", "CSE13"),
    )
    found = deliveries(WEDNESDAY, rotherham, sheffield, subscriptions=subs)
    assert where(found, "C0ROTH") == [("due", "CSE13-02")]
    assert (
        where(found, "C0LEAD")
        == where(found, "C0CSE")
        == [("due", "CSE13-02"), ("due", "CSE13-03")]
    )
    assert (
        len(where(found, "C0GOV")) == 2
    )  # the governance channel keeps everything (and the digest)
    assert [m.destination for m in combine(found)].count("C0LEAD") == 1


def test_a_snooze_by_someone_no_longer_leading_the_item_sends_them_nothing():
    reassigned = item(2, leads=("ULEAD2",))
    snoozed = {("ULEAD1", "CSE13-02"): date(2014, 4, 18)}
    assert where(deliveries(date(2014, 4, 22), reassigned, snoozed=snoozed), "ULEAD1") == []
