from pathlib import Path

import pytest

from commands.importing.figures_parser import (
    FiguresParse,
    FiguresParseError,
    ParsedFigure,
    PrintedTotal,
    TotalMismatch,
    check_totals,
    normalise_district,
    normalise_metric,
    parse_figures,
    parse_figures_csv,
    parse_report_tables,
)

REFERENCE = Path(__file__).resolve().parents[4] / "shared" / "reference"
PANEL_REPORT_2015 = REFERENCE / "2015-09-11_panel-report_ncp-post-inspection-review.txt"
PANEL_REPORT_2014 = REFERENCE / "2014-09-11_panel-report_pcc-response-to-jay-report.txt"
MONTHS_2015 = ("2015-04", "2015-05", "2015-06", "2015-07")


def _read(path: Path) -> str:
    if not path.exists():
        pytest.skip(f"reference report not found: {path}")
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def panel_report() -> FiguresParse:
    return parse_figures(_read(PANEL_REPORT_2015))


def _values(parse: FiguresParse, metric: str, district: str) -> list[int]:
    return [f.value for f in parse.figures if f.metric == metric and f.district == district]


def _totals(parse: FiguresParse, metric: str) -> list[int]:
    return [t.value for t in parse.totals if t.metric == metric]


# The 2015 panel report


def test_referrals_by_month_with_the_ocr_cyrillic_may(panel_report: FiguresParse) -> None:
    rotherham = [
        (f.period, f.value)
        for f in panel_report.figures
        if f.metric == "referrals" and f.district == "Rotherham"
    ]
    assert rotherham == list(zip(MONTHS_2015, [20, 27, 15, 31], strict=True))
    assert _totals(panel_report, "referrals") == [54, 64, 55, 68]


def test_other_is_kept_as_a_district(panel_report: FiguresParse) -> None:
    assert _values(panel_report, "referrals", "Other") == [5, 4, 1, 0]


def test_offences_from_upper_case_table(panel_report: FiguresParse) -> None:
    assert _values(panel_report, "offences", "Sheffield") == [1, 9, 4, 8]
    assert _totals(panel_report, "offences") == [11, 16, 13, 14]
    assert [t.period for t in panel_report.totals if t.metric == "offences"] == list(MONTHS_2015)


def test_charges_and_cautions_side_by_side(panel_report: FiguresParse) -> None:
    assert _values(panel_report, "charged_or_summonsed", "Doncaster") == [0, 2, 7, 3]
    assert _values(panel_report, "cautions", "Doncaster") == [1, 1, 0, 0]
    assert _totals(panel_report, "charged_or_summonsed") == [2, 2, 13, 8]
    assert _totals(panel_report, "cautions") == [1, 1, 0, 0]


def test_live_investigations_are_a_snapshot_at_month_end(panel_report: FiguresParse) -> None:
    live = {
        f.district: (f.period, f.value)
        for f in panel_report.figures
        if f.metric == "live_investigations"
    }
    assert live == {
        "Barnsley": ("2015-07-31", 22),
        "Doncaster": ("2015-07-31", 31),
        "Rotherham": ("2015-07-31", 46),
        "Sheffield": ("2015-07-31", 56),
    }
    assert PrintedTotal("live_investigations", "2015-07-31", 155, 180) in panel_report.totals


def test_report_counts_lines_and_no_total_as_a_figure(panel_report: FiguresParse) -> None:
    assert len(panel_report.figures) == 20 + 16 + 16 + 16 + 4
    assert len(panel_report.totals) == 4 + 4 + 4 + 4 + 1
    assert {f.district for f in panel_report.figures} == {
        "Barnsley",
        "Doncaster",
        "Rotherham",
        "Sheffield",
        "Other",
    }
    assert ParsedFigure("Rotherham", "referrals", "2015-07", 31, 140) in panel_report.figures


def test_printed_totals_of_all_four_tables_match(panel_report: FiguresParse) -> None:
    assert {t.metric for t in panel_report.totals} == {
        "referrals",
        "offences",
        "charged_or_summonsed",
        "cautions",
        "live_investigations",
    }
    assert check_totals(panel_report) == []


