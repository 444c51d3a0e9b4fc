from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.files import read_text
from commands.context import Context, Settings
from commands.disclosure import plan_disclosure
from commands.errors import BadInput, UnknownItem
from commands.figures import run_figures
from commands.figures_tables import change, sparkline
from commands.imports import import_figures
from commands.replies import ChartRequest, Notice, Table
from storage.store import Store

REFERENCE = Path(__file__).resolve().parents[3] / "shared" / "reference"
PANEL_REPORT_2015 = REFERENCE / "2015-09-11_panel-report_ncp-post-inspection-review.txt"
MONTHS = ("Apr 2015", "May 2015", "Jun 2015", "Jul 2015")
NOW = datetime(2015, 9, 1, 9, 0, tzinfo=ZoneInfo("Europe/London"))


def _context(store: Store, settings: Settings | None = None, **kwargs: object) -> Context:
    return Context(store=store, now=NOW, user="U1", settings=settings or Settings(), **kwargs)


@pytest.fixture
def store(stores) -> Store:
    return stores.new()


@pytest.fixture
def reference(store: Store) -> Store:
    if not PANEL_REPORT_2015.exists():
        pytest.skip(f"reference report not found: {PANEL_REPORT_2015}")
    import_figures(store, read_text(PANEL_REPORT_2015), file_name=str(PANEL_REPORT_2015))
    return store


def _import_csv(store: Store, tmp_path: Path, name: str, rows: str) -> None:
    path = tmp_path / f"{name}.csv"
    path.write_text("district,metric,period,value\n" + rows, encoding="utf-8")
    import_figures(store, read_text(path), file_name=str(path))


def _table(store: Store, text: str, **kwargs: object) -> Table:
    reply = run_figures(_context(store, **kwargs), text)
    assert isinstance(reply, Table), reply
    return reply


def _row(table: Table, label: str) -> tuple[str, ...]:
    """The cells of the row labelled `label`, without the label."""
    return next(row[1:] for row in table.rows if row[0] == label)


def _cells(table: Table, label: str, columns: tuple[str, ...]) -> list[str]:
    row = _row(table, label)
    return [row[table.header.index(column) - 1] for column in columns]


# The 2015 panel report, as published


def test_a_district_across_months(reference: Store) -> None:
    table = _table(reference, "rotherham")
    assert table.header[1:5] == MONTHS
    assert _cells(table, "referrals", MONTHS) == ["20", "27", "15", "31"]
    assert _cells(table, "referrals", ("trend", "change")) == ["▃▆▁█", "+16 (+107%)"]
    assert _cells(table, "charged or summonsed", ("change",)) == ["−2 (−33%)"]


def test_district_names_accept_a_prefix_in_any_case(reference: Store) -> None:
    assert _table(reference, "ROTH") == _table(reference, "rotherham")


def test_a_misspelt_district_gets_a_suggestion(reference: Store) -> None:
    with pytest.raises(UnknownItem, match="Did you mean Rotherham\\?"):
        run_figures(_context(reference), "rotheram")


def test_an_ambiguous_prefix_names_the_choices(reference: Store) -> None:
    with pytest.raises(UnknownItem, match="charged or summonsed, cautions, convictions"):
        run_figures(_context(reference), "c")


@pytest.mark.parametrize(
    ("metric", "totals"),
    [
        ("referrals", ["54", "64", "55", "68"]),
        ("offences", ["11", "16", "13", "14"]),
        ("charged", ["2", "2", "13", "8"]),
        ("cautions", ["1", "1", "0", "0"]),
    ],
)
def test_force_totals_are_computed_for_each_month(
    reference: Store, metric: str, totals: list[str]
) -> None:
    table = _table(reference, metric)
    assert table.header[1:5] == MONTHS
    assert _cells(table, "Force total", MONTHS) == totals


