"""A local HTTP server that answers like Slack's Web API and records every call."""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit
from zoneinfo import ZoneInfo

BOT_USER_ID = "UBOT"
BOT_ID = "BBOT"
APP_ID = "A0GOVBOT"
TEAM_ID = "T0001"
TEAM_NAME = "govbot-test"
WORKSPACE_URL = "https://govbot-test.slack.com/"
USER_TZ = "Europe/London"

# Form-encoded requests carry structured arguments as JSON strings; decode them so that
# recorded args look the same whichever encoding slack_sdk chose for the method.
JSON_ENCODED_FIELDS = frozenset({"attachments", "blocks", "files", "metadata", "view"})
DEFAULT_FAULT_ERRORS = {429: "ratelimited", 500: "internal_error", 503: "service_unavailable"}
FIRST_TS_MICROS = 1_700_000_000_000_000
TS_STEP_MICROS = 100

Answer = dict[str, Any]


@dataclass(frozen=True)
class Call:
    """One request the fake received; header names are lower-cased."""

    method: str
    args: dict[str, Any]
    headers: dict[str, str]
    at: float
    path: str = ""
    status: int = 200
    answer: dict[str, Any] = field(default_factory=dict)


@dataclass
class _Fault:
    status: int
    remaining: int
    retry_after: int | None
    error: str


@dataclass(frozen=True)
class _Reply:
    status: int
    headers: dict[str, str]
    body: bytes
    ok: bool


def _ok(**fields: Any) -> Answer:
    return {"ok": True, **fields}


def _error(code: str) -> Answer:
    return {"ok": False, "error": code}


def _json_reply(answer: Answer, status: int = 200, headers: dict[str, str] | None = None) -> _Reply:
    return _Reply(
        status=status,
        headers={"Content-Type": "application/json; charset=utf-8", **(headers or {})},
        body=json.dumps(answer).encode(),
        ok=status == 200 and answer.get("ok") is True,
    )


def _text_reply(text: str, status: int = 200) -> _Reply:
    return _Reply(
        status, {"Content-Type": "text/plain; charset=utf-8"}, text.encode(), status == 200
    )


def _decode_json_fields(form: dict[str, str]) -> dict[str, Any]:
    return {
        key: json.loads(value) if key in JSON_ENCODED_FIELDS and value[:1] in "[{" else value
        for key, value in form.items()
    }


