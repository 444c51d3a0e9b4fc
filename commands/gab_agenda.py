"""A GAB meeting's agenda: standing items, items due before it, overdue items, status changes.

`/gab next` and the pre-meeting digest both show it; meeting times are naive local wall-clock
values, as in commands.calendar.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta, tzinfo
from functools import partial
from zoneinfo import ZoneInfo

from commands.calendar import MeetingSchedule, local_moment, parse_schedule, previous_meeting
from commands.context import Settings, setting_name
from commands.deadlines import days_overdue, rag
from commands.errors import BadInput
from commands.replies import GabNext, ItemRow, ItemRows
from storage.models import HistoryEntry, Item, MeetingRecord, StandingItem
from storage.store import Store

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class GabData:
    """The schedule (rule, one-offs, cancellations), standing items and meetings held."""

    schedule: MeetingSchedule
    standing: tuple[StandingItem, ...] = ()
    held: tuple[MeetingRecord, ...] = ()

    def last_meeting(self, before: datetime) -> datetime | None:
        """The latest meeting before `before`: scheduled, or recorded as held."""
        candidates = [m for m in (previous_meeting(self.schedule, before),) if m is not None]
        at = self.schedule.at
        candidates += [
            datetime.combine(r.held_on, at) for r in self.held if r.held_on < before.date()
        ]
        return max(candidates, default=None)


def meeting_schedule(settings: Settings) -> MeetingSchedule:
    """The configured recurrence, or BadInput naming the setting."""
    try:
        return parse_schedule(settings.gab_schedule)
    except ValueError as err:
        raise BadInput(f"{setting_name(settings.setting_names, 'gab_schedule')}: {err}") from None


def load_gab(store: Store, settings: Settings) -> GabData:
    """The GAB data in the store, with the configured recurrence."""
    rule = meeting_schedule(settings)
    with store.transaction():
        cancelled = tuple(store.gab.cancellations())
        # A cancellation cancels whatever meets that day, one-off meetings included.
        extra = tuple(m for m in store.gab.extra_meetings() if m.date() not in cancelled)
        standing = tuple(store.gab.standing_items())
        held = tuple(store.gab.meetings_held())
    return GabData(replace(rule, extra=extra, cancelled=cancelled), standing, held)


def last_meeting_moment(data: GabData, before: datetime, tz: ZoneInfo) -> datetime:
    """The instant of the last meeting before `before` (naive local); the epoch if none."""
    last = data.last_meeting(before)
    return local_moment(last.date(), last.time(), tz) if last else _EPOCH


def status_changes(store: Store, since: datetime) -> list[HistoryEntry]:
    """Every status change at or after the aware instant `since` (call inside a transaction)."""
    # The history index compares ISO strings: a day's margin covers any UTC offset.
    found = store.history.since(since - timedelta(days=1), change="status")
    return [e for e in found if _aware(e.at, since.tzinfo) >= since]


def in_force(item: StandingItem, day: date) -> bool:
    """On the agenda of a meeting on `day`: started, and not ended before it."""
    started = item.since is None or item.since <= day
    return started and (item.until is None or day <= item.until)


def agenda_for(
    data: GabData,
    meeting: datetime,
    items: Iterable[Item],
    changes: Iterable[HistoryEntry],
    today: date,
    tz: ZoneInfo,
) -> GabNext:
    """The agenda of `meeting` as it stands on `today`."""
    day = meeting.date()
    last = data.last_meeting(meeting)
    since = last_meeting_moment(data, meeting, tz)
    until = local_moment(day, meeting.time(), tz)
    open_items = [i for i in items if i.is_open and i.due is not None]
    due = [i for i in open_items if today <= i.due <= day]  # type: ignore[operator]
    overdue = [i for i in open_items if i.due < today]  # type: ignore[operator]
    recent = [e for e in changes if e.change == "status" and since <= _aware(e.at, tz) < until]
    return GabNext(
        meeting=meeting,
        last_meeting=last,
        standing=tuple(s for s in data.standing if in_force(s, day)),
        due=ItemRows(sorted(due, key=_by_due), partial(item_row_at, today=today)),
        overdue=ItemRows(sorted(overdue, key=_by_due), partial(item_row_at, today=today)),
        changes=tuple(sorted(recent, key=lambda e: (_aware(e.at, tz), e.item_id))),
        today=today,
    )


def _by_due(item: Item) -> tuple[date, str, int]:
    return (item.due or date.max, item.source, item.number)


def item_row_at(item: Item, today: date) -> ItemRow:
    """The item as a list row on `today`: RAG, days overdue, days left."""
    days_left = (item.due - today).days if item.due else None
    return ItemRow(item, rag(item, today), days_overdue(item, today), days_left)


def _aware(moment: datetime, tz: tzinfo | None) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=tz)