def test_a_report_without_tables_has_no_figures() -> None:
    with pytest.raises(FiguresParseError, match="^line 1: no figures found$"):
        parse_report_tables(_read(PANEL_REPORT_2014))


# Long-form CSV and TSV

GOOD_CSV = """district,metric,period,value
Barnsley,referrals,2015-07,12
Doncaster,referrals,2015-07,14
Rotherham,referrals,2015-07,31
Sheffield,referrals,2015-07,11
Other,referrals,2015-07,0
Total,referrals,2015-07,68
Rotherham,live_investigations,2015-07-31,46
"""


def test_good_csv() -> None:
    parse = parse_figures(GOOD_CSV)
    assert len(parse.figures) == 6
    assert parse.figures[2] == ParsedFigure("Rotherham", "referrals", "2015-07", 31, 4)
    assert parse.totals == (PrintedTotal("referrals", "2015-07", 68, 7),)
    assert check_totals(parse) == []


def test_wrong_total_is_reported_with_line_printed_and_computed() -> None:
    parse = parse_figures_csv(
        GOOD_CSV.replace("Rotherham,referrals,2015-07,31", "Rotherham,referrals,2015-07,30")
    )
    assert check_totals(parse) == [TotalMismatch("referrals", "2015-07", 68, 67, 7)]
    assert check_totals(parse)[0].describe() == (
        "line 7: referrals 2015-07 printed total 68, computed 67"
    )


def test_total_without_any_figures_computes_zero() -> None:
    parse = parse_figures_csv(GOOD_CSV + "Total,offences,2015-07,14\n")
    assert check_totals(parse) == [TotalMismatch("offences", "2015-07", 14, 0, 9)]


def test_tsv_with_header_in_another_order_and_extra_columns() -> None:
    text = (
        "Value\tPeriod\tsource\tDistrict\tMetric\tnote\n"
        "9\t2015-04\tPCP15\tBarnsley\tREFERRAL\t\n"
        "5\t2015-04\tPCP15\tOther*\tReferrals\tcentral\n"
    )
    parse = parse_figures(text)
    assert parse.figures == (
        ParsedFigure("Barnsley", "referrals", "2015-04", 9, 2),
        ParsedFigure("Other", "referrals", "2015-04", 5, 3),
    )


def test_blank_lines_are_skipped_and_line_numbers_kept() -> None:
    parse = parse_figures_csv("district,metric,period,value\n\nSheffield,cautions,2015-06,0\n")
    assert parse.figures == (ParsedFigure("Sheffield", "cautions", "2015-06", 0, 3),)


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("Leeds,referrals,2015-07,3", "line 3: unknown district 'Leeds' (valid: Barnsley, "),
        ("Sheffield,arrests,2015-07,3", "line 3: unknown metric 'arrests' (valid: referrals, "),
        ("Sheffield,referrals,July,3", "line 3: bad period 'July'"),
        ("Sheffield,referrals,2015-13,3", "line 3: bad period '2015-13'"),
        ("Sheffield,referrals,2015-07-31,3", "line 3: referrals is monthly"),
        ("Sheffield,live_investigations,2015-07,3", "line 3: live_investigations is a snapshot"),
        ("Sheffield,referrals,2015-07,three", "line 3: value must be a whole number: 'three'"),
        ("Sheffield,referrals,2015-07,2.5", "line 3: value must be a whole number"),
        ("Sheffield,referrals,2015-07,-3", "line 3: value must not be negative"),
        ("Sheffield,referrals,2015-07", "line 3: expected 4 columns, found 3"),
        ("Barnsley,referrals,2015-07,1", "line 3: Barnsley referrals 2015-07 appears twice"),
    ],
)
def test_bad_line_names_its_line(row: str, message: str) -> None:
    text = f"district,metric,period,value\nBarnsley,referrals,2015-07,12\n{row}\n"
    with pytest.raises(FiguresParseError) as error:
        parse_figures_csv(text)
    assert str(error.value).startswith(message)
    assert error.value.line == 3


