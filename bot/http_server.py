"""HTTP mode: Bolt behind waitress, a production WSGI server with a thread pool.

Bolt's own `app.start()` is a single-threaded development server; waitress is pure Python
(no compiler, no extra system packages), serves requests concurrently from a fixed pool of
threads, and runs the same on a police workstation as on a server.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from waitress.server import create_server

EVENTS_PATH = "/slack/events"


def wsgi_app(app: App) -> Callable[..., Iterable[bytes]]:
    """Slack requests at /slack/events (signature-checked by Bolt), and a health check."""
    slack = SlackRequestHandler(app, path=EVENTS_PATH)

    def application(environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == "/healthz":
            start_response("200 OK", [("Content-Type", "text/plain")])
            return [b"ok"]
        return slack(environ, start_response)

    return application


def make_http_server(app: App, port: int, host: str = "0.0.0.0", threads: int = 8):  # noqa: ANN201
    """A waitress server (call `.run()` to serve, `.close()` to stop); port 0 picks a free one."""
    return create_server(wsgi_app(app), host=host, port=port, threads=threads, ident="govbot")
