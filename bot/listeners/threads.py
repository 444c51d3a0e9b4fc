"""Message events: replies in the threads of the bot's own messages update items."""

from __future__ import annotations

from slack_bolt import App
from slack_sdk import WebClient

from bot.errors import report_failure
from bot.services import Services, log
from bot.thread_updates import (
    REPLY_SUBTYPES,
    ThreadOutcome,
    handle_edit,
    handle_thread_reply,
    is_from_a_bot,
)
from commands.deliveries import message_key
from commands.meetings import record_attendance
from commands.updates import link_message


def register(app: App, services: Services) -> None:
    @app.event("message")
    def on_message(event: dict, client: WebClient) -> None:
        if is_from_a_bot(event, services.bot_user_id):
            return
        subtype = event.get("subtype")
        if subtype == "message_changed":
            handle_edit(services, event)
            return
        if subtype is not None and subtype not in REPLY_SUBTYPES:
            return  # deletions, joins, topic changes…
        record_attendance(services.context(event.get("user", ""), event.get("channel", "")))
        thread_ts = event.get("thread_ts")
        if not thread_ts or thread_ts == event.get("ts"):
            return
        outcome = record_thread_reply(services, event)
        if outcome is not None:
            services.later(lambda: answer_in_thread(services, client, event, outcome))


def record_thread_reply(services: Services, event: dict) -> ThreadOutcome | None:
    """The update recorded, or — when it could not be stored — a reply saying it was not.

    The failure is answered rather than raised: Slack's retries would meet the same full disk
    and then give up, leaving the lead believing the update was recorded.
    """
    try:
        return handle_thread_reply(services, event)
    except Exception as err:
        problem = report_failure(err, "thread reply")
        return ThreadOutcome(f"Your update was NOT recorded. {problem}")


def answer_in_thread(
    services: Services, client: WebClient, event: dict, outcome: ThreadOutcome
) -> None:
    """Answer in the thread first (the person is waiting), then ✅ and the stored permalink."""
    channel, ts = event["channel"], event["ts"]
    if outcome.private:
        client.chat_postEphemeral(
            channel=channel, user=event["user"], thread_ts=event["thread_ts"], text=outcome.mrkdwn()
        )
        return
    client.chat_postMessage(channel=channel, thread_ts=event["thread_ts"], text=outcome.mrkdwn())
    if outcome.result is not None:
        client.reactions_add(channel=channel, timestamp=ts, name="white_check_mark")
        _store_permalink(services, client, outcome.result.item.id, channel, ts)


def _store_permalink(
    services: Services, client: WebClient, item_id: str, channel: str, ts: str
) -> None:
    try:
        permalink = client.chat_getPermalink(channel=channel, message_ts=ts)["permalink"]
    except Exception:  # the update stands without its link; the thread still gets its answer
        log.warning("could not fetch the permalink of %s/%s", channel, ts)
        return
    link_message(services.store, item_id, message_key(channel, ts), permalink)
