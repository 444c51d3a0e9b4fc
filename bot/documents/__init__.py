"""Documents for people outside Slack: the Panel progress report and the GAB minutes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bot.documents.html import panel_html
from bot.documents.markdown import minutes_markdown, panel_markdown
from bot.documents.word import minutes_docx, panel_docx
from commands.minutes import Minutes
from commands.panel_report import PanelReport

PANEL_FORMATS = ("docx", "html", "md")


@dataclass(frozen=True)
class DocumentFile:
    filename: str
    content: bytes
    title: str


def panel_report_file(report: PanelReport, fmt: str) -> DocumentFile:
    """The report in one of PANEL_FORMATS."""
    title = f"{report.source.id} progress report ({fmt.upper()})"
    filename = f"{report.filename_stem}.{fmt}"
    if fmt == "docx":
        return DocumentFile(filename, panel_docx(report), title)
    if fmt == "html":
        return DocumentFile(filename, panel_html(report).encode("utf-8"), title)
    if fmt == "md":
        return DocumentFile(filename, panel_markdown(report).encode("utf-8"), title)
    raise ValueError(f"unknown format {fmt!r}: choose one of {', '.join(PANEL_FORMATS)}")


def minutes_files(minutes: Minutes, people: Mapping[str, str]) -> list[DocumentFile]:
    """The draft minutes as Word and Markdown."""
    stem = minutes.filename_stem
    return [
        DocumentFile(f"{stem}.docx", minutes_docx(minutes, people), "Draft minutes (Word)"),
        DocumentFile(
            f"{stem}.md",
            minutes_markdown(minutes, people).encode("utf-8"),
            "Draft minutes (Markdown)",
        ),
    ]
