"""Slash commands: ack with the answer at once; posting and uploads happen afterwards."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.charts import INSTALL_HINT, charts_available
from bot.dispatch import COMMANDS, run_command
from bot.errors import report_failure
from bot.escape import plain_command_text
from bot.listeners.answers import (
    CANNOT_POST,
    cannot_post,
    send_chart,
    share,
    with_share_button,
)
from bot.listeners.documents import post_minutes, send_panel_report
from bot.listeners.views import open_item_form
from bot.render.answers import shared_by
from bot.render.common import esc
from bot.render.general import render
from bot.render.items import detail_blocks
from bot.services import Services, log
from commands.anchors import remember_thread
from commands.context import Context
from commands.deliveries import already_handled, mark_handled, trigger_key
from commands.minutes import MinutesToPost
from commands.panel_report import ReportDocuments
from commands.replies import (
    ChartRequest,
    FileExport,
    ItemForm,
    Notice,
    PostAnswer,
    PostItem,
    Reply,
)

REPLAYED = "That request was already carried out; it was not repeated."
# replies whose effect happens after the answer (a post, a DM, an upload): a replay must not
# repeat it (opening a form again is harmless)
_REMEMBERED = (PostItem, PostAnswer, FileExport, ChartRequest, MinutesToPost, ReportDocuments)


@dataclass(frozen=True)
class Asked:
    """One slash command being answered: what the acting replies need."""

    services: Services
    ack: Ack
    client: WebClient
    respond: Respond
    command: dict[str, Any]

    @property
    def user(self) -> str:
        return self.command.get("user_id", "")

    @property
    def channel(self) -> str:
        return self.command.get("channel_id", "")

    def later(self, work: Callable[[], object]) -> None:
        self.services.later(work)


def _post_item(asked: Asked, reply: PostItem) -> None:
    asked.ack(response_type="ephemeral", text=f"Posting {reply.detail.item.id} here…")
    asked.later(
        lambda: post_item(asked.services, asked.client, asked.channel, reply, asked.respond)
    )


def _post_answer(asked: Asked, reply: PostAnswer) -> None:
    asked.ack(response_type="ephemeral", text="Posting it here for everyone…")
    shared = shared_by(render(reply.answer), asked.user)
    asked.later(lambda: share(asked.client, asked.respond, asked.channel, shared))


def _export(asked: Asked, reply: FileExport) -> None:
    asked.ack(response_type="ephemeral", text=f"Preparing {reply.filename}; I'll DM it to you.")
    asked.later(lambda: send_export(asked.client, asked.user, reply))


def _form(asked: Asked, reply: ItemForm) -> None:
    asked.ack()
    trigger = asked.command.get("trigger_id", "")
    asked.later(lambda: open_item_form(asked.client, trigger, reply, asked.channel))


def _chart(asked: Asked, reply: ChartRequest) -> None:
    if not charts_available():
        asked.ack(response_type="ephemeral", text=INSTALL_HINT)
        return
    asked.ack(response_type="ephemeral", text=f"Drawing {reply.title}…")
    asked.later(lambda: send_chart(asked.client, asked.channel, reply))


def _minutes(asked: Asked, reply: MinutesToPost) -> None:
    asked.ack(response_type="ephemeral", text=f"Posting the minutes of {reply.minutes.meeting_id}…")
    asked.later(lambda: post_minutes(asked.client, reply))


def _report(asked: Asked, reply: ReportDocuments) -> None:
    source = reply.report.source.id
    asked.ack(
        response_type="ephemeral", text=f"Preparing the {source} progress report; I'll DM it."
    )
    asked.later(lambda: send_panel_report(asked.client, asked.user, reply))


# how each reply that acts is carried out; any other reply is the answer itself, shown privately
_ACTS_LATER: dict[type, Callable[[Asked, Any], None]] = {
    PostItem: _post_item,
    PostAnswer: _post_answer,
    FileExport: _export,
    ItemForm: _form,
    ChartRequest: _chart,
    MinutesToPost: _minutes,
    ReportDocuments: _report,
}


def register(app: App, services: Services) -> None:
    def on_command(ack: Ack, command: dict[str, Any], client: WebClient, respond: Respond) -> None:
        asked = Asked(services, ack, client, respond, command)
        channel = asked.channel
        ctx = services.context(asked.user, channel, is_dm=channel.startswith("D"))
        reply = answer_once(services, ctx, command)
        act = _ACTS_LATER.get(type(reply))
        if act is not None:
            act(asked, reply)
            return
        line = f"{command.get('command', '')} {command.get('text', '')}".strip()
        ack(response_type="ephemeral", **with_share_button(render(reply), reply, line))

    for name in COMMANDS:
        app.command(name)(on_command)


def answer_once(services: Services, ctx: Context, command: dict[str, Any]) -> Reply:
    """The reply; a replayed command (same trigger_id) that changed something acts only once.

    The trigger id is recorded in the transaction that made the change, so a replay in this
    process or another finds it; commands that only read record nothing.
    """
    key = trigger_key(command.get("trigger_id", ""))
    name = command.get("command", "")
    store = services.store
    try:
        with store.transaction():
            if key and already_handled(store, key):
                return Notice(REPLAYED, ok=False)
            reply = run_command(ctx, name, plain_command_text(command.get("text", "")))
            if key and (store.has_changes() or isinstance(reply, _REMEMBERED)):
                mark_handled(store, key, ctx.now)
            return reply
    except Exception as err:
        return Notice(report_failure(err, f"{name} command"), ok=False)


def post_item(
    services: Services, client: WebClient, channel: str, reply: PostItem, respond: Respond
) -> None:
    """Post the item to the channel and remember the message as the item's thread.

    Where the bot may not post, or may post (chat:write.public) but would not hear the replies
    because it is not a member, the person who asked is told how to fix it.
    """
    item = reply.detail.item
    blocks = detail_blocks(reply.detail)
    blocks.append(
        {
            "type": "context",
            "elements": [
                {
                    "type": "mrkdwn",
                    "text": "Reply in this thread to update it, e.g. "
                    "“in progress: training delivered”.",
                }
            ],
        }
    )
    try:
        response = client.chat_postMessage(
            channel=channel, text=esc(f"{item.id}: {item.text}", 200), blocks=blocks
        )
    except SlackApiError as err:
        code = err.response.get("error", "")
        if code not in CANNOT_POST:
            raise
        respond(response_type="ephemeral", text=cannot_post(code))
        return
    remember_thread(services.store, response["channel"], response["ts"], item.id, "item")
    if not _is_member(client, channel):
        respond(response_type="ephemeral", text=f"Posted {item.id}, but {DEAF_HINT}")


DEAF_HINT = (
    "I am not a member of this channel, so I will not hear replies in its thread. "
    "Invite me: `/invite @govbot`."
)


def _is_member(client: WebClient, channel: str) -> bool:
    """Whether the bot is in the channel (DMs and unknown answers count as yes)."""
    if not channel.startswith(("C", "G")):
        return True
    try:
        info = client.conversations_info(channel=channel)
    except SlackApiError:
        log.warning("could not check whether I am in %s", channel)
        return True
    return bool(info["channel"].get("is_member", True))


def send_export(client: WebClient, user: str, reply: FileExport) -> None:
    dm = client.conversations_open(users=user)["channel"]["id"]
    client.files_upload_v2(
        channel=dm,
        content=reply.content,
        filename=reply.filename,
        title=reply.title,
        initial_comment=reply.summary,
    )
    log.info("export %s sent to %s", reply.filename, user)
