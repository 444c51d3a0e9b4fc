"""Block Kit for /gab: the next meeting's agenda, standing items, the schedule."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from functools import partial
from typing import Any

from slack_sdk.models.blocks import ButtonElement, Option, PlainTextObject, StaticSelectElement

from bot.escape import truncate
from bot.render.answers import AnswerRef, answer_buttons
from bot.render.common import (
    MAX_BLOCKS,
    Block,
    actions,
    button,
    context,
    esc,
    header,
    mention,
    message,
    packed,
    section,
)
from bot.render.items import SHORT_TEXT, compact_row
from commands.replies import GabNext, GabSchedule, ItemRows, StandingList
from storage.models import HistoryEntry, StandingItem

DISCUSSED_ACTION = "gab_discussed"


def meeting_when(at: datetime) -> str:
    """“Tuesday 29 April 2014 at 10:00”."""
    return f"{at:%A} {at.day} {at:%B %Y at %H:%M}"


def _day(on: date) -> str:
    return f"{on:%a} {on.day} {on:%b %Y}"


def standing_line(item: StandingItem, today: date | None = None) -> str:
    owner = f" · {mention(item.owner)}" if item.owner else ""
    since = f" · since {item.since.isoformat()}" if item.since else ""
    if item.until is None:
        until = " · until further notice"
    elif today is not None and item.until <= today:
        until = f" · _ended {item.until.isoformat()}_"
    else:
        until = f" · until {item.until.isoformat()}"
    return f"*{esc(item.id)}* {esc(item.title, 500)}{owner}{since}{until}"


def change_line(entry: HistoryEntry) -> str:
    who = mention(entry.by) if entry.by not in ("import", "system") else entry.by
    note = f": {esc(entry.note, 200)}" if entry.note else ""
    return (
        f"*{esc(entry.item_id)}* {esc(entry.old)} → *{esc(entry.new)}* · {who} · "
        f"{entry.at:%Y-%m-%d}{note}"
    )


# The digest leaves room for the hint under it and for a combined message's header.
DIGEST_BLOCKS = MAX_BLOCKS - 4
AGENDA_PAGE_LINES = 30
AGENDA_LINES_PER_SECTION = 12
# When the agenda is busy: the changes as /gab's first page shows them, the first lines of the rest.
DIGEST_CHANGE_LINES = AGENDA_PAGE_LINES - 1
DIGEST_SECTION_LINES = 15
ROWS_PER_SECTION = 10


class AgendaPart:
    """One line of the agenda: a section heading (1), a source's label (2) or a line (0).

    An item's line is written only when shown: /gab shows one page of an agenda that runs to
    thousands of lines on a large register.
    """

    __slots__ = ("_line", "heading", "item_id")

    def __init__(self, line: str | Callable[[], str], heading: int = 0, item_id: str = "") -> None:
        self._line = line
        self.heading = heading
        self.item_id = item_id  # the register item the line is about, which can be marked discussed

    @property
    def line(self) -> str:
        if not isinstance(self._line, str):
            self._line = self._line()
        return self._line


def agenda_blocks(reply: GabNext, title: str) -> list[Block]:
    """The agenda for the GAB channel, as /gab orders it, one line per entry, in one message.

    Each line has its own Discussed button while they all fit; on a busy register each agenda
    section shows its first lines, a “Mark discussed…” menu and where /gab lists the rest.
    """
    blocks = [header(title), context(f"As of {_day(reply.today)} · {_counts(reply)}")]
    parts = _agenda_parts(reply)
    sections = _split_sections(parts)
    roomy = blocks + [b for lines in sections for b in _roomy_section(lines)]
    if len(roomy) <= DIGEST_BLOCKS:
        return roomy
    limits = [DIGEST_CHANGE_LINES] + [DIGEST_SECTION_LINES] * (len(sections) - 1)
    compact = [_compact_section(lines, parts, n) for lines, n in zip(sections, limits, strict=True)]
    return blocks + [b for section_blocks in compact for b in section_blocks]


def _split_sections(parts: list[AgendaPart]) -> list[list[AgendaPart]]:
    sections: list[list[AgendaPart]] = []
    for part in parts:
        if part.heading == 1 or not sections:
            sections.append([])
        sections[-1].append(part)
    return sections


def _roomy_section(parts: list[AgendaPart]) -> list[Block]:
    """Every line, each register item's with a Discussed button beside it."""
    blocks: list[Block] = []
    plain: list[str] = []
    for part in parts:
        if part.item_id:
            blocks += packed(plain)
            plain = []
            blocks.append(section(part.line, accessory=discussed_button(part.item_id)))
        else:
            plain.append(part.line)
    return blocks + packed(plain)


def _compact_section(parts: list[AgendaPart], agenda: list[AgendaPart], limit: int) -> list[Block]:
    """The heading, `limit` lines, a “Mark discussed…” menu and “N more — /gab next page P”."""
    heading, lines = parts[0], parts[1:]
    shown, hidden = lines[:limit], lines[limit:]
    blocks = [section(heading.line), *packed([p.line for p in shown], ROWS_PER_SECTION)]
    ids = list(dict.fromkeys(p.item_id for p in shown if p.item_id))
    if ids:
        blocks.append(actions([discussed_menu(ids)]))
    more = [p for p in hidden if p.heading == 0]
    if more:
        at = next(n for n, part in enumerate(agenda) if part is hidden[0])
        page = at // AGENDA_PAGE_LINES + 1
        where = f"/gab next page {page}" if page > 1 else "/gab next"
        blocks.append(context(f"{len(more)} more — `{where}`"))
    return blocks


