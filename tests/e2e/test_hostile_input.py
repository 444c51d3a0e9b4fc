"""Hostile input (SPEC sections 4, 5, 7 and 8): whatever people type, the bot answers within
Slack's limits, never raises, never pings a channel or forges a link, and refuses requests
it cannot trust."""

from __future__ import annotations

import itertools
import re
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any
from urllib.error import HTTPError

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.config import Config
from bot.dispatch import COMMANDS, answer
from bot.escape import escape_mrkdwn, unescape_slack
from bot.figure_files import import_figures_file
from bot.files import read_text
from bot.listeners.threads import answer_in_thread
from bot.render.general import render
from bot.services import Services
from bot.thread_updates import handle_thread_reply
from commands.districts import DEFAULT_DISTRICTS
from commands.imports import import_report
from commands.replies import ItemDetail, ItemList, ItemRow
from commands.thread_grammar import parse_update
from storage.models import STATUSES, HistoryEntry, Item
from storage.store import Store
from storage.threads import Anchor
from tests.conftest import CSE13, PANEL15, contents, reference
from tests.fakes.signing import action_body, event_body, sign, slash_command_body
from tests.fakes.slack_api import FakeSlackAPI
from tests.harness import ADMIN, LONDON, SECRET, Clock, RunningBot, running_bot

STRANGER = "USTRANGER"
LEAD = "ULEAD001"
ITEM_TS = "1700000000.000100"
DIGEST_TS = "1700000000.000200"
FORM = "application/x-www-form-urlencoded"
JSON = "application/json"

# Slack's limits (Block Kit reference; chat.postMessage truncates `text` at 40,000)
MAX_BLOCKS = 50
SECTION_LIMIT = 3000
HEADER_LIMIT = 150
FIELD_LIMIT = 2000
MAX_FIELDS = 10
CONTEXT_ELEMENTS = 10
FALLBACK_LIMIT = 40000
BROKEN = ("Sorry, something went wrong", "The register could not be read")

# -- what hostile people type ---------------------------------------------------------------

COMMAND_WORDS = ["summary", "overdue", "due", "mine", "my", "lead", "status", "district"]
COMMAND_WORDS += ["source", "search", "set", "assign", "due-date", "evidence", "post", "export"]
COMMAND_WORDS += ["response", "published", "page", "help", "chart", "total", "next", "standing"]
COMMAND_WORDS += ["add", "end", "until", "owner", "schedule", "cancel", "add-meeting", "held"]
NAMES = ["done", "started", "close", "declined", "Rotherham", "roth", "sheffield", "Other"]
NAMES += ["referrals", "live inv", "charged", "jul", "July 2015", "2015-07", "1st", "CSE13"]
WORDS = COMMAND_WORDS + list(STATUSES) + NAMES
IDS = [
    "GAB1",
    "gab2",
    "10:00",
    "25:61",
    "CSE13-04",
    "cse13-4",
    "CSE13-15",
    "CSE13-99",
    "CSE13-0",
    "X-1",
    "CSE13-" + "0" * 60 + "1",
]
MARKUP = [
    "<!channel>",
    "<!here>",
    "<!everyone>",
    "<!here|here>",
    "<!subteam^S0123|@police>",
    "<@U123|x>",
    "<@U123>",
    f"<@{ADMIN}>",
    f"<@{LEAD}|lead>",
    "<#C0GOV|governance>",
    "<https://evil.example|click>",
    "<https://evil.example>",
    "<mailto:a@evil.example|mail>",
    "<tel:999|call>",
    "@channel",
    "@here",
    "&lt;!channel&gt;",
    "&amp;",
    "<",
    ">",
    "<<!channel>>",
    "```",
    "*",
    "_",
    "~",
    ":",
    "-",
    "—",
]
ODD = ["\x00", "\x07", "\x1b[31m", "\r", "\n", "\t", "\u200b", "\u202e", "\ufeff", "👮", "ﬁ", "İ"]

dates = st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)).map(date.isoformat)
numbers = st.one_of(
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
    st.sampled_from(["0", "-1", "9" * 400, "1e309", "NaN", "٣", "²"]),
)
tokens = st.one_of(
    st.sampled_from(WORDS + IDS + MARKUP + ODD),
    dates,
    numbers,
    st.text(max_size=12),
)
command_text = st.one_of(
    st.text(),
    st.lists(tokens, max_size=12).map(" ".join),
    st.tuples(st.sampled_from(WORDS + IDS), st.lists(tokens, max_size=10)).map(
        lambda t: " ".join([t[0], *t[1]])
    ),
    # long enough to overflow every Block Kit limit if echoed unchecked
    st.tuples(st.sampled_from(["search ", "set CSE13-04 in progress ", ""]), tokens).map(
        lambda t: t[0] + " ".join([t[1]] * 800)
    ),
)
users = st.sampled_from([ADMIN, STRANGER, LEAD])

