"""Names and roles of Slack users, for documents read outside Slack."""

from __future__ import annotations

from collections.abc import Iterable

from slack_sdk import WebClient

from bot.services import log


def names_and_roles(client: WebClient, users: Iterable[str]) -> dict[str, str]:
    """“Jane Smith, Head of Public Protection” by user id; the id itself when Slack can't say."""
    found: dict[str, str] = {}
    for user in dict.fromkeys(users):
        try:
            profile = client.users_info(user=user)["user"]
        except Exception:  # a document with an id in it beats no document
            log.warning("could not look up user %s", user)
            found[user] = user
            continue
        name = profile.get("real_name") or profile.get("name") or user
        role = (profile.get("profile") or {}).get("title", "")
        found[user] = f"{name}, {role}" if role else name
    return found
