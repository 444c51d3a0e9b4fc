"""Thread anchors: which of the bot's messages a reply in Slack is about (an item or a digest)."""

from __future__ import annotations

from storage.store import Store
from storage.threads import Anchor


def remember_thread(store: Store, channel: str, ts: str, item_id: str, kind: str) -> None:
    """Replies under the message at `channel`/`ts` are about `item_id` ("" for a digest)."""
    with store.transaction():
        store.threads.remember(Anchor(channel, ts, item_id, kind))


def thread_anchor(store: Store, channel: str, thread_ts: str) -> Anchor | None:
    """What the thread starting at `channel`/`thread_ts` is about; None if not one of ours."""
    with store.transaction():
        return store.threads.resolve(channel, thread_ts)