# -- checking a payload against Slack's limits and SPEC section 8 ---------------------------

_CONTROL = re.compile(r"<([^<>]*)>?")


def register_users(store: Store) -> set[str]:
    """The user ids the register itself holds: leads, past leads and who made changes."""
    with store.transaction() as tx:
        held = {ADMIN}
        for item in tx.items.all():
            held.update(item.leads)
            for entry in tx.history.for_item(item.id):
                held.add(entry.by)
                if entry.change == "lead":
                    held.update(u for u in entry.new.split(",") if u)
    return held


def register_links(store: Store) -> set[str]:
    """The message permalinks the register holds (the only links the bot may render)."""
    with store.transaction() as tx:
        return {
            e.permalink for i in tx.items.all() for e in tx.history.for_item(i.id) if e.permalink
        }


def check_mrkdwn(text: str, users: set[str], links: set[str], where: str) -> None:
    """No Slack control sequence except mentions of the register's users and its permalinks."""
    for match in _CONTROL.finditer(text):
        body = match[1]
        if body.startswith("@") and body[1:] in users and match[0].endswith(">"):
            continue
        target = body.split("|", 1)[0]
        if target in links and body.endswith("|link"):
            continue
        raise AssertionError(f"{where}: control sequence {match[0]!r} in {text!r}")


def check_text_object(obj: dict[str, Any], limit: int, users: set[str], links: set[str]) -> None:
    assert obj["type"] in ("mrkdwn", "plain_text"), obj
    text = obj["text"]
    assert isinstance(text, str) and 1 <= len(text) <= limit, (len(text), limit, text[:200])
    # Slack parses markup only in mrkdwn (Block Kit text object reference): plain_text shows
    # "<!channel>" as typed and cannot ping anyone.
    if obj["type"] == "mrkdwn":
        check_mrkdwn(text, users, links, "block")


def check_payload(
    payload: dict[str, Any], users: set[str] = frozenset(), links: set[str] = frozenset()
) -> None:
    """Within Block Kit's limits, and nothing in it pings, links or mentions from user text."""
    text = payload.get("text", "")
    assert isinstance(text, str) and 1 <= len(text) <= FALLBACK_LIMIT
    check_mrkdwn(text, users, links, "fallback text")
    blocks = payload.get("blocks", [])
    assert len(blocks) <= MAX_BLOCKS
    for block in blocks:
        kind = block["type"]
        if kind == "header":
            check_text_object(block["text"], HEADER_LIMIT, users, links)
            assert block["text"]["type"] == "plain_text"
        elif kind == "section":
            assert "text" in block or "fields" in block, block
            if "text" in block:
                check_text_object(block["text"], SECTION_LIMIT, users, links)
            assert len(block.get("fields", [])) <= MAX_FIELDS
            for field in block.get("fields", []):
                check_text_object(field, FIELD_LIMIT, users, links)
        elif kind == "context":
            assert 1 <= len(block["elements"]) <= CONTEXT_ELEMENTS
            for element in block["elements"]:
                check_text_object(element, SECTION_LIMIT, users, links)
        elif kind == "actions":
            assert 1 <= len(block["elements"]) <= 25
            for element in block["elements"]:
                check_text_object(element["text"], 75, users, links)
                assert len(element.get("value", "")) <= 2000
        else:
            assert kind == "divider", block


def check_answer(reply: Any, store: Store) -> dict[str, Any]:
    payload = render(reply)
    check_payload(payload, register_users(store), register_links(store))
    assert not payload["text"].startswith(BROKEN), payload["text"]
    return payload


# -- a register to attack -------------------------------------------------------------------


def _cse13_store(store: Store) -> Store:
    import_report(
        store,
        read_text(reference(CSE13)),
        file_name=CSE13.name,
        source_id="CSE13",
        title="SYP response to CSE",
        published=date(2014, 1, 31),
        now=datetime(2014, 2, 1, tzinfo=LONDON),
    )
    import_figures_file(store, reference(PANEL15), districts=DEFAULT_DISTRICTS, source_id="PANEL15")
    with store.transaction() as tx:
        tx.items.save(replace(tx.items.get("CSE13-04"), leads=(LEAD,)))
        tx.threads.remember(Anchor("C0GOV", ITEM_TS, "CSE13-04", "item"))
        tx.threads.remember(Anchor("C0GOV", DIGEST_TS, "", "digest"))
    return store


