"""GAB: standing agenda items, meeting records, one-off meetings and cancellations."""

from __future__ import annotations

from datetime import date, datetime

from tinydb import where

from storage.database import Database, dump_tagged, load_tagged
from storage.models import MeetingRecord, StandingItem

_TABLES = ("standing", "meetings", "gab_extra", "gab_cancelled")


class GabRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    def standing_items(self) -> list[StandingItem]:
        docs = self._db.table("standing").all()
        return sorted((StandingItem.from_doc(d) for d in docs), key=lambda s: s.id)

    def next_standing_id(self) -> str:
        numbers = [int(s.id[3:]) for s in self.standing_items() if s.id[3:].isdigit()]
        return f"GAB{max(numbers, default=0) + 1}"

    def save_standing(self, item: StandingItem) -> None:
        self._db.table("standing").upsert(item.to_doc(), where("id") == item.id)

    def meetings_held(self) -> list[MeetingRecord]:
        docs = self._db.table("meetings").all()
        return sorted((MeetingRecord.from_doc(d) for d in docs), key=lambda m: m.held_on)

    def record_meeting(self, record: MeetingRecord) -> None:
        held = record.held_on.isoformat()
        self._db.table("meetings").upsert(record.to_doc(), where("held_on") == held)

    def extra_meetings(self) -> list[datetime]:
        return sorted(datetime.fromisoformat(d["at"]) for d in self._db.table("gab_extra").all())

    def add_extra_meeting(self, at: datetime) -> None:
        self._db.table("gab_extra").upsert({"at": at.isoformat()}, where("at") == at.isoformat())

    def cancellations(self) -> list[date]:
        return sorted(date.fromisoformat(d["on"]) for d in self._db.table("gab_cancelled").all())

    def cancel(self, on: date) -> None:
        self._db.table("gab_cancelled").upsert(
            {"on": on.isoformat()}, where("on") == on.isoformat()
        )

    def dump(self) -> list[dict]:
        """Every record, tagged with its table."""
        return dump_tagged(self._db, _TABLES)

    def load(self, docs: list[dict]) -> None:
        load_tagged(self._db, docs)
