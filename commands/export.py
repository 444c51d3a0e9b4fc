"""The register as CSV or XLSX for the Police and Crime Panel (admins only).

The columns are the ones `govbot import-register` reads, so an export imports back unchanged.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from datetime import date

from commands.context import Context
from commands.deadlines import rag
from commands.permissions import check_admin
from commands.queries import matching_items
from commands.recs_parse import RecsRequest
from commands.register_columns import COLUMNS
from commands.replies import FileExport
from storage.models import Item, Source

EXPORT_FIELDS = (
    "ref",
    "source_id",
    "report",
    "published",
    "publisher",
    "kind",
    "area",
    "text",
    "timescale",
    "due",
    "original_due",
    "lead",
    "lead_role",
    "districts",
    "addressee",
    "force_delivers",
    "status",
    "rag",
    "evidence",
    "last_changed",
)
EXPORT_HEADER = tuple(COLUMNS[f][0] for f in EXPORT_FIELDS)
FORMATS = ("csv", "xlsx")

Cell = str | date


def export_register(ctx: Context, req: RecsRequest) -> FileExport:
    """The filtered register as a CSV (or, asked for, XLSX) file, for admins."""
    check_admin(ctx.user, ctx.settings.admins, "export the register")
    items = matching_items(ctx, req.filters)
    with ctx.store.transaction() as store:
        sources = {s.id: s for s in store.sources.all()}
    rows = register_rows(items, sources, ctx.today)
    fmt = req.text if req.text in FORMATS else "csv"
    content = register_xlsx(rows) if fmt == "xlsx" else register_csv(rows)
    stamp = ctx.today.isoformat()
    return FileExport(
        f"govbot-register-{stamp}.{fmt}",
        content,
        f"Register {stamp}",
        f"{len(items)} items exported.",
    )


def register_rows(
    items: Iterable[Item], sources: Mapping[str, Source], today: date
) -> list[list[Cell]]:
    """Every item as a row of the register's columns (dates as dates), for any file format."""
    rows: list[list[Cell]] = []
    for i in items:
        source = sources.get(i.source)
        row: dict[str, Cell] = {
            "ref": i.id,
            "source_id": i.source,
            "report": source.title if source else "",
            "published": source.published if source else "",
            "publisher": source.publisher if source else "",
            "kind": i.kind,
            "area": i.area,
            "text": i.text,
            "timescale": i.timescale,
            "due": i.due or "",
            "original_due": i.original_due or "",
            "lead": " ".join(i.leads),
            "lead_role": i.lead_role,
            "districts": ", ".join(i.districts),
            "addressee": i.addressee,
            "force_delivers": "yes" if i.force_delivers else "no",
            "status": i.status,
            "rag": rag(i, today) if i.is_open else "",
            "evidence": "yes" if i.has_evidence else "no",
            "last_changed": i.updated_at.date() if i.updated_at else "",
        }
        rows.append([row[f] for f in EXPORT_FIELDS])
    return rows


def register_csv(rows: list[list[Cell]]) -> str:
    """The rows as CSV text under the header; dates ISO; text made safe for spreadsheets."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(EXPORT_HEADER)
    for row in rows:
        writer.writerow(
            cell.isoformat() if isinstance(cell, date) else cell_safe(cell) for cell in row
        )
    return out.getvalue()


def register_xlsx(rows: list[list[Cell]]) -> bytes:
    """The rows as an XLSX workbook: dates as real dates, text never read as a formula."""
    from openpyxl import Workbook  # imported here: only XLSX exports pay for it
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Register"
    sheet.append(EXPORT_HEADER)
    for row in rows:
        # control characters (OCR debris) are not allowed in an XLSX cell: openpyxl refuses them
        sheet.append(
            cell_safe(ILLEGAL_CHARACTERS_RE.sub("", cell)) if isinstance(cell, str) else cell
            for cell in row
        )
    for column in ("D", "J", "K", "T"):  # published, due, original due, last changed
        for cell in sheet[column][1:]:
            cell.number_format = "DD/MM/YYYY"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def cell_safe(value: str) -> str:
    """A text cell a spreadsheet will not run as a formula (=, +, -, @ lead a formula)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
