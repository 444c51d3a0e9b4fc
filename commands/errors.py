"""Errors raised by commands, each a message for the person who typed the command."""

from __future__ import annotations


class CommandError(Exception):
    """Base: the message is shown to the user as it is; nothing was changed."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class BadInput(CommandError):
    """The command text could not be understood."""


class UnknownItem(CommandError):
    """No item (or source, district, metric…) by that name."""


class NotAllowed(CommandError):
    """The user may not do this."""