def test_missing_header_columns() -> None:
    with pytest.raises(FiguresParseError, match="^line 1: header is missing columns period"):
        parse_figures_csv("district,metric,month,value\nBarnsley,referrals,2015-07,12\n")


@pytest.mark.parametrize("text", ["", "\n\n", "district,metric,period,value\n"])
def test_empty_file(text: str) -> None:
    with pytest.raises(FiguresParseError, match="^line 1: no figures found$"):
        parse_figures(text)


# Report tables, synthetic

ROLLOVER_REPORT = """Referrals received monthly from November 2015

Some words about referrals.

DISTRICT\tREFERRALS\t\t\t\t
\tNOV\tDECEMBER\tJANUARY\tFeb\t
BARNSLEY\t1\t2\t3\t4\t
SHEFFIELD\t5\t\t7\t8
OTHER*\t0\t0\t0\t0
TOTAL\t6\t2\t10\t12
"""


def test_months_roll_over_into_the_next_year() -> None:
    parse = parse_report_tables(ROLLOVER_REPORT)
    assert [(f.district, f.period, f.value) for f in parse.figures[:4]] == [
        ("Barnsley", "2015-11", 1),
        ("Barnsley", "2015-12", 2),
        ("Barnsley", "2016-01", 3),
        ("Barnsley", "2016-02", 4),
    ]
    assert [t.period for t in parse.totals] == ["2015-11", "2015-12", "2016-01", "2016-02"]


def test_an_empty_cell_is_missing_not_zero() -> None:
    sheffield = [
        f.period for f in parse_report_tables(ROLLOVER_REPORT).figures if f.district == "Sheffield"
    ]
    assert sheffield == ["2015-11", "2016-01", "2016-02"]
    mismatches = check_totals(
        parse_report_tables(ROLLOVER_REPORT.replace("TOTAL\t6\t2", "TOTAL\t6\t9"))
    )
    assert mismatches == [TotalMismatch("referrals", "2015-12", 9, 2, 10)]


def test_snapshot_heading_with_a_day() -> None:
    text = "Live investigations at 27 July 2015\n\nDISTRICT\tLIVE INVESTIGATIONS\nDoncaster\t31\n"
    assert parse_report_tables(text).figures == (
        ParsedFigure("Doncaster", "live_investigations", "2015-07-27", 31, 4),
    )


def test_unknown_district_in_a_table_row() -> None:
    text = ROLLOVER_REPORT.replace("SHEFFIELD", "LEEDS")
    with pytest.raises(FiguresParseError, match="^line 8: unknown district 'LEEDS'"):
        parse_figures(text)


def test_table_without_a_dated_heading() -> None:
    with pytest.raises(FiguresParseError, match="^line 1: no 'Month YYYY' heading"):
        parse_report_tables("DISTRICT\tREFERRAL\nBarnsley\t9\n")


# Names


@pytest.mark.parametrize(
    ("name", "district"),
    [
        ("Rotherham", "Rotherham"),
        ("SHEFFIELD", "Sheffield"),
        ("Other*", "Other"),
        (" other^{*} ", "Other"),
        ("Total", None),
        ("Leeds", None),
    ],
)
def test_normalise_district(name: str, district: str | None) -> None:
    assert normalise_district(name) == district


@pytest.mark.parametrize(
    ("name", "metric"),
    [
        ("REFERRAL", "referrals"),
        ("Referrals", "referrals"),
        ("OFFENCES", "offences"),
        ("OFFENC", "offences"),
        ("CHARGED OR SUMMONSED TO COURT", "charged_or_summonsed"),
        ("charged_or_summonsed", "charged_or_summonsed"),
        ("CAUTION", "cautions"),
        ("ACTIVE CSE OFFENCES", "live_investigations"),
        ("live investigations", "live_investigations"),
        ("Convictions", "convictions"),
        ("arrests", None),
        ("c", None),
    ],
)
def test_normalise_metric(name: str, metric: str | None) -> None:
    assert normalise_metric(name) == metric
