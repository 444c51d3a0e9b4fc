"""Modals: the form that adds or edits an item (/recs add, /recs edit ID)."""

from __future__ import annotations

import json
from datetime import date
from functools import partial
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.escape import escape_mrkdwn
from bot.render.item_form import CALLBACK_ID, item_form_view
from bot.services import Services, log
from commands.context import Context
from commands.deliveries import already_handled, mark_handled, view_key
from commands.errors import CommandError
from commands.item_edits import BadField, EditResult, ItemFields, NewSource, add_item, edit_item
from commands.replies import ItemForm

FALLBACK_BLOCK = "text"  # where an error that names no field of the form is shown


def register(app: App, services: Services) -> None:
    app.view(CALLBACK_ID)(partial(on_item_form_submitted, services))


def open_item_form(client: WebClient, trigger_id: str, form: ItemForm, channel: str) -> None:
    """Open the add or edit modal for the person who typed the command."""
    client.views_open(trigger_id=trigger_id, view=item_form_view(form, channel))


def on_item_form_submitted(
    services: Services, ack: Ack, body: dict, view: dict, client: WebClient
) -> None:
    """Save the form through the rules; a refusal goes back into the form beside its field."""
    user = body["user"]["id"]
    meta = json.loads(view.get("private_metadata") or "{}")
    values = (view.get("state") or {}).get("values") or {}
    ctx = services.context(user, meta.get("channel", ""))
    # A modal is submitted once; a second delivery of the same view is Slack's retry.
    key = view_key(view.get("id", ""), view.get("hash", ""))
    try:
        with ctx.store.transaction() as store:
            if already_handled(store, key):
                ack()
                return
            result = _save(ctx, meta, values)
            mark_handled(store, key, ctx.now)
    except CommandError as err:
        ack(response_action="errors", errors={_block_for(err, values): err.message})
        return
    ack()
    log.info("%s by %s", result.describe(), user)
    services.later(lambda: _confirm(client, user, meta.get("channel", ""), result))


def _block_for(err: CommandError, values: dict[str, Any]) -> str:
    """The input block to show an error beside: its field's, else the text's, else the first."""
    for block in (getattr(err, "field", ""), FALLBACK_BLOCK):
        if block in values:
            return block
    return next(iter(values), FALLBACK_BLOCK)


def _save(ctx: Context, meta: dict[str, Any], values: dict[str, Any]) -> EditResult:
    lead = _value(values, "lead")
    shown_leads = meta.get("leads") or []
    given = ItemFields(
        kind=_value(values, "kind") or "recommendation",
        text=(_value(values, "text") or "") if "text" in values else None,
        timescale=_value(values, "timescale") or "",
        due=_date(_value(values, "due")),
        area=_value(values, "area") or "",
        # a users_select shows one lead: keeping it keeps any others the item has
        leads=None if shown_leads[:1] == ([lead] if lead else []) else ((lead,) if lead else ()),
        districts=tuple(_value(values, "districts") or ()),
        addressee=_value(values, "addressee") or "",
    )
    if meta.get("item_id"):
        return edit_item(ctx, meta["item_id"], given, reason=_value(values, "reason") or "")
    return add_item(ctx, _source(values), given)


def _source(values: dict[str, Any]) -> str | NewSource:
    chosen = _value(values, "source")
    new_id = (_value(values, "source_id") or "").strip()
    if chosen and new_id:
        raise BadField("source_id", "Choose an existing source or name a new one, not both.")
    if chosen:
        return chosen
    if not new_id:
        block = "source" if "source" in values else "source_id"
        raise BadField(block, "Choose the source, or name a new one.")
    return NewSource(
        new_id,
        _value(values, "source_title") or "",
        _date(_value(values, "source_published")),
        kind=_value(values, "source_kind") or "inspection",
    )


def _value(values: dict[str, Any], block_id: str) -> Any:
    """What the person entered in a block (its action id is the block id)."""
    state = (values.get(block_id) or {}).get(block_id) or {}
    kind = state.get("type")
    if kind in ("static_select", "external_select"):
        return (state.get("selected_option") or {}).get("value")
    if kind == "multi_static_select":
        return [o["value"] for o in state.get("selected_options") or []]
    if kind == "datepicker":
        return state.get("selected_date")
    if kind == "users_select":
        return state.get("selected_user")
    return state.get("value")


def _date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _confirm(client: WebClient, user: str, channel: str, result: EditResult) -> None:
    text = escape_mrkdwn(result.describe())
    if channel:
        client.chat_postEphemeral(channel=channel, user=user, text=text)
    else:
        client.chat_postMessage(channel=user, text=text)
