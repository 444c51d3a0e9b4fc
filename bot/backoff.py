"""Start-up that waits for Slack: retry a connection with growing pauses until it succeeds."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator

from slack_sdk.errors import SlackApiError

from bot.config import ConfigError
from bot.logs import safe

log = logging.getLogger("govbot")

FIRST_DELAY = 1.0
MAX_DELAY = 60.0  # once a minute at most: Slack's outage pages count in minutes
FATAL_ERRORS = frozenset({"invalid_auth", "not_authed", "account_inactive", "token_revoked"})


def delays(first: float = FIRST_DELAY, cap: float = MAX_DELAY) -> Iterator[float]:
    """1, 2, 4, … seconds, then `cap` for ever."""
    delay = first
    while True:
        yield delay
        delay = min(delay * 2, cap)


def connect_with_backoff(
    connect: Callable[[], None], stop: threading.Event, pauses: Iterator[float] | None = None
) -> bool:
    """Call `connect` until it succeeds (True) or `stop` is set (False).

    A refused token stops start-up at once: retrying cannot fix it.
    """
    pauses = pauses or delays()
    attempt = 1
    while not stop.is_set():
        try:
            connect()
            return True
        except SlackApiError as err:
            code = err.response.get("error", "") if err.response is not None else ""
            if code in FATAL_ERRORS:
                raise ConfigError(f"Slack refused SLACK_APP_TOKEN ({code})") from None
            problem = f"{type(err).__name__}: {code or err}"
        except Exception as err:
            problem = f"{type(err).__name__}: {err}"
        pause = next(pauses)
        log.warning(
            "could not reach Slack (attempt %d: %s); retrying in %.0f s",
            attempt,
            safe(problem),
            pause,
        )
        stop.wait(pause)
        attempt += 1
    return False
