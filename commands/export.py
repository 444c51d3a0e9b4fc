"""The register as CSV for the Police and Crime Panel (admins only)."""

from __future__ import annotations

import csv
import io

from commands.context import Context
from commands.deadlines import rag
from commands.permissions import check_admin
from commands.queries import matching_items
from commands.recs_parse import RecsRequest
from commands.replies import FileExport


def export_register(ctx: Context, req: RecsRequest) -> FileExport:
    """The filtered register as a CSV file, for admins."""
    check_admin(ctx.user, ctx.settings.admins, "export the register")
    items = matching_items(ctx, req.filters)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "id",
            "source",
            "kind",
            "area",
            "text",
            "timescale",
            "due",
            "original_due",
            "leads",
            "districts",
            "status",
            "rag",
            "last_update",
        ]
    )
    today = ctx.today
    for i in items:
        writer.writerow(
            cell_safe(cell)
            for cell in [
                i.id,
                i.source,
                i.kind,
                i.area,
                i.text,
                i.timescale,
                i.due.isoformat() if i.due else "",
                i.original_due.isoformat() if i.original_due else "",
                " ".join(i.leads),
                " ".join(i.districts),
                i.status,
                rag(i, today) if i.is_open else "",
                i.updated_at.isoformat() if i.updated_at else "",
            ]
        )
    stamp = today.isoformat()
    return FileExport(
        f"govbot-register-{stamp}.csv",
        out.getvalue(),
        f"Register {stamp}",
        f"{len(items)} items exported.",
    )


def cell_safe(value: str) -> str:
    """A text cell a spreadsheet will not run as a formula (=, +, -, @ lead a formula)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
