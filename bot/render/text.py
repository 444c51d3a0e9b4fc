"""Block Kit as plain text, for `govbot ask`, the demo and logs."""

from __future__ import annotations

import html
import re
from typing import Any

_MENTION = re.compile(r"<@([A-Z0-9]+)(?:\|[^>]*)?>")
_LINK = re.compile(r"<(https?://[^|>]+)\|([^>]+)>")
_BOLD = re.compile(r"\*([^*\n]+)\*")
_ITALIC = re.compile(r"(?<!\w)_([^_\n]+)_(?!\w)")


def mrkdwn_to_text(text: str) -> str:
    text = _MENTION.sub(r"@\1", text)
    text = _LINK.sub(r"\2 (\1)", text)
    text = _ITALIC.sub(r"\1", _BOLD.sub(r"\1", text.replace("```", "")))
    return html.unescape(text)


def blocks_to_text(payload: dict[str, Any]) -> str:
    """What a person would read in the message, line by line."""
    lines: list[str] = []
    for block in payload.get("blocks") or []:
        kind = block.get("type")
        if kind == "header":
            title = block["text"]["text"]
            lines += [title, "=" * min(len(title), 72)]
        elif kind == "section":
            if "text" in block:
                lines.append(mrkdwn_to_text(block["text"]["text"]))
            for field in block.get("fields", []):
                lines.append(mrkdwn_to_text(field["text"]).replace("\n", ": ", 1))
        elif kind == "context":
            lines += [mrkdwn_to_text(e.get("text", "")) for e in block.get("elements", [])]
        elif kind == "divider":
            lines.append("-" * 40)
        elif kind == "actions":
            labels = [e["text"]["text"] for e in block.get("elements", []) if "text" in e]
            lines.append("[" + "] [".join(labels) + "]")
    if not lines:
        lines.append(mrkdwn_to_text(payload.get("text", "")))
    return "\n".join(lines)
