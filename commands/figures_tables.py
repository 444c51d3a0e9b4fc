"""The /figures tables: districts by metrics and periods, with computed totals, trends, changes."""

from __future__ import annotations

from collections.abc import Iterable

from commands.disclosure import Disclosure
from commands.figures_grid import FigureGrid, Key, is_snapshot, metric_label, period_label
from commands.replies import Table

Series = dict[str, list[tuple[str, int | None]]]

MISSING = "–"
FORCE_TOTAL = "Force total"
MAX_PERIODS = 12
MISSING_TOTAL_NOTE = "* some districts not published"
ON_A_YEAR = "on a year"
A_YEAR_EARLIER = "A year earlier"
_SPARKS = "▁▂▃▄▅▆▇█"
_MINUS = "−"


class TableCells:
    """The cells of one table: what each shows, which figures it used, and the notes it needs."""

    def __init__(self, grid: FigureGrid, disclosure: Disclosure) -> None:
        self.grid = grid
        self.disclosure = disclosure
        self.used: set[Key] = set()
        self.starred = False
        self.secondary_shown = False

    def cell(self, key: Key | None) -> str:
        if key is None or key not in self.grid.values:
            return MISSING
        self.used.add(key)
        self.secondary_shown |= key in self.disclosure.secondary
        return self.disclosure.mark(key) or str(self.grid.values[key])

    def visible(self, key: Key | None) -> int | None:
        if key is None or self.disclosure.hides(key):
            return None
        return self.grid.values.get(key)

    def total(self, metric: str, period: str) -> tuple[str, int | None]:
        """The computed force total as shown ("68", "68*" when a district is missing)."""
        keys = [
            (d, metric, period)
            for d in self.grid.all_districts
            if (d, metric, period) in self.grid.values
        ]
        if not keys:
            return MISSING, None
        self.used.update(keys)
        gap = any((d, metric, period) not in self.grid.values for d in self.grid.force)
        self.starred |= gap
        star = "*" if gap else ""
        masked = self.disclosure.total_mark((metric, period))
        if masked:
            return masked + star, None
        value = sum(self.grid.values[key] for key in keys)
        return f"{value}{star}", value

    def notes(self, *extra: str) -> tuple[str, ...]:
        sources = sorted({self.grid.sources[key] for key in self.used})
        notes = (
            [f"Source{'s' if len(sources) > 1 else ''}: {', '.join(sources)}"] if sources else []
        )
        notes += [note for note in extra if note]
        if self.starred:
            notes.append(MISSING_TOTAL_NOTE)
        notes += self.disclosure.notes(secondary_shown=self.secondary_shown)
        notes += [
            self.grid.conflicts[key] for key in sorted(self.used) if key in self.grid.conflicts
        ]
        return tuple(notes)


def _snapshot_note(metrics: Iterable[str], when: str) -> str:
    names = sorted({metric_label(m) for m in metrics if is_snapshot(m)})
    if not names:
        return ""
    return f"{', '.join(names).capitalize()}: the number open on {when}, not a monthly count."


def sparkline(values: list[int | None]) -> str:
    """One bar per value scaled between the row's lowest and highest; a gap for a missing one."""
    present = [v for v in values if v is not None]
    if not present:
        return " " * len(values)
    low, high = min(present), max(present)
    return "".join(" " if v is None else _spark(v, low, high) for v in values)


def _spark(value: int, low: int, high: int) -> str:
    if high == low:  # a flat row: nothing at all, or a steady level
        return _SPARKS[0] if high == 0 else _SPARKS[3]
    return _SPARKS[round((value - low) * (len(_SPARKS) - 1) / (high - low))]


def change(values: list[int | None]) -> str:
    """The last value against the one before: "+16 (+107%)", "−4", or "n/a"."""
    if len(values) < 2 or values[-1] is None or values[-2] is None:
        return "n/a"
    before, now = values[-2], values[-1]
    diff = now - before
    sign = "+" if diff > 0 else _MINUS if diff < 0 else ""
    if before == 0:
        return f"{sign}{abs(diff)}"
    percent = round(abs(diff) * 100 / before)
    return f"{sign}{abs(diff)} ({sign}{percent}%)"


