"""Message events: replies in the threads of the bot's own messages update items."""

from __future__ import annotations

from slack_bolt import App
from slack_sdk import WebClient

from bot.escape import escape_mrkdwn
from bot.services import Services, log
from bot.thread_updates import ThreadOutcome, handle_edit, handle_thread_reply, message_key

IGNORED_SUBTYPES = {"bot_message", "message_deleted", "channel_join", "channel_leave"}


def register(app: App, services: Services) -> None:
    @app.event("message")
    def on_message(event: dict, client: WebClient) -> None:
        if event.get("bot_id") or event.get("subtype") in IGNORED_SUBTYPES:
            return
        if event.get("subtype") == "message_changed":
            handle_edit(services, event)
            return
        if event.get("subtype"):
            return
        thread_ts = event.get("thread_ts")
        if not thread_ts or thread_ts == event.get("ts"):
            return
        if services.bot_user_id and event.get("user") == services.bot_user_id:
            return
        outcome = handle_thread_reply(services, event)
        if outcome is not None:
            services.later(lambda: answer_in_thread(services, client, event, outcome))


def answer_in_thread(
    services: Services, client: WebClient, event: dict, outcome: ThreadOutcome
) -> None:
    """Reply in the thread; on success add ✅ and store the message's permalink."""
    channel, ts = event["channel"], event["ts"]
    client.chat_postMessage(
        channel=channel, thread_ts=event["thread_ts"], text=_thread_text(outcome)
    )
    if outcome.result is None:
        return
    client.reactions_add(channel=channel, timestamp=ts, name="white_check_mark")
    try:
        permalink = client.chat_getPermalink(channel=channel, message_ts=ts)["permalink"]
    except Exception:
        log.warning("could not fetch the permalink of %s/%s", channel, ts)
        return
    with services.store.transaction() as store:
        store.history.set_permalink(outcome.result.item.id, message_key(channel, ts), permalink)


def _thread_text(outcome: ThreadOutcome) -> str:
    text = escape_mrkdwn(outcome.reply)
    # “by @U123” in our own sentence becomes a real mention; user text stays escaped
    if outcome.result is not None:
        user = outcome.result.entry.by
        text = text.replace(f"by @{user}", f"by <@{user}>")
    return text
