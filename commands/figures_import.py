"""Importing figures from the workbooks offices keep, and the preview shown before storing them."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from commands.errors import BadInput
from commands.figures_grid import metric_label, period_label
from commands.importing.cells import SheetRows
from commands.importing.figures_common import SNAPSHOT_METRICS
from commands.importing.figures_wide import (
    SheetError,
    TableSummary,
    WideOptions,
    parse_wide_figures,
)
from commands.imports import FiguresImport, store_figures
from storage.models import Figure
from storage.store import Store


def import_figure_sheets(
    store: Store,
    sheets: Sequence[SheetRows],
    *,
    file_name: str,
    source_id: str = "",
    options: WideOptions | None = None,
    dry_run: bool = False,
) -> FiguresImport:
    """Read every wide table in the sheets; replace the source's figures (unless a dry run)."""
    source = (source_id or file_name.rsplit(".", 1)[0]).strip()
    try:
        read = parse_wide_figures(sheets, options or WideOptions())
    except SheetError as err:
        raise BadInput(f"{file_name}: {err.message}") from None
    figures = tuple(
        Figure(district=f.district, metric=f.metric, period=f.period, value=f.value, source=source)
        for f in read.figures
    )
    replaced = store_figures(store, source, figures, dry_run=dry_run)
    mismatches = tuple(f"{file_name}: {m}" for m in read.mismatches)
    return FiguresImport(
        source, figures, replaced, mismatches, dry_run, file_name, read.tables, read.skipped
    )


_MESSAGE_YEAR = re.compile(r"\byear[:\s]+(\d{4}(?:\s*[/-]\s*\d{2,4})?)", re.IGNORECASE)
_MESSAGE_METRIC = re.compile(r"\b(?:metric|measure)[:\s]+(.+?)(?=\s+year\b|$)", re.IGNORECASE)


def figure_options_in_message(text: str) -> tuple[str, str]:
    """(metric, year) from an upload's message: "metric referrals year 2015/16"; "" if not said."""
    metric = _MESSAGE_METRIC.search(text)
    year = _MESSAGE_YEAR.search(text)
    return (metric[1].strip() if metric else "", year[1] if year else "")


def describe_figures_import(result: FiguresImport) -> list[str]:
    """The preview of an import (or its report once stored): measures, periods, districts, totals."""
    verb = "Would store" if result.dry_run else "Stored"
    lines = [
        f"{verb} {len(result.figures)} figures from {result.file_name} as source {result.source}"
    ]
    if result.replaced:
        again = "would replace" if result.dry_run else "replacing"
        lines.append(
            f"  ({again} {result.replaced} figures from the previous import of this source)"
        )
    if result.tables:
        lines += [_describe_table(table) for table in result.tables]
    else:
        lines += [f"  {metric}: {count}" for metric, count in _by_metric(result.figures).items()]
    districts = sorted({f.district for f in result.figures})
    if districts:
        lines.append(f"  Districts: {', '.join(districts)}")
    lines += [f"  Skipped {note}" for note in result.skipped]
    lines += [f"  TOTAL MISMATCH {mismatch}" for mismatch in result.mismatches]
    if result.tables and not result.mismatches:
        checked = sum(t.totals_checked for t in result.tables)
        lines.append(
            f"  Totals: {checked} checked, all match" if checked else "  Totals: none printed"
        )
    return lines


def _describe_table(table: TableSummary) -> str:
    periods = table.periods
    span = (
        f"{period_label(periods[0])} – {period_label(periods[-1])}"
        if len(periods) > 1
        else period_label(periods[0])
        if periods
        else "no periods"
    )
    unit = "date" if table.metric in SNAPSHOT_METRICS else "month"
    parts = [
        f"  {table.where}: {metric_label(table.metric)}, {span} ({_count(len(periods), unit)})",
        _count(len(table.districts), "district"),
        _count(table.figures, "figure"),
    ]
    if table.blanks:
        parts.append(f"{table.blanks} blank (missing, not 0)")
    if table.totals_checked or not table.totals_skipped:
        checked = table.totals_checked
        parts.append(f"{checked} totals checked" if checked else "no totals printed")
    if table.totals_skipped:
        parts.append(f"{table.totals_skipped} across dates not checked (a snapshot)")
    if table.transposed:
        parts.append("periods down, districts across")
    return ", ".join(parts)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'s' * (number != 1)}"


def _by_metric(figures: Sequence[Figure]) -> dict[str, int]:
    return dict(Counter(f.metric for f in figures))
