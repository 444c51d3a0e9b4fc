"""Working days in England and Wales and the GAB meeting schedule."""

from dataclasses import replace
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from commands.calendar import (
    MeetingSchedule,
    bank_holidays,
    is_working_day,
    local_moment,
    meetings_between,
    next_meeting,
    next_working_day,
    parse_schedule,
    previous_meeting,
    previous_working_day,
    working_days_before,
)

LONDON = ZoneInfo("Europe/London")
LAST_TUESDAY = parse_schedule("last Tuesday of each month at 10:00")


def test_bank_holidays_2026_include_easter_and_the_boxing_day_substitute():
    days = bank_holidays(2026)
    assert date(2026, 4, 3) in days  # Good Friday
    assert date(2026, 4, 6) in days  # Easter Monday
    assert date(2026, 12, 25) in days
    assert date(2026, 12, 28) in days  # Boxing Day falls on a Saturday: Monday substitutes


def test_bank_holidays_returns_a_copy_that_callers_may_change():
    bank_holidays(2026).clear()
    assert date(2026, 4, 6) in bank_holidays(2026)


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 4, 2), True),  # Thursday before Easter
        (date(2026, 4, 3), False),  # Good Friday
        (date(2026, 4, 4), False),  # Saturday
        (date(2026, 4, 6), False),  # Easter Monday
        (date(2026, 4, 7), True),
        (date(2026, 12, 28), False),  # Boxing Day (substitute)
        (date(2026, 12, 29), True),
        (date(2028, 2, 29), True),  # leap day, a Tuesday
    ],
)
def test_is_working_day(day, working):
    assert is_working_day(day) is working


def test_previous_working_day_skips_weekends_and_bank_holidays():
    assert previous_working_day(date(2026, 4, 7)) == date(2026, 4, 7)
    assert previous_working_day(date(2026, 4, 6)) == date(2026, 4, 2)  # over Easter
    assert previous_working_day(date(2026, 3, 1)) == date(2026, 2, 27)  # Sunday -> Friday
    assert previous_working_day(date(2026, 12, 28)) == date(2026, 12, 24)


def test_next_working_day_skips_weekends_and_bank_holidays():
    assert next_working_day(date(2026, 4, 3)) == date(2026, 4, 7)
    assert next_working_day(date(2026, 12, 25)) == date(2026, 12, 29)
    assert next_working_day(date(2026, 12, 29)) == date(2026, 12, 29)


@pytest.mark.parametrize(
    ("day", "n", "expected"),
    [
        (date(2026, 11, 24), 0, date(2026, 11, 24)),
        (date(2026, 11, 24), 1, date(2026, 11, 23)),
        (date(2026, 11, 24), 5, date(2026, 11, 17)),
        (date(2026, 12, 29), 1, date(2026, 12, 24)),  # over Christmas
        (date(2026, 12, 29), 5, date(2026, 12, 18)),
        (date(2027, 1, 26), 5, date(2027, 1, 19)),
        (date(2026, 4, 7), 1, date(2026, 4, 2)),  # over Easter
    ],
)
def test_working_days_before(day, n, expected):
    assert working_days_before(day, n) == expected


def test_working_days_before_rejects_a_negative_count():
    with pytest.raises(ValueError, match="n >= 0"):
        working_days_before(date(2026, 11, 24), -1)


@pytest.mark.parametrize(
    ("text", "weekday", "ordinal", "at"),
    [
        ("last Tuesday of each month at 10:00", 1, -1, time(10, 0)),
        ("first monday of every month 14:30", 0, 1, time(14, 30)),
        ("2nd Wednesday of each month at 9:30", 2, 2, time(9, 30)),
        ("last tuesday 10:00", 1, -1, time(10, 0)),
        ("  LAST  TUESDAY OF THE MONTH AT 10.00 ", 1, -1, time(10, 0)),
        ("third thu of each month at 13:05", 3, 3, time(13, 5)),
    ],
)
def test_parse_schedule_accepts_the_usual_ways_of_saying_it(text, weekday, ordinal, at):
    schedule = parse_schedule(text)
    assert (schedule.weekday, schedule.ordinal, schedule.at) == (weekday, ordinal, at)
    assert schedule.rule == text.strip()
    assert schedule.extra == () and schedule.cancelled == ()


