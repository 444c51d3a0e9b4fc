"""/gab minutes: the draft minutes of a meeting, as plain data for Slack and the documents."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from commands.calendar import local_moment
from commands.context import Context
from commands.gab_agenda import in_force, last_meeting_moment, load_gab
from commands.meetings import meeting_for_minutes, meeting_id, next_meeting_after, window_of
from commands.permissions import check_admin
from storage.models import HistoryEntry, Item, StandingItem


@dataclass(frozen=True)
class DiscussedItem:
    """An item discussed, with the note taken and its status changes since the last meeting."""

    item: Item
    note: str
    changes: tuple[HistoryEntry, ...]


@dataclass(frozen=True)
class Minutes:
    """The draft minutes of one GAB meeting."""

    meeting_id: str
    meeting: datetime  # naive local
    attendees: tuple[str, ...]  # Slack user ids, in the order they first spoke
    standing: tuple[StandingItem, ...]
    discussed: tuple[DiscussedItem, ...]
    actions: tuple[Item, ...]
    next_meeting: datetime | None
    drafted_on: date

    @property
    def filename_stem(self) -> str:
        return f"{self.meeting_id}-minutes"


@dataclass(frozen=True)
class MinutesToPost:
    """Post the minutes to `channel` as one message, with the .md and .docx in its thread."""

    minutes: Minutes
    channel: str


def run_minutes(ctx: Context, args: str) -> MinutesToPost:
    """`/gab minutes [MEETING]` (admins): draft the minutes and post them in the GAB channel."""
    check_admin(ctx.user, ctx.settings.admins, "draft the GAB minutes")
    minutes = draft_minutes(ctx, args)
    return MinutesToPost(minutes, ctx.settings.gab_channel or ctx.channel)


def draft_minutes(ctx: Context, args: str) -> Minutes:
    """The minutes of the meeting `args` names, or of the last meeting held."""
    tz = ctx.settings.tz
    data = load_gab(ctx.store, ctx.settings)
    meeting = meeting_for_minutes(ctx, data, args)
    found_id = meeting_id(meeting.date())
    since = last_meeting_moment(data, meeting, tz)
    closes = window_of(meeting)[1]
    until = local_moment(closes.date(), closes.time(), tz)
    with ctx.store.transaction() as store:
        discussed = []
        for discussion in store.meetings.discussed(found_id):
            item = store.items.get(discussion.item_id)
            if item is None:
                continue
            changes = tuple(
                e
                for e in store.history.for_item(item.id)
                if e.change == "status" and since <= _aware(e.at, tz) <= until
            )
            discussed.append(DiscussedItem(item, discussion.note, changes))
        actions = tuple(i for i in store.items.by_source(found_id) if i.kind == "action")
        attendees = tuple(store.meetings.speakers(found_id))
    return Minutes(
        meeting_id=found_id,
        meeting=meeting,
        attendees=attendees,
        standing=tuple(s for s in data.standing if in_force(s, meeting.date())),
        discussed=tuple(discussed),
        actions=actions,
        next_meeting=next_meeting_after(data, meeting),
        drafted_on=ctx.today,
    )


def _aware(moment: datetime, tz) -> datetime:  # noqa: ANN001 - a tzinfo
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=tz)
