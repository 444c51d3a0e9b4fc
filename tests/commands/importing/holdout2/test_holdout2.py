"""A second set of shapes written apart from the extractor, kept back until its fixes were in."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from commands.deadlines import due_from_timescale
from commands.importing.report_parser import extract_items

HERE = Path(__file__).parent
PUBLISHED = date(2022, 3, 10)


def _items(name: str):  # noqa: ANN202
    return extract_items((HERE / name).read_text(encoding="utf-8")).items


def _due(item):  # noqa: ANN001, ANN202
    return item.deadline or due_from_timescale(PUBLISHED, item.timescale)


def test_an_announcing_lead_in_is_not_an_item_and_numbered_recommendations_are() -> None:
    items = _items("thematic_inline.txt")
    assert [_due(i) for i in items] == [date(2022, 9, 10), date(2022, 12, 31), date(2023, 3, 10)]
    assert [i.force_delivers for i in items] == [True, False, True]
    assert "home office" in items[1].addressee.casefold()


def test_timescale_headings_in_digits_group_the_closing_section() -> None:
    items = _items("grouped_digits.txt")
    assert [_due(i) for i in items] == [
        PUBLISHED,
        date(2022, 6, 10),
        date(2022, 6, 10),
        date(2022, 9, 10),
    ]
    assert not any("120 records" in i.text for i in items)


def test_page_furniture_does_not_break_or_enter_a_paragraph() -> None:
    items = _items("page_furniture.txt")
    assert [i.kind for i in items] == ["afi", "afi"]
    assert items[0].text.endswith("missed visit are recorded.")
    assert "OFFICIAL" not in items[0].text and "Page" not in items[1].text
    assert items[1].text.endswith("reduce the risk.")
    assert "Managing offenders" in items[0].area


def test_a_dated_lead_in_dates_each_of_its_bullets() -> None:
    items = _items("fire_grouped.txt")
    assert [_due(i) for i in items] == [date(2023, 3, 31)] * 3
    assert [i.kind for i in items] == ["recommendation"] * 3


def test_afis_numbered_with_a_colon_or_a_dash_in_minutes() -> None:
    items = _items("afi_colons.txt")
    assert [i.kind for i in items] == ["afi", "afi"]
    assert "disability" in items[0].text and "risk assessment tool" in items[1].text
