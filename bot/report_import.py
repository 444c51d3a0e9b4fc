"""Importing a report's text: the one call the CLI and the Slack upload share.

Until commands.imports.import_report takes text (branch h-extract), the text goes through a
file of the report's name in a temporary folder; at that merge this becomes a direct call.
"""

from __future__ import annotations

import tempfile
from datetime import date, datetime
from pathlib import Path

from commands.districts import DEFAULT_DISTRICTS, Districts
from commands.errors import BadInput
from commands.imports import ReportImport, import_report
from storage.store import Store


def import_report_text(
    store: Store,
    text: str,
    *,
    file_name: str,
    source_id: str,
    title: str,
    published: date,
    now: datetime,
    publisher: str = "HMIC",
    kind: str = "inspection",
    grace_days: int = 0,
    dry_run: bool = False,
    districts: Districts = DEFAULT_DISTRICTS,
) -> ReportImport:
    """Extract the recommendations in `text` (the report `file_name`) and store them."""
    with tempfile.TemporaryDirectory(prefix="govbot-report-") as folder:
        path = Path(folder) / Path(file_name).name
        path.write_text(text, encoding="utf-8")
        try:
            return import_report(
                store,
                path,
                source_id=source_id,
                title=title,
                published=published,
                now=now,
                publisher=publisher,
                kind=kind,
                grace_days=grace_days,
                dry_run=dry_run,
                districts=districts,
            )
        except BadInput as err:  # name the report, not the temporary file
            raise BadInput(err.message.replace(str(path), file_name)) from None


def describe_report_import(result: ReportImport) -> list[str]:
    """The preview lines: counts by timescale, then one line per item."""
    lines = [f"{timescale}: {count}" for timescale, count in result.counts_by_timescale().items()]
    for item in result.items:
        due = item.due.isoformat() if item.due else "no due date"
        lines.append(f"{item.id}  {due}  {item.area[:28]}  {item.text[:70]}")
    return lines
