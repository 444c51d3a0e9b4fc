"""A real govbot served over HTTP (waitress + Bolt) against the fake Slack Web API."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot.app import build_app
from bot.config import Config
from bot.http_server import EVENTS_PATH, make_http_server
from bot.services import Services
from storage.store import Store
from tests.fakes.signing import (
    action_body,
    event_body,
    post_signed,
    slash_command_body,
)
from tests.fakes.slack_api import FakeSlackAPI

SECRET = "test-signing-secret"
ADMIN = "UADMIN01"
LONDON = ZoneInfo("Europe/London")


@dataclass
class Clock:
    """A settable clock: tests decide what “now” is."""

    now: datetime = field(default_factory=lambda: datetime(2014, 3, 3, 10, 0, tzinfo=LONDON))

    def __call__(self) -> datetime:
        return self.now


@dataclass
class RunningBot:
    url: str
    services: Services
    fake: FakeSlackAPI
    clock: Clock

    @property
    def store(self) -> Store:
        return self.services.store

    def command(
        self, line: str, user: str = ADMIN, channel: str = "C0GOV", **kw: Any
    ) -> tuple[int, dict[str, Any]]:
        """POST a signed slash command; returns the HTTP status and the JSON answer."""
        name, _, text = line.partition(" ")
        body = slash_command_body(
            name,
            text,
            user_id=user,
            channel_id=channel,
            response_url=self.fake.response_url(),
            **kw,
        )
        status, raw, _ = post_signed(
            self.url + EVENTS_PATH, body, SECRET, content_type="application/x-www-form-urlencoded"
        )
        return status, (json.loads(raw) if raw.strip().startswith(b"{") else {"raw": raw})

    def event(
        self,
        event: dict[str, Any],
        event_id: str | None = None,
        headers: dict[str, str] | None = None,
        team_id: str = "T0001",
    ) -> int:
        body = event_body(event, event_id=event_id, team_id=team_id)
        status, _, _ = post_signed(
            self.url + EVENTS_PATH,
            body,
            SECRET,
            content_type="application/json",
            extra_headers=headers,
        )
        return status

    def action(self, payload: dict[str, Any]) -> int:
        return self.interact(payload)[0]

    def interact(self, payload: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """POST a signed interaction (button, modal); the HTTP status and the JSON answer, if any."""
        status, raw, _ = post_signed(
            self.url + EVENTS_PATH,
            action_body(payload),
            SECRET,
            content_type="application/x-www-form-urlencoded",
        )
        return status, json.loads(raw) if raw.strip() else {}

    def drain(self) -> None:
        """Wait for the background Slack work queued so far."""
        self.services.wait_idle(timeout=10)


def make_config(db_path: Path, fake: FakeSlackAPI, **overrides: Any) -> Config:
    values: dict[str, Any] = dict(
        bot_token="xoxb-test-token",
        signing_secret=SECRET,
        api_url=fake.api_url,
        db_path=str(db_path),
        admins=frozenset({ADMIN}),
        channel="C0GOV",
        gab_channel="C0GAB",
    )
    values.update(overrides)
    return Config(**values)


@contextmanager
def running_bot(
    tmp_path: Path,
    fake: FakeSlackAPI,
    clock: Clock | None = None,
    *,
    store: Store,
    **overrides: Any,
) -> Iterator[RunningBot]:
    """Serve a real bot on a free port for the duration of the block.

    The store is required, so that each test says which backend it runs on (the `stores`
    fixture gives one of each)."""
    config = make_config(tmp_path / "govbot.json", fake, **overrides)
    clock = clock or Clock()
    services = Services(config, store, clock=clock)
    app = build_app(services)
    server = make_http_server(app, port=0, host="127.0.0.1", signing_secret=config.signing_secret)
    closing = threading.Event()

    def serve() -> None:
        try:
            server.run()
        except OSError:  # waitress's loop sees its socket closed under it on shutdown
            if not closing.is_set():
                raise

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield RunningBot(f"http://127.0.0.1:{server.effective_port}", services, fake, clock)
    finally:
        closing.set()
        server.close()
        services.background.shutdown(wait=True)
        thread.join(timeout=5)


def answer_text(answer: dict[str, Any]) -> str:
    """Every text in a message payload (fallback, sections, fields, context), one per line."""
    parts = [answer.get("text", "")]
    for block in answer.get("blocks", []):
        if "text" in block:
            parts.append(block["text"]["text"])
        parts += [f["text"] for f in block.get("fields", [])]
        parts += [e.get("text", "") for e in block.get("elements", []) if isinstance(e, dict)]
    return "\n".join(str(p) for p in parts)


def card_values(answer: dict[str, Any], row: str) -> list[str]:
    """The values of one row of a table shown as cards: the bold cells under “*row*”."""
    lines = answer_text(answer).splitlines()
    at = lines.index(f"*{row}*")
    return re.findall(r"\*([^*]+)\*", lines[at + 1])
