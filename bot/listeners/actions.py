"""Buttons on item messages and reminders, and the modal asking for a note where one is needed."""

from __future__ import annotations

import json
from datetime import timedelta

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.escape import escape_mrkdwn
from bot.services import Services
from commands.errors import CommandError
from commands.updates import UpdateRequest, apply_update

BUTTON_STATUS = {"set_in_progress": "in progress", "set_done": "implemented"}
SNOOZE_DAYS = 3


def register(app: App, services: Services) -> None:
    @app.action("set_in_progress")
    @app.action("set_done")
    def on_status_button(ack: Ack, body: dict, action: dict, client: WebClient) -> None:
        ack()
        status = BUTTON_STATUS[action["action_id"]]
        channel = (body.get("channel") or {}).get("id", "")
        request = UpdateRequest(
            item_id=action["value"],
            status=status,
            key=f"action:{body.get('trigger_id', '')}",
            channel=channel,
        )
        _apply_and_tell(services, client, body, request)

    @app.action("set_blocked")
    def on_blocked_button(ack: Ack, body: dict, action: dict, client: WebClient) -> None:
        ack()
        meta = {
            "item_id": action["value"],
            "channel": (body.get("channel") or {}).get("id", ""),
            "thread_ts": (body.get("message") or {}).get("ts", ""),
        }
        client.views_open(trigger_id=body["trigger_id"], view=blocked_modal(meta))

    @app.view("blocked_note")
    def on_blocked_note(ack: Ack, body: dict, view: dict, client: WebClient) -> None:
        note = view["state"]["values"]["note"]["note"]["value"] or ""
        if not note.strip():
            ack(response_action="errors", errors={"note": "Say what it is blocked on."})
            return
        ack()
        meta = json.loads(view["private_metadata"])
        request = UpdateRequest(
            item_id=meta["item_id"],
            status="blocked",
            note=note.strip(),
            key=f"view:{view['id']}",
            channel=meta["channel"],
        )
        _apply_and_tell(services, client, body, request, thread_ts=meta["thread_ts"])

    @app.action("snooze_3d")
    def on_snooze(ack: Ack, body: dict, action: dict, client: WebClient) -> None:
        ack()
        user = body["user"]["id"]
        ctx = services.context(user)
        until = ctx.today + timedelta(days=SNOOZE_DAYS)
        with services.store.transaction() as store:
            store.snoozes.snooze(action["value"], until)
        channel = (body.get("channel") or {}).get("id", "")
        if channel:
            client.chat_postEphemeral(
                channel=channel,
                user=user,
                text=f"OK: I'll remind you about {escape_mrkdwn(action['value'])} on {until.isoformat()}.",
            )


def blocked_modal(meta: dict) -> dict:
    return {
        "type": "modal",
        "callback_id": "blocked_note",
        "private_metadata": json.dumps(meta),
        "title": {"type": "plain_text", "text": f"Blocked: {meta['item_id']}"[:24]},
        "submit": {"type": "plain_text", "text": "Record"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "blocks": [
            {
                "type": "input",
                "block_id": "note",
                "label": {"type": "plain_text", "text": "What is it blocked on?"},
                "element": {"type": "plain_text_input", "action_id": "note", "multiline": True},
            }
        ],
    }


def _apply_and_tell(
    services: Services, client: WebClient, body: dict, request: UpdateRequest, thread_ts: str = ""
) -> None:
    user = body["user"]["id"]
    ctx = services.context(user, request.channel)
    try:
        result = apply_update(ctx, request)
        text = escape_mrkdwn(result.describe()).replace(f"by @{user}", f"by <@{user}>")
    except CommandError as err:
        text = escape_mrkdwn(err.message)
        if request.channel:
            client.chat_postEphemeral(channel=request.channel, user=user, text=text)
        return
    if result.duplicate or not request.channel:
        return
    anchor_ts = thread_ts or (body.get("message") or {}).get("ts", "")
    client.chat_postMessage(channel=request.channel, thread_ts=anchor_ts or None, text=text)
