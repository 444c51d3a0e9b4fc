"""The Panel progress report for the reference CSE report in DOCX, HTML and Markdown, and
`govbot report` on the command line."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from html.parser import HTMLParser
from io import BytesIO

import pytest
from docx import Document

from bot.cli import main
from bot.documents import PANEL_FORMATS, panel_report_file
from commands.context import Context, Settings
from commands.panel_report import PanelReport, panel_report
from commands.updates import UpdateRequest, apply_update, assign_leads, move_due_date
from tests.harness import ADMIN, LONDON

LEAD = "ULEAD001"
EVIDENCE = "https://intranet.example/hi-tech-review.pdf"
HOSTILE = "<script>alert(1)</script> | *bold* & more"
CSE13_IDS = [f"CSE13-{n:02d}" for n in range(1, 16)]


@pytest.fixture
def report(cse13_store) -> PanelReport:
    """CSE13 on 1 May 2014: CSE13-04 has a lead, an update with evidence and a moved due date."""
    when = datetime(2014, 4, 10, 11, 0, tzinfo=LONDON)
    admin = Context(cse13_store, when, ADMIN, Settings(admins=frozenset({ADMIN})))
    assign_leads(admin, "CSE13-04", (LEAD,))
    move_due_date(admin, "CSE13-04", date(2014, 6, 30), "new unit head starts in June")
    lead = replace(admin, user=LEAD)
    apply_update(lead, UpdateRequest("CSE13-04", "in progress", note=HOSTILE, evidence=EVIDENCE))
    found = panel_report(cse13_store, "cse13", date(2014, 5, 1))
    return replace(found, people={LEAD: "Jane Smith, Head of Public Protection"})


class _Tables(HTMLParser):
    """Rows of each table as lists of (tag, attributes, text) cells."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[list[list[tuple[str, dict, str]]]] = []
        self.captions: list[str] = []
        self.tags: list[str] = []
        self.attrs: dict[str, dict] = {}
        self._cell: tuple[str, dict] | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.append(tag)
        self.attrs.setdefault(tag, dict(attrs))
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("th", "td", "caption"):
            self._cell, self._text = (tag, dict(attrs)), []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("th", "td") and self._cell:
            self.tables[-1][-1].append((*self._cell, "".join(self._text).strip()))
            self._cell = None
        elif tag == "caption":
            self.captions.append("".join(self._text).strip())
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell:
            self._text.append(data)


def test_the_markdown_report_lists_every_item_with_dates_and_totals(report):
    text = panel_report_file(report, "md").content.decode()
    rows = [line for line in text.splitlines() if line.startswith("| CSE13-")]
    assert [row.split(" | ")[0].removeprefix("| ") for row in rows] == CSE13_IDS
    assert "- **Published:** 31 January 2014" in text
    assert "- **PCC's response due:** 28 March 2014" in text
    assert "- **PCC's response published:** not yet" in text
    row = next(r for r in rows if r.startswith("| CSE13-04"))
    assert "| 30 June 2014 (originally 31 January 2014) | In progress | Green |" in row
    assert "Jane Smith, Head of Public Protection" in row
    assert "10 April 2014: \\<script\\>alert(1)\\</script\\> \\| \\*bold\\* & more" in row
    assert EVIDENCE in row
    assert "| Not started | 14 |" in text and "| In progress | 1 |" in text
    assert "| Total | 15 |" in text


def test_the_html_report_is_one_accessible_page_with_every_item(report):
    html = panel_report_file(report, "html").content.decode()
    page = _Tables()
    page.feed(html)
    assert page.attrs["html"]["lang"] == "en-GB"
    assert "<title>Progress report: SYP response to CSE</title>" in html
    assert not {"script", "iframe", "img", "link"} & set(page.tags)  # self-contained, no scripts
    assert "@media print" in html
    items, totals = page.tables
    header, *rows = items
    assert all(attrs == {"scope": "col"} for tag, attrs, _ in header)
    assert [(tag, attrs, text) for tag, attrs, text in (r[0] for r in rows)] == [
        ("th", {"scope": "row"}, item_id) for item_id in CSE13_IDS
    ]
    cells = {r[0][2]: [text for _, _, text in r] for r in rows}
    assert cells["CSE13-04"][3:8] == [
        "30 June 2014 (originally 31 January 2014)",
        "In progress",
        "Green",
        "Jane Smith, Head of Public Protection",
        f"10 April 2014: {HOSTILE}",
    ]
    assert cells["CSE13-01"][5] == "Red"
    assert f'<a href="{EVIDENCE}">{EVIDENCE}</a>' in html
    assert "<script>" not in html  # the note was escaped
    assert page.captions[0].startswith("Each recommendation of CSE13")
    assert [(r[0][2], r[1][2]) for r in totals[1:]] == [
        ("Not started", "14"),
        ("In progress", "1"),
        ("Total", "15"),
    ]


def test_the_word_report_has_headings_and_a_real_table(report):
    document = Document(BytesIO(panel_report_file(report, "docx").content))
    headings = [(p.style.name, p.text) for p in document.paragraphs if p.style.name != "Normal"]
    assert headings == [
        ("Title", "Progress report: SYP response to CSE"),
        ("Heading 1", "Recommendations"),
        ("Heading 1", "Totals by status"),
    ]
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Published: 31 January 2014" in text and "PCC's response due: 28 March 2014" in text
    items, totals = document.tables
    assert [c.text for c in items.rows[0].cells][:4] == [
        "Ref",
        "Recommendation",
        "Timescale",
        "Due",
    ]
    assert [row.cells[0].text for row in items.rows[1:]] == CSE13_IDS
    assert [c.text for c in totals.rows[-1].cells] == ["Total", "15"]


def test_govbot_report_writes_each_format(
    report, cse13_store, stores, tmp_path, monkeypatch, capsys
):
    monkeypatch.setenv("GOVBOT_DB", stores.location_of(cse13_store))
    monkeypatch.delenv("SLACK_BOT_TOKEN", raising=False)
    monkeypatch.chdir(tmp_path)
    for fmt in PANEL_FORMATS:
        assert main(["report", "CSE13", "--format", fmt]) == 0
        assert (tmp_path / f"CSE13-progress-report.{fmt}").stat().st_size > 500
    out = tmp_path / "panel.md"
    assert main(["report", "cse13", "--format", "md", "--out", str(out)]) == 0
    assert "| Total | 15 |" in out.read_text()
    assert f"Wrote {out}: 15 item(s) of CSE13" in capsys.readouterr().out
    assert main(["report", "NOPE"]) == 2
    assert "No source “NOPE”. Sources: CSE13." in capsys.readouterr().err
