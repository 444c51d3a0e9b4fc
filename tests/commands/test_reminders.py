"""Which reminders are due on a day (SPEC section 6): pure functions of the register and a date."""

import random
from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from commands.calendar import is_working_day, parse_schedule
from commands.deadlines import due_from_timescale
from commands.reminders import Reminder, ReminderSettings, due_reminders, reminder_schedule
from storage.models import Item, Source

LAST_TUESDAY = parse_schedule("last Tuesday of each month at 10:00")
CSE13 = Source("CSE13", "Child sexual exploitation in South Yorkshire", date(2014, 1, 31))


def make_item(due=None, *, status="in progress", leads=("U1",), updated_at=None, id="CSE13-04"):
    return Item(
        id=id, source="CSE13", number=4, due=due, status=status, leads=leads, updated_at=updated_at
    )


def remind(items, today, *, sources=(), schedule=None, snoozed=None, **overrides):
    options = ReminderSettings(**overrides)
    return due_reminders(items, sources, schedule, today, options, snoozed or {})


def of_kind(reminders, *kinds):
    return [r for r in reminders if r.kind in kinds]


def item_reminders(item, today, **kwargs):
    return [r for r in remind([item], today, **kwargs) if r.item_id == item.id]


def run_bot(items, days, *, down=(), sources=(), schedule=None):
    """Sweep once a day with a sent-ledger, as the scheduler does: (day, key, late) per send."""
    sent: set[str] = set()
    log = []
    for day in days:
        if day in down:
            continue
        for reminder in remind(items, day, sources=sources, schedule=schedule):
            if reminder.key not in sent:
                sent.add(reminder.key)
                log.append((day, reminder.key, reminder.late))
    return log


def days_from(start, end):
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


# Before the due date


@pytest.mark.parametrize(
    ("today", "offset", "label"),
    [
        (date(2026, 6, 12), 14, "due in 14 days"),
        (date(2026, 6, 19), 7, "due in 7 days"),
        (date(2026, 6, 25), 1, "due tomorrow"),
        (date(2026, 6, 26), 0, "due today"),
    ],
)
def test_a_reminder_at_every_offset(today, offset, label):
    item = make_item(date(2026, 6, 26))  # a Friday: every offset lands on a working day
    [reminder] = item_reminders(item, today)
    assert reminder == Reminder(
        key=f"due:CSE13-04:2026-06-26:before-{offset}",
        kind="due",
        send_on=today,
        item_id="CSE13-04",
        source_id="CSE13",
        audience=("lead", "channel"),
        label=label,
    )


def test_nothing_between_offsets_once_sent_and_nothing_before_the_first():
    item = make_item(date(2026, 6, 26))
    assert item_reminders(item, date(2026, 6, 11)) == []
    log = run_bot([item], days_from(date(2026, 6, 1), date(2026, 6, 26)))
    assert [entry for entry in log if entry[1].startswith("due:")] == [
        (date(2026, 6, 12), "due:CSE13-04:2026-06-26:before-14", False),
        (date(2026, 6, 19), "due:CSE13-04:2026-06-26:before-7", False),
        (date(2026, 6, 25), "due:CSE13-04:2026-06-26:before-1", False),
        (date(2026, 6, 26), "due:CSE13-04:2026-06-26:before-0", False),
    ]


def test_due_on_a_monday_the_day_before_reminder_moves_from_sunday_to_friday():
    item = make_item(date(2026, 6, 29))
    plan = reminder_schedule(item)
    assert [day for day, _ in plan[:4]] == [
        date(2026, 6, 15),
        date(2026, 6, 22),
        date(2026, 6, 26),  # nominally Sunday 28 June
        date(2026, 6, 29),
    ]
    [reminder] = item_reminders(item, date(2026, 6, 26))
    assert (reminder.key, reminder.label) == ("due:CSE13-04:2026-06-29:before-1", "due in 3 days")
    assert item_reminders(item, date(2026, 6, 28))[0].late  # the same one, if not yet sent


