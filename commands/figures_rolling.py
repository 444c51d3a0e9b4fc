"""/figures METRIC 12m: each district's last twelve months added up, against the twelve before."""

from __future__ import annotations

from commands.disclosure import Disclosure
from commands.figures_grid import FigureGrid, metric_label, period_label
from commands.figures_tables import FORCE_TOTAL, MISSING, TableCells, change
from commands.replies import Table

WINDOW = 12
HIDDEN = "hidden"


def months_back(month: str, count: int) -> str:
    """The month `count` months before a YYYY-MM month."""
    index = int(month[:4]) * 12 + int(month[5:7]) - 1 - count
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def rolling_table(grid: FigureGrid, disclosure: Disclosure, metric: str) -> Table:
    """A monthly metric summed over the twelve months to its latest, by district, with the
    twelve months before and the change when both years are complete."""
    cells = TableCells(grid, disclosure)
    end = grid.periods(metric=metric)[-1]
    window = [months_back(end, n) for n in range(WINDOW - 1, -1, -1)]
    before = [months_back(month, WINDOW) for month in window]
    has_before = any(p in grid.periods(metric=metric) for p in before)
    rows = []
    hidden = False
    for district in grid.districts((metric, p) for p in window):
        now, now_count = _sum(cells, [(district, metric, p) for p in window])
        then, then_count = _sum(cells, [(district, metric, p) for p in before])
        hidden |= HIDDEN in (now, then)
        rows.append(_row(district, now, now_count, then, then_count, has_before))
    now_total, now_count = _total(cells, metric, window)
    then_total, then_count = _total(cells, metric, before)
    rows.append(_row(FORCE_TOTAL, now_total, now_count, then_total, then_count, has_before))
    label = f"12 months to {period_label(end)}"
    header = ("District", label, "months")
    if has_before:
        header += (f"12 months to {period_label(before[-1])}", "months", "change")
    notes = [
        f"{label}: {period_label(window[0])} to {period_label(end)}; "
        "a month with no figure is missing, not 0 (see the months column)."
    ]
    if hidden:
        notes.append("A sum that takes in a suppressed value is hidden too.")
    title = f"{metric_label(metric).capitalize()}: rolling twelve months"
    return Table(title, header, tuple(rows), cells.notes(*notes))


def _sum(cells: TableCells, keys: list[tuple[str, str, str]]) -> tuple[str | int | None, int]:
    present = [key for key in keys if key in cells.grid.values]
    if not present:
        return None, 0
    for key in present:
        cells.cell(key)  # counted among the figures the table used (sources, conflicts)
    if any(cells.disclosure.hides(key) for key in present):
        return HIDDEN, len(present)
    return sum(cells.grid.values[key] for key in present), len(present)


def _total(cells: TableCells, metric: str, months: list[str]) -> tuple[str | int | None, int]:
    shown = [cells.total(metric, month) for month in months]
    present = [(text, value) for text, value in shown if text != MISSING]
    if not present:
        return None, 0
    if any(value is None for _, value in present):  # a month's total is masked
        return HIDDEN, len(present)
    return sum(value for _, value in present), len(present)


def _row(
    label: str,
    now: str | int | None,
    now_count: int,
    then: str | int | None,
    then_count: int,
    has_before: bool,
) -> tuple[str, ...]:
    row = (label, MISSING if now is None else str(now), str(now_count))
    if not has_before:
        return row
    complete = now_count == then_count == WINDOW
    numbers = [then, now] if all(isinstance(v, int) for v in (then, now)) else [None, None]
    moved = change(numbers) if complete else "n/a"
    return (*row, MISSING if then is None else str(then), str(then_count), moved)
