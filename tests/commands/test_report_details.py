"""Import details from an upload's message, or guessed from the file name and first page."""

from __future__ import annotations

from datetime import date

import pytest

from commands.errors import BadInput
from commands.report_details import (
    date_in_text,
    details_in_message,
    import_details,
    source_id_from_name,
    title_from_text,
)

TODAY = date(2026, 12, 3)
FIRST_PAGE = """

Inspecting policing
Missing children: an inspection of Northshire Constabulary

Published 14 March 2025
"""


def test_details_are_read_from_the_message_in_any_order():
    text = "source CSE13 published 2014-01-31 title Child sexual exploitation publisher: HMICFRS"
    assert details_in_message(text) == {
        "source": "CSE13",
        "published": "2014-01-31",
        "title": "Child sexual exploitation",
        "publisher": "HMICFRS",
    }
    assert details_in_message('Title "Fire safety" Source fire24') == {
        "title": "Fire safety",
        "source": "fire24",
    }
    assert details_in_message("here is the report") == {}


def test_given_details_win_and_nothing_is_marked_guessed():
    given = details_in_message("source cse13 published 31 January 2014 title CSE")
    details = import_details("x.pdf", FIRST_PAGE, given, TODAY)
    assert (details.source_id, details.title, details.published) == (
        "CSE13",
        "CSE",
        date(2014, 1, 31),
    )
    assert details.guessed == ()


def test_missing_details_are_guessed_from_the_name_and_first_page():
    details = import_details("2025_missing-children-in-northshire.pdf", FIRST_PAGE, {}, TODAY)
    assert details.source_id == "MCN25"
    assert details.title == "Missing children: an inspection of Northshire Constabulary"
    assert details.published == date(2025, 3, 14)
    assert details.guessed == ("source", "title", "published")
    bare = import_details("report.pdf", "x\n", {"source": "R1"}, TODAY)
    assert (bare.title, bare.published, bare.guessed) == ("report", TODAY, ("title", "published"))


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"source": "CSE-13"}, "source 'CSE-13': use up to 12 letters and digits only"),
        ({"source": "A" * 13}, "use up to 12 letters and digits"),
        ({"published": "31/01/2014"}, "published '31/01/2014': write the date as 2014-01-31"),
        ({"published": "2014-02-30"}, "published '2014-02-30'"),
    ],
)
def test_bad_given_details_are_refused_in_one_line(given, message):
    with pytest.raises(BadInput, match=message):
        import_details("r.pdf", FIRST_PAGE, given, TODAY)


def test_guessing_helpers():
    assert source_id_from_name("2013_hmic-syp-response-to-cse.pdf") == "HSRC13"
    assert source_id_from_name("---.pdf") == "REPORT"
    assert title_from_text("Contents\n\n1. Intro.\nA proper title here\n") == "A proper title here"
    assert date_in_text("issued in January 2015, revised 3rd March 2015") == date(2015, 1, 1)
    assert date_in_text("on 3rd March 2015") == date(2015, 3, 3)
    assert date_in_text("no date") is None
