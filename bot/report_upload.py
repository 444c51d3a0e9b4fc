"""A report uploaded to the bot's DM: preview (a dry run), then Import, Change details or Cancel.

The pending import lives in the buttons themselves (file id + details, as JSON in each button's
value), not in the store: nothing to expire or clean up, and it survives a restart. Import
downloads the file again and runs the real import; a ledger key per preview message makes the
first Import or Cancel the only one that counts, and the message is then replaced by the outcome.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from slack_sdk import WebClient

from bot.escape import escape_mrkdwn
from bot.figures_upload import is_figures_file, preview_figures_upload
from bot.files import document_text
from bot.render.report_import import details_modal, outcome_blocks, preview_blocks
from bot.services import Services
from bot.slack_files import SlackFile, download_file
from bot.upload_decisions import import_once
from commands.deliveries import already_handled, handle_once, preview_key
from commands.errors import CommandError
from commands.import_preview import describe_import
from commands.imports import ReportImport, import_report
from commands.permissions import check_admin
from commands.report_details import (
    ImportDetails,
    checked_source_id,
    details_in_message,
    import_details,
)

UPLOAD_HINT = (
    "Upload the report file here in my DM (PDF, Word .docx, a saved web page or text), "
    "or a workbook of district figures (.xlsx, .csv, .tsv). "
    "Add its details in the message if you know them, e.g. "
    "“source CSE13 published 2014-01-31 title Child sexual exploitation”."
)


@dataclass(frozen=True)
class PendingImport:
    """What the preview's buttons carry: the file and the details to import it with."""

    file_id: str
    details: ImportDetails

    def to_value(self) -> str:
        d = self.details
        return json.dumps(
            {
                "file": self.file_id,
                "source": d.source_id,
                "title": d.title,
                "published": d.published.isoformat(),
                "publisher": d.publisher,
                "guessed": list(d.guessed),
            },
            ensure_ascii=False,
        )

    @classmethod
    def from_value(cls, value: str) -> PendingImport:
        v = json.loads(value)
        details = ImportDetails(
            v["source"], v["title"], date.fromisoformat(v["published"]), v["publisher"],
            tuple(v["guessed"]),
        )  # fmt: skip
        return cls(v["file"], details)


@dataclass(frozen=True)
class PreviewMessage:
    """The DM message holding a preview: the one place its outcome is shown."""

    channel: str
    ts: str

    @property
    def decision_key(self) -> str:
        return preview_key(self.channel, self.ts)


def check_may_import(services: Services, user: str) -> None:
    check_admin(user, services.config.settings().admins, "import reports")


def preview_upload(
    services: Services, client: WebClient, channel: str, file_id: str, message_text: str
) -> None:
    """Download, convert and dry-run the file; post the preview, or say what is wrong."""
    try:
        file = download_file(client, file_id)
        if is_figures_file(file.name):
            preview_figures_upload(services, client, channel, file, message_text)
            return
        text = document_text(file.name, file.data)
        today = services.context("").today
        details = import_details(file.name, text, details_in_message(message_text), today)
        result = _run(services, text, file.name, details, dry_run=True)
    except CommandError as err:
        client.chat_postMessage(
            channel=channel, text=escape_mrkdwn(f"{err.message} Nothing was imported.")
        )
        return
    pending = PendingImport(file_id, details)
    client.chat_postMessage(
        channel=channel,
        text=f"Import preview: {len(result.items)} items in {escape_mrkdwn(file.name)}",
        blocks=_preview(file.name, pending, result),
    )


def import_pending(
    services: Services, client: WebClient, message: PreviewMessage, user: str, value: str
) -> None:
    """The real import, once per preview; the preview becomes the result."""
    pending = PendingImport.from_value(value)

    def run_import(file: SlackFile) -> str:
        text = document_text(file.name, file.data)
        result = _run(services, text, file.name, pending.details, dry_run=False)
        return (
            f"Imported {len(result.items)} items as {result.source.id}: {result.created} new, "
            f"{result.updated} updated, {result.unchanged} unchanged."
        )

    import_once(services, client, message, user, pending.file_id, run_import)


def cancel_pending(services: Services, client: WebClient, message: PreviewMessage) -> None:
    if not handle_once(services.store, message.decision_key, services.clock()):
        return
    text = "Cancelled — nothing imported."
    client.chat_update(
        channel=message.channel, ts=message.ts, text=text, blocks=outcome_blocks(text)
    )


def open_details_form(
    client: WebClient, trigger_id: str, message: PreviewMessage, value: str
) -> None:
    metadata = json.dumps({"channel": message.channel, "ts": message.ts, "pending": value})
    details = PendingImport.from_value(value).details
    client.views_open(trigger_id=trigger_id, view=details_modal(details, metadata))


def details_from_form(values: dict) -> tuple[dict[str, str], ImportDetails | None]:
    """The form's details, or errors by field (block id) to show in the modal."""

    def text(name: str) -> str:
        return (values[name][name].get("value") or "").strip()

    errors: dict[str, str] = {}
    try:
        source = checked_source_id(text("source"))
    except CommandError as err:
        errors["source"] = err.message
    if not text("title"):
        errors["title"] = "Give the report's title."
    published = values["published"]["published"].get("selected_date") or ""
    if not published:
        errors["published"] = "Pick the date the report was published."
    if errors:
        return errors, None
    details = ImportDetails(
        source, text("title"), date.fromisoformat(published), text("publisher") or "HMIC"
    )
    return {}, details


def repreview(services: Services, client: WebClient, metadata: str, details: ImportDetails) -> None:
    """The preview again with the details from the form, in place of the old one."""
    meta = json.loads(metadata)
    message = PreviewMessage(meta["channel"], meta["ts"])
    pending = PendingImport(PendingImport.from_value(meta["pending"]).file_id, details)
    if already_handled(services.store, message.decision_key):
        return  # imported or cancelled meanwhile
    try:
        file = download_file(client, pending.file_id)
        result = _run(services, document_text(file.name, file.data), file.name, details, True)
    except CommandError as err:
        client.chat_postMessage(
            channel=message.channel, text=escape_mrkdwn(f"{err.message} Nothing was imported.")
        )
        return
    client.chat_update(
        channel=message.channel,
        ts=message.ts,
        text=f"Import preview: {len(result.items)} items in {escape_mrkdwn(file.name)}",
        blocks=_preview(file.name, pending, result),
    )


def _preview(file_name: str, pending: PendingImport, result: ReportImport) -> list[dict]:
    lines = describe_import(result)
    return preview_blocks(file_name, pending.details, len(result.items), lines, pending.to_value())


def _run(
    services: Services, text: str, file_name: str, details: ImportDetails, dry_run: bool
) -> ReportImport:
    return import_report(
        services.store,
        text,
        file_name=file_name,
        source_id=details.source_id,
        title=details.title,
        published=details.published,
        now=services.clock(),
        publisher=details.publisher,
        grace_days=services.config.immediate_grace_days,
        dry_run=dry_run,
        districts=services.districts(),
    )
