"""Buttons under answers: page a list in place, post an answer to the channel for everyone."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.charts import INSTALL_HINT, charts_available, render_png
from bot.dispatch import answer
from bot.render.answers import (
    CHART,
    PAGE_NEXT,
    PAGE_PREV,
    SHARE,
    AnswerRef,
    answer_buttons,
    shared_by,
)
from bot.render.general import render
from bot.services import Services, log
from commands.recs_parse import with_page
from commands.replies import (
    ChartRequest,
    GabNext,
    GabSchedule,
    ItemDetail,
    ItemList,
    Reply,
    StandingList,
    Summary,
    Table,
)

# answers that only read: safe to run again when a button asks for them
SHAREABLE = (ItemList, ItemDetail, Summary, Table, GabNext, StandingList, GabSchedule)
INVITE_HINT = "Invite me first: `/invite @govbot`, then try again."
CANNOT_POST = ("not_in_channel", "channel_not_found", "is_archived", "restricted_action")


def register(app: App, services: Services) -> None:
    @app.action(PAGE_PREV)
    @app.action(PAGE_NEXT)
    def on_page(ack: Ack, body: dict, action: dict, respond: Respond) -> None:
        ack()
        ref = AnswerRef.parse(action["value"])
        payload = _answer_payload(services, body, ref)
        services.later(lambda: respond(replace_original=True, response_type="ephemeral", **payload))

    @app.action(SHARE)
    def on_share(ack: Ack, body: dict, action: dict, client: WebClient, respond: Respond) -> None:
        ack()
        ref = AnswerRef.parse(action["value"])
        user = body["user"]["id"]
        channel = (body.get("channel") or {}).get("id", "")
        payload = shared_by(_answer_payload(services, body, ref), user)
        services.later(lambda: share(client, respond, channel, payload))

    @app.action(CHART)
    def on_chart(ack: Ack, body: dict, action: dict, client: WebClient, respond: Respond) -> None:
        ack()
        channel = (body.get("channel") or {}).get("id", "")
        reply = run_line(services, body["user"]["id"], channel, AnswerRef.parse(action["value"]))
        if not isinstance(reply, ChartRequest):
            services.later(lambda: respond(replace_original=False, **render(reply)))
        elif not charts_available():
            services.later(lambda: respond(replace_original=False, text=INSTALL_HINT))
        else:
            services.later(lambda: send_chart(client, channel, reply))


def send_chart(client: WebClient, channel: str, chart: ChartRequest) -> None:
    client.files_upload_v2(
        channel=channel, content=render_png(chart), filename=chart.filename, title=chart.title
    )


def with_share_button(payload: dict[str, Any], reply: Reply, line: str) -> dict[str, Any]:
    """An ephemeral answer with a Post to channel button, when it only reads the register."""
    if not isinstance(reply, SHAREABLE) or any(
        b.get("type") == "actions" and b.get("block_id") == "answer_buttons"
        for b in payload.get("blocks", [])
    ):
        return payload
    return {**payload, "blocks": [*payload.get("blocks", []), *answer_buttons(AnswerRef(line))]}


def run_line(services: Services, user: str, channel: str, ref: AnswerRef) -> Reply:
    """The reply to the command line a button carries, asked again by the user who pressed it."""
    name, _, text = ref.line.partition(" ")  # answer() reads Slack's markup
    if ref.page:
        text = with_page(text, ref.page)
    return answer(services.context(user, channel, is_dm=channel.startswith("D")), name, text)


def _answer_payload(services: Services, body: dict, ref: AnswerRef) -> dict[str, Any]:
    user = body["user"]["id"]
    channel = (body.get("channel") or {}).get("id", "")
    reply = run_line(services, user, channel, ref)
    if not isinstance(reply, SHAREABLE):  # an error, or a line that is not a query any more
        return render(reply)
    return with_share_button(render(reply), reply, ref.line)


def share(client: WebClient, respond: Respond, channel: str, payload: dict[str, Any]) -> None:
    """Post the answer for everyone; if the bot may not, say why and how to fix it."""
    try:
        client.chat_postMessage(channel=channel, **payload)
    except SlackApiError as err:
        code = err.response.get("error", "")
        if code not in CANNOT_POST:
            raise
        log.info("could not share an answer in %s: %s", channel, code)
        respond(response_type="ephemeral", replace_original=False, text=cannot_post(code))


def cannot_post(code: str) -> str:
    """What to tell someone when the bot cannot post in their channel."""
    if code == "is_archived":
        return "I can't post there: the channel is archived."
    return f"I can't post in this channel ({code}). {INVITE_HINT}"
