"""What happened in a GAB meeting: who spoke in the GAB channel, and the items discussed."""

from __future__ import annotations

from datetime import datetime

from tinydb import where

from storage.database import Database, dump_tagged, load_tagged
from storage.models import Discussion

_TABLES = ("gab_speakers", "gab_discussed")


class MeetingLog:
    """Speakers and discussed items, by meeting id (GAB-YYYY-MM-DD)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def record_speaker(self, meeting: str, user: str, at: datetime) -> None:
        """Remember that `user` posted during `meeting` (the first time is kept)."""
        table = self._db.table("gab_speakers")
        if not table.contains((where("meeting") == meeting) & (where("user") == user)):
            table.insert({"meeting": meeting, "user": user, "at": at.isoformat()})

    def speakers(self, meeting: str) -> list[str]:
        """Who posted during the meeting, in the order they first did."""
        docs = self._db.table("gab_speakers").search(where("meeting") == meeting)
        return [d["user"] for d in sorted(docs, key=lambda d: d["at"])]

    def record_discussed(self, discussion: Discussion) -> bool:
        """Record the item as discussed; False when it already was (the first note stands)."""
        table = self._db.table("gab_discussed")
        found = (where("meeting") == discussion.meeting) & (where("item_id") == discussion.item_id)
        if table.contains(found):
            return False
        table.insert(discussion.to_doc())
        return True

    def discussed(self, meeting: str) -> list[Discussion]:
        """The items discussed at the meeting, in the order they were marked."""
        docs = self._db.table("gab_discussed").search(where("meeting") == meeting)
        return sorted((Discussion.from_doc(d) for d in docs), key=lambda d: d.at)

    def dump(self) -> list[dict]:
        """Every record, tagged with its table."""
        return dump_tagged(self._db, _TABLES)

    def load(self, docs: list[dict]) -> None:
        load_tagged(self._db, docs)
