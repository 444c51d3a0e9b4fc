"""Report files made in the tests: one invented report as PDF (fpdf2), Word (python-docx), HTML."""

from __future__ import annotations

import html
from dataclasses import dataclass
from io import BytesIO

import docx
from fpdf import FPDF

RUNNING_HEADER = "Northshire Constabulary: joint inspection of the response to missing children"
FILLER = (
    "Inspectors visited the four command areas, read a sample of case files and spoke to "
    "officers, staff and partner agencies about how reports of missing children are handled, "
    "from the first call to the return interview."
)


@dataclass(frozen=True)
class Block:
    kind: str  # "title", "heading", "para", "bullets", "page"
    text: str = ""
    items: tuple[str, ...] = ()


def sample_report(sections: int = 3, filler: int = 3) -> tuple[list[Block], list[str]]:
    """An invented report with two recommendation shapes per section, and its recommendations."""
    blocks = [
        Block("title", "Missing children: an inspection of Northshire Constabulary"),
        Block("para", "Published 14 March 2025"),
    ]
    expected: list[str] = []
    for n in range(1, sections + 1):
        bullets = (
            f"reviews how section {n} cases are graded so that the highest risks are seen first;",
            f"gives every supervisor in area {n} a weekly list of open missing episodes; and",
            f"checks that return interviews in area {n} take place within three days.",
        )
        single = (
            f"We recommend that, within six months, the constabulary agrees with partners in "
            f"area {n} how the results of return interviews are shared."
        )
        blocks += [
            Block("heading", f"{n}. Findings for area {n}"),
            *[Block("para", FILLER) for _ in range(filler)],
            Block("para", "We recommend that, within three months, the constabulary:"),
            Block("bullets", items=bullets),
            Block("para", FILLER),
            Block("para", single),
            Block("page"),
        ]
        expected += [f"• {b}" for b in bullets] + [single]
    return blocks, expected


class _Report(FPDF):
    def header(self) -> None:
        self.set_font("Helvetica", "I", 8)
        self.cell(0, 8, RUNNING_HEADER, align="C")
        self.ln(12)

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font("Helvetica", "", 8)
        self.cell(0, 8, f"Page {self.page_no()} of {{nb}}", align="C")


def report_pdf(blocks: list[Block]) -> bytes:
    """The report as a PDF with a running header, page numbers and "•" bullet lists."""
    pdf = _Report()
    pdf.core_fonts_encoding = "windows-1252"  # “•” in the standard Helvetica font
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_page()
    for block in blocks:
        if block.kind == "page":
            pdf.add_page()
        elif block.kind in ("title", "heading"):
            pdf.set_font("Helvetica", "B", 18 if block.kind == "title" else 14)
            pdf.multi_cell(0, 9, block.text)
            pdf.ln(4)
        elif block.kind == "para":
            pdf.set_font("Helvetica", "", 11)
            pdf.multi_cell(0, 6, block.text)
            pdf.ln(4)
        else:
            pdf.set_font("Helvetica", "", 11)
            for item in block.items:
                pdf.set_x(pdf.l_margin + 6)
                pdf.multi_cell(0, 6, f"• {item}")
            pdf.ln(4)
    return bytes(pdf.output())


def report_docx(blocks: list[Block], table: list[tuple[str, ...]] = ()) -> bytes:
    """The report as a Word document: Heading styles, List Bullet paragraphs, then a table."""
    document = docx.Document()
    for block in blocks:
        if block.kind == "title":
            document.add_heading(block.text, level=0)
        elif block.kind == "heading":
            document.add_heading(block.text, level=1)
        elif block.kind == "para":
            document.add_paragraph(block.text)
        elif block.kind == "bullets":
            for item in block.items:
                document.add_paragraph(item, style="List Bullet")
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for row, values in zip(grid.rows, table, strict=True):
            for cell, value in zip(row.cells, values, strict=True):
                cell.text = value
    out = BytesIO()
    document.save(out)
    return out.getvalue()


def report_html(blocks: list[Block]) -> str:
    """The report as a saved web page, with navigation, scripts and styles around it."""
    parts = [
        "<!DOCTYPE html><html><head><title>Report</title>",
        "<style>p { color: red }</style><script>var tracking = 'p < 3';</script></head><body>",
        "<header><a href='/'>Home</a> &gt; Reports</header>",
        "<nav><ul><li>About us</li><li>Publications</li></ul></nav><main>",
    ]
    for block in blocks:
        text = html.escape(block.text)
        if block.kind == "title":
            parts.append(f"<h1>{text}</h1>")
        elif block.kind == "heading":
            parts.append(f"<h2>{text}</h2>")
        elif block.kind == "para":
            parts.append(f"<p>\n  {text}\n</p>")
        elif block.kind == "bullets":
            parts.append("<ul>" + "".join(f"<li>{html.escape(i)}</li>" for i in block.items))
            parts.append("</ul>")
    parts.append("</main><footer>© Inspectorate &copy; 2025</footer></body></html>")
    return "\n".join(parts)


def scanned_pdf() -> bytes:
    """A page with a picture on it and no text layer, as a scanner makes."""
    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 50, style="F")
    return bytes(pdf.output())
