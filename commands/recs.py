"""/recs: what the register answers and how it changes."""

from __future__ import annotations

import math
from dataclasses import replace

from commands.context import Context
from commands.deadlines import days_overdue, rag, response_due
from commands.errors import BadInput, UnknownItem
from commands.export import export_register
from commands.item_edits import ItemFields, edit_item
from commands.item_form import add_form, edit_form
from commands.items import find_item
from commands.panel_report import ReportDocuments, run_report
from commands.permissions import check_admin
from commands.queries import current_index, selected_items
from commands.recs_parse import Filters, RecsRequest, parse_recs, without_page
from commands.register_index import RegisterIndex, register_index
from commands.reminder_settings import remind, subscribe, subscriptions, unsubscribe
from commands.replies import (
    PAGE_SIZE,
    ItemDetail,
    ItemList,
    ItemRow,
    Notice,
    PostItem,
    SourceSummary,
    Summary,
    UpdateDone,
)
from commands.updates import UpdateRequest, apply_update, assign_leads, move_due_date
from storage.models import Item

HELP = """/recs — the recommendation register
/recs  or  /recs summary — counts by status and RAG, per source
/recs overdue — open items past due, most overdue first
/recs due [N] — open items due in the next N days (default 30; or `2 weeks`, `next month`)
/recs CSE13-04 — one item in full
/recs mine | lead @user | status in progress | district Rotherham | source CSE13 | search words… — filters, which combine
/recs set CSE13-04 in progress note… — change the status (leads and admins)
/recs evidence CSE13-04 https://… — add evidence
/recs assign CSE13-04 @user — set the lead (admins)
/recs due-date CSE13-04 31/12/2026 reason… — move a due date (admins)
/recs districts CSE13-04 Rotherham Sheffield | force-wide — the districts an item applies to (admins)
/recs response CSE13 published [date] — record the PCC's published response (admins)
/recs post CSE13-04 — post the item here so its lead can reply in the thread
/recs export [xlsx] — the register as CSV or XLSX, in the columns import-register reads (admins)
/recs report CSE13 — the Panel progress report for a source, as DOCX, HTML and Markdown (admins)
/recs add — add an item by hand in a form (admins)
/recs edit CSE13-04 — edit an item in a form (admins)
/recs import — import a report file: upload it in my DM for a preview (admins)
/recs remind — your own reminders: days, mute until a date, only items you lead
/recs subscribe district Rotherham | source NCP14 | lead @user — this channel gets their reminders
/recs unsubscribe … | /recs subscriptions — stop one, list this channel's"""


def run_recs(ctx: Context, text: str):  # noqa: ANN201 - one of the reply types
    """Answer one /recs command."""
    req = parse_recs(text, ctx.settings.districts.names)
    reply = _HANDLERS[req.action](ctx, req)
    if isinstance(reply, ItemList):  # so the answer can offer Previous / Next
        return replace(reply, command=f"/recs {without_page(text)}".strip())
    return reply


def _help(ctx: Context, req: RecsRequest) -> Notice:
    return Notice(HELP, title="/recs help")


def _summary(ctx: Context, req: RecsRequest) -> Summary:
    with ctx.store.transaction() as store:
        index = register_index(store.items.all())
        sources = {s.id: s for s in store.sources.all()}
    rags = index.rag_counts(ctx.today)
    per_source = []
    for source_id in sorted(sources.keys() | index.by_source.keys()):
        source = sources.get(source_id)
        per_source.append(
            SourceSummary(
                source_id=source_id,
                title=source.title if source else "",
                by_status=dict(index.source_status_counts.get(source_id, {})),
                by_rag=dict(rags.by_source.get(source_id, {})),
                awaiting_allocation=index.awaiting_allocation[source_id],
                response_due=response_due(source) if source else None,
                response_published=source.response_published if source else None,
            )
        )
    return Summary(
        sources=tuple(per_source),
        by_status=dict(index.status_counts),
        by_rag=dict(rags.total),
        total=len(index.items),
    )


def _detail(ctx: Context, req: RecsRequest) -> ItemDetail:
    with ctx.store.transaction() as store:
        return item_detail(ctx, find_item(store, req.item_id))


def item_detail(ctx: Context, item: Item, history_limit: int = 5) -> ItemDetail:
    """The full view of one item with its latest history entries."""
    store = ctx.store
    with store.transaction():
        source = store.sources.get(item.source)
        history = store.history.for_item(item.id)
    return ItemDetail(
        item=item,
        source=source,
        rag=rag(item, ctx.today),
        history=tuple(history[-history_limit:]),
        response_due=response_due(source) if source else None,
    )


