"""Import on the first Import press of a preview: the file fetched again, the preview replaced."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from slack_sdk import WebClient

from bot.escape import escape_mrkdwn
from bot.render.report_import import outcome_blocks
from bot.services import Services, log
from bot.slack_files import SlackFile, download_file
from commands.deliveries import already_handled, mark_handled
from commands.errors import CommandError

if TYPE_CHECKING:
    from bot.report_upload import PreviewMessage


def import_once(
    services: Services,
    client: WebClient,
    message: PreviewMessage,
    user: str,
    file_id: str,
    run_import: Callable[[SlackFile], str],
) -> None:
    """Run `run_import` (which returns a summary) once per preview, whoever presses and however often.

    The preview's ledger key is checked before the download (a second press costs nothing) and
    again in the transaction that imports and records it, so two presses import once.
    """
    store = services.store
    if already_handled(store, message.decision_key):
        return
    try:
        file = download_file(client, file_id)
        with store.transaction():
            if already_handled(store, message.decision_key):
                return
            summary = run_import(file)
            mark_handled(store, message.decision_key, services.clock())
    except CommandError as err:
        client.chat_postMessage(
            channel=message.channel,
            text=escape_mrkdwn(f"The import failed: {err.message} Nothing was imported."),
        )
        return
    log.info("%s by %s from %s", summary, user, file.name)
    mrkdwn = f"{escape_mrkdwn(summary)} (by <@{user}>, from {escape_mrkdwn(file.name)})"
    client.chat_update(
        channel=message.channel,
        ts=message.ts,
        text=escape_mrkdwn(summary),
        blocks=outcome_blocks(mrkdwn),
    )
