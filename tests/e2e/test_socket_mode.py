"""Socket Mode end to end: the bot against a local fake of Slack's Socket Mode WebSocket.

The fake Web API answers `apps.connections.open` with a `ws://127.0.0.1:…` URL; a small
`websockets` server there sends real envelopes (hello, a slash command, a thread reply, a
disconnect request) and records what the bot sends back.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import queue
import threading
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import parse_qsl

import pytest
from slack_bolt.adapter.socket_mode import SocketModeHandler
from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.exceptions import ConnectionClosed

from bot.app import build_app
from bot.services import Services
from storage.store import Store
from storage.threads import Anchor
from tests.conftest import import_cse13
from tests.fakes.signing import event_body, slash_command_body
from tests.fakes.slack_api import APP_ID, FakeSlackAPI
from tests.harness import ADMIN, Clock, make_config

APP_TOKEN = "xapp-test"
LEAD = "ULEAD001"
ANCHOR_TS = "1700000000.000100"
WAIT = 5.0  # every wait in this file is bounded by this


class FakeSocketMode:
    """Slack's Socket Mode endpoint on 127.0.0.1: a `websockets` asyncio server in a thread."""

    def __init__(self) -> None:
        self.connections: queue.Queue[ServerConnection] = queue.Queue()
        self.received: queue.Queue[dict[str, Any]] = queue.Queue()
        self.paths: list[str] = []
        self.port = 0
        self._envelope_ids = itertools.count(1)
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._loop.run_forever, name="FakeSocketMode", daemon=True
        )
        self._server: Server | None = None

    def start(self) -> FakeSocketMode:
        self._thread.start()
        self._server = self._call(self._listen())
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    def stop(self) -> None:
        """Close every connection (with a close frame, as Slack does) and the loop; idempotent."""
        if self._server is not None:
            self._server.close()
            self._call(self._server.wait_closed())
            self._server = None
        if self._thread.is_alive():
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=WAIT)
            self._loop.close()

    def url(self, path: str) -> str:
        return f"ws://127.0.0.1:{self.port}/{path}"

    def next_connection(self) -> ServerConnection:
        """The next WebSocket connection the bot opens (it has been sent `hello`)."""
        try:
            return self.connections.get(timeout=WAIT)
        except queue.Empty:
            raise AssertionError(f"no Socket Mode connection within {WAIT}s") from None

    def send(self, connection: ServerConnection, message: dict[str, Any]) -> None:
        self._call(connection.send(json.dumps(message)))

    def close(self, connection: ServerConnection) -> None:
        self._call(connection.close(1001, "refreshed"))

    def envelope(self, connection: ServerConnection, kind: str, payload: dict[str, Any]) -> str:
        """Send a request envelope shaped as Slack's; returns its envelope id."""
        envelope_id = f"env-{next(self._envelope_ids)}"
        self.send(
            connection,
            {
                "envelope_id": envelope_id,
                "type": kind,
                "accepts_response_payload": kind != "events_api",
                "retry_attempt": 0,
                "retry_reason": "",
                "payload": payload,
            },
        )
        return envelope_id

    def ack_for(self, envelope_id: str) -> dict[str, Any]:
        """The acknowledgement the bot sent for `envelope_id`."""
        others = []
        while True:
            try:
                message = self.received.get(timeout=WAIT)
            except queue.Empty:
                raise AssertionError(
                    f"no ack for {envelope_id} within {WAIT}s; other messages: {others}"
                ) from None
            if message.get("envelope_id") == envelope_id:
                return message
            others.append(message)

    def _call(self, coroutine: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout=WAIT)

    async def _listen(self) -> Server:
        return await serve(self._session, "127.0.0.1", 0, close_timeout=1)

    async def _session(self, connection: ServerConnection) -> None:
        self.paths.append(connection.request.path)
        await connection.send(
            json.dumps(
                {
                    "type": "hello",
                    "num_connections": 1,
                    "debug_info": {"host": "applink-fake", "approximate_connection_time": 18060},
                    "connection_info": {"app_id": APP_ID},
                }
            )
        )
        self.connections.put(connection)
        try:
            async for message in connection:
                self.received.put(json.loads(message))
        except ConnectionClosed:  # slack_sdk's builtin client drops the socket without a frame
            pass


