"""Block Kit for /gab: the next meeting's agenda, standing items, the schedule."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from functools import partial
from typing import Any

from bot.escape import truncate
from bot.render.answers import AnswerRef, answer_buttons
from bot.render.common import Block, context, esc, header, mention, message, section
from bot.render.items import SHORT_TEXT, compact_row, item_row
from commands.replies import GabNext, GabSchedule, StandingList
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
    """/gab: changes since the last meeting first, grouped by source, one line each, paged."""
    title = f"Next GAB: {meeting_when(reply.meeting)}"
    parts = _agenda_parts(reply)
    pages = -(-len(parts) // AGENDA_PAGE_LINES)
    page = min(max(reply.page, 1), pages)
    shown = f" · page {page} of {pages}" if pages > 1 else ""
    counts = (
        f"{len(reply.changes)} change(s) · {len(reply.standing)} standing · "
        f"{len(reply.due)} due · {len(reply.overdue)} overdue"
    )
    blocks: list[Block] = [header(title), context(f"As of {_day(reply.today)} · {counts}{shown}")]
    lines: list[str] = []
    for heading, line in parts[(page - 1) * AGENDA_PAGE_LINES : page * AGENDA_PAGE_LINES]:
        if heading and lines:
            blocks.append(section("\n".join(lines)))
            lines = []
        lines.append(line())
        if len(lines) == AGENDA_LINES_PER_SECTION:
            blocks.append(section("\n".join(lines)))
            lines = []
    if lines:
        blocks.append(section("\n".join(lines)))
    blocks += answer_buttons(AnswerRef("/gab next"), page, pages)
    return message(title, blocks)


AGENDA_PAGE_LINES = 30
AGENDA_LINES_PER_SECTION = 12


def _agenda_parts(reply: GabNext) -> list[tuple[bool, Callable[[], str]]]:
    """The agenda as (is a heading, its mrkdwn line): changes by source, standing, due, overdue.

    A line is written only when asked for: a page shows 30 of what can be thousands.
    """
    since = (
        f"since the last meeting ({_day(reply.last_meeting.date())})"
        if reply.last_meeting
        else "(no earlier meeting on record)"
    )
    parts: list[tuple[bool, Callable[[], str]]] = [
        (True, _fixed(f"*Status changes {since}*: {len(reply.changes)}"))
    ]
    by_source: dict[str, list[HistoryEntry]] = {}
    for entry in reply.changes:
        by_source.setdefault(entry.item_id.rsplit("-", 1)[0], []).append(entry)
    for source, entries in sorted(by_source.items()):
        parts.append((True, _fixed(f"_{esc(source)}_")))
        parts += [(False, partial(_short_change, e)) for e in entries]
    if not reply.changes:
        parts.append((False, _fixed("No status changes.")))
    parts.append((True, _fixed(f"*Standing items*: {len(reply.standing)}")))
    parts += [(False, partial(standing_line, s)) for s in reply.standing] or [
        (False, _fixed("None."))
    ]
    due_heading = f"*Due by the meeting* ({_day(reply.meeting.date())}): {len(reply.due)}"
    parts.append((True, _fixed(due_heading)))
    parts += [(False, partial(compact_row, r)) for r in reply.due] or [
        (False, _fixed("Nothing falls due."))
    ]
    parts.append((True, _fixed(f"*Overdue*: {len(reply.overdue)}")))
    parts += [(False, partial(compact_row, r)) for r in reply.overdue] or [
        (False, _fixed("Nothing is overdue."))
    ]
    return parts


def _fixed(line: str) -> Callable[[], str]:
    return lambda: line


def _short_change(entry: HistoryEntry) -> str:
    who = mention(entry.by) if entry.by not in ("import", "system") else entry.by
    note = f": {esc(truncate(entry.note, SHORT_TEXT))}" if entry.note else ""
    return (
        f"*{esc(entry.item_id)}* {esc(entry.old)} → *{esc(entry.new)}* · {who} · "
        f"{entry.at:%d %b}{note}"
    )


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
