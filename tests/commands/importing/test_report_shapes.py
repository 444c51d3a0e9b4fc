"""The extractor on each inspectorate shape and timescale form (corpus/ texts, own words)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from commands.deadlines import due_from_timescale
from commands.importing.report_items import Candidate, Extraction
from commands.importing.report_parser import extract_items

CORPUS = Path(__file__).parent / "corpus"
PUBLISHED = date(2025, 1, 31)


def _extract(name: str) -> Extraction:
    return extract_items((CORPUS / name).read_text(encoding="utf-8"))


def _due(item: Candidate) -> date | None:
    return item.deadline or due_from_timescale(PUBLISHED, item.timescale)


def _summary(items: tuple[Candidate, ...]) -> list[tuple]:
    return [(i.kind, i.timescale, _due(i), i.addressee, i.force_delivers, i.area) for i in items]


def _reasons(extraction: Extraction) -> list[tuple[int, str]]:
    return [(p.line, p.reason) for p in extraction.passed]


def test_cause_of_concern_bullets_are_recommendations_and_a_bullets_own_timescale_wins():
    found = _extract("peel_cause_of_concern.txt")
    area = "Protecting vulnerable people"
    assert _summary(found.items) == [
        (
            "recommendation",
            "within three months",
            date(2025, 4, 30),
            "the constabulary",
            True,
            area,
        ),
        ("recommendation", "immediately", PUBLISHED, "the constabulary", True, area),
        (
            "recommendation",
            "within three months",
            date(2025, 4, 30),
            "the constabulary",
            True,
            area,
        ),
        ("afi", "", None, "the constabulary", True, area),
    ]
    assert [i.line for i in found.items] == [13, 15, 17, 21]
    assert found.items[0].text == (
        "To address this cause of concern, we recommend that within three months the "
        "constabulary makes sure that every domestic abuse call is risk-assessed by a trained "
        "call handler"
    )
    # the cause of concern itself and the narrative after the area for improvement are not items
    assert not any("does not always assess" in i.text for i in found.items)
    assert not any("Supervisors should" in i.text for i in found.items)


def test_areas_for_improvement_under_a_question_heading():
    found = _extract("peel_areas_for_improvement.txt")
    area = "How good is the force at investigating crime?"
    assert _summary(found.items) == [("afi", "", None, "the force", True, area)] * 3
    assert (
        found.items[2].text
        == "The force needs to improve how it keeps victims informed about their cases."
    )
    # the narrative after the list is noted, not taken
    assert _reasons(found) == [(13, "says nothing to do: read as the explanation after the list")]


def test_hmic_recommends_inline_after_a_colon_and_a_numbered_list():
    found = _extract("hmic_recommends_numbered.txt")
    assert _summary(found.items) == [
        ("recommendation", "immediately", PUBLISHED, "the force", True, "Efficiency"),
        *[
            (
                "recommendation",
                "within six months",
                date(2025, 7, 31),
                "the force",
                True,
                "Efficiency",
            )
        ]
        * 3,
    ]
    assert found.items[1].text == (
        "HMIC recommends that within six months the force should agree a plan with its "
        "neighbouring force for the joint control room"
    )


def test_national_recommendations_have_dated_deadlines_and_addressees_and_repeats_are_passed():
    found = _extract("national_thematic.txt")
    area = "An inspection of how police forces handle digital evidence"
    assert _summary(found.items) == [
        ("recommendation", "by 31 March 2025", date(2025, 3, 31), "chief constables", True, area),
        (
            "recommendation",
            "by 30 September 2025",
            date(2025, 9, 30),
            "the College of Policing",
            False,
            area,
        ),
        (
            "recommendation",
            "by the end of June 2025",
            date(2025, 6, 30),
            "the Home Office, working with the NPCC lead for digital forensics",
            False,
            area,
        ),
        (
            "recommendation",
            "not later than 31 December 2025",
            date(2025, 12, 31),
            "all forces",
            True,
            area,
        ),
    ]
    assert _reasons(found) == [(15, "repeats item 1 (line 7)"), (19, "repeats item 2 (line 9)")]


def test_fire_and_rescue_report_areas_for_improvement_and_a_cause_of_concern():
    found = _extract("fire_service.txt")
    prevention = "How effective is the service at preventing fires and other risks?"
    protection = "How effective is the service at protecting the public through fire regulation?"
    assert _summary(found.items) == [
        ("afi", "", None, "the service", True, prevention),
        ("afi", "", None, "the service", True, prevention),
        ("afi", "", None, "the service", True, protection),
        ("recommendation", "by 31 May 2025", date(2025, 5, 31), "the service", True, protection),
    ]
    assert not any("has not done enough" in i.text for i in found.items)


def test_afi_numbered_lines_drop_their_marker():
    found = _extract("afi_numbered.txt")
    assert _summary(found.items) == [
        ("afi", "", None, "the force", True, "Custody suite inspection"),
        ("afi", "", None, "the force", True, "Custody suite inspection"),
        ("afi", "within 28 days", date(2025, 2, 28), "the force", True, "Custody suite inspection"),
    ]
    assert found.items[1].text == "The force should record the reasons for every strip search."


def test_the_report_recommends_with_lettered_items_and_their_own_timescales():
    found = _extract("report_recommends_lettered.txt")
    area = "Review of stop and search"
    assert _summary(found.items) == [
        ("recommendation", "within one month", date(2025, 2, 28), "the force", True, area),
        ("recommendation", "within two years", date(2027, 1, 31), "the force", True, area),
        ("recommendation", "", None, "the force", True, area),
    ]
    assert found.items[2].text == (
        "The report recommends that the force trains supervisors to review searches."
    )


def test_several_bullets_run_together_on_one_line():
    found = _extract("inline_bullets.txt")
    assert [i.text for i in found.items] == [
        "We recommend that, within 12 months, the force reviews the size of its neighbourhood teams",
        "We recommend that, within 12 months, the force makes sure officers are not taken away "
        "from neighbourhood duties",
        "We recommend that, within 12 months, the force reports progress to the commissioner",
    ]
    assert {(i.timescale, _due(i), i.line) for i in found.items} == {
        ("within twelve months", date(2026, 1, 31), 3)
    }


def test_a_closing_grouped_section_makes_body_areas_for_improvement_restatements():
    found = _extract("grouped_closing.txt")
    assert [(i.kind, i.timescale, _due(i), i.line) for i in found.items] == [
        ("recommendation", "within twelve months", date(2026, 1, 31), 20),
        ("recommendation", "within 28 days", date(2025, 2, 28), 24),
    ]
    assert [(p.line, p.reason) for p in found.passed] == [
        (5, "contents list"),
        (14, "restates the closing Recommendations section (its source or summary)"),
    ]


def test_urgently_and_as_soon_as_possible_set_no_due_date():
    found = _extract("urgent_asap.txt")
    assert _summary(found.items) == [
        ("recommendation", "urgently", None, "the force", True, "Child protection"),
        ("recommendation", "as soon as possible", None, "the force", True, "Child protection"),
    ]


def test_within_weeks_days_and_years():
    found = _extract("weeks_days_years.txt")
    assert [(i.timescale, _due(i)) for i in found.items] == [
        ("within six weeks", date(2025, 3, 14)),
        ("within 90 days", date(2025, 5, 1)),
        ("within two years", date(2027, 1, 31)),
    ]


def test_dated_lead_in_and_a_bullet_with_its_own_date():
    found = _extract("hmicfrs_dated_bullets.txt")
    assert [(i.timescale, i.deadline, i.addressee) for i in found.items] == [
        ("by 31 October 2025", date(2025, 10, 31), "the force"),
        ("by 31 March 2026", date(2026, 3, 31), "the force"),
        ("by 31 October 2025", date(2025, 10, 31), "the force"),
    ]


def test_page_furniture_inside_a_recommendation_is_removed():
    found = _extract("page_furniture.txt")
    assert [(i.text, i.line, i.area) for i in found.items] == [
        (
            "We recommend that, within six months, the force makes sure that every report of a "
            "sexual offence is recorded as a crime within 24 hours of the report.",
            4,
            "",
        ),
        (
            "We recommend that, within three months, the force trains its call handlers in the "
            "crime recording rules.",
            12,
            "",
        ),
    ]
    assert found.passed == ()


def test_a_contents_list_is_one_passed_line_not_items():
    found = _extract("contents_list.txt")
    assert [(i.timescale, i.line) for i in found.items] == [("within six months", 13)]
    (contents,) = found.passed
    assert (contents.line, contents.heading, contents.reason) == (5, "Contents", "contents list")


# Noise only: no items, and the sentences worth knowing about are listed with why


def test_a_commissioners_letter_quoting_the_chief_constable_gives_no_items():
    found = _extract("s55_response_noise.txt")
    assert found.items == ()
    assert [reason for _, reason in _reasons(found)] == [
        "a statement of assurance, not a recommendation",
        "chief officer's reply",
    ]


def test_a_quoted_status_log_gives_no_items():
    found = _extract("status_log_noise.txt")
    assert found.items == ()
    assert _reasons(found) == [(3, "quoted status log"), (5, "quoted status log")]


def test_findings_with_should_sentences_give_no_items_but_are_listed():
    found = _extract("findings_only_noise.txt")
    assert found.items == ()
    (should, must) = found.passed
    assert should.describe() == (
        "line 6: 'The panel considered the report. The force should consider whether its new …' "
        "under 'Conclusions' — not imported: no recommendation heading"
    )
    assert must.line == 11
    assert all("Page" not in p.excerpt and "Panel" not in p.heading for p in found.passed)


def test_every_corpus_text_has_distinct_numbered_items_with_1_based_lines():
    for path in sorted(CORPUS.glob("*.txt")):
        found = extract_items(path.read_text(encoding="utf-8"))
        lines = path.read_text(encoding="utf-8").splitlines()
        assert [i.number for i in found.items] == list(range(1, len(found.items) + 1)), path
        for item in found.items:
            assert lines[item.line - 1].strip(), (path, item.line)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.text(max_size=80),
            st.sampled_from(
                [
                    "Recommendations",
                    "Areas for improvement",
                    "Area for improvement",
                    "Cause of concern",
                    "Recommendation 3",
                    "Within 3 months",
                    "Immediately",
                    "By 31 February 2024",
                    "We recommend that the force:",
                    "• reviews x • improves y",
                    "e does z;",
                    "(a) within a month, the force",
                    "1. Background",
                    "The force should act.",
                    "AFI 7 – ",
                    "[on]8th December 2016 [status]",
                    "Contents",
                    "Summary 3",
                    "Page 2 of 9",
                    "",
                ]
            ),
        ),
        max_size=30,
    )
)
def test_extract_items_never_raises_on_arbitrary_text(lines: list[str]) -> None:
    text = "\n".join(lines)
    found = extract_items(text)
    count = len(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    assert all(item.text.strip() for item in found.items)
    assert all(1 <= item.line <= count for item in found.items)
    assert all(1 <= passed.line <= count for passed in found.passed)


def test_pdf_text_without_blank_lines_between_headings_and_paragraphs():
    found = _extract("pdf_no_blank_lines.txt")
    assert [(i.kind, i.timescale, i.deadline, i.line) for i in found.items] == [
        ("afi", "", None, 4),
        ("recommendation", "within six months", None, 10),
        ("recommendation", "within six months", None, 11),
        ("recommendation", "by 31 March 2026", date(2026, 3, 31), 12),
        ("recommendation", "within three months", None, 14),
    ]
    assert found.items[0].text == (
        "The force should improve how it supervises investigations into child abuse."
    )
    # "Recommendation 1:" ends the bullet above it; the force's reply is not an item
    assert found.items[2].text.endswith("makes sure each offender has a current risk assessment.")
    assert found.items[3].text == "By 31 March 2026, the force should publish its plan."
    assert not any("accepts" in i.text for i in found.items)


def test_a_response_quoting_numbered_recommendations_keeps_their_bullets_as_parts():
    found = _extract("s55_quoted_recommendations.txt")
    assert [(i.kind, i.timescale, i.addressee, i.force_delivers, i.line) for i in found.items] == [
        ("recommendation", "by 31 March 2026", "chief constables", True, 4),
        ("recommendation", "by 30 June 2026", "the College of Policing", False, 8),
        ("afi", "", "the force", True, 10),
    ]
    assert found.items[0].text == (
        "By 31 March 2026, chief constables should:\n"
        "- review all vetting decisions made in the last two years\n"
        "- record the reasons for every decision."
    )
    assert found.items[2].text == (
        "The force should:\n- train its vetting staff\n- audit its vetting files."
    )
    assert _reasons(found) == [(13, "a statement of assurance, not a recommendation")]


def test_a_singular_recommendation_heading_and_an_unpunctuated_list():
    found = _extract("singular_heading_unpunctuated.txt")
    assert [(i.text, i.timescale, i.deadline, i.line) for i in found.items] == [
        (
            "We recommend that, by 31 May 2026, the force:\n"
            "- replaces its cell cameras\n- tests them every week.",
            "by 31 May 2026",
            date(2026, 5, 31),
            5,
        ),
        ("The force should review its custody policy", "", None, 13),
        ("The force should publish the review.", "", None, 14),
    ]
    assert {i.area for i in found.items} == {"Custody"}


def test_list_markers_1_paren_roman_middle_dot_and_dash():
    found = _extract("list_markers.txt")
    assert [(i.kind, i.timescale, i.line) for i in found.items] == [
        ("recommendation", "", 5),
        ("recommendation", "within six months", 6),
        ("recommendation", "", 9),
        ("recommendation", "", 10),
        ("afi", "", 13),
        ("afi", "", 14),
    ]
    assert found.items[3].text == "HMICFRS recommends that the force publishes it."
    assert found.items[5].text == "The force should improve y."


# Shapes added for the held-out failures: each test fails on the extractor before its rule.


def test_status_log_lines_under_a_recommendation_start_their_own_paragraph():
    found = _extract("register_status_lines.txt")
    assert [(i.timescale, _due(i), i.area, i.line) for i in found.items] == [
        ("within three months", date(2025, 4, 30), "Digital forensics", 4),
        ("immediately", PUBLISHED, "", 9),  # "Item 8" labels the entry: it is no area
        ("", None, "Seized property", 13),
    ]
    assert found.items[0].text.endswith("awaiting examination.")
    assert found.items[1].text.endswith("without a welfare check.")
    # a log run on after the recommendation on the same line is cut off, not taken with it
    assert found.items[2].text == "We recommend that the force reviews how it stores seized cash."
    assert found.passed == ()


def test_numbered_paragraphs_and_lettered_parts_run_together_are_separate():
    found = _extract("numbered_paragraphs.txt")
    assert [(i.timescale, _due(i), i.area, i.line) for i in found.items] == [
        ("within six months", date(2025, 7, 31), "Recommendations", 4),
        ("within 90 days", date(2025, 5, 1), "Recommendations", 6),
        ("within 90 days", date(2025, 5, 1), "Recommendations", 7),
        ("by 30 November 2025", date(2025, 11, 30), "Call handling", 11),
    ]
    assert found.items[0].text == (
        "We recommend that, within six months, the force tests radio coverage on every rural beat."
    )
    assert found.items[2].text.startswith(
        "We also recommend that the force, within 90 days reports"
    )
    # "4. Custody" carries on the headings' numbering: it ends the list, it is no part of it
    assert found.items[2].text.endswith("every month.")
    assert not any("radio system often drops" in i.text for i in found.items)


def test_a_bullet_with_its_own_timescale_under_a_recommendation_heading_is_its_own_item():
    found = _extract("dated_bullet_under_heading.txt")
    assert [(i.timescale, _due(i), i.addressee, i.line) for i in found.items] == [
        ("", None, "every force", 5),
        ("within six months", date(2025, 7, 31), "every force", 6),
        ("by 31 January 2026", date(2026, 1, 31), "chief constables", 9),
    ]
    assert found.items[0].text == (
        "From now on, every force should record honour-based abuse as a flag on each linked crime"
    )
    # no bullet has a timescale of its own: the heading's one recommendation keeps its parts
    assert found.items[2].text == (
        "By 31 January 2026, chief constables should:\n"
        "- audit their open cases of forced marriage\n"
        "- report the results to their commissioners."
    )


def test_a_short_line_over_a_paragraph_is_a_heading_and_a_page_labelled_header_is_furniture():
    found = _extract("concern_subheadings.txt")
    assert [(i.timescale, i.area, i.line) for i in found.items] == [
        ("within six months", "Managing sex offenders", 8),
        ("within three months", "Protecting children online", 16),
    ]
    assert found.items[0].text == (
        "We recommend that, within six months, the constabulary clears its backlog of overdue "
        "visits."
    )


def test_a_graded_judgement_is_not_a_heading():
    found = _extract("graded_questions.txt")
    assert [(i.kind, i.area, i.line) for i in found.items] == [
        ("afi", "How well does the service respond to emergencies?", 9),
        ("afi", "How well does the service look after its people?", 13),
    ]
    # a question straight after a paragraph (PDF text without blank lines) still heads a section
    assert found.items[0].text.endswith("every engine is.")


def test_topic_headings_straight_under_recommendations_are_its_sub_sections():
    found = _extract("recommendation_subsections.txt")
    assert [(i.kind, i.timescale, i.area, i.line) for i in found.items] == [
        ("recommendation", "within one month", "Custody", 6),
        ("recommendation", "", "Custody", 8),
        ("recommendation", "", "Call handling", 12),
    ]
    # an annex ends the sub-sections: its sentence is listed, not taken
    assert _reasons(found) == [(16, "no recommendation heading")]


def test_further_and_additionally_recommend_open_items_and_update_lines_are_status_logs():
    found = _extract("register_updates.txt")
    assert [(i.timescale, _due(i), i.area, i.line) for i in found.items] == [
        ("by 30 April 2025", date(2025, 4, 30), "Action 3", 4),
        ("within six months", date(2025, 7, 31), "Action 4", 9),
    ]
    assert found.items[0].text.endswith("managing violent offenders.")
    assert found.items[1].text.endswith("civil orders.")
    assert _reasons(found) == [(5, "quoted status log")]


def test_reference_labels_over_register_entries_are_neither_areas_nor_running_headers():
    found = _extract("register_labels.txt")
    # three "Ref: 2019/0N" lines share a shape, as a running header would; they are labels
    assert [(i.timescale, _due(i), i.area, i.line) for i in found.items] == [
        ("within three months", date(2025, 4, 30), "", 4),
        ("immediately", PUBLISHED, "", 8),
        ("within six months", date(2025, 7, 31), "", 12),
    ]
    assert not any("2019/" in i.text for i in found.items)


def test_a_list_printed_without_bullets_under_a_lead_in_gives_one_item_per_entry():
    found = _extract("unmarked_list.txt")
    lead = "By 31 March 2025, we recommend that the constabulary"
    assert [(i.text.split("constabulary ", 1)[1][:30], _due(i), i.line) for i in found.items] == [
        ("makes sure every domestic abus", date(2025, 3, 31), 5),
        ("reviews how supervisors check ", date(2025, 3, 31), 8),
        ("tells each victim within five ", date(2025, 3, 31), 10),
        ("publishes a plan for its contr", date(2025, 7, 31), 16),
        ("trains its call handlers in th", date(2025, 7, 31), 17),
    ]
    # a wrapped entry is one item, its tail without the list's "; and"
    assert found.items[0].text == (
        f"{lead} makes sure every domestic abuse call is risk-assessed by a trained call "
        "handler before the call ends"
    )
    # a colon over one ordinary sentence is no list
    assert _reasons(found) == [(12, "says nothing to do: read as the explanation after the list")]