def test_due_on_a_saturday_two_offsets_meet_on_friday_and_only_the_later_goes():
    item = make_item(date(2026, 6, 20))
    [reminder] = item_reminders(item, date(2026, 6, 19))
    assert (reminder.key, reminder.label) == ("due:CSE13-04:2026-06-20:before-0", "due tomorrow")


def test_a_reminder_nominally_on_easter_monday_goes_on_maundy_thursday():
    item = make_item(date(2026, 4, 7))
    [reminder] = item_reminders(item, date(2026, 4, 2))
    assert reminder.key == "due:CSE13-04:2026-04-07:before-1"
    assert item_reminders(item, date(2026, 4, 3))[0].late  # Good Friday: nothing new
    assert [r.key for r in item_reminders(item, date(2026, 4, 7))] == [
        "due:CSE13-04:2026-04-07:before-0"
    ]


def test_a_reminder_nominally_on_good_friday_goes_on_the_thursday():
    item = make_item(date(2026, 4, 10))
    assert reminder_schedule(item)[1] == (date(2026, 4, 2), "due in 8 days")


def test_christmas_2026_and_new_year_push_reminders_to_christmas_eve_and_new_years_eve():
    over_boxing_day = make_item(date(2026, 12, 29))  # 1 day before: Monday 28th, the substitute
    assert reminder_schedule(over_boxing_day)[2] == (date(2026, 12, 24), "due in 5 days")
    into_january = make_item(date(2027, 1, 8))
    assert [day for day, _ in reminder_schedule(into_january)[:2]] == [
        date(2026, 12, 24),  # nominally Christmas Day
        date(2026, 12, 31),  # nominally New Year's Day
    ]


def test_a_leap_day_due_date_from_a_three_month_timescale():
    due = due_from_timescale(date(2027, 11, 30), "within three months")
    assert due == date(2028, 2, 29)
    assert reminder_schedule(make_item(due)) == [
        (date(2028, 2, 15), "due in 14 days"),
        (date(2028, 2, 22), "due in 7 days"),
        (date(2028, 2, 28), "due tomorrow"),
        (date(2028, 2, 29), "due today"),
        (date(2028, 3, 6), "6 days overdue"),
        (date(2028, 3, 13), "13 days overdue"),
        (date(2028, 3, 14), "escalated: 14 days overdue"),
    ]


def test_a_month_end_due_date_on_a_sunday():
    item = make_item(date(2026, 5, 31))
    [reminder] = item_reminders(item, date(2026, 5, 29))
    assert (reminder.key, reminder.label) == ("due:CSE13-04:2026-05-31:before-0", "due in 2 days")


def test_offsets_are_configurable():
    item = make_item(date(2026, 6, 26))
    [reminder] = item_reminders(item, date(2026, 5, 27), offsets=(30, 0))
    assert reminder.key == "due:CSE13-04:2026-06-26:before-30"


# Catch-up after downtime


def test_bot_down_for_ten_days_sends_one_late_reminder_not_three():
    item = make_item(date(2026, 4, 7))  # 14, 7 and 1 days before: 24 Mar, 31 Mar, 2 Apr
    down = days_from(date(2026, 3, 24), date(2026, 4, 2))
    assert len(down) == 10
    log = run_bot([item], days_from(date(2026, 3, 20), date(2026, 4, 7)), down=down)
    assert [entry for entry in log if entry[1].startswith("due:")] == [
        (date(2026, 4, 3), "due:CSE13-04:2026-04-07:before-1", True),
        (date(2026, 4, 7), "due:CSE13-04:2026-04-07:before-0", False),
    ]


def test_a_late_reminder_says_how_long_is_left_on_the_day_it_goes():
    [reminder] = item_reminders(make_item(date(2026, 6, 26)), date(2026, 6, 16))
    assert reminder.key.endswith("before-14")
    assert (reminder.late, reminder.label) == (True, "due in 10 days")


def test_nothing_older_than_the_catch_up_window_is_sent():
    item = make_item(date(2026, 6, 26))
    assert item_reminders(item, date(2026, 6, 12), offsets=(14, 0), catch_up_days=3)
    assert item_reminders(item, date(2026, 6, 16), offsets=(14, 0), catch_up_days=3) == []


