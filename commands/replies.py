"""What commands answer with: plain data that bot/ renders as Block Kit or text.

Text fields hold plain text (never mrkdwn): the renderer escapes them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, TypeAlias

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


class ItemRows(Sequence[ItemRow]):
    """Items as list rows, each row made when first read: a GAB agenda on a large register lists
    thousands of items and one page of them is shown."""

    def __init__(self, items: Iterable[Item], make_row: Callable[[Item], ItemRow]) -> None:
        self.items: tuple[Item, ...] = tuple(items)
        self._make_row = make_row
        self._rows: dict[int, ItemRow] = {}

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return tuple(self[k] for k in range(*index.indices(len(self.items))))
        item = self.items[index]  # IndexError past the end ends iteration
        at = index % len(self.items)
        row = self._rows.get(at)
        if row is None:
            row = self._rows[at] = self._make_row(item)
        return row

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence):
            return tuple(self) == tuple(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.items)

    def __repr__(self) -> str:
        return f"ItemRows({len(self.items)} items)"


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
    due: ItemRows
    overdue: ItemRows
    changes: tuple[HistoryEntry, ...]
    today: date
    page: int = 1  # of the agenda as /gab shows it (the digest shows it all)

    @property
    def item_ids(self) -> tuple[str, ...]:
        """Every register item on the agenda, once, in agenda order."""
        ids = [i.id for i in (*self.due.items, *self.overdue.items)]
        ids += [e.item_id for e in self.changes]
        return tuple(dict.fromkeys(ids))


Reply: TypeAlias = (
    "Notice | ItemList | ItemDetail | Summary | UpdateDone | PostItem | PostAnswer | FileExport"
    " | Table | ItemForm | ChartRequest | StandingList | GabSchedule | GabNext | MinutesToPost"
    " | ReportDocuments"
)


def refused(reply: Reply) -> bool:
    """Whether the answer says no (the CLI's exit status)."""
    return isinstance(reply, Notice) and not reply.ok
