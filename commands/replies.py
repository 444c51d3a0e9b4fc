"""What commands answer with: plain data that bot/ renders as Block Kit or text.

Text fields hold plain text (never mrkdwn): the renderer escapes them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, TypeAlias

from storage.models import HistoryEntry, Item, Source, StandingItem

if TYPE_CHECKING:  # they carry documents built in their own modules, which import this one
    from commands.minutes import MinutesToPost
    from commands.panel_report import ReportDocuments

PAGE_SIZE = 20


@dataclass(frozen=True)
class Notice:
    """A short answer: a confirmation, an error, help."""

    text: str
    ok: bool = True
    title: str = ""


@dataclass(frozen=True)
class ItemRow:
    item: Item
    rag: str
    days_overdue: int = 0
    days_left: int | None = None


@dataclass(frozen=True)
class ItemList:
    title: str
    rows: tuple[ItemRow, ...]
    total: int
    page: int = 1
    pages: int = 1
    empty_text: str = "Nothing to show."
    more_hint: str = ""  # the command that shows the next page
    command: str = ""  # the command line that gives this list, without its page: for paging
    note: str = (
        ""  # a line under the list, e.g. how many force-wide items a district filter left out
    )


@dataclass(frozen=True)
class ItemDetail:
    item: Item
    source: Source | None
    rag: str
    history: tuple[HistoryEntry, ...]
    response_due: date | None = None


@dataclass(frozen=True)
class SourceSummary:
    source_id: str
    title: str
    by_status: dict[str, int]
    by_rag: dict[str, int]
    awaiting_allocation: int
    response_due: date | None = None
    response_published: date | None = None


@dataclass(frozen=True)
class Summary:
    sources: tuple[SourceSummary, ...]
    by_status: dict[str, int]
    by_rag: dict[str, int]
    total: int


@dataclass(frozen=True)
class UpdateDone:
    """A change was recorded."""

    text: str
    item: Item
    duplicate: bool = False


@dataclass(frozen=True)
class PostItem:
    """Post the item to the channel (the bot remembers the message as the item's thread)."""

    detail: ItemDetail


@dataclass(frozen=True)
class FileExport:
    filename: str
    content: str | bytes
    title: str
    summary: str = ""


@dataclass(frozen=True)
class Table:
    """A small table (figures): header row and rows of cells, with notes under it."""

    title: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    notes: tuple[str, ...] = field(default_factory=tuple)
    chart: str = ""  # the command line that draws the same figures as a chart, if one does


@dataclass(frozen=True)
class ItemForm:
    """Open the form that adds an item (`item` None) or edits one: a modal in Slack."""

    item: Item | None
    sources: tuple[Source, ...]
    districts: tuple[str, ...]
    kinds: tuple[str, ...]
    explicit_due: date | None = None  # the item's due date when its timescale does not give it


@dataclass(frozen=True)
class PostAnswer:
    """Post `answer` to the channel for everyone (e.g. the agenda in a meeting), not privately."""

    answer: Reply


@dataclass(frozen=True)
class ChartRequest:
    """A chart for the bot to draw: named series of (period, value; None for a gap)."""

    title: str
    series: dict[str, list[tuple[str, int | None]]]
    filename: str


@dataclass(frozen=True)
class StandingList:
    """The standing agenda items, in force or ended, as of `today`."""

    items: tuple[StandingItem, ...]
    today: date


@dataclass(frozen=True)
class ScheduledMeeting:
    at: datetime  # local wall-clock time
    cancelled: bool = False
    one_off: bool = False


@dataclass(frozen=True)
class GabSchedule:
    """The next meetings, with cancelled ones shown as such."""

    rule: str
    meetings: tuple[ScheduledMeeting, ...]


@dataclass(frozen=True)
class GabNext:
    """What the board will look at in the meeting at `meeting`."""

    meeting: datetime
    last_meeting: datetime | None
    standing: tuple[StandingItem, ...]
    due: tuple[ItemRow, ...]
    overdue: tuple[ItemRow, ...]
    changes: tuple[HistoryEntry, ...]
    today: date
    page: int = 1  # of the agenda as /gab shows it (the digest shows it all)

    @property
    def item_ids(self) -> tuple[str, ...]:
        """Every register item on the agenda, once, in agenda order."""
        ids = [r.item.id for r in (*self.due, *self.overdue)] + [e.item_id for e in self.changes]
        return tuple(dict.fromkeys(ids))


Reply: TypeAlias = (
    "Notice | ItemList | ItemDetail | Summary | UpdateDone | PostItem | PostAnswer | FileExport"
    " | Table | ItemForm | ChartRequest | StandingList | GabSchedule | GabNext | MinutesToPost"
    " | ReportDocuments"
)


def refused(reply: Reply) -> bool:
    """Whether the answer says no (the CLI's exit status)."""
    return isinstance(reply, Notice) and not reply.ok
