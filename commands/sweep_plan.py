"""What one reminder sweep should send: a pure function of the register, the settings and a moment.

Each reminder becomes one delivery per destination (a lead's or an admin's DM, the governance
channel, the GAB channel), keyed `reminder key:destination` for the sent-ledger.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from types import MappingProxyType
from zoneinfo import ZoneInfo

from commands.calendar import local_moment
from commands.gab_agenda import GabData, GabNext, agenda_for, item_row_at
from commands.reminders import Reminder, ReminderSettings, due_reminders
from commands.replies import ItemRow
from storage.models import HistoryEntry, Item, Source

ITEM_KINDS = frozenset({"due", "overdue", "escalation", "stale"})
DIGEST_KINDS = frozenset({"gab_digest", "gab_eve", "weekly_digest"})
DUE_SOON_DAYS = 14
_SETTING = {"channel": "GOVBOT_CHANNEL", "gab_channel": "GOVBOT_GAB_CHANNEL"}


@dataclass(frozen=True)
class SweepData:
    """What a sweep reads from the store."""

    items: tuple[Item, ...] = ()
    sources: tuple[Source, ...] = ()
    snoozed: Mapping[str, date] = field(default_factory=lambda: MappingProxyType({}))
    gab: GabData | None = None
    # Status changes since the last GAB meeting or a week ago, whichever is earlier.
    changes: tuple[HistoryEntry, ...] = ()


@dataclass(frozen=True)
class SweepSettings:
    tz: ZoneInfo
    channel: str = ""
    gab_channel: str = ""  # empty: the governance channel
    admins: frozenset[str] = frozenset()
    remind_at: time = time(9, 0)
    reminders: ReminderSettings = ReminderSettings()


@dataclass(frozen=True)
class WeeklyDigest:
    """The register at the start of the week, for the governance channel."""

    week_of: date
    open_count: int
    overdue: tuple[ItemRow, ...]
    due_soon: tuple[ItemRow, ...]
    changes: tuple[HistoryEntry, ...]
    awaiting_allocation: int


@dataclass(frozen=True)
class Delivery:
    """One message to one destination; `key` is what the sent-ledger records."""

    key: str
    reminder: Reminder
    audience: str  # lead | channel | admins | gab_channel
    destination: str  # a channel id, or a user id for a DM
    scheduled: datetime  # the send day at the reminder time, local
    item: Item | None = None
    source: Source | None = None
    agenda: GabNext | None = None
    weekly: WeeklyDigest | None = None

    @property
    def kind(self) -> str:
        return self.reminder.kind

    @property
    def late(self) -> bool:
        return self.reminder.late

    @property
    def subject(self) -> str:
        """What it is about: an item id, a source id, GAB or the register."""
        if self.reminder.item_id or self.reminder.source_id:
            return self.reminder.item_id or self.reminder.source_id
        return "register" if self.kind == "weekly_digest" else "GAB"

    @property
    def text(self) -> str:
        """The plain-text gist, also Slack's notification text."""
        late = " (late)" if self.late else ""
        if self.item is not None:
            return f"{self.item.id} {self.reminder.label}{late}: {self.item.text[:150]}"
        if self.source is not None:
            return f"{self.source.id} {self.reminder.label}{late}: {self.source.title}"
        return f"{self.reminder.label[:1].upper()}{self.reminder.label[1:]}{late}"

    @property
    def anchor_kind(self) -> str:
        """Which thread replies update items: "reminder" (one item), "digest" (by id), or none."""
        if self.kind in ITEM_KINDS:
            return "reminder"
        return "digest" if self.kind in DIGEST_KINDS else ""


@dataclass(frozen=True)
class SweepPlan:
    deliveries: tuple[Delivery, ...]
    unaddressed: tuple[str, ...] = ()  # reminders with no destination configured


def plan_sweep(data: SweepData, settings: SweepSettings, at: datetime) -> SweepPlan:
    """The deliveries due at `at`: nothing before the reminder time of day, then all that are due."""
    local = at.astimezone(settings.tz)
    if local.time().replace(tzinfo=None) < settings.remind_at:
        return SweepPlan(())
    today = local.date()
    schedule = data.gab.schedule if data.gab else None
    reminders = due_reminders(
        data.items, data.sources, schedule, today, settings.reminders, data.snoozed
    )
    items = {i.id: i for i in data.items}
    sources = {s.id: s for s in data.sources}
    deliveries: dict[str, Delivery] = {}
    unaddressed: list[str] = []
    for reminder in reminders:
        item = items.get(reminder.item_id)
        base = Delivery(
            key=reminder.key,
            reminder=reminder,
            audience="",
            destination="",
            scheduled=local_moment(reminder.send_on, settings.remind_at, settings.tz),
            item=item,
            source=sources.get(reminder.source_id) if item is None else None,
            agenda=_agenda(data, reminder, today, settings.tz),
            weekly=_weekly(data, reminder, today),
        )
        for audience in reminder.audience:
            targets = _destinations(audience, item, settings)
            if not targets and audience in _SETTING:
                unaddressed.append(f"{reminder.key}: {_SETTING[audience]} is not set")
            for target in targets:
                key = f"{reminder.key}:{target}"
                deliveries.setdefault(
                    key, replace(base, key=key, audience=audience, destination=target)
                )
    return SweepPlan(tuple(deliveries.values()), tuple(unaddressed))


def _destinations(audience: str, item: Item | None, settings: SweepSettings) -> list[str]:
    if audience == "lead":
        return list(item.leads) if item else []
    if audience == "admins":
        return sorted(settings.admins)
    if audience == "channel":
        return [settings.channel] if settings.channel else []
    if audience == "gab_channel":
        target = settings.gab_channel or settings.channel
        return [target] if target else []
    return []


def _agenda(data: SweepData, reminder: Reminder, today: date, tz: ZoneInfo) -> GabNext | None:
    if reminder.meeting is None or data.gab is None:
        return None
    return agenda_for(data.gab, reminder.meeting, data.items, data.changes, today, tz)


def _weekly(data: SweepData, reminder: Reminder, today: date) -> WeeklyDigest | None:
    if reminder.kind != "weekly_digest":
        return None
    open_items = [i for i in data.items if i.is_open]
    dated = sorted((i for i in open_items if i.due), key=lambda i: (i.due, i.source, i.number))
    soon = today + timedelta(days=DUE_SOON_DAYS)
    week_ago = today - timedelta(days=7)
    return WeeklyDigest(
        week_of=today - timedelta(days=today.weekday()),
        open_count=len(open_items),
        overdue=tuple(item_row_at(i, today) for i in dated if i.due < today),  # type: ignore[operator]
        due_soon=tuple(item_row_at(i, today) for i in dated if today <= i.due <= soon),  # type: ignore[operator]
        changes=tuple(
            sorted(
                (e for e in data.changes if e.change == "status" and e.at.date() >= week_ago),
                key=lambda e: (e.at.isoformat(), e.item_id),
            )
        ),
        awaiting_allocation=sum(1 for i in open_items if not i.leads),
    )