@dataclass
class SocketBot:
    server: FakeSocketMode
    handler: SocketModeHandler
    services: Services
    fake: FakeSlackAPI

    @property
    def store(self) -> Store:
        return self.services.store

    def slash_command(self, connection: ServerConnection, line: str, user: str = ADMIN) -> dict:
        """Send a slash command envelope and return the payload of its acknowledgement."""
        name, _, text = line.partition(" ")
        form = slash_command_body(name, text, user_id=user, response_url=self.fake.response_url())
        envelope_id = self.server.envelope(
            connection, "slash_commands", dict(parse_qsl(form, keep_blank_values=True))
        )
        ack = self.server.ack_for(envelope_id)
        return ack["payload"]


def _texts(payload: dict[str, Any]) -> str:
    parts = [payload.get("text", "")]
    for block in payload.get("blocks", []):
        if "text" in block:
            parts.append(block["text"]["text"])
        parts += [f["text"] for f in block.get("fields", [])]
        parts += [e["text"] for e in block.get("elements", []) if isinstance(e.get("text"), str)]
    return "\n".join(parts)


@pytest.fixture
def store(stores) -> Store:
    """CSE13 imported; CSE13-04 has a lead and a bot message whose thread is about it."""
    store = import_cse13(stores.new())
    with store.transaction() as tx:
        tx.items.save(replace(tx.items.get("CSE13-04"), leads=(LEAD,)))
        tx.threads.remember(Anchor("C0GOV", ANCHOR_TS, "CSE13-04", "item"))
    return store


@pytest.fixture
def socket_bot(tmp_path, fake_slack, store) -> Iterator[SocketBot]:
    server = FakeSocketMode().start()
    fake_slack.socket_url = server.url("link")
    config = make_config(tmp_path / "govbot.json", fake_slack, app_token=APP_TOKEN)
    services = Services(config, store, clock=Clock())
    handler = SocketModeHandler(build_app(services), APP_TOKEN)
    try:
        yield SocketBot(server, handler, services, fake_slack)
    finally:
        # Slack's close frame ends the client's blocking read at once; closing the client
        # first would leave it waiting out its 3-second socket timeout.
        server.stop()
        handler.close()
        services.background.shutdown(wait=True)


def test_socket_mode_acks_answers_and_reconnects(socket_bot):
    bot, server, fake = socket_bot, socket_bot.server, socket_bot.fake
    bot.handler.connect()
    first = server.next_connection()
    (opened,) = fake.wait_for("apps.connections.open")
    assert opened.headers["authorization"] == f"Bearer {APP_TOKEN}"

    # a slash command: the answer travels back in the acknowledgement
    answer = bot.slash_command(first, "/recs summary")
    assert answer["response_type"] == "ephemeral"
    assert "15 items" in _texts(answer)

    # a thread reply from the item's lead: acknowledged, recorded, answered in the thread
    reply_ts = "1700000100.000200"
    event = {
        "type": "message",
        "channel": "C0GOV",
        "channel_type": "channel",
        "user": LEAD,
        "text": "in progress: vulnerability training rolled out",
        "ts": reply_ts,
        "thread_ts": ANCHOR_TS,
        "event_ts": reply_ts,
        "team": "T0001",
    }
    envelope_id = server.envelope(first, "events_api", json.loads(event_body(event)))
    assert server.ack_for(envelope_id) == {"envelope_id": envelope_id}
    (posted,) = fake.wait_for("chat.postMessage")
    assert posted.args["channel"] == "C0GOV" and posted.args["thread_ts"] == ANCHOR_TS
    assert f"CSE13-04: not started → in progress, by <@{LEAD}>" in posted.args["text"]
    (reaction,) = fake.wait_for("reactions.add")
    assert reaction.args["timestamp"] == reply_ts
    bot.services.wait_idle(timeout=WAIT)
    with bot.store.transaction() as tx:
        assert tx.items.get("CSE13-04").status == "in progress"
        (entry,) = [e for e in tx.history.for_item("CSE13-04") if e.change == "status"]
    assert entry.by == LEAD and entry.permalink.startswith("https://")

    # Slack asks for a refresh: the client fetches a new URL and opens a second connection,
    # then Slack closes the first one
    fake.socket_url = server.url("link2")
    server.send(first, {"type": "disconnect", "reason": "refresh_requested"})
    second = server.next_connection()
    fake.wait_for("apps.connections.open", count=2)
    assert [path.partition("?")[0] for path in server.paths] == ["/link", "/link2"]
    server.close(first)

    answer = bot.slash_command(second, "/recs CSE13-04", user=LEAD)
    text = _texts(answer)
    assert "CSE13-04" in text and "in progress" in text
    assert bot.handler.client.is_connected()
    assert len(fake.calls("apps.connections.open")) == 2  # no reconnect storm
