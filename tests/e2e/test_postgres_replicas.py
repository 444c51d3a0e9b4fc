"""PostgreSQL shared by several bots: pg_stores serving one register, reminders sent once,
`govbot run` twice on one database, and a TinyDB register moved over with `govbot migrate`."""

from __future__ import annotations

import threading
import time
from dataclasses import replace
from datetime import date, datetime

from bot.cli import main
from bot.scheduler import sweep_now
from bot.services import Services
from bot.slack_client import make_client
from bot.sweep import run_sweep
from storage.copying import differences
from storage.models import Discussion
from storage.reminder_prefs import ReminderPrefs, Subscription
from storage.store import open_store
from storage.threads import Anchor
from tests.conftest import import_cse13
from tests.e2e.test_run_process import _env, _free_port, _start_run, _wait_healthy
from tests.fakes.signing import post_signed, slash_command_body
from tests.harness import ADMIN, LONDON, SECRET, Clock, answer_text, make_config, running_bot

LEAD = "ULEAD001"
FRIDAY = datetime(2014, 1, 17, 9, 0, tzinfo=LONDON)  # CSE13-01..05 are due in 14 days


def test_two_replicas_share_updates_and_one_serves_when_the_other_stops(
    tmp_path, fake_slack, pg_stores
):
    import_cse13(pg_stores())
    with running_bot(tmp_path, fake_slack, store=pg_stores()) as second:
        with running_bot(tmp_path, fake_slack, store=pg_stores()) as first:
            for bot in (first, second):  # each has read the register, and keeps it decoded
                _, answer = bot.command("/recs summary")
                assert "not started 15" in answer_text(answer)
            _, answer = first.command("/recs assign CSE13-04 <@ULEAD001|lead>")
            assert "lead set to @ULEAD001" in answer_text(answer)
            _, answer = second.command("/recs set CSE13-04 in progress hub staffed", user=LEAD)
            assert "in progress" in answer_text(answer)
            _, answer = first.command("/recs CSE13-04")
            assert "in progress" in answer_text(answer) and "hub staffed" in answer_text(answer)
            _, answer = first.command("/recs summary")  # the other's change, in its register
            assert "not started 14" in answer_text(answer)
            assert "in progress 1" in answer_text(answer)
        # the first replica has stopped: the second still serves, with everything
        status, answer = second.command("/recs summary")
        assert status == 200 and "in progress 1" in answer_text(answer)


def test_three_concurrent_sweeps_send_each_reminder_once(tmp_path, fake_slack, pg_stores, pg_url):
    store = import_cse13(pg_stores())
    with store.transaction():
        store.items.save(replace(store.items.get("CSE13-04"), leads=(LEAD,)))
    config = make_config(pg_url, fake_slack)
    services = [Services(config, pg_stores(), clock=Clock(FRIDAY)) for _ in range(3)]
    # What is due is taken before the race: a sweep that read the ledger late has less pending.
    due = {d.key for d in run_sweep(services[0], None, FRIDAY, dry_run=True).pending}
    barrier = threading.Barrier(3)
    reports = []

    def sweep(svc: Services) -> None:
        client = make_client(svc.config)
        barrier.wait()
        reports.append(run_sweep(svc, client, FRIDAY))

    threads = [threading.Thread(target=sweep, args=(svc,)) for svc in services]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    for svc in services:
        svc.background.shutdown(wait=True)
    sent = [d.key for report in reports for d in report.sent]
    assert len(reports) == 3 and due
    assert sorted(sent) == sorted(due)  # every reminder, each by one sweep only
    channels = [c.args["channel"] for c in fake_slack.calls("chat.postMessage")]
    assert len(channels) == len(set(channels)) == 3  # one combined message per destination


def _command(port: int, line: str) -> str:
    name, _, text = line.partition(" ")
    body = slash_command_body(name, text, user_id=ADMIN)
    status, raw, _ = post_signed(
        f"http://127.0.0.1:{port}/slack/events",
        body,
        SECRET,
        content_type="application/x-www-form-urlencoded",
    )
    assert status == 200
    return raw.decode("utf-8")


def test_two_govbot_run_processes_serve_one_postgres_database(tmp_path, fake_slack, pg_url):
    ports = [_free_port(), _free_port()]
    procs = [
        _start_run(_env(tmp_path, fake_slack.api_url, port, GOVBOT_DB=pg_url), tmp_path)
        for port in ports
    ]
    try:
        for port, proc in zip(ports, procs, strict=True):
            _wait_healthy(f"http://127.0.0.1:{port}", proc)
        assert "register is empty" in _command(ports[0], "/recs summary")
        procs[0].kill()
        procs[0].wait(10)
        assert "register is empty" in _command(ports[1], "/recs summary")
        assert procs[1].poll() is None
    finally:
        for proc in procs:
            proc.kill()
            proc.communicate(timeout=10)


