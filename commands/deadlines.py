"""Due dates and RAG: when an item is due, and how worried to be about it."""

from __future__ import annotations

from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from commands.timescales import timescale_deadline, timescale_length
from storage.models import Item, Source

RESPONSE_DAYS = 56  # Police Act 1996 s.55: the PCC's response to an inspectorate report
AMBER_WINDOW_DAYS = 30


def due_from_timescale(published: date, timescale: str, grace_days: int = 0) -> date | None:
    """The due date a timescale gives, counted from the source's publication date.

    "immediately" is the publication date plus the grace days; "within N days/weeks/months/
    years" is counted in calendar units (a month from 31 January is 28 or 29 February); a
    written date ("by 30 September 2023") is itself the due date; "urgently", "as soon as
    possible" and no timescale set no due date.
    """
    text = timescale.strip().lower()
    if text == "immediately":
        return published + timedelta(days=grace_days)
    if (deadline := timescale_deadline(timescale)) is not None:
        return deadline
    length = timescale_length(text)
    if length is None:
        return None
    count, unit = length
    return published + relativedelta(**{f"{unit}s": count})  # clamps to the month's last day


def no_deadline_note(timescale: str) -> str:
    """ "no deadline set: 'urgently'" for a timescale that names no date, else ""."""
    if timescale in ("urgently", "as soon as possible"):
        return f"no deadline set: '{timescale}'"
    return ""


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
