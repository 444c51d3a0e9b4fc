"""The Panel report and the minutes as Markdown (GitHub-flavoured tables)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from bot.documents.text import (
    ACTION_COLUMNS,
    PANEL_COLUMNS,
    action_cells,
    minutes_sections,
    minutes_title,
    next_meeting_text,
    panel_cells,
    panel_facts,
    panel_title,
    panel_totals,
)
from commands.minutes import Minutes
from commands.panel_report import PanelReport


def cell(text: str) -> str:
    """Text safe inside a table cell: no pipes or line breaks, Markdown marks escaped."""
    flat = " ".join(text.split())
    for mark in ("\\", "|", "*", "_", "`", "[", "]", "<", ">"):
        flat = flat.replace(mark, "\\" + mark)
    return flat


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
    return lines


def panel_markdown(report: PanelReport) -> str:
    lines = [f"# {cell(panel_title(report))}", ""]
    lines += [f"- **{label}:** {cell(value)}" for label, value in panel_facts(report)]
    lines += ["", "## Recommendations", ""]
    lines += table(PANEL_COLUMNS, [panel_cells(report, row) for row in report.rows])
    lines += ["", "## Totals by status", ""]
    lines += table(("Status", "Items"), [(s, str(n)) for s, n in panel_totals(report)])
    return "\n".join(lines) + "\n"


def minutes_markdown(minutes: Minutes, people: Mapping[str, str]) -> str:
    lines = [f"# {cell(minutes_title(minutes))}", "", "_Draft_", ""]
    for heading, entries in minutes_sections(minutes, people):
        lines += [f"## {heading}", ""] + [f"- {cell(e)}" for e in entries] + [""]
    lines += ["## Actions", ""]
    if minutes.actions:
        lines += table(ACTION_COLUMNS, [action_cells(a, people) for a in minutes.actions])
    else:
        lines.append("- None recorded.")
    lines += ["", "## Next meeting", "", f"- {cell(next_meeting_text(minutes))}"]
    return "\n".join(lines) + "\n"
