"""Working days in England and Wales, and the Governance and Assurance Board's meeting schedule.

Dates and datetimes here are naive local (Europe/London wall-clock) values; the caller applies
the time zone, with `local_moment`, when it needs a real instant.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from dateutil.relativedelta import relativedelta
from dateutil.rrule import MONTHLY, rrule, weekday

SEARCH_YEARS = 2  # how far next_meeting / previous_meeting look

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_ORDINALS = {
    "first": 1,
    "1st": 1,
    "second": 2,
    "2nd": 2,
    "third": 3,
    "3rd": 3,
    "fourth": 4,
    "4th": 4,
    "last": -1,
}
_SCHEDULE = re.compile(
    r"(?P<ordinal>\S+)\s+(?P<weekday>[a-z]+?)s?"
    r"(?:\s+(?:of\s+)?(?:each|every|the)\s+month)?"
    r"\s+(?:at\s+)?(?P<hour>\d{1,2})[:.](?P<minute>\d{2})"
)
_EXPECTED = (
    "expected a monthly rule such as 'last Tuesday of each month at 10:00' "
    "(first/second/third/fourth/last or 1st-4th, a weekday, then a 24-hour time HH:MM)"
)


@lru_cache(maxsize=64)
def _holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def bank_holidays(year: int) -> set[date]:
    """England and Wales bank holidays in `year`, including substitute days."""
    return set(_holidays(year))


def is_working_day(day: date) -> bool:
    """Monday to Friday and not an England and Wales bank holiday."""
    return day.weekday() < 5 and day not in _holidays(day.year)


def previous_working_day(day: date) -> date:
    """The day itself if it is a working day, else the last working day before it."""
    while not is_working_day(day):
        day -= timedelta(days=1)
    return day


def next_working_day(day: date) -> date:
    """The day itself if it is a working day, else the first working day after it."""
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def working_days_before(day: date, n: int) -> date:
    """The date `n` working days before `day` (n=1: the working day before it)."""
    if n < 0:
        raise ValueError(f"working_days_before needs n >= 0, not {n}")
    for _ in range(n):
        day = previous_working_day(day - timedelta(days=1))
    return day


def local_moment(day: date, at: time, tz: ZoneInfo) -> datetime:
    """The aware instant of wall-clock `at` on `day` in `tz`.

    A time skipped by spring-forward moves on past the gap (01:30 becomes 02:30 BST); a time
    repeated by fall-back means its first occurrence.
    """
    wall = datetime.combine(day, at.replace(tzinfo=None, fold=0), tzinfo=tz)
    return wall.astimezone(UTC).astimezone(tz)


@dataclass(frozen=True)
class MeetingSchedule:
    """A monthly recurrence ("last Tuesday at 10:00") with one-off meetings and cancellations."""

    rule: str
    weekday: int  # 0 = Monday
    ordinal: int  # 1..4, or -1 for the last
    at: time
    extra: tuple[datetime, ...] = ()
    cancelled: tuple[date, ...] = ()


def parse_schedule(text: str) -> MeetingSchedule:
    """Read a rule such as "last Tuesday of each month at 10:00" (case-insensitive)."""
    cleaned = " ".join(text.strip().lower().split())
    match = _SCHEDULE.fullmatch(cleaned)
    if not match:
        raise ValueError(f"can't read the meeting schedule {text!r}: {_EXPECTED}")
    ordinal = _ORDINALS.get(match["ordinal"])
    day_index = _weekday_index(match["weekday"])
    hour, minute = int(match["hour"]), int(match["minute"])
    if ordinal is None or day_index is None or hour > 23 or minute > 59:
        raise ValueError(f"can't read the meeting schedule {text!r}: {_EXPECTED}")
    return MeetingSchedule(
        rule=text.strip(), weekday=day_index, ordinal=ordinal, at=time(hour, minute)
    )


def _weekday_index(word: str) -> int | None:
    if len(word) < 3:
        return None
    for index, name in enumerate(_WEEKDAYS):
        if name.startswith(word):
            return index
    return None


def meetings_between(schedule: MeetingSchedule, start: datetime, end: datetime) -> list[datetime]:
    """Meetings in [start, end): recurring ones not cancelled, plus one-offs, sorted."""
    if end <= start:
        return []
    recurrence = rrule(
        MONTHLY,
        dtstart=datetime(start.year, start.month, 1),
        byweekday=weekday(schedule.weekday, schedule.ordinal),
        byhour=schedule.at.hour,
        byminute=schedule.at.minute,
        bysecond=0,
    )
    cancelled = set(schedule.cancelled)
    found = {m for m in recurrence.between(start, end, inc=True) if m.date() not in cancelled}
    found.update(m for m in schedule.extra if start <= m < end)
    return sorted(m for m in found if m < end)


def next_meeting(schedule: MeetingSchedule, now: datetime) -> datetime | None:
    """The first meeting at or after `now`, looking up to two years ahead."""
    upcoming = meetings_between(schedule, now, now + relativedelta(years=SEARCH_YEARS))
    return upcoming[0] if upcoming else None


def previous_meeting(schedule: MeetingSchedule, now: datetime) -> datetime | None:
    """The last meeting before `now`, looking up to two years back."""
    past = meetings_between(schedule, now - relativedelta(years=SEARCH_YEARS), now)
    return past[-1] if past else None
