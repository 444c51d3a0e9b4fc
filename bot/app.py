"""The Bolt app: built once from configuration, listeners registered by Slack surface."""

from __future__ import annotations

import json

from slack_bolt import App, BoltResponse
from slack_bolt.error import BoltUnhandledRequestError
from slack_sdk.errors import SlackApiError

from bot.config import ConfigError
from bot.errors import report_failure
from bot.listeners import files, register_listeners
from bot.logs import safe
from bot.services import Services, log
from bot.slack_client import make_client
from bot.workspace import workspace_of


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
        # unhandled requests reach `on_error` (one log line) instead of Bolt's warning, which
        # quotes the whole request body
        raise_error_for_unhandled_request=True,
        # before authorization, so that a request from another workspace costs no auth.test call
        before_authorize=_only_team(config.team_id) if config.team_id else None,
        logger=log,
    )
    services.bot_user_id = _bot_user_id(client)
    files.register(app, services)  # first: Bolt runs only the first listener that matches
    register_listeners(app, services)
    app.error(on_error)
    return app


def on_error(error: Exception, body: dict) -> BoltResponse:
    """Bolt's global error handler: the error boundary's one log line, then an answer.

    An unhandled request (an event nobody listens to) is acknowledged so Slack does not
    retry it; a slash command gets the boundary's message; anything else a bare 500.
    """
    if isinstance(error, BoltUnhandledRequestError):
        return BoltResponse(status=200, body="")
    message = report_failure(error, "Bolt listener")
    if isinstance(body, dict) and body.get("command"):
        return BoltResponse(
            status=200,
            body=json.dumps({"response_type": "ephemeral", "text": message}),
            headers={"content-type": "application/json"},
        )
    return BoltResponse(status=500, body="")


# Slack's answers to auth.test that no retry will change: the token itself is wrong
BAD_TOKEN = frozenset({"invalid_auth", "not_authed", "account_inactive", "token_revoked"})


def _bot_user_id(client) -> str:  # noqa: ANN001 - slack_sdk.WebClient
    """The bot's user id; a token Slack refuses stops start-up, naming the setting."""
    try:
        return client.auth_test().get("user_id", "") or ""
    except SlackApiError as err:
        code = err.response.get("error", "")
        if code in BAD_TOKEN:
            raise ConfigError(
                f"SLACK_BOT_TOKEN was refused by Slack ({code}): copy the Bot User OAuth Token "
                "(xoxb-…) from the app's OAuth & Permissions page."
            ) from None
        log.warning("auth.test failed (%s); could not learn the bot's user id", code)
        return ""
    except Exception:  # the bot still serves commands; thread replies fall back to bot_id checks
        log.warning("auth.test failed; could not learn the bot's user id")
        return ""


def _only_team(team_id: str):  # noqa: ANN202 - a Bolt middleware
    def refuse_other_workspaces(body: dict, next, logger) -> BoltResponse | None:  # noqa: A002
        if body.get("type") == "url_verification":
            return next()  # Slack's signed check of the request URL names no workspace
        team = workspace_of(body)
        if team != team_id:
            logger.warning("refused a request from workspace %s", safe(team or "(none named)", 40))
            return BoltResponse(status=401, body="this app serves another workspace")
        return next()

    return refuse_other_workspaces
