"""The one update path (SPEC sections 2 and 5): status, evidence, leads and due dates, each with
its history, exactly once."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from commands.context import Context, Settings
from commands.errors import BadInput, NotAllowed, UnknownItem
from commands.updates import UpdateRequest, apply_update, assign_leads, move_due_date
from storage.models import Item, Source
from storage.store import Store
from tests.harness import ADMIN, LONDON

LEAD = "ULEAD001"
STRANGER = "USTRANGE1"
NOW = datetime(2014, 3, 3, 10, 0, tzinfo=LONDON)


@pytest.fixture
def store(stores) -> Store:
    store = stores.new()
    with store.transaction():
        store.sources.save(Source("CSE13", "SYP response to CSE", date(2014, 1, 31)))
        store.items.save_many(
            [
                Item("CSE13-04", "CSE13", 4, timescale="immediately", due=date(2014, 1, 31)),
                Item(
                    "CSE13-07",
                    "CSE13",
                    7,
                    timescale="within three months",
                    due=date(2014, 4, 30),
                    leads=(LEAD,),
                ),
                Item("CSE13-16", "CSE13", 16, timescale=""),  # no timescale, no due date
            ]
        )
    return store


def ctx(store: Store, user: str = ADMIN, when: datetime = NOW) -> Context:
    return Context(store, when, user, Settings(admins=frozenset({ADMIN})))


def item(store: Store, item_id: str) -> Item:
    with store.transaction():
        found = store.items.get(item_id)
    assert found is not None
    return found


def history(store: Store, item_id: str) -> list:
    with store.transaction():
        return store.history.for_item(item_id)


def test_a_status_change_is_recorded_with_who_when_note_and_slack_link(store):
    result = apply_update(
        ctx(store, LEAD),
        UpdateRequest(
            "cse13-7",
            "in progress",
            note="risk tool review started",
            key="C0GOV:1393840800.000100",
            channel="C0GOV",
            ts="1393840800.000100",
            permalink="https://example.slack.com/archives/C0GOV/p1393840800000100",
        ),
    )
    assert result.describe() == f"CSE13-07: not started → in progress, by @{LEAD}"
    assert (result.item.status, result.item.updated_at) == ("in progress", NOW)
    (entry,) = history(store, "CSE13-07")
    assert entry == result.entry
    assert (entry.by, entry.at, entry.change, entry.old, entry.new) == (
        LEAD,
        NOW,
        "status",
        "not started",
        "in progress",
    )
    assert entry.permalink.endswith("p1393840800000100")
    assert item(store, "CSE13-07").status == "in progress"


def test_the_same_slack_message_never_records_twice(store):
    request = UpdateRequest("CSE13-07", "implemented", note="done", key="C0GOV:1.0")
    first = apply_update(ctx(store, LEAD), request)
    later = ctx(store, LEAD, NOW + timedelta(minutes=5))
    again = apply_update(later, request)
    assert not first.duplicate and again.duplicate
    assert again.entry == first.entry
    assert len(history(store, "CSE13-07")) == 1
    assert item(store, "CSE13-07").updated_at == NOW


def test_evidence_is_recorded_without_changing_the_status(store):
    result = apply_update(
        ctx(store, LEAD), UpdateRequest("CSE13-07", None, evidence="https://example.org/tool.pdf")
    )
    assert result.describe() == f"CSE13-07: evidence added, by @{LEAD}"
    assert (result.item.status, result.item.has_evidence) == ("not started", True)
    assert history(store, "CSE13-07")[-1].evidence == "https://example.org/tool.pdf"


def test_a_note_on_the_same_status_is_a_note(store):
    result = apply_update(ctx(store, LEAD), UpdateRequest("CSE13-07", "not started", note="soon"))
    assert result.entry.change == "note"
    assert result.describe() == f"CSE13-07: note added (not started), by @{LEAD}"


def test_nothing_to_record_is_refused(store):
    with pytest.raises(BadInput, match="Nothing to record for CSE13-07"):
        apply_update(ctx(store, LEAD), UpdateRequest("CSE13-07", None))
    assert history(store, "CSE13-07") == []


def test_a_refused_update_leaves_no_trace(store):
    with pytest.raises(NotAllowed, match=f"its lead \\(@{LEAD}\\) or a governance admin"):
        apply_update(ctx(store, STRANGER), UpdateRequest("CSE13-07", "in progress"))
    with pytest.raises(UnknownItem, match="Did you mean CSE13-07"):
        apply_update(ctx(store, LEAD), UpdateRequest("CSE13-70", "in progress"))
    assert item(store, "CSE13-07").status == "not started"
    assert history(store, "CSE13-07") == []


def test_assigning_leads_is_recorded(store):
    with pytest.raises(NotAllowed):
        assign_leads(ctx(store, LEAD), "CSE13-04", (LEAD,))
    with pytest.raises(BadInput, match="Name the lead"):
        assign_leads(ctx(store), "CSE13-04", ())
    result = assign_leads(ctx(store), "CSE13-04", (LEAD, "ULEAD002"))
    assert result.item.leads == (LEAD, "ULEAD002")
    entry = history(store, "CSE13-04")[-1]
    assert (entry.change, entry.old, entry.new, entry.by) == ("lead", "", f"{LEAD},ULEAD002", ADMIN)


def test_a_moved_due_date_keeps_the_original_however_often_it_moves(store):
    move_due_date(ctx(store), "CSE13-07", date(2014, 6, 30), "procurement delayed")
    move_due_date(ctx(store), "CSE13-07", date(2014, 9, 30), "supplier failed")
    moved = item(store, "CSE13-07")
    assert (moved.due, moved.original_due) == (date(2014, 9, 30), date(2014, 4, 30))


def test_giving_a_due_date_to_an_item_without_one_keeps_no_original(store):
    move_due_date(ctx(store), "CSE13-16", date(2014, 12, 31), "agreed at GAB")
    move_due_date(ctx(store), "CSE13-16", date(2015, 3, 31), "extended at GAB")
    moved = item(store, "CSE13-16")
    assert moved.due == date(2015, 3, 31)
    assert moved.original_due is None  # the report gave none; 2014-12-31 was never original
    changes = [(e.old, e.new) for e in history(store, "CSE13-16") if e.change == "due"]
    assert changes == [("none", "2014-12-31"), ("2014-12-31", "2015-03-31")]
