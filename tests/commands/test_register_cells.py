"""Register cells as offices write them."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from commands.districts import DEFAULT_DISTRICTS
from commands.districts import parse_districts as parse_district_list
from commands.register_cells import (
    cell_text,
    parse_date,
    parse_districts,
    parse_lead,
    parse_status,
)
from commands.register_columns import field_of, find_header


@pytest.mark.parametrize(
    "cell",
    [
        "31/03/2016",
        "31-03-2016",
        "31.03.16",
        "31 March 2016",
        "31st Mar 2016",
        "March 31, 2016",
        "2016-03-31",
        "2016-03-31 00:00:00",
        42460,
        42460.0,
        "42460",
        date(2016, 3, 31),
        datetime(2016, 3, 31, 0, 0),
    ],
)
def test_dates_as_offices_write_them(cell):
    assert parse_date(cell) == date(2016, 3, 31)


@pytest.mark.parametrize("cell", ["soon", "03/31/2016", "31/13/2016", "Q3 2016", 12, "2016"])
def test_what_is_not_a_date(cell):
    with pytest.raises((ValueError, KeyError)):
        parse_date(cell)


@pytest.mark.parametrize(
    "word, status",
    [
        ("Complete", "closed"),
        ("COMPLETED", "closed"),
        ("Done", "closed"),
        ("Signed-off", "closed"),
        ("Implemented", "implemented"),
        ("Awaiting sign off", "implemented"),
        ("On track", "in progress"),
        ("Ongoing", "in progress"),
        ("On hold", "blocked"),
        ("Not yet started", "not started"),
        ("Rejected", "not accepted"),
        ("N/A", "superseded"),
    ],
)
def test_register_status_words(word, status):
    assert parse_status(word) == status


@pytest.mark.parametrize(
    "header, field",
    [
        ("Rec. No", "ref"),
        ("REFERENCE", "ref"),
        ("Recommendation text", "text"),
        ("Date  Published", "published"),
        ("Target date", "due"),
        ("Responsible officer", "lead"),
        ("R.A.G", "rag"),
        ("Latest update", "update"),
        ("Inspection", "report"),
        ("Lead role", "lead_role"),
        ("Directorate", None),
    ],
)
def test_headers_are_matched_loosely(header, field):
    assert field_of(header) == field


def test_the_header_may_sit_under_a_title_row():
    rows = [["Register of recommendations", None], [], ["ID", "Description"], ["1", "x"]]
    assert find_header(rows).header_row == 2
    assert find_header([["Ref", "Owner"]]) is None


def test_districts_and_leads():
    south = DEFAULT_DISTRICTS
    assert parse_districts("sheffield, Barnsley", south) == ("Barnsley", "Sheffield")
    assert parse_districts("Rotherham and Doncaster", south) == ("Doncaster", "Rotherham")
    assert parse_districts("Force-wide", south) == ()
    with pytest.raises(KeyError):
        parse_districts("Leeds", south)
    with pytest.raises(KeyError):
        parse_districts("Other", south)  # figures may say Other; an item names real districts
    west = parse_district_list("Bradford;Calderdale;Kirklees;Leeds=Leeds LPA;Wakefield")
    assert parse_districts("leeds lpa; Wakefield", west) == ("Leeds", "Wakefield")
    assert parse_lead("<@ULEAD001|lead>, U0ABC1234") == (("ULEAD001", "U0ABC1234"), "")
    assert parse_lead("Head of Public Protection") == ((), "Head of Public Protection")
    assert parse_lead("ULEAD001 (DCI Smith)") == (("ULEAD001",), "DCI Smith")
    assert parse_lead("UNISON rep") == ((), "UNISON rep")  # capitals are not an id


def test_the_quote_that_export_puts_before_a_formula_is_taken_off():
    assert cell_text("'=SUM(A1)") == "=SUM(A1)"
    assert cell_text("'quoted' text") == "'quoted' text"
    assert cell_text(4.0) == "4"
