"""The one date parser: dates as people write them (issue 12)."""

from __future__ import annotations

from datetime import date

import pytest

from commands.dates import date_prefix, month_number, parse_date, written_date
from commands.errors import BadInput
from commands.timescales import timescale_deadline

TODAY = date(2015, 9, 11)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2016-03-31", date(2016, 3, 31)),
        ("31/03/2016", date(2016, 3, 31)),
        ("31.03.2016", date(2016, 3, 31)),
        ("31 March 2016", date(2016, 3, 31)),
        ("1st Feb 2016", date(2016, 2, 1)),
        ("March 2016", date(2016, 3, 31)),
        ("07/2015", date(2015, 7, 31)),
        ("15/12/2015", date(2015, 12, 15)),
        ("jul", date(2016, 7, 31)),  # this year's July has passed
        ("Dec", date(2015, 12, 31)),
        ("sept", date(2015, 9, 30)),
    ],
)
def test_written_dates(text, expected):
    assert written_date(text, TODAY) == expected


@pytest.mark.parametrize("text", ["soon", "cleared", "ju", "12", "next meeting"])
def test_words_that_are_not_dates(text):
    assert written_date(text, TODAY) is None


@pytest.mark.parametrize("text", ["31/02/2016", "2016-13-01", "13/2016", "30 February 2016"])
def test_impossible_days_are_refused(text):
    with pytest.raises(BadInput, match="no such day"):
        written_date(text, TODAY)


def test_parse_date_names_what_it_wanted_and_the_forms():
    with pytest.raises(BadInput, match="is not a due date: write it as 2016-03-31, 31/03/2016"):
        parse_date("soon", "due date")
    with pytest.raises(BadInput, match="plausible"):
        parse_date("31/03/1850")


def test_a_date_prefix_takes_the_longest_date():
    assert date_prefix(["31", "March", "2016", "agreed", "at", "GAB"]) == (date(2016, 3, 31), 3)
    assert date_prefix(["07/2015", "later"]) == (date(2015, 7, 31), 1)
    assert date_prefix(["agreed"]) == (None, 0)


def test_months_and_report_deadlines_share_the_parser():
    assert [month_number(w) for w in ("jul", "July", "Sept", "ma", "ju")] == [7, 7, 9, None, None]
    assert timescale_deadline("by 30 September 2023") == date(2023, 9, 30)
    assert timescale_deadline("by March 2024") == date(2024, 3, 31)
    assert timescale_deadline("by 31/02/2024") is None
