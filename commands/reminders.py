"""Which reminders are due on a given day: a pure function of the register, the GAB schedule
and today's local date. Sending each at most once is the sent-ledger's job, keyed by `key`.

A reminder stays relevant until something overtakes it: a later reminder in its series (the
7-day one supersedes the 14-day one, next Monday's overdue supersedes this Monday's), the
deadline or meeting it is about, or the end of its week or stale period. Whatever is not yet
overtaken is returned on every sweep (`late` once its day has gone by) so that a reminder
missed while the bot was down goes out once on start; `catch_up_days` caps how late that is,
except for GAB reminders, which are worth sending late right up to the meeting (a Christmas
digest is due 11 days before it).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from types import MappingProxyType
from typing import TypeVar

from commands.calendar import (
    MeetingSchedule,
    meetings_between,
    next_working_day,
    previous_working_day,
    working_days_before,
)
from commands.deadlines import response_due
from storage.models import Item, Source

_NO_SNOOZES: Mapping[str, date] = MappingProxyType({})
_WEEK = timedelta(weeks=1)
_T = TypeVar("_T")
_GAB_KINDS = frozenset({"gab_digest", "gab_eve"})


@dataclass(frozen=True)
class Reminder:
    """One message to send, identified by a stable key for the sent-ledger."""

    key: str
    # due | overdue | escalation | stale | response | gab_digest | gab_eve | weekly_digest
    kind: str
    send_on: date
    item_id: str = ""
    source_id: str = ""
    meeting: datetime | None = None
    audience: tuple[str, ...] = ()  # lead | channel | admins | gab_channel
    label: str = ""
    late: bool = False


@dataclass(frozen=True)
class ReminderSettings:
    """How far ahead, how often and how late reminders go out."""

    offsets: tuple[int, ...] = (14, 7, 1, 0)  # days before due
    stale_days: int = 30
    escalate_after_days: int = 14
    response_offsets: tuple[int, ...] = (21, 14, 7, 2)
    digest_working_days: int = 5
    catch_up_days: int = 7


def due_reminders(
    items: Iterable[Item],
    sources: Iterable[Source],
    schedule: MeetingSchedule | None,
    today: date,
    settings: ReminderSettings = ReminderSettings(),
    snoozed: Mapping[str, date] = _NO_SNOOZES,
) -> list[Reminder]:
    """Every reminder due on `today` and still relevant, sorted by day, kind and key."""
    sources_by_id = {source.id: source for source in sources}
    found: list[Reminder] = []
    for item in items:
        if item.is_open:
            source = sources_by_id.get(item.source)
            found += _item_reminders(item, source, today, settings, snoozed.get(item.id))
    for source in sources_by_id.values():
        found += _response_reminders(source, today, settings)
    if schedule is not None:
        found += _gab_reminders(schedule, today, settings)
    found += _weekly_digest(today)
    oldest = today - timedelta(days=settings.catch_up_days)
    kept = [
        replace(r, late=True) if r.send_on < today else r
        for r in found
        if r.send_on <= today and (r.send_on >= oldest or r.kind in _GAB_KINDS)
    ]
    return sorted(kept, key=lambda r: (r.send_on, r.kind, r.key))


def reminder_schedule(
    item: Item, settings: ReminderSettings = ReminderSettings()
) -> list[tuple[date, str]]:
    """Every planned day, with its label, of one open item's deadline reminders up to escalation."""
    if not item.is_open or item.due is None:
        return []
    due = item.due
    plan = [(day, _due_label((due - day).days)) for day, _ in _before_plan(due, settings.offsets)]
    escalation = _escalation_day(due, settings)
    monday = due + timedelta(days=7 - due.weekday())
    while (day := _overdue_send_on(monday, due)) < escalation:
        plan.append((day, _overdue_label((day - due).days)))
        monday += _WEEK
    plan.append((escalation, f"escalated: {_overdue_label((escalation - due).days)}"))
    return sorted(plan)


