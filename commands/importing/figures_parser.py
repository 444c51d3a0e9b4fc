"""Parse per-district figures from long-form CSV/TSV or the tab-separated tables of a report.

The parsers themselves live in figures_csv and figures_tables; this module is the public face.
"""

from __future__ import annotations

from dataclasses import dataclass

from commands.districts import DEFAULT_DISTRICTS, Districts
from commands.importing.figures_common import (
    METRICS,
    SNAPSHOT_METRICS,
    FiguresParse,
    FiguresParseError,
    ParsedFigure,
    PrintedTotal,
    normalise_district,
    normalise_metric,
    split_lines,
)
from commands.importing.figures_csv import csv_header, parse_figures_csv
from commands.importing.figures_tables import parse_report_tables

__all__ = [
    "METRICS",
    "SNAPSHOT_METRICS",
    "FiguresParse",
    "FiguresParseError",
    "ParsedFigure",
    "PrintedTotal",
    "TotalMismatch",
    "check_totals",
    "is_long_form",
    "normalise_district",
    "normalise_metric",
    "parse_figures",
    "parse_figures_csv",
    "parse_report_tables",
]


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


def parse_figures(text: str, districts: Districts = DEFAULT_DISTRICTS) -> FiguresParse:
    """Long-form CSV/TSV when the first non-blank line is its header, else report tables."""
    if is_long_form(text):
        return parse_figures_csv(text, districts)
    return parse_report_tables(text, districts)


def is_long_form(text: str) -> bool:
    """Whether the text's first non-blank line is a district,metric,period,value header."""
    first = next((line for line in split_lines(text) if line.strip()), "")
    return csv_header(first) is not None


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
