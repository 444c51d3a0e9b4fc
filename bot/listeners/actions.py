"""Buttons on item messages, reminders and the Home tab, and the modal asking for a blocker."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.errors import report_failure
from bot.escape import escape_mrkdwn
from bot.listeners.home import publish_home
from bot.render.gab import DISCUSSED_ACTION
from bot.services import Services, log
from bot.thread_updates import mrkdwn_with_mentions
from commands.errors import CommandError
from commands.gab_actions import mark_discussed
from commands.items import find_item
from commands.permissions import check_may_update
from commands.reminder_settings import snooze_item
from commands.updates import UpdateRequest, UpdateResult, apply_update, link_message

BUTTON_STATUS = {"set_in_progress": "in progress", "set_done": "implemented"}
SNOOZE_DAYS = 3


@dataclass(frozen=True)
class Surface:
    """Where a button was pressed, so the answer goes back there."""

    user: str
    channel: str = ""  # "" on the Home tab
    thread_ts: str = ""  # the thread to answer in ("" for an ephemeral message)
    ephemeral: bool = False

    @classmethod
    def of(cls, body: dict) -> Surface:
        container = body.get("container") or {}
        message = body.get("message") or {}
        channel = (body.get("channel") or {}).get("id", "") or container.get("channel_id", "")
        ts = message.get("thread_ts") or message.get("ts") or container.get("message_ts", "")
        ephemeral = bool(container.get("is_ephemeral"))
        return cls(body["user"]["id"], channel, "" if ephemeral else ts, ephemeral)


def register(app: App, services: Services) -> None:
    @app.action("set_in_progress")
    @app.action("set_done")
    def on_status_button(ack: Ack, body: dict, action: dict, client: WebClient) -> None:
        ack()
        surface = Surface.of(body)
        stamp = body.get("trigger_id") or action.get("action_ts") or ""
        request = UpdateRequest(
            item_id=action["value"],
            status=BUTTON_STATUS[action["action_id"]],
            key=f"action:{stamp}" if stamp else "",
            channel=surface.channel,
        )
        result, problem = _apply(services, surface.user, request)
        services.later(lambda: _tell(services, client, surface, result, problem))

    @app.action("set_blocked")
    def on_blocked_button(ack: Ack, body: dict, action: dict, client: WebClient) -> None:
        ack()
        surface = Surface.of(body)
        item_id = action["value"]
        try:
            with services.store.transaction() as store:
                item = find_item(store, item_id)
            check_may_update(surface.user, item, "blocked", services.config.settings().admins)
        except Exception as err:
            problem = report_failure(err, "blocked button")
            services.later(lambda: _tell(services, client, surface, None, problem))
            return
        meta = {"item_id": item.id, **asdict(surface)}
        client.views_open(trigger_id=body["trigger_id"], view=blocked_modal(meta))

    @app.view("blocked_note")
    def on_blocked_note(ack: Ack, body: dict, view: dict, client: WebClient) -> None:
        note = (view["state"]["values"]["note"]["note"].get("value") or "").strip()
        if not note:
            ack(response_action="errors", errors={"note": "Say what it is blocked on."})
            return
        meta = json.loads(view["private_metadata"])
        surface = Surface(meta["user"], meta["channel"], meta["thread_ts"], meta["ephemeral"])
        request = UpdateRequest(
            item_id=meta["item_id"],
            status="blocked",
            note=note,
            key=f"view:{view['id']}",
            channel=surface.channel,
        )
        result, problem = _apply(services, body["user"]["id"], request)
        if problem:
            ack(response_action="errors", errors={"note": problem})
            return
        ack()
        services.later(lambda: _tell(services, client, surface, result, ""))

    @app.action("snooze_3d")
    def on_snooze(ack: Ack, body: dict, action: dict, client: WebClient) -> None:
        ack()
        surface = Surface.of(body)
        try:
            item, until = snooze_item(services.context(surface.user), action["value"], SNOOZE_DAYS)
        except Exception as err:
            problem = report_failure(err, "snooze button")
            services.later(lambda: _tell(services, client, surface, None, problem))
            return
        text = f"OK: I'll remind you about {item.id} on {until.isoformat()}."
        services.later(lambda: _tell_privately(client, surface, escape_mrkdwn(text)))

    @app.action(DISCUSSED_ACTION)
    def on_discussed_button(ack: Ack, body: dict, action: dict, client: WebClient) -> None:
        ack()
        surface = Surface.of(body)
        try:
            # the agenda line's button carries the item; a busy agenda's menu, the chosen one
            item_id = action.get("selected_option", {}).get("value") or action["value"]
            text = mark_discussed(services.context(surface.user, surface.channel), item_id).text
        except CommandError as err:
            text = err.message
        services.later(lambda: _tell_privately(client, surface, escape_mrkdwn(text)))


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


def _apply(
    services: Services, user: str, request: UpdateRequest
) -> tuple[UpdateResult | None, str]:
    """The recorded update (None for a repeat), or the problem to explain as plain text."""
    try:
        result = apply_update(services.context(user, request.channel), request)
    except Exception as err:
        return None, report_failure(err, f"update of {request.item_id} from a button or modal")
    return (None if result.duplicate else result), ""


def _tell(
    services: Services,
    client: WebClient,
    surface: Surface,
    result: UpdateResult | None,
    problem: str,
) -> None:
    """Answer where the button was: the item's thread, privately, or by refreshing Home."""
    if problem:
        _tell_privately(client, surface, escape_mrkdwn(problem))
    if result is None:
        return
    if not surface.channel:
        publish_home(services, client, surface.user)
        return
    text = mrkdwn_with_mentions(result.describe(), (surface.user,))
    if surface.ephemeral or not surface.thread_ts:
        _tell_privately(client, surface, text)
        return
    # the thread reply is the update's message: link the history to it
    posted = client.chat_postMessage(
        channel=surface.channel, thread_ts=surface.thread_ts, text=text
    )
    if not result.entry.key:
        return
    try:
        permalink = client.chat_getPermalink(channel=surface.channel, message_ts=posted["ts"])
    except Exception:
        log.warning("could not fetch the permalink of %s/%s", surface.channel, posted["ts"])
        return
    link_message(services.store, result.item.id, result.entry.key, permalink["permalink"])


def _tell_privately(client: WebClient, surface: Surface, text: str) -> None:
    if surface.channel:
        client.chat_postEphemeral(channel=surface.channel, user=surface.user, text=text)
    else:  # the Home tab has no channel: a DM from the bot
        client.chat_postMessage(channel=surface.user, text=text)
