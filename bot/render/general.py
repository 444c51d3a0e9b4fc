"""Block Kit for notices, tables and exports, and the dispatcher from any reply to a message."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_sdk.models.blocks import ActionsBlock, ButtonElement

from bot.escape import escape_mrkdwn
from bot.render.answers import CHART, AnswerRef
from bot.render.common import Block, context, esc, header, message, section
from bot.render.gab import render_gab_next, render_gab_schedule, render_standing_list
from bot.render.items import (
    render_item_detail,
    render_item_list,
    render_summary,
    render_update_done,
)
from bot.render.meetings import render_minutes
from commands.minutes import MinutesToPost
from commands.panel_report import ReportDocuments
from commands.replies import (
    ChartRequest,
    FileExport,
    GabNext,
    GabSchedule,
    ItemDetail,
    ItemForm,
    ItemList,
    Notice,
    PostAnswer,
    PostItem,
    Reply,
    StandingList,
    Summary,
    Table,
    UpdateDone,
)

Payload = dict[str, Any]
FORM_ELSEWHERE = (
    "Items are added and edited in a form in Slack; offline, use `govbot add …` or `govbot edit …`."
)
TABLE_CHUNK = 2900  # a section holds 3,000 characters; the ``` fences take the rest


def render_notice(reply: Notice) -> dict[str, Any]:
    blocks: list[Block] = []
    if reply.title:
        blocks.append(header(reply.title))
    mark = "" if reply.ok else "⚠️ "
    blocks.append(section(mark + esc(reply.text)))
    return message(reply.text, blocks)


def table_lines(reply: Table) -> list[str]:
    """The table as aligned plain-text lines."""
    rows = [reply.header, *reply.rows]
    widths = [max(len(r[c]) if c < len(r) else 0 for r in rows) for c in range(len(reply.header))]
    lines = []
    for n, row in enumerate(rows):
        cells = [
            cell.ljust(widths[c]) if c == 0 else cell.rjust(widths[c]) for c, cell in enumerate(row)
        ]
        lines.append("  ".join(cells).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return lines


PHONE_WIDTH = 40  # characters of a code block a phone shows without wrapping
ROWS_PER_CARD_SECTION = 6


def render_table(reply: Table) -> dict[str, Any]:
    """Narrow tables as a code block; wider ones as one short paragraph per row (phones)."""
    if max(len(line) for line in table_lines(reply)) > PHONE_WIDTH:
        return _render_cards(reply)
    blocks: list[Block] = [header(reply.title)]
    chunk: list[str] = []
    size = 0
    for line in table_lines(reply):
        escaped = escape_mrkdwn(line)
        if size + len(escaped) + 1 > TABLE_CHUNK and chunk:
            blocks.append(section("```" + "\n".join(chunk) + "```"))
            chunk, size = [], 0
        chunk.append(escaped)
        size += len(escaped) + 1
    if chunk:
        blocks.append(section("```" + "\n".join(chunk) + "```"))
    return message(reply.title, [*blocks, *_table_footer(reply)])


def _render_cards(reply: Table) -> dict[str, Any]:
    """Each row as its name in bold and “column value” pairs that wrap on a narrow screen."""
    cards = []
    for row in reply.rows:
        pairs = (
            f"{esc(name)} *{esc(cell)}*"
            for name, cell in zip(reply.header[1:], row[1:], strict=False)
            if cell
        )
        cards.append(f"*{esc(row[0])}*\n" + " · ".join(pairs))
    blocks: list[Block] = [header(reply.title)]
    for start in range(0, len(cards), ROWS_PER_CARD_SECTION):
        blocks.append(section("\n\n".join(cards[start : start + ROWS_PER_CARD_SECTION])))
    return message(reply.title, [*blocks, *_table_footer(reply)])


def _table_footer(reply: Table) -> list[Block]:
    """The notes under a table, and the button that draws it as a chart."""
    blocks = [context(esc("\n".join(reply.notes)))] if reply.notes else []
    if reply.chart:
        button = ButtonElement(
            text="📈 Chart", action_id=CHART, value=AnswerRef(reply.chart).value()
        )
        blocks.append(ActionsBlock(block_id="figures_chart", elements=[button]).to_dict())
    return blocks


def render_export(reply: FileExport) -> dict[str, Any]:
    return message(reply.summary or reply.title, [section(esc(reply.summary or reply.title))])


def _render_form(reply: ItemForm) -> Payload:
    return render_notice(Notice(FORM_ELSEWHERE))


def _render_chart(reply: ChartRequest) -> Payload:
    return render_notice(Notice(f"{reply.title}: a chart (Slack uploads it as a PNG)."))


def _render_report(reply: ReportDocuments) -> Payload:
    source = reply.report.source.id
    text = f"The {source} progress report: `govbot report {source} --format docx|html|md`."
    return render_notice(Notice(text))


# One renderer per reply type (commands/replies.py `Reply`): a new type without one fails
# the test that renders every type, not a user.
RENDERERS: dict[type, Callable[[Any], Payload]] = {
    Notice: render_notice,
    ItemList: render_item_list,
    ItemDetail: render_item_detail,
    PostItem: lambda reply: render_item_detail(reply.detail),
    PostAnswer: lambda reply: render(reply.answer),
    Summary: render_summary,
    UpdateDone: render_update_done,
    Table: render_table,
    FileExport: render_export,
    ItemForm: _render_form,
    ChartRequest: _render_chart,
    MinutesToPost: lambda reply: render_minutes(reply.minutes),
    ReportDocuments: _render_report,
    GabNext: render_gab_next,
    StandingList: render_standing_list,
    GabSchedule: render_gab_schedule,
}


def render(reply: Reply) -> Payload:
    """Any reply from commands/ as a Slack message payload (text + blocks)."""
    renderer = RENDERERS.get(type(reply))
    if renderer is None:
        raise TypeError(f"no renderer for {type(reply).__name__}")
    return renderer(reply)
