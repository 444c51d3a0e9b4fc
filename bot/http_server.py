"""HTTP mode: Bolt behind waitress, a production WSGI server with a thread pool.

Bolt's own `app.start()` is a single-threaded development server; waitress is pure Python
(no compiler, no extra system packages), serves requests concurrently from a fixed pool of
threads, and runs the same on a police workstation as on a server.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from waitress.server import create_server

from bot.edge import EVENTS_PATH, MAX_BODY, SlackEdge

__all__ = ["EVENTS_PATH", "SERVER_LIMITS", "make_http_server", "wsgi_app"]

# What waitress holds open for whom (README, "The HTTP edge", says why each is set so).
SERVER_LIMITS = {
    # Idle sockets cost no thread (waitress reads them in its event loop), so allow many…
    "connection_limit": 1000,
    "asyncore_use_poll": True,  # select() cannot watch more than 1,024 sockets
    # …and drop them quickly: Slack sends a request at once and gives up after 3 s.
    "channel_timeout": 10,
    "cleanup_interval": 2,
    # refused from the headers, before the body is read (waitress answers 413 itself)
    "max_request_body_size": MAX_BODY,
    "max_request_header_size": 16 * 1024,
    # bodies in flight beyond this go to a temporary file, not memory
    "inbuf_overflow": 64 * 1024,
}


def wsgi_app(app: App, signing_secret: str) -> Callable[..., Iterable[bytes]]:
    """Slack requests at /slack/events through the edge checks, and a health check."""
    return SlackEdge(SlackRequestHandler(app, path=EVENTS_PATH), signing_secret)


def make_http_server(  # noqa: ANN201
    app: App, port: int, *, signing_secret: str, host: str = "0.0.0.0", threads: int = 8
):
    """A waitress server (call `.run()` to serve, `.close()` to stop); port 0 picks a free one."""
    slack = wsgi_app(app, signing_secret)
    return create_server(
        slack, host=host, port=port, threads=threads, ident="govbot", **SERVER_LIMITS
    )
