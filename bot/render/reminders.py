"""Block Kit for a sweep's message to one destination: every reminder and digest due for it.

One top-level message per destination per sweep, within Block Kit's limits: item lines carry
their buttons while they fit, and what does not fit becomes “N more” rather than a second post.
"""

from __future__ import annotations

from typing import Any

from bot.render.common import (
    MAX_BLOCKS,
    RAG_MARK,
    Block,
    context,
    divider,
    due_phrase,
    esc,
    header,
    leads_text,
    message,
    packed,
    section,
)
from bot.render.gab import agenda_blocks, change_line, meeting_when, standing_line
from bot.render.items import status_buttons
from commands.replies import ItemRow
from commands.sweep_messages import Message
from commands.sweep_plan import DIGEST_KINDS, ITEM_KINDS, Delivery, WeeklyDigest
from storage.models import Item

_MARK = {"due": "⏰", "overdue": "🔴", "escalation": "🚨", "stale": "💤", "response": "📝"}
# Most urgent first: if the message has to be cut, what is cut is the least pressing.
_GROUPS = (
    ("escalation", "Escalated: 14 days or more overdue"),
    ("overdue", "Overdue"),
    ("due", "Due soon"),
    ("stale", "No update for a while"),
    ("response", "PCC responses"),
)
SHORT_TEXT = 90
THREAD_HINT = (
    "Reply in this thread to update it: “in progress: what was done”, “done”, "
    "“blocked: what it is waiting for”, “evidence: link”."
)
DIGEST_HINT = (
    "Reply in this thread starting with an item id to update it, "
    "e.g. “CSE13-04 in progress: training delivered”."
)
COMBINED_HINT = (
    "Reply in this thread starting with the item's id to update it, e.g. “{id} in progress: "
    "what was done”, “{id} done”, “{id} blocked: what it is waiting for”."
)
TOLD_BY_DM = "lead reminded by DM"

Payload = dict[str, Any]


def render_message(msg: Message) -> Payload:
    """The one message to post to `msg.destination` in this sweep."""
    if len(msg.deliveries) == 1:
        return _single(msg.deliveries[0], msg.told_directly)
    with_buttons = _combined_blocks(msg, buttons=True)
    blocks = with_buttons if len(with_buttons) <= MAX_BLOCKS else _combined_blocks(msg, False)
    return message(_summary_text(msg), fit(blocks))


def fit(blocks: list[Block]) -> list[Block]:
    """At most 50 blocks: beyond that, one line saying how many more there were."""
    if len(blocks) <= MAX_BLOCKS:
        return blocks
    kept = blocks[: MAX_BLOCKS - 1]
    hidden = sum(_lines(b) for b in blocks[MAX_BLOCKS - 1 :])
    more = (
        f"…and {hidden} more line(s): `/recs overdue`, `/recs due` and `/gab next` list them all."
    )
    return [*kept, context(more)]


def _lines(block: Block) -> int:
    if block["type"] != "section":
        return 0
    return block["text"]["text"].count("\n• ") + 1 if block["text"]["text"].startswith("• ") else 1


def _single(delivery: Delivery, told: frozenset[str]) -> Payload:
    if delivery.kind in ITEM_KINDS and delivery.item is not None:
        return message(delivery.text, _item_blocks(delivery, told))
    return message(delivery.text, fit(_digest_blocks(delivery, told) or _plain_blocks(delivery)))


def _combined_blocks(msg: Message, buttons: bool) -> list[Block]:
    deliveries = msg.deliveries
    latest = max(d.scheduled for d in deliveries)
    whom = "Your reminders" if msg.is_dm else "Reminders"
    blocks: list[Block] = [header(f"{whom} for {latest:%A} {latest.day} {latest:%B %Y}")]
    weekly = any(d.weekly is not None for d in deliveries)
    shown: set[str] = set()
    for kind, title in _GROUPS:
        group = [d for d in deliveries if d.kind == kind]
        if not group or (kind == "overdue" and weekly and not msg.is_dm):
            continue  # the weekly digest below lists every overdue item
        blocks.append(section(f"{_MARK[kind]} *{title}* ({len(group)})"))
        if not buttons:
            blocks += packed([_line(d, msg.told_directly) for d in group])
            continue
        for delivery in group:
            blocks.append(section(_line(delivery, msg.told_directly)))
            item = delivery.item
            if item is not None and item.id not in shown:
                shown.add(item.id)
                blocks.append(status_buttons(item.id, snooze=True))
    for delivery in deliveries:
        digest = _digest_blocks(delivery, msg.told_directly)
        if digest:
            blocks += [divider(), *digest]
    if msg.items or any(d.kind in DIGEST_KINDS for d in deliveries):
        example = msg.items[0].id if msg.items else "CSE13-04"
        hint = THREAD_HINT if msg.anchor[1] == "reminder" else COMBINED_HINT.format(id=esc(example))
        blocks.append(context(hint))
    return blocks