@pytest.mark.parametrize(
    "text",
    [
        "",
        "every Tuesday at 10:00",
        "fifth Tuesday at 10:00",
        "last Funday at 10:00",
        "last Tuesday",
        "last Tuesday at 25:00",
        "last Tuesday at 10:75",
    ],
)
def test_parse_schedule_names_the_expected_form_when_it_cannot_read_it(text):
    with pytest.raises(ValueError, match="last Tuesday of each month at 10:00"):
        parse_schedule(text)


def test_meetings_on_the_last_tuesday_across_the_year_end():
    found = meetings_between(LAST_TUESDAY, datetime(2026, 11, 1), datetime(2027, 2, 1))
    assert found == [
        datetime(2026, 11, 24, 10, 0),
        datetime(2026, 12, 29, 10, 0),
        datetime(2027, 1, 26, 10, 0),
    ]


def test_meetings_between_is_half_open():
    meeting = datetime(2026, 11, 24, 10, 0)
    assert meetings_between(LAST_TUESDAY, meeting, datetime(2026, 11, 25)) == [meeting]
    assert meetings_between(LAST_TUESDAY, datetime(2026, 11, 1), meeting) == []


def test_a_cancellation_and_a_one_off_meeting():
    schedule = replace(
        LAST_TUESDAY,
        cancelled=(date(2026, 12, 29),),
        extra=(datetime(2026, 12, 15, 14, 0),),
    )
    found = meetings_between(schedule, datetime(2026, 11, 1), datetime(2027, 2, 1))
    assert found == [
        datetime(2026, 11, 24, 10, 0),
        datetime(2026, 12, 15, 14, 0),
        datetime(2027, 1, 26, 10, 0),
    ]


def test_next_and_previous_meeting():
    assert next_meeting(LAST_TUESDAY, datetime(2026, 11, 24, 10, 0)) == datetime(2026, 11, 24, 10)
    assert next_meeting(LAST_TUESDAY, datetime(2026, 11, 24, 10, 1)) == datetime(2026, 12, 29, 10)
    assert previous_meeting(LAST_TUESDAY, datetime(2026, 12, 1)) == datetime(2026, 11, 24, 10)
    assert previous_meeting(LAST_TUESDAY, datetime(2026, 11, 24, 10)) == datetime(2026, 10, 27, 10)


def test_next_meeting_is_none_when_every_meeting_is_cancelled():
    cancelled = tuple(
        m.date() for m in meetings_between(LAST_TUESDAY, datetime(2026, 1, 1), datetime(2029, 1, 1))
    )
    schedule = MeetingSchedule("last Tuesday 10:00", 1, -1, time(10), cancelled=cancelled)
    assert next_meeting(schedule, datetime(2026, 1, 1)) is None
    assert previous_meeting(schedule, datetime(2028, 12, 31)) is None


@pytest.mark.parametrize(
    ("day", "utc_hour"),
    [
        (date(2026, 3, 28), 9),  # last day of GMT
        (date(2026, 3, 29), 8),  # spring forward: 09:00 BST
        (date(2026, 10, 24), 8),  # last day of BST
        (date(2026, 10, 25), 9),  # fall back: 09:00 GMT
    ],
)
def test_local_moment_on_both_2026_dst_change_days(day, utc_hour):
    moment = local_moment(day, time(9, 0), LONDON)
    assert moment.astimezone(UTC) == datetime(day.year, day.month, day.day, utc_hour, tzinfo=UTC)
    assert (moment.date(), moment.time()) == (day, time(9, 0))


def test_local_moment_in_the_spring_forward_gap_moves_past_it():
    moment = local_moment(date(2026, 3, 29), time(1, 30), LONDON)
    assert moment.astimezone(UTC) == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    assert moment.time() == time(2, 30)


def test_local_moment_in_the_fall_back_hour_is_its_first_occurrence():
    moment = local_moment(date(2026, 10, 25), time(1, 30), LONDON)
    assert moment.astimezone(UTC) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
