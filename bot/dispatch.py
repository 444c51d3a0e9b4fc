"""From a slash command's text to a reply: the one path Slack and `govbot ask` share."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from commands.context import Context
from commands.errors import CommandError
from commands.figures import run_figures
from commands.gab import run_gab
from commands.recs import run_recs
from commands.replies import Notice
from storage.errors import StorageError

log = logging.getLogger("govbot")

COMMANDS: dict[str, Callable[[Context, str], Any]] = {
    "/recs": run_recs,
    "/figures": run_figures,
    "/gab": run_gab,
}


def answer(ctx: Context, command: str, text: str) -> Any:
    """The reply to `command text`; errors become a Notice, never an exception."""
    handler = COMMANDS.get(command)
    if handler is None:
        return Notice(f"Unknown command {command}. Try {', '.join(COMMANDS)}.", ok=False)
    try:
        return handler(ctx, text.strip())
    except CommandError as err:
        return Notice(err.message, ok=False)
    except StorageError as err:
        log.error("storage error on %s: %s", command, err)
        return Notice(f"The register could not be read or written: {err}", ok=False)
    except Exception:
        log.exception("unexpected error answering %s %r", command, text)
        return Notice(
            "Sorry, something went wrong answering that. Nothing was changed; "
            "the error is in the bot's log.",
            ok=False,
        )
