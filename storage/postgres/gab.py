"""GAB standing items, meetings, one-offs, cancellations and meeting logs in PostgreSQL."""

from __future__ import annotations

from datetime import date, datetime

from storage.models import Discussion, MeetingRecord, StandingItem
from storage.postgres.connection import Database
from storage.postgres.tables import Doc, Table

STANDING = Table("gab_standing", ("id",), (("id", lambda d: d["id"]),))
HELD = Table("gab_meetings", ("held_on",), (("held_on", lambda d: d["held_on"]),))
EXTRA = Table("gab_extra", ("at",), (("at", lambda d: d["at"]),))
CANCELLED = Table("gab_cancelled", ("on_day",), (("on_day", lambda d: d["on"]),))
SPEAKERS = Table(
    "gab_speakers",
    ("meeting", "user"),
    (("meeting", lambda d: d["meeting"]), ("user", lambda d: d["user"])),
)
DISCUSSED = Table(
    "gab_discussed",
    ("meeting", "item_id"),
    (("meeting", lambda d: d["meeting"]), ("item_id", lambda d: d["item_id"])),
)
# Named as the TinyDB tables, so a dump from either backend loads into the other.
GAB_TABLES = {
    "standing": STANDING,
    "meetings": HELD,
    "gab_extra": EXTRA,
    "gab_cancelled": CANCELLED,
}
LOG_TABLES = {"gab_speakers": SPEAKERS, "gab_discussed": DISCUSSED}


def _dump(db: Database, tables: dict[str, Table]) -> list[Doc]:
    return [{"table": name, **doc} for name, table in tables.items() for doc in table.docs(db)]


def _load(db: Database, tables: dict[str, Table], docs: list[Doc]) -> None:
    for doc in docs:
        record = dict(doc)
        tables[record.pop("table")].insert(db, [record])


class GabRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    def standing_items(self) -> list[StandingItem]:
        docs = STANDING.docs(self._db)
        return sorted((StandingItem.from_doc(d) for d in docs), key=lambda s: s.id)

    def next_standing_id(self) -> str:
        numbers = [int(s.id[3:]) for s in self.standing_items() if s.id[3:].isdigit()]
        return f"GAB{max(numbers, default=0) + 1}"

    def save_standing(self, item: StandingItem) -> None:
        STANDING.upsert(self._db, [item.to_doc()])

    def meetings_held(self) -> list[MeetingRecord]:
        docs = HELD.docs(self._db)
        return sorted((MeetingRecord.from_doc(d) for d in docs), key=lambda m: m.held_on)

    def record_meeting(self, record: MeetingRecord) -> None:
        HELD.upsert(self._db, [record.to_doc()])

    def extra_meetings(self) -> list[datetime]:
        return sorted(datetime.fromisoformat(d["at"]) for d in EXTRA.docs(self._db))

    def add_extra_meeting(self, at: datetime) -> None:
        EXTRA.upsert(self._db, [{"at": at.isoformat()}])

    def cancellations(self) -> list[date]:
        return sorted(date.fromisoformat(d["on"]) for d in CANCELLED.docs(self._db))

    def cancel(self, on: date) -> None:
        CANCELLED.upsert(self._db, [{"on": on.isoformat()}])

    def dump(self) -> list[Doc]:
        """Every record, tagged with its table."""
        return _dump(self._db, GAB_TABLES)

    def load(self, docs: list[Doc]) -> None:
        _load(self._db, GAB_TABLES, docs)


class MeetingLog:
    def __init__(self, db: Database) -> None:
        self._db = db

    def record_speaker(self, meeting: str, user: str, at: datetime) -> None:
        """Remember that `user` posted during `meeting` (the first time is kept)."""
        SPEAKERS.insert_new(self._db, {"meeting": meeting, "user": user, "at": at.isoformat()})

    def speakers(self, meeting: str) -> list[str]:
        """Who posted during the meeting, in the order they first did."""
        docs = SPEAKERS.docs(self._db, "meeting = %s", (meeting,))
        return [d["user"] for d in sorted(docs, key=lambda d: d["at"])]

    def record_discussed(self, discussion: Discussion) -> bool:
        """Record the item as discussed; False when it already was (the first note stands)."""
        return DISCUSSED.insert_new(self._db, discussion.to_doc())

    def discussed(self, meeting: str) -> list[Discussion]:
        """The items discussed at the meeting, in the order they were marked."""
        docs = DISCUSSED.docs(self._db, "meeting = %s", (meeting,))
        return sorted((Discussion.from_doc(d) for d in docs), key=lambda d: d.at)

    def dump(self) -> list[Doc]:
        """Every record, tagged with its table."""
        return _dump(self._db, LOG_TABLES)

    def load(self, docs: list[Doc]) -> None:
        _load(self._db, LOG_TABLES, docs)
