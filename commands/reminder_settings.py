"""/recs remind, subscribe, unsubscribe, subscriptions: who gets which reminders where.

`/recs remind` is always about the caller's own DMs; subscriptions belong to the channel they
are typed in. Escalations to the admins ignore personal settings (SPEC section 10).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from commands.context import Context
from commands.dates import parse_date
from commands.errors import BadInput, UnknownItem
from commands.items import find_item
from commands.matching import resolve_choice
from commands.permissions import check_may_update
from commands.recs_parse import RecsRequest, mention_user
from commands.replies import Notice
from storage.models import Item
from storage.reminder_prefs import WORKING_WEEK, ReminderPrefs, Subscription

DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
REMIND_HELP = (
    "`/recs remind` shows your settings; `/recs remind days mon,wed,fri` (or `working days`), "
    "`/recs remind mute until 2026-12-31`, `/recs remind unmute`, `/recs remind only mine`, "
    "`/recs remind all items`, `/recs remind reset`."
)
SUBSCRIBE_USAGE = "`/recs subscribe district Rotherham`, `source NCP14` or `lead @name`"
FIELDS = ("district", "source", "lead")


def remind(ctx: Context, req: RecsRequest) -> Notice:
    """Show or change the caller's own reminder settings."""
    words = req.text.lower().replace(",", " ").split()
    with ctx.store.transaction() as store:
        prefs = store.reminder_prefs.get(ctx.user)
        if words:
            prefs = _changed(prefs, words, req.text, ctx)
            store.reminder_prefs.save(prefs)
    return Notice(describe_prefs(prefs, ctx), title="Your reminders")


def describe_prefs(prefs: ReminderPrefs, ctx: Context) -> str:
    """The settings in one paragraph, then how to change them."""
    days = ", ".join(DAY_NAMES[d] for d in sorted(prefs.days))
    if prefs.days == WORKING_WEEK:
        days = "working days (Mon–Fri)"
    muted = (
        f"muted until {prefs.muted_until.isoformat()} (escalations to admins still arrive)"
        if prefs.muted_until and prefs.muted_until >= ctx.today
        else "not muted"
    )
    which = "only items you lead" if prefs.only_mine else "every item that concerns you"
    return f"Your reminders: on {days} · {muted} · {which}.\n{REMIND_HELP}"


def _changed(prefs: ReminderPrefs, words: list[str], text: str, ctx: Context) -> ReminderPrefs:
    head, rest = words[0], words[1:]
    if head == "days":
        return replace(prefs, days=_days(rest))
    if head == "mute":
        if rest[:1] == ["until"]:
            rest = rest[1:]
        if len(rest) != 1:
            raise BadInput("Mute until when? e.g. `/recs remind mute until 2026-12-31`")
        until = parse_date(rest[0], "date")
        if until < ctx.today:
            raise BadInput(f"{until.isoformat()} has passed: give a date from today on.")
        return replace(prefs, muted_until=until)
    if head == "unmute" and not rest:
        return replace(prefs, muted_until=None)
    if words in (["only", "mine"], ["only", "my", "items"], ["mine"]):
        return replace(prefs, only_mine=True)
    if words in (["all", "items"], ["all"]):
        return replace(prefs, only_mine=False)
    if words == ["reset"]:
        return ReminderPrefs(ctx.user)
    raise BadInput(f"I don't know “{text.strip()}”. {REMIND_HELP}")


def _days(words: list[str]) -> tuple[int, ...]:
    if words in (["working", "days"], ["weekdays"], ["working"], ["mon-fri"]):
        return WORKING_WEEK
    if not words:
        raise BadInput("Which days? e.g. `/recs remind days mon,wed,fri`")
    days = {resolve_choice(w[:3], DAY_NAMES, "day") for w in words if w}
    return tuple(sorted(DAY_NAMES.index(d) for d in days))


def subscribe(ctx: Context, req: RecsRequest) -> Notice:
    """This channel also receives the reminders about items matching a filter."""
    sub = _subscription(ctx, req.text, "subscribe")
    with ctx.store.transaction() as store:
        added = store.subscriptions.add(sub)
    what = _describe(sub)
    if not added:
        return Notice(f"This channel already receives the reminders about {what}.")
    return Notice(
        f"This channel now receives the reminders about {what}, gathered in one message a day."
    )


def unsubscribe(ctx: Context, req: RecsRequest) -> Notice:
    sub = _subscription(ctx, req.text, "unsubscribe")
    with ctx.store.transaction() as store:
        removed = store.subscriptions.remove(sub)
    if not removed:
        raise UnknownItem(
            f"This channel has no subscription to {_describe(sub)}. `/recs subscriptions` "
            "lists them."
        )
    return Notice(f"This channel no longer receives the reminders about {_describe(sub)}.")


def subscriptions(ctx: Context, req: RecsRequest) -> Notice:
    """The channel's subscriptions."""
    _check_channel(ctx, "subscriptions")
    with ctx.store.transaction() as store:
        mine = [s for s in store.subscriptions.all() if s.channel == ctx.channel]
    if not mine:
        return Notice(f"This channel has no subscriptions. Add one with {SUBSCRIBE_USAGE}.")
    lines = "\n".join(f"• {_describe(s)}" for s in mine)
    return Notice(f"This channel receives the reminders about:\n{lines}")


def _subscription(ctx: Context, text: str, verb: str) -> Subscription:
    _check_channel(ctx, verb)
    words = text.split()
    if len(words) != 2 or words[0].lower() not in FIELDS:
        raise BadInput(f"Usage: {SUBSCRIBE_USAGE.replace('subscribe', verb, 1)}.")
    field, value = words[0].lower(), words[1]
    if field == "district":
        value = resolve_choice(value, ctx.settings.districts.names, "district")
    elif field == "source":
        value = _source(ctx, value)
    else:
        user = mention_user(value)
        if user is None:
            raise BadInput(f"Name the lead with an @mention: `/recs {verb} lead @name`.")
        value = user
    return Subscription(ctx.channel, field, value)


def _check_channel(ctx: Context, verb: str) -> None:
    if ctx.is_dm or not ctx.channel or ctx.channel[:1] == "D":
        raise BadInput(
            f"`/recs {verb}` is about a channel: type it in the channel that should get the "
            "reminders. Your own reminders are `/recs remind`."
        )


def _source(ctx: Context, word: str) -> str:
    with ctx.store.transaction() as store:
        ids = [s.id for s in store.sources.all()]
    if not ids:
        raise UnknownItem("No sources have been imported yet.")
    return resolve_choice(word, ids, "source")


def _describe(sub: Subscription) -> str:
    if sub.field == "lead":
        return f"items led by @{sub.value}"
    if sub.field == "district":
        return f"items in {sub.value}"
    return f"items from {sub.value}"


def snooze_item(ctx: Context, item_id: str, days: int) -> tuple[Item, date]:
    """Hold the caller's reminders about an item for `days` days: the item, the day they resume."""
    until = ctx.today + timedelta(days=days)
    with ctx.store.transaction() as store:
        item = find_item(store, item_id)
        check_may_update(ctx.user, item, None, ctx.settings.admins)
        store.snoozes.snooze(ctx.user, item.id, until)
    return item, until
