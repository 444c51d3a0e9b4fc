"""The Panel report as one self-contained, accessible HTML page: no scripts, prints well."""

from __future__ import annotations

from html import escape

from bot.documents.text import PANEL_COLUMNS, panel_cells, panel_facts, panel_title, panel_totals
from commands.panel_report import PanelReport, ReportRow

EVIDENCE_COLUMN = PANEL_COLUMNS.index("Evidence")
RAG_COLUMN = PANEL_COLUMNS.index("RAG")

# Colours pass WCAG AA against their backgrounds; RAG is always written out, never colour alone.
STYLE = """
body { font-family: Arial, Helvetica, sans-serif; color: #1b1b1b; margin: 2rem; line-height: 1.4; }
h1 { font-size: 1.6rem; margin-bottom: 0.5rem; }
h2 { font-size: 1.25rem; margin-top: 2rem; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.25rem 1rem; }
dt { font-weight: bold; }
dd { margin: 0; }
table { border-collapse: collapse; width: 100%; font-size: 0.9rem; }
table.totals { width: auto; min-width: 20rem; }
caption { text-align: left; font-weight: bold; padding: 0.5rem 0; }
th, td { border: 1px solid #505a5f; padding: 0.4rem; text-align: left; vertical-align: top; }
thead th { background: #dee0e2; }
tbody th { white-space: nowrap; }
.rag-red { background: #f6d7d2; }
.rag-amber { background: #fff2d3; }
.rag-green { background: #cce2d8; }
a { color: #1d70b8; }
@media print {
  body { margin: 0; font-size: 10pt; }
  a { color: inherit; }
  thead { display: table-header-group; }
  tr { page-break-inside: avoid; }
}
""".strip()


def panel_html(report: PanelReport) -> str:
    title = escape(panel_title(report))
    facts = "\n".join(
        f"<dt>{escape(label)}</dt><dd>{escape(value)}</dd>" for label, value in panel_facts(report)
    )
    head = "".join(f'<th scope="col">{escape(c)}</th>' for c in PANEL_COLUMNS)
    body = "\n".join(_row(report, row) for row in report.rows)
    totals = "\n".join(
        f'<tr><th scope="row">{escape(status)}</th><td>{count}</td></tr>'
        for status, count in panel_totals(report)
    )
    return f"""<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
{STYLE}
</style>
</head>
<body>
<main>
<h1>{title}</h1>
<dl>
{facts}
</dl>
<h2 id="recommendations">Recommendations</h2>
<table>
<caption>Each recommendation of {escape(report.source.id)} with its progress</caption>
<thead><tr>{head}</tr></thead>
<tbody>
{body}
</tbody>
</table>
<h2 id="totals">Totals by status</h2>
<table class="totals">
<caption>Recommendations by status</caption>
<thead><tr><th scope="col">Status</th><th scope="col">Items</th></tr></thead>
<tbody>
{totals}
</tbody>
</table>
</main>
</body>
</html>
"""


def _row(report: PanelReport, row: ReportRow) -> str:
    cells = panel_cells(report, row)
    parts = [f'<th scope="row">{escape(cells[0])}</th>']
    for index, text in enumerate(cells[1:], start=1):
        if index == EVIDENCE_COLUMN and row.evidence:
            parts.append(f"<td>{'<br>'.join(_evidence(e) for e in row.evidence)}</td>")
        elif index == RAG_COLUMN:
            parts.append(f'<td class="rag-{row.rag}">{escape(text)}</td>')
        else:
            parts.append(f"<td>{escape(text)}</td>")
    return f"<tr>{''.join(parts)}</tr>"


def _evidence(text: str) -> str:
    if text.startswith(("https://", "http://")):
        return f'<a href="{escape(text, quote=True)}">{escape(text)}</a>'
    return escape(text)
