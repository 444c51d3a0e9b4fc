"""What one reminder sweep should send: a pure function of the register, the settings and a moment.

Each reminder becomes one delivery per destination (a lead's or an admin's DM, the governance
channel, a subscribed channel, the GAB channel), keyed `reminder key:destination` for the
sent-ledger. People's own settings and snoozes decide what reaches their DMs; nothing ever
keeps an escalation from the admins. `commands.sweep_messages` gathers the deliveries into one
message per destination.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from types import MappingProxyType
from zoneinfo import ZoneInfo

from commands.calendar import local_moment
from commands.context import setting_name
from commands.gab_agenda import GabData, agenda_for, item_row_at
from commands.reminders import Reminder, ReminderSettings, due_reminders
from commands.replies import GabNext, ItemRow
from storage.models import HistoryEntry, Item, Source
from storage.reminder_prefs import ReminderPrefs, Subscription

ITEM_KINDS = frozenset({"due", "overdue", "escalation", "stale"})
DIGEST_KINDS = frozenset({"gab_digest", "gab_eve", "weekly_digest"})
DUE_SOON_DAYS = 14
_CHANNEL_SETTINGS = ("channel", "gab_channel")  # audiences that are one configured channel


@dataclass(frozen=True)
class SweepData:
    """What a sweep reads from the store."""

    items: tuple[Item, ...] = ()
    sources: tuple[Source, ...] = ()
    # (user id, item id) → the day that person's reminders about the item resume
    snoozed: Mapping[tuple[str, str], date] = field(default_factory=lambda: MappingProxyType({}))
    prefs: Mapping[str, ReminderPrefs] = field(default_factory=lambda: MappingProxyType({}))
    subscriptions: tuple[Subscription, ...] = ()
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
    setting_names: Mapping[str, str] = field(default_factory=dict)  # as in Settings


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
    audience: str  # lead | channel | admins | gab_channel | snoozer (whoever snoozed the item)
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
    reminders = due_reminders(data.items, data.sources, schedule, today, settings.reminders)
    items = {i.id: i for i in data.items}
    sources = {s.id: s for s in data.sources}
    deliveries: dict[str, Delivery] = {}
    unaddressed: list[str] = []

    moments: dict[date, datetime] = {}  # send day → its reminder time; a few days recur

    def add(reminder: Reminder, only: str = "") -> None:
        item = items.get(reminder.item_id)
        base: Delivery | None = None  # built once a destination wants it: most have none

        def delivery(key: str, audience: str, target: str) -> Delivery:
            nonlocal base
            if base is None:
                day = reminder.send_on
                if day not in moments:
                    moments[day] = local_moment(day, settings.remind_at, settings.tz)
                base = Delivery(
                    key=key,
                    reminder=reminder,
                    audience=audience,
                    destination=target,
                    scheduled=moments[day],
                    item=item,
                    source=sources.get(reminder.source_id) if item is None else None,
                    agenda=_agenda(data, reminder, today, settings.tz),
                    weekly=_weekly(data, reminder, today),
                )
                return base
            return replace(base, key=key, audience=audience, destination=target)

        for audience in reminder.audience:
            if audience == "snoozer":
                targets = [only]
            else:
                targets = _destinations(audience, item, settings, data.subscriptions)
            if not targets and audience in _CHANNEL_SETTINGS:
                unaddressed.append(
                    f"{reminder.key}: {setting_name(settings.setting_names, audience)} is not set"
                )
            for target in targets:
                if only and target != only:
                    continue
                if not only and _snoozed(data, target, reminder):
                    continue  # that person's own view of the item is planned below
                if not _wanted(data.prefs.get(target), target, reminder, item, today):
                    continue
                key = f"{reminder.key}:{target}"
                if key not in deliveries:
                    deliveries[key] = delivery(key, audience, target)

    for reminder in reminders:
        add(reminder)
    for (user, item_id), until in sorted(data.snoozed.items()):
        item = items.get(item_id)
        if item is None or not (user in item.leads or user in settings.admins):
            continue  # no longer theirs to hear about
        for reminder in _reminders_while_snoozed(data, item, until, today, settings):
            add(reminder, only=user)
    return SweepPlan(tuple(deliveries.values()), tuple(unaddressed))


def _snoozed(data: SweepData, target: str, reminder: Reminder) -> bool:
    return reminder.kind != "escalation" and (target, reminder.item_id) in data.snoozed


def _reminders_while_snoozed(
    data: SweepData, item: Item, until: date, today: date, settings: SweepSettings
) -> list[Reminder]:
    """One person's reminders about an item they snoozed; escalations are planned for all."""
    if not item.is_open:
        return []
    found = due_reminders([item], data.sources, None, today, settings.reminders, {item.id: until})
    # The wake-up reminder goes to whoever snoozed, even an admin who does not lead the item.
    return [
        replace(r, audience=("snoozer",)) if r.key.startswith("snooze:") else r
        for r in found
        if r.item_id == item.id and r.kind != "escalation"
    ]


def _wanted(
    prefs: ReminderPrefs | None, target: str, reminder: Reminder, item: Item | None, today: date
) -> bool:
    """Whether a person's own settings let this reminder into their DM today."""
    if prefs is None or reminder.kind == "escalation" or not _is_user(target):
        return True
    if prefs.muted_until is not None and today <= prefs.muted_until:
        return False
    if today.weekday() not in prefs.days:
        return False
    return not (prefs.only_mine and item is not None and target not in item.leads)


def _is_user(destination: str) -> bool:
    return destination[:1] in ("U", "W")


def _destinations(
    audience: str, item: Item | None, settings: SweepSettings, subs: tuple[Subscription, ...]
) -> list[str]:
    if audience == "lead":
        return list(item.leads) if item else []
    if audience == "admins":
        return sorted(settings.admins)
    if audience == "channel":
        channels = [settings.channel] if settings.channel else []
        return channels + sorted({s.channel for s in subs if item and matches(s, item)})
    if audience == "gab_channel":
        target = settings.gab_channel or settings.channel
        return [target] if target else []
    return []


def matches(sub: Subscription, item: Item) -> bool:
    """Whether a channel subscription covers an item."""
    if sub.field == "district":
        return sub.value.casefold() in (d.casefold() for d in item.districts)
    if sub.field == "source":
        return sub.value.casefold() == item.source.casefold()
    return sub.field == "lead" and sub.value in item.leads


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
