"""Start-up and housekeeping (issue 10): Socket Mode waits for Slack with back-off, crash
leftovers are removed, ledgers are pruned, and bad moments and old escape codes never reach
a traceback or a terminal."""

from __future__ import annotations

import subprocess
import threading
import time
from datetime import datetime, timedelta

import pytest

from bot.backoff import connect_with_backoff, delays
from bot.cli import main
from commands.housekeeping import EVENT_MEMORY, SENT_MEMORY, prune_ledgers
from storage.models import HistoryEntry
from storage.store import open_store
from tests.conftest import import_cse13
from tests.e2e.test_run_process import _env, _free_port, _govbot, _start_run, _wait_healthy
from tests.e2e.test_socket_mode import APP_TOKEN, FakeSocketMode
from tests.harness import ADMIN, LONDON

NOW = datetime(2014, 3, 3, 10, 0, tzinfo=LONDON)


def test_socket_mode_start_up_retries_with_back_off_until_slack_answers(tmp_path, fake_slack):
    server = FakeSocketMode().start()
    fake_slack.socket_url = server.url("link")
    fake_slack.fail_next("apps.connections.open", status=200, error="internal_error", times=2)
    env = _env(tmp_path, fake_slack.api_url, _free_port(), SLACK_APP_TOKEN=APP_TOKEN)
    proc = subprocess.Popen(
        _govbot("run"), env=env, cwd=tmp_path, text=True, stderr=subprocess.PIPE
    )
    try:
        _first_connection(server, proc, within=20)  # after pauses of 1 s and 2 s
    finally:
        proc.terminate()
        _, stderr = proc.communicate(timeout=10)
        server.stop()
    assert proc.returncode == 0
    assert "retrying in 1 s" in stderr and "retrying in 2 s" in stderr
    assert "Traceback" not in stderr and APP_TOKEN not in stderr


def _first_connection(server: FakeSocketMode, proc: subprocess.Popen, within: float) -> None:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        assert proc.poll() is None, "govbot run exited instead of retrying"
        if not server.connections.empty():
            return
        time.sleep(0.1)
    raise AssertionError(f"no Socket Mode connection within {within}s")


def test_back_off_doubles_up_to_a_minute_and_stops_when_asked():
    assert [d for d, _ in zip(delays(), range(9), strict=False)] == [1, 2, 4, 8, 16, 32, 60, 60, 60]
    stop = threading.Event()
    attempts: list[float] = []

    def unreachable() -> None:
        attempts.append(time.monotonic())
        if len(attempts) == 3:
            stop.set()
        raise ConnectionRefusedError("nobody there")

    assert connect_with_backoff(unreachable, stop, iter([0.01] * 10)) is False
    assert len(attempts) == 3


@pytest.mark.tinydb_only("the temporary files are TinyDB's")
def test_temporary_files_left_by_a_crash_are_removed_at_start(tmp_path, fake_slack):
    store = import_cse13(open_store(tmp_path / "govbot.json"))
    del store
    leftovers = [
        tmp_path / name
        for name in (
            ".govbot.json.abc123.tmp",
            ".govbot.items.json.x9.tmp",  # of the v2 layout
            ".govbot.items-07.json.x9.tmp",
            ".govbot.month-2014-03-status-01.json.q1.tmp",  # a month log's first write
        )
    ]
    for path in leftovers:
        path.write_bytes(b'{"half": ')
    unrelated = tmp_path / ".notes.tmp"
    unrelated.write_text("mine")
    port = _free_port()
    proc = _start_run(_env(tmp_path, fake_slack.api_url, port), tmp_path, stdout=None)
    try:
        _wait_healthy(f"http://127.0.0.1:{port}", proc)
    finally:
        proc.terminate()
        proc.communicate(timeout=10)
    assert not any(path.exists() for path in leftovers)
    assert unrelated.exists()


def test_ledgers_are_pruned_past_their_retention(stores):
    store = stores.new()
    now = datetime(2026, 12, 3, 9, 0, tzinfo=LONDON)
    with store.transaction() as tx:
        for age in (timedelta(0), EVENT_MEMORY - timedelta(hours=1), EVENT_MEMORY + timedelta(1)):
            tx.events.record(f"msg:C1:{age.total_seconds()}", now - age)
        for age in (timedelta(0), SENT_MEMORY - timedelta(1), SENT_MEMORY + timedelta(1)):
            tx.sent.mark_sent(f"due:X-{age.days}:2026-01-01:C1", now - age)
    tidied = prune_ledgers(store, now)
    assert (tidied.events, tidied.sent) == (1, 1)
    with store.transaction() as tx:
        assert len(tx.events.entries()) == 2 and len(tx.sent.entries()) == 2
    assert prune_ledgers(store, now) == type(tidied)(0, 0)


# -- the command line ------------------------------------------------------------------------


@pytest.mark.parametrize("moment", ["9999-12-31T23:59", "0001-01-01T00:00", "1900-06-01"])
def test_tick_at_an_implausible_moment_is_one_line_not_a_traceback(cli_db, capsys, moment):
    assert main(["tick", "--at", moment, "--dry-run"]) == 2
    err = capsys.readouterr().err
    assert "not a plausible moment" in err and len(err.strip().splitlines()) == 1


def test_ask_never_prints_terminal_escapes_even_from_old_notes(cli_db, capsys):
    with cli_db.transaction() as tx:  # written before input hygiene existed
        item = tx.items.get("CSE13-04")
        tx.history.append(HistoryEntry(item.id, NOW, ADMIN, "note", note="a\x1b[2Jb\x07c"))
    assert main(["ask", "/recs CSE13-04"]) == 0
    out = capsys.readouterr().out
    assert "a[2Jbc" in out and "\x1b" not in out and "\x07" not in out
