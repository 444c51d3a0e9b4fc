"""The HTTP edge (issue 10) against the running bot: sizes, idle sockets, malformed requests,
log lines, workspaces and replayed commands, all over real sockets and signed requests."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import socket
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from urllib.error import HTTPError

import pytest

from bot.edge import EVENTS_PATH, MAX_BODY
from bot.logs import OneLineFormatter
from tests.fakes.signing import FORM, JSON, action_body, post_signed, sign, slash_command_body
from tests.harness import ADMIN, SECRET, RunningBot, answer_text, running_bot

TEAM = "T0001"
ITEM_TS = "1393841000.000001"


@pytest.fixture
def bot(tmp_path, fake_slack, cse13_store) -> Iterator[RunningBot]:
    with running_bot(tmp_path, fake_slack, store=cse13_store) as running:
        yield running


def _address(bot: RunningBot) -> tuple[str, int]:
    host, port = bot.url.removeprefix("http://").split(":")
    return host, int(port)


def _raw_post(bot: RunningBot, head: bytes, body: bytes = b"", timeout: float = 5.0) -> bytes:
    """Send a hand-made request and return what the server answers (up to its status line)."""
    with socket.create_connection(_address(bot), timeout=timeout) as sock:
        sock.sendall(head + body)
        return sock.recv(4096)


def _status(answer: bytes) -> int:
    return int(answer.split(b" ", 2)[1])


def _post(bot: RunningBot, body: bytes | str, headers: dict[str, str]) -> tuple[int, bytes]:
    """POST raw bytes with exactly these headers (no signing of our own)."""
    data = body.encode("utf-8", "surrogatepass") if isinstance(body, str) else body
    request = urllib.request.Request(
        bot.url + EVENTS_PATH, data=data, headers=headers, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read()
    except HTTPError as error:
        with error:
            return error.code, error.read()


def _signed_headers(body: bytes, content_type: str) -> dict:
    """Slack's headers for raw bytes (the fakes sign only text)."""
    ts = str(int(time.time()))
    digest = hmac.new(SECRET.encode(), b"v0:" + ts.encode() + b":" + body, hashlib.sha256)
    return {
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": "v0=" + digest.hexdigest(),
        "Content-Type": content_type,
    }


@contextmanager
def idle_sockets(bot: RunningBot, count: int) -> Iterator[list[socket.socket]]:
    """`count` TCP connections that connect and then say nothing."""
    sockets = [socket.create_connection(_address(bot), timeout=5) for _ in range(count)]
    try:
        yield sockets
    finally:
        for sock in sockets:
            sock.close()


def _summary_ok(bot: RunningBot) -> float:
    started = time.monotonic()
    status, answer = bot.command("/recs summary")
    assert status == 200 and "CSE13" in answer_text(answer)
    return time.monotonic() - started


# -- size: refused before the body is read --------------------------------------------------


def test_a_huge_unsigned_post_is_refused_from_its_headers(bot):
    head = (
        f"POST {EVENTS_PATH} HTTP/1.1\r\nHost: x\r\nContent-Type: {JSON}\r\n"
        f"Content-Length: {200 * 1024 * 1024}\r\n\r\n"
    ).encode()
    started = time.monotonic()
    answer = _raw_post(bot, head, b"{")  # the 200 MB never follow
    assert _status(answer) == 413
    assert time.monotonic() - started < 2


