"""Block Kit for the draft minutes of a GAB meeting: one message in the GAB channel."""

from __future__ import annotations

from typing import Any

from bot.documents.text import minutes_title, next_meeting_text, uk_date, uk_moment
from bot.render.common import Block, context, esc, header, leads_text, mention, message, section
from commands.minutes import Minutes


def render_minutes(minutes: Minutes) -> dict[str, Any]:
    title = minutes_title(minutes)
    attendance = ", ".join(mention(u) for u in minutes.attendees) or "_no one posted during it_"
    standing = "\n".join(
        f"• {esc(s.title, 300)}" + (f" ({mention(s.owner)})" if s.owner else "")
        for s in minutes.standing
    )
    blocks: list[Block] = [
        header(title),
        context(f"Draft · held {esc(uk_moment(minutes.meeting))} · {esc(minutes.meeting_id)}"),
        section(f"*Attendance*\n{attendance}"),
        section(f"*Standing items*\n{standing or '_none_'}"),
        section(f"*Items discussed* ({len(minutes.discussed)})"),
    ]
    for entry in minutes.discussed:
        changes = ", ".join(
            f"{esc(c.old)} → *{esc(c.new)}* ({uk_date(c.at.date())})" for c in entry.changes
        )
        line = f"*{esc(entry.item.id)}* {esc(entry.item.text, 300)} · now {esc(entry.item.status)}"
        if changes:
            line += f"\nChanges since the last meeting: {changes}"
        if entry.note:
            line += f"\n_Note:_ {esc(entry.note, 1000)}"
        blocks.append(section(line))
    blocks.append(section(f"*Actions* ({len(minutes.actions)})"))
    for action in minutes.actions:
        blocks.append(
            section(
                f"*{esc(action.id)}* {esc(action.text, 500)} · {leads_text(action.leads)} · "
                f"by {uk_date(action.due, 'no date')}"
            )
        )
    blocks.append(section(f"*Next meeting*\n{esc(next_meeting_text(minutes))}"))
    blocks.append(context("The minutes as Word and Markdown files are in this thread."))
    return message(title, blocks)