def test_an_item_imported_years_overdue_is_not_escalated_retroactively():
    item = make_item(date(2014, 4, 30))
    reminders = item_reminders(item, date(2026, 6, 3))
    assert [(r.key, r.late) for r in reminders] == [("overdue:CSE13-04:2026-06-01", True)]


# Which items


@pytest.mark.parametrize("status", ["closed", "superseded", "not accepted"])
def test_items_that_are_not_open_get_nothing(status):
    item = make_item(date(2026, 6, 26), status=status, updated_at=datetime(2025, 1, 1))
    for today in days_from(date(2026, 6, 1), date(2026, 8, 1)):
        assert (
            item_reminders(item, today, sources=[CSE13], snoozed={item.id: date(2026, 7, 1)}) == []
        )
    assert reminder_schedule(item) == []


@pytest.mark.parametrize("status", ["not started", "in progress", "blocked", "implemented"])
def test_every_open_status_is_reminded_including_implemented(status):
    assert item_reminders(make_item(date(2026, 6, 26), status=status), date(2026, 6, 26))


def test_an_item_with_no_due_date_is_never_due_or_overdue():
    assert item_reminders(make_item(None), date(2026, 6, 26)) == []
    assert reminder_schedule(make_item(None)) == []


def test_an_item_with_no_lead_goes_to_the_channel_and_the_admins():
    item = make_item(date(2026, 6, 26), leads=())
    [due] = item_reminders(item, date(2026, 6, 26))
    [overdue] = item_reminders(item, date(2026, 6, 29))
    assert due.audience == overdue.audience == ("channel", "admins")


# After the due date


def test_overdue_weekly_on_mondays():
    item = make_item(date(2026, 6, 3))  # a Wednesday
    assert item_reminders(item, date(2026, 6, 5)) == []
    [first] = item_reminders(item, date(2026, 6, 8))
    assert (first.key, first.label, first.audience) == (
        "overdue:CSE13-04:2026-06-08",
        "5 days overdue",
        ("lead", "channel"),
    )
    [again] = item_reminders(item, date(2026, 6, 10))
    assert (again.key, again.late, again.label) == (
        "overdue:CSE13-04:2026-06-08",
        True,
        "7 days overdue",
    )
    assert of_kind(item_reminders(item, date(2026, 6, 15)), "overdue")[0].key.endswith("2026-06-15")


def test_a_bank_holiday_monday_overdue_reminder_goes_on_the_friday_before():
    item = make_item(date(2026, 5, 20))
    [reminder] = item_reminders(item, date(2026, 5, 22))
    assert (reminder.key, reminder.send_on) == ("overdue:CSE13-04:2026-05-25", date(2026, 5, 22))


def test_an_overdue_reminder_never_goes_before_the_item_is_overdue():
    item = make_item(date(2026, 4, 2))  # Easter Monday's working day before is the due day itself
    assert of_kind(item_reminders(item, date(2026, 4, 2)), "overdue") == []
    [reminder] = item_reminders(item, date(2026, 4, 7))
    assert (reminder.key, reminder.send_on) == ("overdue:CSE13-04:2026-04-06", date(2026, 4, 7))


def test_escalation_exactly_at_fourteen_days_overdue():
    item = make_item(date(2026, 6, 1))
    assert of_kind(item_reminders(item, date(2026, 6, 14)), "escalation") == []
    [escalation] = of_kind(item_reminders(item, date(2026, 6, 15)), "escalation")
    assert (escalation.key, escalation.audience, escalation.label) == (
        "escalate:CSE13-04:2026-06-01",
        ("admins",),
        "escalated: 14 days overdue",
    )


@pytest.mark.parametrize(
    ("due", "escalated_on"),
    [
        (date(2026, 6, 6), date(2026, 6, 22)),  # 14 days on is a Saturday: Monday, not Friday
        (date(2026, 3, 23), date(2026, 4, 7)),  # 14 days on is Easter Monday
    ],
)
def test_escalation_waits_for_the_next_working_day(due, escalated_on):
    item = make_item(due)
    before = escalated_on - timedelta(days=1)
    assert of_kind(item_reminders(item, before), "escalation") == []
    [escalation] = of_kind(item_reminders(item, escalated_on), "escalation")
    assert escalation.send_on == escalated_on


