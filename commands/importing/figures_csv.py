"""Parse per-district figures from long-form district,metric,period,value CSV/TSV."""

from __future__ import annotations

import csv
import re

from commands.districts import DEFAULT_DISTRICTS, Districts
from commands.importing.figures_common import (
    SNAPSHOT_METRICS,
    Collector,
    FiguresParse,
    FiguresParseError,
    is_real_period,
    known_metric,
    parse_count,
    row_district,
    split_lines,
)

_COLUMNS: tuple[str, ...] = ("district", "metric", "period", "value")
_DELIMITERS: tuple[str, ...] = (",", "\t", ";")
_PERIOD = re.compile(r"\d{4}-\d{2}(?:-\d{2})?")


def parse_figures_csv(text: str, districts: Districts = DEFAULT_DISTRICTS) -> FiguresParse:
    """Parse long-form district,metric,period,value rows (comma, tab or semicolon separated)."""
    lines = split_lines(text)
    start = next((i for i, line in enumerate(lines) if line.strip()), None)
    if start is None:
        raise FiguresParseError(1, "no figures found")
    header = csv_header(lines[start])
    if header is None:
        raise FiguresParseError(start + 1, _missing_columns_message(lines[start]))
    delimiter, columns, width = header
    collector = Collector()
    for index in range(start + 1, len(lines)):
        if lines[index].strip():
            cells = next(csv.reader([lines[index]], delimiter=delimiter))
            if len(cells) != width:
                raise FiguresParseError(index + 1, f"expected {width} columns, found {len(cells)}")
            _read_csv_row(
                {name: cells[i].strip() for name, i in columns.items()},
                index + 1,
                collector,
                districts,
            )
    return collector.result()


def csv_header(line: str) -> tuple[str, dict[str, int], int] | None:
    """(delimiter, column indexes, width) when the line is a long-form header, else None."""
    for delimiter in _DELIMITERS:
        cells = [cell.strip().lower() for cell in next(csv.reader([line], delimiter=delimiter))]
        if all(column in cells for column in _COLUMNS):
            return delimiter, {column: cells.index(column) for column in _COLUMNS}, len(cells)
    return None


def _missing_columns_message(line: str) -> str:
    found = {cell.strip().lower() for cell in re.split(r"[,\t;]", line)}
    missing = ", ".join(column for column in _COLUMNS if column not in found)
    return f"header is missing columns {missing} (need {', '.join(_COLUMNS)})"


def _read_csv_row(
    row: dict[str, str], line: int, collector: Collector, districts: Districts
) -> None:
    district = row_district(row["district"], line, districts)
    metric = known_metric(row["metric"], line)
    period = _csv_period(row["period"], metric, line)
    collector.add(district, metric, period, parse_count(row["value"], line), line)


def _csv_period(text: str, metric: str, line: int) -> str:
    if not _PERIOD.fullmatch(text) or not is_real_period(text):
        raise FiguresParseError(line, f"bad period {text!r}: expected YYYY-MM or YYYY-MM-DD")
    if metric in SNAPSHOT_METRICS and len(text) != 10:
        raise FiguresParseError(line, f"{metric} is a snapshot: period must be a date YYYY-MM-DD")
    if metric not in SNAPSHOT_METRICS and len(text) != 7:
        raise FiguresParseError(line, f"{metric} is monthly: period must be a month YYYY-MM")
    return text
