"""/gab: the Governance and Assurance Board's schedule, standing items and next agenda."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime, time, timedelta

from dateutil.relativedelta import relativedelta

from commands.calendar import MeetingSchedule, meetings_between
from commands.context import Context
from commands.dates import parse_date, written_date
from commands.errors import BadInput, UnknownItem
from commands.gab_actions import list_actions, mark_discussed, record_action
from commands.gab_agenda import (
    agenda_for,
    last_meeting_moment,
    load_gab,
    status_changes,
)
from commands.hygiene import check_plausible
from commands.matching import suggest
from commands.minutes import run_minutes
from commands.permissions import check_admin
from commands.recs_parse import mention_user
from commands.replies import (
    GabNext,
    GabSchedule,
    Notice,
    PostAnswer,
    ScheduledMeeting,
    StandingList,
)
from storage.models import MeetingRecord, StandingItem

HELP = """/gab — the Governance and Assurance Board
/gab  or  /gab next — the next meeting: standing items, items due before it, overdue items, status changes since the last meeting
/gab next post — post the next meeting's agenda in this channel, for everyone in the meeting
/gab standing — the standing agenda items
/gab standing add TITLE [until 31 March 2016] [owner @user] — add a standing item (admins)
/gab standing end GAB1 — take a standing item off the agenda from today (admins)
/gab schedule — the next meetings
/gab cancel YYYY-MM-DD — cancel the meeting on that day (admins)
/gab add-meeting YYYY-MM-DD HH:MM — a one-off meeting (admins)
/gab held [YYYY-MM-DD] — record a meeting as held, with the items it discussed (admins)
/gab action @owner TEXT [by 31/03/2027 | by next meeting] — record an action of the meeting (anyone in the GAB channel during a meeting, from 30 minutes before to 3 hours after; admins any time)
/gab actions [open | GAB-2026-12-29] — the GAB actions
/gab discussed CSE13-04 … [: note] — mark items as discussed at the meeting
/gab minutes [GAB-2026-12-29] — draft the minutes and post them in the GAB channel (admins)"""

SCHEDULE_COUNT = 6
MEETING_YEARS = 10
_CLAUSE = re.compile(r"\s+(?:until\s+(?P<until>[^@<]+?)|owner\s+(?P<owner>\S+))\s*$", re.IGNORECASE)
_TIME = re.compile(r"(\d{1,2})[:.](\d{2})")


def run_gab(ctx: Context, text: str):  # noqa: ANN201 - one of the reply types
    """Answer one /gab command."""
    head, _, rest = text.strip().partition(" ")
    if head.lower() in ("page", "post"):  # `/gab page 2`, `/gab post`: of the next meeting
        head, rest = "next", text
    action = head.lower() or "next"
    handler = _HANDLERS.get(action)
    if handler is None:
        hint = suggest(action, _HANDLERS)
        did_you_mean = f" Did you mean {hint}?" if hint else ""
        raise BadInput(f"Unknown /gab command “{head}”.{did_you_mean} Try: {', '.join(_HANDLERS)}.")
    return handler(ctx, rest.strip())


def _help(ctx: Context, rest: str) -> Notice:
    return Notice(HELP, title="/gab help")


def _next(ctx: Context, rest: str) -> GabNext | PostAnswer | Notice:
    words = [w for w in rest.lower().split() if w != "next"]
    post = "post" in words
    page = 1
    if "page" in words[:-1] and words[words.index("page") + 1].isdecimal():
        at = words.index("page")
        page = int(words[at + 1][:6]) or 1
        del words[at : at + 2]
    if [w for w in words if w != "post"]:
        raise BadInput(
            "`/gab next` takes only `post` (to show the board the agenda) and `page N` after it."
        )
    agenda = _agenda(ctx, page)
    return PostAnswer(agenda) if post and isinstance(agenda, GabNext) else agenda


def _agenda(ctx: Context, page: int) -> GabNext | Notice:
    local_now = ctx.now.astimezone(ctx.settings.tz).replace(tzinfo=None)
    data = load_gab(ctx.store, ctx.settings)
    upcoming = meetings_between(data.schedule, local_now, local_now + relativedelta(years=2))
    if not upcoming:
        return Notice("No GAB meeting is scheduled in the next two years.", ok=False)
    with ctx.store.transaction() as store:
        items = store.items.all()
        changes = status_changes(store, last_meeting_moment(data, local_now, ctx.settings.tz))
    agenda = agenda_for(data, upcoming[0], items, changes, ctx.today, ctx.settings.tz)
    return replace(agenda, page=page)


def _standing(ctx: Context, rest: str) -> StandingList | Notice:
    sub, _, args = rest.partition(" ")
    sub = sub.lower()
    if sub in ("", "list"):
        with ctx.store.transaction() as store:
            return StandingList(tuple(store.gab.standing_items()), ctx.today)
    if sub == "add":
        return _standing_add(ctx, args.strip())
    if sub == "end":
        return _standing_end(ctx, args.strip())
    raise BadInput(f"Unknown /gab standing command “{sub}”. Try: list, add, end.")


def _standing_add(ctx: Context, args: str) -> Notice:
    check_admin(ctx.user, ctx.settings.admins, "add a standing GAB item")
    today = ctx.today
    title, until, owner = _parse_standing(args, today)
    if until is not None and until < today:
        raise BadInput(f"“until {until.isoformat()}” is in the past.")
    with ctx.store.transaction() as store:
        for existing in store.gab.standing_items():
            in_force = existing.until is None or existing.until >= today
            if in_force and existing.title.casefold() == title.casefold():
                return Notice(f"“{title}” is already standing item {existing.id}.", ok=False)
        item = StandingItem(store.gab.next_standing_id(), title, owner, today, until)
        store.gab.save_standing(item)
    lasts = f"until {until.isoformat()}" if until else "until further notice"
    return Notice(f"Added standing item {item.id}: {title} ({lasts}).")


def _parse_standing(args: str, today: date) -> tuple[str, date | None, str]:
    usage = "Usage: `/gab standing add TITLE [until 31 March 2016] [owner @user]`"
    text = " " + args.strip()  # so a clause can also open the text
    until: date | None = None
    owner = ""
    while match := _CLAUSE.search(text):
        if match["until"]:
            until = written_date(match["until"], today, "date for “until”")
            if until is None:  # "until cleared": part of the title
                break
            check_plausible(until, "date for “until”")
        else:
            owner = mention_user(match["owner"]) or match["owner"]
        text = text[: match.start()]
    title = text.strip().strip("\"“”'").strip()
    if not title:
        raise BadInput(f"What is the standing item called? {usage}")
    return title, until, owner


def _standing_end(ctx: Context, args: str) -> Notice:
    check_admin(ctx.user, ctx.settings.admins, "end a standing GAB item")
    wanted = args.strip().upper()
    if not wanted:
        raise BadInput("Which standing item? Usage: `/gab standing end GAB1`")
    with ctx.store.transaction() as store:
        items = {s.id: s for s in store.gab.standing_items()}
        item = items.get(wanted)
        if item is None:
            known = ", ".join(items) or "none yet"
            raise UnknownItem(f"No standing item “{args.strip()}”. Standing items: {known}.")
        today = ctx.today
        if item.until is not None and item.until <= today:
            return Notice(f"{item.id} already ended on {item.until.isoformat()}.")
        store.gab.save_standing(replace(item, until=today))
    return Notice(f"Ended standing item {item.id}: {item.title} (from {today.isoformat()}).")


def _schedule(ctx: Context, rest: str) -> GabSchedule:
    data = load_gab(ctx.store, ctx.settings)
    start = ctx.now.astimezone(ctx.settings.tz).replace(tzinfo=None)
    return GabSchedule(data.schedule.rule, _upcoming(data.schedule, start, SCHEDULE_COUNT))


def _upcoming(
    schedule: MeetingSchedule, start: datetime, count: int
) -> tuple[ScheduledMeeting, ...]:
    """The next `count` meetings held, with the cancelled ones between them."""
    every = replace(schedule, cancelled=())
    one_offs = set(schedule.extra)
    cancelled = set(schedule.cancelled)
    found: list[ScheduledMeeting] = []
    for at in meetings_between(every, start, start + relativedelta(years=2)):
        found.append(ScheduledMeeting(at, at.date() in cancelled, at in one_offs))
        if sum(not m.cancelled for m in found) == count:
            break
    return tuple(found)


def _cancel(ctx: Context, rest: str) -> Notice:
    check_admin(ctx.user, ctx.settings.admins, "cancel a GAB meeting")
    day = _meeting_day(rest.strip(), ctx.today)
    data = load_gab(ctx.store, ctx.settings)
    if day in data.schedule.cancelled:
        return Notice(f"The GAB meeting on {day.isoformat()} is already cancelled.")
    start = datetime.combine(day, time.min)
    if not meetings_between(data.schedule, start, start + timedelta(days=1)):
        nearby = _upcoming(data.schedule, start - timedelta(days=31), 3)
        dates = ", ".join(m.at.date().isoformat() for m in nearby if not m.cancelled)
        raise BadInput(
            f"There is no GAB meeting on {day.isoformat()}. Meetings around then: {dates}."
        )
    if day < ctx.today:
        raise BadInput(f"The meeting on {day.isoformat()} is in the past.")
    with ctx.store.transaction() as store:
        store.gab.cancel(day)
    return Notice(f"Cancelled the GAB meeting on {day:%A} {day.day} {day:%B %Y}.")


def _add_meeting(ctx: Context, rest: str) -> Notice:
    check_admin(ctx.user, ctx.settings.admins, "add a GAB meeting")
    usage = "Usage: `/gab add-meeting YYYY-MM-DD HH:MM`"
    words = rest.split()
    if len(words) != 2 or not (match := _TIME.fullmatch(words[1])):
        raise BadInput(f"Give the date and the time. {usage}")
    day = _meeting_day(words[0], ctx.today)
    hour, minute = int(match[1]), int(match[2])
    if hour > 23 or minute > 59:
        raise BadInput(f"“{words[1]}” is not a time. {usage}")
    if day < ctx.today:
        raise BadInput(f"{day.isoformat()} is in the past.")
    data = load_gab(ctx.store, ctx.settings)
    if day in data.schedule.cancelled:
        raise BadInput(
            f"The meeting on {day.isoformat()} was cancelled and cannot be reinstated here yet; "
            "choose another day."
        )
    start = datetime.combine(day, time.min)
    if meetings_between(data.schedule, start, start + timedelta(days=1)):
        raise BadInput(f"There is already a GAB meeting on {day.isoformat()}.")
    at = datetime.combine(day, time(hour, minute))
    with ctx.store.transaction() as store:
        store.gab.add_extra_meeting(at)
    return Notice(f"Added a GAB meeting on {at:%A} {day.day} {at:%B %Y at %H:%M}.")


def _held(ctx: Context, rest: str) -> Notice:
    check_admin(ctx.user, ctx.settings.admins, "record a GAB meeting as held")
    tz = ctx.settings.tz
    local_now = ctx.now.astimezone(tz).replace(tzinfo=None)
    data = load_gab(ctx.store, ctx.settings)
    if rest.strip():
        day = _meeting_day(rest.strip(), ctx.today)
        if day > ctx.today:
            raise BadInput(f"The meeting on {day.isoformat()} has not happened yet.")
        start = datetime.combine(day, time.min)
        on_day = meetings_between(data.schedule, start, start + timedelta(days=1))
        meeting = on_day[0] if on_day else datetime.combine(day, data.schedule.at)
    else:
        start = datetime.combine(ctx.today, time.max)
        past = meetings_between(data.schedule, start - relativedelta(years=1), start)
        if not past:
            raise BadInput(
                "No GAB meeting in the past year: give the date, `/gab held YYYY-MM-DD`."
            )
        meeting = past[-1]
    with ctx.store.transaction() as store:
        items = store.items.all()
        changes = status_changes(store, last_meeting_moment(data, min(meeting, local_now), tz))
        agenda = agenda_for(data, meeting, items, changes, meeting.date(), tz)
        store.gab.record_meeting(MeetingRecord(meeting.date(), agenda.item_ids))
    return Notice(
        f"Recorded the GAB meeting of {meeting.date().isoformat()} as held, "
        f"with {len(agenda.item_ids)} item(s) discussed."
    )


def _meeting_day(text: str, today: date) -> date:
    """A meeting date within ten years of today (the schedule is searched a year or two around)."""
    day = parse_date(text, "meeting date")
    if abs(day.year - today.year) > MEETING_YEARS:
        raise BadInput(f"{day.isoformat()} is more than {MEETING_YEARS} years from today.")
    return day


_HANDLERS = {
    "next": _next,
    "standing": _standing,
    "schedule": _schedule,
    "cancel": _cancel,
    "add-meeting": _add_meeting,
    "held": _held,
    "action": record_action,
    "actions": list_actions,
    "discussed": mark_discussed,
    "minutes": run_minutes,
    "help": _help,
}
