"""Log lines that cannot be forged: user text in a record is escaped to one line."""

from __future__ import annotations

import logging
import re

_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
MAX_FIELD = 200  # a log line names what was refused; it never carries the request


def safe(text: object, limit: int = MAX_FIELD) -> str:
    """`text` as one printable line: newlines and other controls as \\xNN, cut at `limit`."""
    raw = str(text)
    cut = raw[:limit] + ("…" if len(raw) > limit else "")
    return _UNPRINTABLE.sub(lambda m: f"\\x{ord(m[0]):02x}", cut)


class OneLineFormatter(logging.Formatter):
    """Every record is one line; a traceback, when there is one, is folded into it."""

    def format(self, record: logging.LogRecord) -> str:
        return _UNPRINTABLE.sub(lambda m: f"\\x{ord(m[0]):02x}", super().format(record))


def configure_logging(level: int = logging.INFO) -> None:
    """Root logging for the CLI and the runner: one line per record on stderr."""
    handler = logging.StreamHandler()
    handler.setFormatter(OneLineFormatter("%(asctime)s %(levelname)s %(message)s"))
    logging.basicConfig(level=level, handlers=[handler])
