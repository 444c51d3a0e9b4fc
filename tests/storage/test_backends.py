"""Every repository of the storage interface behaves the same on TinyDB and on PostgreSQL."""

from __future__ import annotations

import threading
from datetime import date, datetime, timedelta
from typing import get_type_hints
from zoneinfo import ZoneInfo

import pytest

from storage.copying import copy_store, counts, differences
from storage.errors import StorageError
from storage.interface import REPOSITORIES
from storage.models import (
    Discussion,
    Figure,
    HistoryEntry,
    Item,
    MeetingRecord,
    Source,
    StandingItem,
)
from storage.reminder_prefs import ReminderPrefs, Subscription
from storage.store import Store
from storage.threads import Anchor
from tests.conftest import contents

LONDON = ZoneInfo("Europe/London")
WINTER = datetime(2014, 1, 10, 9, 0, 0, 123456, tzinfo=LONDON)  # +00:00
SUMMER = datetime(2014, 7, 10, 9, 30, tzinfo=LONDON)  # +01:00, earlier in UTC than 9:30 UTC
ITEMS = [
    Item(
        "NCP15-02",
        "NCP15",
        2,
        kind="afi",
        due=date(2015, 6, 1),
        original_due=date(2015, 5, 1),
        leads=("U1", "U2"),
        districts=("Sheffield",),
        status="in progress",
        updated_at=SUMMER,
        has_evidence=True,
    ),
    Item("CSE13-10", "CSE13", 10, text="Tenth"),
    Item("CSE13-02", "CSE13", 2, text="Second", due=date(2014, 5, 1)),
]


def fill(store: Store) -> None:
    """A record in every repository, with dates, offsets and lists to round-trip."""
    with store.transaction():
        store.sources.save(Source("NCP15", "NCP review", date(2015, 3, 1), "HMIC", "review"))
        store.sources.save(Source("CSE13", "CSE response", date(2014, 1, 31)))
        store.items.save_many(ITEMS)
        store.history.append(HistoryEntry("CSE13-02", SUMMER, "U1", "status", key="m2"))
        store.history.append(HistoryEntry("CSE13-02", WINTER, "import", "import", key="m1"))
        store.history.append(HistoryEntry("NCP15-02", WINTER, "U2", "note", note="first"))
        store.figures.replace_source(
            "PANEL15", [Figure("Sheffield", "referrals", "2015-04", 15, "PANEL15")]
        )
        store.gab.save_standing(StandingItem("GAB2", "Vetting", "U1", since=date(2014, 1, 1)))
        store.gab.save_standing(StandingItem("GAB1", "Budget"))
        store.gab.record_meeting(MeetingRecord(date(2014, 4, 29), ("CSE13-02",)))
        store.gab.add_extra_meeting(SUMMER)
        store.gab.cancel(date(2014, 8, 26))
        assert store.sent.claim("digest:2014-01-13", WINTER)
        store.sent.mark_sent("digest:2014-01-13", WINTER, channel="C0GOV", ts="1.2", late=True)
        store.events.record("C0GOV:1.2", WINTER)
        store.threads.remember(Anchor("C0GOV", "1.2", "CSE13-02", "reminder"))
        store.snoozes.snooze("U1", "CSE13-10", date(2014, 2, 1))
        store.snoozes.snooze("U2", "CSE13-10", date(2014, 2, 3))
        store.meetings.record_speaker("GAB-2014-04-29", "U2", SUMMER)
        store.meetings.record_speaker("GAB-2014-04-29", "U1", WINTER)
        store.meetings.record_discussed(
            Discussion("GAB-2014-04-29", "CSE13-02", "U1", SUMMER, "ok")
        )
        store.reminder_prefs.save(ReminderPrefs("U1", (0, 3), date(2014, 2, 7), only_mine=True))
        store.reminder_prefs.save(ReminderPrefs("U2"))
        assert store.subscriptions.add(Subscription("C0SHEF", "district", "Sheffield"))
        assert store.subscriptions.add(Subscription("C0GOV", "source", "CSE13"))
        store.settings.set("districts", "Barnsley, Doncaster, Rotherham, Sheffield")