def test_a_chunked_body_over_the_limit_is_refused(bot):
    head = (
        f"POST {EVENTS_PATH} HTTP/1.1\r\nHost: x\r\nContent-Type: {JSON}\r\n"
        "Transfer-Encoding: chunked\r\n\r\n"
    ).encode()
    chunk = b"x" * (64 * 1024)
    body = b"".join(
        b"%x\r\n%s\r\n" % (len(chunk), chunk) for _ in range(MAX_BODY // len(chunk) + 2)
    )
    answer = _raw_post(bot, head, body + b"0\r\n\r\n")
    assert _status(answer) == 413


def test_a_signed_body_just_under_the_limit_still_reaches_the_bot(bot):
    body = slash_command_body("/recs", "summary " + "x" * (MAX_BODY - 2000), ADMIN)
    status, raw, _ = post_signed(bot.url + EVENTS_PATH, body, SECRET, content_type=FORM)
    assert status == 200 and raw.startswith(b"{")


# -- idle and slow connections --------------------------------------------------------------


def test_150_idle_and_slow_connections_do_not_stop_the_bot_answering(bot):
    with idle_sockets(bot, 150) as sockets:
        for sock in sockets[::2]:  # half of them start a request and never finish it
            sock.sendall(f"POST {EVENTS_PATH} HTTP/1.1\r\nHost: x\r\nContent-Le".encode())
        for _ in range(5):
            assert _summary_ok(bot) < 2


@pytest.mark.soak
def test_soak_60s_of_idle_sockets_while_requests_are_served(bot):
    """For a minute an attacker keeps 150 silent sockets open (reopening those the server
    drops); signed commands every half second are all answered promptly."""
    latencies: list[float] = []
    deadline = time.monotonic() + 60
    held: list[socket.socket] = []
    try:
        while time.monotonic() < deadline:
            held = [s for s in held if _still_open(s)]
            while len(held) < 150:
                held.append(socket.create_connection(_address(bot), timeout=5))
            latencies.append(_summary_ok(bot))
            time.sleep(0.5)
    finally:
        for sock in held:
            sock.close()
    latencies.sort()
    assert len(latencies) > 60
    assert latencies[int(len(latencies) * 0.95)] < 1.0, latencies[-5:]


def _still_open(sock: socket.socket) -> bool:
    sock.setblocking(False)
    try:
        return sock.recv(1) != b""  # b"": the server closed it
    except BlockingIOError:
        return True
    except OSError:
        return False
    finally:
        sock.setblocking(True)


def test_an_idle_connection_is_closed_by_the_server(bot):
    with idle_sockets(bot, 1) as [sock]:
        sock.settimeout(20)
        assert sock.recv(1) == b""  # closed after channel_timeout, not held for ever


# -- malformed requests: 4xx and one log line without the body ------------------------------

MARKER = "BODYMARKER"
FORGED = "\n2026-12-03 09:00:00 INFO admin granted to UEVIL"


def _unsigned_garbage() -> list[tuple[bytes, dict[str, str]]]:
    body = f'{{"type": "event_callback", "x": "{MARKER}{FORGED}"'.encode()
    now = str(int(time.time()))
    return [
        (body, {"Content-Type": JSON, "X-Slack-Request-Timestamp": now}),
        (f"payload=notjson{MARKER}".encode(), {"Content-Type": FORM}),
        (b"\xff\xfe" + MARKER.encode(), {"Content-Type": JSON}),
        (
            f'{{"m": "{MARKER}"}}'.encode(),
            {
                "Content-Type": JSON,
                "X-Slack-Request-Timestamp": "soon",
                "X-Slack-Signature": "v0=00",
            },
        ),
    ]


def _signed_garbage() -> list[tuple[bytes, str]]:
    return [
        (f'{{"type": "event_callback", "x": "{MARKER}'.encode(), JSON),
        (f"payload=notjson{MARKER}".encode(), FORM),
        (b"payload=%FF%FE" + MARKER.encode(), FORM),
        (b"\xff\xfe" + MARKER.encode(), JSON),
        (b'["not", "an", "object"]', JSON),
        (b"text=hello&user_id=U1", FORM),
        (json.dumps({"type": "event_callback", "team_id": TEAM, "event": "x"}).encode(), JSON),
        (
            json.dumps(
                {
                    "type": "event_callback",
                    "team_id": TEAM,
                    "event": {"type": "message", "channel": 5, "ts": [], "thread_ts": "1.0"},
                }
            ).encode(),
            JSON,
        ),
        (action_body({"type": "view_submission", "team": {"id": TEAM}, "view": {}}).encode(), FORM),
        (
            action_body({"type": "block_actions", "team": {"id": TEAM}, "actions": [1]}).encode(),
            FORM,
        ),
    ]


def _assert_one_clean_line_each(caplog, expected_lines: int) -> None:
    formatter = OneLineFormatter("%(levelname)s %(message)s")
    records = [r for r in caplog.records if r.name.startswith(("govbot", "slack_bolt"))]
    assert len(records) == expected_lines, [r.getMessage() for r in records]
    for record in records:
        line = formatter.format(record)
        assert "\n" not in line and MARKER not in line and "Traceback" not in line
        assert record.exc_info is None


def test_unsigned_garbage_gets_401_and_one_log_line_without_the_body(bot, caplog):
    caplog.set_level(logging.DEBUG)
    garbage = _unsigned_garbage()
    for body, headers in garbage:
        status, answer = _post(bot, body, headers)
        assert status == 401, (body[:40], answer)
    _assert_one_clean_line_each(caplog, len(garbage))


def test_signed_garbage_gets_400_and_one_log_line_without_the_body(bot, caplog):
    caplog.set_level(logging.DEBUG)
    garbage = _signed_garbage()
    for body, content_type in garbage:
        status, answer = _post(bot, body, _signed_headers(body, content_type))
        assert status == 400, (body[:40], answer)
    _assert_one_clean_line_each(caplog, len(garbage))


def test_a_request_without_a_length_or_to_another_path_is_refused(bot):
    head = f"POST {EVENTS_PATH} HTTP/1.0\r\nHost: x\r\nContent-Type: {JSON}\r\n\r\n".encode()
    assert _status(_raw_post(bot, head)) == 411
    assert _status(_raw_post(bot, b"GET /slack/events HTTP/1.0\r\n\r\n")) == 405
    assert _status(_raw_post(bot, b"POST /admin HTTP/1.0\r\nContent-Length: 0\r\n\r\n")) == 404


def test_a_newline_in_a_thread_reply_cannot_forge_a_log_line(bot, caplog):
    """User text that reaches a log line (here: a refusal) stays on its one line."""
    caplog.set_level(logging.INFO)
    bot.command(f"/recs set CSE13-04 closed {FORGED}")
    formatter = OneLineFormatter("%(message)s")
    for record in caplog.records:
        assert "\n" not in formatter.format(record)


def test_an_event_nobody_listens_to_is_acknowledged_without_logging_its_body(bot, caplog):
    caplog.set_level(logging.DEBUG, logger="govbot")
    event = {"type": "reaction_added", "user": ADMIN, "reaction": MARKER, "event_ts": "1.2"}
    assert bot.event(event) == 200
    assert not [r for r in caplog.records if MARKER in r.getMessage()]


# -- workspaces ------------------------------------------------------------------------------


def _interaction(**fields: object) -> str:
    payload = {
        "type": "block_actions",
        "api_app_id": "A0GOVBOT",
        "trigger_id": "9.9.trigger",
        "container": {"type": "message", "channel_id": "C0GOV", "message_ts": ITEM_TS},
        "channel": {"id": "C0GOV"},
        "actions": [
            {
                "type": "button",
                "action_id": "set_in_progress",
                "value": "CSE13-04",
                "action_ts": "1393841000.5",
            }
        ],
        **fields,
    }
    return action_body(payload)


@pytest.fixture
def team_bot(tmp_path, fake_slack, cse13_store) -> Iterator[RunningBot]:
    with cse13_store.transaction() as store:
        store.items.save(replace(store.items.get("CSE13-04"), leads=(ADMIN,)))
    with running_bot(tmp_path, fake_slack, store=cse13_store, team_id=TEAM) as running:
        yield running


@pytest.mark.parametrize(
    "fields",
    [
        {"user": {"id": ADMIN}},  # no workspace anywhere
        {"user": {"id": ADMIN}, "team": None, "enterprise": {"id": "E0GRID"}},
        {"user": {"id": ADMIN}, "is_enterprise_install": True, "enterprise": {"id": "E0GRID"}},
        {"user": {"id": ADMIN, "team_id": "T0OTHER"}, "team": None},
    ],
    ids=["none", "enterprise-only", "org-install", "other-user-team"],
)
def test_a_signed_request_whose_workspace_is_unknown_or_other_is_refused(team_bot, fields):
    status, _, _ = post_signed(
        team_bot.url + EVENTS_PATH, _interaction(**fields), SECRET, content_type=FORM
    )
    assert status == 401
    with team_bot.store.transaction() as store:
        assert store.items.get("CSE13-04").status == "not started"


@pytest.mark.parametrize(
    "fields",
    [
        {"user": {"id": ADMIN}, "team": {"id": TEAM}},
        {"user": {"id": ADMIN, "team_id": TEAM}, "team": None, "enterprise": {"id": "E0GRID"}},
        {"user": {"id": ADMIN}, "view": {"team_id": TEAM, "id": "V1"}},
    ],
    ids=["team", "grid-user-team", "view-team"],
)
def test_a_request_naming_our_workspace_anywhere_is_served(team_bot, fields):
    status, _, _ = post_signed(
        team_bot.url + EVENTS_PATH, _interaction(**fields), SECRET, content_type=FORM
    )
    assert status == 200
    team_bot.drain()
    with team_bot.store.transaction() as store:
        assert store.items.get("CSE13-04").status == "in progress"


def test_a_slash_command_without_team_id_is_refused(team_bot):
    body = slash_command_body("/recs", "assign CSE13-04 <@UEVIL|evil>", ADMIN)
    body = "&".join(p for p in body.split("&") if not p.startswith("team_id="))
    status, _, _ = post_signed(team_bot.url + EVENTS_PATH, body, SECRET, content_type=FORM)
    assert status == 401


def test_url_verification_still_answers_with_a_workspace_set(team_bot):
    body = json.dumps({"token": "t", "challenge": "abc123", "type": "url_verification"})
    status, raw, _ = post_signed(team_bot.url + EVENTS_PATH, body, SECRET, content_type=JSON)
    assert status == 200 and b"abc123" in raw


# -- replayed slash commands ----------------------------------------------------------------


def _replay(bot: RunningBot, line: str, trigger: str) -> tuple[int, dict]:
    name, _, text = line.partition(" ")
    body = slash_command_body(name, text, ADMIN, trigger_id=trigger)
    headers = sign(SECRET, body)
    status, raw = _post(bot, body.encode(), {**headers, "Content-Type": FORM})
    return status, json.loads(raw)


def test_a_replayed_command_that_changes_something_acts_once(bot):
    first = _replay(bot, "/recs assign CSE13-04 <@ULEAD001|lead>", "42.1.trig")
    again = _replay(bot, "/recs assign CSE13-04 <@ULEAD001|lead>", "42.1.trig")
    assert first[0] == again[0] == 200
    assert "lead set to" in answer_text(first[1])
    assert "already carried out" in answer_text(again[1])
    with bot.store.transaction() as store:
        assert [e.change for e in store.history.for_item("CSE13-04")].count("lead") == 1


def test_a_replayed_post_posts_once(bot):
    _replay(bot, "/recs post CSE13-04", "43.1.trig")
    _replay(bot, "/recs post CSE13-04", "43.1.trig")
    bot.drain()
    assert len(bot.fake.calls("chat.postMessage")) == 1


def test_a_read_with_a_repeated_trigger_is_answered_each_time(bot):
    for _ in range(2):
        status, answer = _replay(bot, "/recs summary", "44.1.trig")
        assert status == 200 and "CSE13" in answer_text(answer)


def test_a_failed_command_records_no_trigger_and_can_be_retried(bot):
    _, refused = _replay(bot, "/recs due-date CSE13-04 2015-01-01", "45.1.trig")
    assert "reason" in answer_text(refused)
    _, answer = _replay(bot, "/recs due-date CSE13-04 2015-01-01 board agreed", "45.1.trig")
    assert "already carried out" not in answer_text(answer)
    with bot.store.transaction() as store:
        assert store.items.get("CSE13-04").due.isoformat() == "2015-01-01"


def test_a_listener_failure_is_one_log_line_through_the_global_error_handler(bot, caplog):
    caplog.set_level(logging.DEBUG, logger="govbot")
    payload = {
        "type": "block_actions",
        "team": {"id": TEAM},
        "user": {"id": ADMIN},
        "actions": [{"action_id": "set_done", "type": "button"}],  # no value: a listener bug
    }
    status, _, _ = post_signed(
        bot.url + EVENTS_PATH, action_body(payload), SECRET, content_type=FORM
    )
    assert status == 500
    [record] = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert record.exc_info is None and "Bolt listener: unexpected KeyError" in record.getMessage()