def test_a_running_bot_sends_each_planned_reminder_once_on_its_day():
    item = make_item(date(2026, 4, 7))
    log = run_bot([item], days_from(date(2026, 3, 1), date(2026, 4, 30)))
    item_log = [(day, late) for day, key, late in log if "CSE13-04" in key]
    assert item_log == [(day, False) for day, _ in reminder_schedule(item)] + [
        (date(2026, 4, 27), False)  # the weekly overdue reminders go on after escalation
    ]


# Stale items


def test_an_item_with_no_update_for_thirty_days_prompts_its_lead_once_per_period():
    item = make_item(None, updated_at=datetime(2026, 5, 1, 15, 30))
    assert item_reminders(item, date(2026, 5, 29)) == []
    [prompt] = item_reminders(item, date(2026, 6, 1))  # 31 May is a Sunday
    assert (prompt.key, prompt.kind, prompt.audience, prompt.label) == (
        "stale:CSE13-04:2026-05-31",
        "stale",
        ("lead",),
        "no update for 31 days",
    )
    log = run_bot([item], days_from(date(2026, 5, 1), date(2026, 9, 1)))
    assert [day for day, key, _ in log if key.startswith("stale:")] == [
        date(2026, 6, 1),
        date(2026, 6, 30),
        date(2026, 7, 30),
        date(2026, 9, 1),  # 29 August is a Saturday and 31 August a bank holiday
    ]


def test_a_never_updated_item_counts_from_its_source_publication_and_no_lead_prompts_admins():
    item = make_item(None, leads=())
    [prompt] = item_reminders(item, date(2014, 3, 3), sources=[CSE13])
    assert (prompt.key, prompt.audience) == ("stale:CSE13-04:2014-03-02", ("admins",))


# The PCC's response to an inspection report


@pytest.mark.parametrize(
    ("today", "key", "label"),
    [
        (date(2014, 3, 7), "response:CSE13:before-21", "PCC response due in 21 days"),
        (date(2014, 3, 14), "response:CSE13:before-14", "PCC response due in 14 days"),
        (date(2014, 3, 21), "response:CSE13:before-7", "PCC response due in 7 days"),
        (date(2014, 3, 26), "response:CSE13:before-2", "PCC response due in 2 days"),
        (date(2014, 3, 31), "response-overdue:CSE13:2014-03-31", "PCC response 3 days overdue"),
    ],
)
def test_response_reminders_for_a_report_published_on_31_january_2014(today, key, label):
    [reminder] = of_kind(remind([], today, sources=[CSE13]), "response")
    assert (reminder.key, reminder.send_on, reminder.label) == (key, today, label)
    assert (reminder.source_id, reminder.audience, reminder.late) == ("CSE13", ("admins",), False)


def test_response_reminders_are_sent_once_each_and_stop_when_the_response_is_published():
    log = run_bot([], days_from(date(2014, 2, 1), date(2014, 3, 30)), sources=[CSE13])
    assert [(day, key) for day, key, _ in log if key.startswith("response")] == [
        (date(2014, 3, 7), "response:CSE13:before-21"),
        (date(2014, 3, 14), "response:CSE13:before-14"),
        (date(2014, 3, 21), "response:CSE13:before-7"),
        (date(2014, 3, 26), "response:CSE13:before-2"),
    ]
    published = replace(CSE13, response_published=date(2014, 3, 20))
    for today in days_from(date(2014, 2, 1), date(2014, 5, 1)):
        assert of_kind(remind([], today, sources=[published]), "response") == []


def test_only_inspection_reports_need_a_pcc_response():
    review = replace(CSE13, kind="review")
    assert of_kind(remind([], date(2014, 3, 7), sources=[review]), "response") == []


# The Governance and Assurance Board