def test_migrate_copies_a_tinydb_register_and_verify_agrees(
    tmp_path, fake_slack, pg_url, monkeypatch, capsys
):
    tiny = tmp_path / "govbot.json"
    store = import_cse13(open_store(tiny))
    with store.transaction():
        store.items.save(replace(store.items.get("CSE13-04"), leads=(LEAD,)))
        store.snoozes.snooze(LEAD, "CSE13-05", date(2014, 2, 1))
        store.reminder_prefs.save(ReminderPrefs(LEAD, (0, 4), only_mine=True))
        store.subscriptions.add(Subscription("C0SHEF", "district", "Sheffield"))
        store.settings.set("districts", "Barnsley;Doncaster;Rotherham;Sheffield")
        store.threads.remember(Anchor("C0GOV", "1.1", "", "digest"))
        store.events.record("msg:C0GOV:1.1", FRIDAY)
        store.meetings.record_speaker("GAB-2014-01-28", LEAD, FRIDAY)
        store.meetings.record_discussed(Discussion("GAB-2014-01-28", "CSE13-04", LEAD, FRIDAY))
    services = Services(make_config(tiny, fake_slack), store, clock=Clock(FRIDAY))
    assert run_sweep(services, make_client(services.config), FRIDAY).sent  # the sent-ledger
    services.background.shutdown(wait=True)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GOVBOT_DB", str(tiny))

    assert main(["migrate", "--to", pg_url]) == 0
    out = capsys.readouterr().out
    assert "items: 15" in out and "Verified" in out
    for name in ("snoozes", "reminder_prefs", "subscriptions", "settings"):
        assert f"{name}: 1" in out
    target = open_store(pg_url)
    try:
        assert differences(store, target) == []
        with target.transaction():
            assert target.items.get("CSE13-04").leads == (LEAD,)
            assert target.sent.sent_keys() and target.events.seen("msg:C0GOV:1.1")
            assert target.snoozes.all() == {(LEAD, "CSE13-05"): date(2014, 2, 1)}
            assert target.reminder_prefs.get(LEAD).only_mine
            assert target.subscriptions.all() == [Subscription("C0SHEF", "district", "Sheffield")]
            assert target.settings.get("districts") == "Barnsley;Doncaster;Rotherham;Sheffield"
        assert main(["verify", "--against", pg_url]) == 0
        out = capsys.readouterr().out
        assert "consistent" in out and "Verified" in out  # the register's checks, then the copy

        with target.transaction():
            target.snoozes.snooze(LEAD, "CSE13-06", date(2014, 3, 1))
        assert main(["verify", "--against", pg_url]) == 1
        out = capsys.readouterr().out
        assert "consistent" in out and "snoozes: 1 vs 2 records" in out
        with target.transaction():  # as many records, one of them different
            target.items.save(replace(target.items.get("CSE13-05"), area="Moved"))
        assert main(["verify", "--against", pg_url]) == 1
        assert "items: 15 vs 15 records (1 only in the first" in capsys.readouterr().out
        assert main(["migrate", "--to", pg_url]) == 2  # never into a register that holds data
        assert "already holds items" in capsys.readouterr().err
        monkeypatch.setenv("GOVBOT_DB", pg_url)  # the copy's own register is consistent too
        assert main(["verify"]) == 0 and "consistent" in capsys.readouterr().out
    finally:
        target.close()


def test_only_the_replica_holding_the_sweep_lock_sweeps_on_schedule(fake_slack, pg_stores, pg_url):
    store = import_cse13(pg_stores())
    with store.transaction():
        store.items.save(replace(store.items.get("CSE13-04"), leads=(LEAD,)))
    config = make_config(pg_url, fake_slack)
    leader, follower = (Services(config, pg_stores(), clock=Clock(FRIDAY)) for _ in range(2))
    client = make_client(config)
    try:
        assert leader.store.leads_sweeps()
        sweep_now(follower, client)
        assert fake_slack.calls("chat.postMessage") == []
        sweep_now(leader, client)
        sent = len(fake_slack.calls("chat.postMessage"))
        assert sent
        leader.store.close()  # its connection gone, as when its process dies
        deadline = time.monotonic() + 60  # the server ends that session a moment later
        while not follower.store.leads_sweeps():
            assert time.monotonic() < deadline, "the follower never took the sweep over"
            time.sleep(0.1)
        follower.clock.now = FRIDAY.replace(hour=10)
        sweep_now(follower, client)
        assert len(fake_slack.calls("chat.postMessage")) == sent  # nothing sent twice
    finally:
        for svc in (leader, follower):
            svc.background.shutdown(wait=True)
