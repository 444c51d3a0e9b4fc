"""Report shapes written apart from the extractor, checked on what an office would import.

The texts in this folder were written without sight of the extractor's own corpus, after reading
how inspectorates, committees and PCCs set out recommendations in published documents.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from commands.deadlines import due_from_timescale
from commands.importing.report_parser import extract_items

HERE = Path(__file__).parent
PUBLISHED = date(2023, 6, 15)


def _items(name: str):
    return extract_items((HERE / name).read_text(encoding="utf-8")).items


def _due(item) -> date | None:
    return item.deadline or due_from_timescale(PUBLISHED, item.timescale)


def test_peel_causes_of_concern_give_their_recommendations_and_the_afis_their_own_kind() -> None:
    items = _items("peel_cause_of_concern.txt")
    assert [i.kind for i in items] == ["recommendation"] * 4 + ["afi"] * 2
    assert [_due(i) for i in items] == [date(2023, 9, 15)] * 2 + [date(2023, 12, 15)] * 2 + [
        None
    ] * 2
    assert "call handlers" in items[0].text and "abandons" in items[1].text
    assert "written plan" in items[2].text and "training" in items[3].text
    assert items[0].area == "Responding to the public"
    assert items[2].area == "Investigating crime"
    assert not any("too slow" in i.text or "supervise investigations well" in i.text for i in items)


def test_a_national_thematic_keeps_addressees_dates_and_a_bullets_own_deadline() -> None:
    items = _items("national_thematic.txt")
    assert len(items) == 6
    assert [_due(i) for i in items] == [
        date(2024, 3, 31),
        date(2024, 6, 15),
        date(2024, 9, 30),
        PUBLISHED,
        date(2023, 12, 31),
        None,
    ]
    assert [i.force_delivers for i in items] == [True, False, False, True, True, False]
    assert "chief constables" in items[0].addressee.casefold()
    assert "college of policing" in items[1].addressee.casefold()
    assert "home office" in items[2].addressee.casefold()
    assert "npcc" in items[5].addressee.casefold()
    assert "as soon as possible" in items[5].timescale


def test_afis_quoted_in_committee_minutes_are_afis_and_the_discussion_is_not() -> None:
    items = _items("minutes_afis.txt")
    assert [i.kind for i in items] == ["afi"] * 3
    assert [_due(i) for i in items] == [None] * 3
    assert "neighbourhood engagement" in items[0].text
    assert "out-of-court disposals" in items[2].text


def test_a_pcc_response_gives_the_recommendations_not_the_chief_constables_replies() -> None:
    items = _items("pcc_response.txt")
    assert len(items) == 2
    assert [_due(i) for i in items] == [date(2023, 12, 15), PUBLISHED]
    assert not any("audited in the autumn" in i.text or "see improvement" in i.text for i in items)


def test_register_entries_drop_their_status_logs() -> None:
    items = _items("register_extract.txt")
    assert [_due(i) for i in items] == [date(2023, 12, 15), PUBLISHED]
    assert all("[status]" not in i.text and "December 2016" not in i.text for i in items)
    assert "missing children" in items[0].text


def test_a_fire_service_report_gives_afis_under_question_headings_and_a_dated_recommendation() -> (
    None
):
    items = _items("fire_service.txt")
    assert [i.kind for i in items] == ["afi", "afi", "afi", "recommendation"]
    assert [_due(i) for i in items] == [None, None, None, date(2024, 4, 1)]
    assert items[0].area.startswith("How effective is the service")
    assert items[2].area.startswith("How efficient is the service")
    assert all(i.force_delivers for i in items)


def test_bullets_run_together_and_lettered_parts_are_separate_recommendations() -> None:
    items = _items("run_together.txt")
    assert len(items) == 5
    assert [_due(i) for i in items] == [date(2023, 9, 15)] * 3 + [date(2023, 7, 13)] * 2
    assert "missing persons policy" in items[0].text and "quarter" in items[2].text
    assert "lead officer" in items[3].text


def test_findings_with_no_recommendation_give_no_items() -> None:
    extraction = extract_items((HERE / "findings_only.txt").read_text(encoding="utf-8"))
    assert extraction.items == ()


def test_a_numbered_review_list_gives_weeks_and_years() -> None:
    items = _items("review_numbered.txt")
    assert [_due(i) for i in items] == [date(2025, 6, 15), date(2023, 8, 10), date(2024, 6, 15)]
    assert "pcc" in items[2].addressee.casefold()


@pytest.mark.parametrize("name", sorted(p.name for p in HERE.glob("*.txt")))
def test_every_text_extracts_without_error_and_numbers_in_order(name: str) -> None:
    items = _items(name)
    assert [i.number for i in items] == list(range(1, len(items) + 1))