def test_every_repository_gives_back_what_was_saved(stores):
    store = stores.new()
    fill(store)
    with store.transaction():
        assert [i.id for i in store.items.all()] == ["CSE13-02", "CSE13-10", "NCP15-02"]
        assert store.items.get("NCP15-02") == ITEMS[0]
        assert store.items.get("NCP15-02").updated_at.utcoffset() == timedelta(hours=1)
        assert store.items.get("missing") is None
        assert sorted(store.items.ids()) == ["CSE13-02", "CSE13-10", "NCP15-02"]
        assert [i.number for i in store.items.by_source("CSE13")] == [2, 10]
        assert [s.id for s in store.sources.all()] == ["CSE13", "NCP15"]
        assert store.sources.get("NCP15").kind == "review"
        assert [e.key for e in store.history.for_item("CSE13-02")] == ["m1", "m2"]
        assert store.history.for_item("CSE13-02")[1].at == SUMMER
        assert store.history.has_key("CSE13-02", "m2") and not store.history.has_key("CSE13-02", "")
        assert {e.key for e in store.history.since(SUMMER)} == {"m2"}
        assert {e.key for e in store.history.since(WINTER, change="status")} == {"m2"}
        assert [e.note for e in store.history.since(WINTER, change="note")] == ["first"]
        assert list(store.history.since(SUMMER, change="note")) == []
        assert store.figures.all() == [Figure("Sheffield", "referrals", "2015-04", 15, "PANEL15")]
        assert [s.id for s in store.gab.standing_items()] == ["GAB1", "GAB2"]
        assert store.gab.next_standing_id() == "GAB3"
        assert store.gab.meetings_held() == [MeetingRecord(date(2014, 4, 29), ("CSE13-02",))]
        assert store.gab.extra_meetings() == [SUMMER]
        assert store.gab.cancellations() == [date(2014, 8, 26)]
        assert store.sent.is_sent("digest:2014-01-13")
        assert store.sent.sent_keys() == {"digest:2014-01-13"}
        assert store.events.seen("C0GOV:1.2") and not store.events.seen("C0GOV:9.9")
        assert store.threads.resolve("C0GOV", "1.2") == Anchor(
            "C0GOV", "1.2", "CSE13-02", "reminder"
        )
        assert store.threads.resolve("C0GOV", "9.9") is None
        assert store.snoozes.all() == {
            ("U1", "CSE13-10"): date(2014, 2, 1),
            ("U2", "CSE13-10"): date(2014, 2, 3),
        }
        assert store.meetings.speakers("GAB-2014-04-29") == ["U1", "U2"]
        [discussion] = store.meetings.discussed("GAB-2014-04-29")
        assert (discussion.note, discussion.at) == ("ok", SUMMER)
        assert store.reminder_prefs.get("U1") == ReminderPrefs(
            "U1", (0, 3), date(2014, 2, 7), only_mine=True
        )
        assert store.reminder_prefs.get("U9") == ReminderPrefs("U9")  # the defaults
        assert sorted(store.reminder_prefs.all()) == ["U1", "U2"]
        assert store.subscriptions.all() == [
            Subscription("C0GOV", "source", "CSE13"),
            Subscription("C0SHEF", "district", "Sheffield"),
        ]
        assert store.settings.get("districts") == "Barnsley, Doncaster, Rotherham, Sheffield"
        assert store.settings.get("unset") is None


