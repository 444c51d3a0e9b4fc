"""Parse per-district figures from long-form CSV/TSV or the tab-separated tables of a report."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import date, timedelta

from storage.models import FIGURE_DISTRICTS

METRICS: tuple[str, ...] = (
    "referrals",
    "offences",
    "charged_or_summonsed",
    "cautions",
    "live_investigations",
    "convictions",
)
SNAPSHOT_METRICS = frozenset({"live_investigations"})

_COLUMNS: tuple[str, ...] = ("district", "metric", "period", "value")
_DELIMITERS: tuple[str, ...] = (",", "\t", ";")
_TOTAL_NAMES = frozenset({"total", "totals", "force total"})
_MONTH_NAMES: tuple[str, ...] = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
# OCR sometimes reads Latin letters as their Cyrillic twins ("Мау" for "May").
_LATIN_LOOKALIKES = str.maketrans("АВЕКМНОРСТУХаеорсухіјѕ", "ABEKMHOPCTYXaeopcyxijs")
_FOOTNOTE_MARKS = re.compile(r"\^\{[^}]*\}|[*†‡§¹²³⁴⁵⁶⁷⁸⁹⁰]")
_COUNT = re.compile(r"\d{1,3}(?:,\d{3})+|\d+")
_PERIOD = re.compile(r"\d{4}-\d{2}(?:-\d{2})?")
_HEADING_DATE = re.compile(r"(?:\b(\d{1,2})(?:st|nd|rd|th)?\s+)?\b([A-Za-z]{3,9})\.?\s+(\d{4})\b")
_METRIC_ALIASES: dict[str, str] = {
    **{metric.replace("_", " "): metric for metric in METRICS},
    "referral": "referrals",
    "offence": "offences",
    "charged or summonsed to court": "charged_or_summonsed",
    "caution": "cautions",
    "live investigation": "live_investigations",
    "active cse offences": "live_investigations",
    "active investigations": "live_investigations",
    "conviction": "convictions",
}


@dataclass(frozen=True)
class ParsedFigure:
    district: str
    metric: str
    period: str
    value: int
    line: int


@dataclass(frozen=True)
class PrintedTotal:
    metric: str
    period: str
    value: int
    line: int


@dataclass(frozen=True)
class FiguresParse:
    figures: tuple[ParsedFigure, ...]
    totals: tuple[PrintedTotal, ...]


@dataclass(frozen=True)
class TotalMismatch:
    metric: str
    period: str
    printed: int
    computed: int
    line: int

    def describe(self) -> str:
        """One line for the importer's report."""
        return (
            f"line {self.line}: {self.metric} {self.period} "
            f"printed total {self.printed}, computed {self.computed}"
        )


