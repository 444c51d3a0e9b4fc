"""The App Home tab: published whenever someone opens it, and after a button there."""

from __future__ import annotations

from slack_bolt import App
from slack_sdk import WebClient

from bot.render.home import home_sections, home_view, rows_that_fit
from bot.services import Services
from storage.models import HistoryEntry

SYSTEM_AUTHORS = frozenset({"import", "system"})


def register(app: App, services: Services) -> None:
    @app.event("app_home_opened")
    def on_home_opened(event: dict, client: WebClient) -> None:
        user = event.get("user", "")
        if user and event.get("tab", "home") == "home":
            services.later(lambda: publish_home(services, client, user))


def publish_home(services: Services, client: WebClient, user: str) -> None:
    """Publish `user`'s Home tab as the register stands now."""
    ctx = services.context(user)
    with services.store.transaction() as store:
        sections = home_sections(user, ctx.is_admin, store.items.all(), ctx.today)
        shown = {
            item.id
            for sec, rows in zip(sections, rows_that_fit(sections), strict=True)
            if sec.show_last_update
            for item in sec.items[:rows]
        }
        last_updates = {
            item_id: entry
            for item_id in shown
            if (entry := _last_update(store.history.for_item(item_id))) is not None
        }
    view = home_view(sections, last_updates, ctx.today, ctx.now)
    client.views_publish(user_id=user, view=view)


def _last_update(history: list[HistoryEntry]) -> HistoryEntry | None:
    """The latest change a person made (imports are not updates)."""
    return next((e for e in reversed(history) if e.by not in SYSTEM_AUTHORS), None)
