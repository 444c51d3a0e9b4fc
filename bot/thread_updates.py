"""A reply in a bot thread → a recorded update: resolve the thread, parse, check, record once."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from bot.escape import escape_mrkdwn, plain_links, unescape_slack
from bot.services import Services
from commands.anchors import thread_anchor
from commands.deliveries import already_handled, mark_handled, message_key
from commands.errors import CommandError, NotAllowed
from commands.hygiene import clean_text
from commands.items import item_leads
from commands.thread_grammar import ParsedUpdate, near_miss, parse_update
from commands.updates import UpdateRequest, UpdateResult, amend_note, apply_update
from storage.store import Store

# Messages that people write: a plain reply, one also sent to the channel, one with a file.
REPLY_SUBTYPES = frozenset({"thread_broadcast", "file_share"})
HINT = (
    "Nothing was changed: an update starts with its status word followed by “:”, “-” or "
    "nothing else. Write it like this: “{form}”"
)


@dataclass(frozen=True)
class ThreadOutcome:
    """What to say in the thread: a recorded update, or a refusal / problem to explain."""

    reply: str  # plain text
    result: UpdateResult | None = None
    mentions: tuple[str, ...] = ()  # users whose “@U…” in `reply` should be real mentions
    private: bool = False  # only its author sees it (a hint on how to write an update)

    def mrkdwn(self) -> str:
        """The reply as escaped mrkdwn, with only our own “@U…” turned into mentions."""
        return mrkdwn_with_mentions(self.reply, self.mentions)


def mrkdwn_with_mentions(text: str, users: Iterable[str]) -> str:
    """Escape plain `text` for mrkdwn; “@U123” of the given users become real mentions."""
    escaped = escape_mrkdwn(text)
    for user in set(users):
        if user:
            escaped = re.sub(rf"@{re.escape(user)}(?![A-Za-z0-9])", f"<@{user}>", escaped)
    return escaped


def is_from_a_bot(message: dict, bot_user_id: str) -> bool:
    """Bots, integrations and govbot itself never update items."""
    return bool(
        message.get("bot_id")
        or message.get("subtype") == "bot_message"
        or (bot_user_id and message.get("user") == bot_user_id)
    )


def handle_thread_reply(services: Services, event: dict) -> ThreadOutcome | None:
    """The outcome of a thread reply, or None when it is not for us or was already handled.

    The message key (channel + ts) is recorded in the same transaction as the update, so a
    retried or duplicated delivery — in this process or another — is answered only once.
    """
    channel = event.get("channel", "")
    ts = event.get("ts", "")
    user = event.get("user", "")
    if not (channel and ts and user) or is_from_a_bot(event, services.bot_user_id):
        return None
    key = message_key(channel, ts)
    store = services.store
    with store.transaction():
        if already_handled(store, key):
            return None
        found = _update_in_thread(services, channel, event.get("thread_ts", ""), event)
        if found is None:
            form = _near_miss(services, channel, event.get("thread_ts", ""), event)
            if form is None:
                return None
            mark_handled(store, key, services.clock())
            return ThreadOutcome(HINT.format(form=form), private=True)
        parsed, item_id = found
        ctx = services.context(user, channel)
        request = UpdateRequest(
            item_id=item_id,
            status=parsed.status,
            note=plain_links(parsed.note),
            evidence=_evidence(parsed, event),
            key=key,
            channel=channel,
            ts=ts,
        )
        try:
            result = apply_update(ctx, request)
        except CommandError as err:
            outcome = _refusal(store, item_id, err)
        else:
            if result.duplicate:
                return None
            outcome = ThreadOutcome(result.describe(), result=result, mentions=(user,))
        mark_handled(store, key, ctx.now)
        return outcome


def _update_in_thread(
    services: Services, channel: str, thread_ts: str, message: dict
) -> tuple[ParsedUpdate, str] | None:
    """The update a message in one of our threads makes, and the item it is about; else None."""
    anchor = thread_anchor(services.store, channel, thread_ts)
    if anchor is None:
        return None
    parsed = parse_update(
        unescape_slack(clean_text(message.get("text") or "")),
        expect_id=anchor.kind == "digest",
        bot_user_id=services.bot_user_id or None,
    )
    item_id = (parsed.item_id or anchor.item_id) if parsed else ""
    if parsed is None or not item_id:
        return None
    return parsed, item_id


def _near_miss(services: Services, channel: str, thread_ts: str, message: dict) -> str | None:
    """The form that works, when a message in one of our threads looks like a mis-typed update."""
    anchor = thread_anchor(services.store, channel, thread_ts)
    if anchor is None:
        return None
    return near_miss(
        unescape_slack(message.get("text") or ""),
        expect_id=anchor.kind == "digest",
        item_id=anchor.item_id,
        bot_user_id=services.bot_user_id or None,
    )


def handle_edit(services: Services, event: dict) -> bool:
    """An edited update adds a “note amended” entry; what was recorded first stays as it was."""
    message = event.get("message") or {}
    channel = event.get("channel", "")
    ts = message.get("ts", "")
    thread_ts = message.get("thread_ts", "")
    user = message.get("user", "")
    if not thread_ts or thread_ts == ts or is_from_a_bot(message, services.bot_user_id):
        return False
    if message.get("subtype") not in (None, *REPLY_SUBTYPES):
        return False  # e.g. a tombstone left by a deletion
    edit_stamp = (message.get("edited") or {}).get("ts") or event.get("event_ts") or ""
    with services.store.transaction():
        found = _update_in_thread(services, channel, thread_ts, message)
        if found is None:
            return False
        parsed, item_id = found
        ctx = services.context(user, channel)
        note = plain_links(parsed.note)
        return amend_note(ctx, item_id, message_key(channel, ts), note, edit_stamp) is not None


def _evidence(parsed: ParsedUpdate, event: dict) -> str:
    """Evidence typed in the reply, plus any file attached to it."""
    files = [f.get("permalink", "") for f in event.get("files") or () if isinstance(f, dict)]
    return " ".join(part for part in (parsed.evidence, *files) if part)


def _refusal(store: Store, item_id: str, err: CommandError) -> ThreadOutcome:
    if not isinstance(err, NotAllowed):
        return ThreadOutcome(err.message)
    leads = item_leads(store, item_id)
    return ThreadOutcome(f"{err.message} Nothing was changed.", mentions=leads)