def _item_reminders(
    item: Item, source: Source | None, today: date, settings: ReminderSettings, until: date | None
) -> list[Reminder]:
    found: list[Reminder] = []
    due = item.due
    if due is not None and today <= due:
        found += _deadline_reminder(item, due, today, settings)
    if due is not None and today > due:
        found += _overdue_reminder(item, due, today)
        escalation = _escalation_day(due, settings)
        if escalation <= today:
            label = f"escalated: {_overdue_label((today - due).days)}"
            key = f"escalate:{item.id}:{due}"
            found.append(_reminder(item, key, "escalation", escalation, ("admins",), label))
    found += _stale_reminder(item, source, today, settings)
    if until is None:
        return found
    # A snooze silences the nudges to the lead until it wakes, and the snooze reminder itself
    # stands for whatever fell due meanwhile. It never silences the escalation to admins: a lead
    # must not be able to keep an overdue item from them.
    wake = next_working_day(until)
    found = [r for r in found if r.kind == "escalation" or r.send_on > wake]
    if today >= wake:
        kind, label = _snooze_kind(item, today)
        key = f"snooze:{item.id}:{until}"
        found.append(_reminder(item, key, kind, wake, _lead_or_admins(item), f"snoozed: {label}"))
    return found


def _before_plan(deadline: date, offsets: Iterable[int]) -> list[tuple[date, int]]:
    """(send day, offset) per offset, earliest first; a weekend or bank holiday goes earlier."""
    ordered = sorted({d for d in offsets if d >= 0}, reverse=True)
    return [(previous_working_day(deadline - timedelta(days=d)), d) for d in ordered]


def _deadline_reminder(
    item: Item, due: date, today: date, settings: ReminderSettings
) -> list[Reminder]:
    latest = _latest(_before_plan(due, settings.offsets), today)
    if latest is None:
        return []
    send_on, offset = latest
    audience = ("lead", "channel") if item.leads else ("channel", "admins")
    key = f"due:{item.id}:{due}:before-{offset}"
    return [_reminder(item, key, "due", send_on, audience, _due_label((due - today).days))]


def _overdue_reminder(item: Item, due: date, today: date) -> list[Reminder]:
    latest = _latest(_overdue_plan(due, today), today)
    if latest is None:
        return []
    send_on, monday = latest
    audience = ("lead", "channel") if item.leads else ("channel", "admins")
    label = _overdue_label((today - due).days)
    return [_reminder(item, f"overdue:{item.id}:{monday}", "overdue", send_on, audience, label)]


def _overdue_plan(due: date, today: date) -> list[tuple[date, date]]:
    """(send day, Monday) for the Mondays after `due` around `today`, earliest first."""
    this_monday = today - timedelta(days=today.weekday())
    mondays = (this_monday - _WEEK, this_monday, this_monday + _WEEK)
    return [(_overdue_send_on(m, due), m) for m in mondays if m > due]


def _overdue_send_on(monday: date, due: date) -> date:
    """A bank-holiday Monday goes to the working day before, but never on or before the due day."""
    day = previous_working_day(monday)
    return day if day > due else next_working_day(due + timedelta(days=1))


def _escalation_day(due: date, settings: ReminderSettings) -> date:
    # The next working day, not the previous one: an escalation says "14 days overdue", so
    # moving it earlier would escalate an item before it has been overdue that long.
    return next_working_day(due + timedelta(days=settings.escalate_after_days))


def _stale_reminder(
    item: Item, source: Source | None, today: date, settings: ReminderSettings
) -> list[Reminder]:
    if item.updated_at is not None:
        since = item.updated_at.date()
    elif source is not None:
        since = source.published
    else:
        return []
    period = settings.stale_days
    age = (today - since).days
    if period <= 0 or age < period:
        return []
    current = (age - period) // period
    starts = [since + timedelta(days=period * (n + 1)) for n in (current - 1, current) if n >= 0]
    # Like escalation, a prompt on a non-working day waits: it must not come before it is true.
    latest = _latest([(next_working_day(start), start) for start in starts], today)
    if latest is None:
        return []
    send_on, start = latest
    key = f"stale:{item.id}:{start}"
    label = f"no update for {_days(age)}"
    return [_reminder(item, key, "stale", send_on, _lead_or_admins(item), label)]


