"""Wide tables of figures as offices keep them: districts × periods (or the transpose)."""

from __future__ import annotations

from datetime import datetime

import pytest

from bot.spreadsheets import Sheet
from commands.districts import parse_districts
from commands.importing.figures_wide import SheetError, WideOptions, parse_wide_figures

MONTHS = ["Apr-15", "May-15", "Jun-15"]
REFERRALS = [
    ["District", *MONTHS, "Total"],
    ["Barnsley", 10, 12, 9, 31],
    ["Doncaster", 15, 14, 11, 40],
    ["Rotherham", 20, 27, 15, 62],
    ["Sheffield", 9, 14, 20, 43],
    ["Total", 54, 67, 55, 176],
]


def _read(*sheets: Sheet, **options: object):  # noqa: ANN202 - WorkbookFigures
    return parse_wide_figures(list(sheets), WideOptions(**options))


def _values(read) -> dict[tuple[str, str, str], int]:  # noqa: ANN001
    return {(f.district, f.metric, f.period): f.value for f in read.figures}


def test_districts_down_months_across_with_totals_that_match():
    read = _read(Sheet("Referrals", REFERRALS))
    values = _values(read)
    assert len(values) == 12
    assert values[("Rotherham", "referrals", "2015-05")] == 27
    assert values[("Sheffield", "referrals", "2015-06")] == 20
    assert read.mismatches == ()
    (table,) = read.tables
    assert (table.metric, table.periods) == ("referrals", ("2015-04", "2015-05", "2015-06"))
    assert table.totals_checked == 4 + 3 + 1  # district rows, month columns, the grand total
    assert "Total" not in {f.district for f in read.figures}


def test_a_wrong_total_is_reported_with_its_cell():
    rows = [list(row) for row in REFERRALS]
    rows[5][3] = 68  # June's force total
    read = _read(Sheet("Referrals", rows))
    assert read.mismatches == ('Sheet "Referrals" D6: printed 68, computed 55',)


def test_the_issue_example_cell_f6():
    rows = [["District", "Jan-15", "Feb-15", "Mar-15", "Apr-15", "Total"]]
    rows += [[d, 10, 20, 30, 0, 60] for d in ("Barnsley", "Doncaster", "Rotherham", "Sheffield")]
    rows[4][5] = 61  # Sheffield's row total, in F5
    rows.append(["Total", 40, 80, 120, 0, 241])
    read = _read(Sheet("Referrals", rows))
    assert read.mismatches == (
        'Sheet "Referrals" F5: printed 61, computed 60',
        'Sheet "Referrals" F6: printed 241, computed 240',
    )


def test_blank_cells_are_missing_not_zero():
    rows = [list(row) for row in REFERRALS]
    rows[2][2] = None  # Doncaster May
    rows[3][1] = "n/a"
    read = _read(Sheet("Referrals", rows))
    values = _values(read)
    assert ("Doncaster", "referrals", "2015-05") not in values
    assert ("Rotherham", "referrals", "2015-04") not in values
    assert read.tables[0].blanks == 2
    assert 'Sheet "Referrals" C6: printed 67, computed 53 (1 blank cell)' in read.mismatches


def test_transposed_table_months_down_districts_across():
    rows = [["Month", "Barnsley", "Doncaster", "Rotherham", "Sheffield", "Total"]]
    rows += [["Apr-15", 10, 15, 20, 9, 54], ["May-15", 12, 14, 27, 14, 66]]
    read = _read(Sheet("Referrals", rows))
    assert _values(read)[("Doncaster", "referrals", "2015-05")] == 14
    assert read.tables[0].transposed
    assert read.mismatches == ('Sheet "Referrals" F3: printed 66, computed 67',)


@pytest.mark.parametrize(
    ("header", "heading", "year", "period"),
    [
        ("Apr-15", "", "", "2015-04"),
        ("Apr 15", "", "", "2015-04"),
        ("April 2015", "", "", "2015-04"),
        ("2015-04", "", "", "2015-04"),
        ("04/2015", "", "", "2015-04"),
        ("Sept 2015", "", "", "2015-09"),
        (datetime(2015, 4, 1), "", "", "2015-04"),
        ("Apr", "Referrals 2015", "", "2015-04"),
        ("Apr", "", "2015", "2015-04"),
        ("Jan", "Referrals 2015/16", "", "2016-01"),
        ("Dec", "Referrals 2015/16", "", "2015-12"),
        ("Feb", "", "2015/16", "2016-02"),
    ],
)
def test_every_period_form(header, heading, year, period):
    rows = [[heading]] if heading else []
    rows += [[None, header], ["Rotherham", 7]]
    read = _read(Sheet("Referrals", rows), year=year)
    assert _values(read) == {("Rotherham", "referrals", period): 7}


def test_months_under_a_calendar_year_heading_run_forward_into_the_next_year():
    rows = [["Offences 2015"], ["", "Nov", "Dec", "Jan"], ["Barnsley", 1, 2, 3]]
    assert sorted(p for _, _, p in _values(_read(Sheet("Sheet1", rows)))) == [
        "2015-11",
        "2015-12",
        "2016-01",
    ]


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("Aprl-15", "'Aprl-15' is not a period: expected a month such as Apr-15"),
        ("13/2015", "'13/2015' is not a period"),
        ("Q1", "'Q1' is not a period"),
    ],
)
def test_a_bad_header_is_refused_with_its_cell(header, expected):
    rows = [["District", "Mar-15", header], ["Barnsley", 1, 2]]
    with pytest.raises(SheetError) as raised:
        _read(Sheet("Referrals", rows))
    assert raised.value.message.startswith(f'Sheet "Referrals" C1: {expected}')


