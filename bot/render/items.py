"""Block Kit for the register: item lists, one item in full, the summary, confirmations."""

from __future__ import annotations

from typing import Any

from bot.escape import truncate
from bot.render.answers import AnswerRef, answer_buttons
from bot.render.common import (
    MAX_BLOCKS,
    RAG_MARK,
    Block,
    actions,
    button,
    context,
    divider,
    due_phrase,
    esc,
    fields,
    header,
    leads_text,
    mention,
    message,
    section,
)
from commands.deadlines import no_deadline_note
from commands.replies import ItemDetail, ItemList, ItemRow, SourceSummary, Summary, UpdateDone
from storage.models import HistoryEntry, Item

SHORT_TEXT = 80  # a compact row's text: one line on a phone
ROWS_PER_SECTION = 10
STATUS_MARK = {
    "not started": "⬜",
    "in progress": "🔄",
    "blocked": "⛔",
    "implemented": "✅",
    "closed": "✔️",
    "superseded": "➖",
    "not accepted": "✖️",
}


def compact_row(row: ItemRow) -> str:
    """One line: RAG · id · status · short text · lead · due or days overdue."""
    item = row.item
    mark = RAG_MARK[row.rag] if item.is_open else "⚪"
    status = STATUS_MARK.get(item.status, "")
    text = esc(truncate(item.text, SHORT_TEXT))
    return f"{mark}{status} *{esc(item.id)}* {text} · {leads_text(item.leads)} · {due_phrase(row, short=True)}"


def render_item_list(reply: ItemList) -> dict[str, Any]:
    blocks: list[Block] = [header(reply.title)]
    if not reply.rows:
        blocks.append(section(esc(reply.empty_text)))
        if reply.note:
            blocks.append(context(esc(reply.note)))
        return message(f"{reply.title}: {reply.empty_text}", blocks)
    shown = f"{len(reply.rows)} of {reply.total}" if reply.pages > 1 else f"{reply.total}"
    page = f" · page {reply.page} of {reply.pages}" if reply.pages > 1 else ""
    blocks.append(context(f"{shown} item(s){page} · `/recs ID` for details"))
    lines = [compact_row(r) for r in reply.rows]
    for start in range(0, len(lines), ROWS_PER_SECTION):
        blocks.append(section("\n".join(lines[start : start + ROWS_PER_SECTION])))
    if reply.note:
        blocks.append(context(esc(reply.note)))
    if reply.command:
        blocks += answer_buttons(AnswerRef(reply.command), reply.page, reply.pages)
    elif reply.more_hint:
        blocks.append(context(esc(reply.more_hint)))
    return message(f"{reply.title}: {reply.total} item(s)", blocks)


def history_line(entry: HistoryEntry) -> str:
    when = entry.at.strftime("%Y-%m-%d %H:%M")
    who = mention(entry.by) if entry.by not in ("import", "system") else entry.by
    if entry.change == "status":
        what = f"{esc(entry.old)} → *{esc(entry.new)}*"
    elif entry.change == "lead":
        new_leads = tuple(u for u in entry.new.split(",") if u)
        what = f"lead → {leads_text(new_leads)}"
    elif entry.change == "due":
        what = f"due {esc(entry.old)} → {esc(entry.new)}"
    elif entry.change in ("add", "edit") and entry.field:
        old = f"{esc(entry.old, 200)} → " if entry.old else ""
        what = f"{entry.change} {esc(entry.field)}: {old}{esc(entry.new or '—', 200)}"
    elif entry.change == "amend":
        what = "note amended"
    else:
        what = esc(entry.change)
    extra = ""
    if entry.note:
        extra += f": {esc(entry.note, 300)}"
    if entry.evidence:
        extra += f" · evidence: {esc(entry.evidence, 300)}"
    if entry.permalink.startswith("https://"):
        extra += f" · <{entry.permalink}|link>"
    return f"{when} · {who} · {what}{extra}"


def _lead_text(leads: tuple[str, ...], lead_role: str) -> str:
    """The lead(s), or "awaiting allocation" with the role a register named."""
    if leads or not lead_role:
        return leads_text(leads)
    return f"{leads_text(())} ({esc(lead_role, 200)})"


