"""Timescales as inspectorates write them (one parser for the extractor and the due dates)."""

from __future__ import annotations

from datetime import date

import pytest

from commands.timescales import Timescale, find_timescale, heading_timescale, timescale_length


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("We recommend that, within 12 months, the force", Timescale("within twelve months")),
        ("within a month of this report", Timescale("within one month")),
        ("within 28 days", Timescale("within 28 days")),
        ("within twenty-four months", Timescale("within 24 months")),
        ("within the next two years", Timescale("within two years")),
        (
            "By 30 September 2023, chief constables",
            Timescale("by 30 September 2023", date(2023, 9, 30)),
        ),
        (
            "Not later than 31st March 2015",
            Timescale("not later than 31 March 2015", date(2015, 3, 31)),
        ),
        ("by the end of March 2024", Timescale("by the end of March 2024", date(2024, 3, 31))),
        ("by the end of 2024", Timescale("by the end of 2024", date(2024, 12, 31))),
        ("The force should urgently review", Timescale("urgently")),
        ("as a matter of urgency the force must", Timescale("urgently")),
        ("as soon as practicable", Timescale("as soon as possible")),
        ("We recommend that the force immediately ensures", Timescale("immediately")),
        (
            "the force should answer calls from people at risk and send officers immediately",
            Timescale(),
        ),
        ("supported by 2016 funding", Timescale()),
        ("by 31 February 2024", Timescale("by 31 February 2024", None)),
        ("by 31/03/2024 the force", Timescale("by 31 March 2024", date(2024, 3, 31))),
        ("in the next six months, the force", Timescale("within six months")),
        ("over the next 12 months", Timescale("within twelve months")),
        ("", Timescale()),
    ],
)
def test_find_timescale(text: str, found: Timescale) -> None:
    assert find_timescale(text) == found


def test_the_earliest_timescale_in_the_text_is_the_one_it_states() -> None:
    text = "By 31 March 2024, the force should, within three months of a referral, reply"
    assert find_timescale(text).text == "by 31 March 2024"


@pytest.mark.parametrize(
    ("line", "text"),
    [
        ("Within 3 months", "within three months"),
        ("Immediately", "immediately"),
        ("By 31 March 2024:", "by 31 March 2024"),
        ("The force should act immediately", None),
        ("Recommendations", None),
    ],
)
def test_a_heading_made_only_of_a_timescale(line: str, text: str | None) -> None:
    found = heading_timescale(line)
    assert (found.text if found else None) == text


def test_length_of_a_within_timescale() -> None:
    assert timescale_length("within twelve months") == (12, "month")
    assert timescale_length("within 28 days") == (28, "day")
    assert timescale_length("urgently") is None


@pytest.mark.parametrize(
    ("text", "found"),
    [
        # a standard the recommendation sets is not when it is due
        ("The force should tell each victim within five days who has their case.", Timescale()),
        (
            "the force should make sure calls are returned within 24 days by a supervisor",
            Timescale(),
        ),
        (
            "The force should tell victims within 5 days who has their case, within six months.",
            Timescale("within six months"),
        ),
        # opening the text or a clause, ending a sentence, or counted from the report: due
        ("Within 28 days the force should write to every victim.", Timescale("within 28 days")),
        ("Forces should, within 28 days, write to victims.", Timescale("within 28 days")),
        ("The force should publish its plan within 14 days.", Timescale("within 14 days")),
        (
            "The force should reply within 28 days of publication of this report.",
            Timescale("within 28 days"),
        ),
        (
            "The force should publish within three months a plan for",
            Timescale("within three months"),
        ),
    ],
)
def test_days_and_weeks_inside_a_sentence_are_a_standard_months_a_deadline(text, found):
    assert find_timescale(text) == found
