"""A reply in a bot thread → a recorded update: resolve the thread, parse, check, record once."""

from __future__ import annotations

from dataclasses import dataclass

from bot.escape import plain_links, unescape_slack
from bot.services import Services
from commands.errors import CommandError, NotAllowed
from commands.thread_grammar import parse_update
from commands.updates import UpdateRequest, UpdateResult, apply_update


@dataclass(frozen=True)
class ThreadOutcome:
    """What to say in the thread: a recorded update, or a refusal / problem to explain."""

    reply: str
    result: UpdateResult | None = None
    refused: bool = False


def message_key(channel: str, ts: str) -> str:
    return f"msg:{channel}:{ts}"


def handle_thread_reply(services: Services, event: dict) -> ThreadOutcome | None:
    """The outcome of a thread reply, or None when it is not for us or was already handled."""
    channel = event.get("channel", "")
    ts = event.get("ts", "")
    user = event.get("user", "")
    key = message_key(channel, ts)
    store = services.store
    with store.transaction():
        anchor = store.threads.resolve(channel, event.get("thread_ts", ""))
        if anchor is None or store.events.seen(key):
            return None
        text = unescape_slack(event.get("text") or "")
        parsed = parse_update(
            text, expect_id=anchor.kind == "digest", bot_user_id=services.bot_user_id or None
        )
        if parsed is None:
            return None
        item_id = parsed.item_id or anchor.item_id
        if not item_id:
            return None
        ctx = services.context(user, channel)
        request = UpdateRequest(
            item_id=item_id,
            status=parsed.status,
            note=plain_links(parsed.note),
            evidence=parsed.evidence,
            key=key,
            channel=channel,
            ts=ts,
        )
        try:
            result = apply_update(ctx, request)
        except NotAllowed as err:
            outcome = ThreadOutcome(err.message, refused=True)
        except CommandError as err:
            outcome = ThreadOutcome(err.message, refused=True)
        else:
            if result.duplicate:
                return None
            outcome = ThreadOutcome(result.describe(), result=result)
        store.events.record(key, ctx.now)
        return outcome


def handle_edit(services: Services, event: dict) -> bool:
    """An edited update amends the recorded note (the status stays as first recorded)."""
    message = event.get("message") or {}
    channel = event.get("channel", "")
    ts = message.get("ts", "")
    if not message.get("thread_ts") or message.get("bot_id"):
        return False
    store = services.store
    with store.transaction():
        anchor = store.threads.resolve(channel, message["thread_ts"])
        if anchor is None:
            return False
        parsed = parse_update(
            unescape_slack(message.get("text") or ""),
            expect_id=anchor.kind == "digest",
            bot_user_id=services.bot_user_id or None,
        )
        item_id = (parsed.item_id if parsed else None) or anchor.item_id
        if parsed is None or not item_id:
            return False
        return store.history.amend_note(item_id, message_key(channel, ts), plain_links(parsed.note))
