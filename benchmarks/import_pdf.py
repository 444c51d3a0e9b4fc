"""Importing a 150-page report PDF: time and peak memory of PDF → text → extraction → dry run.

    .venv/bin/python benchmarks/import_pdf.py [--pages 150]

The PDF is made first (fpdf2); the import is then measured in a fresh process so that its peak
resident memory is the import's alone. Goal: under 10 s and 200 MB.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.measure import peak_rss_mb  # noqa: E402

GROUPS = 10  # each: a three-bullet lead-in and a one-paragraph recommendation = 40 in all
GOAL_SECONDS, GOAL_MB = 10.0, 200.0


def long_report_pdf(pages: int) -> tuple[bytes, int]:
    """About `pages` pages of findings with recommendation groups spread evenly through them."""
    from tests.documents import FILLER, Block, report_pdf  # only here: not in the measurement

    paragraphs_per_page = 16
    per_group = max(1, pages // GROUPS)
    blocks = [Block("title", "Missing children: a force-wide inspection"), Block("para", FILLER)]
    for group in range(1, GROUPS + 1):
        blocks.append(Block("heading", f"{group}. Findings for theme {group}"))
        blocks += [Block("para", FILLER)] * (paragraphs_per_page * per_group - 4)
        blocks.append(Block("para", "We recommend that, within three months, the force:"))
        blocks.append(
            Block(
                "bullets",
                items=(
                    f"reviews the grading of theme {group} reports so that the riskiest "
                    "cases are seen first;",
                    f"gives supervisors a weekly list of open theme {group} cases; and",
                    f"audits a sample of theme {group} case files every quarter.",
                ),
            )
        )
        blocks.append(Block("para", FILLER))
        blocks.append(
            Block(
                "para",
                f"We recommend that, within six months, the force agrees with its partners how "
                f"information about theme {group} is shared and acted on.",
            )
        )
    return report_pdf(blocks), GROUPS * 4


def measure(path: Path) -> None:
    """Run in a fresh process: import the PDF (dry run) and print the numbers."""
    from bot.files import document_text
    from commands.imports import import_report
    from storage.store import open_store

    with tempfile.TemporaryDirectory() as folder:
        store = open_store(Path(folder) / "govbot.json")
        before = peak_rss_mb()
        start = time.perf_counter()
        text = document_text(path.name, path.read_bytes())
        converted = time.perf_counter()
        result = import_report(
            store,
            text,
            file_name=path.name,
            source_id="BENCH",
            title="Benchmark",
            published=date(2025, 3, 14),
            now=datetime(2025, 3, 15, 9, 0, tzinfo=ZoneInfo("Europe/London")),
            dry_run=True,
        )
        done = time.perf_counter()
    print(f"recommendations found: {len(result.items)}")
    print(f"PDF → text:         {converted - start:6.2f} s  ({len(text):,} characters)")
    print(f"extract + dry run:  {done - converted:6.2f} s")
    print(f"total:              {done - start:6.2f} s  (goal < {GOAL_SECONDS:.0f} s)")
    print(f"peak RSS:           {peak_rss_mb():6.1f} MB  (goal < {GOAL_MB:.0f} MB;")
    print(f"                    {before:6.1f} MB of it before the import: Python and libraries)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=150)
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        measure(args.measure)
        return 0
    data, expected = long_report_pdf(args.pages)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "long-report.pdf"
        path.write_bytes(data)
        from pypdf import PdfReader

        pages = len(PdfReader(path).pages)
        print(f"{path.name}: {pages} pages, {path.stat().st_size / 1024:.0f} KB, ", end="")
        print(f"{expected} recommendations written")
        script = Path(__file__).resolve()
        return subprocess.call([sys.executable, str(script), "--measure", str(path)])


if __name__ == "__main__":
    raise SystemExit(main())
