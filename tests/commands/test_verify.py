"""`govbot verify` (issue 10): the register agrees with its append-only history and ledgers."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime

import pytest

from bot.cli import main
from commands.context import Context, Settings
from commands.updates import UpdateRequest, apply_update, assign_leads, move_due_date
from commands.verify import check_event_ledger, check_history, check_sent_ledger, verify_store
from storage.models import HistoryEntry, Item
from tests.conftest import import_cse13
from tests.harness import ADMIN, LONDON

NOW = datetime(2014, 3, 3, 10, 0, tzinfo=LONDON)


@pytest.fixture
def cse13_store(stores):
    """CSE13 imported, on each backend."""
    return import_cse13(stores.new())


def _ctx(store) -> Context:
    return Context(store, NOW, ADMIN, Settings(admins=frozenset({ADMIN}), tz=LONDON))


@pytest.fixture
def worked_store(cse13_store):
    """CSE13 with a status change, a lead, a moved due date and a trigger key."""
    ctx = _ctx(cse13_store)
    apply_update(ctx, UpdateRequest("CSE13-04", "in progress", note="started", key="msg:C1:1.0"))
    assign_leads(ctx, "CSE13-04", ("ULEAD001",))
    move_due_date(ctx, "CSE13-04", date(2015, 1, 1), "board agreed")
    with cse13_store.transaction() as store:
        store.events.record("trigger:1.2.3", NOW)
        store.sent.mark_sent("due:CSE13-04:2015-01-01:before-14:C0GOV", NOW)
    return cse13_store


def test_a_worked_register_is_consistent(worked_store):
    result = verify_store(worked_store)
    assert result.findings == () and result.ok
    assert result.items > 10 and result.entries > result.items and result.ledger_keys == 2


def test_an_item_whose_status_disagrees_with_its_history_is_found(worked_store):
    with worked_store.transaction() as store:
        store.items.save(replace(store.items.get("CSE13-04"), status="closed"))
    [finding] = verify_store(worked_store).findings
    assert "CSE13-04" in finding and "'closed'" in finding and "'in progress'" in finding


def test_moved_due_dates_and_leads_are_checked():
    item = Item("X-1", "X", 1, due=date(2015, 1, 1), original_due=date(2014, 6, 1), leads=("U2",))
    entries = [
        HistoryEntry("X-1", NOW, ADMIN, "due", old="2014-05-01", new="2014-12-01"),
        HistoryEntry("X-1", NOW, ADMIN, "lead", old="", new="U1"),
    ]
    findings = check_history([item], entries)
    assert len(findings) == 3
    assert any("last due change says 2014-12-01" in f for f in findings)
    assert any("original due 2014-06-01" in f for f in findings)
    assert any("last lead change says 'U1'" in f for f in findings)


def test_history_of_a_missing_item_and_orphan_amendments_are_found():
    item = Item("X-1", "X", 1)
    entries = [
        HistoryEntry("X-9", NOW, ADMIN, "status", old="not started", new="in progress"),
        HistoryEntry("X-1", NOW, ADMIN, "amend", old="a", new="b", key="msg:C:9:amend:1"),
    ]
    findings = check_history([item], entries)
    assert any("X-9, which is not in the register" in f for f in findings)
    assert any("amendment refers to no recorded update" in f for f in findings)


def test_malformed_ledger_keys_are_found():
    assert check_sent_ledger([{"key": "due:X:1:C", "state": "sent", "at": NOW.isoformat()}]) == []
    bad = check_sent_ledger(
        [{"key": "", "state": "sent", "at": "x"}, {"key": "a:b", "state": "lost", "at": None}]
    )
    assert len(bad) == 4
    assert check_event_ledger([{"key": "msg:C:1", "at": NOW.isoformat()}]) == []
    assert len(check_event_ledger([{"key": "evil", "at": NOW.isoformat()}])) == 1


def test_govbot_verify_prints_findings_and_exits_1(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GOVBOT_DB", str(tmp_path / "govbot.json"))
    from storage.store import open_store

    import_cse13(open_store(tmp_path / "govbot.json"))
    assert main(["verify"]) == 0
    assert "consistent" in capsys.readouterr().out

    from storage.database import shard_key

    items_file = tmp_path / f"govbot.{shard_key('items', 'CSE13-04')}.json"
    data = json.loads(items_file.read_text())
    for doc in data["items"].values():
        if doc["id"] == "CSE13-04":
            doc["status"] = "implemented"  # changed behind the history's back
    items_file.write_text(json.dumps(data))
    assert main(["verify"]) == 1
    out = capsys.readouterr().out
    assert "PROBLEM  CSE13-04: status is 'implemented'" in out and "1 problem(s)" in out
