"""A file of figures, whatever its shape, read and handed to the importer that understands it."""

from __future__ import annotations

from pathlib import Path

from bot.files import file_bytes, read_text
from bot.spreadsheets import SPREADSHEET_SUFFIXES, read_sheets
from commands.districts import Districts
from commands.figures_import import import_figure_sheets
from commands.importing.figures_parser import is_long_form
from commands.importing.figures_wide import WideOptions
from commands.imports import FiguresImport, import_figures
from storage.store import Store


def import_figures_file(
    store: Store,
    path: Path,
    data: bytes | None = None,
    *,
    districts: Districts,
    source_id: str = "",
    metric: str = "",
    year: str = "",
    dry_run: bool = False,
) -> FiguresImport:
    """Wide tables from .xlsx, .csv or .tsv; long-form CSV/TSV and report text as before."""
    suffix = path.suffix.lower()
    text = None
    if suffix in (".csv", ".tsv"):
        if data is None:
            data = file_bytes(path)
        # Long-form rows are told apart by their header; a stray byte cannot hide it.
        text = data.decode("utf-8-sig", errors="replace")
    if suffix in SPREADSHEET_SUFFIXES and not (text is not None and is_long_form(text)):
        options = WideOptions(
            districts=districts,
            metric=metric,
            year=year,
            file_stem=path.stem,
            named_sheets=suffix == ".xlsx",
        )
        return import_figure_sheets(
            store,
            read_sheets(path, data),
            file_name=path.name,
            source_id=source_id,
            options=options,
            dry_run=dry_run,
        )
    return import_figures(
        store,
        read_text(path) if text is None else text,
        file_name=str(path),
        source_id=source_id,
        dry_run=dry_run,
        districts=districts,
    )
