"""The one error boundary: any failure → a message for the person and one log line.

Every surface (slash commands, thread replies, buttons, modals, background work, the CLI and
Bolt's global `@app.error`) calls `report_failure`, so an error reads and logs the same
wherever it happens. Log lines carry no request bodies or tokens; user text in them is
escaped to one line.
"""

from __future__ import annotations

import logging
import traceback
from dataclasses import dataclass

from bot.logs import safe
from commands.errors import CommandError
from storage.errors import StorageError

log = logging.getLogger("govbot")

UNEXPECTED = (
    "Sorry, something went wrong with that. Nothing was changed; the error is in the bot's log."
)


@dataclass(frozen=True)
class Failure:
    """What to tell the person, and the one line to log at `level`."""

    message: str
    log_line: str
    level: int


def describe_failure(err: BaseException, where: str) -> Failure:
    """Map a CommandError, a StorageError or anything else to a message and a log line."""
    where = safe(where, 80)
    if isinstance(err, CommandError):
        return Failure(err.message, f"{where}: refused: {safe(err.message)}", logging.INFO)
    if isinstance(err, StorageError):
        message = f"The register could not be read or written, so nothing was recorded: {err}"
        return Failure(message, f"{where}: storage error: {safe(err)}", logging.ERROR)
    return Failure(
        UNEXPECTED,
        f"{where}: unexpected {type(err).__name__}: {safe(err)} at {_origin(err)}",
        logging.ERROR,
    )


def report_failure(err: BaseException, where: str) -> str:
    """Log the failure as one line and return the message for the person."""
    failure = describe_failure(err, where)
    log.log(failure.level, failure.log_line)
    return failure.message


def _origin(err: BaseException) -> str:
    """Where the error was raised: the innermost frame, as file:line in function."""
    frames = traceback.extract_tb(err.__traceback__)
    if not frames:
        return "?"
    frame = frames[-1]
    return f"{frame.filename.rsplit('/', 1)[-1]}:{frame.lineno} in {frame.name}"
