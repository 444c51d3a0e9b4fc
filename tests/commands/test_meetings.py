"""The meeting window and attendance: who posted in the GAB channel while the meeting was on."""

from __future__ import annotations

from datetime import datetime

import pytest

from commands.context import Context, Settings
from commands.gab_agenda import load_gab
from commands.meetings import meeting_in_window, record_attendance
from tests.harness import LONDON

GAB = "C0GAB"
SETTINGS = Settings(gab_channel=GAB)


@pytest.fixture
def store(stores):
    return stores.new()


def at(hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 12, 29, hour, minute, tzinfo=LONDON)


def posted(store, when: datetime, user: str, channel: str = GAB) -> str:
    return record_attendance(Context(store, when, user, SETTINGS, channel=channel))


def test_the_window_runs_from_half_an_hour_before_to_three_hours_after(store):
    data = load_gab(store, SETTINGS)
    meeting = datetime(2026, 12, 29, 10, 0)
    assert meeting_in_window(data, datetime(2026, 12, 29, 9, 30)) == meeting
    assert meeting_in_window(data, datetime(2026, 12, 29, 13, 0)) == meeting
    assert meeting_in_window(data, datetime(2026, 12, 29, 9, 29)) is None
    assert meeting_in_window(data, datetime(2026, 12, 29, 13, 1)) is None


def test_attendance_is_who_posted_in_the_gab_channel_during_the_window(store):
    assert posted(store, at(9, 45), "UCHAIR") == "GAB-2026-12-29"
    assert posted(store, at(10, 5), "UMEMBER") == "GAB-2026-12-29"
    assert posted(store, at(10, 6), "UCHAIR") == "GAB-2026-12-29"  # counted once
    assert posted(store, at(10, 10), "UELSEWHERE", channel="C0GOV") == ""
    assert posted(store, at(14, 0), "ULATE") == ""
    assert posted(store, at(10, 10), "") == ""
    with store.transaction():
        assert store.meetings.speakers("GAB-2026-12-29") == ["UCHAIR", "UMEMBER"]


def test_no_gab_channel_means_no_attendance(store):
    context = Context(store, at(10, 5), "UMEMBER", Settings(), channel="")
    assert record_attendance(context) == ""
