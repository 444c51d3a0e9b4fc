"""Block Kit for /gab: the next meeting's agenda, standing items, the schedule."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from bot.render.common import Block, context, esc, header, mention, message, section
from bot.render.items import item_row
from commands.gab import GabSchedule, StandingList
from commands.gab_agenda import GabNext
from storage.models import HistoryEntry, StandingItem

DISCUSSED_ACTION = "gab_discussed"


def meeting_when(at: datetime) -> str:
    """“Tuesday 29 April 2014 at 10:00”."""
    return f"{at:%A} {at.day} {at:%B %Y at %H:%M}"


def _day(on: date) -> str:
    return f"{on:%a} {on.day} {on:%b %Y}"


def standing_line(item: StandingItem, today: date | None = None) -> str:
    owner = f" · {mention(item.owner)}" if item.owner else ""
    since = f" · since {item.since.isoformat()}" if item.since else ""
    if item.until is None:
        until = " · until further notice"
    elif today is not None and item.until <= today:
        until = f" · _ended {item.until.isoformat()}_"
    else:
        until = f" · until {item.until.isoformat()}"
    return f"*{esc(item.id)}* {esc(item.title, 500)}{owner}{since}{until}"


def change_line(entry: HistoryEntry) -> str:
    who = mention(entry.by) if entry.by not in ("import", "system") else entry.by
    note = f": {esc(entry.note, 200)}" if entry.note else ""
    return (
        f"*{esc(entry.item_id)}* {esc(entry.old)} → *{esc(entry.new)}* · {who} · "
        f"{entry.at:%Y-%m-%d}{note}"
    )


def agenda_blocks(reply: GabNext, title: str) -> list[Block]:
    """The agenda as blocks: one section per standing item, register item and change."""
    since = (
        f"since the last meeting on {_day(reply.last_meeting.date())}"
        if reply.last_meeting
        else "(no earlier meeting on record)"
    )
    blocks: list[Block] = [header(title), context(f"As of {_day(reply.today)}")]
    blocks.append(section(f"*Standing items* ({len(reply.standing)})"))
    if reply.standing:
        blocks += [section(standing_line(s)) for s in reply.standing]
    else:
        blocks.append(context("None. Admins add them with `/gab standing add TITLE`."))
    meeting_day = _day(reply.meeting.date())
    blocks.append(section(f"*Due by the meeting* ({meeting_day}): {len(reply.due)}"))
    blocks += [discussable(item_row(r), r.item.id) for r in reply.due] or [
        context("Nothing falls due before it.")
    ]
    blocks.append(section(f"*Overdue*: {len(reply.overdue)}"))
    blocks += [discussable(item_row(r), r.item.id) for r in reply.overdue] or [
        context("Nothing is overdue.")
    ]
    blocks.append(section(f"*Status changes {since}*: {len(reply.changes)}"))
    blocks += [discussable(section(change_line(e)), e.item_id) for e in reply.changes] or [
        context("No status changes.")
    ]
    return blocks


def discussable(row: Block, item_id: str) -> Block:
    """An agenda line with a button that marks its item as discussed at the meeting."""
    button = {
        "type": "button",
        "text": {"type": "plain_text", "text": "Discussed"},
        "action_id": DISCUSSED_ACTION,
        "value": item_id,
    }
    return {**row, "accessory": button}


def render_gab_next(reply: GabNext) -> dict[str, Any]:
    title = f"Next GAB: {meeting_when(reply.meeting)}"
    return message(title, agenda_blocks(reply, title))


def render_standing_list(reply: StandingList) -> dict[str, Any]:
    blocks: list[Block] = [header("GAB standing items")]
    if not reply.items:
        blocks.append(section("No standing items yet. Admins add them with `/gab standing add`."))
        return message("No GAB standing items yet.", blocks)
    current = [s for s in reply.items if s.until is None or s.until > reply.today]
    ended = [s for s in reply.items if s not in current]
    blocks += [section(standing_line(s, reply.today)) for s in current + ended]
    return message(f"GAB standing items: {len(current)} in force", blocks)


def render_gab_schedule(reply: GabSchedule) -> dict[str, Any]:
    lines = []
    for meeting in reply.meetings:
        when = meeting_when(meeting.at)
        if meeting.cancelled:
            lines.append(f"~{when}~ *cancelled*")
        else:
            lines.append(when + (" _(one-off)_" if meeting.one_off else ""))
    blocks: list[Block] = [
        header("GAB meetings"),
        context(f"Schedule: {esc(reply.rule)}, with one-off meetings and cancellations"),
        section("\n".join(lines) or "No meetings scheduled."),
    ]
    return message(f"GAB meetings: {len(lines)}", blocks)
