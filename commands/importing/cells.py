"""Spreadsheet cells as the rules see them: the value types and A1-style references."""

from __future__ import annotations

from datetime import date, datetime
from typing import Protocol

Cell = str | int | float | date | datetime | None


class SheetRows(Protocol):
    """A sheet's name and its rows (what `bot.spreadsheets.read_sheets` gives)."""

    @property
    def name(self) -> str: ...

    @property
    def rows(self) -> list[list[Cell]]: ...


def cell_ref(row: int, column: int) -> str:
    """A spreadsheet cell reference from 0-based indexes: (5, 5) → 'F6'."""
    letters = ""
    column += 1
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return f"{letters}{row + 1}"
