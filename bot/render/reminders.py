"""Block Kit for reminders and digests; a long digest becomes several messages (pages)."""

from __future__ import annotations

from typing import Any

from bot.render.common import (
    MAX_BLOCKS,
    Block,
    context,
    esc,
    header,
    leads_text,
    message,
    section,
)
from bot.render.gab import agenda_blocks, change_line, meeting_when, standing_line
from bot.render.items import item_row, status_buttons
from commands.sweep_plan import ITEM_KINDS, Delivery, WeeklyDigest

PAGE_BLOCKS = MAX_BLOCKS - 2  # room for a "continued" line above and below
_MARK = {"due": "⏰", "overdue": "🔴", "escalation": "🚨", "stale": "💤", "response": "📝"}
THREAD_HINT = (
    "Reply in this thread to update it: “in progress: what was done”, “done”, "
    "“blocked: what it is waiting for”, “evidence: link”."
)
DIGEST_HINT = (
    "Reply in this thread starting with an item id to update it, "
    "e.g. “CSE13-04 in progress: training delivered”."
)

Payload = dict[str, Any]


def render_delivery(delivery: Delivery) -> list[Payload]:
    """The message(s) to post for one delivery, in order."""
    if delivery.kind in ITEM_KINDS and delivery.item is not None:
        return [message(delivery.text, _item_blocks(delivery))]
    if delivery.agenda is not None and delivery.kind == "gab_digest":
        title = f"GAB pre-meeting digest: {meeting_when(delivery.agenda.meeting)}"
        blocks = agenda_blocks(delivery.agenda, title + _late(delivery))
        return paged(delivery.text, [*blocks, context(DIGEST_HINT)])
    if delivery.agenda is not None and delivery.kind == "gab_eve":
        return [message(delivery.text, _eve_blocks(delivery))]
    if delivery.weekly is not None:
        return paged(delivery.text, _weekly_blocks(delivery.weekly, _late(delivery)))
    return [message(delivery.text, _plain_blocks(delivery))]


def paged(text: str, blocks: list[Block]) -> list[Payload]:
    """Messages of at most 50 blocks each, marked as continued."""
    chunks = [blocks[n : n + PAGE_BLOCKS] for n in range(0, len(blocks), PAGE_BLOCKS)] or [[]]
    if len(chunks) == 1:
        return [message(text, chunks[0])]
    total = len(chunks)
    pages = []
    for number, chunk in enumerate(chunks, start=1):
        above = [context(f"…continued (page {number} of {total})")] if number > 1 else []
        below = [context("Continued in the next message…")] if number < total else []
        pages.append(message(f"{text} (page {number} of {total})", above + chunk + below))
    return pages


def _late(delivery: Delivery) -> str:
    return " (late)" if delivery.late else ""


def _late_note(delivery: Delivery) -> str:
    if not delivery.late:
        return ""
    when = delivery.scheduled
    return f" _(late: it was due to go out on {when:%a} {when.day} {when:%b %Y})_"


def _item_blocks(delivery: Delivery) -> list[Block]:
    item = delivery.item
    assert item is not None
    label = delivery.reminder.label
    due = f"due {item.due.isoformat()}" if item.due else "no due date"
    if item.original_due and item.original_due != item.due:
        due += f" (originally {item.original_due.isoformat()})"
    blocks: list[Block] = [
        section(f"{_MARK[delivery.kind]} *{esc(item.id)} {esc(label)}*{_late_note(delivery)}"),
        section(
            f"*{esc(item.id)}* · {esc(item.status)} · {due} · {leads_text(item.leads)}\n"
            f"{esc(item.text, 1500)}"
        ),
    ]
    if delivery.audience == "admins" and not item.leads:
        blocks.append(context(f"No lead yet: assign one with `/recs assign {esc(item.id)} @user`."))
    blocks += [context(THREAD_HINT), status_buttons(item.id, snooze=True)]
    return blocks


def _eve_blocks(delivery: Delivery) -> list[Block]:
    agenda = delivery.agenda
    assert agenda is not None
    counts = (
        f"{len(agenda.standing)} standing item(s) · {len(agenda.due)} due by the meeting · "
        f"{len(agenda.overdue)} overdue · {len(agenda.changes)} status change(s) since the "
        "last meeting. `/gab next` shows the agenda."
    )
    blocks: list[Block] = [
        header(f"GAB: {meeting_when(agenda.meeting)}"),
        section(
            f"📅 *Reminder: the GAB meets {meeting_when(agenda.meeting)}*{_late_note(delivery)}"
        ),
        section(counts),
    ]
    if agenda.standing:
        blocks.append(section("\n".join(standing_line(s) for s in agenda.standing)))
    blocks.append(context(DIGEST_HINT))
    return blocks


def _weekly_blocks(digest: WeeklyDigest, late: str) -> list[Block]:
    blocks: list[Block] = [
        header(f"Weekly digest: week of {digest.week_of.day} {digest.week_of:%B %Y}{late}"),
        section(
            f"*{digest.open_count} open* · {len(digest.overdue)} overdue · "
            f"{len(digest.due_soon)} due in the next 14 days · "
            f"{digest.awaiting_allocation} awaiting allocation"
        ),
        section(f"*Overdue*: {len(digest.overdue)}"),
    ]
    blocks += [item_row(r) for r in digest.overdue] or [context("Nothing is overdue.")]
    blocks.append(section(f"*Due in the next 14 days*: {len(digest.due_soon)}"))
    blocks += [item_row(r) for r in digest.due_soon] or [context("Nothing falls due.")]
    blocks.append(section(f"*Status changes in the past week*: {len(digest.changes)}"))
    blocks += [section(change_line(e)) for e in digest.changes] or [context("No status changes.")]
    blocks.append(context(DIGEST_HINT))
    return blocks


def _plain_blocks(delivery: Delivery) -> list[Block]:
    mark = _MARK.get(delivery.kind, "🔔")
    blocks: list[Block] = [
        section(
            f"{mark} *{esc(delivery.subject)} {esc(delivery.reminder.label)}*{_late_note(delivery)}"
        )
    ]
    source = delivery.source
    if source is not None:
        blocks.append(section(esc(source.title)))
        if delivery.kind == "response":
            blocks.append(
                context(
                    f"The PCC's response is due 56 days after publication "
                    f"({source.published.isoformat()}). When it is published, record it with "
                    f"`/recs response {esc(source.id)} published [YYYY-MM-DD]`."
                )
            )
    return blocks