def detail_blocks(reply: ItemDetail, *, with_buttons: bool = True) -> list[Block]:
    item = reply.item
    source = reply.source
    due = item.due.isoformat() if item.due else no_deadline_note(item.timescale) or "none"
    if item.original_due and item.original_due != item.due:
        due += f" (originally {item.original_due.isoformat()})"
    rag = f"{RAG_MARK[reply.rag]} {reply.rag}" if item.is_open else "—"
    blocks: list[Block] = [
        header(f"{item.id} · {item.kind}"),
        section(esc(item.text)),
        fields(
            [
                ("Source", esc(f"{item.source}: {source.title}" if source else item.source)),
                ("Area", esc(item.area or "—")),
                ("Timescale", esc(item.timescale or "none given")),
                ("Due", esc(due)),
                ("Lead", _lead_text(item.leads, item.lead_role)),
                ("Status", esc(item.status)),
                ("RAG", rag),
                ("Districts", esc(", ".join(item.districts) or "force-wide")),
                *_addressed_to(item),
            ]
        ),
    ]
    if reply.history:
        blocks.append(divider())
        blocks.append(
            context("*Latest updates*\n" + "\n".join(history_line(e) for e in reply.history))
        )
    if with_buttons and item.is_open:
        blocks.append(status_buttons(item.id))
    return blocks


def _addressed_to(item: Item) -> list[tuple[str, str]]:
    """The 'Addressed to' field ("the Home Office · not the force's to deliver"), if any."""
    if not item.addressee and item.force_delivers:
        return []
    text = esc(item.addressee or "not named")
    if not item.force_delivers:
        text += " · not the force's to deliver"
    return [("Addressed to", text)]


def status_buttons(item_id: str, *, snooze: bool = False) -> Block:
    buttons = [
        ("In progress", "set_in_progress", None),
        ("Done", "set_done", "primary"),
        ("Blocked", "set_blocked", "danger"),
    ]
    if snooze:
        buttons.append(("Remind me in 3 days", "snooze_3d", None))
    elements = [button(label, action_id, item_id, style) for label, action_id, style in buttons]
    return actions(elements, block_id=f"item:{item_id}")


def render_item_detail(reply: ItemDetail) -> dict[str, Any]:
    return message(f"{reply.item.id}: {reply.item.text[:200]}", detail_blocks(reply))


def _counts(counts: dict[str, int]) -> str:
    return " · ".join(f"{esc(k)} {v}" for k, v in counts.items()) or "none"


def render_summary(reply: Summary) -> dict[str, Any]:
    blocks: list[Block] = [header("Recommendation register")]
    if not reply.total:
        blocks.append(
            section("The register is empty. Import a report with `govbot import-report`.")
        )
        return message("The register is empty.", blocks)
    rag = " ".join(f"{RAG_MARK[k]} {v}" for k, v in reply.by_rag.items())
    blocks.append(section(f"*{reply.total} items* · {_counts(reply.by_status)}\nOpen: {rag}"))
    # Only the sources one message can show are rendered (one more tells `message` to cut).
    room = MAX_BLOCKS + 1 - len(blocks)
    blocks += [_source_section(src) for src in reply.sources[:room]]
    return message(f"Register: {reply.total} items", blocks)


def _source_section(src: SourceSummary) -> Block:
    src_rag = " ".join(f"{RAG_MARK[k]} {v}" for k, v in src.by_rag.items()) or "none open"
    lines = [
        f"*{esc(src.source_id)}* {esc(src.title)}",
        _counts(src.by_status),
        f"Open: {src_rag}",
    ]
    if src.awaiting_allocation:
        lines.append(f"{src.awaiting_allocation} awaiting allocation")
    if src.response_due:
        if src.response_published:
            lines.append(f"PCC response published {src.response_published.isoformat()}")
        else:
            lines.append(f"PCC response due {src.response_due.isoformat()} (not yet recorded)")
    return section("\n".join(lines))


def render_update_done(reply: UpdateDone) -> dict[str, Any]:
    mark = "ℹ️ Already recorded: " if reply.duplicate else "✅ "
    return message(reply.text, [section(mark + esc(reply.text))])
