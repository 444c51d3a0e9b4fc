"""Per-district figures from wide tables: districts down the side and periods across, or the
transpose; one measure per table, several tables per sheet (blank rows between), totals checked.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from commands.districts import DEFAULT_DISTRICTS, Districts
from commands.importing.cells import Cell, SheetRows, cell_ref
from commands.importing.figures_common import (
    METRICS,
    is_total_label,
    metric_in_text,
    unknown_district_message,
)
from commands.importing.figures_periods import (
    EXPECTED_PERIOD,
    HeaderPeriod,
    UnresolvedHeader,
    YearContext,
    read_period_header,
    resolve_periods,
    year_context,
)
from commands.importing.figures_wide_cells import (
    Axis,
    SheetError,
    check_totals,
    read_count,
    show,
)


@dataclass(frozen=True)
class WideOptions:
    """What the caller knows that the file may not say."""

    districts: Districts = DEFAULT_DISTRICTS
    metric: str = ""  # --metric: the measure of every table
    year: str = ""  # --year: 2015 or 2015/16, for headers such as "Apr"
    file_stem: str = ""  # the measure when nothing else names it
    named_sheets: bool = True  # False for CSV/TSV: cells are "F6", not 'Sheet "Referrals" F6'


@dataclass(frozen=True)
class SheetFigure:
    district: str
    metric: str
    period: str
    value: int
    cell: str


@dataclass(frozen=True)
class TableSummary:
    """One table as read, for the preview."""

    where: str
    metric: str
    periods: tuple[str, ...]
    districts: tuple[str, ...]
    figures: int
    blanks: int
    totals_checked: int
    totals_skipped: int
    transposed: bool


@dataclass(frozen=True)
class WorkbookFigures:
    figures: tuple[SheetFigure, ...]
    tables: tuple[TableSummary, ...]
    mismatches: tuple[str, ...]
    skipped: tuple[str, ...]


def parse_wide_figures(sheets: Sequence[SheetRows], options: WideOptions) -> WorkbookFigures:
    """Every table of figures in the sheets; a sheet or block with no table is skipped, named."""
    reader = _Reader(options)
    for sheet in sheets:
        before = len(reader.tables)
        reader.read_sheet(sheet)
        if len(reader.tables) == before:
            reader.skipped.append(f"{reader.where(sheet.name)}: no table of districts and periods")
    if not reader.figures and not reader.tables:
        raise SheetError(
            reader.where(sheets[0].name if sheets else ""),
            "no figures found: expected districts down the side and months across "
            "(or months down and districts across)",
        )
    return WorkbookFigures(
        tuple(reader.figures), tuple(reader.tables), tuple(reader.mismatches), tuple(reader.skipped)
    )


class _Reader:
    def __init__(self, options: WideOptions) -> None:
        self.options = options
        self.figures: list[SheetFigure] = []
        self.tables: list[TableSummary] = []
        self.mismatches: list[str] = []
        self.skipped: list[str] = []
        self._seen: dict[tuple[str, str, str], str] = {}
        self._sheet = ""

    def where(self, sheet: str, row: int | None = None, column: int | None = None) -> str:
        ref = cell_ref(row, column) if row is not None and column is not None else ""
        if not self.options.named_sheets:
            return ref
        return f'Sheet "{sheet}" {ref}'.rstrip()

    def at(self, row: int, column: int) -> str:
        return self.where(self._sheet, row, column)

    def read_sheet(self, sheet: SheetRows) -> None:
        self._sheet = sheet.name
        rows = sheet.rows
        headings: list[str] = []
        sheet_headings: list[str] = []
        index = 0
        while index < len(rows):
            filled = _filled(rows[index])
            if len(filled) < 2 and not _heads_a_column(rows, index):
                if filled:
                    text = str(rows[index][filled[0]])
                    headings.append(text)
                    sheet_headings.append(text)
                index += 1
                continue
            end = self._read_block(rows, index, headings, sheet_headings)
            headings = []
            index = end

    def _read_block(
        self, rows: list[list[Cell]], header: int, headings: list[str], sheet_headings: list[str]
    ) -> int:
        end = header + 1
        while end < len(rows) and _filled(rows[end]):
            end += 1
        left = min(_filled(rows[r])[0] for r in range(header, end))
        # A line of text under the table ("Source: …") ends it and heads whatever follows.
        end = next((r for r in range(header + 1, end) if self._is_note(rows[r], left)), end)
        corner = rows[header][left]
        across = {c: rows[header][c] for c in _filled(rows[header]) if c > left}
        down = {r: _cell(rows[r], left) for r in range(header + 1, end)}
        transposed = self._orientation(across, down)
        if transposed is None:
            return end
        texts = [*([corner] if isinstance(corner, str) else []), *reversed(headings)]
        metric = self._metric(texts, header, left)
        year = self._year([*texts, *reversed(sheet_headings)])
        districts_axis, periods_axis = ("across", "down") if transposed else ("down", "across")
        labels = {"across": across, "down": down}
        axes = {
            districts_axis: self._district_axis(labels[districts_axis], header, left, transposed),
            periods_axis: self._period_axis(
                labels[periods_axis], header, left, not transposed, metric, year
            ),
        }
        self._read_values(rows, header, end, left, axes["across"], axes["down"], metric)
        return end

    def _is_note(self, row: list[Cell], left: int) -> bool:
        label = _cell(row, left)
        return (
            _filled(row) == [left]
            and isinstance(label, str)
            and not is_total_label(label)
            and self.options.districts.find(label) is None
            and read_period_header(label) is None
        )

    def _orientation(self, across: dict[int, Cell], down: dict[int, Cell]) -> bool | None:
        """True: districts across; False: districts down; None: not a table of figures."""
        districts = self.options.districts

        def count(cells: dict[int, Cell]) -> tuple[int, int]:
            texts = [v for v in cells.values() if v is not None]
            named = sum(isinstance(v, str) and districts.find(v) is not None for v in texts)
            return named, sum(read_period_header(v) is not None for v in texts)

        across_districts, across_periods = count(across)
        down_districts, down_periods = count(down)
        if across_districts > across_periods:
            return True
        if across_periods or down_districts:
            return False
        return True if down_periods else None

    def _metric(self, texts: list[Cell], header: int, left: int) -> str:
        if self.options.metric:
            given = metric_in_text(self.options.metric)
            if given is None:
                valid = ", ".join(METRICS)
                raise SheetError("--metric", f"unknown measure {self.options.metric!r} ({valid})")
            return given
        candidates = [
            *(t for t in texts if isinstance(t, str)),
            self._sheet if self.options.named_sheets else "",
            self.options.file_stem,
        ]
        for text in candidates:
            metric = metric_in_text(text) if text else None
            if metric is not None:
                return metric
        raise SheetError(
            self.at(header, left),
            "no measure named: name the sheet or put a heading above the table "
            f"({', '.join(METRICS)}), or give --metric",
        )

    def _year(self, texts: list[Cell]) -> YearContext | None:
        if self.options.year:
            given = year_context(self.options.year)
            if given is None:
                raise SheetError("--year", f"{self.options.year!r}: expected 2015 or 2015/16")
            return given
        sources = [*(t for t in texts if isinstance(t, str)), self._sheet, self.options.file_stem]
        return next((y for text in sources if (y := year_context(text)) is not None), None)

    def _district_axis(self, cells: dict[int, Cell], header: int, left: int, across: bool) -> Axis:
        axis = Axis("district")
        for position, value in cells.items():
            if value is None:
                continue
            where = self.at(header, position) if across else self.at(position, left)
            text = str(value)
            if is_total_label(text):
                axis.totals.add(position)
                continue
            district = self.options.districts.find(text)
            if district is None:
                raise SheetError(where, unknown_district_message(text, self.options.districts))
            if district in axis.labels.values():
                raise SheetError(where, f"{district} appears twice in the table")
            axis.labels[position] = district
        return axis

    def _period_axis(
        self,
        cells: dict[int, Cell],
        header: int,
        left: int,
        across: bool,
        metric: str,
        year: YearContext | None,
    ) -> Axis:
        axis = Axis("period")
        read: list[tuple[int, HeaderPeriod]] = []
        for position, value in cells.items():
            if value is None:
                continue
            where = self.at(header, position) if across else self.at(position, left)
            if isinstance(value, str) and is_total_label(value):
                axis.totals.add(position)
                continue
            period = read_period_header(value)
            if period is None:
                raise SheetError(
                    where, f"{show(value)} is not a period: expected {EXPECTED_PERIOD}"
                )
            read.append((position, period))
        try:
            periods = resolve_periods([p for _, p in read], metric, year)
        except UnresolvedHeader as err:
            position = read[err.index][0]
            where = self.at(header, position) if across else self.at(position, left)
            raise SheetError(where, f"{show(cells[position])} {err.reason}") from None
        for (position, _), period in zip(read, periods, strict=True):
            if period in axis.labels.values():
                where = self.at(header, position) if across else self.at(position, left)
                raise SheetError(where, f"{period} appears twice in the table")
            axis.labels[position] = period
        return axis

    def _read_values(
        self,
        rows: list[list[Cell]],
        header: int,
        end: int,
        left: int,
        across: Axis,
        down: Axis,
        metric: str,
    ) -> None:
        before = len(self.figures)
        values: dict[tuple[int, int], int] = {}
        blanks: set[tuple[int, int]] = set()
        printed: dict[tuple[int, int], int] = {}
        for row in range(header + 1, end):
            for column in range(left + 1, max(len(rows[row]), left + 1)):
                value = read_count(rows[row][column], self.at(row, column))
                in_row = row in down.labels or row in down.totals
                in_column = column in across.labels or column in across.totals
                if not (in_row and in_column):
                    if value is not None:
                        raise SheetError(self.at(row, column), "a value under no heading")
                    continue
                is_total = row in down.totals or column in across.totals
                if value is None:
                    if not is_total:
                        blanks.add((row, column))
                elif is_total:
                    printed[(row, column)] = value
                else:
                    values[(row, column)] = value
                    self._add(row, column, value, across, down, metric)
        checks = check_totals(printed, values, blanks, across, down, metric)
        self.mismatches += [
            f"{self.at(row, column)}: printed {check.printed}, computed {check.computed}"
            + (f" ({check.blank} blank cell{'s' * (check.blank != 1)})" if check.blank else "")
            for (row, column), check in checks.items()
            if check.checked and check.printed != check.computed
        ]
        checked = sum(check.checked for check in checks.values())
        skipped = len(checks) - checked
        by_district = across if across.kind == "district" else down
        by_period = down if across.kind == "district" else across
        self.tables.append(
            TableSummary(
                where=self.at(header, left),
                metric=metric,
                periods=tuple(sorted(by_period.labels.values())),
                districts=tuple(by_district.labels.values()),
                figures=len(self.figures) - before,
                blanks=len(blanks),
                totals_checked=checked,
                totals_skipped=skipped,
                transposed=across.kind == "district",
            )
        )

    def _add(
        self, row: int, column: int, value: int, across: Axis, down: Axis, metric: str
    ) -> None:
        first, second = across.labels[column], down.labels[row]
        district, period = (first, second) if across.kind == "district" else (second, first)
        key = (district, metric, period)
        where = self.at(row, column)
        if key in self._seen:
            raise SheetError(
                where, f"{district} {metric} {period} is given twice (also {self._seen[key]})"
            )
        self._seen[key] = where
        self.figures.append(SheetFigure(district, metric, period, value, where))


def _heads_a_column(rows: list[list[Cell]], index: int) -> bool:
    """A lone cell right of the next row's label heads a one-column table ("", "Apr-15")."""
    filled = _filled(rows[index])
    following = _filled(rows[index + 1]) if index + 1 < len(rows) else []
    return len(filled) == 1 and bool(following) and filled[0] > following[0]


def _filled(row: list[Cell]) -> list[int]:
    return [c for c, v in enumerate(row) if v is not None and v != ""]


def _cell(row: list[Cell], column: int) -> Cell:
    return row[column] if column < len(row) else None
