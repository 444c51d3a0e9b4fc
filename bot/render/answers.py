"""The buttons under an answer: Previous / Next (paging in place) and Post to channel."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from slack_sdk.models.blocks import ActionsBlock, ButtonElement, ContextBlock, MarkdownTextObject

from bot.render.common import Block, mention

PAGE_PREV = "answer_page_prev"
PAGE_NEXT = "answer_page_next"
SHARE = "answer_share"
CHART = "answer_chart"
ANSWER_ACTIONS = (PAGE_PREV, PAGE_NEXT, SHARE)
BLOCK_ID = "answer_buttons"
VALUE_LIMIT = 2000  # Slack's limit on a button's value


@dataclass(frozen=True)
class AnswerRef:
    """The command line that gives an answer, and its page: what a button re-runs."""

    line: str
    page: int = 0  # 0: the line is run as it is

    def value(self) -> str:
        return json.dumps({"line": self.line, "page": self.page}, ensure_ascii=False)

    @classmethod
    def parse(cls, value: str) -> AnswerRef:
        data = json.loads(value)
        return cls(str(data["line"]), int(data.get("page", 0)))

    def at(self, page: int) -> AnswerRef:
        return AnswerRef(self.line, page)


def answer_buttons(
    ref: AnswerRef | None, page: int = 1, pages: int = 1, share: bool = True
) -> list[Block]:
    """Previous / Next where there are more pages, and Post to channel; none if they cannot fit."""
    if ref is None or len(ref.at(pages).value()) > VALUE_LIMIT:
        return []
    buttons = []
    if page > 1:
        buttons.append(
            ButtonElement(text="◀ Previous", action_id=PAGE_PREV, value=ref.at(page - 1).value())
        )
    if page < pages:
        buttons.append(
            ButtonElement(text="Next ▶", action_id=PAGE_NEXT, value=ref.at(page + 1).value())
        )
    if share:
        here = ref.at(page) if pages > 1 else ref
        buttons.append(ButtonElement(text="Post to channel", action_id=SHARE, value=here.value()))
    if not buttons:
        return []
    return [ActionsBlock(block_id=BLOCK_ID, elements=buttons).to_dict()]


def without_answer_buttons(payload: dict[str, Any]) -> dict[str, Any]:
    """The payload without its paging and sharing buttons (for the copy posted to a channel)."""
    blocks = [b for b in payload.get("blocks", []) if b.get("block_id") != BLOCK_ID]
    return {**payload, "blocks": blocks}


def shared_by(payload: dict[str, Any], user: str) -> dict[str, Any]:
    """The answer as posted to the channel: no buttons of its own, and who shared it."""
    shared = without_answer_buttons(payload)
    note = ContextBlock(elements=[MarkdownTextObject(text=f"shared by {mention(user)}")]).to_dict()
    return {**shared, "blocks": [*shared["blocks"], note]}
