"""Text in and out of Slack mrkdwn: escape what we echo, read what users typed (SPEC section 8)."""

from __future__ import annotations

import re

_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_UNESCAPES = {"&amp;": "&", "&lt;": "<", "&gt;": ">"}
_TO_ESCAPE = re.compile(r"[&<>]")
_SLACK_ENTITY = re.compile(r"&(?:amp|lt|gt);")
# Any HTML-style entity a cut could split, not only Slack's three.
_ENTITY = re.compile(r"&(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});")
_CONTROL = re.compile(r"<(?P<body>[^<>\n]+)>")
_URL_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
ELLIPSIS = "…"


def escape_mrkdwn(text: str) -> str:
    """Escape &, < and > so that no mention, @channel or link in the text reaches Slack."""
    return _TO_ESCAPE.sub(lambda m: _ESCAPES[m[0]], text)


def unescape_slack(text: str) -> str:
    """Undo Slack's escaping of incoming message text (&lt; &gt; &amp;)."""
    # One pass, so "&amp;lt;" (a user typing "&lt;") becomes "&lt;", not "<".
    return _SLACK_ENTITY.sub(lambda m: _UNESCAPES[m[0]], text)


_USER_MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^<>]*)?>")


def plain_command_text(text: str) -> str:
    """Slash-command text as the person typed it: mentions as “@U123”, entities undone.

    commands/ reads plain text only; the listener turns Slack's markup into it first.
    """
    return unescape_slack(_USER_MENTION.sub(lambda m: f"@{m[1]}", text))


def plain_links(text: str) -> str:
    """Slack's <…> markup as readable text: links, user, channel and special mentions."""
    return _CONTROL.sub(_plain, text)


def _plain(match: re.Match[str]) -> str:
    target, _, label = match["body"].partition("|")
    sigil = target[0]
    if sigil in "@#":
        return sigil + (label.lstrip(sigil) or target[1:])
    if sigil == "!":
        if target.startswith("!date^"):
            return label or target
        name = label.lstrip("@") or target[1:].split("^")[-1]
        return "@" + name
    if not _URL_SCHEME.match(target):
        return match[0]  # not markup, e.g. "<b>" from unescaped user text
    if target.lower().startswith("mailto:"):
        return label or target[len("mailto:") :]
    if not label or label in (target, target.split("://", 1)[-1]):
        return target
    return f"{target} ({label})"


def truncate(text: str, limit: int) -> str:
    """At most `limit` characters, cut with "…" and never inside an entity such as "&amp;"."""
    if len(text) <= limit:
        return text
    if limit <= 0:
        return ""
    cut = limit - len(ELLIPSIS)
    for entity in _ENTITY.finditer(text, max(0, cut - 40), cut + 40):
        if entity.start() < cut < entity.end():
            cut = entity.start()
            break
    return text[:cut].rstrip() + ELLIPSIS
