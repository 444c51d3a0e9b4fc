"""Parse per-district figures from the tab-separated DISTRICT tables of a report."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from commands.districts import DEFAULT_DISTRICTS, Districts
from commands.importing.figures_common import (
    SNAPSHOT_METRICS,
    Collector,
    FiguresParse,
    FiguresParseError,
    fold,
    is_real_period,
    known_metric,
    parse_count,
    row_district,
    split_lines,
)

_MONTH_NAMES: tuple[str, ...] = tuple(m.lower() for m in calendar.month_name[1:])
_HEADING_DATE = re.compile(r"(?:\b(\d{1,2})(?:st|nd|rd|th)?\s+)?\b([A-Za-z]{3,9})\.?\s+(\d{4})\b")


@dataclass(frozen=True)
class _Heading:
    year: int
    month: int
    day: int | None


def parse_report_tables(text: str, districts: Districts = DEFAULT_DISTRICTS) -> FiguresParse:
    """Parse the tab-separated DISTRICT tables of a report, dated by the heading above each."""
    lines = split_lines(text)
    collector = Collector()
    previous_end = index = 0
    while index < len(lines):
        if _is_table_header(lines[index]):
            heading = _table_heading(lines, previous_end, index)
            index = previous_end = _read_table(lines, index, heading, collector, districts)
        else:
            index += 1
    return collector.result()


def _cells(line: str) -> list[str]:
    cells = [cell.strip() for cell in line.split("\t")]
    while cells and not cells[-1]:
        cells.pop()
    return cells


def _is_table_header(line: str) -> bool:
    return "\t" in line and fold(line.split("\t")[0]).strip().lower() in {"district", "districts"}


def _month_number(word: str) -> int | None:
    key = fold(word).strip().lower().rstrip(".")
    matches = [
        n for n, name in enumerate(_MONTH_NAMES, 1) if len(key) >= 3 and name.startswith(key)
    ]
    return matches[0] if len(matches) == 1 else None


def _heading_date(line: str) -> _Heading | None:
    for match in _HEADING_DATE.finditer(fold(line)):
        month = _month_number(match[2])
        day = int(match[1]) if match[1] else None
        if month is not None and is_real_period(f"{match[3]}-{month:02d}-{day or 1:02d}"):
            return _Heading(int(match[3]), month, day)
    return None


def _table_heading(lines: list[str], start: int, header: int) -> _Heading:
    # Prefer a heading ("... from April 2015") over a sentence that happens to name a month.
    candidates = [
        (line.rstrip().endswith("."), when)
        for line in lines[start:header]
        if "\t" not in line and (when := _heading_date(line)) is not None
    ]
    headings = [when for is_sentence, when in candidates if not is_sentence]
    chosen = headings or [when for _, when in candidates]
    if not chosen:
        raise FiguresParseError(header + 1, "no 'Month YYYY' heading above the table")
    return chosen[-1]


def _read_table(
    lines: list[str], header: int, heading: _Heading, collector: Collector, districts: Districts
) -> int:
    spans = _metric_spans(_cells(lines[header]), header + 1)
    row = header + 1
    months = _month_row(lines[row], row + 1) if row < len(lines) else None
    if months is not None:
        row += 1
    columns = _column_periods(spans, months, heading, header + 1)
    while row < len(lines) and "\t" in lines[row]:
        _read_table_row(_cells(lines[row]), columns, row + 1, collector, districts)
        row += 1
    return row


def _metric_spans(cells: list[str], line: int) -> list[tuple[int, str]]:
    spans: list[tuple[int, str]] = []
    for column, cell in enumerate(cells[1:], 1):
        if cell:
            metric = known_metric(cell, line)
            # OCR splits one header over two cells ("OFFENC", "OFFENCES"): one metric.
            if not spans or spans[-1][1] != metric:
                spans.append((column, metric))
    if not spans:
        raise FiguresParseError(line, "table has no metric columns")
    return spans


def _month_row(line: str, line_number: int) -> dict[int, int] | None:
    cells = _cells(line)
    if not cells or cells[0]:
        return None
    months: dict[int, int] = {}
    for column, cell in enumerate(cells[1:], 1):
        if cell:
            month = _month_number(cell)
            if month is None:
                raise FiguresParseError(line_number, f"unrecognised month {cell!r}")
            months[column] = month
    return months


def _column_periods(
    spans: list[tuple[int, str]], months: dict[int, int] | None, heading: _Heading, line: int
) -> dict[int, tuple[str, str]]:
    if months is None:
        return {
            column: (metric, _period(metric, heading.year, heading.month, heading.day))
            for column, metric in spans
        }
    if min(months) < spans[0][0]:
        raise FiguresParseError(line, "a month column has no metric heading")
    columns: dict[int, tuple[str, str]] = {}
    ends = [start for start, _ in spans[1:]] + [max(months) + 1]
    for (start, metric), end in zip(spans, ends, strict=True):
        year, previous = heading.year, heading.month
        span_columns = sorted(column for column in months if start <= column < end)
        if not span_columns:
            raise FiguresParseError(line, f"no months under {metric}")
        for column in span_columns:
            if months[column] < previous:  # months run forward: December → January
                year += 1
            previous = months[column]
            columns[column] = (metric, _period(metric, year, previous, None))
    return columns


def _period(metric: str, year: int, month: int, day: int | None) -> str:
    if metric not in SNAPSHOT_METRICS:
        return f"{year:04d}-{month:02d}"
    if day is None:
        first_of_next = date(year + month // 12, month % 12 + 1, 1)
        return (first_of_next - timedelta(days=1)).isoformat()
    return date(year, month, day).isoformat()


def _read_table_row(
    cells: list[str],
    columns: dict[int, tuple[str, str]],
    line: int,
    collector: Collector,
    districts: Districts,
) -> None:
    if not cells:
        return
    district = row_district(cells[0], line, districts)
    for column, cell in enumerate(cells[1:], 1):
        if not cell:
            continue  # missing is not zero
        if column not in columns:
            raise FiguresParseError(line, f"value {cell!r} is under no metric and month")
        metric, period = columns[column]
        collector.add(district, metric, period, parse_count(cell, line), line)
