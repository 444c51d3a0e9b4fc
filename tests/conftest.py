"""Shared fixtures: the reference reports, a store, a fake Slack, a running bot."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fakes.slack_api import FakeSlackAPI

REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "reference"
CSE13 = REFERENCE / "2013_hmic-syp-response-to-cse.txt"
NCP15 = REFERENCE / "2015_hmic-ncp-post-inspection-review_findings.txt"
PANEL15 = REFERENCE / "2015-09-11_panel-report_ncp-post-inspection-review.txt"


def reference(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"reference report {path.name} is not beside this clone")
    return path


@pytest.fixture
def fake_slack():
    with FakeSlackAPI() as fake:
        yield fake
