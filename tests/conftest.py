"""Shared fixtures: the reference reports, a store, a fake Slack, a running bot."""

from __future__ import annotations

import os
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from commands.imports import import_report, read_text
from storage.store import Store, open_store
from tests.fakes.slack_api import FakeSlackAPI

REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "reference"
CSE13 = REFERENCE / "2013_hmic-syp-response-to-cse.txt"
NCP15 = REFERENCE / "2015_hmic-ncp-post-inspection-review_findings.txt"
PANEL15 = REFERENCE / "2015-09-11_panel-report_ncp-post-inspection-review.txt"


def reference(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"reference report {path.name} is not beside this clone")
    return path


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):  # noqa: ANN001, ANN201 - pytest's hook signature
    """In CI (`CI` set) a test skipped for want of the reference reports fails instead."""
    outcome = yield
    report = outcome.get_result()
    if report.skipped and os.environ.get("CI") and "reference report" in str(report.longrepr):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = f"{reason}: CI must run with ../shared/reference beside the clone"


@pytest.fixture
def fake_slack():
    with FakeSlackAPI() as fake:
        yield fake


def import_cse13(store: Store) -> Store:
    """The 2013 CSE report imported as CSE13, published 2014-01-31."""
    import_report(
        store,
        read_text(reference(CSE13)),
        file_name=CSE13.name,
        source_id="CSE13",
        title="SYP response to CSE",
        published=date(2014, 1, 31),
        now=datetime(2014, 2, 1, 9, 0, tzinfo=ZoneInfo("Europe/London")),
    )
    return store


@pytest.fixture
def cse13_store(tmp_path) -> Store:
    return import_cse13(open_store(tmp_path / "govbot.json"))