def test_charges_and_cautions_by_district_match_the_report(reference: Store) -> None:
    charged = _table(reference, "charged or summonsed")
    assert _cells(charged, "Doncaster", MONTHS) == ["0", "2", "7", "3"]
    assert _cells(charged, "Sheffield", MONTHS) == ["2", "0", "0", "1"]
    assert _cells(_table(reference, "cautions"), "Doncaster", MONTHS) == ["1", "1", "0", "0"]


def test_other_is_a_row_when_published(reference: Store) -> None:
    assert _cells(_table(reference, "referrals"), "Other", MONTHS) == ["5", "4", "1", "0"]
    assert "Other" not in [row[0] for row in _table(reference, "offences").rows]


def test_live_investigations_on_their_date(reference: Store) -> None:
    table = _table(reference, "live inv")
    assert table.header == ("District", "31 Jul 2015", "trend", "change")
    values = {row[0]: row[1] for row in table.rows}
    assert values == {
        "Barnsley": "22",
        "Doncaster": "31",
        "Rotherham": "46",
        "Sheffield": "56",
        "Force total": "155",
    }


@pytest.mark.parametrize("name", ["live_investigations", "live investigations", "LIVE"])
def test_metric_names_accept_underscores_spaces_and_prefixes(reference: Store, name: str) -> None:
    assert _table(reference, name).title == "Live investigations by district and date"


def test_latest_month_by_district_and_metric(reference: Store) -> None:
    table = _table(reference, "")
    assert table.title == "Figures for July 2015"
    assert table.header == (
        "District",
        "referrals",
        "offences",
        "charged or summonsed",
        "cautions",
        "live investigations 31 Jul 2015",
    )
    assert _row(table, "Rotherham") == ("31", "5", "4", "0", "46")
    assert _row(table, "Other") == ("0", "–", "–", "–", "–")
    assert _row(table, "Force total") == ("68", "14", "8", "0", "155")
    assert any("2015-09-11_panel-report" in note for note in table.notes)


def test_one_period_ranked_with_shares(reference: Store) -> None:
    table = _table(reference, "referrals jul")
    assert table.rows[0] == ("1", "Rotherham", "31", "46%")
    assert [row[1] for row in table.rows] == [
        "Rotherham",
        "Doncaster",
        "Barnsley",
        "Sheffield",
        "Other",
        "Force total",
    ]
    assert table.rows[-1] == ("", "Force total", "68", "100%")


@pytest.mark.parametrize("period", ["2015-07", "July 2015", "jul 2015", "jul", "JULY", "Jul, 2015"])
def test_periods_are_read_in_the_usual_forms(reference: Store, period: str) -> None:
    assert (
        _table(reference, f"referrals {period}").title == "Referrals, July 2015: districts ranked"
    )


def test_a_month_alone_shows_that_month(reference: Store) -> None:
    table = _table(reference, "may")
    assert table.title == "Figures for May 2015"
    assert _row(table, "Force total") == ("64", "16", "2", "1")


def test_an_unknown_period_lists_the_periods_with_data(reference: Store) -> None:
    with pytest.raises(BadInput, match="2015-04, 2015-05, 2015-06, 2015-07") as err:
        run_figures(_context(reference), "referrals 2019-01")
    assert "January 2019" in err.value.message
    with pytest.raises(BadInput, match="not a period"):
        run_figures(_context(reference), "referrals someday")
    with pytest.raises(BadInput, match="Rotherham shows every month"):
        run_figures(_context(reference), "rotherham someday")
    with pytest.raises(BadInput, match="across periods"):
        run_figures(_context(reference), "jul chart")


def test_a_chart_is_requested_not_drawn(reference: Store) -> None:
    chart = run_figures(_context(reference), "roth chart")
    assert isinstance(chart, ChartRequest)
    assert chart.filename == "figures-rotherham.png"
    assert chart.series["referrals"] == list(zip(MONTHS, [20, 27, 15, 31], strict=True))
    assert chart.series["live investigations"][-1] == ("Jul 2015", 46)
    by_district = run_figures(_context(reference), "referrals chart")
    assert isinstance(by_district, ChartRequest)
    assert by_district.series["Other"][0] == ("Apr 2015", 5)


