"""Slash commands: ack with the answer at once; posting and uploads happen afterwards."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.charts import INSTALL_HINT, charts_available, render_png
from bot.dispatch import COMMANDS, answer
from bot.listeners.documents import post_minutes, send_panel_report
from bot.listeners.views import open_item_form
from bot.render.common import esc
from bot.render.general import render
from bot.render.items import detail_blocks
from bot.services import Services, log
from commands.figures import ChartRequest
from commands.minutes import MinutesToPost
from commands.panel_report import ReportDocuments
from commands.replies import FileExport, ItemForm, PostItem
from storage.threads import Anchor


def register(app: App, services: Services) -> None:
    def on_command(ack: Ack, command: dict[str, Any], client: WebClient) -> None:
        user = command.get("user_id", "")
        channel = command.get("channel_id", "")
        ctx = services.context(user, channel, is_dm=channel.startswith("D"))
        reply = answer(ctx, command["command"], command.get("text", ""))
        if isinstance(reply, PostItem):
            ack(response_type="ephemeral", text=f"Posting {reply.detail.item.id} here…")
            services.later(lambda: post_item(services, client, channel, reply))
            return
        if isinstance(reply, FileExport):
            ack(response_type="ephemeral", text=f"Preparing {reply.filename}; I'll DM it to you.")
            services.later(lambda: send_export(client, user, reply))
            return
        if isinstance(reply, ItemForm):
            ack()
            trigger = command.get("trigger_id", "")
            services.later(lambda: open_item_form(client, trigger, reply, channel))
            return
        if isinstance(reply, ChartRequest):
            if not charts_available():
                ack(response_type="ephemeral", text=INSTALL_HINT)
                return
            ack(response_type="ephemeral", text=f"Drawing {reply.title}…")
            services.later(lambda: send_chart(client, channel, reply))
            return
        if isinstance(reply, MinutesToPost):
            ack(
                response_type="ephemeral",
                text=f"Posting the minutes of {reply.minutes.meeting_id}…",
            )
            services.later(lambda: post_minutes(client, reply))
            return
        if isinstance(reply, ReportDocuments):
            source = reply.report.source.id
            ack(
                response_type="ephemeral",
                text=f"Preparing the {source} progress report; I'll DM it.",
            )
            services.later(lambda: send_panel_report(client, user, reply))
            return
        ack(response_type="ephemeral", **render(reply))

    for name in COMMANDS:
        app.command(name)(on_command)


def post_item(services: Services, client: WebClient, channel: str, reply: PostItem) -> None:
    """Post the item to the channel and remember the message as the item's thread."""
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
    response = client.chat_postMessage(
        channel=channel, text=esc(f"{item.id}: {item.text}", 200), blocks=blocks
    )
    with services.store.transaction() as store:
        store.threads.remember(Anchor(response["channel"], response["ts"], item.id, "item"))


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


def send_chart(client: WebClient, channel: str, chart: ChartRequest) -> None:
    client.files_upload_v2(
        channel=channel, content=render_png(chart), filename=chart.filename, title=chart.title
    )
