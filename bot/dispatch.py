"""From a slash command's text to a reply: the one path Slack and `govbot ask` share."""

from __future__ import annotations

from collections.abc import Callable

from bot.errors import report_failure
from bot.escape import plain_command_text
from commands.context import Context
from commands.figures import run_figures
from commands.gab import run_gab
from commands.hygiene import clean_text
from commands.recs import run_recs
from commands.replies import Notice, Reply

COMMANDS: dict[str, Callable[[Context, str], Reply]] = {
    "/recs": run_recs,
    "/figures": run_figures,
    "/gab": run_gab,
}


def run_command(ctx: Context, command: str, text: str) -> Reply:
    """The reply to `command text`; errors are raised (see `answer`)."""
    handler = COMMANDS.get(command)
    if handler is None:
        return Notice(f"Unknown command {command}. Try {', '.join(COMMANDS)}.", ok=False)
    return handler(ctx, clean_text(text).strip())


def answer(ctx: Context, command: str, text: str) -> Reply:
    """The reply to `command text` as Slack sends it; errors become a Notice, never an exception."""
    try:
        return run_command(ctx, command, plain_command_text(text))
    except Exception as err:
        return Notice(report_failure(err, f"{command} command"), ok=False)