@pytest.mark.parametrize(
    ("meeting", "digest_on", "eve_on"),
    [
        (datetime(2026, 11, 24, 10), date(2026, 11, 17), date(2026, 11, 23)),
        (datetime(2026, 12, 29, 10), date(2026, 12, 18), date(2026, 12, 24)),  # over Christmas
        (datetime(2027, 1, 26, 10), date(2027, 1, 19), date(2027, 1, 25)),
    ],
)
def test_gab_digest_five_working_days_before_and_a_reminder_the_working_day_before(
    meeting, digest_on, eve_on
):
    day = meeting.date()
    assert (
        of_kind(remind([], digest_on - timedelta(days=1), schedule=LAST_TUESDAY), "gab_digest")
        == []
    )
    [digest] = of_kind(remind([], digest_on, schedule=LAST_TUESDAY), "gab_digest", "gab_eve")
    assert digest == Reminder(
        key=f"gab-digest:{day}",
        kind="gab_digest",
        send_on=digest_on,
        meeting=meeting,
        audience=("gab_channel",),
        label=f"pre-meeting digest: GAB on Tue {day.day} {meeting:%b %Y} at 10:00",
    )
    eve = of_kind(remind([], eve_on, schedule=LAST_TUESDAY), "gab_eve")
    assert [(r.key, r.send_on, r.late) for r in eve] == [(f"gab-eve:{day}", eve_on, False)]
    on_the_day = remind([], day, schedule=LAST_TUESDAY)  # still worth sending, however late
    assert {r.key for r in of_kind(on_the_day, "gab_digest", "gab_eve")} == {
        f"gab-digest:{day}",
        f"gab-eve:{day}",
    }
    after = remind([], day + timedelta(days=1), schedule=LAST_TUESDAY)
    assert of_kind(after, "gab_digest", "gab_eve") == []


def test_a_cancelled_meeting_gets_no_digest_and_a_one_off_meeting_does():
    schedule = replace(
        LAST_TUESDAY, cancelled=(date(2026, 12, 29),), extra=(datetime(2026, 12, 15, 14, 0),)
    )
    log = run_bot([], days_from(date(2026, 11, 25), date(2027, 1, 26)), schedule=schedule)
    assert [(day, key) for day, key, _ in log if key.startswith("gab")] == [
        (date(2026, 12, 8), "gab-digest:2026-12-15"),
        (date(2026, 12, 14), "gab-eve:2026-12-15"),
        (date(2027, 1, 19), "gab-digest:2027-01-26"),
        (date(2027, 1, 25), "gab-eve:2027-01-26"),
    ]


def test_a_one_off_meeting_just_before_a_regular_one_does_not_hide_its_digest():
    schedule = replace(LAST_TUESDAY, extra=(datetime(2026, 11, 19, 14, 0),))
    keys = [
        r.key
        for r in of_kind(remind([], date(2026, 11, 18), schedule=schedule), "gab_eve", "gab_digest")
    ]
    assert keys == ["gab-digest:2026-11-19", "gab-digest:2026-11-24", "gab-eve:2026-11-19"]


def test_no_schedule_no_gab_reminders():
    assert of_kind(remind([], date(2026, 11, 23)), "gab_digest", "gab_eve") == []


# The weekly digest


def test_the_weekly_digest_is_due_from_monday_for_the_current_week_only():
    [monday] = of_kind(remind([], date(2026, 11, 23)), "weekly_digest")
    assert (monday.key, monday.send_on, monday.audience, monday.late) == (
        "weekly:2026-11-23",
        date(2026, 11, 23),
        ("channel",),
        False,
    )
    [sunday] = of_kind(remind([], date(2026, 11, 29)), "weekly_digest")
    assert (sunday.key, sunday.late) == ("weekly:2026-11-23", True)


def test_on_a_bank_holiday_monday_the_weekly_digest_goes_on_tuesday():
    assert of_kind(remind([], date(2026, 5, 25)), "weekly_digest") == []
    [digest] = of_kind(remind([], date(2026, 5, 26)), "weekly_digest")
    assert (digest.key, digest.send_on, digest.late) == (
        "weekly:2026-05-25",
        date(2026, 5, 26),
        False,
    )


# Snooze


