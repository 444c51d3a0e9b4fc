"""Due dates, RAG and the PCC's response date (SPEC section 2): pure rules, no store."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from commands.deadlines import (
    days_overdue,
    due_from_timescale,
    no_deadline_note,
    rag,
    response_due,
)
from storage.models import Item, Source

PUBLISHED = date(2014, 1, 31)  # the 2013 CSE report


@pytest.mark.parametrize(
    ("published", "timescale", "due"),
    [
        (PUBLISHED, "within three months", date(2014, 4, 30)),  # 31 April does not exist
        (PUBLISHED, "within six months", date(2014, 7, 31)),
        (PUBLISHED, "Within 3 months", date(2014, 4, 30)),
        (PUBLISHED, "within one month", date(2014, 2, 28)),
        (date(2015, 11, 30), "within three months", date(2016, 2, 29)),  # a leap year
        (date(2016, 2, 29), "within twelve months", date(2017, 2, 28)),  # and the year after
        (date(2016, 2, 29), "within 12 months", date(2017, 2, 28)),
        (date(2015, 8, 31), "within six months", date(2016, 2, 29)),
    ],
)
def test_within_n_months_is_n_calendar_months_later_clamped_to_the_month_end(
    published: date, timescale: str, due: date
) -> None:
    assert due_from_timescale(published, timescale) == due


def test_immediately_is_the_publication_date_plus_the_grace_days() -> None:
    assert due_from_timescale(PUBLISHED, "immediately") == PUBLISHED
    assert due_from_timescale(PUBLISHED, "Immediately", grace_days=14) == date(2014, 2, 14)


@pytest.mark.parametrize("timescale", ["", "   ", "as soon as practicable", "within months"])
def test_no_timescale_means_no_due_date(timescale: str) -> None:
    assert due_from_timescale(PUBLISHED, timescale) is None


def test_an_item_without_a_due_date_is_never_overdue() -> None:
    item = Item("NCP15-16", "NCP15", 16, due=None)
    years_later = date(2030, 1, 1)
    assert days_overdue(item, years_later) == 0
    assert rag(item, years_later) == "green"


TODAY = date(2014, 3, 3)


def _item(due: date | None, status: str = "not started") -> Item:
    return Item("CSE13-01", "CSE13", 1, due=due, status=status)


@pytest.mark.parametrize(
    ("due", "status", "expected"),
    [
        (TODAY - timedelta(days=1), "not started", "red"),
        (TODAY - timedelta(days=1), "implemented", "red"),  # still open until signed off
        (TODAY, "not started", "amber"),  # due today is not yet past due
        (TODAY + timedelta(days=30), "in progress", "amber"),
        (TODAY + timedelta(days=31), "in progress", "green"),
        (TODAY + timedelta(days=200), "blocked", "amber"),
        (None, "blocked", "amber"),
        (TODAY - timedelta(days=1), "blocked", "red"),
        (TODAY - timedelta(days=100), "closed", "green"),
        (TODAY - timedelta(days=100), "superseded", "green"),
        (TODAY - timedelta(days=100), "not accepted", "green"),
        (None, "not started", "green"),
    ],
)
def test_rag_at_the_boundaries(due: date | None, status: str, expected: str) -> None:
    assert rag(_item(due, status), TODAY) == expected


def test_days_overdue_counts_whole_days_past_the_due_date() -> None:
    assert days_overdue(_item(TODAY), TODAY) == 0
    assert days_overdue(_item(TODAY + timedelta(days=5)), TODAY) == 0
    assert days_overdue(_item(TODAY - timedelta(days=1)), TODAY) == 1
    assert days_overdue(_item(PUBLISHED), TODAY) == 31


def test_the_pccs_response_to_an_inspection_is_due_56_days_after_publication() -> None:
    report = Source("CSE13", "SYP response to CSE", PUBLISHED, kind="inspection")
    assert response_due(report) == date(2014, 3, 28)


def test_only_inspection_reports_need_a_published_response() -> None:
    meeting = Source("GAB14", "GAB actions", PUBLISHED, kind="meeting")
    review = Source("PCC14", "PCC review", PUBLISHED, kind="review")
    assert response_due(meeting) is None
    assert response_due(review) is None


@pytest.mark.parametrize(
    ("timescale", "due"),
    [
        ("within 28 days", date(2014, 2, 28)),
        ("within six weeks", date(2014, 3, 14)),
        ("within two years", date(2016, 1, 31)),
        ("within one month", date(2014, 2, 28)),
        ("by 30 September 2023", date(2023, 9, 30)),  # a written date is the due date
        ("not later than 31 March 2015", date(2015, 3, 31)),
        ("by the end of March 2024", date(2024, 3, 31)),
    ],
)
def test_days_weeks_years_and_written_dates(timescale: str, due: date) -> None:
    assert due_from_timescale(PUBLISHED, timescale) == due


@pytest.mark.parametrize("timescale", ["urgently", "as soon as possible"])
def test_urgently_and_asap_set_no_due_date_but_say_so(timescale: str) -> None:
    assert due_from_timescale(PUBLISHED, timescale) is None
    assert no_deadline_note(timescale) == f"no deadline set: '{timescale}'"
    assert no_deadline_note("within three months") == ""