def test_saving_again_replaces_and_never_doubles(stores):
    store = stores.new()
    fill(store)
    with store.transaction():
        store.items.save(Item("CSE13-10", "CSE13", 10, text="Tenth, reworded", status="blocked"))
        store.sources.save(Source("CSE13", "CSE response (revised)", date(2014, 1, 31)))
        store.figures.replace_source(
            "PANEL15", [Figure("Barnsley", "referrals", "2015-04", 9, "PANEL15")]
        )
        store.gab.save_standing(StandingItem("GAB1", "Budget", until=date(2014, 12, 31)))
        store.gab.add_extra_meeting(SUMMER)
        store.gab.cancel(date(2014, 8, 26))
        store.threads.remember(Anchor("C0GOV", "1.2", "", "digest"))
        store.snoozes.snooze("U1", "CSE13-10", date(2014, 3, 1))
        store.meetings.record_speaker("GAB-2014-04-29", "U1", SUMMER)
        again = Discussion("GAB-2014-04-29", "CSE13-02", "U2", SUMMER, "later note")
        assert store.meetings.record_discussed(again) is False
        store.history.set_permalink("CSE13-02", "m2", "https://slack/p2")
        store.history.set_permalink("CSE13-02", "m2", "https://slack/other")  # never replaced
        store.reminder_prefs.save(ReminderPrefs("U1", (4,)))
        assert not store.subscriptions.add(Subscription("C0GOV", "source", "CSE13"))
        assert store.subscriptions.remove(Subscription("C0SHEF", "district", "Sheffield"))
        assert not store.subscriptions.remove(Subscription("C0SHEF", "district", "Sheffield"))
        store.settings.set("districts", "Sheffield")
        store.settings.set("other", "x")
        assert store.settings.clear("other") and not store.settings.clear("other")
    with store.transaction():
        assert store.items.get("CSE13-10").status == "blocked" and len(store.items.ids()) == 3
        assert [s.title for s in store.sources.all()][0] == "CSE response (revised)"
        assert [f.district for f in store.figures.all()] == ["Barnsley"]
        assert [s.until for s in store.gab.standing_items()] == [date(2014, 12, 31), None]
        assert len(store.gab.extra_meetings()) == len(store.gab.cancellations()) == 1
        assert store.threads.resolve("C0GOV", "1.2").kind == "digest"
        assert store.snoozes.all() == {
            ("U1", "CSE13-10"): date(2014, 3, 1),
            ("U2", "CSE13-10"): date(2014, 2, 3),
        }
        assert store.meetings.speakers("GAB-2014-04-29") == ["U1", "U2"]
        assert store.meetings.discussed("GAB-2014-04-29")[0].note == "ok"
        entry = store.history.for_item("CSE13-02")[1]
        assert entry.permalink == "https://slack/p2"
        assert store.reminder_prefs.all()["U1"] == ReminderPrefs("U1", (4,))
        assert len(store.reminder_prefs.dump()) == 2
        assert store.subscriptions.all() == [Subscription("C0GOV", "source", "CSE13")]
        assert store.settings.get("districts") == "Sheffield"
        assert store.settings.get("other") is None
        assert len(store.settings.dump()) == 1


def test_a_claim_is_taken_once_until_released_or_stale(stores):
    store = stores.new()
    with store.transaction():
        assert store.sent.claimed_at("k") is None
        assert store.sent.claim("k", WINTER)
        assert store.sent.claimed_at("k") == WINTER
        assert not store.sent.claim("k", WINTER + timedelta(minutes=9))  # a sweep still running
        assert store.sent.claim("k", WINTER + timedelta(minutes=10))  # that sweep died
        assert store.sent.claimed_at("k") == WINTER + timedelta(minutes=10)
        store.sent.release("k")
        assert store.sent.claimed_at("k") is None
        assert store.sent.claim("k", WINTER + timedelta(minutes=11))
        store.sent.mark_sent("k", WINTER + timedelta(minutes=11))
        assert not store.sent.claim("k", WINTER + timedelta(days=1))
        assert store.sent.claimed_at("k") is None
        store.sent.release("k")  # a sent key stays sent
        assert store.sent.is_sent("k") and not store.sent.is_sent("other")


