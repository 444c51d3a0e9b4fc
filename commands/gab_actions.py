"""/gab action, /gab actions and /gab discussed: what a meeting agrees, tracked like any item."""

from __future__ import annotations

import math
import re
from datetime import date, datetime

from commands.context import Context
from commands.dates import written_date
from commands.deadlines import days_overdue, rag
from commands.errors import BadInput
from commands.gab_agenda import GabData, load_gab
from commands.items import find_item, looks_like_item_id, normalise_item_id
from commands.meetings import (
    ensure_meeting_source,
    meeting_id,
    meeting_named,
    meeting_to_record,
    next_meeting_after,
    record_attendance,
    uk_date,
)
from commands.recs_parse import mention_user
from commands.replies import PAGE_SIZE, ItemList, ItemRow, Notice
from storage.models import Discussion, HistoryEntry, Item, MeetingRecord

ACTION_USAGE = "Usage: `/gab action @owner what is to be done [by 31/03/2027 | by next meeting]`"
DISCUSSED_USAGE = "Usage: `/gab discussed CSE13-04 CSE13-06 [: note]`"
# The last “by …” of the text: “supported by the LA by 31/03/2027” is due on 31 March.
_BY = re.compile(r"^(?P<text>.*)(?:^|\s)by\s+(?P<when>\S.*?)\s*$", re.IGNORECASE | re.DOTALL)
DATE_FORMS = "2027-03-31, 31/03/2027, 31 March 2027, March 2027 or “next meeting”"


def record_action(ctx: Context, args: str) -> Notice:
    """`/gab action @owner TEXT [by DATE]`: a new action of the current (or last) meeting."""
    data = load_gab(ctx.store, ctx.settings)
    meeting = meeting_to_record(ctx, data, "record a GAB action")
    owner, text, due = _parse_action(args, data, meeting, ctx.today)
    source_id = meeting_id(meeting.date())
    with ctx.store.transaction() as store:
        existing = store.items.by_source(source_id)
        for item in existing:
            if item.leads == (owner,) and item.text.casefold() == text.casefold():
                return Notice(f"That action is already recorded as {item.id}.", ok=False)
        ensure_meeting_source(store, meeting)
        number = max((i.number for i in existing), default=0) + 1
        item = Item(
            id=f"{source_id}-{number:02d}",
            source=source_id,
            number=number,
            kind="action",
            area="GAB action",
            text=text,
            timescale=f"by {uk_date(due)}" if due else "",
            due=due,
            leads=(owner,),
            updated_at=ctx.now,
        )
        store.history.append(
            HistoryEntry(
                item_id=item.id,
                at=ctx.now,
                by=ctx.user,
                change="import",
                new=item.status,
                note=f"Action agreed at the GAB meeting of {uk_date(meeting.date())}",
                channel=ctx.channel,
            )
        )
        store.items.save(item)
    record_attendance(ctx)
    when = f", due {uk_date(due)}" if due else ", no due date"
    return Notice(f"Recorded {item.id} for @{owner}{when}: {text}")


def _parse_action(
    text: str, data: GabData, meeting: datetime, today: date
) -> tuple[str, str, date | None]:
    owner_word, _, rest = text.strip().partition(" ")
    owner = mention_user(owner_word)
    if owner is None:
        raise BadInput(f"Start with the owner as an @mention. {ACTION_USAGE}")
    due = None
    match = _BY.search(rest)
    if match:
        due = by_date(match["when"], data, meeting)
        if due is not None:
            rest = match["text"]
        elif match["when"][:1].isdigit():
            raise BadInput(f"“by {match['when']}” is not a date: write {DATE_FORMS}.")
    rest = rest.strip()
    if not rest:
        raise BadInput(f"What is the action? {ACTION_USAGE}")
    if due is not None and due < today:
        raise BadInput(f"“by {match['when']}” is in the past.")  # type: ignore[index]
    return owner, rest, due