def test_snooze_silences_the_item_until_its_day_then_reminds_once():
    item = make_item(date(2026, 6, 26))
    snoozed = {item.id: date(2026, 6, 22)}  # "Remind me in 3 days" on Friday 19 June
    for today in days_from(date(2026, 6, 19), date(2026, 6, 21)):
        assert item_reminders(item, today, snoozed=snoozed) == []
    [reminder] = item_reminders(item, date(2026, 6, 22), snoozed=snoozed)
    assert (reminder.key, reminder.kind, reminder.label, reminder.audience) == (
        "snooze:CSE13-04:2026-06-22",
        "due",
        "snoozed: due in 4 days",
        ("lead",),
    )
    later = item_reminders(item, date(2026, 6, 25), snoozed=snoozed)
    assert [(r.key, r.late) for r in later] == [
        ("snooze:CSE13-04:2026-06-22", True),  # already sent on the 22nd: the ledger holds it
        ("due:CSE13-04:2026-06-26:before-1", False),
    ]


def test_a_snooze_ending_on_a_weekend_wakes_on_the_next_working_day():
    item = make_item(date(2026, 7, 31))
    snoozed = {item.id: date(2026, 7, 19)}  # a Sunday
    assert item_reminders(item, date(2026, 7, 19), snoozed=snoozed) == []
    [reminder] = item_reminders(item, date(2026, 7, 20), snoozed=snoozed)
    assert (reminder.key, reminder.send_on) == ("snooze:CSE13-04:2026-07-19", date(2026, 7, 20))


def test_a_snoozed_overdue_item_is_still_escalated_to_the_admins():
    item = make_item(date(2026, 6, 1))
    snoozed = {item.id: date(2026, 6, 18)}
    assert [r.kind for r in item_reminders(item, date(2026, 6, 15), snoozed=snoozed)] == [
        "escalation"
    ]
    [reminder] = of_kind(item_reminders(item, date(2026, 6, 18), snoozed=snoozed), "overdue")
    assert (reminder.key, reminder.label) == (
        "snooze:CSE13-04:2026-06-18",
        "snoozed: 17 days overdue",
    )


# Order and invariants


def test_output_is_ordered_by_day_kind_and_key_whatever_the_input_order():
    items = [
        make_item(date(2026, 11, 24) + timedelta(days=n), id=f"CSE13-{n:02d}")
        for n in range(-20, 20)
    ]
    today = date(2026, 11, 23)
    expected = remind(items, today, sources=[CSE13], schedule=LAST_TUESDAY)
    assert [(r.send_on, r.kind, r.key) for r in expected] == sorted(
        (r.send_on, r.kind, r.key) for r in expected
    )
    random.Random(7).shuffle(items)
    assert remind(items, today, sources=[CSE13], schedule=LAST_TUESDAY) == expected


days = st.dates(min_value=date(2024, 1, 1), max_value=date(2029, 12, 31))


@settings(max_examples=300, deadline=None)
@given(
    due=days,
    today=days,
    published=days,
    updated=st.none() | days,
    leads=st.sampled_from([(), ("U1",)]),
    snooze=st.none() | days,
)
def test_every_reminder_is_due_on_a_working_day_no_later_than_today(
    due, today, published, updated, leads, snooze
):
    updated_at = None if updated is None else datetime.combine(updated, datetime.min.time())
    items = [
        make_item(due, leads=leads, updated_at=updated_at),
        make_item(due + timedelta(days=3), id="CSE13-05", status="implemented"),
    ]
    source = replace(CSE13, published=published)
    snoozed = {} if snooze is None else {"CSE13-04": snooze}
    found = remind(items, today, sources=[source], schedule=LAST_TUESDAY, snoozed=snoozed)
    for reminder in found:
        assert reminder.send_on <= today
        assert is_working_day(reminder.send_on)
        assert reminder.late == (reminder.send_on < today)
        if reminder.kind in ("gab_digest", "gab_eve"):
            assert today <= reminder.meeting.date()
        else:
            assert (today - reminder.send_on).days <= ReminderSettings().catch_up_days
        if reminder.kind == "escalation":
            assert reminder.send_on >= due + timedelta(days=14)
    assert len({r.key for r in found}) == len(found)
