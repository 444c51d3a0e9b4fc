"""Reports uploaded to the bot's DM: `/recs import`, the upload, and the preview's buttons and form.

Registered before the other listeners: Bolt runs only the first listener that matches, and the
thread listener would otherwise take every message and the slash-command one every /recs.
"""

from __future__ import annotations

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.figures_upload import import_pending_figures
from bot.render.figures_import import FIGURES_CANCEL, FIGURES_IMPORT
from bot.render.report_import import CANCEL, CHANGE, DETAILS_VIEW, IMPORT
from bot.report_upload import (
    UPLOAD_HINT,
    PreviewMessage,
    cancel_pending,
    check_may_import,
    details_from_form,
    import_pending,
    open_details_form,
    preview_upload,
    repreview,
)
from bot.services import Services
from bot.slack_files import is_dm_upload, shared_file_ids
from bot.thread_updates import is_from_a_bot
from commands.deliveries import handle_once, upload_key
from commands.errors import CommandError

REFUSAL = "Sorry, only a governance admin can import reports. Nothing was imported."


def asks_to_import(command: dict) -> bool:
    return command.get("text", "").split()[:1] == ["import"]


def register(app: App, services: Services) -> None:
    def on_import_command(ack: Ack, command: dict, client: WebClient) -> None:
        user, channel = command.get("user_id", ""), command.get("channel_id", "")
        try:
            check_may_import(services, user)
        except CommandError as err:
            ack(response_type="ephemeral", text=err.message)
            return
        ack(response_type="ephemeral", text=UPLOAD_HINT)
        if not channel.startswith("D"):  # "here" is the DM: say it there too
            services.later(lambda: client.chat_postMessage(channel=user, text=UPLOAD_HINT))

    def on_upload(event: dict, client: WebClient) -> None:
        if is_from_a_bot(event, services.bot_user_id):
            return
        channel, user = event["channel"], event.get("user", "")
        try:
            check_may_import(services, user)
        except CommandError:
            services.later(lambda: client.chat_postMessage(channel=channel, text=REFUSAL))
            return
        key = upload_key(channel, event.get("ts", ""))
        if not handle_once(services.store, key, services.clock()):
            return  # Slack's retry of an upload already previewed
        text = event.get("text") or ""
        for file_id in shared_file_ids(event):
            services.later(
                lambda file_id=file_id: preview_upload(services, client, channel, file_id, text)
            )

    def on_button(ack: Ack, body: dict, action: dict, client: WebClient) -> None:
        ack()
        user = body["user"]["id"]
        container = body.get("container") or {}
        message = PreviewMessage(container.get("channel_id", ""), container.get("message_ts", ""))
        try:
            check_may_import(services, user)
        except CommandError:
            services.later(lambda: client.chat_postMessage(channel=user, text=REFUSAL))
            return
        value = action["value"]
        if action["action_id"] == IMPORT:
            services.later(lambda: import_pending(services, client, message, user, value))
        elif action["action_id"] == FIGURES_IMPORT:
            services.later(lambda: import_pending_figures(services, client, message, user, value))
        elif action["action_id"] in (CANCEL, FIGURES_CANCEL):
            services.later(lambda: cancel_pending(services, client, message))
        else:  # a trigger id expires in 3 seconds: open the form now
            open_details_form(client, body["trigger_id"], message, value)

    def on_details(ack: Ack, body: dict, view: dict, client: WebClient) -> None:
        try:
            check_may_import(services, body["user"]["id"])
        except CommandError as err:
            ack(response_action="errors", errors={"source": err.message})
            return
        errors, details = details_from_form(view["state"]["values"])
        if details is None:
            ack(response_action="errors", errors=errors)
            return
        ack()
        metadata = view["private_metadata"]
        services.later(lambda: repreview(services, client, metadata, details))

    app.command("/recs", matchers=[asks_to_import])(on_import_command)
    app.event("message", matchers=[is_dm_upload])(on_upload)
    for action_id in (IMPORT, CHANGE, CANCEL, FIGURES_IMPORT, FIGURES_CANCEL):
        app.action(action_id)(on_button)
    app.view(DETAILS_VIEW)(on_details)
