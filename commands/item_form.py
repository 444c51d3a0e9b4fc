"""/recs add and /recs edit ID: what the form to add or edit an item starts with (admins)."""

from __future__ import annotations

from commands.context import Context
from commands.deadlines import due_from_timescale
from commands.items import find_item
from commands.permissions import check_admin
from commands.recs_parse import RecsRequest
from commands.replies import ItemForm
from storage.models import ITEM_KINDS


def add_form(ctx: Context, req: RecsRequest) -> ItemForm:
    """An empty form, the sources to choose from newest first."""
    check_admin(ctx.user, ctx.settings.admins, "add items")
    with ctx.store.transaction() as store:
        sources = tuple(reversed(store.sources.all()))
    return ItemForm(None, sources, ctx.settings.districts.names, ITEM_KINDS)


def edit_form(ctx: Context, req: RecsRequest) -> ItemForm:
    """The form filled in with the item as it is."""
    check_admin(ctx.user, ctx.settings.admins, "edit items")
    with ctx.store.transaction() as store:
        item = find_item(store, req.item_id)
        source = store.sources.get(item.source)
    counted = (
        due_from_timescale(source.published, item.timescale, ctx.settings.immediate_grace_days)
        if source
        else None
    )
    explicit = item.due if item.due != counted else None
    districts = ctx.settings.districts.names
    return ItemForm(item, (source,) if source else (), districts, ITEM_KINDS, explicit)
