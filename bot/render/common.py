"""Small pieces every Block Kit message is made of; all text passes through escaping here."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)

from bot.escape import escape_mrkdwn, truncate
from commands.replies import ItemRow

# slack_sdk refuses over-long text when it serialises a block; user text is cut to fit first.
SECTION_LIMIT = SectionBlock.text_max_length
HEADER_LIMIT = HeaderBlock.text_max_length
FIELD_LIMIT = 2000  # a section field's text: Slack's limit, which slack_sdk does not check
MAX_BLOCKS = 50  # a message's blocks: Slack's limit, which slack_sdk does not check
RAG_MARK = {"red": "🔴", "amber": "🟠", "green": "🟢"}

Block = dict[str, Any]


def esc(text: str, limit: int = SECTION_LIMIT) -> str:
    """User or report text made safe for mrkdwn, cut to fit."""
    return truncate(escape_mrkdwn(text), limit)


def header(text: str) -> Block:
    return HeaderBlock(text=PlainTextObject(text=truncate(text, HEADER_LIMIT))).to_dict()


def section(mrkdwn: str, accessory: ButtonElement | None = None) -> Block:
    """A section of already-escaped mrkdwn, with a button beside it if given."""
    text = MarkdownTextObject(text=truncate(mrkdwn, SECTION_LIMIT))
    return SectionBlock(text=text, accessory=accessory).to_dict()


def packed(lines: list[str], rows: int | None = None) -> list[Block]:
    """Lines gathered into as few sections as Slack's limit allows, at most `rows` lines each."""
    blocks: list[Block] = []
    chunk: list[str] = []
    for line in lines:
        full = len(chunk) == rows or len("\n".join([*chunk, line])) > SECTION_LIMIT
        if chunk and full:
            blocks.append(section("\n".join(chunk)))
            chunk = []
        chunk.append(line)
    if chunk:
        blocks.append(section("\n".join(chunk)))
    return blocks


def fields(pairs: list[tuple[str, str]]) -> Block:
    """“*label*\\nvalue” fields (at most 10); values are already-escaped mrkdwn."""
    texts = [MarkdownTextObject(text=truncate(f"*{k}*\n{v}", FIELD_LIMIT)) for k, v in pairs]
    return SectionBlock(fields=texts).to_dict()


def context(mrkdwn: str) -> Block:
    text = MarkdownTextObject(text=truncate(mrkdwn, SECTION_LIMIT))
    return ContextBlock(elements=[text]).to_dict()


def divider() -> Block:
    return DividerBlock().to_dict()


def button(label: str, action_id: str, value: str, style: str | None = None) -> ButtonElement:
    """A button with a plain-text label."""
    text = PlainTextObject(text=label)
    return ButtonElement(text=text, action_id=action_id, value=value, style=style)


def actions(elements: list[Any], block_id: str | None = None) -> Block:
    """A row of buttons or menus."""
    return ActionsBlock(elements=elements, block_id=block_id).to_dict()


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
