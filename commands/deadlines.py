"""Due dates and RAG: when an item is due, and how worried to be about it."""

from __future__ import annotations

import re
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from storage.models import Item, Source

RESPONSE_DAYS = 56  # Police Act 1996 s.55: the PCC's response to an inspectorate report
AMBER_WINDOW_DAYS = 30

_NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "eighteen": 18,
    "twenty-four": 24,
}
_WITHIN_MONTHS = re.compile(r"within\s+(\S+)\s+months?", re.IGNORECASE)


def months_in(timescale: str) -> int | None:
    """The N of "within N months" (in words or digits), or None."""
    match = _WITHIN_MONTHS.search(timescale)
    if not match:
        return None
    word = match.group(1).lower()
    if word.isascii() and word.isdecimal() and len(word) <= 3:
        return int(word)
    return _NUMBER_WORDS.get(word)


def due_from_timescale(published: date, timescale: str, grace_days: int = 0) -> date | None:
    """The due date a timescale gives, counted from the source's publication date."""
    text = timescale.strip().lower()
    if not text:
        return None
    if "immediately" in text:
        return published + timedelta(days=grace_days)
    months = months_in(text)
    if months is None:
        return None
    return published + relativedelta(months=months)  # clamps to the month's last day


def response_due(source: Source) -> date | None:
    """When the PCC's published response to an inspectorate report is due."""
    if source.kind != "inspection":
        return None
    return source.published + timedelta(days=RESPONSE_DAYS)


def days_overdue(item: Item, today: date) -> int:
    """Whole days past due (0 when not yet due or no due date)."""
    if item.due is None or today <= item.due:
        return 0
    return (today - item.due).days


def rag(item: Item, today: date) -> str:
    """red = open and past due; amber = open and due within 30 days, or blocked; else green."""
    if not item.is_open:
        return "green"
    if item.due is not None and today > item.due:
        return "red"
    if item.status == "blocked":
        return "amber"
    if item.due is not None and (item.due - today).days <= AMBER_WINDOW_DAYS:
        return "amber"
    return "green"