def _line(delivery: Delivery, told: frozenset[str]) -> str:
    """“CSE13-06 · Review internal communication · @lead · due in 7 days”."""
    late = " _(late)_" if delivery.late else ""
    label = esc(delivery.reminder.label)
    item = delivery.item
    if item is None:
        title = delivery.source.title if delivery.source else ""
        return f"• *{esc(delivery.subject)}* · {esc(title, SHORT_TEXT)} · {label}{late}"
    return (
        f"• *{esc(item.id)}* · {esc(item.text, SHORT_TEXT)} · {_leads(item, told)} · {label}{late}"
    )


def _leads(item: Item, told: frozenset[str]) -> str:
    return TOLD_BY_DM if item.id in told and item.leads else leads_text(item.leads)


def _summary_text(msg: Message) -> str:
    """The notification text: how many, then the gist of each."""
    rank = {kind: n for n, (kind, _) in enumerate(_GROUPS)}
    ordered = sorted(msg.deliveries, key=lambda d: rank.get(d.kind, len(rank)))
    parts = [f"{d.subject} {d.reminder.label}" for d in ordered]
    return f"{len(parts)} reminders: " + "; ".join(parts)[:400]


def _late(delivery: Delivery) -> str:
    return " (late)" if delivery.late else ""


def _late_note(delivery: Delivery) -> str:
    if not delivery.late:
        return ""
    when = delivery.scheduled
    return f" _(late: it was due to go out on {when:%a} {when.day} {when:%b %Y})_"


def _item_blocks(delivery: Delivery, told: frozenset[str]) -> list[Block]:
    item = delivery.item
    assert item is not None
    label = delivery.reminder.label
    due = f"due {item.due.isoformat()}" if item.due else "no due date"
    if item.original_due and item.original_due != item.due:
        due += f" (originally {item.original_due.isoformat()})"
    blocks: list[Block] = [
        section(f"{_MARK[delivery.kind]} *{esc(item.id)} {esc(label)}*{_late_note(delivery)}"),
        section(
            f"*{esc(item.id)}* · {esc(item.status)} · {due} · {_leads(item, told)}\n"
            f"{esc(item.text, 1500)}"
        ),
    ]
    if delivery.audience == "admins" and not item.leads:
        blocks.append(context(f"No lead yet: assign one with `/recs assign {esc(item.id)} @user`."))
    blocks += [context(THREAD_HINT), status_buttons(item.id, snooze=True)]
    return blocks


def _digest_blocks(delivery: Delivery, told: frozenset[str]) -> list[Block]:
    """The GAB digest, the GAB eve reminder or the weekly digest; [] for anything else."""
    if delivery.agenda is not None and delivery.kind == "gab_digest":
        title = f"GAB pre-meeting digest: {meeting_when(delivery.agenda.meeting)}"
        return [*agenda_blocks(delivery.agenda, title + _late(delivery)), context(DIGEST_HINT)]
    if delivery.agenda is not None and delivery.kind == "gab_eve":
        return _eve_blocks(delivery)
    if delivery.weekly is not None:
        return _weekly_blocks(delivery.weekly, _late(delivery), told)
    return []


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


def _weekly_blocks(digest: WeeklyDigest, late: str, told: frozenset[str]) -> list[Block]:
    blocks: list[Block] = [
        header(f"Weekly digest: week of {digest.week_of.day} {digest.week_of:%B %Y}{late}"),
        section(
            f"*{digest.open_count} open* · {len(digest.overdue)} overdue · "
            f"{len(digest.due_soon)} due in the next 14 days · "
            f"{digest.awaiting_allocation} awaiting allocation"
        ),
        section(f"*Overdue*: {len(digest.overdue)}"),
    ]
    overdue = [_row_line(r, told) for r in digest.overdue]
    blocks += packed(overdue) or [context("Nothing is overdue.")]
    blocks.append(section(f"*Due in the next 14 days*: {len(digest.due_soon)}"))
    blocks += packed([_row_line(r, told) for r in digest.due_soon]) or [
        context("Nothing falls due.")
    ]
    blocks.append(section(f"*Status changes in the past week*: {len(digest.changes)}"))
    changes = ["• " + change_line(e) for e in digest.changes]
    blocks += packed(changes) or [context("No status changes.")]
    blocks.append(context(DIGEST_HINT))
    return blocks


def _row_line(row: ItemRow, told: frozenset[str]) -> str:
    item = row.item
    return (
        f"• {RAG_MARK[row.rag]} *{esc(item.id)}* · {esc(item.text, SHORT_TEXT)} · "
        f"{_leads(item, told)} · {due_phrase(row, short=True)}"
    )


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