def test_old_events_and_sent_keys_are_pruned(stores):
    store = stores.new()
    with store.transaction():
        store.events.record("old", WINTER)
        store.events.record("new", SUMMER)
        assert store.events.prune(WINTER + timedelta(days=1)) == 1
        assert not store.events.seen("old") and store.events.seen("new")
        assert [e["key"] for e in store.events.entries()] == ["new"]
        store.sent.mark_sent("old", WINTER)
        assert store.sent.claim("abandoned", WINTER)
        store.sent.mark_sent("new", SUMMER, channel="C0GOV", ts="1.2")
        assert store.sent.prune(WINTER + timedelta(days=1)) == 2
        assert store.sent.sent_keys() == {"new"}
        [entry] = store.sent.entries()
        assert (entry["key"], entry["state"], entry["channel"]) == ("new", "sent", "C0GOV")
        assert store.sent.prune(WINTER + timedelta(days=1)) == 0


def test_has_changes_tells_a_transaction_that_wrote_from_one_that_only_read(stores):
    store = stores.new()
    fill(store)
    with store.transaction():
        store.items.get("CSE13-02")
        store.subscriptions.all()
        store.settings.get("districts")
        assert not store.has_changes()
        store.settings.set("districts", "Sheffield")
        assert store.has_changes()
    with store.transaction():
        assert not store.has_changes()


def test_a_snooze_from_before_snoozes_were_personal_names_nobody_and_is_ignored(stores):
    store = stores.new()
    with store.transaction():
        store.snoozes.load([{"item_id": "CSE13-02", "until": "2014-02-01"}])
        store.snoozes.snooze("U1", "CSE13-02", date(2014, 2, 3))
        assert store.snoozes.all() == {("U1", "CSE13-02"): date(2014, 2, 3)}
        assert len(store.snoozes.dump()) == 2


def test_a_failed_transaction_writes_nothing(stores):
    store = stores.new()
    fill(store)
    before = contents(store)
    with pytest.raises(RuntimeError), store.transaction():
        store.items.save(Item("CSE13-99", "CSE13", 99))
        with store.transaction():  # a nested one joins the outer
            store.history.append(HistoryEntry("CSE13-99", WINTER, "U1", "import"))
        raise RuntimeError("half way")
    assert contents(store) == before


def test_repositories_are_reached_only_inside_a_transaction_of_this_thread(stores):
    store = stores.new()
    with pytest.raises(StorageError, match="outside a transaction"):
        store.items.all()
    inside, release = threading.Event(), threading.Event()

    def hold() -> None:
        with store.transaction():
            inside.set()
            release.wait(5)

    holder = threading.Thread(target=hold)
    holder.start()
    inside.wait(5)
    try:
        with pytest.raises(StorageError, match="outside a transaction"):
            store.sources.all()
    finally:
        release.set()
        holder.join()


def test_a_copy_holds_the_same_records_and_a_filled_target_is_refused(stores):
    source, target = stores.new(), stores.new()
    fill(source)
    copied = copy_store(source, target)
    assert copied == counts(source) == counts(target)
    assert set(copied) == set(REPOSITORIES) and all(copied.values())
    assert differences(source, target) == []
    with target.transaction():
        assert target.items.get("NCP15-02") == ITEMS[0]
        target.snoozes.snooze("U1", "CSE13-02", date(2014, 9, 1))
        target.settings.set("districts", "Sheffield")
    assert differences(source, target) == [
        "snoozes: 2 vs 3 records (0 only in the first, 1 only in the second)",
        "settings: 1 vs 1 records (1 only in the first, 1 only in the second)",
    ]
    with pytest.raises(StorageError, match="already holds"):
        copy_store(source, target)


def test_every_repository_has_every_method_of_its_protocol(stores):
    store = stores.new()
    protocols = get_type_hints(Store)  # the Protocol of storage/interface.py
    assert set(REPOSITORIES) <= set(protocols)
    for name in REPOSITORIES:
        protocol = protocols[name]
        wanted = {
            m for k in protocol.__mro__ if k is not object for m in vars(k) if not m.startswith("_")
        }
        missing = {m for m in wanted if not callable(getattr(getattr(store, name), m, None))}
        assert not missing, f"{stores.backend} {name} lacks {sorted(missing)}"
    for method in ("transaction", "has_changes", "remove_stale_temporaries", "describe"):
        assert callable(getattr(store, method))
