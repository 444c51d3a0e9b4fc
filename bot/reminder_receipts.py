"""Reminder messages carry their delivery keys in Slack's message metadata, so a sweep that takes
over a dead sweep's claim can see in Slack which of them were posted after all."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.models.metadata import Metadata

log = logging.getLogger("govbot")

EVENT_TYPE = "govbot_reminders"
# Slack keeps a message's metadata small; keys past this length are left out (posted again).
_KEYS_LIMIT = 3000
# A claim times out after ten minutes and sweeps run every minute: the message looked for is
# among the conversation's newest unless the channel is very busy.
_NEWEST = 200


def receipt(keys: Iterable[str]) -> Metadata:
    """The metadata a reminder message is posted with: the keys of the deliveries it carries."""
    kept: list[str] = []
    length = 0
    for key in keys:
        length += len(key) + 1
        if length > _KEYS_LIMIT:
            break
        kept.append(key)
    return Metadata(event_type=EVENT_TYPE, event_payload={"keys": " ".join(kept)})


def already_posted(
    client: WebClient, destination: str, keys: set[str]
) -> dict[str, tuple[str, str]]:
    """Of `keys`, those a reminder message in `destination` already carries: key → (channel, ts).

    Anything Slack will not show counts as not posted: a reminder posted twice is a nuisance,
    one never posted is a missed deadline.
    """
    try:
        channel = _conversation(client, destination)
        response = client.conversations_history(
            channel=channel, limit=_NEWEST, include_all_metadata=True
        )
    except (SlackApiError, SlackClientError, OSError) as err:
        log.warning("cannot check %s for reminders already posted: %s", destination, err)
        return {}
    found: dict[str, tuple[str, str]] = {}
    for message in response.get("messages") or []:
        for key in _keys(message) & keys:
            found.setdefault(key, (channel, message["ts"]))
    return found


def _conversation(client: WebClient, destination: str) -> str:
    """A user id names the bot's DM with them; history is read from its conversation id."""
    if destination[:1] not in ("U", "W"):
        return destination
    return client.conversations_open(users=destination)["channel"]["id"]


def _keys(message: dict[str, Any]) -> set[str]:
    metadata = message.get("metadata") or {}
    if metadata.get("event_type") != EVENT_TYPE:
        return set()
    return set(str((metadata.get("event_payload") or {}).get("keys", "")).split())
