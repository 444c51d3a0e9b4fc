"""The App Home tab: published whenever someone opens it, and after a button there."""

from __future__ import annotations

from slack_bolt import App
from slack_sdk import WebClient

from bot.render.home import home_sections, home_view, rows_that_fit
from bot.services import Services
from commands.queries import all_items
from commands.updates import last_updates


def register(app: App, services: Services) -> None:
    @app.event("app_home_opened")
    def on_home_opened(event: dict, client: WebClient) -> None:
        user = event.get("user", "")
        if user and event.get("tab", "home") == "home":
            services.later(lambda: publish_home(services, client, user))


def publish_home(services: Services, client: WebClient, user: str) -> None:
    """Publish `user`'s Home tab as the register stands now."""
    ctx = services.context(user)
    with services.store.transaction():  # the items and their updates as of one moment
        sections = home_sections(user, ctx.is_admin, all_items(ctx), ctx.today)
        shown = {
            item.id
            for sec, rows in zip(sections, rows_that_fit(sections), strict=True)
            if sec.show_last_update
            for item in sec.items[:rows]
        }
        updates = last_updates(services.store, shown)
    view = home_view(sections, updates, ctx.today, ctx.now)
    client.views_publish(user_id=user, view=view)
