"""Which Slack workspace a request comes from, wherever its kind of payload keeps it."""

from __future__ import annotations

from typing import Any


def _get(body: Any, *path: str) -> str:
    for step in path:
        if not isinstance(body, dict):
            return ""
        body = body.get(step)
    return body if isinstance(body, str) else ""


def workspace_of(body: dict[str, Any]) -> str:
    """The workspace id a request names, or "" when it cannot be told.

    Slash commands carry `team_id`, events `team_id` and `authorizations`, interactions `team`
    (null for an org-wide install on Enterprise Grid), `view.team_id` or `user.team_id`. An
    enterprise id alone does not name a workspace.
    """
    for path in (("team_id",), ("team", "id"), ("view", "team_id"), ("context_team_id",)):
        if team := _get(body, *path):
            return team
    for authorization in body.get("authorizations") or ():
        if team := _get(authorization, "team_id"):
            return team
    return _get(body, "user", "team_id")
