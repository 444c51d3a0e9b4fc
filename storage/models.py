"""The records govbot keeps: items, their history, sources, figures, GAB data."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from datetime import date, datetime
from functools import cache
from typing import Any

STATUSES: tuple[str, ...] = (
    "not started",
    "in progress",
    "blocked",
    "implemented",
    "closed",
    "superseded",
    "not accepted",
)
OPEN_STATUSES: frozenset[str] = frozenset({"not started", "in progress", "blocked", "implemented"})
ADMIN_ONLY_STATUSES: frozenset[str] = frozenset({"closed", "superseded", "not accepted"})
DISTRICTS: tuple[str, ...] = ("Barnsley", "Doncaster", "Rotherham", "Sheffield")
FIGURE_DISTRICTS: tuple[str, ...] = DISTRICTS + ("Other",)
ITEM_KINDS: tuple[str, ...] = ("recommendation", "afi", "action", "commitment")
SOURCE_KINDS: tuple[str, ...] = ("inspection", "review", "meeting")


def _date_or_none(value: Any) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    return date.fromisoformat(value)


def _datetime(value: Any) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)


def _jsonable(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    return value


@cache
def _field_names(cls: type) -> frozenset[str]:
    """A record class's fields: asked once per class, not once per decoded document."""
    return frozenset(f.name for f in fields(cls))


class Record:
    """Dataclass mixin: to and from the plain dicts TinyDB stores."""

    _dates: tuple[str, ...] = ()
    _datetimes: tuple[str, ...] = ()
    _tuples: tuple[str, ...] = ()

    def to_doc(self) -> dict[str, Any]:
        return _jsonable(asdict(self))  # type: ignore[call-overload]

    @classmethod
    def from_doc(cls, doc: dict[str, Any]):  # noqa: ANN206 - returns cls
        known = _field_names(cls)
        values = {k: v for k, v in doc.items() if k in known}
        for name in cls._dates:
            if name in values:
                values[name] = _date_or_none(values[name])
        for name in cls._datetimes:
            if name in values and values[name] is not None:
                values[name] = _datetime(values[name])
        for name in cls._tuples:
            if name in values:
                values[name] = tuple(values[name] or ())
        return cls(**values)


@dataclass(frozen=True)
class HistoryEntry(Record):
    """One change to an item: who, when, what changed, with note, evidence and link."""

    item_id: str
    at: datetime
    by: str  # Slack user id, or "import" / "system"
    change: str  # status | lead | due | evidence | import | note
    old: str = ""
    new: str = ""
    note: str = ""
    evidence: str = ""
    permalink: str = ""
    channel: str = ""
    ts: str = ""
    key: str = ""  # dedupe key of the Slack message or request that caused it
    field: str = ""  # the item field an "add" or "edit" entry is about

    _datetimes = ("at",)


@dataclass(frozen=True)
class Item(Record):
    """One recommendation, area for improvement, action or commitment."""

    id: str
    source: str
    number: int
    kind: str = "recommendation"
    area: str = ""
    text: str = ""
    timescale: str = ""
    due: date | None = None
    original_due: date | None = None
    leads: tuple[str, ...] = ()
    lead_role: str = ""  # the lead as a register names them (a role, a name) until assigned
    districts: tuple[str, ...] = ()
    status: str = "not started"
    updated_at: datetime | None = None
    has_evidence: bool = False
    addressee: str = ""  # as the report writes it: "chief constables", "the Home Office" ...
    force_delivers: bool = True  # False for a national recommendation to other bodies only

    _dates = ("due", "original_due")
    _datetimes = ("updated_at",)
    _tuples = ("leads", "districts")

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


@dataclass(frozen=True)
class Source(Record):
    """A report, review or meeting that items come from."""

    id: str
    title: str
    published: date
    publisher: str = ""
    kind: str = "inspection"
    response_published: date | None = None

    _dates = ("published", "response_published")


@dataclass(frozen=True)
class Figure(Record):
    """One published number: a metric for a district in a period."""

    district: str
    metric: str
    period: str  # YYYY-MM for a month, YYYY-MM-DD for a snapshot
    value: int
    source: str = ""

    @property
    def is_snapshot(self) -> bool:
        return len(self.period) == 10


@dataclass(frozen=True)
class StandingItem(Record):
    """A standing agenda item of the Governance and Assurance Board."""

    id: str
    title: str
    owner: str = ""
    since: date | None = None
    until: date | None = None  # None = until further notice

    _dates = ("since", "until")


@dataclass(frozen=True)
class MeetingRecord(Record):
    """A GAB meeting that took place, with the items discussed."""

    held_on: date
    items: tuple[str, ...] = field(default_factory=tuple)

    _dates = ("held_on",)
    _tuples = ("items",)


@dataclass(frozen=True)
class Discussion(Record):
    """An item the GAB discussed at a meeting, with the note taken."""

    meeting: str  # the meeting's source id, e.g. GAB-2026-12-29
    item_id: str
    by: str
    at: datetime
    note: str = ""

    _datetimes = ("at",)
