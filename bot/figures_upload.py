"""A workbook of figures uploaded to the bot's DM: preview (a dry run), then Import or Cancel.

The same shape as a report upload (bot/report_upload.py): the buttons carry the file id and the
source, Import downloads the file again, and a ledger key per preview message lets only the first
Import or Cancel count.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from slack_sdk import WebClient

from bot.escape import escape_mrkdwn
from bot.figure_files import import_figures_file
from bot.render.figures_import import figures_preview_blocks
from bot.services import Services
from bot.slack_files import SlackFile
from bot.spreadsheets import SPREADSHEET_SUFFIXES
from bot.upload_decisions import import_once
from commands.errors import CommandError
from commands.figures_import import describe_figures_import, figure_options_in_message
from commands.imports import FiguresImport

if TYPE_CHECKING:  # bot.report_upload hands workbooks to this module: no import back at run time
    from bot.report_upload import PreviewMessage


def is_figures_file(name: str) -> bool:
    """Workbooks and tables of figures (.xlsx, .csv, .tsv), not reports."""
    return Path(name).suffix.lower() in SPREADSHEET_SUFFIXES


def preview_figures_upload(
    services: Services, client: WebClient, channel: str, file: SlackFile, message_text: str = ""
) -> None:
    """Dry-run the workbook; post the preview with Import / Cancel, or say what is wrong.

    The message may name the measure and the year ("metric referrals year 2015/16").
    """
    metric, year = figure_options_in_message(message_text)
    try:
        result = _run(services, file, dry_run=True, metric=metric, year=year)
    except CommandError as err:
        client.chat_postMessage(
            channel=channel, text=escape_mrkdwn(f"{err.message} Nothing was imported.")
        )
        return
    pending = {"file": file.id, "source": result.source, "metric": metric, "year": year}
    state = json.dumps(pending, ensure_ascii=False)
    lines = describe_figures_import(result)
    client.chat_postMessage(
        channel=channel,
        text=f"Figures import preview: {len(result.figures)} figures in {escape_mrkdwn(file.name)}",
        blocks=figures_preview_blocks(file.name, len(result.figures), lines, state),
    )


def import_pending_figures(
    services: Services, client: WebClient, message: PreviewMessage, user: str, value: str
) -> None:
    """The real import, once per preview; the preview becomes the result."""
    pending = json.loads(value)

    def run_import(file: SlackFile) -> str:
        result = _run(
            services,
            file,
            dry_run=False,
            source_id=pending["source"],
            metric=pending["metric"],
            year=pending["year"],
        )
        replacing = f", replacing {result.replaced}" if result.replaced else ""
        checked = f" {len(result.mismatches)} printed totals differ." if result.mismatches else ""
        return (
            f"Imported {len(result.figures)} figures as source {result.source}{replacing}.{checked}"
        )

    import_once(services, client, message, user, pending["file"], run_import)


def _run(
    services: Services,
    file: SlackFile,
    *,
    dry_run: bool,
    source_id: str = "",
    metric: str = "",
    year: str = "",
) -> FiguresImport:
    return import_figures_file(
        services.store,
        Path(file.name),
        file.data,
        districts=services.districts(),
        source_id=source_id,
        metric=metric,
        year=year,
        dry_run=dry_run,
    )
