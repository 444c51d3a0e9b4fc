"""Spreadsheets as people keep them (CSV, TSV, XLSX) read into plain rows of cells.

Reading a file is I/O at the edge; what the rows mean (a register, a table of figures) is
decided under `commands/`, which sees only `Sheet`s.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from bot.files import file_bytes
from commands.errors import BadInput
from commands.importing.cells import Cell, cell_ref

__all__ = ["SPREADSHEET_SUFFIXES", "Cell", "Sheet", "cell_ref", "read_sheets"]
SPREADSHEET_SUFFIXES = (".csv", ".tsv", ".xlsx")


@dataclass(frozen=True)
class Sheet:
    """One sheet: its name (the file's stem for CSV/TSV) and its rows, blank cells as None."""

    name: str
    rows: list[list[Cell]]


def read_sheets(path: Path, data: bytes | None = None) -> list[Sheet]:
    """Every sheet in a .csv, .tsv or .xlsx file (its bytes given, or read from `path`)."""
    suffix = path.suffix.lower()
    if suffix not in SPREADSHEET_SUFFIXES:
        raise BadInput(
            f"{path.name}: not a spreadsheet (expected {', '.join(SPREADSHEET_SUFFIXES)})"
        )
    if data is None:
        data = file_bytes(path)
    if suffix == ".xlsx":
        return _xlsx_sheets(path.name, data)
    return [Sheet(path.stem, _delimited_rows(path.name, data, "\t" if suffix == ".tsv" else ","))]


def _delimited_rows(name: str, data: bytes, delimiter: str) -> list[list[Cell]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        # Excel on Windows saves "CSV" in the ANSI code page unless told UTF-8.
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise BadInput(f"{name}: not UTF-8 or Windows text (byte {err.start})") from None
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return [[cell.strip() or None for cell in row] for row in reader]
    except csv.Error as err:
        raise BadInput(f"{name}: line {reader.line_num}: {err}") from None


def _xlsx_sheets(name: str, data: bytes) -> list[Sheet]:
    from openpyxl import load_workbook  # imported here: only XLSX imports pay for it

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as err:
        raise BadInput(f"{name}: not a readable .xlsx workbook ({err})") from None
    try:
        return [
            Sheet(
                sheet.title,
                [[_xlsx_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)],
            )
            for sheet in workbook.worksheets
        ]
    finally:
        workbook.close()


def _xlsx_cell(value: object) -> Cell:
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, bool):
        return str(value).upper()
    if isinstance(value, int | float | date | datetime) or value is None:
        return value
    return str(value)