def period_table(
    grid: FigureGrid, disclosure: Disclosure, month: str | None, snapshots: list[tuple[str, str]]
) -> Table:
    """Districts × metrics for one month, plus each snapshot metric on its date, and totals."""
    sheet = TableCells(grid, disclosure)
    columns = [(metric_label(m), m, month) for m in grid.metrics(period=month)] if month else []
    columns += [(f"{metric_label(m)} {period_label(p)}", m, p) for m, p in snapshots]
    cells = [(m, p) for _, m, p in columns]
    rows = [(d, *(sheet.cell((d, m, p)) for m, p in cells)) for d in grid.districts(cells)]
    totals = [sheet.total(m, p) for m, p in cells]
    rows.append((FORCE_TOTAL, *(text for text, _ in totals)))
    before = [(m, grid.period_in_month(m, year_earlier(p))) for m, p in cells]
    if any(p is not None for _, p in before):
        earlier = [sheet.total(m, p) if p else (MISSING, None) for m, p in before]
        rows.append((A_YEAR_EARLIER, *(text for text, _ in earlier)))
        changes = (change([b, now]) for (_, b), (_, now) in zip(earlier, totals, strict=True))
        rows.append((f"Total {ON_A_YEAR}", *changes))
    title = f"Figures for {period_label(month, long=True)}" if month else "Latest figures"
    when = " and ".join(period_label(p, long=True) for _, p in snapshots)
    note = _snapshot_note((m for m, _ in snapshots), when)
    header = ("District", *(label for label, _, _ in columns))
    return Table(title, header, tuple(rows), sheet.notes(note))


def district_table(grid: FigureGrid, disclosure: Disclosure, district: str) -> Table:
    """One district's metrics by month, with a trend and the change on the month before."""
    sheet = TableCells(grid, disclosure)
    metrics, months = grid.district_view(district)
    shown = months[-MAX_PERIODS:]
    rows = []
    before = [grid.key_in_month(district, m, year_earlier(shown[-1])) for m in metrics]
    yearly = any(before)
    for metric, earlier in zip(metrics, before, strict=True):
        keys = [grid.key_in_month(district, metric, month) for month in shown]
        visible = [sheet.visible(key) for key in keys]
        cells = (sheet.cell(key) for key in keys)
        on_a_year = (change([sheet.visible(earlier), visible[-1]]),) if yearly else ()
        rows.append((metric_label(metric), *cells, sparkline(visible), change(visible), *on_a_year))
    header = ("Metric", *(period_label(m) for m in shown), "trend", "change")
    header += (ON_A_YEAR,) if yearly else ()
    notes = (
        _snapshot_note(metrics, "the last date reported in each month"),
        _cut(months, shown),
        _year_note(shown[-1]) if yearly else "",
    )
    return Table(f"{district}: figures by month", header, tuple(rows), sheet.notes(*notes))


def metric_table(grid: FigureGrid, disclosure: Disclosure, metric: str) -> Table:
    """One metric by district and period, with the force total, a trend and the change."""
    sheet = TableCells(grid, disclosure)
    periods = grid.periods(metric=metric)
    shown = periods[-MAX_PERIODS:]
    rows = []
    before = grid.period_in_month(metric, year_earlier(shown[-1]))
    for district in grid.districts((metric, p) for p in shown):
        keys = [(district, metric, p) for p in shown]
        visible = [sheet.visible(key) for key in keys]
        on_a_year = (change([sheet.visible((district, metric, before)), visible[-1]]),)
        rows.append(
            (
                district,
                *(sheet.cell(k) for k in keys),
                sparkline(visible),
                change(visible),
                *(on_a_year if before else ()),
            )
        )
    totals = [sheet.total(metric, p) for p in shown]
    values = [value for _, value in totals]
    on_a_year = (change([sheet.total(metric, before)[1], values[-1]]),) if before else ()
    rows.append(
        (FORCE_TOTAL, *(text for text, _ in totals), sparkline(values), change(values), *on_a_year)
    )
    header = ("District", *(period_label(p) for p in shown), "trend", "change")
    header += (ON_A_YEAR,) if before else ()
    name = metric_label(metric)
    snapshot = (
        f"{name.capitalize()} are counts on each date shown: they are never added up across dates."
        if is_snapshot(metric)
        else ""
    )
    by = "date" if is_snapshot(metric) else "month"
    title = f"{name.capitalize()} by district and {by}"
    year_note = _year_note(shown[-1]) if before else ""
    return Table(title, header, tuple(rows), sheet.notes(snapshot, _cut(periods, shown), year_note))


