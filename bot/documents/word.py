"""The Panel report and the minutes as Word documents: real headings and real tables."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from io import BytesIO

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

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


def panel_docx(report: PanelReport) -> bytes:
    document = Document()
    _landscape(document)
    document.core_properties.title = panel_title(report)
    document.add_heading(panel_title(report), level=0)
    for label, value in panel_facts(report):
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{label}: ").bold = True
        paragraph.add_run(value)
    document.add_heading("Recommendations", level=1)
    _table(document, PANEL_COLUMNS, [panel_cells(report, row) for row in report.rows], size=8)
    document.add_heading("Totals by status", level=1)
    _table(document, ("Status", "Items"), [(s, str(n)) for s, n in panel_totals(report)])
    return _bytes(document)


def minutes_docx(minutes: Minutes, people: Mapping[str, str]) -> bytes:
    document = Document()
    document.core_properties.title = minutes_title(minutes)
    document.add_heading(minutes_title(minutes), level=0)
    document.add_paragraph("Draft")
    for heading, entries in minutes_sections(minutes, people):
        document.add_heading(heading, level=1)
        for entry in entries:
            document.add_paragraph(entry, style="List Bullet")
    document.add_heading("Actions", level=1)
    if minutes.actions:
        _table(document, ACTION_COLUMNS, [action_cells(a, people) for a in minutes.actions])
    else:
        document.add_paragraph("None recorded.", style="List Bullet")
    document.add_heading("Next meeting", level=1)
    document.add_paragraph(next_meeting_text(minutes), style="List Bullet")
    return _bytes(document)


def _table(document, header: Sequence[str], rows: Sequence[Sequence[str]], size: int = 10) -> None:  # noqa: ANN001 - a docx Document
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    _repeat_as_header(table.rows[0])
    for row in rows:
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = text
    for row in table.rows:
        for cell in row.cells:
            for run in cell.paragraphs[0].runs:
                run.font.size = Pt(size)


def _repeat_as_header(row) -> None:  # noqa: ANN001 - a docx table row
    """Word repeats the header row on every page, and screen readers read it as headers."""
    marker = OxmlElement("w:tblHeader")
    marker.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(marker)


def _landscape(document) -> None:  # noqa: ANN001 - a docx Document
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width


def _bytes(document) -> bytes:  # noqa: ANN001 - a docx Document
    out = BytesIO()
    document.save(out)
    return out.getvalue()
