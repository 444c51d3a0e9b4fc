"""A GAB meeting held in Slack: its id, its window, who may record in it, and who took part.

A meeting's window runs from 30 minutes before its scheduled start to 3 hours after: long
enough for a board that overruns, short enough that next morning's chatter is not "the meeting".
Meeting times are naive local wall-clock values, as in commands.calendar.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from commands.calendar import meetings_between, next_meeting
from commands.context import Context
from commands.dates import parse_date
from commands.errors import BadInput, NotAllowed
from commands.gab_agenda import GabData, load_gab
from storage.models import Source
from storage.store import Store

OPENS_BEFORE = timedelta(minutes=30)
CLOSES_AFTER = timedelta(hours=3)
MEETING_PUBLISHER = "Governance and Assurance Board"
_MEETING_ID = re.compile(r"GAB-(\d{4}-\d{2}-\d{2})", re.IGNORECASE)


def meeting_id(day: date) -> str:
    """The source id of the meeting held on `day`: GAB-2026-12-29."""
    return f"GAB-{day.isoformat()}"


def meeting_title(day: date) -> str:
    return f"Governance and Assurance Board, {uk_date(day)}"


def uk_date(day: date) -> str:
    """“29 December 2026”."""
    return f"{day.day} {day:%B %Y}"


def local_now(ctx: Context) -> datetime:
    return ctx.now.astimezone(ctx.settings.tz).replace(tzinfo=None)


def window_of(meeting: datetime) -> tuple[datetime, datetime]:
    """When the meeting is open for actions and attendance: [opens, closes]."""
    return meeting - OPENS_BEFORE, meeting + CLOSES_AFTER


def meeting_in_window(data: GabData, now: datetime) -> datetime | None:
    """The meeting whose window holds `now` (naive local), if any."""
    found = meetings_between(data.schedule, now - CLOSES_AFTER, now + OPENS_BEFORE + _MINUTE)
    return found[-1] if found else None


def last_meeting_started(data: GabData, now: datetime) -> datetime | None:
    """The latest meeting that has started by `now`: scheduled, one-off or recorded as held."""
    return data.last_meeting(now + _MINUTE)


def next_meeting_after(data: GabData, meeting: datetime) -> datetime | None:
    return next_meeting(data.schedule, meeting + _MINUTE)


def meeting_to_record(ctx: Context, data: GabData, doing: str) -> datetime:
    """The meeting an action or discussion belongs to, or NotAllowed / BadInput.

    During a meeting's window anyone in the GAB channel records in it; admins may also record
    in the last meeting afterwards, when they write up what was agreed.
    """
    now = local_now(ctx)
    current = meeting_in_window(data, now)
    if ctx.is_admin:
        meeting = current or last_meeting_started(data, now)
        if meeting is None:
            raise BadInput(f"No GAB meeting has taken place yet to {doing} in.")
        return meeting
    if current is None:
        raise NotAllowed(
            f"Only a governance admin can {doing} outside a meeting: during a GAB meeting (from "
            "30 minutes before it starts to 3 hours after) anyone in the GAB channel can."
        )
    if not ctx.settings.gab_channel or ctx.channel != ctx.settings.gab_channel:
        raise NotAllowed(f"During the meeting, {doing} in the GAB channel (or ask an admin).")
    return current


def meeting_named(data: GabData, text: str) -> datetime:
    """The meeting `text` names (GAB-2026-12-29 or 2026-12-29), or BadInput."""
    match = _MEETING_ID.fullmatch(text.strip())
    day = parse_date(match[1] if match else text.strip(), "meeting (GAB-YYYY-MM-DD)")
    start = datetime.combine(day, time.min)
    on_day = meetings_between(data.schedule, start, start + timedelta(days=1))
    if on_day:
        return on_day[0]
    if any(r.held_on == day for r in data.held):
        return datetime.combine(day, data.schedule.at)
    raise BadInput(f"There was no GAB meeting on {uk_date(day)}; see `/gab schedule`.")


def meeting_for_minutes(ctx: Context, data: GabData, args: str) -> datetime:
    """The meeting `/gab minutes [MEETING]` is about: the one named, or the last that began."""
    if args.strip():
        meeting = meeting_named(data, args)
    else:
        meeting = data.last_meeting(local_now(ctx))
        if meeting is None:
            raise BadInput("No GAB meeting has taken place yet.")
    if meeting > local_now(ctx):
        raise BadInput(f"The meeting of {uk_date(meeting.date())} has not happened yet.")
    return meeting


def ensure_meeting_source(store: Store, meeting: datetime) -> Source:
    """The meeting as a source of actions, created the first time it is needed."""
    source_id = meeting_id(meeting.date())
    source = store.sources.get(source_id)
    if source is None:
        source = Source(
            id=source_id,
            title=meeting_title(meeting.date()),
            published=meeting.date(),
            publisher=MEETING_PUBLISHER,
            kind="meeting",
        )
        store.sources.save(source)
    return source


def record_attendance(ctx: Context) -> str:
    """Note that ctx.user posted in the GAB channel; the meeting id, or "" outside a meeting."""
    if not ctx.user or not ctx.settings.gab_channel or ctx.channel != ctx.settings.gab_channel:
        return ""
    try:
        data = load_gab(ctx.store, ctx.settings)
    except BadInput:  # a bad schedule setting is reported by /gab; a message is not the place
        return ""
    meeting = meeting_in_window(data, local_now(ctx))
    if meeting is None:
        return ""
    found = meeting_id(meeting.date())
    with ctx.store.transaction() as store:
        store.meetings.record_speaker(found, ctx.user, ctx.now)
    return found


_MINUTE = timedelta(minutes=1)
