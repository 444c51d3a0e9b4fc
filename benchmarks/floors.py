"""The framework floors: bare Bolt apps, served as govbot is, whose listeners do nothing."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from benchmarks.measure import (
    UPDATE,
    WARMUP,
    peak_rss_mb,
    read_lines,
    stats,
    time_reads,
    timed_post,
)
from benchmarks.workload import READS, command_body, fresh_ts, thread_reply_body
from bot.http_server import EVENTS_PATH, make_http_server
from tests.fakes.signing import FORM, JSON
from tests.fakes.slack_api import FakeSlackAPI
from tests.harness import SECRET

FLOORS = {"fast": "process_before_response=True", "default": "Bolt defaults"}


@contextmanager
def serving(app: App) -> Iterator[str]:
    """Serve `app` exactly as govbot is served; yields the events URL."""
    server = make_http_server(app, port=0, host="127.0.0.1", signing_secret=SECRET)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}{EVENTS_PATH}"
    finally:
        server.close()


def bare_app(fake: FakeSlackAPI, process_before_response: bool) -> App:
    """A Bolt app whose command listeners only acknowledge and whose message listener is empty."""
    app = App(
        client=WebClient(token="xoxb-floor", base_url=fake.api_url),
        signing_secret=SECRET,
        token_verification_enabled=False,
        process_before_response=process_before_response,
    )

    def only_ack(ack: Ack) -> None:
        ack()

    def ignore(event: dict) -> None:
        """Events are acknowledged by Bolt itself."""

    for name in {line.split()[0] for line in READS.values()}:
        app.command(name)(only_ack)
    app.event("message")(ignore)
    return app


def run_floor(kind: str, requests: int) -> dict[str, Any]:
    baseline_rss = peak_rss_mb()
    with FakeSlackAPI() as fake, serving(bare_app(fake, kind == "fast")) as url:
        cold = {
            line: timed_post(url, command_body(line, fake.response_url()), FORM)[0]
            for line in read_lines().values()
        }
        time_reads(url, fake, WARMUP)
        samples = time_reads(url, fake, requests)
        event = [
            timed_post(url, thread_reply_body("BM000-01", "U0LEAD000", "1.0", fresh_ts()), JSON)[0]
            for _ in range(WARMUP + requests)
        ]
        samples[UPDATE] = event[WARMUP:]
    return {
        "stats": {name: stats(values) for name, values in samples.items()},
        "cold": cold,
        "rss_mb": peak_rss_mb(),
        "baseline_rss_mb": baseline_rss,
    }
