"""The App Home tab: a lead's open items with buttons; for admins, allocation and sign-off."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from bot.render.common import (
    RAG_MARK,
    Block,
    context,
    divider,
    due_phrase,
    esc,
    header,
    leads_text,
    section,
)
from bot.render.items import history_line, status_buttons
from commands.deadlines import rag
from commands.gab_agenda import item_row_at
from storage.models import HistoryEntry, Item

HOME_BLOCK_LIMIT = 100  # Slack's limit for a Home tab view
SECTION_ROWS = 20  # at most this many items per section before "and N more"
ITEM_TEXT_LIMIT = 200
_RAG_ORDER = {"red": 0, "amber": 1, "green": 2}


@dataclass(frozen=True)
class HomeSection:
    """One list on the Home tab and how to see the rest of it."""

    title: str
    items: tuple[Item, ...]
    empty_text: str
    hint: str = ""  # a context line under the title
    more_command: str = ""  # where to see the rest when trimmed
    buttons: bool = False
    show_lead: bool = False
    show_last_update: bool = True


def home_sections(
    user: str, is_admin: bool, items: Sequence[Item], today: date
) -> list[HomeSection]:
    """What `user` sees: their own open items; admins also allocation and sign-off."""
    mine = [i for i in items if i.is_open and user in i.leads]
    sections = [
        HomeSection(
            "Your open items",
            _by_urgency(mine, today),
            "You lead no open items.",
            hint="Update one with the buttons, or reply in its thread in the channel.",
            more_command="/recs mine",
            buttons=True,
        )
    ]
    if is_admin:
        unallocated = [i for i in items if i.is_open and not i.leads]
        signoff = [i for i in items if i.status == "implemented"]
        sections += [
            HomeSection(
                "Awaiting allocation",
                _by_urgency(unallocated, today),
                "Every open item has a lead.",
                hint="Assign a lead with `/recs assign ID @lead`.",
                more_command="/recs export",
                show_last_update=False,
            ),
            HomeSection(
                "Awaiting sign-off",
                tuple(sorted(signoff, key=lambda i: (i.updated_at or datetime.min, i.id))),
                "Nothing is waiting for sign-off.",
                hint="Leads said these are done. Sign off with `/recs set ID closed` "
                "once the evidence is on record.",
                more_command="/recs status implemented",
                show_lead=True,
            ),
        ]
    return sections


def home_view(
    sections: Sequence[HomeSection],
    last_updates: Mapping[str, HistoryEntry],
    today: date,
    now: datetime,
) -> dict[str, Any]:
    """A Home tab view within Slack's 100 blocks: long lists end in “and N more — use …”."""
    shown = rows_that_fit(sections)
    blocks: list[Block] = [
        header("Recommendations"),
        context(f"As of {now.strftime('%Y-%m-%d %H:%M')} · `/recs help` for everything else"),
    ]
    for sec, count in zip(sections, shown, strict=True):
        blocks += [divider(), header(sec.title)]
        if not sec.items:
            blocks.append(section(esc(sec.empty_text)))
            continue
        if sec.hint:
            blocks.append(context(esc(sec.hint)))
        for item in sec.items[:count]:
            blocks.append(section(_row_text(item, today, sec, last_updates.get(item.id))))
            if sec.buttons:
                buttons = status_buttons(item.id)
                buttons["block_id"] = f"home:{item.id}"
                blocks.append(buttons)
        if count < len(sec.items):
            more = len(sec.items) - count
            blocks.append(context(f"…and {more} more — use `{sec.more_command}`"))
    return {"type": "home", "blocks": blocks}


def _by_urgency(items: Sequence[Item], today: date) -> tuple[Item, ...]:
    def key(item: Item) -> tuple:
        return (_RAG_ORDER[rag(item, today)], item.due or date.max, item.id)

    return tuple(sorted(items, key=key))


def _blocks_needed(sec: HomeSection, rows: int) -> int:
    if not sec.items:
        return 3  # divider, title, empty text
    per_row = 2 if sec.buttons else 1
    return 2 + bool(sec.hint) + per_row * rows + (rows < len(sec.items))


def rows_that_fit(sections: Sequence[HomeSection], limit: int = HOME_BLOCK_LIMIT) -> list[int]:
    """Rows to show per section: at most SECTION_ROWS, trimming the longest until all fit."""
    rows = [min(len(s.items), SECTION_ROWS) for s in sections]
    budget = limit - 2  # the title and the "as of" line

    def total() -> int:
        return sum(_blocks_needed(s, n) for s, n in zip(sections, rows, strict=True))

    while total() > budget and any(rows):
        # the list showing most rows gives one up; on a tie the later (admins') list does
        longest = max(range(len(rows)), key=lambda k: (rows[k], k))
        rows[longest] -= 1
    return rows


def _row_text(item: Item, today: date, sec: HomeSection, last: HistoryEntry | None) -> str:
    level = rag(item, today)
    parts = [
        f"{RAG_MARK[level]} *{esc(item.id)}*",
        esc(item.status),
        due_phrase(item_row_at(item, today)),
    ]
    if sec.show_lead:
        parts.append(leads_text(item.leads))
    lines = [" · ".join(parts), esc(item.text, ITEM_TEXT_LIMIT)]
    if sec.show_last_update:
        lines.append(f"_Last update:_ {history_line(last)}" if last else "_No updates yet._")
    return "\n".join(lines)