def by_date(text: str, data: GabData, meeting: datetime) -> date | None:
    """The date after “by”: as people write dates (commands/dates.py), or the next meeting."""
    words = " ".join(text.lower().split()).removeprefix("the ")
    if words == "next meeting":
        following = next_meeting_after(data, meeting)
        if following is None:
            raise BadInput("No GAB meeting is scheduled after this one: give a date.")
        return following.date()
    return written_date(words)


def list_actions(ctx: Context, args: str) -> ItemList:
    """`/gab actions [open|MEETING] [page N]`: GAB actions, newest meeting first."""
    words = args.split()
    page = 1
    if len(words) >= 2 and words[-2].lower() == "page":
        if not words[-1].isdecimal() or not 0 < len(words[-1]) < 6 or int(words[-1]) == 0:
            raise BadInput("Which page? e.g. `/gab actions open page 2`")
        page = int(words[-1])
        words = words[:-2]
    wanted = " ".join(words)
    only_open = wanted.lower() == "open"
    source = ""
    if wanted and not only_open:
        data = load_gab(ctx.store, ctx.settings)
        source = meeting_id(meeting_named(data, wanted).date())
    with ctx.store.transaction() as store:
        actions = [i for i in store.items.all() if i.kind == "action"]
    if only_open:
        actions = [i for i in actions if i.is_open]
    if source:
        actions = [i for i in actions if i.source == source]
    actions.sort(key=lambda i: (i.source, -i.number), reverse=True)
    pages = max(1, math.ceil(len(actions) / PAGE_SIZE))
    if page > pages:
        raise BadInput(f"There are only {pages} page(s) of actions.")
    today = ctx.today
    shown = actions[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    title = (
        f"GAB actions · {source}" if source else "GAB actions" + (" · open" if only_open else "")
    )
    return ItemList(
        title=title,
        rows=tuple(
            ItemRow(
                i, rag(i, today), days_overdue(i, today), (i.due - today).days if i.due else None
            )
            for i in shown
        ),
        total=len(actions),
        page=page,
        pages=pages,
        empty_text="No GAB actions yet. Record one with `/gab action @owner …`.",
        more_hint=f"add `page {page + 1}` to see more" if page < pages else "",
    )


def mark_discussed(ctx: Context, args: str) -> Notice:
    """`/gab discussed ID… [: note]`: the items the meeting discussed, with a note."""
    ids, note = _parse_discussed(args)
    data = load_gab(ctx.store, ctx.settings)
    meeting = meeting_to_record(ctx, data, "mark items as discussed")
    source_id = meeting_id(meeting.date())
    with ctx.store.transaction() as store:
        items = [find_item(store, item_id) for item_id in ids]
        new = [
            item.id
            for item in items
            if store.meetings.record_discussed(
                Discussion(source_id, item.id, ctx.user, ctx.now, note)
            )
        ]
        held = {r.held_on: r for r in store.gab.meetings_held()}.get(meeting.date())
        earlier = held.items if held else ()
        store.gab.record_meeting(
            MeetingRecord(meeting.date(), tuple(dict.fromkeys((*earlier, *new))))
        )
    record_attendance(ctx)
    again = [item.id for item in items if item.id not in new]
    parts = []
    if new:
        parts.append(f"Marked {', '.join(new)} as discussed at {source_id}")
    if again:
        parts.append(f"{', '.join(again)} already marked")
    text = "; ".join(parts) + (f". Note: {note}" if note and new else ".")
    return Notice(text, ok=bool(new))


def _parse_discussed(text: str) -> tuple[list[str], str]:
    words = text.split()
    ids: list[str] = []
    while words and looks_like_item_id(words[0].rstrip(":,")):
        ids.append(normalise_item_id(words[0].rstrip(":,")) or words[0])
        ended = words[0].endswith(":")
        words = words[1:]
        if ended:
            break
    if not ids:
        raise BadInput(f"Which items? {DISCUSSED_USAGE}")
    note = " ".join(words).lstrip(":-–— ").strip()
    return list(dict.fromkeys(ids)), note
