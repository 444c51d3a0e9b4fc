"""/recs remind and /recs subscribe (SPEC section 10) through `run_recs`, on a real store."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from commands.context import Context, Settings
from commands.errors import BadInput, UnknownItem
from commands.recs import run_recs
from storage.reminder_prefs import ReminderPrefs, Subscription
from storage.store import Store
from tests.conftest import import_cse13
from tests.harness import ADMIN, LONDON

NOW = datetime(2014, 3, 3, 10, 0, tzinfo=LONDON)
LEAD = "ULEAD001"


@pytest.fixture
def cse13_store(stores):
    """CSE13 imported, on each backend."""
    return import_cse13(stores.new())


def ask(store: Store, text: str, user: str = LEAD, channel: str = "C0ROTH") -> str:
    ctx = Context(
        store, NOW, user, Settings(admins=frozenset({ADMIN})), channel, channel.startswith("D")
    )
    return run_recs(ctx, text).text


def prefs(store: Store, user: str = LEAD) -> ReminderPrefs:
    with store.transaction():
        return store.reminder_prefs.get(user)


def test_remind_shows_the_defaults_then_changes_only_the_callers_settings(cse13_store):
    shown = ask(cse13_store, "remind")
    assert "on working days (Mon–Fri) · not muted · every item that concerns you" in shown
    assert "on Mon, Wed, Fri" in ask(cse13_store, "remind days mon, wed,FRIDAY")
    assert "muted until 2014-03-14" in ask(cse13_store, "remind mute until 2014-03-14")
    assert "only items you lead" in ask(cse13_store, "remind only mine")
    assert prefs(cse13_store) == ReminderPrefs(LEAD, (0, 2, 4), date(2014, 3, 14), True)
    assert prefs(cse13_store, ADMIN) == ReminderPrefs(ADMIN)  # nobody else's changed
    ask(cse13_store, "remind unmute")
    ask(cse13_store, "remind all items")
    ask(cse13_store, "remind days working days")
    assert prefs(cse13_store) == ReminderPrefs(LEAD)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("remind mute until 2014-03-01", "has passed"),
        ("remind mute until soon", "31/03/2016"),
        ("remind mute", "Mute until when?"),
        ("remind days", "Which days?"),
        ("remind days funday", "Unknown day"),
        ("remind louder", "I don't know “louder”"),
    ],
)
def test_bad_remind_settings_are_explained_and_change_nothing(cse13_store, text, expected):
    with pytest.raises((BadInput, UnknownItem)) as raised:
        ask(cse13_store, text)
    assert expected in raised.value.message
    assert prefs(cse13_store) == ReminderPrefs(LEAD)


def test_a_channel_subscribes_lists_and_unsubscribes(cse13_store):
    assert "now receives the reminders about items in Rotherham" in ask(
        cse13_store, "subscribe district roth"
    )
    assert "already receives" in ask(cse13_store, "subscribe district Rotherham")
    ask(cse13_store, "subscribe source cse13")
    ask(cse13_store, "subscribe lead @ULEAD002")
    ask(cse13_store, "subscribe source CSE13", channel="C0OTHER")
    listed = ask(cse13_store, "subscriptions")
    assert listed.splitlines()[1:] == [
        "• items in Rotherham",
        "• items led by @ULEAD002",
        "• items from CSE13",
    ]
    assert "no longer receives the reminders about items from CSE13" in ask(
        cse13_store, "unsubscribe source CSE13"
    )
    with cse13_store.transaction() as store:
        assert store.subscriptions.all() == [
            Subscription("C0OTHER", "source", "CSE13"),
            Subscription("C0ROTH", "district", "Rotherham"),
            Subscription("C0ROTH", "lead", "ULEAD002"),
        ]


@pytest.mark.parametrize(
    ("text", "channel", "expected"),
    [
        ("subscribe district Rotherham", "DLEAD001", "type it in the channel"),
        ("subscriptions", "DLEAD001", "type it in the channel"),
        ("subscribe district Leeds", "C0ROTH", "Unknown district “Leeds”"),
        ("subscribe source NCP14", "C0ROTH", "Unknown source “NCP14”"),
        ("subscribe lead bob", "C0ROTH", "@mention"),
        ("subscribe Rotherham", "C0ROTH", "Usage"),
        ("unsubscribe district Sheffield", "C0ROTH", "no subscription"),
    ],
)
def test_bad_subscriptions_are_explained_and_change_nothing(cse13_store, text, channel, expected):
    with pytest.raises((BadInput, UnknownItem)) as raised:
        ask(cse13_store, text, channel=channel)
    assert expected in raised.value.message
    with cse13_store.transaction() as store:
        assert store.subscriptions.all() == []
