"""A register sheet's rows read into what each says, or the row's problem in plain words."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from commands.districts import DEFAULT_DISTRICTS, Districts
from commands.matching import suggest
from commands.register_cells import (
    STATUS_WORDS,
    cell_text,
    parse_date,
    parse_districts,
    parse_kind,
    parse_lead,
    parse_status,
    parse_yes_no,
)
from commands.register_columns import ColumnMap
from storage.models import ITEM_KINDS

_DATE_FIELDS = {
    "due": "due date",
    "original_due": "original due date",
    "published": "published date",
    "last_changed": "last changed date",
}


@dataclass(frozen=True)
class RegisterRow:
    """One row: where the item comes from, and the item fields it gives (blank cells left out)."""

    line: int  # the sheet's row number, 1-based as a spreadsheet shows it
    ref: str = ""
    source_id: str = ""
    report: str = ""
    published: date | None = None
    publisher: str = ""
    values: dict[str, object] = field(default_factory=dict)
    rag: str = ""
    update: str = ""


class RowError(ValueError):
    """What is wrong with one row."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"row {line}: {message}")
        self.line = line


def read_rows(
    rows: Sequence[Sequence[object]], columns: ColumnMap, districts: Districts = DEFAULT_DISTRICTS
) -> tuple[list[RegisterRow], list[RowError]]:
    """Every non-blank row under the header, and every row's problem."""
    read, problems = [], []
    for index in range(columns.header_row + 1, len(rows)):
        cells = {f: cell_text(_cell(rows[index], i)) for f, i in columns.columns.items()}
        raw = {f: _cell(rows[index], i) for f, i in columns.columns.items()}
        if not any(cells.values()):
            continue
        try:
            read.append(_read_row(index + 1, cells, raw, districts))
        except RowError as problem:
            problems.append(problem)
    return read, problems


def _cell(row: Sequence[object], index: int) -> object:
    return row[index] if index < len(row) else None


def _read_row(
    line: int, cells: dict[str, str], raw: dict[str, object], districts: Districts
) -> RegisterRow:
    text = cells.get("text", "")
    if not text:
        raise RowError(line, "no recommendation text")
    values: dict[str, object] = {"text": text}
    dates = {}
    for name, what in _DATE_FIELDS.items():
        if cells.get(name):
            try:
                dates[name] = parse_date(raw[name])
            except (ValueError, KeyError):
                raise RowError(line, f"{what} “{cells[name]}” is not a date") from None
    for name in ("due", "original_due", "last_changed"):
        if name in dates:
            values[name] = dates[name]
    for name in ("area", "timescale", "addressee", "lead_role"):
        if cells.get(name):
            values[name] = cells[name]
    if cells.get("kind"):
        try:
            values["kind"] = parse_kind(cells["kind"])
        except KeyError:
            raise RowError(
                line, f"kind “{cells['kind']}”: use one of {', '.join(ITEM_KINDS)}"
            ) from None
    if cells.get("status"):
        try:
            values["status"] = parse_status(cells["status"])
        except KeyError:
            hint = suggest(cells["status"], STATUS_WORDS)
            did_you_mean = f" (did you mean “{hint}”?)" if hint else ""
            raise RowError(
                line,
                f"status “{cells['status']}” is not one I know{did_you_mean}: use not started, "
                "in progress, blocked, implemented, closed, superseded or not accepted",
            ) from None
    if cells.get("districts"):
        try:
            values["districts"] = parse_districts(cells["districts"], districts)
        except KeyError as unknown:
            name = unknown.args[0]
            hint = districts.closest(name)
            did_you_mean = f" (did you mean {hint}?)" if hint else ""
            raise RowError(
                line, f"district “{name}” is not one of {', '.join(districts.names)}{did_you_mean}"
            ) from None
    for name, what in (("force_delivers", "force delivers"), ("evidence", "evidence on record")):
        if cells.get(name):
            try:
                values["has_evidence" if name == "evidence" else name] = parse_yes_no(cells[name])
            except ValueError:
                raise RowError(line, f"{what} “{cells[name]}”: write yes or no") from None
    if cells.get("lead"):
        leads, role = parse_lead(cells["lead"])
        if leads:
            values["leads"] = leads
        if role and "lead_role" not in values:
            values["lead_role"] = role
    return RegisterRow(
        line=line,
        ref=cells.get("ref", ""),
        source_id=cells.get("source_id", ""),
        report=cells.get("report", ""),
        published=dates.get("published"),
        publisher=cells.get("publisher", ""),
        values=values,
        rag=cells.get("rag", ""),
        update=cells.get("update", ""),
    )
