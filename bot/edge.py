"""The HTTP edge in front of Bolt: size, signature and shape checked before anything is decoded.

Unsigned requests are refused on their raw bytes, so a stranger's garbage never reaches a
parser and never costs more memory than `MAX_BODY`. Signed requests that do not parse get 400
here rather than a 500 from deep inside Bolt. Every refusal is one log line without the body.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from collections.abc import Callable, Iterable
from io import BytesIO
from typing import Any
from urllib.parse import parse_qs

from bot.errors import report_failure
from bot.logs import safe

log = logging.getLogger("govbot")

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
# Slack's requests are a few kB; the largest, a button on a full 50-block message, stays
# well under this. Anything bigger is not from Slack.
MAX_BODY = 512 * 1024
MAX_AGE = 300  # seconds: Slack's own rule for a request timestamp

WsgiApp = Callable[[dict[str, Any], Callable], Iterable[bytes]]


class Refused(Exception):
    """A request the edge will not pass on: HTTP status and the reason for the log."""

    def __init__(self, status: str, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


def signature_ok(secret: str, timestamp: str, body: bytes, signature: str, now: float) -> bool:
    """Slack's `v0=` HMAC-SHA256 over `v0:{timestamp}:{body}`, timestamp within five minutes."""
    if not (timestamp.isascii() and timestamp.isdigit()) or abs(now - int(timestamp)) > MAX_AGE:
        return False
    base = b"v0:" + timestamp.encode() + b":" + body
    expected = "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected.encode(), signature.encode("utf-8", "replace"))


def check_shape(body: bytes, content_type: str) -> None:
    """A signed body must be UTF-8 JSON or a form (with a JSON `payload`) shaped as Slack's
    are where Bolt looks before any listener runs; else 400."""
    try:
        text = body.decode("utf-8")
        if content_type.startswith("application/json"):
            _check_payload(json.loads(text))
            return
        form = parse_qs(text, keep_blank_values=True, strict_parsing=bool(text), errors="strict")
        if "payload" in form:
            _check_payload(json.loads(form["payload"][0]))
        elif not form.keys() & {"command", "ssl_check"}:
            raise ValueError("a form that is neither a command nor an interaction")
    except (UnicodeDecodeError, ValueError) as err:
        raise Refused(
            "400 Bad Request", f"malformed signed body ({err.__class__.__name__})"
        ) from None


_OBJECT_FIELDS = ("event", "view", "team", "user", "channel", "container", "message")
_STRING_FIELDS = ("type", "channel", "user", "ts", "thread_ts", "subtype", "text", "team_id")


def _check_payload(data: object) -> None:
    """The fields Bolt reads while routing hold the types Slack sends (ValueError if not)."""
    if not isinstance(data, dict):
        raise ValueError("not a JSON object")
    for name in _OBJECT_FIELDS:
        if name in data and not isinstance(data[name], dict | None):
            raise ValueError(f"{name} is not an object")
    event = data.get("event") or {}
    if event.get("type") == "message":  # other events (team_join…) hold objects here
        for name in _STRING_FIELDS:
            if not isinstance(event.get(name, ""), str):
                raise ValueError(f"event.{name} is not a string")
    if data.get("type") == "event_callback" and not isinstance(event.get("type"), str):
        raise ValueError("event has no type")
    is_view = data.get("type") in ("view_submission", "view_closed")
    if is_view and not isinstance((data.get("view") or {}).get("type"), str):
        raise ValueError("view has no type")
    actions = data.get("actions", [])
    if not (isinstance(actions, list) and all(isinstance(a, dict) for a in actions)):
        raise ValueError("actions is not a list of objects")


def read_body(environ: dict[str, Any]) -> bytes:
    """The body, read only when its declared length is within `MAX_BODY`."""
    raw_length = environ.get("CONTENT_LENGTH") or ""
    if not raw_length:
        raise Refused("411 Length Required", "no Content-Length")
    if not raw_length.isdigit():
        raise Refused("400 Bad Request", "bad Content-Length")
    length = int(raw_length)
    if length > MAX_BODY:
        raise Refused("413 Content Too Large", f"body of {length} bytes")
    body = environ["wsgi.input"].read(length)
    if len(body) != length:
        raise Refused("400 Bad Request", "body shorter than its Content-Length")
    return body


class SlackEdge:
    """WSGI middleware: only well-formed, correctly signed POSTs to /slack/events reach Bolt."""

    def __init__(
        self, slack: WsgiApp, signing_secret: str, clock: Callable[[], float] = time.time
    ) -> None:
        self._slack = slack
        self._secret = signing_secret
        self._clock = clock

    def __call__(self, environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path == HEALTH_PATH:
            return _answer(start_response, "200 OK", b"ok")
        try:
            self._check(environ, path)
        except Refused as refusal:
            log.warning(
                "refused HTTP %s from %s: %s",
                refusal.status[:3],
                safe(environ.get("REMOTE_ADDR", "?"), 60),
                refusal.reason,
            )
            return _answer(start_response, refusal.status, refusal.status[4:].encode())
        try:
            return self._slack(environ, start_response)
        except Exception as err:  # escaped Bolt's own handling: one line, not a traceback
            report_failure(err, "Bolt dispatch")
            return _answer(start_response, "500 Internal Server Error", b"Internal Server Error")

    def _check(self, environ: dict[str, Any], path: str) -> None:
        if path != EVENTS_PATH:
            raise Refused("404 Not Found", f"path {safe(path, 80)}")
        if environ.get("REQUEST_METHOD") != "POST":
            raise Refused(
                "405 Method Not Allowed", f"method {safe(environ.get('REQUEST_METHOD'), 20)}"
            )
        body = read_body(environ)
        timestamp = environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP", "")
        signature = environ.get("HTTP_X_SLACK_SIGNATURE", "")
        if not signature_ok(self._secret, timestamp, body, signature, self._clock()):
            raise Refused("401 Unauthorized", "missing, stale or wrong signature")
        check_shape(body, environ.get("CONTENT_TYPE", ""))
        environ["wsgi.input"] = BytesIO(body)  # Bolt reads the same bytes again


def _answer(start_response: Callable, status: str, body: bytes) -> list[bytes]:
    headers = [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))]
    start_response(status, headers)
    return [body]
