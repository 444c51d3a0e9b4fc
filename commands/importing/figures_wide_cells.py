"""The cells of a wide table: the labels along its edges, its counts, and its printed totals."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from commands.importing.cells import Cell
from commands.importing.figures_common import SNAPSHOT_METRICS

Position = tuple[int, int]  # row, column
_MISSING_MARKS = frozenset({"-", "–", "—", "n/a", "na", "..", ".", "x"})
_COUNT = re.compile(r"\d{1,3}(?:,\d{3})+|\d+")


class SheetError(ValueError):
    """A table that cannot be read, with the cell it was found at."""

    def __init__(self, where: str, message: str) -> None:
        self.message = f"{where}: {message}" if where else message
        super().__init__(self.message)


@dataclass
class Axis:
    """The labels along one edge of a table: by position, a district or a period, or a total."""

    kind: str  # "district" or "period"
    labels: dict[int, str] = field(default_factory=dict)  # position → district or period
    totals: set[int] = field(default_factory=set)


@dataclass(frozen=True)
class TotalCheck:
    printed: int
    computed: int
    blank: int  # cells of the sum left blank
    checked: bool  # False: a snapshot's total across dates, which means nothing


def read_count(value: Cell, where: str) -> int | None:
    """A cell's count; None for a blank or a "-", "n/a" or ".." (missing, not 0)."""
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        count = value
    elif isinstance(value, float) and value.is_integer():
        count = int(value)
    elif isinstance(value, str):
        text = value.strip()
        if text.lower() in _MISSING_MARKS:
            return None
        if not _COUNT.fullmatch(text.lstrip("-")):
            raise SheetError(where, f"{show(value)} is not a whole number")
        count = int(text.replace(",", ""))
    else:
        raise SheetError(where, f"{show(value)} is not a whole number")
    if count < 0:
        raise SheetError(where, f"{show(value)}: a count cannot be negative")
    return count


def check_totals(
    printed: dict[Position, int],
    values: dict[Position, int],
    blanks: set[Position],
    across: Axis,
    down: Axis,
    metric: str,
) -> dict[Position, TotalCheck]:
    """Each printed total against the sum of the cells it stands for."""
    checks: dict[Position, TotalCheck] = {}
    for (row, column), value in printed.items():
        over_rows = row in down.totals
        over_columns = column in across.totals
        summed = [axis for axis, over in ((down, over_rows), (across, over_columns)) if over]
        # A snapshot counted at several dates is never added up across them.
        meaningful = not (
            metric in SNAPSHOT_METRICS and any(axis.kind == "period" for axis in summed)
        )
        cells = [
            (r, c)
            for r in (down.labels if over_rows else [row])
            for c in (across.labels if over_columns else [column])
        ]
        computed = sum(values.get(cell, 0) for cell in cells)
        blank = sum(cell in blanks for cell in cells)
        checks[(row, column)] = TotalCheck(value, computed, blank, meaningful)
    return checks


def show(value: object) -> str:
    """A cell's value as quoted in a refusal: text in quotes, numbers and dates as they are."""
    return repr(value) if isinstance(value, str) else str(value)