def test_a_month_without_a_year_is_refused_saying_where_to_give_one():
    with pytest.raises(SheetError) as raised:
        _read(Sheet("Referrals", [[None, "Apr"], ["Barnsley", 1]]))
    assert raised.value.message == (
        "Sheet \"Referrals\" B1: 'Apr' has no year: put one in a heading above the table "
        "(e.g. 2015/16) or give --year"
    )


def test_snapshot_measures_take_their_date_and_are_not_summed_across_dates():
    rows = [
        ["Live investigations"],
        ["District", "30/04/2015", datetime(2015, 5, 31), "Total"],
        ["Barnsley", 5, 6, 999],
        ["Rotherham", 7, 8, 999],
        ["Total", 12, 14, 999],
    ]
    read = _read(Sheet("CSE", rows))
    assert _values(read) == {
        ("Barnsley", "live_investigations", "2015-04-30"): 5,
        ("Barnsley", "live_investigations", "2015-05-31"): 6,
        ("Rotherham", "live_investigations", "2015-04-30"): 7,
        ("Rotherham", "live_investigations", "2015-05-31"): 8,
    }
    assert read.mismatches == ()
    assert (read.tables[0].totals_checked, read.tables[0].totals_skipped) == (2, 3)


def test_a_monthly_measure_under_dates_is_refused():
    rows = [["District", "30/04/2015"], ["Barnsley", 5]]
    with pytest.raises(SheetError, match=r"B1: .* referrals is monthly: expected a month"):
        _read(Sheet("Referrals", rows))


def test_the_measure_comes_from_heading_corner_sheet_option_or_file():
    table = [["Barnsley", 1]]
    assert _values(_read(Sheet("Sheet1", [["Cautions given"], ["", "Apr-15"], *table])))
    by_corner = _read(Sheet("Sheet1", [["Convictions", "Apr-15"], *table]))
    assert by_corner.figures[0].metric == "convictions"
    by_option = _read(Sheet("Referrals", [[None, "Apr-15"], *table]), metric="offences")
    assert by_option.figures[0].metric == "offences"
    by_file = _read(Sheet("Sheet1", [[None, "Apr-15"], *table]), file_stem="cautions-2015")
    assert by_file.figures[0].metric == "cautions"
    with pytest.raises(SheetError, match=r'Sheet "Sheet1" A1: no measure named'):
        _read(Sheet("Sheet1", [[None, "Apr-15"], *table]))


def test_several_blocks_in_one_sheet_give_several_measures():
    rows = [
        ["Referrals"],
        [None, "Apr-15", "May-15"],
        ["Barnsley", 1, 2],
        [],
        ["Offences"],
        [None, "Apr-15", "May-15"],
        ["Barnsley", 3, 4],
        ["Source: force crime system"],
    ]
    read = _read(Sheet("Monthly", rows))
    assert _values(read) == {
        ("Barnsley", "referrals", "2015-04"): 1,
        ("Barnsley", "referrals", "2015-05"): 2,
        ("Barnsley", "offences", "2015-04"): 3,
        ("Barnsley", "offences", "2015-05"): 4,
    }
    assert [t.where for t in read.tables] == ['Sheet "Monthly" A2', 'Sheet "Monthly" A6']


def test_unknown_district_suggests_the_closest_and_aliases_are_understood():
    rows = [[None, "Apr-15"], ["Sheffeild", 1]]
    with pytest.raises(SheetError) as raised:
        _read(Sheet("Referrals", rows))
    assert "A2: unknown district 'Sheffeild' (did you mean Sheffield?" in raised.value.message
    districts = parse_districts("Barnsley;Doncaster;Rotherham;Sheffield=Sheffield LPA")
    rows[1][0] = "sheffield lpa"
    read = _read(Sheet("Referrals", rows), districts=districts)
    assert _values(read) == {("Sheffield", "referrals", "2015-04"): 1}


def test_the_same_figure_twice_is_refused_naming_both_cells():
    sheet = Sheet("Referrals", [[None, "Apr-15"], ["Barnsley", 1]])
    with pytest.raises(SheetError) as raised:
        _read(sheet, Sheet("More referrals", [[None, "2015-04"], ["Barnsley", 1]]))
    assert raised.value.message == (
        'Sheet "More referrals" B2: Barnsley referrals 2015-04 is given twice '
        '(also Sheet "Referrals" B2)'
    )


@pytest.mark.parametrize(("value", "problem"), [("-3", "cannot be negative"), (2.5, "whole")])
def test_values_must_be_whole_counts(value, problem):
    with pytest.raises(SheetError, match=f"B2: .*{problem}"):
        _read(Sheet("Referrals", [[None, "Apr-15"], ["Barnsley", value]]))


def test_a_sheet_without_a_table_is_skipped_and_none_at_all_is_refused():
    notes = Sheet("Notes", [["Figures are provisional."], ["Term", "Meaning"]])
    read = _read(Sheet("Referrals", [[None, "Apr-15"], ["Barnsley", 1]]), notes)
    assert read.skipped == ('Sheet "Notes": no table of districts and periods',)
    with pytest.raises(SheetError, match="no figures found"):
        _read(notes)


def test_csv_cells_are_named_without_a_sheet():
    rows = [[None, "Apr-15", "Total"], ["Barnsley", 1, 2]]
    read = _read(Sheet("referrals", rows), named_sheets=False, file_stem="referrals")
    assert read.mismatches == ("C2: printed 2, computed 1",)
