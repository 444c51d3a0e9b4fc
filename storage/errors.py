"""Errors the storage layer raises; each carries a message fit to show a person."""


class StorageError(RuntimeError):
    """The database could not be read or written."""


class UnreadableDatabase(StorageError):
    """A database file exists but cannot be parsed: refuse to start rather than overwrite it."""


class DatabaseInUse(StorageError):
    """Another `govbot run` already serves this database."""


class WriteFailed(StorageError):
    """A write could not be completed; the previous file is intact."""
