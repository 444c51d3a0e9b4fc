"""`govbot tick` end to end: the real command line, a CSE13 register, the fake Slack Web API."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest

from bot.cli import main
from commands.calendar import is_working_day
from tests.conftest import import_cse13

REPO = Path(__file__).resolve().parents[2]
LINE = re.compile(
    r"^(?P<day>\d{4}-\d{2}-\d{2}) (?P<time>\d\d:\d\d)  (?P<kind>\S+)  (?P<subject>\S+) → "
    r"(?P<to>\S+)  (?P<label>.+?)(?P<late> \(late\))?$"
)
# CSE13-06 is due on Wednesday 30 April 2014 ("within three months" of 31 January); it has no
# lead, so reminders go to the channel and the admins, and it has had no update since 31 January.
BOTH = ("#C0GOV", "@UADMIN01")
CSE13_06 = {
    date(2014, 4, 16): [("due", BOTH, "due in 14 days")],
    date(2014, 4, 23): [("due", BOTH, "due in 7 days")],
    date(2014, 4, 29): [("due", BOTH, "due tomorrow")],
    date(2014, 4, 30): [("due", BOTH, "due today")],
    date(2014, 5, 1): [("stale", ("@UADMIN01",), "no update for 90 days")],
    # Monday 5 May is a bank holiday: that week's overdue reminder goes on the Friday before.
    date(2014, 5, 2): [("overdue", BOTH, "2 days overdue")],
    date(2014, 5, 12): [("overdue", BOTH, "12 days overdue")],
    date(2014, 5, 14): [("escalation", ("@UADMIN01",), "escalated: 14 days overdue")],
}
DAYS_OFF = [date(2014, 4, 18), date(2014, 4, 19), date(2014, 4, 21), date(2014, 5, 5)]


@pytest.fixture
def env(fake_slack, stores) -> dict[str, str]:
    db = stores.location()
    import_cse13(stores.open(db))
    return tick_env(db, fake_slack)


def tick_env(db: str, fake_slack) -> dict[str, str]:  # noqa: ANN001 - the fake Slack
    """The environment of a `govbot tick` process on the register at `db`."""
    values = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "GOVBOT_"))}
    values.update(
        PYTHONPATH=str(REPO),
        GOVBOT_DB=db,
        SLACK_BOT_TOKEN="xoxb-test",
        SLACK_API_URL=fake_slack.api_url,
        GOVBOT_CHANNEL="C0GOV",
        GOVBOT_ADMINS="UADMIN01",
    )
    return values


def start_tick(env: dict[str, str], cwd: Path, *args: str) -> subprocess.Popen:
    command = [sys.executable, "-m", "bot.cli", "tick", *args]
    return subprocess.Popen(
        command, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def tick(env: dict[str, str], cwd: Path, *args: str) -> tuple[int, str, str]:
    process = start_tick(env, cwd, *args)
    out, err = process.communicate(timeout=60)
    return process.returncode, out, err


def deliveries(output: str) -> list[re.Match[str]]:
    found = [LINE.match(line.removeprefix("sent    ")) for line in output.splitlines()]
    return [m for m in found if m]


def check_dry_run(day: date, out: str) -> list[tuple[str, str, str]]:
    """Check one dry run's lines; return CSE13-06's own (kind, destination, label) for `day`."""
    lines = deliveries(out)
    assert lines or "nothing to send" in out
    assert len({m[0] for m in lines}) == len(lines), f"a line listed twice on {day}"
    for m in lines:
        sent_on = date.fromisoformat(m["day"])
        assert is_working_day(sent_on) and m["time"] == "09:00", m[0]
        assert (sent_on < day) == bool(m["late"]), m[0]  # only the day's own are on time
    return [
        (m["kind"], m["to"], m["label"])
        for m in lines
        if m["subject"] == "CSE13-06" and not m["late"]
    ]


def expected_06(day: date) -> list[tuple[str, str, str]]:
    return [(kind, to, label) for kind, audience, label in CSE13_06.get(day, []) for to in audience]


def test_dry_run_as_a_command_lists_reminders_once_on_working_days(env, tmp_path):
    days = [date(2014, 4, 18), date(2014, 5, 2)]  # Good Friday; the Friday before May Day
    # Dry runs record nothing, so they can all run at once.
    running = {day: start_tick(env, tmp_path, "--at", f"{day}T09:00", "--dry-run") for day in days}
    for day, process in running.items():
        out, err = process.communicate(timeout=60)
        assert process.returncode == 0, err
        assert check_dry_run(day, out) == expected_06(day)


def test_dry_run_every_day_follows_cse13_06_through_easter_and_may_day(
    env, tmp_path, monkeypatch, capsys
):
    """The same command in-process, for every day from 14 April to 16 May 2014."""
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(tmp_path)
    seen: dict[date, list[tuple[str, str, str]]] = {}
    for n in range(33):
        day = date(2014, 4, 14) + timedelta(days=n)
        assert main(["tick", "--at", f"{day}T09:00", "--dry-run"]) == 0
        seen[day] = check_dry_run(day, capsys.readouterr().out)
        assert seen[day] == expected_06(day), day
    assert {day for day, lines in seen.items() if lines} == set(CSE13_06)
    assert not any(seen[day] for day in DAYS_OFF)


def test_a_dry_run_previews_the_real_tick_and_a_second_tick_sends_nothing(
    env, tmp_path, fake_slack
):
    code, preview, err = tick(env, tmp_path, "--at", "2014-01-17T09:00", "--dry-run")
    assert code == 0, err
    assert "2014-01-17 09:00  due  CSE13-04 → #C0GOV  due in 14 days" in preview
    assert fake_slack.calls() == []

    code, out, err = tick(env, tmp_path, "--at", "2014-01-17T09:00")
    assert code == 0, err
    sent = [m[0] for m in deliveries(out)]
    assert sent == [m[0] for m in deliveries(preview)]  # the dry run recorded nothing
    assert len(sent) == 11  # 5 items × (channel, admin) and the weekly digest
    assert "11 reminder(s) in 2 message(s)" in preview
    # one message to the channel, one to the admin's DM
    assert len(fake_slack.calls("chat.postMessage")) == 2
    assert "11 sent in 2 message(s), 0 failed" in out

    code, out, err = tick(env, tmp_path, "--at", "2014-01-17T09:00")
    assert code == 0 and "0 sent in 0 message(s), 0 failed" in out and deliveries(out) == []
    assert len(fake_slack.calls("chat.postMessage")) == 2


def test_a_real_tick_needs_the_bot_token(env, tmp_path, monkeypatch, capsys, fake_slack):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("SLACK_BOT_TOKEN")
    monkeypatch.chdir(tmp_path)
    assert main(["tick", "--at", "2014-04-16T09:00"]) == 2
    err = capsys.readouterr().err
    assert "SLACK_BOT_TOKEN" in err and "--dry-run" in err
    assert fake_slack.calls() == []
    assert main(["tick", "--at", "16/04/2014"]) == 2
    assert "YYYY-MM-DDTHH:MM" in capsys.readouterr().err


def test_eight_weeks_of_daily_ticks_send_each_recipient_at_most_one_message_a_sweep(
    env, tmp_path, monkeypatch, capsys, fake_slack, stores
):
    leads = ("ULEAD001", "ULEAD002", "ULEAD003")
    store = stores.open(env["GOVBOT_DB"])
    with store.transaction():
        for n, item in enumerate(sorted(store.items.all(), key=lambda i: i.number)):
            store.items.save(replace(item, leads=(leads[n % 3],)))
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(tmp_path)
    day, sent, combined = date(2014, 1, 13), 0, 0
    while day < date(2014, 3, 10):
        if is_working_day(day):
            before = len(fake_slack.calls("chat.postMessage"))
            assert main(["tick", "--at", f"{day}T09:00"]) == 0
            out = capsys.readouterr().out
            posts = [c.args["channel"] for c in fake_slack.calls("chat.postMessage")[before:]]
            assert len(posts) == len(set(posts)), f"{day}: a recipient got two messages"
            summary = re.search(r"(\d+) sent in (\d+) message\(s\), 0 failed", out)
            assert summary and int(summary[2]) == len(posts), out
            sent += int(summary[1])
            combined += int(summary[1]) > len(posts)
        day += timedelta(days=1)
    with store.transaction():
        assert len(store.sent.sent_keys()) == sent  # every delivery recorded once
    assert combined >= 5 and sent > len(fake_slack.calls("chat.postMessage"))
