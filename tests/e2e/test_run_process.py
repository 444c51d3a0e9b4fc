"""`govbot run` as a real process: start-up checks, HTTP serving, one runner per database."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from tests.fakes.signing import post_signed, slash_command_body
from tests.harness import ADMIN, SECRET


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env(tmp_path: Path, fake_url: str, port: int, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "GOVBOT_"))}
    env.update(
        SLACK_BOT_TOKEN="xoxb-secret-token-value",
        SLACK_SIGNING_SECRET=SECRET,
        SLACK_API_URL=fake_url,
        GOVBOT_DB=str(tmp_path / "govbot.json"),
        GOVBOT_ADMINS=ADMIN,
        GOVBOT_CHANNEL="C0GOV",
        PORT=str(port),
    )
    env.update(extra)
    return env


def _govbot(*args: str) -> list[str]:
    return [sys.executable, "-m", "bot.cli", *args]


def _start_run(env: dict[str, str], cwd: Path, **popen: Any) -> subprocess.Popen:
    """`govbot run` as its own process, its output piped (unless `popen` says otherwise)."""
    options: dict[str, Any] = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, **popen}
    return subprocess.Popen(_govbot("run"), env=env, cwd=cwd, text=True, **options)


def _wait_healthy(url: str, proc: subprocess.Popen, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"govbot run exited early: {proc.stderr.read()}")
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.05)
    raise AssertionError("govbot run did not start serving")


def test_missing_setting_stops_start_up_naming_it(tmp_path, fake_slack):
    env = _env(tmp_path, fake_slack.api_url, _free_port())
    del env["SLACK_SIGNING_SECRET"]
    result = subprocess.run(
        _govbot("run"), env=env, capture_output=True, text=True, timeout=30, cwd=tmp_path
    )
    assert result.returncode == 2
    assert "SLACK_SIGNING_SECRET" in result.stderr


@pytest.mark.tinydb_only("one runner per TinyDB file; PostgreSQL replicas: test_postgres_replicas")
def test_run_serves_signed_http_and_refuses_a_second_runner(tmp_path, fake_slack):
    port = _free_port()
    env = _env(tmp_path, fake_slack.api_url, port)
    proc = _start_run(env, tmp_path)
    try:
        url = f"http://127.0.0.1:{port}"
        _wait_healthy(url, proc)
        body = slash_command_body("/recs", "summary", user_id=ADMIN)
        status, raw, _ = post_signed(
            url + "/slack/events", body, SECRET, content_type="application/x-www-form-urlencoded"
        )
        assert status == 200
        assert "register is empty" in json.dumps(json.loads(raw))

        second = subprocess.run(
            _govbot("run"),
            env=_env(tmp_path, fake_slack.api_url, _free_port()),
            capture_output=True,
            text=True,
            timeout=30,
            cwd=tmp_path,
        )
        assert second.returncode == 2
        assert "already running" in second.stderr and f"pid {proc.pid}" in second.stderr
    finally:
        proc.terminate()
        try:
            _, stderr = proc.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            _, stderr = proc.communicate()
    assert "xoxb-secret-token-value" not in stderr


@pytest.mark.tinydb_only("a corrupt TinyDB file")
@pytest.mark.parametrize("content", [b"{not json", b""])
def test_unreadable_database_stops_start_up_and_is_kept(tmp_path, fake_slack, content):
    db = tmp_path / "govbot.json"
    db.write_bytes(content)
    result = subprocess.run(
        _govbot("run"),
        env=_env(tmp_path, fake_slack.api_url, _free_port()),
        capture_output=True,
        text=True,
        timeout=30,
        cwd=tmp_path,
    )
    assert result.returncode == 2 and "refusing" in result.stderr
    assert db.read_bytes() == content