def _list(ctx: Context, req: RecsRequest) -> ItemList:
    f = req.filters
    index = current_index(ctx)
    items = selected_items(index, f, ctx)
    today = ctx.today
    pages = max(1, math.ceil(len(items) / PAGE_SIZE))
    if f.page > pages:
        raise BadInput(f"There are only {pages} page(s) of results.")
    start = (f.page - 1) * PAGE_SIZE
    rows = tuple(
        ItemRow(
            item=i,
            rag=rag(i, today),
            days_overdue=days_overdue(i, today),
            days_left=(i.due - today).days if i.due else None,
        )
        for i in items[start : start + PAGE_SIZE]
    )
    return ItemList(
        title=_list_title(f, ctx),
        rows=rows,
        total=len(items),
        page=f.page,
        pages=pages,
        empty_text=_empty_text(f),
        note=_force_wide_note(ctx, index, f),
        more_hint=f"add `page {f.page + 1}` to see more" if f.page < pages else "",
    )


def _list_title(f: Filters, ctx: Context) -> str:
    parts = []
    if f.overdue:
        parts.append("Overdue")
    if f.due_within is not None:
        parts.append(f"Due in the next {f.due_within} days")
    if f.mine:
        parts.append("Your items")
    for lead in f.leads:
        parts.append(f"Lead @{lead}")
    parts += [f"Status: {s}" for s in f.statuses]
    parts += [f"District: {d}" for d in f.districts]
    parts += [f"Source: {s}" for s in f.sources]
    if f.words:
        parts.append(f"Search: {' '.join(f.words)}")
    return " · ".join(parts) or "All items"


def _force_wide_note(ctx: Context, index: RegisterIndex, f: Filters) -> str:
    """Under a district filter: how many force-wide items (no district named) also apply."""
    if not f.districts:
        return ""
    wide = sum(1 for i in selected_items(index, replace(f, districts=()), ctx) if not i.districts)
    if not wide:
        return ""
    return f"+{wide} force-wide item(s) apply to every district, this one too (leave out the district to see them)."


def _empty_text(f: Filters) -> str:
    if f.overdue:
        return "Nothing is overdue. 🎉"
    if f.due_within is not None:
        return f"Nothing open is due in the next {f.due_within} days."
    if f.districts:
        return "No items name that district (force-wide items apply to every district)."
    return "No items match."


def _set(ctx: Context, req: RecsRequest) -> UpdateDone:
    result = apply_update(ctx, UpdateRequest(item_id=req.item_id, status=req.status, note=req.text))
    return UpdateDone(result.describe(), result.item, result.duplicate)


def _evidence(ctx: Context, req: RecsRequest) -> UpdateDone:
    result = apply_update(ctx, UpdateRequest(item_id=req.item_id, status=None, evidence=req.text))
    return UpdateDone(result.describe(), result.item)


def _assign(ctx: Context, req: RecsRequest) -> UpdateDone:
    result = assign_leads(ctx, req.item_id, req.users)
    leads = ", ".join(f"@{u}" for u in req.users)
    return UpdateDone(f"{result.item.id}: lead set to {leads}, by @{ctx.user}", result.item)


def _due_date(ctx: Context, req: RecsRequest) -> UpdateDone:
    assert req.on is not None
    result = move_due_date(ctx, req.item_id, req.on, req.text)
    original = result.item.original_due
    text = f"{result.item.id}: due date moved to {req.on.isoformat()}"
    if original is not None:
        text += f" (originally {original.isoformat()})"
    return UpdateDone(f"{text}, by @{ctx.user}: {req.text}", result.item)


def _districts(ctx: Context, req: RecsRequest) -> UpdateDone:
    result = edit_item(ctx, req.item_id, ItemFields(districts=req.districts))
    named = ", ".join(result.item.districts) or "force-wide (every district)"
    if not result.entries:
        return UpdateDone(f"{result.item.id} is already {named}.", result.item, duplicate=True)
    return UpdateDone(f"{result.item.id}: districts set to {named}, by @{ctx.user}", result.item)


def _post(ctx: Context, req: RecsRequest) -> PostItem:
    return PostItem(_detail(ctx, req))


def _response(ctx: Context, req: RecsRequest) -> Notice:
    check_admin(ctx.user, ctx.settings.admins, "record the PCC's response")
    with ctx.store.transaction() as store:
        source = store.sources.get(req.item_id)
        if source is None:
            names = ", ".join(s.id for s in store.sources.all()) or "none yet"
            raise UnknownItem(f"No source “{req.item_id}”. Sources: {names}.")
        on = req.on or ctx.today
        store.sources.save(replace(source, response_published=on))
    return Notice(f"{source.id}: PCC response recorded as published on {on.isoformat()}.")


def _report(ctx: Context, req: RecsRequest) -> ReportDocuments:
    return run_report(ctx, req.item_id)


_HANDLERS = {
    "help": _help,
    "summary": _summary,
    "detail": _detail,
    "list": _list,
    "set": _set,
    "evidence": _evidence,
    "assign": _assign,
    "due-date": _due_date,
    "post": _post,
    "districts": _districts,
    "export": export_register,
    "response": _response,
    "report": _report,
    "remind": remind,
    "subscribe": subscribe,
    "unsubscribe": unsubscribe,
    "subscriptions": subscriptions,
    "add": add_form,
    "edit": edit_form,
}
