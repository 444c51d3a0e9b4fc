"""The Bolt app: built once from configuration, listeners registered by Slack surface."""

from __future__ import annotations

from slack_bolt import App, BoltResponse

from bot.listeners import files, register_listeners
from bot.services import Services, log
from bot.slack_client import make_client


def build_app(services: Services) -> App:
    """A Bolt app that answers in the request (process_before_response) and defers Slack I/O."""
    config = services.config
    client = make_client(config)
    app = App(
        client=client,
        signing_secret=config.signing_secret or None,
        process_before_response=True,
        token_verification_enabled=False,
        ignoring_self_events_enabled=True,
        # before authorization, so that a request from another workspace costs no auth.test call
        before_authorize=_only_team(config.team_id) if config.team_id else None,
        logger=log,
    )
    services.bot_user_id = _bot_user_id(client)
    files.register(app, services)  # first: Bolt runs only the first listener that matches
    register_listeners(app, services)
    return app


def _bot_user_id(client) -> str:  # noqa: ANN001 - slack_sdk.WebClient
    try:
        return client.auth_test().get("user_id", "") or ""
    except Exception:  # the bot still serves commands; thread replies fall back to bot_id checks
        log.warning("auth.test failed; could not learn the bot's user id")
        return ""


def _only_team(team_id: str):  # noqa: ANN202 - a Bolt middleware
    def refuse_other_workspaces(body: dict, next, logger) -> BoltResponse | None:  # noqa: A002
        team = body.get("team_id") or (body.get("team") or {}).get("id") or ""
        if team and team != team_id:
            logger.warning("refused a request from workspace %s", team)
            return BoltResponse(status=401, body="this app serves another workspace")
        return next()

    return refuse_other_workspaces