def test_help_and_an_empty_store(store: Store) -> None:
    reply = run_figures(_context(store), "help")
    assert isinstance(reply, Notice) and "/figures referrals jul" in reply.text
    empty = run_figures(_context(store), "")
    assert isinstance(empty, Notice) and "govbot import-figures FILE" in empty.text


# Missing is not zero, and snapshots are never summed across dates


def test_a_figure_not_published_is_shown_missing_and_its_total_marked(
    store: Store, tmp_path: Path
) -> None:
    _import_csv(
        store,
        tmp_path,
        "gap",
        "Barnsley,referrals,2015-06,13\nDoncaster,referrals,2015-06,14\n"
        "Rotherham,referrals,2015-06,15\nSheffield,referrals,2015-06,12\n"
        "Barnsley,referrals,2015-07,12\nRotherham,referrals,2015-07,31\n"
        "Sheffield,referrals,2015-07,11\n",
    )
    latest = _table(store, "")
    assert _row(latest, "Doncaster") == ("–",)
    assert _row(latest, "Force total") == ("54*",)
    assert "* some districts not published" in latest.notes
    doncaster = _table(store, "doncaster")
    assert _row(doncaster, "referrals") == ("14", "–", "▄ ", "n/a")
    by_month = _table(store, "referrals")
    assert _cells(by_month, "Force total", ("Jun 2015", "Jul 2015")) == ["54", "54*"]


def test_a_snapshot_is_never_summed_across_dates(store: Store, tmp_path: Path) -> None:
    _import_csv(
        store,
        tmp_path,
        "snapshots",
        "Barnsley,live_investigations,2015-06-30,20\nDoncaster,live_investigations,2015-06-30,30\n"
        "Rotherham,live_investigations,2015-06-30,40\nSheffield,live_investigations,2015-06-30,50\n"
        "Barnsley,live_investigations,2015-07-31,22\nDoncaster,live_investigations,2015-07-31,31\n"
        "Rotherham,live_investigations,2015-07-31,46\nSheffield,live_investigations,2015-07-31,56\n"
        "Barnsley,referrals,2015-07,12\n",
    )
    latest = _table(store, "")
    assert latest.header == ("District", "referrals", "live investigations 31 Jul 2015")
    assert _row(latest, "Force total") == ("12*", "155")
    live = _table(store, "live")
    assert live.header == ("District", "30 Jun 2015", "31 Jul 2015", "trend", "change")
    assert _row(live, "Force total") == ("140", "155", "▁█", "+15 (+11%)")
    assert not any("295" in cell for row in live.rows for cell in row)
    assert not any("total" in column.lower() for column in live.header)


def test_the_latest_import_wins_and_a_difference_is_noted(reference: Store, tmp_path: Path) -> None:
    _import_csv(reference, tmp_path, "correction", "Rotherham,referrals,2015-07,30\n")
    table = _table(reference, "referrals")
    assert _cells(table, "Rotherham", ("Jul 2015",)) == ["30"]
    assert _cells(table, "Force total", ("Jul 2015",)) == ["67"]
    assert any("sources differ" in note and "correction" in note for note in table.notes)


# Disclosure control


def test_suppression_is_off_by_default(reference: Store) -> None:
    table = _table(reference, "offences")
    assert _cells(table, "Barnsley", MONTHS) == ["1", "1", "4", "1"]
    assert not any("suppressed" in note for note in table.notes)


def test_small_counts_are_suppressed_and_totals_stay(reference: Store) -> None:
    table = _table(reference, "offences", settings=Settings(suppress_below=5))
    assert _cells(table, "Barnsley", MONTHS) == ["<5", "<5", "<5", "<5"]
    assert _cells(table, "Sheffield", MONTHS) == ["<5", "9", "<5", "8"]
    assert _cells(table, "Force total", MONTHS) == ["11", "16", "13", "14"]
    assert "Values below 5 are suppressed." in table.notes


