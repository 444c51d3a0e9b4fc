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
_SPARKS = "▁▂▃▄▅▆▇█"
_MINUS = "−"


class _Sheet:
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
    sheet = _Sheet(grid, disclosure)
    columns = [(metric_label(m), m, month) for m in grid.metrics(period=month)] if month else []
    columns += [(f"{metric_label(m)} {period_label(p)}", m, p) for m, p in snapshots]
    cells = [(m, p) for _, m, p in columns]
    rows = [(d, *(sheet.cell((d, m, p)) for m, p in cells)) for d in grid.districts(cells)]
    rows.append((FORCE_TOTAL, *(sheet.total(m, p)[0] for m, p in cells)))
    title = f"Figures for {period_label(month, long=True)}" if month else "Latest figures"
    when = " and ".join(period_label(p, long=True) for _, p in snapshots)
    note = _snapshot_note((m for m, _ in snapshots), when)
    header = ("District", *(label for label, _, _ in columns))
    return Table(title, header, tuple(rows), sheet.notes(note))


def district_table(grid: FigureGrid, disclosure: Disclosure, district: str) -> Table:
    """One district's metrics by month, with a trend and the change on the month before."""
    sheet = _Sheet(grid, disclosure)
    metrics, months = grid.district_view(district)
    shown = months[-MAX_PERIODS:]
    rows = []
    for metric in metrics:
        keys = [grid.key_in_month(district, metric, month) for month in shown]
        visible = [sheet.visible(key) for key in keys]
        cells = (sheet.cell(key) for key in keys)
        rows.append((metric_label(metric), *cells, sparkline(visible), change(visible)))
    header = ("Metric", *(period_label(m) for m in shown), "trend", "change")
    notes = (_snapshot_note(metrics, "the last date reported in each month"), _cut(months, shown))
    return Table(f"{district}: figures by month", header, tuple(rows), sheet.notes(*notes))


def metric_table(grid: FigureGrid, disclosure: Disclosure, metric: str) -> Table:
    """One metric by district and period, with the force total, a trend and the change."""
    sheet = _Sheet(grid, disclosure)
    periods = grid.periods(metric=metric)
    shown = periods[-MAX_PERIODS:]
    rows = []
    for district in grid.districts((metric, p) for p in shown):
        keys = [(district, metric, p) for p in shown]
        visible = [sheet.visible(key) for key in keys]
        rows.append((district, *(sheet.cell(k) for k in keys), sparkline(visible), change(visible)))
    totals = [sheet.total(metric, p) for p in shown]
    values = [value for _, value in totals]
    rows.append((FORCE_TOTAL, *(text for text, _ in totals), sparkline(values), change(values)))
    header = ("District", *(period_label(p) for p in shown), "trend", "change")
    name = metric_label(metric)
    snapshot = (
        f"{name.capitalize()} are counts on each date shown: they are never added up across dates."
        if is_snapshot(metric)
        else ""
    )
    by = "date" if is_snapshot(metric) else "month"
    title = f"{name.capitalize()} by district and {by}"
    return Table(title, header, tuple(rows), sheet.notes(snapshot, _cut(periods, shown)))


def ranked_table(grid: FigureGrid, disclosure: Disclosure, metric: str, period: str) -> Table:
    """One metric in one period, districts highest first, with the total and each one's share."""
    sheet = _Sheet(grid, disclosure)
    total_text, total = sheet.total(metric, period)
    districts = grid.districts([(metric, period)])
    # Hidden and missing cells go last, in district order: their rank would give them away.
    ranked = sorted(
        (d for d in districts if sheet.visible((d, metric, period)) is not None),
        key=lambda d: -grid.values[(d, metric, period)],
    )
    rest = [d for d in districts if d not in ranked]
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
        rows.append((rank, district, sheet.cell(key), share))
    rows.append(("", FORCE_TOTAL, total_text, "100%" if total else ""))
    name = metric_label(metric)
    title = f"{name.capitalize()}, {period_label(period, long=True)}: districts ranked"
    return Table(title, ("#", "District", name, "share"), tuple(rows), sheet.notes())


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
    sheet = _Sheet(grid, disclosure)
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
    sheet = _Sheet(grid, disclosure)
    periods = grid.periods(metric=metric)
    return {
        district: [(period_label(p), sheet.visible((district, metric, p))) for p in periods]
        for district in grid.districts((metric, p) for p in periods)
        if grid.periods(metric=metric, district=district)
    }