def discussed_button(item_id: str) -> ButtonElement:
    """The button beside an agenda line that marks its item as discussed at the meeting."""
    return button("Discussed", DISCUSSED_ACTION, item_id)


def discussed_menu(item_ids: list[str]) -> StaticSelectElement:
    """A menu of the items shown in an agenda section: choosing one marks it discussed."""
    options = [Option(text=item_id, value=item_id) for item_id in item_ids]
    return StaticSelectElement(
        placeholder=PlainTextObject(text="Mark discussed…"),
        action_id=DISCUSSED_ACTION,
        options=options[: StaticSelectElement.options_max_length],
    )


def _counts(reply: GabNext) -> str:
    return (
        f"{len(reply.changes)} change(s) · {len(reply.standing)} standing · "
        f"{len(reply.due)} due · {len(reply.overdue)} overdue"
    )


def render_gab_next(reply: GabNext) -> dict[str, Any]:
    """/gab: changes since the last meeting first, grouped by source, one line each, paged."""
    title = f"Next GAB: {meeting_when(reply.meeting)}"
    parts = _agenda_parts(reply)
    pages = [parts[i : i + AGENDA_PAGE_LINES] for i in range(0, len(parts), AGENDA_PAGE_LINES)]
    page = min(max(reply.page, 1), len(pages))
    shown = f" · page {page} of {len(pages)}" if len(pages) > 1 else ""
    blocks: list[Block] = [
        header(title),
        context(f"As of {_day(reply.today)} · {_counts(reply)}{shown}"),
    ]
    lines: list[str] = []
    for part in pages[page - 1]:
        if part.heading and lines:
            blocks.append(section("\n".join(lines)))
            lines = []
        lines.append(part.line)
        if len(lines) == AGENDA_LINES_PER_SECTION:
            blocks.append(section("\n".join(lines)))
            lines = []
    if lines:
        blocks.append(section("\n".join(lines)))
    blocks += answer_buttons(AnswerRef("/gab next"), page, len(pages))
    return message(title, blocks)


def _agenda_parts(reply: GabNext) -> list[AgendaPart]:
    """The agenda line by line: changes by source, standing, due, overdue."""
    since = (
        f"since the last meeting ({_day(reply.last_meeting.date())})"
        if reply.last_meeting
        else "(no earlier meeting on record)"
    )
    parts = [AgendaPart(f"*Status changes {since}*: {len(reply.changes)}", 1)]
    by_source: dict[str, list[HistoryEntry]] = {}
    for entry in reply.changes:
        by_source.setdefault(entry.item_id.rsplit("-", 1)[0], []).append(entry)
    for source, entries in sorted(by_source.items()):
        parts.append(AgendaPart(f"_{esc(source)}_", 2))
        parts += [AgendaPart(partial(_short_change, e), item_id=e.item_id) for e in entries]
    if not reply.changes:
        parts.append(AgendaPart("No status changes."))
    parts.append(AgendaPart(f"*Standing items*: {len(reply.standing)}", 1))
    parts += [AgendaPart(standing_line(s)) for s in reply.standing] or [AgendaPart("None.")]
    meeting_day = _day(reply.meeting.date())
    parts.append(AgendaPart(f"*Due by the meeting* ({meeting_day}): {len(reply.due)}", 1))
    parts += _row_parts(reply.due) or [AgendaPart("Nothing falls due.")]
    parts.append(AgendaPart(f"*Overdue*: {len(reply.overdue)}", 1))
    parts += _row_parts(reply.overdue) or [AgendaPart("Nothing is overdue.")]
    return parts


def _row_parts(rows: ItemRows) -> list[AgendaPart]:
    return [AgendaPart(partial(_row_line, rows, k), item_id=i.id) for k, i in enumerate(rows.items)]


def _row_line(rows: ItemRows, at: int) -> str:
    return compact_row(rows[at])


def _short_change(entry: HistoryEntry) -> str:
    who = mention(entry.by) if entry.by not in ("import", "system") else entry.by
    note = f": {esc(truncate(entry.note, SHORT_TEXT))}" if entry.note else ""
    return (
        f"*{esc(entry.item_id)}* {esc(entry.old)} → *{esc(entry.new)}* · {who} · "
        f"{entry.at:%d %b}{note}"
    )


def render_standing_list(reply: StandingList) -> dict[str, Any]:
    blocks: list[Block] = [header("GAB standing items")]
    if not reply.items:
        blocks.append(section("No standing items yet. Admins add them with `/gab standing add`."))
        return message("No GAB standing items yet.", blocks)
    current = [s for s in reply.items if s.until is None or s.until > reply.today]
    ended = [s for s in reply.items if s not in current]
    blocks += [section(standing_line(s, reply.today)) for s in current + ended]
    return message(f"GAB standing items: {len(current)} in force", blocks)


def render_gab_schedule(reply: GabSchedule) -> dict[str, Any]:
    lines = []
    for meeting in reply.meetings:
        when = meeting_when(meeting.at)
        if meeting.cancelled:
            lines.append(f"~{when}~ *cancelled*")
        else:
            lines.append(when + (" _(one-off)_" if meeting.one_off else ""))
    blocks: list[Block] = [
        header("GAB meetings"),
        context(f"Schedule: {esc(reply.rule)}, with one-off meetings and cancellations"),
        section("\n".join(lines) or "No meetings scheduled."),
    ]
    return message(f"GAB meetings: {len(lines)}", blocks)
