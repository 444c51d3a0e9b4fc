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
        now = _sum(cells, [(district, metric, p) for p in window])
        then = _sum(cells, [(district, metric, p) for p in before])
        hidden |= HIDDEN in (now[0], then[0])
        rows.append(_row(district, now, then, has_before))
    now, then = _total(cells, metric, window), _total(cells, metric, before)
    rows.append(_row(FORCE_TOTAL, now, then, has_before))
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


Sum = tuple[str, int | None, int]  # as shown, the number when shown, months present


def _sum(cells: TableCells, keys: list[tuple[str, str, str]]) -> Sum:
    present = [key for key in keys if key in cells.grid.values]
    if not present:
        return MISSING, None, 0
    for key in present:
        cells.cell(key)  # counted among the figures the table used (sources, conflicts)
    if any(cells.disclosure.hides(key) for key in present):
        return HIDDEN, None, len(present)
    total = sum(cells.grid.values[key] for key in present)
    return str(total), total, len(present)


def _total(cells: TableCells, metric: str, months: list[str]) -> Sum:
    shown = [cells.total(metric, month) for month in months]
    present = [(text, value) for text, value in shown if text != MISSING]
    if not present:
        return MISSING, None, 0
    if any(value is None for _, value in present):  # a month's total is masked
        return HIDDEN, None, len(present)
    total = sum(value for _, value in present if value is not None)
    star = "*" if any(text.endswith("*") for text, _ in present) else ""
    return f"{total}{star}", total, len(present)


def _row(label: str, now: Sum, then: Sum, has_before: bool) -> tuple[str, ...]:
    row = (label, now[0], str(now[2]))
    if not has_before:
        return row
    complete = now[2] == then[2] == WINDOW
    moved = change([then[1], now[1]]) if complete else "n/a"
    return (*row, then[0], str(then[2]), moved)
