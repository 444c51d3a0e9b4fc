"""Requests signed and shaped the way Slack sends them to an app in HTTP mode."""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import time
import urllib.request
from typing import Any
from urllib.error import HTTPError
from urllib.parse import urlencode

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"
VERIFICATION_TOKEN = "fake-verification-token"
TEAM_DOMAIN = "govbot-test"
BOT_USER_ID = "UBOT"

_event_serial = itertools.count(1)
_trigger_serial = itertools.count(1)


def sign(secret: str, body: str, timestamp: int | None = None) -> dict[str, str]:
    """Slack's signature headers for `body`, timestamped now unless told otherwise."""
    ts = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(secret.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
    return {
        "X-Slack-Request-Timestamp": str(ts),
        "X-Slack-Signature": f"v0={digest}",
        "Content-Type": JSON if body.startswith("{") else FORM,
    }


def slash_command_body(
    command: str,
    text: str,
    user_id: str = "U0LEAD",
    channel_id: str = "C0GOV",
    team_id: str = "T0001",
    response_url: str = "",
    trigger_id: str | None = None,
) -> str:
    """The form body of a slash command, fields in the order Slack sends them.

    Each gets a new trigger id, as from Slack, unless one is given (to replay a command).
    """
    return urlencode(
        {
            "token": VERIFICATION_TOKEN,
            "team_id": team_id,
            "team_domain": TEAM_DOMAIN,
            "channel_id": channel_id,
            "channel_name": "governance",
            "user_id": user_id,
            "user_name": f"user-{user_id.lower()}",
            "command": command,
            "text": text,
            "api_app_id": "A0GOVBOT",
            "is_enterprise_install": "false",
            "response_url": response_url,
            "trigger_id": trigger_id or f"trig.{next(_trigger_serial)}",
        }
    )


def event_body(
    event: dict[str, Any],
    team_id: str = "T0001",
    event_id: str | None = None,
    api_app_id: str = "A0GOVBOT",
) -> str:
    """The JSON `event_callback` envelope around `event`; event ids are unique unless given."""
    event_time = int(float(event.get("event_ts") or event.get("ts") or time.time()))
    return json.dumps(
        {
            "token": VERIFICATION_TOKEN,
            "team_id": team_id,
            "context_team_id": team_id,
            "context_enterprise_id": None,
            "api_app_id": api_app_id,
            "event": event,
            "type": "event_callback",
            "event_id": event_id or f"Ev{next(_event_serial):010d}",
            "event_time": event_time,
            "authorizations": [
                {
                    "enterprise_id": None,
                    "team_id": team_id,
                    "user_id": BOT_USER_ID,
                    "is_bot": True,
                    "is_enterprise_install": False,
                }
            ],
            "is_ext_shared_channel": False,
            "event_context": f"4-fake-{team_id}",
        }
    )


def action_body(payload: dict[str, Any]) -> str:
    """The form body of an interaction (block_actions, view_submission): `payload=<json>`."""
    return urlencode({"payload": json.dumps(payload)})


def post_signed(
    url: str,
    body: str,
    secret: str,
    *,
    content_type: str,
    timestamp: int | None = None,
    extra_headers: dict[str, str] | None = None,
    signature: str | None = None,
) -> tuple[int, bytes, dict[str, str]]:
    """POST a signed body; returns status, body and lower-cased response headers."""
    headers = sign(secret, body, timestamp)
    headers["Content-Type"] = content_type
    if signature is not None:
        headers["X-Slack-Signature"] = signature
    headers.update(extra_headers or {})
    request = urllib.request.Request(url, data=body.encode(), headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read(), _lower(response.headers.items())
    except HTTPError as error:
        with error:
            return error.code, error.read(), _lower(error.headers.items())


def _lower(items: Any) -> dict[str, str]:
    return {name.lower(): value for name, value in items}


def view_state(view: dict[str, Any], answers: dict[str, Any]) -> dict[str, Any]:
    """The `state.values` Slack sends for a modal: each input block's answer, shaped by type.

    Blocks not answered keep their initial value, as in Slack, where a submission carries
    what the form shows.
    """
    values: dict[str, Any] = {}
    for block in view.get("blocks", []):
        if block.get("type") != "input":
            continue
        element = block["element"]
        kind = element["type"]
        answer = answers.get(block["block_id"], _initial(element))
        state: dict[str, Any] = {"type": kind}
        if kind == "static_select":
            state["selected_option"] = _option(element, answer) if answer else None
        elif kind == "multi_static_select":
            state["selected_options"] = [_option(element, a) for a in answer or []]
        elif kind == "datepicker":
            state["selected_date"] = answer or None
        elif kind == "users_select":
            state["selected_user"] = answer or None
        else:
            state["value"] = answer or None
        values[block["block_id"]] = {element["action_id"]: state}
    return values


def _initial(element: dict[str, Any]) -> Any:
    if "initial_option" in element:
        return element["initial_option"]["value"]
    if "initial_options" in element:
        return [o["value"] for o in element["initial_options"]]
    return (
        element.get("initial_value") or element.get("initial_date") or element.get("initial_user")
    )


def _option(element: dict[str, Any], value: str) -> dict[str, Any]:
    """The option as Slack echoes it; a value the menu does not offer is sent as typed."""
    for option in element.get("options", []):
        if option["value"] == value:
            return option
    return {"text": {"type": "plain_text", "text": value}, "value": value}


def view_submission_body(
    view: dict[str, Any], user_id: str, answers: dict[str, Any], team_id: str = "T0001"
) -> str:
    """The form body of a `view_submission` for the modal `view` (as views.open returned it)."""
    return action_body(view_submission(view, user_id, answers, team_id))


def view_submission(
    view: dict[str, Any], user_id: str, answers: dict[str, Any], team_id: str = "T0001"
) -> dict[str, Any]:
    """The `view_submission` payload for the modal `view`, its inputs answered by block id."""
    return {
        "type": "view_submission",
        "team": {"id": team_id, "domain": TEAM_DOMAIN},
        "user": {"id": user_id, "username": f"user-{user_id.lower()}", "team_id": team_id},
        "api_app_id": "A0GOVBOT",
        "token": VERIFICATION_TOKEN,
        "trigger_id": f"{next(_event_serial)}.1.trigger",
        "view": {**view, "state": {"values": view_state(view, answers)}},
        "response_urls": [],
        "is_enterprise_install": False,
    }