@pytest.fixture(scope="module")
def services(module_stores) -> Iterator[Services]:
    store = _cse13_store(module_stores.new())
    config = Config(
        db_path=module_stores.location_of(store), admins=frozenset({ADMIN}), channel="C0GOV"
    )
    services = Services(config, store, clock=Clock())
    yield services
    services.background.shutdown(wait=True)


@settings(deadline=None, max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(command=st.sampled_from(sorted(COMMANDS)), text=command_text, user=users)
def test_any_command_text_gets_an_answer_within_slacks_limits(services, command, text, user):
    ctx = services.context(user, "C0GOV")
    check_answer(answer(ctx, command, text), services.store)


@settings(deadline=None, max_examples=40)
@given(text=command_text)
def test_unknown_commands_get_a_notice(services, text):
    ctx = services.context(STRANGER, "C0GOV")
    check_answer(answer(ctx, "/gab-evil", text), services.store)


# -- thread replies -------------------------------------------------------------------------

_ts = itertools.count(1)


class RecordingClient:
    """Just enough of slack_sdk.WebClient for answer_in_thread."""

    def __init__(self) -> None:
        self.posted: list[dict[str, Any]] = []

    def chat_postMessage(self, **kwargs: Any) -> dict[str, Any]:  # noqa: N802 - slack_sdk's name
        self.posted.append(kwargs)
        return {"ok": True, "ts": "1.0", "channel": kwargs["channel"]}

    def chat_postEphemeral(self, **kwargs: Any) -> dict[str, Any]:  # noqa: N802
        self.posted.append(kwargs)
        return {"ok": True}

    def reactions_add(self, **kwargs: Any) -> dict[str, Any]:
        return {"ok": True}

    def chat_getPermalink(self, **kwargs: Any) -> dict[str, Any]:  # noqa: N802
        ts = kwargs["message_ts"].replace(".", "")
        return {"ok": True, "permalink": f"https://govbot-test.slack.com/archives/C0GOV/p{ts}"}


thread_text = st.one_of(
    st.text(),
    st.lists(tokens, max_size=10).map(" ".join),
    st.tuples(
        st.sampled_from(["", "<@UBOT> ", "<@U123|x> ", "CSE13-04 ", "cse13-4: ", "CSE13-99 "]),
        st.sampled_from([*STATUSES, "done", "evidence", "blocked:", "close", "*done*"]),
        st.sampled_from([":", " -", ",", " ", "—", ""]),
        st.lists(tokens, max_size=8).map(" ".join),
    ).map("".join),
)


@settings(deadline=None, max_examples=300)
@given(text=thread_text, expect_id=st.booleans(), bot=st.sampled_from([None, "UBOT"]))
def test_the_thread_grammar_never_raises(text, expect_id, bot):
    parsed = parse_update(text, expect_id=expect_id, bot_user_id=bot)
    if parsed is not None:
        assert parsed.status is None or parsed.status in STATUSES
        assert parsed.status is not None or parsed.evidence or not parsed.note


@settings(deadline=None, max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(
    text=thread_text,
    as_markup=st.booleans(),
    user=users,
    anchor=st.sampled_from([ITEM_TS, DIGEST_TS, "1.1"]),
)
def test_thread_replies_never_raise_and_answer_safely(services, text, as_markup, user, anchor):
    ts = f"1700000100.{next(_ts):06d}"
    event = {
        "type": "message",
        "channel": "C0GOV",
        "user": user,
        # Slack delivers mentions and links as markup, and escapes &, < and > typed as text
        "text": text if as_markup else escape_mrkdwn(text),
        "ts": ts,
        "thread_ts": anchor,
    }
    outcome = handle_thread_reply(services, event)
    if outcome is None:
        return
    client = RecordingClient()
    answer_in_thread(services, client, event, outcome)
    (posted,) = client.posted
    assert posted["thread_ts"] == anchor
    assert 1 <= len(posted["text"]) <= FALLBACK_LIMIT
    check_mrkdwn(posted["text"], register_users(services.store), set(), "thread reply")


def test_the_register_still_loads_after_the_attacks(services, module_stores):
    """Admins' commands above changed the register at random: the file is still whole."""
    services.wait_idle()
    with module_stores.open(services.config.db_path).transaction() as tx:
        assert len(tx.items.all()) == 15
        assert all(tx.history.for_item(i.id) for i in tx.items.all())


# -- escaping -------------------------------------------------------------------------------


@settings(deadline=None, max_examples=300)
@given(text=st.one_of(st.text(), st.lists(tokens, max_size=10).map(" ".join)))
def test_escaped_text_holds_no_markup_and_reads_back(text):
    escaped = escape_mrkdwn(text)
    assert "<" not in escaped and ">" not in escaped
    assert unescape_slack(escaped) == text


free_text = st.one_of(st.text(), st.lists(tokens, max_size=30).map(" ".join))


@settings(deadline=None, max_examples=150)
@given(
    text=free_text.filter(bool),  # every imported item has text; Slack refuses an empty section
    area=free_text,
    timescale=free_text,
    note=free_text,
    evidence=free_text,
    who=st.sampled_from([LEAD, "import", "<!channel>", "U123|x"]),
    status=st.sampled_from(STATUSES),
    history=st.integers(min_value=0, max_value=8),
)
def test_items_with_hostile_text_render_without_markup(
    text, area, timescale, note, evidence, who, status, history
):
    item = Item(
        id="CSE13-04",
        source="CSE13",
        number=4,
        area=area,
        text=text,
        timescale=timescale,
        due=date(2014, 1, 31),
        leads=(LEAD,),
        status=status,
    )
    at = datetime(2014, 3, 1, tzinfo=UTC)
    entries = tuple(
        HistoryEntry("CSE13-04", at, who, change, "not started", status, note, evidence)
        for change in itertools.islice(itertools.cycle(["status", "note", "evidence"]), history)
    )
    detail = ItemDetail(item, None, "red", entries)
    rows = tuple(ItemRow(item, "red", days_overdue=31) for _ in range(60))  # over 50 blocks
    listing = ItemList(f"Search: {text}", rows, total=60, more_hint=note)
    users = {LEAD, who} if who.isalnum() else {LEAD}
    for payload in (render(detail), render(listing)):
        check_payload(payload, users)


# -- over HTTP: always a 200 with JSON, never a 5xx -----------------------------------------


@pytest.fixture(scope="module")
def http_bot(tmp_path_factory, module_stores) -> Iterator[RunningBot]:
    tmp = tmp_path_factory.mktemp("hostile-http")
    with (
        FakeSlackAPI() as fake,
        running_bot(tmp, fake, store=_cse13_store(module_stores.new())) as bot,
    ):
        yield bot


@settings(deadline=None, max_examples=25, suppress_health_check=[HealthCheck.too_slow])
@given(command=st.sampled_from(sorted(COMMANDS)), text=command_text, user=users)
def test_signed_slash_commands_always_get_a_json_answer(http_bot, command, text, user):
    status, body = http_bot.command(f"{command} {text}", user=user)
    assert status == 200, body
    assert "raw" not in body, body
    assert body.get("response_type") == "ephemeral"
    check_payload(body, register_users(http_bot.store), register_links(http_bot.store))
    assert not body["text"].startswith(BROKEN), body["text"]


def test_report_text_posted_to_a_channel_cannot_ping_or_link(tmp_path, fake_slack, stores):
    store = _cse13_store(stores.new())
    hostile = "<!channel> urgent: <https://evil.example|GOV.UK> & <@U0BOSS> <!here>"
    with store.transaction() as tx:
        item = tx.items.get("CSE13-04")
        tx.items.save(replace(item, text=hostile, area="<!everyone>", timescale="<!here>"))
    with running_bot(tmp_path, fake_slack, store=store) as bot:
        status, body = bot.command("/recs post CSE13-04")
        assert status == 200
        check_payload(body, register_users(store))
        (posted,) = fake_slack.wait_for("chat.postMessage")
        bot.drain()
        check_payload(posted.args, register_users(store))
        assert "&lt;!channel&gt; urgent" in posted.args["text"]
        _, body = bot.command("/recs search urgent")
        check_payload(body, register_users(store))
        assert "CSE13-04" in body["blocks"][2]["text"]["text"]


# -- requests the bot must not trust --------------------------------------------------------


def _post(url: str, body: str, headers: dict[str, str]) -> int:
    request = urllib.request.Request(url, data=body.encode(), headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except HTTPError as error:
        with error:
            return error.code


def _thread_reply_body(team_id: str = "T0001") -> str:
    event = {
        "type": "message",
        "channel": "C0GOV",
        "user": ADMIN,
        "text": "closed: signed off at GAB evidence: https://intranet.example/x",
        "ts": f"1700000200.{next(_ts):06d}",
        "thread_ts": ITEM_TS,
    }
    return event_body(event, team_id=team_id)


def _button_body(team_id: str = "T0001") -> str:
    return action_body(
        {
            "type": "block_actions",
            "team": {"id": team_id, "domain": "evil"},
            "user": {"id": ADMIN, "team_id": team_id},
            "api_app_id": "A0GOVBOT",
            "trigger_id": "trig.1",
            "channel": {"id": "C0GOV"},
            "container": {"type": "message", "channel_id": "C0GOV", "message_ts": ITEM_TS},
            "actions": [
                {
                    "type": "button",
                    "action_id": "set_done",
                    "block_id": "item:CSE13-04",
                    "value": "CSE13-04",
                    "action_ts": "1700000300.000001",
                }
            ],
        }
    )


def _requests(team_id: str = "T0001") -> list[tuple[str, str]]:
    """Bodies that would change the register or call Slack if they were processed."""
    return [
        (
            slash_command_body("/recs", "assign CSE13-04 <@UEVIL|evil>", ADMIN, team_id=team_id),
            FORM,
        ),
        (slash_command_body("/recs", "post CSE13-04", ADMIN, team_id=team_id), FORM),
        (slash_command_body("/recs", "export", ADMIN, team_id=team_id), FORM),
        (_thread_reply_body(team_id), JSON),
        (_button_body(team_id), FORM),
    ]


def _tampered(kind: str, body: str, content_type: str) -> tuple[str, dict[str, str]]:
    now = int(time.time())
    headers = sign(SECRET, body, now)
    headers["Content-Type"] = content_type
    if kind == "bad signature":
        headers["X-Slack-Signature"] = "v0=" + "0" * 64
    elif kind == "signed with another secret":
        headers["X-Slack-Signature"] = sign("not-the-secret", body, now)["X-Slack-Signature"]
    elif kind == "missing signature":
        del headers["X-Slack-Signature"]
    elif kind == "missing timestamp":
        del headers["X-Slack-Request-Timestamp"]
    elif kind == "empty signature":
        headers["X-Slack-Signature"] = ""
    elif kind == "stale":
        headers.update(sign(SECRET, body, now - 301))
        headers["Content-Type"] = content_type
    elif kind == "from the future":
        headers.update(sign(SECRET, body, now + 600))
        headers["Content-Type"] = content_type
    elif kind == "body altered after signing":
        altered = body.replace(ADMIN, "UEVIL0001")
        assert altered != body
        body = altered
    elif kind == "replayed signature, new timestamp":
        headers["X-Slack-Request-Timestamp"] = str(now - 1)
    else:
        raise ValueError(kind)
    return body, headers


TAMPERING = [
    "bad signature",
    "signed with another secret",
    "missing signature",
    "missing timestamp",
    "empty signature",
    "stale",
    "from the future",
    "body altered after signing",
    "replayed signature, new timestamp",
]


def _snapshot(bot: RunningBot) -> tuple[dict[str, list[str]], list[str]]:
    bot.drain()
    return contents(bot.store), [c.method for c in bot.fake.calls()]


def test_untrusted_requests_are_refused_and_change_nothing(tmp_path, fake_slack, stores):
    with running_bot(tmp_path, fake_slack, store=_cse13_store(stores.new())) as bot:
        before = _snapshot(bot)
        for kind in TAMPERING:
            for body, content_type in _requests():
                sent, headers = _tampered(kind, body, content_type)
                status = _post(bot.url + "/slack/events", sent, headers)
                assert status == 401, (kind, body[:80])
        assert _snapshot(bot) == before
        assert not fake_slack.failed_calls


def test_another_workspace_is_refused_even_when_correctly_signed(tmp_path, fake_slack, stores):
    store = _cse13_store(stores.new())
    with running_bot(tmp_path, fake_slack, store=store, team_id="T0001") as bot:
        before = _snapshot(bot)
        for body, content_type in _requests(team_id="T0EVIL"):
            headers = sign(SECRET, body) | {"Content-Type": content_type}
            status = _post(bot.url + "/slack/events", body, headers)
            assert status == 401, body[:80]
        assert _snapshot(bot) == before

        # the same requests from the configured workspace are served
        status, answer_body = bot.command("/recs assign CSE13-04 <@UNEW0001|new>")
        assert status == 200 and "lead set to @UNEW0001" in answer_body["text"]