class FiguresParseError(ValueError):
    """Bad figures input, with the 1-based line it was found on."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line}: {message}")
        self.line = line
        self.message = message


@dataclass(frozen=True)
class _Heading:
    year: int
    month: int
    day: int | None


class _Collector:
    """Accumulates figures and printed totals, refusing the same key twice."""

    def __init__(self) -> None:
        self.figures: list[ParsedFigure] = []
        self.totals: list[PrintedTotal] = []
        self._seen: dict[tuple[str, str, str], int] = {}

    def add(self, district: str | None, metric: str, period: str, value: int, line: int) -> None:
        key = (district or "Total", metric, period)
        if key in self._seen:
            raise FiguresParseError(
                line, f"{' '.join(key)} appears twice (first on line {self._seen[key]})"
            )
        self._seen[key] = line
        if district is None:
            self.totals.append(PrintedTotal(metric, period, value, line))
        else:
            self.figures.append(ParsedFigure(district, metric, period, value, line))

    def result(self) -> FiguresParse:
        if not self.figures:
            raise FiguresParseError(1, "no figures found")
        return FiguresParse(tuple(self.figures), tuple(self.totals))


def normalise_district(name: str) -> str | None:
    """The canonical district for a name as printed, or None ("Total" is not a district)."""
    key = _district_key(name)
    return next((d for d in FIGURE_DISTRICTS if d.lower() == key), None)


def normalise_metric(name: str) -> str | None:
    """The metric for a header or name as printed, accepting unambiguous prefixes of 4+ letters."""
    key = " ".join(re.sub(r"[^a-z0-9]+", " ", _fold(name).lower()).split())
    if key in _METRIC_ALIASES:
        return _METRIC_ALIASES[key]
    matches = {metric for alias, metric in _METRIC_ALIASES.items() if alias.startswith(key)}
    return matches.pop() if len(key) >= 4 and len(matches) == 1 else None


def parse_figures(text: str) -> FiguresParse:
    """Long-form CSV/TSV when the first non-blank line is its header, else report tables."""
    first = next((line for line in _lines(text) if line.strip()), "")
    if _csv_header(first) is not None:
        return parse_figures_csv(text)
    return parse_report_tables(text)


def parse_figures_csv(text: str) -> FiguresParse:
    """Parse long-form district,metric,period,value rows (comma, tab or semicolon separated)."""
    lines = _lines(text)
    start = next((i for i, line in enumerate(lines) if line.strip()), None)
    if start is None:
        raise FiguresParseError(1, "no figures found")
    header = _csv_header(lines[start])
    if header is None:
        raise FiguresParseError(start + 1, _missing_columns_message(lines[start]))
    delimiter, columns, width = header
    collector = _Collector()
    for index in range(start + 1, len(lines)):
        if lines[index].strip():
            cells = next(csv.reader([lines[index]], delimiter=delimiter))
            if len(cells) != width:
                raise FiguresParseError(index + 1, f"expected {width} columns, found {len(cells)}")
            _read_csv_row(
                {name: cells[i].strip() for name, i in columns.items()}, index + 1, collector
            )
    return collector.result()


def parse_report_tables(text: str) -> FiguresParse:
    """Parse the tab-separated DISTRICT tables of a report, dated by the heading above each."""
    lines = _lines(text)
    collector = _Collector()
    previous_end = index = 0
    while index < len(lines):
        if _is_table_header(lines[index]):
            heading = _table_heading(lines, previous_end, index)
            index = previous_end = _read_table(lines, index, heading, collector)
        else:
            index += 1
    return collector.result()


def check_totals(parse: FiguresParse) -> list[TotalMismatch]:
    """Printed totals that differ from the sum over the districts for their metric and period."""
    computed: dict[tuple[str, str], int] = {}
    for figure in parse.figures:
        key = (figure.metric, figure.period)
        computed[key] = computed.get(key, 0) + figure.value
    return [
        TotalMismatch(total.metric, total.period, total.value, sum_, total.line)
        for total in parse.totals
        if (sum_ := computed.get((total.metric, total.period), 0)) != total.value
    ]


def _lines(text: str) -> list[str]:
    # split("\n"), not splitlines(): form feeds in OCR text must not shift line numbers.
    return [line.rstrip("\r") for line in text.removeprefix("\ufeff").split("\n")]


def _fold(text: str) -> str:
    return text.translate(_LATIN_LOOKALIKES)


def _district_key(name: str) -> str:
    return _FOOTNOTE_MARKS.sub("", _fold(name)).strip().lower()


def _row_district(name: str, line: int) -> str | None:
    if _district_key(name) in _TOTAL_NAMES:
        return None
    district = normalise_district(name)
    if district is None:
        valid = ", ".join(FIGURE_DISTRICTS)
        raise FiguresParseError(line, f"unknown district {name!r} (valid: {valid}, or Total)")
    return district


def _metric(name: str, line: int) -> str:
    metric = normalise_metric(name)
    if metric is None:
        raise FiguresParseError(line, f"unknown metric {name!r} (valid: {', '.join(METRICS)})")
    return metric


def _count(text: str, line: int) -> int:
    if _COUNT.fullmatch(text):
        return int(text.replace(",", ""))
    if text.startswith("-") and _COUNT.fullmatch(text[1:]):
        raise FiguresParseError(line, f"value must not be negative: {text!r}")
    raise FiguresParseError(line, f"value must be a whole number: {text!r}")


def _csv_header(line: str) -> tuple[str, dict[str, int], int] | None:
    for delimiter in _DELIMITERS:
        cells = [cell.strip().lower() for cell in next(csv.reader([line], delimiter=delimiter))]
        if all(column in cells for column in _COLUMNS):
            return delimiter, {column: cells.index(column) for column in _COLUMNS}, len(cells)
    return None


def _missing_columns_message(line: str) -> str:
    found = {cell.strip().lower() for cell in re.split(r"[,\t;]", line)}
    missing = ", ".join(column for column in _COLUMNS if column not in found)
    return f"header is missing columns {missing} (need {', '.join(_COLUMNS)})"


def _read_csv_row(row: dict[str, str], line: int, collector: _Collector) -> None:
    district = _row_district(row["district"], line)
    metric = _metric(row["metric"], line)
    period = _csv_period(row["period"], metric, line)
    collector.add(district, metric, period, _count(row["value"], line), line)


def _csv_period(text: str, metric: str, line: int) -> str:
    if not _PERIOD.fullmatch(text) or not _is_real_period(text):
        raise FiguresParseError(line, f"bad period {text!r}: expected YYYY-MM or YYYY-MM-DD")
    if metric in SNAPSHOT_METRICS and len(text) != 10:
        raise FiguresParseError(line, f"{metric} is a snapshot: period must be a date YYYY-MM-DD")
    if metric not in SNAPSHOT_METRICS and len(text) != 7:
        raise FiguresParseError(line, f"{metric} is monthly: period must be a month YYYY-MM")
    return text


def _is_real_period(text: str) -> bool:
    try:
        date.fromisoformat(text if len(text) == 10 else f"{text}-01")
    except ValueError:
        return False
    return True


def _cells(line: str) -> list[str]:
    cells = [cell.strip() for cell in line.split("\t")]
    while cells and not cells[-1]:
        cells.pop()
    return cells


def _is_table_header(line: str) -> bool:
    return "\t" in line and _fold(line.split("\t")[0]).strip().lower() in {"district", "districts"}


def _month_number(word: str) -> int | None:
    key = _fold(word).strip().lower().rstrip(".")
    matches = [
        n for n, name in enumerate(_MONTH_NAMES, 1) if len(key) >= 3 and name.startswith(key)
    ]
    return matches[0] if len(matches) == 1 else None


def _heading_date(line: str) -> _Heading | None:
    for match in _HEADING_DATE.finditer(_fold(line)):
        month = _month_number(match[2])
        day = int(match[1]) if match[1] else None
        if month is not None and _is_real_period(f"{match[3]}-{month:02d}-{day or 1:02d}"):
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


def _read_table(lines: list[str], header: int, heading: _Heading, collector: _Collector) -> int:
    spans = _metric_spans(_cells(lines[header]), header + 1)
    row = header + 1
    months = _month_row(lines[row], row + 1) if row < len(lines) else None
    if months is not None:
        row += 1
    columns = _column_periods(spans, months, heading, header + 1)
    while row < len(lines) and "\t" in lines[row]:
        _read_table_row(_cells(lines[row]), columns, row + 1, collector)
        row += 1
    return row


def _metric_spans(cells: list[str], line: int) -> list[tuple[int, str]]:
    spans: list[tuple[int, str]] = []
    for column, cell in enumerate(cells[1:], 1):
        if cell:
            metric = _metric(cell, line)
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
    cells: list[str], columns: dict[int, tuple[str, str]], line: int, collector: _Collector
) -> None:
    if not cells:
        return
    district = _row_district(cells[0], line)
    for column, cell in enumerate(cells[1:], 1):
        if not cell:
            continue  # missing is not zero
        if column not in columns:
            raise FiguresParseError(line, f"value {cell!r} is under no metric and month")
        metric, period = columns[column]
        collector.add(district, metric, period, _count(cell, line), line)