def _parse_args(query: str, content_type: str, body: bytes) -> dict[str, Any]:
    """Arguments from the query string and a JSON or form body; ValueError on bad JSON."""
    args = _decode_json_fields(dict(parse_qsl(query, keep_blank_values=True)))
    if not body:
        # slack_sdk sends argument-less calls (auth.test) as an empty body labelled JSON
        return args
    if content_type.startswith("application/json"):
        parsed = json.loads(body)
        if not isinstance(parsed, dict):
            raise ValueError("JSON body is not an object")
        args.update(parsed)
    else:
        form = dict(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
        args.update(_decode_json_fields(form))
    return args


def _conversation_id(channel: str) -> str:
    """Posting to a user id posts into the bot's DM with that user."""
    return "D" + channel if channel[:1] in ("U", "W") else channel


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:
        self._reply(b"")

    def do_POST(self) -> None:
        self._reply(self.rfile.read(int(self.headers.get("Content-Length") or 0)))

    def _reply(self, body: bytes) -> None:
        headers = {name.lower(): value for name, value in self.headers.items()}
        reply = self.server.fake._handle(self.command, self.path, headers, body)
        try:
            self.send_response(reply.status)
            for name, value in reply.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(reply.body)))
            self.end_headers()
            self.wfile.write(reply.body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up waiting, as a real one does

    def log_message(self, format: str, *args: Any) -> None:
        """Keep test output free of access logs."""


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    fake: FakeSlackAPI


class FakeSlackAPI:
    """Slack's Web API on 127.0.0.1: use as `with FakeSlackAPI() as fake:`."""

    def __init__(self) -> None:
        self.socket_url = "ws://127.0.0.1:1/"
        self._cond = threading.Condition()
        self._stopping = threading.Event()
        self._calls: list[Call] = []
        self._failed: list[Call] = []
        self._faults: dict[str, deque[_Fault]] = {}
        self._delays: dict[str, float] = {}
        self._holds: dict[str, float] = {}  # answered and recorded at once, replied to later
        self._history: dict[str, list[dict[str, Any]]] = {}  # conversation → bot messages
        self._overrides: dict[str, Answer] = {}
        self._uploads: dict[str, bytes] = {}
        self._issued_uploads: dict[str, str] = {}
        self._shared_files: dict[str, tuple[dict[str, Any], bytes]] = {}
        self._serial = 0
        self._titles: dict[str, str] = {}
        self.outside: set[str] = set()  # channels the bot is not a member of (conversations.info)
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._answers: dict[str, Callable[[dict[str, Any]], Answer]] = {
            "auth.test": self._auth_test,
            "chat.postMessage": self._chat_post_message,
            "chat.postEphemeral": self._chat_post_ephemeral,
            "chat.update": self._chat_update,
            "chat.getPermalink": self._chat_get_permalink,
            "reactions.add": self._reactions_add,
            "conversations.open": self._conversations_open,
            "conversations.info": self._conversations_info,
            "conversations.history": self._conversations_history,
            "users.info": self._users_info,
            "views.publish": self._views_publish,
            "views.open": self._views_open,
            "views.update": self._views_update,
            "files.getUploadURLExternal": self._files_get_upload_url_external,
            "files.completeUploadExternal": self._files_complete_upload_external,
            "files.info": self._files_info,
            "apps.connections.open": self._apps_connections_open,
        }

    # -- lifecycle ----------------------------------------------------------------------------

    def start(self) -> FakeSlackAPI:
        """Bind an ephemeral port and serve in a daemon thread."""
        self._stopping.clear()
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.fake = self
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.02},
            name="FakeSlackAPI",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving; delayed requests are released at once."""
        if self._server is None or self._thread is None:
            return
        self._stopping.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()
        self._server = self._thread = None

    def __enter__(self) -> FakeSlackAPI:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        """Base URL such as http://127.0.0.1:PORT."""
        if self._server is None:
            raise RuntimeError("FakeSlackAPI is not running")
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def api_url(self) -> str:
        """What `WebClient(base_url=...)` takes."""
        return self.url + "/api/"

    def response_url(self, name: str = "r1") -> str:
        """A response_url for slash-command and action payloads."""
        return f"{self.url}/response/{name}"

    # -- inspection ---------------------------------------------------------------------------

    def calls(self, method: str | None = None) -> list[Call]:
        """Calls answered with ok, oldest first, optionally of one method."""
        with self._cond:
            return [c for c in self._calls if method is None or c.method == method]

    @property
    def failed_calls(self) -> list[Call]:
        """Calls answered with an error status or `ok: false`, oldest first."""
        with self._cond:
            return list(self._failed)

    def uploads(self) -> dict[str, bytes]:
        """Bytes received on upload URLs, by file id."""
        with self._cond:
            return dict(self._uploads)

    def wait_for(self, method: str, count: int = 1, timeout: float = 5.0) -> list[Call]:
        """Block until `count` ok calls of `method` were recorded and return them."""
        with self._cond:
            if not self._cond.wait_for(
                lambda: sum(c.method == method for c in self._calls) >= count, timeout
            ):
                raise AssertionError(
                    f"expected {count} {method} call(s) within {timeout}s; "
                    f"recorded: {[c.method for c in self._calls]}, "
                    f"failed: {[c.method for c in self._failed]}"
                )
            return [c for c in self._calls if c.method == method]

    # -- behaviour ----------------------------------------------------------------------------

    def share_file(self, name: str, data: bytes, user: str = "", size: int | None = None) -> Answer:
        """A file someone uploaded: files.info describes it, its download URL serves `data`.

        Returns the file object as a message event carries it; `size` overrides the size
        Slack reports (to test limits without sending megabytes).
        """
        with self._cond:
            file_id = f"F{self._next_serial():08d}"
            info = {
                "id": file_id,
                "name": name,
                "title": name,
                "user": user,
                "size": len(data) if size is None else size,
                "mode": "hosted",
                "url_private": f"{self.url}/files-pri/{TEAM_ID}-{file_id}/{name}",
                "url_private_download": f"{self.url}/files-pri/{TEAM_ID}-{file_id}/download/{name}",
                "permalink": f"{WORKSPACE_URL}files/{user}/{file_id}/{name}",
            }
            self._shared_files[file_id] = (info, data)
        return dict(info)

    def fail_next(
        self,
        method: str,
        status: int = 500,
        times: int = 1,
        retry_after: int | None = None,
        error: str | None = None,
    ) -> None:
        """Answer the next `times` calls of `method` with `status` (200 needs `error`)."""
        if status == 200 and error is None:
            raise ValueError("a failure with status 200 needs an error code")
        code = error or DEFAULT_FAULT_ERRORS.get(status, "fatal_error")
        with self._cond:
            self._faults.setdefault(method, deque()).append(
                _Fault(status, times, retry_after, code)
            )

    def delay(self, method: str, seconds: float) -> None:
        """Make every call of `method` take `seconds` longer; 0 clears it."""
        with self._cond:
            self._delays[method] = seconds

    def hold_reply(self, method: str, seconds: float) -> None:
        """Carry out every call of `method` at once but reply `seconds` later; 0 clears it.

        Slack has acted by the time a client that gives up, or dies, would have heard back.
        """
        with self._cond:
            self._holds[method] = seconds

    def messages(self, channel: str) -> list[dict[str, Any]]:
        """The bot's messages in a conversation (a user id means the DM), oldest first."""
        with self._cond:
            return list(self._history.get(_conversation_id(channel), []))

    def set_response(self, method: str, answer: Answer) -> None:
        """Answer `method` with `answer` instead of the built-in response."""
        with self._cond:
            self._overrides[method] = answer

    def set_title(self, user: str, title: str) -> None:
        """Give `user` a job title in users.info (profile.title)."""
        with self._cond:
            self._titles[user] = title

    def reset(self) -> None:
        """Forget calls, uploads, faults, delays and overridden responses."""
        with self._cond:
            self._calls.clear()
            self._failed.clear()
            self._faults.clear()
            self._delays.clear()
            self._holds.clear()
            self._history.clear()
            self._overrides.clear()
            self._uploads.clear()
            self._issued_uploads.clear()

    # -- request handling ---------------------------------------------------------------------

    def _handle(self, verb: str, raw_path: str, headers: dict[str, str], body: bytes) -> _Reply:
        parts = urlsplit(raw_path)
        path = parts.path
        if path.startswith("/api/"):
            method = path.removeprefix("/api/")
            try:
                args = _parse_args(parts.query, headers.get("content-type", ""), body)
            except (ValueError, UnicodeDecodeError):
                return self._serve(
                    method, {}, headers, path, lambda: _json_reply(_error("invalid_json"))
                )
            return self._serve(
                method, args, headers, path, lambda: _json_reply(self._answer(method, args))
            )
        if verb == "POST" and path.startswith("/response/"):
            try:
                args = json.loads(body or b"{}")
            except ValueError:
                return _text_reply("invalid_payload", status=400)
            return self._serve("response_url", args, headers, path, lambda: _text_reply("ok"))
        if verb == "GET" and path.startswith("/files-pri/"):
            return self._serve(
                "files.download", {}, headers, path, lambda: self._download(path, headers)
            )
        if verb == "POST" and path.startswith("/upload/"):
            return self._store_upload(path.removeprefix("/upload/"), body)
        return _text_reply("not_found", status=404)

    def _serve(
        self,
        method: str,
        args: dict[str, Any],
        headers: dict[str, str],
        path: str,
        respond: Callable[[], _Reply],
    ) -> _Reply:
        with self._cond:
            seconds = self._delays.get(method, 0.0)
        if seconds:
            self._stopping.wait(seconds)
        with self._cond:
            fault = self._take_fault(method)
            if fault is None:
                reply = respond()
            else:
                extra = {} if fault.retry_after is None else {"Retry-After": str(fault.retry_after)}
                reply = _json_reply(_error(fault.error), fault.status, extra)
            answer = json.loads(reply.body) if reply.body.startswith(b"{") else {}
            call = Call(method, args, headers, time.time(), path, reply.status, answer)
            (self._calls if reply.ok else self._failed).append(call)
            self._cond.notify_all()
            hold = self._holds.get(method, 0.0)
        if hold:
            self._stopping.wait(hold)
        return reply

    def _take_fault(self, method: str) -> _Fault | None:
        queue = self._faults.get(method)
        if not queue:
            return None
        fault = queue[0]
        fault.remaining -= 1
        if fault.remaining <= 0:
            queue.popleft()
        return fault

    def _store_upload(self, file_id: str, data: bytes) -> _Reply:
        with self._cond:
            if file_id not in self._issued_uploads:
                return _text_reply("upload_not_found", status=404)
            self._uploads[file_id] = data
        return _text_reply(f"OK - {len(data)}")

    def _answer(self, method: str, args: dict[str, Any]) -> Answer:
        if method in self._overrides:
            return self._overrides[method]
        answer = self._answers.get(method)
        return _error("unknown_method") if answer is None else answer(args)

    def _next_serial(self) -> int:
        self._serial += 1
        return self._serial

    def _next_ts(self) -> str:
        micros = FIRST_TS_MICROS + TS_STEP_MICROS * self._next_serial()
        return f"{micros // 1_000_000}.{micros % 1_000_000:06d}"

    # -- method answers (called with the lock held) -------------------------------------------

    def _auth_test(self, args: dict[str, Any]) -> Answer:
        return _ok(
            url=WORKSPACE_URL,
            team=TEAM_NAME,
            user="govbot",
            team_id=TEAM_ID,
            user_id=BOT_USER_ID,
            bot_id=BOT_ID,
            is_enterprise_install=False,
        )

    def _bot_message(self, args: dict[str, Any], ts: str) -> Answer:
        message = {
            "type": "message",
            "text": args.get("text", ""),
            "user": BOT_USER_ID,
            "bot_id": BOT_ID,
            "app_id": APP_ID,
            "team": TEAM_ID,
            "ts": ts,
        }
        kept = ("blocks", "attachments", "thread_ts", "metadata")
        message.update({k: args[k] for k in kept if k in args})
        return message

    def _chat_post_message(self, args: dict[str, Any]) -> Answer:
        if not args.get("channel"):
            return _error("channel_not_found")
        if not any(args.get(k) for k in ("text", "blocks", "attachments")):
            return _error("no_text")
        ts = self._next_ts()
        channel = _conversation_id(args["channel"])
        message = self._bot_message(args, ts)
        self._history.setdefault(channel, []).append(message)
        return _ok(channel=channel, ts=ts, message=message)

    def _chat_post_ephemeral(self, args: dict[str, Any]) -> Answer:
        if not args.get("channel"):
            return _error("channel_not_found")
        if not args.get("user"):
            return _error("user_not_in_channel")
        return _ok(message_ts=self._next_ts())

    def _chat_update(self, args: dict[str, Any]) -> Answer:
        if not args.get("channel"):
            return _error("channel_not_found")
        if not args.get("ts"):
            return _error("message_not_found")
        return _ok(
            channel=args["channel"],
            ts=args["ts"],
            text=args.get("text", ""),
            message=self._bot_message(args, args["ts"]),
        )

    def _chat_get_permalink(self, args: dict[str, Any]) -> Answer:
        channel, ts = args.get("channel"), args.get("message_ts")
        if not channel:
            return _error("channel_not_found")
        if not ts:
            return _error("message_not_found")
        permalink = f"{WORKSPACE_URL}archives/{channel}/p{ts.replace('.', '')}"
        return _ok(channel=channel, permalink=permalink)

    def _reactions_add(self, args: dict[str, Any]) -> Answer:
        if not args.get("channel") or not args.get("timestamp"):
            return _error("no_item_specified")
        if not args.get("name"):
            return _error("invalid_name")
        return _ok()

    def _conversations_open(self, args: dict[str, Any]) -> Answer:
        if args.get("channel"):
            return _ok(channel={"id": args["channel"]})
        users = [u for u in str(args.get("users", "")).split(",") if u]
        if not users:
            return _error("users_list_not_supplied")
        channel_id = "D" + users[0] if len(users) == 1 else "G" + "".join(users)
        return _ok(channel={"id": channel_id})

    def _conversations_info(self, args: dict[str, Any]) -> Answer:
        channel = args.get("channel")
        if not channel:
            return _error("channel_not_found")
        return _ok(channel={"id": channel, "is_member": channel not in self.outside})

    def _conversations_history(self, args: dict[str, Any]) -> Answer:
        channel = args.get("channel")
        if not channel:
            return _error("channel_not_found")
        limit = int(args.get("limit") or 100)
        with_metadata = str(args.get("include_all_metadata", "")).lower() in ("1", "true")
        newest = list(reversed(self._history.get(channel, [])))[:limit]
        if not with_metadata:
            newest = [{k: v for k, v in m.items() if k != "metadata"} for m in newest]
        return _ok(messages=newest, has_more=len(self._history.get(channel, [])) > limit)

    def _users_info(self, args: dict[str, Any]) -> Answer:
        user_id = args.get("user")
        if not user_id:
            return _error("user_not_found")
        now = datetime.now(ZoneInfo(USER_TZ))
        real_name = f"User {user_id}"
        return _ok(
            user={
                "id": user_id,
                "team_id": TEAM_ID,
                "name": f"user-{user_id.lower()}",
                "deleted": False,
                "real_name": real_name,
                "tz": USER_TZ,
                "tz_label": "British Summer Time" if now.dst() else "Greenwich Mean Time",
                "tz_offset": int(now.utcoffset().total_seconds()),
                "is_admin": False,
                "is_bot": False,
                "profile": {
                    "real_name": real_name,
                    "display_name": real_name,
                    "title": self._titles.get(user_id, ""),
                },
            }
        )

    def _view(self, view: Any, view_id: str | None = None) -> Answer:
        view = view if isinstance(view, dict) else {}
        return {
            "id": view_id or f"V{self._next_serial():08d}",
            "team_id": TEAM_ID,
            "app_id": APP_ID,
            "bot_id": BOT_ID,
            "state": {"values": {}},
            "hash": f"{time.time():.6f}.fakehash",
            **view,
        }

    def _views_publish(self, args: dict[str, Any]) -> Answer:
        if not args.get("user_id"):
            return _error("invalid_arguments")
        return _ok(view=self._view(args.get("view")))

    def _views_open(self, args: dict[str, Any]) -> Answer:
        if not args.get("trigger_id") and not args.get("interactivity_pointer"):
            return _error("invalid_arguments")
        return _ok(view=self._view(args.get("view")))

    def _views_update(self, args: dict[str, Any]) -> Answer:
        if not args.get("view_id") and not args.get("external_id"):
            return _error("not_found")
        return _ok(view=self._view(args.get("view"), args.get("view_id")))

    def _files_get_upload_url_external(self, args: dict[str, Any]) -> Answer:
        if not args.get("filename") or not args.get("length"):
            return _error("invalid_arguments")
        file_id = f"F{self._next_serial():08d}"
        self._issued_uploads[file_id] = args["filename"]
        return _ok(upload_url=f"{self.url}/upload/{file_id}", file_id=file_id)

    def _files_complete_upload_external(self, args: dict[str, Any]) -> Answer:
        files = args.get("files")
        if not isinstance(files, list) or not files:
            return _error("invalid_arguments")
        if any(f.get("id") not in self._uploads for f in files):
            return _error("file_not_found")
        return _ok(
            files=[
                {
                    "id": f["id"],
                    "name": self._issued_uploads[f["id"]],
                    "title": f.get("title", self._issued_uploads[f["id"]]),
                    "size": len(self._uploads[f["id"]]),
                    "user": BOT_USER_ID,
                }
                for f in files
            ]
        )

    def _files_info(self, args: dict[str, Any]) -> Answer:
        shared = self._shared_files.get(str(args.get("file", "")))
        if shared is None:
            return _error("file_not_found")
        return _ok(file=dict(shared[0]))

    def _download(self, path: str, headers: dict[str, str]) -> _Reply:
        """Like Slack: without the bot token, a sign-in page (status 200), not the file."""
        file_id = path.removeprefix("/files-pri/").split("/")[0].removeprefix(f"{TEAM_ID}-")
        shared = self._shared_files.get(file_id)
        if shared is None:
            return _text_reply("file_not_found", status=404)
        if not headers.get("authorization", "").startswith("Bearer xoxb-"):
            body = b"<!DOCTYPE html><html><body>Sign in to Slack</body></html>"
            return _Reply(200, {"Content-Type": "text/html; charset=utf-8"}, body, False)
        return _Reply(200, {"Content-Type": "application/octet-stream"}, shared[1], True)

    def _apps_connections_open(self, args: dict[str, Any]) -> Answer:
        return _ok(url=self.socket_url)
