"""A thread update on a full disk (issue 10): the lead is told in the thread that nothing was
recorded, and nothing is; `govbot run` runs as a real process whose files cannot grow."""

from __future__ import annotations

import resource
import signal
from dataclasses import replace
from pathlib import Path

import pytest

from storage.database import shard_key
from storage.store import open_store
from storage.threads import Anchor
from tests.conftest import import_cse13
from tests.e2e.test_run_process import _env, _free_port, _start_run, _wait_healthy
from tests.fakes.signing import JSON, event_body, post_signed
from tests.harness import SECRET

pytestmark = pytest.mark.tinydb_only("a full disk under a TinyDB file")

LEAD = "ULEAD001"
ITEM_TS = "1393841000.000001"


def _prepare(db: Path) -> int:
    """CSE13-04 led by LEAD with its thread; returns the size of the items shard it is in."""
    store = import_cse13(open_store(db))
    with store.transaction() as tx:
        tx.items.save(replace(tx.items.get("CSE13-04"), leads=(LEAD,)))
        tx.threads.remember(Anchor("C0GOV", ITEM_TS, "CSE13-04", "item"))
    return db.with_name(f"govbot.{shard_key('items', 'CSE13-04')}.json").stat().st_size


def _files_cannot_grow_past(limit: int):  # noqa: ANN202 - a preexec_fn
    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a failed write, not a killed process
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.RLIM_INFINITY))

    return apply


def test_an_update_that_cannot_be_stored_is_answered_as_not_recorded(tmp_path, fake_slack):
    db = tmp_path / "govbot.json"
    largest = _prepare(db)
    port = _free_port()
    env = _env(tmp_path, fake_slack.api_url, port, GOVBOT_REMIND_AT="23:59")
    # an update grows the items file
    proc = _start_run(env, tmp_path, preexec_fn=_files_cannot_grow_past(largest + 8))
    try:
        url = f"http://127.0.0.1:{port}"
        _wait_healthy(url, proc)
        ts = "1393841000.000200"
        reply = {
            "type": "message",
            "channel": "C0GOV",
            "user": LEAD,
            "text": "in progress: training booked for March",
            "ts": ts,
            "thread_ts": ITEM_TS,
            "event_ts": ts,
        }
        status, _, _ = post_signed(
            url + "/slack/events", event_body(reply), SECRET, content_type=JSON
        )
        assert status == 200  # answered, so Slack does not retry into the same full disk
        [answer] = fake_slack.wait_for("chat.postMessage")
        assert answer.args["thread_ts"] == ITEM_TS
        assert "NOT recorded" in answer.args["text"]
        assert fake_slack.calls("reactions.add") == []
    finally:
        proc.terminate()
        _, stderr = proc.communicate(timeout=10)
    assert "storage error" in stderr and "Traceback" not in stderr
    store = open_store(db)
    with store.transaction() as tx:
        assert tx.items.get("CSE13-04").status == "not started"
        assert [e.change for e in tx.history.for_item("CSE13-04")] == ["import"]
