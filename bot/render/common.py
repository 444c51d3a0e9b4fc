"""Small pieces every Block Kit message is made of; all text passes through escaping here."""

from __future__ import annotations

from typing import Any

from bot.escape import escape_mrkdwn, truncate
from commands.replies import ItemRow

SECTION_LIMIT = 3000
HEADER_LIMIT = 150
MAX_BLOCKS = 50
RAG_MARK = {"red": "🔴", "amber": "🟠", "green": "🟢"}

Block = dict[str, Any]


def esc(text: str, limit: int = SECTION_LIMIT) -> str:
    """User or report text made safe for mrkdwn, cut to fit."""
    return truncate(escape_mrkdwn(text), limit)


def header(text: str) -> Block:
    return {"type": "header", "text": {"type": "plain_text", "text": truncate(text, HEADER_LIMIT)}}


def section(mrkdwn: str) -> Block:
    """A section of already-escaped mrkdwn."""
    return {"type": "section", "text": {"type": "mrkdwn", "text": truncate(mrkdwn, SECTION_LIMIT)}}


def fields(pairs: list[tuple[str, str]]) -> Block:
    """Up to 10 “*label*\\nvalue” fields; values are already-escaped mrkdwn."""
    return {
        "type": "section",
        "fields": [
            {"type": "mrkdwn", "text": truncate(f"*{label}*\n{value}", 2000)}
            for label, value in pairs[:10]
        ],
    }


def context(mrkdwn: str) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": truncate(mrkdwn, 3000)}]}


def divider() -> Block:
    return {"type": "divider"}


def mention(user: str) -> str:
    """A Slack user id as a mention; anything else escaped as text."""
    if user.isalnum() and user[:1] in ("U", "W"):
        return f"<@{user}>"
    return escape_mrkdwn(user)


def leads_text(leads: tuple[str, ...]) -> str:
    return ", ".join(mention(u) for u in leads) if leads else "_awaiting allocation_"


def due_phrase(row: ItemRow, *, short: bool = False) -> str:
    """When the item is due, in one phrase, bold when it needs attention; `short` for one-line rows."""
    item = row.item
    if item.due is None:
        return "no due date"
    due = item.due.isoformat()
    if not item.is_open:
        return f"was due {due}"
    if row.days_overdue:
        return f"*{row.days_overdue} days overdue*" + ("" if short else f" (due {due})")
    if row.days_left == 0:
        return "*due today*"
    return f"due {due}" + ("" if short or row.days_left is None else f" (in {row.days_left} days)")


def message(text: str, blocks: list[Block]) -> dict[str, Any]:
    """A message payload within Slack's limits: at most 50 blocks, a plain fallback text."""
    if len(blocks) > MAX_BLOCKS:
        blocks = blocks[: MAX_BLOCKS - 1] + [context("…more than fits in one message.")]
    # the fallback is mrkdwn too (notifications, clients without blocks): escape it like the rest
    return {"text": esc(text), "blocks": blocks}
