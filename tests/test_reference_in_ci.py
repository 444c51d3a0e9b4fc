"""CI fails, rather than skips, a test that needs ../shared/reference when it is missing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NEEDS_REFERENCE = """
from pathlib import Path
from tests.conftest import reference

def test_needs_a_report():
    reference(Path("/nowhere/2013_report.txt"))
"""


@pytest.mark.parametrize(("ci", "outcome"), [("", "1 skipped"), ("true", "1 failed")])
def test_a_missing_reference_report_fails_only_in_ci(tmp_path, ci, outcome):
    (tmp_path / "test_needs_reference.py").write_text(NEEDS_REFERENCE)
    env = {**os.environ, "CI": ci, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-rs",
            "-p",
            "tests.conftest",
            "-p",
            "no:cacheprovider",
            str(tmp_path),
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert outcome in done.stdout, done.stdout
    assert "reference report 2013_report.txt is not beside this clone" in done.stdout
