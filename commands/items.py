"""Finding items by what people type."""

from __future__ import annotations

from commands.errors import UnknownItem
from commands.matching import suggest
from commands.thread_grammar import normalise_item_id
from storage.models import Item
from storage.store import Store

__all__ = ["find_item", "item_leads", "looks_like_item_id", "normalise_item_id"]


def looks_like_item_id(text: str) -> bool:
    return normalise_item_id(text) is not None


def find_item(store: Store, text: str) -> Item:
    """The item `text` names, or UnknownItem with the nearest ids."""
    item_id = normalise_item_id(text)
    item = store.items.get(item_id) if item_id else None
    if item is not None:
        return item
    ids = store.items.ids()
    hint = suggest(item_id or text, ids)
    if not ids:
        raise UnknownItem(f"No item “{text}”: the register is empty. Import a report first.")
    did_you_mean = f" Did you mean {hint}?" if hint else ""
    sources = sorted({i.rsplit("-", 1)[0] for i in ids})
    raise UnknownItem(
        f"No item “{text}”.{did_you_mean} Items are numbered like {ids[0]} "
        f"(sources: {', '.join(sources)})."
    )


def item_leads(store: Store, item_id: str) -> tuple[str, ...]:
    """The leads of the item with exactly this id; none when there is no such item."""
    with store.transaction():
        item = store.items.get(item_id)
    return item.leads if item is not None else ()