def _response_reminders(source: Source, today: date, settings: ReminderSettings) -> list[Reminder]:
    deadline = response_due(source)
    if deadline is None or source.response_published is not None:
        return []
    if today <= deadline:
        latest = _latest(_before_plan(deadline, settings.response_offsets), today)
        if latest is None:
            return []
        send_on, offset = latest
        key = f"response:{source.id}:before-{offset}"
        label = f"PCC response {_due_label((deadline - today).days)}"
    else:
        latest = _latest(_overdue_plan(deadline, today), today)
        if latest is None:
            return []
        send_on, monday = latest
        key = f"response-overdue:{source.id}:{monday}"
        label = f"PCC response {_overdue_label((today - deadline).days)}"
    return [
        Reminder(key, "response", send_on, source_id=source.id, audience=("admins",), label=label)
    ]


def _gab_reminders(
    schedule: MeetingSchedule, today: date, settings: ReminderSettings
) -> list[Reminder]:
    # Every meeting from today whose digest day has come: normally just the next one, but a
    # one-off meeting shortly before a regular one must not hide the regular one's digest.
    start = datetime.combine(today, time.min)
    horizon = start + timedelta(days=2 * settings.digest_working_days + 14)
    found: list[Reminder] = []
    seen: set[date] = set()
    for meeting in meetings_between(schedule, start, horizon):
        day = meeting.date()
        if day in seen:
            continue
        seen.add(day)
        when = f"GAB on {meeting:%a} {day.day} {meeting:%b %Y at %H:%M}"
        digest = ("gab_digest", "gab-digest", settings.digest_working_days, "pre-meeting digest")
        for kind, prefix, n, what in (digest, ("gab_eve", "gab-eve", 1, "reminder")):
            send_on = working_days_before(day, n)
            if send_on <= today:
                key, label = f"{prefix}:{day}", f"{what}: {when}"
                audience = ("gab_channel",)
                found.append(
                    Reminder(key, kind, send_on, meeting=meeting, audience=audience, label=label)
                )
    return found


def _weekly_digest(today: date) -> list[Reminder]:
    # On a bank-holiday Monday the week's digest waits for the first working day of the week.
    monday = today - timedelta(days=today.weekday())
    send_on = next_working_day(monday)
    if send_on > today:
        return []
    label = f"weekly digest, week of {monday.day} {monday:%b %Y}"
    return [
        Reminder(f"weekly:{monday}", "weekly_digest", send_on, audience=("channel",), label=label)
    ]


def _latest(plan: list[tuple[date, _T]], today: date) -> tuple[date, _T] | None:
    """The last entry of an earliest-first plan whose send day has come: it supersedes the rest."""
    arrived = [entry for entry in plan if entry[0] <= today]
    return arrived[-1] if arrived else None


def _reminder(
    item: Item, key: str, kind: str, send_on: date, audience: tuple[str, ...], label: str
) -> Reminder:
    return Reminder(key, kind, send_on, item.id, item.source, audience=audience, label=label)


def _lead_or_admins(item: Item) -> tuple[str, ...]:
    return ("lead",) if item.leads else ("admins",)


def _snooze_kind(item: Item, today: date) -> tuple[str, str]:
    if item.due is None:
        return "stale", "time to update this item"
    if today > item.due:
        return "overdue", _overdue_label((today - item.due).days)
    return "due", _due_label((item.due - today).days)


def _days(n: int) -> str:
    return "1 day" if n == 1 else f"{n} days"


def _due_label(days_left: int) -> str:
    if days_left == 0:
        return "due today"
    if days_left == 1:
        return "due tomorrow"
    return f"due in {_days(days_left)}"


def _overdue_label(days_late: int) -> str:
    return f"{_days(days_late)} overdue"
