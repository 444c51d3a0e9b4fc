"""The HTML Panel report in a real headless browser: it renders, and its table holds every item.

The screenshot is kept in `.artifacts/` (git-ignored) for people to look at.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from bot.documents import panel_report_file
from commands.panel_report import panel_report

REPO = Path(__file__).resolve().parents[2]
BROWSERS = ("chromium", "chromium-browser", "google-chrome")
PNG = b"\x89PNG\r\n\x1a\n"


def _browser() -> str:
    for name in BROWSERS:
        if found := shutil.which(name):
            return found
    pytest.skip(f"no headless browser ({', '.join(BROWSERS)}); .ci/run installs chromium")


def _chromium(browser: str, *args: str) -> subprocess.CompletedProcess[str]:
    # --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start
    command = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=True)


def test_the_html_report_renders_in_chromium_with_every_item(cse13_store, tmp_path):
    browser = _browser()
    report = panel_report(cse13_store, "CSE13", date(2014, 5, 1))
    page = tmp_path / "report.html"
    page.write_bytes(panel_report_file(report, "html").content)

    shot = tmp_path / "panel-report.png"
    _chromium(browser, f"--screenshot={shot}", "--window-size=1400,2400", page.as_uri())
    assert shot.read_bytes().startswith(PNG) and shot.stat().st_size > 20_000
    kept = REPO / ".artifacts" / "panel-report.png"
    kept.parent.mkdir(exist_ok=True)
    shutil.copy2(shot, kept)

    dom = _chromium(browser, "--dump-dom", page.as_uri()).stdout
    body = dom.split("<tbody>")[1].split("</tbody>")[0]
    row_heads = re.findall(r'<th scope="row">([^<]+)</th>', body)
    assert row_heads == [row.item.id for row in report.rows] and len(row_heads) == 15