def test_a_lone_suppressed_cell_takes_the_next_smallest_with_it(reference: Store) -> None:
    # July offences: Barnsley 1 is the only small count, so Rotherham's 5 is hidden too.
    latest = _table(reference, "", settings=Settings(suppress_below=5))
    offences = latest.header.index("offences") - 1
    column = {row[0]: row[offences + 1] for row in latest.rows}
    assert column == {
        "Barnsley": "<5",
        "Doncaster": "0",
        "Rotherham": "*",
        "Sheffield": "8",
        "Other": "–",
        "Force total": "14",
    }
    # The same cell stays hidden wherever it appears, with no trend or change to give it away.
    rotherham = _table(reference, "rotherham", settings=Settings(suppress_below=5))
    assert _row(rotherham, "offences") == ("<5", "<5", "<5", "*", "    ", "n/a")


@pytest.mark.parametrize("metric", ["referrals", "offences", "charged", "cautions", "live"])
def test_no_total_leaves_exactly_one_hidden_cell(reference: Store, metric: str) -> None:
    table = _table(reference, metric, settings=Settings(suppress_below=5))
    periods = [c for c in table.header[1:] if c not in ("trend", "change")]
    for period in periods:
        cells = [row[table.header.index(period)] for row in table.rows[:-1]]
        assert sum(cell in ("<5", "*") for cell in cells) != 1, (metric, period, cells)


def test_ranking_does_not_place_hidden_cells(reference: Store) -> None:
    table = _table(reference, "offences jul", settings=Settings(suppress_below=5))
    assert table.rows == (
        ("1", "Sheffield", "8", "57%"),
        ("2", "Doncaster", "0", "0%"),
        ("", "Barnsley", "<5", ""),
        ("", "Rotherham", "*", ""),
        ("", "Force total", "14", "100%"),
    )


def test_a_chart_leaves_hidden_values_out(reference: Store) -> None:
    ctx = _context(reference, settings=Settings(suppress_below=5))
    chart = run_figures(ctx, "offences chart")
    assert isinstance(chart, ChartRequest)
    assert chart.series["Barnsley"] == [(month, None) for month in MONTHS]


def test_an_admin_sees_everything_in_a_direct_message(reference: Store) -> None:
    settings = Settings(suppress_below=5, admins=frozenset({"U1"}))
    in_dm = _table(reference, "offences", settings=settings, is_dm=True)
    assert _cells(in_dm, "Barnsley", MONTHS) == ["1", "1", "4", "1"]
    assert any("do not share" in note for note in in_dm.notes)
    in_channel = _table(reference, "offences", settings=settings)
    assert _cells(in_channel, "Barnsley", MONTHS)[0] == "<5"
    not_admin = _table(reference, "offences", settings=Settings(suppress_below=5), is_dm=True)
    assert _cells(not_admin, "Barnsley", MONTHS)[0] == "<5"


def test_plan_disclosure_hides_a_second_cell_or_the_total() -> None:
    values = {"a": 2, "b": 0, "c": 7, "d": 9, "e": 3}
    plan = plan_disclosure(values, {"g": ["a", "b", "c", "d"], "h": ["e"]}, 5)
    assert plan.primary == {"a", "e"}
    assert plan.secondary == {"c"}
    assert plan.masked_totals == {"h"}  # a total of one small count would be that count
    assert plan_disclosure(values, {"g": ["a", "b"]}, 5).secondary == {"b"}
    assert plan_disclosure(values, {"g": list(values)}, 0).primary == frozenset()


# Trends and changes


def test_sparkline_and_change() -> None:
    assert sparkline([20, 27, 15, 31]) == "▃▆▁█"
    assert sparkline([3, None, 3]) == "▄ ▄"
    assert sparkline([0, 0]) == "▁▁"
    assert change([15, 31]) == "+16 (+107%)"
    assert change([4, 0]) == "−4 (−100%)"
    assert change([0, 4]) == "+4"
    assert change([4, None]) == "n/a"
    assert change([4]) == "n/a"
