"""Start-up refuses a bad bot token; `govbot ask --at` answers as at a moment (issue 12)."""

from __future__ import annotations

import subprocess

import pytest

from bot.cli import main
from tests.e2e.test_run_process import _env, _free_port, _govbot


@pytest.mark.parametrize("error", ["invalid_auth", "token_revoked"])
def test_a_token_slack_refuses_stops_start_up_naming_it(tmp_path, fake_slack, error):
    fake_slack.set_response("auth.test", {"ok": False, "error": error})
    env = _env(tmp_path, fake_slack.api_url, _free_port())
    done = subprocess.run(
        _govbot("run"), env=env, cwd=tmp_path, text=True, capture_output=True, timeout=60
    )
    assert done.returncode == 2
    assert f"SLACK_BOT_TOKEN was refused by Slack ({error})" in done.stderr
    assert "Traceback" not in done.stderr and "xoxb-secret-token-value" not in done.stderr


def test_ask_at_answers_as_at_that_moment(cli_db, capsys):
    assert main(["ask", "/recs overdue", "--at", "2014-01-15"]) == 0  # all due 2014-01-31
    assert "Nothing is overdue" in capsys.readouterr().out
    assert main(["ask", "/recs overdue", "--at", "2014-02-15"]) == 0
    assert "15 days overdue" in capsys.readouterr().out
    assert main(["ask", "/recs overdue", "--at", "2014-03-03T10:00"]) == 0
    out = capsys.readouterr().out
    assert "5 item(s)" in out and "31 days overdue" in out
    assert main(["ask", "/recs overdue", "--at", "2014-13-03"]) == 2
    assert "--at '2014-13-03'" in capsys.readouterr().err


def test_ask_reads_a_mention_as_slack_sends_it_or_as_typed(cli_db, capsys):
    assert main(["ask", "/recs assign CSE13-06 <@ULEAD001|lead>"]) == 0
    assert main(["ask", "/recs assign CSE13-07 @ULEAD002"]) == 0
    capsys.readouterr()
    with cli_db.transaction() as store:
        assert store.items.get("CSE13-06").leads == ("ULEAD001",)
        assert store.items.get("CSE13-07").leads == ("ULEAD002",)