def ranked_table(grid: FigureGrid, disclosure: Disclosure, metric: str, period: str) -> Table:
    """One metric in one period, districts highest first, with the total and each one's share."""
    sheet = TableCells(grid, disclosure)
    total_text, total = sheet.total(metric, period)
    districts = grid.districts([(metric, period)])
    # Hidden and missing cells go last, in district order: their rank would give them away.
    ranked = sorted(
        (d for d in districts if sheet.visible((d, metric, period)) is not None),
        key=lambda d: -grid.values[(d, metric, period)],
    )
    rest = [d for d in districts if d not in ranked]
    before = grid.period_in_month(metric, year_earlier(period))
    rows = []
    for district in ranked + rest:
        key = (district, metric, period)
        value = sheet.visible(key)
        rank = (
            ""
            if value is None
            else str(1 + sum(grid.values[(d, metric, period)] > value for d in ranked))
        )
        share = _share(value, total) if key in grid.values else MISSING
        earlier = (district, metric, before)
        yearly = (sheet.cell(earlier), change([sheet.visible(earlier), value])) if before else ()
        rows.append((rank, district, sheet.cell(key), share, *yearly))
    yearly_total = ()
    if before:
        before_text, before_total = sheet.total(metric, before)
        yearly_total = (before_text, change([before_total, total]))
    rows.append(("", FORCE_TOTAL, total_text, "100%" if total else "", *yearly_total))
    name = metric_label(metric)
    title = f"{name.capitalize()}, {period_label(period, long=True)}: districts ranked"
    header = ("#", "District", name, "share")
    header += (period_label(before), ON_A_YEAR) if before else ()
    return Table(title, header, tuple(rows), sheet.notes())


def year_earlier(period: str) -> str:
    """The month a year before a period's month: 2015-07 (or 2015-07-31) → 2014-07."""
    return f"{int(period[:4]) - 1:04d}{period[4:7]}"


def _year_note(period: str) -> str:
    month = period[:7]
    return (
        f"On a year: {period_label(month, long=True)} against "
        f"{period_label(year_earlier(month), long=True)}."
    )


def _share(value: int | None, total: int | None) -> str:
    if value is None or not total:
        return ""
    return f"{round(value * 100 / total)}%"


def _cut(periods: list[str], shown: list[str]) -> str:
    if len(shown) == len(periods):
        return ""
    return f"Showing the last {len(shown)} of {len(periods)} periods."


def district_series(grid: FigureGrid, disclosure: Disclosure, district: str) -> Series:
    """Each metric of a district by month, hidden and missing figures as gaps."""
    sheet = TableCells(grid, disclosure)
    metrics, months = grid.district_view(district)
    return {
        metric_label(metric): [
            (period_label(month), sheet.visible(grid.key_in_month(district, metric, month)))
            for month in months
        ]
        for metric in metrics
    }


def metric_series(grid: FigureGrid, disclosure: Disclosure, metric: str) -> Series:
    """Each district's figures for a metric by period, hidden and missing figures as gaps."""
    sheet = TableCells(grid, disclosure)
    periods = grid.periods(metric=metric)
    return {
        district: [(period_label(p), sheet.visible((district, metric, p))) for p in periods]
        for district in grid.districts((metric, p) for p in periods)
        if grid.periods(metric=metric, district=district)
    }
