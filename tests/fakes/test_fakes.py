"""The fakes behave like Slack as the real slack_sdk and slack_bolt see it."""

import json
import threading
import time
import urllib.request
from urllib.parse import parse_qs, urlencode

import pytest
from slack_bolt import App
from slack_bolt.request import BoltRequest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import (
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.builtin_interval_calculators import FixedValueRetryIntervalCalculator
from slack_sdk.signature import SignatureVerifier
from slack_sdk.webhook import WebhookClient

from tests.fakes.signing import (
    action_body,
    event_body,
    post_signed,
    sign,
    slash_command_body,
)
from tests.fakes.slack_api import FakeSlackAPI

SECRET = "test-signing-secret"
BLOCKS = [{"type": "section", "text": {"type": "mrkdwn", "text": "*Item 7* is due"}}]


@pytest.fixture
def fake():
    with FakeSlackAPI() as api:
        yield api


@pytest.fixture
def client(fake):
    return WebClient(token="xoxb-test", base_url=fake.api_url)


def retrying_client(fake):
    quick = FixedValueRetryIntervalCalculator(0.01)
    return WebClient(
        token="xoxb-test",
        base_url=fake.api_url,
        retry_handlers=[
            ServerErrorRetryHandler(interval_calculator=quick),
            RateLimitErrorRetryHandler(),
        ],
    )


# -- Web API --------------------------------------------------------------------------------


def test_auth_test_answers_as_the_bot(client, fake):
    response = client.auth_test()

    assert response["user_id"] == "UBOT"
    assert response["bot_id"] == "BBOT"
    assert response["team_id"] == "T0001"
    assert response["url"] == "https://govbot-test.slack.com/"
    assert fake.calls("auth.test")[0].headers["authorization"] == "Bearer xoxb-test"


def test_post_message_returns_increasing_ts_and_records_args(client, fake):
    first = client.chat_postMessage(channel="C0GOV", text="first", blocks=BLOCKS)
    second = client.chat_postMessage(channel="C0GOV", text="second", thread_ts=first["ts"])

    assert float(second["ts"]) > float(first["ts"])
    assert first["channel"] == "C0GOV"
    assert first["message"]["user"] == "UBOT"
    assert first["message"]["bot_id"] == "BBOT"
    assert first["message"]["blocks"] == BLOCKS
    calls = fake.calls("chat.postMessage")
    assert [c.args["text"] for c in calls] == ["first", "second"]
    assert calls[0].args["blocks"] == BLOCKS
    assert calls[1].args["thread_ts"] == first["ts"]


def test_post_message_to_a_user_lands_in_their_dm(client):
    assert client.chat_postMessage(channel="U0LEAD", text="hi")["channel"] == "DU0LEAD"


def test_post_message_without_text_is_refused_like_slack(client, fake):
    with pytest.raises(SlackApiError) as raised, pytest.warns(UserWarning, match="`text`"):
        client.chat_postMessage(channel="C0GOV")

    assert raised.value.response["error"] == "no_text"
    assert fake.calls() == []
    assert [c.method for c in fake.failed_calls] == ["chat.postMessage"]


def test_get_permalink_shape(client):
    response = client.chat_getPermalink(channel="C0GOV", message_ts="1700000000.000100")

    assert response["permalink"] == (
        "https://govbot-test.slack.com/archives/C0GOV/p1700000000000100"
    )


def test_form_encoded_methods_are_recorded_with_their_args(client, fake):
    client.reactions_add(channel="C0GOV", timestamp="1700000000.000100", name="white_check_mark")
    dm = client.conversations_open(users="U0LEAD")
    user = client.users_info(user="U0LEAD")

    assert fake.calls("reactions.add")[0].args == {
        "channel": "C0GOV",
        "timestamp": "1700000000.000100",
        "name": "white_check_mark",
    }
    assert dm["channel"]["id"] == "DU0LEAD"
    assert user["user"]["name"] == "user-u0lead"
    assert user["user"]["tz"] == "Europe/London"


def test_get_and_form_posts_from_other_clients_are_understood(fake):
    with urllib.request.urlopen(fake.api_url + "users.info?user=U0LEAD") as response:
        assert json.loads(response.read())["user"]["id"] == "U0LEAD"
    form = urlencode({"channel": "C0GOV", "blocks": json.dumps(BLOCKS)}).encode()
    with urllib.request.urlopen(fake.api_url + "chat.postMessage", data=form) as response:
        assert json.loads(response.read())["ok"]

    assert fake.calls("users.info")[0].args == {"user": "U0LEAD"}
    assert fake.calls("chat.postMessage")[0].args["blocks"] == BLOCKS


def test_views_echo_the_view_with_an_id(client, fake):
    home = {"type": "home", "blocks": BLOCKS}

    published = client.views_publish(user_id="U0LEAD", view=home)
    opened = client.views_open(trigger_id="trig.1", view={"type": "modal", "blocks": []})
    updated = client.views_update(view_id=opened["view"]["id"], view={"type": "modal"})

    assert published["view"]["type"] == "home"
    assert fake.calls("views.publish")[0].args["view"] == home
    assert updated["view"]["id"] == opened["view"]["id"]


def test_files_upload_v2_stores_bytes(client, fake):
    data = b"item,owner\n7,ACC\n"

    response = client.files_upload_v2(channel="C0GOV", file=data, filename="items.csv")

    file_id = response["file"]["id"]
    assert fake.uploads() == {file_id: data}
    assert response["file"]["name"] == "items.csv"
    complete = fake.calls("files.completeUploadExternal")[0]
    assert complete.args["channel_id"] == "C0GOV"
    assert complete.args["files"] == [{"id": file_id, "title": "items.csv"}]


def test_socket_mode_url_comes_from_the_fake(fake):
    fake.socket_url = "ws://127.0.0.1:9999/link"
    app_client = WebClient(base_url=fake.api_url)

    assert app_client.apps_connections_open(app_token="xapp-test")["url"] == fake.socket_url


def test_unknown_method_is_refused(client):
    with pytest.raises(SlackApiError) as raised:
        client.api_call("governance.teleport")

    assert raised.value.response["error"] == "unknown_method"


def test_set_response_replaces_the_built_in_answer(client, fake):
    fake.set_response("users.info", {"ok": True, "user": {"id": "U1", "tz": "Asia/Tokyo"}})

    assert client.users_info(user="U1")["user"]["tz"] == "Asia/Tokyo"


# -- fault injection ------------------------------------------------------------------------


def test_server_error_then_success_posts_exactly_once(fake):
    fake.fail_next("chat.postMessage", status=500)

    response = retrying_client(fake).chat_postMessage(channel="C0GOV", text="digest")

    assert response["ok"]
    assert len(fake.calls("chat.postMessage")) == 1
    assert [(c.method, c.status) for c in fake.failed_calls] == [("chat.postMessage", 500)]


def test_rate_limit_is_retried_after_retry_after(fake):
    fake.fail_next("chat.postMessage", status=429, retry_after=1)
    started = time.monotonic()

    retrying_client(fake).chat_postMessage(channel="C0GOV", text="digest")

    assert time.monotonic() - started >= 1
    assert len(fake.calls("chat.postMessage")) == 1
    assert [c.status for c in fake.failed_calls] == [429]


def test_server_error_without_retry_handler_raises(client, fake):
    fake.fail_next("chat.postMessage", status=500)

    with pytest.raises(SlackApiError) as raised:
        client.chat_postMessage(channel="C0GOV", text="digest")

    assert raised.value.response.status_code == 500
    assert fake.calls() == []


def test_ok_false_error_with_status_200(client, fake):
    fake.fail_next("chat.update", status=200, error="message_not_found", times=2)

    for _ in range(2):
        with pytest.raises(SlackApiError) as raised:
            client.chat_update(channel="C0GOV", ts="1700000000.000100", text="x")
        assert raised.value.response["error"] == "message_not_found"
    client.chat_update(channel="C0GOV", ts="1700000000.000100", text="x")

    assert len(fake.failed_calls) == 2
    assert len(fake.calls("chat.update")) == 1


def test_a_timed_out_call_may_still_have_reached_slack(fake):
    fake.delay("chat.postMessage", 0.5)
    impatient = WebClient(token="xoxb-test", base_url=fake.api_url, timeout=0.1, retry_handlers=[])

    with pytest.raises(TimeoutError):
        impatient.chat_postMessage(channel="C0GOV", text="digest")

    assert len(fake.wait_for("chat.postMessage")) == 1


def test_wait_for_sees_calls_made_on_other_threads(client, fake):
    worker = threading.Thread(target=client.chat_postMessage, kwargs={"channel": "C", "text": "t"})
    worker.start()

    calls = fake.wait_for("chat.postMessage", timeout=2)
    worker.join()

    assert calls[0].args["channel"] == "C"


def test_wait_for_names_what_was_recorded_on_timeout(client, fake):
    client.auth_test()

    with pytest.raises(AssertionError, match="auth.test"):
        fake.wait_for("chat.update", timeout=0.05)


def test_reset_forgets_calls_and_faults(client, fake):
    client.auth_test()
    fake.fail_next("auth.test")

    fake.reset()
    client.auth_test()

    assert len(fake.calls()) == 1
    assert fake.failed_calls == []


# -- response_url ---------------------------------------------------------------------------


def test_response_url_posts_are_recorded(fake):
    response = WebhookClient(fake.response_url("r1")).send(
        text="Item 7 closed", replace_original=True
    )

    assert (response.status_code, response.body) == (200, "ok")
    [call] = fake.calls("response_url")
    assert call.args == {"text": "Item 7 closed", "replace_original": True}
    assert call.path == "/response/r1"


# -- signing --------------------------------------------------------------------------------


def test_sign_matches_slack_sdk_verifier():
    body = slash_command_body("/deadlines", "next 7 days")
    timestamp = int(time.time())

    headers = sign(SECRET, body, timestamp)

    assert headers["X-Slack-Request-Timestamp"] == str(timestamp)
    assert headers["Content-Type"] == "application/x-www-form-urlencoded"
    verifier = SignatureVerifier(SECRET)
    assert verifier.is_valid(body, str(timestamp), headers["X-Slack-Signature"])
    assert not SignatureVerifier("other").is_valid(
        body, str(timestamp), headers["X-Slack-Signature"]
    )


def test_post_signed_sends_a_verifiable_request(fake):
    body = json.dumps({"text": "signed"})

    status, reply, _ = post_signed(
        fake.response_url("sig"), body, SECRET, content_type="application/json"
    )

    assert (status, reply) == (200, b"ok")
    headers = fake.calls("response_url")[0].headers
    assert SignatureVerifier(SECRET).is_valid(
        body, headers["x-slack-request-timestamp"], headers["x-slack-signature"]
    )


def test_post_signed_reports_error_statuses(fake):
    status, reply, headers = post_signed(
        fake.url + "/nowhere", "{}", SECRET, content_type="application/json"
    )

    assert (status, reply) == (404, b"not_found")
    assert headers["content-type"].startswith("text/plain")


def test_slash_command_body_has_slacks_fields():
    body = parse_qs(slash_command_body("/deadlines", "next 7 days", response_url="http://r"))

    assert {k: v[0] for k, v in body.items() if k in ("command", "text", "response_url")} == {
        "command": "/deadlines",
        "text": "next 7 days",
        "response_url": "http://r",
    }
    assert {"token", "team_id", "channel_id", "user_id", "trigger_id", "api_app_id"} <= set(body)


def test_event_body_is_an_event_callback_envelope():
    event = {"type": "message", "channel": "C0GOV", "ts": "1700000000.000200", "text": "done"}

    first, second = json.loads(event_body(event)), json.loads(event_body(event))

    assert first["type"] == "event_callback"
    assert first["event"] == event
    assert first["event_time"] == 1700000000
    assert first["authorizations"][0]["team_id"] == "T0001"
    assert first["event_id"] != second["event_id"]
    assert json.loads(event_body(event, event_id="Ev1"))["event_id"] == "Ev1"


def test_action_body_wraps_the_payload():
    payload = {"type": "block_actions", "actions": [{"action_id": "close", "value": "7"}]}

    assert json.loads(parse_qs(action_body(payload))["payload"][0]) == payload


def test_bolt_accepts_signed_requests_and_rejects_bad_signatures(fake):
    app = App(signing_secret=SECRET, client=WebClient(token="xoxb-test", base_url=fake.api_url))
    seen = []

    @app.command("/deadlines")
    def deadlines(ack, command):
        seen.append(command["text"])
        ack()

    def dispatch(body, **headers):
        request_headers = {k.lower(): [v] for k, v in {**sign(SECRET, body), **headers}.items()}
        return app.dispatch(BoltRequest(body=body, headers=request_headers)).status

    body = slash_command_body("/deadlines", "next 7 days")
    assert dispatch(body) == 200
    assert dispatch(body, **{"X-Slack-Signature": "v0=" + "0" * 64}) == 401
    assert dispatch(event_body({"type": "app_mention", "text": "hi"})) == 404
    assert seen == ["next 7 days"]
