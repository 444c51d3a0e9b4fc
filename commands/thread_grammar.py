"""The thread-update grammar: what a lead's reply in an item's thread means (SPEC section 5).

Callers pass the message text after `bot.escape.unescape_slack`, so Slack's markup (`<@U…>`,
`<https://…|label>`) is still there but `&amp;` in a URL is already `&`. Notes come back
verbatim; run them through `bot.escape.plain_links` before storing.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

STATUS_WORDS: Mapping[str, str] = MappingProxyType(
    {
        "done": "implemented",
        "implemented": "implemented",
        "complete": "implemented",
        "completed": "implemented",
        "in progress": "in progress",
        "in-progress": "in progress",
        "started": "in progress",
        "underway": "in progress",
        "under way": "in progress",
        "blocked": "blocked",
        "not started": "not started",
        "not-started": "not started",
        "closed": "closed",
        "close": "closed",
        "superseded": "superseded",
        "not accepted": "not accepted",
        "declined": "not accepted",
    }
)

_EVIDENCE = "evidence"


def _key(word: str) -> str:
    return re.sub(r"[\s_-]+", " ", word.strip().strip("*").lower()).strip()


_STATUS_BY_KEY: dict[str, str] = {_key(word): status for word, status in STATUS_WORDS.items()}

# One named group per word (spaces and hyphens interchangeable), longest first.
_HEAD_WORDS: dict[str, str] = {
    f"w{i}": key
    for i, key in enumerate(sorted({*_STATUS_BY_KEY, _EVIDENCE}, key=len, reverse=True))
}
_HEAD = re.compile(
    r"(?P<open>\*?)(?:"
    + "|".join(
        f"(?P<{name}>" + r"(?:[^\S\r\n]+|-)".join(map(re.escape, key.split(" "))) + ")"
        for name, key in _HEAD_WORDS.items()
    )
    + r")(?!\w)",
    re.IGNORECASE,
)
# What may follow a status word: ":", a dash or the end. Anything else ("done what we can but
# more is needed", "close to finishing") is conversation. A bare hyphen needs a space after it
# so that "done-ness" is not "done".
_SEPARATOR = re.compile(r"\s*:|\s*[–—]+|\s*-+(?=\s|\Z)|\s+-+|\s*\Z")
_MENTION = re.compile(r"<@(?P<user>[UW][A-Z0-9]+)(?:\|[^<>]*)?>[\s:,]*")
# A source id is letters and digits ("CSE13"), or a meeting's "GAB-2026-12-29".
_SOURCE_ID = r"[A-Za-z]+[0-9]*(?:-[0-9]{4}-[0-9]{2}-[0-9]{2})?"
_ITEM_ID = re.compile(rf"(?P<prefix>{_SOURCE_ID})-(?P<number>[0-9]+)")
_LEADING_ID = re.compile(rf"\*?(?P<id>{_SOURCE_ID}-[0-9]+)(?![\w-])\*?[\s:,–—-]*")
_SLACK_LINK = re.compile(r"<(?P<url>[A-Za-z][A-Za-z0-9+.-]*:[^<>|\s]+)(?:\|[^<>]*)?>")
_URL = re.compile(r"<(?P<linked>https?://[^<>|\s]+)(?:\|[^<>]*)?>|(?P<bare>https?://[^\s<>]+)")
_EVIDENCE_IN_NOTE = re.compile(r"(?<!\w)evidence\s*:(?P<rest>.*)", re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True)
class ParsedUpdate:
    """A reply that is an update: which item (if named), the new status, note and evidence."""

    item_id: str | None  # canonical id when the reply started with one, else None
    status: str | None  # one of storage.models.STATUSES, or None for evidence only
    note: str  # the rest of the reply, verbatim and trimmed ("" if none)
    evidence: str  # "evidence: X" text, or the URLs found in the note ("" if none)


def status_from_word(word: str) -> str | None:
    """The status a word means ("done", "in-progress", "Not started"…), or None."""
    return _STATUS_BY_KEY.get(_key(word))


def normalise_item_id(text: str) -> str | None:
    """ "cse13-4" -> "CSE13-04"; None when the text is not an item id."""
    match = _ITEM_ID.fullmatch(text.strip())
    if match is None:
        return None
    number = match["number"].lstrip("0")  # no int(): a 5,000-digit "number" must not raise
    if not number:
        return None
    return f"{match['prefix'].upper()}-{number.zfill(2)}"


def parse_update(
    text: str, *, expect_id: bool, bot_user_id: str | None = None
) -> ParsedUpdate | None:
    """The update a thread reply makes, or None when it is ordinary conversation.

    In a digest thread (`expect_id`) the reply must start with an item id. A leading mention
    is skipped: only of `bot_user_id` when given, of anyone otherwise.
    """
    body = _skip_mention(text.strip(), bot_user_id)
    item_id = None
    id_match = _LEADING_ID.match(body)
    if id_match:
        item_id = normalise_item_id(id_match["id"])
        if item_id is None:
            return None
        body = body[id_match.end() :]
    elif expect_id:
        return None
    head = _split_head(body)
    if head is None:
        return None
    word, rest = head
    if word == _EVIDENCE:
        return ParsedUpdate(item_id, None, "", _links_to_urls(rest))
    return ParsedUpdate(item_id, _STATUS_BY_KEY[word], rest, _evidence_in(rest))


def _skip_mention(body: str, bot_user_id: str | None) -> str:
    match = _MENTION.match(body)
    if match and bot_user_id in (None, match["user"]):
        return body[match.end() :]
    return body


def _split_head(body: str) -> tuple[str, str] | None:
    """(status word key or "evidence", trimmed rest) when the body starts with one."""
    match = _HEAD.match(body)
    if match is None:
        return None
    word = next(_HEAD_WORDS[name] for name in _HEAD_WORDS if match[name] is not None)
    rest = body[match.end() :]
    bold = bool(match["open"])
    if bold and rest.startswith("*"):
        rest, bold = rest[1:], False
    separator = _SEPARATOR.match(rest)
    if separator is None:
        return None
    rest = rest[separator.end() :]
    if bold and rest.startswith("*"):  # "*done:* note"
        rest = rest[1:]
    return word, rest.strip()


def _links_to_urls(text: str) -> str:
    return _SLACK_LINK.sub(lambda m: m["url"], text).strip()


def _evidence_in(note: str) -> str:
    stated = _EVIDENCE_IN_NOTE.search(note)
    if stated and stated["rest"].strip():
        return _links_to_urls(stated["rest"])
    urls: list[str] = []
    for match in _URL.finditer(note):
        url = match["linked"] or match["bare"].rstrip(".,;:!?)]}'\"")
        if url not in urls:
            urls.append(url)
    return " ".join(urls)


# Near misses: replies that look meant as an update but are not in the form that works. They
# get a private hint; anything else stays conversation and gets no answer at all.
_CHECK_MARK = re.compile(
    r"(?:✅|✔️?|☑️?|:white_check_mark:|:heavy_check_mark:|:ballot_box_with_check:)\s*"
)
_STATUS_LABEL = re.compile(r"(?:\*?status\*?\s*(?:[:=–—-]|is\b)\s*)", re.IGNORECASE)
_SYNONYMS: Mapping[str, str] = MappingProxyType(
    {
        "finished": "implemented",
        "fixed": "implemented",
        "sorted": "implemented",
        "ongoing": "in progress",
        "wip": "in progress",
        "on hold": "blocked",
        "stuck": "blocked",
    }
)
_SPOKEN = {"implemented": "done"}  # the word to suggest for a status, when not the status itself
_LOOSE_WORD = re.compile(
    r"\*?(?P<word>"
    + "|".join(
        r"\s+".join(map(re.escape, w.split(" ")))
        for w in sorted({*_STATUS_BY_KEY, *_SYNONYMS}, key=len, reverse=True)
    )
    + r")\*?(?P<sep>\s*[:–—]|\s*-+(?=\s|\Z)|\s+-+|\s*[.,;!]+(?=\s|\Z)|\s*\Z)",
    re.IGNORECASE,
)


def near_miss(
    text: str, *, expect_id: bool, item_id: str = "", bot_user_id: str | None = None
) -> str | None:
    """The reply written the way that works, when `text` looks like a mis-typed update.

    "Status: done", "finished", "✅ done", "Done." and, where the id is needed, "done: …"
    without it are near misses; a real update or ordinary conversation gives None.
    """
    if parse_update(text, expect_id=expect_id, bot_user_id=bot_user_id) is not None:
        return None
    body = _skip_mention(text.strip(), bot_user_id)
    named = _LEADING_ID.match(body)
    if named:
        item_id = normalise_item_id(named["id"]) or ""
        body = body[named.end() :]
    marked = _CHECK_MARK.match(body)
    body = body[marked.end() :] if marked else body
    labelled = _STATUS_LABEL.match(body)
    body = body[labelled.end() :] if labelled else body
    loose = _LOOSE_WORD.match(body)
    if loose is None:
        return None
    key = _key(loose["word"])
    status = _STATUS_BY_KEY.get(key) or _SYNONYMS[key]
    missing_id = expect_id and not named
    if not (marked or labelled or missing_id or key in _SYNONYMS or loose["sep"].strip()):
        return None
    note = body[loose.end() :].strip()
    if not note and status == "blocked":
        note = "what it is waiting for"
    word = _SPOKEN.get(status, status)
    prefix = f"{item_id or 'ITEM-ID'} " if (expect_id or named) else ""
    return f"{prefix}{word}: {note}" if note else f"{prefix}{word}"
