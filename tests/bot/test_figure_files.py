"""Figure files as an office sends them: workbooks, wide and long CSV/TSV, a report's text."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import Workbook

from bot.cli import main
from bot.figure_files import import_figures_file
from commands.districts import DEFAULT_DISTRICTS
from commands.errors import BadInput
from commands.figures_import import describe_figures_import, figure_options_in_message
from storage.store import Store
from tests.conftest import PANEL15, reference

DISTRICTS = ("Barnsley", "Doncaster", "Rotherham", "Sheffield")


@pytest.fixture
def store(stores) -> Store:
    return stores.new()


def three_sheet_workbook(path: Path) -> Path:
    """Referrals (heading with a financial year, a wrong total), offences (Excel dates),
    live investigations (transposed, dated)."""
    book = Workbook()
    referrals = book.active
    referrals.title = "Referrals"
    referrals.append(["CSE referrals by district, 2015/16"])
    referrals.append([])
    referrals.append(["District", "Apr", "May", "Jun", "Total"])
    for district, values in zip(
        DISTRICTS, ([10, 12, 9], [15, None, 11], [20, 27, 15], [9, 14, 20]), strict=True
    ):
        referrals.append([district, *values, sum(v or 0 for v in values)])
    referrals.append(["Total", 54, 53, 55, 163])
    offences = book.create_sheet("Offences")
    offences.append(["", *(datetime(2015, month, 1) for month in (4, 5, 6))])
    for n, district in enumerate(DISTRICTS):
        offences.append([district, n, n + 1, n + 2])
    live = book.create_sheet("Live investigations")
    live.append(["Date", *DISTRICTS, "Total"])
    live.append(["30/04/2015", 5, 6, 7, 8, 26])
    live.append(["31/05/2015", 5, 6, 8, 8, 27])
    book.create_sheet("Notes").append(["Provisional figures."])
    book.save(path)
    return path


def _stored(store: Store) -> dict[tuple[str, str, str], int]:
    with store.transaction():
        return {(f.district, f.metric, f.period): f.value for f in store.figures.all()}


def test_a_three_sheet_workbook_imports_with_totals_checked(store, tmp_path):
    path = three_sheet_workbook(tmp_path / "monthly.xlsx")
    result = import_figures_file(store, path, districts=DEFAULT_DISTRICTS)
    stored = _stored(store)
    assert len(stored) == 11 + 12 + 8
    assert stored[("Rotherham", "referrals", "2015-05")] == 27
    assert ("Doncaster", "referrals", "2015-05") not in stored  # blank: missing, not 0
    assert stored[("Sheffield", "offences", "2015-06")] == 5
    assert stored[("Rotherham", "live_investigations", "2015-05-31")] == 8
    assert result.mismatches == (
        'monthly.xlsx: Sheet "Referrals" E8: printed 163, computed 162 (1 blank cell)',
    )
    assert {f.source for f in result.figures} == {"monthly"}


def test_the_preview_names_measures_periods_districts_and_totals(store, tmp_path):
    path = three_sheet_workbook(tmp_path / "monthly.xlsx")
    lines = describe_figures_import(
        import_figures_file(store, path, districts=DEFAULT_DISTRICTS, dry_run=True)
    )
    assert lines[0] == "Would store 31 figures from monthly.xlsx as source monthly"
    assert lines[1].startswith('  Sheet "Referrals" A3: referrals, Apr 2015 – Jun 2015 (3 months)')
    assert "1 blank (missing, not 0)" in lines[1] and "8 totals checked" in lines[1]
    assert lines[2].startswith('  Sheet "Offences" A1: offences, Apr 2015 – Jun 2015 (3 months)')
    assert lines[3].startswith(
        '  Sheet "Live investigations" A1: live investigations, 30 Apr 2015 – 31 May 2015 (2 dates)'
    )
    assert "  Districts: Barnsley, Doncaster, Rotherham, Sheffield" in lines
    assert '  Skipped Sheet "Notes": no table of districts and periods' in lines
    assert lines[-1].startswith('  TOTAL MISMATCH monthly.xlsx: Sheet "Referrals" E8')
    assert _stored(store) == {}


def test_wide_csv_and_transposed_tsv(store, tmp_path):
    csv = tmp_path / "referrals.csv"
    csv.write_text(
        ",April 2015,May 2015\nBarnsley,3,4\nRotherham,5,\nTotal,8,4\n", encoding="utf-8"
    )
    result = import_figures_file(store, csv, districts=DEFAULT_DISTRICTS)
    assert result.mismatches == ()
    assert _stored(store) == {
        ("Barnsley", "referrals", "2015-04"): 3,
        ("Barnsley", "referrals", "2015-05"): 4,
        ("Rotherham", "referrals", "2015-04"): 5,
    }
    tsv = tmp_path / "cautions.tsv"
    tsv.write_text("Month\tBarnsley\tSheffield\n2015-04\t1\t2\n", encoding="utf-8")
    import_figures_file(store, tsv, districts=DEFAULT_DISTRICTS)
    assert _stored(store)[("Sheffield", "cautions", "2015-04")] == 2


def test_long_form_csv_and_the_reference_report_read_as_before(store, tmp_path):
    csv = tmp_path / "long.csv"
    csv.write_text("district,metric,period,value\nBarnsley,referrals,2015-04,9\n", encoding="utf-8")
    assert len(import_figures_file(store, csv, districts=DEFAULT_DISTRICTS).figures) == 1
    report = import_figures_file(store, reference(PANEL15), districts=DEFAULT_DISTRICTS)
    totals = {}
    for f in report.figures:
        if f.metric == "referrals":
            totals[f.period] = totals.get(f.period, 0) + f.value
    assert [totals[p] for p in sorted(totals)] == [54, 64, 55, 68]


def test_a_bad_workbook_is_refused_in_one_line_and_stores_nothing(store, tmp_path):
    path = three_sheet_workbook(tmp_path / "monthly.xlsx")
    import_figures_file(store, path, districts=DEFAULT_DISTRICTS)
    before = _stored(store)
    book = Workbook()
    book.active.title = "Referrals"
    book.active.append(["", "Apr-15", "Mai-15"])
    book.active.append(["Barnsley", 1, 2])
    book.save(path)
    with pytest.raises(BadInput) as raised:
        import_figures_file(store, path, districts=DEFAULT_DISTRICTS)
    assert raised.value.message == (
        "monthly.xlsx: Sheet \"Referrals\" C1: 'Mai-15' is not a period: expected a month "
        "such as Apr-15, Apr 15, April 2015, 2015-04, 04/2015 or Apr, or a date"
    )
    assert "\n" not in raised.value.message
    assert _stored(store) == before


def test_cli_dry_run_previews_and_stores_nothing(tmp_path, monkeypatch, capsys, stores):
    monkeypatch.setenv("GOVBOT_DB", stores.location())
    monkeypatch.chdir(tmp_path)
    path = three_sheet_workbook(tmp_path / "monthly.xlsx")
    assert main(["import-figures", str(path), "--dry-run"]) == 1  # the wrong total
    out = capsys.readouterr().out
    assert out.startswith("Would store 31 figures from monthly.xlsx as source monthly\n")
    assert main(["import-figures", str(path)]) == 1
    assert "Stored 31 figures" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("text", "options"),
    [
        ("metric referrals year 2015/16", ("referrals", "2015/16")),
        ("Year: 2015 measure: live investigations", ("live investigations", "2015")),
        ("monthly figures", ("", "")),
    ],
)
def test_an_upload_message_may_name_the_measure_and_year(text, options):
    assert figure_options_in_message(text) == options


def test_a_csv_with_no_table_says_so_in_one_line(store, tmp_path):
    path = tmp_path / "notes.csv"
    path.write_text("Figures to follow\n", encoding="utf-8")
    with pytest.raises(BadInput) as raised:
        import_figures_file(store, path, districts=DEFAULT_DISTRICTS)
    assert raised.value.message == (
        "notes.csv: no figures found: expected districts down the side and months across "
        "(or months down and districts across)"
    )
