"""/figures against the same month a year earlier, and over a rolling twelve months."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.spreadsheets import Sheet
from commands.context import Context, Settings
from commands.errors import BadInput
from commands.figures import run_figures
from commands.figures_import import import_figure_sheets
from commands.figures_rolling import months_back
from commands.replies import Table
from storage.store import Store

NOW = datetime(2015, 9, 1, 9, 0, tzinfo=ZoneInfo("Europe/London"))
DISTRICTS = ("Barnsley", "Doncaster", "Rotherham", "Sheffield")
MONTHS = [months_back("2015-07", n) for n in range(30, -1, -1)]  # Jan 2013 – Jul 2015


def value(district: str, month: str) -> int:
    """A made-up count that grows by one a month, different for each district."""
    return 10 * (DISTRICTS.index(district) + 1) + MONTHS.index(month)


@pytest.fixture
def store(stores) -> Store:
    store = stores.new()
    rows = [["Referrals", *MONTHS]]
    rows += [[d, *(value(d, m) for m in MONTHS)] for d in DISTRICTS]
    import_figure_sheets(store, [Sheet("Referrals", rows)], file_name="referrals.xlsx")
    return store


def _table(store: Store, text: str, settings: Settings | None = None) -> Table:
    reply = run_figures(Context(store, NOW, "U1", settings or Settings()), text)
    assert isinstance(reply, Table), reply
    return reply


def _row(table: Table, label: str) -> dict[str, str]:
    row = next(row for row in table.rows if label in row[:2])
    return dict(zip(table.header, row, strict=True))


def test_one_month_ranked_beside_the_same_month_a_year_earlier(store):
    table = _table(store, "referrals jul 2015")
    assert table.header == ("#", "District", "referrals", "share", "Jul 2014", "on a year")
    rotherham = _row(table, "Rotherham")
    assert (rotherham["referrals"], rotherham["Jul 2014"]) == ("60", "48")
    assert rotherham["on a year"] == "+12 (+25%)"
    total = _row(table, "Force total")
    assert (total["referrals"], total["Jul 2014"], total["on a year"]) == (
        "220",
        "172",
        "+48 (+28%)",
    )


def test_a_month_with_no_year_before_has_no_comparison(store):
    assert "on a year" not in _table(store, "referrals jan 2013").header


def test_metric_and_district_tables_add_the_change_on_a_year(store):
    by_district = _table(store, "referrals")
    assert by_district.header[-1] == "on a year"
    assert _row(by_district, "Barnsley")["on a year"] == "+12 (+43%)"  # 40 against 28
    assert "On a year: July 2015 against July 2014." in by_district.notes
    rotherham = _table(store, "rotherham")
    assert _row(rotherham, "referrals")["on a year"] == "+12 (+25%)"


def test_latest_month_shows_the_force_total_a_year_earlier(store):
    latest = _table(store, "")
    assert _row(latest, "A year earlier")["referrals"] == "172"
    assert _row(latest, "Total on a year")["referrals"] == "+48 (+28%)"


def test_rolling_twelve_months_against_the_twelve_before(store):
    table = _table(store, "referrals 12m")
    assert table.header == (
        "District",
        "12 months to Jul 2015",
        "months",
        "12 months to Jul 2014",
        "months",
        "change",
    )
    window = MONTHS[-12:]
    before = MONTHS[-24:-12]
    sheffield = _row(table, "Sheffield")
    assert sheffield["12 months to Jul 2015"] == str(sum(value("Sheffield", m) for m in window))
    assert sheffield["12 months to Jul 2014"] == str(sum(value("Sheffield", m) for m in before))
    assert sheffield["change"] == "+144 (+23%)"  # 630 → 774: each month 12 up on a year
    total = _row(table, "Force total")
    assert total["12 months to Jul 2015"] == str(
        sum(value(d, m) for d in DISTRICTS for m in window)
    )


def test_rolling_sum_that_takes_in_a_suppressed_month_is_hidden(store):
    # Barnsley is below 30 until Aug 2014, the first month of the window.
    table = _table(store, "referrals 12m", Settings(suppress_below=30))
    assert _row(table, "Barnsley")["12 months to Jul 2015"] == "hidden"
    window = MONTHS[-12:]
    rotherham = _row(table, "Rotherham")["12 months to Jul 2015"]
    assert rotherham == str(sum(value("Rotherham", m) for m in window))
    assert "A sum that takes in a suppressed value is hidden too." in table.notes


def test_a_hidden_value_is_never_compared_on_a_year(store):
    early = _table(store, "referrals jan 2014", Settings(suppress_below=11))
    assert _row(early, "Barnsley")["Jan 2013"] == "<11"
    assert _row(early, "Barnsley")["on a year"] == "n/a"
    assert _row(early, "Rotherham")["on a year"] == "+12 (+40%)"  # 42 against 30


def test_rolling_twelve_months_of_a_snapshot_is_refused(store, tmp_path):
    rows = [["Live investigations", "31/07/2015"], ["Barnsley", 4]]
    import_figure_sheets(store, [Sheet("Live", rows)], file_name="live.xlsx")
    with pytest.raises(BadInput, match="counts on a date"):
        _table(store, "live investigations 12m")


def test_rolling_sum_says_when_a_month_is_missing(stores):
    store = stores.new()
    rows = [["Referrals", "Jan 2015", "Feb 2015"], ["Barnsley", 4, 5], ["Doncaster", 6, None]]
    import_figure_sheets(store, [Sheet("Referrals", rows)], file_name="gaps.xlsx")
    table = _table(store, "referrals 12m")
    assert table.header == ("District", "12 months to Feb 2015", "months")
    assert _row(table, "Doncaster")["months"] == "1"
    assert _row(table, "Force total")["12 months to Feb 2015"] == "15*"
    assert "* some districts not published" in table.notes
