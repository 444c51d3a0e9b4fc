"""Listeners by Slack surface: slash commands, thread replies, buttons and modals, App Home."""

from __future__ import annotations

from slack_bolt import App

from bot.listeners import actions, answers, commands, home, threads, views
from bot.services import Services


def register_listeners(app: App, services: Services) -> None:
    commands.register(app, services)
    threads.register(app, services)
    actions.register(app, services)
    answers.register(app, services)
    home.register(app, services)
    views.register(app, services)
